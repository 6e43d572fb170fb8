"""Rule classes for the report, configuration and catalogue tests.

The real rule modules are written elsewhere; these carry realistic metadata so the SARIF rule
descriptors, `templategen rules` and the generated Markdown can be checked against known values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from templategen.diagnostics import Diagnostic
from templategen.rules.base import PARAMETERS, TEMPLATE, Rule

if TYPE_CHECKING:
    from templategen.lint.context import LintContext


class _NoFindings(Rule):
    """A helper base without an id: all_rules() must not treat it as a rule."""

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        return iter(())


class HardcodedLocation(_NoFindings):
    id = "TG401"
    name = "no-hardcoded-location"
    severity = "warning"
    summary = "Resource locations come from a parameter, not a literal region"
    why = "A literal region ties the template to one geography; a `location` parameter lets it move."
    bad = '{"location": "westeurope"}'
    good = '{"location": "[parameters(\'location\')]"}'
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices"
    tags = ("portability",)


class SasSignature(_NoFindings):
    id = "TG402"
    name = "no-sas-signature"
    severity = "error"
    summary = "No SAS signature | credential written into the template"
    why = "Whoever reads the template can use the `sig` until it expires."
    bad = '{"uri": "https://a.blob.core.windows.net/c?sig=abc"}'
    good = '{"uri": "[parameters(\'scriptUri\')]"}'


class UnknownFunction(_NoFindings):
    id = "TG102"
    name = "unknown-function"
    severity = "error"
    summary = "Expressions call only template functions that exist"
    why = "Resource Manager rejects the whole deployment when a function name is unknown."
    bad = "\"[concatt('a', 'b')]\""
    good = "\"[concat('a', 'b')]\""


class UnusedParameter(_NoFindings):
    id = "TG201"
    name = "no-unused-parameter"
    severity = "info"
    summary = "Every parameter is used"
    why = "An unused parameter asks the deployer for a value that changes nothing."
    bad = "param unused string"
    good = "param used string\noutput o string = used"
    example_language = "bicep"
    applies_to = frozenset({TEMPLATE, PARAMETERS})


class SnapshotPublisher(_NoFindings):
    id = "TG501"
    name = "vmsnapshot-publisher"
    severity = "error"
    summary = "The VMSnapshot extension uses publisher Microsoft.Azure.RecoveryServices"
    why = "Any other publisher name makes the extension install fail."
    bad = '{"publisher": "Microsoft.Azure.Backup"}'
    good = '{"publisher": "Microsoft.Azure.RecoveryServices"}'
