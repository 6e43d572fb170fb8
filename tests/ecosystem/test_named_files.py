"""What `templategen lint` does with the files pre-commit (or `git diff --name-only`) names explicitly.

pre-commit passes every changed file that matches the hook's pattern, so a repository's CI workflows
and other JSON reach the linter by name. They must be skipped (and listed as skipped), never reported
as broken inputs; a templategen input named the same way is still checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

WORKFLOW = """\
name: ci
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hello
"""

COMPOSE = """\
services:
  web:
    image: nginx
"""

BAD_INPUT = """\
kind: vmsnapshot-extension
os: dos
"""


def lint_json(cwd: Path, *paths: str) -> tuple[int, dict[str, object]]:
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-m", "templategen", "lint", "--isolated", "--format", "json", *paths],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert not done.stderr, done.stderr
    report = json.loads(done.stdout)
    assert isinstance(report, dict)
    return done.returncode, report


def test_named_yaml_that_is_not_an_input_is_skipped(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW, encoding="utf-8")
    (tmp_path / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "x"}\n', encoding="utf-8")
    code, report = lint_json(tmp_path, ".github/workflows/ci.yml", "compose.yaml", "package.json")
    assert code == 0
    assert report["filesChecked"] == []
    skipped = report["filesSkipped"]
    assert isinstance(skipped, list)
    names = [entry["path"] for entry in skipped]
    assert names == [".github/workflows/ci.yml", "compose.yaml", "package.json"]
    assert "not a templategen input" in skipped[0]["reason"]
    assert report["diagnostics"] == []


def test_named_input_is_still_checked(tmp_path: Path) -> None:
    (tmp_path / "ext.yaml").write_text(BAD_INPUT, encoding="utf-8")
    code, report = lint_json(tmp_path, "ext.yaml")
    assert code == 1
    assert report["filesChecked"] == ["ext.yaml"]
    diagnostics = report["diagnostics"]
    assert isinstance(diagnostics, list)
    assert {d["rule"] for d in diagnostics} == {"TG801"}
    assert any("'dos'" in d["message"] for d in diagnostics)


def test_named_example_inputs_are_checked_and_clean() -> None:
    inputs = sorted(str(p.relative_to(REPO)) for p in (REPO / "examples").glob("*.yaml"))
    code, report = lint_json(REPO, *inputs)
    assert code == 0, report["diagnostics"]
    assert report["filesChecked"] == inputs
