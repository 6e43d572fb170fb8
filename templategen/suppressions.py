"""Suppressing a finding where it occurs: template metadata for ARM JSON, comments for Bicep.

ARM JSON, on the template or on one resource (entries are selectors, optionally followed by
`: reason`):

    "metadata": {
      "templategen": {"ignore": ["TG401: this template deploys to one region only", "TG5"]}
    }

Metadata survives compilation and deployment (comments do not), which is why it is the mechanism for
JSON. A template's metadata covers the whole file; a resource's covers the resource, its child
resources and, for an inline nested deployment, the template inside it. The `metadata` of an inline
nested template covers that nested template.

Bicep, as comments (ids, prefixes or names separated by blanks or commas; text after `--` is a
free-form reason):

    // templategen-disable-next-line TG401 -- this template deploys to one region only
    param location string = 'westeurope'
    param other string = 'northeurope' // templategen-disable-line hardcoded-location

`templategen-disable-next-line` covers the next line that is not itself a disable comment, so several
can be stacked; `templategen-disable-line` covers the line it ends. A finding is covered when it
*starts* on a covered line. A directive must name at least one rule: there is no blanket disable, so
a rule added later is never hidden by accident.

The Bicep linter's own `#disable-next-line <rule>` also covers the next line for the templategen
rules that check the same thing (`BICEP_LINTER_EQUIVALENTS`): an author who silenced
`no-unused-vars` there on purpose should not be told the same again.
"""

from __future__ import annotations

import re

from templategen.selectors import any_matches, normalize, problem, syntax_problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

NEXT_LINE = "templategen-disable-next-line"
SAME_LINE = "templategen-disable-line"
_DIRECTIVE = r"\s*(templategen-disable-(?:next-)?line)(?=\s|$)(.*)"  # compiled on first use

#: Bicep linter rule (bicepconfig.json name) -> the templategen rule that checks the same thing.
BICEP_LINTER_EQUIVALENTS = {
    "no-unused-params": "TG205",
    "no-unused-vars": "TG206",
    "no-hardcoded-location": "TG401",
    "secure-parameter-default": "TG402",
    "outputs-should-not-contain-secrets": "TG403",
    "use-recent-api-versions": "TG702",
}


# --------------------------------------------------------------------------------- ARM metadata


def _get(mapping: object, key: str) -> object:
    """Case-insensitive member lookup (ARM property names are case-insensitive)."""
    if not isinstance(mapping, dict):
        return None
    if key in mapping:
        return mapping[key]
    lowered = key.lower()
    for name, value in mapping.items():
        if isinstance(name, str) and name.lower() == lowered:
            return value
    return None


def metadata_selectors(metadata_value: object) -> tuple[list[str], list[str]]:
    """Normalized selectors of `metadata.templategen.ignore`, and problems found reading it.

    `metadata_value` is the value of a `metadata` property. Problems (a value that is not a list of
    strings, a malformed selector) are messages the linter can report; the valid entries still apply.
    """
    ignore = _get(_get(metadata_value, "templategen"), "ignore")
    if ignore is None:
        return [], []
    # A single string may list several entries separated by commas, as `ignore: TG4, TG5` does in
    # the configuration file (and as the template model's `suppressed_ids` reads it).
    entries = ignore.split(",") if isinstance(ignore, str) else ignore
    if not isinstance(entries, list):
        return [], ["metadata.templategen.ignore must be a list of rule ids, prefixes or names"]
    selectors: list[str] = []
    problems: list[str] = []
    for entry in entries:
        if not isinstance(entry, str):
            problems.append(f"metadata.templategen.ignore: {entry!r} is not a string")
            continue
        if not entry.strip():
            continue
        selector = normalize(entry.split(":", 1)[0])
        message = syntax_problem(selector)
        if message is None:
            selectors.append(selector)
        else:
            problems.append(f"metadata.templategen.ignore: {message}")
    return selectors, problems


def suppressed_by_metadata(metadata_value: object, rule_id: str, rule_name: str) -> bool:
    """True when this `metadata` value's `templategen.ignore` names the rule."""
    selectors, _ = metadata_selectors(metadata_value)
    return any_matches(selectors, rule_id, rule_name)


