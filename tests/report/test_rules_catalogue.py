"""The rule catalogue: all_rules() invariants, `templategen rules`, and docs/rules.md kept fresh."""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import templategen.rules
from templategen.cli import main
from templategen.rules import RuleDefinitionError, all_rules, check_rules
from templategen.rules.base import Rule
from templategen.rules.docs import render_markdown, rule_record

SAMPLE = "tests.report.sample_rules"


def make_rule(**attributes: object) -> Rule:
    values: dict[str, object] = {
        "id": "TG301",
        "name": "some-rule",
        "severity": "warning",
        "summary": "A rule",
    }
    values.update(attributes)
    return type("Made", (Rule,), values)()  # type: ignore[no-any-return]


@pytest.fixture
def sample_catalogue(monkeypatch: pytest.MonkeyPatch) -> list[Rule]:
    """Point the catalogue at the sample rule module, as if it were listed in RULE_MODULES."""
    monkeypatch.setattr(templategen.rules, "RULE_MODULES", (SAMPLE,))
    return all_rules()


class TestAllRules:
    def test_sample_module_is_collected_sorted_without_helper_bases(self) -> None:
        rules = all_rules([SAMPLE])
        assert [rule.id for rule in rules] == ["TG102", "TG201", "TG401", "TG402", "TG501"]
        assert all(isinstance(rule, Rule) for rule in rules)
        assert all_rules([SAMPLE]) == rules  # cached instances, fresh list
        assert all_rules([SAMPLE]) is not all_rules([SAMPLE])

    def test_the_shipped_catalogue_loads(self) -> None:
        rules = all_rules()
        assert [rule.id for rule in rules] == sorted(rule.id for rule in rules)

    @pytest.mark.parametrize(
        ("attributes", "message"),
        [
            ({"id": "TG40"}, "is not TG followed by three digits"),
            ({"id": "XX401"}, "is not TG followed by three digits"),
            ({"name": "NoCaps"}, "is not kebab-case"),
            ({"name": "tg401-alias"}, "looks like an id"),
            ({"severity": "fatal"}, "severity must be one of"),
            ({"summary": ""}, "summary must be one non-empty line"),
            ({"summary": "two\nlines"}, "summary must be one non-empty line"),
        ],
    )
    def test_bad_metadata_is_refused(self, attributes: dict[str, object], message: str) -> None:
        with pytest.raises(RuleDefinitionError, match=message):
            check_rules([make_rule(**attributes)])

    def test_duplicates_are_refused(self) -> None:
        with pytest.raises(RuleDefinitionError, match="TG301 is used by"):
            check_rules([make_rule(), make_rule(name="other-rule")])
        with pytest.raises(RuleDefinitionError, match="name 'some-rule' is used by TG301 and TG302"):
            check_rules([make_rule(), make_rule(id="TG302")])


