"""API-version rules TG701/TG702 and the catalogue behind them, through the real CLI.

The catalogue must know every version Resource Manager accepts for its types: a missing one is a
false error on a template that deploys. The corpus's CI-validated templates are the test of that.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from templategen.arm import apiversions
from templategen.rules.apiversions import OUTDATED_DAYS
from tests.rules.backupcases import FIXTURES, Case, check_case, lint

FAMILY = "backup"
VAULT_JSON = '"type": "Microsoft.RecoveryServices/vaults",\n      "apiVersion": "2026-08-01"'
VAULT_BICEP = "'Microsoft.RecoveryServices/vaults@2026-08-01'"

CASES = [
    Case(
        "TG701",
        "error",
        "standard-daily.json",
        VAULT_JSON,
        VAULT_JSON.replace("2026-08-01", "2026-08-15"),
        '"apiVersion": ^"2026-08-15"',
    ),
    Case(
        "TG701",
        "error",
        "standard-daily.bicep",
        VAULT_BICEP,
        VAULT_BICEP.replace("2026-08-01", "2021-12-15"),
        "resource vault ^'Microsoft.RecoveryServices/vaults@2021-12-15'",
    ),
    Case(
        "TG701",
        "error",
        "enhanced-hourly.json",
        '"apiVersion": "2026-05-01"',
        '"apiVersion": "2026-05-15"',
        '"apiVersion": ^"2026-05-15"',
    ),
    Case(
        "TG702",
        "info",
        "standard-daily.json",
        VAULT_JSON,
        VAULT_JSON.replace("2026-08-01", "2016-06-01"),
        '"apiVersion": ^"2016-06-01"',
    ),
    Case(
        "TG702",
        "info",
        "vm-region.bicep",
        "'Microsoft.Compute/virtualMachines@2026-03-01'",
        "'Microsoft.Compute/virtualMachines@2015-06-15'",
        "resource vm ^'Microsoft.Compute/virtualMachines@2015",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_planted_version_is_found(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check_case(case, tmp_path, FAMILY, capsys)


def test_unknown_version_message_helps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (message,) = check_case(CASES[0], tmp_path, FAMILY, capsys)
    assert message.startswith(
        "apiVersion '2026-08-15' is not a version of Microsoft.RecoveryServices/vaults that Resource "
        f"Manager offers (templategen catalogue of {apiversions.catalogue_date()}); newest stable: "
        "2026-08-01, 2026-07-01, 2026-05-01; nearest known: 2026-08-01"
    )
    (message,) = check_case(CASES[1], tmp_path, FAMILY, capsys)
    assert message.endswith("nearest known: 2021-12-01")


@pytest.mark.parametrize("version", ["2021-13-01", "2026-5-1", "2021-02-30", "latest"])
def test_a_malformed_version_is_reported_once_by_tg304(
    version: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _with_versions(tmp_path, {"Microsoft.RecoveryServices/vaults": version})
    _code, findings = lint(capsys, "--select", "TG304,TG7", str(path))
    assert [f["rule"] for f in findings] == ["TG304"]


def _with_versions(tmp_path: Path, versions: dict[str, str]) -> Path:
    resources = [
        {"type": resource_type, "apiVersion": version, "name": f"r{i}"}
        for i, (resource_type, version) in enumerate(versions.items())
    ]
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": resources,
    }
    path = tmp_path / "versions.json"
    path.write_text(json.dumps(template, indent=2), encoding="utf-8")
    return path


def test_versions_compare_ignoring_case_and_types_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _with_versions(
        tmp_path,
        {
            "microsoft.compute/VIRTUALMACHINES": "2016-04-30-Preview",
            "Microsoft.RecoveryServices/vaults/backupPolicies": "2016-08-10",  # the vault's registration
            "Microsoft.Web/sites": "1999-01-01",  # a type the catalogue does not cover: not our business
        },
    )
    _code, findings = lint(capsys, "--select", "TG701", str(path))
    assert findings == []


def test_outdated_is_measured_from_the_newest_stable_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Vaults: 2026-08-01 is the newest stable; 2024-10-01 is 669 days older, 2024-04-01 852."""
    assert apiversions.newest_stable("Microsoft.RecoveryServices/vaults") == "2026-08-01"
    assert OUTDATED_DAYS == 730
    path = _with_versions(tmp_path, {"Microsoft.RecoveryServices/vaults": "2024-10-01"})
    assert lint(capsys, "--select", "TG702", str(path))[1] == []
    path = _with_versions(tmp_path, {"Microsoft.RecoveryServices/vaults": "2024-04-01"})
    (finding,) = lint(capsys, "--select", "TG702", str(path))[1]
    assert "is 852 days older than the newest stable version 2026-08-01" in str(finding["message"])


def test_catalogue_is_consistent() -> None:
    data = json.loads((Path(__file__).parents[2] / "schemas" / "api-versions.json").read_text())
    for resource_type, entry in data["resourceTypes"].items():
        assert set(entry["sources"]) <= set(data["sources"]), resource_type
        for version in entry["stable"] + entry["preview"]:
            assert apiversions.version_date(version) is not None, (resource_type, version)
        assert entry["stable"] == sorted(entry["stable"], reverse=True)
    # Recovery Services registers only `vaults`: every child accepts at least the vault's versions.
    vault = set(apiversions.known_versions("Microsoft.RecoveryServices/vaults"))
    for resource_type in apiversions.resource_types():
        if resource_type.startswith("Microsoft.RecoveryServices/vaults/"):
            registered = {v for v in vault if v <= "2021-03-01-preview"}
            assert registered <= set(apiversions.known_versions(resource_type)), resource_type
    for resource_type in (
        "Microsoft.Compute/virtualMachineScaleSets",
        "Microsoft.Compute/virtualMachineScaleSets/extensions",
        "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/extensions",
        "Microsoft.RecoveryServices/vaults/backupconfig",
    ):
        assert apiversions.has_type(resource_type)


def ci_templates(shared: Path) -> list[Path]:
    """The corpus templates (JSON and Bicep) that Azure's CI validates or deploys."""
    root = shared / "corpus" / "quickstarts"
    with (shared / "corpus" / "index.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        root / row["path"]
        for row in rows
        if row["validation"] == "ci"
        and row["kind"] in ("template", "bicep")
        and (root / row["path"]).is_file()
    ]


def test_no_unknown_version_in_ci_validated_corpus(shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every CI-validated corpus template deploys (or validates), so every version it uses exists."""
    templates = ci_templates(shared)
    assert len(templates) > 1500
    assert any(p.suffix == ".bicep" for p in templates)
    _code, findings = lint(capsys, "--select", "TG701", "-j", "2", *map(str, templates))
    assert [f for f in findings if f["rule"] == "TG701"] == []


def test_corpus_uses_the_old_versions_the_catalogue_must_know(shared: Path) -> None:
    """The versions that made the provider registration necessary are really in use."""
    texts = "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in ci_templates(shared) if p.suffix == ".json"
    )
    for version in ("2015-05-01-preview", "2016-04-30-preview", "2016-08-10", "2017-03-30"):
        assert f'"apiVersion": "{version}"' in texts


def test_passing_fixtures_use_current_versions(capsys: pytest.CaptureFixture[str]) -> None:
    _code, findings = lint(capsys, "--select", "TG7", str(FIXTURES / FAMILY))
    assert findings == []
