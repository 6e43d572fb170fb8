"""The functions that need the evaluator itself: `parameters`, `variables`, `copyIndex`, the lazy
`if`/`and`/`or`/`coalesce`, the values of the deployment (`resourceGroup()`, `reference()`...), the
resource id family (they use the deployment's scope) and the lambda functions.

Each takes the evaluator, the call node (arguments unevaluated: `if` must not evaluate the branch it
does not take) and the frame, and raises `ArmError` / `Undecidable` / `BoundExceeded` like the pure
functions of `arm/fn_*.py`; the evaluator turns those into problems and unknowns.
"""

from __future__ import annotations

from templategen.arm.eval_state import Frame, Lambda, kind_of
from templategen.arm.expressions import Call, Expr, to_source
from templategen.arm.functions import LAMBDA_TAKERS
from templategen.arm.resource_ids import (
    extension_resource_id,
    management_group_resource_id,
    resource_id,
    subscription_resource_id,
    tenant_resource_id,
)
from templategen.arm.values import (
    ARRAY,
    BOOL,
    DIGITS,
    GUID_CHARS,
    INDEX_DIGITS,
    INT,
    OBJECT,
    STRING,
    ArmError,
    Partial,
    Undecidable,
    Unknown,
    is_known,
    is_secret,
    join_text,
    quote,
    same,
)

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Callable

    from templategen.arm.evaluate import Evaluator

#: Calls whose value differs on every evaluation, or comes from Azure at deployment time.
RUNTIME_FUNCTIONS = frozenset({"reference", "references", "pickzones", "providers", "utcnow", "newguid"})
_GUID_LOWER = "0123456789abcdef-"


def _args(ev: Evaluator, node: Call, frame: Frame) -> list[object]:
    return [ev._eval(arg, frame) for arg in node.args]


def fn_parameters(ev: Evaluator, node: Call, frame: Frame) -> object:
    name = ev._eval(node.args[0], frame)
    if not isinstance(name, str):
        if isinstance(name, (Unknown, Partial)):
            raise Undecidable("parameter name unknown")
        raise ArmError("parameters() expects the parameter name as a string")
    if frame.fn_args is not None:
        key = name.lower()
        if key not in frame.fn_args:
            raise ArmError(f"the function has no parameter '{name}'")
        return frame.fn_args[key]
    return ev._parameter(name, frame)


def fn_variables(ev: Evaluator, node: Call, frame: Frame) -> object:
    name = ev._eval(node.args[0], frame)
    if not isinstance(name, str):
        if isinstance(name, (Unknown, Partial)):
            raise Undecidable("variable name unknown")
        raise ArmError("variables() expects the variable name as a string")
    if frame.fn_args is not None:
        raise ArmError("user-defined functions cannot use variables()")
    return ev._variable(name, frame)


def fn_copy_index(ev: Evaluator, node: Call, frame: Frame) -> object:
    args = _args(ev, node, frame)
    loop_name: str | None = None
    offset: object = 0
    if args and isinstance(args[0], str):
        loop_name = args[0]
        if len(args) > 1:
            offset = args[1]
    elif args:
        offset = args[0]
        if len(args) > 1:
            raise ArmError("copyIndex() takes the loop name first, then the offset")
    if isinstance(offset, (Unknown, Partial)) or not is_known(offset):
        raise Undecidable("unknown offset")
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise ArmError("copyIndex() offset must be an integer")
    key = "" if loop_name is None else loop_name.lower()
    index = frame.loops.get(key)
    if index is None:
        shown = "" if loop_name is None else quote(loop_name)
        index = Unknown(
            f"copyindex({'' if loop_name is None else quote(key)})",
            f"copyIndex({shown})",
            context=ev.context,
            type=INT,
            alphabet=INDEX_DIGITS,
        )
    if isinstance(index, int) and not isinstance(index, bool):
        return index + offset
    if not offset:
        return index
    return ev._derived("add", "add", [index, offset], INT, DIGITS)


def fn_if(ev: Evaluator, node: Call, frame: Frame) -> object:
    condition = ev._eval(node.args[0], frame)
    if condition is True:
        return ev._eval(node.args[1], frame)
    if condition is False:
        return ev._eval(node.args[2], frame)
    if not isinstance(condition, Unknown) or condition.type not in (None, BOOL):
        raise ArmError(f"if() expects a boolean condition, not a {kind_of(condition)}")
    ev._shared.speculative += 1
    try:
        first = ev._eval(node.args[1], frame)
        second = ev._eval(node.args[2], frame)
    finally:
        ev._shared.speculative -= 1
    if same(first, second) is True:
        return first
    return ev._derived("if", "if", [condition, first, second], nodes=node.args, frame=frame)


