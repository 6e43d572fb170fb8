"""Undo two precedence mistakes of tree-sitter-bicep before an expression is converted.

The grammar (1.1.0) binds postfix operations too loosely and lambdas too tightly:

* `x == a.b` comes out as `(x == a).b`, `!f(x).y` as `(!f(x)).y`, `c ? a : b[0]` as `(c ? a : b)[0]`,
  `x == r::child.id` as `(x == r)::child.id`: a member access, index, call or `::` whose target is an
  unparenthesized operator expression really applies to that expression's last operand;
* `x => x.a == 1` comes out as `((x => x).a) == 1`: a lambda at the far left of an operator really
  takes the whole operator expression as its body.

Parentheses in the source produce a `parenthesized_expression` node, so a bare operator node in those
positions can only be the grammar's mistake. `fix(node)` returns the node as Bicep means it, building
`Synthetic` nodes (same interface as tree-sitter's, original tokens and spans) where the shape changes,
and the node itself when nothing is wrong, which is almost always.
"""

from __future__ import annotations

from itertools import count

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Sequence

    from templategen.bicep.syntax import SyntaxNode

#: postfix node type → the field holding what it applies to
_POSTFIX = {
    "member_expression": "object",
    "subscript_expression": "object",
    "resource_expression": "object",
    "call_expression": "function",
}
#: operator node type → the field holding its last operand
_LAST_OPERAND = {
    "binary_expression": "right",
    "unary_expression": "argument",
    "ternary_expression": "alternative",
    "lambda_expression": "",  # the last child
}
#: operator node type → the field holding its first operand (where a swallowed lambda sits)
_FIRST_OPERAND = {"binary_expression": "left", "ternary_expression": "condition"}
_FIELDS = ("object", "property", "index", "resource", "function", "arguments", "left", "operator", "right")
_FIELDS_BY_TYPE = {
    "member_expression": ("object", "property"),
    "subscript_expression": ("object", "index"),
    "resource_expression": ("object", "resource"),
    "call_expression": ("function", "arguments"),
    "binary_expression": ("left", "operator", "right"),
    "unary_expression": ("operator", "argument"),
    "ternary_expression": ("condition", "consequence", "alternative"),
}
_IDS = count(-1, -1)
#: how far down an operand spine `fix` looks
_MAX_SPINE = 100
#: binding strength of Bicep's binary operators (higher binds tighter)
_PRECEDENCE = {
    "*": 7,
    "/": 7,
    "%": 7,
    "+": 6,
    "-": 6,
    "<": 5,
    "<=": 5,
    ">": 5,
    ">=": 5,
    "==": 4,
    "!=": 4,
    "=~": 4,
    "!~": 4,
    "&&": 3,
    "||": 2,
    "??": 1,
}


class Synthetic:
    """A node the grammar should have produced: a type, children (tokens included) and fields.

    Offsets are those of the source (the node spans its first to its last child), so spans and
    problems point where the user wrote the expression.
    """

    __slots__ = ("children", "end_byte", "fields", "id", "start_byte", "text", "type")

    is_named = True
    is_extra = False
    is_error = False
    is_missing = False
    has_error = False

    def __init__(
        self, kind: str, children: list[SyntaxNode], fields: dict[str, SyntaxNode], source: bytes, delta: int
    ) -> None:
        self.type = kind
        self.children: Sequence[SyntaxNode] = children
        self.fields = fields
        self.id = next(_IDS)
        self.start_byte = children[0].start_byte if children else 0
        self.end_byte = children[-1].end_byte if children else 0
        self.text: bytes | None = source[self.start_byte + delta : self.end_byte + delta]

    @property
    def named_children(self) -> list[SyntaxNode]:
        return [child for child in self.children if child.is_named]

    @property
    def child_count(self) -> int:
        return len(self.children)

    def child(self, index: int) -> SyntaxNode | None:
        return self.children[index] if 0 <= index < len(self.children) else None

    def child_by_field_name(self, name: str) -> SyntaxNode | None:
        return self.fields.get(name)

    def __repr__(self) -> str:
        return f"Synthetic({self.type}, {self.text!r})"


