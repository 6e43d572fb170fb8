"""Bad input through the real CLI: one line per problem, `file:line:col`, the schema path and what
was expected; exit code 2; no traceback; nothing written (issue 2, item 8).

Line and column numbers below are read off the YAML text each test writes, so they are part of the
specification, not output captured from the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.generate.conftest import run_cli, snapshot, write_input

EXTENSION = """\
kind: vmsnapshot-extension
os: windows
vm:
  name: myVM
settings:
  taskId: e07354cf-041e-4370-929f-25a319ce8933_1
  commandStartTime: "2017-11-09T04:53:20Z"
"""

BACKUP = """\
kind: recovery-services-backup-vms
vault:
  name: rsv-prod
policy:
  new: true
virtualMachines:
  resourceGroup: rg-vms
  names: [vm1, vm2]
"""


def run_bad(tmp_path: Path, text: str | None, *extra: str) -> tuple[list[str], str]:
    """Write the input (unless None: missing file), run generate, check the invariants of every
    bad-input run, and return the error lines and the input's display path."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    path = inputs / "input.yaml"
    if text is not None:
        write_input(inputs, "input.yaml", text)
    before = snapshot(tmp_path)
    result = run_cli("generate", str(path), "--format", "both", *extra)
    assert result.code == 2, result
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.stdout == ""
    assert snapshot(tmp_path) == before, "a bad input must not write anything"
    lines = result.err_lines
    assert lines[-1] == "templategen: nothing generated: fix the errors above"
    problems = lines[:-1]
    assert problems, "at least one problem line"
    for line in problems:
        assert re.match(rf"{re.escape(str(path))}:\d+:\d+: error: ", line), line
    return problems, str(path)


def test_unknown_key(tmp_path: Path) -> None:
    problems, path = run_bad(tmp_path, BACKUP.replace("  name: rsv-prod", "  nmae: rsv-prod"))
    assert problems == [
        f"{path}:3:3: error: unknown key 'nmae' (did you mean 'name'?) "
        "(schema path #/properties/vault/additionalProperties; expected one of the keys name, new, sku)"
    ]


def test_wrong_type(tmp_path: Path) -> None:
    # Unquoted, YAML reads 1.10 as the number 1.1: the message shows both and says how to fix it.
    problems, path = run_bad(tmp_path, EXTENSION + "typeHandlerVersion: 1.10\n")
    assert problems == [
        f"{path}:8:21: error: wrong type: got number 1.1 (written 1.10); "
        "quote it ('1.10') so YAML keeps it text "
        "(schema path vmsnapshot-extension.schema.json#/$defs/typeHandlerVersion/type; expected a string)"
    ]


def test_wrong_type_is_said_once(tmp_path: Path) -> None:
    # A list where one word is expected also fails the enum; "wrong type" alone says what to fix.
    problems, path = run_bad(tmp_path, EXTENSION + "  commandToExecute: [snapshot]\n")
    assert problems == [
        f"{path}:8:21: error: wrong type: got a list "
        "(schema path vmsnapshot-settings.schema.json#/properties/commandToExecute/type; expected a string)"
    ]


def test_value_out_of_range(tmp_path: Path) -> None:
    problems, path = run_bad(tmp_path, BACKUP.replace("  new: true", "  new: true\n  instantRestoreDays: 9"))
    assert len(problems) == 1
    line = problems[0]
    assert line.startswith(
        f"{path}:6:23: error: value 9 is out of range when tier is not Enhanced and frequency is not Weekly"
    )
    assert "schema path #/properties/policy/allOf/1/else/else/properties/instantRestoreDays/maximum" in line
    assert line.endswith("expected a number from 1 to 5)")


def test_yaml_syntax_error(tmp_path: Path) -> None:
    problems, path = run_bad(tmp_path, BACKUP.replace("names: [vm1, vm2]", "names: [vm1, vm2"))
    assert len(problems) == 1
    # Detected at the end of the file (9:1); the message also says where the open list began.
    assert problems == [
        f"{path}:9:1: error: YAML syntax error: expected ',' or ']', but got '<stream end>' "
        "(while parsing a flow sequence started at line 8, column 10)"
    ]


def test_duplicate_key(tmp_path: Path) -> None:
    problems, path = run_bad(tmp_path, EXTENSION + "os: linux\n")
    assert problems == [f"{path}:8:1: error: duplicate key 'os' (first defined on line 2)"]


def test_missing_file(tmp_path: Path) -> None:
    problems, path = run_bad(tmp_path, None)
    assert problems == [f"{path}:1:1: error: cannot read input: no such file"]


