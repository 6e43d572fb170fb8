"""Hostile input (issue 7): the evaluator answers unknown plus a "bound" problem, never hangs and
never raises RecursionError, whatever the template does.

No test here measures time: each input would run for minutes, hours or forever without its bound,
so finishing at all is the assertion.
"""

from __future__ import annotations

import sys
from typing import Any

from templategen.arm.evaluate import MAX_DEPTH, MAX_INSTANCES, Evaluator
from templategen.arm.values import MAX_STRING_LENGTH, Unknown, is_known

from .evalkit import evaluator, template


def _bounds(ev: Evaluator) -> list[str]:
    return [problem.message for problem in ev.problems if problem.kind == "bound"]


def test_a_long_chain_of_variables_stops_at_the_depth_bound() -> None:
    count = 3 * MAX_DEPTH
    variables: dict[str, Any] = {f"v{i}": f"[concat(variables('v{i + 1}'), 'x')]" for i in range(count)}
    variables[f"v{count}"] = "end"
    ev = evaluator(variables=variables)
    value = ev.variable("v0")
    assert isinstance(value, Unknown)
    assert any("nested deeper" in message for message in _bounds(ev))
    # the far end of the chain is fine on its own
    assert ev.variable(f"v{count - 5}") == "end" + "x" * 5


def test_recursive_user_function_stops() -> None:
    functions = [
        {
            "namespace": "f",
            "members": {
                "loop": {
                    "parameters": [{"name": "n", "type": "int"}],
                    "output": {"type": "int", "value": "[f.loop(add(parameters('n'), 1))]"},
                }
            },
        }
    ]
    ev = evaluator(functions=functions)
    assert isinstance(ev.evaluate("[f.loop(0)]"), Unknown)
    assert _bounds(ev)


def test_runaway_work_stops_at_the_step_budget() -> None:
    ev = evaluator()
    value = ev.evaluate(
        "[map(range(0, 10000), lambda('i', map(range(0, 10000), lambda('j', lambdaVariables('j')))))]"
    )
    assert isinstance(value, Unknown)
    assert any("steps" in message for message in _bounds(ev))


def test_the_budget_is_shared_and_later_evaluations_stay_cheap() -> None:
    ev = Evaluator(template(), max_steps=1_000)
    assert isinstance(
        ev.evaluate("[length(map(range(0, 5000), lambda('i', lambdaVariables('i'))))]"), Unknown
    )
    assert isinstance(ev.evaluate("[concat('a', 'b')]"), Unknown)  # nothing left: unknown, at once


def test_strings_doubling_past_the_size_bound() -> None:
    variables: dict[str, Any] = {"s0": "x" * 1024}
    for i in range(1, 14):  # 1 KiB doubled 13 times: 8 MiB
        variables[f"s{i}"] = f"[concat(variables('s{i - 1}'), variables('s{i - 1}'))]"
    ev = evaluator(variables=variables)
    assert ev.variable("s10") == "x" * (1024 << 10)  # 1 MiB: within the bound
    assert not is_known(ev.variable("s13"))
    assert any("1,048,576" in message for message in _bounds(ev))


def test_huge_padding_and_format_alignment() -> None:
    ev = evaluator()
    assert isinstance(ev.evaluate(f"[padLeft('a', {MAX_STRING_LENGTH * 100})]"), Unknown)
    assert isinstance(ev.evaluate("[format('{0,999999999}', 'a')]"), Unknown)
    assert isinstance(ev.evaluate("[range(0, 2147483647)]"), Unknown)


def test_deeply_nested_json_text() -> None:
    depth = 50_000
    ev = evaluator(variables={"text": "[" * depth + "]" * depth})  # a JSON string value, not an expression
    value = ev.evaluate("[json(variables('text'))]")
    assert isinstance(value, Unknown)
    assert _bounds(ev)


def test_deep_template_values() -> None:
    deep: Any = "leaf"
    for _ in range(5 * MAX_DEPTH):
        deep = {"a": [deep]}
    ev = evaluator(variables={"deep": deep})
    assert isinstance(ev.variable("deep"), Unknown)
    assert _bounds(ev)


def test_too_many_instances_are_evaluated_symbolically() -> None:
    outer = {"name": "outer", "count": 800}
    resources = [
        {
            "type": "Microsoft.Resources/deployments",
            "apiVersion": "2022-09-01",
            "name": "[concat('d', copyIndex())]",
            "copy": outer,
            "properties": {
                "mode": "Incremental",
                "expressionEvaluationOptions": {"scope": "outer"},
                "template": {
                    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                    "contentVersion": "1.0.0.0",
                    "resources": [
                        {
                            "type": "Microsoft.Storage/storageAccounts",
                            "apiVersion": "2023-01-01",
                            "name": "[concat('s', copyIndex('outer'), '-', copyIndex())]",
                            "copy": {"name": "inner", "count": 800},
                        }
                    ],
                },
            },
        }
    ]
    ev = evaluator(resources=resources)
    storage = ev.template.nested[0].resources[0]
    [instance] = ev.resource_instances(storage)  # 640,000 instances: one symbolic one instead
    assert instance.symbolic
    assert any(str(MAX_INSTANCES) in message for message in _bounds(ev))
    assert isinstance(ev.resource_count(storage), Unknown)


def test_copy_counts_beyond_every_limit() -> None:
    resources = [
        {
            "type": "Microsoft.Storage/storageAccounts",
            "name": "[concat('s', copyIndex())]",
            "copy": {"name": "l", "count": 10**18},
        }
    ]
    ev = evaluator(resources=resources)
    [instance] = ev.resource_instances(ev.template.resources[0])
    assert instance.symbolic


def test_no_recursion_error_even_with_a_low_interpreter_limit() -> None:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(250)
    try:
        variables: dict[str, Any] = {f"v{i}": f"[variables('v{i + 1}')]" for i in range(100)}
        variables["v100"] = "end"
        ev = evaluator(variables=variables)
        value = ev.variable("v0")
    finally:
        sys.setrecursionlimit(limit)
    assert value == "end" or isinstance(value, Unknown)
