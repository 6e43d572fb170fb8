"""Family 3, structure: the shape Resource Manager requires of a template before it reads any value.

A resource's name must have as many segments as its type, `type` and `apiVersion` are read before
any expression is evaluated, an apiVersion is a date, `$schema` names one of the published
deployment schemas, and the members Resource Manager needs are there with the right JSON shape.
"""

from __future__ import annotations

from templategen.arm.names import is_expression
from templategen.diagnostics import ERROR, WARNING
from templategen.rules.base import PARAMETERS, TEMPLATE, Rule
from templategen.rules.segments import describe, is_exact, name_segments

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from templategen.arm.resource import Resource
    from templategen.arm.template import Template
    from templategen.diagnostics import Diagnostic
    from templategen.lint.context import LintContext
    from templategen.rules.segments import Opaque

#: Substrings a file must contain for these rules to run on it (templategen.rules.registry): none,
#: every template has a structure.
TRIGGERS: tuple[str, ...] = ()

_RESOURCE_DOCS = "https://learn.microsoft.com/azure/azure-resource-manager/templates/resource-declaration"
_EXPRESSION_DOCS = "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions"


def _segment_word(count: int) -> str:
    return f"{count} segment" + ("" if count == 1 else "s")


class NameSegmentCount(Rule):
    id = "TG301"
    name = "name-segment-count"
    severity = ERROR
    summary = "A resource name has a different number of segments than its type"
    why = (
        "A resource's full name has one segment per type segment after the namespace: "
        "`Microsoft.RecoveryServices/vaults` takes `vault`, `Microsoft.RecoveryServices/vaults/"
        "backupPolicies` takes `vault/policy`, and a child declared inside its parent's `resources` "
        "takes only its own segment. Otherwise Resource Manager refuses the template "
        "(`The resource name '...' for type '...' has incorrect segment lengths`). Names built by "
        "expressions are counted when the count is certain: `format('{0}/{1}', ...)`, "
        "`concat(a, '/', b)`, variables holding literals, and values that never contain a slash "
        "(`uniqueString()`, `copyIndex()`, a parameter whose `allowedValues` have no slash). A value "
        "that might hold a slash (a free-form string parameter) only gives a lower bound, so only a "
        "name that is certainly too long is reported then."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
      "apiVersion": "2026-05-01",
      "name": "daily",
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
      "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
      "apiVersion": "2026-05-01",
      "name": "rsv-prod/daily",
      "properties": {"backupManagementType": "AzureIaasVM"}
    }
  ]
}"""
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/child-resource-name-type"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is None:
            return
        for resource in ctx.template.all_resources():
            message = _segment_problem(resource)
            if message is None:
                continue
            pointer = resource.pointer_of("name") or resource.pointer
            yield ctx.report(self, pointer, message)


def _segment_problem(resource: Resource) -> str | None:
    resource_type = resource.type
    if resource_type is None or resource.name is None:
        return None
    expected = resource_type.count("/")
    if expected < 1:
        return None
    scope = resource.template.expression_scope
    segs = name_segments(resource.name, scope)
    if segs is None or _fits(segs, expected):
        return None
    child = resource.parent is not None and resource.name_as_written != resource.name
    if child:
        # Resource Manager also accepts a child declared inside its parent with its *full* name
        # (`vm/ext` for an `extensions` child of `vm`); the quickstarts' CI deploys that form.
        own = name_segments(resource.name_as_written, scope)
        if own is None or _fits(own, expected):
            return None
    count = len(segs)
    exact = is_exact(segs)
    written = describe(segs)
    if count > expected:
        quantity = _segment_word(count) if exact else f"at least {_segment_word(count)}"
        hint = " (a child declared inside its parent takes only its own name segment)" if child else ""
    else:
        quantity = _segment_word(count)
        hint = f" (write the parent's name first: '{'/'.join(['<parent>'] * (expected - count))}/{written}')"
    return (
        f"name '{written}' has {quantity}, but type {resource_type} needs {expected}"
        f" (one per type segment after the namespace){hint}"
    )


def _fits(segs: list[str | Opaque], expected: int) -> bool:
    """True when the segments may number `expected` (exactly, or as a lower bound below it)."""
    count = len(segs)
    return count == expected or (count < expected and not is_exact(segs))


class TypeNotLiteral(Rule):
    id = "TG302"
    name = "type-not-literal"
    severity = ERROR
    summary = "A resource's type is an expression or not a string"
    why = (
        "Resource Manager reads each resource's `type` before evaluating any expression, to know "
        "which schema, provider and API applies, so it must be a literal string such as "
        "`Microsoft.RecoveryServices/vaults`. An expression there is refused, and every other check "
        "of the resource (name segments, API versions, properties) is blind to it."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "provider": {"type": "string", "defaultValue": "Microsoft.RecoveryServices"}
  },
  "resources": [
    {
      "type": "[format('{0}/vaults', parameters('provider'))]",
      "apiVersion": "2026-08-01",
      "name": "rsv-prod",
      "location": "[resourceGroup().location]",
      "sku": {"name": "RS0", "tier": "Standard"},
      "properties": {}
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
    }
  ]
}"""
    source_url = _EXPRESSION_DOCS

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is None:
            return
        for resource in ctx.template.all_resources():
            written = resource.type_as_written
            if "type" not in resource.key_map:
                continue  # missing: TG306
            pointer = resource.pointer_of("type") or resource.pointer
            if not isinstance(written, str):
                yield ctx.report(self, pointer, f"the type of resource {resource.label} must be a string")
            elif is_expression(written):
                yield ctx.report(
                    self,
                    pointer,
                    f"the type of resource {resource.label} is an expression; Resource Manager needs a "
                    "literal type such as 'Microsoft.Compute/virtualMachines'",
                )


