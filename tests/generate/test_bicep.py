"""Bicep output: every generated file parses with two independent grammars (tree-sitter-bicep and
pycep-parser), strings survive escaping exactly, and the Bicep and the JSON generated from one input
declare the same resources."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templategen.generate.bicep import bicep_key, bicep_string, bicep_value
from tests.generate import armeval, bicepeval
from tests.generate.deployment import CONTEXT, resource_id
from tests.generate.variants import VARIANTS, generate_all

QUICKSTART = "corpus/quickstarts/quickstarts/microsoft.recoveryservices/recovery-services-backup-vms"
SECRET_VALUES = {
    "protectedSettings": {"objectStr": "o", "logsBlobUri": "l", "statusBlobUri": "s"},
    "objectStr": "objectStr-value",
    "logsBlobUri": "logsBlobUri-value",
    "statusBlobUri": "statusBlobUri-value",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate_all(folder)
    return folder


def bicep_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.bicep"))


def test_every_variant_and_example_was_generated(generated: Path) -> None:
    names = {p.name for p in bicep_files(generated)}
    for name in VARIANTS:
        assert f"{name}.bicep" in names
    assert len(names) >= 2 * len(VARIANTS)  # templates and extension snippets


def test_every_bicep_file_parses_with_tree_sitter(generated: Path) -> None:
    for path in bicep_files(generated):
        tree = bicepeval.parse(path.read_text(encoding="utf-8"))
        assert bicepeval.syntax_problems(tree) == [], path.name
        assert not tree.root_node.has_error, path.name


def test_every_bicep_file_parses_with_pycep(generated: Path) -> None:
    for path in bicep_files(generated):
        result = pycep_parser().parse(text=path.read_text(encoding="utf-8"))
        assert result.get("resources"), path.name


# --- escaping -------------------------------------------------------------------------------------

TRICKY = [
    "it's",
    "${x}",
    "a\\b",
    "end\\",
    "\\",
    "line1\nline2",
    "tab\tcr\r",
    "$",
    "{",
    "$${",
    "'${'",
    "ü ✓ 😀",
    "\x00\x1f",
]


def decoded(literal: str) -> str:
    """What a Bicep reader gets from `literal`, via tree-sitter's tree (not templategen's code)."""
    bicep = bicepeval.read(f"var x = {literal}\n")
    return str(bicepeval.BicepEvaluator(bicep, {}).variables["x"])


@pytest.mark.parametrize("value", TRICKY)
def test_bicep_string_round_trips(value: str) -> None:
    literal = bicep_string(value)
    assert "${" not in literal, "no interpolation may start inside a generated string"
    assert decoded(literal) == value


def test_bicep_string_spellings() -> None:
    assert bicep_string("it's") == "'it\\'s'"
    assert bicep_string("a\\b") == "'a\\\\b'"
    assert bicep_string("x\ny") == "'x\\ny'"
    assert bicep_string("${p}") == "'$\\u{7B}p}'"
    assert bicep_string("dir\\") == "'dir\\u{5C}'"


def test_bicep_keys() -> None:
    assert bicep_key("count") == "count"
    assert bicep_key("cost-center") == "'cost-center'"
    assert bicep_key("true") == "'true'"
    assert bicep_key("it's") == "'it\\'s'"


@functools.cache
def pycep_parser() -> Any:
    from pycep import BicepParser

    return BicepParser()  # building the grammar is the slow part: once per session


# Characters that matter to Bicep strings, mixed with any Unicode a UTF-8 file can hold.
BICEP_TEXT = st.text(st.one_of(st.sampled_from("'\\${}\n\r\t$ab"), st.characters(codec="utf-8")), max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(BICEP_TEXT, BICEP_TEXT, max_size=4))
def test_any_strings_survive_both_grammars(values: dict[str, str]) -> None:
    source = f"var x = {bicep_value(values)}\nvar y = 'after'\n"
    bicep = bicepeval.read(source)  # raises on a tree-sitter error node
    assert bicepeval.BicepEvaluator(bicep, {}).variables == {"x": values, "y": "after"}
    pycep_parser().parse(text=source)  # raises on a pycep syntax error


def test_escaping_end_to_end(generated: Path) -> None:
    """The escaping variant's tags read back identically from the JSON and from the Bicep."""
    template = json.loads((generated / "ext-escaping.json").read_text())
    bicep = bicepeval.read((generated / "ext-escaping.bicep").read_text())
    from_json = armeval.deployed_resources(template, SECRET_VALUES)[0]["tags"]
    from_bicep = bicepeval.deployed_resources(bicep, SECRET_VALUES)[0]["tags"]
    assert from_json == from_bicep
    assert from_json["it's"] == "O'Brien's ${notInterpolated} \\server\\share\\"
    assert from_json["brackets"] == "[not an expression]"
    assert from_json["multi-line"] == "line one\nline two\ttabbed"


