"""The ARM template expression language: recognise, tokenize, parse, walk and print expressions.

A JSON string value is an *expression* when it starts with `[` and ends with `]` (and does not start
with `[[`, the escape for a literal that looks like one). Inside the brackets the grammar is small:

    top        := call postfix*
    expression := primary postfix*
    primary    := STRING | INTEGER | call
    call       := NAME ( "." NAME )? "(" [ expression ( "," expression )* ] ")"
    postfix    := "." NAME | "[" expression "]"

* STRING is single-quoted; a quote inside is written twice (`'it''s'`).
* INTEGER is a run of digits with an optional leading `-`. There are no decimal literals: ARM
  templates write `json('1.5')`, so `1.5` is an error with that hint.
* Function names are case-insensitive and kept as written; `ns.fn(...)` calls a user-defined function.
* There are no bare keywords. `true`, `false` and `null` are the zero-argument functions `true()`,
  `false()` and `null()` (that is how the Microsoft reference documents them and how Bicep compiles its
  keywords); a bare `true` is reported with that hint rather than silently accepted.
* An expression starts with a function call: `['abc']` or `[42]` is rejected (the literal needs no
  brackets). Microsoft's own parser in the VS Code ARM tools reports "Template language expressions
  must start with a function", and none of the 55,000 expressions of the quickstart corpus does
  otherwise. Literals appear as arguments and indexes.
* `.name` and `[index]` may only follow a function call (or another `.name` / `[index]`): Resource
  Manager attaches property access to function calls, so `f('abc'[0])` is not an expression it
  accepts.
* Whitespace between tokens is ignored.

Every node keeps `start`/`end`: character offsets into the JSON string value, *including* the leading
`[`, so a finding can point inside the string (`JsonDocument.locate(pointer, offset)`). Nodes built by
other readers (Bicep) use offsets 0. Nodes are immutable by convention (never assign to their slots:
`parse_cached` shares them between callers) and compare structurally, ignoring offsets.

Bounds (hostile input, issue 7): an expression longer than 24,576 characters (Resource Manager's
documented limit) is rejected before it is tokenized, and nesting deeper than `MAX_DEPTH` levels is an
`ExpressionError`, so parsing never hits Python's recursion limit and every other recursive consumer of
the tree (printing, comparison, evaluation) is safe too.

This module is on the start-up path of `templategen lint`: it imports only `re` (which the lint path
needs anyway) and `functools` (which `re` loads), and uses plain classes with `__slots__`.
"""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import NoReturn

#: Resource Manager's documented maximum length of a template expression, in characters.
MAX_LENGTH = 24_576
#: Deepest nesting of calls, member accesses and indexes accepted. Real templates stay far below it
#: (the tallest tree in the quickstart corpus has 14 levels); the bound keeps every recursive walk of
#: a parsed tree safe.
MAX_DEPTH = 128
#: Largest number of distinct expression strings `parse_cached` keeps.
CACHE_SIZE = 16_384

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1

