"""Family 0, files: findings about a file as a whole.

TG000 and TG001 are not found by reading the model (there may be no model): the runner reports them
when a rule crashes or a file cannot be used. They are rules all the same so that they have an id,
documentation and a place in every report format. The others read what the JSON reader noticed
while reading (repeated keys, leniencies) and the file's size against Resource Manager's limits.
"""

from __future__ import annotations

from templategen.arm.document import JsonDocument
from templategen.diagnostics import ERROR, INFO, WARNING, Diagnostic
from templategen.lint.result import INPUT_ERROR_ID, INPUT_ERROR_NAME
from templategen.rules.base import INPUT, PARAMETERS, TEMPLATE, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from templategen.arm.declarations import CopyLoop
    from templategen.arm.evaluate import Evaluator
    from templategen.arm.resource import Resource
    from templategen.arm.template import Template
    from templategen.lint.context import LintContext

#: Substrings a file must contain for these rules to run on it (templategen.rules.registry): none,
#: a file's size, its JSON and its suppressions concern every file.
TRIGGERS: tuple[str, ...] = ()

_ALL_KINDS = frozenset({TEMPLATE, PARAMETERS, INPUT})


class InternalError(Rule):
    id = "TG000"
    name = "internal-error"
    severity = ERROR
    summary = "A check failed with an unexpected error (a templategen bug; the other checks still ran)"
    why = (
        "A bug in one rule must neither hide the findings of the others nor end the run with a "
        "traceback. The finding names the rule and the error so it can be reported; the other rules' "
        "findings for the same file are still shown. Please report it with the file that triggers it."
    )
    bad = "(any file that makes a rule fail)"
    good = "(the same file after the rule is fixed)"
    example_language = "text"
    applies_to = _ALL_KINDS

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """Reported by the runner (templategen.lint.api) when another rule raises."""
        return iter(())


class UnreadableFile(Rule):
    id = INPUT_ERROR_ID
    name = INPUT_ERROR_NAME
    severity = ERROR
    summary = "The file cannot be read: missing, not UTF-8/UTF-16, not JSON even leniently, not Bicep"
    why = (
        "Nothing else can be checked in a file that cannot be read, and Resource Manager would refuse "
        "it too. The finding points at the first character that cannot be understood. Resource "
        "Manager's own leniencies are accepted (`//` and `/* */` comments, trailing commas, line "
        "breaks inside strings, a byte-order mark), so this is a real syntax error. It makes the exit "
        "code 2 (unusable input) and cannot be switched off or lowered by configuration."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0"
  "resources": []
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": []
}"""
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax"
    applies_to = _ALL_KINDS

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """Reported by the runner (templategen.lint.api) when reading the file fails."""
        return iter(())


class DuplicateKey(Rule):
    id = "TG002"
    name = "duplicate-key"
    severity = WARNING
    summary = "An object repeats a key; Resource Manager silently keeps only the last value"
    why = (
        "JSON does not forbid repeated keys, and Resource Manager reads such a file without a word, "
        "keeping one of the values (the last, for ordinary members). The others are dead text that "
        "readers and reviewers still believe: a second `location`, a `properties` block pasted "
        "twice with different settings. Strict tools (Bicep decompile, many JSON libraries) refuse "
        "the file. Each earlier occurrence is reported, with the line of the last one."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "westeurope", "defaultValue": "northeurope"}
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
    "location": {"type": "string", "defaultValue": "northeurope"}
  },
  "resources": [],
  "outputs": {
    "where": {"type": "string", "value": "[parameters('location')]"}
  }
}"""
    source_url = "https://www.rfc-editor.org/rfc/rfc8259#section-4"
    applies_to = frozenset({TEMPLATE, PARAMETERS})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        source = ctx.source
        if not isinstance(source, JsonDocument):
            return
        from templategen.rules.usage import duplicate_sections

        for pointer in sorted(duplicate_sections(ctx)):
            spans = source.duplicate_key_locations(pointer)
            if len(spans) < 2:
                continue
            last = spans[-1]
            key = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            for span in spans[:-1]:
                yield Diagnostic(
                    self.id,
                    self.name,
                    self.severity,
                    f"key '{key}' is repeated on line {last.line}; JSON readers keep only one of the "
                    "values (Resource Manager the last), so this one is likely ignored",
                    span,
                )


