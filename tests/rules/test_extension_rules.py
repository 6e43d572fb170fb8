"""The VMSnapshot extension rules (TG501-TG515) through the real CLI, on JSON and Bicep fixtures.

Each rule has a failing and a passing fixture in both languages under fixtures/extension/; the
failing one announces its findings in `// expect:` comments (see tests/rules/extkit.py). Beyond the
fixtures: the original document's example, secrets that must never be printed, every generator
output and example, and the quickstart corpus. (The rules' documentation examples are linted with
every other rule's in tests/rules/test_examples.py.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from templategen.rules import all_rules
from tests.rules.extkit import (
    FIXTURES,
    NOW,
    Finding,
    diagnostics,
    expectations,
    findings,
    run_lint,
    run_text,
)
from tests.rules.seed import SeedValues, seed_template

REPO = Path(__file__).resolve().parents[2]
RULES = [rule for rule in all_rules() if rule.id.startswith("TG5")]
RULE_IDS = [rule.id for rule in RULES]
SEVERITY = {rule.id: rule.severity for rule in RULES}


def test_the_family_is_complete() -> None:
    assert [f"TG{number}" for number in range(501, 516)] == RULE_IDS
    for rule in RULES:
        assert rule.why and rule.bad and rule.good and rule.source_url, rule.id
        assert "vmsnapshot" in rule.tags


# ------------------------------------------------------------------------------------ fixtures


def of_rule(found: Counter[Finding], rule_id: str) -> Counter[Finding]:
    return Counter({key: count for key, count in found.items() if key[0] == rule_id})


@pytest.mark.parametrize("language", ["json", "bicep"])
@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_failing_fixture(rule_id: str, language: str) -> None:
    path = FIXTURES / f"{rule_id.lower()}-bad.{language}"
    expected = of_rule(expectations(path), rule_id)
    assert expected, f"{path.name} announces no {rule_id} finding"
    assert {severity for (_rule, severity, _line, _column) in expected} == {SEVERITY[rule_id]}
    code, report = run_lint(str(path))
    assert of_rule(findings(report), rule_id) == expected
    assert not findings(report, "TG000"), diagnostics(report)
    if SEVERITY[rule_id] == "error":
        assert code == 1


@pytest.mark.parametrize("language", ["json", "bicep"])
@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_passing_fixture(rule_id: str, language: str) -> None:
    path = FIXTURES / f"{rule_id.lower()}-good.{language}"
    assert not expectations(path)
    _code, report = run_lint(str(path))
    assert not of_rule(findings(report), rule_id), diagnostics(report)
    assert not findings(report, "TG0"), diagnostics(report)


# ------------------------------------------------------------------------------------ the document


@pytest.fixture(scope="module")
def seed_values(shared: Path) -> SeedValues:
    return SeedValues(shared)


def _lint_template(tmp_path: Path, data: object, name: str = "template.json") -> dict[str, object]:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return run_lint(str(path))[1]


def _rule_counts(report: dict[str, object]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in diagnostics(report):
        rule = str(d["rule"])
        if rule.startswith("TG5"):
            counts[rule] = counts.get(rule, 0) + 1
    return counts


def test_the_documents_example_as_written(seed_values: SeedValues, tmp_path: Path) -> None:
    """The document's JSON with its table's values: publisher, ticks, literal SAS, expired SAS,
    objectStr without braces, no dependsOn on the VM, and deployed by hand."""
    report = _lint_template(tmp_path, seed_template(seed_values, layout="document"))
    assert _rule_counts(report) == {
        "TG504": 3,  # the three SAS fields are literals
        "TG505": 1,  # 6.36458E+17
        "TG506": 1,  # "blobSASUri": [...] is not JSON on its own
        "TG508": 2,  # logs and status SAS expired on 2017-11-09 (the disks: objectStr unreadable)
        "TG509": 1,  # Microsoft.RecoveryServices
        "TG512": 1,  # a child resource without dependsOn
        "TG514": 1,
    }
    # The document's URIs are well-formed service SAS URIs (https, sr=b, sv, sp=rw, st < se).
    assert "TG507" not in _rule_counts(report)


def test_the_documents_values_in_the_official_schemas_layout(seed_values: SeedValues, tmp_path: Path) -> None:
    """All eight fields in `settings`, as the official ARM schema's VMSnapshot definition puts them."""
    report = _lint_template(tmp_path, seed_template(seed_values, layout="arm-schema"))
    assert _rule_counts(report) == {
        "TG503": 3,
        "TG505": 1,
        "TG508": 3,  # the five disks in one finding, logs, status
        "TG509": 1,
        "TG512": 1,
        "TG514": 1,
    }
    disks = [d for d in diagnostics(report) if d["rule"] == "TG508" and "objectStr" in str(d["message"])]
    assert len(disks) == 1 and "5 disk URIs" in str(disks[0]["message"])


