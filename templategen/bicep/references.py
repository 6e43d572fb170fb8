"""References to resources and modules: names, ids, scopes, `reference()` and `list*()` calls.

What a Bicep symbol stands for in ARM depends on where the resource lives and on which copy of a loop
is meant: `vm.id` is `resourceId('Microsoft.Compute/virtualMachines', parameters('vm'))` in a
resource-group template, `subscriptionResourceId(…)` at subscription scope, `resourceId(rg, …)` for an
existing resource in another group, `extensionResourceId(target, …)` for an extension resource, and
`vms[i].id` binds the loop variable of `vms` to copy `i`. These functions compute that from the
symbols, for the expressions converter (`templategen.bicep.expressions`) and for the sections
(`templategen.bicep.convert`): name segments (a one-piece child name is split into the type's levels),
scopes, ids, and the compiler's forms of `reference()`.

They read another declaration's nodes "quietly": references met there are not dependencies of the
resource being converted.
"""

from __future__ import annotations

import re

from templategen.arm.names import as_argument, is_expression, join_names, literal_value, quote, write_literal
from templategen.bicep.symbols import DeploySymbol, ResourceSymbol
from templategen.bicep.syntax import Unconvertible, children, field, node_text, string_parts, unwrap

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from templategen.bicep.expressions import Emitter, Env
    from templategen.bicep.syntax import Node

DEPLOYMENTS = "Microsoft.Resources/deployments"
#: apiVersion written on the deployments that modules become (any recent one would do)
DEPLOYMENTS_API = "2022-09-01"
RESOURCE_GROUP = "resourceGroup"
SUBSCRIPTION = "subscription"
MANAGEMENT_GROUP = "managementGroup"
TENANT = "tenant"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def access(base: str, name: str, safe: bool) -> str:
    """`base.name`, `base['odd-name']`, or `tryGet(base, 'name')` for Bicep's safe access `.?`."""
    if safe:
        return f"tryGet({base}, {quote(name)})"
    if _IDENTIFIER.match(name):
        return f"{base}.{name}"
    return f"{base}[{quote(name)}]"


def resource_env(emitter: Emitter, symbol: DeploySymbol, index: str | None) -> Env:
    """The loop variables of a resource or module, at `index` (its own `copyIndex()` when None).

    Empty when the loop's collection cannot be converted: that was reported with the declaration's
    own loop, and whoever needs a loop variable meets an unknown name and reports it where it is.
    """
    loop = symbol.loop
    if loop is None or loop.collection is None:
        return {}
    saved = emitter.deps, emitter.nested_scopes
    emitter.deps = None
    emitter.nested_scopes = scopes_of(symbol)[:-1]
    try:
        collection = emitter.expr(loop.collection, {})
    except Unconvertible:
        return {}
    finally:
        emitter.deps, emitter.nested_scopes = saved
    return emitter.loop_env({}, loop, collection, index if index is not None else "copyIndex()")


def quietly(emitter: Emitter, symbol: DeploySymbol, node: Node, env: Env) -> str:
    """A template string for a node of another declaration, without recording its references as
    dependencies of the resource being converted, nor its nested scopes."""
    saved = emitter.deps, emitter.nested_scopes
    emitter.deps = None
    emitter.nested_scopes = scopes_of(symbol)
    try:
        return emitter.template_string(node, env)
    finally:
        emitter.deps, emitter.nested_scopes = saved


def name_segments(emitter: Emitter, symbol: ResourceSymbol, index: str | None) -> list[str]:
    """The full name of a resource as template strings, one per level (parent's first)."""
    name_node = symbol.member("name")
    if name_node is None:
        raise Unconvertible(symbol.name_node, f"resource '{symbol.name}' has no name")
    env = resource_env(emitter, symbol, index)
    parent = symbol.parent
    if parent is None:
        levels = symbol.full_type.count("/") if symbol.full_type else 1
        if levels > 1:
            return split_name(emitter, symbol, name_node, env, levels)
        return [quietly(emitter, symbol, name_node, env)]
    own = quietly(emitter, symbol, name_node, env)
    return [*name_segments(emitter, parent, parent_index(emitter, symbol, index)), own]