_LENIENCY_WORDS = {
    "comment": ("comment", "comments"),
    "trailing-comma": ("trailing comma", "trailing commas"),
    "control-char": ("raw line break or tab inside a string", "raw line breaks or tabs inside strings"),
}


class LenientJson(Rule):
    id = "TG003"
    name = "lenient-json"
    severity = INFO
    summary = "The file uses comments, trailing commas or raw line breaks in strings (not strict JSON)"
    why = (
        "Resource Manager, the Azure CLI and VS Code accept `//` and `/* */` comments, trailing "
        "commas and line breaks inside strings, so the file deploys. Strict JSON tools do not: "
        "`jq`, Python's `json`, many CI linters and JSON Schema validators stop at the first one. "
        "One finding per kind, at its first occurrence, with the count. Keep the file if only "
        "Azure tools read it; otherwise move comments into `metadata` and write line breaks as `\\n`."
    )
    bad = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  // the vault is created elsewhere
  "resources": [],
}"""
    good = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "metadata": {"comments": "the vault is created elsewhere"},
  "resources": []
}"""
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax#comments"
    tags = ("portability",)
    applies_to = frozenset({TEMPLATE, PARAMETERS})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        source = ctx.source
        if not isinstance(source, JsonDocument) or not source.leniencies:
            return
        first: dict[str, int] = {}
        counts: dict[str, int] = {}
        for kind, offset in source.leniencies:
            counts[kind] = counts.get(kind, 0) + 1
            if kind not in first or offset < first[kind]:
                first[kind] = offset
        for kind in sorted(first, key=first.__getitem__):
            count = counts[kind]
            one, many = _LENIENCY_WORDS.get(kind, (kind, kind))
            what = one if count == 1 else f"{count} {many} (the first here)"
            message = f"{what}: accepted by Resource Manager but not by strict JSON tools"
            yield Diagnostic(self.id, self.name, self.severity, message, source.location_at(first[kind]))


#: Resource Manager's documented limits (templates/best-practices, "Template limits").
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_RESOURCE_BYTES = 1024 * 1024
MAX_PARAMETERS = 256
MAX_OUTPUTS = 64
MAX_RESOURCES = 800


