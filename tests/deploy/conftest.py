"""Fixtures of the deploy tests: a TLS ARM emulator on 127.0.0.1 and a CLI wired to it.

The CLI reaches the emulator only through public knobs a user has too:
* `--endpoint https://127.0.0.1:<port>` (the Resource Manager URL),
* `REQUESTS_CA_BUNDLE=<the test CA>` (the standard trust setting; the machine's own value is replaced),
* a real sign-in: azure-identity's EnvironmentCredential (AZURE_TENANT_ID, AZURE_CLIENT_ID,
  AZURE_CLIENT_SECRET) with `AZURE_AUTHORITY_HOST` pointing at the emulator's token endpoint, and
  `AZURE_TOKEN_CREDENTIALS=EnvironmentCredential` so no other credential is ever tried (no IMDS probe,
  no `az` subprocess),
* `NO_PROXY` for 127.0.0.1 and fast pacing through TEMPLATEGEN_POLL_INTERVAL / TEMPLATEGEN_RETRY_BACKOFF.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from tests.deploy.emulator import ArmEmulator

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
OTHER_AZURE_VARS = (
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    "AZURE_USERNAME",
    "AZURE_PASSWORD",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_CLOUD",
)

TEMPLATE: dict[str, Any] = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {
        "vaultName": {"type": "string", "defaultValue": "rsv-backup-prod"},
        "location": {"type": "string", "defaultValue": "westeurope"},
        "skuName": {"type": "string", "defaultValue": "RS0", "allowedValues": ["RS0", "Standard"]},
        "retentionDays": {"type": "int", "defaultValue": 30},
        "instantRestore": {"type": "bool", "defaultValue": True},
        "tags": {"type": "object", "defaultValue": {}},
    },
    "resources": [
        {
            "type": "Microsoft.RecoveryServices/vaults",
            "apiVersion": "2023-04-01",
            "name": "[parameters('vaultName')]",
            "location": "[parameters('location')]",
            "tags": "[parameters('tags')]",
            "sku": {"name": "[parameters('skuName')]", "tier": "Standard"},
            "properties": {"publicNetworkAccess": "Enabled"},
        },
        {
            "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
            "apiVersion": "2023-04-01",
            "name": "rsv-backup-prod/DailyPolicy",
            "location": "[parameters('location')]",
            "dependsOn": ["[resourceId('Microsoft.RecoveryServices/vaults', parameters('vaultName'))]"],
            "properties": {
                "backupManagementType": "AzureIaasVM",
                "instantRpRetentionRangeInDays": 2,
                "schedulePolicy": {
                    "schedulePolicyType": "SimpleSchedulePolicy",
                    "scheduleRunFrequency": "Daily",
                    "scheduleRunTimes": ["2026-01-01T02:30:00Z"],
                },
                "retentionPolicy": {
                    "retentionPolicyType": "LongTermRetentionPolicy",
                    "dailySchedule": {
                        "retentionTimes": ["2026-01-01T02:30:00Z"],
                        "retentionDuration": {
                            "count": "[parameters('retentionDays')]",
                            "durationType": "Days",
                        },
                    },
                },
                "timeZone": "UTC",
            },
        },
    ],
    "outputs": {
        "vaultName": {"type": "string", "value": "[parameters('vaultName')]"},
        "retentionDays": {"type": "int", "value": "[parameters('retentionDays')]"},
    },
}

PARAMETERS: dict[str, Any] = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {
        "vaultName": {"value": "rsv-backup-prod"},
        "retentionDays": {"value": 14},
        "tags": {"value": {"env": "prod", "owner": "backup-team"}},
    },
}

SECRET = "Zq!7-not-echoed-9xP"

SECURE_TEMPLATE: dict[str, Any] = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {
        "vmName": {"type": "string", "defaultValue": "vm-app-01"},
        "snapshotToken": {"type": "secureString"},
    },
    "resources": [
        {
            "type": "Microsoft.Compute/virtualMachines/extensions",
            "apiVersion": "2024-07-01",
            "name": "vm-app-01/VMSnapshotLinux",
            "location": "westeurope",
            "properties": {
                "publisher": "Microsoft.Azure.RecoveryServices",
                "type": "VMSnapshotLinux",
                "typeHandlerVersion": "1.0",
                # A token in public settings is bad practice, and exactly what masking must survive.
                "settings": {"locale": "en-us", "taskId": "[parameters('snapshotToken')]"},
                "protectedSettings": {"token": "[parameters('snapshotToken')]"},
            },
        }
    ],
    "outputs": {"echo": {"type": "secureString", "value": "[parameters('snapshotToken')]"}},
}


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA(key_type=trustme.KeyType.ECDSA)


@pytest.fixture(scope="session")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture(scope="session")
def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost", key_type=trustme.KeyType.ECDSA).configure_cert(context)
    return context


@pytest.fixture
def emulator(server_context: ssl.SSLContext) -> Iterator[ArmEmulator]:
    emu = ArmEmulator()
    emu.start(server_context)
    try:
        yield emu
    finally:
        emu.stop()


def emulator_env(emu: ArmEmulator, ca_file: Path) -> dict[str, str]:
    """The environment variables that point a real `templategen deploy` at `emu`."""
    return {
        "AZURE_TENANT_ID": emu.tenant_id,
        "AZURE_CLIENT_ID": emu.client_id,
        "AZURE_CLIENT_SECRET": emu.client_secret,
        "AZURE_AUTHORITY_HOST": emu.url,
        "AZURE_TOKEN_CREDENTIALS": "EnvironmentCredential",
        "AZURE_SUBSCRIPTION_ID": emu.subscription_id,
        "REQUESTS_CA_BUNDLE": str(ca_file),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        "TEMPLATEGEN_POLL_INTERVAL": "0",
        "TEMPLATEGEN_RETRY_BACKOFF": "0.01",
    }


@pytest.fixture
def deploy_env(emulator: ArmEmulator, ca_file: Path, monkeypatch: pytest.MonkeyPatch) -> ArmEmulator:
    for var in PROXY_VARS + OTHER_AZURE_VARS + ("NO_COLOR", "CURL_CA_BUNDLE", "TEMPLATEGEN_RETRIES"):
        monkeypatch.delenv(var, raising=False)
    for key, value in emulator_env(emulator, ca_file).items():
        monkeypatch.setenv(key, value)
    return emulator


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "template": write_json(tmp_path / "backup-vault.json", TEMPLATE),
        "parameters": write_json(tmp_path / "backup-vault.parameters.json", PARAMETERS),
        "secure": write_json(tmp_path / "snapshot-ext.json", SECURE_TEMPLATE),
    }


@pytest.fixture
def cli(deploy_env: ArmEmulator, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run `templategen deploy --endpoint <emulator> --no-lint ARGS` in-process through the real CLI."""
    from templategen.cli import main

    def run(*args: str, endpoint: bool = True, lint: bool = False) -> Result:
        argv = ["deploy", *args]
        if endpoint:
            argv += ["--endpoint", deploy_env.url]
        if not lint:
            argv.append("--no-lint")
        capsys.readouterr()
        code = main(argv)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
