"""TG301-TG306 through the real CLI: rule, severity and exact line:column of each finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import lint, only, position, template, write

POLICIES = "Microsoft.RecoveryServices/vaults/backupPolicies"


def _resource(type_: str, name: object, **members: object) -> dict[str, object]:
    data: dict[str, object] = {"type": type_, "apiVersion": "2024-04-01", "name": name}
    data.update(members)
    return data


def _run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rule: str, data: dict[str, object]
) -> tuple[str, list]:  # type: ignore[type-arg]
    text = json.dumps(data, indent=2)
    _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
    return text, only(findings, rule)


class TestNameSegmentCount:
    def test_literal_name_too_short(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        text, [found] = _run(tmp_path, capsys, "TG301", template(resources=[_resource(POLICIES, "daily")]))
        assert (found.severity, found.where) == ("error", position(text, '"daily"'))
        assert found.message.startswith(f"name 'daily' has 1 segment, but type {POLICIES} needs 2")

    def test_decided_expression_names(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        resources = [
            _resource(
                POLICIES, "[format('{0}/{1}/{2}', parameters('vault'), 'x', 'daily')]"
            ),  # 3, certain lower bound
            _resource(POLICIES, "[concat(parameters('vault'), '/', 'daily')]"),  # fine
            _resource(POLICIES, "[parameters('vault')]"),  # may hold a slash: undecided
            _resource(POLICIES, "[uniqueString(resourceGroup().id)]"),  # never a slash: 1 segment
            _resource(POLICIES, "[variables('policyName')]"),  # a literal variable: 1 segment
        ]
        data = template(
            parameters={"vault": {"type": "string"}},
            variables={"policyName": "daily"},
            resources=resources,
        )
        text, found = _run(tmp_path, capsys, "TG301", data)
        assert [(f.where, f.message.split(", but")[0]) for f in found] == [
            (position(text, '"[format('), "name '…/x/daily' has at least 3 segments"),
            (position(text, '"[uniqueString('), "name '…' has 1 segment"),
            (position(text, "\"[variables('policyName')]"), "name 'daily' has 1 segment"),
        ]

    def test_child_resources(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        children = [
            {"type": "backupPolicies", "apiVersion": "2024-04-01", "name": "daily"},  # relative: fine
            {
                "type": "backupPolicies",
                "apiVersion": "2024-04-01",
                "name": "rsv/weekly",
            },  # full name: accepted
            {"type": "backupPolicies", "apiVersion": "2024-04-01", "name": "a/b/c"},
        ]
        vault = _resource("Microsoft.RecoveryServices/vaults", "rsv", resources=children)
        text, [found] = _run(tmp_path, capsys, "TG301", template(resources=[vault]))
        assert found.where == position(text, '"a/b/c"')
        assert "a child declared inside its parent takes only its own name segment" in found.message


class TestLiterals:
    def test_type_expression(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(resources=[_resource("[concat('Microsoft.Storage/', 'storageAccounts')]", "st")])
        text, [found] = _run(tmp_path, capsys, "TG302", data)
        assert (found.severity, found.where) == ("error", position(text, '"[concat('))

    def test_apiversion_expression(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        resource = _resource("Microsoft.Storage/storageAccounts", "st")
        resource["apiVersion"] = "[variables('v')]"
        text, [found] = _run(
            tmp_path, capsys, "TG303", template(variables={"v": "2023-05-01"}, resources=[resource])
        )
        assert (found.severity, found.where) == ("warning", position(text, "\"[variables('v')]"))

    @pytest.mark.parametrize(
        ("version", "bad"),
        [
            ("2024-04-01", False),
            ("2024-04-01-preview", False),
            ("2017-04-26-privatepreview", False),
            ("2024-4-01", True),
            ("2024-13-01", True),
            ("2024-04-01-Preview2", True),
            (" 2024-04-01", True),
        ],
    )
    def test_malformed_apiversion(
        self, version: str, bad: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        resource = _resource("Microsoft.Storage/storageAccounts", "st")
        resource["apiVersion"] = version
        text, found = _run(tmp_path, capsys, "TG304", template(resources=[resource]))
        if bad:
            [one] = found
            assert (one.severity, one.where) == ("error", position(text, json.dumps(version)))
        else:
            assert found == []


class TestSchema:
    def test_missing(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = {"contentVersion": "1.0.0.0", "parameters": {}, "resources": []}
        _, [found] = _run(tmp_path, capsys, "TG305", data)
        assert (found.severity, found.where) == ("warning", (1, 1))
        assert found.message.startswith("the template has no $schema")

    def test_unknown(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template()
        data["$schema"] = "https://schema.management.azure.com/schemas/2019-04-02/deploymentTemplate.json#"
        text, [found] = _run(tmp_path, capsys, "TG305", data)
        assert found.where == position(text, '"https://')

    @pytest.mark.parametrize(
        "schema",
        [
            "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#",
            "http://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json",
            "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#",
        ],
    )
    def test_known(self, schema: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template()
        data["$schema"] = schema
        _, found = _run(tmp_path, capsys, "TG305", data)
        assert found == []

    def test_parameters_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        text = json.dumps(
            {
                "$schema": "https://schema.management.azure.com/schemas/2019-09-01/deploymentParameters.json#",
                "contentVersion": "1.0.0.0",
                "parameters": {"a": {"value": 1}},
            },
            indent=2,
        )
        _, findings = lint(capsys, [write(tmp_path, "p.json", text)])
        [found] = only(findings, "TG305")
        assert found.where == position(text, '"https://')
        assert "deployment parameters file schema" in found.message


class TestModelProblem:
    def test_template_problems(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            parameters={"vault": {"type": "string"}, "Vault": {"type": "string"}},
            resources=["not a resource", {"type": "Microsoft.Storage/storageAccounts", "name": "st"}],
            outputs={"o": {"type": "string", "value": "[parameters('vault')]"}},
        )
        text, found = _run(tmp_path, capsys, "TG306", data)
        assert [(f.severity, f.where, f.message) for f in found] == [
            (
                "error",
                position(text, '"Vault": {', 9),
                "parameter 'Vault' repeats 'vault' (names are case-insensitive)",
            ),
            ("error", position(text, '"not a resource"'), "resource is not an object"),
            (
                "error",
                position(text, '{\n      "type": "Microsoft.Storage'),
                "resource st has no `apiVersion`",
            ),
        ]

    def test_api_profile_supplies_versions(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            apiProfile="2019-03-01-hybrid",
            resources=[{"type": "Microsoft.Storage/storageAccounts", "name": "st"}],
        )
        _, found = _run(tmp_path, capsys, "TG306", data)
        assert found == []

    def test_parameters_file_entry_without_value(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        text = json.dumps(
            {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                "contentVersion": "1.0.0.0",
                "parameters": {"a": {"value": 1}, "b": {"reference": "GEN-KEYVAULT-PLACEHOLDER"}},
            },
            indent=2,
        )
        _, findings = lint(capsys, [write(tmp_path, "p.json", text)])
        [found] = only(findings, "TG306")
        assert found.where == position(text, '"GEN-')
        assert found.message == "reference of parameter 'b' is not an object"