class ApiVersionNotLiteral(Rule):
    id = "TG303"
    name = "apiversion-not-literal"
    severity = WARNING
    summary = "A resource's apiVersion is an expression instead of a literal date"
    why = (
        "Microsoft's documentation lists `apiVersion` among the values that must be literals, "
        "because the API version decides the resource's schema before anything is evaluated. "
        "Resource Manager still accepts an apiVersion read from a parameter or a variable (older "
        "quickstarts do it), so this is a warning rather than an error: such a template cannot be "
        "checked against the resource's schema or the API-version rules, and a parameters file can "
        "silently switch every resource to an API version the template was never written for."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {
    "apiVersion": "2026-08-01"
  },
  "resources": [
    {
      "type": "Microsoft.RecoveryServices/vaults",
      "apiVersion": "[variables('apiVersion')]",
      "name": "rsv-prod",
      "location": "[resourceGroup().location]",
      "sku": {"name": "RS0", "tier": "Standard"},
      "properties": {}
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
    }
  ]
}"""
    source_url = _EXPRESSION_DOCS

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is None:
            return
        for resource in ctx.template.all_resources():
            written = resource.api_version
            if isinstance(written, str) and is_expression(written):
                pointer = resource.pointer_of("apiVersion") or resource.pointer
                yield ctx.report(
                    self,
                    pointer,
                    f"apiVersion of {resource.type or resource.label} is an expression; write the API "
                    "version as a literal date (e.g. '2024-04-01') so it can be checked and cannot be "
                    "switched by a parameter",
                )


#: What may follow the date of an API version, after a `-`.
_API_SUFFIXES = frozenset({"preview", "beta", "alpha", "privatepreview"})


class MalformedApiVersion(Rule):
    id = "TG304"
    name = "malformed-apiversion"
    severity = ERROR
    summary = "A literal apiVersion is not a date YYYY-MM-DD (optionally -preview, -beta, ...)"
    why = (
        "Resource provider API versions are dates, `YYYY-MM-DD`, optionally followed by `-preview` "
        "(or `-beta`, `-alpha`, `-privatepreview`). Anything else (`2024-4-1`, `2024-04-01 `, "
        "`v2024-04-01`, `2024-13-01`) is refused by Resource Manager with `NoRegisteredProviderFound` "
        "or `InvalidApiVersionParameter`, usually far from where the typo is."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-5-01",
      "name": "[concat('store', uniqueString(resourceGroup().id))]",
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
      "name": "[concat('store', uniqueString(resourceGroup().id))]",
      "location": "[resourceGroup().location]",
      "sku": {"name": "Standard_LRS"},
      "kind": "StorageV2"
    }
  ]
}"""
    source_url = (
        "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types"
    )

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is None:
            return
        for resource in ctx.template.all_resources():
            written = resource.api_version
            if "apiversion" not in resource.key_map:
                continue  # missing: TG306
            pointer = resource.pointer_of("apiVersion") or resource.pointer
            if not isinstance(written, str):
                yield ctx.report(
                    self, pointer, f"apiVersion of {resource.label} must be a string such as '2024-04-01'"
                )
                continue
            if is_expression(written):
                continue  # TG303
            problem = api_version_problem(written)
            if problem is not None:
                yield ctx.report(self, pointer, f"{problem} (resource {resource.label})")


