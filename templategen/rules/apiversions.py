"""Family 7, API versions: unknown and outdated `apiVersion` values (TG701, TG702).

The versions come from the dated catalogue `schemas/api-versions.json`, the same data the generator
takes its versions from (`templategen.arm.apiversions`). It covers the types of this domain: Compute
virtual machines, scale sets and their extensions, and the Recovery Services vault with its backup
children. For other types these rules say nothing: a missing entry is not a wrong version.

Both rules are a dictionary lookup per resource.
"""

from __future__ import annotations

from templategen.arm import apiversions
from templategen.arm.names import is_expression
from templategen.diagnostics import ERROR, INFO
from templategen.rules import backup_examples as examples
from templategen.rules.base import Rule
from templategen.rules.structure import api_version_problem, day_number

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from templategen.arm.resource import Resource
    from templategen.diagnostics import Diagnostic
    from templategen.lint.context import LintContext

#: A version this many days older than the newest stable one is "far behind" (TG702). arm-ttk's
#: apiVersions-Should-Be-Recent uses the same 730 days (two years), measured against today; we measure
#: against the newest stable version in the catalogue so that the result depends only on the template
#: and the catalogue, never on the day the linter runs.
OUTDATED_DAYS = 730

#: Substrings a file must contain for these rules to run on it (templategen.rules.registry): one
#: of every catalogued type (a test holds the catalogue to it), whose full type is written in the
#: file (a child's begins with its parent's).
TRIGGERS: tuple[str, ...] = ("recoveryservices", "virtualmachine")


def _catalogued(ctx: LintContext) -> Iterator[tuple[Resource, str, str]]:
    """(resource, full type, apiVersion) of every resource whose type the catalogue covers and whose
    apiVersion is a literal (an expression there is the structure rules' business)."""
    template = ctx.template
    if template is None:
        return
    for resource in template.all_resources():
        resource_type = resource.type
        version = resource.api_version
        if resource_type is None or not isinstance(version, str) or is_expression(version):
            continue
        if apiversions.has_type(resource_type):
            yield resource, resource_type, version


def _days(version: str) -> int | None:
    parts = apiversions.version_date(version)
    return None if parts is None else day_number(*parts)


class UnknownApiVersion(Rule):
    id = "TG701"
    name = "unknown-api-version"
    severity = ERROR
    summary = "An apiVersion Resource Manager does not offer for this resource type"
    why = (
        "Resource Manager refuses a resource whose `apiVersion` its provider does not offer "
        "(`NoRegisteredProviderFound` / `InvalidResourceType`), before anything is deployed, but only "
        "once the deployment is submitted. templategen ships a dated catalogue of the versions of this "
        "domain's types (`schemas/api-versions.json`), built from the REST API specification readmes, "
        "the official ARM schemas and a dump of the providers' registrations, which holds old versions "
        "no specification lists (Compute 2016-08-30, Recovery Services 2016-08-10 …). Recovery "
        "Services registers only `vaults`, so its child types accept the vault's versions. Versions "
        "are compared ignoring case. The message names the newest versions and the nearest known one. "
        "A version released after the catalogue's date is reported too: refresh the catalogue (one "
        "JSON file) or check `az provider show -n <namespace>`."
    )
    bad = examples.bad("TG701")
    good = examples.good("TG701")
    source_url = (
        "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types"
    )
    tags = ("api-version",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for resource, resource_type, version in _catalogued(ctx):
            if apiversions.accepted(resource_type, version):
                continue
            wanted = _days(version)
            if wanted is None or api_version_problem(version) is not None:
                continue  # malformed: TG304 (malformed-apiversion) reports it, once
            spelled = apiversions.canonical_type(resource_type)
            newest = ", ".join(apiversions.stable_versions(spelled)[:3])
            # The nearest stable version is the useful suggestion; a preview only when no stable exists.
            candidates = apiversions.stable_versions(spelled) or apiversions.known_versions(spelled)
            known = [(abs((_days(v) or 0) - wanted), v) for v in candidates]
            hint = f"; nearest known: {min(known)[1]}" if known else ""
            yield ctx.report(
                self,
                resource.pointer_of("apiVersion") or resource.pointer,
                f"apiVersion '{version}' is not a version of {spelled} that Resource Manager offers"
                f" (templategen catalogue of {apiversions.catalogue_date()}); newest stable: "
                f"{newest}{hint}",
            )


class OutdatedApiVersion(Rule):
    id = "TG702"
    name = "outdated-api-version"
    severity = INFO
    summary = "An apiVersion more than two years older than the newest stable version of its type"
    why = (
        "Old API versions keep working, but they lack properties added since (Enhanced backup policies "
        "and `policyType` arrived in 2022, Trusted Launch support for Standard policies in 2025) and "
        "their defaults may differ. A version is reported when it is more than 730 days older than "
        "the newest stable version in the catalogue: arm-ttk's apiVersions-Should-Be-Recent uses the "
        "same two years, but counts from the day it runs, so its verdict on an unchanged template "
        "changes over time; counting from the catalogue keeps the result reproducible. This is "
        "information, not an error: update when you next test the template."
    )
    bad = examples.bad("TG702")
    good = examples.good("TG702")
    source_url = (
        "https://github.com/Azure/arm-ttk/blob/main/arm-ttk/testcases/deploymentTemplate/"
        "apiVersions-Should-Be-Recent.test.ps1"
    )
    tags = ("api-version",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for resource, resource_type, version in _catalogued(ctx):
            if not apiversions.accepted(resource_type, version):
                continue
            spelled = apiversions.canonical_type(resource_type)
            newest = apiversions.newest_stable(spelled)
            age, top = _days(version), _days(newest)
            if age is None or top is None or top - age <= OUTDATED_DAYS:
                continue
            yield ctx.report(
                self,
                resource.pointer_of("apiVersion") or resource.pointer,
                f"apiVersion {version} of {spelled} is {top - age} days older than the newest stable "
                f"version {newest} (more than {OUTDATED_DAYS}); consider updating it",
            )
