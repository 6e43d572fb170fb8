"""Modules: a `module` declaration becomes a `Microsoft.Resources/deployments` resource, as the Bicep
compiler writes it.

The deployment evaluates in its own (inner) scope; `params` become `properties.parameters` (a
`keyVault.getSecret('name')` value becomes a Key Vault reference, as Resource Manager reads it); `scope`
becomes `resourceGroup` / `subscriptionId` / `scope` on the deployment; a local module file (`.bicep`,
or an ARM `.json`) is read into `properties.template`, so the rules see what it deploys and the
positions of its values stay in its own file. Registry (`br:`) and template-spec (`ts:`) modules stay
without a template: nothing can be read offline.
"""

from __future__ import annotations

from templategen.arm.names import escape_token, write_literal
from templategen.bicep.references import (
    DEPLOYMENTS,
    DEPLOYMENTS_API,
    RESOURCE_GROUP,
    module_name,
    resource_id,
    scope_of,
)
from templategen.bicep.symbols import ResourceSymbol, property_key, property_value
from templategen.bicep.syntax import (
    Unconvertible,
    children,
    field,
    first_named,
    literal_string,
    node_text,
    unwrap,
)

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from templategen.bicep.convert import Converter
    from templategen.bicep.expressions import Env
    from templategen.bicep.symbols import ModuleSymbol
    from templategen.bicep.syntax import Node

#: how deep local modules are read (a module of a module of …); deeper ones stay opaque
MAX_MODULE_DEPTH = 8
#: module body members the conversion reads
MODULE_MEMBERS = frozenset({"name", "scope", "params", "dependsOn"})


def module_deployment(converter: Converter, symbol: ModuleSymbol) -> dict[str, object]:
    pointer = symbol.pointer
    converter.spans.value(pointer, converter.source, symbol.node)
    converter.spans.key(pointer, converter.source, symbol.name_node)
    entry: dict[str, object] = {}
    env = converter.loop_header(symbol, entry)
    entry["type"] = DEPLOYMENTS
    entry["apiVersion"] = DEPLOYMENTS_API
    converter.spans.value(pointer + "/type", converter.source, symbol.path_node)
    converter.spans.value(pointer + "/apiVersion", converter.source, symbol.path_node)
    name_prop = symbol.member_property("name")
    name_node = property_value(name_prop) if name_prop is not None else None
    if name_prop is not None and name_node is not None:
        key = first_named(name_prop)
        if key is not None:
            converter.spans.key(pointer + "/name", converter.source, key)
        try:
            entry["name"] = converter.value(name_node, env, pointer + "/name")
        except Unconvertible as error:
            converter.report(error)
    else:
        entry["name"] = module_name(converter, symbol, None)
        converter.spans.value(pointer + "/name", converter.source, symbol.name_node)
    scope_members(converter, symbol, entry)
    for prop in children(symbol.body) if symbol.body is not None else []:
        member = property_key(prop) if prop.type == "object_property" else None
        if member is not None and member not in MODULE_MEMBERS:
            converter.problem(prop, f"module member '{member}' is not converted")
    properties: dict[str, object] = {
        "expressionEvaluationOptions": {"scope": "inner"},
        "mode": "Incremental",
    }
    converter.spans.value(pointer + "/properties", converter.source, symbol.body or symbol.node)
    properties["parameters"] = deployment_parameters(converter, symbol, env)
    template = module_template(converter, symbol)
    if template is not None:
        properties["template"] = template
    entry["properties"] = properties
    explicit = converter.body_members(symbol, env, {}, MODULE_MEMBERS)
    converter.write_depends_on(symbol, entry, explicit, [])
    return entry


def scope_members(converter: Converter, symbol: ModuleSymbol, entry: dict[str, object]) -> None:
    """`scope:` of a module → `subscriptionId` / `resourceGroup` / `scope` on the deployment."""
    node = symbol.scope_node
    try:
        kind, scope = scope_of(converter, node, symbol)
    except Unconvertible as error:
        converter.report(error)
        kind, scope = "default", []
    pointer = symbol.pointer
    members: dict[str, str] = {}
    if kind == "rg":
        if len(scope) == 2:
            members["subscriptionId"] = "[" + scope[0] + "]"
        members["resourceGroup"] = "[" + scope[-1] + "]"
    elif kind == "sub":
        members["subscriptionId"] = "[" + scope[0] + "]" if scope else "[subscription().subscriptionId]"
    elif kind == "mg":
        group = scope[0] if scope else "managementGroup().name"
        members["scope"] = f"[format('Microsoft.Management/managementGroups/{{0}}', {group})]"
    elif kind == "tenant":
        members["scope"] = "/"
    elif kind == "extension":
        converter.problem(
            node or symbol.node, "a module cannot be scoped to a resource; read as the file's scope"
        )
    for member, value in members.items():
        entry[member] = _unwrap_literal(value)
        if node is not None:
            converter.spans.value(pointer + "/" + member, converter.source, node)
    if kind != "rg" and (kind != "default" or converter.target_scope != RESOURCE_GROUP):
        entry["location"] = "[deployment().location]"
        converter.spans.value(pointer + "/location", converter.source, symbol.node)


