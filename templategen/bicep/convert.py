"""A Bicep file → ARM-shaped template data, section by section, as the Bicep compiler lays it out.

The result is ordinary template JSON (`$schema`, `contentVersion`, `parameters`, `functions`,
`variables`, `resources`, `outputs`) whose computed values are ARM expression strings, so the template
model and every rule read it like a hand-written template. Choices, where the compiler offers several:

* resources are an array (languageVersion 1.0, the compiler's default and what the corpus's compiled
  templates use), children flattened with their full type and a `format('{0}/{1}', …)` name;
  `existing` resources stay in the array with `"existing": true` (the compiler drops them; the model
  knows the flag from languageVersion 2.0 and rules skip them), so references to them can be followed;
* loops become `copy`: a resource or module loop is named after its symbol and uses `copyIndex()`, a
  variable loop is an entry of `variables.copy`, a property loop a `copy` array in its object
  (`copyIndex('property')`), an output loop the output's `copy`;
* a module becomes a `Microsoft.Resources/deployments` with inner expression scope; a local `.bicep`
  (or `.json`) module is read into `properties.template`, registry and template-spec modules stay
  without a template (see `templategen.bicep.modules`);
* `dependsOn` lists the explicit entries, then the parent (for a child), then every resource or module
  the body refers to, as the compiler adds them.

Every value written records the span of its Bicep node (see `templategen.bicep.source`).
"""

from __future__ import annotations

from templategen.arm.names import escape_token, join_names, quote
from templategen.bicep.expressions import Dependency, Emitter, VariableResult
from templategen.bicep.modules import module_deployment
from templategen.bicep.references import (
    MANAGEMENT_GROUP,
    RESOURCE_GROUP,
    SUBSCRIPTION,
    TENANT,
    module_id,
    name_segments,
    parent_index,
    resource_env,
    resource_id,
    scope_of,
    scopes_of,
)
from templategen.bicep.symbols import (
    DeploySymbol,
    ModuleSymbol,
    ResourceSymbol,
    ValueSymbol,
    collect,
    decorator_args,
    decorator_name,
    property_key,
    property_value,
)
from templategen.bicep.syntax import (
    Unconvertible,
    children,
    field,
    first_named,
    hidden_nullable,
    literal_string,
    node_text,
    unwrap,
)

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from templategen.bicep.expressions import Env
    from templategen.bicep.source import Source, SpanTable
    from templategen.bicep.syntax import Node
    from templategen.diagnostics import Location

SCHEMAS = {
    RESOURCE_GROUP: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    SUBSCRIPTION: "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
    MANAGEMENT_GROUP: "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#",
    TENANT: "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#",
}
_SIMPLE_TYPES = frozenset({"string", "int", "bool", "object", "array"})
#: resource body members that are not ARM members (or are written separately)
_RESOURCE_SPECIAL = frozenset({"name", "parent", "scope", "dependsOn"})
_PARAMETER_DECORATORS = {
    "allowed": "allowedValues",
    "minValue": "minValue",
    "maxValue": "maxValue",
    "minLength": "minLength",
    "maxLength": "maxLength",
}


class ModuleContext:
    """What a file converted as a module needs from its caller: where its template goes and which
    files are already being read (cycles); shared by all: the symbolic names of every emitted resource
    and the text of every file read."""

    __slots__ = ("base", "files", "project", "stack", "symbols")

    def __init__(
        self,
        base: str,
        stack: tuple[str, ...],
        symbols: dict[str, str],
        files: dict[str, str],
        project: str | None = None,
    ) -> None:
        self.base = base
        self.stack = stack
        self.symbols = symbols
        self.files = files
        #: the folder local modules and load*() targets must stay in (bicep/paths.py); None: no files
        self.project = project


