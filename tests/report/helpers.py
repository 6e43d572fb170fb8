"""Small builders shared by the report tests."""

from __future__ import annotations

from templategen.diagnostics import Diagnostic, Location
from templategen.lint.result import LintResult

NAMES = {
    "TG001": "unreadable-file",
    "TG102": "unknown-function",
    "TG201": "no-unused-parameter",
    "TG401": "no-hardcoded-location",
    "TG402": "no-sas-signature",
    "TG501": "vmsnapshot-publisher",
}


def diag(
    rule_id: str,
    severity: str,
    path: str,
    line: int,
    column: int,
    end_line: int | None = None,
    end_column: int | None = None,
    message: str = "something is wrong",
    pointer: str = "",
) -> Diagnostic:
    location = Location(path, line, column, end_line, end_column, pointer)
    return Diagnostic(rule_id, NAMES.get(rule_id, "some-rule"), severity, message, location)


def result(
    diagnostics: list[Diagnostic],
    files: list[str] | None = None,
    skipped: list[tuple[str, str]] | None = None,
    fail_level: str = "error",
) -> LintResult:
    checked = files if files is not None else sorted({d.location.path for d in diagnostics})
    return LintResult(diagnostics, checked, skipped or [], fail_level)


def source_view(output: str, header: str) -> tuple[str, int, int]:
    """For the finding whose header line starts with `header`: the printed source text, the cell
    where the caret starts, and the caret's width (counting `^` and `~`)."""
    lines = output.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(header))
    source, caret = lines[index + 1], lines[index + 2]
    gutter = source.index("|") + 2  # " 12 | " -> text starts after "| "
    assert caret.index("|") + 2 == gutter, (source, caret)
    marker = caret[gutter:]
    start = len(marker) - len(marker.lstrip(" "))
    width = len(marker.strip())
    assert set(marker.strip()) <= {"^", "~"} and marker.strip().startswith("^"), caret
    return source[gutter:], start, width
