"""Modules: deployments with inner scope, local module files read into the nested template (positions in
the module's own file), registry modules left opaque, cycles and missing files reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from templategen.arm.template import Template
from templategen.bicep import BicepDocument
from tests.bicep.conftest import problems_of

Files = Callable[..., tuple[BicepDocument, Template]]

POLICY_MODULE = """
param vaultName string
param retentionDays int = 7
resource policy 'Microsoft.RecoveryServices/vaults/backupPolicies@2023-04-01' = {
  name: '${vaultName}/daily'
  properties: {
    backupManagementType: 'AzureIaasVM'
    retentionDays: retentionDays
  }
}
output policyId string = policy.id
"""


def test_local_module_is_read_into_the_deployment(bicep_files: Files) -> None:
    document, template = bicep_files(
        {
            "main.bicep": """
                param vaultName string
                module policy 'modules/policy.bicep' = {
                  name: 'policyDeploy'
                  params: {
                    vaultName: vaultName
                    retentionDays: 30
                  }
                }
                resource tags 'Microsoft.Resources/tags@2022-09-01' = {
                  name: 'default'
                  properties: {
                    tags: {
                      policy: policy.outputs.policyId
                    }
                  }
                }
                output policyId string = policy.outputs.policyId
                output deploymentName string = policy.name
            """,
            "modules/policy.bicep": POLICY_MODULE,
        }
    )
    deployment = document.data["resources"][0]
    assert deployment["type"] == "Microsoft.Resources/deployments"
    assert deployment["name"] == "policyDeploy"
    properties = deployment["properties"]
    assert properties["expressionEvaluationOptions"] == {"scope": "inner"}
    assert properties["parameters"] == {
        "vaultName": {"value": "[parameters('vaultName')]"},
        "retentionDays": {"value": 30},
    }
    inner = properties["template"]
    assert inner["parameters"]["retentionDays"] == {"type": "int", "defaultValue": 7}
    assert inner["resources"][0]["name"] == "[format('{0}/daily', parameters('vaultName'))]"
    assert inner["outputs"]["policyId"]["value"] == (
        "[resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', parameters('vaultName'), 'daily')]"
    )
    reference = "reference(resourceId('Microsoft.Resources/deployments', 'policyDeploy'))"
    assert document.data["outputs"]["policyId"]["value"] == f"[{reference}.outputs.policyId.value]"
    assert document.data["outputs"]["deploymentName"]["value"] == "policyDeploy"
    tags = document.data["resources"][1]
    assert tags["dependsOn"] == ["[resourceId('Microsoft.Resources/deployments', 'policyDeploy')]"]

    nested = template.nested[0]
    assert nested.evaluation_scope == "inner"
    assert [r.type for r in nested.resources] == ["Microsoft.RecoveryServices/vaults/backupPolicies"]
    assert nested.parameter("retentionDays") is not None

    # a finding inside the module points into the module's file
    location = document.locate("/resources/0/properties/template/resources/0/properties/backupManagementType")
    assert location.path.endswith("modules/policy.bicep")
    assert (location.line, location.column) == (6, 27)
    assert document.files[location.path].splitlines()[5].strip() == "backupManagementType: 'AzureIaasVM'"
    assert sorted(Path(path).name for path in document.files) == ["main.bicep", "policy.bicep"]
    # the parameter value given by the caller points into main.bicep
    given = document.locate("/resources/0/properties/parameters/retentionDays/value")
    assert given.path.endswith("main.bicep") and (given.line, given.column) == (6, 20)
    assert problems_of(document) == []


def test_module_scope_loop_condition_and_default_name(bicep_files: Files) -> None:
    document, template = bicep_files(
        {
            "main.bicep": """
                param rgs array
                param deploy bool
                module inRgs 'policy.bicep' = [for rg in rgs: if (deploy) {
                  name: 'p-${rg}'
                  scope: resourceGroup(rg)
                  params: {
                    vaultName: 'v-${rg}'
                  }
                }]
                module otherSub 'policy.bicep' = {
                  scope: resourceGroup('00000000-0000-0000-0000-000000000000', 'rg1')
                  params: {
                    vaultName: 'v'
                  }
                }
                output first string = inRgs[0].outputs.policyId
            """,
            "policy.bicep": POLICY_MODULE,
        }
    )
    looped, other = document.data["resources"]
    assert looped["copy"] == {"name": "inRgs", "count": "[length(parameters('rgs'))]"}
    assert looped["condition"] == "[parameters('deploy')]"
    assert looped["resourceGroup"] == "[parameters('rgs')[copyIndex()]]"
    assert looped["properties"]["parameters"]["vaultName"] == {
        "value": "[format('v-{0}', parameters('rgs')[copyIndex()])]"
    }
    assert other["subscriptionId"] == "00000000-0000-0000-0000-000000000000"
    assert other["resourceGroup"] == "rg1"
    assert other["name"] == "[format('otherSub-{0}', uniqueString('otherSub', deployment().name))]"
    assert document.data["outputs"]["first"]["value"] == (
        "[reference(resourceId(parameters('rgs')[0], 'Microsoft.Resources/deployments', "
        "format('p-{0}', parameters('rgs')[0])), '2022-09-01').outputs.policyId.value]"
    )
    assert [t.scope for t in template.nested] == ["resourceGroup", "resourceGroup"]


def test_registry_modules_stay_opaque(bicep_files: Files) -> None:
    document, template = bicep_files(
        {
            "main.bicep": """
                module avm 'br/public:avm/res/recovery-services/vault:0.1.0' = {
                  name: 'vault'
                  params: {
                    name: 'v'
                  }
                }
            """
        }
    )
    properties = document.data["resources"][0]["properties"]
    assert "template" not in properties
    assert properties["parameters"] == {"name": {"value": "v"}}
    assert template.nested == []
    assert problems_of(document) == []


def test_module_cycle_and_missing_file_are_problems(bicep_files: Files) -> None:
    document, template = bicep_files(
        {
            "main.bicep": """
                module a 'a.bicep' = {
                  name: 'a'
                }
                module gone 'gone.bicep' = {
                  name: 'gone'
                }
            """,
            "a.bicep": """
                module b 'b.bicep' = {
                  name: 'b'
                }
            """,
            "b.bicep": """
                module a 'a.bicep' = {
                  name: 'a-again'
                }
            """,
        }
    )
    messages = problems_of(document)
    assert "module 'a.bicep' includes itself; not read again" in messages
    assert any(message.startswith("module 'gone.bicep' not read:") for message in messages)
    # main → a → b, and b's module on a stays without a template
    a_template = template.nested[0]
    b_template = a_template.nested[0]
    assert b_template.nested == []


def test_json_module_and_key_vault_secret_parameter(bicep_files: Files) -> None:
    document, template = bicep_files(
        {
            "main.bicep": """
                resource kv 'Microsoft.KeyVault/vaults@2023-02-01' existing = {
                  name: 'kv'
                }
                module vm 'vm.json' = {
                  name: 'vm'
                  params: {
                    adminPassword: kv.getSecret('adminPassword')
                  }
                }
            """,
            "vm.json": (
                '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",'
                ' "contentVersion": "1.0.0.0", "parameters": {"adminPassword": {"type": "securestring"}},'
                ' "resources": []}'
            ),
        }
    )
    module = document.data["resources"][1]
    assert module["properties"]["parameters"]["adminPassword"] == {
        "reference": {
            "keyVault": {"id": "[resourceId('Microsoft.KeyVault/vaults', 'kv')]"},
            "secretName": "adminPassword",
        }
    }
    nested = template.nested[0]
    password = nested.parameter("adminPassword")
    assert password is not None and password.secure


def test_subscription_file_deploys_a_module_into_its_new_resource_group(bicep_files: Files) -> None:
    document, template = bicep_files(
        {
            "main.bicep": """
                targetScope = 'subscription'
                param rgName string
                resource rg 'Microsoft.Resources/resourceGroups@2022-09-01' = {
                  name: rgName
                  location: 'westeurope'
                }
                module vault 'vault.bicep' = {
                  name: 'vault'
                  scope: rg
                }
                output vaultId string = vault.outputs.id
            """,
            "vault.bicep": """
                resource vault 'Microsoft.RecoveryServices/vaults@2023-04-01' = {
                  name: 'v'
                  location: resourceGroup().location
                }
                output id string = vault.id
            """,
        }
    )
    module = document.data["resources"][1]
    assert module["resourceGroup"] == "[parameters('rgName')]"
    assert "location" not in module  # a resource-group deployment has none
    assert module["dependsOn"] == [
        "[subscriptionResourceId('Microsoft.Resources/resourceGroups', parameters('rgName'))]"
    ]
    assert document.data["outputs"]["vaultId"]["value"] == (
        "[reference(resourceId(subscription().subscriptionId, parameters('rgName'), "
        "'Microsoft.Resources/deployments', 'vault'), '2022-09-01').outputs.id.value]"
    )
    assert template.scope == "subscription"
    assert template.nested[0].scope == "resourceGroup"
    assert template.nested[0].resources[0].type == "Microsoft.RecoveryServices/vaults"
