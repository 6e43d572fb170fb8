"""The model of deployment parameters files."""

from __future__ import annotations

import json

import pytest

from templategen.arm.names import resolve_pointer
from templategen.arm.template import build_parameters, classify, parameters_from_data

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"

VAULT_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
    "/providers/Microsoft.KeyVault/vaults/kv"
)

TEXT = json.dumps(
    {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "parameters": {
            "vmName": {"value": "vm1"},
            "adminPassword": {
                "reference": {"keyVault": {"id": VAULT_ID}, "secretName": "admin", "secretVersion": "v1"},
            },
            "Settings": {"Value": {"a": [1, 2]}, "metadata": {"note": "kept"}},
            "nothing": {"value": None},
            "odd/name": {"value": 1},
        },
    }
)


def test_values_and_key_vault_references() -> None:
    data = json.loads(TEXT)
    assert classify(data) == "parameters"
    params = parameters_from_data(data, "azuredeploy.parameters.json")
    assert (params.schema, params.content_version, params.path) == (
        SCHEMA,
        "1.0.0.0",
        "azuredeploy.parameters.json",
    )
    assert list(params.parameters) == ["vmname", "adminpassword", "settings", "nothing", "odd/name"]

    vm = params.parameter("VMNAME")
    assert vm is not None
    assert (vm.name, vm.value, vm.has_value, vm.reference, vm.pointer) == (
        "vmName",
        "vm1",
        True,
        None,
        "/parameters/vmName",
    )
    assert vm.value_pointer == "/parameters/vmName/value"

    secret = params.parameters["adminpassword"]
    assert not secret.has_value and secret.value is None
    assert secret.reference is not None
    assert (secret.reference.vault_id, secret.reference.secret_name, secret.reference.secret_version) == (
        VAULT_ID,
        "admin",
        "v1",
    )
    assert secret.reference.pointer == "/parameters/adminPassword/reference"
    assert secret.has_reference and secret.reference_raw is secret.reference.raw
    assert (
        secret.pointer_of("reference", "keyvault", "ID") == "/parameters/adminPassword/reference/keyVault/id"
    )
    assert secret.value_pointer == secret.pointer

    settings = params.parameters["settings"]
    assert settings.value == {"a": [1, 2]}
    assert settings.value_pointer == "/parameters/Settings/Value"
    assert settings.metadata == {"note": "kept"}

    nothing = params.parameters["nothing"]
    assert (nothing.has_value, nothing.value) == (True, None)
    assert params.parameters["odd/name"].pointer == "/parameters/odd~1name"

    for entry in params.parameters.values():
        assert resolve_pointer(data, entry.pointer) is entry.raw
        if entry.has_value:
            assert resolve_pointer(data, entry.value_pointer) == entry.value
    assert params.get("parameters", "settings", "value", "A", 1) == 2
    assert params.pointer_of("parameters", "SETTINGS", "value") == "/parameters/Settings/Value"
    assert params.problems == []


def test_reference_without_parts_keeps_what_is_there() -> None:
    params = parameters_from_data(
        {"parameters": {"p": {"reference": {"secretName": "s"}}, "q": {"reference": "kv"}}}, "p.json"
    )
    ref = params.parameters["p"].reference
    assert ref is not None and (ref.vault_id, ref.secret_name, ref.secret_version) == (None, "s", None)
    q = params.parameters["q"]
    assert (q.reference, q.has_reference, q.reference_raw) == (None, True, "kv")
    assert q.pointer_of("reference") == "/parameters/q/reference"
    assert q.pointer_of("value") is None
    assert params.problems == [("/parameters/q/reference", "reference of parameter 'q' is not an object")]


def test_odd_structure_is_noted_not_raised() -> None:
    params = parameters_from_data({"parameters": {"a": 1, "b": {"value": 1}, "B": {"value": 2}}}, "p.json")
    assert list(params.parameters) == ["b"]
    assert params.parameters["b"].value == 1
    assert [pointer for pointer, _ in params.problems] == ["/parameters/a", "/parameters/B"]
    assert parameters_from_data({"parameters": []}, "p.json").problems == [
        ("/parameters", "`parameters` is not an object")
    ]
    assert parameters_from_data({"$schema": SCHEMA}, "p.json").parameters == {}
    with pytest.raises(ValueError, match="must be a JSON object"):
        parameters_from_data([1], "p.json")


class _Document:
    def __init__(self, path: str, data: object) -> None:
        self.path = path
        self.data = data


def test_build_parameters_from_a_document() -> None:
    document = _Document("x.parameters.json", json.loads(TEXT))
    params = build_parameters(document)
    assert params.document is document and params.path == "x.parameters.json"
    assert len(params.parameters) == 5
