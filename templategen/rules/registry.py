"""Which rules exist and where they live, known without importing them: what `templategen lint` starts from.

Importing every rule module costs more than the rest of a one-file lint put together, and most
templates cannot concern most families: a storage account template has no VMSnapshot extension, no
Recovery Services vault and no resource type whose API versions we catalogue. So the linter works
from the rule *index* (`templategen/rules/index.py`, generated from the rule classes by `make docs`
and checked fresh by a test): ids, names, default severities, file kinds and modules are enough to
validate `--select`, configuration and suppressions and to build the selection. A rule module is
imported only when a file needs it (`rules_for`):

* the rule is enabled and applies to the file's kind, and
* the file's text contains one of its module's *triggers* (`TRIGGERS`, declared by each rule
  module): lower-case substrings of which at least one must occur in the text for any rule of the
  module to fire on that file. A module without triggers always runs.

A trigger is a literal the rules cannot do without: the resource type namespace (types are never
expressions) or the extension type they look for. "The text" is every text the file's evaluation
reads: the file itself, the local Bicep modules it inlines and the `-p` parameters files of the run
(a parameter value can carry the extension type). A text with a `\\u` escape (JSON `\\u0041`, Bicep
`\\u{41}`) can spell a trigger without showing it, so every module runs on it. What triggers cannot
see is a value assembled from pieces by functions (`concat('VMSnap', 'shot')`); the tests hold every
rule's failing example and the rule fixtures to their module's triggers.

`templategen rules`, docs/rules.md and SARIF's rule metadata read the rule classes themselves
(`templategen.rules.all_rules`).
"""

from __future__ import annotations

from templategen.rules.index import RULES, TRIGGERS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from templategen.rules.base import Rule

PACKAGE = "templategen.rules."
#: A text with this sequence may spell a trigger through an escape (JSON `\u0041`, Bicep `\u{41}`).
ESCAPE = "\\u"


class RuleEntry:
    """One rule as the index knows it: enough to select it, name it and find its class."""

    __slots__ = ("applies_to", "id", "module", "name", "severity")

    def __init__(
        self, rule_id: str, name: str, severity: str, applies_to: frozenset[str], module: str
    ) -> None:
        self.id = rule_id
        self.name = name
        self.severity = severity
        self.applies_to = applies_to
        self.module = module

    def __repr__(self) -> str:
        return f"<RuleEntry {self.id} {self.name}>"


_entries: list[RuleEntry] = []
#: id -> the rule instance, once its module has been imported (per process).
_loaded: dict[str, Rule] = {}


def rule_entries() -> list[RuleEntry]:
    """Every rule of the index, sorted by id (shared instances, a fresh list)."""
    if not _entries:
        _entries.extend(
            RuleEntry(rule_id, name, severity, frozenset(kinds), PACKAGE + module)
            for rule_id, name, severity, kinds, module in RULES
        )
    return list(_entries)


def triggered(modules: Iterable[str], texts: Iterable[str]) -> set[str]:
    """The modules among `modules` whose rules may fire on a file read from `texts` (lower-cased
    or not: they are lower-cased here)."""
    wanted = set(modules)
    conditional = {module for module in wanted if _triggers(module)}
    if not conditional:
        return wanted
    found = wanted - conditional
    for text in texts:
        low = text.lower()
        if ESCAPE in low:
            return wanted
        for module in list(conditional):
            if any(trigger in low for trigger in _triggers(module)):
                found.add(module)
                conditional.discard(module)
        if not conditional:
            break
    return found


def _triggers(module: str) -> tuple[str, ...]:
    return TRIGGERS.get(module.removeprefix(PACKAGE), ())


def load(entry: RuleEntry) -> Rule:
    """The rule instance of `entry`, importing its module on first use."""
    rule = _loaded.get(entry.id)
    if rule is None:
        from templategen.rules import all_rules

        for found in all_rules([entry.module]):
            _loaded.setdefault(found.id, found)
        rule = _loaded.get(entry.id)
        if rule is None:  # a stale index: `make docs` writes it again
            raise LookupError(
                f"rule {entry.id} is in the rule index but not in {entry.module}; run `make docs`"
            )
    return rule


def rules_for(entries: Iterable[RuleEntry], kind: str, texts: Iterable[str]) -> list[Rule]:
    """The rule instances among `entries` that apply to a file of `kind` read from `texts`, in id
    order; only their modules are imported."""
    applicable = [entry for entry in entries if kind in entry.applies_to]
    modules = triggered({entry.module for entry in applicable}, texts)
    return [load(entry) for entry in applicable if entry.module in modules]
