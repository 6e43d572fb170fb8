"""The resource id functions: `resourceId`, `subscriptionResourceId`, `tenantResourceId`,
`extensionResourceId`, `managementGroupResourceId` (template-functions-resource).

They only build strings, so they are computed offline, as partial strings when a part is unknown:
`resourceId('Microsoft.Compute/virtualMachines', parameters('vm'))` in a resource-group deployment
is `/subscriptions/<subscription().subscriptionid>/resourceGroups/<resourcegroup().name>/providers/
Microsoft.Compute/virtualMachines/<parameters('vm')>`. The implicit subscription and resource group
are the deployment's (`Scope`), which a nested deployment to another resource group changes.

Formats, from the reference:

* resource group: `/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}]`
* subscription:   `/subscriptions/{sub}/providers/{ns}/{type}/{name}` (also `resourceId` without a
  resource group in a subscription deployment)
* tenant:         `/providers/{ns}/{type}/{name}` (also `resourceId` in a tenant or management group
  deployment)
* extension:      `{baseResourceId}/providers/{ns}/{type}/{name}`
* management group: `/providers/Microsoft.Management/managementGroups/{mg}/providers/{ns}/{type}/{name}`

The resource type is told from the other arguments by its shape (`Namespace.Part/type`): a
subscription id or a resource group name never contains a dot followed by a slash that way.
"""

from __future__ import annotations

import re

from templategen.arm.builtin import type_name
from templategen.arm.values import (
    ArmError,
    Partial,
    Undecidable,
    Unknown,
    join_text,
    text_parts,
)

_TYPE = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+(?:/[A-Za-z0-9_.-]+)+/?")
_MG_PREFIX = "/providers/Microsoft.Management/managementGroups/"


class Scope:
    """What the id functions need from the deployment: its scope ("resourceGroup", "subscription",
    "managementGroup", "tenant") and the implicit subscription id, resource group name and
    management group name (values: known strings or unknowns)."""

    __slots__ = ("deployment_scope", "management_group", "resource_group", "subscription_id")

    def __init__(
        self, deployment_scope: str, subscription_id: object, resource_group: object, management_group: object
    ) -> None:
        self.deployment_scope = deployment_scope
        self.subscription_id = subscription_id
        self.resource_group = resource_group
        self.management_group = management_group


def _is_type(value: object) -> bool:
    return isinstance(value, str) and _TYPE.fullmatch(value) is not None


