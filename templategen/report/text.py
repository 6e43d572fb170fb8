"""The human report: one header line per finding, the source line, a caret under the column.

    templates/vm.json:12:17: TG401 [warning] Location is hard-coded as 'westeurope'
       12 |     "location": "westeurope",
          |                 ^~~~~~~~~~~~

The header is the `path:line:col:` form editors and terminals turn into links. Colour is only a hint
(severity, caret); the text says everything without it.
"""

from __future__ import annotations

from templategen.report.options import summary_line
from templategen.report.source import HIDDEN, caret_view, printable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.diagnostics import Diagnostic
    from templategen.lint.result import LintResult
    from templategen.report.options import RenderOptions

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_BLUE = "\x1b[34m"
_GREEN = "\x1b[32m"
_SEVERITY_COLOR = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;36m"}


class _Paint:
    """Wraps text in ANSI codes, or returns it unchanged when colour is off."""

    __slots__ = ("on",)

    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.on and text else text


def render_text(result: LintResult, options: RenderOptions) -> str:
    """The whole text report, ending with the summary line and a newline."""
    paint = _Paint(options.color)
    blocks = [_finding(d, options, paint) for d in result.sorted_diagnostics()]
    if not options.show_summary:
        return "\n".join(blocks)
    summary = summary_line(result)
    if result.diagnostics:
        worst = "error" if any(result.fails(d) for d in result.diagnostics) else "warning"
        summary = paint(_SEVERITY_COLOR[worst], summary)
    else:
        summary = paint(_GREEN, summary)
    blocks.append(summary + "\n")
    return "\n".join(blocks)


def _finding(diagnostic: Diagnostic, options: RenderOptions, paint: _Paint) -> str:
    loc = diagnostic.location
    where = f"{loc.path}:{loc.line}:{loc.column}:" if loc.line >= 1 else f"{loc.path}:"
    color = _SEVERITY_COLOR.get(diagnostic.severity, _BOLD)
    header = (
        f"{paint(_BOLD, printable(where))} {paint(color, diagnostic.rule_id)} "
        f"[{paint(color, diagnostic.severity)}] {printable(diagnostic.message)}\n"
    )
    if not options.show_source or options.source_line is None or loc.line < 1:
        return header
    line = options.source_line(loc.path, loc.line)
    if line is None:
        return header
    number = str(loc.line)
    gutter = " " * len(number)
    if line is HIDDEN:
        note = paint(_DIM, "(line hidden: it may hold a secret)")
        return f"{header} {paint(_BLUE, number)} {paint(_BLUE, '|')} {note}\n"
    end_column = loc.end_column if loc.end_line == loc.line else None
    text, caret, width = caret_view(line, loc.column, end_column, options.max_width)
    marker = paint(color, "^" + "~" * (width - 1))
    source = f" {paint(_BLUE, number)} {paint(_BLUE, '|')} {text.rstrip()}\n"
    under = f" {gutter} {paint(_BLUE, '|')} {' ' * caret}{marker}\n"
    return header + source + under
