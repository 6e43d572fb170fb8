"""How a report is rendered: the options every format reads, the colour decision, the summary line.

Kept apart from the formatters so the linter can build options without importing any of them.
"""

from __future__ import annotations

import os

from templategen import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import TextIO

    from templategen.lint.result import LintResult
    from templategen.rules.base import Rule

    SourceLine = Callable[[str, int], str | None]

TOOL_NAME = "templategen"


class RenderOptions:
    """What a formatter needs besides the result.

    color        emit ANSI colours (text format only); decide it with `color_wanted(stream)`
    source_line  `source_line(path, line) -> str | None`: the text of a 1-based source line, for the
                 caret display of the text format. The linter has every file's text in memory, so
                 nothing is read again. Return None when there is nothing to show, or
                 `templategen.report.source.HIDDEN` for a line that must not be printed at all (a
                 protectedSettings value, a secure parameter's value). Lines that are printed still
                 go through `templategen.redact.redact_text`. `SourceLines` builds such a callable.
    rules        the Rule instances of the run, for SARIF's rule metadata (`tool.driver.rules`)
    base_dir     folder that SARIF artifact URIs (`%SRCROOT%`) and GitHub annotation paths are
                 relative to; default: the current folder
    max_width    source lines wider than this many terminal cells are trimmed around the column
    show_source  print the source line and caret under each finding (text format)
    show_summary end the text report with the summary line (`lint -q` turns it off)
    """

    __slots__ = (
        "base_dir",
        "color",
        "max_width",
        "rules",
        "show_source",
        "show_summary",
        "source_line",
        "tool_version",
    )

    def __init__(
        self,
        *,
        color: bool = False,
        source_line: SourceLine | None = None,
        rules: Sequence[Rule] = (),
        base_dir: str | None = None,
        max_width: int = 120,
        show_source: bool = True,
        show_summary: bool = True,
        tool_version: str = __version__,
    ) -> None:
        self.color = color
        self.source_line = source_line
        self.rules = tuple(rules)
        self.base_dir = os.path.abspath(base_dir if base_dir is not None else os.getcwd())
        self.max_width = max(20, max_width)
        self.show_source = show_source
        self.show_summary = show_summary
        self.tool_version = tool_version


def color_wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour output written to `stream`.

    The same order as CPython's own colouring: a non-empty `NO_COLOR` always wins (no-color.org);
    then a non-empty `FORCE_COLOR` forces colour, even into a pipe (CI logs that render ANSI);
    then `TERM=dumb` disables it; otherwise colour only when `stream` is a terminal.
    """
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed stream
        return False


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 file`, `2 files`; `many` for irregular plurals (`0 info` stays `info`)."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many if many is not None else word + 's'}"


def summary_line(result: LintResult) -> str:
    """One sentence for humans: findings per severity, files checked and skipped.

    Shared by the text and GitHub formats so a log and a terminal say the same thing.
    """
    counts = result.counts()
    total = sum(counts.values())
    files = plural(len(result.files_checked), "file")
    skipped = f", {plural(len(result.files_skipped), 'file')} skipped" if result.files_skipped else ""
    if total == 0:
        return f"No findings in {files} checked{skipped}."
    by_severity = ", ".join(
        [
            plural(counts.get("error", 0), "error"),
            plural(counts.get("warning", 0), "warning"),
            plural(counts.get("info", 0), "info", "info"),
        ]
    )
    with_findings = len({d.location.path for d in result.diagnostics})
    return f"Found {plural(total, 'finding')} ({by_severity}) in {with_findings} of {files} checked{skipped}."
