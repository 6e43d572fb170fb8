"""Access to the tree-sitter-bicep syntax tree: parsing, literal strings, syntax errors.

tree-sitter is imported inside `parse_tree` only: `templategen lint` imports this package on its start-up
path, and most runs never meet a `.bicep` file. Everything else here works on the `Node` objects the
parser returns, so the converter never has to know about grammar quirks such as comments appearing
among the children of an object (they are "extra" nodes) or a non-null assertion `x!` being parsed as a
`nullable_type` around an expression.

Offsets are byte offsets into the UTF-8 source tree-sitter was given; `templategen.bicep.document`
turns them into 1-based line and character columns. `Unconvertible` is what the converter raises for
valid syntax it has no ARM form for (the caller drops the member and records a problem).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType
    from typing import Protocol

    from tree_sitter import Parser, Tree

    from templategen.diagnostics import Location

    class SyntaxNode(Protocol):
        """What the converter reads of a node: tree-sitter's `Node`, or a `reassociate.Synthetic`."""

        @property
        def type(self) -> str: ...
        @property
        def id(self) -> int: ...
        @property
        def is_named(self) -> bool: ...
        @property
        def is_extra(self) -> bool: ...
        @property
        def is_error(self) -> bool: ...
        @property
        def is_missing(self) -> bool: ...
        @property
        def has_error(self) -> bool: ...
        @property
        def start_byte(self) -> int: ...
        @property
        def end_byte(self) -> int: ...
        @property
        def text(self) -> bytes | None: ...
        @property
        def children(self) -> Sequence[SyntaxNode]: ...
        @property
        def named_children(self) -> Sequence[SyntaxNode]: ...
        @property
        def child_count(self) -> int: ...
        def child(self, index: int, /) -> SyntaxNode | None: ...
        def child_by_field_name(self, name: str, /) -> SyntaxNode | None: ...

    Node = SyntaxNode

_PARSER: list[Parser] = []
#: stands for a `/` the lexer would misread (see `parse_source`); never valid in Bicep source
_SLASH = b"\x01"
#: what interrupts literal text in a single-quoted string: an escape or the start of an interpolation
_STRING_SPECIAL = re.compile(rb"\\(?:u\{[0-9A-Fa-f]*\}|.)|\$\{", re.DOTALL)

#: Escape sequences of single-quoted Bicep strings (`\u{...}` is handled on its own).
_ESCAPES = {"\\\\": "\\", "\\'": "'", "\\n": "\n", "\\r": "\r", "\\t": "\t", "\\$": "$"}


class Unconvertible(Exception):
    """A construct the converter cannot express in ARM; the caller skips the enclosing member."""

    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        #: set when the error leaves a re-parsed snippet (its node's offsets are the snippet's)
        self.location: Location | None = None


#: Files up to this size are parsed directly. tree-sitter-bicep's error recovery takes quadratic time
#: on some broken text (stray double quotes, JSON-style objects, runs of `;` or `@`): 16 kB of it
#: parses in about a second, 64 kB in 15-20 s, a megabyte would take hours, and nothing can
#: interrupt the parser from inside (its progress callback is not called while it recovers).
PROBE_BYTES = 16 * 1024
#: Time a larger file may take to parse: a base plus an allowance per MiB (a valid 16 MiB file parses
#: in about 11 s on a busy 2-core machine; the largest corpus file, 52 kB, in 10 ms).
PARSE_SECONDS = 10.0
PARSE_SECONDS_PER_MIB = 4.0


class ParseBudgetExceeded(Exception):
    """tree-sitter did not finish parsing within the budget (see PROBE_BYTES), or it crashed."""


def parse_tree(source: bytes) -> Tree:
    """Parse UTF-8 Bicep source; the parser is built once per process.

    A file larger than PROBE_BYTES is first parsed in a forked child that is killed when it runs out
    of time (`ParseBudgetExceeded`); only when the child finished is the file parsed here. The price,
    a fork and a second parse for large files only, buys a bound on time that nothing else gives.
    Where `os.fork` does not exist (Windows) the file is parsed directly.
    """
    if not _PARSER:
        _PARSER.append(_new_parser())
    if len(source) > PROBE_BYTES:
        _probe(source)
    return _PARSER[0].parse(source)


