"""Which files one input produces, what they are called, and what they contain.

Naming (documented in the README): for an input `DIR/NAME.yaml` the outputs go next to it, or into
`-o OUTDIR`, as

    NAME.json             ARM template                    (--format arm or both)
    NAME.bicep            Bicep file                      (--format bicep or both)
    NAME.parameters.json  deployment parameters file      (always; serves both formats)
    NAME.snippet.json     extension child resource (JSON) (--snippet, --format arm or both)
    NAME.snippet.bicep    extension nested resource       (--snippet, --format bicep or both)

Everything is rendered in memory first, so a failure never leaves a partial set of files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from templategen.generate import backup, extension
from templategen.generate.armjson import dumps
from templategen.generate.bicep import render
from templategen.inputs.loader import LoadedInput
from templategen.inputs.model import BackupInput, ExtensionInput

FORMATS = ("arm", "bicep", "both")


class GenerateError(Exception):
    """A request that cannot be carried out (e.g. --snippet for a kind that has no snippet)."""


@dataclass(frozen=True)
class OutputFile:
    path: str
    content: str
    role: str  # "template" | "bicep" | "parameters" | "snippet" | "bicep-snippet"


def stem(input_path: str) -> str:
    name = os.path.basename(input_path)
    for suffix in (".yaml", ".yml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def render_outputs(loaded: LoadedInput, out_dir: str | None, fmt: str, snippet: bool) -> list[OutputFile]:
    """Every output file of one input, rendered in memory, in a fixed order."""
    if fmt not in FORMATS:
        raise GenerateError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    folder = out_dir if out_dir is not None else os.path.dirname(loaded.path)
    base = os.path.join(folder, stem(loaded.path))
    arm = fmt in ("arm", "both")
    bicep = fmt in ("bicep", "both")
    model = loaded.model
    files: list[OutputFile] = []
    if snippet:
        if not isinstance(model, ExtensionInput):
            raise GenerateError(
                f"{loaded.path}: --snippet applies to kind vmsnapshot-extension only "
                f"(this input is {loaded.kind})"
            )
        if arm:
            files.append(OutputFile(base + ".snippet.json", dumps(extension.build_snippet(model)), "snippet"))
        if bicep:
            text = render("vmsnapshot-extension.snippet.bicep.j2", **extension.bicep_context(model))
            files.append(OutputFile(base + ".snippet.bicep", text, "bicep-snippet"))
        return files
    if isinstance(model, ExtensionInput):
        if arm:
            files.append(OutputFile(base + ".json", dumps(extension.build_template(model)), "template"))
        if bicep:
            text = render("vmsnapshot-extension.bicep.j2", **extension.bicep_context(model))
            files.append(OutputFile(base + ".bicep", text, "bicep"))
        files.append(
            OutputFile(base + ".parameters.json", dumps(extension.build_parameters(model)), "parameters")
        )
    else:
        assert isinstance(model, BackupInput)
        if arm:
            files.append(OutputFile(base + ".json", dumps(backup.build_template(model)), "template"))
        if bicep:
            text = render("recovery-services-backup-vms.bicep.j2", **backup.bicep_context(model))
            files.append(OutputFile(base + ".bicep", text, "bicep"))
        files.append(
            OutputFile(base + ".parameters.json", dumps(backup.build_parameters(model)), "parameters")
        )
    return files
