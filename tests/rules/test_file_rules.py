"""TG002-TG004 (repeated keys, lenient JSON, Resource Manager's size limits) through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import SCHEMA, lint, only, position, template, write


def test_duplicate_key_points_at_the_ignored_spelling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "{\n"
        f'  "$schema": "{SCHEMA}",\n'
        '  "contentVersion": "1.0.0.0",\n'
        '  "parameters": {"location": {"type": "string", "defaultValue": "a", "defaultValue": "b"}},\n'
        '  "resources": [],\n'
        '  "outputs": {"o": {"type": "string", "value": "[parameters(\'location\')]"}}\n'
        "}\n"
    )
    _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
    [found] = only(findings, "TG002")
    assert (found.severity, found.where) == ("warning", position(text, '"defaultValue"'))
    assert found.message.startswith("key 'defaultValue' is repeated on line 4;")


def test_lenient_json_one_finding_per_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "{\n"
        f'  "$schema": "{SCHEMA}", // the schema\n'
        '  "contentVersion": "1.0.0.0", /* a block */\n'
        '  "resources": [],\n'
        "}\n"
    )
    code, findings = lint(capsys, [write(tmp_path, "t.json", text)])
    found = only(findings, "TG003")
    assert [(f.severity, f.where, f.message.split(":")[0]) for f in found] == [
        ("info", position(text, "// the"), "2 comments (the first here)"),
        ("info", position(text, ",\n}"), "trailing comma"),
    ]
    assert code == 0  # info does not fail the run


def test_strict_json_has_no_leniency_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, findings = lint(capsys, [write(tmp_path, "t.json", template())])
    assert only(findings, "TG003") == []


class TestLimits:
    def test_too_many_parameters(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        parameters = {f"p{i}": {"type": "int", "defaultValue": i} for i in range(257)}
        value = "[add(" + ", ".join(f"parameters('p{i}')" for i in range(2)) + ")]"
        data = template(parameters=parameters, outputs={"o": {"type": "int", "value": value}})
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG004")
        assert (found.severity, found.where) == ("error", position(text, '"parameters"'))
        assert found.message == "257 parameters; Resource Manager accepts at most 256"

    def test_literal_copy_counts_add_up(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        resource = {
            "type": "Microsoft.Network/publicIPAddresses",
            "apiVersion": "2023-09-01",
            "name": "[concat('ip', copyIndex())]",
            "location": "[resourceGroup().location]",
            "copy": {"name": "ips", "count": 801},
        }
        text = json.dumps(template(resources=[resource]), indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG004")
        assert found.where == position(text, '"resources"')
        assert found.message.startswith("801 resources counting literal copy counts")

    def test_file_over_4_mb(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        big = "x" * (4 * 1024 * 1024)
        data = template(
            variables={"big": big}, outputs={"o": {"type": "int", "value": "[length(variables('big'))]"}}
        )
        path = write(tmp_path, "t.json", data)
        _, findings = lint(capsys, [path])
        messages = [f.message for f in only(findings, "TG004")]
        assert len(messages) == 1 and messages[0].startswith("the template is 4.0 MB (")
        assert f"({path.stat().st_size:,} bytes)" in messages[0]

    def test_resource_definition_over_1_mb(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        resource = {
            "type": "Microsoft.Resources/deploymentScripts",
            "apiVersion": "2023-08-01",
            "name": "script",
            "location": "[resourceGroup().location]",
            "kind": "AzureCLI",
            "properties": {"scriptContent": "y" * (1024 * 1024 + 10)},
        }
        text = json.dumps(template(resources=[resource]), indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG004")
        assert found.where == position(text, '{\n      "type": "Microsoft.Resources')
        assert found.message.startswith("resource script is 1.0 MB (")
