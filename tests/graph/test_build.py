"""The graph a template gives: nodes, their labels and kinds, and the edges between them."""

from __future__ import annotations

from pathlib import Path

from templategen.graph.model import DEPENDS_ON, DEPLOYED, EXISTING, EXTERNAL, PARENT, REFERENCE
from templategen.graph.render import render

from .helpers import BACKUP, EXAMPLES, canonical, edges, graph_of, graph_of_data, node

VAULTS = "Microsoft.RecoveryServices/vaults"
ITEMS = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"


# ----------------------------------------------------------------------------------------------------
# the backup quickstart: vault → policy → protected items → VMs


def test_backup_quickstart_reads_vault_policy_items_vms(shared: Path) -> None:
    graph = graph_of(shared / "corpus" / BACKUP / "azuredeploy.json")
    vault = node(graph, "vaults")
    policy = node(graph, "backupPolicies")
    items = node(graph, "protectedItems")
    vms = node(graph, "virtualMachines")
    assert [n.kind for n in (vault, policy, items, vms)] == [DEPLOYED, DEPLOYED, DEPLOYED, EXTERNAL]
    assert len(graph.nodes) == 4
    # Names: the defaults where there are some, the unknown VM list named after its parameter.
    assert vault.names == ["RecoveryServicesVault"]
    assert policy.names == ["DefaultPolicy"]
    assert (vault.condition, vault.condition_value) == ("isNewVault", "false")
    assert (policy.condition, policy.condition_value) == ("isNewPolicy", "false")
    assert items.count == "× length(existingVirtualMachines)"
    # Long names are cut in the middle: the start says what it is, the end which one.
    (item_name,) = items.names
    assert len(item_name) == 80
    assert item_name.startswith("vm;iaasvmcontainerv2;<existingVirtualMa")
    assert item_name.endswith("…alMachines[copyIndex('protectedItems')]>")
    assert vms.count == items.count
    assert vms.names == ["<existingVirtualMachines[copyIndex('protectedItems')]>"]
    assert vms.detail == "resource group <existingVirtualMachinesResourceGroup>"
    assert edges(graph) == {
        ("vaults RecoveryServicesVault", "backupPolicies DefaultPolicy", (PARENT, DEPENDS_ON)),
        ("vaults RecoveryServicesVault", "protectedItems " + items.names[0], (PARENT, DEPENDS_ON)),
        ("backupPolicies DefaultPolicy", "protectedItems " + items.names[0], (DEPENDS_ON, REFERENCE)),
        ("protectedItems " + items.names[0], "virtualMachines " + vms.names[0], (REFERENCE,)),
    }


def test_backup_quickstart_with_its_parameters_file(shared: Path) -> None:
    folder = shared / "corpus" / BACKUP
    graph = graph_of(folder / "azuredeploy.json", folder / "azuredeploy.parameters.json")
    vault = node(graph, "vaults")
    assert (vault.condition, vault.condition_value) == ("isNewVault", "true")
    assert node(graph, "backupPolicies").names == ["VMBackupPolicy"]
    items = node(graph, "protectedItems")
    assert items.count == "×3"
    container = "vm;iaasvmcontainerv2;GET-PREREQ-resourceGroupName;"
    assert items.names == [container + "VM0", container + "VM1", container + "VM2"]
    vms = node(graph, "virtualMachines")
    assert (vms.count, vms.names, vms.more) == ("×3", ["VM0", "VM1", "VM2"], 0)
    assert vms.detail == "resource group GET-PREREQ-resourceGroupName"


def test_backup_quickstart_json_and_bicep_give_the_same_graph(shared: Path) -> None:
    folder = shared / "corpus" / BACKUP
    from_json = graph_of(folder / "azuredeploy.json")
    from_bicep = graph_of(folder / "main.bicep")
    assert canonical(from_json) == canonical(from_bicep)
    # Declared in the same order, so the very same output.
    assert render(from_json) == render(from_bicep)
    assert render(from_json, "dot") == render(from_bicep, "dot")


def test_examples_json_and_bicep_give_the_same_graph() -> None:
    for stem in ("backup-vms-quickstart", "backup-vms-enhanced-weekly"):
        from_json = graph_of(EXAMPLES / f"{stem}.json")
        assert render(from_json) == render(graph_of(EXAMPLES / f"{stem}.bicep")), stem
        items = node(from_json, "protectedItems")
        assert edges(from_json) >= {
            (
                "backupPolicies " + node(from_json, "backupPolicies").names[0],
                "protectedItems " + items.names[0],
                (DEPENDS_ON, REFERENCE),
            ),
        }


