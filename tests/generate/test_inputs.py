"""YAML reading (positions, YAML 1.2 scalars, safety limits) and the input model (defaults taken from
the schemas, semantic checks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from templategen.inputs.loader import load_input
from templategen.inputs.model import BackupInput, ExtensionInput
from templategen.inputs.problems import InputProblems
from templategen.inputs.schemastore import load_schema
from templategen.inputs.yamlload import YamlProblem, parse_yaml


def test_plain_scalars_follow_yaml_1_2() -> None:
    doc = parse_yaml(
        "a: no\nb: 05:30\nc: 2017-11-09T04:53:20Z\nd: 0o17\ne: 0x1F\n"
        "f: 1.9\ng: ~\nh: True\ni: '1'\nj: !!str 12\n",
        "f",
    )
    assert doc.data == {
        "a": "no",
        "b": "05:30",
        "c": "2017-11-09T04:53:20Z",
        "d": 15,
        "e": 31,
        "f": 1.9,
        "g": None,
        "h": True,
        "i": "1",
        "j": "12",
    }


def test_positions_of_values_and_keys() -> None:
    doc = parse_yaml("top:\n  list:\n    - x\n    - {k/1: v}\n", "in.yaml")
    assert str(doc.locate("/top/list/1/k~11")) == "in.yaml:4:13"
    assert str(doc.locate_key("/top/list/1/k~11")) == "in.yaml:4:8"
    assert str(doc.locate("/top/list/0")) == "in.yaml:3:7"
    # A pointer to something absent falls back to its nearest existing parent.
    assert str(doc.locate("/top/missing/deeper")) == "in.yaml:2:3"
    assert doc.raw("/top/list/0") == "x" and doc.is_plain("/top/list/0")


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ("a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first defined on line 1)", (3, 1)),
        ("a: !!binary aGk=\n", "tag !!binary is not allowed", (1, 4)),
        ("a: !custom x\n", "tag !custom is not allowed", (1, 4)),
        ("a: !!set {x}\n", "tag !!set is not allowed", (1, 4)),
        ("base: &b {x: 1}\nuse:\n  <<: *b\n", "merge keys (<<) are not supported", (3, 3)),
        ("? [a, b]\n: c\n", "mapping keys must be plain strings", (1, 3)),
        ("a: &x [*x]\n", "recursive alias", (1, 4)),
        ("a: 1\n---\nb: 2\n", "YAML syntax error", (2, 1)),
        ("a:\n\tb: 1\n", "YAML syntax error", (2, 1)),
    ],
)
def test_refused_yaml(text: str, message: str, where: tuple[int, int]) -> None:
    with pytest.raises(YamlProblem) as info:
        parse_yaml(text, "f.yaml")
    assert message in info.value.message
    assert (info.value.location.line, info.value.location.column) == where


def test_aliases_within_bounds_are_followed() -> None:
    doc = parse_yaml("days: &d [Monday, Friday]\ncopy: *d\n", "f")
    assert doc.data == {"days": ["Monday", "Friday"], "copy": ["Monday", "Friday"]}


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "input.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


EXT = (
    "kind: vmsnapshot-extension\nos: {os}\n"
    "settings:\n  taskId: e07354cf-041e-4370-929f-25a319ce8933_1\n  {start}\n"
)


def test_extension_defaults_come_from_the_schemas(tmp_path: Path) -> None:
    loaded = load_input(write(tmp_path, EXT.format(os="linux", start='commandStartTimeUTCTicks: "5"')))
    model = loaded.model
    assert isinstance(model, ExtensionInput)
    settings = load_schema("vmsnapshot-settings")["properties"]
    ext = load_schema("vmsnapshot-extension")["$defs"]
    assert model.name == load_schema("vmsnapshot-linux")["properties"]["type"]["const"] == "VMSnapshotLinux"
    assert model.extension_type == "VMSnapshotLinux"
    assert model.type_handler_version == ext["typeHandlerVersion"]["default"]
    assert model.auto_upgrade_minor_version is ext["autoUpgradeMinorVersion"]["default"]
    assert model.publisher == ext["publisher"]["const"]
    assert model.settings["locale"] == settings["locale"]["default"]
    assert model.settings["vmType"] == settings["vmType"]["default"]
    assert model.settings["commandToExecute"] == settings["commandToExecute"]["default"]
    assert model.settings["commandStartTimeUTCTicks"] == "5"
    assert model.protected_source == "parameter"
    assert loaded.warnings == []


def test_windows_extension_name_default(tmp_path: Path) -> None:
    loaded = load_input(
        write(tmp_path, EXT.format(os="windows", start='commandStartTime: "2017-11-09T04:53:20Z"'))
    )
    assert isinstance(loaded.model, ExtensionInput)
    assert loaded.model.name == loaded.model.extension_type == "VMSnapshot"
    assert loaded.model.settings["commandStartTimeUTCTicks"] == "636458000000000000"


@pytest.mark.parametrize(
    ("policy", "days"),
    [
        ("{}", 5),  # Standard, Daily: the quickstart's 5
        ("{frequency: Weekly, runDays: [Monday]}", 5),  # Standard, Weekly: fixed at 5
        ("{tier: Enhanced}", 7),  # Enhanced, Daily
        ("{tier: Enhanced, frequency: Weekly, runDays: [Monday]}", 7),
    ],
)
def test_instant_restore_default_depends_on_tier_and_frequency(
    tmp_path: Path, policy: str, days: int
) -> None:
    text = f"kind: recovery-services-backup-vms\npolicy: {policy}\nvirtualMachines: {{names: [a]}}\n"
    model = load_input(write(tmp_path, text)).model
    assert isinstance(model, BackupInput)
    assert model.instant_restore_days == days


def test_weekly_policy_defaults_weekly_retention_to_the_run_days(tmp_path: Path) -> None:
    text = (
        "kind: recovery-services-backup-vms\npolicy: {frequency: Weekly, runDays: [Tuesday, Friday]}\n"
        "virtualMachines: {names: [a]}\n"
    )
    model = load_input(write(tmp_path, text)).model
    assert isinstance(model, BackupInput)
    assert model.daily is None and model.monthly is None and model.yearly is None
    assert model.weekly is not None and model.weekly.days_of_week == ("Tuesday", "Friday")


@pytest.mark.parametrize(
    ("policy", "message", "line_col"),
    [
        (
            "  frequency: Weekly\n  runDays: [Monday]\n"
            "  retention:\n    daily: {count: 30}\n    weekly: {count: 4}\n",
            "a Weekly policy has no daily retention",
            "8:5",
        ),
        (
            "  frequency: Weekly\n  runDays: [Monday]\n"
            "  retention:\n    weekly: {count: 4, days: [Sunday]}\n",
            "weekly retention days must be the policy's runDays",
            "8:24",
        ),
        (
            "  frequency: Weekly\n  runDays: [Monday]\n  retention:\n    weekly: {count: 4}\n"
            "    monthly: {count: 2, format: Weekly, weeks: [First], weekDays: [Sunday]}\n",
            "monthly retention weekDays Sunday are not backup days of this policy",
            "9:57",
        ),
        (
            "  frequency: Weekly\n  runDays: [Monday]\n  retention:\n    weekly: {count: 4}\n"
            "    monthly: {count: 2, days: [1]}\n",
            "monthly retention of a Weekly policy must use format: Weekly",
            "9:5",
        ),
        (
            "  retention:\n    weekly: {count: 4, days: [Sunday]}\n",
            "a Daily policy needs daily retention",
            "5:3",
        ),
    ],
)
def test_policy_relations(tmp_path: Path, policy: str, message: str, line_col: str) -> None:
    text = (
        f"kind: recovery-services-backup-vms\nvirtualMachines: {{names: [a]}}\nvault: {{}}\npolicy:\n{policy}"
    )
    path = write(tmp_path, text)
    with pytest.raises(InputProblems) as info:
        load_input(path)
    lines = [p.format() for p in info.value.problems]
    assert any(line.startswith(f"{path}:{line_col}: error: {message}") for line in lines), lines