def api_version_problem(text: str) -> str | None:
    """Why `text` is not a well-formed API version, or None.

    Well-formed: `YYYY-MM-DD`, digits being any Unicode decimal digits (what `\\d` matches), then
    optionally `-preview`, `-beta`, `-alpha` or `-privatepreview`; and a real date of years 1-9999.
    Checked with string methods: this runs for every resource, and a regular expression (or
    `datetime`) would cost more to import than the whole check.
    """
    digits = text[:4] + text[5:7] + text[8:10]
    suffix = text[10:]
    if (
        len(digits) != 8
        or not digits.isdecimal()
        or text[4] != "-"
        or text[7] != "-"
        or (suffix and (suffix[0] != "-" or suffix[1:] not in _API_SUFFIXES))
    ):
        return (
            f"apiVersion '{text}' is not a date YYYY-MM-DD (optionally followed by -preview, -beta, "
            "-alpha or -privatepreview)"
        )
    if day_number(int(text[:4]), int(text[5:7]), int(text[8:10])) is None:
        return f"apiVersion '{text}' is not a real date"
    return None


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DAYS_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def day_number(year: int, month: int, day: int) -> int | None:
    """The proleptic Gregorian ordinal of a date (1 for 0001-01-01, as `datetime.date.toordinal`), or
    None when it is no date of years 1-9999. Arithmetic rather than `datetime`, whose import costs
    more than a one-file lint spends on API versions."""
    if not (1 <= year <= 9999 and 1 <= month <= 12 and day >= 1):
        return None
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if day > (29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1]):
        return None
    before = year - 1
    days = before * 365 + before // 4 - before // 100 + before // 400
    return days + _DAYS_BEFORE_MONTH[month - 1] + (1 if month > 2 and leap else 0) + day


#: Published deployment schemas (path after `schemas/`, lower case) → file kind.
KNOWN_SCHEMAS = {
    "2014-04-01-preview/deploymenttemplate.json": TEMPLATE,
    "2015-01-01/deploymenttemplate.json": TEMPLATE,
    "2019-04-01/deploymenttemplate.json": TEMPLATE,
    "2018-05-01/subscriptiondeploymenttemplate.json": TEMPLATE,
    "2019-08-01/managementgroupdeploymenttemplate.json": TEMPLATE,
    "2019-08-01/tenantdeploymenttemplate.json": TEMPLATE,
    "2014-04-01-preview/deploymentparameters.json": PARAMETERS,
    "2015-01-01/deploymentparameters.json": PARAMETERS,
    "2019-04-01/deploymentparameters.json": PARAMETERS,
    "2018-05-01/subscriptiondeploymentparameters.json": PARAMETERS,
    "2019-08-01/managementgroupdeploymentparameters.json": PARAMETERS,
    "2019-08-01/tenantdeploymentparameters.json": PARAMETERS,
}
#: Where the published schemas live; what follows is the schema's path (see `_schema_path`).
_SCHEMA_PREFIXES = (
    "https://schema.management.azure.com/schemas/",
    "http://schema.management.azure.com/schemas/",
)
_SCHEMA_URL = r"(?i)https?://schema\.management\.azure\.com/schemas/([^#?]+?)(?:#.*)?"
_RECOMMENDED = {
    TEMPLATE: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    PARAMETERS: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
}


def _schema_path(url: str) -> str | None:
    """The path after `schemas/` of a schema URL (`2019-04-01/deploymentTemplate.json`), fragment
    removed, or None when `url` is not one: `https?://schema.management.azure.com/schemas/<path>`
    with the scheme and host in any case, a path without `#` or `?`, and an optional `#fragment`
    without a line break. ASCII URLs (all real ones) are read with string methods; others go to
    the regular expression, whose case-insensitive matching knows Unicode's case folding."""
    if not url.isascii():
        import re

        match = re.fullmatch(_SCHEMA_URL, url)
        return match.group(1) if match else None
    low = url.lower()
    for prefix in _SCHEMA_PREFIXES:
        if low.startswith(prefix):
            path, hash_sign, fragment = url[len(prefix) :].partition("#")
            if not path or "?" in path or (hash_sign and "\n" in fragment):
                return None
            return path
    return None