# --- the same resources from JSON and Bicep -------------------------------------------------------


def assignments(template: dict[str, Any]) -> list[dict[str, Any]]:
    """Parameter values to deploy with: the defaults, then values that flip every condition and
    change every loop and name."""
    params = template["parameters"]
    base = {k: v for k, v in SECRET_VALUES.items() if k in params}
    if "vmName" in params and "defaultValue" not in params["vmName"]:
        base["vmName"] = "vm-from-parameter"
    cases = [base]
    if "isNewVault" in params:
        cases.append({**base, "isNewVault": True, "isNewPolicy": True})
        cases.append(
            {
                **base,
                "isNewVault": False,
                "isNewPolicy": True,
                "existingVirtualMachines": ["x1", "x2", "x3"],
                "existingVirtualMachinesResourceGroup": "rg-other",
                "vaultName": "rsv-other",
                "policyName": "policy-other",
                "location": "elsewhere",
            }
        )
    if "vmName" in params:
        cases.append({**base, "vmName": "another-vm", "location": "elsewhere"})
    return cases


def parameter_signature(template: dict[str, Any]) -> dict[str, str]:
    return {name: definition["type"].lower() for name, definition in template["parameters"].items()}


def bicep_signature(bicep: bicepeval.BicepFile) -> dict[str, str]:
    signature = {}
    for name, (type_text, _default, decorators) in bicep.params.items():
        secure = any(d.startswith("@secure(") for d in decorators)
        signature[name] = ("secure" if secure else "") + type_text.lower()
    return signature


@pytest.mark.parametrize(
    "stem",
    [
        *VARIANTS,
        "backup-vms-quickstart",
        "backup-vms-enhanced-weekly",
        "vmsnapshot-windows",
        "vmsnapshot-linux-keyvault",
    ],
)
def test_json_and_bicep_declare_the_same_resources(generated: Path, stem: str) -> None:
    template = json.loads((generated / f"{stem}.json").read_text())
    bicep = bicepeval.read((generated / f"{stem}.bicep").read_text())
    assert parameter_signature(template) == bicep_signature(bicep)
    for values in assignments(template):
        from_json = armeval.deployed_resources(template, values)
        from_bicep = bicepeval.deployed_resources(bicep, values)
        assert from_json, stem
        assert from_json == from_bicep, (stem, values)
    # Loops and conditions are declared the same way, not only evaluated the same way.
    json_shape = sorted((r["type"], "condition" in r, "copy" in r) for r in template["resources"])
    bicep_shape = sorted(
        (d.type, d.condition is not None, d.loop is not None)
        for d in bicep.resources.values()
        if not d.existing
    )
    assert json_shape == bicep_shape


