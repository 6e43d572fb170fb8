"""`deploy` never prints a secret, even when Azure echoes it back (the TLS emulator of tests/deploy).

tests/deploy/test_deploy_cli.py already checks a secure parameter given as `-p name=value` (what-if,
outputs, `-vv` request bodies) and one from a parameters file echoed by an InvalidTemplate error.
Here the template itself holds the secrets a linter would flag (a SAS in public settings, literal
protectedSettings values, a secure parameter's default), and every kind of answer echoes all of
them at once: a preflight validation error, a refused PUT, a deployment that fails in a resource
provider (error tree and failed operations), a what-if diff, the outputs, and `-vv` logs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from templategen.deploy.errors import EXIT_DEPLOYMENT_FAILED, EXIT_TEMPLATE_REJECTED
from tests.deploy.conftest import Result, write_json
from tests.deploy.emulator import ArmEmulator, Plan, arm_error

RG = "rg-backup"
SAS = "https://acct.blob.core.windows.net/c/status.json?sv=2020-08-04&se=2099-01-01&sp=rw&sig=SIGSECRETdeploy%2Bz"
PROTECTED = "PROTSECRETdeploy-aa11"
DEFAULT = "SECUREDEFAULTdeploy-bb22"
FROM_FILE = "PARAMSECRETfile-cc33"
FROM_CLI = "PARAMSECRETcli-dd44"
MARKERS = ("SIGSECRET", "PROTSECRET", "SECUREDEFAULT", "PARAMSECRET")

TEMPLATE = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {
        "adminPassword": {"type": "secureString", "defaultValue": DEFAULT},
        "token": {"type": "secureString"},
        "other": {"type": "securestring"},
    },
    "resources": [
        {
            "type": "Microsoft.Compute/virtualMachines/extensions",
            "apiVersion": "2024-07-01",
            "name": "vm-app-01/VMSnapshot",
            "location": "westeurope",
            "properties": {
                "publisher": "Microsoft.Azure.RecoveryServices",
                "type": "VMSnapshot",
                "typeHandlerVersion": "1.0",
                "settings": {"statusBlobUri": SAS, "taskId": "[parameters('token')]"},
                "protectedSettings": {"objectStr": PROTECTED, "password": "[parameters('adminPassword')]"},
            },
        }
    ],
    "outputs": {
        "echoToken": {"type": "string", "value": "[parameters('token')]"},
        "echoDefault": {"type": "string", "value": "[parameters('adminPassword')]"},
    },
}

ECHO = f"values {SAS} / {PROTECTED} / {DEFAULT} / {FROM_FILE} / {FROM_CLI} are not valid"

Cli = Callable[..., Result]


@pytest.fixture
def planted(tmp_path: Path) -> list[str]:
    template = write_json(tmp_path / "ext.json", TEMPLATE)
    parameters = write_json(
        tmp_path / "ext.parameters.json",
        {
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
            "contentVersion": "1.0.0.0",
            "parameters": {"token": {"value": FROM_FILE}},
        },
    )
    return [str(template), "-g", RG, "-p", str(parameters), "-p", f"other={FROM_CLI}"]


def assert_masked(result: Result) -> None:
    printed = result.out + result.err
    assert "Traceback" not in printed, result
    for marker in MARKERS:
        assert marker not in printed, (marker, result)
    for match in re.finditer(r"(?i)\bsig(?:=|%3D)([A-Za-z0-9%+/=*]{3,})", printed):
        assert match.group(1) == "***", (match.group(0), result)


def test_validation_error_echoing_every_secret(cli: Cli, deploy_env: ArmEmulator, planted: list[str]) -> None:
    deploy_env.inject(
        "POST",
        r"/validate",
        status=400,
        body=arm_error(
            "InvalidTemplateDeployment",
            ECHO,
            details=[{"code": "InvalidParameter", "target": SAS, "message": ECHO}],
        ),
    )
    r = cli(*planted, "--validate-only", "-v")
    assert r.code == EXIT_TEMPLATE_REJECTED, r
    assert_masked(r)
    assert "sig=***" in r.err  # the user still sees which URI Azure means


def test_refused_deployment_echoing_every_secret(
    cli: Cli, deploy_env: ArmEmulator, planted: list[str]
) -> None:
    deploy_env.inject("PUT", r"/deployments/", status=400, body=arm_error("InvalidTemplate", ECHO))
    r = cli(*planted, "-n", "refused", "-vv")
    assert r.code == EXIT_TEMPLATE_REJECTED, r
    assert_masked(r)
    assert "InvalidTemplate: values " in r.err


def test_failed_deployment_and_its_operations_echoing_every_secret(
    cli: Cli, deploy_env: ArmEmulator, planted: list[str]
) -> None:
    deploy_env.plan = Plan(
        outcome="Failed",
        provider_error={"code": "VMExtensionProvisioningError", "message": ECHO, "target": SAS},
    )
    r = cli(*planted, "-n", "failing")
    assert r.code == EXIT_DEPLOYMENT_FAILED, r
    assert_masked(r)
    assert "VMExtensionProvisioningError" in r.err and "Failed operations:" in r.err


def test_what_if_outputs_and_logs(cli: Cli, deploy_env: ArmEmulator, planted: list[str]) -> None:
    what_if = cli(*planted, "--what-if")
    assert what_if.code == 0, what_if
    assert_masked(what_if)
    as_json = cli(*planted, "--what-if", "--format", "json")
    assert as_json.code == 0, as_json
    assert_masked(as_json)
    json.loads(as_json.out)
    deployed = cli(*planted, "-n", "ok", "-vv")
    assert deployed.code == 0, deployed
    assert_masked(deployed)
    assert "echoToken" in deployed.out and "echoDefault" in deployed.out
