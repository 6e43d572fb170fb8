"""What a rule is: stable metadata plus one `check` method that reads the template model.

A rule never looks at raw text. It receives a `LintContext` (templategen.lint.context) that holds the
file's model (Template, ParametersFile, Bicep-built Template or YAML input), the offline evaluator
and the options of the run, and it yields findings through `ctx.report(...)`, which resolves the
position of the node a JSON pointer names.

Metadata is class-level so `templategen rules` and docs/rules.md are generated without running anything.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import ClassVar, Protocol

    from templategen.diagnostics import Diagnostic
    from templategen.lint.context import LintContext

    class RuleInfo(Protocol):
        """What selecting and naming a rule needs: a `Rule`, or its entry in the rule index
        (`templategen.rules.registry.RuleEntry`) when the module is not imported."""

        @property
        def id(self) -> str: ...
        @property
        def name(self) -> str: ...
        @property
        def severity(self) -> str: ...


#: Kinds of file a rule can apply to.
TEMPLATE = "template"  # ARM JSON template, or a Bicep file read into the same model
PARAMETERS = "parameters"  # ARM deployment parameters file
INPUT = "input"  # templategen YAML input


class Rule:
    """Base class of every rule. Subclasses set the metadata and implement `check`.

    id          stable code, `TG` + three digits; the hundreds digit is the family
                (0 file, 1 expressions, 2 references, 3 structure, 4 security and practice,
                5 VMSnapshot extension, 6 Recovery Services backup, 7 API versions, 8 YAML inputs)
    name        stable kebab-case name, usable wherever an id is
    severity    default severity: "error", "warning" or "info" (configurable per project)
    summary     one line, shown by `templategen rules`
    why         why it matters, in Markdown (docs/rules.md)
    bad / good  a failing and a fixed example (JSON unless `example_language` says "bicep" or "yaml")
    source_url  where the fact comes from (Microsoft docs, REST spec, ...)
    applies_to  file kinds the rule reads
    """

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str]
    summary: ClassVar[str]
    why: ClassVar[str]
    bad: ClassVar[str]
    good: ClassVar[str]
    example_language: ClassVar[str] = "json"
    source_url: ClassVar[str] = ""
    tags: ClassVar[tuple[str, ...]] = ()
    applies_to: ClassVar[frozenset[str]] = frozenset({TEMPLATE})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """Yield this rule's findings for the file in `ctx` (use `ctx.report`)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<Rule {self.id} {self.name}>"
