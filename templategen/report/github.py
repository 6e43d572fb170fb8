"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

    ::error file=t/vm.json,line=12,col=17,endLine=12,endColumn=29,title=TG401 hardcoded-location::…

Severities map to `error`, `warning` and `notice`. Property values escape `%`, CR, LF, `:` and `,`
(the runner splits properties on them); the message escapes `%`, CR and LF, so a multi-line message
stays one command. Paths are relative to the base folder (the checkout), which is how the runner
matches them to the diff. `col` and `endColumn` are only given for single-line spans, the only ones
GitHub draws with columns. The summary line at the end is plain log text.
"""

from __future__ import annotations

import os

from templategen.redact import redact_text
from templategen.report.options import summary_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.lint.result import LintResult
    from templategen.report.options import RenderOptions

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message: `%`, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as a message, plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: LintResult, options: RenderOptions) -> str:
    """One workflow command per finding, then the summary line."""
    lines = []
    for diagnostic in result.sorted_diagnostics():
        loc = diagnostic.location
        properties = [("file", _relative(loc.path, options.base_dir))]
        if loc.line >= 1:
            properties.append(("line", str(loc.line)))
            single_line = loc.end_line <= loc.line
            if loc.column >= 1 and single_line:
                properties.append(("col", str(loc.column)))
            properties.append(("endLine", str(max(loc.end_line, loc.line))))
            if loc.column >= 1 and single_line and loc.end_column > loc.column:
                properties.append(("endColumn", str(loc.end_column)))
        properties.append(("title", f"{diagnostic.rule_id} {diagnostic.rule_name}"))
        rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
        command = _COMMAND.get(diagnostic.severity, "warning")
        lines.append(f"::{command} {rendered}::{escape_data(redact_text(diagnostic.message))}")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def _relative(path: str, base: str) -> str:
    full = os.path.abspath(path)
    try:
        relative = os.path.relpath(full, base)
    except ValueError:
        return path.replace(os.sep, "/")
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return full.replace(os.sep, "/")
    return relative.replace(os.sep, "/")
