"""The Template model on small, hand-written templates: one feature per test."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from templategen.arm.names import resolve_pointer, split_pointer
from templategen.arm.sites import ExpressionSite
from templategen.arm.template import (
    Template,
    build_template,
    classify,
    scope_of_schema,
    suppressed_ids,
    template_from_data,
)

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def build(template: Mapping[str, object]) -> Template:
    """Round-trip through JSON text so the model sees exactly what a reader would give it."""
    data = json.loads(json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0", **template}))
    return template_from_data(data, "t.json")


def sites(template: Template) -> dict[str, ExpressionSite]:
    """The template's sites by pointer (a key and its value share a pointer: the value wins here)."""
    found: dict[str, ExpressionSite] = {}
    for site in template.expression_sites():  # every pointer names the string it reports
        if site.key:
            assert split_pointer(site.pointer)[-1] == site.value
        else:
            assert resolve_pointer(template.root.data, site.pointer) == site.value
        found[site.pointer] = site
    return found


def loop_names(site: ExpressionSite) -> list[str | None]:
    return list(site.copy_names)


# --------------------------------------------------------------------------------------------------
# classify


@pytest.mark.parametrize(
    ("schema", "kind", "scope"),
    [
        (SCHEMA, "template", "resourceGroup"),
        (
            "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#",
            "template",
            "resourceGroup",
        ),
        (
            "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
            "template",
            "subscription",
        ),
        (
            "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#",
            "template",
            "managementGroup",
        ),
        (
            "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#",
            "template",
            "tenant",
        ),
        (
            "http://SCHEMA.management.azure.com/schemas/2019-04-01/DEPLOYMENTTEMPLATE.json",
            "template",
            "resourceGroup",
        ),
        (
            "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
            "parameters",
            None,
        ),
        (
            "https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#",
            "parameters",
            None,
        ),
        (
            "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#",
            "parameters",
            None,
        ),
        (
            "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentParameters.json#",
            "parameters",
            None,
        ),
        (
            "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentParameters.json#",
            "parameters",
            None,
        ),
        ("http://json-schema.org/draft-07/schema#", None, None),
        ("https://json.schemastore.org/package.json", None, None),
    ],
)
def test_classify_by_schema(schema: str, kind: str | None, scope: str | None) -> None:
    # The shape is a template's either way: $schema decides when present.
    data = {"$schema": schema, "contentVersion": "1.0.0.0", "resources": []}
    assert classify(data) == kind
    assert scope_of_schema(schema) == scope


def test_classify_reads_schema_key_case_insensitively() -> None:
    assert classify({"$SCHEMA": SCHEMA, "resources": []}) == "template"
    t = template_from_data(
        {"$Schema": SCHEMA.replace("deployment", "tenantDeployment"), "Resources": []}, "t"
    )
    assert t.scope == "tenant"
    assert t.schema_scope == "tenant"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ({"contentVersion": "1.0.0.0", "resources": []}, "template"),
        ({"parameters": {}, "resources": [{"type": "a.b/c", "name": "x"}]}, "template"),
        ({"Variables": {}, "RESOURCES": []}, "template"),
        ({"languageVersion": "2.0", "resources": {"vault": {"type": "a.b/c", "name": "x"}}}, "template"),
        ({"resources": []}, None),  # too little to tell
        ({"contentVersion": "1.0.0.0", "resources": "x"}, None),
        (
            {"$schema": 3, "contentVersion": "1.0.0.0", "resources": []},
            "template",
        ),  # non-string $schema: shape
        (
            {
                "parameters": {
                    "a": {"value": 1},
                    "b": {"reference": {"keyVault": {"id": "x"}, "secretName": "s"}},
                }
            },
            "parameters",
        ),
        ({"contentVersion": "1.0.0.0", "parameters": {"a": {"Value": 1, "metadata": {}}}}, "parameters"),
        ({"contentVersion": "1.0.0.0", "parameters": {}}, "parameters"),
        ({"parameters": {}}, None),
        ({"parameters": {"a": {"type": "string"}}}, None),  # a template fragment, not values
        ({"parameters": {"a": {"metadata": {}}}}, None),  # neither value nor reference
        ({"parameters": {"a": 1}}, None),
        ({"parameters": {"a": {"value": 1}}, "name": "x"}, None),  # extra top-level member
        ({"parameters": ["a"]}, None),
        ({"name": "pkg", "version": "1.0.0", "dependencies": {}}, None),
        ({}, None),
        ([], None),
        ("text", None),
        (None, None),
    ],
)
def test_classify_by_shape(data: object, kind: str | None) -> None:
    assert classify(data) == kind