def test_ticks_in_e_notation(tmp_path: Path) -> None:
    text = EXTENSION.replace(
        'commandStartTime: "2017-11-09T04:53:20Z"', 'commandStartTimeUTCTicks: "6.36458E+17"'
    )
    problems, path = run_bad(tmp_path, text)
    assert len(problems) == 1
    line = problems[0]
    assert line.startswith(
        f"{path}:7:29: error: E-notation is not exact: 6.36458E+17 keeps 6 significant digits"
    )
    assert "27.8 hours" in line
    assert "schema path vmsnapshot-settings.schema.json#/properties/commandStartTimeUTCTicks" in line


def test_ticks_as_yaml_number(tmp_path: Path) -> None:
    text = EXTENSION.replace(
        'commandStartTime: "2017-11-09T04:53:20Z"', "commandStartTimeUTCTicks: 636458000000000000"
    )
    problems, path = run_bad(tmp_path, text)
    assert len(problems) == 1
    line = problems[0]
    assert line.startswith(
        f"{path}:7:29: error: YAML reads 636458000000000000 as a number; ticks must be a quoted string"
    )
    assert '"636458000000000000"' in line


# --- beyond the eight: more ways an input can be unusable -----------------------------------------


def test_every_problem_of_a_file_on_its_own_line_in_order(tmp_path: Path) -> None:
    text = """\
kind: recovery-services-backup-vms
vault:
  name: 1vault
  new: "yes"
policy:
  runTime: "05:15"
  retension: {}
virtualMachines:
  names: [vm1, vm1]
"""
    problems, path = run_bad(tmp_path, text)
    positions = [tuple(int(x) for x in line[len(path) + 1 :].split(":")[:2]) for line in problems]
    assert positions == [(3, 9), (4, 8), (6, 12), (7, 3), (9, 16)]
    assert positions == sorted(positions)


def test_invalid_calendar_date(tmp_path: Path) -> None:
    problems, path = run_bad(tmp_path, EXTENSION.replace("2017-11-09", "2017-02-30"))
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:7:21: error: not a calendar date")


def test_unknown_kind(tmp_path: Path) -> None:
    problems, path = run_bad(tmp_path, "kind: vmsnapshot\n")
    assert problems == [
        f"{path}:1:7: error: unknown input kind 'vmsnapshot' "
        "(expected one of vmsnapshot-extension, recovery-services-backup-vms)"
    ]


def test_alias_bomb_is_bounded(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for index in range(1, 9):
        prev, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    problems, _ = run_bad(tmp_path, "kind: vmsnapshot-extension\n" + "\n".join(lines) + "\n")
    assert len(problems) == 1
    assert "document expands to more than 100000 nodes" in problems[0]


def test_object_tags_are_refused(tmp_path: Path) -> None:
    problems, path = run_bad(tmp_path, "kind: !!python/object/apply:os.system ['true']\n")
    assert problems == [
        f"{path}:1:7: error: tag !!python/object/apply:os.system is not allowed in templategen inputs"
    ]


def test_secrets_in_messages_are_masked(tmp_path: Path) -> None:
    text = EXTENSION.replace(
        "taskId: e07354cf-041e-4370-929f-25a319ce8933_1",
        "taskId: https://a.blob.core.windows.net/c/b?sv=1&sig=TOPSECRETSIGNATURE&se=2",
    )
    problems, _ = run_bad(tmp_path, text)
    assert "TOPSECRETSIGNATURE" not in "\n".join(problems)
    assert "sig=***" in problems[0]


def test_one_bad_input_means_no_output_for_the_good_ones(tmp_path: Path) -> None:
    good = write_input(tmp_path, "good.yaml", EXTENSION)
    bad = write_input(tmp_path, "bad.yaml", EXTENSION + "os: linux\n")
    before = snapshot(tmp_path)
    result = run_cli("generate", str(good), str(bad))
    assert result.code == 2
    assert snapshot(tmp_path) == before


def test_snippet_for_a_backup_input_is_a_usage_error(tmp_path: Path) -> None:
    path = write_input(tmp_path, "backup.yaml", BACKUP)
    before = snapshot(tmp_path)
    result = run_cli("generate", str(path), "--snippet")
    assert result.code == 2
    assert "--snippet applies to kind vmsnapshot-extension only" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n"])
def test_not_a_mapping(tmp_path: Path, text: str) -> None:
    problems, path = run_bad(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:1:1: error: ")