def _text(value: object, what: str) -> object:
    if isinstance(value, (str, Partial)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(int(value))  # `resourceId(type, prefix, copyIndex())`: deployed by the corpus's CI
    if isinstance(value, Unknown):
        if value.type not in (None, "string"):
            raise ArmError(f"the {what} must be a string, not {value.type}")
        return value
    raise ArmError(f"the {what} must be a string, not {type_name(value)}")


def _type_and_names(name: str, args: list[object]) -> list[object]:
    """`{ns}/{type1}/{name1}/{type2}/{name2}` pieces from a type argument and the name arguments."""
    if not args:
        raise ArmError(f"{name}() needs a resource type")
    resource_type = args[0]
    if isinstance(resource_type, (Unknown, Partial)):
        raise Undecidable("unknown resource type")
    if not isinstance(resource_type, str) or "/" not in resource_type:
        raise ArmError(f"{name}() expects a resource type such as 'Microsoft.Compute/virtualMachines'")
    namespace, *types = resource_type.strip("/").split("/")
    names = [_text(item, "resource name") for item in args[1:]]
    if not names:
        raise ArmError(f"{name}() needs the resource name after the type")
    if len(names) != len(types):
        # A name may carry several segments ('vnet/subnet'): allowed when the count then matches.
        segments = 0
        for item in names:
            parts = text_parts(item)
            assert parts is not None
            if any(isinstance(part, Unknown) for part in parts):
                raise Undecidable("unknown name segments")
            segments += "".join(part for part in parts if isinstance(part, str)).count("/") + 1
        if segments != len(types):
            # The reference asks for one name per type segment but does not say what happens
            # otherwise, and the corpus's CI deploys `resourceId('.../hostGroups', prefix,
            # copyIndex(2))` in a dependsOn: not reported, not guessed.
            raise Undecidable("the names do not match the segments of the type")
        joined = join_text(_interleave(names, "/"))
        return [namespace, "/", _pair_segments(types, joined)]
    pieces: list[object] = [namespace]
    for type_segment, item in zip(types, names, strict=False):
        pieces.extend(("/", type_segment, "/", item))
    return pieces


def _interleave(items: list[object], separator: str) -> list[object]:
    out: list[object] = []
    for index, item in enumerate(items):
        if index:
            out.append(separator)
        out.append(item)
    return out


def _pair_segments(types: list[str], names: object) -> object:
    assert isinstance(names, str)
    pieces: list[object] = []
    for index, (type_segment, item) in enumerate(zip(types, names.split("/"), strict=False)):
        if index:
            pieces.append("/")
        pieces.extend((type_segment, "/", item))
    return join_text(pieces)


def resource_id(args: list[object], scope: Scope) -> object:
    """`resourceId([subscriptionId], [resourceGroupName], resourceType, resourceName1, ...)`."""
    position = next((index for index, arg in enumerate(args[:3]) if _is_type(arg)), None)
    if position is None:
        if any(isinstance(arg, (Unknown, Partial)) for arg in args[:3]):
            raise Undecidable("cannot tell which argument is the resource type")
        raise ArmError("resourceId() expects a resource type such as 'Microsoft.Compute/virtualMachines'")
    tail = _type_and_names("resourceId", args[position:])
    if position == 2:
        subscription, group = _text(args[0], "subscription id"), _text(args[1], "resource group name")
    elif position == 1:
        subscription, group = scope.subscription_id, _text(args[0], "resource group name")
    else:
        if scope.deployment_scope in ("managementGroup", "tenant"):
            return join_text(["/providers/", *tail])
        if scope.deployment_scope == "subscription":
            return join_text(["/subscriptions/", scope.subscription_id, "/providers/", *tail])
        subscription, group = scope.subscription_id, scope.resource_group
    return join_text(["/subscriptions/", subscription, "/resourceGroups/", group, "/providers/", *tail])


def subscription_resource_id(args: list[object], scope: Scope) -> object:
    """`subscriptionResourceId([subscriptionId], resourceType, resourceName1, ...)`."""
    if args and _is_type(args[0]):
        subscription: object = scope.subscription_id
        tail = _type_and_names("subscriptionResourceId", args)
    elif len(args) > 1 and _is_type(args[1]):
        subscription = _text(args[0], "subscription id")
        tail = _type_and_names("subscriptionResourceId", args[1:])
    elif any(isinstance(arg, (Unknown, Partial)) for arg in args[:2]):
        raise Undecidable("cannot tell which argument is the resource type")
    else:
        raise ArmError("subscriptionResourceId() expects a resource type")
    return join_text(["/subscriptions/", subscription, "/providers/", *tail])


def tenant_resource_id(args: list[object]) -> object:
    """`tenantResourceId(resourceType, resourceName1, ...)`."""
    return join_text(["/providers/", *_type_and_names("tenantResourceId", args)])


def extension_resource_id(args: list[object]) -> object:
    """`extensionResourceId(baseResourceId, resourceType, resourceName1, ...)`."""
    if not args:
        raise ArmError("extensionResourceId() needs a base resource id")
    base = _text(args[0], "base resource id")
    return join_text([base, "/providers/", *_type_and_names("extensionResourceId", args[1:])])


def management_group_resource_id(args: list[object], scope: Scope) -> object:
    """`managementGroupResourceId([managementGroupResourceId], resourceType, resourceName1, ...)`.

    The optional first argument is a management group *name* in the reference's examples; an id
    (starting with `/providers/Microsoft.Management/managementGroups/`) is used as it is."""
    if args and _is_type(args[0]):
        group: object = join_text([_MG_PREFIX, scope.management_group])
        tail = _type_and_names("managementGroupResourceId", args)
    elif len(args) > 1 and _is_type(args[1]):
        given = _text(args[0], "management group")
        if isinstance(given, str) and given.lower().startswith(_MG_PREFIX.lower()):
            group = given
        elif isinstance(given, str):
            group = _MG_PREFIX + given
        else:
            raise Undecidable("unknown management group: a name or an id")
        tail = _type_and_names("managementGroupResourceId", args[1:])
    elif any(isinstance(arg, (Unknown, Partial)) for arg in args[:2]):
        raise Undecidable("cannot tell which argument is the resource type")
    else:
        raise ArmError("managementGroupResourceId() expects a resource type")
    return join_text([group, "/providers/", *tail])
