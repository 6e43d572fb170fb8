"""What a lint run hands to the reports, and the exit code it ends with.

The linter fills a `LintResult`; every output format (`templategen.report`) reads only this, so the
same run gives the same exit code and the same findings whatever the format. The exit code is derived
from the findings rather than stored, so it cannot drift from what the report shows.
"""

from __future__ import annotations

from templategen.diagnostics import (
    ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    SEVERITIES,
    Diagnostic,
    InputError,
    Location,
    severity_rank,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

#: The finding the linter reports for a file it cannot use at all: unreadable, not UTF-8/UTF-16, not
#: JSON even by Resource Manager's lenient rules, not Bicep. Its presence makes the exit code 2, and
#: configuration can neither switch it off nor lower its severity (see `templategen.selectors`).
INPUT_ERROR_ID = "TG001"
INPUT_ERROR_NAME = "unreadable-file"


def input_error_finding(error: InputError, path: str) -> Diagnostic:
    """Turn an `InputError` raised while reading `path` into the TG001 finding the reports show."""
    location = error.location if error.location is not None else Location(path, 1, 1)
    return Diagnostic(INPUT_ERROR_ID, INPUT_ERROR_NAME, ERROR, error.message, location)


def is_input_error(diagnostic: Diagnostic) -> bool:
    """True for the finding that means "this file could not be used" (exit code 2)."""
    return diagnostic.rule_id == INPUT_ERROR_ID


def exit_code_for(diagnostics: Iterable[Diagnostic], fail_level: str = ERROR) -> int:
    """0 when nothing reaches `fail_level`, 1 when a finding does, 2 when a file was unusable.

    An unusable file wins over ordinary findings: CI must be able to tell "the template is wrong"
    (1) from "the linter could not read it" (2), whatever `--fail-level` says.
    """
    threshold = severity_rank(fail_level)
    code = EXIT_OK
    for diagnostic in diagnostics:
        if is_input_error(diagnostic):
            return EXIT_USAGE
        if severity_rank(diagnostic.severity) >= threshold:
            code = EXIT_FINDINGS
    return code


class LintResult:
    """The outcome of one `templategen lint` run, as the reports need it.

    diagnostics    every finding left after configuration and suppressions, in any order (the reports
                   sort them by file, line, column, rule)
    files_checked  display paths of every file the linter read as a template, parameters file, Bicep
                   file or templategen input, including files that turned out unusable (TG001)
    files_skipped  (display path, reason) of files found in a directory walk but not linted, e.g.
                   "JSON that is neither a template nor a parameters file"
    fail_level     the lowest severity that makes the run fail (`--fail-level`, default "error")
    """

    __slots__ = ("diagnostics", "fail_level", "files_checked", "files_skipped", "source_lines")

    def __init__(
        self,
        diagnostics: Iterable[Diagnostic] = (),
        files_checked: Iterable[str] = (),
        files_skipped: Iterable[tuple[str, str]] = (),
        fail_level: str = ERROR,
    ) -> None:
        severity_rank(fail_level)  # reject a bad level here, not in the middle of a report
        self.diagnostics = list(diagnostics)
        self.files_checked = list(files_checked)
        self.files_skipped = list(files_skipped)
        self.fail_level = fail_level
        #: `(path, line) -> text` for the text report (see templategen.report.source.SourceLines)
        self.source_lines: Callable[[str, int], str | None] | None = None

    @property
    def exit_code(self) -> int:
        """The process exit code for this result (see `exit_code_for`)."""
        return exit_code_for(self.diagnostics, self.fail_level)

    def sorted_diagnostics(self) -> list[Diagnostic]:
        """Findings in report order: file, line, column, rule, message."""
        return sorted(self.diagnostics, key=Diagnostic.sort_key)

    def counts(self) -> dict[str, int]:
        """Number of findings per severity, every severity present (most serious first)."""
        counts = {severity: 0 for severity in reversed(SEVERITIES)}
        for diagnostic in self.diagnostics:
            counts[diagnostic.severity] = counts.get(diagnostic.severity, 0) + 1
        return counts

    def fails(self, diagnostic: Diagnostic) -> bool:
        """True when this finding alone would make the run fail."""
        return is_input_error(diagnostic) or severity_rank(diagnostic.severity) >= severity_rank(
            self.fail_level
        )

    def __repr__(self) -> str:
        return (
            f"LintResult({len(self.diagnostics)} findings, {len(self.files_checked)} files, "
            f"{len(self.files_skipped)} skipped, exit {self.exit_code})"
        )
