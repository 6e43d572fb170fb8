"""Resources: types, names, parents, loops, conditions, scopes, references and dependencies, as the
Bicep compiler writes them, and the template model's view of the result."""

from __future__ import annotations

from templategen.arm.template import Resource, Template
from tests.bicep.conftest import convert, problems_of

VM = "Microsoft.Compute/virtualMachines"
EXTENSION = "Microsoft.Compute/virtualMachines/extensions"


def resource(template: Template, resource_type: str, index: int = 0) -> Resource:
    found = template.resources_of_type(resource_type)
    assert len(found) > index, [r.type for r in template.resources]
    return found[index]


def test_vm_extension_with_parent() -> None:
    document, template = convert(
        """
        param vmName string
        @secure()
        param objectStr string
        param location string = resourceGroup().location
        resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
          name: vmName
          location: location
          properties: {
            osProfile: {
              computerName: vmName
              windowsConfiguration: {
                provisionVMAgent: true
              }
            }
          }
        }
        resource ext 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = {
          parent: vm
          name: 'VMSnapshot'
          location: location
          properties: {
            publisher: 'Microsoft.Azure.RecoveryServices'
            type: 'VMSnapshot'
            typeHandlerVersion: '1.9'
            autoUpgradeMinorVersion: true
            settings: {
              locale: 'en-us'
              taskId: 'GUID_1'
              commandStartTimeUTCTicks: '636458250000000000'
              vmType: 'microsoft.compute/virtualmachines'
            }
            protectedSettings: {
              objectStr: objectStr
            }
          }
        }
        """
    )
    assert document.data["resources"][1] == {
        "type": EXTENSION,
        "apiVersion": "2023-03-01",
        "name": "[format('{0}/{1}', parameters('vmName'), 'VMSnapshot')]",
        "location": "[parameters('location')]",
        "properties": {
            "publisher": "Microsoft.Azure.RecoveryServices",
            "type": "VMSnapshot",
            "typeHandlerVersion": "1.9",
            "autoUpgradeMinorVersion": True,
            "settings": {
                "locale": "en-us",
                "taskId": "GUID_1",
                "commandStartTimeUTCTicks": "636458250000000000",
                "vmType": "microsoft.compute/virtualmachines",
            },
            "protectedSettings": {"objectStr": "[parameters('objectStr')]"},
        },
        "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', parameters('vmName'))]"],
    }
    ext = resource(template, EXTENSION)
    assert ext.name == "[format('{0}/{1}', parameters('vmName'), 'VMSnapshot')]"
    assert [value for value, _ in ext.depends_on] == [
        "[resourceId('Microsoft.Compute/virtualMachines', parameters('vmName'))]"
    ]
    assert ext.get("properties", "protectedSettings", "objectStr") == "[parameters('objectStr')]"
    vm = resource(template, VM)
    assert vm.get("properties", "osProfile", "windowsConfiguration", "provisionVMAgent") is True
    assert template.problems == []
    assert problems_of(document) == []


def test_nested_child_inherits_type_prefix_and_api_version() -> None:
    document, template = convert(
        """
        resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
          name: 'vm1'
          location: 'westeurope'
          resource snapshot 'extensions' = {
            name: 'VMSnapshotLinux'
            location: 'westeurope'
            properties: {
              publisher: 'Microsoft.Azure.RecoveryServices'
              type: 'VMSnapshotLinux'
            }
          }
          resource other 'extensions@2022-11-01' = {
            name: 'other'
          }
        }
        output snapshotId string = vm::snapshot.id
        output snapshotName string = vm::snapshot.name
        """
    )
    snapshot = resource(template, EXTENSION, 0)
    assert (snapshot.type, snapshot.api_version, snapshot.name) == (
        EXTENSION,
        "2023-03-01",
        "vm1/VMSnapshotLinux",
    )
    other = resource(template, EXTENSION, 1)
    assert (other.api_version, other.name) == ("2022-11-01", "vm1/other")
    assert [value for value, _ in snapshot.depends_on] == [
        "[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"
    ]
    outputs = document.data["outputs"]
    assert outputs["snapshotId"]["value"] == (
        "[resourceId('Microsoft.Compute/virtualMachines/extensions', 'vm1', 'VMSnapshotLinux')]"
    )
    assert outputs["snapshotName"]["value"] == "VMSnapshotLinux"  # a child's `.name` is its own name
    assert document.symbols == {"/resources/0": "vm", "/resources/1": "snapshot", "/resources/2": "other"}


