"""What a resource reference names: a type and name segments, read from an evaluated value.

`dependsOn`, `resourceId()`, `reference()`, `list*()` and `scope` name another resource in one of
several shapes, and the graph needs to know *which* resource, whether it is declared in the
template or not:

* a resource id: `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/
  virtualMachines/<vm>` (what `resourceId()` evaluates to, usually a partial string); for an
  extension resource the last `providers/` segment starts the type;
* a type and a name without the id prefix: `Microsoft.Network/networkInterfaces/nic1` (accepted by
  `dependsOn`, written by Bicep for `scope`);
* a name alone: `myVnet`, `vnet/subnet1` (`dependsOn`, `reference('myStorage')`).

Values come from the evaluator, so names may be partly unknown (`<parameters('vm')>`). Azure
resource names never contain `/`, so unknown pieces are assumed not to when splitting
(`split_text(..., assume=True)`). Matching uses `same()`: a reference names a declared resource
only when the names are *provably* the same, never on a guess.
"""

from __future__ import annotations

import re

from templategen.arm.values import Partial, Unknown, same, split_text

_NAMESPACE = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+")


class Target:
    """A referenced resource.

    type          full type (`Microsoft.Compute/virtualMachines`), "" for a name alone
    names         name segments (evaluated values: str, Partial or Unknown)
    subscription  the id's subscription segment when the value is a full id, else None
    group         the id's resource group segment when written, else None
    """

    __slots__ = ("group", "names", "subscription", "type")

    def __init__(
        self, resource_type: str, names: list[object], subscription: object = None, group: object = None
    ) -> None:
        self.type = resource_type
        self.names = names
        self.subscription = subscription
        self.group = group

    def __repr__(self) -> str:
        return f"Target({self.type!r}, {self.names!r}, group={self.group!r})"


def parse_target(value: object) -> Target | None:
    """The resource `value` names, or None when it is not text (or is text that names nothing)."""
    if isinstance(value, Unknown) and not value.deterministic:
        return None
    if isinstance(value, Partial) and any(not part.deterministic for part in value.unknowns):
        return None
    segments = split_text(value, "/", assume=True)
    if segments is None or not segments:
        return None
    texts = [segment if isinstance(segment, str) else None for segment in segments]
    start = None
    for index in range(len(segments) - 2, -1, -1):
        text = texts[index]
        following = texts[index + 1]
        if text is not None and text.lower() == "providers" and following and _NAMESPACE.fullmatch(following):
            start = index + 1
            break
    prefix: list[object] = []
    if start is None:
        first = texts[0]
        if first is not None and len(segments) >= 3 and _NAMESPACE.fullmatch(first):
            start = 0
        else:
            if any(text == "" for text in texts):
                return None  # `a//b`, a leading or trailing `/`: neither a name nor an id
            return Target("", list(segments))
    else:
        prefix = list(segments[: start - 1])
    rest = segments[start:]
    types = rest[1::2]
    names = rest[2::2]
    if not types or len(types) != len(names) or any(not isinstance(t, str) or not t for t in types):
        return None
    resource_type = "/".join([str(rest[0]), *(str(t) for t in types)])
    subscription: object = None
    group: object = None
    for index in range(len(prefix) - 1):
        word = texts[index]
        if word is None:
            continue
        if word.lower() == "subscriptions":
            subscription = prefix[index + 1]
        elif word.lower() == "resourcegroups":
            group = prefix[index + 1]
    return Target(resource_type, list(names), subscription, group)


def same_names(first: list[object], second: list[object]) -> bool:
    """True when two lists of name segments are provably equal (names are case-insensitive)."""
    if len(first) != len(second):
        return False
    return all(same(a, b, ignore_case=True) is True for a, b in zip(first, second, strict=True))


def scope_may_match(target: Target, subscription: object, group: object) -> bool:
    """False only when the id names another resource group or subscription than the resource's."""
    if target.group is not None and same(target.group, group, ignore_case=True) is False:
        return False
    return not (target.subscription is not None and same(target.subscription, subscription, True) is False)