def test_the_documents_example_text_report(seed_values: SeedValues, tmp_path: Path) -> None:
    path = tmp_path / "vmsnapshot-document.json"
    path.write_text(json.dumps(seed_template(seed_values, layout="document"), indent=2), encoding="utf-8")
    code, text = run_text(str(path))
    assert code == 1
    assert "TG505 [error] `settings.commandStartTimeUTCTicks` is '6.36458E+17'" in text
    assert "from 2017-11-08T15:00:00Z to 2017-11-09T18:46:40Z" in text
    assert "TG509 [warning] publisher 'Microsoft.RecoveryServices'" in text
    assert "expired at 2017-11-09T17:38:29Z" in text
    assert "(line hidden: it may hold a secret)" in text
    _assert_no_signature(text, seed_values)


def _assert_no_signature(text: str, values: SeedValues) -> None:
    from urllib.parse import parse_qs, urlsplit

    for uri in [*values.disks, values.logs, values.status]:
        signature = parse_qs(urlsplit(uri).query)["sig"][0]
        for shown in (signature, signature[:12], uri.split("sig=")[1][:12]):
            assert shown not in text


# ------------------------------------------------------------------------------------ secrets


PLANTED = ("PLANTEDSECRET", "hunter2-secure-value", "0123456789abcdefSECRET")