ITEM = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"
#: the protected item's name in one piece, as the quickstart writes it
ITEM_NAME = (
    "'${vaultName}/${fabric}/iaasvmcontainer;iaasvmcontainerv2;${rg};${vm}/vm;iaasvmcontainerv2;${rg};${vm}'"
)


def test_recovery_services_names_and_policy_id() -> None:
    document, template = convert(
        """
        param vaultName string
        param policyName string
        param rg string
        param vm string
        var fabric = 'Azure'
        resource vault 'Microsoft.RecoveryServices/vaults@2023-04-01' = {
          name: vaultName
          location: 'westeurope'
          sku: {
            name: 'RS0'
            tier: 'Standard'
          }
          properties: {}
        }
        resource policy 'Microsoft.RecoveryServices/vaults/backupPolicies@2023-04-01' = {
          parent: vault
          name: policyName
          properties: {
            backupManagementType: 'AzureIaasVM'
          }
        }
        resource item 'ITEM@2023-04-01' = {
          name: ITEM_NAME
          properties: {
            protectedItemType: 'Microsoft.Compute/virtualMachines'
            policyId: policy.id
            sourceResourceId: resourceId(rg, 'Microsoft.Compute/virtualMachines', vm)
          }
          dependsOn: [
            vault
          ]
        }
        output itemId string = item.id
        """.replace("ITEM_NAME", ITEM_NAME).replace("ITEM", ITEM)
    )
    item = resource(template, ITEM)
    assert item.name == (
        "[format('{0}/{1}/iaasvmcontainer;iaasvmcontainerv2;{2};{3}/vm;iaasvmcontainerv2;{4};{5}', "
        "parameters('vaultName'), variables('fabric'), parameters('rg'), parameters('vm'), "
        "parameters('rg'), parameters('vm'))]"
    )
    assert item.get("properties", "policyId") == (
        "[resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', parameters('vaultName'), "
        "parameters('policyName'))]"
    )
    assert item.get("properties", "sourceResourceId") == (
        "[resourceId(parameters('rg'), 'Microsoft.Compute/virtualMachines', parameters('vm'))]"
    )
    assert [value for value, _ in item.depends_on] == [
        "[resourceId('Microsoft.RecoveryServices/vaults', parameters('vaultName'))]",
        "[resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', parameters('vaultName'), "
        "parameters('policyName'))]",
    ]
    # the one-piece name is split at its literal slashes into the type's four levels
    assert document.data["outputs"]["itemId"]["value"] == (
        f"[resourceId('{ITEM}', parameters('vaultName'), variables('fabric'), "
        "format('iaasvmcontainer;iaasvmcontainerv2;{0};{1}', parameters('rg'), parameters('vm')), "
        "format('vm;iaasvmcontainerv2;{0};{1}', parameters('rg'), parameters('vm')))]"
    )


def test_one_piece_name_that_cannot_be_split_at_slashes_uses_split() -> None:
    document, _ = convert(
        """
        param full string
        resource policy 'Microsoft.RecoveryServices/vaults/backupPolicies@2023-04-01' = {
          name: full
        }
        output id string = policy.id
        """
    )
    assert document.data["outputs"]["id"]["value"] == (
        "[resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', "
        "split(parameters('full'), '/')[0], split(parameters('full'), '/')[1])]"
    )


