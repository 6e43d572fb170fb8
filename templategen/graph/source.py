"""Read what `templategen graph` is given: an ARM template (JSON) or a Bicep file, and `-p` files.

The same readers as `lint` (so the same leniencies, bounds and `file:line:col` errors): a file that
cannot be used raises `InputError`, which the command line prints on one line with exit code 2.
"""

from __future__ import annotations

from templategen.diagnostics import InputError, Location

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.arm.template import Template


class Loaded:
    """A template read for drawing, and what its reader could not convert (Bicep only):
    `notes` are (location, message), to show on stderr so a partial graph is not taken as whole."""

    __slots__ = ("notes", "template")

    def __init__(self, template: Template, notes: list[tuple[Location, str]]) -> None:
        self.template = template
        self.notes = notes


def load_template(path: str) -> Loaded:
    """Read `path` (`.bicep` by its extension, anything else as JSON) into the template model."""
    from templategen.arm.template import build_template

    if path.lower().endswith(".bicep"):
        from templategen.bicep import load_bicep_file

        bicep = load_bicep_file(path)
        if bicep.errors:
            message, location = bicep.errors[0]
            raise InputError(message, location)
        return Loaded(build_template(bicep), list(bicep.problems))

    from templategen.arm.document import load_json_file
    from templategen.arm.template import classify

    document = load_json_file(path)
    kind = classify(document.data)
    if kind != "template":
        what = "a deployment parameters file" if kind == "parameters" else "not an ARM template"
        raise InputError(f"{what}: expected a template with a `resources` section", Location(path, 1, 1))
    return Loaded(build_template(document), [])


def load_parameter_values(paths: list[str]) -> dict[str, object]:
    """The values of every `-p` parameters file, later files winning (as `az deployment` merges them)."""
    from templategen.arm.document import load_json_file
    from templategen.arm.eval_state import given_values
    from templategen.arm.parameters import bicepparam_refusal
    from templategen.arm.template import build_parameters, classify

    values: dict[str, object] = {}
    for path in paths:
        refusal = bicepparam_refusal(path)
        if refusal is not None:
            raise InputError(f"--parameters {path}: {refusal}", Location(path, 1, 1))
        document = load_json_file(path)
        if classify(document.data) != "parameters":
            message = f"--parameters {path}: not an ARM deployment parameters file"
            raise InputError(message, Location(path, 1, 1))
        values.update(given_values(build_parameters(document)))
    return values
