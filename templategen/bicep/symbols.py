"""The declarations of a Bicep file, collected before anything is converted.

Bicep is order-independent: a resource may use a variable declared below it, a child may name its
parent declared later. So the converter first collects every declaration into a symbol table, then
converts on demand (a variable the first time it is used, a resource name each time another resource
points at it). Each symbol keeps the syntax nodes it needs; nothing here builds ARM values.

Nested resources (declared inside a parent's body) are symbols too, reachable as `parent::child` from
anywhere and by their bare name inside the parent's body.
"""

from __future__ import annotations

from templategen.bicep.syntax import children, field, first_named, literal_string, node_text, unwrap

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from templategen.bicep.syntax import Node


class Loop:
    """A `[for item in collection: body]` or `[for (item, index) in …: if (condition) body]`."""

    __slots__ = ("body", "collection", "condition", "index", "item", "node")

    def __init__(self, node: Node) -> None:
        self.node = node
        self.item: str | None = None
        self.index: str | None = None
        self.collection: Node | None = None
        self.condition: Node | None = None
        initializer = field(node, "initializer")
        if initializer is not None:
            self.item = node_text(initializer)
        params = first_named(node, "for_loop_parameters")
        if params is not None:
            item = first_named(params, "loop_variable")
            index = first_named(params, "loop_enumerator")
            self.item = node_text(item) if item is not None else None
            self.index = node_text(index) if index is not None else None
        seen_in = False
        for child in node.children:
            if child.type == "in" and not child.is_named:
                seen_in = True
            elif seen_in and child.is_named and not child.is_extra:
                self.collection = child
                break
        body = field(node, "body")
        if body is not None and body.type == "if_statement":
            condition = first_named(body, "parenthesized_expression")
            self.condition = unwrap(condition) if condition is not None else None
            body = _if_body(body)
        self.body: Node | None = body


def _if_body(node: Node) -> Node | None:
    """The value after `if (condition)`."""
    parts = children(node)
    return parts[1] if len(parts) > 1 else None


class Symbol:
    """A named declaration. `kind` is param, var, resource, module, output, func, type or import."""

    __slots__ = ("decorators", "kind", "name", "name_node", "node")

    def __init__(self, kind: str, name: str, node: Node, name_node: Node, decorators: list[Node]) -> None:
        self.kind = kind
        self.name = name
        self.node = node
        self.name_node = name_node
        self.decorators = decorators

    def decorator(self, name: str) -> Node | None:
        """The `decorator` node called `name` (`sys.` prefix allowed), or None."""
        for node in self.decorators:
            if decorator_name(node) == name:
                return node
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class ValueSymbol(Symbol):
    """param, var, output, metadata: a name, an optional type node and a value node."""

    __slots__ = ("copy_slot", "loop", "state", "type_node", "value")

    def __init__(
        self,
        kind: str,
        name: str,
        node: Node,
        name_node: Node,
        decorators: list[Node],
        type_node: Node | None,
        value: Node | None,
    ) -> None:
        super().__init__(kind, name, node, name_node, decorators)
        self.type_node = type_node
        self.value = value
        self.loop: Loop | None = Loop(value) if value is not None and value.type == "for_statement" else None
        #: a variable loop's position in `variables.copy` (assigned in declaration order)
        self.copy_slot = -1
        #: conversion state of a variable: None (not yet), "busy" (converting: a cycle), or the result
        self.state: object = None


class FuncSymbol(Symbol):
    __slots__ = ()


class ImportSymbol(Symbol):
    """A name a compile-time import brings in (`import {x} from 'f.bicep'`, `import * as ns from …`).
    What it stands for lives in another file (or a registry) and is not read: references to it are
    reported as not converted, never as undeclared."""

    __slots__ = ("source",)

    def __init__(self, name: str, node: Node, name_node: Node, source: str) -> None:
        super().__init__("import", name, node, name_node, [])
        self.source = source


class TypeSymbol(Symbol):
    __slots__ = ("type_node",)

    def __init__(
        self, name: str, node: Node, name_node: Node, decorators: list[Node], type_node: Node | None
    ):
        super().__init__("type", name, node, name_node, decorators)
        self.type_node = type_node


class DeploySymbol(Symbol):
    """What resources and modules share: a body, a loop, a condition, a scope, a place in `resources`."""

    __slots__ = ("body", "condition", "index", "loop", "pointer", "scope_node")

    def __init__(
        self, kind: str, name: str, node: Node, name_node: Node, decorators: list[Node], value: Node
    ):
        super().__init__(kind, name, node, name_node, decorators)
        self.loop: Loop | None = None
        self.condition: Node | None = None
        body: Node | None = value
        if value.type == "for_statement":
            self.loop = Loop(value)
            self.condition = self.loop.condition
            body = self.loop.body
        elif value.type == "if_statement":
            condition = first_named(value, "parenthesized_expression")
            self.condition = unwrap(condition) if condition is not None else None
            body = _if_body(value)
        self.body: Node | None = body if body is not None and body.type == "object" else None
        self.scope_node = self.member("scope")
        #: index in the converted `resources` array and its pointer (set when emitted)
        self.index = -1
        self.pointer = ""

    def member(self, name: str) -> Node | None:
        """The value node of a body property (`name`, `scope`, `parent`, …)."""
        found = self.member_property(name)
        if found is None:
            return None
        return property_value(found)

    def member_property(self, name: str) -> Node | None:
        if self.body is None:
            return None
        for prop in children(self.body):
            if prop.type == "object_property" and property_key(prop) == name:
                return prop
        return None

    @property
    def looped(self) -> bool:
        return self.loop is not None


