"""The evaluator: unknowns and partial strings, parameters and parameters files, variables and
cycles, copy loops, nested deployments, user functions, lambdas over unknowns, secrets, problems.

Functions one by one, against the reference's examples, are in test_evaluate_functions.py; bounds
against hostile input in test_evaluate_bounds.py; the whole corpus in test_evaluate_corpus.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from templategen.arm.evaluate import MAX_COPY_COUNT, Evaluator, ResourceInstance
from templategen.arm.template import parameters_from_data, template_from_data
from templategen.arm.values import (
    Partial,
    SecretStr,
    Unknown,
    describe,
    is_known,
    is_secret,
    known_text,
    same,
    split_text,
)

from .evalkit import MG_SCHEMA, SUB_SCHEMA, TENANT_SCHEMA, defaults, evaluator, run, template

BACKUP_VMS = "corpus/quickstarts/quickstarts/microsoft.recoveryservices/recovery-services-backup-vms"


# --------------------------------------------------------------------------------------------------
# the Recovery Services quickstart: the case the symbolic unknowns exist for


def _protected_item_parts(instance: ResourceInstance) -> tuple[list[Any], list[Any], list[Any]]:
    """(container segment, item segment, sourceResourceId segments) of a protected item, split the
    way the backup rule will: an RG or VM name never contains '/' or ';'."""
    segments = split_text(instance.name, "/", assume=True)
    assert segments is not None and len(segments) == 4
    container = split_text(segments[2], ";", assume=True)
    item = split_text(segments[3], ";", assume=True)
    source = split_text(instance.get("properties", "sourceResourceId"), "/", assume=True)
    assert container is not None and item is not None and source is not None
    return container, item, source


def _backup_vms(shared: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = shared / BACKUP_VMS
    template_data = json.loads((folder / "azuredeploy.json").read_text(encoding="utf-8"))
    parameters_data = json.loads((folder / "azuredeploy.parameters.json").read_text(encoding="utf-8"))
    return template_data, parameters_data


def test_protected_item_name_and_source_id_name_the_same_unknown_vm(shared: Path) -> None:
    template_data, _ = _backup_vms(shared)
    model = template_from_data(template_data, "azuredeploy.json")
    evaluator_ = Evaluator(model)
    [protected] = [r for r in model.resources if r.type and r.type.endswith("protectedItems")]
    [instance] = evaluator_.resource_instances(protected)
    assert instance.symbolic  # the count is length(parameters('existingVirtualMachines')): unknown
    container, item, source = _protected_item_parts(instance)
    # container: iaasvmcontainer;iaasvmcontainerv2;RG;VM — item: vm;iaasvmcontainerv2;RG;VM
    assert container[:2] == ["iaasvmcontainer", "iaasvmcontainerv2"] and item[:2] == [
        "vm",
        "iaasvmcontainerv2",
    ]
    rg, vm = container[2], container[3]
    assert isinstance(rg, Unknown) and rg.label == "parameters('existingvirtualmachinesresourcegroup')"
    assert isinstance(vm, Unknown)
    assert vm.label == "parameters('existingvirtualmachines')[copyindex('protecteditems')]"
    # The same RG and VM in both segments and in sourceResourceId, although none is known.
    assert same(item[2], rg) is True and same(item[3], vm) is True
    assert source[3:5] == ["resourceGroups", source[4]] and same(source[4], rg) is True
    assert same(source[-1], vm) is True
    assert source[5:8] == ["providers", "Microsoft.Compute", "virtualMachines"]
    assert same(source[-1], source[4]) is None  # two different unknowns: cannot tell
    assert describe(instance.name, 500) == (
        "RecoveryServicesVault/Azure/iaasvmcontainer;iaasvmcontainerv2;"
        "<parameters('existingVirtualMachinesResourceGroup')>;"
        "<parameters('existingVirtualMachines')[copyIndex('protectedItems')]>/vm;iaasvmcontainerv2;"
        "<parameters('existingVirtualMachinesResourceGroup')>;"
        "<parameters('existingVirtualMachines')[copyIndex('protectedItems')]>"
    )
    # policyId names the policy in the same vault
    policy_id = instance.get("properties", "policyId")
    assert describe(policy_id, 500) == (
        "/subscriptions/<subscription().subscriptionId>/resourceGroups/<resourceGroup().name>/providers/"
        "Microsoft.RecoveryServices/vaults/RecoveryServicesVault/backupPolicies/DefaultPolicy"
    )
    assert evaluator_.problems == []


def test_protected_items_with_the_parameters_file_are_known(shared: Path) -> None:
    template_data, parameters_data = _backup_vms(shared)
    model = template_from_data(template_data, "azuredeploy.json")
    evaluator_ = Evaluator(model, parameters_from_data(parameters_data, "azuredeploy.parameters.json"))
    [protected] = [r for r in model.resources if r.type and r.type.endswith("protectedItems")]
    instances = evaluator_.resource_instances(protected)
    assert [instance.index for instance in instances] == [(0,), (1,), (2,)]
    assert evaluator_.resource_count(protected) == 3
    names = [instance.name for instance in instances]
    assert names == [
        f"RecoveryServicesVault/Azure/iaasvmcontainer;iaasvmcontainerv2;GET-PREREQ-resourceGroupName;VM{i}"
        f"/vm;iaasvmcontainerv2;GET-PREREQ-resourceGroupName;VM{i}"
        for i in range(3)
    ]
    source = instances[1].get("properties", "sourceResourceId")
    assert isinstance(source, Partial)  # the subscription stays unknown
    assert describe(source, 300).endswith(
        "/resourceGroups/GET-PREREQ-resourceGroupName/providers/Microsoft.Compute/virtualMachines/VM1"
    )
    vault, policy = model.resources[0], model.resources[1]
    assert [i.condition for i in evaluator_.resource_instances(vault)] == [True]
    assert [i.name for i in evaluator_.resource_instances(policy)] == ["RecoveryServicesVault/VMBackupPolicy"]


def test_resource_group_name_used_twice_is_one_value() -> None:
    ev = evaluator()
    a = ev.evaluate("[format('{0}/x', resourceGroup().name)]")
    b = ev.evaluate("[concat(resourceGroup().name, '/x')]")
    assert isinstance(a, Partial) and same(a, b) is True
    assert (
        same(ev.evaluate("[resourceGroup().location]"), ev.evaluate("[resourceGroup()['LOCATION']]")) is True
    )
    assert (
        same(
            ev.evaluate("[resourceGroup().id]"),
            ev.evaluate(
                "[concat('/subscriptions/', subscription().subscriptionId, "
                "'/resourceGroups/', resourceGroup().name)]"
            ),
        )
        is True
    )
    assert ev.evaluate("[resourceGroup().type]") == "Microsoft.Resources/resourceGroups"
    assert same(ev.evaluate("[subscription().tenantId]"), ev.evaluate("[tenant().tenantId]")) is True


# --------------------------------------------------------------------------------------------------
# unknowns and partial strings


def test_unknown_parameters_are_labelled_by_name_case_insensitively() -> None:
    ev = evaluator(parameters={"VmName": {"type": "string"}, "other": {"type": "string"}})
    first = ev.evaluate("[parameters('VmName')]")
    assert isinstance(first, Unknown) and first.label == "parameters('vmname')" and first.type == "string"
    assert describe(first) == "<parameters('VmName')>"
    assert same(first, ev.evaluate("[parameters('vmname')]")) is True
    assert same(first, ev.evaluate("[parameters('other')]")) is None
    assert same(first, 5) is False  # a string parameter is not an integer


def test_per_call_values_never_equal_each_other() -> None:
    ev = evaluator(
        parameters={
            "a": {"type": "string", "defaultValue": "[newGuid()]"},
            "b": {"type": "string", "defaultValue": "[newGuid()]"},
        }
    )
    assert (
        same(ev.evaluate("[parameters('a')]"), ev.evaluate("[parameters('a')]")) is True
    )  # one value per deployment
    assert same(ev.evaluate("[parameters('a')]"), ev.evaluate("[parameters('b')]")) is None
    first = ev.evaluate("[reference('x').outputs]")
    assert isinstance(first, Unknown) and not first.deterministic
    assert same(first, ev.evaluate("[reference('x').outputs]")) is None
    assert (
        same(ev.evaluate("[listKeys('a', '2020-01-01')]"), ev.evaluate("[listKeys('a', '2020-01-01')]"))
        is None
    )


def test_member_and_index_access_extend_the_label() -> None:
    ev = evaluator(parameters={"settings": {"type": "object"}, "vms": {"type": "array"}})
    value = ev.evaluate("[parameters('settings').Network['SubnetName']]")
    assert isinstance(value, Unknown) and value.label == "parameters('settings').network.subnetname"
    assert same(value, ev.evaluate("[parameters('settings')['network'].subnetName]")) is True
    element = ev.evaluate("[parameters('vms')[2]]")
    assert isinstance(element, Unknown) and element.label == "parameters('vms')[2]"
    derived = ev.evaluate("[length(parameters('vms'))]")
    assert (
        isinstance(derived, Unknown)
        and derived.label == "length(parameters('vms'))"
        and derived.type == "int"
    )


def test_partial_strings_compare_structurally_or_by_their_known_text() -> None:
    ev = evaluator(parameters={"name": {"type": "string"}, "other": {"type": "string"}})
    e = ev.evaluate
    assert same(e("[concat('vm-', parameters('name'))]"), e("[format('vm-{0}', parameters('name'))]")) is True
    assert same(e("[concat('vm-', parameters('name'))]"), e("[concat('db-', parameters('name'))]")) is False
    assert same(e("[concat(parameters('name'), '-vm')]"), e("[concat(parameters('name'), '-db')]")) is False
    assert same(e("[concat('vm-', parameters('name'))]"), e("[concat('vm-', parameters('other'))]")) is None
    assert same(e("[concat('vm-', parameters('name'))]"), "vm-web") is None
    assert same(e("[concat('vm-', parameters('name'), '-x')]"), "db-web-x") is False
    assert (
        same(e("[concat('a', parameters('name'), 'b', parameters('other'), 'c')]"), "axxcyyb") is False
    )  # order of known parts
    assert same(e("[concat('vm-', parameters('name'))]"), 3) is False
    assert (
        same(
            e("[toLower(concat('VM-', parameters('name')))]"),
            e("[concat('vm-', toLower(parameters('name')))]"),
        )
        is True
    )
    assert same(e("[toLower(parameters('name'))]"), e("[parameters('name')]")) is None
    assert (
        same(e("[toLower(parameters('name'))]"), e("[toUpper(parameters('name'))]"), ignore_case=True) is True
    )
    assert e("[empty(concat('x', parameters('name')))]") is False
    assert e("[startsWith(concat('Microsoft.Compute/', parameters('name')), 'microsoft.compute')]") is True
    assert e("[endsWith(concat(parameters('name'), '.json'), '.xml')]") is False
    assert e("[contains(concat(parameters('name'), 'sig=abc'), 'sig=')]") is True
    assert isinstance(e("[equals(parameters('name'), 'web')]"), Unknown)
    assert e("[equals(concat('a', parameters('name')), concat('b', parameters('name')))]") is False


def test_split_text_splits_known_text_and_respects_unknown_pieces() -> None:
    ev = evaluator(parameters={"vault": {"type": "string"}})
    name = ev.evaluate("[concat(parameters('vault'), '/Azure/', copyIndex())]")
    assert split_text(name, "/") is None  # the vault name might contain '/' (ARM does not forbid it here)
    segments = split_text(name, "/", assume=True)
    assert segments is not None and len(segments) == 3 and segments[1] == "Azure"
    index = segments[2]
    assert isinstance(index, Unknown) and index.alphabet == "0123456789"
    id_ = ev.evaluate("[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg')]")
    parts = split_text(id_, "/")  # a subscription id cannot contain '/': splits without assuming
    assert parts is not None and parts[1:] == [
        "subscriptions",
        parts[2],
        "providers",
        "Microsoft.Resources",
        "resourceGroups",
        "rg",
    ]
    assert split_text(42, "/") is None
    assert split_text("a;b", ";") == ["a", "b"]
    # ARM's split() on partial strings: only when the unknown pieces provably lack the separator
    pieces = ev.evaluate("[split(concat('vm-', copyIndex(), '-disk'), '-')]")
    assert isinstance(pieces, list) and pieces[0] == "vm" and pieces[2] == "disk"
    assert isinstance(pieces[1], Unknown) and pieces[1].label == "copyindex()"
    assert isinstance(ev.evaluate("[split(concat(parameters('vault'), '/x'), '/')]"), Unknown)


def test_if_with_an_unknown_condition() -> None:
    ev = evaluator(parameters={"flag": {"type": "bool"}, "name": {"type": "string"}})
    assert ev.evaluate("[if(parameters('flag'), 'same', 'same')]") == "same"
    value = ev.evaluate("[if(parameters('flag'), 'a', 'b')]")
    assert isinstance(value, Unknown) and value.label == "if(parameters('flag'), 'a', 'b')"
    # neither branch reports a problem while the condition is unknown
    assert isinstance(ev.evaluate("[if(parameters('flag'), createArray()[1], 'b')]"), Unknown)
    assert ev.problems == []
    assert ev.evaluate("[and(parameters('flag'), false())]") is False
    assert ev.evaluate("[or(true(), parameters('flag'))]") is True
    assert isinstance(ev.evaluate("[and(parameters('flag'), true())]"), Unknown)


def test_coalesce_skips_nulls_and_stops_at_unknowns() -> None:
    ev = evaluator(parameters={"maybe": {"type": "object"}, "text": {"type": "string"}})
    assert ev.evaluate("[coalesce(null(), 'x')]") == "x"
    assert ev.evaluate("[coalesce(null(), null())]") is None
    assert isinstance(ev.evaluate("[coalesce(parameters('maybe').x, 'fallback')]"), Unknown)
    typed = ev.evaluate("[coalesce(parameters('text'), 'fallback')]")
    assert isinstance(typed, Unknown) and typed.label == "parameters('text')"


def test_strict_functions_of_unknowns_are_named_after_the_call() -> None:
    ev = evaluator(parameters={"x": {"type": "string"}})
    one = ev.evaluate("[uniqueString(resourceGroup().id, parameters('x'))]")
    two = ev.evaluate("[uniqueString(resourceGroup().id, parameters('x'))]")
    assert isinstance(one, Unknown) and same(one, two) is True
    assert one.alphabet == "abcdefghijklmnopqrstuvwxyz234567"
    assert same(one, "not-base32!") is False  # the alphabet proves it


def test_unknown_results_read_as_the_expression_that_made_them() -> None:
    """A derived unknown is shown as the template spells its partial arguments, not as the first
    characters of their text; what varies per copy, lambda call or function call is spelt as its
    value, so copies stay apart; long displays lose whole arguments, never half a token."""
    ev = evaluator(parameters={"x": {"type": "string"}})
    long_argument = "concat(resourceGroup().id" + ", parameters('x')" * 4 + ")"
    per_call = "lambda('v', uniqueString(concat(lambdaVariables('v'), 'a')))"
    cases = {
        "[uniqueString(resourceGroup().id)]": "<uniqueString(resourceGroup().id)>",
        "[concat('sa', uniqueString(resourceGroup().id))]": "sa<uniqueString(resourceGroup().id)>",
        "[guid(subscription().id, 'x')]": "<guid(subscription().id, 'x')>",
        "[substring(uniqueString(resourceGroup().id), 0, 6)]": (
            "<substring(uniqueString(resourceGroup().id), 0, 6)>"
        ),
        f"[uniqueString({long_argument})]": "<uniqueString(concat(…))>",
        f"[map(createArray(resourceGroup().id), {per_call})]": (
            "[<uniqueString(concat('/subscriptions/{subscription().subscriptionId}/resourceGroups/…', 'a'))>]"
        ),
    }
    for expression, shown in cases.items():
        assert describe(ev.evaluate(expression)) == shown
    # the canonical label is untouched: the same value however it is spelt
    assert same(ev.evaluate(next(iter(cases))), ev.evaluate("[uniqueString(resourceGroup()['id'])]")) is True
    accounts = template(
        resources=[
            {
                "type": "Microsoft.Storage/storageAccounts",
                "apiVersion": "2023-01-01",
                "name": "[uniqueString(concat(resourceGroup().id, copyIndex()))]",
                "copy": {"name": "accounts", "count": 2},
            }
        ]
    )
    looped = Evaluator(accounts)
    names = [describe(i.name) for i in looped.resource_instances(accounts.resources[0])]
    assert names == [
        "<uniqueString(concat(resourceGroup().id, 0))>",
        "<uniqueString(concat(resourceGroup().id, 1))>",
    ]


def test_a_child_named_after_its_parents_full_name_has_its_segments() -> None:
    """Bicep names a child of a parent named in one piece `split(<parent>, '/')[i]`: inside a
    resource name that is segment i of the parent's name when the text shows the structure (known
    slashes, as many segments as are read). A lone unknown, or a count that does not match, stays
    unknown: `split` of a parameter may be a path of any length."""
    item = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"
    read = ", ".join(f"split({{parent}}, '/')[{i}]" for i in range(3))
    names = {
        "shown": "concat(parameters('vault'), '/Azure/', parameters('container'))",
        "alone": "parameters('full')",
        "longer": "concat(parameters('vault'), '/Azure/x/', parameters('container'))",
    }
    resources = [
        {
            "type": item,
            "apiVersion": "2026-05-01",
            "name": f"[format('{{0}}/{{1}}/{{2}}/{{3}}', {read.format(parent=parent)}, '{key}')]",
        }
        for key, parent in names.items()
    ]
    strings = {"type": "string"}
    data = template(parameters={"vault": strings, "container": strings, "full": strings}, resources=resources)
    ev = Evaluator(data)
    segments = {}
    for resource in data.resources:
        [instance] = ev.resource_instances(resource)
        parts = split_text(instance.name, "/", assume=True)
        assert parts is not None and len(parts) == 4
        segments[parts[3]] = parts
    shown = segments["shown"]
    assert same(shown[0], ev.parameter("vault")) is True and shown[1] == "Azure"
    assert same(shown[2], ev.parameter("container")) is True
    for key in ("alone", "longer"):
        assert same(segments[key][0], ev.parameter("vault")) is None
        assert describe(segments[key][0]).startswith("<split(")
    # Outside a name, `split` keeps Resource Manager's meaning.
    assert isinstance(ev.evaluate(f"[split({names['shown']}, '/')[0]]"), Unknown)


# --------------------------------------------------------------------------------------------------
# parameters and parameters files


def test_parameter_sources_in_order_file_default_unknown() -> None:
    declared = {
        "given": {"type": "string", "defaultValue": "default"},
        "defaulted": {"type": "string", "defaultValue": "[concat('x-', parameters('given'))]"},
        "missing": {"type": "int"},
        "fromVault": {"type": "string"},
        "templated": {"type": "string"},
    }
    values = {
        "given": {"value": "from-file"},
        "fromVault": {"reference": {"keyVault": {"id": "/subscriptions/x/vaults/v"}, "secretName": "s"}},
        "templated": {"value": "[concat('a', 'b')]"},
    }
    ev = evaluator(values, parameters=declared)
    assert ev.parameter("given") == "from-file"
    assert ev.parameter("defaulted") == "x-from-file"
    missing = ev.parameter("missing")
    assert isinstance(missing, Unknown) and missing.type == "int"
    vault = ev.parameter("fromVault")
    assert isinstance(vault, Unknown) and vault.secret and describe(vault) == "***"
    assert isinstance(ev.parameter("templated"), Unknown)  # parameters files are not evaluated


def test_defaults_of_the_wrong_type_are_unknown() -> None:
    # Linked templates declare `"type": "int", "defaultValue": ""`: the parent passes the value.
    ev = evaluator(parameters={"count": {"type": "int", "defaultValue": ""}})
    assert isinstance(ev.parameter("count"), Unknown)


def test_undeclared_parameter_is_a_problem() -> None:
    ev = evaluator()
    assert isinstance(ev.evaluate("[parameters('nope')]", pointer="/x"), Unknown)
    [problem] = ev.problems
    assert "not declared" in problem.message and problem.pointer == "/x"


# --------------------------------------------------------------------------------------------------
# secrets


def test_secure_values_are_known_but_never_printed() -> None:
    ev = evaluator(
        parameters={
            "password": {"type": "secureString", "defaultValue": "Sup3rS3cret!"},
            "protected": {"type": "secureObject", "defaultValue": {"storageAccountKey": "k3y", "n": 5}},
            "plain": {"type": "string", "defaultValue": "visible"},
        }
    )
    password = ev.parameter("password")
    assert (
        isinstance(password, SecretStr)
        and password == "Sup3rS3cret!"
        and known_text(password) == "Sup3rS3cret!"
    )
    assert describe(password) == "***" and "Sup3r" not in repr(password)
    derived = ev.evaluate("[concat('pre-', parameters('password'), '-post')]")
    assert is_secret(derived) and describe(derived) == "***"
    assert describe(ev.evaluate("[base64(parameters('password'))]")) == "***"
    assert describe(ev.evaluate("[toUpper(parameters('password'))]")) == "***"
    protected = ev.parameter("protected")
    assert isinstance(protected, dict) and is_secret(protected)
    assert describe(protected) == '{"storageAccountKey": ***, "n": ***}'
    assert describe(ev.evaluate("[parameters('protected').storageAccountKey]")) == "***"
    assert describe(ev.evaluate("[parameters('plain')]")) == "visible"
    length = ev.evaluate("[length(parameters('password'))]")
    assert length == 12 and describe(length) == "***"


def test_unknown_secure_values_and_their_derivatives_print_as_masks() -> None:
    ev = evaluator(parameters={"password": {"type": "secureString"}})
    value = ev.evaluate("[concat('user:', parameters('password'))]")
    assert isinstance(value, Partial) and describe(value) == "user:***"
    derived = ev.evaluate("[uniqueString(parameters('password'))]")
    assert isinstance(derived, Unknown) and derived.secret and describe(derived) == "***"


def test_secure_values_from_a_parameters_file_are_tainted() -> None:
    ev = evaluator({"password": {"value": "p@ss"}}, parameters={"password": {"type": "securestring"}})
    assert describe(ev.evaluate("[format('{0}', parameters('password'))]")) == "***"


def test_problem_messages_never_carry_secret_values() -> None:
    ev = evaluator(parameters={"key": {"type": "secureString", "defaultValue": "TopSecretKey"}})
    assert isinstance(ev.evaluate("[createObject('a', 1)[parameters('key')]]", pointer="/x"), Unknown)
    [problem] = ev.problems
    assert "TopSecret" not in problem.message and "***" in problem.message


def test_describe_redacts_sas_signatures_in_plain_values() -> None:
    sas = "https://a.blob.core.windows.net/c?sv=2020-08-04&sr=b&sig=AbCdEf123%3D&se=2030-01-01"
    text = describe(run(f"[concat('{sas}', '')]"), 300)
    assert "sig=***" in text and "AbCdEf" not in text


# --------------------------------------------------------------------------------------------------
# variables


def test_variables_are_lazy_and_memoised() -> None:
    ev = evaluator(variables={"a": "[concat('x', variables('b'))]", "b": "y", "broken": "[div(1, 0)]"})
    assert ev.variable("a") == "xy"
    assert ev.problems == []  # 'broken' was never needed
    assert ev.variable("a") is ev.variable("a")


def test_variable_cycles_are_unknown_and_reported() -> None:
    ev = evaluator(
        variables={
            "a": "[concat('x', variables('b'))]",
            "b": "[variables('c')]",
            "c": "[variables('A')]",
            "self": "[variables('self')]",
        }
    )
    value = ev.variable("a")
    assert isinstance(value, Partial)  # 'x' + the unknown that closes the cycle
    assert ev.cycles == [("a", "b", "c", "a")]
    assert isinstance(ev.variable("self"), Unknown)
    assert ev.cycles[-1] == ("self", "self")
    kinds = {problem.kind for problem in ev.problems}
    assert kinds == {"cycle"}
    assert [p.pointer for p in ev.problems] == ["/variables/a", "/variables/self"]


def test_parameter_default_cycles_are_reported() -> None:
    ev = evaluator(
        parameters={
            "a": {"type": "string", "defaultValue": "[parameters('b')]"},
            "b": {"type": "string", "defaultValue": "[parameters('a')]"},
        }
    )
    assert isinstance(ev.parameter("a"), Unknown)
    assert ev.cycles == [("a", "b", "a")]


def test_problems_point_at_the_expression_that_fails() -> None:
    ev = evaluator(
        variables={"bad": "[createArray(1)[5]]"},
        outputs={"o": {"type": "int", "value": "[variables('bad')]"}},
    )
    ev.output_value(ev.template.outputs["o"])
    [problem] = ev.problems
    assert problem.pointer == "/variables/bad"
    assert problem.message == "index 5 is out of range for an array of 1 elements"


# --------------------------------------------------------------------------------------------------
# copy loops


def _vm(name: str, **extra: Any) -> dict[str, Any]:
    return {"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-03-01", "name": name, **extra}


def test_resource_loop_with_a_known_count() -> None:
    ev = evaluator(
        parameters=defaults(prefix="web", count=3),
        resources=[
            _vm(
                "[concat(parameters('prefix'), copyIndex(1))]",
                copy={"name": "vms", "count": "[parameters('count')]"},
            )
        ],
    )
    [resource] = ev.template.resources
    instances = ev.resource_instances(resource)
    assert [i.name for i in instances] == ["web1", "web2", "web3"]
    assert [i.loops["vms"] for i in instances] == [0, 1, 2]
    assert ev.resource_count(resource) == 3
    assert ev.resource_instances(resource) is instances  # computed once


def test_resource_loop_with_count_zero_deploys_nothing() -> None:
    ev = evaluator(resources=[_vm("[concat('vm', copyIndex())]", copy={"name": "vms", "count": 0})])
    [resource] = ev.template.resources
    assert ev.resource_instances(resource) == [] and ev.resource_count(resource) == 0


def test_resource_loop_with_an_unknown_count_is_one_symbolic_instance() -> None:
    ev = evaluator(
        parameters={"names": {"type": "array"}},
        resources=[
            _vm(
                "[parameters('names')[copyIndex()]]",
                copy={"name": "vmLoop", "count": "[length(parameters('names'))]"},
            )
        ],
    )
    [resource] = ev.template.resources
    [instance] = ev.resource_instances(resource)
    assert instance.symbolic
    name = instance.name
    assert isinstance(name, Unknown) and name.label == "parameters('names')[copyindex('vmloop')]"
    count = ev.resource_count(resource)
    assert isinstance(count, Unknown) and count.type == "int"


def test_copy_count_beyond_the_limit_is_a_problem() -> None:
    ev = evaluator(
        resources=[_vm("[concat('vm', copyIndex())]", copy={"name": "vms", "count": MAX_COPY_COUNT + 1})]
    )
    [resource] = ev.template.resources
    [instance] = ev.resource_instances(resource)
    assert instance.symbolic
    assert any("800" in problem.message for problem in ev.problems)


def test_property_and_variable_copy_loops() -> None:
    ev = evaluator(
        parameters=defaults(disks=2),
        variables={
            "copy": [{"name": "names", "count": 3, "input": "[concat('n', copyIndex('names', 1))]"}],
            "withDisks": {
                "copy": [
                    {
                        "name": "disks",
                        "count": "[parameters('disks')]",
                        "input": {"lun": "[copyIndex('disks')]"},
                    }
                ],
                "other": "kept",
            },
        },
        resources=[
            _vm(
                "[concat('vm', copyIndex())]",
                copy={"name": "vms", "count": 2},
                properties={
                    "storageProfile": {
                        "copy": [
                            {
                                "name": "dataDisks",
                                "count": "[parameters('disks')]",
                                "input": {
                                    "lun": "[copyIndex('dataDisks')]",
                                    "name": "[concat('vm', copyIndex(), '-disk', copyIndex('dataDisks'))]",
                                },
                            }
                        ]
                    }
                },
            )
        ],
    )
    assert ev.variable("names") == ["n1", "n2", "n3"]
    assert ev.variable("withDisks") == {"disks": [{"lun": 0}, {"lun": 1}], "other": "kept"}
    [resource] = ev.template.resources
    second = ev.resource_instances(resource)[1]
    assert second.get("properties", "storageProfile") == {
        "dataDisks": [{"lun": 0, "name": "vm1-disk0"}, {"lun": 1, "name": "vm1-disk1"}]
    }


def test_property_copy_with_an_unknown_count() -> None:
    ev = evaluator(
        parameters={"disks": {"type": "int"}},
        variables={
            "x": {
                "copy": [{"name": "items", "count": "[parameters('disks')]", "input": "[copyIndex('items')]"}]
            }
        },
    )
    value = ev.variable("x")
    assert isinstance(value, dict) and isinstance(value["items"], Unknown) and value["items"].type == "array"


def test_child_resources_and_conditions() -> None:
    ev = evaluator(
        parameters=defaults(vm="web", deploy=False),
        resources=[
            _vm(
                "[parameters('vm')]",
                resources=[
                    {
                        "type": "extensions",
                        "apiVersion": "2023-03-01",
                        "name": "VMSnapshot",
                        "condition": "[parameters('deploy')]",
                        "location": "[resourceGroup().location]",
                    }
                ],
            )
        ],
    )
    child = ev.template.resources[1]
    [instance] = ev.resource_instances(child)
    assert instance.name == "web/VMSnapshot"
    assert instance.type == "Microsoft.Compute/virtualMachines/extensions"
    assert instance.condition is False
    location = instance.get("location")
    assert isinstance(location, Unknown) and location.label == "resourcegroup().location"
    assert instance.get("missing", default="absent") == "absent"


# --------------------------------------------------------------------------------------------------
# nested deployments


def _deployment(template_body: dict[str, Any], *, scope: str = "inner", **extra: Any) -> dict[str, Any]:
    return {
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2022-09-01",
        "name": "nested",
        **extra,
        "properties": {
            "mode": "Incremental",
            "expressionEvaluationOptions": {"scope": scope},
            "template": {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0",
                **template_body,
            },
            **extra.pop("properties", {}),
        },
    }


def test_inner_scope_gets_its_parameters_from_the_deployment() -> None:
    inner = {
        "parameters": {
            "vmName": {"type": "string"},
            "unused": {"type": "string", "defaultValue": "dflt"},
            "secret": {"type": "securestring"},
        },
        "variables": {"v": "[concat(parameters('vmName'), '-inner')]"},
        "resources": [_vm("[variables('v')]", location="[parameters('unused')]")],
    }
    deployment = _deployment(inner)
    deployment["properties"]["parameters"] = {
        "vmName": {"value": "[concat(parameters('prefix'), '-vm')]"},
        "secret": {"reference": {"keyVault": {"id": "x"}, "secretName": "s"}},
    }
    ev = evaluator(
        parameters=defaults(prefix="outer"), variables={"v": "outer-variable"}, resources=[deployment]
    )
    nested = ev.template.nested[0]
    [vm] = nested.resources
    [instance] = ev.resource_instances(vm)
    assert instance.name == "outer-vm-inner"
    assert instance.get("location") == "dflt"
    assert instance.evaluator is not ev and instance.evaluator.template is nested
    assert isinstance(instance.evaluate("[parameters('secret')]"), Unknown)
    # the deployment's own properties: the inline template is not evaluated in the parent
    properties = ev.resource_instances(ev.template.resources[0])[0].get("properties")
    assert isinstance(properties, dict) and isinstance(properties["template"], Unknown)
    assert properties["parameters"]["vmName"] == {"value": "outer-vm"}


def test_inner_scope_unknown_parameters_belong_to_the_nested_context() -> None:
    inner = {"parameters": {"name": {"type": "string"}}, "resources": [_vm("[parameters('name')]")]}
    ev = evaluator(parameters={"name": {"type": "string"}}, resources=[_deployment(inner)])
    [instance] = ev.resource_instances(ev.template.nested[0].resources[0])
    inner_name = instance.name
    outer_name = ev.evaluate("[parameters('name')]")
    assert isinstance(inner_name, Unknown) and isinstance(outer_name, Unknown)
    assert inner_name.label == outer_name.label and inner_name.context != outer_name.context
    assert same(inner_name, outer_name) is None


def test_evaluators_for_nested_templates() -> None:
    inner = {"parameters": {"n": {"type": "int"}}, "variables": {"double": "[mul(parameters('n'), 2)]"}}
    deployment = _deployment(inner, copy={"name": "d", "count": 3})
    deployment["properties"]["parameters"] = {"n": {"value": "[copyIndex()]"}}
    outer = _deployment({"variables": {"x": 1}}, scope="outer")
    outer["name"] = "outer"
    ev = evaluator(resources=[deployment, outer])
    nested_inner, nested_outer = ev.template.nested
    assert [child.variable("double") for child in ev.evaluators_for(nested_inner)] == [0, 2, 4]
    assert ev.evaluators_for(nested_outer) == [ev]
    assert ev.evaluators_for(ev.template) == [ev]


def test_outer_scope_uses_the_parents_parameters_and_loops() -> None:
    inner = {
        "parameters": {"prefix": {"type": "string", "defaultValue": "ignored"}},
        "resources": [_vm("[concat(parameters('prefix'), '-', copyIndex())]")],
    }
    deployment = _deployment(inner, scope="outer", copy={"name": "deployments", "count": 2})
    ev = evaluator(parameters=defaults(prefix="parent"), resources=[deployment])
    vm = ev.template.nested[0].resources[0]
    assert [i.name for i in ev.resource_instances(vm)] == ["parent-0", "parent-1"]


def test_inner_deployments_in_a_loop_and_to_another_resource_group() -> None:
    inner = {
        "parameters": {"index": {"type": "int"}},
        "resources": [
            _vm(
                "[format('vm{0}-{1}', parameters('index'), resourceGroup().name)]",
                properties={"id": "[resourceId('Microsoft.Network/networkInterfaces', 'nic')]"},
            )
        ],
    }
    deployment = _deployment(
        inner, copy={"name": "perRg", "count": 2}, resourceGroup="[concat('rg', copyIndex())]"
    )
    deployment["properties"]["parameters"] = {"index": {"value": "[copyIndex()]"}}
    ev = evaluator(resources=[deployment])
    instances = ev.resource_instances(ev.template.nested[0].resources[0])
    assert [i.name for i in instances] == ["vm0-rg0", "vm1-rg1"]
    nic = instances[1].get("properties", "id")
    assert isinstance(nic, Partial) and describe(nic, 200).endswith(
        "/resourceGroups/rg1/providers/Microsoft.Network/networkInterfaces/nic"
    )
    # the location of another resource group is another unknown than the parent's
    other = instances[0].evaluate("[resourceGroup().location]")
    assert same(other, ev.evaluate("[resourceGroup().location]")) is None


# --------------------------------------------------------------------------------------------------
# user-defined functions


FUNCTIONS = [
    {
        "namespace": "contoso",
        "members": {
            "uniqueName": {
                "parameters": [{"name": "namePrefix", "type": "string"}],
                "output": {"type": "string", "value": "[concat(toLower(parameters('namePrefix')), '-app')]"},
            },
            "twice": {
                "parameters": [{"name": "x", "type": "string"}],
                "output": {
                    "type": "string",
                    "value": "[concat(contoso.uniqueName(parameters('x')), "
                    "contoso.uniqueName(parameters('x')))]",
                },
            },
            "usesVariables": {"parameters": [], "output": {"type": "string", "value": "[variables('v')]"}},
        },
    }
]


def test_user_functions_have_their_own_parameters() -> None:
    ev = evaluator(functions=FUNCTIONS, parameters=defaults(namePrefix="OUTER"), variables={"v": "x"})
    assert ev.evaluate("[contoso.uniqueName('Web')]") == "web-app"
    assert ev.evaluate("[CONTOSO.UNIQUENAME(parameters('namePrefix'))]") == "outer-app"
    assert ev.evaluate("[contoso.twice('A')]") == "a-appa-app"
    assert ev.problems == []
    assert isinstance(ev.evaluate("[contoso.uniqueName('a', 'b')]", pointer="/p"), Unknown)
    assert isinstance(ev.evaluate("[contoso.usesVariables()]"), Unknown)
    messages = [problem.message for problem in ev.problems]
    assert any("takes 1 arguments, 2 given" in m for m in messages)
    assert any("cannot use variables()" in m for m in messages)


# --------------------------------------------------------------------------------------------------
# lambdas over unknowns


def test_lambda_functions_over_unknown_arrays() -> None:
    ev = evaluator(parameters={"vms": {"type": "array"}, "flag": {"type": "bool"}})
    mapped = ev.evaluate("[map(parameters('vms'), lambda('vm', toLower(lambdaVariables('vm'))))]")
    again = ev.evaluate("[map(parameters('vms'), lambda('vm', toLower(lambdaVariables('vm'))))]")
    assert isinstance(mapped, Unknown) and same(mapped, again) is True
    assert ev.evaluate("[map(createArray(parameters('flag')), lambda('x', 1))]") == [1]
    filtered = ev.evaluate("[filter(createArray(1, 2), lambda('x', parameters('flag')))]")
    assert isinstance(filtered, Unknown)
    assert (
        ev.evaluate(
            "[map(createArray('A', parameters('vms')[0]), lambda('x', toLower(lambdaVariables('x'))))]"
        )[0]
        == "a"
    )  # type: ignore[index]


# --------------------------------------------------------------------------------------------------
# resource ids and scopes


def test_resource_id_family() -> None:
    ev = evaluator(parameters={"rg": {"type": "string"}})
    e = ev.evaluate
    assert describe(
        e("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]"), 300
    ) == (
        "/subscriptions/<subscription().subscriptionId>/resourceGroups/<resourceGroup().name>/providers/"
        "Microsoft.Network/virtualNetworks/vnet/subnets/default"
    )
    assert describe(e("[resourceId(parameters('rg'), 'Microsoft.Storage/storageAccounts', 'sa')]"), 300) == (
        "/subscriptions/<subscription().subscriptionId>/resourceGroups/<parameters('rg')>/providers/Microsoft.Storage/storageAccounts/sa"
    )
    assert e("[resourceId('00000000-0000-0000-0000-000000000000', 'rg', 'Microsoft.Web/sites', 'app')]") == (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/app"
    )
    assert describe(
        e("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7')]"), 300
    ) == (
        "/subscriptions/<subscription().subscriptionId>/providers/Microsoft.Authorization/roleDefinitions/acdd72a7"
    )
    assert (
        e("[tenantResourceId('Microsoft.Management/managementGroups', 'mg1')]")
        == "/providers/Microsoft.Management/managementGroups/mg1"
    )
    assert e(
        "[extensionResourceId('/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/app', "
        "'Microsoft.Authorization/locks', 'lock')]"
    ) == (
        "/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/app/providers/Microsoft.Authorization/locks/lock"
    )
    assert e("[managementGroupResourceId('mg1', 'Microsoft.Authorization/policyDefinitions', 'p')]") == (
        "/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/p"
    )
    assert describe(e("[resourceId('rg', 'Microsoft.Sql/servers/databases', 'srv/db')]"), 300).endswith(
        "/resourceGroups/rg/providers/Microsoft.Sql/servers/srv/databases/db"
    )
    # one name for a two-segment type: what ARM does is not documented, so unknown (no problem)
    assert isinstance(
        e("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]", pointer="/r"), Unknown
    )
    assert ev.problems == []


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        (
            SUB_SCHEMA,
            "/subscriptions/<subscription().subscriptionId>/providers/Microsoft.Resources/resourceGroups/rg",
        ),
        (TENANT_SCHEMA, "/providers/Microsoft.Resources/resourceGroups/rg"),
        (MG_SCHEMA, "/providers/Microsoft.Resources/resourceGroups/rg"),
    ],
)
def test_resource_id_without_group_depends_on_the_deployment_scope(schema: str, expected: str) -> None:
    ev = Evaluator(template(schema=schema))
    assert describe(ev.evaluate("[resourceId('Microsoft.Resources/resourceGroups', 'rg')]"), 300) == expected


# --------------------------------------------------------------------------------------------------
# JSON values


def test_values_escapes_and_computed_keys() -> None:
    ev = evaluator(parameters=defaults(tag="env"))
    value = ev.evaluate(
        {
            "[[literal]": "[[not an expression]",
            "plain": "text [with] brackets",
            "[parameters('tag')]": "[concat('v', 1)]",
            "list": [1, "[add(1, 1)]", {"deep": "[true()]"}],
        }
    )
    assert value == {
        "[[literal]": "[not an expression]",
        "plain": "text [with] brackets",
        "env": "v1",
        "list": [1, 2, {"deep": True}],
    }
    unknown_key = evaluator(parameters={"k": {"type": "string"}}).evaluate({"[parameters('k')]": 1})
    assert isinstance(unknown_key, Unknown) and unknown_key.type == "object"


def test_syntax_errors_and_unknown_functions_are_left_to_the_expression_rules() -> None:
    ev = evaluator()
    assert isinstance(ev.evaluate("[concat('a']"), Unknown)
    assert ev.evaluate("[concat('a'") == "[concat('a'"  # not an expression: ARM takes it literally
    assert isinstance(ev.evaluate("[noSuchFunction()]"), Unknown)
    assert isinstance(ev.evaluate("[concat()]"), Unknown)  # wrong argument count
    assert ev.problems == []


def test_is_known_and_known_text() -> None:
    ev = evaluator(parameters={"p": {"type": "string"}})
    assert is_known(ev.evaluate("[createArray('a', createObject('b', 1))]"))
    mixed = ev.evaluate("[createArray('a', parameters('p'))]")
    assert isinstance(mixed, list) and len(mixed) == 2 and not is_known(mixed)
    assert known_text(ev.evaluate("[concat('a', 'b')]")) == "ab"
    assert known_text(ev.evaluate("[concat('a', parameters('p'))]")) is None
    assert known_text(ev.evaluate("[length('abc')]")) is None
