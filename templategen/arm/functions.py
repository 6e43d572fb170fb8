"""Catalogue of the built-in ARM template functions: arity, category and how each behaves offline.

Source: the Microsoft template-functions reference,
https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions, and its
category pages (template-functions-array, -cidr, -comparison, -date, -deployment, -lambda, -logical,
-numeric, -object, -resource, -scope, -string), read on 2026-11-25 (CATALOGUE_DATE), including the
later additions the 2024-05 list lacks: indexFromEnd, tryIndexFromEnd, tryGet, objectKeys,
shallowMerge, groupBy, mapValues, deployer, managementGroupResourceId. `lambda`/`lambdaVariables` are
from the lambda page (that is how a lambda is written in JSON); `flatten`, `fail` and `like` are the
ARM functions the Bicep functions of the same names compile to (the ARM reference does not list them, but
compiled Bicep, e.g. the Azure Verified Modules' main.json files, calls `fail('...')` inside `if` and
`coalesce`; the Bicep flow-control page documents it). Arities follow the parameter tables
("Required: No" makes an argument optional) and were cross-checked against every expression of the
1,475 quickstart templates in the shared corpus (tests/arm/test_functions.py): no call there is to an
unknown function or has a count outside these bounds.

Why each flag exists:
* `min_args` / `max_args` (None = no upper bound) feed the "wrong number of arguments" rule.
* `scopes`: the deployment scopes where the function can be used at all (`resourceGroup()` only in a
  resource-group deployment, `subscription()` not at management-group or tenant scope, ...); None means
  every scope. The scope is that of the deployment evaluating the expression: an inner-scoped nested
  deployment targeting a resource group may call `resourceGroup()` inside a subscription template.
* `unknown_offline`: the value comes from Azure at deployment time (other resources, the clock, the
  caller, the target scope, random values, a hash of those). The offline evaluator returns UNKNOWN for
  such calls instead of guessing, and rules skip unknown values. The resourceId family is *not* marked:
  it only builds strings from its arguments and the target scope, which the evaluator takes from
  `subscription()` / `resourceGroup()` (themselves unknown unless the user supplies them).
* `only_in`: where the function is allowed at all — "parameter-default" (utcNow, newGuid), "copy"
  (copyIndex), "lambda-argument" (lambda: directly as an argument of filter, groupBy, map, mapValues,
  reduce, sort, toObject), "lambda-body" (lambdaVariables).

Any name that starts with `list` is a resource function (`listKeys`, `listCallbackUrl`, ... the list of
operations is open-ended), so `lookup` answers for every `list*` name. Names are case-insensitive.
Names containing a dot (`ns.fn`) are user-defined functions: the template declares them, not this
table.

This module is on the start-up path of `templategen lint`: no `typing`, `dataclasses` or `enum` at run
time, plain classes with `__slots__`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Iterable

SOURCE_URL = "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions"
CATALOGUE_DATE = "2026-11-25"

# Deployment scopes, spelled as in `$schema` names and the corpus index.
RESOURCE_GROUP = "resourceGroup"
SUBSCRIPTION = "subscription"
MANAGEMENT_GROUP = "managementGroup"
TENANT = "tenant"
ALL_SCOPES = (RESOURCE_GROUP, SUBSCRIPTION, MANAGEMENT_GROUP, TENANT)

# Categories: the suffix of the reference page that documents the function.
ARRAY = "array"
CIDR = "cidr"
COMPARISON = "comparison"
DATE = "date"
DEPLOYMENT = "deployment"
LAMBDA = "lambda"
LOGICAL = "logical"
NUMERIC = "numeric"
OBJECT = "object"
RESOURCE = "resource"
SCOPE = "scope"
STRING = "string"

# Placement restrictions (`FunctionInfo.only_in`).
PARAMETER_DEFAULT = "parameter-default"
COPY = "copy"
LAMBDA_ARGUMENT = "lambda-argument"
LAMBDA_BODY = "lambda-body"

#: Functions whose arguments may be `lambda(...)` expressions.
LAMBDA_TAKERS = frozenset({"filter", "groupby", "map", "mapvalues", "reduce", "sort", "toobject"})


class FunctionInfo:
    """What the catalogue knows about one built-in function."""

    __slots__ = (
        "categories",
        "deprecated",
        "max_args",
        "min_args",
        "name",
        "only_in",
        "scopes",
        "unknown_offline",
    )

    def __init__(
        self,
        name: str,
        min_args: int,
        max_args: int | None,
        categories: tuple[str, ...],
        *,
        scopes: tuple[str, ...] | None = None,
        unknown_offline: bool = False,
        only_in: str | None = None,
        deprecated: bool = False,
    ) -> None:
        self.name = name
        self.min_args = min_args
        self.max_args = max_args
        self.categories = categories
        self.scopes = scopes
        self.unknown_offline = unknown_offline
        self.only_in = only_in
        self.deprecated = deprecated

    @property
    def category(self) -> str:
        """The category whose reference page documents the function first."""
        return self.categories[0]

    @property
    def is_list_function(self) -> bool:
        return self.name.lower().startswith("list")

    @property
    def url(self) -> str:
        """Link to the function's entry in the Microsoft reference."""
        anchor = self.name.lower()
        if anchor.startswith("list") and anchor != "listkeys":
            anchor = "list"  # listAccountSas, listSecrets and every other list* share one section
        return f"{SOURCE_URL}-{self.category}#{anchor}"

    def allowed_in_scope(self, scope: str) -> bool:
        """True when the function can be used in a deployment at `scope` (see ALL_SCOPES)."""
        return self.scopes is None or scope in self.scopes

    def accepts(self, count: int) -> bool:
        """True when a call with `count` arguments has an acceptable number of them."""
        return count >= self.min_args and (self.max_args is None or count <= self.max_args)

    def expected_args(self) -> str:
        """The accepted argument count in words: "no arguments", "1 argument", "1 or more arguments",
        "at most 2 arguments", "1 to 3 arguments"."""
        low, high = self.min_args, self.max_args
        if high is None:
            return f"{low} or more arguments"
        if low == high:
            return "no arguments" if low == 0 else f"{low} argument" + ("" if low == 1 else "s")
        if low == 0:
            return f"at most {high} argument" + ("" if high == 1 else "s")
        return f"{low} to {high} arguments"

    def arity_error(self, count: int) -> str | None:
        """A message for a call with `count` arguments, or None when the count is fine."""
        if self.accepts(count):
            return None
        given = "none" if count == 0 else str(count)
        return f"{self.name}() takes {self.expected_args()}, but {given} given"

    def __repr__(self) -> str:
        return f"<FunctionInfo {self.name}({self.expected_args()}) {'/'.join(self.categories)}>"


