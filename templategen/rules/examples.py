"""How a rule's documented examples become files the linter reads.

docs/rules.md shows each rule's failing and fixed example. Whole templates are noisy for rules about
one resource, so an example may be just the resource object (or a list of resources): it is then
linted inside the smallest template around it, which declares a `location` parameter when the
example uses one. The tests lint every example this way, so a documented example always does what
the documentation says: the failing one triggers its rule, the fixed one passes every rule.
"""

from __future__ import annotations

import json

from templategen.arm.template import classify

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def is_resource_fragment(text: str) -> bool:
    """True when a JSON example is a resource object or a list of them, not a whole file."""
    try:
        value = json.loads(text)
    except ValueError:
        return False
    if classify(value) is not None:
        return False
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(isinstance(item, dict) and "type" in item for item in items)


def example_file(text: str) -> str:
    """The text of the file to lint for a JSON example: the example itself, or a template around it."""
    if not is_resource_fragment(text):
        return text
    value = json.loads(text)
    template: dict[str, object] = {"$schema": SCHEMA, "contentVersion": "1.0.0.0"}
    if "parameters('location')" in text:
        template["parameters"] = {
            "location": {"type": "string", "defaultValue": "[resourceGroup().location]"}
        }
    template["resources"] = value if isinstance(value, list) else [value]
    return json.dumps(template, indent=2) + "\n"
