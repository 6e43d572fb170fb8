"""Resource names as segments, read from literals and from expressions, without evaluating anything.

Two rules need to know what a name looks like between its slashes: the segment count must match the
resource type (TG301), and a `dependsOn` `resourceId(type, a, b)` must be able to name one of the
template's resources (TG207). Names are often expressions, so a name is read as a sequence of
*pieces*: literal text and opaque values. `concat`, `format` with a literal format string, `toLower`
/ `toUpper`, and `variables()` of a literal variable are looked through; what cannot be looked
through is opaque. An opaque value may itself contain slashes (a parameter could be `vm1/ext`)
unless it comes from a function that never produces one (`uniqueString`, `guid`, `copyIndex`, a
parameter of type int or whose `allowedValues` contain no slash, ...), so a rule can tell a decided
segment count from a lower bound and never guesses.
"""

from __future__ import annotations

import re

from templategen.arm.expressions import Call, Expr, ExpressionError, IntLit, StringLit, parse_cached
from templategen.arm.names import is_expression, literal_value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.arm.template import Template


class Opaque:
    """A value the rules cannot read; `slash_free` when it certainly contains no `/`."""

    __slots__ = ("slash_free",)

    def __init__(self, slash_free: bool) -> None:
        self.slash_free = slash_free

    def __repr__(self) -> str:
        return "Opaque(slash-free)" if self.slash_free else "Opaque"


SLASH_FREE = Opaque(True)
MAYBE_SLASH = Opaque(False)

#: A piece of a string value: literal text, or an opaque value.
#: A segment (between slashes): literal text, or Opaque when any part of it is opaque.
if TYPE_CHECKING:
    Piece = str | Opaque

#: Functions whose result never contains a slash (hashes, numbers, loop indexes).
_SLASH_FREE_FUNCTIONS = frozenset(
    {
        "uniquestring",
        "guid",
        "newguid",
        "copyindex",
        "length",
        "int",
        "add",
        "sub",
        "mul",
        "div",
        "mod",
        "min",
        "max",
        "indexof",
        "lastindexof",
    }
)
_MAX_DEPTH = 8
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(\d+)(?::[^}]*)?\}")


def pieces_of_value(value: object, scope: Template | None) -> list[Piece] | None:
    """Pieces of a template string value (literal, or `[expression]`); None when it is not a string
    or its expression does not parse."""
    if not isinstance(value, str):
        return None
    if not is_expression(value):
        return [literal_value(value)]
    parsed = parse_cached(value)
    if isinstance(parsed, ExpressionError):
        return None
    return pieces_of(parsed, scope)


def pieces_of(
    expr: Expr, scope: Template | None, depth: int = 0, seen: frozenset[str] = frozenset()
) -> list[Piece]:
    """The pieces an expression's string value is made of, left to right.

    `seen` holds the variables being expanded: a variable that refers to itself (a template bug
    Resource Manager refuses) reads as opaque instead of being unrolled.
    """
    if depth > _MAX_DEPTH:
        return [MAYBE_SLASH]
    if isinstance(expr, StringLit):
        return [expr.value]
    if isinstance(expr, IntLit):
        return [str(expr.value)]
    if not isinstance(expr, Call):
        return [MAYBE_SLASH]
    name = expr.name.lower()
    args = expr.args
    if name == "concat":
        out: list[Piece] = []
        for arg in args:
            out.extend(pieces_of(arg, scope, depth + 1, seen))
        return out
    if name == "format" and args and isinstance(args[0], StringLit):
        return _format_pieces(args[0].value, args[1:], scope, depth, seen)
    if name in ("tolower", "toupper") and len(args) == 1:
        inner = pieces_of(args[0], scope, depth + 1, seen)
        lower = name == "tolower"
        return [(p.lower() if lower else p.upper()) if isinstance(p, str) else p for p in inner]
    if name in _SLASH_FREE_FUNCTIONS:
        return [SLASH_FREE]
    if name in ("first", "last") and len(args) == 1 and _splits_on_slash(args[0]):
        return [SLASH_FREE]
    if name == "variables" and len(args) == 1 and isinstance(args[0], StringLit) and scope is not None:
        variable = scope.variable(args[0].value)
        if variable is None or variable.copy is not None or variable.key in seen:
            return [MAYBE_SLASH]
        value = variable.value
        if isinstance(value, bool) or value is None:
            return [MAYBE_SLASH]
        if isinstance(value, int):
            return [str(value)]
        if isinstance(value, str):
            if not is_expression(value):
                return [literal_value(value)]
            parsed = parse_cached(value)
            if isinstance(parsed, ExpressionError):
                return [MAYBE_SLASH]
            return pieces_of(parsed, scope, depth + 1, seen | {variable.key})
        return [MAYBE_SLASH]
    if name == "parameters" and len(args) == 1 and isinstance(args[0], StringLit) and scope is not None:
        parameter = scope.parameter(args[0].value)
        if parameter is None:
            return [MAYBE_SLASH]
        if parameter.type in ("int", "bool"):
            return [SLASH_FREE]
        allowed = parameter.allowed_values
        if (
            isinstance(allowed, list)
            and allowed
            and all(isinstance(v, str) and not is_expression(v) and "/" not in v for v in allowed)
        ):
            return [SLASH_FREE]
        return [MAYBE_SLASH]
    return [MAYBE_SLASH]


