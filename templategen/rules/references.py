"""Family 2, references: every name an expression uses must be declared, every declaration used, and a
parameters file must fit the template it is given with.

Names resolve the way Resource Manager resolves them: case-insensitively, in the template whose
scope the expression is evaluated in (the parent's for a nested template with `outer` evaluation
scope), and inside a user-defined function only among that function's own parameters. When an
expression computes the name (`parameters(variables('which'))`) nothing can be said about that
template's parameters, and the rules stay silent rather than guess.
"""

from __future__ import annotations

from templategen.arm.expressions import Call, ExpressionError, StringLit, parse_cached
from templategen.arm.names import is_expression, join_pointer, literal_value
from templategen.diagnostics import ERROR, WARNING, Diagnostic, Location
from templategen.rules.base import Rule
from templategen.rules.segments import (
    definitely_different,
    describe,
    joined_segments,
    name_segments,
    pieces_of,
)
from templategen.rules.usage import duplicate_sections, usage_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from templategen.arm.expressions import Expr
    from templategen.arm.parameters import ParametersFile
    from templategen.arm.resource import Resource
    from templategen.arm.template import Template
    from templategen.lint.context import LintContext
    from templategen.rules.segments import Opaque
    from templategen.rules.usage import CallSite

#: Substrings a file must contain for these rules to run on it (templategen.rules.registry): none,
#: any template names parameters, variables and resources.
TRIGGERS: tuple[str, ...] = ()

_PARAMETERS_DOCS = "https://learn.microsoft.com/azure/azure-resource-manager/templates/parameters"
_VARIABLES_DOCS = "https://learn.microsoft.com/azure/azure-resource-manager/templates/variables"


def _closest(name: str, candidates: Iterable[str]) -> str | None:
    import difflib

    spelled = {candidate.lower(): candidate for candidate in candidates}
    match = difflib.get_close_matches(name.lower(), list(spelled), n=1, cutoff=0.7)
    return spelled[match[0]] if match else None


def _argument_report(ctx: LintContext, rule: Rule, found: CallSite, message: str) -> Diagnostic:
    """A finding underlining the first argument of the call (the name it asks for)."""
    site = found.site
    arg = found.call.args[0]
    return ctx.report(rule, site.pointer, message, offset=arg.start, end_offset=arg.end, key=site.key)


def _resolvable(ctx: LintContext, function: str) -> Iterator[CallSite]:
    """Calls of `parameters` / `variables` whose name Resource Manager certainly resolves: not in a
    branch of `if()` (only the selected branch is evaluated)."""
    for found in usage_of(ctx).named(function):
        if not found.in_branch:
            yield found


def _in_repeated_section(ctx: LintContext, found: CallSite, section: str) -> bool:
    """True when the section the name is looked up in is declared twice in the file: which one
    Resource Manager uses is not certain (TG002 reports the repetition). Asked only for a name
    that is missing, so files without findings never pay for the repeated-key scan."""
    if found.site.function is not None:
        return False
    pointer = found.site.scope.pointer_of(section)
    return pointer is not None and pointer in duplicate_sections(ctx)


def _scope_note(template: Template) -> str:
    if template.expression_scope is template:  # the file's template, or an inner-scoped one
        return ""
    return " (this nested template's expressions use outer scope: they read the parent template's)"


