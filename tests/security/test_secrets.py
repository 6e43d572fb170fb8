"""Secrets are never printed: planted everywhere they can be, looked for everywhere we write.

Planted (every value carries a marker no real text contains, `SIGSECRET`, `PROTSECRET`, ...):

| what                     | where it is planted                                                    |
|--------------------------|------------------------------------------------------------------------|
| SAS signature `sig=...`  | public settings, protectedSettings, tags, a resource name, variables,  |
|                          | outputs, a parameter's default and its metadata, parameters-file       |
|                          | values, Bicep (defaults, tags, settings), YAML inputs (tags, taskId,   |
|                          | a name, an unknown key, a date)                                        |
| URL-encoded `sig%3D...`  | a variable, a Bicep parameter default                                  |
| storage account key      | a connection string in a variable                                      |
| protectedSettings values | literal strings in protectedSettings (JSON, Bicep), a nested object    |
| secure parameter values  | secureString / secureObject defaults (JSON, Bicep), parameters-file    |
|                          | values, an undeclared parameter, outputs that return them              |
| error positions          | a syntax error on the secret's own line (template, parameters file,    |
|                          | Bicep, YAML input), so the finding points at that line                 |

Looked for (no marker may appear; `sig=***` and each finding's position must remain):

| command                   | what is checked                                                     |
|---------------------------|---------------------------------------------------------------------|
| `lint`                    | stdout in every format (text with its source lines, json, sarif,    |
|                           | junit, github), `-o FILE` in every format, `-v` logs, `-p` runs     |
| `graph`                   | stdout of every `--format`, with and without `-p`, `-o FILE`        |
| `generate`                | stderr and stdout, inputs whose errors and warnings sit on secrets  |
| `deploy`                  | tests/security/test_secrets_deploy.py: Azure errors echoing secrets |

Rules are not named here: every rule that exists runs on the planted files, so a rule added later
that prints a secret fails this suite.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import re
from pathlib import Path

import click
import pytest

from templategen.cli import main
from templategen.commands import COMMANDS

MARKERS = ("SIGSECRET", "SIGENCSECRET", "KEYSECRET", "PROTSECRET", "SECUREDEFAULT", "PARAMSECRET")


def sas(tag: str, expired: bool = False) -> str:
    """A SAS URI whose signature carries the marker (and a tag saying where it was planted)."""
    expiry = "2001-01-01T00:00:00Z" if expired else "2099-01-01T00:00:00Z"
    return (
        f"https://backupacct.blob.core.windows.net/vmsnapshot/status-{tag}.json"
        f"?sv=2020-08-04&ss=b&srt=o&sp=rw&se={expiry}&sig=SIGSECRET{tag}Zx9%2Bq%3D"
    )


SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
PARAMETERS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"

TEMPLATE: dict[str, object] = {
    "$schema": SCHEMA,
    "contentVersion": "1.0.0.0",
    "parameters": {
        "vmName": {"type": "string", "defaultValue": "vm-app-01"},
        "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
        "adminPassword": {"type": "secureString", "defaultValue": "SECUREDEFAULTpassword-91ab"},
        "snapshotSettings": {
            "type": "secureObject",
            "defaultValue": {"objectStr": "SECUREDEFAULTobject-5c2f", "logsBlobUri": sas("securedefault")},
        },
        "statusUri": {
            "type": "string",
            "defaultValue": sas("paramdefault", expired=True),
            "metadata": {"description": f"status blob, e.g. {sas('description')}"},
        },
    },
    "variables": {
        "connection": (
            "DefaultEndpointsProtocol=https;AccountName=backupacct;"
            "AccountKey=KEYSECRETbase64key+AAAA==;EndpointSuffix=core.windows.net"
        ),
        "encodedSas": "https://backupacct.blob.core.windows.net/c/b?sv=2020-08-04&sig%3DSIGENCSECRETvar",
        "plainSas": sas("variable"),
    },
    "resources": [
        {
            "type": "Microsoft.Compute/virtualMachines/extensions",
            "apiVersion": "2024-07-01",
            "name": "[format('{0}/VMSnapshot', parameters('vmName'))]",
            "location": "[parameters('location')]",
            "tags": {"status": sas("tag")},
            "properties": {
                "publisher": "Microsoft.Azure.RecoveryServices",
                "type": "VMSnapshot",
                "typeHandlerVersion": "1.0",
                "autoUpgradeMinorVersion": True,
                "settings": {
                    "locale": "en-us",
                    "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
                    "commandToExecute": "snapshot",
                    "commandStartTimeUTCTicks": "636458000000000000",
                    "vmType": "microsoft.compute/virtualmachines",
                    "statusBlobUri": sas("publicsettings", expired=True),
                },
                "protectedSettings": {
                    "objectStr": "PROTSECRETobjectstr-7d1e",
                    "logsBlobUri": sas("protected"),
                    "statusBlobUri": "[parameters('statusUri')]",
                    "nested": {"token": "PROTSECRETnested-2b3c"},
                },
            },
        },
        {
            "type": "Microsoft.Storage/storageAccounts",
            "apiVersion": "2023-05-01",
            "name": "store?sig=SIGSECRETname",
            "location": "westeurope",
            "sku": {"name": "Standard_LRS"},
            "kind": "StorageV2",
        },
    ],
    "outputs": {
        "password": {"type": "string", "value": "[parameters('adminPassword')]"},
        "settings": {"type": "object", "value": "[parameters('snapshotSettings')]"},
        "sas": {"type": "string", "value": sas("output")},
    },
}

PARAMETERS: dict[str, object] = {
    "$schema": PARAMETERS_SCHEMA,
    "contentVersion": "1.0.0.0",
    "parameters": {
        "adminPassword": {"value": "PARAMSECRETpassword-33aa"},
        "snapshotSettings": {
            "value": {"objectStr": "PARAMSECRETobject-44bb", "logsBlobUri": sas("paramsfile")}
        },
        "statusUri": {"value": sas("paramsfile-status", expired=True)},
        "notDeclared": {"value": "PARAMSECRETundeclared-55cc"},
    },
}

BICEP = f"""\
@secure()
param adminPassword string = 'SECUREDEFAULTbicep-66dd'
param statusUri string = '{sas("bicep-default", expired=True)}'
param encoded string = 'https://backupacct.blob.core.windows.net/c/b?sig%3DSIGENCSECRETbicep'
param location string = resourceGroup().location