def test_resource_loops_conditions_and_batch_size() -> None:
    document, template = convert(
        """
        param vmNames array
        param location string
        resource vms 'Microsoft.Compute/virtualMachines@2023-03-01' = [for name in vmNames: {
          name: name
          location: location
        }]
        resource nics 'Microsoft.Network/networkInterfaces@2023-04-01' = [for (n, i) in vmNames: if (i > 0) {
          name: '${n}-nic${i}'
          location: location
        }]
        @batchSize(2)
        resource disks 'Microsoft.Compute/disks@2023-04-02' = [for i in range(0, 3): {
          name: 'disk${i}'
          location: location
        }]
        resource exts 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = [for (name, i) in vmNames: {
          parent: vms[i]
          name: 'VMSnapshot'
          location: location
        }]
        resource after 'Microsoft.Resources/tags@2022-09-01' = {
          name: 'default'
          properties: {
            tags: {}
          }
          dependsOn: [
            vms
          ]
        }
        """
    )
    resources = document.data["resources"]
    assert resources[0]["copy"] == {"name": "vms", "count": "[length(parameters('vmNames'))]"}
    assert resources[0]["name"] == "[parameters('vmNames')[copyIndex()]]"
    assert resources[1]["condition"] == "[greater(copyIndex(), 0)]"
    assert resources[1]["name"] == "[format('{0}-nic{1}', parameters('vmNames')[copyIndex()], copyIndex())]"
    assert resources[2]["copy"] == {
        "name": "disks",
        "count": "[length(range(0, 3))]",
        "mode": "serial",
        "batchSize": 2,
    }
    assert resources[2]["name"] == "[format('disk{0}', range(0, 3)[copyIndex()])]"
    assert resources[3]["name"] == "[format('{0}/{1}', parameters('vmNames')[copyIndex()], 'VMSnapshot')]"
    assert resources[3]["dependsOn"] == [
        "[resourceId('Microsoft.Compute/virtualMachines', parameters('vmNames')[copyIndex()])]"
    ]
    assert resources[4]["dependsOn"] == ["vms"]  # the whole loop, by its copy name

    vms = resource(template, VM)
    assert (
        vms.copy is not None
        and vms.copy.name == "vms"
        and vms.copy.count == "[length(parameters('vmNames'))]"
    )
    nics = resource(template, "Microsoft.Network/networkInterfaces")
    assert nics.has_condition and nics.condition == "[greater(copyIndex(), 0)]"
    exts = resource(template, EXTENSION)
    assert [loop.name for loop in exts.loops] == ["exts"]


def test_property_loops_become_property_copy() -> None:
    document, _ = convert(
        """
        param sizes array
        resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
          name: 'vm3'
          location: 'westeurope'
          properties: {
            storageProfile: {
              dataDisks: [for (size, i) in sizes: {
                lun: i
                diskSizeGB: size
                createOption: 'Empty'
              }]
            }
          }
        }
        """
    )
    assert document.data["resources"][0]["properties"]["storageProfile"] == {
        "copy": [
            {
                "name": "dataDisks",
                "count": "[length(parameters('sizes'))]",
                "input": {
                    "lun": "[copyIndex('dataDisks')]",
                    "diskSizeGB": "[parameters('sizes')[copyIndex('dataDisks')]]",
                    "createOption": "Empty",
                },
            }
        ]
    }


def test_dependency_from_a_property_loop_waits_for_the_whole_loop() -> None:
    document, _ = convert(
        """
        resource ips 'Microsoft.Network/publicIPAddresses@2023-04-01' = [for i in range(0, 2): {
          name: 'ip${i}'
          location: 'westeurope'
        }]
        resource fw 'Microsoft.Network/azureFirewalls@2023-04-01' = {
          name: 'fw'
          location: 'westeurope'
          properties: {
            ipConfigurations: [for i in range(0, 2): {
              name: 'cfg${i}'
              properties: {
                publicIPAddress: {
                  id: ips[i].id
                }
              }
            }]
          }
        }
        """
    )
    assert document.data["resources"][1]["dependsOn"] == ["ips"]


