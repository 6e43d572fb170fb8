"""Which inputs a set of changed files concerns: the pre-commit `templategen-check` hook.

pre-commit passes the changed files, not the inputs. An input must be checked when it changed itself
or when one of the files it writes changed (someone edited a generated template by hand), so the
mapping runs the other way: find every input under the root folder, work out the files each writes
with the same options (`-o`, `--format`, `--snippet`) through `render_outputs` (the one place that
knows the names), and keep those whose input or output is among the changed files.

An input elsewhere in the repository that is broken, or whose kind has no snippet when `--snippet`
is given, says nothing about this change and is left out; a broken input that did change is kept so
that `generate` reports its problems.
"""

from __future__ import annotations

import os

from templategen.generate.outputs import GenerateError, render_outputs
from templategen.inputs.loader import load_input
from templategen.inputs.model import ExtensionInput
from templategen.inputs.problems import InputProblems
from templategen.lint.discover import SKIPPED_DIRS, YAML_EXTENSIONS, looks_like_input

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable


def _key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def find_inputs(root: str) -> list[str]:
    """Every templategen input under `root` (as lint's directory walk finds them), sorted."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            path = os.path.normpath(os.path.join(dirpath, name))
            if name.lower().endswith(YAML_EXTENSIONS) and looks_like_input(path):
                found.append(path)
    return found


def affected_inputs(
    changed: Iterable[str], output_dir: str | None, fmt: str, snippet: bool, root: str = "."
) -> list[str]:
    """The inputs under `root` that are among `changed` or write one of them, in walk order."""
    wanted = {_key(path) for path in changed}
    candidates = find_inputs(root)
    known = {_key(path) for path in candidates}
    # A changed input outside the walk (in a folder the walk skips) still counts; a deleted one does not.
    candidates += [
        path
        for path in changed
        if path.lower().endswith(YAML_EXTENSIONS)
        and _key(path) not in known
        and os.path.isfile(path)
        and looks_like_input(path)
    ]
    affected: list[str] = []
    for path in candidates:
        is_changed = _key(path) in wanted
        try:
            loaded = load_input(path)
        except InputProblems:
            if is_changed:
                affected.append(path)
            continue
        if snippet and not isinstance(loaded.model, ExtensionInput):
            continue
        if is_changed:
            affected.append(path)
            continue
        try:
            outputs = render_outputs(loaded, output_dir, fmt, snippet)
        except GenerateError:
            continue
        if any(_key(output.path) in wanted for output in outputs):
            affected.append(path)
    return affected
