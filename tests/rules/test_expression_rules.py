"""TG101-TG104 through the real CLI: the finding's rule, severity and exact line:column inside the string."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import SCHEMA, inner_deployment, lint, only, position, template, write

SUBSCRIPTION_SCHEMA = (
    "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
)


def _output(value: str, **members: object) -> dict[str, object]:
    return template(outputs={"out": {"type": "string", "value": value}}, **members)


class TestInvalidExpression:
    def test_points_inside_the_string(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        text = json.dumps(_output("[concat('a', 'b']"), indent=2)
        path = write(tmp_path, "t.json", text)
        code, findings = lint(capsys, [path])
        [found] = only(findings, "TG101")
        assert found.severity == "error"
        assert found.where == position(text, "'b']", 3)  # the ']' where ')' was expected
        assert "missing ')'" in found.message
        assert code == 1

    def test_column_counts_json_escapes(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        # `\"` is two characters in the file but one in the string: the column must still be right
        text = json.dumps(_output('[concat(\'say "hi"\', "x")]'), indent=2)
        path = write(tmp_path, "t.json", text)
        _, findings = lint(capsys, [path])
        [found] = only(findings, "TG101")
        assert found.where == position(text, '\\"x\\"')
        assert "double quotes" in found.message

    def test_a_literal_escaped_with_double_bracket_is_fine(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = write(tmp_path, "t.json", _output("[[not an expression]"))
        _, findings = lint(capsys, [path])
        assert only(findings, "TG101") == []


class TestUnknownFunction:
    def test_names_the_function_and_suggests(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        text = json.dumps(_output("[toLowerCase(deployment().name)]"), indent=2)
        path = write(tmp_path, "t.json", text)
        _, findings = lint(capsys, [path])
        [found] = only(findings, "TG102")
        assert (found.severity, found.where) == ("error", position(text, "toLowerCase"))
        assert found.message == "unknown function 'toLowerCase' (did you mean 'toLower'?)"

    def test_case_insensitive_and_list_functions(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        value = "[concat(TOLOWER('A'), string(listCallbackUrl(resourceId('a.b/c', 'd'), '2020-01-01')))]"
        path = write(tmp_path, "t.json", _output(value))
        _, findings = lint(capsys, [path])
        assert only(findings, "TG102") == []

    def test_fail_is_a_function_of_compiled_bicep(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        # Bicep compiles `x ?? fail('msg')` to coalesce(..., fail('msg')); the Azure Verified Modules
        # ship such main.json files, so this must not be an unknown function.
        value = "[coalesce(tryGet(parameters('key'), 'name'), fail('Expected a key name'))]"
        parameters = {"key": {"type": "object", "defaultValue": {"name": "k"}}}
        path = write(tmp_path, "t.json", _output(value, parameters=parameters))
        code, findings = lint(capsys, [path])
        assert findings == [] and code == 0
        text = json.dumps(_output("[fail()]"), indent=2)
        path = write(tmp_path, "arity.json", text)
        _, findings = lint(capsys, [path])
        [found] = only(findings, "TG103")
        assert found.message == "fail() takes 1 argument, but none given"

    def test_bicep_fail_is_a_function(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        # Bicep's flow-control function (sys namespace), as Azure Verified Modules use it
        path = tmp_path / "main.bicep"
        path.write_text(
            "param keyVersion string = ''\n"
            "output version string = !empty(keyVersion) ? keyVersion : fail('keyVersion is required')\n"
            "output wrong string = fail()\n"
            "output matches bool = like('abcdef', 'a*c*')\n",
            encoding="utf-8",
        )
        _, findings = lint(capsys, [path])
        assert only(findings, "TG102") == []
        [count] = only(findings, "TG103")
        assert count.line == 3


class TestWrongArgumentCount:
    def test_builtin(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        text = json.dumps(_output("[concat('a', if(true(), 'b'))]"), indent=2)
        path = write(tmp_path, "t.json", text)
        _, findings = lint(capsys, [path])
        [found] = only(findings, "TG103")
        assert (found.severity, found.where) == ("error", position(text, "if("))
        assert found.message == "if() takes 3 arguments, but 2 given"

    def test_user_function(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        functions = [
            {
                "namespace": "ns",
                "members": {
                    "greet": {
                        "parameters": [{"name": "who", "type": "string"}],
                        "output": {"type": "string", "value": "[concat('hi ', parameters('who'))]"},
                    }
                },
            }
        ]
        text = json.dumps(_output("[ns.greet('a', 'b')]", functions=functions), indent=2)
        path = write(tmp_path, "t.json", text)
        _, findings = lint(capsys, [path])
        [found] = only(findings, "TG103")
        assert found.where == position(text, "ns.greet(")
        assert found.message == "ns.greet() takes 1 argument, but 2 given"


class TestFunctionNotAllowedHere:
    def test_scope_function_in_subscription_template(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = _output("[resourceGroup().location]")
        data["$schema"] = SUBSCRIPTION_SCHEMA
        text = json.dumps(data, indent=2)
        path = write(tmp_path, "t.json", text)
        _, findings = lint(capsys, [path])
        [found] = only(findings, "TG104")
        assert (found.severity, found.where) == ("error", position(text, "resourceGroup()"))
        assert "resourceGroup() cannot be used in a subscription deployment" in found.message

    def test_inner_nested_deployment_into_a_resource_group_may_use_it(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inner = template(outputs={"rg": {"type": "string", "value": "[resourceGroup().name]"}})
        deployment = inner_deployment("inner", inner, resourceGroup="rg1")
        data = template(resources=[deployment])
        data["$schema"] = SUBSCRIPTION_SCHEMA
        path = write(tmp_path, "t.json", data)
        _, findings = lint(capsys, [path])
        assert only(findings, "TG104") == []

    def test_outer_nested_template_is_evaluated_at_the_parent_scope(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inner = template(outputs={"rg": {"type": "string", "value": "[resourceGroup().name]"}})
        deployment = {
            "type": "Microsoft.Resources/deployments",
            "apiVersion": "2022-09-01",
            "name": "outer",
            "resourceGroup": "rg1",
            "properties": {"mode": "Incremental", "template": inner},
        }
        data = template(resources=[deployment])
        data["$schema"] = SUBSCRIPTION_SCHEMA
        path = write(tmp_path, "t.json", data)
        _, findings = lint(capsys, [path])
        assert [f.message.split(" (")[0] for f in only(findings, "TG104")] == [
            "resourceGroup() cannot be used in a subscription deployment"
        ]

    def test_utcnow_outside_a_parameter_default(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = template(
            parameters={"stamp": {"type": "string", "defaultValue": "[utcNow()]"}},
            variables={"later": "[utcNow('u')]"},
            outputs={"s": {"type": "string", "value": "[concat(parameters('stamp'), variables('later'))]"}},
        )
        text = json.dumps(data, indent=2)
        path = write(tmp_path, "t.json", text)
        _, findings = lint(capsys, [path])
        [found] = only(findings, "TG104")
        assert found.where == position(text, "utcNow('u')")
        assert found.message == "utcNow() can only be used in the defaultValue of a parameter"

    def test_lambda_placement(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            variables={
                "ok": "[map(createArray(1, 2), lambda('x', mul(lambdaVariables('x'), 2)))]",
                "loose": "[lambdaVariables('x')]",
                "stray": "[concat(lambda('x', 1))]",
            },
            outputs={
                "o": {
                    "type": "array",
                    "value": "[createArray(variables('ok'), variables('loose'), variables('stray'))]",
                }
            },
        )
        text = json.dumps(data, indent=2)
        path = write(tmp_path, "t.json", text)
        _, findings = lint(capsys, [path])
        found = only(findings, "TG104")
        assert [(f.where, f.message.split(" ")[0]) for f in found] == [
            (position(text, "lambdaVariables('x')]"), "lambdaVariables()"),
            (position(text, "lambda('x', 1)"), "lambda()"),
        ]

    def test_reference_in_variables(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            variables={
                "state": "[reference(resourceId('Microsoft.Storage/storageAccounts', 'st')).primaryEndpoints]"
            },
            outputs={"o": {"type": "object", "value": "[variables('state')]"}},
        )
        text = json.dumps(data, indent=2)
        path = write(tmp_path, "t.json", text)
        _, findings = lint(capsys, [path])
        [found] = only(findings, "TG104")
        assert found.where == position(text, "reference(")
        assert found.message.startswith("reference() cannot be used in variables")

    def test_schema_without_scope_decides_nothing(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = {
            "contentVersion": "1.0.0.0",
            "resources": [],
            "outputs": {"o": {"type": "string", "value": "[subscription().id]"}},
        }
        path = write(tmp_path, "t.json", data)
        _, findings = lint(capsys, [path])
        assert only(findings, "TG104") == []
        assert SCHEMA  # the helper's schema is the resource-group one


def test_key_expressions_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An object key that is an expression is evaluated too; its finding points at the key."""
    resource = {
        "type": "Microsoft.Storage/storageAccounts",
        "apiVersion": "2023-05-01",
        "name": "st",
        "location": "[resourceGroup().location]",
        "tags": {"[concatt('hidden-', 'x')]": "value"},
    }
    text = json.dumps(template(resources=[resource]), indent=2)
    path = write(tmp_path, "t.json", text)
    _, findings = lint(capsys, [path])
    [found] = only(findings, "TG102")
    assert found.where == position(text, '"[concatt(')
