"""Bicep expressions → ARM: JSON values with expression strings, the way the Bicep compiler writes them.

Two shapes come out, depending on where a Bicep expression sits:

* in a *value position* (a property value, an array element, a variable): a JSON value. Objects and
  arrays stay JSON objects and arrays, literal strings stay strings (escaped as `[[…]` when they look
  like an expression), and anything computed becomes an expression string `"[…]"`;
* inside an expression (a function argument, an operand): ARM expression source, e.g.
  `format('{0}-vm', parameters('prefix'))`, with literal objects and arrays as `createObject(…)` /
  `createArray(…)`.

Symbols resolve as the compiler resolves them: a parameter to `parameters('x')`, a variable to
`variables('x')` (or its inlined value when it reads runtime state, which ARM forbids in `variables`),
a loop variable to `collection[copyIndex()]`, a resource's `.id` to `resourceId(type, name segments…)`
(`subscriptionResourceId`, `tenantResourceId`, `extensionResourceId` by scope), `.name` to its full name,
`.type` / `.apiVersion` to literals, `.properties.x` to `reference(id, apiVersion).x`, any other member
(`.location`, `.tags`, `.identity`…) to `reference(id, apiVersion, 'full').x`, and a module's
`outputs.x` to `reference(deploymentId, apiVersion).outputs.x.value`. References to resources and
modules are recorded while a resource body is converted: they are the implicit `dependsOn`.

What cannot be converted raises `Unconvertible`; the caller drops the smallest enclosing member and
records a problem (never a crash).
"""

from __future__ import annotations

import re

from templategen.arm.names import as_argument, quote, write_literal
from templategen.bicep.reassociate import Fixer
from templategen.bicep.references import (
    RESOURCE_GROUP,
    access,
    module_name,
    module_reference,
    reference,
    resource_member,
    resource_method,
)
from templategen.bicep.symbols import (
    DeploySymbol,
    FuncSymbol,
    ImportSymbol,
    Loop,
    ModuleSymbol,
    ResourceSymbol,
    ValueSymbol,
    property_value,
)
from templategen.bicep.syntax import (
    Unconvertible,
    children,
    field,
    first_named,
    node_text,
    spread_item,
    spread_property,
    string_parts,
    unwrap,
)

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from tree_sitter import Tree

    from templategen.bicep.source import Source, SpanTable
    from templategen.bicep.symbols import Symbol, SymbolTable
    from templategen.bicep.syntax import Node
    from templategen.diagnostics import Location

    Env = dict[str, str]

#: deepest nesting of values and expressions converted; real files stay below 30
MAX_DEPTH = 100

_BINARY = {
    "+": "add",
    "-": "sub",
    "*": "mul",
    "/": "div",
    "%": "mod",
    "==": "equals",
    "<": "less",
    "<=": "lessOrEquals",
    ">": "greater",
    ">=": "greaterOrEquals",
    "&&": "and",
    "||": "or",
    "??": "coalesce",
}
_FLATTENED = frozenset({"&&", "||", "??"})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NAMESPACES = frozenset({"az", "sys"})
#: node types whose shape `reassociate.Fixer` may have to correct
_MAY_NEED_FIX = frozenset(
    {
        "member_expression",
        "subscript_expression",
        "resource_expression",
        "call_expression",
        "binary_expression",
        "ternary_expression",
    }
)


class VariableResult:
    """A converted variable: its JSON value, its inlined expression (set when it reads runtime state),
    and the resources and modules it refers to (they become dependencies where it is used)."""

    __slots__ = ("deps", "inline", "value")

    def __init__(self, value: object, inline: str | None, deps: list[Dependency]) -> None:
        self.value = value
        self.inline = inline
        self.deps = deps


class Dependency:
    """A reference to a resource or module: the symbol, the index expression (`r[i]`), the node
    that refers to it and the Source of that node."""

    __slots__ = ("index", "node", "source", "symbol")

    def __init__(self, symbol: DeploySymbol, index: str | None, node: Node, source: Source) -> None:
        self.symbol = symbol
        self.index = index
        self.node = node
        self.source = source