def host_template(snippet: dict[str, Any], secure: list[str]) -> dict[str, Any]:
    """A template whose VM resource holds the snippet in its `resources`, the way a user pastes it."""
    parameters: dict[str, Any] = {
        "vmName": {"type": "string", "defaultValue": "host-vm"},
        "location": {"type": "string"},
    }
    for name in secure:
        parameters[name] = {"type": "secureObject" if name == "protectedSettings" else "securestring"}
    vm = {
        "type": "Microsoft.Compute/virtualMachines",
        "apiVersion": "2026-03-01",
        "name": "[parameters('vmName')]",
        "location": "[parameters('location')]",
        "properties": {},
        "resources": [snippet],
    }
    return {"parameters": parameters, "resources": [vm]}


def host_bicep(snippet: str, secure: list[str]) -> str:
    lines = ["param vmName string = 'host-vm'", "param location string"]
    for name in secure:
        lines.append("@secure()")
        lines.append(f"param {name} {'object' if name == 'protectedSettings' else 'string'}")
    body = "\n".join("  " + line if line else line for line in snippet.splitlines())
    lines.append("resource vm 'Microsoft.Compute/virtualMachines@2026-03-01' = {")
    lines.append("  name: vmName")
    lines.append("  location: location")
    lines.append("  properties: {}")
    lines.append(body)
    lines.append("}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("stem", ["vmsnapshot-windows", "vmsnapshot-linux-keyvault", "ext-escaping"])
def test_snippets_pasted_into_a_vm_declare_the_same_resources(generated: Path, stem: str) -> None:
    snippet = json.loads((generated / f"{stem}.snippet.json").read_text())
    secure = [k for k in SECRET_VALUES if f"parameters('{k}')" in json.dumps(snippet)]
    vm_names = {"vmsnapshot-windows": "myVM", "ext-escaping": "vm-01"}
    values = {
        **{k: SECRET_VALUES[k] for k in secure},
        "location": "westeurope",
        "vmName": vm_names.get(stem, "host-vm"),
    }
    from_json = armeval.deployed_resources(host_template(snippet, secure), values)
    bicep = bicepeval.read(host_bicep((generated / f"{stem}.snippet.bicep").read_text(), secure))
    from_bicep = bicepeval.deployed_resources(bicep, values)
    assert from_json == from_bicep
    extension = next(r for r in from_json if r["type"] == "Microsoft.Compute/virtualMachines/extensions")
    assert extension["name"] == f"{values['vmName']}/{snippet['name']}"
    vm_id = resource_id(
        CONTEXT.subscription_id,
        CONTEXT.resource_group,
        "Microsoft.Compute/virtualMachines",
        [values["vmName"]],
    )
    assert extension["dependsOn"] == [vm_id]


def test_the_evaluators_agree_on_the_quickstarts_own_pair(shared: Path) -> None:
    """Checks the test helpers themselves: Microsoft's main.bicep and the azuredeploy.json compiled
    from it must evaluate to the same resources."""
    template = json.loads((shared / QUICKSTART / "azuredeploy.json").read_text())
    bicep = bicepeval.read((shared / QUICKSTART / "main.bicep").read_text())
    for values in (
        {"existingVirtualMachinesResourceGroup": "rg-vms", "existingVirtualMachines": ["a", "b"]},
        {"existingVirtualMachinesResourceGroup": "g", "existingVirtualMachines": ["c"], "isNewVault": True},
    ):
        assert armeval.deployed_resources(template, values) == bicepeval.deployed_resources(bicep, values)


@pytest.mark.parametrize("value", ["//", "//x", " //", "a//b", "///", "\\//", "x: //y"])
def test_double_slash_is_not_read_as_a_comment(value: str) -> None:
    """tree-sitter-bicep 1.1 reads `'//...'` as a comment; the generator writes `/\\u{2F}` instead."""
    source = f"var x = {bicep_value({value: value})}\nvar y = 'after'\n"
    bicep = bicepeval.read(source)
    assert bicepeval.BicepEvaluator(bicep, {}).variables == {"x": {value: value}, "y": "after"}
    pycep_parser().parse(text=source)