def test_existing_resources_conditions_and_scopes() -> None:
    document, template = convert(
        """
        param isNew bool
        param vaultRg string
        resource vault 'Microsoft.RecoveryServices/vaults@2023-04-01' existing = {
          name: 'vault'
          scope: resourceGroup(vaultRg)
        }
        resource newVault 'Microsoft.RecoveryServices/vaults@2023-04-01' = if (isNew) {
          name: 'v2'
          location: 'westeurope'
          properties: {}
        }
        resource lock 'Microsoft.Authorization/locks@2020-05-01' = {
          name: 'nodelete'
          scope: newVault
          properties: {
            level: 'CanNotDelete'
          }
        }
        resource uses 'Microsoft.Resources/tags@2022-09-01' = {
          name: 'default'
          properties: {
            tags: {
              vault: vault.id
              vaultLocation: vault.location
            }
          }
        }
        output vaultId string = vault.id
        output lockId string = lock.id
        """
    )
    existing = resource(template, "Microsoft.RecoveryServices/vaults", 0)
    assert existing.existing and existing.raw["existing"] is True
    created = resource(template, "Microsoft.RecoveryServices/vaults", 1)
    assert created.condition == "[parameters('isNew')]" and not created.existing
    lock = resource(template, "Microsoft.Authorization/locks")
    assert lock.scope == "Microsoft.RecoveryServices/vaults/v2"
    assert [value for value, _ in lock.depends_on] == [
        "[resourceId('Microsoft.RecoveryServices/vaults', 'v2')]"
    ]
    uses = resource(template, "Microsoft.Resources/tags")
    assert uses.depends_on == []  # an existing resource is not deployed: nothing to wait for
    assert uses.get("properties", "tags", "vault") == (
        "[resourceId(parameters('vaultRg'), 'Microsoft.RecoveryServices/vaults', 'vault')]"
    )
    assert uses.get("properties", "tags", "vaultLocation") == (
        "[reference(resourceId(parameters('vaultRg'), 'Microsoft.RecoveryServices/vaults', 'vault'), "
        "'2023-04-01', 'full').location]"
    )
    outputs = document.data["outputs"]
    assert outputs["vaultId"]["value"] == (
        "[resourceId(parameters('vaultRg'), 'Microsoft.RecoveryServices/vaults', 'vault')]"
    )
    assert outputs["lockId"]["value"] == (
        "[extensionResourceId(resourceId('Microsoft.RecoveryServices/vaults', 'v2'), "
        "'Microsoft.Authorization/locks', 'nodelete')]"
    )


def test_dependency_on_an_existing_child_waits_for_its_deployed_parent() -> None:
    document, _ = convert(
        """
        resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' = {
          name: 'vnet'
          location: 'westeurope'
        }
        resource subnet 'Microsoft.Network/virtualNetworks/subnets@2023-04-01' existing = {
          parent: vnet
          name: 'default'
        }
        resource nic 'Microsoft.Network/networkInterfaces@2023-04-01' = {
          name: 'nic'
          location: 'westeurope'
          properties: {
            ipConfigurations: [
              {
                name: 'ipconfig'
                properties: {
                  subnet: {
                    id: subnet.id
                  }
                }
              }
            ]
          }
        }
        """
    )
    nic = document.data["resources"][2]
    assert nic["dependsOn"] == ["[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]"]
    assert nic["properties"]["ipConfigurations"][0]["properties"]["subnet"]["id"] == (
        "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]"
    )


def test_symbol_members_and_methods() -> None:
    document, _ = convert(
        """
        resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {
          name: 'store'
          location: 'westeurope'
        }
        output id string = sa.id
        output name string = sa.name
        output type string = sa.type
        output api string = sa.apiVersion
        output blob string = sa.properties.primaryEndpoints.blob
        output location string = sa.location
        output key string = sa.listKeys().keys[0].value
        output keyAtVersion string = sa.listKeys('2022-09-01').keys[0].value
        output whole object = sa
        """
    )
    outputs = {name: entry["value"] for name, entry in document.data["outputs"].items()}
    sa_id = "resourceId('Microsoft.Storage/storageAccounts', 'store')"
    assert outputs == {
        "id": f"[{sa_id}]",
        "name": "store",
        "type": "Microsoft.Storage/storageAccounts",
        "api": "2023-01-01",
        "blob": f"[reference({sa_id}).primaryEndpoints.blob]",
        "location": f"[reference({sa_id}, '2023-01-01', 'full').location]",
        "key": f"[listKeys({sa_id}, '2023-01-01').keys[0].value]",
        "keyAtVersion": f"[listKeys({sa_id}, '2022-09-01').keys[0].value]",
        "whole": f"[reference({sa_id}, '2023-01-01', 'full')]",
    }


