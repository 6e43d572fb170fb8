"""The rule index (templategen/rules/index.py) and the lazy loading of rule modules it allows.

`templategen lint` selects rules from the index and imports a rule module only when a file's text
holds one of the module's triggers (templategen.rules.registry). These tests hold the index to the
rule classes (fresh, like docs/rules.md), the triggers to everything known to fire (every failing
example, every rule fixture, the API-version catalogue), and show in a fresh interpreter that a
template outside the domain imports none of the domain's rule modules.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from templategen.arm import apiversions
from templategen.cli import main
from templategen.rules import RULE_MODULES, all_rules, registry
from templategen.rules.indexgen import current_index, module_triggers

from .helpers import SCHEMA, write

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TRIGGERS = module_triggers()
RULES = all_rules()
#: The modules a template outside the domain (no VMSnapshot, Recovery Services or VM) never needs.
DOMAIN_MODULES = {
    "templategen.rules.extension",
    "templategen.rules.backup_policy",
    "templategen.rules.backup_items",
    "templategen.rules.apiversions",
}


def test_index_is_fresh(repo: Path) -> None:
    """index.py must be what `make docs` writes from the rule classes; the diff says what changed."""
    committed = (repo / "templategen" / "rules" / "index.py").read_text(encoding="utf-8")
    generated = current_index()
    if committed != generated:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                generated.splitlines(keepends=True),
                "templategen/rules/index.py (committed)",
                "templategen/rules/index.py (generated)",
            )
        )
        pytest.fail(f"the rule index is stale: run `make docs`.\n{diff}")


def test_make_docs_writes_the_committed_index(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "index.py"
    subprocess.run(
        [sys.executable, "-m", "templategen.rules.indexgen", "-o", str(target)], check=True, cwd=tmp_path
    )
    assert target.read_text(encoding="utf-8") == (repo / "templategen" / "rules" / "index.py").read_text(
        encoding="utf-8"
    )


def test_entries_describe_the_rule_classes() -> None:
    entries = registry.rule_entries()
    assert [(e.id, e.name, e.severity, e.applies_to, e.module) for e in entries] == [
        (r.id, r.name, r.severity, r.applies_to, type(r).__module__) for r in RULES
    ]
    for entry in entries:
        assert type(registry.load(entry)) is type(next(r for r in RULES if r.id == entry.id))


def test_every_rule_module_declares_its_triggers() -> None:
    assert list(TRIGGERS) == list(RULE_MODULES)
    assert {module for module, found in TRIGGERS.items() if found} >= DOMAIN_MODULES


@pytest.mark.parametrize("rule", [r for r in RULES if TRIGGERS[type(r).__module__]], ids=lambda rule: rule.id)
def test_failing_example_holds_a_trigger(rule: object) -> None:
    """A rule whose failing example lacks its module's triggers would never run on that example."""
    triggers = TRIGGERS[type(rule).__module__]
    text = str(rule.bad).lower()  # type: ignore[attr-defined]
    assert any(trigger in text for trigger in triggers), f"none of {triggers} in {rule!r}'s failing example"


def _family_fixtures(folder: str) -> list[Path]:
    return sorted(p for p in (FIXTURES / folder).rglob("*") if p.suffix in (".json", ".bicep"))


@pytest.mark.parametrize(
    ("folder", "modules"),
    [
        ("extension", ["templategen.rules.extension"]),
        ("backup", ["templategen.rules.backup_policy", "templategen.rules.backup_items"]),
    ],
)
def test_family_fixtures_hold_a_trigger(folder: str, modules: list[str]) -> None:
    """Every fixture of a family is read by the family (a Bicep module through the file using it)."""
    fixtures = _family_fixtures(folder)
    assert fixtures
    triggers = {trigger for module in modules for trigger in TRIGGERS[module]}
    lacking = [
        str(path.relative_to(FIXTURES))
        for path in fixtures
        if path.parent.name == folder  # modules in sub-folders are read with their parent
        and not any(t in path.read_text(encoding="utf-8").lower() for t in triggers)
    ]
    # Extension fixtures without a snapshot extension exist to show the rules stay quiet.
    assert lacking == [] or folder == "extension"
    for name in lacking:
        assert "good" in name, f"{name}: a failing fixture without any of {sorted(triggers)}"


def test_catalogued_types_hold_an_api_version_trigger() -> None:
    triggers = TRIGGERS["templategen.rules.apiversions"]
    for resource_type in apiversions.resource_types():
        assert any(t in resource_type.lower() for t in triggers), resource_type


def _findings(capsys: pytest.CaptureFixture[str], *args: str) -> list[tuple[str, str, int, str]]:
    capsys.readouterr()
    main(["lint", "--isolated", "--format", "json", "--now", "2026-01-01T00:00:00Z", *args])
    report = json.loads(capsys.readouterr().out)
    return [(d["rule"], d["path"], d["line"], d["message"]) for d in report["diagnostics"]]