def _splits_on_slash(expr: Expr) -> bool:
    return (
        isinstance(expr, Call)
        and expr.name.lower() == "split"
        and len(expr.args) == 2
        and isinstance(expr.args[1], StringLit)
        and expr.args[1].value == "/"
    )


def _format_pieces(
    fmt: str, args: tuple[Expr, ...], scope: Template | None, depth: int, seen: frozenset[str]
) -> list[Piece]:
    out: list[Piece] = []
    last = 0
    for match in _PLACEHOLDER.finditer(fmt):
        out.append(fmt[last : match.start()])
        token = match.group(0)
        if token == "{{":
            out.append("{")
        elif token == "}}":
            out.append("}")
        else:
            index = int(match.group(1))
            if index < len(args):
                out.extend(pieces_of(args[index], scope, depth + 1, seen))
            else:
                out.append(MAYBE_SLASH)
        last = match.end()
    out.append(fmt[last:])
    return out


def segments(pieces: list[Piece]) -> list[str | Opaque]:
    """Split pieces at the slashes of their literal text: one entry per name segment.

    A segment is its literal text, or an Opaque (slash-free only when every opaque part of it is).
    """
    out: list[str | Opaque] = []
    text: list[str] = []
    has_opaque = False
    slash_free = True

    def close() -> None:
        if has_opaque:
            out.append(SLASH_FREE if slash_free else MAYBE_SLASH)
        else:
            out.append("".join(text))

    for piece in pieces:
        if isinstance(piece, Opaque):
            has_opaque = True
            slash_free = slash_free and piece.slash_free
            continue
        parts = piece.split("/")
        for i, part in enumerate(parts):
            if i > 0:
                close()
                text = []
                has_opaque = False
                slash_free = True
            text.append(part)
    close()
    return out


def is_exact(segs: list[str | Opaque]) -> bool:
    """True when the segment count is decided (no opaque part may hide a slash)."""
    return all(isinstance(s, str) or s.slash_free for s in segs)


def name_segments(value: object, scope: Template | None) -> list[str | Opaque] | None:
    """Segments of a resource name as written in the template (None when unreadable)."""
    pieces = pieces_of_value(value, scope)
    return None if pieces is None else segments(pieces)


def joined_segments(args: tuple[Expr, ...], scope: Template | None) -> list[str | Opaque]:
    """Segments of the name `resourceId(type, a, b, ...)` builds from its name arguments (`a/b/...`)."""
    pieces: list[Piece] = []
    for i, arg in enumerate(args):
        if i:
            pieces.append("/")
        pieces.extend(pieces_of(arg, scope))
    return segments(pieces)


def definitely_different(a: list[str | Opaque], b: list[str | Opaque]) -> bool:
    """True only when the two names cannot be equal whatever the opaque parts hold.

    Literal segments are compared case-insensitively (ARM names are) at positions both names are
    sure of: from the start until an opaque part that may hide a slash, and likewise from the end.
    """
    if is_exact(a) and is_exact(b) and len(a) != len(b):
        return True
    for left, right in ((a, b), (a[::-1], b[::-1])):
        for x, y in zip(left, right, strict=False):
            if isinstance(x, str) and isinstance(y, str):
                if x.lower() != y.lower():
                    return True
                continue
            if (isinstance(x, Opaque) and not x.slash_free) or (isinstance(y, Opaque) and not y.slash_free):
                break
    return False


def describe(segs: list[str | Opaque]) -> str:
    """A readable form for messages: literal segments as written, opaque ones as `…`."""
    return "/".join(s if isinstance(s, str) else "…" for s in segs)
