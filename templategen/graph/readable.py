"""Short, readable text for template expressions shown in a graph: conditions and copy counts.

A label must be read at a glance inside a box: `if isNewVault`, `× length(vms)`. The ARM text
(`[parameters('isNewVault')]`, `[length(parameters('existingVirtualMachines'))]`) is precise but
noisy, so expressions are printed Bicep-like: parameters and variables by their name, `not`,
`equals`, `and`, `or` as operators. JSON and Bicep files give the same text, since both are read into
the same ARM expressions. Only template *source* is printed here, never an evaluated value, and the
result still goes through `redact_text` (a literal in a condition could hold a SAS signature).
"""

from __future__ import annotations

import re

from templategen.arm.eval_state import fit_call
from templategen.arm.expressions import Call, ExpressionError, Index, IntLit, Member, StringLit, parse_cached
from templategen.arm.names import is_expression
from templategen.arm.values import describe
from templategen.redact import redact_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.arm.expressions import Expr

#: Longest readable text shown in a label; longer text ends with `…`.
MAX_LENGTH = 60

_UNKNOWN_PIECE = re.compile(r"<([^<>]*)>")
#: An unknown piece that is a call, `<uniqueString(resourceGroup().id)>`: its name and arguments.
_UNKNOWN_CALL = re.compile(r"<([A-Za-z_][\w.]*)\(([^<>]*)\)>")
_NAMED_CALL = re.compile(r"\b(?:parameters|variables)\('((?:[^']|'')*)'\)", re.IGNORECASE)
_OPERATORS = {"equals": " == ", "and": " && ", "or": " || "}
_NAMED = frozenset({"parameters", "variables"})
_KEYWORDS = {"true": "true", "false": "false", "null": "null"}


def readable(value: object, limit: int = MAX_LENGTH) -> str:
    """A raw template value (an expression string or a literal) as short text for a label."""
    if isinstance(value, str):
        if is_expression(value):
            parsed = parse_cached(value)
            text = value[1:-1].strip() if isinstance(parsed, ExpressionError) else _text(parsed, False)
        else:
            text = value[1:] if value.startswith("[[") else value
    elif value is True:
        text = "true"
    elif value is False:
        text = "false"
    elif value is None:
        text = "null"
    elif isinstance(value, (int, float)):
        text = repr(value)
    else:
        import json

        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = redact_text(" ".join(text.split()))
    if len(text) > limit:
        return text[: max(limit - 1, 0)] + "…"
    return text


def shown(value: object, limit: int = MAX_LENGTH) -> str:
    """An evaluated value for a label: `describe` (secrets masked, signatures redacted), with the
    unknown pieces shortened as in `readable` (`<parameters('vm')>` is shown `<vm>`) and on one line.

    Only characters are removed from what `describe` printed, so nothing it hid can reappear.
    """
    text = describe(value, 100_000)
    text = _UNKNOWN_PIECE.sub(lambda m: "<" + _NAMED_CALL.sub(_name_only, m.group(1)) + ">", text)
    text = " ".join(text.split())
    # Too long: the longest unknown call loses whole arguments first (`<uniqueString(a, …, z)>`,
    # then `<uniqueString(…)>`), so the cut in the middle, if still needed, does not fall inside
    # an expression.
    while len(text) > limit:
        calls = [m for m in _UNKNOWN_CALL.finditer(text) if m.group(2) != "…"]
        if not calls:
            break
        longest = max(calls, key=lambda m: len(m.group(2)))
        budget = len(longest.group(0)) - 2 - (len(text) - limit)
        fitted = fit_call(longest.group(1), _arguments(longest.group(2)), max(budget, 0))
        text = text[: longest.start(1)] + fitted + text[longest.end(2) + 1 :]
    return shorten(text, limit)


def _arguments(text: str) -> list[str]:
    """The top-level arguments of a call's argument text as `describe` prints it (quotes doubled
    inside strings, brackets nested)."""
    args: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted  # a doubled quote toggles twice
        elif quoted:
            continue
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            args.append(text[start:index].strip())
            start = index + 1
    args.append(text[start:].strip())
    return args


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters in the middle (`vm;iaasvmcontainerv2;<rg>…<vm-name>`): both
    ends of a resource name tell most, the start its kind and the end which one it is."""
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    tail = limit - 1 - head
    return text[:head] + "…" + text[len(text) - tail :]


def _name_only(match: re.Match[str]) -> str:
    return match.group(1).replace("''", "'")


def _text(expr: Expr, inner: bool) -> str:
    """`inner`: the text is an operand of an operator, so an operator expression gets parentheses."""
    if isinstance(expr, StringLit):
        return "'" + expr.value.replace("'", "\\'") + "'"
    if isinstance(expr, IntLit):
        return str(expr.value)
    if isinstance(expr, Member):
        return _text(expr.target, True) + "." + expr.name
    if isinstance(expr, Index):
        return _text(expr.target, True) + "[" + _text(expr.index, False) + "]"
    if isinstance(expr, Call):
        name = expr.name.lower()
        args = expr.args
        if name in _NAMED and len(args) == 1 and isinstance(args[0], StringLit):
            return args[0].value
        if name in _KEYWORDS and not args:
            return _KEYWORDS[name]
        if name == "not" and len(args) == 1:
            return "!" + _text(args[0], True)
        operator = _OPERATORS.get(name)
        if operator is not None and len(args) >= 2:
            text = operator.join(_text(arg, True) for arg in args)
            return f"({text})" if inner else text
        return expr.name + "(" + ", ".join(_text(arg, False) for arg in args) + ")"
    return "?"
