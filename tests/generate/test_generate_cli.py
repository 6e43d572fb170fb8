"""`templategen generate` and `templategen schema` end to end: naming, formats, byte-stable output,
--check, warnings, and the promises about secrets and expressions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.generate.conftest import EXAMPLES, load_json, run_cli, snapshot, write_input

EXTENSION = """\
kind: vmsnapshot-extension
os: windows
vm:
  name: myVM
settings:
  taskId: e07354cf-041e-4370-929f-25a319ce8933_1
  commandStartTime: "2017-11-09T04:53:20Z"
"""


def example_inputs() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


def test_committed_examples_are_fresh() -> None:
    result = run_cli("generate", "--check", "--format", "both", *map(str, example_inputs()))
    assert result.code == 0, result.stdout + result.stderr
    snippets = [str(p) for p in example_inputs() if p.name.startswith("vmsnapshot-")]
    result = run_cli("generate", "--check", "--snippet", "--format", "both", *snippets)
    assert result.code == 0, result.stdout + result.stderr


def test_output_is_byte_stable_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONHASHSEED=seed)
        args = [sys.executable, "-m", "templategen", "generate", "--format", "both", "-o", str(out)]
        subprocess.run(args + [str(p) for p in example_inputs()], check=True, env=env, capture_output=True)
        outputs.append(snapshot(out))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 3 * len(example_inputs())
    # And equal to the committed files, byte for byte.
    for name, data in outputs[0].items():
        assert (EXAMPLES / name).read_bytes() == data, name


@pytest.mark.parametrize(
    ("fmt", "suffixes"),
    [
        ("arm", {".json", ".parameters.json"}),
        ("bicep", {".bicep", ".parameters.json"}),
        ("both", {".json", ".bicep", ".parameters.json"}),
    ],
)
def test_naming_next_to_the_input(tmp_path: Path, fmt: str, suffixes: set[str]) -> None:
    path = write_input(tmp_path, "web.yaml", EXTENSION)
    result = run_cli("generate", str(path), "--format", fmt)
    assert result.code == 0, result
    produced = {p.name[len("web") :] for p in tmp_path.iterdir() if p.name != "web.yaml"}
    assert produced == suffixes
    assert result.stdout.splitlines() == [f"wrote {tmp_path / ('web' + s)}" for s in _order(suffixes)]


def _order(suffixes: set[str]) -> list[str]:
    return [s for s in (".json", ".bicep", ".parameters.json") if s in suffixes]


def test_output_dir_is_created_and_snippets_are_named(tmp_path: Path) -> None:
    path = write_input(tmp_path, "vm.yml", EXTENSION)
    out = tmp_path / "nested" / "out"
    result = run_cli("generate", str(path), "--snippet", "--format", "both", "-o", str(out))
    assert result.code == 0, result
    assert sorted(p.name for p in out.iterdir()) == ["vm.snippet.bicep", "vm.snippet.json"]
    snippet = load_json(out / "vm.snippet.json")
    assert snippet["type"] == "extensions" and snippet["name"] == "VMSnapshot"
    assert snippet["dependsOn"] == ["[resourceId('Microsoft.Compute/virtualMachines', 'myVM')]"]


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    path = write_input(tmp_path, "vm.yaml", EXTENSION)
    assert run_cli("generate", str(path)).code == 0
    template = tmp_path / "vm.json"
    stamp = template.stat().st_mtime_ns
    os.utime(template, ns=(stamp - 10**9, stamp - 10**9))
    result = run_cli("generate", str(path))
    assert result.code == 0
    assert result.stdout == ""
    assert "0 file(s) written, 2 unchanged" in result.stderr
    assert template.stat().st_mtime_ns == stamp - 10**9


def test_check_reports_stale_and_missing_files_and_writes_nothing(tmp_path: Path) -> None:
    for name in ("backup-vms-quickstart.yaml", "backup-vms-quickstart.json", "backup-vms-quickstart.bicep"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    path = tmp_path / "backup-vms-quickstart.yaml"
    bicep = tmp_path / "backup-vms-quickstart.bicep"
    bicep.write_text(
        bicep.read_text().replace("param isNewVault bool = false", "param isNewVault bool = true")
    )
    before = snapshot(tmp_path)
    result = run_cli("generate", "--check", "--format", "both", str(path))
    assert result.code == 1
    assert snapshot(tmp_path) == before
    out = result.stdout
    assert f"--- {bicep} (on disk)\n+++ {bicep} (generated)\n" in out
    assert "\n-param isNewVault bool = true\n+param isNewVault bool = false\n" in out
    # The parameters file does not exist: its diff starts from /dev/null.
    assert f"--- /dev/null\n+++ {tmp_path / 'backup-vms-quickstart.parameters.json'} (generated)\n" in out
    assert "2 of 3 generated file(s) are stale" in result.stderr
    # After generating, --check passes.
    assert run_cli("generate", "--format", "both", str(path)).code == 0
    fresh = run_cli("generate", "--check", "--format", "both", str(path))
    assert fresh.code == 0 and fresh.stdout == ""


def test_legacy_publisher_is_accepted_with_a_warning(tmp_path: Path) -> None:
    path = write_input(tmp_path, "vm.yaml", EXTENSION + "publisher: Microsoft.RecoveryServices\n")
    result = run_cli("generate", str(path))
    assert result.code == 0
    warning = [line for line in result.err_lines if ": warning: " in line]
    assert len(warning) == 1
    assert warning[0].startswith(f"{path}:8:12: warning: publisher 'Microsoft.RecoveryServices'")
    # Both sources are named, and what is generated instead.
    for phrase in (
        "2018 VMSnapshot extension document",
        "official ARM schema",
        "'Microsoft.Azure.RecoveryServices'",
    ):
        assert phrase in warning[0]
    properties = load_json(tmp_path / "vm.json")["resources"][0]["properties"]
    assert properties["publisher"] == "Microsoft.Azure.RecoveryServices"


def test_unknown_api_version_override_is_a_warning(tmp_path: Path) -> None:
    text = EXTENSION + "apiVersions:\n  Microsoft.Compute/virtualMachines/extensions: 2031-01-01\n"
    path = write_input(tmp_path, "vm.yaml", text)
    result = run_cli("generate", str(path))
    assert result.code == 0
    assert any(
        "2031-01-01" in line and ": warning: " in line and ":9:49:" in line for line in result.err_lines
    )
    assert load_json(tmp_path / "vm.json")["resources"][0]["apiVersion"] == "2031-01-01"


def test_default_api_versions_are_the_catalogues_newest_stable() -> None:
    from templategen.arm import apiversions

    for name in ("backup-vms-quickstart.json", "vmsnapshot-windows.json"):
        for resource in load_json(EXAMPLES / name)["resources"]:
            assert resource["apiVersion"] == apiversions.newest_stable(resource["type"])


def _walk_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _walk_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _walk_strings(v)]
    return []


def test_protected_settings_only_from_secure_parameters() -> None:
    for path in sorted(EXAMPLES.glob("vmsnapshot-*.json")):
        if path.name.endswith(".parameters.json"):
            continue
        data = load_json(path)
        resource = data if "type" in data and data["type"] == "extensions" else data["resources"][0]
        protected = resource["properties"]["protectedSettings"]
        references = [protected] if isinstance(protected, str) else list(protected.values())
        assert references, path.name
        for reference in references:
            assert reference.startswith("[parameters('") and reference.endswith("')]"), (path.name, reference)
            name = reference[len("[parameters('") : -len("')]")]
            if "parameters" in data:
                assert data["parameters"][name]["type"] in ("secureObject", "securestring")
                assert "defaultValue" not in data["parameters"][name]
    for path in sorted(EXAMPLES.glob("vmsnapshot-*.parameters.json")):
        for name, entry in load_json(path)["parameters"].items():
            if name in ("objectStr", "logsBlobUri", "statusBlobUri", "protectedSettings"):
                assert set(entry) == {"reference"}, f"{path.name}: {name} must be a Key Vault reference"


def test_literal_brackets_are_escaped_in_arm_and_kept_in_bicep(tmp_path: Path) -> None:
    text = EXTENSION + 'tags:\n  note: "[not an expression]"\n  other: "[half"\n'
    path = write_input(tmp_path, "vm.yaml", text)
    assert run_cli("generate", str(path), "--format", "both").code == 0
    tags = load_json(tmp_path / "vm.json")["resources"][0]["tags"]
    assert tags == {"note": "[[not an expression]", "other": "[half"}
    assert "note: '[not an expression]'" in (tmp_path / "vm.bicep").read_text()


def test_help_does_not_import_heavy_packages() -> None:
    code = (
        "import sys\n"
        "from templategen.commands import generate, schema\n"
        "from templategen.commands import cli\n"
        "names = ('jinja2', 'jsonschema', 'yaml', 'referencing', 'tree_sitter')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO))
    )
    for command in ("generate", "schema"):
        result = run_cli(command, "--help")
        assert result.code == 0 and result.stdout.startswith(f"Usage: templategen {command}")


def test_schema_command_lists_prints_and_locates() -> None:
    listing = run_cli("schema")
    assert listing.code == 0
    names = [line.split()[0] for line in listing.stdout.splitlines()]
    assert "input-vmsnapshot-extension" in names and "vmsnapshot-settings" in names
    printed = run_cli("schema", "vmsnapshot-settings")
    assert printed.code == 0
    assert printed.stdout == (REPO / "schemas" / "vmsnapshot-settings.schema.json").read_text()
    located = run_cli("schema", "--path", "input-recovery-services-backup-vms.schema.json")
    assert Path(located.stdout.strip()) == REPO / "schemas" / "input-recovery-services-backup-vms.schema.json"
    unknown = run_cli("schema", "nope")
    assert unknown.code == 2
    assert unknown.stderr.startswith("templategen: error: unknown schema 'nope'")


def test_two_inputs_writing_the_same_file_is_refused(tmp_path: Path) -> None:
    first = tmp_path / "a"
    second = tmp_path / "b"
    first.mkdir()
    second.mkdir()
    one = write_input(first, "vm.yaml", EXTENSION)
    two = write_input(second, "vm.yaml", EXTENSION)
    before = snapshot(tmp_path)
    result = run_cli("generate", str(one), str(two), "-o", str(tmp_path / "out"))
    assert result.code == 2
    assert f"{one} and {two} would both write {tmp_path / 'out' / 'vm.json'}" in result.stderr
    assert snapshot(tmp_path) == before