def _secret_template() -> dict[str, object]:
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {
            "status": {"type": "secureString", "defaultValue": "hunter2-secure-value"},
            "settingsValue": {"type": "secureString"},
            "protected": {"type": "secureObject"},
        },
        "resources": [
            {
                "type": "Microsoft.Compute/virtualMachines/extensions",
                "apiVersion": "2024-07-01",
                "name": "vm1/VMSnapshot",
                "location": "westeurope",
                "properties": {
                    "publisher": "Microsoft.Azure.RecoveryServices",
                    "type": "VMSnapshot",
                    "typeHandlerVersion": "1.9",
                    "settings": {
                        "locale": "[parameters('settingsValue')]",
                        "taskId": "[parameters('status')]",
                        "logsBlobUri": "https://a1.blob.core.windows.net/c/l.txt?sv=2014-02-14&sr=b&sp=wr"
                        "&se=2017-01-01&sig=PLANTEDSECRET%2Bx%3D",
                        "note": "[concat('http://a1.blob.core.windows.net/c/n?sig=', parameters('status'))]",
                    },
                    "protectedSettings": {
                        "objectStr": "[string(createObject('blobSASUri', createArray(concat("
                        "'https://a1.blob.core.windows.net/vhds/d.vhd?sv=2014-02-14&sr=b&sp=r&se=2017-01-01"
                        "&sig=', parameters('status')))))]",
                        "statusBlobUri": "[parameters('status')]",
                        "logsBlobUri": "http://a1.blob.core.windows.net/c/s.txt?sig=PLANTEDSECRET2&sp=w",
                    },
                },
            }
        ],
    }


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_no_secret_is_ever_printed(fmt: str, tmp_path: Path) -> None:
    template = tmp_path / "secrets.json"
    template.write_text(json.dumps(_secret_template(), indent=2), encoding="utf-8")
    parameters = tmp_path / "secrets.parameters.json"
    parameters.write_text(
        json.dumps(
            {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                "contentVersion": "1.0.0.0",
                "parameters": {
                    "settingsValue": {"value": "0123456789abcdefSECRET"},
                    "protected": {"value": {"objectStr": "0123456789abcdefSECRET"}},
                },
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "report.out"
    from templategen.cli import main

    code = main(
        [
            "lint",
            "--isolated",
            "--now",
            NOW,
            "--color",
            "never",
            "--format",
            fmt,
            "-o",
            str(out),
            "-p",
            str(parameters),
            str(template),
        ]
    )
    assert code == 1
    text = out.read_text(encoding="utf-8")
    for secret in PLANTED:
        assert secret not in text, (fmt, secret)
    # The findings are there all the same (secure values in settings, the expired SAS...).
    for rule in ("TG503", "TG504", "TG507", "TG508"):
        assert rule in text, (fmt, rule)


# ------------------------------------------------------------------------------------ forms


def test_every_extension_form_is_found(tmp_path: Path) -> None:
    """Top-level and child VM extensions, scale set extensions, scale set VM extensions, the inline
    extensionProfile form, inner- and outer-scope nested deployments, copy loops."""
    snapshot = {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
    }
    nested_resource = {
        "type": "Microsoft.Compute/virtualMachines/extensions",
        "apiVersion": "2024-07-01",
        "name": "[concat(parameters('vm'), '/VMSnapshot')]",
        "location": "westeurope",
        "properties": snapshot,
    }
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [
            {
                "type": "Microsoft.Compute/virtualMachines",
                "apiVersion": "2024-07-01",
                "name": "vm1",
                "location": "westeurope",
                "resources": [
                    {
                        "type": "extensions",
                        "apiVersion": "2024-07-01",
                        "name": "VMSnapshot",
                        "properties": snapshot,
                    }
                ],
            },
            {
                "type": "Microsoft.Compute/virtualMachines/extensions",
                "apiVersion": "2024-07-01",
                "name": "[format('vm{0}/VMSnapshot', copyIndex(2))]",
                "copy": {"name": "many", "count": 3},
                "properties": snapshot,
            },
            {
                "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
                "apiVersion": "2024-07-01",
                "name": "ss1/VMSnapshot",
                "properties": snapshot,
            },
            {
                "type": "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/extensions",
                "apiVersion": "2024-07-01",
                "name": "ss1/3/VMSnapshot",
                "properties": snapshot,
            },
            {
                "type": "Microsoft.Compute/virtualMachineScaleSets",
                "apiVersion": "2024-07-01",
                "name": "ss2",
                "location": "westeurope",
                "properties": {
                    "virtualMachineProfile": {
                        "extensionProfile": {
                            "extensions": [
                                {"name": "other", "properties": {"publisher": "x.y", "type": "Z"}},
                                {"name": "snap", "properties": snapshot},
                            ]
                        }
                    }
                },
            },
            {
                "type": "Microsoft.Resources/deployments",
                "apiVersion": "2022-09-01",
                "name": "inner",
                "properties": {
                    "mode": "Incremental",
                    "expressionEvaluationOptions": {"scope": "inner"},
                    "parameters": {"vm": {"value": "vm9"}},
                    "template": {
                        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                        "contentVersion": "1.0.0.0",
                        "parameters": {"vm": {"type": "string"}},
                        "resources": [nested_resource],
                    },
                },
            },
        ],
    }
    report = _lint_template(tmp_path, template)
    labels = sorted(
        str(d["message"]).split("(")[1].split(")")[0] for d in diagnostics(report) if d["rule"] == "TG514"
    )
    assert labels == sorted(
        [
            "vm1/VMSnapshot",
            "vm2/VMSnapshot",
            "vm3/VMSnapshot",
            "vm4/VMSnapshot",
            "ss1/VMSnapshot",
            "ss1/3/VMSnapshot",
            "snap in scale set ss2",
            "vm9/VMSnapshot",
        ]
    )


def test_other_extensions_and_templates_without_one_stay_quiet(tmp_path: Path) -> None:
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [
            {
                "type": "Microsoft.Compute/virtualMachines/extensions",
                "apiVersion": "2024-07-01",
                "name": "vm1/script",
                "location": "westeurope",
                "properties": {
                    "publisher": "Microsoft.Azure.Extensions",
                    "type": "CustomScript",
                    "typeHandlerVersion": 2,
                    "settings": {"commandStartTimeUTCTicks": "6.36458E+17", "objectStr": "x"},
                },
            }
        ],
    }
    assert not findings(_lint_template(tmp_path, template))


def test_no_jsonschema_import_without_a_snapshot_extension(tmp_path: Path) -> None:
    """Start-up matters: the schemas (and jsonschema) are loaded only for a snapshot extension."""
    program = (
        "import sys, contextlib, io\n"
        "from templategen.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['lint', '--isolated', '--now', '2026-01-01T00:00:00Z', sys.argv[1]])\n"
        "print('jsonschema' in sys.modules)\n"
    )

    def imports_jsonschema(path: Path) -> bool:
        result = subprocess.run(
            [sys.executable, "-c", program, str(path)], capture_output=True, text=True, cwd=REPO, check=True
        )
        return result.stdout.strip() == "True"

    assert not imports_jsonschema(REPO / "examples" / "backup-vms-quickstart.json")
    assert not imports_jsonschema(FIXTURES / "tg515-good.json")  # a snapshot extension, no settings
    assert imports_jsonschema(FIXTURES / "tg501-bad.json")


def test_findings_are_deterministic() -> None:
    paths = [str(path) for path in sorted(FIXTURES.glob("*-bad.*"))]
    first = run_lint(*paths)[1]
    second = run_lint(*paths)[1]
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


# ------------------------------------------------------------------------------------ clean outputs


def test_examples_have_no_error_from_these_rules() -> None:
    _code, report = run_lint(str(REPO / "examples"))
    errors = [d for d in diagnostics(report) if str(d["rule"]).startswith("TG5") and d["severity"] == "error"]
    assert not errors
    assert findings(report, "TG514")  # the extension examples are deployed by hand: info


def test_every_generator_output_is_clean(tmp_path: Path) -> None:
    """Every generated template and Bicep file, and each snippet placed where its comment says (in
    the `resources` of the VM / the body of the VM's `resource` declaration)."""
    from tests.generate.variants import generate_all

    generate_all(tmp_path)
    snippets = sorted(tmp_path.glob("*.snippet.json")) + sorted(tmp_path.glob("*.snippet.bicep"))
    assert len(snippets) >= 6
    for snippet in snippets:
        host = _host_json(snippet) if snippet.suffix == ".json" else _host_bicep(snippet)
        (tmp_path / snippet.name.replace(".snippet.", ".hosted.")).write_text(host, encoding="utf-8")
    _code, report = run_lint(str(tmp_path))
    checked = report["filesChecked"]
    assert isinstance(checked, list) and sum(".hosted." in str(path) for path in checked) == len(snippets)
    serious = [d for d in diagnostics(report) if str(d["rule"]).startswith("TG5") and d["severity"] != "info"]
    assert not serious
    assert not findings(report, "TG000") and not findings(report, "TG001")
    hosted = [d for d in diagnostics(report) if d["rule"] == "TG514" and ".hosted." in str(d["path"])]
    assert len(hosted) == len(snippets)  # each hosted snippet is read as a snapshot extension
    # Hosted, the Bicep snippets are complete files: everything they use is declared.
    assert not [d for d in diagnostics(report) if d["rule"] == "TG005" and ".hosted." in str(d["path"])]


_VM_NAME = re.compile(r"'Microsoft\.Compute/virtualMachines', ('[^']*'|parameters\('vmName'\))")


def _host_json(snippet: Path) -> str:
    resource = json.loads(snippet.read_text(encoding="utf-8"))
    match = _VM_NAME.search(resource["dependsOn"][0])
    assert match is not None
    vm = match[1]
    protected = resource["properties"]["protectedSettings"]
    secure = (
        {"protectedSettings": {"type": "secureObject"}}
        if isinstance(protected, str)
        else {key: {"type": "securestring"} for key in protected}
    )
    host = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {
            "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
            "vmName": {"type": "string"},
            **secure,
        },
        "resources": [
            {
                "type": "Microsoft.Compute/virtualMachines",
                "apiVersion": "2024-07-01",
                "name": vm.strip("'") if vm.startswith("'") else f"[{vm}]",
                "location": "[parameters('location')]",
                "properties": {},
                "resources": [resource],
            }
        ],
    }
    return json.dumps(host, indent=2)