class Converter(Emitter):
    """Converts one parsed Bicep file; `convert()` returns the template data."""

    def __init__(
        self,
        source: Source,
        root: Node,
        spans: SpanTable,
        problems: list[tuple[Location, str]],
        directory: str | None,
        context: ModuleContext,
    ) -> None:
        super().__init__(source, spans, collect(root), problems, directory)
        self.root = root
        self.context = context
        self.base = context.base
        self.project_root = context.project
        #: dependency text of one copy of a looped resource or module → the loop's name
        self.indexed_dependencies: dict[str, str] = {}

    # -- driver --------------------------------------------------------------------------------------

    def convert(self) -> dict[str, object]:
        table = self.table
        self.spans.value(self.base, self.source, self.root)
        for duplicate in table.duplicates:
            self.problem(
                duplicate.name_node, f"'{duplicate.name}' is declared more than once; the first wins"
            )
        for node in table.skipped:
            if node.type not in ("import_statement", "import_with_statement", "import_functionality"):
                self.problem(node, f"{node.type.replace('_', ' ')} is not converted")
        self.target_scope = self.read_target_scope()
        data: dict[str, object] = {"$schema": SCHEMAS[self.target_scope], "contentVersion": "1.0.0.0"}
        self.spans.value(self.base + "/$schema", self.source, table.target_scope or self.root)
        metadata = self.metadata_section()
        if metadata:
            data["metadata"] = metadata
        parameters = self.parameters_section()
        if parameters:
            data["parameters"] = parameters
        functions = self.functions_section()
        if functions:
            data["functions"] = functions
        self.resolve_resources()
        variables = self.variables_section()
        if variables:
            data["variables"] = variables
        data["resources"] = self.resources_section()
        outputs = self.outputs_section()
        if outputs:
            data["outputs"] = outputs
        return data

    def pointer(self, *tokens: str | int) -> str:
        parts = [self.base]
        for token in tokens:
            parts.append("/")
            parts.append(str(token) if isinstance(token, int) else escape_token(token))
        return "".join(parts)

    def read_target_scope(self) -> str:
        node = self.table.target_scope
        if node is None:
            return RESOURCE_GROUP
        written = literal_string(node)
        for scope in (RESOURCE_GROUP, SUBSCRIPTION, MANAGEMENT_GROUP, TENANT):
            if written == scope:
                return scope
        self.problem(node, f"unknown targetScope {node_text(node)}; read as resourceGroup")
        return RESOURCE_GROUP

    # -- parameters, metadata, functions -------------------------------------------------------------

    def metadata_section(self) -> dict[str, object]:
        result: dict[str, object] = {}
        for symbol in self.table.metadata:
            if symbol.value is None:
                continue
            pointer = self.pointer("metadata", symbol.name)
            self.spans.key(pointer, self.source, symbol.name_node)
            try:
                result[symbol.name] = self.value(symbol.value, {}, pointer)
            except Unconvertible as error:
                self.report(error)
        return result

    def parameters_section(self) -> dict[str, object]:
        result: dict[str, object] = {}
        for symbol in self.table.params:
            if symbol.name in result:
                continue
            pointer = self.pointer("parameters", symbol.name)
            self.spans.value(pointer, self.source, symbol.node)
            self.spans.key(pointer, self.source, symbol.name_node)
            result[symbol.name] = self.declared_type(symbol, pointer, "parameter")
        return result

    def declared_type(self, symbol: ValueSymbol, pointer: str, what: str) -> dict[str, object]:
        """The ARM declaration of a parameter or an output: type, default, decorators."""
        entry: dict[str, object] = {}
        type_name, nullable, allowed = self.type_info(symbol.type_node)
        secure = symbol.decorator("secure")
        if secure is not None:
            if type_name == "object":
                type_name = "secureObject"
            elif type_name == "string":
                type_name = "securestring"  # the compiler's spelling (ARM reads types case-insensitively)
            else:
                self.problem(secure, f"@secure() on a {what} of type {type_name or 'unknown'}")
        if type_name is not None:
            entry["type"] = type_name
            if symbol.type_node is not None:
                self.spans.value(pointer + "/type", self.source, symbol.type_node)
                self.spans.key(pointer + "/type", self.source, secure or symbol.type_node)
        elif symbol.type_node is not None:
            self.problem(symbol.type_node, f"the type of {what} '{symbol.name}' is not resolved")
        if nullable:
            entry["nullable"] = True
        if allowed is not None and symbol.type_node is not None:
            entry["allowedValues"] = allowed
            self.spans.value(pointer + "/allowedValues", self.source, symbol.type_node)
        metadata: dict[str, object] = {}
        for decorator in symbol.decorators:
            name = decorator_name(decorator)
            args = decorator_args(decorator)
            member = _PARAMETER_DECORATORS.get(name)
            if member is not None and args:
                target = pointer + "/" + member
                self.spans.key(target, self.source, decorator)
                try:
                    entry[member] = self.value(args[0], {}, target)
                except Unconvertible as error:
                    self.report(error)
            elif name == "description" and args:
                target = pointer + "/metadata/description"
                self.spans.key(target, self.source, decorator)
                try:
                    metadata["description"] = self.value(args[0], {}, target)
                except Unconvertible as error:
                    self.report(error)
            elif name == "metadata" and args:
                try:
                    extra = self.value(args[0], {}, pointer + "/metadata")
                except Unconvertible as error:
                    self.report(error)
                    continue
                if isinstance(extra, dict):
                    metadata.update(extra)
        if metadata:
            entry["metadata"] = metadata
        if what == "parameter" and symbol.value is not None:
            target = pointer + "/defaultValue"
            try:
                entry["defaultValue"] = self.value(symbol.value, {}, target)
            except Unconvertible as error:
                self.report(error)
        return entry

    def type_info(self, node: Node | None, depth: int = 0) -> tuple[str | None, bool, list[object] | None]:
        """(ARM type, nullable, allowed values) of a Bicep type expression."""
        if node is None or depth > 20:
            return None, False, None
        found = self.written_type_info(node, depth)
        if not found[1] and hidden_nullable(node, self.source.data):
            return found[0], True, found[2]
        return found

    def written_type_info(self, node: Node, depth: int) -> tuple[str | None, bool, list[object] | None]:
        kind = node.type
        if kind == "type":
            inner = first_named(node)
            return self.type_info(inner, depth + 1) if inner is not None else (None, False, None)
        if kind == "primitive_type":
            text = node_text(node)
            return (text if text in _SIMPLE_TYPES else None), False, None
        if kind == "array_type":
            return "array", False, None
        if kind == "object":
            return "object", False, None
        if kind in ("nullable_type", "parenthesized_type", "parenthesized_expression"):
            inner = first_named(node)
            found = self.type_info(inner, depth + 1) if inner is not None else (None, False, None)
            return found[0], found[1] or kind == "nullable_type", found[2]
        if kind in ("string", "number", "boolean", "unary_expression"):
            literal = _literal_type_value(node)
            if literal is None:
                return None, False, None
            return _json_type(literal[0]), False, [literal[0]]
        members = _union_members(node)
        if members:
            values: list[object] = []
            types: set[str] = set()
            nullable = False
            for member in members:
                if member.type == "null":
                    nullable = True
                    continue
                literal = _literal_type_value(member)
                if literal is None:
                    found = self.type_info(member, depth + 1)
                    if found[0] is None:
                        return None, nullable, None
                    types.add(found[0])
                    continue
                values.append(literal[0])
                types.add(_json_type(literal[0]))
            if len(types) != 1:
                return None, nullable, None
            only = types.pop()
            return (
                only,
                nullable,
                values if values and len(values) == len(members) - nullable else None,
            )
        if kind == "identifier":
            declared = self.table.types.get(node_text(node))
            if declared is None:
                return None, False, None
            return self.type_info(declared.type_node, depth + 1)
        if kind == "parameterized_type":  # resource<'…'> (and resourceInput / resourceOutput)
            return "object", False, None
        if kind == "member_expression":
            # `resourceInput<'…'>.tags` is an object; a deeper property may be anything, and the
            # compiler reads its type from the resource's schema, which is not at hand here
            target = field(node, "object")
            prop = field(node, "property")
            if (
                target is not None
                and target.type == "parameterized_type"
                and prop is not None
                and node_text(prop) in ("tags", "properties", "sku", "identity")
            ):
                return "object", False, None
            return None, False, None
        return None, False, None

    def functions_section(self) -> list[object]:
        members: dict[str, object] = {}
        for function in self.table.functions:
            node = function.node
            pointer = self.pointer("functions", 0, "members", function.name)
            self.spans.value(pointer, self.source, node)
            self.spans.key(pointer, self.source, function.name_node)
            params: list[object] = []
            env: Env = {}
            holder = first_named(node, "parameters")
            for param in children(holder) if holder is not None else []:
                if param.type != "parameter":
                    continue
                name_node = first_named(param, "identifier")
                if name_node is None:
                    continue
                name = node_text(name_node)
                type_name = self.type_info(first_named(param, "type"))[0]
                params.append({"name": name, "type": type_name or "object"})
                env[name] = "parameters(" + quote(name) + ")"
            returns = field(node, "returns")
            body = children(node)[-1] if children(node) else None
            output: dict[str, object] = {"type": self.type_info(returns)[0] or "object"}
            if body is not None and body is not returns:
                try:
                    output["value"] = self.value(body, env, pointer + "/output/value")
                except Unconvertible as error:
                    self.report(error)
            members[function.name] = {"parameters": params, "output": output}
        if not members:
            return []
        return [{"namespace": "__bicep", "members": members}]

    # -- variables ------------------------------------------------------------------------------------

    def variables_section(self) -> dict[str, object]:
        slot = 0
        for symbol in self.table.vars:
            if symbol.loop is not None:
                symbol.copy_slot = slot
                slot += 1
        result: dict[str, object] = {}
        copies: list[object] = []
        for symbol in self.table.vars:
            converted = self.variable_result(symbol)
            if converted.inline is not None:
                continue
            if symbol.loop is not None:
                if converted.value is not None:
                    copies.append(converted.value)
                continue
            if symbol.name.lower() == "copy":
                self.problem(symbol.name_node, "a variable named 'copy' clashes with ARM's variable loops")
                continue
            result[symbol.name] = converted.value
        if copies:
            result["copy"] = copies
        return result

    def variable_result(self, symbol: ValueSymbol) -> VariableResult:
        state = symbol.state
        if isinstance(state, VariableResult):
            return state
        if state == "busy":
            self.problem(symbol.name_node, f"variable '{symbol.name}' refers to itself")
            return VariableResult(None, None, [])
        symbol.state = "busy"
        saved = self.deps, self.runtime, self.nested_scopes
        self.deps = []
        self.runtime = 0
        self.nested_scopes = []
        value: object = None
        inline: str | None = None
        try:
            if symbol.value is None:
                self.problem(symbol.node, f"variable '{symbol.name}' has no value")
            elif symbol.loop is not None:
                value = self.variable_loop(symbol)
            else:
                pointer = self.pointer("variables", symbol.name)
                self.spans.key(pointer, self.source, symbol.name_node)
                value = self.value(symbol.value, {}, pointer)
                if self.runtime:
                    inline = self.expr(symbol.value, {})
        except Unconvertible as error:
            self.report(error)
        result = VariableResult(value, inline, self.deps)
        self.deps, self.runtime, self.nested_scopes = saved
        symbol.state = result
        return result

    def variable_loop(self, symbol: ValueSymbol) -> dict[str, object] | None:
        loop = symbol.loop
        if loop is None or loop.collection is None or loop.body is None:
            raise Unconvertible(symbol.node, f"incomplete loop in variable '{symbol.name}'")
        pointer = self.pointer("variables", "copy", symbol.copy_slot)
        self.spans.value(pointer, self.source, symbol.node)
        self.spans.key(pointer, self.source, symbol.name_node)
        self.spans.value(pointer + "/name", self.source, symbol.name_node)
        self.spans.value(self.pointer("variables", symbol.name), self.source, symbol.node)
        self.spans.key(self.pointer("variables", symbol.name), self.source, symbol.name_node)
        if loop.condition is not None:
            self.problem(loop.condition, "a filter in a variable loop is not converted; every item is kept")
        collection = self.expr(loop.collection, {})
        self.spans.value(pointer + "/count", self.source, loop.collection)
        env = self.loop_env({}, loop, collection, "copyIndex(" + quote(symbol.name) + ")")
        body = self.value(loop.body, env, pointer + "/input")
        return {"name": symbol.name, "count": f"[length({collection})]", "input": body}

    # -- resources ------------------------------------------------------------------------------------

    def resolve_resources(self) -> None:
        """Full types, API versions and parents, before any reference to a resource is converted."""
        for resource in self.table.resources:
            self.resolve_type(resource, ())
        index = 0
        for symbol in self.table.deployed:
            if isinstance(symbol, ResourceSymbol) and symbol.full_type is None:
                continue
            if symbol.body is None:
                self.problem(symbol.node, f"'{symbol.name}' has no body the converter can read")
                continue
            symbol.index = index
            symbol.pointer = self.pointer("resources", index)
            self.context.symbols[symbol.pointer] = symbol.name
            index += 1

    def resolve_type(self, symbol: ResourceSymbol, seen: tuple[ResourceSymbol, ...]) -> None:
        if symbol.full_type is not None or symbol in seen:
            if symbol in seen:
                self.problem(symbol.name_node, f"resource '{symbol.name}' is its own ancestor")
            return
        written = symbol.type_written
        if written is None:
            self.problem(symbol.type_node, f"the type of resource '{symbol.name}' must be a literal string")
            return
        parent_node = symbol.member("parent")
        parent: ResourceSymbol | None = symbol.lexical_parent
        if parent_node is not None:
            inner = unwrap(parent_node)
            if inner.type == "subscript_expression":
                index = field(inner, "index")
                symbol.parent_index = index
                target = field(inner, "object")
                inner = unwrap(target) if target is not None else inner
            try:
                found = self.symbol_target(inner, {})
            except Unconvertible as error:
                self.report(error)
                found = None
            if found is None or not isinstance(found[0], ResourceSymbol):
                self.problem(parent_node, f"parent of '{symbol.name}' is not a resource of this file")
            else:
                parent = found[0]
        symbol.parent = parent
        if parent is not None:
            self.resolve_type(parent, (*seen, symbol))
            if parent.full_type is None:
                return
            if symbol.api_version is None:
                symbol.api_version = parent.api_version
            if "." in written.split("/", 1)[0]:
                symbol.full_type = written
            else:
                symbol.full_type = parent.full_type + "/" + written
            return
        if symbol.api_version is None:
            self.problem(symbol.type_node, f"resource '{symbol.name}' has no API version")
        symbol.full_type = written

    def resources_section(self) -> list[object]:
        result: list[object] = []
        for symbol in self.table.deployed:
            if symbol.index < 0:
                continue
            saved = self.deps, self.nested_scopes
            self.deps = []
            self.nested_scopes = scopes_of(symbol)
            try:
                if isinstance(symbol, ResourceSymbol):
                    entry = self.resource(symbol)
                else:
                    entry = module_deployment(self, symbol) if isinstance(symbol, ModuleSymbol) else {}
            finally:
                self.deps, self.nested_scopes = saved
            result.append(entry)
        return result

    def loop_header(self, symbol: DeploySymbol, entry: dict[str, object]) -> Env:
        """`copy` and `condition` of a resource or module; returns the environment of its body."""
        pointer = symbol.pointer
        loop = symbol.loop
        env: Env = {}
        if loop is not None and loop.collection is not None:
            copy_pointer = pointer + "/copy"
            self.spans.value(copy_pointer, self.source, loop.node)
            self.spans.key(copy_pointer, self.source, loop.node)
            self.spans.value(copy_pointer + "/count", self.source, loop.collection)
            self.spans.value(copy_pointer + "/name", self.source, symbol.name_node)
            saved = self.nested_scopes
            self.nested_scopes = scopes_of(symbol)[:-1]
            try:
                collection = self.expr(loop.collection, {})
            except Unconvertible as error:
                self.report(error)
                collection = "createArray()"
            finally:
                self.nested_scopes = saved
            copy: dict[str, object] = {"name": symbol.name, "count": f"[length({collection})]"}
            batch = symbol.decorator("batchSize")
            if batch is not None:
                args = decorator_args(batch)
                copy["mode"] = "serial"
                self.spans.value(copy_pointer + "/mode", self.source, batch)
                if args:
                    try:
                        copy["batchSize"] = self.value(args[0], {}, copy_pointer + "/batchSize")
                    except Unconvertible as error:
                        self.report(error)
            entry["copy"] = copy
            env = self.loop_env({}, loop, collection, "copyIndex()")
        if symbol.condition is not None:
            try:
                entry["condition"] = self.value(symbol.condition, env, pointer + "/condition")
            except Unconvertible as error:
                self.report(error)
        return env

    def resource(self, symbol: ResourceSymbol) -> dict[str, object]:
        pointer = symbol.pointer
        self.spans.value(pointer, self.source, symbol.node)
        self.spans.key(pointer, self.source, symbol.name_node)
        entry: dict[str, object] = {}
        env = self.loop_header(symbol, entry)
        entry["type"] = symbol.full_type
        self.spans.value(pointer + "/type", self.source, symbol.type_node)
        if symbol.api_version is not None:
            entry["apiVersion"] = symbol.api_version
            self.spans.value(pointer + "/apiVersion", self.source, symbol.type_node)
        name = self.resource_name(symbol, env)
        if name is not None:
            entry["name"] = name
        if symbol.existing:
            entry["existing"] = True
            keyword = next((c for c in symbol.node.children if c.type == "existing"), symbol.node)
            self.spans.value(pointer + "/existing", self.source, keyword)
        self.resource_scope_member(symbol, entry)
        explicit = self.body_members(symbol, env, entry, _RESOURCE_SPECIAL)
        parent_deps: list[Dependency] = []
        if symbol.parent is not None:
            parent_node = symbol.member("parent") or symbol.node
            which: str | None = None  # the parent's copy, when the parent is looped
            if symbol.parent.loop is not None:
                try:
                    which = parent_index(self, symbol, None)
                except Unconvertible as error:
                    self.report(error)
            parent_deps.append(Dependency(symbol.parent, which, parent_node, self.source))
        self.write_depends_on(symbol, entry, explicit, parent_deps)
        return entry

    def resource_name(self, symbol: ResourceSymbol, env: Env) -> str | None:
        prop = symbol.member_property("name")
        value_node = property_value(prop) if prop is not None else None
        if prop is None or value_node is None:
            self.problem(symbol.name_node, f"resource '{symbol.name}' has no name")
            return None
        pointer = symbol.pointer + "/name"
        key = first_named(prop)
        if key is not None:
            self.spans.key(pointer, self.source, key)
        try:
            own = self.value(value_node, env, pointer)
        except Unconvertible as error:
            self.report(error)
            return None
        if not isinstance(own, str):
            self.problem(value_node, f"the name of resource '{symbol.name}' is not a string")
            return None
        if symbol.parent is None:
            return own
        try:
            saved = self.deps
            self.deps = None
            try:
                parents = name_segments(self, symbol.parent, parent_index(self, symbol, None))
            finally:
                self.deps = saved
        except Unconvertible as error:
            self.report(error)
            return None
        return join_names([*parents, own])

    def resource_scope_member(self, symbol: ResourceSymbol, entry: dict[str, object]) -> None:
        """`scope:` on a resource: an extension resource's target, or where an existing one lives."""
        node = symbol.scope_node
        if node is None:
            return
        try:
            kind, scope = scope_of(self, node, symbol)
        except Unconvertible as error:
            self.report(error)
            return
        pointer = symbol.pointer + "/scope"
        prop = symbol.member_property("scope")
        key = first_named(prop) if prop is not None else None
        if kind == "default":
            return
        written: str | None = None
        if kind == "extension":
            written = scope[1]
        elif kind == "tenant":
            written = "/"
        elif kind == "mg" and scope:
            written = f"[tenantResourceId('Microsoft.Management/managementGroups', {scope[0]})]"
        elif not symbol.existing:
            self.problem(node, "a resource cannot be deployed to another scope without a module")
            return
        if written is None:
            return  # an existing resource elsewhere: its id says where
        entry["scope"] = written
        self.spans.value(pointer, self.source, node)
        if key is not None:
            self.spans.key(pointer, self.source, key)

    def body_members(
        self, symbol: DeploySymbol, env: Env, entry: dict[str, object], special: frozenset[str]
    ) -> list[tuple[Node, Source, Node]]:
        """Write the ordinary members of a body; return the explicit `dependsOn` entries
        (node, its source, the `dependsOn` key)."""
        body = symbol.body
        explicit: list[tuple[Node, Source, Node]] = []
        if body is None:
            return explicit
        for prop in children(body):
            if prop.type != "object_property":
                self.problem(prop, f"cannot convert {prop.type.replace('_', ' ')} in '{symbol.name}'")
                continue
            key_node = first_named(prop)
            value_node = property_value(prop)
            if key_node is None or value_node is None:
                continue
            key = property_key(prop)
            if key == "dependsOn":
                items = unwrap(value_node)
                if items.type == "array":
                    explicit.extend((item, source, key_node) for item, source in self.elements(items))
                else:
                    self.problem(value_node, "dependsOn must be an array of resources or modules")
                continue
            if key in special:
                continue
            if key is None:
                self.problem(key_node, "a computed member name on a resource is not converted")
                continue
            pointer = symbol.pointer + "/" + escape_token(key)
            self.spans.key(pointer, self.source, key_node)
            if unwrap(value_node).type == "for_statement":
                # a loop directly on a resource member: ARM's property copy on the resource
                self.spans.value(pointer, self.source, value_node)
                copies = entry.setdefault("copy", [])
                if isinstance(copies, list):
                    loop = self.property_loop(
                        key, key_node, unwrap(value_node), env, f"{symbol.pointer}/copy/{len(copies)}"
                    )
                    if loop is not None:
                        copies.append(loop)
                else:
                    self.problem(
                        value_node, "a loop on a resource member of a looped resource is not converted"
                    )
                continue
            try:
                entry[key] = self.value(value_node, env, pointer)
            except Unconvertible as error:
                self.report(error)
        return explicit

    def write_depends_on(
        self,
        symbol: DeploySymbol,
        entry: dict[str, object],
        explicit: list[tuple[Node, Source, Node]],
        parent_deps: list[Dependency],
    ) -> None:
        implicit = self.deps or []
        self.deps = None  # references made while writing dependencies are not dependencies
        env = resource_env(self, symbol, None)
        written: list[str] = []
        nodes: list[tuple[Node, Source]] = []
        key_node: Node | None = None
        for item, source, key in explicit:
            key_node = key
            try:
                found = self.symbol_target(item, env)
            except Unconvertible as error:
                self.report(error)
                continue
            if found is None:
                self.problems.append(
                    (source.node_location(item), "dependsOn entry is not a resource or module of this file")
                )
                continue
            try:
                text = self.dependency_text(found[0], found[1])
            except Unconvertible as error:
                self.report(error)
                continue
            if text is not None and text not in written:
                written.append(text)
                nodes.append((item, source))
        for dep in [*parent_deps, *implicit]:
            target: DeploySymbol | None = dep.symbol
            index = dep.index
            # an existing resource is not deployed: wait for its nearest deployed ancestor instead
            while isinstance(target, ResourceSymbol) and target.existing:
                parent = target.parent
                try:
                    index = parent_index(self, target, index) if parent is not None else None
                except Unconvertible:
                    index = None
                target = parent
            if target is None or target is symbol:
                continue
            try:
                text = self.dependency_text(target, index)
            except Unconvertible as error:
                self.report(error)
                continue
            if text is not None and text not in written:
                written.append(text)
                nodes.append((dep.node, dep.source))
        whole = {text for text in written if not text.startswith("[")}
        if whole:  # a whole loop is waited for: its single copies need not be listed as well
            keep = [
                position
                for position, text in enumerate(written)
                if not (text.startswith("[") and self.loop_name_of(text, whole))
            ]
            written = [written[position] for position in keep]
            nodes = [nodes[position] for position in keep]
        if not written:
            return
        pointer = symbol.pointer + "/dependsOn"
        entry["dependsOn"] = written
        self.spans.value(pointer, self.source, key_node or symbol.node)
        if key_node is not None:
            self.spans.key(pointer, self.source, key_node)
        for position, (node, source) in enumerate(nodes):
            self.spans.value(f"{pointer}/{position}", source, node)

    def loop_name_of(self, text: str, names: set[str]) -> bool:
        """True when the dependency `text` (an id expression) is one copy of a loop in `names`."""
        return text in self.indexed_dependencies and self.indexed_dependencies[text] in names

    def dependency_text(self, symbol: DeploySymbol, index: str | None) -> str | None:
        """How `dependsOn` names a resource or module: its id, or the loop name for a whole loop;
        None for an existing resource (nothing is deployed, so nothing to wait for)."""
        if index is not None and ("copyIndex('" in index or "lambdaVariables(" in index):
            # indexed by a property loop: dependsOn is evaluated outside it, so wait for every copy
            index = None
        if isinstance(symbol, ResourceSymbol):
            if symbol.existing or symbol.index < 0:
                return None
            if symbol.looped and index is None:
                return symbol.name
            text = "[" + resource_id(self, symbol, index) + "]"
            if symbol.looped:
                self.indexed_dependencies[text] = symbol.name
            return text
        if symbol.index < 0:
            return None
        if symbol.looped and index is None:
            return symbol.name
        text = "[" + module_id(self, symbol, index) + "]"
        if symbol.looped:
            self.indexed_dependencies[text] = symbol.name
        return text

    # -- outputs --------------------------------------------------------------------------------------

    def outputs_section(self) -> dict[str, object]:
        result: dict[str, object] = {}
        for symbol in self.table.outputs:
            pointer = self.pointer("outputs", symbol.name)
            self.spans.value(pointer, self.source, symbol.node)
            self.spans.key(pointer, self.source, symbol.name_node)
            entry = self.declared_type(symbol, pointer, "output")
            if symbol.type_node is not None and symbol.type_node.type == "string":
                entry["type"] = "string"  # `output x resource 'T@v' = sym`: the resource id
            if symbol.value is None:
                self.problem(symbol.node, f"output '{symbol.name}' has no value")
            elif symbol.loop is not None:
                loop = symbol.loop
                if loop.collection is None or loop.body is None:
                    self.problem(symbol.node, f"incomplete loop in output '{symbol.name}'")
                else:
                    try:
                        collection = self.expr(loop.collection, {})
                        copy_pointer = pointer + "/copy"
                        self.spans.value(copy_pointer, self.source, loop.node)
                        self.spans.value(copy_pointer + "/count", self.source, loop.collection)
                        env = self.loop_env({}, loop, collection, "copyIndex()")
                        entry["copy"] = {
                            "count": f"[length({collection})]",
                            "input": self.value(loop.body, env, copy_pointer + "/input"),
                        }
                    except Unconvertible as error:
                        self.report(error)
            else:
                try:
                    entry["value"] = self.output_value(symbol, pointer + "/value")
                except Unconvertible as error:
                    self.report(error)
            result[symbol.name] = entry
        return result

    def output_value(self, symbol: ValueSymbol, pointer: str) -> object:
        node = symbol.value
        if node is None:
            return None
        if symbol.type_node is not None and symbol.type_node.type == "string":
            found = self.symbol_target(node, {})
            if found is not None and isinstance(found[0], ResourceSymbol):
                self.spans.value(pointer, self.source, node)
                return "[" + resource_id(self, found[0], found[1]) + "]"
        return self.value(node, {}, pointer)


