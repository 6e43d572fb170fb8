"""The JSON Schemas in schemas/ and the API-version catalogue: well-formed, self-consistent, and
right about the document's own values."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from templategen.arm import apiversions
from templategen.inputs.schemastore import load_schema, registry, schema_id, schema_names
from templategen.inputs.ticks import MAX_TICKS
from tests.conftest import REPO

SCHEMAS = REPO / "schemas"

# Values printed in the extension document (seed), SAS signatures included: they only ever go
# through the validator, never into a message.
DOC_LOGS_URI = (
    "https://seapod01coord1exsapk732.blob.core.windows.net/bcdrextensionlogs-d45d8a1c-281e-4bc8-9d30-3b25176f68ea/"
    "sopattna-vmubuntu1404ltsc.v2.Logs.txt?sv=2014-02-14&sr=b&sig=DbwYhwfeAC5YJzISgxoKk%2FEWQq2AO1vS1E0rDW%2FlsBw%3D"
    "&st=2017-11-09T14%3A33%3A29Z&se=2017-11-09T17%3A38%3A29Z&sp=rw"
)


def validator_for(schema: Any) -> Draft202012Validator:
    return Draft202012Validator(
        schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def test_every_schema_is_valid_2020_12_with_matching_id() -> None:
    names = schema_names()
    assert {
        "vmsnapshot-settings",
        "vmsnapshot-protected-settings",
        "vmsnapshot-windows",
        "vmsnapshot-linux",
    } <= set(names)
    assert {"input-vmsnapshot-extension", "input-recovery-services-backup-vms"} <= set(names)
    for name in names:
        schema = load_schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", name
        Draft202012Validator.check_schema(schema)
        assert schema_id(name).endswith(f"/{name}.schema.json")
        assert schema.get("title") and schema.get("description"), f"{name} needs a title and a description"


def _nodes(node: Any, pointer: str = "") -> Any:
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            token = key.replace("~", "~0").replace("/", "~1")
            yield from _nodes(value, f"{pointer}/{token}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nodes(value, f"{pointer}/{index}")


def test_every_ref_resolves() -> None:
    for name in schema_names():
        resolver = registry().resolver(base_uri=schema_id(name))
        for _, node in _nodes(load_schema(name)):
            if isinstance(node.get("$ref"), str):
                resolver.lookup(node["$ref"])  # raises when unresolvable


def test_examples_and_defaults_satisfy_their_own_schema() -> None:
    checked = 0
    for name in schema_names():
        base = schema_id(name)
        for pointer, node in _nodes(load_schema(name)):
            if "contentSchema" in pointer or pointer.endswith("/properties"):
                continue
            # Validate the node in the context of its file so relative $refs resolve.
            wrapped = {"$id": base + "#wrapper", "$ref": f"{base}#{pointer}"} if pointer else {"$ref": base}
            for example in node.get("examples", []):
                validator_for(wrapped).validate(example)
                checked += 1
            if "default" in node and "if" not in pointer:
                validator_for(wrapped).validate(node["default"])
                checked += 1
    assert checked > 20


TICKS_PATTERN = load_schema("vmsnapshot-settings")["properties"]["commandStartTimeUTCTicks"]["pattern"]


@given(st.integers(min_value=-10, max_value=10 * MAX_TICKS))
def test_ticks_pattern_is_exactly_the_datetime_range(value: int) -> None:
    assert bool(re.search(TICKS_PATTERN, str(value))) == (0 <= value <= MAX_TICKS)


@pytest.mark.parametrize("value", [MAX_TICKS, MAX_TICKS + 1, 0, 10**18, 10**19, 3 * 10**18])
def test_ticks_pattern_boundaries(value: int) -> None:
    assert bool(re.search(TICKS_PATTERN, str(value))) == (0 <= value <= MAX_TICKS)


def settings(**changes: Any) -> dict[str, Any]:
    base = {
        "locale": "en-us",
        "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
        "commandToExecute": "snapshot",
        "commandStartTimeUTCTicks": "636458000000000000",
        "vmType": "microsoft.compute/virtualmachines",
    }
    base.update(changes)
    return base


def test_document_settings_validate_with_exact_ticks() -> None:
    validator_for(load_schema("vmsnapshot-settings")).validate(settings())


@pytest.mark.parametrize(
    "changes",
    [
        {"commandStartTimeUTCTicks": "6.36458E+17"},  # the document's own lossy value
        {"commandStartTimeUTCTicks": 636458000000000000},  # a JSON number
        {"locale": "<location>"},  # the document's placeholder
        {"taskId": "e07354cf-041e-4370-929f-25a319ce8933"},  # no _n
        {"commandToExecute": "restore"},
        {"vmType": "Microsoft.Compute/virtualMachines"},  # must be lower case
        {"objectStr": "{}"},  # sensitive: not a public setting (Decision 3)
    ],
)
def test_document_mistakes_are_rejected(changes: dict[str, Any]) -> None:
    assert not validator_for(load_schema("vmsnapshot-settings")).is_valid(settings(**changes))


def test_protected_settings_accept_the_documents_sas_uris() -> None:
    status = DOC_LOGS_URI.replace(".Logs.txt", ".Status.txt")
    disk = DOC_LOGS_URI.replace("bcdrextensionlogs-d45d8a1c-281e-4bc8-9d30-3b25176f68ea", "vhds")
    value = {
        "objectStr": json.dumps({"blobSASUri": [disk]}),
        "logsBlobUri": DOC_LOGS_URI,
        "statusBlobUri": status,
    }
    validator_for(load_schema("vmsnapshot-protected-settings")).validate(value)


@pytest.mark.parametrize(
    "uri",
    [
        DOC_LOGS_URI.replace("https://", "http://"),
        re.sub(r"&sig=[^&]*", "", DOC_LOGS_URI),
        re.sub(r"&se=[^&]*", "", DOC_LOGS_URI),
        re.sub(r"sv=[^&]*&", "", DOC_LOGS_URI),
        DOC_LOGS_URI.replace(".blob.", ".queue."),
        DOC_LOGS_URI.split("?")[0],
    ],
)
def test_sas_uri_shape_rejects_broken_uris(uri: str) -> None:
    node = load_schema("vmsnapshot-protected-settings")["$defs"]["blobSasUri"]
    assert not validator_for(node).is_valid(uri)


def test_per_os_schemas_fix_the_type() -> None:
    properties = {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "settings": settings(),
    }
    assert validator_for(load_schema("vmsnapshot-windows")).is_valid(properties)
    assert not validator_for(load_schema("vmsnapshot-linux")).is_valid(properties)
    linux = dict(properties, type="VMSnapshotLinux")
    assert validator_for(load_schema("vmsnapshot-linux")).is_valid(linux)
    legacy = dict(properties, publisher="Microsoft.RecoveryServices")
    assert not validator_for(load_schema("vmsnapshot-windows")).is_valid(legacy)


def test_catalogue_matches_its_schema_and_is_ordered() -> None:
    data = json.loads((SCHEMAS / "api-versions.json").read_text())
    validator_for(load_schema("api-versions")).validate(data)
    for resource_type, entry in data["resourceTypes"].items():
        assert entry["stable"] == sorted(entry["stable"], reverse=True), resource_type
        assert entry["preview"] == sorted(entry["preview"], reverse=True), resource_type
        for source in entry["sources"]:
            assert source in data["sources"], f"{resource_type}: unknown source {source}"


def test_catalogue_loader() -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", apiversions.catalogue_date())
    for resource_type in apiversions.resource_types():
        newest = apiversions.newest_stable(resource_type)
        assert newest == apiversions.stable_versions(resource_type)[0]
        assert not apiversions.is_preview(newest)
        assert all(v <= newest for v in apiversions.stable_versions(resource_type))
        assert apiversions.is_known(resource_type, newest)
        assert set(apiversions.known_versions(resource_type)) == set(
            apiversions.stable_versions(resource_type) + apiversions.preview_versions(resource_type)
        )
    # ARM types are case-insensitive; the catalogue lookups are too.
    assert apiversions.newest_stable(
        "microsoft.compute/VIRTUALMACHINES/extensions"
    ) == apiversions.newest_stable("Microsoft.Compute/virtualMachines/extensions")
    assert apiversions.is_preview("2026-03-31-preview")
    assert not apiversions.is_known("Microsoft.RecoveryServices/vaults", "2019-01-01")
    with pytest.raises(KeyError):
        apiversions.newest_stable("Microsoft.Storage/storageAccounts")


def test_catalogue_covers_every_type_the_generator_writes() -> None:
    from templategen.inputs import model

    for resource_type in (
        model.VM_TYPE,
        model.EXTENSION_TYPE,
        model.VAULT_TYPE,
        model.POLICY_TYPE,
        model.PROTECTED_ITEM_TYPE,
        "Microsoft.RecoveryServices/vaults/backupstorageconfig",
        "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers",
    ):
        assert apiversions.has_type(resource_type)


def test_apiversions_module_stays_on_the_fast_path() -> None:
    """The linter will import it on every run: standard library json/os only at module level."""
    import ast

    tree = ast.parse((REPO / "templategen" / "arm" / "apiversions.py").read_text())
    imported = {
        alias.name.split(".")[0] for node in tree.body if isinstance(node, ast.Import) for alias in node.names
    } | {node.module.split(".")[0] for node in tree.body if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "json", "os", "templategen"}


def test_example_inputs_name_their_schema_in_a_modeline() -> None:
    for path in sorted((REPO / "examples").glob("*.yaml")):
        first = path.read_text().splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path.name}: first line must be a yaml-language-server modeline"
        target = (path.parent / match.group(1)).resolve()
        assert target.is_file() and target.parent == SCHEMAS.resolve(), path.name
        assert Path(match.group(1)).name.startswith("input-")
