"""Helpers for the evaluation tests: small templates built from plain data, evaluated for real.

Every test goes through the real model (`template_from_data`) and the real evaluator; nothing is
mocked. `run("[expr]", parameters=..., variables=...)` evaluates one expression in a template that
declares what the test needs.
"""

from __future__ import annotations

from typing import Any

from templategen.arm.evaluate import Evaluator
from templategen.arm.template import Template, parameters_from_data, template_from_data

RG_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
SUB_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
TENANT_SCHEMA = "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#"
MG_SCHEMA = "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#"
PARAMS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"


def template(
    *,
    parameters: dict[str, Any] | None = None,
    variables: dict[str, Any] | None = None,
    resources: list[Any] | None = None,
    functions: list[Any] | None = None,
    outputs: dict[str, Any] | None = None,
    schema: str = RG_SCHEMA,
) -> Template:
    data: dict[str, Any] = {"$schema": schema, "contentVersion": "1.0.0.0", "resources": resources or []}
    if parameters is not None:
        data["parameters"] = parameters
    if variables is not None:
        data["variables"] = variables
    if functions is not None:
        data["functions"] = functions
    if outputs is not None:
        data["outputs"] = outputs
    return template_from_data(data, "test.json")


def evaluator(values: dict[str, Any] | None = None, **parts: Any) -> Evaluator:
    """An evaluator for a template built from `parts`; `values` is a parameters file's parameters."""
    model = template(**parts)
    if values is None:
        return Evaluator(model)
    parameters_file = parameters_from_data(
        {"$schema": PARAMS_SCHEMA, "contentVersion": "1.0.0.0", "parameters": values}, "test.parameters.json"
    )
    return Evaluator(model, parameters_file)


def run(expression: str, **parts: Any) -> object:
    """Evaluate one expression string (with its brackets) in a template built from `parts`."""
    return evaluator(**parts).evaluate(expression, pointer="/test")


def defaults(**values: Any) -> dict[str, Any]:
    """Parameter declarations with these defaults (types taken from the Python values)."""
    declared: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, bool):
            kind = "bool"
        elif isinstance(value, int):
            kind = "int"
        elif isinstance(value, list):
            kind = "array"
        elif isinstance(value, dict):
            kind = "object"
        else:
            kind = "string"
        declared[name] = {"type": kind, "defaultValue": value}
    return declared
