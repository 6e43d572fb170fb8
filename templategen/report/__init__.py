"""Reports: turn a `LintResult` into text for people, JSON, SARIF, JUnit or GitHub annotations.

`render(result, fmt, options)` is the only entry point the linter needs. Each format lives in its own
module, imported when it is asked for, so a plain `templategen lint` never loads the XML or SARIF
code. All formats show the same findings in the same order (file, line, column, rule) and are
deterministic: the same result and options give the same string.

Secrets: messages are redacted by the rules that build them and again here (`redact_text`); the text
format prints source lines, which are redacted too, and a `source_line` callable can hide whole lines
(see `RenderOptions` and `templategen.report.source.HIDDEN`).
"""

from __future__ import annotations

import sys

from templategen.report.options import RenderOptions, color_wanted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.lint.result import LintResult

__all__ = ["FORMATS", "RenderOptions", "color_wanted", "render"]

#: Output format name -> "module:function" rendering it.
_RENDERERS = {
    "text": "text:render_text",
    "json": "json:render_json",
    "sarif": "sarif:render_sarif",
    "junit": "junit:render_junit",
    "github": "github:render_github",
}

#: The values `--format` accepts, in the order help texts list them.
FORMATS = tuple(_RENDERERS)


def render(result: LintResult, fmt: str = "text", options: RenderOptions | None = None) -> str:
    """Render `result` in format `fmt` (one of `FORMATS`); raise ValueError for an unknown format."""
    target = _RENDERERS.get(fmt)
    if target is None:
        raise ValueError(f"unknown output format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module_name, function_name = target.split(":")
    # __import__ rather than importlib.import_module: importing importlib (and warnings with it)
    # costs a one-file lint more than rendering its report.
    full_name = f"templategen.report.{module_name}"
    __import__(full_name)
    renderer = getattr(sys.modules[full_name], function_name)
    text: str = renderer(result, options if options is not None else RenderOptions())
    return text