def metadata_scopes(data: object, pointer: str) -> list[object]:
    """The `metadata` values that cover the node at JSON `pointer`, outermost first.

    The template root, then every resource on the way down (an element of a `resources` array, or a
    member of a `resources` object in languageVersion 2.0), then every inline nested template
    (a `template` object) on the way.
    """
    scopes = [_get(data, "metadata")]
    node = data
    parent_key = ""
    for raw in pointer.split("/")[1:] if pointer else ():
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(token) if token in node else _get(node, token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            break
        if isinstance(node, dict) and (parent_key == "resources" or token.lower() == "template"):
            scopes.append(_get(node, "metadata"))
        parent_key = token.lower()
    return [scope for scope in scopes if scope is not None]


def suppressed_at(data: object, pointer: str, rule_id: str, rule_name: str) -> bool:
    """True when template metadata covering the node at `pointer` in `data` ignores the rule."""
    return any(suppressed_by_metadata(scope, rule_id, rule_name) for scope in metadata_scopes(data, pointer))


# ---------------------------------------------------------------------------------- Bicep comments


class BicepDirectives:
    """What the disable comments of one Bicep file say.

    lines     1-based line -> normalized selectors disabled on it
    problems  (line, column, message) for directives that name no rule or a malformed/unknown one
    """

    __slots__ = ("lines", "problems")

    def __init__(self) -> None:
        self.lines: dict[int, set[str]] = {}
        self.problems: list[tuple[int, int, str]] = []

    def suppressed(self, line: int, rule_id: str, rule_name: str) -> bool:
        """True when a directive disables the rule on `line`."""
        selectors = self.lines.get(line)
        return bool(selectors) and any_matches(selectors or (), rule_id, rule_name)


def parse_bicep_directives(text: str, known: Mapping[str, str] | None = None) -> BicepDirectives:
    """Read the `templategen-disable-*` comments of a Bicep file.

    With `known` (rule id -> name), selectors naming no known rule are reported as problems (and
    still applied, in case the rule comes back).
    """
    result = BicepDirectives()
    if "#disable-next-line" in text:
        _bicep_linter_directives(text, result)
    if "templategen-disable" not in text:
        return result
    pending: list[tuple[int, set[str]]] = []  # next-line directives waiting for their target line
    directive_only_lines = set()
    for line, column, body, code_before in _line_comments(text):
        match = re.match(_DIRECTIVE, body)
        if match is None:
            continue
        directive, rest = match.group(1), match.group(2)
        rest = re.split(r"(?:^|\s)--", rest, maxsplit=1)[0]  # `-- reason` is free text
        selectors = set()
        for token in re.split(r"[\s,]+", rest.strip()):
            if not token:
                continue
            selector = normalize(token)
            message = problem(selector, known) if known is not None else syntax_problem(selector)
            if message is not None:
                result.problems.append((line, column, f"{directive}: {message}"))
            if syntax_problem(selector) is None:
                selectors.add(selector)
        if not selectors:
            result.problems.append((line, column, f"{directive} must name the rules it disables"))
            continue
        if directive == SAME_LINE:
            if not code_before:
                message = f"{SAME_LINE} on a line without code has no effect (use {NEXT_LINE})"
                result.problems.append((line, column, message))
                continue
            result.lines.setdefault(line, set()).update(selectors)
        else:
            if not code_before:
                directive_only_lines.add(line)
            pending.append((line, selectors))
    for line, selectors in pending:
        target = line + 1
        while target in directive_only_lines:
            target += 1
        result.lines.setdefault(target, set()).update(selectors)
    return result


def _bicep_linter_directives(text: str, result: BicepDirectives) -> None:
    """`#disable-next-line no-unused-vars BCP081`: the equivalent templategen rules on the next line
    (Bicep's own codes and rules with no equivalent are its business, not ours)."""
    for number, line_text in enumerate(text.splitlines(), start=1):
        stripped = line_text.strip()
        if not stripped.startswith("#disable-next-line"):
            continue
        for token in stripped[len("#disable-next-line") :].split():
            equivalent = BICEP_LINTER_EQUIVALENTS.get(token.lower())
            if equivalent is not None:
                result.lines.setdefault(number + 1, set()).add(normalize(equivalent))


def bicep_disable_comments(text: str) -> dict[int, set[str]]:
    """1-based line -> normalized selectors disabled on it by `templategen-disable-*` comments."""
    return parse_bicep_directives(text).lines


def _line_comments(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """(line, column, text after `//`, whether code precedes it) for each `//` comment of Bicep text.

    A small lexer, because `//` also occurs inside strings (`'https://...'`): it skips `'...'`
    strings with escapes and `${...}` interpolations (which may nest strings and braces), `'''...'''`
    multi-line strings, and `/* ... */` comments.
    """
    n = len(text)
    i = 0
    line = 1
    line_start = 0
    in_string = False
    interpolations: list[int] = []  # brace depth inside each open `${`
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            line_start = i + 1
            i += 1
            continue
        if in_string:
            if ch == "\\":
                i += 2
            elif ch == "'":
                in_string = False
                i += 1
            elif ch == "$" and text.startswith("{", i + 1):
                interpolations.append(0)
                in_string = False
                i += 2
            else:
                i += 1
            continue
        if text.startswith("'''", i):
            end = text.find("'''", i + 3)
            end = n if end < 0 else end + 3
            newlines = text.count("\n", i, end)
            if newlines:
                line += newlines
                line_start = text.rfind("\n", i, end) + 1
            i = end
        elif ch == "'":
            in_string = True
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            yield line, i - line_start + 1, text[i + 2 : end].rstrip("\r"), bool(text[line_start:i].strip())
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            newlines = text.count("\n", i, end)
            if newlines:
                line += newlines
                line_start = text.rfind("\n", i, end) + 1
            i = end
        else:
            if interpolations:
                if ch == "{":
                    interpolations[-1] += 1
                elif ch == "}":
                    if interpolations[-1] == 0:
                        interpolations.pop()
                        in_string = True
                    else:
                        interpolations[-1] -= 1
            i += 1