class ResourceSymbol(DeploySymbol):
    """A `resource` declaration; nested ones have `lexical_parent` set.

    `type_written` is the type string without the `@version`; `full_type` resolves a nested child's
    relative type (`'extensions@…'` under a VM) and `parent:`; the converter fills it in.
    """

    __slots__ = (
        "api_version",
        "existing",
        "full_type",
        "lexical_parent",
        "nested",
        "parent",
        "parent_index",
        "type_node",
        "type_written",
    )

    def __init__(
        self,
        name: str,
        node: Node,
        name_node: Node,
        decorators: list[Node],
        value: Node,
        type_node: Node,
        existing: bool,
        lexical_parent: ResourceSymbol | None,
    ) -> None:
        super().__init__("resource", name, node, name_node, decorators, value)
        self.type_node = type_node
        self.existing = existing
        self.lexical_parent = lexical_parent
        if lexical_parent is not None and self.loop is None and lexical_parent.loop is not None:
            # a child declared inside a looped parent repeats with it
            self.loop = lexical_parent.loop
        written = literal_string(type_node) if type_node.type == "string" else None
        self.type_written: str | None = None
        self.api_version: str | None = None
        if written is not None:
            if "@" in written:
                self.type_written, self.api_version = written.rsplit("@", 1)
            else:
                self.type_written = written
        self.full_type: str | None = None
        self.parent: ResourceSymbol | None = None
        self.parent_index: Node | None = None
        self.nested: dict[str, ResourceSymbol] = {}


class ModuleSymbol(DeploySymbol):
    __slots__ = ("path_node",)

    def __init__(
        self, name: str, node: Node, name_node: Node, decorators: list[Node], value: Node, path_node: Node
    ) -> None:
        super().__init__("module", name, node, name_node, decorators, value)
        self.path_node = path_node


def decorator_name(node: Node) -> str:
    """`secure` for `@secure()` and `@sys.secure()`."""
    call = first_named(node, "call_expression")
    if call is None:
        target = first_named(node)
        return node_text(target) if target is not None else ""
    function = field(call, "function")
    if function is None:
        return ""
    if function.type == "member_expression":
        prop = field(function, "property")
        return node_text(prop) if prop is not None else ""
    return node_text(function)


def decorator_args(node: Node) -> list[Node]:
    call = first_named(node, "call_expression")
    if call is None:
        return []
    args = field(call, "arguments")
    return children(args) if args is not None else []


def property_key(prop: Node) -> str | None:
    """The key of an `object_property` as written (a plain identifier or a literal string)."""
    key = first_named(prop)
    if key is None:
        return None
    if key.type == "string":
        return literal_string(key)
    if key.type in ("resource_declaration", "ERROR"):
        return None
    return node_text(key)


def property_value(prop: Node) -> Node | None:
    """The value of an `object_property` (None for a nested resource declaration)."""
    parts = children(prop)
    if len(parts) < 2 or parts[0].type == "resource_declaration":
        return None
    return parts[-1]


class SymbolTable:
    """Every declaration of one file, in document order, plus what the file says about itself."""

    __slots__ = (
        "by_name",
        "deployed",
        "duplicates",
        "functions",
        "metadata",
        "modules",
        "outputs",
        "params",
        "resources",
        "skipped",
        "target_scope",
        "types",
        "vars",
    )

    def __init__(self) -> None:
        self.by_name: dict[str, Symbol] = {}
        self.params: list[ValueSymbol] = []
        self.vars: list[ValueSymbol] = []
        self.outputs: list[ValueSymbol] = []
        self.metadata: list[ValueSymbol] = []
        self.functions: list[FuncSymbol] = []
        self.types: dict[str, TypeSymbol] = {}
        #: every resource, nested ones right after their parent (document order)
        self.resources: list[ResourceSymbol] = []
        self.modules: list[ModuleSymbol] = []
        #: resources and modules together, in document order: the order of the `resources` array
        self.deployed: list[DeploySymbol] = []
        self.target_scope: Node | None = None
        #: declarations with a name another one already took
        self.duplicates: list[Symbol] = []
        #: statements read but not converted (imports, tests, asserts, …)
        self.skipped: list[Node] = []

    def add(self, symbol: Symbol) -> None:
        # outputs and metadata live in namespaces of their own: `metadata name = '…'` next to
        # `param name string` is how every Azure Verified Module starts, and it compiles
        own = {"output": self.outputs, "metadata": self.metadata}.get(symbol.kind)
        if own is not None:
            if any(other.name == symbol.name for other in own if other is not symbol):
                self.duplicates.append(symbol)
            return
        if symbol.name in self.by_name:
            self.duplicates.append(symbol)
            return
        self.by_name[symbol.name] = symbol

    def lookup(self, name: str) -> Symbol | None:
        return self.by_name.get(name)


