"""TG401-TG404 through the real CLI; secrets never appear in any report format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from templategen.cli import main

from .helpers import inner_deployment, lint, only, position, template, write

VAULT = "Microsoft.RecoveryServices/vaults"
SIGNATURE = "Zx9Yw8Xv7Wu6Vt5Us4Tr3Sq2Rp1Qo0PnOmNlMk%3D"
SAS_URL = f"https://contoso.blob.core.windows.net/c/a.vhd?sv=2022-11-02&sr=b&sp=r&se=2030-01-01T00:00:00Z&sig={SIGNATURE}"


def _resource(location: object, name: str = "rsv", **members: object) -> dict[str, object]:
    data: dict[str, object] = {"type": VAULT, "apiVersion": "2024-04-01", "name": name, "location": location}
    data.update(members)
    return data


class TestHardcodedLocation:
    def test_literal_variable_and_global(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            parameters={"location": {"type": "string", "defaultValue": "westeurope"}},
            variables={"region": "northeurope", "computed": "[parameters('location')]"},
            resources=[
                _resource("West Europe", "a"),
                _resource("[variables('region')]", "b"),
                _resource("Global", "c"),
                _resource("[parameters('location')]", "d"),
                _resource("[variables('computed')]", "e"),
            ],
        )
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        found = only(findings, "TG401")
        assert [(f.severity, f.where, f.message) for f in found] == [
            (
                "warning",
                position(text, '"West Europe"'),
                f"location of {VAULT} 'a' is hard-coded as 'West Europe'; use a parameter "
                "(e.g. [parameters('location')])",
            ),
            (
                "warning",
                position(text, "\"[variables('region')]\""),
                f"location of {VAULT} 'b' comes from variable 'region', which hard-codes "
                "'northeurope'; use a parameter instead",
            ),
        ]

    def test_literal_passed_to_a_nested_template(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inner = template(
            parameters={"where": {"type": "string"}},
            resources=[_resource("[parameters('where')]")],
        )
        deployment = inner_deployment("nested", inner, {"where": {"value": "eastus"}})
        text = json.dumps(template(resources=[deployment]), indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        [found] = only(findings, "TG401")
        assert found.where == position(text, '"eastus"')
        assert (
            f"parameter 'where', which the nested template uses as the location of {VAULT} 'rsv'"
            in found.message
        )


class TestSecureParameterDefault:
    def test_literal_default(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            parameters={
                "password": {"type": "secureString", "defaultValue": "Hunter2-but-longer!"},
                "empty": {"type": "securestring", "defaultValue": ""},
                "generated": {"type": "securestring", "defaultValue": "[newGuid()]"},
                "settings": {"type": "secureObject", "defaultValue": {}},
                "plain": {"type": "string", "defaultValue": "not secret"},
            },
            outputs={
                "o": {
                    "type": "bool",
                    "value": "[and(empty(parameters('password')), empty(parameters('empty')), "
                    "empty(parameters('generated')), empty(parameters('settings')), "
                    "empty(parameters('plain')))]",
                }
            },
        )
        text = json.dumps(data, indent=2)
        path = write(tmp_path, "t.json", text)
        _, findings = lint(capsys, [path])
        [found] = only(findings, "TG402")
        assert (found.severity, found.where) == ("error", position(text, '"Hunter2'))
        assert "Hunter2" not in found.message
        # the text report does not print the line holding the secret either
        main(["lint", "--isolated", str(path)])
        out = capsys.readouterr().out
        assert "Hunter2" not in out and "(line hidden: it may hold a secret)" in out


class TestOutputExposesSecret:
    def test_reported_reasons(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = template(
            parameters={"adminPassword": {"type": "securestring"}, "name": {"type": "string"}},
            variables={
                "common": {"user": "admin", "password": "[parameters('adminPassword')]"},
                "storageId": "[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]",
            },
            outputs={
                "direct": {"type": "string", "value": "[parameters('adminPassword')]"},
                "viaVariable": {"type": "string", "value": "[variables('common').password]"},
                "harmlessMember": {"type": "string", "value": "[variables('common').user]"},
                "keys": {
                    "type": "string",
                    "value": "[listKeys(variables('storageId'), '2023-05-01').keys[0].value]",
                },
                "hashed": {"type": "string", "value": "[uniqueString(parameters('adminPassword'))]"},
                "declaredSecure": {"type": "securestring", "value": "[parameters('adminPassword')]"},
                "conn": {
                    "type": "string",
                    "value": "[reference(variables('storageId')).primaryConnectionString]",
                },
                "sqlPassword": {"type": "string", "value": "[parameters('name')]"},
            },
        )
        text = json.dumps(data, indent=2)
        _, findings = lint(capsys, [write(tmp_path, "t.json", text)])
        found = only(findings, "TG403")
        assert [(f.severity, f.where, f.message) for f in found] == [
            (
                "warning",
                position(text, "parameters('adminPassword')", after='"direct"'),
                "output 'direct' reads the secure parameter 'adminPassword'",
            ),
            (
                "warning",
                position(text, "variables('common').password"),
                "output 'viaVariable' reads variable 'common', which reads the secure parameter "
                "'adminPassword'",
            ),
            (
                "warning",
                position(text, "listKeys("),
                "output 'keys' calls listKeys(), which returns secrets such as keys or SAS tokens",
            ),
            (
                "warning",
                position(text, "reference(variables"),
                "output 'conn' reads the secret-looking property 'primaryConnectionString' of reference()",
            ),
            (
                "warning",
                position(text, '"sqlPassword"'),
                "output 'sqlPassword' looks like it holds a password; outputs are stored in the deployment "
                "history in clear text (declare it secureString if it must be returned)",
            ),
        ]


class TestLiteralSasToken:
    def test_in_a_template_masked_in_every_format(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = template(
            variables={"blob": SAS_URL, "placeholder": "https://x/y?sv=2022-11-02&se=2030&sig=<signature>"},
            outputs={
                "o": {"type": "string", "value": "[concat(variables('blob'), variables('placeholder'))]"}
            },
        )
        text = json.dumps(data, indent=2)
        path = write(tmp_path, "t.json", text)
        _, findings = lint(capsys, [path])
        [found] = only(findings, "TG404")
        assert (found.severity, found.where) == ("error", position(text, f'"{SAS_URL}"'))
        assert "sig=***" in found.message and SIGNATURE not in found.message
        for fmt in ("text", "json", "sarif", "junit", "github"):
            main(["lint", "--isolated", "--format", fmt, str(path)])
            assert SIGNATURE not in capsys.readouterr().out, fmt

    def test_in_a_parameters_file_url_encoded(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        encoded = SAS_URL.replace("?", "%3F").replace("&", "%26").replace("sig=", "sig%3D")
        text = json.dumps(
            {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                "contentVersion": "1.0.0.0",
                "parameters": {"uri": {"value": encoded}},
            },
            indent=2,
        )
        _, findings = lint(capsys, [write(tmp_path, "p.json", text)])
        [found] = only(findings, "TG404")
        assert found.where == position(text, '"https://contoso')
        assert "sig=***" in found.message and SIGNATURE not in found.message