class Schema(Rule):
    id = "TG305"
    name = "schema"
    severity = WARNING
    summary = "$schema is missing, or is not one of the published deployment schemas"
    why = (
        "`$schema` tells editors and tools what the file is: a template for a resource group, "
        "subscription, management group or tenant, or a parameters file. Without it, or with a "
        "misspelt URL, editors offer no completion, tools guess the kind of file from its shape, "
        "and a template for subscription scope looks like a resource-group template. The known "
        "values are the deployment schemas Microsoft publishes at `schema.management.azure.com` "
        "(checked case-insensitively, `http` or `https`, with or without the trailing `#`). Mirrors "
        "arm-ttk *DeploymentTemplate Schema Is Correct*."
    )
    bad = """\
{
  "contentVersion": "1.0.0.0",
  "parameters": {},
  "resources": []
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {},
  "resources": []
}"""
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax"
    applies_to = frozenset({TEMPLATE, PARAMETERS})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is not None:
            schema, kind, key_map = ctx.template.schema, TEMPLATE, ctx.template.key_map
        elif ctx.parameters_file is not None:
            schema, kind, key_map = ctx.parameters_file.schema, PARAMETERS, ctx.parameters_file.key_map
        else:
            return
        what = "template" if kind == TEMPLATE else "parameters file"
        if "$schema" not in key_map:
            yield ctx.report(self, "", f'the {what} has no $schema; add "$schema": "{_RECOMMENDED[kind]}"')
            return
        pointer = "/" + key_map["$schema"].replace("~", "~0").replace("/", "~1")
        path = _schema_path(schema.strip()) if isinstance(schema, str) else None
        known = KNOWN_SCHEMAS.get(path.lower()) if path is not None else None
        if known == kind:
            return
        shown = schema if isinstance(schema, str) else "a non-string value"
        yield ctx.report(
            self,
            pointer,
            f"$schema '{shown}' is not a published deployment {what} schema; "
            f"use {_RECOMMENDED[kind]} (or the subscription, managementGroup or tenant variant)",
        )


class ModelProblem(Rule):
    id = "TG306"
    name = "model-problem"
    severity = ERROR
    summary = "Part of the template or parameters file does not have the shape Resource Manager requires"
    why = (
        "Some structure cannot be used at all: a resource that is not an object or lacks `type`, "
        "`name` or `apiVersion` (without a template `apiProfile`), `resources` that is neither an "
        "array nor an object, a `copy` or `dependsOn` of the wrong JSON type, a parameter, variable "
        "or output declared twice in different letter case (names are case-insensitive), a "
        "parameters-file entry without `value` or `reference`. Resource Manager refuses such a "
        "file with `InvalidTemplate`; templategen skips the part and reports it here, so the other "
        "rules keep working on the rest."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "vaultName": {"type": "string"},
    "VaultName": {"type": "string"}
  },
  "resources": [],
  "outputs": {
    "vault": {"type": "string", "value": "[parameters('vaultName')]"}
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
    "vault": {"type": "string", "value": "[parameters('vaultName')]"}
  }
}"""
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax"
    applies_to = frozenset({TEMPLATE, PARAMETERS})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        template = ctx.template
        if template is not None:
            for pointer, message in template.problems:
                yield ctx.report(self, pointer, message)
            for resource in template.all_resources():
                for member in ("type", "name", "apiVersion"):
                    if member.lower() in resource.key_map:
                        continue
                    if member == "apiVersion" and _has_api_profile(resource):
                        continue
                    yield ctx.report(self, resource.pointer, f"resource {resource.label} has no `{member}`")
        elif ctx.parameters_file is not None:
            for pointer, message in ctx.parameters_file.problems:
                yield ctx.report(self, pointer, message)
            for entry in ctx.parameters_file.parameters.values():
                if not entry.has_value and not entry.has_reference:
                    yield ctx.report(
                        self, entry.pointer, f"parameter '{entry.name}' has neither `value` nor `reference`"
                    )


def _has_api_profile(resource: Resource) -> bool:
    """True when the resource's template or an enclosing one sets `apiProfile` (which supplies
    API versions, so resources may omit `apiVersion`)."""
    template: Template | None = resource.template
    while template is not None:
        if template.api_profile is not None:
            return True
        template = template.parent
    return False
