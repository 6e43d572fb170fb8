"""Segments of resource names: `split(<full name>, '/')[i]` read as segment i of that name.

Bicep names a child resource after its parent's full name. When the parent's name is written in one
piece (`name: containerName`, a variable holding `vault/Azure/container`), the compiler cannot split
it at literal slashes and writes `split(variables('containerName'), '/')[0]`, `[1]`, ... for the
parent's segments. Resource Manager's `split()` of text with unknown pieces is unknown, since a
parameter may hold a `/` (`split(parameters('path'), '/')` is a real list of unknown length), so the
evaluator leaves it unknown, and so would every child name built this way.

Inside a resource *name* the text being split is, by construction, a resource's full name, and a
resource name has one segment per level of its type: no segment holds a `/`. So here, and only here,
`split(x, '/')[i]` is segment i of x split at its known slashes, its unknown pieces taken whole, when
what is written shows that structure: x has at least one known slash (a lone unknown could be a whole
path), and splitting it gives exactly as many segments as the expression reads from it (indexes 0 to
n-1 of the same x, as Bicep writes a parent's segments). The full name is then checked against the
same rule: it must have as many segments as its type has levels (`full_name`). Otherwise the value
is what the evaluator says. Elsewhere (`split` in a property, an output, a variable) `split` keeps
Resource Manager's meaning.

`name_value` reads a name expression (`format()` / `concat()` of pieces, as Bicep writes names);
`segment_of` reads one argument (as in `resourceId(type, split(x, '/')[0], split(x, '/')[1], ...)`,
given the uses of the whole call). Both take the function that evaluates a sub-expression where the
name is read (a copy, a nested scope), so the resource instances (`ResourceInstance.name`) and the
graph's references share them.
"""

from __future__ import annotations

import re

from templategen.arm.expressions import Call, Index, IntLit, StringLit, to_source, walk
from templategen.arm.values import Partial, Unknown, join_text, split_text, text_parts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from templategen.arm.expressions import Expr

_PLACEHOLDER = re.compile(r"\{(\d+)\}|\{\{|\}\}|[{}]")


def split_uses(expr: Expr) -> dict[str, int]:
    """For each text `x` that `split(x, '/')[i]` reads segments of (keyed by its source), how many
    segments the expression reads: the largest index plus one."""
    uses: dict[str, int] = {}
    for node in walk(expr):
        split = _split_index(node)
        if split is not None:
            key = to_source(split[0])
            uses[key] = max(uses.get(key, 0), split[1] + 1)
    return uses


def _split_index(node: Expr) -> tuple[Expr, int] | None:
    """(x, i) for `split(x, '/')[i]`, else None."""
    if (
        isinstance(node, Index)
        and isinstance(node.index, IntLit)
        and isinstance(node.target, Call)
        and node.target.namespace is None
        and node.target.name.lower() == "split"
        and len(node.target.args) == 2
        and node.target.args[1] == StringLit("/")
    ):
        return node.target.args[0], node.index.value
    return None


def segment_of(arg: Expr, evaluate: Callable[[Expr], object], uses: dict[str, int] | None = None) -> object:
    """A name argument's value; `split(x, '/')[i]` is segment i of x when x shows its structure
    (see the module docstring). `uses`: `split_uses` of the whole expression the argument is in."""
    split = _split_index(arg)
    if split is not None:
        text, index = split
        value = evaluate(text)
        read = (uses or {}).get(to_source(text), index + 1)
        segments = split_text(value, "/", assume=True)
        if segments is not None and len(segments) == read and _known_slash(value):
            return segments[index]
    return evaluate(arg)


def _known_slash(value: object) -> bool:
    parts = text_parts(value)
    return parts is not None and any(isinstance(part, str) and "/" in part for part in parts)


def name_value(expr: Expr, evaluate: Callable[[Expr], object]) -> object:
    """A resource name expression evaluated piece by piece, so that `split(x, '/')[i]` inside a
    `format()` or `concat()` is segment i of x. Bicep compiles a child resource whose parent is
    named in one piece to exactly that: `format('{0}/{1}/{2}', split(variables('parent'), '/')[0],
    split(variables('parent'), '/')[1], 'child')`. Anything else is evaluated whole. The caller
    checks the segment count of the result (`full_name`)."""
    if not isinstance(expr, Call) or expr.namespace is not None:
        return evaluate(expr)
    name = expr.name.lower()
    uses = split_uses(expr)
    pieces: list[object] = []
    if name == "format" and expr.args and isinstance(expr.args[0], StringLit):
        text = expr.args[0].value
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            pieces.append(text[position : match.start()])
            position = match.end()
            token = match.group(0)
            if token in ("{{", "}}"):
                pieces.append(token[0])
                continue
            index = match.group(1)
            if index is None or int(index) + 1 >= len(expr.args):
                return evaluate(expr)  # a format item with options, or a missing argument
            pieces.append(segment_of(expr.args[int(index) + 1], evaluate, uses))
        pieces.append(text[position:])
    elif name == "concat" and expr.args:
        pieces = [segment_of(arg, evaluate, uses) for arg in expr.args]
    else:
        return evaluate(expr)
    texts: list[object] = []
    for piece in pieces:
        if isinstance(piece, int) and not isinstance(piece, bool):
            texts.append(str(int(piece)))
        elif isinstance(piece, (str, Partial, Unknown)):
            texts.append(piece)
        else:
            return evaluate(expr)
    return join_text(texts)


def full_name(expr: Expr, levels: int, evaluate: Callable[[Expr], object]) -> object | None:
    """The full name of a resource whose type has `levels` levels, read with `name_value`; None
    when the result does not have exactly `levels` segments at its known slashes (then the
    reading proves nothing, and the evaluator's value stands)."""
    value = name_value(expr, evaluate)
    segments = split_text(value, "/", assume=True)
    if segments is None or len(segments) != levels:
        return None
    return value