# --------------------------------------------------------------------------------------------------
# parameters, variables, functions, outputs


def test_parameters() -> None:
    t = build(
        {
            "parameters": {
                "adminPassword": {"type": "secureString", "metadata": {"description": "The password"}},
                "settings": {"Type": "SecureObject", "DefaultValue": {}},
                "count": {"type": "int", "defaultValue": 2, "minValue": 1, "maxValue": 5},
                "sku": {"type": "string", "defaultValue": None, "allowedValues": ["a", "b"]},
                "name/with~odd": {"type": "string", "minLength": 3, "maxLength": 24},
                "typed": {"$ref": "#/definitions/thing", "nullable": True},
            }
        }
    )
    assert list(t.parameters) == ["adminpassword", "settings", "count", "sku", "name/with~odd", "typed"]
    password = t.parameter("ADMINPASSWORD")
    assert password is not None
    assert (password.name, password.type, password.secure, password.has_default) == (
        "adminPassword",
        "securestring",
        True,
        False,
    )
    assert password.description == "The password"
    assert password.pointer == "/parameters/adminPassword"
    settings = t.parameters["settings"]
    assert (settings.type, settings.secure, settings.has_default, settings.default) == (
        "secureobject",
        True,
        True,
        {},
    )
    assert settings.pointer_of("defaultValue") == "/parameters/settings/DefaultValue"
    count = t.parameters["count"]
    assert (count.min_value, count.max_value, count.secure, count.default) == (1, 5, False, 2)
    sku = t.parameters["sku"]
    assert (sku.has_default, sku.default, sku.allowed_values, sku.has_allowed_values) == (
        True,
        None,
        ["a", "b"],
        True,
    )
    odd = t.parameters["name/with~odd"]
    assert odd.pointer == "/parameters/name~1with~0odd"
    assert (odd.min_length, odd.max_length) == (3, 24)
    typed = t.parameters["typed"]
    assert (typed.type, typed.nullable, typed.description) == (None, True, None)
    for parameter in t.parameters.values():
        assert resolve_pointer(t.data, parameter.pointer) is parameter.raw


def test_names_repeated_in_another_case_are_problems() -> None:
    t = build(
        {
            "parameters": {"location": {"type": "string"}, "Location": {"type": "string"}},
            "variables": {"x": 1, "X": 2},
            "outputs": {"o": {"type": "int", "value": 1}, "O": {"type": "int", "value": 2}},
        }
    )
    assert t.parameters["location"].name == "location"  # the first one is kept
    assert t.variables["x"].value == 1
    assert [pointer for pointer, _ in t.problems] == ["/parameters/Location", "/variables/X", "/outputs/O"]
    assert "case-insensitive" in t.problems[0][1]


def test_variables_and_copy_variables() -> None:
    t = build(
        {
            "variables": {
                "prefix": "[parameters('p')]",
                "copy": [
                    {"name": "diskNames", "count": 3, "input": "[concat('disk', copyIndex('diskNames'))]"},
                    {"name": "noInput", "count": 1},
                    "not an object",
                    {"count": 1, "input": 1},
                ],
                "disks": {"copy": [{"name": "d", "count": 2, "input": {"lun": "[copyIndex('d')]"}}]},
            }
        }
    )
    assert list(t.variables) == ["prefix", "disknames", "noinput", "disks"]
    prefix = t.variables["prefix"]
    assert (prefix.value, prefix.pointer, prefix.value_pointer, prefix.copy) == (
        "[parameters('p')]",
        "/variables/prefix",
        "/variables/prefix",
        None,
    )
    names = t.variable("DiskNames")
    assert names is not None and names.copy is not None
    assert names.pointer == "/variables/copy/0"
    assert names.value_pointer == "/variables/copy/0/input"
    assert names.value == "[concat('disk', copyIndex('diskNames'))]"
    assert (names.copy.kind, names.copy.name, names.copy.count) == ("variable", "diskNames", 3)
    assert t.variables["noinput"].value_pointer == "/variables/copy/1"
    assert [p for p, _ in t.problems] == ["/variables/copy/2", "/variables/copy/3"]

    found = sites(t)
    assert loop_names(found["/variables/copy/0/input"]) == ["diskNames"]
    assert found["/variables/copy/0/input"].loops[0] is names.copy
    # a property copy inside a variable value: the loop is known only inside its input
    lun = found["/variables/disks/copy/0/input/lun"]
    assert loop_names(lun) == ["d"]
    assert lun.loops[0].kind == "property"
    assert lun.section == "variables"