def own_name(emitter: Emitter, symbol: ResourceSymbol, index: str | None) -> str:
    """What `symbol.name` means in Bicep: the `name` as written (a child's own segment)."""
    name_node = symbol.member("name")
    if name_node is None:
        raise Unconvertible(symbol.name_node, f"resource '{symbol.name}' has no name")
    return quietly(emitter, symbol, name_node, resource_env(emitter, symbol, index))


def split_name(emitter: Emitter, symbol: ResourceSymbol, node: Node, env: Env, levels: int) -> list[str]:
    """The segments of a full name written in one piece (`'${vault}/${policy}'` on a
    `vaults/backupPolicies` resource without `parent:`): split at the literal slashes when there
    are as many segments as the type has levels, else `split(name, '/')[i]` as the compiler does."""
    inner = unwrap(node)
    if inner.type == "string":
        groups: list[list[str | Node]] = [[]]
        for part in string_parts(inner):
            if isinstance(part, str):
                pieces = part.split("/")
                for position, piece in enumerate(pieces):
                    if position:
                        groups.append([])
                    if piece:
                        groups[-1].append(piece)
            else:
                groups[-1].append(part)
        if len(groups) == levels and all(groups):
            saved = emitter.deps, emitter.nested_scopes
            emitter.deps = None
            emitter.nested_scopes = scopes_of(symbol)
            try:
                return [segment(emitter, group, env) for group in groups]
            finally:
                emitter.deps, emitter.nested_scopes = saved
    whole = quietly(emitter, symbol, node, env)
    if not is_expression(whole):
        pieces = literal_value(whole).split("/")
        if len(pieces) == levels:
            return [write_literal(piece) for piece in pieces]
        return [whole]
    body = as_argument(whole)
    return [f"[split({body}, '/')[{position}]]" for position in range(levels)]


def segment(emitter: Emitter, parts: list[str | Node], env: Env) -> str:
    """A template string for the parts of one name segment (literal text and interpolations)."""
    if all(isinstance(part, str) for part in parts):
        return write_literal("".join(part for part in parts if isinstance(part, str)))
    if len(parts) == 1 and not isinstance(parts[0], str):
        return "[" + emitter.expr(parts[0], env) + "]"
    return "[" + emitter.interpolate(parts, env) + "]"


def parent_index(emitter: Emitter, symbol: ResourceSymbol, index: str | None) -> str | None:
    parent = symbol.parent
    if parent is None or parent.loop is None:
        return None
    if symbol.parent_index is not None:
        saved = emitter.deps
        emitter.deps = None
        try:
            return emitter.expr(symbol.parent_index, resource_env(emitter, symbol, index))
        finally:
            emitter.deps = saved
    if symbol.loop is parent.loop:
        return index if index is not None else "copyIndex()"
    raise Unconvertible(symbol.name_node, f"cannot tell which '{parent.name}' is the parent")


def resource_scope(
    emitter: Emitter, symbol: ResourceSymbol, index: str | None = None
) -> tuple[str, list[str]]:
    """Where a resource lives: ("default", []) for the file's scope, ("rg", [sub?, rg]),
    ("sub", [sub?]), ("tenant", []), ("mg", [name?]) or ("extension", [resource id])."""
    top = symbol
    while top.parent is not None:
        index = parent_index(emitter, top, index)
        top = top.parent
    return scope_of(emitter, top.scope_node, top, index)