class UndefinedParameter(Rule):
    id = "TG201"
    name = "undefined-parameter"
    severity = ERROR
    summary = "parameters('x') names a parameter the template does not declare"
    why = (
        "Resource Manager refuses a template whose expression reads a parameter that is not declared "
        "(`The template parameter 'x' is not found`), so nothing deploys. Names are compared "
        "case-insensitively. In a nested template with `outer` evaluation scope (the default) "
        "`parameters()` reads the *parent* template's parameters, and inside a user-defined "
        "function it reads only the function's own parameters: both surprise people. A name read "
        "in a branch of `if()` is only resolved when that branch is taken, and Resource Manager "
        "accepts the template otherwise, so such names are not reported."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "vaultName": {"type": "string"}
  },
  "resources": [],
  "outputs": {
    "vault": {"type": "string", "value": "[parameters('vaultName')]"},
    "policy": {"type": "string", "value": "[format('{0}/daily', parameters('vaultNmae'))]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "vaultName": {"type": "string"}
  },
  "resources": [],
  "outputs": {
    "vault": {"type": "string", "value": "[parameters('vaultName')]"},
    "policy": {"type": "string", "value": "[format('{0}/daily', parameters('vaultName'))]"}
  }
}"""
    source_url = _PARAMETERS_DOCS

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for found in _resolvable(ctx, "parameters"):
            name = found.literal_argument()
            if name is None:
                continue
            site = found.site
            function = site.function
            if function is not None:
                names = [p[0] for p in function.parameters]
                if name.lower() in (n.lower() for n in names):
                    continue
                message = (
                    f"user-defined function '{function.full_name}' has no parameter '{name}' "
                    "(a function sees only its own parameters)"
                )
            else:
                scope = site.scope
                if scope.parameter(name) is not None or _in_repeated_section(ctx, found, "parameters"):
                    continue
                message = f"parameter '{name}' is not declared" + _scope_note(site.template)
                names = [p.name for p in scope.parameters.values()]
            suggestion = _closest(name, names)
            if suggestion is not None:
                message += f"; did you mean '{suggestion}'?"
            yield _argument_report(ctx, self, found, message)


class UndefinedVariable(Rule):
    id = "TG202"
    name = "undefined-variable"
    severity = ERROR
    summary = "variables('x') names a variable the template does not declare"
    why = (
        "Resource Manager refuses a template whose expression reads a variable that is not declared "
        "(`The template variable 'x' is not found`). Copy variables (entries of `variables.copy`) "
        "count as declared. User-defined functions cannot read variables at all. In a nested "
        "template with `outer` evaluation scope, `variables()` reads the parent template's "
        "variables. As with parameters, a name read in a branch of `if()` is not reported, nor a "
        "name looked up in a `variables` section the file repeats (TG002)."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {
    "vaultName": "rsv-prod"
  },
  "resources": [],
  "outputs": {
    "vault": {"type": "string", "value": "[variables('vaultName')]"},
    "policy": {"type": "string", "value": "[format('{0}/daily', variables('vaultNmae'))]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {
    "vaultName": "rsv-prod"
  },
  "resources": [],
  "outputs": {
    "vault": {"type": "string", "value": "[variables('vaultName')]"},
    "policy": {"type": "string", "value": "[format('{0}/daily', variables('vaultName'))]"}
  }
}"""
    source_url = _VARIABLES_DOCS

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for found in _resolvable(ctx, "variables"):
            site = found.site
            if site.function is not None:
                yield _report_call_name(
                    ctx,
                    self,
                    found,
                    f"user-defined function '{site.function.full_name}' cannot read variables",
                )
                continue
            name = found.literal_argument()
            if name is None:
                continue
            scope = site.scope
            if scope.variable(name) is not None or _in_repeated_section(ctx, found, "variables"):
                continue
            message = f"variable '{name}' is not declared" + _scope_note(site.template)
            suggestion = _closest(name, (v.name for v in scope.variables.values()))
            if suggestion is not None:
                message += f"; did you mean '{suggestion}'?"
            yield _argument_report(ctx, self, found, message)


def _report_call_name(ctx: LintContext, rule: Rule, found: CallSite, message: str) -> Diagnostic:
    site = found.site
    call = found.call
    return ctx.report(
        rule, site.pointer, message, offset=call.name_start, end_offset=call.name_end, key=site.key
    )


