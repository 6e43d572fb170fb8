"""Fuzzing the expression language end to end: parser, template model and offline evaluator.

tests/arm/test_expressions.py already checks the parser on arbitrary text (round trip, valid error
spans). Here the parsed trees go further: random templates (tests/fuzz/armgen.py) whose every value
may be an expression from the real function catalogue, and real corpus templates with one expression
mutated, are built into the model and evaluated completely (every site, every resource instance,
every variable, parameter and output). Invariants: the model never raises (structure it cannot use is
a `problem`), the evaluator never raises (deploy-time errors and bounds are `problems`), every value
it returns can be printed with `describe`, and nothing hangs (the watchdog).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from templategen.arm.evaluate import Evaluator
from templategen.arm.expressions import ExpressionError, is_expression, parse_expression
from templategen.arm.names import join_pointer
from templategen.arm.template import Template, parameters_from_data, template_from_data
from templategen.arm.values import describe
from tests.fuzz import armgen
from tests.fuzz.fuzzkit import FUZZ, corpus_files, mutate, mutation_plans, tally, watchdog

PROBLEM_KINDS = {"error", "cycle", "bound"}


def evaluate_everything(model: Template, evaluator: Evaluator) -> None:
    """Ask the evaluator for every value a rule could ask for; print each with `describe`."""
    for nested in model.all_templates():
        for site in nested.expression_sites():
            for ev in evaluator.evaluators_for(nested):
                if not site.key:
                    describe(ev.evaluate(site.value, pointer=site.pointer))
        for ev in evaluator.evaluators_for(nested):
            for name in nested.parameters:
                describe(ev.parameter(name))
            for name in nested.variables:
                describe(ev.variable(name))
            for output in nested.outputs.values():
                describe(ev.output_value(output))
    for res in model.all_resources():
        for instance in evaluator.resource_instances(res):
            describe(instance.name)
            describe(instance.type)
            describe(instance.condition)
            describe(instance.get("properties"))
            describe(instance.get("location"))
        describe(evaluator.resource_count(res))
    for problem in evaluator.problems:
        assert problem.kind in PROBLEM_KINDS, problem
        assert len(problem.message.splitlines()) == 1, problem


def check_template(data: object, parameters: object = None) -> None:
    tally()
    with watchdog():
        model = template_from_data(data, "fuzz.json")
        for pointer, message in model.problems:
            assert isinstance(pointer, str) and len(message.splitlines()) == 1, (pointer, message)
        values = parameters_from_data(parameters, "fuzz.parameters.json") if parameters is not None else None
        evaluate_everything(model, Evaluator(model, values))


@FUZZ
@given(armgen.template(), st.none() | armgen.parameters_file())
def test_generated_templates_evaluate_without_exceptions(
    data: dict[str, object], parameters: dict[str, object] | None
) -> None:
    check_template(data, parameters)


@FUZZ
@given(armgen.EXPRESSIONS)
def test_generated_expressions_parse_back(tree: object) -> None:
    """Printing a generated tree and parsing it again gives the same tree, or a bounded error."""
    tally()
    text = armgen.expression_text(tree)  # type: ignore[arg-type]
    with watchdog():
        try:
            assert parse_expression(text) == tree
        except ExpressionError as error:
            assert 0 <= error.start <= error.end <= len(text)
            assert len(error.message.splitlines()) == 1


def _expression_pointers(data: object, pointer: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(data, str) and is_expression(data):
        found.append(pointer)
    elif isinstance(data, dict):
        for key, value in data.items():
            found.extend(_expression_pointers(value, join_pointer(pointer, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_expression_pointers(value, join_pointer(pointer, index)))
    return found


def _set(data: object, pointer: str, value: str) -> None:
    from templategen.arm.names import split_pointer

    tokens = split_pointer(pointer)
    node = data
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]  # type: ignore[index]
    if isinstance(node, list):
        node[int(tokens[-1])] = value
    else:
        node[tokens[-1]] = value  # type: ignore[index]


def _load_corpus() -> list[tuple[Path, object, list[str]]]:
    loaded = []
    for path in corpus_files(".json", 12_000, 7):
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except ValueError:
            continue
        if isinstance(data, dict) and "resources" in data:
            pointers = _expression_pointers(data)
            if pointers:
                loaded.append((path, data, pointers))
    return loaded


CORPUS = _load_corpus()


@pytest.mark.skipif(not CORPUS, reason="shared corpus not found")
@FUZZ
@given(st.data(), mutation_plans(max_size=3))
def test_corpus_templates_with_a_mutated_expression(data: st.DataObject, plan: list[object]) -> None:
    """A real template with one or two of its expressions mutated (tokens dropped or duplicated,
    quotes and brackets inserted, nesting deepened, text spliced from elsewhere in the file)."""
    _path, original, pointers = data.draw(st.sampled_from(CORPUS), "template")
    copy = json.loads(json.dumps(original))
    for _ in range(data.draw(st.integers(1, 2), "how many")):
        pointer = data.draw(st.sampled_from(pointers), "pointer")
        from templategen.arm.names import resolve_pointer

        value = resolve_pointer(copy, pointer)
        assert isinstance(value, str)
        mutated = mutate(value.encode(), plan, donor=json.dumps(original).encode())  # type: ignore[arg-type]
        _set(copy, pointer, mutated.decode("utf-8", "replace"))
    check_template(copy)
