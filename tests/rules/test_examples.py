"""Every rule's documented examples do what the documentation says.

docs/rules.md shows a failing (`bad`) and a fixed (`good`) example per rule. Each is linted through
the CLI as the kind of file its `example_language` names: JSON (a whole file, or a resource fragment
inside the smallest template around it, `templategen.rules.examples`), a `.bicep` file or a `.yaml`
templategen input. The bad example must trigger its rule and nothing else that a user would have to
fix; the fixed one must trigger no warning or error from any rule: a fixed example should not teach
another mistake. Information findings are allowed in both (every hand-deployed VMSnapshot extension
is TG514 information, whatever else it does right).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from templategen.cli import main
from templategen.rules import all_rules
from templategen.rules.base import Rule
from templategen.rules.examples import example_file

from .helpers import Finding, only, write

RULES = all_rules()
LINTED = [rule for rule in RULES if rule.example_language != "text"]
SUFFIX = {"json": ".json", "bicep": ".bicep", "yaml": ".yaml"}

#: Files an example reads, written beside it: TG005's fixed Bicep example loads `cloud-init.yml`
#: (its failing one misspells the name, which is what the rule is about).
COMPANIONS = {"TG005": {"cloud-init.yml": "#cloud-config\npackages:\n  - nginx\n"}}

#: Other rules a failing example cannot help triggering, with the reason. TG506 reads only an
#: objectStr it can see, and one it can see is written in the template, which TG504 reports.
UNAVOIDABLE = {"TG506": {"TG504"}}


def lint_example(
    rule: Rule, kind: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, list[str], list[Finding]]:
    """Write the rule's `kind` example (and its companions) into `folder`, lint it through the CLI;
    (path, the files the linter checked, the findings)."""
    text = getattr(rule, kind)
    if rule.example_language == "json":
        text = example_file(text)
    for name, content in COMPANIONS.get(rule.id, {}).items():
        write(folder, name, content)
    path = write(folder, kind + SUFFIX[rule.example_language], text)
    main(["lint", "--isolated", "--format", "json", str(path)])
    report = json.loads(capsys.readouterr().out)
    return path, list(report["filesChecked"]), [Finding(item) for item in report["diagnostics"]]


def test_only_rules_about_several_or_huge_files_have_prose_examples() -> None:
    # TG000 needs a broken rule, TG004 a huge file, TG208 a template and a parameters file.
    assert {rule.id for rule in RULES if rule.example_language == "text"} == {"TG000", "TG004", "TG208"}
    assert {rule.example_language for rule in LINTED} == set(SUFFIX)
    for rule_id in ("TG001", "TG002", "TG003", "TG101", "TG207", "TG301", "TG404", "TG501", "TG601"):
        assert rule_id in {rule.id for rule in LINTED if rule.example_language == "json"}


@pytest.mark.parametrize("rule", LINTED, ids=lambda rule: rule.id)
def test_bad_example_triggers_the_rule(
    rule: Rule, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, checked, findings = lint_example(rule, "bad", tmp_path, capsys)
    mine = only(findings, rule.id)
    assert mine, f"{rule.id} bad example gave {findings}"
    assert {finding.severity for finding in mine} == {rule.severity}
    if rule.id != "TG001":  # an unreadable file is reported, not checked
        assert checked == [str(path)]


@pytest.mark.parametrize("rule", LINTED, ids=lambda rule: rule.id)
def test_bad_example_shows_only_its_mistake(
    rule: Rule, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _path, _checked, findings = lint_example(rule, "bad", tmp_path, capsys)
    others = {f.rule for f in findings if f.rule != rule.id and f.severity != "info"}
    assert others == UNAVOIDABLE.get(rule.id, set()), findings


@pytest.mark.parametrize("rule", LINTED, ids=lambda rule: rule.id)
def test_good_example_passes_every_rule(
    rule: Rule, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, checked, findings = lint_example(rule, "good", tmp_path, capsys)
    assert checked == [str(path)]  # a file the linter skips would pass vacuously
    assert only(findings, rule.id) == []
    assert [f for f in findings if f.severity != "info"] == []


def layout_problems(text: str) -> list[str]:
    """Where a JSON example's layout is uneven: a line not indented two spaces per bracket open
    before it, or a bracket that closes, in the middle of a line, what an earlier line opened."""
    problems: list[str] = []
    opened: list[int] = []  # line of each bracket still open
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip(" ")
        closes_first = stripped[:1] in ("]", "}")
        expected = 2 * (len(opened) - (1 if closes_first else 0))
        if stripped and len(line) - len(stripped) != expected:
            problems.append(f"line {number} is indented {len(line) - len(stripped)}, not {expected}")
        in_string = escaped = False
        for column, char in enumerate(stripped):
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif stripped.startswith("//", column):
                break
            elif char in "[{":
                opened.append(number)
            elif char in "]}" and opened:
                start = opened.pop()
                if start != number and column > 0:
                    problems.append(f"line {number} closes mid-line the bracket of line {start}")
    return problems


def test_layout_check_catches_a_member_glued_to_another() -> None:
    glued = '{\n  "parameters": {\n    "a": {"type": "string"},"b": {"type": "int"}},\n  "resources": []\n}'
    assert layout_problems(glued) == ["line 3 closes mid-line the bracket of line 2"]
    assert layout_problems('{\n   "resources": []\n}') == ["line 2 is indented 3, not 2"]


@pytest.mark.parametrize("rule", [r for r in LINTED if r.example_language == "json"], ids=lambda r: r.id)
def test_json_examples_are_laid_out_evenly(rule: Rule) -> None:
    for kind in ("bad", "good"):
        assert layout_problems(getattr(rule, kind)) == [], (rule.id, kind)


#: Rules whose facts are about templategen itself, so no public page is their source: a crash in a
#: rule, what the Bicep reader cannot convert offline, the schemas of templategen's own inputs.
NO_PUBLIC_SOURCE = frozenset({"TG000", "TG005", "TG801"})


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_metadata_is_complete(rule: Rule) -> None:
    assert rule.why.strip() and rule.bad.strip() and rule.good.strip()
    assert rule.bad != rule.good
    if rule.id in NO_PUBLIC_SOURCE:
        assert rule.source_url == ""  # no invented link
    else:
        assert rule.source_url.startswith("https://")