class Emitter:
    """Converts expressions of one Bicep file; `templategen.bicep.convert.Converter` adds the sections."""

    def __init__(
        self,
        source: Source,
        spans: SpanTable,
        table: SymbolTable,
        problems: list[tuple[Location, str]],
        directory: str | None,
    ) -> None:
        self.source = source
        self.spans = spans
        self.table = table
        self.problems = problems
        self.directory = directory
        #: files outside this folder are never read (templategen/bicep/paths.py)
        self.project_root: str | None = None
        self.target_scope = RESOURCE_GROUP
        #: references to resources and modules met since the current resource body started, or None
        self.deps: list[Dependency] | None = None
        #: how many runtime reads (`reference`, `list*`, module outputs) were written so far
        self.runtime = 0
        #: how deep `value` / `expr` are nested now (bounded: hostile input must not exhaust the stack)
        self.depth = 0
        #: nested resources visible by bare name (innermost last), while converting a parent body
        self.nested_scopes: list[dict[str, ResourceSymbol]] = []
        #: trees of re-parsed snippets, kept alive while their nodes are in use
        self._trees: list[Tree] = []

    # -- bookkeeping --------------------------------------------------------------------------------

    def problem(self, node: Node, message: str) -> None:
        self.problems.append((self.source.node_location(node), message))

    def report(self, error: Unconvertible) -> None:
        location = error.location or self.source.node_location(error.node)
        self.problems.append((location, error.message))

    def variable_result(self, symbol: ValueSymbol) -> VariableResult:
        """Convert a variable (once); `Converter` implements it."""
        raise NotImplementedError

    def lookup(self, name: str) -> Symbol | None:
        for scope in reversed(self.nested_scopes):
            found = scope.get(name)
            if found is not None:
                return found
        return self.table.lookup(name)

    def record(self, symbol: DeploySymbol, index: str | None, node: Node) -> None:
        if self.deps is not None:
            self.deps.append(Dependency(symbol, index, node, self.source))

    # -- value positions ----------------------------------------------------------------------------

    def value(self, node: Node, env: Env, pointer: str) -> object:
        """A JSON value for `node`, its span recorded at `pointer`."""
        if self.depth >= MAX_DEPTH:
            raise Unconvertible(node, f"nested more than {MAX_DEPTH} levels deep")
        self.depth += 1
        try:
            return self._value(node, env, pointer)
        finally:
            self.depth -= 1

    def _value(self, node: Node, env: Env, pointer: str) -> object:
        self.spans.value(pointer, self.source, node)
        node = unwrap(node)
        kind = node.type
        if kind == "string":
            parts = string_parts(node)
            if all(isinstance(part, str) for part in parts):
                return write_literal("".join(part for part in parts if isinstance(part, str)))
            return "[" + self.interpolate(parts, env) + "]"
        if kind == "number":
            return self.number(node)
        if kind == "boolean":
            return node_text(node) == "true"
        if kind == "null":
            return None
        if kind == "object":
            if self.first_spread(node) is not None:
                return "[" + self._object(node, env) + "]"
            return self.object_value(node, env, pointer)
        if kind == "array":
            if any(spread_item(item, self.source.data, self.source.delta) for item in children(node)):
                return "[" + self._array(node, env) + "]"
            items: list[object] = []
            saved = self.source
            for element, source in self.elements(node):
                self.source = source
                try:
                    items.append(self.value(element, env, f"{pointer}/{len(items)}"))
                except Unconvertible as error:
                    self.report(error)
                finally:
                    self.source = saved
            return items
        if kind == "call_expression":
            loaded = self.load_function(node)
            if loaded is not None:
                return _escape_literals(loaded[0])
            argument = _any_argument(node)
            if argument is not None:  # `any(x)` only silences the type checker
                return self.value(argument, env, pointer)
        converted = self.expr(node, env)
        literal = _string_literal(converted)
        if literal is not None:  # `child.name` of a literal name, `'${'x'}'`: a plain string
            return write_literal(literal)
        return "[" + converted + "]"

    def elements(self, node: Node) -> list[tuple[Node, Source]]:
        """The elements of an array, each with the Source its offsets belong to.

        tree-sitter-bicep splits some elements of a multi-line array in two: `nic[i]` comes out as
        the identifier `nic` and the array `[i]`, `uri(a, b)` as `uri` and `(a, b)`. Bicep needs a line
        break or a comma between elements, so pieces that touch are one element: their text is
        parsed again on its own (`var _ = …`) and read from that tree.
        """
        items = children(node)
        result: list[tuple[Node, Source]] = []
        data = self.source.data
        delta = self.source.delta
        position = 0
        while position < len(items):
            last = position
            while last + 1 < len(items):
                current, following = items[last], items[last + 1]
                gap = data[current.end_byte + delta : following.start_byte + delta]
                opener = data[following.start_byte + delta : following.start_byte + delta + 1]
                if gap.strip(b" \t") or opener not in (b"(", b"["):
                    break
                last += 1
            if last == position:
                result.append((items[position], self.source))
            else:
                repaired = self.reparse(items[position].start_byte, items[last].end_byte)
                if repaired is None:
                    result.extend((item, self.source) for item in items[position : last + 1])
                else:
                    result.append(repaired)
            position = last + 1
        return result

    def reparse(self, start: int, end: int) -> tuple[Node, Source] | None:
        """Parse the source between two offsets as an expression of its own."""
        from templategen.bicep.syntax import ParseBudgetExceeded, parse_tree

        prefix = b"var _ = "
        delta = self.source.delta
        snippet = self.source.data[start + delta : end + delta]
        try:
            tree = parse_tree(prefix + snippet)
        except ParseBudgetExceeded:
            return None
        declaration = first_named(tree.root_node, "variable_declaration")
        if tree.root_node.has_error or declaration is None:
            return None
        value = children(declaration)[-1]
        self._trees.append(tree)
        return value, self.source.shifted(delta + start - len(prefix))

    def template_string(self, node: Node, env: Env) -> str:
        """A template string (literal or `[expression]`) for `node`, nothing recorded."""
        inner = unwrap(node)
        if inner.type == "string":
            parts = string_parts(inner)
            if all(isinstance(part, str) for part in parts):
                return write_literal("".join(part for part in parts if isinstance(part, str)))
        return "[" + self.expr(node, env) + "]"

    def number(self, node: Node) -> int:
        try:
            return int(node_text(node))
        except ValueError:
            raise Unconvertible(node, f"not an integer: {node_text(node)!r}") from None

    def key_of(self, key_node: Node, env: Env) -> str:
        """An object key: an identifier or literal string as written, an interpolated one as `[format(…)]`."""
        if key_node.type == "string":
            return self.template_string(key_node, env)
        return node_text(key_node)

    def object_value(self, node: Node, env: Env, pointer: str) -> dict[str, object]:
        result: dict[str, object] = {}
        loops: list[tuple[str, Node, Node]] = []
        for prop in children(node):
            if prop.type != "object_property":
                self.problem(prop, f"cannot convert {_describe(prop)} in an object")
                continue
            key_node = first_named(prop)
            value_node = property_value(prop)
            if key_node is None or value_node is None:
                continue  # a nested resource declaration: converted as a resource of its own
            try:
                key = self.key_of(key_node, env)
            except Unconvertible as error:
                self.report(error)
                continue
            member = pointer + "/" + _escape(key)
            self.spans.key(member, self.source, key_node)
            if unwrap(value_node).type == "for_statement":
                self.spans.value(member, self.source, value_node)
                loops.append((key, key_node, unwrap(value_node)))
                continue
            try:
                converted = self.value(value_node, env, member)
            except Unconvertible as error:
                self.report(error)
                continue
            if key in result:
                self.problem(key_node, f"property '{key}' is given twice; the last one wins")
            result[key] = converted
        if loops:
            if "copy" in result:
                self.problem(node, "an object with a property named 'copy' cannot also hold a property loop")
            else:
                copies: list[object] = []
                for key, key_node, loop_node in loops:
                    entry = self.property_loop(key, key_node, loop_node, env, f"{pointer}/copy/{len(copies)}")
                    if entry is not None:
                        copies.append(entry)
                result["copy"] = copies
        return result

    def property_loop(
        self, name: str, key_node: Node, node: Node, env: Env, pointer: str
    ) -> dict[str, object] | None:
        """`prop: [for x in xs: body]` → ARM's property copy `{name, count, input}` (`copyIndex('prop')`)."""
        loop = Loop(node)
        if loop.collection is None or loop.body is None:
            self.problem(node, "incomplete for-expression")
            return None
        if loop.condition is not None:
            self.problem(loop.condition, "a filter in a property loop is not converted; every item is kept")
        self.spans.value(pointer, self.source, node)
        self.spans.key(pointer, self.source, key_node)
        self.spans.value(pointer + "/name", self.source, key_node)
        try:
            collection = self.expr(loop.collection, env)
            self.spans.value(pointer + "/count", self.source, loop.collection)
            inner = self.loop_env(env, loop, collection, "copyIndex(" + quote(name) + ")")
            body = self.value(loop.body, inner, pointer + "/input")
        except Unconvertible as error:
            self.report(error)
            return None
        return {"name": name, "count": f"[length({collection})]", "input": body}

    def loop_env(self, env: Env, loop: Loop, collection: str, index: str) -> Env:
        inner = dict(env)
        if loop.item is not None:
            inner[loop.item] = f"{collection}[{index}]"
        if loop.index is not None:
            inner[loop.index] = index
        return inner

    # -- expressions ---------------------------------------------------------------------------------

    def expr(self, node: Node, env: Env) -> str:
        """ARM expression source for `node`."""
        if self.depth >= MAX_DEPTH:
            raise Unconvertible(node, f"nested more than {MAX_DEPTH} levels deep")
        node = unwrap(node)
        kind = node.type
        if kind in _MAY_NEED_FIX:
            node = Fixer(self.source.data, self.source.delta).fix(node)
            kind = node.type
        method = _DISPATCH.get(kind)
        if method is None:
            raise Unconvertible(node, f"cannot convert {_describe(node)}")
        self.depth += 1
        try:
            return method(self, node, env)
        finally:
            self.depth -= 1

    def _string(self, node: Node, env: Env) -> str:
        parts = string_parts(node)
        if all(isinstance(part, str) for part in parts):
            return quote("".join(part for part in parts if isinstance(part, str)))
        return self.interpolate(parts, env)

    def interpolate(self, parts: list[str | Node], env: Env) -> str:
        """`'a${b}c'` → `format('a{0}c', b)`, braces of the literal text doubled."""
        pattern: list[str] = []
        args: list[str] = []
        for part in parts:
            if isinstance(part, str):
                pattern.append(part.replace("{", "{{").replace("}", "}}"))
            else:
                pattern.append("{" + str(len(args)) + "}")
                args.append(self.expr(part, env))
        return "format(" + ", ".join([quote("".join(pattern)), *args]) + ")"

    def _number(self, node: Node, env: Env) -> str:
        return str(self.number(node))

    def _boolean(self, node: Node, env: Env) -> str:
        return "true()" if node_text(node) == "true" else "false()"

    def _null(self, node: Node, env: Env) -> str:
        return "null()"

    def first_spread(self, node: Node) -> Node | None:
        """The first `...x` member of an object literal, or None."""
        for prop in children(node):
            key = first_named(prop) if prop.type == "object_property" else None
            if key is not None and spread_property(key, self.source.data, self.source.delta):
                return prop
        return None

    def _object(self, node: Node, env: Env) -> str:
        """`createObject(k, v, ...)`; with spreads `{ ...a, k: v }` what Bicep compiles them to,
        `shallowMerge(createArray(a, createObject('k', v)))` (later members win)."""
        parts: list[str] = []
        args: list[str] = []
        for prop in children(node):
            if prop.type != "object_property":
                raise Unconvertible(prop, f"cannot convert {_describe(prop)} in an object")
            key_node = first_named(prop)
            value_node = property_value(prop)
            if key_node is None or value_node is None:
                continue
            if spread_property(key_node, self.source.data, self.source.delta):
                if args:
                    parts.append("createObject(" + ", ".join(args) + ")")
                    args = []
                parts.append(self.expr(value_node, env))
                continue
            key = self.key_of(key_node, env)
            args.append(as_argument(key))
            args.append(self.expr(value_node, env))
        if not parts:
            return "createObject(" + ", ".join(args) + ")"
        if args:
            parts.append("createObject(" + ", ".join(args) + ")")
        return "shallowMerge(createArray(" + ", ".join(parts) + "))"

    def _array(self, node: Node, env: Env) -> str:
        """`createArray(...)`; with spreads `[...a, x]` what Bicep compiles them to,
        `flatten(createArray(a, createArray(x)))`."""
        converted: list[str] = []
        parts: list[str] = []
        saved = self.source
        try:
            for element, source in self.elements(node):
                self.source = source
                if spread_item(element, source.data, source.delta):
                    if converted:
                        parts.append("createArray(" + ", ".join(converted) + ")")
                        converted = []
                    parts.append(self.expr(element, env))
                    continue
                converted.append(self.expr(element, env))
        except Unconvertible as error:
            if error.location is None:
                error.location = self.source.node_location(error.node)
            raise
        finally:
            self.source = saved
        if not parts:
            return "createArray(" + ", ".join(converted) + ")"
        if converted:
            parts.append("createArray(" + ", ".join(converted) + ")")
        return "flatten(createArray(" + ", ".join(parts) + "))"

    def _identifier(self, node: Node, env: Env) -> str:
        name = node_text(node)
        bound = env.get(name)
        if bound is not None:
            return bound
        symbol = self.lookup(name)
        if symbol is None:
            self.problem(node, f"'{name}' is not declared in this file; read as a variable")
            return "variables(" + quote(name) + ")"
        if isinstance(symbol, ImportSymbol):
            raise Unconvertible(node, _imported(symbol))
        if symbol.kind == "param":
            return "parameters(" + quote(name) + ")"
        if symbol.kind == "var" and isinstance(symbol, ValueSymbol):
            result = self.variable_result(symbol)
            if self.deps is not None:
                self.deps.extend(Dependency(dep.symbol, dep.index, node, self.source) for dep in result.deps)
            if result.inline is not None:
                self.runtime += 1
                return result.inline
            return "variables(" + quote(name) + ")"
        if isinstance(symbol, ResourceSymbol):
            self.record(symbol, None, node)
            self.runtime += 1
            return reference(self, symbol, None, full=True)
        if isinstance(symbol, ModuleSymbol):
            self.record(symbol, None, node)
            self.runtime += 1
            return module_reference(self, symbol, None)
        raise Unconvertible(node, f"cannot use the {symbol.kind} '{name}' as a value")

    def symbol_target(self, node: Node, env: Env) -> tuple[DeploySymbol, str | None] | None:
        """The resource or module an expression names (`vm`, `vms[i]`, `vnet::subnet`), with the index."""
        node = unwrap(node)
        kind = node.type
        if kind == "identifier":
            name = node_text(node)
            if name in env:
                return None
            symbol = self.lookup(name)
            if isinstance(symbol, DeploySymbol):
                return symbol, None
            return None
        if kind == "subscript_expression":
            target = field(node, "object")
            index = field(node, "index")
            if target is None or index is None or unwrap(target).type != "identifier":
                return None
            found = self.symbol_target(target, env)
            if found is None or not found[0].looped:
                return None
            return found[0], self.expr(index, env)
        if kind == "resource_expression":
            base = field(node, "object")
            child = field(node, "resource")
            if base is None or child is None:
                return None
            found = self.symbol_target(base, env)
            owner = found[0] if found is not None else None
            if found is None or not isinstance(owner, ResourceSymbol):
                return None
            owner_index = found[1]
            nested = owner.nested.get(node_text(child))
            if nested is not None and owner_index is not None and nested.loop is owner.loop:
                return nested, owner_index  # `vms[i]::ext`: the child of that copy
            if nested is None:
                raise Unconvertible(
                    node, f"'{node_text(child)}' is not a resource nested in '{found[0].name}'"
                )
            return nested, None
        return None

    def _resource_expression(self, node: Node, env: Env) -> str:
        found = self.symbol_target(node, env)
        if found is None:
            raise Unconvertible(node, f"cannot resolve {node_text(node)!r}")
        symbol, index = found
        self.record(symbol, index, node)
        self.runtime += 1
        if isinstance(symbol, ResourceSymbol):
            return reference(self, symbol, index, full=True)
        return module_reference(self, symbol, index)

    def _member(self, node: Node, env: Env) -> str:
        target = field(node, "object")
        prop = field(node, "property")
        if target is None or prop is None:
            raise Unconvertible(node, "incomplete member access")
        name = node_text(prop)
        safe = any(child.type == ".?" for child in node.children)
        found = self.symbol_target(target, env)
        if found is not None:
            symbol, index = found
            self.record(symbol, index, target)
            if isinstance(symbol, ResourceSymbol):
                return resource_member(self, symbol, index, name, node)
            if name == "name":
                return as_argument(module_name(self, symbol, index))
            if name == "outputs":
                self.runtime += 1
                return module_reference(self, symbol, index) + ".outputs"
            raise Unconvertible(node, f"a module has no member '{name}' the converter knows")
        output = self.module_output(target, env)
        if output is not None:
            return access(output, name, safe) + ".value"
        return access(self.expr(target, env), name, safe)

    def module_output(self, node: Node, env: Env) -> str | None:
        """For `m.outputs` (the target of `.x` or `['x']`): `reference(deploymentId, …).outputs`."""
        node = unwrap(node)
        if node.type != "member_expression":
            return None
        prop = field(node, "property")
        target = field(node, "object")
        if prop is None or target is None or node_text(prop) != "outputs":
            return None
        found = self.symbol_target(target, env)
        if found is None or not isinstance(found[0], ModuleSymbol):
            return None
        symbol, index = found
        self.record(symbol, index, target)
        self.runtime += 1
        return module_reference(self, symbol, index) + ".outputs"

    def _subscript(self, node: Node, env: Env) -> str:
        target = field(node, "object")
        index = field(node, "index")
        if target is None or index is None:
            raise Unconvertible(node, "incomplete index access")
        safe = any(child.type == "?" for child in node.children)
        found = self.symbol_target(node, env)
        if found is not None:  # `vms[i]` as a whole value
            symbol, at = found
            self.record(symbol, at, node)
            self.runtime += 1
            if isinstance(symbol, ResourceSymbol):
                return reference(self, symbol, at, full=True)
            return module_reference(self, symbol, at)
        output = self.module_output(target, env)
        key = self.expr(index, env)
        if output is not None:
            return f"{output}[{key}].value"
        base = self.expr(target, env)
        if safe:
            return f"tryGet({base}, {key})"
        return f"{base}[{key}]"

    def _binary(self, node: Node, env: Env) -> str:
        operator_node = field(node, "operator")
        left = field(node, "left")
        right = field(node, "right")
        if operator_node is None or left is None or right is None:
            raise Unconvertible(node, "incomplete operation")
        operator = operator_node.type
        if operator in _FLATTENED:
            operands = _operands(node, operator)
            return _BINARY[operator] + "(" + ", ".join(self.expr(item, env) for item in operands) + ")"
        a = self.expr(left, env)
        b = self.expr(right, env)
        if operator == "!=":
            return f"not(equals({a}, {b}))"
        if operator == "=~":
            return f"equals(toLower({a}), toLower({b}))"
        if operator == "!~":
            return f"not(equals(toLower({a}), toLower({b})))"
        function = _BINARY.get(operator)
        if function is None:
            raise Unconvertible(node, f"operator '{operator}' is not converted")
        return f"{function}({a}, {b})"

    def _unary(self, node: Node, env: Env) -> str:
        operator_node = field(node, "operator")
        argument = field(node, "argument")
        if operator_node is None or argument is None:
            raise Unconvertible(node, "incomplete operation")
        if operator_node.type == "!":
            return f"not({self.expr(argument, env)})"
        if operator_node.type == "-":
            inner = unwrap(argument)
            if inner.type == "number":
                return str(-self.number(inner))
            return f"sub(0, {self.expr(argument, env)})"
        raise Unconvertible(node, f"operator '{operator_node.type}' is not converted")

    def _ternary(self, node: Node, env: Env) -> str:
        condition = field(node, "condition")
        consequence = field(node, "consequence")
        alternative = field(node, "alternative")
        if condition is None or consequence is None or alternative is None:
            raise Unconvertible(node, "incomplete conditional expression")
        return (
            f"if({self.expr(condition, env)}, {self.expr(consequence, env)}, {self.expr(alternative, env)})"
        )

    def _call(self, node: Node, env: Env) -> str:
        function = field(node, "function")
        arguments = field(node, "arguments")
        args = children(arguments) if arguments is not None else []
        if function is None:
            raise Unconvertible(node, "incomplete function call")
        function = unwrap(function)
        if function.type == "member_expression":
            target = field(function, "object")
            method = field(function, "property")
            if target is None or method is None:
                raise Unconvertible(node, "incomplete function call")
            name = node_text(method)
            target = unwrap(target)
            if (
                target.type == "identifier"
                and node_text(target) in _NAMESPACES
                and self.lookup(node_text(target)) is None
            ):
                return self.builtin_call(node, name, args, env)
            imported = self.lookup(node_text(target)) if target.type == "identifier" else None
            if isinstance(imported, ImportSymbol):
                raise Unconvertible(node, _imported(imported))
            found = self.symbol_target(target, env)
            owner = found[0] if found is not None else None
            if found is not None and isinstance(owner, ResourceSymbol):
                self.record(owner, found[1], target)
                return resource_method(self, owner, found[1], name, args, env, node)
            raise Unconvertible(node, f"cannot convert the call {node_text(function)}()")
        if function.type != "identifier":
            raise Unconvertible(node, "cannot convert a call of a computed function")
        name = node_text(function)
        symbol = self.lookup(name)
        if isinstance(symbol, ImportSymbol):
            raise Unconvertible(node, _imported(symbol))
        if isinstance(symbol, FuncSymbol):
            return f"__bicep.{name}(" + ", ".join(self.expr(arg, env) for arg in args) + ")"
        return self.builtin_call(node, name, args, env)

    def builtin_call(self, node: Node, name: str, args: list[Node], env: Env) -> str:
        low = name.lower()
        if low == "any" and len(args) == 1:
            return self.expr(args[0], env)
        loaded = self.load_function(node)
        if loaded is not None:
            return _literal_expression(loaded[0])
        if low == "reference" or low.startswith("list"):
            self.runtime += 1
        converted = [self.expr(arg, env) for arg in args]
        return name + "(" + ", ".join(converted) + ")"

    def _lambda(self, node: Node, env: Env) -> str:
        params, body = _lambda_parts(node)
        if body is None:
            raise Unconvertible(node, "incomplete lambda")
        inner = dict(env)
        for param in params:
            inner[param] = "lambdaVariables(" + quote(param) + ")"
        return "lambda(" + ", ".join([*(quote(p) for p in params), self.expr(body, inner)]) + ")"

    def _for(self, node: Node, env: Env) -> str:
        """A for-expression where ARM has no copy loop (inside an expression): `map(xs, lambda(…))`."""
        loop = Loop(node)
        if loop.collection is None or loop.body is None:
            raise Unconvertible(node, "incomplete for-expression")
        collection = self.expr(loop.collection, env)
        params = [loop.item or "_item"] + ([loop.index] if loop.index else [])
        inner = dict(env)
        for param in params:
            inner[param] = "lambdaVariables(" + quote(param) + ")"
        if loop.condition is not None:
            condition = self.expr(loop.condition, inner)
            collection = f"filter({collection}, lambda({quote(params[0])}, {condition}))"
        body = self.expr(loop.body, inner)
        return f"map({collection}, lambda(" + ", ".join([*(quote(p) for p in params), body]) + "))"

    # -- compile-time functions ----------------------------------------------------------------------

    def load_function(self, node: Node) -> tuple[object] | None:
        """`loadTextContent` / `loadFileAsBase64` / `loadJsonContent` read at conversion time, as the
        compiler does; None when `node` is no such call, `Unconvertible` when the file cannot be read."""
        function = field(node, "function")
        if function is None:
            return None
        function = unwrap(function)
        if function.type == "member_expression":
            prop = field(function, "property")
            target = field(function, "object")
            if prop is None or target is None or node_text(target) not in _NAMESPACES:
                return None
            name = node_text(prop)
        elif function.type == "identifier":
            name = node_text(function)
        else:
            return None
        if name not in _LOAD_LIMITS and name != "loadDirectoryFileInfo":
            return None
        arguments = field(node, "arguments")
        args = children(arguments) if arguments is not None else []
        path = _literal_text(args[0]) if args else None
        if path is None or self.directory is None:
            raise Unconvertible(node, f"{name}() needs a literal path and a file on disk")
        import os

        from templategen.bicep.paths import is_inside, outside_message
        from templategen.reading import FileTooLarge, read_bytes

        full = os.path.join(self.directory, path)
        if self.project_root is not None and not is_inside(full, self.project_root):
            raise Unconvertible(node, f"{name}(): {outside_message(path, self.project_root)}")
        if name == "loadDirectoryFileInfo":
            pattern = _literal_text(args[1]) if len(args) > 1 else "*"
            if pattern is None:
                raise Unconvertible(args[1], "loadDirectoryFileInfo(): the search pattern must be a literal")
            return (_directory_file_info(node, full, path, pattern),)
        limit = _LOAD_LIMITS[name]
        binary = name == "loadFileAsBase64"
        unit = "bytes" if binary else "characters"
        too_large = Unconvertible(node, f"{name}(): {path} is larger than Bicep allows ({limit:,} {unit})")
        try:
            data = read_bytes(full, limit if binary else 4 * limit)  # a character takes at most 4 bytes
        except FileTooLarge:
            raise too_large from None
        except OSError as error:
            raise Unconvertible(node, f"{name}(): cannot read {path}: {error.strerror or error}") from None
        if binary:
            import base64

            return (base64.b64encode(data).decode("ascii"),)
        text = data.decode("utf-8-sig", "replace")
        if len(text) > limit:
            raise too_large
        if name == "loadTextContent":
            return (text,)
        loaded: object
        if name == "loadYamlContent":
            from templategen.inputs.yamlload import YamlProblem, parse_yaml

            if not text.strip():
                raise Unconvertible(node, f"loadYamlContent(): {path} is empty")
            try:
                loaded = parse_yaml(text, path).data  # safe loader, aliases bounded
            except YamlProblem as problem:
                where = f"{problem.location.line}:{problem.location.column}"
                raise Unconvertible(node, f"loadYamlContent(): {path}:{where}: {problem.message}") from None
        else:
            import json

            try:
                loaded = json.loads(text)
            except ValueError as error:
                raise Unconvertible(node, f"loadJsonContent(): {path} is not JSON: {error}") from None
        if len(args) > 1:
            selector = _literal_text(args[1])
            found = _json_path(loaded, selector) if selector is not None else None
            if found is None:
                raise Unconvertible(args[1], f"{name}(): only simple paths like '$.a.b' are read")
            loaded = found[0]
        return (loaded,)