def _host_bicep(snippet: Path) -> str:
    text = snippet.read_text(encoding="utf-8")
    if "protectedSettings: protectedSettings" in text:
        secure = "@secure()\nparam protectedSettings object\n"
    else:
        names = ("objectStr", "logsBlobUri", "statusBlobUri")
        secure = "".join(f"@secure()\nparam {name} string\n" for name in names)
    body = "\n".join("  " + line if line else line for line in text.splitlines())
    return (
        "param location string = resourceGroup().location\nparam vmName string\n"
        f"{secure}\nresource vm 'Microsoft.Compute/virtualMachines@2024-07-01' = {{\n"
        f"  name: vmName\n  location: location\n  properties: {{}}\n\n{body}\n}}\n"
    )


def test_corpus_templates_that_deploy_have_no_error(shared: Path) -> None:
    """The quickstart corpus (no template there sets VMSnapshot): quiet on every other extension."""
    _code, report = run_lint("--select", "TG5,TG000", str(shared / "corpus" / "quickstarts"))
    assert not findings(report)
    assert not findings(report, "TG000")


def test_odd_shapes_give_findings_not_crashes() -> None:
    """Numbers for names, arrays for settings, expressions everywhere, non-URLs, impossible dates."""
    _code, report = run_lint("--select", "TG5,TG000", str(FIXTURES / "odd-shapes.json"))
    assert not findings(report, "TG000"), diagnostics(report)
    messages = [str(d["message"]) for d in diagnostics(report)]
    assert any("is not a URL" in message for message in messages)
    assert any("entry 3 of extensionProfile in scale set s2" in message for message in messages)