class TemplateTooLarge(Rule):
    id = "TG004"
    name = "template-too-large"
    severity = ERROR
    summary = "The file exceeds a Resource Manager limit (4 MB, 1 MB per resource, 256 parameters, ...)"
    why = (
        "Resource Manager refuses a template larger than 4 MB, a resource definition larger than "
        "1 MB, more than 256 parameters, more than 64 outputs or more than 800 resources (copy "
        "counts included), and a parameters file larger than 4 MB. The limits apply to the template "
        "after loops and values are expanded, so a file below them can still fail (`JobSizeExceeded"
        "Exception`); what is reported here is certain from the file and the parameter values in "
        "force (defaults, or `-p`): its size in UTF-8 bytes, the declared counts, and copy loops "
        "whose count is known offline (literal, from a parameter default or a variable, Bicep's "
        "`range(0, 500)`); a nested deployment or module is counted on its own, with the values it "
        "is passed. Split the template into nested or linked templates (Bicep: modules), or combine "
        "parameters into objects."
    )
    bad = "(a template of 4.2 MB, or one declaring 300 parameters)"
    good = "(the same template split into linked templates below every limit)"
    example_language = "text"
    source_url = (
        "https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits"
    )
    applies_to = frozenset({TEMPLATE, PARAMETERS})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        text = ctx.source.text
        what = "parameters file" if ctx.template is None else "template"
        if len(text) * 4 > MAX_FILE_BYTES:  # cheap bound first: a character is at most 4 bytes
            size = len(text.encode("utf-8", "surrogatepass"))
            if size > MAX_FILE_BYTES:
                yield ctx.report(
                    self, "", f"the {what} is {_mb(size)}; Resource Manager accepts at most 4 MB"
                )
        template = ctx.template
        if template is None:
            return
        if len(text) > MAX_RESOURCE_BYTES:
            import json

            for resource in template.all_resources():
                size = len(json.dumps(resource.raw, ensure_ascii=False).encode("utf-8", "surrogatepass"))
                if size > MAX_RESOURCE_BYTES:
                    yield ctx.report(
                        self,
                        resource.pointer,
                        f"resource {resource.label} is {_mb(size)}; a resource definition may be at "
                        "most 1 MB",
                    )
        for tpl in template.all_templates():
            yield from self._counts(ctx, tpl)

    def _counts(self, ctx: LintContext, template: Template) -> Iterator[Diagnostic]:
        where = "" if template.parent is None else f" ({_nested_label(ctx, template)})"
        pointer = template.pointer
        if len(template.parameters) > MAX_PARAMETERS:
            yield ctx.report(
                self,
                template.pointer_of("parameters") or pointer,
                f"{len(template.parameters)} parameters{where}; Resource Manager accepts at most "
                f"{MAX_PARAMETERS}",
                key=True,
            )
        if len(template.outputs) > MAX_OUTPUTS:
            yield ctx.report(
                self,
                template.pointer_of("outputs") or pointer,
                f"{len(template.outputs)} outputs{where}; Resource Manager accepts at most {MAX_OUTPUTS}",
                key=True,
            )
        total, largest, copies = _resource_total(ctx, template)
        if total > MAX_RESOURCES:
            # Bicep has no `resources` array to point at: the finding points at the largest loop.
            bicep = isinstance(getattr(ctx.source, "symbols", None), dict)
            most = ""
            if largest is not None and copies > 1:
                symbol = ctx.bicep_symbol(largest.pointer)
                if symbol is not None:
                    shown = f"'{symbol}'"
                elif largest.copy is not None and largest.copy.name is not None:
                    shown = f"copy loop '{largest.copy.name}'"
                else:
                    shown = f"'{largest.label}'"
                most = f", {copies} of them from {shown}"
            at = largest.pointer if bicep and largest is not None else template.pointer_of("resources")
            yield ctx.report(
                self,
                at or pointer,
                f"{total} resources{where} counting copy loops whose count is known{most}; Resource "
                f"Manager accepts at most {MAX_RESOURCES}",
                key=not bicep,
            )


def _nested_label(ctx: LintContext, template: Template) -> str:
    """How a nested template is named in messages: its Bicep module's symbol (one module file may be
    deployed by several modules, each a deployment of its own), else "nested template"."""
    deployment = template.deployment
    symbol = ctx.bicep_symbol(deployment.pointer) if deployment is not None else None
    return f"module '{symbol}'" if symbol is not None else "nested template"


def _resource_total(ctx: LintContext, template: Template) -> tuple[int, Resource | None, int]:
    """How many resources one deployment of `template` certainly holds, and the resource that
    contributes most with its count. Its own resources count (not the nested templates', which are
    deployments of their own), copy loops expanded where their count is known, `existing`
    references left out (the Bicep compiler does not emit them).

    Counts come from the evaluator, so a count from a parameter default, a variable or a Bicep
    `range(0, 500)` counts as well as a literal one. A nested template is counted with the values its
    deployment passes, once per deployment copy (each is a deployment of its own; the largest one is
    reported); a deployment that does not deploy (condition false, count 0) is not counted. A loop
    whose count is not known counts nothing: a count may be 0."""
    resources = [resource for resource in template.resources if not resource.existing]
    if not any(loop.kind == "resource" for resource in resources for loop in resource.loops):
        return len(resources), None, 1  # cheap first: nothing to evaluate
    inherited = len(template.inherited_loops)
    best: tuple[int, Resource | None, int] = (0, None, 0)
    for ev in ctx.evaluator().evaluators_for(template):
        # An outer-scope nested template inside a copied deployment is evaluated in the parent's
        # evaluator: its copies carry the deployment's indexes first, one deployment per prefix.
        deployments: dict[tuple[object, ...], list[tuple[Resource, int]]] = {}
        for resource in resources:
            count = ev.resource_count(resource)
            if not isinstance(count, int) or isinstance(count, bool):
                count = _loop_product(ev, resource.loops[inherited:])
            elif inherited:
                per_prefix: dict[tuple[object, ...], int] = {}
                for instance in ev.resource_instances(resource):
                    key = instance.index[:inherited]
                    per_prefix[key] = per_prefix.get(key, 0) + 1
                for key, found in per_prefix.items():
                    deployments.setdefault(key, []).append((resource, found))
                continue
            deployments.setdefault((), []).append((resource, count))
        shared = deployments.pop((), [])
        for counts in list(deployments.values()) or [[]]:
            counts = shared + counts
            total = sum(count for _resource, count in counts)
            if total > best[0]:
                resource, most = max(counts, key=lambda pair: pair[1])
                best = (total, resource, most)
    return best