class UndefinedFunction(Rule):
    id = "TG203"
    name = "undefined-function"
    severity = ERROR
    summary = "namespace.name() calls a user-defined function the template does not declare"
    why = (
        "A call written `namespace.name(...)` is a user-defined function, declared in the template's "
        "`functions` section. Resource Manager refuses the template when the namespace or the "
        "function is not declared there (names are case-insensitive). A nested template with `inner` "
        "evaluation scope must declare its own functions; with `outer` scope it uses the parent's."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "functions": [
    {
      "namespace": "contoso",
      "members": {
        "uniqueName": {
          "parameters": [{"name": "prefix", "type": "string"}],
          "output": {
            "type": "string",
            "value": "[concat(parameters('prefix'), uniqueString(resourceGroup().id))]"
          }
        }
      }
    }
  ],
  "resources": [],
  "outputs": {
    "name": {"type": "string", "value": "[contoso.uniqueNames('rsv')]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "functions": [
    {
      "namespace": "contoso",
      "members": {
        "uniqueName": {
          "parameters": [{"name": "prefix", "type": "string"}],
          "output": {
            "type": "string",
            "value": "[concat(parameters('prefix'), uniqueString(resourceGroup().id))]"
          }
        }
      }
    }
  ],
  "resources": [],
  "outputs": {
    "name": {"type": "string", "value": "[contoso.uniqueName('rsv')]"}
  }
}"""
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/user-defined-functions"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for found in usage_of(ctx).calls:
            call = found.call
            if "." not in call.name:
                continue
            scope = found.site.scope
            if scope.function(call.name) is not None:
                continue
            declared = [f.full_name for f in scope.functions.values()]
            message = f"user-defined function '{call.name}' is not declared" + _scope_note(
                found.site.template
            )
            suggestion = _closest(call.name, declared)
            if suggestion is not None:
                message += f"; did you mean '{suggestion}'?"
            yield _report_call_name(ctx, self, found, message)


class CopyIndexOutsideCopy(Rule):
    id = "TG204"
    name = "copyindex-outside-copy"
    severity = ERROR
    summary = "copyIndex() is used outside a copy loop, or names a loop that does not enclose it"
    why = (
        "`copyIndex()` returns the current iteration of a copy loop, so it only works inside one: "
        "the members of a resource that has `copy` (not the `copy.count` itself), the `input` of a "
        "property or variable loop, or an output loop. `copyIndex('name')` must name a loop that "
        "encloses it (loop names are case-insensitive). Anywhere else Resource Manager refuses the "
        "template (`The template function 'copyIndex' is not expected at this location`)."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-05-01",
      "name": "[concat('store', copyIndex(), uniqueString(resourceGroup().id))]",
      "location": "[resourceGroup().location]",
      "sku": {"name": "Standard_LRS"},
      "kind": "StorageV2"
    }
  ]
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-05-01",
      "name": "[concat('store', copyIndex(), uniqueString(resourceGroup().id))]",
      "location": "[resourceGroup().location]",
      "sku": {"name": "Standard_LRS"},
      "kind": "StorageV2",
      "copy": {"name": "stores", "count": 3}
    }
  ]
}"""
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-numeric#copyindex"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for found in usage_of(ctx).named("copyindex"):
            site = found.site
            args = found.call.args
            if args and isinstance(args[0], StringLit):
                loop_name = args[0].value
                if site.loop_named(loop_name) is not None:
                    continue
                names = [name for name in site.copy_names if name]
                if names:
                    message = (
                        f"copyIndex('{loop_name}'): no enclosing copy loop is named '{loop_name}' "
                        f"(enclosing: {', '.join(names)})"
                    )
                else:
                    message = f"copyIndex('{loop_name}') is used outside any copy loop"
                yield _argument_report(ctx, self, found, message)
                continue
            if not site.loops:
                yield _report_call_name(ctx, self, found, "copyIndex() is used outside any copy loop")


def _usage_counts(ctx: LintContext, function_name: str) -> tuple[dict[int, set[str]], set[int]]:
    """For `parameters` or `variables`: the names each template scope reads (keyed by id of the
    Template) and the scopes where some call computes the name (anything may be read there)."""
    used: dict[int, set[str]] = {}
    dynamic: set[int] = set()
    for found in usage_of(ctx).named(function_name):
        site = found.site
        if site.function is not None:
            continue  # a function's parameters('x') is its own parameter
        key = id(site.scope)
        name = found.literal_argument()
        if name is None:
            dynamic.add(key)
            continue
        used.setdefault(key, set()).add(name.lower())
    return used, dynamic


class UnusedParameter(Rule):
    id = "TG205"
    name = "unused-parameter"
    severity = WARNING
    summary = "A parameter is declared but no expression reads it"
    why = (
        "An unused parameter asks every user for a value that changes nothing, and often means an "
        "expression reads the wrong parameter (a copy-paste left `location` unused while every "
        "resource uses a literal region). Uses are counted wherever the template's expressions are "
        "evaluated, including nested templates with `outer` scope and other parameters' defaults. "
        "When an expression computes a parameter name (`parameters(variables('p'))`), every "
        "parameter of that template counts as used. Mirrors arm-ttk *Parameters Must Be Referenced* "
        "and the Bicep linter's `no-unused-params` (a warning there too)."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "vaultName": {"type": "string"}
  },
  "resources": [],
  "outputs": {
    "where": {"type": "string", "value": "[parameters('location')]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"}
  },
  "resources": [],
  "outputs": {
    "where": {"type": "string", "value": "[parameters('location')]"}
  }
}"""
    source_url = (
        "https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-no-unused-parameters"
    )
    tags = ("maintainability",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is None:
            return
        used, dynamic = _usage_counts(ctx, "parameters")
        for template in ctx.template.all_templates():
            if template.expression_scope is not template or id(template) in dynamic:
                continue  # outer-scoped nested templates' own parameters are not theirs to use
            names = used.get(id(template), set())
            for parameter in template.parameters.values():
                if parameter.key not in names:
                    yield ctx.report(
                        self,
                        parameter.pointer,
                        f"parameter '{parameter.name}' is declared but never used",
                        key=True,
                    )


class UnusedVariable(Rule):
    id = "TG206"
    name = "unused-variable"
    severity = WARNING
    summary = "A variable is declared but no expression reads it"
    why = (
        "An unused variable is dead code that readers still have to understand, and often a sign "
        "that an expression reads a different variable than intended. Uses are counted across the "
        "whole template, including other variables, outputs and nested templates with `outer` "
        "scope. When an expression computes a variable name (`variables(concat('size', "
        "parameters('tier')))`, a common lookup-table pattern), every variable of that template "
        "counts as used. Mirrors arm-ttk *Variables Must Be Referenced* and the Bicep linter's "
        "`no-unused-vars`."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {
    "vaultName": "rsv-prod",
    "policyName": "daily"
  },
  "resources": [],
  "outputs": {
    "vault": {"type": "string", "value": "[variables('vaultName')]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {
    "vaultName": "rsv-prod"
  },
  "resources": [],
  "outputs": {
    "vault": {"type": "string", "value": "[variables('vaultName')]"}
  }
}"""
    source_url = (
        "https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-no-unused-variables"
    )
    tags = ("maintainability",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is None:
            return
        used, dynamic = _usage_counts(ctx, "variables")
        for template in ctx.template.all_templates():
            if template.expression_scope is not template or id(template) in dynamic:
                continue
            names = used.get(id(template), set())
            for variable in template.variables.values():
                if variable.key in names:
                    continue
                message = f"variable '{variable.name}' is declared but never used"
                if variable.copy is not None:
                    pointer = variable.pointer
                    name_key = next((k for k in variable.copy.raw if k.lower() == "name"), None)
                    if name_key is not None:
                        yield ctx.report(self, f"{pointer}/{name_key}", message)
                    else:
                        yield ctx.report(self, pointer, message)
                else:
                    yield ctx.report(self, variable.pointer, message, key=True)


# ---------------------------------------------------------------------------------------- dependsOn

#: Functions building a resource id, and how many leading arguments may come before the type
#: (subscription id, resource group name, management group, or the parent id of an extension).
_ID_FUNCTIONS = {
    "resourceid": 2,
    "subscriptionresourceid": 1,
    "tenantresourceid": 0,
    "managementgroupresourceid": 1,
    "extensionresourceid": 1,
}
_MAX_INDIRECTION = 4


class _Target:
    """What a dependsOn entry names, as far as it can be read: a type (None if unknown) and the
    name segments (None if unknown), or a plain name / symbolic name (`plain`)."""

    __slots__ = ("names", "plain", "type", "type_prefix")

    def __init__(
        self,
        type_: str | None = None,
        names: list[str | Opaque] | None = None,
        plain: str | None = None,
        type_prefix: bool = False,
    ) -> None:
        self.type = type_
        self.names = names
        self.plain = plain
        self.type_prefix = type_prefix


class DependsOnUnknown(Rule):
    id = "TG207"
    name = "dependson-unknown"
    severity = ERROR
    summary = "A dependsOn entry names no resource of the template"
    why = (
        "`dependsOn` may only name resources declared in the same template (by resource id, by "
        "name, by copy-loop name, or by symbolic name in languageVersion 2.0). When an entry names "
        "nothing there, Resource Manager refuses the deployment (`The resource 'X' is not defined in "
        "the template`). A resource that is conditionally deployed or created in a loop still counts "
        "as declared. Resource Manager matches ids leniently (the quickstarts' CI deploys a "
        "`resourceId('Microsoft.RecoveryServices/vaults', vault, policy)` that names the vault's "
        "policy child), so the check compares `resourceId(type, names...)` structurally with the "
        "resources of the same namespace and top-level type and their name expressions, and "
        "reports only what is certain: no resource of that namespace and type at all, or every one "
        "of them has a different literal name segment. Anything it cannot decide (a name from a "
        "parameter, an id from a variable expression it cannot read) is left alone."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.RecoveryServices/vaults",
      "apiVersion": "2026-08-01",
      "name": "rsv-prod",
      "location": "[resourceGroup().location]",
      "sku": {"name": "RS0", "tier": "Standard"},
      "properties": {}
    },
    {
      "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
      "apiVersion": "2026-05-01",
      "name": "rsv-prod/daily",
      "dependsOn": ["[resourceId('Microsoft.RecoveryServices/vaults', 'rsv-test')]"],
      "properties": {"backupManagementType": "AzureIaasVM"}
    }
  ]
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.RecoveryServices/vaults",
      "apiVersion": "2026-08-01",
      "name": "rsv-prod",
      "location": "[resourceGroup().location]",
      "sku": {"name": "RS0", "tier": "Standard"},
      "properties": {}
    },
    {
      "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
      "apiVersion": "2026-05-01",
      "name": "rsv-prod/daily",
      "dependsOn": ["[resourceId('Microsoft.RecoveryServices/vaults', 'rsv-prod')]"],
      "properties": {"backupManagementType": "AzureIaasVM"}
    }
  ]
}"""
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/resource-dependency"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is None:
            return
        for template in ctx.template.all_templates():
            if not any(r.depends_on for r in template.resources):
                continue
            index = _ResourceIndex(template)
            for resource in template.resources:
                for value, pointer in resource.depends_on:
                    message = index.problem(value)
                    if message is not None:
                        yield ctx.report(self, pointer, message)


def _root(resource_type: str) -> str:
    """`Namespace/type` of a full type (`microsoft.network/virtualnetworks` of `.../subnets`), lower case."""
    parts = resource_type.lower().split("/")
    return "/".join(parts[:2])


class _Declared:
    """One resource as dependsOn entries see it: its type (or the extension type of the old
    `<parent type>/providers/<type>` form) and its name segments, read only when compared."""

    __slots__ = ("_names", "_read", "resource", "skip", "type")

    def __init__(self, resource: Resource, type_: str, skip: int = 0) -> None:
        self.resource = resource
        self.type = type_
        self.skip = skip  # leading name segments that belong to the parent of an extension
        self._names: list[str | Opaque] | None = None
        self._read = False

    @property
    def names(self) -> list[str | Opaque] | None:
        if not self._read:
            self._read = True
            segs = name_segments(self.resource.name, self.resource.template.expression_scope)
            self._names = segs[self.skip :] if segs is not None else None
        return self._names


class _ResourceIndex:
    """What one template declares, in the forms dependsOn entries are compared with.

    Resource Manager resolves a resource id in `dependsOn` leniently: the quickstarts' CI deploys
    `resourceId('Microsoft.RecoveryServices/vaults', vault, policy)` as a dependency on the vault's
    `replicationPolicies/policy` child. So candidates are compared by namespace and top-level type
    (`Microsoft.RecoveryServices/vaults`) and by name, never by the full child type.
    """

    __slots__ = (
        "_groups",
        "_plain_names",
        "all_names_literal",
        "by_root",
        "loop_names",
        "scope",
        "symbolic",
        "template",
        "types_known",
    )

    def __init__(self, template: Template) -> None:
        self.template = template
        self.scope = template.expression_scope
        self.by_root: dict[str, list[_Declared]] = {}
        self.types_known = True
        self.all_names_literal = True
        self.loop_names: set[str] = set()
        self.symbolic = set(template.symbolic_resources)
        self._groups: dict[str, tuple[set[str], list[_Declared]]] = {}
        self._plain_names: set[str] | None = None
        for resource in template.resources:
            if resource.name is None or is_expression(resource.name):
                self.all_names_literal = False
            if resource.copy is not None and resource.copy.name:
                self.loop_names.add(resource.copy.name.lower())
            if resource.type is None:
                self.types_known = False
                continue
            self._add(_Declared(resource, resource.type))
            parts = resource.type.split("/")
            lowered = [part.lower() for part in parts]
            if "providers" in lowered[2:]:
                self._add_extension(resource, parts, lowered.index("providers", 2))

    def _add(self, declared: _Declared) -> None:
        self.by_root.setdefault(_root(declared.type), []).append(declared)

    def _add_extension(self, resource: Resource, parts: list[str], at: int) -> None:
        """`Microsoft.Storage/storageAccounts/providers/roleAssignments` named `acct/Microsoft.
        Authorization/guid` is the extension resource `Microsoft.Authorization/roleAssignments` `guid`."""
        position = at - 1  # name segment holding the extension's namespace
        names = name_segments(resource.name, resource.template.expression_scope)
        if names is None or len(names) <= position or not isinstance(names[position], str):
            self.types_known = False
            return
        namespace = names[position]
        assert isinstance(namespace, str)
        self._add(_Declared(resource, "/".join([namespace, *parts[at + 1 :]]), position + 1))

    def problem(self, value: object) -> str | None:
        """Why this dependsOn entry names nothing, or None when it may name something."""
        if not isinstance(value, str):
            return None
        target = self._target(value, 0)
        if target is None:
            return None
        if target.plain is not None:
            return self._plain_problem(target.plain)
        if target.type is None or not self.types_known:
            return None
        candidates = self.by_root.get(_root(target.type))
        if not candidates:
            return (
                f"dependsOn names a {target.type} resource, but this template declares no "
                f"{_root_shown(target.type)} resource"
            )
        if target.type_prefix or target.names is None:
            return None
        literal, others = self._group(_root(target.type), candidates)
        names = target.names
        if all(isinstance(n, str) for n in names) and "/".join(map(str, names)).lower() in literal:
            return None  # the usual case, found without comparing every candidate
        for declared in others:
            if declared.names is None or not definitely_different(names, declared.names):
                return None
        if literal and not all(isinstance(n, str) for n in names):
            for declared in candidates:  # an opaque part may still make it equal a literal name
                if declared.names is not None and not definitely_different(names, declared.names):
                    return None
        shown = sorted({f"{d.type} '{describe(d.names or [])}'" for d in candidates})
        listed = ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
        return f"dependsOn names {target.type} '{describe(names)}', but this template declares only {listed}"

    def _group(self, root: str, candidates: list[_Declared]) -> tuple[set[str], list[_Declared]]:
        """The candidates of one root type split into literal full names (a set, lower case) and
        the others, built once per root: a template with thousands of resources of one type and
        as many dependsOn entries stays linear."""
        found = self._groups.get(root)
        if found is None:
            literal: set[str] = set()
            others: list[_Declared] = []
            for declared in candidates:
                segs = declared.names
                if segs is not None and all(isinstance(n, str) for n in segs):
                    literal.add("/".join(map(str, segs)).lower())
                else:
                    others.append(declared)
            found = self._groups[root] = (literal, others)
        return found

    def _plain_problem(self, name: str) -> str | None:
        low = name.lower()
        if low in self.symbolic or low in self.loop_names:
            return None
        if not self.all_names_literal:
            return None
        if self._plain_names is None:
            self._plain_names = set()
            for resource in self.template.resources:
                full = literal_value(resource.name or "").lower()
                self._plain_names.add(full)
                self._plain_names.add(full.rsplit("/", 1)[-1])
        if low in self._plain_names:
            return None
        if self.symbolic:
            return (
                f"dependsOn names '{name}', which is neither a symbolic name nor a resource name of "
                "this template"
            )
        return f"dependsOn names '{name}', but no resource or copy loop of this template has that name"

    def _target(self, value: str, depth: int) -> _Target | None:
        if depth > _MAX_INDIRECTION:
            return None
        if not is_expression(value):
            return _literal_target(literal_value(value))
        parsed = parse_cached(value)
        if isinstance(parsed, ExpressionError):
            return None
        return self._expr_target(parsed, depth)

    def _expr_target(self, expr: Expr, depth: int) -> _Target | None:
        if not isinstance(expr, Call):
            return None
        name = expr.name.lower()
        if name in _ID_FUNCTIONS:
            return self._id_target(expr, _ID_FUNCTIONS[name])
        if name == "variables" and len(expr.args) == 1 and isinstance(expr.args[0], StringLit):
            variable = self.scope.variable(expr.args[0].value)
            if variable is None or variable.copy is not None or not isinstance(variable.value, str):
                return None
            return self._target(variable.value, depth + 1)
        if name in ("concat", "format"):
            prefix = []
            for piece in pieces_of(expr, self.scope):
                if not isinstance(piece, str):
                    break
                prefix.append(piece)
            return _type_prefix_target("".join(prefix)) if prefix else None
        return None

    def _id_target(self, call: Call, leading: int) -> _Target | None:
        args = call.args
        for position in range(min(leading, len(args) - 1) + 1):
            arg = args[position]
            type_ = _literal_type(arg, self.scope)
            if type_ is not None:
                break
        else:
            return None
        names = args[position + 1 :]
        if not names:
            return _Target(type_, None)
        segs = joined_segments(names, self.scope)
        return _Target(type_, segs)


def _literal_type(arg: Expr, scope: Template) -> str | None:
    """The resource type an argument spells (`Microsoft.X/y[/z...]`), reading literal variables."""
    value: object = None
    if isinstance(arg, StringLit):
        value = arg.value
    elif (
        isinstance(arg, Call)
        and arg.name.lower() == "variables"
        and len(arg.args) == 1
        and isinstance(arg.args[0], StringLit)
    ):
        variable = scope.variable(arg.args[0].value)
        if variable is not None and variable.copy is None:
            value = variable.value
            if isinstance(value, str) and is_expression(value):
                return None
    if not isinstance(value, str):
        return None
    value = value.strip().strip("/")  # ARM tolerates `'Microsoft.Network/publicIPAddresses/'`
    first, slash, rest = value.partition("/")
    if not slash or "." not in first or not rest or " " in value:
        return None
    return value


def _literal_target(value: str) -> _Target | None:
    """A literal entry: a full resource id, a `Namespace/type/name` string, or a plain name."""
    text = value.strip()
    if not text:
        return None
    low = text.lower()
    if low.startswith("/subscriptions/") or low.startswith("/providers/"):
        return None  # a full id names a scope too; too many forms to be sure
    first = text.split("/", 1)[0]
    if "/" in text and "." in first:
        return _type_prefix_target(text)
    if "/" in text:
        return None
    return _Target(plain=text)


def _type_prefix_target(text: str) -> _Target | None:
    """`Microsoft.Network/virtualNetworks/vnet1...`: the namespace and first type segment are sure."""
    parts = text.split("/")
    if len(parts) < 3 or "." not in parts[0] or not parts[1]:
        return None
    return _Target(parts[0] + "/" + parts[1], None, type_prefix=True)


def _root_shown(resource_type: str) -> str:
    return "/".join(resource_type.split("/")[:2])


# -------------------------------------------------------------------------------- parameters file

#: JSON types a parameter value must have, by declared parameter type.
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "securestring": (str,),
    "int": (int,),
    "bool": (bool,),
    "object": (dict,),
    "secureobject": (dict,),
    "array": (list,),
}
_JSON_NAMES = {str: "a string", int: "an integer", bool: "a boolean", dict: "an object", list: "an array"}


class ParametersFileMismatch(Rule):
    id = "TG208"
    name = "parameters-file-mismatch"
    severity = ERROR
    summary = "The parameters file given with -p does not fit the template"
    why = (
        "Only checked when a parameters file is given with `-p` (the one the deployment will use). "
        "Resource Manager refuses the deployment when the file gives a value for a parameter the "
        "template does not declare, when a parameter without `defaultValue` gets no value (neither "
        "in the file nor as a Key Vault `reference`), or when a value has the wrong JSON type for "
        'the parameter (`"3"` for an `int`, `"true"` for a `bool`). With several `-p` files the '
        "values are merged as the CLI merges them. Findings about a value point into the "
        "parameters file; a missing value points at the parameter in the template."
    )
    bad = """\