def test_examples_enhanced_policy_three_vms() -> None:
    graph = graph_of(EXAMPLES / "backup-vms-enhanced-weekly.json")
    vms = node(graph, "virtualMachines")
    assert (vms.kind, vms.count, vms.names) == (EXTERNAL, "×3", ["vm-app-01", "vm-app-02", "vm-db-01"])
    assert vms.detail == "resource group rg-app-prod"


def test_vmsnapshot_extension_points_at_its_vm() -> None:
    """JSON names the VM only in the extension's full name (an outside VM); Bicep declares it
    `existing`: the same arrow, from the extension to the VM, with another style of box."""
    for suffix, kind in ((".json", EXTERNAL), (".bicep", EXISTING)):
        graph = graph_of(EXAMPLES / f"vmsnapshot-windows{suffix}")
        extension = node(graph, "extensions")
        vm = node(graph, "virtualMachines")
        assert extension.names == ["VMSnapshot"] and extension.kind == DEPLOYED
        assert vm.kind == kind
        assert [(e.source, e.target, e.kinds[0]) for e in graph.edges] == [(extension.id, vm.id, PARENT)]


def test_keyvault_example_draws_no_secret() -> None:
    graph = graph_of(
        EXAMPLES / "vmsnapshot-linux-keyvault.json", EXAMPLES / "vmsnapshot-linux-keyvault.parameters.json"
    )
    assert node(graph, "extensions").names == ["VMSnapshotLinux"]
    for fmt in ("mermaid", "dot"):
        text = render(graph, fmt)
        assert "sig=" not in text.replace("sig=***", "")


# ----------------------------------------------------------------------------------------------------
# parent / child


def test_declared_children_and_full_names_under_a_declared_parent() -> None:
    graph = graph_of_data(
        [
            {
                "type": "Microsoft.Network/virtualNetworks",
                "apiVersion": "2023-04-01",
                "name": "vnet",
                "resources": [{"type": "subnets", "apiVersion": "2023-04-01", "name": "inner"}],
            },
            {
                "type": "Microsoft.Network/virtualNetworks/subnets",
                "apiVersion": "2023-04-01",
                "name": "vnet/outer",
            },
            {
                "type": "Microsoft.Network/virtualNetworks/subnets",
                "apiVersion": "2023-04-01",
                "name": "other/x",
            },
        ]
    )
    assert edges(graph) == {
        ("virtualNetworks vnet", "subnets inner", (PARENT,)),
        ("virtualNetworks vnet", "subnets outer", (PARENT,)),
        # `other` is not declared: it exists already, drawn outside, the subnet points at it.
        ("subnets x", "virtualNetworks other", (PARENT,)),
    }
    assert node(graph, "virtualNetworks", "other").kind == EXTERNAL


def test_nearest_declared_ancestor_is_the_parent() -> None:
    """No fabric or container is declared: a protected item is drawn under its vault."""
    graph = graph_of_data(
        [
            {"type": VAULTS, "apiVersion": "2023-01-01", "name": "v"},
            {"type": ITEMS, "apiVersion": "2023-01-01", "name": "v/Azure/c/i"},
            {"type": ITEMS, "apiVersion": "2023-01-01", "name": "w/Azure/c/j"},
        ]
    )
    assert edges(graph) == {
        ("vaults v", "protectedItems i", (PARENT,)),
        ("protectedItems j", "vaults w", (PARENT,)),
    }


def test_scope_makes_an_extension_resource_a_child() -> None:
    graph = graph_of_data(
        [
            {"type": VAULTS, "apiVersion": "2023-01-01", "name": "[parameters('vault')]"},
            {
                "type": "Microsoft.Authorization/locks",
                "apiVersion": "2020-05-01",
                "name": "lock",
                "scope": "[format('Microsoft.RecoveryServices/vaults/{0}', parameters('vault'))]",
            },
            {
                "type": "Microsoft.Insights/diagnosticSettings",
                "apiVersion": "2021-05-01-preview",
                "name": "diag",
                "scope": "[resourceId('Microsoft.RecoveryServices/vaults', parameters('vault'))]",
            },
        ],
        parameters={"vault": {"type": "string"}},
    )
    assert edges(graph) == {
        ("vaults <vault>", "locks lock", (PARENT,)),
        ("vaults <vault>", "diagnosticSettings diag", (PARENT,)),
    }


# ----------------------------------------------------------------------------------------------------
# dependsOn


