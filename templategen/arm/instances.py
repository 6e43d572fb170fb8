"""The copies of a resource that would be deployed, and the nested evaluators they need.

`Evaluator.resource_instances(resource)` comes here: every copy loop around the resource is
expanded (counts evaluated in the enclosing loops, at most `MAX_INSTANCES` instances), and a
resource of an inner-scope nested template is expanded once per instance of its deployment, in a
child evaluator whose parameters are that deployment's `properties.parameters` and whose resource
group and subscription follow its `resourceGroup` / `subscriptionId`.
"""

from __future__ import annotations

from templategen.arm.eval_state import (
    MAX_INSTANCES,
    Frame,
    Given,
    Stop,
    as_text,
    index_text,
    name_of,
)
from templategen.arm.names import is_expression, walk_path
from templategen.arm.resource_ids import Scope
from templategen.arm.values import Unknown, ci_get, describe, quote

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Iterable

    from templategen.arm.declarations import CopyLoop
    from templategen.arm.evaluate import Evaluator
    from templategen.arm.expressions import Expr
    from templategen.arm.resource import Resource
    from templategen.arm.template import Template


class ResourceInstance:
    """One copy of a resource: its evaluator and loop indexes, and its evaluated name, type and
    condition. `symbolic` is true when a loop count is unknown (the indexes are then unknowns)."""

    __slots__ = ("_cache", "evaluator", "index", "loops", "resource")

    def __init__(
        self,
        evaluator: Evaluator,
        resource: Resource,
        loops: dict[str, object],
        index: tuple[object, ...] | None = None,
    ) -> None:
        self.evaluator = evaluator
        self.resource = resource
        self.loops = loops
        if index is None:
            index = tuple(loops[name_of(loop)] for loop in resource.loops)
        self.index = index
        self._cache: dict[tuple[str | int, ...], object] = {}

    @property
    def symbolic(self) -> bool:
        return any(isinstance(value, Unknown) for value in self.index)

    @property
    def name(self) -> object:
        """The full name (parent names included), evaluated: str, Partial or Unknown."""
        resource = self.resource
        if resource.name is None:
            return self.evaluator._unique(f"name({quote(resource.pointer)})", "name")
        if ("name",) not in self._cache:
            pointer = resource.pointer_of("name") or resource.pointer
            value = self._evaluate(resource.name, pointer)
            if "split(" in resource.name.lower() and resource.type is not None:
                value = self._segmented_name(resource.name, resource.type.count("/"), value)
            self._cache[("name",)] = value
        return self._cache[("name",)]

    def _segmented_name(self, written: str, levels: int, value: object) -> object:
        """A name built from `split(<parent's full name>, '/')[i]` (Bicep's child of a parent
        named in one piece), read segment by segment (`arm/resource_names.py`); `value` when that
        proves nothing."""
        from templategen.arm.expressions import ExpressionError, IntLit, StringLit, parse_cached, to_source
        from templategen.arm.resource_names import full_name

        parsed = parse_cached(written) if is_expression(written) else None
        if parsed is None or isinstance(parsed, ExpressionError):
            return value

        def evaluate(node: Expr) -> object:
            if isinstance(node, (StringLit, IntLit)):
                return node.value
            # The whole name was evaluated above: its problems are recorded once, there.
            return self.evaluator._quietly(
                lambda: self.evaluator.evaluate("[" + to_source(node) + "]", self.loops)
            )

        found = full_name(parsed, levels, evaluate)
        return value if found is None else found

    @property
    def type(self) -> object:
        """The full type: the model's literal type, else the evaluated `type` member."""
        if self.resource.type is not None:
            return self.resource.type
        return self.get("type")

    @property
    def condition(self) -> object:
        """True when the resource has no condition, else the evaluated condition (bool or unknown)."""
        if not self.resource.has_condition:
            return True
        if ("condition",) not in self._cache:
            found = walk_path(self.resource.raw, self.resource.pointer, ("condition",))
            assert found is not None
            self._cache[("condition",)] = self.evaluator.evaluate(found[0], self.loops, found[1])
        return self._cache[("condition",)]

    def get(self, *path: str | int, default: object = None) -> object:
        """A member of the resource, evaluated in this instance (`get("properties", "policyId")`);
        `default` when absent. Keys are matched case-insensitively."""
        found = walk_path(self.resource.raw, self.resource.pointer, path)
        if found is None:
            return default
        key = tuple(path)
        if key not in self._cache:
            self._cache[key] = self._evaluate(found[0], found[1])
        return self._cache[key]

    def evaluate(self, value: object, pointer: str | None = None) -> object:
        """Any value evaluated in this instance's context (its loops, its nested scope)."""
        return self._evaluate(value, pointer)

    def _evaluate(self, value: object, pointer: str | None) -> object:
        # Resource Manager evaluates the members of a resource only when it deploys it: a resource
        # whose condition is false (or unknown here) records no problems, as its errors may never
        # happen (`condition: equals(type, 'sql')` guarding `parameters('sql').server`).
        if self.condition is True:
            return self.evaluator.evaluate(value, self.loops, pointer)
        return self.evaluator._quietly(lambda: self.evaluator.evaluate(value, self.loops, pointer))

    def __repr__(self) -> str:
        index = ", ".join(index_text(value) for value in self.index)
        return f"ResourceInstance({self.resource.label!r}[{index}] name={describe(self.name, 60)!r})"


