"""Test helper: read a Bicep file with tree-sitter-bicep and evaluate the resources it would deploy.

Written from the syntax tree alone (no templategen code), so comparing its result with
`armeval.deployed_resources` of the JSON from the same input shows that both outputs declare the
same resources: type@apiVersion, full names, conditions, loops, properties and dependencies
(explicit `dependsOn`, `parent`, nesting, and references to other resources' `.id`).
It understands the subset of Bicep templategen emits and the quickstart's main.bicep uses; anything
else raises.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from tests.generate.deployment import CONTEXT, Context, resource_id


@functools.cache
def _parser() -> Any:
    import tree_sitter_bicep
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_bicep.language()))


def parse(text: str) -> Any:
    """The tree-sitter tree of `text`."""
    return _parser().parse(text.encode("utf-8"))


def syntax_problems(tree: Any) -> list[str]:
    """Every ERROR or MISSING node, as `line:col type`; empty when the file parsed cleanly."""
    problems: list[str] = []

    def visit(node: Any) -> None:
        if node.type == "ERROR" or node.is_missing:
            row, col = node.start_point
            problems.append(f"{row + 1}:{col + 1} {'missing ' if node.is_missing else ''}{node.type}")
        for child in node.children:
            visit(child)

    visit(tree.root_node)
    return problems


_ESCAPE = re.compile(r"\\(u\{([0-9A-Fa-f]+)\}|.)", re.S)
_SIMPLE = {"\\": "\\", "'": "'", "n": "\n", "r": "\r", "t": "\t", "$": "$"}


def unescape(raw: str) -> str:
    """Decode the escapes of a Bicep string segment (independent of templategen's encoder)."""

    def replace(match: re.Match[str]) -> str:
        if match.group(2) is not None:
            return chr(int(match.group(2), 16))
        char = match.group(1)
        if char not in _SIMPLE:
            raise ValueError(f"unknown escape \\{char}")
        return _SIMPLE[char]

    return _ESCAPE.sub(replace, raw)


@dataclass
class ResourceDecl:
    symbol: str
    type: str
    api_version: str
    existing: bool
    condition: Any  # node or None
    loop: tuple[str, Any] | None  # (item variable, iterable node)
    body: Any  # object node
    parent_decl: ResourceDecl | None = None  # enclosing declaration for nested resources
    children: list[ResourceDecl] = field(default_factory=list)


@dataclass
class BicepFile:
    text: str
    params: dict[str, tuple[str, Any, list[str]]]  # name -> (type, default node or None, decorators)
    variables: dict[str, Any]
    resources: dict[str, ResourceDecl]

    def source(self, node: Any) -> str:
        return self.text.encode("utf-8")[node.start_byte : node.end_byte].decode("utf-8")


def read(text: str) -> BicepFile:
    """Declarations of a Bicep file; raises if tree-sitter reports a syntax problem."""
    tree = parse(text)
    problems = syntax_problems(tree)
    if problems:
        raise ValueError(f"Bicep syntax problems: {problems}")
    bicep = BicepFile(text, {}, {}, {})
    decorators: list[str] = []
    for node in tree.root_node.named_children:
        if node.type == "decorators":
            decorators = [bicep.source(d) for d in node.named_children]
            continue
        if node.type == "parameter_declaration":
            names = [c for c in node.named_children if c.type == "identifier"]
            type_node = next(c for c in node.named_children if c.type == "type")
            rest = [c for c in node.named_children if c.type not in ("identifier", "type")]
            bicep.params[bicep.source(names[0])] = (
                bicep.source(type_node),
                rest[0] if rest else None,
                decorators,
            )
        elif node.type == "variable_declaration":
            name = next(c for c in node.named_children if c.type == "identifier")
            bicep.variables[bicep.source(name)] = node.named_children[-1]
        elif node.type == "resource_declaration":
            _resource(bicep, node, None)
        elif node.type != "comment":
            raise ValueError(f"unexpected top-level {node.type}")
        decorators = []
    return bicep


def _resource(bicep: BicepFile, node: Any, parent: ResourceDecl | None) -> ResourceDecl:
    symbol = bicep.source(next(c for c in node.named_children if c.type == "identifier"))
    type_node = next(c for c in node.named_children if c.type == "string")
    type_text, _, api = unescape(bicep.source(type_node)[1:-1]).partition("@")
    existing = any(c.type == "existing" for c in node.children)
    value = node.named_children[-1]
    condition = loop = None
    if value.type == "if_statement":
        condition = value.named_children[0]
        value = value.named_children[-1]
    elif value.type == "for_statement":
        ids = [c for c in value.named_children if c.type == "identifier"]
        loop = (bicep.source(ids[0]), value.named_children[-2])
        value = value.named_children[-1]
    if value.type != "object":
        raise ValueError(f"resource {symbol}: unexpected body {value.type}")
    full_type = type_text if parent is None else f"{parent.type}/{type_text}"
    decl = ResourceDecl(
        symbol, full_type, api or (parent.api_version if parent else ""), existing, condition, loop, value
    )
    decl.parent_decl = parent
    if symbol in bicep.resources:
        raise ValueError(f"duplicate resource symbol {symbol}")
    bicep.resources[symbol] = decl
    for prop in value.named_children:
        if prop.type == "object_property" and prop.named_children[0].type == "resource_declaration":
            decl.children.append(_resource(bicep, prop.named_children[0], decl))
    return decl


class _ResourceRef:
    def __init__(self, decl: ResourceDecl) -> None:
        self.decl = decl


class BicepEvaluator:
    def __init__(self, bicep: BicepFile, values: dict[str, Any], context: Context = CONTEXT) -> None:
        self.bicep = bicep
        self.context = context
        self.params: dict[str, Any] = {}
        self.referenced: set[str] = set()
        for name, (_type, default, _decorators) in bicep.params.items():
            if name in values:
                self.params[name] = values[name]
            elif default is not None:
                self.params[name] = self.evaluate(default, {})
            else:
                raise KeyError(f"no value for parameter {name}")
        self.variables = {name: self.evaluate(node, {}) for name, node in bicep.variables.items()}

    def evaluate(self, node: Any, scope: dict[str, Any]) -> Any:
        kind = node.type
        src = self.bicep.source
        if kind == "string":
            return self._string(node, scope)
        if kind == "number":
            return int(src(node))
        if kind == "boolean":
            return src(node) == "true"
        if kind == "null":
            return None
        if kind == "identifier":
            name = src(node)
            if name in scope:
                return scope[name]
            if name in self.params:
                return self.params[name]
            if name in self.variables:
                return self.variables[name]
            if name in self.bicep.resources:
                self.referenced.add(name)
                return _ResourceRef(self.bicep.resources[name])
            raise KeyError(f"unknown identifier {name}")
        if kind == "parenthesized_expression":
            return self.evaluate(node.named_children[0], scope)
        if kind == "array":
            return [self.evaluate(child, scope) for child in node.named_children]
        if kind == "object":
            result: dict[str, Any] = {}
            for prop in node.named_children:
                if prop.type != "object_property" or prop.named_children[0].type == "resource_declaration":
                    continue
                key_node, value_node = prop.named_children[0], prop.named_children[-1]
                key = self._string(key_node, scope) if key_node.type == "string" else src(key_node)
                result[key] = self.evaluate(value_node, scope)
            return result
        if kind == "member_expression":
            target = self.evaluate(node.named_children[0], scope)
            member = src(node.named_children[-1])
            if isinstance(target, _ResourceRef):
                if member == "id":
                    return self.resource_id_of(target.decl, scope)
                if member == "name":
                    return self.full_name(target.decl, scope)
                raise ValueError(f"resource property .{member} is not understood by the test evaluator")
            return target[member]
        if kind == "subscript_expression":
            target, index = node.named_children[0], node.named_children[-1]
            return self.evaluate(target, scope)[self.evaluate(index, scope)]
        if kind == "call_expression":
            name = src(node.named_children[0])
            args_node = node.named_children[-1]
            args = [self.evaluate(a, scope) for a in args_node.named_children]
            if name == "resourceGroup" and not args:
                return {"name": self.context.resource_group, "location": self.context.location}
            if name == "subscription" and not args:
                return {"subscriptionId": self.context.subscription_id}
            if name == "resourceId":
                type_index = next(i for i, a in enumerate(args) if isinstance(a, str) and "/" in a)
                scope_args = args[:type_index]
                sub = scope_args[0] if len(scope_args) == 2 else self.context.subscription_id
                group = scope_args[-1] if scope_args else self.context.resource_group
                return resource_id(sub, group, args[type_index], [str(a) for a in args[type_index + 1 :]])
            if name == "length":
                return len(args[0])
            raise ValueError(f"function {name}() is not understood by the test evaluator")
        raise ValueError(f"expression {kind} is not understood by the test evaluator")

    def _string(self, node: Any, scope: dict[str, Any]) -> str:
        """Literal segments are decoded from the source between interpolations (tree-sitter-bicep
        does not expose every escape as a node), interpolations are evaluated."""
        raw = self.bicep.text.encode("utf-8")
        start, end = node.start_byte + 1, node.end_byte - 1
        parts: list[str] = []
        cursor = start
        for child in node.named_children:
            if child.type != "interpolation":
                continue
            parts.append(unescape(raw[cursor : child.start_byte].decode("utf-8")))
            parts.append(str(self.evaluate(child.named_children[0], scope)))
            cursor = child.end_byte
        parts.append(unescape(raw[cursor:end].decode("utf-8")))
        return "".join(parts)

    def _property(self, decl: ResourceDecl, key: str) -> Any:
        for prop in decl.body.named_children:
            if prop.type == "object_property" and self.bicep.source(prop.named_children[0]) == key:
                return prop.named_children[-1]
        return None

    def full_name(self, decl: ResourceDecl, scope: dict[str, Any]) -> str:
        name = self.evaluate(self._property(decl, "name"), scope)
        parent = decl.parent_decl
        parent_node = self._property(decl, "parent")
        if parent_node is not None:
            parent = self.bicep.resources[self.bicep.source(parent_node)]
        return name if parent is None else f"{self.full_name(parent, {})}/{name}"

    def resource_id_of(self, decl: ResourceDecl, scope: dict[str, Any]) -> str:
        names = self.full_name(decl, scope).split("/")
        return resource_id(self.context.subscription_id, self.context.resource_group, decl.type, names)


def deployed_resources(bicep: BicepFile, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The resources the Bicep file deploys (not `existing` ones), in the shape of
    `armeval.deployed_resources`, with dependencies made explicit as resource ids."""
    ev = BicepEvaluator(bicep, values)
    found: list[dict[str, Any]] = []
    for decl in bicep.resources.values():
        if decl.existing:
            continue
        items: list[Any] = [None]
        if decl.loop is not None:
            items = list(ev.evaluate(decl.loop[1], {}))
        for item in items:
            scope = {decl.loop[0]: item} if decl.loop is not None else {}
            ev.referenced = set()
            condition = bool(ev.evaluate(decl.condition, scope)) if decl.condition is not None else True
            body = ev.evaluate(decl.body, scope)
            deps: set[str] = set(ev.referenced)
            # `dependsOn: [x]` and `parent: x` were recorded in `referenced` while evaluating the body.
            body.pop("dependsOn", None)
            body.pop("parent", None)
            if decl.parent_decl is not None:
                deps.add(decl.parent_decl.symbol)
            deps.discard(decl.symbol)
            ids = sorted(
                ev.resource_id_of(bicep.resources[s], {}) for s in deps if not bicep.resources[s].existing
            )
            found.append(
                {
                    "type": decl.type,
                    "apiVersion": decl.api_version,
                    "name": ev.full_name(decl, scope),
                    "condition": condition,
                    "loop": decl.loop is not None,
                    "location": body.get("location"),
                    "tags": body.get("tags"),
                    "sku": body.get("sku"),
                    "properties": body.get("properties"),
                    "dependsOn": ids,
                }
            )
    return sorted(found, key=lambda r: (r["type"], r["name"]))