class TestRulesCommand:
    def test_table(self, sample_catalogue: list[Rule], capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["rules"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert re.split(r"\s{2,}", lines[0]) == ["ID", "NAME", "SEVERITY", "SUMMARY"]
        assert len(lines) == 1 + len(sample_catalogue)
        row = next(line for line in lines if line.startswith("TG401"))
        assert re.split(r"\s{2,}", row) == [
            "TG401",
            "no-hardcoded-location",
            "warning",
            "Resource locations come from a parameter, not a literal region",
        ]
        starts = {line.index(line.split()[1]) for line in lines}
        assert len(starts) == 1  # the name column is aligned

    def test_filter_by_selector(
        self, sample_catalogue: list[Rule], capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["rules", "TG4", "unknown-function"]) == 0
        ids = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]]
        assert ids == ["TG102", "TG401", "TG402"]

    def test_unknown_selector_is_a_usage_error(
        self, sample_catalogue: list[Rule], capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["rules", "TG591"]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert (
            captured.err.strip()
            == "templategen: error: rules TG591: unknown rule id TG591 (did you mean TG501?)"
        )

    def test_json(self, sample_catalogue: list[Rule], capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["rules", "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data == [rule_record(rule) for rule in sample_catalogue]
        unused = next(entry for entry in data if entry["id"] == "TG201")
        assert unused["exampleLanguage"] == "bicep"
        assert unused["appliesTo"] == ["parameters", "template"]
        assert unused["family"] == "References"

    def test_markdown_to_a_file_is_atomic(self, sample_catalogue: list[Rule], tmp_path: Path) -> None:
        target = tmp_path / "rules.md"
        target.write_text("old content\n")
        target.chmod(0o640)
        assert main(["rules", "--format", "markdown", "-o", str(target)]) == 0
        assert target.read_text(encoding="utf-8") == render_markdown(sample_catalogue)
        assert oct(target.stat().st_mode & 0o777) == oct(0o640)
        assert sorted(os.listdir(tmp_path)) == ["rules.md"]  # no temporary file left behind

    def test_output_into_a_missing_folder_is_a_clean_error(
        self, sample_catalogue: list[Rule], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["rules", "-o", str(tmp_path / "no" / "such" / "rules.txt")]) == 2
        err = capsys.readouterr().err
        assert err.startswith("templategen: error: cannot write ") and "Traceback" not in err


class TestMarkdown:
    def test_sections_and_index(self, sample_catalogue: list[Rule]) -> None:
        page = render_markdown(sample_catalogue)
        assert "| [TG401](#tg401-no-hardcoded-location) | `no-hardcoded-location` | warning |" in page
        assert "No SAS signature \\| credential written into the template" in page  # `|` escaped in the table
        headings = re.findall(r"^## (TG\d{3} .*)$", page, re.MULTILINE)
        assert [h.split()[0] for h in headings] == [rule.id for rule in sample_catalogue]
        anchors = set(re.findall(r"\]\(#([a-z0-9-]+)\)", page))
        assert anchors == {github_slug(h) for h in headings}
        section = page[page.index("## TG201") :]
        assert "```bicep\nparam unused string\n```" in section
        assert "**Default severity:** info" in section
        assert "**Applies to:** parameter files, ARM templates and Bicep files" in section
        assert "<https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices>" in page
        assert "// templategen-disable-next-line TG401 -- reason" in page
        assert "| TG4xx | Security and practice | 2 |" in page

    def test_empty_catalogue_still_explains_everything(self) -> None:
        page = render_markdown([])
        for heading in (
            "## Ids, names and families",
            "## Severities and exit codes",
            "## Configuration",
            "## Suppressing a finding",
            "## Rule index",
        ):
            assert heading in page
        assert "No rules are registered yet" in page


def github_slug(heading: str) -> str:
    """GitHub's heading anchors: lower-case, punctuation other than `-` dropped, spaces to `-`."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_docs_rules_md_is_fresh(repo: Path) -> None:
    """docs/rules.md must be what `make docs` generates from the rules; the diff says what changed."""
    committed = (repo / "docs" / "rules.md").read_text(encoding="utf-8")
    generated = render_markdown(all_rules())
    if committed != generated:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                generated.splitlines(keepends=True),
                "docs/rules.md (committed)",
                "docs/rules.md (generated)",
            )
        )
        pytest.fail(f"docs/rules.md is stale: run `make docs`.\n{diff}")


def test_make_docs_command_produces_the_committed_page(repo: Path, tmp_path: Path) -> None:
    """The command `make docs` runs, through the real entry point, in a fresh interpreter."""
    target = tmp_path / "rules.md"
    subprocess.run(
        [sys.executable, "-m", "templategen", "rules", "--format", "markdown", "-o", str(target)],
        check=True,
        cwd=tmp_path,
    )
    assert target.read_text(encoding="utf-8") == (repo / "docs" / "rules.md").read_text(encoding="utf-8")
