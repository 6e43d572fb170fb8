"""Family 1, expressions: strings Resource Manager evaluates must parse, call real functions with the
right number of arguments, and call each function only where Resource Manager allows it.

All four rules read the shared call index (`templategen.rules.usage`), so every expression of a
file is parsed and walked once however many rules run. Findings point *inside* the string: at the
character where parsing failed, or at the name of the offending function.
"""

from __future__ import annotations

from templategen.arm import functions
from templategen.diagnostics import ERROR
from templategen.rules.base import Rule
from templategen.rules.usage import usage_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from templategen.arm.template import Template
    from templategen.diagnostics import Diagnostic
    from templategen.lint.context import LintContext
    from templategen.rules.usage import CallSite

#: Substrings a file must contain for these rules to run on it (templategen.rules.registry): none,
#: any file may hold expressions.
TRIGGERS: tuple[str, ...] = ()

_REFERENCE_DOCS = "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions"
_SCOPE_NAMES = {
    functions.RESOURCE_GROUP: "resource group",
    functions.SUBSCRIPTION: "subscription",
    functions.MANAGEMENT_GROUP: "management group",
    functions.TENANT: "tenant",
}


def _report_call(ctx: LintContext, rule: Rule, found: CallSite, message: str) -> Diagnostic:
    """A finding underlining the function name inside its expression string."""
    site = found.site
    call = found.call
    return ctx.report(
        rule, site.pointer, message, offset=call.name_start, end_offset=call.name_end, key=site.key
    )


class InvalidExpression(Rule):
    id = "TG101"
    name = "invalid-expression"
    severity = ERROR
    summary = "A string in brackets is not a valid template expression"
    why = (
        "Resource Manager evaluates every string that starts with `[` and ends with `]`. When the text "
        "inside is not a valid expression (an unclosed string or call, double quotes, a bare `true`, "
        "a decimal number, an operator, an expression longer than 24,576 characters) the whole "
        "deployment is refused before anything is created. The finding points at the character "
        "where reading failed. A literal text that must start with `[` is written `[[...]`."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {
    "greeting": "[concat('Hello ', 'world']"
  },
  "resources": [],
  "outputs": {
    "greeting": {"type": "string", "value": "[variables('greeting')]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {
    "greeting": "[concat('Hello ', 'world')]"
  },
  "resources": [],
  "outputs": {
    "greeting": {"type": "string", "value": "[variables('greeting')]"}
  }
}"""
    source_url = _REFERENCE_DOCS

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for site, error in usage_of(ctx).errors:
            end = error.end if error.end > error.start else None
            yield ctx.report(
                self,
                site.pointer,
                f"invalid expression: {error.message}",
                offset=error.start,
                end_offset=end,
                key=site.key,
            )


class UnknownFunction(Rule):
    id = "TG102"
    name = "unknown-function"
    severity = ERROR
    summary = "An expression calls a function that is not a template function"
    why = (
        "Function names are checked when the deployment starts: one misspelt name "
        "(`concatt`, `resourceID` is fine but `resourcesId` is not) makes Resource Manager refuse the "
        "whole template with `InvalidTemplate`. Names are compared case-insensitively, as Resource "
        "Manager does, against the catalogue of documented functions; any `list*` name is accepted "
        "(the list operations are open-ended). User-defined functions (`namespace.name`) are "
        "checked by TG203."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [],
  "outputs": {
    "id": {"type": "string", "value": "[toLowerCase(deployment().name)]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [],
  "outputs": {
    "id": {"type": "string", "value": "[toLower(deployment().name)]"}
  }
}"""
    source_url = functions.SOURCE_URL

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for found in usage_of(ctx).calls:
            name = found.call.name
            if found.info is not None or "." in name:
                continue
            message = f"unknown function '{name}'"
            suggestion = _closest(name)
            if suggestion is not None:
                message += f" (did you mean '{suggestion}'?)"
            yield _report_call(ctx, self, found, message)


def _closest(name: str) -> str | None:
    import difflib

    names = {info.name.lower(): info.name for info in functions.FUNCTIONS.values()}
    match = difflib.get_close_matches(name.lower(), list(names), n=1, cutoff=0.75)
    return names[match[0]] if match else None


class WrongArgumentCount(Rule):
    id = "TG103"
    name = "wrong-argument-count"
    severity = ERROR
    summary = "A function is called with too few or too many arguments"
    why = (
        "Resource Manager checks the number of arguments of every call before deploying and refuses "
        "the template when one is off (`concat()` with none, `if` with two, `resourceId` with only a "
        "type). Built-in functions are checked against the documented arities; calls of "
        "user-defined functions against the parameters the function declares (all of them are "
        "required)."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "prefix": {"type": "string", "defaultValue": "app"}
  },
  "resources": [],
  "outputs": {
    "name": {"type": "string", "value": "[substring(parameters('prefix'), 0, 2, 3)]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "prefix": {"type": "string", "defaultValue": "app"}
  },
  "resources": [],
  "outputs": {
    "name": {"type": "string", "value": "[substring(parameters('prefix'), 0, 2)]"}
  }
}"""
    source_url = functions.SOURCE_URL

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for found in usage_of(ctx).calls:
            call = found.call
            count = len(call.args)
            info = found.info
            if info is not None:
                message = info.arity_error(count)
                if message is not None:
                    yield _report_call(ctx, self, found, message)
            elif "." in call.name:
                declared = found.site.scope.function(call.name)
                if declared is None:
                    continue  # TG203 says the function does not exist
                expected = len(declared.parameters)
                if count != expected:
                    yield _report_call(
                        ctx,
                        self,
                        found,
                        f"{declared.full_name}() takes {_count(expected)}, but "
                        f"{'none' if count == 0 else count} given",
                    )


def _count(n: int) -> str:
    return "no arguments" if n == 0 else f"{n} argument" + ("" if n == 1 else "s")


def decided_scope(template: Template) -> str | None:
    """The deployment scope a template's expressions are evaluated at, when it is certain.

    The file's template: the scope its `$schema` names (None without a known `$schema`). A nested
    template with outer evaluation scope is evaluated by its parent. An inner-scoped nested template
    deploys where its deployment resource points: a `resourceGroup` member means a resource group;
    no target member means the parent's scope; anything else (a `scope` expression, a lone
    `subscriptionId` from a resource group) is left undecided.
    """
    if template.parent is None or template.deployment is None:
        return template.schema_scope
    if template.expression_scope is not template:
        return decided_scope(template.expression_scope)
    parent_scope = decided_scope(template.parent)
    keys = template.deployment.key_map
    if "resourcegroup" in keys:
        return functions.RESOURCE_GROUP
    if "subscriptionid" in keys:
        if parent_scope in (functions.SUBSCRIPTION, functions.MANAGEMENT_GROUP, functions.TENANT):
            return functions.SUBSCRIPTION
        return None
    if "scope" in keys:
        return None
    return parent_scope


_RUNTIME_FUNCTIONS = frozenset({"reference", "references"})
#: Functions with a placement rule (`only_in`) or that need runtime state; listed so the rule skips
#: every other call at once. `list*` names are matched by prefix.
_PLACED = frozenset(
    {name for name, info in functions.FUNCTIONS.items() if info.only_in is not None} | _RUNTIME_FUNCTIONS
)


class FunctionNotAllowedHere(Rule):
    id = "TG104"
    name = "function-not-allowed-here"
    severity = ERROR
    summary = "A function is used where Resource Manager does not allow it (scope, section, lambda)"
    why = (
        "Some functions only work in certain places, and Resource Manager refuses the template "
        "otherwise (`The template function 'X' is not expected at this location`):\n\n"
        "- `resourceGroup()` only in a resource-group deployment; `subscription()` not at management-"
        "group or tenant scope; `managementGroup()` only at management-group scope. The scope is the "
        "one the expression is evaluated in: the `$schema` of the file, or the target of an "
        "inner-scoped nested deployment;\n"
        "- `utcNow()` and `newGuid()` only in a parameter's `defaultValue`;\n"
        "- `lambda()` only directly as an argument of `filter`, `map`, `reduce`, `sort`, `groupBy`, "
        "`mapValues` or `toObject`, and `lambdaVariables()` only inside a lambda;\n"
        "- `reference()`, `references()` and the `list*()` functions not in `variables` (outside "
        "languageVersion 2.0), parameter default values or user-defined functions: those are "
        "resolved before any resource exists.\n\n"
        "`copyIndex()` outside a loop is TG204."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [],
  "outputs": {
    "where": {"type": "string", "value": "[resourceGroup().location]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [],
  "outputs": {
    "where": {"type": "string", "value": "[deployment().location]"}
  }
}"""
    source_url = functions.SOURCE_URL + "-scope"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        scopes: dict[int, str | None] = {}
        for found in usage_of(ctx).calls:
            info = found.info
            key = found.key
            if info is None or (info.scopes is None and key not in _PLACED and key[:4] != "list"):
                continue  # unknown (TG102), or a function allowed everywhere
            site = found.site
            message = None
            if info.scopes is not None:
                scope_id = id(site.scope)
                if scope_id not in scopes:
                    scopes[scope_id] = decided_scope(site.scope)
                scope = scopes[scope_id]
                if scope is not None and not info.allowed_in_scope(scope):
                    message = (
                        f"{info.name}() cannot be used in a {_SCOPE_NAMES.get(scope, scope)} deployment"
                        + _where_scope(site.scope)
                    )
            if message is None:
                message = _placement_problem(info, found)
            if message is not None:
                yield _report_call(ctx, self, found, message)


