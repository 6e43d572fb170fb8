"""Naming rules in configuration, on the command line and in suppressions: one matcher for all.

A *selector* names one or more rules:

* an id, `TG401` (case-insensitive);
* an id prefix, `TG4` (the security-and-practice family), `TG40`, or `TG` for every rule;
* `ALL`, the same as `TG`;
* a rule name, `hardcoded-location`.

When several selectors of one list or layer match a rule, the most specific wins: an id or a name
beats a three-character prefix, which beats a shorter one (`select = [TG4]`, `ignore = [TG40]`,
`select = [TG401]` keeps TG401 and drops the rest of TG40x). Between a `select` and an `ignore` of the
same specificity the ignore wins. This is the behaviour ruff users know, and it lets a project say
"this family except that rule" without listing every id.

The file-unusable finding (`TG001`, see `templategen.lint.result`) is never switched off: a template
that cannot be read must fail the run whatever the configuration says.
"""

from __future__ import annotations

from templategen.diagnostics import SEVERITIES
from templategen.lint.result import INPUT_ERROR_ID, INPUT_ERROR_NAME

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

ALL = "ALL"
#: Severity value that disables a rule in a `severity` table.
OFF = "off"

#: Specificity of an exact id or a name; prefixes score their length ("TG" 1 ... "TG40" 3), ALL 0.
EXACT = 4

# Plain string tests rather than regular expressions: compiling a pattern costs more start-up time
# than every check of a run put together.
_DIGITS = frozenset("0123456789")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_NAME_CHARS = _LETTERS | _DIGITS | {"-"}


def _digits_after_tg(text: str) -> int:
    """How many digits follow `TG` when `text` is `TG` and ASCII digits only; -1 otherwise."""
    if not text.startswith("TG"):
        return -1
    rest = text[2:]
    return len(rest) if all(ch in _DIGITS for ch in rest) else -1


def is_rule_id(text: str) -> bool:
    """True for a well-formed rule id: `TG` and three digits."""
    return _digits_after_tg(text) == 3


def is_rule_name(text: str) -> bool:
    """True for a well-formed rule name: kebab-case, starting with a letter, not shaped like an id
    (`tg4x1` is a mistyped id, not a name)."""
    return (
        text[:1] in _LETTERS
        and all(ch in _NAME_CHARS for ch in text)
        and not text.endswith("-")
        and "--" not in text
        and not (text.startswith("tg") and text[2:3] in _DIGITS)
    )


def normalize(selector: str) -> str:
    """Canonical spelling: ids and prefixes upper-case, names lower-case, surrounding blanks removed."""
    text = selector.strip()
    upper = text.upper()
    if upper == ALL or _digits_after_tg(upper) >= 0:
        return upper
    return text.lower()


def kind(selector: str) -> str | None:
    """ "id", "prefix", "all" or "name" for a normalized selector; None when it is malformed."""
    digits = _digits_after_tg(selector)
    if digits == 3:
        return "id"
    if 0 <= digits < 3:
        return "prefix"
    if selector == ALL:
        return "all"
    if is_rule_name(selector):
        return "name"
    return None


def specificity(selector: str) -> int:
    """How narrowly a normalized selector names rules (higher is narrower)."""
    if selector == ALL:
        return 0
    digits = _digits_after_tg(selector)
    if 0 <= digits < 3:
        return digits + 1
    return EXACT


def matches(selector: str, rule_id: str, rule_name: str) -> bool:
    """True when the normalized `selector` names the rule `rule_id` / `rule_name`."""
    if selector == ALL:
        return True
    if selector.startswith("TG"):
        return rule_id.startswith(selector) if len(selector) < 5 else rule_id == selector
    return selector == rule_name


def any_matches(selectors: Iterable[str], rule_id: str, rule_name: str) -> bool:
    """True when one of the normalized `selectors` names the rule."""
    return any(matches(s, rule_id, rule_name) for s in selectors)


def best_match(selectors: Iterable[str], rule_id: str, rule_name: str) -> int:
    """Specificity of the most specific selector naming the rule, or -1 when none does."""
    best = -1
    for selector in selectors:
        if matches(selector, rule_id, rule_name):
            best = max(best, specificity(selector))
    return best


def syntax_problem(selector: str) -> str | None:
    """Why a normalized selector is malformed, or None when it has a valid shape."""
    if kind(selector) is None:
        return (
            f"{selector!r} is not a rule selector (expected an id like TG401, a prefix like TG4, "
            "a rule name like hardcoded-location, or ALL)"
        )
    return None


def problem(selector: str, known: Mapping[str, str]) -> str | None:
    """Why a normalized selector is wrong, or None when it is fine.

    `known` maps every known rule id to its name. A prefix need not match any rule (a family may
    still be empty); an exact id or a name must name a known rule.
    """
    what = kind(selector)
    if what is None:
        return syntax_problem(selector)
    if what == "id" and selector not in known and selector != INPUT_ERROR_ID:
        return f"unknown rule id {selector}" + _suggest(selector, list(known))
    if what == "name" and selector not in known.values() and selector != INPUT_ERROR_NAME:
        return f"unknown rule name {selector!r}" + _suggest(selector, list(known.values()))
    return None


def protected_problem(selector: str) -> str | None:
    """The error for trying to switch off or downgrade the unusable-file finding by its id or name."""
    if selector in (INPUT_ERROR_ID, INPUT_ERROR_NAME):
        return (
            f"{selector} ({INPUT_ERROR_NAME}) cannot be ignored or re-graded: "
            "a file that cannot be read always fails the run"
        )
    return None


def _suggest(word: str, candidates: Sequence[str]) -> str:
    import difflib  # only on the error path

    close = difflib.get_close_matches(word, candidates, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


class Layer:
    """One level of rule selection: a `select` list (None: keep what earlier layers chose) and an
    `ignore` list. The configuration file is one layer, the command line the next."""

    __slots__ = ("ignore", "select")

    def __init__(self, select: Sequence[str] | None = None, ignore: Sequence[str] = ()) -> None:
        self.select = None if select is None else tuple(normalize(s) for s in select)
        self.ignore = tuple(normalize(s) for s in ignore)

    def decide(self, rule_id: str, rule_name: str, enabled: bool) -> bool:
        """Whether the rule is on after this layer, given whether it was on before it."""
        chosen = -1 if self.select is None else best_match(self.select, rule_id, rule_name)
        dropped = best_match(self.ignore, rule_id, rule_name)
        if dropped >= 0 and dropped >= chosen:
            return False
        if chosen >= 0:
            return True
        return enabled if self.select is None else False


def severity_for(rule_id: str, rule_name: str, default: str, overrides: Mapping[str, str]) -> str:
    """The rule's severity after `overrides` (normalized selector -> severity or "off").

    The most specific matching selector wins; between equally specific ones, the later entry.
    TG001 keeps its severity.
    """
    if rule_id == INPUT_ERROR_ID:
        return default
    best = -1
    result = default
    for selector, severity in overrides.items():
        if matches(selector, rule_id, rule_name):
            score = specificity(selector)
            if score >= best:
                best, result = score, severity
    return result


def is_severity(value: str) -> bool:
    """True for "error", "warning", "info" and "off"."""
    return value in SEVERITIES or value == OFF
