"""Problems found in a YAML input, each printed as one line a user (or an editor) can jump to.

Format: `file:line:col: error: message (schema path #/...; expected ...)`. The schema path names the
rule in `schemas/` that failed, so a reader can look it up; "expected" says what would have passed.
"""

from __future__ import annotations

from templategen.diagnostics import ERROR, WARNING, Location
from templategen.redact import redact_text


class Problem:
    """One error or warning about an input file."""

    __slots__ = ("expected", "location", "message", "schema_path", "severity")

    def __init__(
        self,
        message: str,
        location: Location,
        *,
        severity: str = ERROR,
        schema_path: str = "",
        expected: str = "",
    ) -> None:
        self.message = message
        self.location = location
        self.severity = severity
        self.schema_path = schema_path
        self.expected = expected

    def format(self) -> str:
        """The one-line rendering, with secrets (SAS signatures, keys) masked."""
        extras = []
        if self.schema_path:
            extras.append(f"schema path {self.schema_path}")
        if self.expected:
            extras.append(f"expected {self.expected}")
        line = f"{self.location}: {self.severity}: {self.message}"
        if extras:
            line += f" ({'; '.join(extras)})"
        return redact_text(line.replace("\n", " "))

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.column, self.message)

    def __repr__(self) -> str:
        return f"Problem({self.format()!r})"


class InputProblems(Exception):
    """Raised when an input cannot be used; carries every error found (and any warnings)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=Problem.sort_key)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def warning(message: str, location: Location) -> Problem:
    return Problem(message, location, severity=WARNING)
