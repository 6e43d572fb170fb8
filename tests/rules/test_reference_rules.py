"""TG201-TG209 through the real CLI: rule, severity and exact line:column of each finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from templategen.cli import main

from .helpers import inner_deployment, lint, only, position, template, write

STORAGE = "Microsoft.Storage/storageAccounts"


def _resource(name: str, type_: str = STORAGE, **members: object) -> dict[str, object]:
    data: dict[str, object] = {
        "type": type_,
        "apiVersion": "2023-05-01",
        "name": name,
        "location": "[resourceGroup().location]",
    }
    data.update(members)
    return data


def _nested(inner: dict[str, object], scope: str | None = None, **members: object) -> dict[str, object]:
    properties: dict[str, object] = {"mode": "Incremental", "template": inner}
    if scope is not None:
        properties["expressionEvaluationOptions"] = {"scope": scope}
    data: dict[str, object] = {
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2022-09-01",
        "name": "nested",
        "properties": properties,
    }
    data.update(members)
    return data


class TestUndefinedParameter:
    def test_points_at_the_name_and_suggests(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = template(
            parameters={"location": {"type": "string"}},
            outputs={"o": {"type": "string", "value": "[parameters('locaton')]"}},
        )
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG201")
        assert (found.severity, found.where) == ("error", position(text, "'locaton'"))
        assert found.message == "parameter 'locaton' is not declared; did you mean 'location'?"

    def test_names_are_case_insensitive(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            parameters={"Location": {"type": "string"}},
            outputs={"o": {"type": "string", "value": "[PARAMETERS('LOCATION')]"}},
        )
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        assert only(findings, "TG201") == []

    def test_outer_nested_template_reads_the_parents(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inner = template(
            parameters={"own": {"type": "string"}},
            outputs={"a": {"type": "string", "value": "[concat(parameters('top'), parameters('own'))]"}},
        )
        data = template(parameters={"top": {"type": "string"}}, resources=[_nested(inner)])
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG201")
        assert found.where == position(text, "'own'))")
        assert "outer scope" in found.message

    def test_inner_nested_template_reads_its_own(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inner = template(
            parameters={"own": {"type": "string"}},
            outputs={"a": {"type": "string", "value": "[parameters('own')]"}},
        )
        data = template(resources=[_nested(inner, "inner", properties=None)])
        data["resources"][0]["properties"] = {  # type: ignore[index]
            "mode": "Incremental",
            "expressionEvaluationOptions": {"scope": "inner"},
            "parameters": {"own": {"value": "x"}},
            "template": inner,
        }
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        assert only(findings, "TG201") == []

    def test_inner_nested_template_message_has_no_outer_scope_note(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inner = template(
            parameters={"location": {"type": "string"}},
            outputs={"a": {"type": "string", "value": "[parameters('locaton')]"}},
        )
        data = template(resources=[inner_deployment("nested", inner, {"location": {"value": "x"}})])
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        [found] = only(findings, "TG201")
        assert found.message == "parameter 'locaton' is not declared; did you mean 'location'?"

    def test_user_function_sees_only_its_own_parameters(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        functions = [
            {
                "namespace": "ns",
                "members": {
                    "f": {
                        "parameters": [{"name": "a", "type": "string"}],
                        "output": {"type": "string", "value": "[concat(parameters('a'), parameters('top'))]"},
                    }
                },
            }
        ]
        data = template(
            parameters={"top": {"type": "string"}},
            functions=functions,
            outputs={"o": {"type": "string", "value": "[ns.f(parameters('top'))]"}},
        )
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG201")
        assert found.where == position(text, "'top'))")
        assert found.message.startswith("user-defined function 'ns.f' has no parameter 'top'")

    def test_if_branches_are_not_resolved(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            parameters={"flag": {"type": "bool"}},
            outputs={
                "o": {"type": "string", "value": "[if(parameters('flag'), 'a', parameters('missing'))]"}
            },
        )
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        assert only(findings, "TG201") == []


class TestUndefinedVariable:
    def test_reported(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            variables={"vaultName": "v"}, outputs={"o": {"type": "string", "value": "[variables('vault')]"}}
        )
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG202")
        assert (found.severity, found.where) == ("error", position(text, "'vault'"))
        assert found.message == "variable 'vault' is not declared; did you mean 'vaultName'?"

    def test_copy_variables_are_declared(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            variables={"copy": [{"name": "disks", "count": 2, "input": "[concat('d', copyIndex('disks'))]"}]},
            outputs={"o": {"type": "array", "value": "[variables('disks')]"}},
        )
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        assert only(findings, "TG202") == [] and only(findings, "TG204") == []

    def test_repeated_variables_section_is_not_guessed(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        text = (
            '{"$schema": "x/deploymentTemplate.json#", "contentVersion": "1.0.0.0",\n'
            ' "variables": {"a": "1"},\n "resources": [],\n'
            ' "outputs": {"o": {"type": "string", "value": "[variables(\'a\')]"}},\n'
            ' "variables": {"b": "2"}}\n'
        )
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        assert only(findings, "TG202") == []
        [dup] = only(findings, "TG002")
        assert dup.where == position(text, '"variables"')
        assert "line 5" in dup.message


class TestUndefinedFunction:
    def test_reported(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        functions = [
            {
                "namespace": "ns",
                "members": {"name": {"parameters": [], "output": {"type": "string", "value": "x"}}},
            }
        ]
        data = template(functions=functions, outputs={"o": {"type": "string", "value": "[ns.nmae()]"}})
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG203")
        assert (found.severity, found.where) == ("error", position(text, "ns.nmae"))
        assert found.message == "user-defined function 'ns.nmae' is not declared; did you mean 'ns.name'?"


class TestCopyIndexOutsideCopy:
    def test_without_a_loop(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(resources=[_resource("[concat('st', copyIndex())]")])
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG204")
        assert (found.severity, found.where) == ("error", position(text, "copyIndex()"))

    def test_naming_a_loop_that_does_not_enclose_it(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        resource = _resource(
            "[concat('st', copyIndex('stores'))]",
            copy={"name": "accounts", "count": 2},
            properties={"copy": [{"name": "rules", "count": 2, "input": {"n": "[copyIndex('RULES')]"}}]},
        )
        text = json.dumps(template(resources=[resource]), indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG204")
        assert found.where == position(text, "'stores'")
        assert (
            found.message
            == "copyIndex('stores'): no enclosing copy loop is named 'stores' (enclosing: accounts)"
        )

    def test_count_is_outside_its_own_loop(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        resource = _resource(
            "[concat('st', copyIndex())]", copy={"name": "a", "count": "[add(copyIndex(), 1)]"}
        )
        text = json.dumps(template(resources=[resource]), indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG204")
        assert found.where == position(text, "copyIndex(), 1")

    def test_outer_nested_template_inherits_the_deployment_loop(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inner = template(resources=[_resource("[concat('st', copyIndex())]")])
        data = template(resources=[_nested(inner, copy={"name": "d", "count": 2})])
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        assert only(findings, "TG204") == []


class TestUnused:
    def test_unused_parameter_at_its_key(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            parameters={"used": {"type": "string"}, "spare": {"type": "string"}},
            outputs={"o": {"type": "string", "value": "[parameters('used')]"}},
        )
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG205")
        assert (found.severity, found.where) == ("warning", position(text, '"spare"'))
        assert found.message == "parameter 'spare' is declared but never used"

    def test_uses_in_outer_nested_templates_and_defaults_count(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inner = template(outputs={"a": {"type": "string", "value": "[parameters('forNested')]"}})
        data = template(
            parameters={
                "forNested": {"type": "string"},
                "base": {"type": "string"},
                "derived": {"type": "string", "defaultValue": "[parameters('base')]"},
            },
            resources=[_nested(inner)],
            outputs={"o": {"type": "string", "value": "[parameters('derived')]"}},
        )
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        assert only(findings, "TG205") == []

    def test_computed_parameter_name_means_any_may_be_used(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = template(
            parameters={"which": {"type": "string"}, "a": {"type": "string"}, "b": {"type": "string"}},
            outputs={"o": {"type": "string", "value": "[parameters(parameters('which'))]"}},
        )
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        assert only(findings, "TG205") == []

    def test_function_parameters_are_not_template_uses(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        functions = [
            {
                "namespace": "ns",
                "members": {
                    "f": {
                        "parameters": [{"name": "name", "type": "string"}],
                        "output": {"type": "string", "value": "[parameters('name')]"},
                    }
                },
            }
        ]
        data = template(
            parameters={"name": {"type": "string"}},
            functions=functions,
            outputs={"o": {"type": "string", "value": "[ns.f('x')]"}},
        )
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        assert [f.message for f in only(findings, "TG205")] == ["parameter 'name' is declared but never used"]

    def test_unused_variable(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            variables={
                "a": "1",
                "b": "[variables('a')]",
                "lookup": {"small": 1},
                "copy": [{"name": "items", "count": 1, "input": "x"}],
            },
            outputs={"o": {"type": "string", "value": "[variables('b')]"}},
        )
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        found = only(findings, "TG206")
        assert [(f.severity, f.where, f.message) for f in found] == [
            ("warning", position(text, '"lookup"'), "variable 'lookup' is declared but never used"),
            ("warning", position(text, '"items"'), "variable 'items' is declared but never used"),
        ]

    def test_computed_variable_name_means_any_may_be_used(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = template(
            parameters={"tier": {"type": "string"}},
            variables={"sizeSmall": "s", "sizeLarge": "l"},
            outputs={"o": {"type": "string", "value": "[variables(concat('size', parameters('tier')))]"}},
        )
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        assert only(findings, "TG206") == []


class TestEscapesOfAnInnerTemplateInsideAnOuterOne:
    """An inner-scoped template written inside an outer-scoped one is evaluated twice: the outer
    evaluation turns `[[x]` into `[x]`, which the inner deployment then evaluates (Enterprise-Scale's
    `vnetPeering.json` creates the peering on the hub this way)."""

    PEERINGS = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"

    def _inner(self, hub_parameter: str) -> dict[str, object]:
        peering = {
            "type": self.PEERINGS,
            "apiVersion": "2023-09-01",
            "name": f"[[concat(parameters('{hub_parameter}'), '/', last(split(parameters('remote'), '/')))]",
            "properties": {"remoteVirtualNetwork": {"id": "[[parameters('remote')]"}},
        }
        return template(
            parameters={"hubName": {"type": "string"}, "remote": {"type": "string"}}, resources=[peering]
        )

    def _file(self, inner: dict[str, object], through_outer: bool) -> dict[str, object]:
        peering = inner_deployment(
            "peer", inner, {"hubName": {"value": "hub"}, "remote": {"value": "[parameters('vnetId')]"}}
        )
        if not through_outer:
            return template(parameters={"vnetId": {"type": "string"}}, resources=[peering])
        outer = _nested(template(resources=[peering]), resourceGroup="spoke")
        return template(parameters={"vnetId": {"type": "string"}}, resources=[outer])

    def test_escaped_expressions_are_the_inner_templates_own(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, findings = lint(capsys, [write(tmp_path, "t.json", self._file(self._inner("hubName"), True))])
        assert [f for f in findings if f.rule in ("TG201", "TG205", "TG301")] == []

    def test_an_error_in_an_escaped_expression_points_at_it(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        text = json.dumps(self._file(self._inner("hubNme"), True), indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG201")
        assert found.where == position(text, "'hubNme'")
        assert found.message == "parameter 'hubNme' is not declared; did you mean 'hubName'?"

    def test_without_the_outer_template_the_escapes_stay_literals(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, findings = lint(capsys, [write(tmp_path, "t.json", self._file(self._inner("hubName"), False))])
        assert sorted(f.message for f in only(findings, "TG205")) == [
            "parameter 'hubName' is declared but never used",
            "parameter 'remote' is declared but never used",
        ]
        assert len(only(findings, "TG301")) == 1


class TestDependsOnUnknown:
    def _lint(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], *resources: dict[str, object]
    ) -> tuple[str, list]:  # type: ignore[type-arg]
        text = json.dumps(template(resources=list(resources)), indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        return text, only(findings, "TG207")

    def test_no_resource_of_that_type(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        depends = "[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]"
        text, found = self._lint(tmp_path, capsys, _resource("st", dependsOn=[depends]))
        [one] = found
        assert (one.severity, one.where) == ("error", position(text, f'"{depends}"'))
        assert "declares no Microsoft.Network/virtualNetworks resource" in one.message

    def test_literal_name_differs(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        vault = _resource("rsv-prod", "Microsoft.RecoveryServices/vaults")
        depends = "[resourceId('Microsoft.RecoveryServices/vaults', 'rsv-test')]"
        text, found = self._lint(tmp_path, capsys, vault, _resource("st", dependsOn=[depends]))
        [one] = found
        assert one.where == position(text, f'"{depends}"')
        assert one.message == (
            "dependsOn names Microsoft.RecoveryServices/vaults 'rsv-test', but this template declares "
            "only Microsoft.RecoveryServices/vaults 'rsv-prod'"
        )

    def test_many_resources_of_the_type(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        stores = [_resource(f"st{i}") for i in range(50)]
        chained = [_resource(f"x{i}", dependsOn=[f"[resourceId('{STORAGE}', 'st{i}')]"]) for i in range(50)]
        wrong = _resource("y", dependsOn=[f"[resourceId('{STORAGE}', 'st50')]"])
        _, found = self._lint(tmp_path, capsys, *stores, *chained, wrong)
        [one] = found
        assert one.message.startswith(f"dependsOn names {STORAGE} 'st50', but this template declares only ")
        assert one.message.endswith(" and 98 more")  # 50 stores + 50 x + y, three shown

    def test_what_may_match_is_not_reported(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        vnet = _resource("[parameters('vnet')]", "Microsoft.Network/virtualNetworks", condition=False)
        loop = _resource("[concat('st', copyIndex())]", copy={"name": "stores", "count": 2})
        dependent = _resource(
            "other",
            dependsOn=[
                "[resourceId('Microsoft.Network/virtualNetworks', 'anything')]",  # name from a parameter
                "stores",  # a copy loop name
                "[concat('Microsoft.Storage/storageAccounts/', 'st1')]",  # type/name form
                "[variables('vnetId')]",  # read through a variable
                "[parameters('vnet')]",  # undecidable
            ],
        )
        data = template(
            parameters={"vnet": {"type": "string"}},
            variables={"vnetId": "[resourceId('Microsoft.Network/virtualNetworks/', parameters('vnet'))]"},
            resources=[vnet, loop, dependent],
        )
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        assert only(findings, "TG207") == []

    def test_plain_name_and_symbolic_names(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            languageVersion="2.0",
            resources={
                "stg": _resource("st1"),
                "other": _resource("st2", dependsOn=["stg", "st1", "nothing"]),
            },
        )
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [one] = only(findings, "TG207")
        assert one.where == position(text, '"nothing"')
        assert "neither a symbolic name nor a resource name" in one.message


class TestParametersFileMismatch:
    def _files(self, tmp_path: Path) -> tuple[Path, str, Path, str]:
        template_text = json.dumps(
            template(
                parameters={
                    "retentionDays": {"type": "int"},
                    "vaultName": {"type": "string"},
                    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
                },
                outputs={
                    "o": {
                        "type": "string",
                        "value": "[format('{0}{1}{2}', parameters('vaultName'), parameters('location'), "
                        "parameters('retentionDays'))]",
                    }
                },
            ),
            indent=2,
        )
        parameters_text = json.dumps(
            {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                "contentVersion": "1.0.0.0",
                "parameters": {"retentionDays": {"value": "30"}, "vaultNmae": {"value": "rsv"}},
            },
            indent=2,
        )
        return (
            write(tmp_path, "t.json", template_text),
            template_text,
            write(tmp_path, "t.parameters.json", parameters_text),
            parameters_text,
        )

    def test_three_mismatches(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        template_path, template_text, parameters_path, parameters_text = self._files(tmp_path)
        code, findings = lint(capsys, [template_path], "-p", str(parameters_path))
        found = only(findings, "TG208")
        assert [(f.path, f.where, f.message) for f in found] == [
            (
                str(template_path),
                position(template_text, '"vaultName"'),
                f"parameter 'vaultName' has no default value and {parameters_path} gives it no value",
            ),
            (
                str(parameters_path),
                position(parameters_text, '"30"'),
                f"parameter 'retentionDays' is declared int in {template_path}, but this value is a string",
            ),
            (
                str(parameters_path),
                position(parameters_text, '"vaultNmae"'),
                f"'vaultNmae' is not a parameter of {template_path}; did you mean 'vaultName'?",
            ),
        ]
        assert {f.severity for f in found} == {"error"} and code == 1

    def test_a_nullable_definition_makes_a_parameter_optional(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = template(
            languageVersion="2.0",
            definitions={"lockType": {"type": "string", "nullable": True}, "sku": {"type": "string"}},
            parameters={"lock": {"$ref": "#/definitions/lockType"}, "sku": {"$ref": "#/definitions/sku"}},
            outputs={
                "o": {"type": "string", "value": "[format('{0}{1}', parameters('lock'), parameters('sku'))]"}
            },
        )
        template_path = write(tmp_path, "t.json", data)
        parameters_path = write(
            tmp_path,
            "t.parameters.json",
            {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                "contentVersion": "1.0.0.0",
                "parameters": {},
            },
        )
        _, findings = lint(capsys, [template_path], "-p", str(parameters_path))
        assert [f.message for f in only(findings, "TG208")] == [
            f"parameter 'sku' has no default value and {parameters_path} gives it no value"
        ]

    def test_only_with_a_parameters_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        template_path, _, _, _ = self._files(tmp_path)
        _, findings = lint(capsys, [template_path])
        assert only(findings, "TG208") == []

    def test_text_report_shows_the_parameters_file_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        template_path, _, parameters_path, parameters_text = self._files(tmp_path)
        main(["lint", "--isolated", "--select", "TG208", "-p", str(parameters_path), str(template_path)])
        out = capsys.readouterr().out
        line, column = position(parameters_text, '"30"')
        header = f"{parameters_path}:{line}:{column}: TG208 [error] parameter 'retentionDays'"
        shown = parameters_text.splitlines()[line - 1].rstrip()
        assert header in out
        assert f" {line} | {shown}\n" in out  # the parameters file's own line, under its header

    def test_template_metadata_suppresses_it(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        template_path, template_text, parameters_path, _ = self._files(tmp_path)
        data = json.loads(template_text)
        data["metadata"] = {"templategen": {"ignore": ["TG208: values come from the pipeline"]}}
        template_path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        _, findings = lint(capsys, [template_path], "-p", str(parameters_path))
        assert only(findings, "TG208") == []


def test_values_of_secure_parameters_are_never_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A TG208 finding about the value given to a secure parameter shows where, never the value."""
    data = template(
        parameters={"settings": {"type": "secureObject"}},
        outputs={"o": {"type": "bool", "value": "[empty(parameters('settings'))]"}},
    )
    template_path = write(tmp_path, "t.json", data)
    parameters_path = write(
        tmp_path,
        "t.parameters.json",
        '{\n  "contentVersion": "1.0.0.0",\n  "parameters": {\n'
        '    "settings": {"value": "SuperSecret-Value-42"}\n  }\n}\n',
    )
    main(["lint", "--isolated", "-p", str(parameters_path), str(template_path)])
    out = capsys.readouterr().out
    assert f"{parameters_path}:4:27: TG208 [error] parameter 'settings' is declared secureobject" in out
    assert "SuperSecret" not in out and "(line hidden: it may hold a secret)" in out