#: The largest file each load function reads, as the Bicep compiler documents them (bytes for
#: loadFileAsBase64, characters for the others).
_LOAD_LIMITS = {
    "loadTextContent": 131_072,
    "loadJsonContent": 1_048_576,
    "loadYamlContent": 1_048_576,
    "loadFileAsBase64": 96 * 1024,
}

#: loadDirectoryFileInfo() lists at most this many files (the compiler documents no limit; a bound
#: keeps a pattern over a huge folder from flooding the model).
_MAX_DIRECTORY_FILES = 10_000


def _directory_file_info(node: Node, full: str, written: str, pattern: str) -> list[dict[str, str]]:
    """What `loadDirectoryFileInfo(dir, pattern)` compiles to: one object per file of the folder
    (not its subfolders) whose name matches, with `relativePath` (from the Bicep file, `/`
    separated), `baseName` and `extension`, in name order so the output is deterministic."""
    import fnmatch
    import os

    try:
        names = sorted(os.listdir(full))
    except OSError as error:
        raise Unconvertible(
            node, f"loadDirectoryFileInfo(): cannot read {written}: {error.strerror or error}"
        ) from None
    found: list[dict[str, str]] = []
    prefix = written.replace("\\", "/").rstrip("/")
    for name in names:
        if not fnmatch.fnmatchcase(name, pattern) or not os.path.isfile(os.path.join(full, name)):
            continue
        if len(found) == _MAX_DIRECTORY_FILES:
            raise Unconvertible(node, f"loadDirectoryFileInfo(): more than {_MAX_DIRECTORY_FILES:,} files")
        relative = f"{prefix}/{name}" if prefix not in ("", ".") else name
        if relative.startswith("./"):
            relative = relative[2:]
        found.append({"relativePath": relative, "baseName": name, "extension": os.path.splitext(name)[1]})
    return found