def test_dependencies_follow_variables_and_deduplicate() -> None:
    document, _ = convert(
        """
        resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
          name: 'plan'
          location: 'westeurope'
        }
        var planId = plan.id
        resource site 'Microsoft.Web/sites@2022-09-01' = {
          name: 'site'
          location: 'westeurope'
          properties: {
            serverFarmId: planId
            other: plan.id
          }
          dependsOn: [
            plan
          ]
        }
        """
    )
    site = document.data["resources"][1]
    assert site["properties"]["serverFarmId"] == "[variables('planId')]"
    assert site["dependsOn"] == ["[resourceId('Microsoft.Web/serverfarms', 'plan')]"]


def test_subscription_scope_resources_and_tenant_scope_resource() -> None:
    document, _ = convert(
        """
        targetScope = 'managementGroup'
        resource mg 'Microsoft.Management/managementGroups@2021-04-01' = {
          name: 'child'
          scope: tenant()
        }
        resource assignment 'Microsoft.Authorization/policyAssignments@2022-06-01' = {
          name: 'a'
        }
        output mgId string = mg.id
        output assignmentId string = assignment.id
        """
    )
    assert document.data["resources"][0]["scope"] == "/"
    outputs = document.data["outputs"]
    assert outputs["mgId"]["value"] == "[tenantResourceId('Microsoft.Management/managementGroups', 'child')]"
    assert outputs["assignmentId"]["value"] == (
        "[extensionResourceId(managementGroup().id, 'Microsoft.Authorization/policyAssignments', 'a')]"
    )


def test_unconvertible_member_is_dropped_with_a_problem() -> None:
    document, template = convert(
        """
        var base = {
          a: 1
        }
        var merged = {
          %%base
          b: 2
        }
        resource r 'Microsoft.Resources/tags@2022-09-01' = {
          name: 'default'
          properties: {
            tags: {
              ok: 'yes'
            }
          }
        }
        """,
        errors_ok=True,
    )
    assert document.errors  # `%%base` is no Bicep at all
    assert document.data["variables"]["merged"] == {"b": 2}
    assert any("cannot convert" in message for message in problems_of(document))
    assert resource(template, "Microsoft.Resources/tags").get("properties", "tags", "ok") == "yes"


def test_resource_without_type_literal_or_version_is_reported() -> None:
    document, template = convert(
        """
        param t string
        resource a 'Microsoft.Storage/storageAccounts' = {
          name: 'a'
        }
        resource b '${t}@2020-01-01' = {
          name: 'b'
        }
        """
    )
    assert [r.type for r in template.resources] == ["Microsoft.Storage/storageAccounts"]
    assert problems_of(document) == [
        "resource 'a' has no API version",
        "the type of resource 'b' must be a literal string",
    ]


def test_children_of_a_looped_parent_repeat_with_it() -> None:
    document, _ = convert(
        """
        param names array
        resource vms 'Microsoft.Compute/virtualMachines@2023-03-01' = [for n in names: {
          name: n
          location: 'westeurope'
          resource snapshot 'extensions' = {
            name: 'VMSnapshot'
            location: 'westeurope'
          }
        }]
        output first string = vms[0]::snapshot.id
        output all array = [for (n, i) in names: vms[i]::snapshot.id]
        """
    )
    child = document.data["resources"][1]
    assert child["copy"] == {"name": "snapshot", "count": "[length(parameters('names'))]"}
    assert child["name"] == "[format('{0}/{1}', parameters('names')[copyIndex()], 'VMSnapshot')]"
    assert child["dependsOn"] == [
        "[resourceId('Microsoft.Compute/virtualMachines', parameters('names')[copyIndex()])]"
    ]
    outputs = document.data["outputs"]
    assert outputs["first"]["value"] == (
        "[resourceId('Microsoft.Compute/virtualMachines/extensions', parameters('names')[0], 'VMSnapshot')]"
    )
    assert outputs["all"]["copy"]["input"] == (
        "[resourceId('Microsoft.Compute/virtualMachines/extensions', "
        "parameters('names')[copyIndex()], 'VMSnapshot')]"
    )
