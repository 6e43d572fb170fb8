"""Template model → resource graph: which resources there are and how they relate.

Nodes are the resources the template declares (those of inline nested deployments and Bicep modules
too, grouped per deployment), plus the resources it only refers to (external nodes: the VMs a
protected item backs up, the VM an extension is installed on). Relations come from three places:

* parent / child: a resource declared inside another's `resources`, a full type and name under a
  declared resource's (`vaults/backupPolicies` named `vault/policy` under the vault
  `vault`), or an extension resource's `scope`. When no ancestor is declared, the top-level
  ancestor (the VM of `virtualMachines/extensions`) is an external node;
* `dependsOn`: each entry resolved to what it names — a resource id (`resourceId(...)`), a type and
  name, a name, a copy loop's name or (languageVersion 2.0) a symbolic name;
* references: every `resourceId()`-family, `reference()` and `list*()` call in the resource's
  members (`dependsOn` excluded), evaluated in the resource's context.

Names and ids are *evaluated* (`Evaluator.resource_instances`, copy loops expanded), so
`[resourceId('Microsoft.RecoveryServices/vaults', parameters('vaultName'))]` finds the vault named
`[parameters('vaultName')]` even though nobody knows the name offline: both are the same unknown.
A reference resolves to a declared resource only when `same()` proves the names equal; what it
cannot prove is drawn as an external node, never guessed onto a declared one. Copies are sampled
(`SAMPLE` per resource) so a loop of 800 costs no more than one of 32.
"""

from __future__ import annotations