def test_user_functions() -> None:
    t = build(
        {
            "functions": [
                {
                    "namespace": "contoso",
                    "members": {
                        "uniqueName": {
                            "parameters": [{"name": "namePrefix", "type": "String"}, {"type": "int"}],
                            "output": {
                                "type": "String",
                                "value": "[concat(toLower(parameters('namePrefix')), 'x')]",
                            },
                        }
                    },
                },
                {"namespace": "other", "members": {"f": {"output": {"type": "int", "value": 1}}}},
                {"members": {}},
            ],
            "resources": [{"type": "a.b/c", "apiVersion": "2020-01-01", "name": "[contoso.uniqueName('p')]"}],
        }
    )
    assert list(t.functions) == ["contoso.uniquename", "other.f"]
    function = t.function("Contoso.UniqueName")
    assert function is not None
    assert (function.namespace, function.name, function.full_name) == (
        "contoso",
        "uniqueName",
        "contoso.uniqueName",
    )
    assert function.parameters == [("namePrefix", "string", "/functions/0/members/uniqueName/parameters/0")]
    assert function.output_type == "string"
    assert function.output_pointer == "/functions/0/members/uniqueName/output/value"
    assert [p for p, _ in t.problems] == [
        "/functions/0/members/uniqueName/parameters/1",
        "/functions/2",
    ]
    found = sites(t)
    inside = found["/functions/0/members/uniqueName/output/value"]
    assert (inside.section, inside.function, inside.resource) == ("functions", function, None)
    assert found["/resources/0/name"].function is None


def test_outputs_and_output_copy() -> None:
    t = build(
        {
            "outputs": {
                "id": {
                    "type": "String",
                    "value": "[resourceId('a.b/c', 'x')]",
                    "condition": "[parameters('c')]",
                },
                "names": {
                    "type": "array",
                    "copy": {"count": "[length(parameters('n'))]", "input": "[parameters('n')[copyIndex()]]"},
                    "metadata": {"description": "[not evaluated]"},
                },
                "bad": {"type": "int", "copy": 3},
            }
        }
    )
    out = t.output("ID")
    assert out is not None
    assert (out.type, out.has_value, out.condition, out.copy) == ("string", True, "[parameters('c')]", None)
    names = t.outputs["names"]
    assert names.copy is not None and names.copy.kind == "output" and names.copy.name is None
    assert names.copy.pointer == "/outputs/names/copy"
    assert not names.has_value
    assert t.problems == [("/outputs/bad/copy", "output `copy` is not an object")]
    found = sites(t)
    assert loop_names(found["/outputs/names/copy/input"]) == [None]
    assert loop_names(found["/outputs/names/copy/count"]) == []
    assert loop_names(found["/outputs/id/value"]) == []
    assert found["/outputs/id/condition"].output is out
    assert "/outputs/names/metadata/description" not in found


# --------------------------------------------------------------------------------------------------
# resources


VM_WITH_SNAPSHOT = {
    "parameters": {"vm": {"type": "string"}},
    "resources": [
        {
            "type": "Microsoft.Compute/virtualMachines",
            "apiVersion": "2023-09-01",
            "name": "[parameters('vm')]",
            "location": "[resourceGroup().location]",
            "properties": {"hardwareProfile": {"vmSize": "Standard_B2s"}},
            "resources": [
                {
                    "type": "extensions",
                    "apiVersion": "2023-09-01",
                    "name": "VMSnapshot",
                    "location": "westeurope",
                    "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', parameters('vm'))]"],
                    "Properties": {
                        "publisher": "Microsoft.Azure.RecoveryServices",
                        "type": "VMSnapshot",
                        "Settings": {"taskId": "t"},
                    },
                }
            ],
        }
    ],
}


