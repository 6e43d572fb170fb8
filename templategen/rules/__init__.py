"""The rule catalogue: every rule module, loaded on demand, checked for stable and unique metadata.

A rule module is listed in `RULE_MODULES`; every `Rule` subclass it defines that carries an `id` is
a rule (helper base classes without an `id` are not). `all_rules()` imports the modules, builds one
instance of each rule and returns them sorted by id, after checking what users and tools rely on:
ids `TG` + three digits and unique, names kebab-case and unique, a known default severity and a
one-line summary. A violation is a programming error and fails loudly at the first run and in the
tests, never silently at a user's.

`templategen lint` does not start here: it selects rules from the rule index and imports a module
only for a file that may need it (`templategen.rules.registry`). `all_rules()` serves everything that
describes the rules: `templategen rules`, docs/rules.md, the index itself and SARIF's rule metadata.
"""

from __future__ import annotations

import sys

from templategen.diagnostics import SEVERITIES
from templategen.rules.base import Rule
from templategen.selectors import is_rule_id, is_rule_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

#: Modules holding rules, one per family (see docs/ARCHITECTURE.md). Add a module here to ship it.
RULE_MODULES: tuple[str, ...] = (
    "templategen.rules.files",
    "templategen.rules.expressions",
    "templategen.rules.references",
    "templategen.rules.structure",
    "templategen.rules.security",
    "templategen.rules.extension",
    "templategen.rules.backup_policy",
    "templategen.rules.backup_items",
    "templategen.rules.apiversions",
    "templategen.rules.inputs",
)

FAMILIES = {
    "0": "Files",
    "1": "Expressions",
    "2": "References",
    "3": "Structure",
    "4": "Security and practice",
    "5": "VMSnapshot extension",
    "6": "Recovery Services backup",
    "7": "API versions",
    "8": "YAML inputs",
}

_cache: dict[tuple[str, ...], list[Rule]] = {}


class RuleDefinitionError(Exception):
    """A rule class breaks the catalogue's invariants (bad or duplicate id or name, ...)."""


def all_rules(modules: Sequence[str] | None = None) -> list[Rule]:
    """One instance of every rule in `modules` (default: `RULE_MODULES`), sorted by id.

    The result is cached per module list; callers get a fresh list of the shared instances.
    """
    names = tuple(RULE_MODULES if modules is None else modules)
    cached = _cache.get(names)
    if cached is None:
        classes: list[type[Rule]] = []
        for module_name in names:
            # __import__ rather than importlib.import_module: importing importlib (and warnings with it)
            # is a measurable part of lint's start-up, and this is the only use on the lint path.
            __import__(module_name)
            module = sys.modules[module_name]
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, Rule)
                    and value.__module__ == module.__name__
                    and "id" in _class_attributes(value)
                ):
                    classes.append(value)
        cached = _cache[names] = check_rules([cls() for cls in classes])
    return list(cached)


def _class_attributes(cls: type) -> set[str]:
    found: set[str] = set()
    for klass in cls.__mro__:
        if klass is Rule:
            break
        found.update(vars(klass))
    return found


def check_rules(rules: Sequence[Rule]) -> list[Rule]:
    """Return `rules` sorted by id; raise RuleDefinitionError when their metadata is inconsistent."""
    ids: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    for rule in rules:
        label = type(rule).__qualname__
        rule_id = getattr(rule, "id", None)
        name = getattr(rule, "name", None)
        if not isinstance(rule_id, str) or not is_rule_id(rule_id):
            raise RuleDefinitionError(f"{label}: id {rule_id!r} is not TG followed by three digits")
        if not isinstance(name, str) or not is_rule_name(name):
            raise RuleDefinitionError(
                f"{label} ({rule_id}): name {name!r} is not kebab-case (or looks like an id)"
            )
        if getattr(rule, "severity", None) not in SEVERITIES:
            raise RuleDefinitionError(f"{label} ({rule_id}): severity must be one of {', '.join(SEVERITIES)}")
        summary = getattr(rule, "summary", "")
        if not isinstance(summary, str) or not summary.strip() or "\n" in summary.strip():
            raise RuleDefinitionError(f"{label} ({rule_id}): summary must be one non-empty line")
        if rule_id in ids:
            raise RuleDefinitionError(f"{rule_id} is used by {type(ids[rule_id]).__qualname__} and {label}")
        if name in names:
            raise RuleDefinitionError(f"name {name!r} is used by {names[name].id} and {rule_id}")
        ids[rule_id] = rule
        names[name] = rule
    return [ids[rule_id] for rule_id in sorted(ids)]


def family_of(rule_id: str) -> str:
    """The family name of a rule id (its hundreds digit), e.g. "Security and practice" for TG401."""
    return FAMILIES.get(rule_id[2:3], "Other")


def known_rules(rules: Sequence[Rule]) -> dict[str, str]:
    """id -> name, the table the selector checks need (`templategen.selectors.problem`)."""
    return {rule.id: rule.name for rule in rules}