def _table(entries: Iterable[FunctionInfo]) -> dict[str, FunctionInfo]:
    table: dict[str, FunctionInfo] = {}
    for info in entries:
        key = info.name.lower()
        if key in table:
            raise ValueError(f"function {info.name} listed twice")
        table[key] = info
    return table


_F = FunctionInfo

#: Every documented built-in function, keyed by lower-cased name.
FUNCTIONS: dict[str, FunctionInfo] = _table(
    [
        # Array (several are shared with the string and object pages: the first category wins the URL).
        _F("array", 1, 1, (ARRAY,)),
        _F("concat", 1, None, (ARRAY, STRING)),
        _F("contains", 2, 2, (ARRAY, OBJECT, STRING)),
        _F("createArray", 0, None, (ARRAY,)),
        _F("empty", 1, 1, (ARRAY, OBJECT, STRING)),
        _F("first", 1, 1, (ARRAY, STRING)),
        _F("flatten", 1, 1, (ARRAY,)),
        _F("indexFromEnd", 2, 2, (ARRAY,)),
        _F("indexOf", 2, 2, (ARRAY, STRING)),
        _F("intersection", 2, None, (ARRAY, OBJECT)),
        _F("last", 1, 1, (ARRAY, STRING)),
        _F("lastIndexOf", 2, 2, (ARRAY, STRING)),
        _F("length", 1, 1, (ARRAY, OBJECT, STRING)),
        _F("max", 1, None, (ARRAY, NUMERIC)),
        _F("min", 1, None, (ARRAY, NUMERIC)),
        _F("range", 2, 2, (ARRAY,)),
        _F("skip", 2, 2, (ARRAY, STRING)),
        _F("take", 2, 2, (ARRAY, STRING)),
        _F("tryGet", 2, None, (ARRAY, OBJECT)),
        _F("tryIndexFromEnd", 2, 2, (ARRAY,)),
        _F("union", 2, None, (ARRAY, OBJECT)),
        # CIDR (the `sys` namespace in Bicep; plain names in JSON).
        _F("parseCidr", 1, 1, (CIDR,)),
        _F("cidrSubnet", 3, 3, (CIDR,)),
        _F("cidrHost", 2, 2, (CIDR,)),
        # Comparison.
        _F("coalesce", 1, None, (COMPARISON,)),
        _F("equals", 2, 2, (COMPARISON,)),
        _F("greater", 2, 2, (COMPARISON,)),
        _F("greaterOrEquals", 2, 2, (COMPARISON,)),
        _F("less", 2, 2, (COMPARISON,)),
        _F("lessOrEquals", 2, 2, (COMPARISON,)),
        # Date.
        _F("dateTimeAdd", 2, 3, (DATE,)),
        _F("dateTimeFromEpoch", 1, 1, (DATE,)),
        _F("dateTimeToEpoch", 1, 1, (DATE,)),
        _F("utcNow", 0, 1, (DATE,), only_in=PARAMETER_DEFAULT, unknown_offline=True),
        # Deployment values.
        _F("deployer", 0, 0, (DEPLOYMENT,), unknown_offline=True),
        _F("deployment", 0, 0, (DEPLOYMENT,), unknown_offline=True),
        _F("environment", 0, 0, (DEPLOYMENT,), unknown_offline=True),
        _F("parameters", 1, 1, (DEPLOYMENT,)),
        _F("variables", 1, 1, (DEPLOYMENT,)),
        # Lambda.
        _F("filter", 2, 2, (LAMBDA,)),
        _F("groupBy", 2, 2, (LAMBDA,)),
        _F("lambda", 2, None, (LAMBDA,), only_in=LAMBDA_ARGUMENT),
        _F("lambdaVariables", 1, 1, (LAMBDA,), only_in=LAMBDA_BODY),
        _F("map", 2, 2, (LAMBDA,)),
        _F("mapValues", 2, 2, (LAMBDA,)),
        _F("reduce", 3, 3, (LAMBDA,)),
        _F("sort", 2, 2, (LAMBDA,)),
        _F("toObject", 2, 3, (LAMBDA,)),
        # Logical.
        _F("and", 2, None, (LOGICAL,)),
        _F("fail", 1, 1, (LOGICAL,)),
        _F("bool", 1, 1, (LOGICAL,)),
        _F("false", 0, 0, (LOGICAL,)),
        _F("if", 3, 3, (LOGICAL,)),
        _F("not", 1, 1, (LOGICAL,)),
        _F("or", 2, None, (LOGICAL,)),
        _F("true", 0, 0, (LOGICAL,)),
        # Numeric.
        _F("add", 2, 2, (NUMERIC,)),
        _F("copyIndex", 0, 2, (NUMERIC,), only_in=COPY),
        _F("div", 2, 2, (NUMERIC,)),
        _F("float", 1, 1, (NUMERIC,)),
        _F("int", 1, 1, (NUMERIC,)),
        _F("mod", 2, 2, (NUMERIC,)),
        _F("mul", 2, 2, (NUMERIC,)),
        _F("sub", 2, 2, (NUMERIC,)),
        # Object.
        _F("createObject", 0, None, (OBJECT,)),
        _F("items", 1, 1, (OBJECT,)),
        _F("json", 1, 1, (OBJECT, STRING)),
        _F("null", 0, 0, (OBJECT,)),
        _F("objectKeys", 1, 1, (OBJECT,)),
        _F("shallowMerge", 1, 1, (OBJECT,)),
        # Resource.
        _F("extensionResourceId", 3, None, (RESOURCE,)),
        _F("listAccountSas", 2, 3, (RESOURCE,), unknown_offline=True),
        _F("listKeys", 2, 3, (RESOURCE,), unknown_offline=True),
        _F("listSecrets", 2, 3, (RESOURCE,), unknown_offline=True),
        _F("managementGroupResourceId", 2, None, (RESOURCE,)),
        _F("pickZones", 3, 5, (RESOURCE,), unknown_offline=True),
        _F("providers", 1, 2, (RESOURCE,), deprecated=True, unknown_offline=True),
        _F("reference", 1, 3, (RESOURCE,), unknown_offline=True),
        _F("references", 1, 2, (RESOURCE,), unknown_offline=True),
        _F("resourceId", 2, None, (RESOURCE,)),
        _F("subscriptionResourceId", 2, None, (RESOURCE,)),
        _F("tenantResourceId", 2, None, (RESOURCE,)),
        # Scope.
        _F("managementGroup", 0, 0, (SCOPE,), scopes=(MANAGEMENT_GROUP,), unknown_offline=True),
        _F("resourceGroup", 0, 0, (SCOPE,), scopes=(RESOURCE_GROUP,), unknown_offline=True),
        _F("subscription", 0, 0, (SCOPE,), scopes=(RESOURCE_GROUP, SUBSCRIPTION), unknown_offline=True),
        _F("tenant", 0, 0, (SCOPE,), unknown_offline=True),
        # String (concat, contains, empty, first, indexOf, json, last, lastIndexOf, length, skip and take
        # are listed above with their other categories).
        _F("base64", 1, 1, (STRING,)),
        _F("base64ToJson", 1, 1, (STRING,)),
        _F("base64ToString", 1, 1, (STRING,)),
        _F("dataUri", 1, 1, (STRING,)),
        _F("dataUriToString", 1, 1, (STRING,)),
        _F("endsWith", 2, 2, (STRING,)),
        _F("format", 1, None, (STRING,)),
        _F("guid", 1, None, (STRING,), unknown_offline=True),
        _F("join", 2, 2, (STRING,)),
        # wildcard match; Bicep's like() compiles to it (the Bicep repository's compiler baselines).
        # Its exact wildcard rules are not documented for ARM, so it is not computed offline.
        _F("like", 2, 2, (STRING,), unknown_offline=True),
        _F("newGuid", 0, 0, (STRING,), only_in=PARAMETER_DEFAULT, unknown_offline=True),
        _F("padLeft", 2, 3, (STRING,)),
        _F("replace", 3, 3, (STRING,)),
        _F("split", 2, 2, (STRING,)),
        _F("startsWith", 2, 2, (STRING,)),
        _F("string", 1, 1, (STRING,)),
        _F("substring", 1, 3, (STRING,)),
        _F("toLower", 1, 1, (STRING,)),
        _F("toUpper", 1, 1, (STRING,)),
        _F("trim", 1, 1, (STRING,)),
        _F("uniqueString", 1, None, (STRING,), unknown_offline=True),
        _F("uri", 2, 2, (STRING,)),
        _F("uriComponent", 1, 1, (STRING,)),
        _F("uriComponentToString", 1, 1, (STRING,)),
    ]
)


def is_user_function(name: str) -> bool:
    """True for a user-defined function call name (`namespace.function`)."""
    return "." in name


def lookup(name: str) -> FunctionInfo | None:
    """The built-in function called `name` (any case), or None for unknown and user-defined names.

    Every `list<Something>` name is a resource function taking (resource name or id, apiVersion,
    [request body]); its info carries the name as spelled in the call.
    """
    key = name.lower()
    info = FUNCTIONS.get(key)
    if info is not None:
        return info
    if len(key) > 4 and key.startswith("list") and "." not in key:
        # Made per call (cheap) rather than cached: the set of names is open-ended, and the info must
        # carry this call's spelling whatever file was linted first.
        return FunctionInfo(name, 2, 3, (RESOURCE,), unknown_offline=True)
    return None
