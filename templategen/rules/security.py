"""Family 4, security and practice: secrets must not sit in or leak out of a template, and regions
must not be wired in.

Messages never repeat a secret: secure values are named, never quoted, and a SAS token is shown
with its signature masked (`sig=***`, `templategen.redact`).
"""

from __future__ import annotations

import re

from templategen.arm.expressions import Call, ExpressionError, Index, Member, StringLit, parse_cached
from templategen.arm.names import escape_token, is_expression, literal_value
from templategen.diagnostics import ERROR, WARNING
from templategen.redact import redact_text
from templategen.rules.base import PARAMETERS, TEMPLATE, Rule
from templategen.rules.usage import usage_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from templategen.arm.expressions import Expr
    from templategen.arm.resource import Resource
    from templategen.arm.template import Template
    from templategen.diagnostics import Diagnostic
    from templategen.lint.context import LintContext

#: Substrings a file must contain for these rules to run on it (templategen.rules.registry): none,
#: locations, secrets and SAS tokens may be in any file.
TRIGGERS: tuple[str, ...] = ()


class HardcodedLocation(Rule):
    id = "TG401"
    name = "hardcoded-location"
    severity = WARNING
    summary = "A resource's location is a literal region instead of a parameter"
    why = (
        "Template users may not be allowed to create resources in the region written into the "
        "template, and a region written in several places drifts. Give the template a `location` "
        "parameter (its default may be `[resourceGroup().location]`) and use it. Follows the Bicep "
        "linter's `no-hardcoded-location`: a resource `location` that is a string literal, or a "
        "variable holding one, is reported; `global` (any case) and expressions are fine; so is a "
        "literal default of a parameter, because the user can change it. A literal region passed "
        "to an inline nested deployment's parameter that the nested template uses as a resource "
        "location is reported where it is passed. arm-ttk's *Location Should Not Be Hardcoded* "
        "checks the same thing."
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
      "location": "westeurope",
      "sku": {"name": "RS0", "tier": "Standard"},
      "properties": {}
    }
  ]
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"}
  },
  "resources": [
    {
      "type": "Microsoft.RecoveryServices/vaults",
      "apiVersion": "2026-08-01",
      "name": "rsv-prod",
      "location": "[parameters('location')]",
      "sku": {"name": "RS0", "tier": "Standard"},
      "properties": {}
    }
  ]
}"""
    source_url = (
        "https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-no-hardcoded-location"
    )
    tags = ("portability",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is None:
            return
        for resource in ctx.template.all_resources():
            location = resource.location
            if not isinstance(location, str) or "location" not in resource.key_map or resource.existing:
                continue  # an `existing` resource (languageVersion 2.0) is only read, not placed
            pointer = resource.pointer_of("location") or resource.pointer
            if not is_expression(location):
                region = literal_value(location).strip()
                if _is_region(region):
                    yield ctx.report(
                        self,
                        pointer,
                        f"location of {_shown_resource(resource)} is hard-coded as '{region}'; "
                        "use a parameter (e.g. [parameters('location')])",
                    )
                continue
            parsed = parse_cached(location)
            if not isinstance(parsed, Call) or len(parsed.args) != 1:
                continue
            arg = parsed.args[0]
            if not isinstance(arg, StringLit):
                continue
            scope = resource.template.expression_scope
            if parsed.name.lower() == "variables":
                variable = scope.variable(arg.value)
                if variable is None or variable.copy is not None or not isinstance(variable.value, str):
                    continue
                if is_expression(variable.value):
                    continue
                region = literal_value(variable.value).strip()
                if _is_region(region):
                    yield ctx.report(
                        self,
                        pointer,
                        f"location of {_shown_resource(resource)} comes from variable "
                        f"'{variable.name}', which hard-codes '{region}'; use a parameter instead",
                    )
            elif parsed.name.lower() == "parameters":
                found = _passed_literal(resource.template, arg.value)
                if found is not None:
                    value_pointer, region = found
                    yield ctx.report(
                        self,
                        value_pointer,
                        f"the literal region '{region}' is passed to parameter '{arg.value}', which the "
                        f"nested template uses as the location of {_shown_resource(resource)}; "
                        "pass a parameter",
                    )


def _shown_resource(resource: Resource) -> str:
    """`Microsoft.RecoveryServices/vaults 'rsv'` for messages (the type says what is being placed)."""
    return f"{resource.type} '{resource.label}'" if resource.type else resource.label


def _is_region(text: str) -> bool:
    return bool(text) and text.lower() != "global"


def _passed_literal(template: Template, parameter: str) -> tuple[str, str] | None:
    """For an inner-scoped nested template, the literal region its deployment passes to `parameter`."""
    deployment = template.deployment
    if deployment is None or template.expression_scope is not template:
        return None
    parameters = deployment.get("properties", "parameters")
    if not isinstance(parameters, dict):
        return None
    for name, entry in parameters.items():
        if name.lower() != parameter.lower() or not isinstance(entry, dict):
            continue
        value_key = next((k for k in entry if k.lower() == "value"), None)
        if value_key is None:
            return None
        value = entry[value_key]
        if not isinstance(value, str) or is_expression(value):
            return None
        region = literal_value(value).strip()
        if not _is_region(region):
            return None
        base = deployment.pointer_of("properties", "parameters")
        assert base is not None
        return f"{base}/{escape_token(name)}/{escape_token(value_key)}", region
    return None


class SecureParameterDefault(Rule):
    id = "TG402"
    name = "secure-parameter-default"
    severity = ERROR
    summary = "A secureString or secureObject parameter has a literal default value"
    why = (
        "A secure parameter keeps its value out of logs and deployment history, but a default value "
        "is part of the template itself: anyone who can read the file, the repository, or the "
        "deployment's exported template can read it, and every deployment that does not override "
        'it uses the same secret. An empty default (`""`, `{}`) and an expression such as '
        "`[newGuid()]` are fine. Mirrors arm-ttk *Secure String Parameters Cannot Have Default* and "
        "the Bicep linter's `secure-parameter-default`; reported as an error because the secret is "
        "already disclosed once the template is committed."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "adminPassword": {"type": "securestring", "defaultValue": "P@ssw0rd1234!"}
  },
  "resources": [],
  "outputs": {
    "set": {"type": "bool", "value": "[not(empty(parameters('adminPassword')))]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "adminPassword": {"type": "securestring"}
  },
  "resources": [],
  "outputs": {
    "set": {"type": "bool", "value": "[not(empty(parameters('adminPassword')))]"}
  }
}"""
    source_url = (
        "https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-secure-parameter-default"
    )
    tags = ("secrets",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is None:
            return
        for template in ctx.template.all_templates():
            for parameter in template.parameters.values():
                if not parameter.secure or not parameter.has_default:
                    continue
                default = parameter.default
                if default is None or default == "" or default == {} or default == []:
                    continue
                if isinstance(default, str) and is_expression(default):
                    continue
                pointer = parameter.pointer_of("defaultValue") or parameter.pointer
                yield ctx.report(
                    self,
                    pointer,
                    f"secure parameter '{parameter.name}' has a literal default value; remove it and "
                    "pass the value at deployment time (or from Key Vault)",
                )


#: Member names that, after `reference(...)`, read something secret.
_SECRET_MEMBER = re.compile(
    r"(?:password|secret|connectionstrings?|(?:primary|secondary|account|access|shared|master)\w*key"
    r"|sastoken)$",
    re.IGNORECASE,
)
_SECRET_OUTPUT_NAME = re.compile(r"password", re.IGNORECASE)
_SECURE_OUTPUT_TYPES = frozenset({"securestring", "secureobject"})


class OutputExposesSecret(Rule):
    id = "TG403"
    name = "output-exposes-secret"
    severity = WARNING
    summary = "An output's value may expose a secret (secure parameter, list*() call, secret property)"
    why = (
        "Outputs are stored in the deployment history in clear text, readable by anyone with read "
        "access to the resource group, for as long as the deployment is kept. Reported: an output "
        "whose value reads a secureString/secureObject parameter (directly or through variables), "
        "calls a `list*()` function (`listKeys`, `listAccountSas`, ...), or reads a secret-looking "
        "property through `reference()` (`.adminPassword`, `.connectionString`, `.primaryKey`), and "
        "an output whose name contains `password`. Outputs declared `secureString` or "
        "`secureObject` are not stored, and are fine. Output the resource id instead and read the "
        "secret where it is needed. Mirrors arm-ttk *Outputs Must Not Contain Secrets* and the Bicep "
        "linter's `outputs-should-not-contain-secrets` (a warning there: not every `list*()` result "
        "is secret)."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "storageName": {"type": "string"}
  },
  "variables": {
    "storageId": "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageName'))]"
  },
  "resources": [],
  "outputs": {
    "key": {"type": "string", "value": "[listKeys(variables('storageId'), '2023-05-01').keys[0].value]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "storageName": {"type": "string"}
  },
  "variables": {
    "storageId": "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageName'))]"
  },
  "resources": [],
  "outputs": {
    "storageId": {"type": "string", "value": "[variables('storageId')]"}
  }
}"""
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-outputs-should-not-contain-secrets"
    tags = ("secrets",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if ctx.template is None:
            return
        taints: dict[int, _Taint] = {}
        reported: set[str] = set()
        for site, tree in usage_of(ctx).trees:
            output = site.output
            if output is None or output.type in _SECURE_OUTPUT_TYPES or output.pointer in reported:
                continue
            taint = taints.get(id(site.scope))
            if taint is None:
                taint = taints[id(site.scope)] = _Taint(site.scope)
            result = taint.expression(tree)
            if result is None:
                continue
            reason, node = result
            reported.add(output.pointer)
            start, end = (
                (node.name_start, node.name_end) if isinstance(node, Call) else (node.start, node.end)
            )
            yield ctx.report(
                self,
                site.pointer,
                f"output '{output.name}' {reason}",
                offset=start,
                end_offset=end,
                key=site.key,
            )
        for template in ctx.template.all_templates():
            for output in template.outputs.values():
                if output.pointer in reported or output.type in _SECURE_OUTPUT_TYPES:
                    continue
                if _SECRET_OUTPUT_NAME.search(output.name):
                    yield ctx.report(
                        self,
                        output.pointer,
                        f"output '{output.name}' looks like it holds a password; outputs are stored "
                        "in the deployment history in clear text (declare it secureString if it must be "
                        "returned)",
                        key=True,
                    )


#: Functions whose result does not reveal their arguments (hashes, emptiness, sizes).
_NON_REVEALING = frozenset({"uniquestring", "guid", "empty", "length"})


class _Taint:
    """Whether an expression reads a secret, following variables member by member.

    `variables('common').siteUrl` only reads the `siteUrl` member of the variable, so a secret
    elsewhere in that object is not exposed by it. Paths are followed through literal objects and
    arrays and on into the expressions found there (`variables('spec')` holding
    `[variables('sizes')[parameters('size')]]`); an index that is not a literal stands for any
    member. Each (expression, path) is examined once (memoized), and a variable that reads itself
    reveals nothing new.
    """

    __slots__ = ("_memo", "scope")

    def __init__(self, scope: Template) -> None:
        self.scope = scope
        self._memo: dict[tuple[str, tuple[str | None, ...]], str | None] = {}

    def expression(
        self, expr: Expr, depth: int = 0, pending: tuple[str | None, ...] = ()
    ) -> tuple[str, Expr] | None:
        """Why `expr` (then the member path `pending` of its value) reveals a secret, and the node of
        `expr`'s own tree responsible (the call or property to underline), or None."""
        if depth > 32:
            return None
        if isinstance(expr, (Member, Index)):
            path: list[str | None] = []
            node: Expr = expr
            while isinstance(node, (Member, Index)):
                if isinstance(node, Member):
                    path.append(node.name)
                    if _SECRET_MEMBER.search(node.name) and _reads_reference(node):
                        return f"reads the secret-looking property '{node.name}' of reference()", node
                else:
                    index = node.index
                    path.append(index.value if isinstance(index, StringLit) else None)
                    found = self.expression(index, depth)
                    if found is not None:
                        return found
                node = node.target
            return self.expression(node, depth, (*reversed(path), *pending))
        if not isinstance(expr, Call):
            return None
        name = expr.name.lower()
        if name in _NON_REVEALING:
            return None
        if name.startswith("list") and "." not in name and len(name) > 4:
            return f"calls {expr.name}(), which returns secrets such as keys or SAS tokens", expr
        if name == "parameters" and expr.args and isinstance(expr.args[0], StringLit):
            parameter = self.scope.parameter(expr.args[0].value)
            if parameter is not None and parameter.secure:
                return f"reads the secure parameter '{parameter.name}'", expr
            return None
        if name == "variables":
            if len(expr.args) != 1 or not isinstance(expr.args[0], StringLit):
                return None
            variable = self.scope.variable(expr.args[0].value)
            if variable is None:
                return None
            reason = self.value_at(variable.value, pending, depth + 1)
            return None if reason is None else (f"reads variable '{variable.name}', which {reason}", expr)
        for arg in expr.args:
            found = self.expression(arg, depth)
            if found is not None:
                return found
        return None

    def value_at(self, value: object, path: tuple[str | None, ...], depth: int) -> str | None:
        """Why the part `path` of a JSON value reveals a secret, or None."""
        if depth > 32:
            return None
        if isinstance(value, str):
            if not is_expression(value):
                return None
            key = (value, path)
            if key in self._memo:
                return self._memo[key]
            self._memo[key] = None
            parsed = parse_cached(value)
            result = None if isinstance(parsed, ExpressionError) else self.expression(parsed, depth, path)
            found = None if result is None else result[0]
            self._memo[key] = found
            return found
        if not path:
            for text in _strings(value):
                found = self.value_at(text, (), depth + 1)
                if found is not None:
                    return found
            return None
        step, rest = path[0], path[1:]
        if isinstance(value, dict):
            if step is None:
                members: list[object] = list(value.values())
            else:
                key_found = next((k for k in value if k.lower() == step.lower()), None)
                members = [] if key_found is None else [value[key_found]]
            for member in members:
                found = self.value_at(member, rest, depth + 1)
                if found is not None:
                    return found
            return None
        if isinstance(value, list):
            items = value[int(step) : int(step) + 1] if step is not None and step.isdigit() else value
            for item in items:
                found = self.value_at(item, rest, depth + 1)
                if found is not None:
                    return found
        return None


def _strings(value: object) -> Iterator[str]:
    """Expression strings inside a value (object keys too)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if is_expression(item):
                yield item
        elif isinstance(item, dict):
            for key, inner in item.items():
                if is_expression(key):
                    yield key
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)


def _reads_reference(node: Member) -> bool:
    """True when the member access reads from a `reference()` / `references()` result."""
    target: Expr = node.target
    while isinstance(target, (Member, Index)):
        target = target.target
    return isinstance(target, Call) and target.name.lower() in ("reference", "references")


# ----------------------------------------------------------------------------------------- SAS tokens

_SIG = re.compile(r"(?:^|[?&])sig=([A-Za-z0-9%+/=_-]{20,})", re.IGNORECASE)
_SV = re.compile(r"(?:^|[?&])sv=\d{4}-\d{2}-\d{2}", re.IGNORECASE)
_OTHER = re.compile(r"(?:^|[?&])(?:se|sp|si)=", re.IGNORECASE)
_SHOWN = 240


def sas_token_in(text: str) -> bool:
    """True when `text` holds a usable SAS token: a signature with the version and an expiry,
    permissions or stored-policy marker beside it (placeholders like `sig=<signature>` are not)."""
    return bool(_SIG.search(text) and _SV.search(text) and _OTHER.search(text))


class LiteralSasToken(Rule):
    id = "TG404"
    name = "literal-sas-token"
    severity = ERROR
    summary = "A SAS token (a URL or string with sig=, sv=, se=/sp=) is written into the file"
    why = (
        "A shared access signature is a bearer credential: whoever reads the template, its "
        "repository or its deployment history can use the storage it grants until it expires, and "
        "it cannot be revoked without rotating the account key. Pass it as a `secureString` "
        "parameter (from Key Vault) or build it at deployment time with `listServiceSas()` / "
        "`listAccountSas()`. Reported for any string of a template or parameters file that carries a "
        "signature (`sig=`) with the version (`sv=`) and an expiry, permissions or policy "
        "(`se=`/`sp=`/`si=`); the message shows the token with the signature masked (`sig=***`)."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {
    "scriptUri": "https://contoso.blob.core.windows.net/s/a.sh?sv=2022-11-02&sp=r&se=2030-01-01&sig=Ab12Cd34Ef56Gh78Ij90Kl%3D"
  },
  "resources": [],
  "outputs": {
    "uri": {"type": "string", "value": "[variables('scriptUri')]"}
  }
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "scriptUri": {"type": "securestring"}
  },
  "resources": [],
  "outputs": {
    "set": {"type": "bool", "value": "[not(empty(parameters('scriptUri')))]"}
  }
}"""
    source_url = "https://learn.microsoft.com/azure/storage/common/storage-sas-overview"
    tags = ("secrets",)
    applies_to = frozenset({TEMPLATE, PARAMETERS})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        text = ctx.source.text
        lowered = text.lower()
        if "sig=" not in lowered and "sig%3d" not in lowered:
            return
        data = ctx.template.data if ctx.template is not None else None
        if data is None and ctx.parameters_file is not None:
            data = ctx.parameters_file.data
        for pointer, value in _all_strings(data):
            if "sig" in value.lower() and sas_token_in(_decoded(value)):
                yield ctx.report(self, pointer, f"literal SAS token: {_shown(value)}")


def _decoded(value: str) -> str:
    """The text with one level of URL encoding of `=`, `&` and `?` undone (`sig%3D...`)."""
    if "%" not in value:
        return value
    return re.sub(r"%3[dD]", "=", re.sub(r"%26", "&", re.sub(r"%3[fF]", "?", value)))


def _shown(value: str) -> str:
    """The token for a message: signature masked, the URL shortened to host, last path segment and
    query (`https://acct.blob.core.windows.net/…/a.vhd?sv=...&sig=***`)."""
    shown = redact_text(_decoded(value))
    base, question, query = shown.partition("?")
    scheme, sep, rest = base.partition("://")
    if question and sep and "/" in rest:
        host, _, path = rest.partition("/")
        last = path.rstrip("/").rsplit("/", 1)[-1]
        middle = "/…/" if "/" in path.rstrip("/") else "/"
        shown = f"{scheme}://{host}{middle}{last}?{query}"
    if len(shown) > _SHOWN:
        shown = shown[:_SHOWN] + "…"
    return shown


def _all_strings(data: object) -> Iterator[tuple[str, str]]:
    """(pointer, value) of every string value in document order."""
    stack: list[tuple[object, str]] = [(data, "")]
    while stack:
        item, pointer = stack.pop()
        if isinstance(item, str):
            yield pointer, item
        elif isinstance(item, dict):
            for key, inner in reversed(list(item.items())):
                stack.append((inner, pointer + "/" + escape_token(key)))
        elif isinstance(item, list):
            for index in range(len(item) - 1, -1, -1):
                stack.append((item[index], f"{pointer}/{index}"))