def scope_of(
    emitter: Emitter, node: Node | None, owner: DeploySymbol, index: str | None = None
) -> tuple[str, list[str]]:
    if node is None:
        return "default", []
    inner = unwrap(node)
    if inner.type == "call_expression":
        function = field(inner, "function")
        arguments = field(inner, "arguments")
        args = children(arguments) if arguments is not None else []
        if function is not None:
            name = node_text(function)
            for prefix in ("az.", "sys."):
                if name.startswith(prefix):
                    name = name[len(prefix) :]
            env = resource_env(emitter, owner, index)
            converted = [emitter.expr(arg, env) for arg in args]
            if name == "resourceGroup":
                if not converted and emitter.target_scope == RESOURCE_GROUP:
                    return "default", []
                return "rg", converted if converted else ["resourceGroup().name"]
            if name == "subscription":
                if not converted and emitter.target_scope == SUBSCRIPTION:
                    return "default", []
                return "sub", converted
            if name == "tenant":
                return ("default", []) if emitter.target_scope == TENANT else ("tenant", [])
            if name == "managementGroup":
                if not converted and emitter.target_scope == MANAGEMENT_GROUP:
                    return "default", []
                return "mg", converted
    found = emitter.symbol_target(inner, resource_env(emitter, owner, index))
    target = found[0] if found is not None else None
    if found is not None and isinstance(target, ResourceSymbol):
        index = found[1]
        emitter.record(target, index, inner)
        if (target.full_type or "").lower() == "microsoft.resources/resourcegroups":
            return "rg", [as_argument(join_names(name_segments(emitter, target, index)))]
        return "extension", [resource_id(emitter, target, index), scope_path(emitter, target, index)]
    raise Unconvertible(node, f"cannot convert the scope {node_text(node)!r}")


def resource_id(emitter: Emitter, symbol: ResourceSymbol, index: str | None) -> str:
    if symbol.full_type is None:
        raise Unconvertible(symbol.type_node, f"the type of resource '{symbol.name}' is unknown")
    segments = name_segments(emitter, symbol, index)
    saved = emitter.deps
    emitter.deps = None
    try:
        kind, scope = resource_scope(emitter, symbol, index)
    finally:
        emitter.deps = saved
    return id_in_scope(emitter, kind, scope, symbol.full_type, segments)


def scope_path(emitter: Emitter, symbol: ResourceSymbol, index: str | None) -> str:
    """The `scope` of an extension resource: the target's path relative to the deployment scope
    (`Microsoft.Storage/storageAccounts/{name}`), as the compiler writes it; the full id when the
    target lives elsewhere. A template string."""
    saved = emitter.deps
    emitter.deps = None
    try:
        kind = resource_scope(emitter, symbol, index)[0]
    finally:
        emitter.deps = saved
    if kind != "default" or symbol.full_type is None:
        return "[" + resource_id(emitter, symbol, index) + "]"
    segments = name_segments(emitter, symbol, index)
    namespace, *types = symbol.full_type.split("/")
    if len(types) != len(segments):
        return "[" + resource_id(emitter, symbol, index) + "]"
    pieces = [namespace]
    args: list[str] = []
    for kind_name, segment in zip(types, segments, strict=True):
        pieces.append(kind_name)
        if is_expression(segment):
            pieces.append("{" + str(len(args)) + "}")
            args.append(as_argument(segment))
        else:
            pieces.append(literal_value(segment).replace("{", "{{").replace("}", "}}"))
    pattern = "/".join(pieces)
    if not args:
        return write_literal(pattern.replace("{{", "{").replace("}}", "}"))
    return "[format(" + ", ".join([quote(pattern), *args]) + ")]"


def id_in_scope(
    emitter: Emitter, kind: str, scope: list[str], resource_type: str, segments: list[str]
) -> str:
    names = [quote(resource_type), *(as_argument(segment) for segment in segments)]
    if kind == "default":
        kind = {SUBSCRIPTION: "sub", TENANT: "tenant", MANAGEMENT_GROUP: "mg"}.get(emitter.target_scope, "rg")
        scope = []
    if kind == "rg":
        return "resourceId(" + ", ".join([*scope, *names]) + ")"
    if kind == "sub":
        return "subscriptionResourceId(" + ", ".join([*scope, *names]) + ")"
    if kind == "tenant":
        return "tenantResourceId(" + ", ".join(names) + ")"
    if kind == "mg":
        group = (
            f"tenantResourceId('Microsoft.Management/managementGroups', {scope[0]})"
            if scope
            else "managementGroup().id"
        )
        return "extensionResourceId(" + ", ".join([group, *names]) + ")"
    return "extensionResourceId(" + ", ".join([scope[0], *names]) + ")"


