"""What the rule tests share: run the real CLI on a file, and find where a finding should point.

A case derives a failing file from a passing fixture by one textual change (`old` → `new`), so each
row of a test table shows the defect it plants. The expected position is marked in `marker` with
`^`: the marker, without the caret, is searched in the changed text, and the caret's line and
column (1-based, in characters) are where the finding must point. Positions are therefore computed
from the fixture's text, never copied from the linter's output. A fixture `name.bicep` whose modules
sit in a folder `name/` is copied with that folder; a case whose findings are in a module names the
module file with `at=`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from templategen.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


class Case:
    """One planted defect: in `base` (a fixture file), replace every `old` by `new` and expect one
    finding of `rule` at the `^` of each marker (found at its first match in the changed text, or in
    the module file `at`, relative to the fixture folder)."""

    __slots__ = ("at", "base", "markers", "new", "old", "rule", "severity")

    def __init__(
        self, rule: str, severity: str, base: str, old: str, new: str, *markers: str, at: str | None = None
    ) -> None:
        self.at = at
        self.rule = rule
        self.severity = severity
        self.base = base
        self.old = old
        self.new = new
        self.markers = markers

    def __repr__(self) -> str:
        return f"{self.rule}-{self.base}"


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    """`templategen lint --isolated --format json ARGS`: exit code and the findings."""
    capsys.readouterr()
    code = main(["lint", "--isolated", "--format", "json", *args])
    report = json.loads(capsys.readouterr().out)
    return code, list(report["diagnostics"])


def position(text: str, marker: str, occurrence: int = 0) -> tuple[int, int]:
    """(line, column) of the `^` in `marker`, found in `text` (the `occurrence`-th match)."""
    caret = marker.index("^")
    plain = marker.replace("^", "", 1)
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(plain, start + 1)
        assert start >= 0, f"marker {marker!r} not found"
    offset = start + caret
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def plant(case: Case, folder: Path, family: str) -> tuple[Path, str]:
    """Write the fixture with the case's defect into `folder`; return the path and the new text."""
    text = (FIXTURES / family / case.base).read_text(encoding="utf-8")
    assert case.old in text, f"{case.old!r} is not in {case.base}"
    changed = text.replace(case.old, case.new)
    path = folder / case.base
    path.write_text(changed, encoding="utf-8")
    modules = FIXTURES / family / path.stem
    if modules.is_dir():
        shutil.copytree(modules, folder / path.stem, dirs_exist_ok=True)
    return path, changed


def expected_positions(case: Case, text: str) -> list[tuple[int, int]]:
    """Where the case's findings must be: one per marker (a marker given twice: two findings there)."""
    return sorted(position(text, marker) for marker in case.markers)


def check_case(case: Case, folder: Path, family: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Plant the defect, lint with only the case's rule selected, assert rule, severity and positions;
    return the messages."""
    path, text = plant(case, folder, family)
    code, findings = lint(capsys, "--select", case.rule, str(path))
    if case.at is not None:
        text = (folder / case.at).read_text(encoding="utf-8")
        assert {Path(str(f["path"])) for f in findings} == {folder / case.at}
    assert findings, f"{case.rule} found nothing in {case.base} after {case.old!r} -> {case.new!r}"
    assert {f["rule"] for f in findings} == {case.rule}
    assert {f["severity"] for f in findings} == {case.severity}
    got = sorted((int(str(f["line"])), int(str(f["column"]))) for f in findings)
    assert got == expected_positions(case, text), [f["message"] for f in findings]
    assert code == (1 if case.severity == "error" else 0)
    return [str(f["message"]) for f in findings]