def _imported(symbol: ImportSymbol) -> str:
    return f"'{symbol.name}' is imported from {symbol.source}; imported declarations are not read"


def _escape(key: str) -> str:
    if "~" in key or "/" in key:
        return key.replace("~", "~0").replace("/", "~1")
    return key


def _describe(node: Node) -> str:
    if node.type == "ERROR":
        text = node_text(node).strip().splitlines()
        return f"unparsed text {text[0][:40]!r}" if text else "unparsed text"
    return f"'{node.type.replace('_', ' ')}'"


def _operands(node: Node, operator: str) -> list[Node]:
    """`a && b && c` → [a, b, c]: one `and(…)` rather than a nest."""
    result: list[Node] = []
    stack = [node]
    while stack:
        current = unwrap(stack.pop())
        op = field(current, "operator") if current.type == "binary_expression" else None
        if op is not None and op.type == operator:
            left = field(current, "left")
            right = field(current, "right")
            if left is not None and right is not None:
                stack.append(right)
                stack.append(left)
                continue
        result.append(current)
    return result


def _lambda_parts(node: Node) -> tuple[list[str], Node | None]:
    parts = children(node)
    if not parts:
        return [], None
    head = parts[0]
    if head.type == "identifier":
        params = [node_text(head)]
    else:
        params = [node_text(child) for child in children(head) if child.type == "identifier"]
    return params, parts[-1] if len(parts) > 1 else None