def test_child_resource_is_flattened_with_full_type_and_name() -> None:
    t = build(VM_WITH_SNAPSHOT)
    assert [r.pointer for r in t.resources] == ["/resources/0", "/resources/0/resources/0"]
    vm, extension = t.resources
    assert extension.type == "Microsoft.Compute/virtualMachines/extensions"
    assert extension.type_as_written == "extensions"
    assert extension.name == "[format('{0}/{1}', parameters('vm'), 'VMSnapshot')]"
    assert extension.name_as_written == "VMSnapshot"
    assert extension.name_parts == ("[parameters('vm')]", "VMSnapshot")
    assert extension.parent is vm and vm.children == [extension] and vm.parent is None
    assert list(extension.ancestors()) == [vm]
    assert extension.template is t
    assert extension.api_version == "2023-09-01"
    assert extension.location == "westeurope"
    assert extension.depends_on == [
        (
            "[resourceId('Microsoft.Compute/virtualMachines', parameters('vm'))]",
            "/resources/0/resources/0/dependsOn/0",
        )
    ]
    # case-insensitive access, pointers with the spelling found in the file
    assert extension.get("properties", "settings", "TASKID") == "t"
    assert extension.get("properties", "protectedSettings") is None
    assert extension.get("properties", "protectedSettings", default={}) == {}
    assert extension.has("properties", "publisher")
    assert extension.pointer_of("properties", "settings") == "/resources/0/resources/0/Properties/Settings"
    assert extension.pointer_of("properties", "protectedSettings") is None
    assert extension.properties == extension.get("properties")
    assert resolve_pointer(t.data, extension.pointer) is extension.raw
    assert t.resources_of_type("microsoft.compute/VIRTUALMACHINES/extensions") == [extension]
    assert (vm.label, extension.label) == ("[parameters('vm')]", "VMSnapshot")


def test_child_names_and_types_in_every_combination() -> None:
    t = build(
        {
            "resources": [
                {
                    "type": "Microsoft.Storage/storageAccounts",
                    "name": "store",
                    "resources": [
                        {
                            "type": "blobServices/containers",  # relative, two segments
                            "name": "default/logs",
                            "resources": [{"type": "immutabilityPolicies", "name": "[variables('p')]"}],
                        },
                        {
                            # qualified: name and type are already full
                            "type": "Microsoft.Storage/storageAccounts/fileServices",
                            "name": "store/default",
                        },
                        {
                            "type": "Microsoft.Insights/diagnosticSettings",
                            "name": "diag",
                        },  # grouped, not a child type
                        {"type": "providers/locks", "name": "[[literal]"},
                    ],
                },
                {
                    "type": "[variables('type')]",
                    "name": "[variables('n')]",
                    "resources": [{"type": "children", "name": "c"}],
                },
                {"type": "Microsoft.Web/sites", "name": 3, "resources": [{"type": "config", "name": "web"}]},
                {"type": "Microsoft.Web/sites", "resources": [{"type": "config", "name": "web"}]},
            ]
        }
    )
    got = [(r.pointer, r.type, r.name) for r in t.resources]
    assert got == [
        ("/resources/0", "Microsoft.Storage/storageAccounts", "store"),
        (
            "/resources/0/resources/0",
            "Microsoft.Storage/storageAccounts/blobServices/containers",
            "store/default/logs",
        ),
        (
            "/resources/0/resources/0/resources/0",
            "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies",
            "[format('{0}/{1}/{2}', 'store', 'default/logs', variables('p'))]",
        ),
        ("/resources/0/resources/1", "Microsoft.Storage/storageAccounts/fileServices", "store/default"),
        ("/resources/0/resources/2", "Microsoft.Insights/diagnosticSettings", "diag"),
        ("/resources/0/resources/3", "Microsoft.Storage/storageAccounts/providers/locks", "store/[literal]"),
        ("/resources/1", None, "[variables('n')]"),
        ("/resources/1/resources/0", None, "[format('{0}/{1}', variables('n'), 'c')]"),
        ("/resources/2", "Microsoft.Web/sites", None),
        ("/resources/2/resources/0", "Microsoft.Web/sites/config", None),
        ("/resources/3", "Microsoft.Web/sites", None),
        ("/resources/3/resources/0", "Microsoft.Web/sites/config", None),
    ]