# Templates of the corpus whose CI deploys them, with every Windows-only / Linux-only extension
# rewritten into VMSnapshot / VMSnapshotLinux: the OS, dependency and link checks must agree with
# templates that really deploy. One known exception, a real bug of the sample: the region-1 web
# server extensions depend on the region-2 VMs (`dependsOn: ["vmR2"]`) and win their race only
# because both VM loops start together.
_WINDOWS_ONLY = {
    ("microsoft.compute", "customscriptextension"),
    ("microsoft.compute", "bginfo"),
    ("microsoft.compute", "jsonaddomainextension"),
    ("microsoft.powershell", "dsc"),
    ("microsoft.compute", "vmaccessagent"),
    ("microsoft.enterprisecloud.monitoring", "microsoftmonitoringagent"),
    ("microsoft.azure.monitor", "azuremonitorwindowsagent"),
}
_LINUX_ONLY = {
    ("microsoft.azure.extensions", "customscript"),
    ("microsoft.ostcextensions", "customscriptforlinux"),
    ("microsoft.ostcextensions", "vmaccessforlinux"),
    ("microsoft.enterprisecloud.monitoring", "omsagentforlinux"),
    ("microsoft.azure.monitor", "azuremonitorlinuxagent"),
    ("microsoft.ostcextensions", "linuxdiagnostic"),
}
_KNOWN_TRUE_POSITIVES = {
    ("load-balancer-cross-region/azuredeploy", "TG512"): 3,
    ("load-balancer-cross-region/main", "TG512"): 3,
}
_BICEP_PAIR = re.compile(r"(publisher:\s*')([^']+)('\s*\n\s*type:\s*')([^']+)(')")


def _rewrite_bicep_samples(corpus: Path, rows: list[list[str]], header: list[str], target: Path) -> int:
    """Copy every CI-deployed sample folder with a Bicep file using a one-OS extension, rewriting
    those extensions in its Bicep files (modules included). Returns how many files changed."""
    import shutil

    def rewrite(match: re.Match[str]) -> str:
        kind = (match[2].lower(), match[4].lower())
        if kind not in _WINDOWS_ONLY and kind not in _LINUX_ONLY:
            return match[0]
        new_type = "VMSnapshot" if kind in _WINDOWS_ONLY else "VMSnapshotLinux"
        return f"{match[1]}Microsoft.Azure.RecoveryServices{match[3]}{new_type}{match[5]}"

    path_at, kind_at = header.index("path"), header.index("kind")
    validation_at, sample_at = header.index("validation"), header.index("sample")
    changed = 0
    for row in rows:
        if row[validation_at] != "ci" or row[kind_at] != "bicep":
            continue
        source = corpus / "quickstarts" / row[path_at]
        text = source.read_text(encoding="utf-8-sig")
        new = _BICEP_PAIR.sub(rewrite, text)
        if new == text:
            continue
        sample = corpus / "quickstarts" / row[sample_at]
        copy = target / row[sample_at]
        if not copy.exists():
            shutil.copytree(sample, copy, ignore=shutil.ignore_patterns("*.json"))
        (target / row[path_at]).write_text(new, encoding="utf-8")
        changed += 1
    return changed