def _any_argument(node: Node) -> Node | None:
    """The argument of `any(x)` / `sys.any(x)`, else None."""
    function = field(node, "function")
    arguments = field(node, "arguments")
    if function is None or arguments is None:
        return None
    name = node_text(function)
    if name not in ("any", "sys.any"):
        return None
    args = children(arguments)
    return args[0] if len(args) == 1 else None


_QUOTED = re.compile(r"'(?:[^']|'')*'\Z")


def _string_literal(source: str) -> str | None:
    """The value of ARM source that is a single string literal (`'a''b'` → `a'b`), else None."""
    if _QUOTED.match(source):
        return source[1:-1].replace("''", "'")
    return None


def _literal_text(node: Node) -> str | None:
    inner = unwrap(node)
    if inner.type != "string":
        return None
    parts = string_parts(inner)
    if all(isinstance(part, str) for part in parts):
        return "".join(part for part in parts if isinstance(part, str))
    return None


def _json_path(value: object, path: str) -> tuple[object] | None:
    """Follow `$.a.b` / `$.a[0]` (the subset of JSONPath loadJsonContent calls use in practice)."""
    path = path.strip()
    if not path.startswith("$"):
        return None
    tokens = re.findall(r"\.([A-Za-z0-9_\-]+)|\[(\d+)\]|\['([^']*)'\]", path[1:])
    if "".join(f".{a}" if a else f"[{b}]" if b else f"['{c}']" for a, b, c in tokens) != path[1:]:
        return None
    node = value
    for key, position, quoted in tokens:
        if position:
            if not isinstance(node, list) or int(position) >= len(node):
                return None
            node = node[int(position)]
        else:
            name = key or quoted
            if not isinstance(node, dict) or name not in node:
                return None
            node = node[name]
    return (node,)