def test_depends_on_by_id_name_type_and_name_and_loop_name() -> None:
    graph = graph_of_data(
        [
            {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01", "name": "ip"},
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "nsg"},
            {
                "type": "Microsoft.Network/networkInterfaces",
                "apiVersion": "2023-04-01",
                "name": "[concat('nic', copyIndex())]",
                "copy": {"name": "nicLoop", "count": 2},
                "dependsOn": [
                    "ip",
                    "[concat('Microsoft.Network/networkSecurityGroups/', 'nsg')]",
                ],
            },
            {
                "type": "Microsoft.Compute/virtualMachines",
                "apiVersion": "2023-03-01",
                "name": "[concat('vm', copyIndex())]",
                "copy": {"name": "vmLoop", "count": 2},
                "dependsOn": [
                    "[resourceId('Microsoft.Network/networkInterfaces', concat('nic', copyIndex()))]"
                ],
            },
            {
                "type": "Microsoft.Resources/deploymentScripts",
                "apiVersion": "2023-08-01",
                "name": "after",
                "dependsOn": ["vmLoop"],
            },
        ]
    )
    assert edges(graph) == {
        ("publicIPAddresses ip", "networkInterfaces nic0", (DEPENDS_ON,)),
        ("networkSecurityGroups nsg", "networkInterfaces nic0", (DEPENDS_ON,)),
        ("networkInterfaces nic0", "virtualMachines vm0", (DEPENDS_ON,)),
        ("virtualMachines vm0", "deploymentScripts after", (DEPENDS_ON,)),
    }
    assert node(graph, "networkInterfaces").names == ["nic0", "nic1"]


def test_depends_on_symbolic_names_and_existing_resources() -> None:
    graph = graph_of_data(
        {
            "vault": {"type": VAULTS, "apiVersion": "2023-01-01", "name": "v", "existing": True},
            "policy": {
                "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
                "apiVersion": "2023-01-01",
                "name": "v/p",
                "dependsOn": ["vault"],
            },
            "item": {
                "type": ITEMS,
                "apiVersion": "2023-01-01",
                "name": "v/Azure/c/i",
                "properties": {
                    "policyId": "[resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', 'v', 'p')]"
                },
                "dependsOn": ["policy"],
            },
        },
        languageVersion="2.0",
    )
    assert node(graph, "vaults").kind == EXISTING
    # The vault is not deployed here: the arrows end at it.
    assert edges(graph) == {
        ("backupPolicies p", "vaults v", (PARENT, DEPENDS_ON)),
        ("protectedItems i", "vaults v", (PARENT,)),
        ("backupPolicies p", "protectedItems i", (DEPENDS_ON, REFERENCE)),
    }


# ----------------------------------------------------------------------------------------------------
# references


def test_reference_list_and_resource_id_uses_are_edges() -> None:
    graph = graph_of_data(
        [
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "store"},
            {"type": "Microsoft.Insights/components", "apiVersion": "2020-02-02", "name": "insights"},
            {
                "type": "Microsoft.Web/sites",
                "apiVersion": "2023-01-01",
                "name": "site",
                "properties": {
                    "key": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'store'), '2023-01-01')"
                    ".keys[0].value]",
                    "ai": "[reference('insights').InstrumentationKey]",
                    "vault": "[parameters('vaultId')]",
                    "workspace": "[reference(parameters('workspaceId'), '2022-10-01').customerId]",
                    "guid": "[reference(newGuid())]",
                },
            },
        ],
        parameters={"vaultId": {"type": "string"}, "workspaceId": {"type": "string"}},
    )
    assert edges(graph) == {
        ("storageAccounts store", "sites site", (REFERENCE,)),
        ("components insights", "sites site", (REFERENCE,)),
        # An id given as a parameter: what the site reads is outside, named by the parameter. A
        # plain parameter value is not a reference; `newGuid()` names nothing.
        ("sites site", "resource <workspaceId>", (REFERENCE,)),
    }
    assert node(graph, "resource").kind == EXTERNAL


def test_a_reference_is_never_guessed_onto_a_declared_resource() -> None:
    """`parameters('a')` and `parameters('b')` may be the same name or not: not provable, so the
    referenced storage account is drawn outside rather than matched."""
    graph = graph_of_data(
        [
            {
                "type": "Microsoft.Storage/storageAccounts",
                "apiVersion": "2023-01-01",
                "name": "[parameters('a')]",
            },
            {
                "type": "Microsoft.Web/sites",
                "apiVersion": "2023-01-01",
                "name": "site",
                "properties": {"id": "[resourceId('Microsoft.Storage/storageAccounts', parameters('b'))]"},
            },
        ],
        parameters={"a": {"type": "string"}, "b": {"type": "string"}},
    )
    assert edges(graph) == {("sites site", "storageAccounts <b>", (REFERENCE,))}
    assert node(graph, "storageAccounts", "<b>").kind == EXTERNAL