def test_resource_members() -> None:
    t = build(
        {
            "resources": [
                {
                    "Type": "Microsoft.Network/publicIPAddresses",
                    "APIVERSION": "2023-04-01",
                    "Name": "ip",
                    "condition": "[parameters('deployIp')]",
                    "scope": "[format('Microsoft.Network/virtualNetworks/{0}', 'v')]",
                    "copy": {"name": "ips", "count": 3, "mode": "serial", "batchSize": 1},
                    "metadata": {"templategen": {"ignore": ["TG401", "hard-coded-location"]}},
                },
                {"type": "a.b/c", "name": "x", "copy": [1], "dependsOn": "ip"},
                "not a resource",
            ]
        }
    )
    ip, other = t.resources
    assert (ip.type, ip.api_version, ip.name) == ("Microsoft.Network/publicIPAddresses", "2023-04-01", "ip")
    assert (ip.condition, ip.has_condition, other.has_condition, other.condition) == (
        "[parameters('deployIp')]",
        True,
        False,
        None,
    )
    assert ip.scope == "[format('Microsoft.Network/virtualNetworks/{0}', 'v')]"
    assert ip.copy is not None
    assert (ip.copy.kind, ip.copy.name, ip.copy.count, ip.copy.mode, ip.copy.batch_size) == (
        "resource",
        "ips",
        3,
        "serial",
        1,
    )
    assert ip.copy.pointer == "/resources/0/copy"
    assert ip.copy.matches("IPS") and not ip.copy.matches("other")
    assert ip.loops == (ip.copy,)
    assert suppressed_ids(ip.metadata) == ("TG401", "hard-coded-location")
    assert other.copy is None and other.depends_on == []
    assert t.problems == [
        ("/resources/1/copy", "resource `copy` is not an object"),
        ("/resources/1/dependsOn", "`dependsOn` is not an array"),
        ("/resources/2", "resource is not an object"),
    ]


def test_template_level_problems() -> None:
    t = build({"parameters": [], "variables": None, "functions": {}, "resources": "x", "outputs": 3})
    assert t.parameters == {} and t.resources == [] and t.outputs == {}
    assert [p for p, _ in t.problems] == ["/parameters", "/functions", "/resources", "/outputs"]


# --------------------------------------------------------------------------------------------------
# copy loops around expressions


def test_copy_loops_of_every_kind_around_sites() -> None:
    t = build(
        {
            "resources": [
                {
                    "type": "Microsoft.Compute/virtualMachines",
                    "apiVersion": "2023-09-01",
                    "name": "[concat('vm', copyIndex())]",
                    "copy": {"name": "vmLoop", "count": "[parameters('n')]"},
                    "properties": {
                        "storageProfile": {
                            "copy": [
                                {
                                    "name": "dataDisks",
                                    "count": "[parameters('disks')]",
                                    "input": {
                                        "lun": "[copyIndex('dataDisks')]",
                                        "name": "[concat('d', copyIndex())]",
                                    },
                                }
                            ],
                            "osDisk": {"name": "[concat('os', copyIndex())]"},
                        },
                        "plainCopy": {"copy": ["[parameters('x')]"]},  # not a property loop
                    },
                    "resources": [
                        {
                            "type": "extensions",
                            "apiVersion": "2023-09-01",
                            "name": "[concat('vm', copyIndex(), '/ext')]",
                            "location": "[parameters('location')]",
                        }
                    ],
                }
            ]
        }
    )
    vm, extension = t.resources
    found = sites(t)
    assert loop_names(found["/resources/0/name"]) == ["vmLoop"]
    assert loop_names(found["/resources/0/copy/count"]) == []  # the loop's own count is outside it
    disk_count = found["/resources/0/properties/storageProfile/copy/0/count"]
    assert loop_names(disk_count) == ["vmLoop"]
    lun = found["/resources/0/properties/storageProfile/copy/0/input/lun"]
    assert loop_names(lun) == ["vmLoop", "dataDisks"]
    assert (
        lun.loops[1].kind == "property"
        and lun.loops[1].pointer == "/resources/0/properties/storageProfile/copy/0"
    )
    assert lun.loop_named("DATADISKS") is lun.loops[1]
    assert lun.loop_named("vmloop") is vm.copy
    assert lun.loop_named("nope") is None
    assert loop_names(found["/resources/0/properties/storageProfile/osDisk/name"]) == ["vmLoop"]
    assert loop_names(found["/resources/0/properties/plainCopy/copy/0"]) == ["vmLoop"]
    # a child of a copied parent is expanded with it: the parent's loop is in force
    assert extension.loops == (vm.copy,)
    assert loop_names(found["/resources/0/resources/0/name"]) == ["vmLoop"]
    assert found["/resources/0/resources/0/name"].resource is extension
    assert found["/resources/0/name"].resource is vm
    assert all(site.section == "resources" for site in found.values())


