"""DOMAIN Decision 5: given the quickstart's own defaults, the backup template has the same resources
as the Azure quickstart recovery-services-backup-vms (corpus copy), apart from apiVersion and metadata.

One spelling differs, on purpose and named here: the quickstart sets `protectedItemType` from its
variable `v2VmType`; we write the literal that variable holds, because the official RecoveryServices
schema uses `protectedItemType` as a discriminator that admits no expression (see
templategen/generate/backup.py, PROTECTED_ITEM_KIND). `quickstart_as_literal` applies exactly that
substitution to the quickstart before the structural comparison; the evaluated comparison needs none.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tests.generate import armeval, bicepeval
from tests.generate.conftest import EXAMPLES, generate_in_process, load_json, write_input

QUICKSTART = "corpus/quickstarts/quickstarts/microsoft.recoveryservices/recovery-services-backup-vms"
VMS = {"existingVirtualMachinesResourceGroup": "rg-vms", "existingVirtualMachines": ["vm1", "vm2"]}


def without_api_versions(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    stripped = copy.deepcopy(resources)
    for resource in stripped:
        resource.pop("apiVersion")
    return stripped


def quickstart(shared: Path, name: str) -> Any:
    return (shared / QUICKSTART / name).read_text(encoding="utf-8")


def quickstart_as_literal(template: dict[str, Any]) -> dict[str, Any]:
    """The quickstart with `[variables('v2VmType')]` replaced by its value, and that variable gone."""
    result = copy.deepcopy(template)
    value = result["variables"].pop("v2VmType")
    items = result["resources"][2]["properties"]
    assert items["protectedItemType"] == "[variables('v2VmType')]"
    items["protectedItemType"] = value
    assert "v2VmType" not in json.dumps(result)
    return result


def test_resources_equal_the_quickstarts_apart_from_api_version(shared: Path) -> None:
    original = json.loads(quickstart(shared, "azuredeploy.json"))
    expected = quickstart_as_literal(original)
    generated = load_json(EXAMPLES / "backup-vms-quickstart.json")
    # Types, conditions, name expressions, properties, dependsOn and the copy loop: all of it.
    assert without_api_versions(generated["resources"]) == without_api_versions(expected["resources"])
    assert generated["variables"] == expected["variables"]
    # Same parameters with the same types; the input's VM names and group become defaults.
    assert {k: v["type"] for k, v in generated["parameters"].items()} == {
        k: v["type"] for k, v in expected["parameters"].items()
    }
    for name in ("vaultName", "isNewVault", "policyName", "isNewPolicy", "location"):
        assert (
            generated["parameters"][name]["defaultValue"] == expected["parameters"][name]["defaultValue"]
        ), name
    # The API versions are the only resource difference: newer than the quickstart's 2021-03-01.
    assert all(r["apiVersion"] > "2021-03-01" for r in generated["resources"])
    # Evaluated, with the quickstart's own variable, the deployed resources are identical.
    ours = armeval.deployed_resources(generated, VMS)
    theirs = armeval.deployed_resources(original, VMS)
    assert without_api_versions(ours) == without_api_versions(theirs)


def test_input_naming_only_the_vms_reproduces_the_quickstart(shared: Path, tmp_path: Path) -> None:
    path = write_input(
        tmp_path,
        "minimal.yaml",
        "kind: recovery-services-backup-vms\nvirtualMachines:\n  resourceGroup: rg-x\n  names: [a]\n",
    )
    assert generate_in_process("generate", str(path)) == 0
    expected = quickstart_as_literal(json.loads(quickstart(shared, "azuredeploy.json")))
    generated = load_json(tmp_path / "minimal.json")
    assert without_api_versions(generated["resources"]) == without_api_versions(expected["resources"])


def test_the_comparison_can_fail(shared: Path, tmp_path: Path) -> None:
    """A non-default choice must show up as a difference (so the test above is not vacuous)."""
    path = write_input(
        tmp_path,
        "changed.yaml",
        "kind: recovery-services-backup-vms\npolicy: {retention: {daily: {count: 30}}}\n"
        "virtualMachines: {names: [a]}\n",
    )
    assert generate_in_process("generate", str(path)) == 0
    expected = quickstart_as_literal(json.loads(quickstart(shared, "azuredeploy.json")))
    generated = load_json(tmp_path / "changed.json")
    assert without_api_versions(generated["resources"]) != without_api_versions(expected["resources"])


def test_bicep_deploys_what_the_quickstarts_bicep_deploys(shared: Path) -> None:
    ours = bicepeval.deployed_resources(
        bicepeval.read((EXAMPLES / "backup-vms-quickstart.bicep").read_text()), VMS
    )
    theirs = bicepeval.deployed_resources(bicepeval.read(quickstart(shared, "main.bicep")), VMS)
    assert without_api_versions(ours) == without_api_versions(theirs)
    json_ours = armeval.deployed_resources(load_json(EXAMPLES / "backup-vms-quickstart.json"), VMS)
    assert json_ours == ours