def reference(emitter: Emitter, symbol: ResourceSymbol, index: str | None, full: bool) -> str:
    """`reference()` of a resource, written as the compiler does: without the API version for a
    resource deployed by this template (ARM knows it), with it for an existing one or `'full'`."""
    args = [resource_id(emitter, symbol, index)]
    if full or symbol.existing:
        if symbol.api_version is None:
            raise Unconvertible(symbol.type_node, f"resource '{symbol.name}' has no API version")
        args.append(quote(symbol.api_version))
    if full:
        args.append("'full'")
    return "reference(" + ", ".join(args) + ")"


def module_reference(emitter: Emitter, symbol: DeploySymbol, index: str | None) -> str:
    """`reference()` of a module's deployment (outputs are read from it)."""
    if module_scope(emitter, symbol, index)[0] == "default":
        return f"reference({module_id(emitter, symbol, index)})"
    return f"reference({module_id(emitter, symbol, index)}, {quote(DEPLOYMENTS_API)})"


def resource_member(
    emitter: Emitter, symbol: ResourceSymbol, index: str | None, name: str, node: Node
) -> str:
    if name == "id":
        return resource_id(emitter, symbol, index)
    if name == "name":
        return as_argument(own_name(emitter, symbol, index))
    if name == "type":
        if symbol.full_type is None:
            raise Unconvertible(node, f"the type of resource '{symbol.name}' is unknown")
        return quote(symbol.full_type)
    if name == "apiVersion":
        if symbol.api_version is None:
            raise Unconvertible(node, f"resource '{symbol.name}' has no API version")
        return quote(symbol.api_version)
    emitter.runtime += 1
    if name == "properties":
        return reference(emitter, symbol, index, full=False)
    return access(reference(emitter, symbol, index, full=True), name, False)


def resource_method(
    emitter: Emitter,
    symbol: ResourceSymbol,
    index: str | None,
    name: str,
    args: list[Node],
    env: Env,
    node: Node,
) -> str:
    if not name.lower().startswith("list"):
        raise Unconvertible(node, f"{name}() on a resource is only converted in module parameters")
    if symbol.api_version is None:
        raise Unconvertible(node, f"resource '{symbol.name}' has no API version")
    emitter.runtime += 1
    converted = [emitter.expr(arg, env) for arg in args]
    if not converted:
        converted = [quote(symbol.api_version)]
    return name + "(" + ", ".join([resource_id(emitter, symbol, index), *converted]) + ")"


def module_name(emitter: Emitter, symbol: DeploySymbol, index: str | None) -> str:
    """The deployment name of a module (a template string); Bicep derives one when none is given."""
    name_node = symbol.member("name")
    if name_node is None:
        return f"[format('{symbol.name}-{{0}}', uniqueString({quote(symbol.name)}, deployment().name))]"
    return quietly(emitter, symbol, name_node, resource_env(emitter, symbol, index))


def module_scope(emitter: Emitter, symbol: DeploySymbol, index: str | None = None) -> tuple[str, list[str]]:
    saved = emitter.deps
    emitter.deps = None
    try:
        return scope_of(emitter, symbol.scope_node, symbol, index)
    finally:
        emitter.deps = saved


def module_id(emitter: Emitter, symbol: DeploySymbol, index: str | None) -> str:
    kind, scope = module_scope(emitter, symbol, index)
    name = module_name(emitter, symbol, index)
    if kind == "rg" and len(scope) == 1 and emitter.target_scope != RESOURCE_GROUP:
        # `resourceId(rg, …)` needs a subscription context; name it explicitly elsewhere
        scope = ["subscription().subscriptionId", *scope]
    if kind == "extension":
        kind, scope = "default", []
    return id_in_scope(emitter, kind, scope, DEPLOYMENTS, [name])


def scopes_of(symbol: DeploySymbol) -> list[dict[str, ResourceSymbol]]:
    """The nested-resource scopes visible inside `symbol`'s body: its own, then its ancestors'."""
    scopes: list[dict[str, ResourceSymbol]] = []
    node: DeploySymbol | None = symbol
    while isinstance(node, ResourceSymbol):
        scopes.append(node.nested)
        node = node.lexical_parent
    scopes.reverse()
    return scopes
