"""Links between resources that the extension rules need: dependsOn chains, locations, backups.

All answers are three-valued like `same`: True when provable, False when provably not, None when
the template does not say. Rules report only on False (a missing dependency, another location) or
act only on True (this VM is backed up).

* `depends_on(instance, target)`: does a resource wait for `target`? Directly (a `dependsOn` entry
  that is the target's resource id, `type/name`, name, symbolic name or copy-loop name) or through
  another resource of the template that does (ARM orders transitively).
* `same_location(a, b)`: locations compare without case and spaces (`West Europe` = `westeurope`).
* `backs_up(item, machine)`: a protected item's `sourceResourceId` names this VM: same name, same
  resource group, same subscription. `machines_backed_up(ctx, item)` gives every such VM of the
  file; the VM snapshot rules (TG513: a backed-up VM must allow extensions) and the protected item
  rules (TG624: the item waits for the VM, TG626: the VM is in the vault's region) all ask it.

Resource ids are split at `/` with unknown pieces taken as separator-free: the unknown pieces of an
id are subscription ids, resource group and resource names, which never contain `/`.
"""

from __future__ import annotations

from templategen.arm.names import is_expression
from templategen.arm.values import Partial, Unknown, known_text, same, split_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.arm.instances import ResourceInstance
    from templategen.lint.context import LintContext
    from templategen.rules.vmsnapshot import Machine

#: How many resources a dependency chain may pass through before the answer is "cannot tell".
MAX_CHAIN = 6


def _segments(value: object) -> list[str | Partial | Unknown] | None:
    return split_text(value, "/", assume=True)


def _type_and_names(segments: list[str | Partial | Unknown]) -> tuple[str, list[object]] | None:
    """(full type, name segments) of a resource id or `Namespace/type/name[/type/name]` reference;
    None when the known text does not show the structure."""
    texts = [known_text(segment) for segment in segments]
    start = 0
    for index, text in enumerate(texts):
        if text is not None and text.lower() == "providers":
            start = index + 1
    rest = segments[start:]
    rest_texts = texts[start:]
    if len(rest) < 3 or len(rest) % 2 == 0:
        return None
    namespace = rest_texts[0]
    if namespace is None or "." not in namespace:
        return None
    types = rest_texts[1::2]
    if any(text is None for text in types):
        return None
    full_type = namespace + "/" + "/".join(str(text) for text in types)
    return full_type, list(rest[2::2])


def names_resource(reference: object, instance: ResourceInstance) -> bool | None:
    """Does a `dependsOn` value (evaluated) name this resource copy?"""
    segments = _segments(reference)
    if segments is None:
        return None
    target_type = instance.resource.type
    if len(segments) == 1:
        return same(segments[0], instance.name, ignore_case=True)
    parsed = _type_and_names(segments)
    if parsed is None or target_type is None:
        return None
    full_type, names = parsed
    if full_type.lower() != target_type.lower():
        return False
    own = _segments(instance.name)
    if own is None:
        return None
    if len(own) != len(names):
        return None
    results = [same(a, b, ignore_case=True) for a, b in zip(names, own, strict=False)]
    if any(result is False for result in results):
        return False
    return True if all(result is True for result in results) else None


def _names_by_label(raw: object, instance: ResourceInstance) -> bool:
    """A literal dependsOn entry that is the resource's symbolic name or its copy loop's name."""
    if not isinstance(raw, str) or is_expression(raw):
        return False
    resource = instance.resource
    low = raw.lower()
    if resource.symbolic_name is not None and resource.symbolic_name.lower() == low:
        return True
    return resource.copy is not None and resource.copy.name is not None and resource.copy.name.lower() == low


def depends_on(ctx: LintContext, instance: ResourceInstance, target: ResourceInstance) -> bool | None:
    """Does `instance` wait for `target` (directly or through other resources of the template)?"""
    return _depends(ctx, instance, target, 0, {}, set())


def _depends(
    ctx: LintContext,
    instance: ResourceInstance,
    target: ResourceInstance,
    depth: int,
    memo: dict[int, bool | None],
    active: set[int],
) -> bool | None:
    """Depth-first search over `dependsOn`. `memo` holds finished answers; `active` the resources
    being explored, and meeting one of those again adds no path that is not already followed."""
    key = id(instance)
    if key in memo:
        return memo[key]
    if key in active:
        return False
    if depth > MAX_CHAIN:
        return None
    active.add(key)
    try:
        result = _search(ctx, instance, target, depth, memo, active)
    finally:
        active.discard(key)
    memo[key] = result
    return result


