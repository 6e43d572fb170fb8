"""TG002-TG004 (repeated keys, lenient JSON, Resource Manager's size limits) through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import SCHEMA, inner_deployment, lint, only, position, template, write


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
        assert found.message.startswith(
            "801 resources counting copy loops whose count is known, 801 of them from copy loop 'ips'"
        )

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

    def test_counts_the_evaluator_knows_add_up(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A count from a parameter default and one from a variable are as certain as a literal one;
        a count nobody knows offline adds nothing (it may be 0)."""
        ips = [
            _ip_loop("from-default", "[parameters('ipCount')]"),
            _ip_loop("from-variable", "[variables('more')]"),
            _ip_loop("unknown", "[parameters('unknownCount')]"),
        ]
        parameters = {
            "ipCount": {"type": "int", "defaultValue": 400},
            "unknownCount": {"type": "int"},
        }
        data = template(parameters=parameters, variables={"more": "[add(parameters('ipCount'), 1)]"})
        data["resources"] = ips
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG004")
        assert found.where == position(text, '"resources"')
        assert found.message == (
            "801 resources counting copy loops whose count is known, 401 of them from copy loop "
            "'from-variable'; Resource Manager accepts at most 800"
        )
        # -p with a smaller count: below the limit
        values = {
            "$schema": SCHEMA.replace("deploymentTemplate", "deploymentParameters"),
            "contentVersion": "1.0.0.0",
        }
        values["parameters"] = {"ipCount": {"value": 399}}
        parameters_file = write(tmp_path, "t.parameters.json", values)
        _, findings = lint(capsys, [tmp_path / "t.json"], "-p", str(parameters_file))
        assert only(findings, "TG004") == []

    def test_bicep_loops_are_counted(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """`[for i in range(0, 500): ...]` twice is 1000 resources in one template (existing ones are
        not deployed and do not count); the finding points at the largest loop."""
        loop = (
            "resource {0} 'Microsoft.Network/publicIPAddresses@2023-09-01' = [for i in range(0, {1}): {{\n"
            "  name: '{0}-${{i}}'\n  location: resourceGroup().location\n}}]\n"
        )
        existing = (
            "resource old 'Microsoft.Network/publicIPAddresses@2023-09-01' existing = {\n  name: 'old'\n}\n"
        )
        text = loop.format("east", 400) + existing + loop.format("west", 401)
        path = tmp_path / "main.bicep"
        path.write_text(text, encoding="utf-8")
        _, findings = lint(capsys, [path])
        [found] = only(findings, "TG004")
        assert found.where == position(text, "resource west")
        assert found.message.startswith(
            "801 resources counting copy loops whose count is known, 401 of them from 'west'"
        )

    def test_nested_deployments_count_on_their_own(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Each copy of an inner-scope deployment is a deployment of its own, counted with the values
        it is passed: the copy given 850 is over the limit (a count ARM refuses for one loop, too), the
        one given 100 is not, and the parent holds two deployments."""
        inner = template(parameters={"n": {"type": "int"}})
        inner["resources"] = [_ip_loop("ips", "[parameters('n')]")]
        deployment = inner_deployment(
            "[concat('part-', copyIndex())]",
            inner,
            {"n": {"value": "[createArray(100, 850)[copyIndex()]]"}},
            copy={"name": "parts", "count": 2},
        )
        text = json.dumps(template(resources=[deployment]), indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG004")
        assert found.where == position(text, '"resources"', after='"template"')
        assert found.message.startswith("850 resources (nested template) counting copy loops")


def _ip_loop(name: str, count: object) -> dict[str, object]:
    return {
        "type": "Microsoft.Network/publicIPAddresses",
        "apiVersion": "2023-09-01",
        "name": f"[concat('{name}-', copyIndex())]",
        "location": "[resourceGroup().location]",
        "copy": {"name": name, "count": count},
    }


def test_a_bicep_module_is_counted_on_its_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The many-VMs fixture protects 1000 VMs through two modules of 500 (one template holds at most
    800 resources). Given 900 VMs, module 'east' is over the limit, in the module's file; 'west' is not."""
    from tests.rules.backupcases import Case, check_case

    case = Case(
        "TG004",
        "error",
        "many-vms.bicep",
        "vmResourceGroup: 'rg-east'\n    vmCount: 500",
        "vmResourceGroup: 'rg-east'\n    vmCount: 900",
        "^resource items",
        at="many-vms/protect.bicep",
    )
    [message] = check_case(case, tmp_path, "backup", capsys)
    assert message.startswith("900 resources (module 'east') counting copy loops whose count is known")
