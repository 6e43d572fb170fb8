"""Write the rule index (`templategen/rules/index.py`) from the rule classes: `make docs` runs it.

    python -m templategen.rules.indexgen [-o FILE]     # default: the index inside this package

The index lets `templategen lint` select rules and import only the modules a file needs
(`templategen.rules.registry`). It is data generated from the code, like docs/rules.md, and a test
fails when the committed file differs from what this module writes.

Every rule module must declare `TRIGGERS`: a tuple of lower-case substrings of which one must occur
in a file's text for any rule of the module to fire on that file, or `()` when its rules may fire on
any file. A module without it is a programming error, reported here, so that a new family makes the
choice on purpose. Triggers hold letters, digits, `.` and `-` only: JSON may write `/` as `\\/`, so a
trigger with a slash could miss a file that spells it that way.
"""

from __future__ import annotations

import os
import sys

from templategen.rules import RULE_MODULES, RuleDefinitionError, all_rules

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from templategen.rules.base import Rule

PACKAGE = "templategen.rules."
TRIGGER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
INDEX_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "index.py")

HEADER = '''\
"""The rule index: every rule's id, name, default severity, file kinds and module, and the triggers
of every rule module (see `templategen.rules.registry`, which reads it).

Generated from the rule classes by `make docs` (`python -m templategen.rules.indexgen`): do not edit.
A test fails when it differs from what the rule classes say.
"""

from __future__ import annotations

#: (id, name, default severity, file kinds, module under templategen.rules), sorted by id.
RULES: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
'''

TRIGGERS_HEADER = """)

#: Module under templategen.rules -> lower-case substrings of which one must occur in a file's text
#: for any rule of the module to fire on that file; () when its rules may fire on any file.
TRIGGERS: dict[str, tuple[str, ...]] = {
"""


def module_triggers(modules: Sequence[str] = RULE_MODULES) -> dict[str, tuple[str, ...]]:
    """`TRIGGERS` of every rule module, checked: a tuple of non-empty lower-case strings."""
    found: dict[str, tuple[str, ...]] = {}
    for name in modules:
        __import__(name)
        triggers = getattr(sys.modules[name], "TRIGGERS", None)
        if not isinstance(triggers, tuple) or not all(
            isinstance(t, str) and t and set(t) <= TRIGGER_CHARS for t in triggers
        ):
            raise RuleDefinitionError(
                f"{name}: TRIGGERS must be a tuple of non-empty strings of lower-case letters, digits,"
                " '.' and '-' (() = always run)"
            )
        found[name] = tuple(sorted(set(triggers)))
    return found


def _literal(value: object) -> str:
    """A Python literal in ruff's formatting: double quotes, one-element tuples with a comma."""
    if isinstance(value, tuple):
        inner = ", ".join(_literal(item) for item in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    text = repr(value)
    if isinstance(value, str) and '"' not in value:
        text = '"' + text[1:-1] + '"'
    return text


def render_index(rules: Sequence[Rule], triggers: Mapping[str, tuple[str, ...]]) -> str:
    """The text of index.py for `rules` (sorted by id) and their modules' `triggers`."""
    lines = [HEADER]
    for rule in rules:
        module = type(rule).__module__
        if not module.startswith(PACKAGE) or module not in triggers:
            raise RuleDefinitionError(f"{rule.id}: module {module} is not a rule module of templategen.rules")
        row = (rule.id, rule.name, rule.severity, tuple(sorted(rule.applies_to)), module[len(PACKAGE) :])
        lines.append(f"    {_literal(row)},\n")
    lines.append(TRIGGERS_HEADER)
    for module, found in triggers.items():
        lines.append(f"    {_literal(module[len(PACKAGE) :])}: {_literal(found)},\n")
    lines.append("}\n")
    return "".join(lines)


def current_index() -> str:
    """What index.py must hold for the rule classes as they are now."""
    return render_index(all_rules(), module_triggers())


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    target = INDEX_FILE
    if args[:1] in (["-o"], ["--output"]) and len(args) == 2:
        target = args[1]
    elif args:
        sys.stderr.write("usage: python -m templategen.rules.indexgen [-o FILE]\n")
        return 2
    from templategen.fileio import atomic_write

    atomic_write(target, current_index())
    return 0


if __name__ == "__main__":
    sys.exit(main())
