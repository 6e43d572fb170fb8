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

from templategen.arm.expressions import Call, StringLit
from templategen.arm.resource_names import segment_of, split_uses
from templategen.arm.values import Partial, Unknown, same, split_text, text_parts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from templategen.arm.expressions import Expr

_NAMESPACE = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+")
_TYPE = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+(?:/[A-Za-z0-9_.-]+)+")


class Target:
    """A referenced resource.

    type          full type (`Microsoft.Compute/virtualMachines`), "" for a name alone
    names         name segments (evaluated values: str, Partial or Unknown)
    subscription  the id's subscription segment when the value is a full id, else None
    group         the id's resource group segment when written, else None
    full_id       the value was a full resource id (`/subscriptions/.../providers/...`)
    """

    __slots__ = ("full_id", "group", "names", "subscription", "type")

    def __init__(
        self,
        resource_type: str,
        names: list[object],
        subscription: object = None,
        group: object = None,
        full_id: bool = False,
    ) -> None:
        self.type = resource_type
        self.names = names
        self.subscription = subscription
        self.group = group
        self.full_id = full_id

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
    full_id = bool(prefix) and texts[0] == ""
    return Target(resource_type, list(names), subscription, group, full_id)


def name_key(names: list[object]) -> tuple[object, ...] | None:
    """A key equal for two lists of name segments exactly when `same(..., ignore_case=True)` proves
    every segment equal: text compares case-folded and an unknown piece only to itself (its
    identity), which is all `same()` can prove of names. None when a segment is not text."""
    key: list[object] = []
    for name in names:
        parts = text_parts(name)
        if parts is None:
            return None
        key.append(tuple(part.casefold() if isinstance(part, str) else part.identity(True) for part in parts))
    return tuple(key)


def scope_matches(target: Target, subscription: object, group: object) -> bool:
    """True unless the id names a resource group or subscription that is not provably the
    resource's own (`resourceId('rg-hub', ...)` in a deployment to an unknown group may well
    name another group: not guessed)."""
    if target.group is not None and same(target.group, group, ignore_case=True) is not True:
        return False
    return not (target.subscription is not None and same(target.subscription, subscription, True) is not True)


# ----------------------------------------------------------------------------------------------------
# resource id calls, read from their arguments

#: Resource id functions → how many optional arguments may come before the type (subscription id,
#: resource group name, base resource id, management group).
_ID_FUNCTIONS = {
    "resourceid": 2,
    "subscriptionresourceid": 1,
    "tenantresourceid": 0,
    "extensionresourceid": 1,
    "managementgroupresourceid": 1,
}


def is_id_call(expr: Expr) -> bool:
    return isinstance(expr, Call) and expr.namespace is None and expr.name.lower() in _ID_FUNCTIONS


def id_call_target(call: Call, evaluate: Callable[[Expr], object]) -> Target | None:
    """The resource a `resourceId()`-family call names, read argument by argument.

    Reading the arguments rather than the evaluated id keeps what the text proves: the type is a
    literal, and a name argument written `split(<full name>, '/')[i]` (how Bicep compiles a parent
    reference) is segment i of that name, even when the name has unknown pieces
    (`arm/resource_names.py`, which the resource instances' names use too). Evaluating the whole
    call cannot split such a name, since an unknown piece might hold a `/`; resource names never
    do. None when the type is not a literal.
    """
    optional = _ID_FUNCTIONS[call.name.lower()]
    args = call.args
    position = next(
        (
            index
            for index, arg in enumerate(args[: optional + 1])
            if isinstance(arg, StringLit) and _TYPE.fullmatch(arg.value.strip("/"))
        ),
        None,
    )
    if position is None:
        return None
    type_arg = args[position]
    assert isinstance(type_arg, StringLit)
    resource_type = type_arg.value.strip("/")
    names: list[object] = []
    uses = split_uses(call)
    for arg in args[position + 1 :]:
        segments = split_text(segment_of(arg, evaluate, uses), "/", assume=True)
        if segments is None:
            return None
        names.extend(segments)
    if len(names) != resource_type.count("/"):
        return None
    subscription: object = None
    group: object = None
    if call.name.lower() == "resourceid":
        if position == 2:
            subscription, group = evaluate(args[0]), evaluate(args[1])
        elif position == 1:
            group = evaluate(args[0])
    elif call.name.lower() == "subscriptionresourceid" and position == 1:
        subscription = evaluate(args[0])
    return Target(resource_type, names, subscription, group)