def instances_of(ev: Evaluator, resource: Resource) -> list[ResourceInstance]:
    out: list[ResourceInstance] = []
    for evaluator, base in contexts_for(ev, resource.template):
        out.extend(expand(evaluator, resource, base))
        if len(out) > MAX_INSTANCES:
            ev._record(
                resource.pointer,
                f"more than {MAX_INSTANCES} instances (bound): evaluated symbolically",
                0,
                0,
                "bound",
                force=True,
            )
            return [ResourceInstance(evaluator, resource, symbolic_loops(evaluator, resource.loops, base))]
    return out


def contexts_for(ev: Evaluator, template: Template) -> list[tuple[Evaluator, dict[str, object]]]:
    if template is ev.template:
        return [(ev, {})]
    parent = template.parent
    if parent is None:
        raise ValueError(f"{template!r} is not part of the template this evaluator evaluates")
    if template.evaluation_scope == "outer":
        return contexts_for(ev, parent)
    deployment = template.deployment
    assert deployment is not None
    contexts: list[tuple[Evaluator, dict[str, object]]] = []
    for evaluator, base in contexts_for(ev, parent):
        for instance in expand(evaluator, deployment, base):
            if instance.condition is False:
                continue
            contexts.append((child_evaluator(evaluator, template, instance), {}))
            if len(contexts) > MAX_INSTANCES:
                raise Stop(f"more than {MAX_INSTANCES} nested deployment instances (bound)")
    return contexts


def child_evaluator(ev: Evaluator, template: Template, deployment: ResourceInstance) -> Evaluator:
    suffix = "#" + ",".join(index_text(index) for index in deployment.index) if deployment.index else ""
    context = template.pointer + suffix
    key = (template.pointer, context)
    child = ev._shared.children.get(key)
    if child is not None:
        return child
    given: dict[str, object] = {}
    declared = deployment.get("properties", "parameters")
    if isinstance(declared, dict):
        for name, entry in declared.items():
            if isinstance(entry, dict):
                found, value = ci_get(entry, "value")
                if found:
                    given[name.lower()] = value
                elif ci_get(entry, "reference")[0]:
                    given[name.lower()] = Given(secret=True)
    elif declared is not None:
        for name in template.parameters:
            given[name] = Given(secret=False)
    sub_ctx, rg_ctx, _deploy = ev._scope_contexts
    subscription_id = ev.scope.subscription_id
    group = ev.scope.resource_group
    # A null target means "the parent's", as when the member is absent.
    target_subscription = deployment.get("subscriptionId")
    if target_subscription is not None:
        subscription_id = as_text(target_subscription, "subscription id", context)
        sub_ctx = rg_ctx = context
    target_group = deployment.get("resourceGroup")
    if target_group is not None:
        group = as_text(target_group, "resource group name", context)
        rg_ctx = context
    scope = Scope(template.scope, subscription_id, group, ev.scope.management_group)
    child = type(ev)(
        template,
        given,
        context=context,
        scope=scope,
        _shared=ev._shared,
        _scope_contexts=(sub_ctx, rg_ctx, context),
    )
    ev._shared.children[key] = child
    return child


def expand(ev: Evaluator, resource: Resource, base: dict[str, object]) -> list[ResourceInstance]:
    loops = resource.loops
    default_loop = next((loop for loop in reversed(loops) if loop.kind == "resource"), None)
    states: list[tuple[dict[str, object], tuple[object, ...]]] = [(dict(base), ())]
    for loop in loops:
        next_states: list[tuple[dict[str, object], tuple[object, ...]]] = []
        for bound, indexes in states:
            pointer = loop.pointer
            count = ev._count(loop, Frame(bound, pointer), pointer)
            key = name_of(loop)
            values: Iterable[object] = range(count) if count is not None else [ev._symbolic_index(loop)]
            for value in values:
                state = {**bound, key: value}
                if loop is default_loop:
                    state[""] = value
                next_states.append((state, (*indexes, value)))
                if len(next_states) > MAX_INSTANCES:
                    ev._record(
                        resource.pointer,
                        f"more than {MAX_INSTANCES} instances (bound): evaluated symbolically",
                        0,
                        0,
                        "bound",
                        force=True,
                    )
                    return [ResourceInstance(ev, resource, symbolic_loops(ev, loops, base))]
        states = next_states
    return [ResourceInstance(ev, resource, bound, indexes) for bound, indexes in states]


def symbolic_loops(ev: Evaluator, loops: tuple[CopyLoop, ...], base: dict[str, object]) -> dict[str, object]:
    bound = dict(base)
    default_loop = next((loop for loop in reversed(loops) if loop.kind == "resource"), None)
    for loop in loops:
        value = ev._symbolic_index(loop)
        bound[name_of(loop)] = value
        if loop is default_loop:
            bound[""] = value
    return bound