def _as_snapshot(node: object) -> int:
    count = 0
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict) and isinstance(properties.get("publisher"), str):
            kind = (str(properties["publisher"]).lower(), str(properties.get("type", "")).lower())
            if kind in _WINDOWS_ONLY or kind in _LINUX_ONLY:
                properties["publisher"] = "Microsoft.Azure.RecoveryServices"
                properties["type"] = "VMSnapshot" if kind in _WINDOWS_ONLY else "VMSnapshotLinux"
                count += 1
        count += sum(_as_snapshot(value) for value in node.values())
    elif isinstance(node, list):
        count += sum(_as_snapshot(value) for value in node)
    return count


def test_corpus_extensions_rewritten_as_snapshot_extensions(shared: Path, tmp_path: Path) -> None:
    from templategen.arm.document import load_json_file

    corpus = shared / "corpus"
    rows = [line.split("\t") for line in (corpus / "index.tsv").read_text(encoding="utf-8").splitlines()]
    header, rows = rows[0], rows[1:]
    path_at, kind_at, validation_at = header.index("path"), header.index("kind"), header.index("validation")
    rewritten = 0
    for row in rows:
        if row[validation_at] != "ci" or row[kind_at] != "template":
            continue
        data = load_json_file(str(corpus / "quickstarts" / row[path_at])).data
        if _as_snapshot(data):
            rewritten += 1
            (tmp_path / row[path_at].replace("/", "__")).write_text(json.dumps(data), encoding="utf-8")
    assert rewritten >= 200
    bicep = _rewrite_bicep_samples(corpus, rows, header, tmp_path / "bicep")
    assert bicep >= 25
    _code, report = run_lint("--select", "TG510,TG511,TG512,TG513,TG000,TG001", str(tmp_path))
    unexpected: dict[tuple[str, str], int] = {}
    for d in diagnostics(report):
        if d["rule"] == "TG511" and "autoUpgradeMinorVersion" in str(d["message"]):
            continue
        where = str(d["path"]).replace("__", "/")
        sample = next((name for name, _rule in _KNOWN_TRUE_POSITIVES if name in where), where)
        key = (sample, str(d["rule"]))
        unexpected[key] = unexpected.get(key, 0) + 1
    assert unexpected == _KNOWN_TRUE_POSITIVES


def test_a_scale_set_is_not_the_vm_a_protected_item_backs_up(tmp_path: Path) -> None:
    """TG513 follows a protected item to the VM its `sourceResourceId` names. A scale set that happens
    to carry the VM's name is another resource: its hardened osProfile is not the backed-up VM's."""
    item_type = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"
    machine: dict[str, object] = {
        "apiVersion": "2024-07-01",
        "name": "app-1",
        "location": "westeurope",
    }
    os_profile = {"computerNamePrefix": "app", "allowExtensionOperations": False}
    item = {
        "type": item_type,
        "apiVersion": "2025-08-01",
        "name": "rsv-prod/Azure/iaasvmcontainer;iaasvmcontainerv2;rg;app-1/vm;iaasvmcontainerv2;rg;app-1",
        "properties": {
            "protectedItemType": "Microsoft.Compute/virtualMachines",
            "policyId": "[resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', 'rsv', 'daily')]",
            "sourceResourceId": "[resourceId('Microsoft.Compute/virtualMachines', 'app-1')]",
        },
    }
    schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
    variants = {
        "vm.json": {
            **machine,
            "type": "Microsoft.Compute/virtualMachines",
            "properties": {"osProfile": os_profile},
        },
        "scale-set.json": {
            **machine,
            "type": "Microsoft.Compute/virtualMachineScaleSets",
            "properties": {"virtualMachineProfile": {"osProfile": os_profile}},
        },
    }
    reported = []
    for name, resource in variants.items():
        path = tmp_path / name
        data = {"$schema": schema, "contentVersion": "1.0.0.0", "resources": [resource, item]}
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        _code, report = run_lint("--select", "TG513", str(path))
        reported += [(name, str(d["message"]).split(" but ")[0]) for d in diagnostics(report)]
    assert reported == [("vm.json", f"VM app-1 is backed up by protected item {item['name']}")]