def test_references_in_another_resource_group_are_outside() -> None:
    graph = graph_of_data(
        [
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet"},
            {
                "type": "Microsoft.Network/networkInterfaces",
                "apiVersion": "2023-04-01",
                "name": "nic",
                "properties": {
                    "here": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'a')]",
                    "there": "[resourceId('rg-hub', 'Microsoft.Network/virtualNetworks', 'vnet')]",
                },
            },
        ]
    )
    assert node(graph, "subnets").kind == EXTERNAL
    declared, outside = (n for n in graph.nodes if n.short_type == "virtualNetworks")
    assert (declared.kind, outside.kind) == (DEPLOYED, EXTERNAL)
    assert outside.lines() == ["virtualNetworks", "vnet", "resource group rg-hub"]
    assert [(e.source, e.target) for e in graph.edges if outside.id in (e.source, e.target)] == [
        (node(graph, "networkInterfaces").id, outside.id)
    ]
    assert edges(graph) == {
        ("networkInterfaces nic", "subnets a", (REFERENCE,)),
        ("networkInterfaces nic", "virtualNetworks vnet", (REFERENCE,)),  # the one in rg-hub
        ("virtualNetworks vnet", "subnets a", (PARENT,)),
    }


def test_a_loop_over_outside_resources_is_one_node_with_a_count() -> None:
    graph = graph_of_data(
        [
            {
                "type": "Microsoft.Compute/virtualMachines/extensions",
                "apiVersion": "2023-03-01",
                "name": "[concat(parameters('vms')[copyIndex()], '/VMSnapshot')]",
                "copy": {"name": "loop", "count": "[length(parameters('vms'))]"},
            }
        ],
        parameters={"vms": {"type": "array", "defaultValue": ["a", "b", "c", "d", "e"]}},
    )
    extension = node(graph, "extensions")
    vms = node(graph, "virtualMachines")
    assert (extension.count, extension.names, extension.more) == ("×5", ["VMSnapshot"], 2)
    assert (vms.count, vms.names, vms.more) == ("×5", ["a", "b", "c"], 2)
    assert vms.lines() == ["virtualMachines ×5", "a", "b", "c", "… 2 more"]
    assert len(graph.edges) == 1


def test_one_edge_per_pair_listing_every_kind_and_no_self_loop() -> None:
    graph = graph_of_data(
        [
            {
                "type": VAULTS,
                "apiVersion": "2023-01-01",
                "name": "v",
                "properties": {"self": "[resourceId('Microsoft.RecoveryServices/vaults', 'v')]"},
            },
            {
                "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
                "apiVersion": "2023-01-01",
                "name": "v/p",
                "dependsOn": [
                    "v",
                    "[resourceId('Microsoft.RecoveryServices/vaults', 'v')]",
                    "Microsoft.RecoveryServices/vaults/v",
                ],
                "properties": {
                    "a": "[resourceId('Microsoft.RecoveryServices/vaults', 'v')]",
                    "b": "[reference(resourceId('Microsoft.RecoveryServices/vaults', 'v')).x]",
                },
            },
        ]
    )
    assert [(e.source, e.target, e.kinds) for e in graph.edges] == [
        ("r1", "r2", (PARENT, DEPENDS_ON, REFERENCE))
    ]


# ----------------------------------------------------------------------------------------------------
# nested deployments


def test_nested_deployments_are_groups() -> None:
    inner = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"vaultName": {"type": "string"}},
        "resources": [
            {"type": VAULTS, "apiVersion": "2023-01-01", "name": "[parameters('vaultName')]"},
            {
                "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
                "apiVersion": "2023-01-01",
                "name": "[concat(parameters('vaultName'), '/p')]",
                "dependsOn": ["[resourceId('Microsoft.RecoveryServices/vaults', parameters('vaultName'))]"],
            },
        ],
    }
    graph = graph_of_data(
        [
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "logs"},
            {
                "type": "Microsoft.Resources/deployments",
                "apiVersion": "2022-09-01",
                "name": "backup",
                "dependsOn": ["logs"],
                "properties": {
                    "mode": "Incremental",
                    "expressionEvaluationOptions": {"scope": "inner"},
                    "parameters": {"vaultName": {"value": "rsv-1"}},
                    "template": inner,
                },
            },
        ]
    )
    (group,) = graph.groups
    assert group.title == "deployments backup"
    assert [n.short_type for n in graph.members(group.id)] == ["deployments", "vaults", "backupPolicies"]
    assert [n.short_type for n in graph.members("")] == ["storageAccounts"]
    assert node(graph, "vaults").names == ["rsv-1"]
    assert edges(graph) == {
        ("storageAccounts logs", "deployments backup", (DEPENDS_ON,)),
        ("vaults rsv-1", "backupPolicies p", (PARENT, DEPENDS_ON)),
    }