def fn_and_or(ev: Evaluator, node: Call, frame: Frame) -> object:
    is_and = node.name.lower() == "and"
    decisive = not is_and  # False decides `and`, True decides `or`
    unknowns: list[object] = []
    for arg in node.args:
        value = ev._eval(arg, frame)
        if value is decisive:
            return decisive
        if isinstance(value, bool):
            continue
        if isinstance(value, Unknown) and value.type in (None, BOOL):
            unknowns.append(value)
            continue
        raise ArmError(f"{node.name}() expects booleans, not a {kind_of(value)}")
    if unknowns:
        return ev._derived(node.name.lower(), node.name, unknowns, BOOL)
    return not decisive


def fn_coalesce(ev: Evaluator, node: Call, frame: Frame) -> object:
    pending: list[object] = []
    for arg in node.args:
        value = ev._eval(arg, frame)
        if value is None:
            continue
        if isinstance(value, Unknown) and value.type is None:
            pending.append(value)
            continue
        if pending:
            return ev._derived("coalesce", "coalesce", [*pending, value])
        return value
    if pending:
        return pending[0] if len(pending) == 1 else ev._derived("coalesce", "coalesce", pending)
    return None


def fn_fail(ev: Evaluator, node: Call, frame: Frame) -> object:
    """`fail(message)` stops the deployment with `message` when evaluation reaches it.

    Compiled Bicep puts it in the branch of an `if` or the last argument of a `coalesce` that is only
    taken for bad input; those are evaluated lazily (an unknown condition evaluates both branches
    speculatively, which records no problem), so only a call that is certainly reached is reported.
    """
    message = ev._eval(node.args[0], frame)
    shown = message if isinstance(message, str) else to_source(node.args[0])
    raise ArmError(f"fail() is reached, so the deployment fails: {shown}")


def fn_runtime(ev: Evaluator, node: Call, frame: Frame) -> object:
    """`reference()`, `utcNow()`, `newGuid()`...: a value of the deployment, new on every call."""
    args = _args(ev, node, frame)
    secret = ev._shared.has_secrets and any(is_secret(arg) for arg in args)
    low = node.name.lower()
    if low == "newguid":
        return ev._unique("newguid()", "newGuid()", type=STRING, alphabet=_GUID_LOWER)
    if low == "utcnow":
        return ev._unique("utcnow()", "utcNow()", type=STRING)
    return ev._unique(f"{low}(…)", f"{node.name}(…)", secret=secret)


def fn_scope(ev: Evaluator, node: Call, frame: Frame) -> object:
    low = node.name.lower()
    cached = ev._scope_objects.get(low)
    if cached is not None:
        return cached
    sub_ctx, rg_ctx, deploy_ctx = ev._scope_contexts
    tenant_id = Unknown("tenant().tenantid", "tenant().tenantId", type=STRING, alphabet=GUID_CHARS)
    members: dict[str, object]
    context = ""
    if low == "resourcegroup":
        members = {
            "name": ev.scope.resource_group,
            "id": join_text(
                [
                    "/subscriptions/",
                    ev.scope.subscription_id,
                    "/resourceGroups/",
                    ev.scope.resource_group,
                ]
            ),
            "type": "Microsoft.Resources/resourceGroups",
        }
        context = rg_ctx
    elif low == "subscription":
        members = {
            "subscriptionid": ev.scope.subscription_id,
            "id": join_text(["/subscriptions/", ev.scope.subscription_id]),
            "tenantid": tenant_id,
        }
        context = sub_ctx
    elif low == "managementgroup":
        members = {
            "name": ev.scope.management_group,
            "id": join_text(["/providers/Microsoft.Management/managementGroups/", ev.scope.management_group]),
            "type": "/providers/Microsoft.Management/managementGroups",
        }
    elif low == "tenant":
        members = {"tenantid": tenant_id}
    elif low == "deployment":
        members = {}
        context = deploy_ctx
    else:  # environment(), deployer()
        members = {}
    display = {"resourcegroup": "resourceGroup", "managementgroup": "managementGroup"}.get(low, low)
    value = Unknown(f"{low}()", f"{display}()", context=context, type=OBJECT, members=members)
    ev._scope_objects[low] = value
    return value


def fn_resource_id(ev: Evaluator, node: Call, frame: Frame) -> object:
    args = _args(ev, node, frame)
    low = node.name.lower()
    if low == "resourceid":
        result = resource_id(args, ev.scope)
    elif low == "subscriptionresourceid":
        result = subscription_resource_id(args, ev.scope)
    elif low == "tenantresourceid":
        result = tenant_resource_id(args)
    elif low == "extensionresourceid":
        result = extension_resource_id(args)
    else:
        result = management_group_resource_id(args, ev.scope)
    return result  # made of its arguments: secret pieces stay secret by themselves