# --------------------------------------------------------------------------------------------------
# expression sites: what is and is not visited


def test_sites_include_expression_keys_and_skip_declarations() -> None:
    t = build(
        {
            "metadata": {"note": "[not evaluated]"},
            "parameters": {
                "[odd name]": {"type": "string", "defaultValue": "[resourceGroup().location]"},
                "sku": {"type": "string", "allowedValues": ["[not evaluated]"], "metadata": {"d": "[nope]"}},
            },
            "variables": {
                "[also a name]": {"[concat('k', '1')]": "[variables('x')]"},
                "escaped": "[[literal]",
            },
            "resources": [
                {
                    "type": "Microsoft.Web/sites",
                    "apiVersion": "2022-09-01",
                    "name": "site",
                    "comments": "[free text]",
                    "metadata": {"description": "[free text]"},
                    "tags": {
                        "[concat('hidden-link:', resourceId('Microsoft.Web/serverfarms', 'p'))]": "Resource"
                    },
                    "identity": {
                        "type": "UserAssigned",
                        "userAssignedIdentities": {
                            "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'i')]": {}
                        },
                    },
                }
            ],
        }
    )
    found = sites(t)
    assert set(found) == {
        "/parameters/[odd name]/defaultValue",
        "/variables/[also a name]/[concat('k', '1')]",
        "/resources/0/tags/[concat('hidden-link:', resourceId('Microsoft.Web~1serverfarms', 'p'))]",
        "/resources/0/identity/userAssignedIdentities/"
        "[resourceId('Microsoft.ManagedIdentity~1userAssignedIdentities', 'i')]",
    }
    keys = {site.pointer for site in t.expression_sites() if site.key}
    assert keys == set(found) - {"/parameters/[odd name]/defaultValue"}
    # the variable member's value sits beside its key under the same pointer: both are sites
    values = [s for s in t.expression_sites() if s.pointer == "/variables/[also a name]/[concat('k', '1')]"]
    assert sorted((s.key, s.value) for s in values) == [
        (False, "[variables('x')]"),
        (True, "[concat('k', '1')]"),
    ]
    assert found["/parameters/[odd name]/defaultValue"].section == "parameters"


def test_sites_visit_type_and_api_version_for_the_literal_rule() -> None:
    t = build({"resources": [{"type": "[variables('t')]", "apiVersion": "[variables('v')]", "name": "x"}]})
    assert set(sites(t)) == {"/resources/0/type", "/resources/0/apiVersion"}
    assert t.resources[0].type is None


# --------------------------------------------------------------------------------------------------
# nested deployments


def deployment(name: str, template: object, **extra: object) -> dict[str, object]:
    properties: dict[str, object] = {"mode": "Incremental", "template": template}
    options = extra.pop("evaluation", None)
    if options is not None:
        properties["expressionEvaluationOptions"] = {"scope": options}
    if "parameters" in extra:
        properties["parameters"] = extra.pop("parameters")
    return {
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2022-09-01",
        "name": name,
        "properties": properties,
        **extra,
    }