def test_bicep_modules_are_groups(tmp_path: Path) -> None:
    (tmp_path / "policy.bicep").write_text(
        "param vaultName string\n"
        "resource vault 'Microsoft.RecoveryServices/vaults@2023-01-01' existing = {\n  name: vaultName\n}\n"
        "resource policy 'Microsoft.RecoveryServices/vaults/backupPolicies@2023-01-01' = {\n"
        "  parent: vault\n  name: 'daily'\n  properties: {}\n}\n"
        "output policyId string = policy.id\n",
        encoding="utf-8",
    )
    (tmp_path / "main.bicep").write_text(
        "resource vault 'Microsoft.RecoveryServices/vaults@2023-01-01' = {\n"
        "  name: 'rsv'\n  location: 'westeurope'\n  sku: {\n    name: 'RS0'\n    tier: 'Standard'\n  }\n"
        "  properties: {}\n}\n"
        "module policy 'policy.bicep' = {\n  name: 'policy'\n"
        "  params: {\n    vaultName: vault.name\n  }\n}\n",
        encoding="utf-8",
    )
    graph = graph_of(tmp_path / "main.bicep")
    (group,) = graph.groups
    assert group.title == "deployments policy"
    inside = graph.members(group.id)
    assert [(n.short_type, n.kind) for n in inside] == [
        ("deployments", DEPLOYED),
        ("vaults", EXISTING),
        ("backupPolicies", DEPLOYED),
    ]
    outer_vault = graph.members("")[0]
    assert outer_vault.short_type == "vaults" and outer_vault.kind == DEPLOYED
    assert ("backupPolicies daily", "vaults rsv", (PARENT,)) in edges(graph)
    assert ("vaults rsv", "deployments policy", (DEPENDS_ON,)) in edges(graph)


# ----------------------------------------------------------------------------------------------------
# secrets


def test_secrets_never_reach_a_label() -> None:
    secret = "Sup3r-Secret-Value"
    signature = "ABCDEFsignature123"
    graph = graph_of_data(
        [
            {
                "type": "Microsoft.Storage/storageAccounts",
                "apiVersion": "2023-01-01",
                "name": "[concat('st', parameters('password'))]",
                "condition": f"[not(equals(parameters('password'), 'https://a.blob.core.windows.net/c?sv=1&sig={signature}'))]",
            },
            {
                "type": "Microsoft.Web/sites",
                "apiVersion": "2023-01-01",
                "name": f"[concat('site?sv=2020&sig={signature}&x=', parameters('password'))]",
                "properties": {
                    "a": "[resourceId('Microsoft.KeyVault/vaults/secrets', parameters('password'), 'x')]",
                    "b": f"[reference(concat('https://a.blob.core.windows.net/c?sig={signature}'))]",
                    "c": "[resourceId('Microsoft.Storage/storageAccounts',"
                    " concat('st', parameters('password')))]",
                },
            },
        ],
        parameters={"password": {"type": "securestring", "defaultValue": secret}},
    )
    for fmt in ("mermaid", "dot"):
        for legend in (False, True):
            text = render(graph, fmt, legend=legend)
            assert secret not in text and signature not in text
            assert "***" in text
    # Text joined with a secret is secret as a whole; the condition is source text, its signature
    # redacted. The secret-named account is still recognised as the declared one.
    assert node(graph, "sites").names == node(graph, "storageAccounts").names == ["***"]
    assert node(graph, "storageAccounts").condition.startswith("!(password == 'https://a.blob")
    assert edges(graph) == {
        ("storageAccounts ***", "sites ***", (REFERENCE,)),
        ("sites ***", "secrets x", (REFERENCE,)),  # a URL is not a resource: no node for `b`
    }