def _probe(source: bytes) -> None:
    """Parse `source` in a child process; raise ParseBudgetExceeded if it does not finish in time."""
    import os

    if not hasattr(os, "fork"):
        return
    import signal
    import time

    budget = PARSE_SECONDS + PARSE_SECONDS_PER_MIB * len(source) / (1 << 20)
    pid = os.fork()
    if pid == 0:  # the child: parse, report through the exit status, skip every exit handler
        code = 1
        try:
            _PARSER[0].parse(source)
            code = 0
        finally:
            os._exit(code)
    deadline = time.monotonic() + budget
    pause = 0.0005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise ParseBudgetExceeded(
                f"the Bicep parser did not finish within {budget:.1f} s "
                "(too many syntax errors to recover from); not read"
            )
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
    if os.waitstatus_to_exitcode(status) != 0:
        raise ParseBudgetExceeded("the Bicep parser failed on this file; not read")


def _new_parser() -> Parser:
    """A tree-sitter parser for Bicep.

    The packages' `__init__` modules import `typing` and `importlib.resources` (about 20 ms together,
    more than `templategen lint` may spend starting up); their compiled `_binding` modules are all
    the parser needs, so those are loaded directly and registered under their usual names (a later
    `import tree_sitter` reuses them). Anything unexpected falls back to the documented imports.
    """
    try:
        core = _load_binding("tree_sitter")
        grammar = _load_binding("tree_sitter_bicep")
        parser: Parser = core.Parser(core.Language(grammar.language()))
        return parser
    except Exception:  # a different package layout: the public API always works
        import tree_sitter
        import tree_sitter_bicep

        return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bicep.language()))


def _load_binding(package: str) -> ModuleType:
    import sys

    name = package + "._binding"
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    import importlib.machinery
    import importlib.util
    import os

    spec = importlib.util.find_spec(package)
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        raise ImportError(f"{package} is not installed")
    for folder in folders:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, "_binding" + suffix)
            if os.path.exists(path):
                loader = importlib.machinery.ExtensionFileLoader(name, path)
                module_spec = importlib.util.spec_from_loader(name, loader)
                if module_spec is None:
                    continue
                module = importlib.util.module_from_spec(module_spec)
                loader.exec_module(module)
                sys.modules[name] = module
                return module
    raise ImportError(f"no compiled binding in {package}")


#: Deepest nesting of braces, brackets, parentheses and string interpolations read. tree-sitter's
#: error recovery is quadratic in the nesting depth (8,000 nested objects take seconds, 100,000 would
#: take many minutes), so deeper text is refused before it is parsed. Real files stay far below this.
MAX_NESTING = 256

_CODE = re.compile(rb"//[^\n]*|/\*.*?(?:\*/|\Z)|'''.*?(?:'''|\Z)|'|[{}\[\]()]", re.DOTALL)
_IN_STRING = re.compile(rb"\\.|\$\{|'", re.DOTALL)
_OPENERS = frozenset(b"{[(")


def too_deep(source: bytes, limit: int = MAX_NESTING) -> int | None:
    """The byte offset where `source` nests deeper than `limit` levels, or None.

    A small lexer: comments and multi-line strings are skipped, single-quoted strings are scanned for
    the end quote and `${` interpolations (whose `}` returns to the string), brackets counted
    elsewhere. Only files with more than `limit` opening brackets in all are scanned at all.
    """
    if source.count(b"{") + source.count(b"[") + source.count(b"(") <= limit:
        return None
    stack: list[bool] = []  # True: an interpolation (its `}` goes back into a string)
    in_string = False
    position = 0
    while True:
        match = (_IN_STRING if in_string else _CODE).search(source, position)
        if match is None:
            return None
        position = match.end()
        token = match.group()
        if in_string:
            if token == b"'":
                in_string = False
            elif token == b"${":
                stack.append(True)
                in_string = False
                if len(stack) > limit:
                    return match.start()
            continue
        if token == b"'":
            in_string = True
        elif len(token) == 1 and token[0] in _OPENERS:
            stack.append(False)
            if len(stack) > limit:
                return match.start()
        elif len(token) == 1 and stack:  # a closer; unbalanced ones are the parser's business
            in_string = stack.pop() and token == b"}"


