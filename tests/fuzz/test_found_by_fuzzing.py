"""Regression tests: each input here once broke an invariant of the fuzz tests (minimised by hypothesis).

Each test names the fuzz test that found it and what was wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from templategen.arm.evaluate import Evaluator
from templategen.arm.template import template_from_data
from templategen.arm.values import Unknown, describe
from templategen.bicep import parse_bicep
from templategen.diagnostics import InputError
from tests.fuzz.fuzzkit import check_generate, check_lint_json, run_cli

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def test_outer_scope_nested_parameter_is_unknown_not_an_exception() -> None:
    """test_generated_templates_evaluate_without_exceptions: an outer-scope nested template declares
    a parameter of its own; `evaluators_for(nested)` gives the parent's evaluator, and asking it for
    that parameter raised ArmError out of the public `parameter()` (a rule doing so would be TG000)."""
    data = {
        "$schema": SCHEMA,
        "resources": [
            {
                "type": "Microsoft.Resources/deployments",
                "apiVersion": "2022-09-01",
                "name": "inner",
                "properties": {
                    "mode": "Incremental",
                    "expressionEvaluationOptions": {"scope": "outer"},
                    "template": {
                        "$schema": SCHEMA,
                        "parameters": {"vmName": {"type": "string"}},
                        "resources": [],
                    },
                },
            }
        ],
    }
    model = template_from_data(data, "t.json")
    nested = next(t for t in model.all_templates() if t is not model)
    (evaluator,) = Evaluator(model).evaluators_for(nested)
    assert isinstance(evaluator.parameter("vmName"), Unknown)
    assert isinstance(evaluator.variable("notThere"), Unknown)
    assert evaluator.problems == []  # asking is not an error of the template


def test_evaluation_problem_quoting_a_name_with_a_line_break_stays_one_line() -> None:
    """test_corpus_templates_with_a_mutated_expression: `parameters('virt---\\nualNetworkName')`
    gave a problem message on two lines."""
    data = {
        "$schema": SCHEMA,
        "resources": [],
        "outputs": {"o": {"type": "string", "value": "[parameters('a\nb')]"}},
    }
    model = template_from_data(data, "t.json")
    evaluator = Evaluator(model)
    describe(evaluator.output_value(model.outputs["o"]))
    (problem,) = evaluator.problems
    assert problem.message == "the parameter 'a\\nb' is not declared"


def test_bicep_problem_quoting_a_line_break_stays_one_line() -> None:
    """test_bicep_like_token_soup: an unterminated `targetScope = '` quoted the line break."""
    document = parse_bicep("targetScope = '\n", "main.bicep")
    assert [message for _, message in document.problems] == [
        "unknown targetScope '\\n; read as resourceGroup"
    ]


BICEP_DEPENDS_ON_NAMELESS = """\
resource a 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  location: 'x'
}
resource b 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'b'
  dependsOn: [a]
}
"""


def test_bicep_explicit_depends_on_a_resource_without_name(tmp_path: Path) -> None:
    """test_mutated_bicep_files: one flipped byte removed a resource's `name`; another resource's
    explicit `dependsOn` on it raised Unconvertible out of the reader (lint: internal error)."""
    document = parse_bicep(BICEP_DEPENDS_ON_NAMELESS, "main.bicep")
    assert [(loc.line, loc.column, message) for loc, message in document.problems] == [
        (1, 10, "resource 'a' has no name")
    ]
    path = tmp_path / "main.bicep"
    path.write_text(BICEP_DEPENDS_ON_NAMELESS, encoding="utf-8")
    report = check_lint_json(run_cli(["lint", "--isolated", "-f", "json", str(path)]))
    assert any(d["rule"] == "TG005" and d["line"] == 1 for d in report["diagnostics"])  # type: ignore[union-attr,index]


def _generate(tmp_path: Path, text: str | bytes) -> list[str]:
    """Run `generate` in-process on one input; check the invariants; return the problem lines."""
    path = tmp_path / "input.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    ran = run_cli(["generate", str(path), "-o", str(tmp_path / "out")])
    check_generate(ran)
    assert ran.code == 2, ran
    assert not (tmp_path / "out").exists()
    return [line.removeprefix(f"{path}:") for line in ran.err.splitlines()[:-1]]


def test_yaml_input_with_a_control_character(tmp_path: Path) -> None:
    """test_yaml_like_token_soup, test_schema_guided_inputs: PyYAML's ReaderError (a character YAML
    does not allow, raised before parsing starts) escaped as an internal error."""
    lines = _generate(tmp_path, b"kind: vmsnapshot-extension\nvm:\n  name: a\x7fb\n")
    assert lines == [
        "3:10: error: character U+007F is not allowed in YAML; in a double-quoted string write it as \\x7f"
    ]
    assert _generate(tmp_path, b"\x00") == [
        "1:1: error: character U+0000 is not allowed in YAML; in a double-quoted string write it as \\x00"
    ]


def test_schema_error_inside_a_ref_beside_own_keywords(tmp_path: Path) -> None:
    """test_schema_guided_inputs: `retention.monthly` has its own `properties` *and* a `$ref` to a
    definition with `properties`; an error in the referenced part (`days`) made the schema-path walk
    raise KeyError (internal error). Now the path is followed through the `$ref`."""
    text = (
        "kind: recovery-services-backup-vms\n"
        "virtualMachines: {names: [vm1]}\n"
        "policy:\n"
        "  new: true\n"
        "  retention:\n"
        "    monthly: {count: 12, days: 5}\n"
    )
    assert _generate(tmp_path, text) == [
        "6:32: error: wrong type: got integer 5 "
        "(schema path #/$defs/longTermRetention/properties/days/type; expected a list)"
    ]


def test_bicep_text_that_makes_tree_sitter_quadratic_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """test_mutated_bicep_files: a corpus file with 2,000-deep JSON-style objects (`{"a":`) spliced in
    kept tree-sitter busy past the 60 s watchdog. Its error recovery is quadratic (and cannot be
    interrupted from inside), so files above PROBE_BYTES are parsed in a child process first, killed
    when they run out of time. The budget is lowered here; the real one is 10 s + 4 s per MiB."""
    from templategen.bicep import syntax

    monkeypatch.setattr(syntax, "PARSE_SECONDS", 0.5)
    monkeypatch.setattr(syntax, "PARSE_SECONDS_PER_MIB", 0.0)
    block = '{"a":' * 64 + "}" * 64 + "\n"
    text = "var x = [\n" + block * (256 * 1024 // len(block)) + "]\n"  # would take minutes to parse
    with pytest.raises(InputError) as raised:
        parse_bicep(text, "main.bicep")
    assert raised.value.message == (
        "the Bicep parser did not finish within 0.5 s (too many syntax errors to recover from); not read"
    )
    # the parser is still usable afterwards, and small files never go through the child process
    assert parse_bicep("param p string\n", "ok.bicep").errors == []


def test_bicep_loop_whose_collection_does_not_convert() -> None:
    """test_subprocess_runs: a byte flipped inside `range(0, numberOfInstances)` left unparsed text in
    a resource loop's collection; writing that resource's dependsOn converted the collection again and
    the Unconvertible escaped (lint: internal error, exit 70). It is reported once, at the loop."""
    text = (
        "resource a 'Microsoft.Storage/storageAccounts@2023-01-01' = [for i in range(0, num\"x): {\n"
        "  name: 'a${i}'\n"
        "}]\n"
    )
    document = parse_bicep(text, "main.bicep")
    assert [(loc.line, loc.column) for _, loc in document.errors] == [(1, 83)]
    assert [message for _, message in document.problems] == [
        "'num' is not declared in this file; read as a variable",
        "cannot convert unparsed text '\"x'",
    ]


def test_every_finding_is_one_line() -> None:
    """test_lint_mutated_files (on the rules of main): a line break inserted inside a parameters
    file's `$schema` string (lenient JSON keeps it) was quoted by a rule's message, which then took
    two lines. Whatever a rule quotes, a finding is one line."""
    from templategen.diagnostics import Diagnostic, Location

    finding = Diagnostic(
        "TG999", "x", "warning", "$schema 'https://a.\ncom/x\r\n#' is wrong", Location("p", 1, 1)
    )
    assert finding.message == "$schema 'https://a.\\ncom/x\\r\\n#' is wrong"