def test_generated_names_read_as_their_expression() -> None:
    """`uniqueString(resourceGroup().id)` is how the demos name everything: a label shows that
    expression, not a cut of the resource group id's text; a name too long for a label keeps whole
    expressions (`<uniqueString(…)>-jumpbox-…`) rather than losing its middle."""
    long = (
        "[concat(uniqueString(concat(resourceGroup().id, parameters('suffix'), 'jumpboxsa')),"
        " '-jumpbox-diagnostics-storage')]"
    )
    graph = graph_of_data(
        [
            {
                "type": "Microsoft.Storage/storageAccounts",
                "apiVersion": "2023-01-01",
                "name": "[concat('sa', uniqueString(resourceGroup().id))]",
            },
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": long},
        ],
        parameters={"suffix": {"type": "string", "defaultValue": "[newGuid()]"}},
    )
    assert node(graph, "storageAccounts").names == ["sa<uniqueString(resourceGroup().id)>"]
    assert node(graph, "virtualNetworks").names == ["<uniqueString(…)>-jumpbox-diagnostics-storage"]


def test_a_module_in_another_resource_group_is_still_the_declared_deployment(tmp_path: Path) -> None:
    (tmp_path / "policy.bicep").write_text(
        "resource vault 'Microsoft.RecoveryServices/vaults@2023-01-01' = {\n  name: 'rsv'\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "main.bicep").write_text(
        "param otherGroup string\n"
        "module remote 'policy.bicep' = {\n  name: 'remote'\n  scope: resourceGroup(otherGroup)\n}\n"
        "resource after 'Microsoft.Resources/deploymentScripts@2023-08-01' = {\n"
        "  name: 'after'\n  location: 'westeurope'\n  kind: 'AzureCLI'\n  dependsOn: [\n    remote\n  ]\n}\n",
        encoding="utf-8",
    )
    graph = graph_of(tmp_path / "main.bicep")
    assert [n.kind for n in graph.nodes] == [DEPLOYED, DEPLOYED, DEPLOYED]
    assert edges(graph) == {("deployments remote", "deploymentScripts after", (DEPENDS_ON,))}


def test_an_id_built_on_another_names_a_resource() -> None:
    """`format('{0}/backupPolicies/{1}', vault.id, ...)` names the policy (here the vault's
    built-in DefaultPolicy, outside the template), not only the vault."""
    graph = graph_of_data(
        [
            {"type": VAULTS, "apiVersion": "2023-01-01", "name": "v"},
            {
                "type": ITEMS,
                "apiVersion": "2023-01-01",
                "name": "v/Azure/c/i",
                "properties": {
                    "policyId": "[format('{0}/backupPolicies/{1}', "
                    "resourceId('Microsoft.RecoveryServices/vaults', 'v'), 'DefaultPolicy')]",
                },
            },
        ]
    )
    assert node(graph, "backupPolicies").kind == EXTERNAL
    assert edges(graph) == {
        ("vaults v", "protectedItems i", (PARENT, REFERENCE)),
        ("vaults v", "backupPolicies DefaultPolicy", (PARENT,)),
        ("protectedItems i", "backupPolicies DefaultPolicy", (REFERENCE,)),
    }


def test_odd_structure_draws_what_it_can() -> None:
    """Resources the model keeps with missing or odd members still get a box; nothing raises."""
    graph = graph_of_data(
        [
            {"type": "[parameters('t')]", "apiVersion": "1", "name": "by-expression-type"},
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "1", "name": 42},
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "1", "name": "a//b"},
            {
                "type": "Microsoft.Storage/storageAccounts",
                "apiVersion": "1",
                "name": "counted",
                "copy": {"name": "c", "count": -1},
                "condition": "[concat('not', 'bool')]",
                "dependsOn": [None, 3, "", "/", "[parameters('nope')]", "[resourceId()]", "c"],
                "scope": {"not": "a string"},
                "properties": {"x": "[reference()]", "y": "[listKeys()]", "z": "[resourceId('x')]"},
            },
            {
                "type": "Microsoft.Compute/virtualMachines/extensions",
                "apiVersion": "1",
                "name": "only-one-segment",
            },
        ],
        parameters={"t": {"type": "string", "defaultValue": "Microsoft.Web/sites"}},
    )
    assert [n.short_type for n in graph.nodes] == [
        "sites",
        "storageAccounts",
        "storageAccounts",
        "storageAccounts",
        "extensions",
    ]
    counted = graph.nodes[3]
    assert counted.count == "× -1" and counted.names == ["counted"]
    for fmt in ("mermaid", "dot"):
        render(graph, fmt)
