"""In-file suppression (`metadata.templategen.ignore`) works for the generic rules, on a resource
(and its children) and on the whole template, by id or by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import lint, only, template, write


def _vault(name: str, location: str, **members: object) -> dict[str, object]:
    data: dict[str, object] = {
        "type": "Microsoft.RecoveryServices/vaults",
        "apiVersion": "2024-04-01",
        "name": name,
        "location": location,
    }
    data.update(members)
    return data


def test_on_a_resource_covers_it_and_its_children(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    child = {"type": "backupPolicies", "apiVersion": "2024-04-01", "name": "daily", "location": "westeurope"}
    quiet = _vault(
        "quiet",
        "westeurope",
        metadata={"templategen": {"ignore": ["hardcoded-location: single-region demo"]}},
        resources=[child],
    )
    loud = _vault("loud", "northeurope")
    _, findings = lint(capsys, [write(tmp_path, "t.json", template(resources=[quiet, loud]))])
    assert [f.message.split(" is hard-coded")[0] for f in only(findings, "TG401")] == [
        "location of Microsoft.RecoveryServices/vaults 'loud'"
    ]


def test_on_the_template_covers_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = template(
        metadata={"templategen": {"ignore": ["TG205", "TG40"]}},
        parameters={"spare": {"type": "string"}},
        resources=[_vault("a", "westeurope")],
    )
    _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
    assert only(findings, "TG205") == [] and only(findings, "TG401") == []


def test_other_rules_still_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = template(
        parameters={"spare": {"type": "string"}},
        resources=[_vault("a", "westeurope", metadata={"templategen": {"ignore": "TG205"}})],
    )
    _, findings = lint(capsys, [write(tmp_path, "t.json", data)])
    # TG205 points at the template's parameter, outside the resource: its metadata does not cover it
    assert len(only(findings, "TG205")) == 1 and len(only(findings, "TG401")) == 1


def test_bicep_linter_directives_cover_the_equivalent_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `#disable-next-line` of the Bicep linter silences our rule that checks the same thing, on the
    # next line only; a rule with no equivalent (BCP081) or another line is not affected.
    path = tmp_path / "main.bicep"
    path.write_text(
        "#disable-next-line no-unused-params BCP081\n"
        "param unusedOnPurpose string = 'a'\n"
        "param unusedByMistake string = 'b'\n"
        "#disable-next-line no-unused-vars\n"
        "var keptForLater = 1\n"
        "#disable-next-line no-hardcoded-location\n"
        "var unusedToo = 2\n",
        encoding="utf-8",
    )
    _, findings = lint(capsys, [path])
    assert sorted((f.rule, f.where[0]) for f in findings if f.rule in ("TG205", "TG206")) == [
        ("TG205", 3),
        ("TG206", 7),
    ]