def _where_scope(template: Template) -> str:
    if template.parent is None:
        return " (the template's $schema sets its scope)"
    return " (the scope this nested template is evaluated in)"


def _placement_problem(info: functions.FunctionInfo, found: CallSite) -> str | None:
    site = found.site
    only = info.only_in
    if only == functions.PARAMETER_DEFAULT:
        if site.section != "parameters":
            return f"{info.name}() can only be used in the defaultValue of a parameter"
        return None
    if only == functions.LAMBDA_ARGUMENT:
        parent = found.parent
        if parent is None or parent.name.lower() not in functions.LAMBDA_TAKERS:
            return (
                "lambda() can only be an argument of filter, groupBy, map, mapValues, reduce, sort "
                "or toObject"
            )
        return None
    if only == functions.LAMBDA_BODY:
        if found.lambda_depth == 0:
            return "lambdaVariables() can only be used inside the body of a lambda()"
        return None
    if found.key in _RUNTIME_FUNCTIONS or found.key.startswith("list"):
        if site.section == "functions":
            return f"{info.name}() cannot be used in a user-defined function"
        if site.section == "parameters":
            return (
                f"{info.name}() cannot be used in a parameter's default value: parameters are "
                "resolved before any resource exists"
            )
        if site.section == "variables" and not _symbolic(site.template):
            return (
                f"{info.name}() cannot be used in variables: variables are resolved before any "
                "resource exists (use it in the resource property or output that needs it)"
            )
    return None


def _symbolic(template: Template) -> bool:
    version = template.root.language_version
    return isinstance(version, str) and version.strip().startswith("2")