resource vm 'Microsoft.Compute/virtualMachines@2024-07-01' existing = {{
  name: 'vm-app-01'
}}

resource snapshot 'Microsoft.Compute/virtualMachines/extensions@2024-07-01' = {{
  parent: vm
  name: 'VMSnapshot'
  location: location
  tags: {{
    status: '{sas("bicep-tag")}'
  }}
  properties: {{
    publisher: 'Microsoft.Azure.RecoveryServices'
    type: 'VMSnapshot'
    typeHandlerVersion: '1.0'
    settings: {{
      statusBlobUri: '{sas("bicep-settings", expired=True)}'
    }}
    protectedSettings: {{
      objectStr: 'PROTSECRETbicep-77ee'
      logsBlobUri: '{sas("bicep-protected")}'
      password: adminPassword
    }}
  }}
}}

output password string = adminPassword
output status string = statusUri
"""

INPUT = f"""\
kind: vmsnapshot-extension
os: windows
vm:
  name: myVM
tags:
  status: "{sas("input-tag")}"
settings:
  taskId: "{sas("input-taskid")}"
  commandStartTime: "2017-11-09T04:53:20Z"
"""


def lines_with(text: str, needle: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if needle in line]


class Printed:
    """Everything one run printed or wrote."""

    def __init__(self, argv: list[str], code: int, out: str, err: str, files: dict[str, str]) -> None:
        self.argv = argv
        self.code = code
        self.out = out
        self.err = err
        self.files = files

    @property
    def everything(self) -> str:
        return "\n".join([self.out, self.err, *self.files.values()])

    def __repr__(self) -> str:
        return f"Printed({self.argv}, code={self.code}, out={self.out[:4000]!r}, err={self.err[:4000]!r})"


def run(argv: list[str], cwd: Path, written: list[Path] = ()) -> Printed:  # type: ignore[assignment]
    """The real CLI in this process; `written`: files the command writes, read back afterwards."""
    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        os.chdir(before)
    files = {
        str(path): path.read_text(encoding="utf-8", errors="replace") for path in written if path.exists()
    }
    return Printed(argv, code, out.getvalue(), err.getvalue(), files)


def _without_rule_documentation(text: str) -> str:
    """A SARIF log lists every rule's documentation, whose examples show made-up signatures; the
    findings are what must not show one."""
    try:
        log = json.loads(text)
    except ValueError:
        return text
    if isinstance(log, dict) and isinstance(log.get("runs"), list):
        for sarif_run in log["runs"]:
            sarif_run.pop("tool", None)
        return json.dumps(log)
    return text


def assert_nothing_secret(printed: Printed) -> None:
    """No marker anywhere; what is printed of a SAS is `sig=***` (or `sig%3D***`)."""
    text = printed.everything
    assert "Traceback" not in text and "internal error" not in text, printed
    for marker in MARKERS:
        assert marker not in text, (marker, printed)
    for part in [printed.out, printed.err, *printed.files.values()]:
        shown = _without_rule_documentation(part)
        for match in re.finditer(r"(?i)\bsig(?:=|%3D)([A-Za-z0-9%+/=*]{3,})", shown):  # signature-shaped
            assert match.group(1) == "***", (match.group(0), printed)


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    (tmp_path / "azuredeploy.json").write_text(json.dumps(TEMPLATE, indent=2), encoding="utf-8")
    (tmp_path / "azuredeploy.parameters.json").write_text(json.dumps(PARAMETERS, indent=2), encoding="utf-8")
    (tmp_path / "main.bicep").write_text(BICEP, encoding="utf-8")
    (tmp_path / "input.yaml").write_text(INPUT, encoding="utf-8")
    return tmp_path


FORMATS = ("text", "json", "sarif", "junit", "github")


@pytest.mark.parametrize("fmt", FORMATS)
def test_lint_never_prints_a_secret(planted: Path, fmt: str) -> None:
    paths = ["azuredeploy.json", "azuredeploy.parameters.json", "main.bicep", "input.yaml"]
    report = planted / f"report.{fmt}"
    runs = [
        run(["lint", "--isolated", "--color", "always", "-f", fmt, *paths], planted),
        run(["lint", "--isolated", "-v", "-f", fmt, "-p", "azuredeploy.parameters.json", *paths], planted),
        run(["lint", "--isolated", "-f", fmt, "-o", str(report), "."], planted, [report]),
    ]
    for printed in runs:
        assert printed.code in (0, 1), printed
        assert_nothing_secret(printed)
    assert runs[2].files, "the report file was written"


def test_text_report_shows_where_but_not_what(planted: Path) -> None:
    """Every finding of the planted files keeps its position; a source line holding a SAS shows
    `sig=***`, one holding a protected or secure value is hidden."""
    as_json = run(["lint", "--isolated", "-f", "json", "."], planted)
    findings = json.loads(as_json.out)["diagnostics"]
    text = run(["lint", "--isolated", "-f", "text", "."], planted)
    assert_nothing_secret(text)
    for finding in findings:
        header = f"{finding['path']}:{finding['line']}:{finding['column']}: {finding['rule']} "
        assert header in text.out, (header, text.out)


def broken(text: str, needle: str, damage: str = " !") -> tuple[str, int]:
    """`text` with a syntax error on the line holding `needle`; returns it and that line number."""
    (line,) = lines_with(text, needle)
    rows = text.splitlines()
    rows[line - 1] = rows[line - 1] + damage
    return "\n".join(rows) + "\n", line


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("azuredeploy.json", "SIGSECRETpublicsettings"),
        ("azuredeploy.json", "PROTSECRETobjectstr"),
        ("azuredeploy.json", "SECUREDEFAULTpassword"),
        ("azuredeploy.json", "KEYSECRET"),
        ("azuredeploy.parameters.json", "PARAMSECRETpassword"),
        ("azuredeploy.parameters.json", "SIGSECRETparamsfile-status"),
        ("main.bicep", "SECUREDEFAULTbicep"),
        ("main.bicep", "PROTSECRETbicep"),
        ("main.bicep", "SIGSECRETbicep-settings"),
        ("input.yaml", "SIGSECRETinput-taskid"),
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_syntax_error_on_the_secret_line(planted: Path, name: str, needle: str, fmt: str) -> None:
    """The file cannot be parsed, so nothing says which value is secret; the finding still points
    at the secret's line, and the line is shown only with the secret masked, or not at all."""
    path = planted / name
    damage = {".json": " !", ".bicep": " )(", ".yaml": " !!"}[path.suffix]
    text, line = broken(path.read_text(encoding="utf-8"), needle, damage)
    if name.endswith(".yaml"):
        text = text.replace(
            f'  taskId: "{sas("input-taskid")}" !!', f'  taskId: "{sas("input-taskid")}" x: ['
        )
    path.write_text(text, encoding="utf-8")
    printed = run(["lint", "--isolated", "-f", fmt, name], planted)
    assert printed.code == 2, printed
    assert_nothing_secret(printed)
    findings = json.loads(run(["lint", "--isolated", "-f", "json", name], planted).out)["diagnostics"]
    assert [(d["rule"], d["line"]) for d in findings] == [("TG001", line)], findings


