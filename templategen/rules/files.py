"""Family 0, files: findings about a file as a whole, emitted by the linter itself.

TG000 and TG001 are not found by reading the model (there may be no model): the runner reports them
when a rule crashes or a file cannot be used. They are rules all the same so that they have an id,
documentation and a place in every report format.
"""

from __future__ import annotations

from templategen.diagnostics import ERROR, INFO, WARNING
from templategen.lint.result import INPUT_ERROR_ID, INPUT_ERROR_NAME
from templategen.rules.base import INPUT, PARAMETERS, TEMPLATE, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from templategen.diagnostics import Diagnostic
    from templategen.lint.context import LintContext

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
    bad = '{\n  "resources": [\n    { "type": "Microsoft.Storage/storageAccounts" "name": "x" }\n  ]\n}'
    good = '{\n  "resources": [\n    { "type": "Microsoft.Storage/storageAccounts", "name": "x" }\n  ]\n}'
    applies_to = _ALL_KINDS

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """Reported by the runner (templategen.lint.api) when reading the file fails."""
        return iter(())


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
    bad = "var script = loadTextContent('missing.sh')"
    good = "var script = loadTextContent('install.sh')  // the file exists beside the Bicep file"
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
        "hides nothing once a rule is renamed. Reporting it keeps suppressions honest."
    )
    bad = '{\n  "metadata": { "templategen": { "ignore": ["TG9999"] } }\n}'
    good = '{\n  "metadata": { "templategen": { "ignore": ["TG401"] } }\n}'
    applies_to = frozenset({TEMPLATE})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """Reported by the runner, which reads the suppressions while applying them."""
        return iter(())