def _search(
    ctx: LintContext,
    instance: ResourceInstance,
    target: ResourceInstance,
    depth: int,
    memo: dict[int, bool | None],
    active: set[int],
) -> bool | None:
    unsure = False
    for raw, pointer in instance.resource.depends_on:
        if _names_by_label(raw, target):
            return True
        value = instance.evaluate(raw, pointer)
        direct = names_resource(value, target)
        if direct is True:
            return True
        if direct is None:
            unsure = True
            continue
        # Provably not the target itself: perhaps a resource that waits for it.
        for other in _candidates(ctx, raw, value, instance, target):
            named = True if _names_by_label(raw, other) else names_resource(value, other)
            if named is False:
                continue
            through = _depends(ctx, other, target, depth + 1, memo, active)
            if through is True and named is True:
                return True
            if through is not False:
                unsure = True
    return None if unsure else False


def _candidates(
    ctx: LintContext, raw: object, reference: object, instance: ResourceInstance, target: ResourceInstance
) -> list[ResourceInstance]:
    """The resource copies a `dependsOn` entry may name: by its evaluated id, those of the type it
    shows with that name (or an unknown one); by a bare name, any resource so named, or whose
    symbolic name or copy loop it is; the instance itself and the target excluded."""
    from templategen.rules.vmsnapshot import scan

    segments = _segments(reference)
    parsed = _type_and_names(segments) if segments is not None and len(segments) > 1 else None
    found = scan(ctx)
    if parsed is None:
        bare = known_text(segments[0]) if segments is not None and len(segments) == 1 else None
        pool = found.instances_of_type(None) if bare is None else found.instances_named(None, bare)
        if isinstance(raw, str) and not is_expression(raw):
            pool = pool + found.instances_labelled(raw)
    else:
        names = [known_text(name) for name in parsed[1]]
        if all(name is not None for name in names):
            pool = found.instances_named(parsed[0], "/".join(str(name) for name in names))
        else:
            pool = found.instances_of_type(parsed[0])
    return [other for other in pool if other is not instance and other is not target]


def _location_text(value: object) -> str | None:
    text = known_text(value)
    return None if text is None else text.replace(" ", "").lower()


def same_location(a: object, b: object) -> bool | None:
    """Are two evaluated locations the same region? (`West Europe` is `westeurope`.)"""
    first, second = _location_text(a), _location_text(b)
    if first is not None and second is not None:
        return first == second
    return same(a, b, ignore_case=True)


def machines_backed_up(ctx: LintContext, item: ResourceInstance) -> list[Machine]:
    """The VMs of the file (any deployment in it, `existing` ones included and flagged, condition
    not false) that the protected item provably backs up; see `backs_up`."""
    from templategen.rules.vmsnapshot import VM_TYPE, scan

    segments = _segments(item.get("properties", "sourceResourceId"))
    if segments is None or len(segments) < 4:
        return []
    return [machine for machine in scan(ctx).machines_named(VM_TYPE, segments[-1]) if backs_up(item, machine)]


def backs_up(item: ResourceInstance, machine: Machine) -> bool:
    """True when the protected item's `sourceResourceId` provably names this VM (name, resource
    group and, when written, subscription). A scale set is never an item's source."""
    from templategen.rules.vmsnapshot import VM_TYPE

    if machine.kind != VM_TYPE:
        return False
    segments = _segments(item.get("properties", "sourceResourceId"))
    if segments is None or len(segments) < 4:
        return False
    texts = [(known_text(segment) or "").lower() for segment in segments]
    if texts[-2] != "virtualmachines" or texts[-3] != "microsoft.compute":
        return False
    if same(segments[-1], machine.name, ignore_case=True) is not True:
        return False
    if "resourcegroups" not in texts:
        return False
    group = segments[texts.index("resourcegroups") + 1]
    if same(group, machine.instance.evaluate("[resourceGroup().name]"), ignore_case=True) is not True:
        return False
    if "subscriptions" in texts:
        subscription = segments[texts.index("subscriptions") + 1]
        own = machine.instance.evaluate("[subscription().subscriptionId]")
        if same(subscription, own, ignore_case=True) is not True:
            return False
    return True