#: `//` or `/*` right after an escape sequence inside a string (see `parse_source`)
_SLASH_AFTER_ESCAPE = re.compile(rb"(\\(?:['\\nrt$]|u\{[0-9A-Fa-f]{1,6}\}))/(?=[/*])")
#: `resourceInput<` / `resourceOutput<` (Bicep 0.34 resource-derived types), unknown to the grammar
_DERIVED_TYPE = re.compile(rb"(?<![\w$.])resource(Input|Output)(?=\s*<)")
#: a `?` ending a line when the next statement starts with a keyword: the end of a nullable type
#: (`param lock lockType?`), misread by the grammar as a ternary operator running into that statement
_TRAILING_QUESTION = re.compile(
    rb"\?(?=[ \t]*(?://[^\n]*)?(?:\r?\n[ \t]*(?:(?://|#)[^\n]*)?)*\r?\n[ \t]*"
    rb"(?:param|var|resource|module|output|type|import|metadata|extension|provider|func|targetScope|assert)\b)"
)
#: a postfix non-null assertion `x!` (not `!=`); the grammar knows it only before `.`, `[` or a line end
_ASSERTION = re.compile(rb"(?<=[\w)\]])!(?!=)")
#: a union type's leading `|` after an opening parenthesis (`(\n  | 'a'\n  | 'b')`)
_LEADING_BAR = re.compile(rb"\((?:\s|//[^\n]*)*(\|)(?!\|)")
#: the spread operator `...x` in an object or an array literal (Bicep 0.27+; not in the grammar)
_SPREAD = re.compile(rb"\.\.\.(?=[\w(\[{'])")
#: what a spread becomes: an object property `_s:x` (its key marks it), or spaces before an array item
_SPREAD_IN_OBJECT = b"_s:"
_SPREAD_IN_ARRAY = b"   "
#: tokens a rewrite must not touch: text inside strings and comments
_NOT_CODE = frozenset(("string", "string_content", "escape_sequence", "comment", "diagnostic_comment"))
#: the keyword a resource-derived type is rewritten to: `resource<'…'>` is in the grammar
_RESOURCE = b"resource"


def parse_source(source: bytes) -> Tree:
    """Parse a file, working around tree-sitter-bicep (1.1.0) mistakes on valid Bicep.

    When the first parse has errors, the text is parsed again with same-length rewrites (offsets and
    columns stay those of the file), and that tree is kept when it parses further before its first
    error:

    * inside a string, `//` or `/*` right after an escape sequence (`'a\\'//b'`) is lexed as a comment:
      the `/` becomes a placeholder byte (`string_parts` turns it back into `/`);
    * `resourceInput<'type@version'>` and `resourceOutput<…>` are unknown: they become
      `resource<…>` padded with spaces before the `<` (the converter reads both as the resource's
      type; the word after `resource` only says which side of the API it describes);
    * a non-null assertion `x!` is known only before `.`, `[` or a line end (`(x!)`, `[x!]`,
      `'${x!}'`, `f(x!, y)`, `x! == y` fail): it changes nothing in ARM, so it becomes a space;
    * a union type's leading `|` right after `(` is known only in some places (`param p (| 'a')`
      parses, the same as a property of an object type does not): it becomes a space;
    * the spread operator `...x` is unknown: in an object it becomes `_s:x` (a property whose key
      `spread_property` recognises), in an array three spaces before the item (`spread_item`);
    * `param lock lockType?` followed by a line starting with a keyword (`param`, `import`, …) is read
      as a ternary `lockType ? param …`: the `?` becomes a space, and `hidden_nullable` tells the
      converter the type was nullable.

    Rewrites happen only where the first parse saw the token itself (not inside a string or comment).
    """
    tree = parse_tree(source)
    if not tree.root_node.has_error:
        return tree
    patched = _work_around(source, tree)
    if patched == source:
        return tree
    retry = parse_tree(patched)
    if not retry.root_node.has_error:
        return retry
    return retry if _first_error_byte(retry) > _first_error_byte(tree) else tree


