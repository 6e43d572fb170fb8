"""`azure.*` is loaded by `templategen deploy` only when it talks to Azure, never by lint or generate.

Importing the SDK costs about half a second (../shared/SDK.md §2); `templategen lint` runs on every
commit through pre-commit. Each check runs the real CLI in a fresh interpreter and reads `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from templategen.deploy.errors import EXIT_NOT_AUTHORIZED
from tests.deploy.conftest import TEMPLATE

REPO = Path(__file__).resolve().parents[2]

# Runs the CLI with the given arguments, then prints every azure module that got imported.
PROBE = """
import importlib, pkgutil, sys
import templategen.deploy
for info in pkgutil.iter_modules(templategen.deploy.__path__):
    importlib.import_module("templategen.deploy." + info.name)
importlib.import_module("templategen.commands.deploy")
from templategen.cli import main
code = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m == "azure" or m.startswith("azure."))
print("AZURE-MODULES:" + ",".join(loaded))
sys.exit(code)
"""


def _azure_modules(*args: str) -> tuple[int, list[str], str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    marker = [line for line in proc.stdout.splitlines() if line.startswith("AZURE-MODULES:")]
    assert marker, proc.stdout + proc.stderr
    listed = marker[-1].removeprefix("AZURE-MODULES:")
    return proc.returncode, [m for m in listed.split(",") if m], proc.stdout + proc.stderr


def test_deploy_modules_and_help_do_not_import_azure() -> None:
    code, loaded, output = _azure_modules("deploy", "--help")
    assert code == 0, output
    assert "Exit codes:" in output
    assert loaded == []


def test_deploy_imports_azure_when_it_runs(tmp_path: Path) -> None:
    # The probe is meaningful only if it sees azure when azure is loaded. A usage error is refused
    # before the SDK is touched; a real attempt loads it (and fails at sign-in: nobody is signed in).
    template = tmp_path / "t.json"
    template.write_text(json.dumps(TEMPLATE), encoding="utf-8")
    code, loaded, output = _azure_modules(
        "deploy", str(template), "-g", "rg", "--no-lint", "--subscription", "not-a-guid"
    )
    assert code == 2, output
    assert loaded == []  # refused before anything is built: still no azure
    code, loaded, output = _azure_modules(
        "deploy",
        str(template),
        "-g",
        "rg",
        "--no-lint",
        "--subscription",
        "00000000-0000-0000-0000-000000000000",
    )
    assert code == EXIT_NOT_AUTHORIZED, output
    assert "azure.mgmt.resource.deployments" in loaded and "azure.identity" in loaded, output


@pytest.mark.parametrize("command", ["lint", "generate"])
def test_lint_and_generate_do_not_import_azure(command: str, tmp_path: Path) -> None:
    if command == "lint":
        template = tmp_path / "azuredeploy.json"
        template.write_text(json.dumps(TEMPLATE), encoding="utf-8")
        args = ["lint", str(template)]
        accepted: tuple[int, ...] = (0, 1)
    else:
        inputs = sorted((REPO / "examples").glob("*.yaml"))
        assert inputs, "examples/ holds the YAML inputs"
        args = ["generate", str(inputs[0]), "-o", str(tmp_path)]
        accepted = (0,)
    code, loaded, output = _azure_modules(*args)
    assert code in accepted, output
    assert loaded == []