def fn_lambda(ev: Evaluator, node: Call, frame: Frame) -> object:
    raise ArmError(
        "lambda() can only be written directly as an argument of " + ", ".join(sorted(LAMBDA_TAKERS))
    )


def fn_lambda_variables(ev: Evaluator, node: Call, frame: Frame) -> object:
    name = ev._eval(node.args[0], frame)
    if not isinstance(name, str):
        raise ArmError("lambdaVariables() expects the variable name as a string")
    key = name.lower()
    if key not in frame.lambdas:
        raise ArmError(f"no lambda variable named '{name}' here")
    return frame.lambdas[key]


# -- lambdas -------------------------------------------------------------------------------------


def _lambda(ev: Evaluator, node: Expr, frame: Frame, name: str) -> Lambda:
    if not isinstance(node, Call) or node.name.lower() != "lambda":
        raise ArmError(f"{name}() expects a lambda(...) argument")
    params: list[str] = []
    for arg in node.args[:-1]:
        value = ev._eval(arg, frame)
        if not isinstance(value, str):
            raise ArmError("lambda() parameter names are strings")
        params.append(value.lower())
    if not node.args:
        raise ArmError("lambda() needs a body")
    body = node.args[-1]
    label = "lambda(" + ", ".join(quote(param) for param in params) + ", " + to_source(body) + ")"
    if frame.lambdas or frame.fn_args:
        ev._shared.uid += 1
        label += f"#{ev._shared.uid}"
    return Lambda(tuple(params), body, frame.lambdas, frame.fn_args, frame.loops, label)


def _invoke(ev: Evaluator, function: Lambda, values: list[object], frame: Frame) -> object:
    if len(function.params) > len(values):
        raise ArmError(
            f"the lambda takes {len(function.params)} parameters; at most {len(values)} are given here"
        )
    bound = dict(function.lambdas)
    bound.update(zip(function.params, values, strict=False))
    inner = Frame(function.loops, frame.pointer, bound, function.fn_args)
    return ev._eval(function.body, inner)


def _lambda_input(ev: Evaluator, node: Call, frame: Frame, name: str) -> tuple[object, Lambda]:
    items = ev._eval(node.args[0], frame)
    function = _lambda(ev, node.args[-1], frame, name)
    return items, function


def _lambda_unknown(
    ev: Evaluator, name: str, display: str, items: object, function: Lambda, *extra: object
) -> Unknown:
    if isinstance(items, Unknown) and items.type not in (None, ARRAY, OBJECT):
        raise ArmError(f"{display}() expects an array, not {items.type}")
    return ev._derived(name, display, [items, *extra, function])


def fn_map(ev: Evaluator, node: Call, frame: Frame) -> object:
    items, function = _lambda_input(ev, node, frame, "map")
    if not isinstance(items, list):
        return _lambda_unknown_or_error(ev, "map", node, items, function, ARRAY)
    return [_invoke(ev, function, [item, index], frame) for index, item in enumerate(items)]


def _lambda_unknown_or_error(
    ev: Evaluator, name: str, node: Call, items: object, function: Lambda, kind: str
) -> object:
    if (
        isinstance(items, (Unknown, Partial))
        or (kind == ARRAY and isinstance(items, list))
        or (kind == OBJECT and isinstance(items, dict))
    ):
        return _lambda_unknown(ev, name, node.name, items, function)
    raise ArmError(
        f"{node.name}() expects an {'array' if kind == ARRAY else 'object'}, not a {kind_of(items)}"
    )


def fn_filter(ev: Evaluator, node: Call, frame: Frame) -> object:
    items, function = _lambda_input(ev, node, frame, "filter")
    if not isinstance(items, list):
        return _lambda_unknown_or_error(ev, "filter", node, items, function, ARRAY)
    out: list[object] = []
    for index, item in enumerate(items):
        keep = _invoke(ev, function, [item, index], frame)
        if isinstance(keep, bool):
            if keep:
                out.append(item)
        elif isinstance(keep, Unknown) and keep.type in (None, BOOL):
            return _lambda_unknown(ev, "filter", node.name, items, function)
        else:
            raise ArmError(f"the filter() lambda must return a boolean, not a {kind_of(keep)}")
    return out


def fn_reduce(ev: Evaluator, node: Call, frame: Frame) -> object:
    items = ev._eval(node.args[0], frame)
    current = ev._eval(node.args[1], frame)
    function = _lambda(ev, node.args[2], frame, "reduce")
    if not isinstance(items, list):
        if isinstance(items, (Unknown, Partial)):
            return ev._derived("reduce", node.name, [items, current, function])
        raise ArmError(f"reduce() expects an array, not a {kind_of(items)}")
    for index, item in enumerate(items):
        current = _invoke(ev, function, [current, item, index], frame)
    return current


