"""The catalogue of template functions: completeness, lookups, flags, and the real corpus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from templategen.arm.expressions import ExpressionError, calls, parse_cached
from templategen.arm.functions import (
    ALL_SCOPES,
    CATALOGUE_DATE,
    FUNCTIONS,
    LAMBDA_TAKERS,
    MANAGEMENT_GROUP,
    RESOURCE_GROUP,
    SOURCE_URL,
    SUBSCRIPTION,
    TENANT,
    is_user_function,
    lookup,
)

from .corpus_expressions import corpus_templates, declared_user_functions, expression_strings

# The function lists of the Microsoft reference, category by category (template-functions.md and
# the category pages, including the additions made after the May 2024 overview page).
DOCUMENTED = {
    "array": "array concat contains createArray empty first indexFromEnd indexOf intersection last "
    "lastIndexOf length max min range skip take tryGet tryIndexFromEnd union",
    "cidr": "parseCidr cidrSubnet cidrHost",
    "comparison": "coalesce equals greater greaterOrEquals less lessOrEquals",
    "date": "dateTimeAdd dateTimeFromEpoch dateTimeToEpoch utcNow",
    "deployment": "deployer deployment environment parameters variables",
    "lambda": "filter groupBy map mapValues reduce sort toObject lambda lambdaVariables",
    "logical": "and bool false if not or true",
    "numeric": "add copyIndex div float int min max mod mul sub",
    "object": "contains createObject empty intersection items json length null objectKeys shallowMerge "
    "tryGet union",
    "resource": "extensionResourceId listAccountSas listKeys listSecrets managementGroupResourceId pickZones "
    "providers reference references resourceId subscriptionResourceId tenantResourceId",
    "scope": "managementGroup resourceGroup subscription tenant",
    "string": "base64 base64ToJson base64ToString concat contains dataUri dataUriToString empty endsWith "
    "first format guid indexOf join json last lastIndexOf length newGuid padLeft replace skip split "
    "startsWith string substring take toLower toUpper trim uniqueString uri uriComponent "
    "uriComponentToString",
}


@pytest.mark.parametrize(("category", "names"), sorted(DOCUMENTED.items()))
def test_every_documented_function_is_catalogued_in_its_category(category: str, names: str) -> None:
    for name in names.split():
        info = lookup(name)
        assert info is not None, name
        assert info.name == name  # canonical spelling, as documented
        assert category in info.categories, (name, info.categories)


def test_catalogue_has_nothing_undocumented_except_what_bicep_compiles_to() -> None:
    documented = {name.lower() for names in DOCUMENTED.values() for name in names.split()}
    # the ARM functions Bicep's flatten(), fail() (bicep-functions-flow-control) and like() compile to
    assert set(FUNCTIONS) - documented == {"flatten", "fail", "like"}


def test_catalogue_entries_are_consistent() -> None:
    for key, info in FUNCTIONS.items():
        assert key == info.name.lower()
        assert info.min_args >= 0
        assert info.max_args is None or info.max_args >= info.min_args
        assert info.categories
        assert info.url.startswith(SOURCE_URL + "-" + info.category + "#")
        assert info.scopes is None or set(info.scopes) <= set(ALL_SCOPES)
    assert CATALOGUE_DATE.count("-") == 2


@pytest.mark.parametrize("spelling", ["resourceId", "RESOURCEID", "resourceid", "ResourceId"])
def test_lookup_is_case_insensitive(spelling: str) -> None:
    assert lookup(spelling) is FUNCTIONS["resourceid"]


@pytest.mark.parametrize("name", ["listCallbackUrl", "LISTKEYVALUE", "listConnectionStrings", "listSas"])
def test_any_list_name_is_a_resource_function(name: str) -> None:
    info = lookup(name)
    assert info is not None
    assert info.name == name
    assert info.category == "resource"
    assert (info.min_args, info.max_args) == (2, 3)
    assert info.unknown_offline
    assert info.url.endswith("-resource#list")


def test_list_function_info_keeps_the_spelling_of_each_call() -> None:
    first = lookup("LISTKEYVALUE")
    second = lookup("listKeyValue")
    assert first is not None and second is not None
    assert (first.name, second.name) == ("LISTKEYVALUE", "listKeyValue")
    assert second.arity_error(1) == "listKeyValue() takes 2 to 3 arguments, but 1 given"
    documented = lookup("LISTKEYS")
    assert documented is not None and documented.name == "listKeys"  # catalogued: canonical spelling


@pytest.mark.parametrize(
    "name", ["list", "ns.listKeys", "contoso.fn", "concatenate", "any", "loadTextContent", ""]
)
def test_unknown_and_user_names_are_not_built_in(name: str) -> None:
    assert lookup(name) is None


def test_user_function_names() -> None:
    assert is_user_function("contoso.uniqueName")
    assert not is_user_function("uniqueString")


@pytest.mark.parametrize(
    ("name", "count", "message"),
    [
        ("concat", 0, "concat() takes 1 or more arguments, but none given"),
        ("if", 2, "if() takes 3 arguments, but 2 given"),
        ("newGuid", 1, "newGuid() takes no arguments, but 1 given"),
        ("parameters", 2, "parameters() takes 1 argument, but 2 given"),
        ("utcNow", 2, "utcNow() takes at most 1 argument, but 2 given"),
        ("copyIndex", 3, "copyIndex() takes at most 2 arguments, but 3 given"),
        ("reference", 4, "reference() takes 1 to 3 arguments, but 4 given"),
        ("resourceId", 1, "resourceId() takes 2 or more arguments, but 1 given"),
    ],
)
def test_arity_errors(name: str, count: int, message: str) -> None:
    info = lookup(name)
    assert info is not None
    assert not info.accepts(count)
    assert info.arity_error(count) == message


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        ("createArray", (0, 1, 7)),
        ("createObject", (0, 2, 6)),
        ("coalesce", (1, 5)),
        ("copyIndex", (0, 1, 2)),
        ("substring", (1, 2, 3)),
        ("tryGet", (2, 4)),
        ("lambda", (2, 3)),
        ("pickZones", (3, 4, 5)),
        ("toObject", (2, 3)),
    ],
)
def test_accepted_counts(name: str, counts: tuple[int, ...]) -> None:
    info = lookup(name)
    assert info is not None
    for count in counts:
        assert info.arity_error(count) is None


def test_scope_limited_functions() -> None:
    expected = {
        "resourcegroup": {RESOURCE_GROUP},
        "subscription": {RESOURCE_GROUP, SUBSCRIPTION},
        "managementgroup": {MANAGEMENT_GROUP},
    }
    limited = {key: set(info.scopes) for key, info in FUNCTIONS.items() if info.scopes is not None}
    assert limited == expected
    tenant = lookup("tenant")
    assert tenant is not None and all(tenant.allowed_in_scope(scope) for scope in ALL_SCOPES)
    group = lookup("resourceGroup")
    assert group is not None and not group.allowed_in_scope(TENANT)


@pytest.mark.parametrize(
    "name",
    [
        "reference", "references", "listKeys", "listAccountSas", "listSecrets", "utcNow", "newGuid",
        "uniqueString", "guid", "deployer", "deployment", "environment", "subscription", "resourceGroup",
        "tenant", "managementGroup", "pickZones", "providers",
    ],
)  # fmt: skip
def test_values_azure_decides_are_unknown_offline(name: str) -> None:
    info = lookup(name)
    assert info is not None and info.unknown_offline


@pytest.mark.parametrize(
    "name",
    ["concat", "parameters", "variables", "resourceId", "if", "copyIndex", "json", "cidrSubnet", "format"],
)
def test_pure_functions_are_known_offline(name: str) -> None:
    info = lookup(name)
    assert info is not None and not info.unknown_offline


def test_placement_restrictions() -> None:
    placed = {key: info.only_in for key, info in FUNCTIONS.items() if info.only_in}
    assert placed == {
        "utcnow": "parameter-default",
        "newguid": "parameter-default",
        "copyindex": "copy",
        "lambda": "lambda-argument",
        "lambdavariables": "lambda-body",
    }
    assert {FUNCTIONS[name].name for name in LAMBDA_TAKERS} == {
        "filter", "groupBy", "map", "mapValues", "reduce", "sort", "toObject"
    }  # fmt: skip
    providers = lookup("providers")
    assert providers is not None and providers.deprecated


@pytest.mark.slow
def test_corpus_calls_known_functions_with_valid_arity(shared: Path) -> None:
    """Every call in a template Microsoft's CI deploys is to a catalogued or declared function with an
    accepted number of arguments: anything else is a false positive of the catalogue."""
    problems: list[tuple[str, str]] = []
    used: Counter[str] = Counter()
    user_calls = 0
    for path, validation, data in corpus_templates(shared):
        declared = declared_user_functions(data)
        for pointer, value in expression_strings(data):
            tree = parse_cached(value)
            if isinstance(tree, ExpressionError):
                continue  # reported by test_every_corpus_expression_parses
            for node in calls(tree):
                where = f"{path}#{pointer}"
                if is_user_function(node.name):
                    user_calls += 1
                    if node.lower_name not in declared:
                        problems.append((validation, f"{where}: undeclared user function {node.name}"))
                    continue
                info = lookup(node.name)
                if info is None:
                    problems.append((validation, f"{where}: unknown function {node.name}"))
                    continue
                used[info.name] += 1
                message = info.arity_error(len(node.args))
                if message:
                    problems.append((validation, f"{where}: {message}"))
    print(
        f"\ncorpus: {sum(used.values()):,} calls to {len(used)} built-in functions, {user_calls} user calls"
    )
    print("  most used: " + ", ".join(f"{name} {count:,}" for name, count in used.most_common(8)))
    print(f"  problems: {len(problems)}")
    for _, line in problems:
        print("  " + line)
    assert sum(used.values()) > 50_000  # the corpus is really there
    assert [line for validation, line in problems if validation == "ci"] == []
