"""`templategen graph` on the command line: formats, -o, -p, errors (one line, exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from templategen.cli import main
from templategen.graph.render import render

from .helpers import BACKUP, EXAMPLES, SCHEMA, graph_of
from .syntax import parse_dot, parse_mermaid

QUICKSTART = EXAMPLES / "backup-vms-quickstart.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["graph", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_default_is_mermaid_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(QUICKSTART))
    assert (code, err) == (0, "")
    assert out == render(graph_of(QUICKSTART))
    assert parse_mermaid(out).direction == "LR"


def test_dot_direction_and_legend(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(
        capsys, str(EXAMPLES / "backup-vms-quickstart.bicep"), "--format", "dot", "--direction", "td"
    )
    assert code == 0
    assert parse_dot(out).attributes["rankdir"] == "TB"
    code, out, _err = run(capsys, str(QUICKSTART), "--legend")
    assert code == 0 and 'subgraph legend["legend"]' in out


def test_parameters_files_name_the_resources(capsys: pytest.CaptureFixture[str], shared: Path) -> None:
    folder = shared / "corpus" / BACKUP
    code, out, _err = run(
        capsys, str(folder / "main.bicep"), "-p", str(folder / "azuredeploy.parameters.json")
    )
    assert code == 0
    assert "VM0<br>VM1<br>VM2" in out and "VMBackupPolicy" in out
    # Later files win, as with `az deployment`.
    override = folder / "azuredeploy.parameters.json"
    code, second, _err = run(
        capsys,
        str(folder / "main.bicep"),
        "-p",
        str(override),
        "-p",
        str(EXAMPLES / "backup-vms-quickstart.parameters.json"),
    )
    assert code == 0 and "vm-web-01" in second and "VM0" not in second


def test_output_file_is_written_whole(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "graph.mmd"
    target.write_text("old content that must go\n", encoding="utf-8")
    code, out, err = run(capsys, str(QUICKSTART), "-o", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == render(graph_of(QUICKSTART))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.mmd"]  # no temporary file left


def test_unwritable_output_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, str(QUICKSTART), "-o", str(tmp_path / "missing" / "graph.mmd"))
    assert code == 2 and out == ""
    assert err.startswith("templategen: error: cannot write ") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("name", "content", "where", "message"),
    [
        (
            "bad.json",
            '{\n  "resources": [\n    {"name": "x",}\n  ]\n  "x": 1\n}\n',
            "bad.json:5:3",
            "expected",
        ),
        ("params.json", None, "params.json:1:1", "a deployment parameters file"),
        ("other.json", '{"name": "package", "version": "1.0.0"}\n', "other.json:1:1", "not an ARM template"),
        (
            "bad.bicep",
            "resource vault 'Microsoft.RecoveryServices/vaults@2023-01-01' = {\n  name: \n",
            "bad.bicep:",
            "syntax",
        ),
    ],
)
def test_bad_input_is_one_line_with_its_position(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    content: str | None,
    where: str,
    message: str,
) -> None:
    path = tmp_path / name
    if content is None:
        path.write_bytes((EXAMPLES / "backup-vms-quickstart.parameters.json").read_bytes())
    else:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"templategen: error: {tmp_path / where}")
    assert message.lower() in err.lower() and err.count("\n") == 1 and "Traceback" not in err


def test_missing_file_and_bad_parameters_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = run(capsys, str(tmp_path / "nothing.json"))
    assert code == 2 and err.count("\n") == 1 and "nothing.json" in err
    code, _out, err = run(capsys, str(QUICKSTART), "-p", str(QUICKSTART))
    assert code == 2 and "not an ARM deployment parameters file" in err and err.count("\n") == 1


def test_unconverted_bicep_is_said_on_stderr(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "main.bicep"
    path.write_text(
        "resource vault 'Microsoft.RecoveryServices/vaults@2023-01-01' = {\n  name: 'v'\n}\n"
        "resource lost 'Microsoft.RecoveryServices/vaults/backupPolicies@2023-01-01' = {\n"
        "  parent: nowhere\n  name: 'p'\n}\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, str(path))
    assert code == 0 and "vaults<br>v" in out
    assert err.startswith(f"templategen: warning: {path}:5:")
    assert "parent of 'lost' is not a resource of this file (not converted: the graph may miss it)" in err


def test_help_lists_graph_and_the_command_module_is_light() -> None:
    """`templategen --help` lists the command; importing its module loads no reader or evaluator."""
    done = subprocess.run(
        [sys.executable, "-m", "templategen", "--help"], capture_output=True, text=True, check=True
    )
    assert "graph" in done.stdout
    script = (
        "import sys; import templategen.commands.graph; "
        "print(sorted(m for m in sys.modules if m.startswith('templategen.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=os.environ
    )
    loaded = eval(done.stdout)  # a list literal printed by the child
    assert not [
        m for m in loaded if m.startswith(("templategen.graph.", "templategen.arm.", "templategen.bicep"))
    ]


def test_a_graph_too_large_for_mermaid_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Mermaid refuses more than 500 edges by default (GitHub keeps the default): say so on stderr,
    still write the graph, and not for DOT."""
    resources = [
        {
            "type": "Microsoft.Network/networkInterfaces",
            "apiVersion": "2023-04-01",
            "name": f"nic{index}",
            "dependsOn": [f"nic{index - 1}"] if index else [],
        }
        for index in range(502)
    ]
    path = tmp_path / "large.json"
    path.write_text(
        json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}), encoding="utf-8"
    )
    code, out, err = run(capsys, str(path))
    assert code == 0 and len(parse_mermaid(out).edges) == 501
    assert err == (
        "templategen: warning: the graph has 501 edges; Mermaid draws at most 500 by default "
        "(use --format dot for large graphs)\n"
    )
    code, out, err = run(capsys, str(path), "--format", "dot")
    assert (code, err) == (0, "")