def fn_sort(ev: Evaluator, node: Call, frame: Frame) -> object:
    from functools import cmp_to_key
    from itertools import pairwise

    items, function = _lambda_input(ev, node, frame, "sort")
    if not isinstance(items, list):
        return _lambda_unknown_or_error(ev, "sort", node, items, function, ARRAY)

    def before(a: object, b: object) -> bool:
        result = _invoke(ev, function, [a, b], frame)
        if isinstance(result, bool):
            return result
        if isinstance(result, Unknown):
            raise Undecidable("unknown order")
        raise ArmError(f"the sort() lambda must return a boolean, not a {kind_of(result)}")

    def compare(a: object, b: object) -> int:
        if before(a, b):
            return -1
        return 1 if before(b, a) else 0

    try:
        ordered = sorted(items, key=cmp_to_key(compare))
        for a, b in pairwise(ordered):
            if compare(a, b) == 0 and same(a, b) is not True:
                raise Undecidable("ties between different elements: ARM's sort order is not stable")
    except Undecidable:
        return _lambda_unknown(ev, "sort", node.name, items, function)
    return ordered


def fn_to_object(ev: Evaluator, node: Call, frame: Frame) -> object:
    items = ev._eval(node.args[0], frame)
    key_function = _lambda(ev, node.args[1], frame, "toObject")
    value_function = _lambda(ev, node.args[2], frame, "toObject") if len(node.args) > 2 else None
    extra = [value_function] if value_function is not None else []
    if not isinstance(items, list):
        if isinstance(items, (Unknown, Partial)):
            return ev._derived("toobject", node.name, [items, key_function, *extra])
        raise ArmError(f"toObject() expects an array, not a {kind_of(items)}")
    out: dict[str, object] = {}
    lower: set[str] = set()
    for item in items:
        key = _invoke(ev, key_function, [item], frame)
        if not isinstance(key, str):
            if isinstance(key, (Unknown, Partial)):
                return ev._derived("toobject", node.name, [items, key_function, *extra])
            raise ArmError(f"the toObject() key lambda must return a string, not a {kind_of(key)}")
        if key.lower() in lower:
            return ev._derived("toobject", node.name, [items, key_function, *extra])
        lower.add(key.lower())
        out[key] = _invoke(ev, value_function, [item], frame) if value_function is not None else item
    return out


def fn_group_by(ev: Evaluator, node: Call, frame: Frame) -> object:
    items, function = _lambda_input(ev, node, frame, "groupBy")
    if not isinstance(items, list):
        return _lambda_unknown_or_error(ev, "groupby", node, items, function, ARRAY)
    out: dict[str, list[object]] = {}
    spelling: dict[str, str] = {}
    for item in items:
        key = _invoke(ev, function, [item], frame)
        if not isinstance(key, str):
            if isinstance(key, (Unknown, Partial)):
                return _lambda_unknown(ev, "groupby", node.name, items, function)
            raise ArmError(f"the groupBy() lambda must return a string, not a {kind_of(key)}")
        first = spelling.setdefault(key.lower(), key)
        if first != key:
            return _lambda_unknown(ev, "groupby", node.name, items, function)
        out.setdefault(key, []).append(item)
    return dict(out)


def fn_map_values(ev: Evaluator, node: Call, frame: Frame) -> object:
    items, function = _lambda_input(ev, node, frame, "mapValues")
    if not isinstance(items, dict):
        return _lambda_unknown_or_error(ev, "mapvalues", node, items, function, OBJECT)
    return {key: _invoke(ev, function, [value], frame) for key, value in items.items()}


SPECIAL: dict[str, Callable[[Evaluator, Call, Frame], object]] = {
    "parameters": fn_parameters,
    "variables": fn_variables,
    "copyindex": fn_copy_index,
    "if": fn_if,
    "and": fn_and_or,
    "or": fn_and_or,
    "coalesce": fn_coalesce,
    "fail": fn_fail,
    "lambda": fn_lambda,
    "lambdavariables": fn_lambda_variables,
    "map": fn_map,
    "filter": fn_filter,
    "reduce": fn_reduce,
    "sort": fn_sort,
    "toobject": fn_to_object,
    "groupby": fn_group_by,
    "mapvalues": fn_map_values,
    "resourceid": fn_resource_id,
    "subscriptionresourceid": fn_resource_id,
    "tenantresourceid": fn_resource_id,
    "extensionresourceid": fn_resource_id,
    "managementgroupresourceid": fn_resource_id,
    "resourcegroup": fn_scope,
    "subscription": fn_scope,
    "managementgroup": fn_scope,
    "tenant": fn_scope,
    "deployment": fn_scope,
    "environment": fn_scope,
    "deployer": fn_scope,
    **dict.fromkeys(RUNTIME_FUNCTIONS, fn_runtime),
}