# One token, after optional whitespace. A string ends at a quote that is not followed by another quote
# (`''` is an escaped quote), so `'it''s` is one unterminated literal, not `'it'` followed by junk.
# Identifiers are letters, digits and underscores, any Unicode letter; the ASCII branch comes first
# because it is much faster than the Unicode class. `x` catches any other character, so the matches
# cover the text without gaps and `finditer` can drive the tokenizer.
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<p>[()\[\],.])
      | (?P<i>[A-Za-z_]\w*|[^\W\d]\w*)
      | (?P<s>'[^']*(?:''[^']*)*'(?!'))
      | (?P<n>-?[0-9]+)
      | (?P<x>\S)
    )""",
    re.VERBOSE,
)
_IDENTIFIER = re.compile(r"[^\W\d]\w*")

_KEYWORD_FUNCTIONS = {"true": "true()", "false": "false()", "null": "null()"}


class ExpressionError(Exception):
    """An expression that Resource Manager would reject, with the span of the problem.

    `start`/`end` are offsets into the JSON string value (the leading `[` is offset 0), so the finding
    points at the offending character rather than at the start of the string. The message never quotes
    string literals from the template (they may hold secrets); it names tokens by kind.
    """

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end

    def __reduce__(self) -> tuple[type[ExpressionError], tuple[str, int, int]]:
        # Keeps the offsets when a finding crosses a process boundary (`lint -j N`).
        return (ExpressionError, (self.message, self.start, self.end))

    def __repr__(self) -> str:
        return f"ExpressionError({self.message!r}, {self.start}, {self.end})"


class Expr:
    """Base of every expression node: the span it covers in the JSON string value."""

    __slots__ = ("end", "start")

    start: int
    end: int

    def _key(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        # Structural: same node kinds and values, offsets ignored (Bicep-built trees have offsets 0).
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Expr)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __repr__(self) -> str:
        fields = ", ".join(repr(v) for v in self._key())
        return f"{type(self).__name__}({fields})"


class StringLit(Expr):
    """A string literal; `value` has the `''` escapes already undone."""

    __slots__ = ("value",)

    def __init__(self, value: str, start: int = 0, end: int = 0) -> None:
        self.value = value
        self.start = start
        self.end = end

    def _key(self) -> tuple[object, ...]:
        return (self.value,)


class IntLit(Expr):
    """An integer literal (64-bit, possibly negative)."""

    __slots__ = ("value",)

    def __init__(self, value: int, start: int = 0, end: int = 0) -> None:
        self.value = value
        self.start = start
        self.end = end

    def _key(self) -> tuple[object, ...]:
        return (self.value,)


class Call(Expr):
    """A function call. `name` is spelled as written (`resourceId`, `RESOURCEID`, or `ns.fn` for a
    user-defined function); `name_start`/`name_end` is the span of the name, where "unknown function"
    and "wrong number of arguments" findings point."""

    __slots__ = ("args", "name", "name_end", "name_start")

    def __init__(
        self,
        name: str,
        args: tuple[Expr, ...] | list[Expr] = (),
        start: int = 0,
        end: int = 0,
        name_start: int | None = None,
        name_end: int | None = None,
    ) -> None:
        self.name = name
        self.args: tuple[Expr, ...] = tuple(args)
        self.start = start
        self.end = end
        # Defaults suit trees built by other readers: offsets 0 stay 0.
        self.name_start = start if name_start is None else name_start
        if name_end is None:
            name_end = self.name_start + len(name) if end > start else self.name_start
        self.name_end = name_end

    @property
    def lower_name(self) -> str:
        """The name in lower case: the key for function tables (ARM names are case-insensitive)."""
        return self.name.lower()

    @property
    def namespace(self) -> str | None:
        """`ns` for a user-defined function call `ns.fn(...)`, None for a built-in function."""
        dot = self.name.find(".")
        return self.name[:dot] if dot >= 0 else None

    @property
    def member(self) -> str:
        """The function name without its namespace (`fn` for `ns.fn`)."""
        return self.name[self.name.find(".") + 1 :]

    def _key(self) -> tuple[object, ...]:
        return (self.name, self.args)


class Member(Expr):
    """Property access `target.name`."""

    __slots__ = ("name", "target")

    def __init__(self, target: Expr, name: str, start: int = 0, end: int = 0) -> None:
        self.target = target
        self.name = name
        self.start = start
        self.end = end

    def _key(self) -> tuple[object, ...]:
        return (self.target, self.name)


class Index(Expr):
    """Index or key access `target[index]` (`a[0]`, `a['key']`, `a[copyIndex()]`)."""

    __slots__ = ("index", "target")

    def __init__(self, target: Expr, index: Expr, start: int = 0, end: int = 0) -> None:
        self.target = target
        self.index = index
        self.start = start
        self.end = end

    def _key(self) -> tuple[object, ...]:
        return (self.target, self.index)


# --- recognising expressions -------------------------------------------------------------------------


def is_expression(value: object) -> bool:
    """True when `value` is a string Resource Manager evaluates: `[...]`, but not the `[[...]` escape.

    A string that starts with `[` but does not end with `]` (`"[test] value"`) is a plain literal.
    Accepts any JSON value so a walker can call it on every leaf.
    """
    return type(value) is str and len(value) >= 2 and value[0] == "[" and value[-1] == "]" and value[1] != "["


def unescape_literal(value: str) -> str:
    """The string a non-expression value stands for: `[[x]` means the literal `[x]`.

    Only a value that starts with `[[` *and* ends with `]` is an escape; anything else (including
    `[[x` without the closing bracket) is taken as written, as Resource Manager does.
    """
    if value.startswith("[[") and value.endswith("]"):
        return value[1:]
    return value


# --- parsing -----------------------------------------------------------------------------------------

# A token: (kind, start, end, text). kind is "s" (string), "n" (integer), "i" (identifier), the
# punctuation character itself, "?" (a character that starts no token) or "end" (the sentinel that
# closes every token list, at the offset of the closing ']': the parser never runs off the list).
_Token = tuple[str, int, int, str]
_END = "end"


def _tokenize(value: str, stop: int) -> list[_Token]:
    """Split `value[1:stop]` into tokens; raise ExpressionError at the first character that is none."""
    tokens: list[_Token] = []
    append = tokens.append
    for m in _TOKEN.finditer(value, 1, stop):
        kind = m.lastgroup
        assert kind is not None
        start = m.start(kind)
        end = m.end()
        text = value[start:end]
        if kind == "p":
            kind = text
        elif kind == "x":
            _raise_bad_character(value, start, stop)
        append((kind, start, end, text))
    append((_END, stop, stop, ""))
    return tokens


def _raise_bad_character(value: str, at: int, stop: int) -> NoReturn:
    char = value[at]
    if char == "'":
        raise ExpressionError("unterminated string literal: no closing quote (')", at, stop)
    if char == "-":
        raise ExpressionError("'-' must be followed by digits (there are no operators)", at, at + 1)
    if char == '"':
        raise ExpressionError("string literals use single quotes ('), not double quotes (\")", at, at + 1)
    raise ExpressionError(f"unexpected character {char!r}", at, at + 1)


def _describe(token: _Token) -> str:
    kind = token[0]
    if kind == _END:
        return "the end of the expression"
    if kind == "s":
        return "a string literal"
    if kind == "n":
        return f"the number {token[3]}"
    if kind == "i":
        return f"'{token[3]}'"
    return f"'{kind}'"


def _error_at(token: _Token, message: str) -> ExpressionError:
    return ExpressionError(message, token[1], token[2])


def _too_deep(token: _Token) -> ExpressionError:
    return _error_at(token, f"expression nested deeper than {MAX_DEPTH} levels")


class _Parser:
    """Recursive descent over the token list.

    `depth` bounds the parser's own recursion before it happens; `height` is the height of the tree
    parsed last and bounds the finished tree, which a long `.a.b.c...` chain makes deep without any
    recursion. Both stay within MAX_DEPTH.
    """

    __slots__ = ("height", "pos", "tokens")

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.height = 0

    def expression(self, depth: int) -> Expr:
        node = self.primary(depth)
        tokens = self.tokens
        while True:
            token = tokens[self.pos]
            kind = token[0]
            if kind != "." and kind != "[":
                return node
            depth += 1
            if depth > MAX_DEPTH or self.height >= MAX_DEPTH:
                raise _too_deep(token)
            if not isinstance(node, (Call, Member, Index)):
                raise _error_at(
                    token, f"'{kind}' must follow a function call; a literal has no properties or elements"
                )
            self.pos += 1
            if kind == ".":
                name = tokens[self.pos]
                if name[0] != "i":
                    raise _error_at(name, f"expected a property name after '.', found {_describe(name)}")
                self.pos += 1
                if tokens[self.pos][0] == "(":
                    raise _error_at(
                        tokens[self.pos],
                        "a property cannot be called; user-defined functions are written namespace.name(...)",
                    )
                node = Member(node, name[3], node.start, name[2])
                self.height += 1
            else:
                target_height = self.height
                index = self.expression(depth)
                close = tokens[self.pos]
                if close[0] != "]":
                    raise _error_at(close, f"expected ']' to close the index, found {_describe(close)}")
                self.pos += 1
                node = Index(node, index, node.start, close[2])
                self.height = max(target_height, self.height) + 1
                if self.height > MAX_DEPTH:
                    raise _too_deep(close)

    def primary(self, depth: int) -> Expr:
        token = self.tokens[self.pos]
        if depth > MAX_DEPTH:
            raise _too_deep(token)
        kind, start, end, text = token
        if kind == "i":
            return self.call(token, depth)
        self.height = 1
        if kind == "s":
            self.pos += 1
            return StringLit(text[1:-1].replace("''", "'"), start, end)
        if kind == "n":
            self.pos += 1
            following = self.tokens[self.pos]
            if following[0] == "." and following[1] == end:
                digits = self.tokens[self.pos + 1]
                if digits[0] == "n" and digits[1] == following[2]:
                    raise ExpressionError(
                        f"decimal numbers are not supported; write json('{text}.{digits[3]}')",
                        start,
                        digits[2],
                    )
            number = int(text)
            if not _INT64_MIN <= number <= _INT64_MAX:
                raise ExpressionError("integer out of range (64-bit)", start, end)
            return IntLit(number, start, end)
        raise _error_at(token, f"expected a function call, a string or an integer, found {_describe(token)}")

    def call(self, first: _Token, depth: int) -> Call:
        tokens = self.tokens
        name = first[3]
        name_start = first[1]
        name_end = first[2]
        self.pos += 1
        token = tokens[self.pos]
        if token[0] == "." and tokens[self.pos + 1][0] == "i" and tokens[self.pos + 2][0] == "(":
            member = tokens[self.pos + 1]
            name = name + "." + member[3]
            name_end = member[2]
            self.pos += 2
            token = tokens[self.pos]
        if token[0] != "(":
            hint = _KEYWORD_FUNCTIONS.get(name.lower())
            if hint is not None:
                message = f"'{name}' is not a keyword in ARM expressions; call the function {hint}"
            else:
                message = f"expected '(' after the function name '{name}', found {_describe(token)}"
            raise ExpressionError(message, name_start, name_end)
        self.pos += 1
        token = tokens[self.pos]
        if token[0] == ")":
            self.pos += 1
            self.height = 1
            return Call(name, (), name_start, token[2], name_start, name_end)
        args: list[Expr] = []
        height = 0
        while True:
            kind = token[0]
            if kind == _END:
                raise _error_at(token, f"missing ')' to close the call of '{name}'")
            if kind == "," or kind == ")":
                raise _error_at(token, f"expected an argument, found {_describe(token)}")
            args.append(self.expression(depth + 1))
            if self.height > height:
                height = self.height
            token = tokens[self.pos]
            kind = token[0]
            if kind == ")":
                self.pos += 1
                self.height = height + 1
                if self.height > MAX_DEPTH:
                    raise _too_deep(first)
                return Call(name, tuple(args), name_start, token[2], name_start, name_end)
            if kind == _END:
                raise _error_at(token, f"missing ')' to close the call of '{name}'")
            if kind != ",":
                raise _error_at(
                    token, f"expected ',' or ')' after an argument of '{name}', found {_describe(token)}"
                )
            self.pos += 1
            token = tokens[self.pos]


def parse_expression(value: str) -> Expr:
    """Parse the JSON string value `value` (brackets included) into an expression tree.

    Raises ValueError when `value` is not an expression at all (check `is_expression` first) and
    ExpressionError, with the offsets of the problem inside `value`, when it is a malformed one.
    """
    if not is_expression(value):
        raise ValueError("not an ARM expression (expected '[...]' that does not start with '[[')")
    length = len(value)
    if length > MAX_LENGTH:
        raise ExpressionError(
            f"expression is {length:,} characters long; Resource Manager accepts at most {MAX_LENGTH:,}",
            MAX_LENGTH,
            length,
        )
    tokens = _tokenize(value, length - 1)
    first = tokens[0]
    if first[0] == _END:
        raise ExpressionError("empty expression '[]'; write '[[]' for the literal text '[]'", 0, length)
    if first[0] == "s" or first[0] == "n":
        raise _error_at(first, "an expression must start with a function call; a literal needs no brackets")
    parser = _Parser(tokens)
    node = parser.expression(0)
    extra = tokens[parser.pos]
    if extra[0] != _END:
        raise ExpressionError(
            f"unexpected {_describe(extra)} after the end of the expression", extra[1], tokens[-2][2]
        )
    return node


@lru_cache(maxsize=CACHE_SIZE)
def parse_cached(value: str) -> Expr | ExpressionError:
    """`parse_expression` memoized: the tree, or the error as a value (real templates repeat the same
    `parameters('x')` hundreds of times). The returned trees are shared: never modify them. Like
    `parse_expression`, raises ValueError for a value that is not an expression."""
    try:
        return parse_expression(value)
    except ExpressionError as error:
        return error


# --- using trees -------------------------------------------------------------------------------------


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of `expr`, in source order."""
    if isinstance(expr, Call):
        return expr.args
    if isinstance(expr, Member):
        return (expr.target,)
    if isinstance(expr, Index):
        return (expr.target, expr.index)
    return ()


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of the tree: a node before its sub-expressions, siblings in source order.

    Iterative, so it works on trees of any depth (including hand-built ones).
    """
    stack = [expr]
    pop = stack.pop
    extend = stack.extend
    while stack:
        node = pop()
        yield node
        sub = children(node)
        if sub:
            extend(reversed(sub))


def calls(expr: Expr) -> Iterator[Call]:
    """Every function call in the tree, outermost first."""
    for node in walk(expr):
        if isinstance(node, Call):
            yield node


def quote(text: str) -> str:
    """`text` as an ARM string literal (single quotes, `'` doubled)."""
    return "'" + text.replace("'", "''") + "'"


def to_source(expr: Expr, spell: Callable[[Expr], str | None] | None = None) -> str:
    """The expression in ARM syntax, without the surrounding brackets (for messages and fixes).

    `parse_expression("[" + to_source(e) + "]") == e` for every tree the parser can produce. A member
    name that is not an identifier (possible in trees built from Bicep) is printed as `['name']`.
    `spell`, when given, may print a node its own way (the evaluator prints `copyIndex()` as the
    copy's index); it returns None for the nodes it leaves to this function.
    """
    if spell is not None:
        spelled = spell(expr)
        if spelled is not None:
            return spelled
    if isinstance(expr, StringLit):
        return quote(expr.value)
    if isinstance(expr, IntLit):
        return str(expr.value)
    if isinstance(expr, Call):
        return expr.name + "(" + ", ".join(to_source(arg, spell) for arg in expr.args) + ")"
    if isinstance(expr, Member):
        if _IDENTIFIER.fullmatch(expr.name):
            return to_source(expr.target, spell) + "." + expr.name
        return to_source(expr.target, spell) + "[" + quote(expr.name) + "]"
    if isinstance(expr, Index):
        return to_source(expr.target, spell) + "[" + to_source(expr.index, spell) + "]"
    raise TypeError(f"not an expression node: {expr!r}")