from templategen.arm.eval_state import name_of
from templategen.arm.expressions import (
    Call,
    ExpressionError,
    IntLit,
    StringLit,
    calls,
    parse_cached,
    to_source,
)
from templategen.arm.names import is_expression
from templategen.arm.resource_names import name_value
from templategen.arm.values import INDEX_DIGITS, INT, Partial, Unknown, describe, same, split_text
from templategen.graph.model import (
    DEPENDS_ON,
    DEPLOYED,
    EDGE_KINDS,
    EXISTING,
    EXTERNAL,
    PARENT,
    REFERENCE,
    Edge,
    Graph,
    Group,
    Node,
)
from templategen.graph.readable import readable, shown
from templategen.graph.targets import (
    Target,
    id_call_target,
    is_id_call,
    name_key,
    parse_target,
    scope_matches,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from templategen.arm.declarations import CopyLoop
    from templategen.arm.evaluate import Evaluator, ResourceInstance
    from templategen.arm.expressions import Expr
    from templategen.arm.parameters import ParametersFile
    from templategen.arm.resource import Resource
    from templategen.arm.sites import ExpressionSite
    from templategen.arm.template import Template

#: Copies of a resource evaluated to find names and references.
SAMPLE = 32
#: Names shown in one node; more copies are summed up as `… N more`.
SHOWN_NAMES = 3
#: Longest evaluated name shown in a label.
NAME_LENGTH = 80


def build_graph(template: Template, parameters: ParametersFile | Mapping[str, object] | None = None) -> Graph:
    """The resource graph of `template` (and its nested deployments), names evaluated with
    `parameters` (a parameters file, a mapping of evaluated values, or None for the defaults)."""
    from templategen.arm.evaluate import Evaluator

    return _Builder(template, Evaluator(template, parameters)).build()


class _Copy:
    """What matching needs from one evaluated copy of a declared resource."""

    __slots__ = ("group", "instance", "names", "subscription")

    def __init__(self, instance: ResourceInstance) -> None:
        self.instance = instance
        name = instance.name  # `split(<parent's name>, '/')[i]` is a segment: arm/resource_names.py
        segments = split_text(name, "/", assume=True)
        self.names: list[object] = list(segments) if segments is not None else [name]
        scope = instance.evaluator.scope
        self.subscription = scope.subscription_id
        self.group = scope.resource_group
        if instance.resource.is_deployment:
            # A deployment to another resource group is a resource of that group.
            subscription = instance.get("subscriptionId")
            group = instance.get("resourceGroup")
            self.subscription = self.subscription if subscription is None else subscription
            self.group = self.group if group is None else group


class _Declared:
    """A resource of the template with its node and sampled copies."""

    __slots__ = ("copies", "count", "node", "resource", "type_lower")

    def __init__(self, resource: Resource, node: Node, copies: list[_Copy], count: object) -> None:
        self.resource = resource
        self.node = node
        self.copies = copies
        self.count = count
        self.type_lower = node.type.lower()

    @property
    def looped(self) -> bool:
        return bool(self.resource.loops)


class _Builder:
    def __init__(self, template: Template, evaluator: Evaluator) -> None:
        self.template = template
        self.ev = evaluator
        self.graph = Graph(template.path)
        self.declared: list[_Declared] = []
        self.by_resource: dict[int, _Declared] = {}
        # Declared copies by (lower-cased type, `name_key`); type "" for lookups by name alone.
        self.named: dict[tuple[str, tuple[object, ...]], list[tuple[_Declared, _Copy]]] = {}
        self.loops: dict[tuple[int, str], list[_Declared]] = {}  # (template, copy loop name)
        self.order: dict[int, int] = {}
        self.externals: dict[tuple[str, ...], Node] = {}
        # (dependent node, dependency node) -> kinds
        self.relations: dict[tuple[int, int], set[str]] = {}
        self.nodes_by_key: dict[int, Node] = {}
        self.sites: dict[int, list[ExpressionSite]] = {}

    # -- nodes ---------------------------------------------------------------------------------------

    def build(self) -> Graph:
        group_of: dict[int, str] = {id(self.template): ""}
        deployment_group: dict[int, str] = {}
        for nested in self.template.all_templates():
            if nested.parent is None or nested.deployment is None:
                continue
            group = Group(f"g{len(self.graph.groups) + 1}", "", group_of.get(id(nested.parent), ""))
            self.graph.groups.append(group)
            group_of[id(nested)] = group.id
            deployment_group[id(nested.deployment)] = group.id
        for nested in self.template.all_templates():
            for site in nested.expression_sites():
                if site.resource is not None:
                    self.sites.setdefault(id(site.resource), []).append(site)
            for resource in nested.resources:
                self._declare(resource, deployment_group.get(id(resource), group_of.get(id(nested), "")))
        for declared in self.declared:
            self._parents(declared)
            self._depends_on(declared)
            self._references(declared)
        self._finish(deployment_group)
        return self.graph

    def _declare(self, resource: Resource, group: str) -> None:
        instances = self.ev.resource_instances(resource)
        copies = [_Copy(instance) for instance in instances[:SAMPLE]]
        resource_type = resource.type or ""
        if not resource_type and copies:
            evaluated = copies[0].instance.type
            resource_type = evaluated if isinstance(evaluated, str) else ""
        kind = EXISTING if resource.existing else DEPLOYED
        node = Node(f"r{len(self.declared) + 1}", kind, resource_type, resource.pointer)
        node.group = group
        count: object = 1
        if resource.loops:
            count = self.ev.resource_count(resource)
            node.count = count_text(count, resource)
        names = [_last_name(copy.names) for copy in copies[:SHOWN_NAMES]]
        node.names = list(dict.fromkeys(names))
        if not copies and resource.name is not None:
            node.names = [readable(resource.name, NAME_LENGTH)]
        if resource.loops and copies and isinstance(count, int):
            node.more = max(count - len(copies[:SHOWN_NAMES]), 0)
        if resource.has_condition:
            node.condition = readable(resource.condition)
            values = {copy.instance.condition for copy in copies}
            if values == {True}:
                node.condition_value = "true"
            elif values == {False}:
                node.condition_value = "false"
        declared = _Declared(resource, node, copies, count)
        self.declared.append(declared)
        self.by_resource[id(resource)] = declared
        self.order[id(declared)] = len(self.order)
        for copy in copies:
            key = name_key(copy.names)
            if key is not None:
                self.named.setdefault((declared.type_lower, key), []).append((declared, copy))
                self.named.setdefault(("", key), []).append((declared, copy))
        loop = resource.copy
        if loop is not None and loop.name is not None:
            self.loops.setdefault((id(resource.template), loop.name.casefold()), []).append(declared)
        self.graph.nodes.append(node)

    # -- relations -----------------------------------------------------------------------------------

    def _relate(self, dependent: Node, dependency: Node, kind: str) -> None:
        if dependent is dependency:
            return
        self.nodes_by_key[id(dependent)] = dependent
        self.nodes_by_key[id(dependency)] = dependency
        self.relations.setdefault((id(dependent), id(dependency)), set()).add(kind)

    def _parents(self, declared: _Declared) -> None:
        resource = declared.resource
        if resource.parent is not None:
            self._relate(declared.node, self.by_resource[id(resource.parent)].node, PARENT)
            return
        if resource.scope is not None:
            found = self._resolve_each(
                declared,
                _member_target(resource.scope, resource.pointer_of("scope")),
                ("scope",),
                PARENT,
                same_template=False,
            )
            if found:
                return
        segments = declared.node.type.split("/")
        types = segments[1:]
        if len(types) < 2:
            return
        named = [
            Target(declared.node.type, copy.names, copy.subscription, copy.group)
            for copy in declared.copies
            if len(copy.names) == len(types)
        ]
        ancestors = self._ancestors(named)
        for ancestor in ancestors:
            self._relate(declared.node, ancestor.node, PARENT)
        if ancestors:
            return
        # No ancestor is declared: the top-level one exists already (the VM of an extension).
        root_type = "/".join(segments[:2])
        targets = [
            (Target(root_type, copy.names[:1], None, None), copy)
            for copy in declared.copies
            if len(copy.names) == len(types)
        ]
        self._externals(declared, ("parent",), [(target, copy) for target, copy in targets], PARENT)

    def _ancestors(self, targets: list[Target]) -> list[_Declared]:
        """The declared resources that are the nearest ancestors of `targets` (the copies of one
        child resource, or what one reference names): `vaults/backupPolicies` named `v/p` is under
        the vault `v`; when no `vaults/backupFabrics/protectionContainers` is declared, a protected
        item is under its vault."""
        if not targets:
            return []
        segments = targets[0].type.split("/")
        for depth in range(len(segments) - 2, 0, -1):
            found: list[_Declared] = []
            for target in targets:
                ancestor = Target(
                    "/".join(segments[: depth + 1]), target.names[:depth], target.subscription, target.group
                )
                found += [match for match in self._lookup(ancestor) if match not in found]
            if found:
                return found
        return []

    def _depends_on(self, declared: _Declared) -> None:
        resource = declared.resource
        for position, (raw, pointer) in enumerate(resource.depends_on):
            self._resolve_each(
                declared,
                _member_target(raw, pointer),
                ("dependsOn", str(position)),
                DEPENDS_ON,
                same_template=True,
            )

    def _references(self, declared: _Declared) -> None:
        resource = declared.resource
        # `dependsOn` and `scope` are edges of their own kinds.
        skipped = [
            p for p in (resource.pointer_of("dependsOn"), resource.pointer_of("scope")) if p is not None
        ]
        for site in self.sites.get(id(resource), []):
            if any(site.pointer == p or site.pointer.startswith(p + "/") for p in skipped):
                continue
            parsed = parse_cached(site.value)
            if isinstance(parsed, ExpressionError):
                continue
            property_loops = [loop for loop in site.loops if loop.kind == "property"]
            covered: set[int] = set()
            ids = False
            for position, call in enumerate(calls(parsed)):
                if id(call) in covered:
                    continue
                name = call.name.lower()
                if call.namespace is None and (name == "reference" or name.startswith("list")):
                    if not call.args:
                        continue
                    argument = call.args[0]
                    if isinstance(argument, Call):
                        covered.add(id(argument))
                elif is_id_call(call):
                    argument = call
                    ids = True
                else:
                    continue
                self._resolve_each(
                    declared,
                    _expression_target(argument, property_loops),
                    ("site", site.pointer, str(position)),
                    REFERENCE,
                    same_template=False,
                )
            if ids and isinstance(parsed, Call) and parsed.name.lower() in ("format", "concat"):
                # An id built on another's: `format('{0}/backupPolicies/{1}', vault.id, policy)`,
                # `concat(resourceId(...virtualNetworks...), '/subnets/', name)`.
                self._resolve_each(
                    declared,
                    _built_id_target(parsed, property_loops),
                    ("site", site.pointer, "built"),
                    REFERENCE,
                    same_template=False,
                )

    def _resolve_each(
        self,
        declared: _Declared,
        find: Callable[[_Copy], Target | None],
        site: tuple[str, ...],
        kind: str,
        *,
        same_template: bool,
    ) -> bool:
        """Evaluate a reference in each sampled copy, relate what it names; True when it named
        anything (declared or external)."""
        unresolved: list[tuple[Target, _Copy]] = []
        found = False
        for copy in declared.copies:
            target = find(copy)
            if target is None:
                continue
            matches = self._resolve(target, declared, same_template)
            if matches:
                found = True
                for match in matches:
                    self._relate(declared.node, match.node, kind)
            else:
                unresolved.append((target, copy))
        if unresolved:
            found = True
            self._externals(declared, site, unresolved, kind)
        return found

    def _resolve(self, target: Target, declared: _Declared, same_template: bool) -> list[_Declared]:
        """The declared resources `target` names. A name alone names a resource of the same
        template (or, `dependsOn: ['loopName']`, every copy of a loop); `dependsOn` prefers the
        same template, as ARM resolves it there."""
        template = declared.resource.template
        if not target.type and len(target.names) == 1 and isinstance(target.names[0], str):
            # languageVersion 2.0: `reference('vault')`, `dependsOn: ['vault']` name symbols.
            symbolic = template.symbolic_resources.get(target.names[0].lower())
            if symbolic is not None:
                return [self.by_resource[id(symbolic)]]
            looped = self.loops.get((id(template), target.names[0].casefold()))
            if looped:
                return looped
        matches = self._lookup(target)
        if not target.type:
            return [d for d in matches if d.resource.template is template]
        if same_template:
            local = [d for d in matches if d.resource.template is template]
            if local:
                return local
        return matches

    def _lookup(self, target: Target) -> list[_Declared]:
        """Declared resources whose type and name are provably `target`'s (in some sampled copy),
        found in a table keyed by type and `name_key` (what `same()` can prove of names)."""
        key = name_key(target.names)
        if key is None:
            return []
        pool = self.named.get((target.type.lower(), key), [])
        found = {id(c): c for c, copy in pool if scope_matches(target, copy.subscription, copy.group)}
        return sorted(found.values(), key=lambda c: self.order[id(c)])

    # -- external resources --------------------------------------------------------------------------

    def _externals(
        self, declared: _Declared, site: tuple[str, ...], found: list[tuple[Target, _Copy]], kind: str
    ) -> None:
        """Nodes for referenced resources the template does not declare.

        One node per resource, shared by every reference to it; but a reference that names another
        resource in each copy of a loop (`sourceResourceId` of the protected items) gets one node
        for the loop's targets, `virtualMachines ×2`, as the loop itself has one node.
        """
        keyed = [(_external_key(target, copy), target, copy) for target, copy in found]
        distinct = list(dict.fromkeys(key for key, _t, _c in keyed))
        varies = len(distinct) > 1
        if not isinstance(declared.count, int):
            varies = varies or any(_loop_dependent(target) for target, _copy in found)
        per_copy = declared.looped and varies
        if not per_copy:
            for key, target, copy in keyed:
                node = self.externals.get(key)
                if node is None:
                    node = _external_node(target, copy)
                    self.externals[key] = node
                    self._external_parents(node, [target])
                self._relate(declared.node, node, kind)
            return
        key = ("loop", declared.node.id, *site)
        node = self.externals.get(key)
        if node is None:
            first_target, first_copy = found[0]
            types = {target.type for target, _copy in found}
            node = _external_node(first_target if len(types) == 1 else Target("", []), first_copy)
            shown: dict[str, None] = {}
            for target, _copy in found:
                shown[_last_name(target.names)] = None
            names = list(shown)
            node.names = names[:SHOWN_NAMES]
            count = declared.count
            node.count = declared.node.count
            if isinstance(count, int):
                node.more = max(count - len(node.names), 0)
            self.externals[key] = node
            self._external_parents(node, [target for target, _copy in found])
        self._relate(declared.node, node, kind)

    def _external_parents(self, node: Node, targets: list[Target]) -> None:
        """A referenced subnet of a declared virtual network is drawn under that network."""
        typed = [target for target in targets if target.type and len(target.names) == target.type.count("/")]
        if len(typed) == len(targets):
            for ancestor in self._ancestors(typed):
                self._relate(node, ancestor.node, PARENT)

    # -- finishing -----------------------------------------------------------------------------------

    def _finish(self, deployment_group: dict[int, str]) -> None:
        graph = self.graph
        externals = sorted(self.externals.values(), key=_external_order)
        for index, node in enumerate(externals, start=1):
            node.id = f"x{index}"
            graph.nodes.append(node)
        order = {id(node): index for index, node in enumerate(graph.nodes)}
        edges: dict[tuple[int, int], set[str]] = {}
        for (dependent_key, dependency_key), kinds in self.relations.items():
            dependent = self.nodes_by_key[dependent_key]
            dependency = self.nodes_by_key[dependency_key]
            if dependency.kind == DEPLOYED:
                source, target = dependency, dependent
            else:
                source, target = dependent, dependency
            edges.setdefault((id(source), id(target)), set()).update(kinds)
        for (source_key, target_key), kinds in sorted(
            edges.items(), key=lambda item: (order[item[0][0]], order[item[0][1]])
        ):
            graph.edges.append(
                Edge(
                    graph.nodes[order[source_key]].id,
                    graph.nodes[order[target_key]].id,
                    tuple(kind for kind in EDGE_KINDS if kind in kinds),
                )
            )
        for declared in self.declared:
            group_id = deployment_group.get(id(declared.resource))
            if group_id is None:
                continue
            node = declared.node
            title = " ".join([node.title, *node.names[:1]])
            for group in graph.groups:
                if group.id == group_id:
                    group.title = title


# ----------------------------------------------------------------------------------------------------
# helpers


def count_text(count: object, resource: Resource) -> str:
    """`×2`, or `× length(vms)` when the count is not known offline."""
    if isinstance(count, int):
        return f"×{count}"
    loop = resource.copy if resource.copy is not None else resource.loops[-1]
    return "× " + readable(loop.count, 40)


def _last_name(names: list[object]) -> str:
    """The own name of a resource (last segment of its full name), described for a label."""
    if not names:
        return "?"
    return shown(names[-1], NAME_LENGTH)


def _loop_dependent(target: Target) -> bool:
    """True when a name depends on a copy index (so it differs from copy to copy)."""
    for name in target.names:
        parts = name.unknowns if isinstance(name, Partial) else [name] if isinstance(name, Unknown) else []
        if any("copyindex(" in part.label for part in parts):
            return True
    return False


def _external_key(target: Target, copy: _Copy) -> tuple[str, ...]:
    group = _group_detail(target, copy)
    return (target.type.lower(), *(describe(name).lower() for name in target.names), group.lower())


def _group_detail(target: Target, copy: _Copy) -> str:
    """`resource group <name>` when the id names a resource group other than (or not provably) the
    deployment's own."""
    if target.group is None or same(target.group, copy.group, ignore_case=True) is True:
        return ""
    return "resource group " + shown(target.group, NAME_LENGTH)


def _external_node(target: Target, copy: _Copy) -> Node:
    node = Node("", EXTERNAL, target.type)
    if target.type:
        node.names = [_last_name(target.names)] if target.names else []
    else:
        node.names = [shown("/".join(describe(name) for name in target.names))] if target.names else []
    node.detail = _group_detail(target, copy)
    return node


def _external_order(node: Node) -> tuple[str, list[str]]:
    return (node.type.lower(), [line.lower() for line in node.lines()])


def _member_target(raw: object, pointer: str | None) -> Callable[[_Copy], Target | None]:
    """What a member of the resource (a `dependsOn` entry, `scope`) names, in a given copy."""
    parsed = parse_cached(raw) if isinstance(raw, str) and is_expression(raw) else None
    if parsed is not None and not isinstance(parsed, ExpressionError) and is_id_call(parsed):
        return _expression_target(parsed, [])

    def run(copy: _Copy) -> Target | None:
        return parse_target(copy.instance.evaluate(raw, pointer))

    return run


def _expression_target(expr: Expr, property_loops: list[CopyLoop]) -> Callable[[_Copy], Target | None]:
    """What an expression (a resource id call, or the first argument of `reference()`) names, in a
    given copy. Property copy loops around it get a symbolic index: the graph wants what the loop
    refers to, not each element."""

    def run(copy: _Copy) -> Target | None:
        evaluate = _evaluator_in(copy, property_loops)
        if is_id_call(expr):
            assert isinstance(expr, Call)
            found = id_call_target(expr, evaluate)
            if found is not None:
                return found
        return parse_target(evaluate(expr))

    return run


def _built_id_target(expr: Call, property_loops: list[CopyLoop]) -> Callable[[_Copy], Target | None]:
    """What a `format()` / `concat()` names when it builds a full resource id (else nothing)."""

    def run(copy: _Copy) -> Target | None:
        target = parse_target(name_value(expr, _evaluator_in(copy, property_loops)))
        return target if target is not None and target.full_id else None

    return run


def _evaluator_in(copy: _Copy, property_loops: list[CopyLoop]) -> Callable[[Expr], object]:
    """Evaluate sub-expressions (taken out of a member) in a copy's context."""

    def evaluate(node: Expr) -> object:
        if isinstance(node, (StringLit, IntLit)):
            return node.value  # `['text']` is not an expression ARM accepts
        return _evaluate(copy, "[" + to_source(node) + "]", property_loops)

    return evaluate


def _evaluate(copy: _Copy, text: str, property_loops: list[CopyLoop]) -> object:
    instance = copy.instance
    if not property_loops:
        return instance.evaluate(text)
    loops = dict(instance.loops)
    for loop in property_loops:
        key = name_of(loop)
        loops[key] = Unknown(
            f"copyindex('{key}')",
            f"copyIndex('{loop.name}')",
            context=instance.evaluator.context,
            type=INT,
            alphabet=INDEX_DIGITS,
        )
    return instance.evaluator.evaluate(text, loops)
