"""Family 8, YAML inputs: templategen's own input files, checked the way `generate` checks them.

`templategen generate` refuses an input with problems; `templategen lint` reports the same problems
as findings, so a pre-commit hook catches a broken input before anyone runs the generator. The
checks themselves live in `templategen.inputs` (the JSON Schemas in `schemas/` plus the semantic
checks); these rules give them ids, severities and documentation.
"""

from __future__ import annotations

from templategen.diagnostics import ERROR, WARNING, Diagnostic
from templategen.redact import redact_text
from templategen.rules.base import INPUT, Rule
from templategen.rules.extension import WINDOWS_DOC

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from templategen.inputs.problems import Problem
    from templategen.lint.context import LintContext

#: Substrings a file must contain for these rules to run on it (templategen.rules.registry): none,
#: these rules run on YAML inputs (`input_findings`), never on templates.
TRIGGERS: tuple[str, ...] = ()


class InputInvalid(Rule):
    id = "TG801"
    name = "input-invalid"
    severity = ERROR
    summary = "A templategen input breaks its schema or a semantic check; `generate` would refuse it"
    why = (
        "The input kinds are described by JSON Schemas in `schemas/` (the same files editors use for "
        "completion through the `yaml-language-server` modeline). An unknown key, a wrong type, a value "
        "out of range, E-notation ticks or a policy that Azure Backup would reject "
        "(`BMSUserErrorInvalidPolicyInput`) is reported with the schema path that failed and what was "
        "expected, before anything is generated or deployed."
    )
    bad = """\
kind: recovery-services-backup-vms
vault:
  nmae: rsv-prod
virtualMachines:
  names:
    - vm-app-01
"""
    good = """\
kind: recovery-services-backup-vms
vault:
  name: rsv-prod
virtualMachines:
  names:
    - vm-app-01
"""
    example_language = "yaml"
    applies_to = frozenset({INPUT})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """Reported from the input loader's problems (templategen.lint.api)."""
        return iter(())


class InputWarning(Rule):
    id = "TG802"
    name = "input-warning"
    severity = WARNING
    summary = "A templategen input uses an accepted but discouraged value (e.g. the legacy publisher)"
    why = (
        "Some values are accepted for compatibility but changed or discouraged on output, for example "
        "the original document's publisher spelling `Microsoft.RecoveryServices`, which templategen "
        "replaces with `Microsoft.Azure.RecoveryServices` (the current Windows documentation, the "
        "official ARM schema and the handler folders on the VM)."
    )
    bad = """\
kind: vmsnapshot-extension
os: windows
publisher: Microsoft.RecoveryServices
settings:
  taskId: e07354cf-041e-4370-929f-25a319ce8933_1
  commandStartTime: "2017-11-09T04:53:20Z"
"""
    good = """\
kind: vmsnapshot-extension
os: windows
publisher: Microsoft.Azure.RecoveryServices
settings:
  taskId: e07354cf-041e-4370-929f-25a319ce8933_1
  commandStartTime: "2017-11-09T04:53:20Z"
"""
    example_language = "yaml"
    source_url = WINDOWS_DOC
    applies_to = frozenset({INPUT})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """Reported from the input loader's warnings (templategen.lint.api)."""
        return iter(())


def input_findings(problems: Iterable[Problem]) -> list[Diagnostic]:
    """The loader's problems as findings: errors under TG801, warnings under TG802."""
    found = []
    for problem in problems:
        rule: type[Rule] = InputInvalid if problem.severity == ERROR else InputWarning
        extras = []
        if problem.expected:
            extras.append(f"expected {problem.expected}")
        if problem.schema_path:
            extras.append(f"schema path {problem.schema_path}")
        message = problem.message + (f" ({'; '.join(extras)})" if extras else "")
        found.append(
            Diagnostic(
                rule.id, rule.name, rule.severity, redact_text(message.replace("\n", " ")), problem.location
            )
        )
    return found
