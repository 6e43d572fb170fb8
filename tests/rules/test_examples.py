"""Every rule's documented examples do what the documentation says: the `bad` example triggers the
rule and the `good` one does not (for the rules whose examples are JSON files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from templategen.rules import all_rules
from templategen.rules.base import Rule
from templategen.rules.examples import example_file

from .helpers import lint, only, write

JSON_RULES = [rule for rule in all_rules() if rule.example_language == "json"]


def test_the_generic_rules_have_json_examples() -> None:
    ids = {rule.id for rule in JSON_RULES}
    # TG000, TG004 and TG208 need more than one file or a huge one: their examples are prose.
    for rule_id in ("TG001", "TG002", "TG003", "TG101", "TG207", "TG301", "TG404"):
        assert rule_id in ids


@pytest.mark.parametrize("rule", JSON_RULES, ids=lambda rule: rule.id)
def test_bad_example_triggers_the_rule(
    rule: Rule, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "bad.json", example_file(rule.bad))
    _, findings = lint(capsys, [path])
    assert only(findings, rule.id), f"{rule.id} bad example gave {findings}"


@pytest.mark.parametrize("rule", JSON_RULES, ids=lambda rule: rule.id)
def test_good_example_passes_every_rule(
    rule: Rule, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "good.json", example_file(rule.good))
    _, findings = lint(capsys, [path])
    assert only(findings, rule.id) == []
    # a fixed example should not teach another mistake either
    assert [f for f in findings if f.severity != "info"] == []


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.id[2] in "1234"], ids=lambda r: r.id)
def test_metadata_is_complete(rule: Rule) -> None:
    assert rule.why.strip() and rule.bad.strip() and rule.good.strip()
    assert rule.source_url.startswith("https://")
    assert rule.bad != rule.good