def test_nested_inner_and_outer_scope_multi_level() -> None:
    innermost = {"resources": [{"type": "a.b/c", "name": "[parameters('p')]"}], "outputs": {}}
    inner = {
        "$schema": SCHEMA,
        "parameters": {"p": {"type": "string"}},
        "resources": [
            {"type": "Microsoft.Storage/storageAccounts", "name": "[parameters('p')]"},
            deployment("deeper", innermost),  # no option: outer, i.e. resolves in `inner`
        ],
    }
    outer_body = {"resources": [{"type": "a.b/c", "name": "[variables('v')]"}]}
    t = build(
        {
            "parameters": {"p": {"type": "string"}},
            "variables": {"v": "x"},
            "resources": [
                deployment("in", inner, evaluation="Inner", parameters={"p": {"value": "[variables('v')]"}}),
                deployment("out", outer_body, evaluation="outer"),
                deployment("unspecified", {"resources": []}, evaluation="NotSpecified"),
            ],
        }
    )
    first, second, third = t.nested
    deeper = first.nested[0]
    assert [x.pointer for x in t.all_templates()] == [
        "",
        "/resources/0/properties/template",
        "/resources/0/properties/template/resources/1/properties/template",
        "/resources/1/properties/template",
        "/resources/2/properties/template",
    ]
    assert (first.evaluation_scope, first.expression_scope) == ("inner", first)
    assert (deeper.evaluation_scope, deeper.expression_scope, deeper.parent) == ("outer", first, first)
    assert (second.evaluation_scope, second.expression_scope) == ("outer", t)
    assert (third.evaluation_scope, third.expression_scope) == ("outer", t)
    assert first.deployment is t.resources[0] and t.resources[0].nested is first
    assert [t.depth, first.depth, deeper.depth] == [0, 1, 2]
    assert deeper.root is t and first.is_nested and not t.is_nested
    assert first.path == "t.json"
    # resources stay with their own template
    assert [r.name for r in t.resources] == ["in", "out", "unspecified"]
    assert [r.name for r in first.resources] == ["[parameters('p')]", "deeper"]
    assert [r.name for r in t.all_resources()][-1] == "[variables('v')]"
    assert len(list(t.all_resources())) == 3 + 2 + 1 + 1

    top_sites = sites(t)
    # the deployment's parameter values are evaluated in the parent; the inline body is not its site
    assert set(top_sites) == {"/resources/0/properties/parameters/p/value"}
    first_sites = list(first.expression_sites())
    assert [s.pointer for s in first_sites] == ["/resources/0/properties/template/resources/0/name"]
    assert first_sites[0].scope is first and first_sites[0].template is first
    deeper_site = next(deeper.expression_sites())
    assert deeper_site.scope is first and deeper_site.template is deeper
    second_site = next(second.expression_sites())
    assert second_site.scope is t
    assert len(list(t.all_expression_sites())) == 4


def test_nested_template_sees_outer_deployment_loop_only_with_outer_scope() -> None:
    body = {"resources": [{"type": "a.b/c", "name": "[concat('x', copyIndex())]"}]}
    loop = {"name": "deployments", "count": 2}
    t = build(
        {
            "resources": [
                deployment("o", body, copy=loop),
                deployment("i", body, copy=loop, evaluation="inner"),
            ]
        }
    )
    outer, inner = t.nested
    assert outer.inherited_loops == (t.resources[0].copy,)
    assert loop_names(next(outer.expression_sites())) == ["deployments"]
    assert inner.inherited_loops == ()
    assert loop_names(next(inner.expression_sites())) == []


def test_nested_deployment_scope() -> None:
    empty: dict[str, object] = {"resources": []}
    t = build(
        {
            "resources": [
                deployment("same", empty),
                deployment("rg", empty, resourceGroup="other"),
                deployment("sub-rg", empty, subscriptionId="s", resourceGroup="other"),
                deployment(
                    "sub", empty, subscriptionId="[subscription().subscriptionId]", location="westeurope"
                ),
                deployment("tenant", empty, scope="/", location="westeurope"),
                deployment("mg", empty, scope="[format('Microsoft.Management/managementGroups/{0}', 'mg')]"),
                deployment(
                    "unreadable",
                    {
                        "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
                    },
                    scope="[parameters('where')]",
                ),
                deployment("linked", "[variables('t')]"),
            ]
        }
    )
    assert [n.scope for n in t.nested] == [
        "resourceGroup",
        "resourceGroup",
        "resourceGroup",
        "subscription",
        "tenant",
        "managementGroup",
        "subscription",
    ]
    assert t.resources[-1].nested is None and t.resources[-1].is_deployment
    sub = t.nested[3]
    nested_in_sub = build(
        {"$schema": SCHEMA.replace("deploymentTemplate", "subscriptionDeploymentTemplate"), "resources": []}
    )
    assert nested_in_sub.scope == "subscription" and sub.scope == "subscription"


