"""Helpers for the extension rule tests: run the real CLI, read expectations written in fixtures.

A fixture says what it expects in comments (ARM JSON files may hold `//` comments, as Resource
Manager accepts them; Bicep has its own):

    // expect: TG505 error at "6.36458E+17"
    "commandStartTimeUTCTicks": "6.36458E+17",

means one TG505 finding at error level on the next line that is not a comment, at the column where
the text after `at ` starts on that line. `x2` after the severity expects it twice (several problems
of one value). The expectation is written by hand next to the construct, so the test does not take
its expected positions from the code under test.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections import Counter
from pathlib import Path

from templategen.cli import main

NOW = "2026-01-01T00:00:00Z"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extension"

_EXPECT = re.compile(r"//\s*expect:\s*(TG\d{3})\s+(error|warning|info)(?:\s+x(\d+))?\s+at\s+(.+?)\s*$")

Finding = tuple[str, str, int, int]


def run_lint(*args: str) -> tuple[int, dict[str, object]]:
    """`templategen lint --isolated --format json --now NOW ARGS`: (exit code, parsed report)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["lint", "--isolated", "--format", "json", "--now", NOW, *args])
    return code, json.loads(out.getvalue())


def run_text(*args: str) -> tuple[int, str]:
    """The text report, as a user sees it (no colour)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["lint", "--isolated", "--color", "never", "--now", NOW, *args])
    return code, out.getvalue()


def diagnostics(report: dict[str, object]) -> list[dict[str, object]]:
    found = report["diagnostics"]
    assert isinstance(found, list)
    return found


def findings(report: dict[str, object], prefix: str = "TG5") -> Counter[Finding]:
    """(rule, severity, line, column) of the findings whose rule id starts with `prefix`."""
    return Counter(
        (str(d["rule"]), str(d["severity"]), int(str(d["line"])), int(str(d["column"])))
        for d in diagnostics(report)
        if str(d["rule"]).startswith(prefix)
    )


def expectations(path: Path) -> Counter[Finding]:
    """The findings a fixture's `// expect:` comments announce."""
    lines = path.read_text(encoding="utf-8").splitlines()
    expected: Counter[Finding] = Counter()
    pending: list[tuple[str, str, int, str, int]] = []
    for number, line in enumerate(lines, start=1):
        match = _EXPECT.search(line)
        if match is not None:
            rule, severity, times, token = match.groups()
            pending.append((rule, severity, int(times or 1), token, number))
            continue
        if line.strip().startswith("//") or not pending:
            continue
        for rule, severity, times, token, marker_line in pending:
            column = line.find(token)
            assert column >= 0, f"{path.name}:{marker_line}: {token!r} is not on line {number}"
            expected[(rule, severity, number, column + 1)] += times
        pending = []
    assert not pending, f"{path.name}: an expect comment at the end of the file"
    return expected
