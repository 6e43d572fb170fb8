"""Scaling: time per resource on synthetic templates of 100, 1,000 and 10,000 resources.

The templates are generated here (deterministically, into `benchmarks/.work/scaling/`) with what
makes linting work: expressions everywhere (`format`, `resourceId`, `reference`, `copyIndex`,
`uniqueString`, `if`), copy loops, conditions, nested child resources, outputs, and `dependsOn` both
on a shared virtual network and along chains of ten resources (deep enough to exercise dependency
walks, shallow enough to be realistic).

Each round is a fresh process that first lints a one-resource template (so imports and the rule
catalogue are paid before the clock starts) and then times `templategen lint` on the big one through
the real command-line entry point, JSON report included. Time per resource = that time / resources.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from benchmarks.common import PYTHON, WORK, child_env, log, median
from templategen.fileio import atomic_write

SIZES = (100, 1_000, 10_000)
CHAIN = 10
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"

TIMER = r"""
import sys, time
from templategen.cli import main
warm, big, out = sys.argv[1:4]
main(["lint", "--isolated", "-q", "--format", "json", "-o", out, warm])
start = time.perf_counter()
code = main(["lint", "--isolated", "-q", "--format", "json", "-o", out, big])
print(time.perf_counter() - start, code)
"""


def _storage(i: int) -> dict[str, Any]:
    return {
        "type": "Microsoft.Storage/storageAccounts",
        "apiVersion": "2023-01-01",
        "name": f"[format('st{{0}}{i}', uniqueString(resourceGroup().id))]",
        "location": "[parameters('location')]",
        "tags": "[variables('tags')]",
        "sku": {"name": "[if(equals(parameters('environment'), 'prod'), 'Standard_GRS', 'Standard_LRS')]"},
        "kind": "StorageV2",
        "properties": {
            "minimumTlsVersion": "TLS1_2",
            "supportsHttpsTrafficOnly": True,
            "allowBlobPublicAccess": False,
            "networkAcls": {
                "defaultAction": "Deny",
                "virtualNetworkRules": [{"id": "[variables('subnetId')]", "action": "Allow"}],
            },
        },
    }


def _public_ips(i: int) -> dict[str, Any]:
    return {
        "type": "Microsoft.Network/publicIPAddresses",
        "apiVersion": "2023-09-01",
        "name": f"[format('{{0}}-pip{i}-{{1}}', parameters('prefix'), copyIndex())]",
        "location": "[parameters('location')]",
        "copy": {"name": f"pips{i}", "count": "[parameters('instances')]"},
        "sku": {"name": "Standard"},
        "properties": {
            "publicIPAllocationMethod": "Static",
            "dnsSettings": {
                "domainNameLabel": f"[toLower(format('{{0}}-{i}-{{1}}', parameters('prefix'), copyIndex()))]"
            },
        },
    }


def _nics(i: int) -> dict[str, Any]:
    return {
        "type": "Microsoft.Network/networkInterfaces",
        "apiVersion": "2023-09-01",
        "name": f"[format('{{0}}-nic{i}-{{1}}', parameters('prefix'), copyIndex())]",
        "location": "[parameters('location')]",
        "copy": {"name": f"nics{i}", "count": "[parameters('instances')]"},
        "properties": {
            "ipConfigurations": [
                {
                    "name": "ipconfig1",
                    "properties": {
                        "privateIPAllocationMethod": "Dynamic",
                        "subnet": {"id": "[variables('subnetId')]"},
                        "publicIPAddress": {
                            "id": "[resourceId('Microsoft.Network/publicIPAddresses', "
                            f"format('{{0}}-pip{i - 1}-{{1}}', parameters('prefix'), copyIndex()))]"
                        },
                    },
                }
            ]
        },
    }


def _nsg(i: int) -> dict[str, Any]:
    return {
        "condition": "[parameters('withSecurityGroups')]",
        "type": "Microsoft.Network/networkSecurityGroups",
        "apiVersion": "2023-09-01",
        "name": f"[concat(parameters('prefix'), '-nsg{i}')]",
        "location": "[parameters('location')]",
        "properties": {
            "securityRules": [
                {
                    "name": "allow-https",
                    "properties": {
                        "priority": 100 + i % 3000,
                        "direction": "Inbound",
                        "access": "Allow",
                        "protocol": "Tcp",
                        "sourcePortRange": "*",
                        "destinationPortRange": "443",
                        "sourceAddressPrefix": "[reference(variables('vnetName'), '2023-09-01').addressSpace"
                        ".addressPrefixes[0]]",
                        "destinationAddressPrefix": "*",
                    },
                }
            ]
        },
        "resources": [
            {
                "type": "providers/diagnosticSettings",
                "apiVersion": "2021-05-01-preview",
                "name": "[concat('Microsoft.Insights/', 'nsg-diagnostics')]",
                "dependsOn": [
                    "[resourceId('Microsoft.Network/networkSecurityGroups', "
                    f"concat(parameters('prefix'), '-nsg{i}'))]"
                ],
                "properties": {"logs": [{"category": "NetworkSecurityGroupEvent", "enabled": True}]},
            }
        ],
    }


_KINDS = (_storage, _public_ips, _nics, _nsg)
_ID_OF = {
    _storage: "[resourceId('Microsoft.Storage/storageAccounts', "
    "format('st{{0}}{i}', uniqueString(resourceGroup().id)))]",
    _public_ips: "pips{i}",
    _nics: "nics{i}",
    _nsg: "[resourceId('Microsoft.Network/networkSecurityGroups', concat(parameters('prefix'), '-nsg{i}'))]",
}


def template(resources: int) -> dict[str, Any]:
    """A deployable-looking template declaring `resources` top-level resources (the first: the vnet)."""
    items: list[dict[str, Any]] = [
        {
            "type": "Microsoft.Network/virtualNetworks",
            "apiVersion": "2023-09-01",
            "name": "[variables('vnetName')]",
            "location": "[parameters('location')]",
            "properties": {
                "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/24"}}],
            },
        }
    ]
    vnet = "[resourceId('Microsoft.Network/virtualNetworks', variables('vnetName'))]"
    for i in range(1, resources):
        kind = _KINDS[i % len(_KINDS)]
        resource = kind(i)
        depends = [vnet]
        if i % CHAIN:  # chains of CHAIN resources, each on the one before
            previous = _KINDS[(i - 1) % len(_KINDS)]
            if i - 1 > 0:
                depends.append(_ID_OF[previous].format(i=i - 1))
        resource["dependsOn"] = depends + resource.get("dependsOn", [])
        items.append(resource)
    return {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "parameters": {
            "prefix": {"type": "string", "defaultValue": "bench", "maxLength": 10},
            "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
            "environment": {"type": "string", "defaultValue": "test", "allowedValues": ["test", "prod"]},
            "instances": {"type": "int", "defaultValue": 2, "minValue": 1, "maxValue": 10},
            "withSecurityGroups": {"type": "bool", "defaultValue": True},
        },
        "variables": {
            "vnetName": "[format('{0}-vnet', parameters('prefix'))]",
            "subnetId": "[resourceId('Microsoft.Network/virtualNetworks/subnets', "
            "variables('vnetName'), 'default')]",
            "tags": {"environment": "[parameters('environment')]", "owner": "benchmarks"},
        },
        "resources": items,
        "outputs": {
            "vnetId": {"type": "string", "value": vnet},
            "firstStorage": {
                "type": "string",
                "value": "[reference(resourceId('Microsoft.Storage/storageAccounts', "
                "format('st{0}4', uniqueString(resourceGroup().id))), '2023-01-01').primaryEndpoints.blob]",
            },
        },
    }


def write_templates(folder: Path) -> dict[int, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for size in (1, *SIZES):
        path = folder / f"resources-{size}.json"
        text = json.dumps(template(size), indent=2) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            atomic_write(str(path), text)
        paths[size] = path
    return paths


def measure(rounds: int) -> dict[str, Any]:
    folder = WORK / "scaling"
    paths = write_templates(folder)
    out = folder / "report.json"
    rows: dict[int, dict[str, Any]] = {}
    log(f"scaling: {', '.join(f'{n:,}' for n in SIZES)} resources, {rounds} rounds")
    times: dict[int, list[float]] = {size: [] for size in SIZES}
    codes: dict[int, set[int]] = {size: set() for size in SIZES}
    for _ in range(rounds):
        for size in SIZES:
            done = subprocess.run(
                [str(PYTHON), "-c", TIMER, str(paths[1]), str(paths[size]), str(out)],
                capture_output=True,
                text=True,
                env=child_env(),
                check=True,
            )
            seconds, code = done.stdout.split()
            times[size].append(float(seconds))
            codes[size].add(int(code))
            if size == SIZES[-1]:
                findings = len(json.loads(out.read_text(encoding="utf-8"))["diagnostics"])
                rows.setdefault(size, {})["findings"] = findings
    for size in SIZES:
        seconds_median = median(times[size])
        row = rows.setdefault(size, {})
        row.update(
            {
                "bytes": paths[size].stat().st_size,
                "seconds": seconds_median,
                "per_resource_us": seconds_median / size * 1e6,
                "exit_codes": sorted(codes[size]),
            }
        )
    first, last = rows[SIZES[0]]["per_resource_us"], rows[SIZES[-1]]["per_resource_us"]
    return {"rounds": rounds, "rows": rows, "ratio": last / first}