def _union_members(node: Node) -> list[Node]:
    """The members of a union type, or [] for any other node.

    The grammar reads `'a' | 'b'` as a `union_type` or, depending on what follows it, as a
    `binary_expression` with the operator `|` (always so inside parentheses); both mean the union.
    """
    if node.type == "union_type":
        found: list[Node] = []
        for member in children(node):
            found.extend(_union_members(member) if member.type == "binary_expression" else [member])
        return found
    if node.type != "binary_expression":
        return []
    operator = field(node, "operator")
    if operator is None:
        operator = next((child for child in node.children if not child.is_named), None)
    if operator is None or node_text(operator) != "|":
        return []
    left, right = field(node, "left"), field(node, "right")
    if left is None or right is None:
        return []
    return (_union_members(left) or [left]) + (_union_members(right) or [right])


def _literal_type_value(node: Node) -> tuple[object] | None:
    """The value of a literal type (`'a'`, `1`, `-1`, `true`)."""
    kind = node.type
    if kind == "string":
        text = literal_string(node)
        return None if text is None else (text,)
    if kind == "number":
        try:
            return (int(node_text(node)),)
        except ValueError:
            return None
    if kind == "boolean":
        return (node_text(node) == "true",)
    if kind == "unary_expression":
        argument = field(node, "argument")
        if argument is not None and argument.type == "number":
            try:
                return (-int(node_text(argument)),)
            except ValueError:
                return None
    return None


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return "string"


__all__ = ["SCHEMAS", "Converter", "ModuleContext"]