def deployment_parameters(converter: Converter, symbol: ModuleSymbol, env: Env) -> dict[str, object] | str:
    """The deployment's `parameters`: `{name: {"value": ...}}`, or, when `params` spreads an object
    (`...common`), an expression: which names it passes is only known from that object's value."""
    result: dict[str, object] = {}
    params = symbol.member("params")
    base = symbol.pointer + "/properties/parameters"
    if params is None:
        return result
    converter.spans.value(base, converter.source, params)
    if unwrap(params).type != "object":
        converter.problem(params, "module params must be an object")
        return result
    spread = converter.first_spread(unwrap(params))
    if spread is not None:
        converter.problem(
            spread, "module params spread an object: the parameters it passes are read as one expression"
        )
        try:
            return "[" + converter.expr(params, env) + "]"
        except Unconvertible as error:
            converter.report(error)
            return result
    for prop in children(unwrap(params)):
        if prop.type != "object_property":
            continue
        key = property_key(prop)
        key_node = first_named(prop)
        value_node = property_value(prop)
        if key is None or key_node is None or value_node is None:
            continue
        pointer = base + "/" + escape_token(key)
        converter.spans.value(pointer, converter.source, prop)
        converter.spans.key(pointer, converter.source, key_node)
        secret = key_vault_reference(converter, value_node, env, pointer)
        if secret is not None:
            result[key] = secret
            continue
        try:
            if unwrap(value_node).type == "for_statement":
                value: object = "[" + converter.expr(value_node, env) + "]"
                converter.spans.value(pointer + "/value", converter.source, value_node)
            else:
                value = converter.value(value_node, env, pointer + "/value")
        except Unconvertible as error:
            converter.report(error)
            continue
        result[key] = {"value": value}
    return result


def key_vault_reference(converter: Converter, node: Node, env: Env, pointer: str) -> dict[str, object] | None:
    """`kv.getSecret('name')` as a module parameter → a Key Vault reference, as the compiler writes."""
    inner = unwrap(node)
    if inner.type != "call_expression":
        return None
    function = field(inner, "function")
    if function is None or function.type != "member_expression":
        return None
    method = field(function, "property")
    target = field(function, "object")
    if method is None or target is None or node_text(method) != "getSecret":
        return None
    found = converter.symbol_target(target, env)
    if found is None or not isinstance(found[0], ResourceSymbol):
        return None
    arguments = field(inner, "arguments")
    args = children(arguments) if arguments is not None else []
    if not args:
        return None
    converter.spans.value(pointer + "/reference", converter.source, inner)
    try:
        secret: dict[str, object] = {
            "keyVault": {"id": "[" + resource_id(converter, found[0], found[1]) + "]"},
            "secretName": converter.value(args[0], env, pointer + "/reference/secretName"),
        }
        if len(args) > 1:
            secret["secretVersion"] = converter.value(args[1], env, pointer + "/reference/secretVersion")
    except Unconvertible as error:
        converter.report(error)
        return None
    return {"reference": secret}


def module_template(converter: Converter, symbol: ModuleSymbol) -> dict[str, object] | None:
    """Read a local module file into the deployment's inline template (None when not local)."""
    path = literal_string(symbol.path_node)
    if path is None:
        converter.problem(symbol.path_node, "a module path must be a literal string")
        return None
    if path.startswith(("br:", "br/", "ts:", "ts/")):
        return None  # registry and template-spec modules: nothing local to read
    if converter.directory is None:
        converter.problem(symbol.path_node, f"module '{path}' not read: the file has no folder on disk")
        return None
    from templategen.bicep.document import read_module

    base = symbol.pointer + "/properties/template"
    converter.spans.value(base, converter.source, symbol.path_node)
    depth = len(converter.context.stack)
    if depth >= MAX_MODULE_DEPTH:
        converter.problem(
            symbol.path_node, f"module '{path}' not read: more than {MAX_MODULE_DEPTH} levels deep"
        )
        return None
    return read_module(converter, symbol, path, base)


def _unwrap_literal(written: str) -> str:
    """`[ 'x' ]` → `x`: a scope member that is only a string literal is written as that string."""
    body = written[1:-1]
    if len(body) >= 2 and body[0] == "'" and body[-1] == "'" and "'" not in body[1:-1].replace("''", ""):
        return write_literal(body[1:-1].replace("''", "'"))
    return written