def test_lazy_loading_finds_what_every_module_finds(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every rule fixture gives the same findings with and without triggers (all modules run)."""
    files = [str(p) for p in FIXTURES.rglob("*") if p.suffix in (".json", ".bicep")]
    lazy = _findings(capsys, *files)
    assert {rule[:3] for rule, *_ in lazy} >= {"TG5", "TG6"}
    monkeypatch.setattr(registry, "TRIGGERS", {})
    assert _findings(capsys, *files) == lazy


# ----------------------------------------------------------------- texts the evaluation reads

EXTENSION_TYPE = "Microsoft.Compute/virtualMachines/extensions"


def _extension_template(extension_type: str) -> dict[str, object]:
    return {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "parameters": {"extensionType": {"type": "string"}, "location": {"type": "string"}},
        "resources": [
            {
                "type": EXTENSION_TYPE,
                "apiVersion": "2024-07-01",
                "name": "vm1/snapshot",
                "location": "[parameters('location')]",
                "properties": {
                    "publisher": "Microsoft.Azure.RecoveryServices",
                    "type": extension_type,
                    "typeHandlerVersion": "1.9",
                    "autoUpgradeMinorVersion": True,
                },
            }
        ],
    }


def test_a_parameters_file_can_bring_the_trigger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The extension type comes from `-p`: the template's text never says VMSnapshot."""
    template = write(tmp_path, "t.json", _extension_template("[parameters('extensionType')]"))
    assert "vmsnapshot" not in template.read_text(encoding="utf-8").lower()
    values = {
        "$schema": SCHEMA.replace("deploymentTemplate", "deploymentParameters"),
        "contentVersion": "1.0.0.0",
        "parameters": {"extensionType": {"value": "VMSnapshot"}, "location": {"value": "westeurope"}},
    }
    parameters = write(tmp_path, "p.json", values)
    assert "TG514" not in {rule for rule, *_ in _findings(capsys, str(template))}
    assert "TG514" in {rule for rule, *_ in _findings(capsys, "-p", str(parameters), str(template))}


def test_an_escaped_trigger_still_loads_the_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """JSON can spell VMSnapshot as `VMSnaps\\u0068ot`: a text with `\\u` runs every module."""
    text = json.dumps(_extension_template("VMSnaps\u0068ot"), indent=2).replace(
        "VMSnapshot", "VMSnaps\\u0068ot"
    )
    template = write(tmp_path, "t.json", text)
    assert "vmsnapshot" not in text.lower()
    assert "TG514" in {rule for rule, *_ in _findings(capsys, str(template))}


def test_a_bicep_module_can_bring_the_trigger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The extension is in a local module; the file linted only names the module."""
    (tmp_path / "main.bicep").write_text(
        "param location string\n"
        "module ext 'ext.bicep' = {\n  name: 'ext'\n  params: { location: location }\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "ext.bicep").write_text(
        "param location string\n"
        f"resource snapshot '{EXTENSION_TYPE}@2024-07-01' = {{\n"
        "  name: 'vm1/snapshot'\n  location: location\n  properties: {\n"
        "    publisher: 'Microsoft.Azure.RecoveryServices'\n    type: 'VMSnapshot'\n"
        "    typeHandlerVersion: '1.9'\n    autoUpgradeMinorVersion: true\n  }\n}\n",
        encoding="utf-8",
    )
    found = _findings(capsys, str(tmp_path / "main.bicep"))
    assert ("TG514", str(tmp_path / "ext.bicep")) in {(rule, path) for rule, path, *_ in found}


# ----------------------------------------------------------------- what a run imports

IMPORTS = r"""
import json, sys
from templategen.cli import main
code = main(["lint", "--isolated", "--format", "json", *sys.argv[1:]])
print(json.dumps(sorted(m for m in sys.modules if m.startswith("templategen.rules."))))
"""


def _rule_modules_imported(*args: str, cwd: Path) -> set[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS, *args], cwd=cwd, capture_output=True, text=True, check=True, env=env
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_template_outside_the_domain_imports_no_domain_rules(tmp_path: Path) -> None:
    storage = {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
        "resources": [
            {
                "type": "Microsoft.Storage/storageAccounts",
                "apiVersion": "2023-05-01",
                "name": "[uniqueString(resourceGroup().id)]",
                "location": "[parameters('location')]",
                "sku": {"name": "Standard_LRS"},
                "kind": "StorageV2",
            }
        ],
    }
    write(tmp_path, "storage.json", storage)
    loaded = _rule_modules_imported("storage.json", cwd=tmp_path)
    assert "templategen.rules.files" in loaded
    assert loaded & DOMAIN_MODULES == set()


def test_a_backup_template_imports_the_backup_rules(repo: Path, tmp_path: Path) -> None:
    loaded = _rule_modules_imported(str(repo / "examples" / "backup-vms-quickstart.json"), cwd=tmp_path)
    assert loaded >= DOMAIN_MODULES