def collect(root: Node) -> SymbolTable:
    """Read the top-level statements of a file (decorators attach to the declaration after them)."""
    table = SymbolTable()
    pending: list[Node] = []
    for node in root.children:
        kind = node.type
        if node.is_extra:
            continue
        if kind == "decorators":
            pending.extend(child for child in node.named_children if child.type == "decorator")
            continue
        decorators, pending = pending, []
        if kind == "parameter_declaration":
            _value_symbol(table, "param", node, decorators, table.params)
        elif kind == "variable_declaration":
            _value_symbol(table, "var", node, decorators, table.vars)
        elif kind == "output_declaration":
            _value_symbol(table, "output", node, decorators, table.outputs)
        elif kind == "metadata_declaration":
            _value_symbol(table, "metadata", node, decorators, table.metadata)
        elif kind == "resource_declaration":
            _resource_symbol(table, node, decorators, None)
        elif kind == "module_declaration":
            _module_symbol(table, node, decorators)
        elif kind == "user_defined_function":
            name_node = field(node, "name")
            if name_node is not None:
                function = FuncSymbol("func", node_text(name_node), node, name_node, decorators)
                table.functions.append(function)
                table.add(function)
        elif kind == "type_declaration":
            name_node = first_named(node, "identifier")
            if name_node is not None:
                parts = children(node)
                type_node = parts[-1] if len(parts) > 1 else None
                symbol = TypeSymbol(node_text(name_node), node, name_node, decorators, type_node)
                table.types[symbol.name] = symbol
                table.add(symbol)
        elif kind == "import_functionality":
            _import_symbols(table, node)
        elif kind == "target_scope_assignment":
            table.target_scope = first_named(node, "string") or first_named(node)
        elif kind == "ERROR":
            continue
        else:
            table.skipped.append(node)
    return table


def _import_symbols(table: SymbolTable, node: Node) -> None:
    """`import {a, b as c} from 'f'` declares a and c; `import * as ns from 'f'` declares ns."""
    source_node = first_named(node, "string")
    source = literal_string(source_node) if source_node is not None else None
    shown = f"'{source}'" if source is not None else "another file"
    tokens = node.children
    for position, child in enumerate(tokens):
        if child.type != "identifier":
            continue
        if position + 1 < len(tokens) and tokens[position + 1].type == "as":
            continue  # `b as c`: c is the name this file uses
        table.add(ImportSymbol(node_text(child), node, child, shown))


def _value_symbol(
    table: SymbolTable, kind: str, node: Node, decorators: list[Node], into: list[ValueSymbol]
) -> None:
    parts = children(node)
    if not parts or parts[0].type != "identifier":
        return
    name_node = parts[0]
    type_node: Node | None = None
    value: Node | None = None
    has_value = any(child.type == "=" and not child.is_named for child in node.children)
    rest = parts[1:]
    if (rest and rest[0].type == "type") or (kind == "output" and rest and rest[0].type == "string"):
        type_node = rest[0]
        rest = rest[1:]
    if has_value and rest:
        value = rest[-1]
    symbol = ValueSymbol(kind, node_text(name_node), node, name_node, decorators, type_node, value)
    into.append(symbol)
    table.add(symbol)


def _resource_symbol(
    table: SymbolTable, node: Node, decorators: list[Node], lexical_parent: ResourceSymbol | None
) -> ResourceSymbol | None:
    parts = children(node)
    if len(parts) < 3 or parts[0].type != "identifier":
        return None
    name_node, type_node, value = parts[0], parts[1], parts[-1]
    existing = any(child.type == "existing" and not child.is_named for child in node.children)
    symbol = ResourceSymbol(
        node_text(name_node), node, name_node, decorators, value, type_node, existing, lexical_parent
    )
    table.resources.append(symbol)
    table.deployed.append(symbol)
    if lexical_parent is None:
        table.add(symbol)
    elif symbol.name in lexical_parent.nested:
        table.duplicates.append(symbol)
    else:
        lexical_parent.nested[symbol.name] = symbol
    if symbol.body is not None:
        for prop in children(symbol.body):
            if prop.type != "object_property":
                continue
            inner = first_named(prop)
            if inner is not None and inner.type == "resource_declaration":
                _resource_symbol(table, inner, [], symbol)
    return symbol


def _module_symbol(table: SymbolTable, node: Node, decorators: list[Node]) -> None:
    parts = children(node)
    if len(parts) < 3 or parts[0].type != "identifier":
        return
    symbol = ModuleSymbol(node_text(parts[0]), node, parts[0], decorators, parts[-1], parts[1])
    table.modules.append(symbol)
    table.deployed.append(symbol)
    table.add(symbol)