class TestNestedParametersMismatch:
    INNER = template(
        parameters={
            "vaultName": {"type": "string"},
            "policyName": {"type": "string"},
            "days": {"type": "int", "defaultValue": 30},
            "tags": {"type": "object", "nullable": True},
            "lock": {"$ref": "#/definitions/lockType"},
            "sku": {"$ref": "#/definitions/skuType"},
        },
        definitions={"lockType": {"type": "string", "nullable": True}, "skuType": {"type": "string"}},
        languageVersion="2.0",
        outputs={"o": {"type": "string", "value": "[parameters('vaultName')]"}},
    )

    def test_unknown_and_missing_parameters(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        passed = {"VAULTNAME": {"value": "rsv"}, "sku": {"value": "RS0"}, "retention": {"value": 30}}
        deployment = _nested(self.INNER, "inner", name="policy")
        deployment["properties"]["parameters"] = passed  # type: ignore[index]
        data = template(resources=[deployment])
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        found = sorted(only(findings, "TG209"), key=lambda f: f.message)
        assert [(f.severity, f.message) for f in found] == [
            (
                "error",
                "deployment 'policy' gives no value to 'policyName', which its template declares "
                "without a default value",
            ),
            ("error", "deployment 'policy' passes 'retention', which its template does not declare"),
        ]
        assert found[1].where == position(text, '"retention"')
        assert found[0].where == position(text, '"parameters": {', after='"scope": "inner"')

    def test_outer_scope_expression_parameters_and_links_are_not_read(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        outer = _nested(self.INNER, None, name="outer")
        as_expression = _nested(self.INNER, "inner", name="expr")
        as_expression["properties"]["parameters"] = "[variables('all')]"  # type: ignore[index]
        linked = _nested(self.INNER, "inner", name="linked")
        linked["properties"]["parametersLink"] = {"uri": "https://example.com/p.json"}  # type: ignore[index]
        data = template(variables={"all": {}}, resources=[outer, as_expression, linked])
        _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
        assert only(findings, "TG209") == []

    def test_bicep_module(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        (tmp_path / "policy.bicep").write_text(
            "param vaultName string\nparam policyName string\nparam days int = 30\nparam tags object?\n"
            "output name string = '${vaultName}/${policyName}/${days}'\n",
            encoding="utf-8",
        )
        text = (
            "module policy 'policy.bicep' = {\n"
            "  name: 'policy'\n"
            "  params: {\n"
            "    vaultName: 'rsv'\n"
            "    policyNmae: 'DailyPolicy'\n"
            "  }\n"
            "}\n"
        )
        main_path = tmp_path / "main.bicep"
        main_path.write_text(text, encoding="utf-8")
        _, findings = lint(capsys, [main_path])
        found = sorted(only(findings, "TG209"), key=lambda f: f.message)
        assert [f.message for f in found] == [
            "module 'policy' gives no value to 'policyName', which its template declares without a "
            "default value",
            "module 'policy' passes 'policyNmae', which its template does not declare; did you mean "
            "'policyName'?",
        ]
        assert found[1].where == position(text, "policyNmae")