def _work_around(source: bytes, tree: Tree) -> bytes:
    root = tree.root_node
    patched = bytearray(source)
    if b"\\" in source:
        for match in _SLASH_AFTER_ESCAPE.finditer(source):
            patched[match.end(1)] = _SLASH[0]
    for match in _DERIVED_TYPE.finditer(source):
        token = root.descendant_for_byte_range(match.start(), match.end())
        if token is not None and token.type == "identifier" and token.start_byte == match.start():
            patched[match.start() : match.end()] = _RESOURCE.ljust(match.end() - match.start())
    for match in _ASSERTION.finditer(source):
        token = root.descendant_for_byte_range(match.start(), match.end())
        if token is not None and token.type not in _NOT_CODE:
            patched[match.start()] = ord(" ")
    for match in _LEADING_BAR.finditer(source):
        token = root.descendant_for_byte_range(match.start(1), match.end(1))
        if token is not None and token.type not in _NOT_CODE:
            patched[match.start(1)] = ord(" ")
    for match in _SPREAD.finditer(source):
        token = root.descendant_for_byte_range(match.start(), match.end())
        if token is None or token.type != "ERROR" or token.parent is None:
            continue
        if token.parent.type == "object":
            patched[match.start() : match.end()] = _SPREAD_IN_OBJECT
        elif token.parent.type == "array":
            patched[match.start() : match.end()] = _SPREAD_IN_ARRAY
    for match in _TRAILING_QUESTION.finditer(source):
        token = root.descendant_for_byte_range(match.start(), match.end())
        if token is not None and token.type == "?" and token.start_byte == match.start():
            patched[match.start()] = ord(" ")
    return bytes(patched)


def _first_error_byte(tree: Tree) -> int:
    found = first_error(tree.root_node)
    return found[0].start_byte if found is not None else len(tree.root_node.text or b"")


def spread_property(key: Node, source: bytes, delta: int = 0) -> bool:
    """True for an object property that was a spread `...x` (rewritten to `_s:x`, see `parse_source`)."""
    start = key.start_byte + delta
    return source[start : start + 3] == b"..."


def spread_item(item: Node, source: bytes, delta: int = 0) -> bool:
    """True for an array item written `...x` (the `...` was rewritten to spaces before it)."""
    start = item.start_byte + delta
    return start >= 3 and source[start - 3 : start] == b"..."


def hidden_nullable(node: Node, source: bytes) -> bool:
    """True when the `?` right after a type node was rewritten to a space (see `parse_source`): the
    node is then not wrapped in a `nullable_type`, but the file says it is nullable."""
    end = node.end_byte
    return source[end : end + 1] == b"?" and node.type != "nullable_type"


def node_text(node: Node) -> str:
    """The source text of a node (tree-sitter keeps the bytes of the parsed source)."""
    data = node.text
    return data.decode("utf-8", "replace") if data is not None else ""


def children(node: Node) -> list[Node]:
    """Named children without comments and other extras: the elements of an array, the members of
    an object, the arguments of a call."""
    return [child for child in node.named_children if not child.is_extra or child.is_error]


def field(node: Node, name: str) -> Node | None:
    return node.child_by_field_name(name)


def first_named(node: Node, *types: str) -> Node | None:
    """The first named child of one of `types` (any named, non-extra child when none are given)."""
    for child in node.named_children:
        if child.is_extra:
            continue
        if not types or child.type in types:
            return child
    return None


def unwrap(node: Node) -> Node:
    """Strip parentheses and the non-null assertion `x!` (parsed as `nullable_type` around x)."""
    while node.type in ("parenthesized_expression", "nullable_type"):
        inner = first_named(node)
        if inner is None:
            break
        node = inner
    return node


def decode_escape(sequence: str) -> str:
    """The character a `\\…` escape of a single-quoted string stands for; unknown ones stay as written."""
    known = _ESCAPES.get(sequence)
    if known is not None:
        return known
    if sequence.startswith("\\u{") and sequence.endswith("}"):
        try:
            return chr(int(sequence[3:-1], 16))
        except ValueError:
            return sequence
    return sequence


def is_multiline(node: Node) -> bool:
    """True for a `'''…'''` string (verbatim: no escapes, no interpolation)."""
    first = node.child(0)
    return first is not None and first.type == "'''"