class Fixer:
    """Rewrites misparsed expressions of one source (its bytes give synthetic nodes their text)."""

    __slots__ = ("data", "delta")

    def __init__(self, data: bytes, delta: int) -> None:
        self.data = data
        self.delta = delta

    def fix(self, node: SyntaxNode, depth: int = 0) -> SyntaxNode:
        if depth > _MAX_SPINE:  # a hostile chain; the converter's own depth limit reports it
            return node
        kind = node.type
        target_field = _POSTFIX.get(kind)
        if target_field is not None:
            target = node.child_by_field_name(target_field)
            if target is None:
                return node
            fixed = self.fix(target, depth + 1)
            if fixed.type in _LAST_OPERAND:
                return self.distribute(node, target, fixed, target_field)
            if fixed is not target:
                return self.replace(node, target, fixed)
            return node
        first_field = _FIRST_OPERAND.get(kind)
        if first_field is not None:
            first = node.child_by_field_name(first_field)
            if first is None:
                return node
            fixed = self.fix(first, depth + 1)
            if fixed.type == "lambda_expression":
                # `(x => body) op rest` → `x => (body op rest)`
                params, body = _lambda_parts(fixed)
                if body is None or params is None:
                    return node
                inner = self.fix(self.replace(node, first, body))
                return self.build("lambda_expression", [params, inner], {})
            if kind == "binary_expression":
                rotated = self.rotate(node, fixed)
                if rotated is not None:
                    return rotated
            if fixed is not first:
                return self.replace(node, first, fixed)
        return node

    def rotate(self, node: SyntaxNode, left: SyntaxNode) -> SyntaxNode | None:
        """`(a && b) == c` → `a && (b == c)` when the left operand binds less tightly than `node`'s
        operator (it only happens once a misplaced member access has been moved into it)."""
        operator = node.child_by_field_name("operator")
        right = node.child_by_field_name("right")
        if operator is None or right is None:
            return None
        rank = _PRECEDENCE.get(operator.type)
        if left.type == "binary_expression":
            inner = left.child_by_field_name("operator")
            inner_left = left.child_by_field_name("left")
            inner_right = left.child_by_field_name("right")
            if inner is None or inner_left is None or inner_right is None or rank is None:
                return None
            inner_rank = _PRECEDENCE.get(inner.type)
            if inner_rank is None or inner_rank >= rank:
                return None
            moved = self.fix(self.binary(inner_right, operator, right))
            return self.binary(inner_left, inner, moved)
        if left.type == "ternary_expression":
            alternative = left.child_by_field_name("alternative")
            if alternative is None:
                return None
            moved = self.fix(self.binary(alternative, operator, right))
            return self.replace(left, alternative, moved)
        return None

    def binary(self, left: SyntaxNode, operator: SyntaxNode, right: SyntaxNode) -> SyntaxNode:
        fields = {"left": left, "operator": operator, "right": right}
        return self.build("binary_expression", [left, operator, right], fields)

    def distribute(
        self, postfix: SyntaxNode, target: SyntaxNode, operator: SyntaxNode, target_field: str
    ) -> SyntaxNode:
        """`(a OP b).x` → `a OP (b.x)`, recursively down the last operand."""
        last_field = _LAST_OPERAND[operator.type]
        if last_field:
            last = operator.child_by_field_name(last_field)
        else:
            parts = [child for child in operator.named_children if not child.is_extra]
            last = parts[-1] if parts else None
        if last is None:
            return postfix
        moved = self.fix(self.replace(postfix, target, last))
        return self.replace(operator, last, moved)

    def replace(self, node: SyntaxNode, old: SyntaxNode, new: SyntaxNode) -> SyntaxNode:
        """A copy of `node` with the child `old` replaced by `new` (fields follow)."""
        children = [new if _same(child, old) else child for child in node.children]
        fields: dict[str, SyntaxNode] = {}
        for name in _FIELDS_BY_TYPE.get(node.type, _FIELDS):
            value = node.child_by_field_name(name)
            if value is not None:
                fields[name] = new if _same(value, old) else value
        return self.build(node.type, children, fields)

    def build(self, kind: str, children: list[SyntaxNode], fields: dict[str, SyntaxNode]) -> SyntaxNode:
        return Synthetic(kind, children, fields, self.data, self.delta)


def _same(a: SyntaxNode, b: SyntaxNode) -> bool:
    return a.id == b.id and a.start_byte == b.start_byte and a.end_byte == b.end_byte


def _lambda_parts(node: SyntaxNode) -> tuple[SyntaxNode | None, SyntaxNode | None]:
    parts = [child for child in node.named_children if not child.is_extra]
    if len(parts) < 2:
        return None, None
    return parts[0], parts[-1]
