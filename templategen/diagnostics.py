"""Findings and where they point.

Kept free of `typing`, `dataclasses` and `enum` at run time on purpose: this module is on the start-up
path of `templategen lint`, which pre-commit runs on every commit, and those imports cost several
milliseconds each on a cold interpreter. Types are still checked by mypy through annotations.
"""

from __future__ import annotations

ERROR = "error"
WARNING = "warning"
INFO = "info"

#: Severities from least to most serious; the index is the rank used by `--fail-level`.
SEVERITIES = (INFO, WARNING, ERROR)
_RANK = {INFO: 1, WARNING: 2, ERROR: 3}


def severity_rank(severity: str) -> int:
    """Return 1 (info), 2 (warning) or 3 (error); raise ValueError on anything else."""
    try:
        return _RANK[severity]
    except KeyError:
        raise ValueError(f"unknown severity {severity!r} (expected one of: error, warning, info)") from None


class Location:
    """A span in a source file: 1-based line and column (columns count characters, not bytes).

    `pointer` is the RFC 6901 JSON pointer of the node in the document when there is one (ARM JSON,
    parameter files, YAML inputs), or the pointer of the equivalent node in the template model for
    Bicep files. `end_line`/`end_column` are exclusive and may equal the start for a point.
    """

    __slots__ = ("column", "end_column", "end_line", "line", "path", "pointer")

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        end_line: int | None = None,
        end_column: int | None = None,
        pointer: str = "",
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.end_line = line if end_line is None else end_line
        self.end_column = column if end_column is None else end_column
        self.pointer = pointer

    def __repr__(self) -> str:
        return f"Location({self.path!r}, {self.line}, {self.column}, pointer={self.pointer!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Location):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[str, int, int, int, int, str]:
        return (self.path, self.line, self.column, self.end_line, self.end_column, self.pointer)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Diagnostic:
    """One finding: which rule, how serious, what is wrong and where.

    `message` must already be safe to print: rules redact secrets (SAS signatures, protected
    settings, secure parameter values) before building it; see `templategen.redact`. It is kept on
    one line (`one_line`): messages quote text from the file, which may hold line breaks.
    """

    __slots__ = ("location", "message", "rule_id", "rule_name", "severity")

    def __init__(self, rule_id: str, rule_name: str, severity: str, message: str, location: Location) -> None:
        self.rule_id = rule_id
        self.rule_name = rule_name
        self.severity = severity
        self.message = one_line(message)
        self.location = location

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule_id, self.message)

    def __repr__(self) -> str:
        return f"Diagnostic({self.rule_id} {self.severity} {self.location} {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return (self.rule_id, self.severity, self.message, self.location) == (
            other.rule_id,
            other.severity,
            other.message,
            other.location,
        )

    def __hash__(self) -> int:
        return hash((self.rule_id, self.severity, self.message, self.location))

    def to_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "rule": self.rule_id,
            "name": self.rule_name,
            "severity": self.severity,
            "message": self.message,
            "path": loc.path,
            "line": loc.line,
            "column": loc.column,
            "endLine": loc.end_line,
            "endColumn": loc.end_column,
            "pointer": loc.pointer,
        }


class InputError(Exception):
    """Input that cannot be used at all (exit code 2): unreadable file, not JSON/YAML/Bicep, bad option.

    `location` is given whenever the problem has a position, so the CLI prints `file:line:col: message`
    on one line and never a traceback.
    """

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


#: What `str.splitlines` splits at.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def one_line(message: str) -> str:
    """`message` with every line break written as an escape (`\\n`, `\\u2028`).

    Messages quote names and text from the file being read, and a finding must stay one line:
    editors jump to `file:line:col: message`, CI logs are read line by line.
    """
    if not any(ch in _LINE_BREAKS for ch in message):
        return message
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if ch in _LINE_BREAKS else ch for ch in message
    )


# Exit codes shared by every command (DESIGN.md); deploy adds its own above these (see templategen.deploy).
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
