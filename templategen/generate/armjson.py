"""Build ARM JSON as Python values and serialise it with `json`, never with string templates.

Template builders put `Expr("parameters('x')")` wherever ARM must evaluate something and plain
strings everywhere else. `to_arm` then turns each `Expr` into `"[...]"` and escapes every literal
string that ARM would otherwise mistake for an expression (a value that starts with `[` and ends
with `]` is written `[[...]`), so no user-supplied text can ever become an expression.
"""

from __future__ import annotations

import json

DEPLOYMENT_TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
DEPLOYMENT_PARAMETERS_SCHEMA = (
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"
)
CONTENT_VERSION = "1.0.0.0"


class Expr:
    """An ARM template expression, written without the surrounding brackets."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Expr({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expr) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class Ref(Expr):
    """`parameters('name')` or `variables('name')`: the one kind of expression that Bicep writes as a
    bare name, so property values built from Refs serve both the ARM and the Bicep output."""

    __slots__ = ("name",)

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.name = name


def string_literal(value: str) -> str:
    """`value` as a string literal inside an ARM expression: single quotes, `'` doubled."""
    return "'" + value.replace("'", "''") + "'"


def param(name: str) -> Ref:
    return Ref(f"parameters({string_literal(name)})", name)


def var(name: str) -> Ref:
    return Ref(f"variables({string_literal(name)})", name)


def escape_literal(value: str) -> str:
    """A literal string as ARM must see it: `[x]` would be evaluated, so it becomes `[[x]`."""
    if value.startswith("[") and value.endswith("]"):
        return "[" + value
    return value


def to_arm(value: object) -> object:
    """Replace every Expr by its bracketed form and escape literal strings, recursively."""
    if isinstance(value, Expr):
        return f"[{value.text}]"
    if isinstance(value, str):
        return escape_literal(value)
    if isinstance(value, dict):
        return {str(key): to_arm(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_arm(item) for item in value]
    return value


def dumps(value: object) -> str:
    """Serialise a template or parameters file: 2-space indent, UTF-8 text, one final newline.

    Key order is the builders' insertion order (the conventional ARM order), never sorted, so the
    output reads like a hand-written template and is byte-for-byte reproducible.
    """
    return json.dumps(to_arm(value), indent=2, ensure_ascii=False) + "\n"