def _loop_product(ev: Evaluator, loops: tuple[CopyLoop, ...]) -> int:
    """The copies of a resource whose count the evaluator left unknown: the product of its loops'
    counts when each is a known integer on its own (a count above ARM's 800 per loop is unknown to
    the evaluator, but certain here), else 0."""
    product = 1
    for loop in loops:
        if loop.kind != "resource":
            continue
        value = ev.evaluate(loop.count, pointer=loop.pointer)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return 0
        product *= value
    return product


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB ({size:,} bytes)"


class BicepNotChecked(Rule):
    id = "TG005"
    name = "bicep-not-fully-checked"
    severity = INFO
    summary = "A Bicep construct could not be read into the model, so the checks did not see it"
    why = (
        "templategen reads Bicep with the tree-sitter grammar and converts it the way `bicep build` "
        "does. A few constructs cannot be converted offline (a `loadTextContent` file that is not "
        "there, a loop filter, an imported symbol, a registry module). Rather than staying silent, "
        "the linter says which part it did not check, so a clean report is not mistaken for a pass."
    )
    bad = """\
param location string = resourceGroup().location

resource vm 'Microsoft.Compute/virtualMachines@2026-03-01' = {
  name: 'vm1'
  location: location
  properties: {
    osProfile: {
      computerName: 'vm1'
      customData: loadFileAsBase64('cloud-init.yaml')
    }
  }
}
"""
    good = """\
param location string = resourceGroup().location

resource vm 'Microsoft.Compute/virtualMachines@2026-03-01' = {
  name: 'vm1'
  location: location
  properties: {
    osProfile: {
      computerName: 'vm1'
      customData: loadFileAsBase64('cloud-init.yml') // the file beside this one
    }
  }
}
"""
    example_language = "bicep"
    applies_to = frozenset({TEMPLATE})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """Reported by the runner from the Bicep reader's list of unconverted constructs."""
        return iter(())


class BadSuppression(Rule):
    id = "TG006"
    name = "bad-suppression"
    severity = WARNING
    summary = "A suppression names no known rule or is malformed, so it suppresses nothing"
    why = (
        "A `metadata.templategen.ignore` entry or a `// templategen-disable-next-line` comment with a "
        "typo (`TG40l`, `hardcoded-locaton`) silently keeps the finding it was meant to hide, or "
        "hides nothing once a rule is renamed. Reporting it keeps suppressions honest, as Bicep does "
        "for its own `#disable-next-line`: a directive that names no diagnostic code is error BCP226."
    )
    bad = (
        '{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n'
        '  "contentVersion": "1.0.0.0",\n'
        '  "metadata": { "templategen": { "ignore": ["TG499"] } },\n'
        '  "resources": []\n}'
    )
    good = (
        '{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n'
        '  "contentVersion": "1.0.0.0",\n'
        '  "metadata": { "templategen": { "ignore": ["TG401"] } },\n'
        '  "resources": []\n}'
    )
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/bicep/diagnostics/bcp226"
    applies_to = frozenset({TEMPLATE})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """Reported by the runner, which reads the suppressions while applying them."""
        return iter(())
