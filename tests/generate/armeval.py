"""Test helper: evaluate a generated ARM template into the concrete resources it would deploy.

Independent of the generator: it reads only the JSON. It understands the subset of the template
language that templategen emits (and the quickstart uses): `parameters`, `variables`, `format`,
`concat`, `resourceId`, `subscription`, `resourceGroup`, `copyIndex`, `length`, string and integer
literals, member access and indexing, `[[` escapes, conditions and copy loops. Anything else raises,
so a generator change that uses more of the language makes the tests fail loudly rather than pass.
"""

from __future__ import annotations

import re
from typing import Any

from tests.generate.deployment import CONTEXT, Context, resource_id

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),.\[\]]))"
)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None:
                if text[pos:].strip() == "":
                    break
                raise ValueError(f"cannot tokenize {text[pos:]!r}")
            kind = match.lastgroup
            assert kind is not None
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise ValueError(f"expected {value!r}, got {token!r}")
        self.index += 1
        return token

    def expression(self) -> Any:
        kind, value = self.take()
        if kind == "str":
            node: Any = ("str", value[1:-1].replace("''", "'"))
        elif kind == "num":
            node = ("int", int(value))
        elif kind == "name":
            self.take("(")
            args = []
            if self.peek() != ("punct", ")"):
                args.append(self.expression())
                while self.peek() == ("punct", ","):
                    self.take(",")
                    args.append(self.expression())
            self.take(")")
            node = ("call", value.lower(), args)
        else:
            raise ValueError(f"unexpected {value!r}")
        while self.peek() in (("punct", "."), ("punct", "[")):
            if self.take()[1] == ".":
                node = ("member", node, self.take()[1])
            else:
                index = self.expression()
                self.take("]")
                node = ("index", node, index)
        return node


def parse(text: str) -> Any:
    parser = _Parser(text)
    node = parser.expression()
    if parser.peek() is not None:
        raise ValueError(f"trailing input in {text!r}")
    return node


class ArmEvaluator:
    def __init__(self, template: dict[str, Any], values: dict[str, Any], context: Context = CONTEXT) -> None:
        self.template = template
        self.context = context
        self.copy_index: int | None = None
        self.params: dict[str, Any] = {}
        for name, definition in template.get("parameters", {}).items():
            if name in values:
                self.params[name] = values[name]
            elif "defaultValue" in definition:
                self.params[name] = self.value(definition["defaultValue"])
            else:
                raise KeyError(f"no value for parameter {name}")
        self.variables = {name: self.value(v) for name, v in template.get("variables", {}).items()}

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            if value.startswith("[["):
                return value[1:]
            if value.startswith("[") and value.endswith("]"):
                return self.evaluate(parse(value[1:-1]))
            return value
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def evaluate(self, node: Any) -> Any:
        kind = node[0]
        if kind in ("str", "int"):
            return node[1]
        if kind == "member":
            target = self.evaluate(node[1])
            return target[node[2]]
        if kind == "index":
            return self.evaluate(node[1])[self.evaluate(node[2])]
        name, args = node[1], [self.evaluate(a) for a in node[2]]
        if name == "parameters":
            return self.params[args[0]]
        if name == "variables":
            return self.variables[args[0]]
        if name == "format":
            return re.sub(r"\{(\d+)\}", lambda m: str(args[1 + int(m.group(1))]), args[0])
        if name == "concat":
            return "".join(str(a) for a in args)
        if name == "length":
            return len(args[0])
        if name == "copyindex":
            assert self.copy_index is not None, "copyIndex() outside a copy loop"
            return self.copy_index + (args[0] if args else 0)
        if name == "subscription":
            return {
                "subscriptionId": self.context.subscription_id,
                "id": f"/subscriptions/{self.context.subscription_id}",
            }
        if name == "resourcegroup":
            return {"name": self.context.resource_group, "location": self.context.location}
        if name == "resourceid":
            return _resource_id(args, self.context)
        raise ValueError(f"function {name}() is not understood by the test evaluator")


def _resource_id(args: list[Any], context: Context) -> str:
    type_index = next(
        i for i, a in enumerate(args) if isinstance(a, str) and "/" in a and "." in a.split("/")[0]
    )
    scope = args[:type_index]
    subscription = scope[0] if len(scope) == 2 else context.subscription_id
    group = scope[-1] if scope else context.resource_group
    return resource_id(subscription, group, args[type_index], [str(a) for a in args[type_index + 1 :]])


def deployed_resources(template: dict[str, Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    """The resources `template` deploys with parameter `values`, child resources flattened, each as
    {type, apiVersion, name, condition, location, tags, sku, properties, dependsOn (resource ids)}."""
    evaluator = ArmEvaluator(template, values)
    found: list[dict[str, Any]] = []
    for resource in template["resources"]:
        _collect(evaluator, resource, None, found)
    return sorted(found, key=lambda r: (r["type"], r["name"]))


def _collect(
    ev: ArmEvaluator, resource: dict[str, Any], parent: dict[str, Any] | None, out: list[dict[str, Any]]
) -> None:
    copy = resource.get("copy")
    indices = range(ev.value(copy["count"])) if copy else [None]
    for index in indices:
        ev.copy_index = index
        condition = bool(ev.value(resource["condition"])) if "condition" in resource else True
        rtype = resource["type"] if parent is None else f"{parent['type']}/{resource['type']}"
        name = ev.value(resource["name"])
        if parent is not None:
            name = f"{parent['name']}/{name}"
        depends = sorted(_as_id(ev.value(d), ev.context) for d in resource.get("dependsOn", []))
        entry = {
            "type": rtype,
            "apiVersion": resource["apiVersion"],
            "name": name,
            "condition": condition,
            "loop": copy is not None,
            "location": ev.value(resource.get("location")),
            "tags": ev.value(resource.get("tags")),
            "sku": ev.value(resource.get("sku")),
            "properties": ev.value(resource.get("properties")),
            "dependsOn": depends,
        }
        out.append(entry)
        for child in resource.get("resources", []):
            _collect(ev, child, entry, out)
        ev.copy_index = None


def _as_id(value: str, context: Context) -> str:
    if value.startswith("/subscriptions/"):
        return value
    raise ValueError(f"dependsOn entry {value!r} is not a resource id")