# --------------------------------------------------------------------------------------------------
# languageVersion 2.0


def test_symbolic_resources_and_existing() -> None:
    t = build(
        {
            "languageVersion": "2.0",
            "definitions": {"thing": {"type": "string"}},
            "resources": {
                "vault": {
                    "type": "Microsoft.RecoveryServices/vaults",
                    "apiVersion": "2023-04-01",
                    "name": "[parameters('vaultName')]",
                    "existing": True,
                },
                "policy/a": {
                    "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
                    "apiVersion": "2023-04-01",
                    "name": "[format('{0}/{1}', parameters('vaultName'), 'daily')]",
                    "dependsOn": ["vault"],
                },
                "Vault": {"type": "a.b/c", "name": "dup"},
            },
        }
    )
    assert t.language_version == "2.0"
    assert t.definitions == {"thing": {"type": "string"}}
    vault, policy, dup = t.resources
    assert (vault.symbolic_name, vault.existing, vault.pointer) == ("vault", True, "/resources/vault")
    assert (policy.symbolic_name, policy.existing, policy.pointer) == (
        "policy/a",
        False,
        "/resources/policy~1a",
    )
    assert policy.depends_on == [("vault", "/resources/policy~1a/dependsOn/0")]
    assert t.symbolic_resources == {"vault": vault, "policy/a": policy}
    assert t.problems == [("/resources/Vault", "symbolic name 'Vault' repeats (names are case-insensitive)")]
    assert (vault.label, dup.symbolic_name) == ("vault", "Vault")
    assert set(sites(t)) == {"/resources/vault/name", "/resources/policy~1a/name"}


# --------------------------------------------------------------------------------------------------
# template members and document input


def test_template_members_and_suppressions() -> None:
    t = build(
        {
            "apiProfile": "2019-03-01-hybrid",
            "metadata": {
                "_generator": {"name": "bicep", "version": "0.26.54.24096"},
                "TemplateGen": {"Ignore": "TG104, unused-parameter"},
            },
            "resources": [],
        }
    )
    assert t.schema == SCHEMA and t.content_version == "1.0.0.0" and t.api_profile == "2019-03-01-hybrid"
    assert t.generator == ("bicep", "0.26.54.24096")
    assert t.ignored_rules == ("TG104", "unused-parameter")
    assert t.get("metadata", "_generator", "name") == "bicep"
    assert t.pointer_of("metadata", "templategen", "ignore") == "/metadata/TemplateGen/Ignore"
    assert suppressed_ids({"templategen": {"ignore": 3}}) == ()
    assert suppressed_ids(None) == ()
    assert build({"resources": []}).generator is None


class _Document:
    """The two members `build_template` reads from a reader's document."""

    def __init__(self, path: str, data: object) -> None:
        self.path = path
        self.data = data


def test_build_template_from_a_document() -> None:
    document = _Document(
        "dir/azuredeploy.json", json.loads(json.dumps({"$schema": SCHEMA, **VM_WITH_SNAPSHOT}))
    )
    t = build_template(document)
    assert t.path == "dir/azuredeploy.json" and t.document is document
    assert len(t.resources) == 2
    with pytest.raises(ValueError, match="must be a JSON object"):
        template_from_data([], "x.json")


def test_nested_problems_are_collected_on_the_file_and_sites_are_kept() -> None:
    t = build({"resources": [deployment("d", {"resources": ["x"], "variables": {"v": "[parameters('p')]"}})]})
    nested = t.nested[0]
    assert t.problems == [("/resources/0/properties/template/resources/0", "resource is not an object")]
    assert nested.problems is t.problems
    first = list(nested.expression_sites())
    assert [s.pointer for s in first] == ["/resources/0/properties/template/variables/v"]
    assert list(nested.expression_sites()) == first and first[0] is next(nested.expression_sites())