def _graph_formats() -> list[str]:
    module, attribute = COMMANDS["graph"].split(":")
    command = getattr(importlib.import_module(module), attribute)
    for param in command.params:
        if "--format" in getattr(param, "opts", ()) and isinstance(param.type, click.Choice):
            return list(param.type.choices)
    return ["default"]


@pytest.mark.parametrize("fmt", _graph_formats())
@pytest.mark.parametrize("source", ["azuredeploy.json", "main.bicep"])
def test_graph_never_prints_a_secret(planted: Path, fmt: str, source: str) -> None:
    format_options = [] if fmt == "default" else ["--format", fmt]
    target = planted / f"graph.{fmt}"
    runs = [
        run(["graph", source, *format_options], planted),
        run(["graph", source, *format_options, "-p", "azuredeploy.parameters.json"], planted),
        run(["graph", source, *format_options, "-o", str(target)], planted, [target]),
    ]
    for printed in runs:
        assert printed.code == 0, printed
        assert_nothing_secret(printed)
    assert runs[2].files


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("unknown key holding a SAS", INPUT + f"extra: '{sas('input-unknown')}'\n"),
        ("SAS where a name goes", INPUT.replace("name: myVM", f"name: '{sas('input-vmname')}'")),
        (
            "SAS where a number goes",
            INPUT + f"typeHandlerVersion: 1.0\napiVersions: {{x: '{sas('input-api')}'}}\n",
        ),
        (
            "SAS as a date",
            INPUT.replace('commandStartTime: "2017-11-09T04:53:20Z"', f"commandStartTime: '{sas('d')}'"),
        ),
        ("protected value in the input", INPUT + "protectedSettings: {objectStr: PROTSECRETinput-88ff}\n"),
        (
            "YAML syntax error on the SAS line",
            INPUT.replace(f'"{sas("input-tag")}"', f'"{sas("input-tag")}" ]'),
        ),
        ("legacy publisher warning", INPUT + "publisher: Microsoft.RecoveryServices\n"),
    ],
)
def test_generate_never_prints_a_secret(tmp_path: Path, label: str, text: str) -> None:
    path = tmp_path / "input.yaml"
    path.write_text(text, encoding="utf-8")
    printed = run(["generate", str(path), "-o", str(tmp_path / "out"), "--format", "both"], tmp_path)
    assert printed.code in (0, 2), printed
    assert printed.err, printed
    assert_nothing_secret(Printed(printed.argv, printed.code, printed.out, printed.err, {}))
    if printed.code == 2:
        assert all(
            re.match(rf"{re.escape(str(path))}:\d+:\d+: ", line) for line in printed.err.splitlines()[:-1]
        )