def _escape_literals(value: object) -> object:
    """A JSON value read from a file, its strings escaped so ARM does not read them as expressions."""
    if isinstance(value, str):
        return write_literal(value)
    if isinstance(value, list):
        return [_escape_literals(item) for item in value]
    if isinstance(value, dict):
        return {write_literal(str(key)): _escape_literals(item) for key, item in value.items()}
    return value


def _literal_expression(value: object) -> str:
    """A compile-time value inside an expression: a string literal, a number, or `json('…')`."""
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, bool):
        return "true()" if value else "false()"
    if isinstance(value, int):
        return str(value)
    import json

    return "json(" + quote(json.dumps(value, separators=(",", ":"), ensure_ascii=False)) + ")"


_DISPATCH = {
    "string": Emitter._string,
    "number": Emitter._number,
    "boolean": Emitter._boolean,
    "null": Emitter._null,
    "object": Emitter._object,
    "array": Emitter._array,
    "identifier": Emitter._identifier,
    "member_expression": Emitter._member,
    "subscript_expression": Emitter._subscript,
    "resource_expression": Emitter._resource_expression,
    "binary_expression": Emitter._binary,
    "unary_expression": Emitter._unary,
    "ternary_expression": Emitter._ternary,
    "call_expression": Emitter._call,
    "lambda_expression": Emitter._lambda,
    "for_statement": Emitter._for,
}