template.json declares "retentionDays": {"type": "int"}
parameters.json: {"parameters": {"retentionDays": {"value": "30"}, "vaultNmae": {"value": "rsv"}}}"""
    good = """\
template.json declares "retentionDays": {"type": "int"}
parameters.json: {"parameters": {"retentionDays": {"value": 30}}}"""
    example_language = "text"
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/parameter-files"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        template = ctx.template
        files = ctx.parameters_files
        if template is None or not files:
            return
        given: set[str] = set()
        for parameters in files:
            yield from self._check_file(template, parameters)
            given.update(parameters.parameters)
        for parameter in template.parameters.values():
            if parameter.key in given or template.parameter_optional(parameter):
                continue
            shown = ", ".join(p.path for p in files)
            yield ctx.report(
                self,
                parameter.pointer,
                f"parameter '{parameter.name}' has no default value and {shown} gives it no value",
                key=True,
            )

    def _check_file(self, template: Template, parameters: ParametersFile) -> Iterator[Diagnostic]:
        for entry in parameters.parameters.values():
            declared = template.parameter(entry.name)
            if declared is None:
                message = f"'{entry.name}' is not a parameter of {template.path}"
                suggestion = _closest(entry.name, (p.name for p in template.parameters.values()))
                if suggestion is not None:
                    message += f"; did you mean '{suggestion}'?"
                yield self._at(parameters, entry.pointer, message, key=True)
                continue
            if not entry.has_value or entry.value is None:
                continue
            expected = _JSON_TYPES.get(declared.type or "")
            value = entry.value
            if expected is None or _has_type(value, expected):
                continue
            yield self._at(
                parameters,
                entry.value_pointer,
                f"parameter '{declared.name}' is declared {declared.type} in {template.path}, "
                f"but this value is {_json_name(value)}",
            )

    def _at(self, parameters: ParametersFile, pointer: str, message: str, key: bool = False) -> Diagnostic:
        document = parameters.document
        location: Location
        locate_key = getattr(document, "locate_key", None)
        locate = getattr(document, "locate", None)
        if key and locate_key is not None:
            location = locate_key(pointer)
        elif locate is not None:
            location = locate(pointer)
        else:
            location = Location(parameters.path, 1, 1, 1, 1, pointer)
        return Diagnostic(self.id, self.name, self.severity, message, location)


def _has_type(value: object, expected: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in expected
    return isinstance(value, expected)


def _json_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float):
        return "a decimal number"
    for kind, label in _JSON_NAMES.items():
        if isinstance(value, kind):
            return label
    return "null"


#: TG209's examples: one deployment, whose passed `parameters` (PASSED) differ between the two.
_NESTED_DEPLOYMENT = """\
{
  "type": "Microsoft.Resources/deployments",
  "apiVersion": "2022-09-01",
  "name": "backup-policy",
  "properties": {
    "mode": "Incremental",
    "expressionEvaluationOptions": {"scope": "inner"},
    "parameters": PASSED,
    "template": {
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "parameters": {
        "vaultName": {"type": "string"},
        "policyName": {"type": "string"},
        "dailyRetentionDays": {"type": "int", "defaultValue": 30}
      },
      "resources": [],
      "outputs": {
        "vault": {"type": "string", "value": "[parameters('vaultName')]"},
        "policy": {"type": "string", "value": "[parameters('policyName')]"},
        "days": {"type": "int", "value": "[parameters('dailyRetentionDays')]"}
      }
    }
  }
}"""


class NestedParametersMismatch(Rule):
    id = "TG209"
    name = "nested-parameters-mismatch"
    severity = ERROR
    summary = (
        "A nested deployment (or Bicep module) passes a parameter its template does not declare, "
        "or leaves out one without a default"
    )
    why = (
        "A nested deployment with `inner` expression scope is a template of its own: Resource Manager "
        "checks the `parameters` it receives against the parameters it declares, and refuses the whole "
        "deployment when one is unknown (`The template parameters 'x' in the parameters file are not "
        "valid; they are not present in the original template`) or when one without `defaultValue` "
        "gets no value. Both usually come from a renamed parameter, so the message suggests the "
        "nearest declared name. Bicep modules are checked the same way, on the module's own file.\n\n"
        "Only inline templates with `inner` scope are read (with `outer` scope the nested template "
        "takes the parent's parameters). A deployment whose `parameters` is one expression, or that "
        "uses `parametersLink`, is skipped: which names it passes is only known at deployment. A "
        "parameter typed by a `$ref` to a definition counts as optional when that definition is "
        "`nullable`."
    )
    bad = _NESTED_DEPLOYMENT.replace(
        "PASSED", '{"vaultName": {"value": "rsv-prod"}, "retentionDays": {"value": 30}}'
    )
    good = _NESTED_DEPLOYMENT.replace(
        "PASSED",
        '{\n      "vaultName": {"value": "rsv-prod"},\n      "policyName": {"value": "DailyPolicy"},\n'
        '      "dailyRetentionDays": {"value": 30}\n    }',
    )
    source_url = (
        "https://learn.microsoft.com/azure/azure-resource-manager/templates/linked-templates"
        "#expression-evaluation-scope-in-nested-templates"
    )

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is None:
            return
        for template in ctx.template.all_templates():
            deployment = template.deployment
            if deployment is None or template.evaluation_scope != "inner":
                continue
            if deployment.has("properties", "parametersLink"):
                continue
            passed = deployment.get("properties", "parameters")
            base = deployment.pointer_of("properties", "parameters")
            if passed is None:
                passed, base = {}, None
            if not isinstance(passed, dict):
                continue  # one expression: the names are only known at deployment
            from templategen.rules.labels import deployment_label

            label = deployment_label(ctx, deployment)
            given: set[str] = set()
            for key in passed:
                given.add(key.lower())
                if template.parameter(key) is not None:
                    continue
                message = f"{label} passes '{key}', which its template does not declare"
                suggestion = _closest(key, (p.name for p in template.parameters.values()))
                if suggestion is not None:
                    message += f"; did you mean '{suggestion}'?"
                assert base is not None
                yield ctx.report(self, join_pointer(base, key), message, key=True)
            for parameter in template.parameters.values():
                if parameter.key in given or template.parameter_optional(parameter):
                    continue
                yield ctx.report(
                    self,
                    base if base is not None else deployment.pointer,
                    f"{label} gives no value to '{parameter.name}', which its template declares "
                    "without a default value",
                    key=True,
                )