def string_parts(node: Node) -> list[str | Node]:
    """The parts of a `string` node: decoded literal text and interpolated expression nodes.

    Adjacent literal pieces are merged. A multi-line string is verbatim, minus one line break right
    after the opening `'''` (Bicep drops it).
    """
    if is_multiline(node):
        data = node.text or b""
        body = data[3:-3] if data.endswith(b"'''") and len(data) >= 6 else data[3:]
        text = body.decode("utf-8", "replace").replace("\x01", "/")
        if text.startswith("\r\n"):
            text = text[2:]
        elif text.startswith("\n"):
            text = text[1:]
        return [text]
    data = node.text or b""
    stop = len(data) - 1 if len(data) >= 2 and data.endswith(b"'") else len(data)
    if b"\\" not in data and b"${" not in data:  # the common case: plain text
        text = data[1:stop].decode("utf-8", "replace")
        return [text.replace("\x01", "/") if "\x01" in text else text]
    base = node.start_byte
    interpolations = [child for child in node.children if child.type == "interpolation"]
    parts: list[str | Node] = []
    pending = bytearray()
    position = 1  # after the opening quote
    # the text is scanned rather than read from `string_content` nodes: the grammar leaves
    # whitespace-only content out of them (`'${a} ${b}'` would lose its space)
    while True:
        match = _STRING_SPECIAL.search(data, position, stop)
        if match is None:
            pending += data[position:stop]
            break
        pending += data[position : match.start()]
        token = match.group()
        if token != b"${":
            pending += decode_escape(token.decode("utf-8", "replace")).encode("utf-8")
            position = match.end()
            continue
        if not interpolations:
            pending += token
            position = match.end()
            continue
        interpolation = interpolations.pop(0)
        inner = first_named(interpolation)
        if pending:
            parts.append(pending.decode("utf-8", "replace"))
            pending = bytearray()
        if inner is not None:
            parts.append(inner)
        position = max(interpolation.end_byte - base, match.end())
    if pending or not parts:
        parts.append(pending.decode("utf-8", "replace"))
    _merge_literals(parts)
    return parts


def _merge_literals(parts: list[str | Node]) -> None:
    """Placeholder bytes (see `parse_source`) back to `/` in literal parts."""
    for index, part in enumerate(parts):
        if isinstance(part, str) and "\x01" in part:
            parts[index] = part.replace("\x01", "/")


def literal_string(node: Node) -> str | None:
    """The value of a string without interpolation, else None."""
    if node.type != "string":
        return None
    parts = string_parts(node)
    if not parts:
        return ""
    if len(parts) == 1 and isinstance(parts[0], str):
        return parts[0]
    return None


def first_error(root: Node) -> tuple[Node, int] | None:
    """The first ERROR or MISSING node in document order, and how many error regions there are.

    Nested errors inside an ERROR node count once: what matters to a user is where the parser first
    lost track.
    """
    if not root.has_error:
        return None
    found: Node | None = None
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
            if found is None:
                found = node
            continue
        if node.has_error:
            stack.extend(reversed(node.children))
    if found is None:  # has_error without a visible error node: point at the root
        return root, 1
    return found, count


def error_message(node: Node, source: bytes = b"") -> str:
    """A one-line message for an ERROR or MISSING node (`source`: the parsed bytes, for context)."""
    if node.is_missing:
        kind = node.type
        what = f"'{kind}'" if not node.is_named else kind.replace("_", " ")
        before = source[: node.start_byte].rstrip().rsplit(None, 1)
        if before and before[-1]:
            token = _shown(before[-1].decode("utf-8", "replace")[-40:])
            return f"Bicep syntax error: expected {what} after '{token}'"
        return f"Bicep syntax error: expected {what}"
    text = " ".join(node_text(node).split())  # the text the parser could not place, on one line
    if len(text) > 40:
        text = text[:37] + "..."
    if not text:
        return "Bicep syntax error"
    return f"Bicep syntax error: unexpected '{_shown(text)}'"


def _shown(text: str) -> str:
    """Source text quoted in a message: string contents masked (the text around a syntax error may
    be a password: the parse failed, so nothing says it is not), unprintable characters escaped."""
    from templategen.literals import mask_literals

    return _printable(mask_literals(text, "bicep"))


def _printable(text: str) -> str:
    """`text` with control and other unprintable characters written as escapes (`\\x00`)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
