"""`templategen generate --check --changed FILE...`: what the pre-commit check hook runs.

The arguments are the files a commit changes. An input is checked when it changed itself or when a
file it writes changed; everything else is left alone, even a broken input elsewhere. Run through
the real CLI on a copy of the committed examples (whose outputs are fresh).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.generate.conftest import EXAMPLES, CliResult, run_cli

BROKEN_INPUT = "kind: vmsnapshot-extension\nos: dos\n"


def copy_examples(tmp_path: Path) -> Path:
    work = tmp_path / "repo"
    shutil.copytree(EXAMPLES, work / "examples")
    (work / "README.md").write_text("# a project\n", encoding="utf-8")
    return work


def check_changed(work: Path, *args: str) -> CliResult:
    return run_cli("generate", "--check", "--changed", *args, cwd=work)


def test_unrelated_changes_check_nothing(tmp_path: Path) -> None:
    work = copy_examples(tmp_path)
    (work / ".github" / "workflows").mkdir(parents=True)
    (work / ".github" / "workflows" / "ci.yml").write_text("on: [push]\njobs: {}\n", encoding="utf-8")
    changed = ["README.md", ".github/workflows/ci.yml", "deleted.yaml", "examples/deleted.json"]
    result = check_changed(work, "--format", "both", *changed)
    assert result.code == 0, result
    assert "no input is affected" in result.stderr


def test_a_changed_input_is_checked(tmp_path: Path) -> None:
    work = copy_examples(tmp_path)
    result = check_changed(work, "--format", "both", "examples/backup-vms-quickstart.yaml")
    assert result.code == 0, result
    assert "3 generated file(s) up to date" in result.stderr

    source = work / "examples" / "backup-vms-quickstart.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("vm-web-02", "vm-web-03"), encoding="utf-8")
    result = check_changed(work, "--format", "both", "examples/backup-vms-quickstart.yaml")
    assert result.code == 1, result
    assert "examples/backup-vms-quickstart.parameters.json (on disk)" in result.stdout
    assert "+" in result.stdout and "vm-web-03" in result.stdout


def test_a_hand_edited_output_checks_its_input(tmp_path: Path) -> None:
    work = copy_examples(tmp_path)
    output = work / "examples" / "vmsnapshot-windows.bicep"
    output.write_text(output.read_text(encoding="utf-8") + "// edited by hand\n", encoding="utf-8")
    result = check_changed(work, "--format", "both", "examples/vmsnapshot-windows.bicep")
    assert result.code == 1, result
    assert "-// edited by hand" in result.stdout
    # With --format arm the .bicep file is not an output, so the edit concerns no input.
    result = check_changed(work, "--format", "arm", "examples/vmsnapshot-windows.bicep")
    assert result.code == 0, result
    assert "no input is affected" in result.stderr


def test_snippet_mode_maps_snippets_and_ignores_kinds_without_one(tmp_path: Path) -> None:
    work = copy_examples(tmp_path)
    snippet = work / "examples" / "vmsnapshot-linux-keyvault.snippet.json"
    snippet.write_text(snippet.read_text(encoding="utf-8").replace('"extensions"', '"ext"'), encoding="utf-8")
    changed = ["examples/vmsnapshot-linux-keyvault.snippet.json", "examples/backup-vms-quickstart.yaml"]
    result = check_changed(work, "--snippet", "--format", "both", *changed)
    assert result.code == 1, result
    assert "vmsnapshot-linux-keyvault.snippet.json (on disk)" in result.stdout
    assert "backup-vms-quickstart" not in result.stdout + result.stderr


def test_outputs_in_an_output_dir_map_back_to_their_input(tmp_path: Path) -> None:
    work = copy_examples(tmp_path)
    built = work / "build"
    generated = run_cli(
        "generate", "--format", "arm", "-o", "build", "examples/vmsnapshot-windows.yaml", cwd=work
    )
    assert generated.code == 0, generated
    assert check_changed(work, "-o", "build", "build/vmsnapshot-windows.json").code == 0
    (built / "vmsnapshot-windows.json").write_text("{}\n", encoding="utf-8")
    result = check_changed(work, "-o", "build", "build/vmsnapshot-windows.json")
    assert result.code == 1, result
    assert "build/vmsnapshot-windows.json (on disk)" in result.stdout


def test_a_broken_input_blocks_only_when_it_changed(tmp_path: Path) -> None:
    work = copy_examples(tmp_path)
    (work / "examples" / "broken.yaml").write_text(BROKEN_INPUT, encoding="utf-8")
    result = check_changed(work, "--format", "both", "examples/vmsnapshot-windows.json")
    assert result.code == 0, result
    result = check_changed(work, "--format", "both", "examples/broken.yaml")
    assert result.code == 2, result
    assert "examples/broken.yaml:2:5: error: value 'dos' is not allowed" in result.stderr
