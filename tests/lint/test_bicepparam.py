"""`.bicepparam` files are not read yet: they are skipped with a reason, and as `-p` they are refused
with a message saying how to get the JSON parameters file, never read as broken JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from templategen.cli import main

TEMPLATE = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "resources": [],
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    template = tmp_path / "main.json"
    template.write_text(json.dumps(TEMPLATE), encoding="utf-8")
    params = tmp_path / "main.bicepparam"
    params.write_text("using 'main.bicep'\n\nparam vaultName = 'rsv-prod'\n", encoding="utf-8")
    return template, params


def test_lint_skips_it_with_its_reason(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, params = files
    code = main(["lint", "--isolated", "--format", "json", str(params)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["diagnostics"] == []
    [(path, reason)] = [(s["path"], s["reason"]) for s in report["filesSkipped"]]
    assert path == str(params) and reason.startswith("a Bicep parameters file (.bicepparam): not read yet")


@pytest.mark.parametrize("command", ["lint", "graph"])
def test_as_parameters_it_is_refused_with_the_way_out(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str], command: str
) -> None:
    template, params = files
    extra = ["--isolated"] if command == "lint" else []
    code = main([command, *extra, str(template), "-p", str(params)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Bicep parameters files are not read yet" in err
    assert f"az bicep build-params --file {params}" in err
    assert "expected a JSON value" not in err
