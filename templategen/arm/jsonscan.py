"""A validating JSON scanner that knows where every value is.

Why a second parser next to the C `json` module: `json` is fast but gives no positions and rejects
what Resource Manager accepts (comments, trailing commas, raw line breaks in strings). This scanner is
the slow, exact half of `templategen.arm.document`: it runs only when `json` refuses a file (to accept
the lenient input or to say precisely where the file is broken), and when a strict file repeats a key
(to say where).
It never builds Python values for the data itself; `json` still does that, so numbers, escapes and
surrogate pairs are decoded exactly one way.

One pass records, per RFC 6901 pointer, the offsets of the value and of its key; the leniencies found;
the spans to blank out (comments, trailing commas) so that `json` can parse the rest without any offset
moving; and the keys that repeat. The loop is iterative with an explicit stack, so nesting depth is a
bound we choose (`MAX_DEPTH`), not the interpreter's recursion limit.
"""

from __future__ import annotations

import json
import re
import sys

from templategen.arm.document import MAX_DEPTH  # one bound for both readers; see there

#: Longest integer literal `int()` converts (Python >= 3.10.7 limits it; 0 means no limit).
_INT_DIGITS = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0

_WS = re.compile(r"[ \t\n\r]*")
_SIMPLE_STRING = re.compile(r'"[^"\\\x00-\x1f]*"')
_VALID_STRING = re.compile(r'"[^"\\]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\]*)*"')
_ANY_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_ESCAPE = re.compile(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}|(.?))', re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x1f]")
_LINE_BREAK = re.compile(r"[\n\r]")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_NUMBER_LIKE = re.compile(r"[-+.\w]+")
_WORD = re.compile(r"[\w$]+")
_LINE_COMMENT_END = re.compile(r"[^\n\r]*")
# Fast paths of the scan: a plain key with its colon (and the blanks around), and a separator.
_MEMBER = re.compile(r'[ \t\n\r]*"([^"\\\x00-\x1f]*)"[ \t\n\r]*:[ \t\n\r]*')
_SEPARATOR = re.compile(r"[ \t\n\r]*([,\]}])")
_NUMBER_START = frozenset("-0123456789")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")

#: Kinds recorded in `JsonScan.leniencies`.
COMMENT = "comment"
TRAILING_COMMA = "trailing-comma"
CONTROL_CHAR = "control-char"


class ScanError(Exception):
    """Why the text is not JSON (even by Resource Manager's rules) and the character offset where."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class JsonScan:
    """What one pass over a document found.

    index       pointer -> (value start, value end, key start, key end); end offsets are exclusive;
                key offsets are -1 for the root and for array items. With a repeated key, the entry is
                the last occurrence (the one whose value the data holds, as in ARM).
    leniencies  (kind, offset) in document order: comments, trailing commas, and strings holding raw
                control characters (one entry per string, at its first such character).
    blanks      (start, end) spans of comments and trailing commas; spaces there leave valid JSON.
    duplicates  pointer -> every (key start, key end) spelling that key in the same object, in order.
    """

    __slots__ = ("blanks", "duplicates", "index", "leniencies")

    def __init__(self) -> None:
        self.index: dict[str, tuple[int, int, int, int]] = {}
        self.leniencies: list[tuple[str, int]] = []
        self.blanks: list[tuple[int, int]] = []
        self.duplicates: dict[str, list[tuple[int, int]]] = {}


def escape_token(token: str) -> str:
    """RFC 6901: `~` becomes `~0` and `/` becomes `~1` inside one reference token."""
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def describe(text: str, pos: int) -> str:
    """Name what sits at `pos` for an error message: a word, a quote, a character or the end of file."""
    if pos >= len(text):
        return "end of file"
    c = text[pos]
    if c == '"':
        return "a string"
    if c == "'":
        return "a single quote"
    if c in _WORD_CHARS:
        m = _WORD.match(text, pos)
        word = m.group(0) if m else c
        if len(word) > 40:
            word = word[:40] + "..."
        return f"'{word}'"
    if c == "\x00":
        return "a NUL byte"
    if c < " " or c == "\x7f":
        return f"the control character U+{ord(c):04X}"
    if c != " " and (c.isspace() or not c.isprintable()):
        return f"the character U+{ord(c):04X}"
    return f"'{c}'"


def _offset(leniency: tuple[str, int]) -> int:
    return leniency[1]


def _one_line(source: str) -> str:
    """`source` with control characters written as JSON escapes, so a message stays on one line."""
    return _CONTROL.sub(lambda m: json.dumps(m.group(0))[1:-1], source)


def scan(text: str) -> JsonScan:
    """Check `text` by Resource Manager's JSON rules and index every value; raise ScanError if broken."""
    return _Scanner(text).run()


class _Scanner:
    """One scan over one text; state lives in locals of `run` for speed, helpers take what they need."""

    __slots__ = ("multiline_string", "n", "result", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.result = JsonScan()
        # Start of the last string that held a raw line break, while it is the latest token: when the
        # next step fails, a missing closing quote is the likely cause and the error says so.
        self.multiline_string = -1

    def fail(self, message: str, offset: int) -> ScanError:
        if self.multiline_string >= 0:
            message += " (the string before it spans several lines: is a closing quote missing?)"
        return ScanError(message, offset)

    def skip(self, pos: int) -> int:
        """Skip whitespace and comments from `pos`; record each comment as a leniency and a blank."""
        text = self.text
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]  # `*` always matches
        while pos < self.n and text[pos] == "/":
            following = text[pos + 1 : pos + 2]
            if following == "/":
                end = _LINE_COMMENT_END.match(text, pos + 2).end()  # type: ignore[union-attr]
            elif following == "*":
                close = text.find("*/", pos + 2)
                if close < 0:
                    raise ScanError("unterminated /* comment (no closing */ before the end of file)", pos)
                end = close + 2
            else:
                raise self.fail("unexpected '/' (a comment starts with // or /*)", pos)
            self.result.leniencies.append((COMMENT, pos))
            self.result.blanks.append((pos, end))
            pos = _WS.match(text, end).end()  # type: ignore[union-attr]
        return pos

    def string_end(self, pos: int) -> int:
        """Offset just past the string literal opening at `pos`; validates escapes, notes control chars."""
        text = self.text
        m = _SIMPLE_STRING.match(text, pos)
        if m is not None:
            return m.end()
        m = _VALID_STRING.match(text, pos)
        if m is None:
            whole = _ANY_STRING.match(text, pos)
            if whole is None:
                raise ScanError("unterminated string (no closing quote before the end of file)", pos)
            for esc in _ESCAPE.finditer(text, pos, whole.end()):
                if esc.group(1) is not None:
                    start = esc.start()
                    valid = '\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX'
                    after = esc.group(1)
                    if after == "u":
                        shown = "'" + _one_line(text[start : min(start + 6, whole.end() - 1)]) + "'"
                    elif after.isprintable() and not after.isspace():
                        shown = "'\\" + after + "'"
                    else:
                        shown = "(a backslash before " + describe(text, start + 1) + ")"
                    raise ScanError(f"invalid escape {shown} in a string (valid: {valid})", start)
            raise ScanError("invalid string", pos)  # pragma: no cover - one of the escapes is bad
        end = m.end()
        ctrl = _CONTROL.search(text, pos, end)
        if ctrl is not None:
            self.result.leniencies.append((CONTROL_CHAR, ctrl.start()))
            if _LINE_BREAK.search(text, ctrl.start(), end) is not None:
                self.multiline_string = pos
        return end

    def scalar_end(self, pos: int) -> int:
        """Offset just past the number, `true`, `false` or `null` at `pos`; ScanError if it is none."""
        text = self.text
        c = text[pos]
        if c in _NUMBER_START:
            m = _NUMBER.match(text, pos)
            end = m.end() if m is not None else pos
            if m is None or (end < self.n and text[end] in _NUMBER_TAIL_CHARS):
                junk = _NUMBER_LIKE.match(text, pos)
                shown = junk.group(0) if junk is not None else c
                hint = ""
                if "Infinity" in shown or "NaN" in shown:
                    hint = " (JSON has no Infinity or NaN)"
                elif len(shown) > 1 and shown.lstrip("-")[:1] == "0" and shown.lstrip("-")[1:2].isdigit():
                    hint = " (no leading zeros in JSON numbers)"
                raise self.fail(f"invalid number {shown[:40]!r}{hint}", pos)
            digits = end - pos - (c == "-")
            if _INT_DIGITS and digits > _INT_DIGITS:
                literal = text[pos:end]
                if "." not in literal and "e" not in literal and "E" not in literal:
                    raise ScanError(f"integer with {digits} digits: more than the {_INT_DIGITS} we read", pos)
            return end
        for word in ("true", "false", "null"):
            if text.startswith(word, pos):
                end = pos + len(word)
                if end >= self.n or text[end] not in _WORD_CHARS:
                    return end
        if c in _WORD_CHARS:
            shown = describe(text, pos)
            if shown in ("'NaN'", "'Infinity'", "'undefined'"):
                hint = " (JSON has no NaN, Infinity or undefined)"
            elif shown.lower() in ("'true'", "'false'", "'null'"):
                hint = " (JSON writes true, false and null in lower case)"
            else:
                hint = " (strings need double quotes)"
            raise self.fail(f"expected a JSON value, found {shown}{hint}", pos)
        if c == "'":
            raise self.fail("strings must be in double quotes, found a single quote", pos)
        raise self.fail(f"expected a JSON value, found {describe(text, pos)}", pos)

    def key(self, pos: int, parent: str, keys: dict[str, tuple[int, int]]) -> tuple[str, int, int]:
        """Read the member key at `pos` and the colon after it: (pointer, key end, offset of the value)."""
        text = self.text
        if pos >= self.n or text[pos] != '"':
            found = describe(text, pos)
            if pos < self.n and (text[pos] in _WORD_CHARS or text[pos] == "'"):
                raise self.fail(f"property names must be in double quotes, found {found}", pos)
            raise self.fail(f"expected a property name in double quotes, found {found}", pos)
        end = self.string_end(pos)
        raw = text[pos + 1 : end - 1]
        name = json.loads(text[pos:end], strict=False) if "\\" in raw else raw
        colon = self.skip(end)
        if colon >= self.n or text[colon] != ":":
            shown = _one_line(raw if len(raw) <= 40 else raw[:40] + "...")
            raise self.fail(
                f"expected ':' after property name \"{shown}\", found {describe(text, colon)}", colon
            )
        self.multiline_string = -1
        return self.member(parent, keys, name, pos, end), end, self.skip(colon + 1)

    def member(self, parent: str, keys: dict[str, tuple[int, int]], name: str, start: int, end: int) -> str:
        """Pointer of member `name` of the object at `parent`; notes a repeated key (`keys`: seen so far)."""
        pointer = parent + "/" + escape_token(name)
        seen = keys.get(name)
        if seen is not None:
            self.forget(pointer)
            self.result.duplicates.setdefault(pointer, [seen]).append((start, end))
        keys[name] = (start, end)
        return pointer

    def forget(self, pointer: str) -> None:
        """Drop index entries below an earlier occurrence of a repeated key: its value is not in the data."""
        index = self.result.index
        prefix = pointer + "/"
        for stale in [p for p in index if p.startswith(prefix)]:
            del index[stale]
        for stale in [p for p in self.result.duplicates if p.startswith(prefix)]:
            del self.result.duplicates[stale]

    def run(self) -> JsonScan:
        """The scan proper. Each step first tries one regex for the common case (a plain key with its
        colon, a plain string, a separator) and falls back to the general helpers, which handle
        comments, escapes and errors; this keeps a whole-file index at a few times `json`'s cost."""
        text = self.text
        n = self.n
        index = self.result.index
        skip = self.skip
        member_match = _MEMBER.match
        string_match = _SIMPLE_STRING.match
        separator_match = _SEPARATOR.match
        stack: list[_Frame] = []
        pointer = ""
        key_start = key_end = -1
        pos = skip(0)
        if pos >= n:
            if self.result.leniencies:
                raise ScanError("no JSON value: the file holds only comments", pos)
            raise ScanError("the file is empty" if not text else "the file holds only whitespace", 0)
        while True:
            # --- one value at `pos`, to be filed under `pointer`
            self.multiline_string = -1
            c = text[pos] if pos < n else ""
            if c == "/":
                pos = skip(pos)
                c = text[pos] if pos < n else ""
            if c == '"':
                m = string_match(text, pos)
                end = m.end() if m is not None else self.string_end(pos)
                index[pointer] = (pos, end, key_start, key_end)
                pos = end
            elif c == "{" or c == "[":
                if len(stack) >= MAX_DEPTH:
                    raise ScanError(f"nesting deeper than {MAX_DEPTH} levels of arrays and objects", pos)
                frame = _Frame(c, pointer, pos, key_start, key_end)
                stack.append(frame)
                keys = frame.keys
                if keys is not None:
                    m = member_match(text, pos + 1)
                    if m is not None:
                        key_start = m.start(1) - 1
                        key_end = m.end(1) + 1
                        pointer = self.member(pointer, keys, m.group(1), key_start, key_end)
                        pos = m.end()
                        continue
                inner = skip(pos + 1)
                if inner < n and text[inner] == frame.closer:
                    stack.pop()
                    index[pointer] = (pos, inner + 1, key_start, key_end)
                    pos = inner + 1
                elif keys is not None:
                    key_start = inner
                    pointer, key_end, pos = self.key(inner, pointer, keys)
                    continue
                else:
                    pointer = pointer + "/0"
                    key_start = key_end = -1
                    pos = inner
                    continue
            elif not c:
                raise self.fail("expected a JSON value, found end of file", pos)
            else:
                end = self.scalar_end(pos)
                index[pointer] = (pos, end, key_start, key_end)
                pos = end
            # --- after a value: commas and closing brackets until the next value starts
            while True:
                if not stack:
                    pos = skip(pos)
                    if pos < n:
                        found = describe(text, pos)
                        raise self.fail(
                            f"unexpected {found} after the JSON value (a file holds one value)", pos
                        )
                    # a trailing comma is noted after the comments that follow it: restore file order
                    self.result.leniencies.sort(key=_offset)
                    self.result.blanks.sort()
                    return self.result
                frame = stack[-1]
                m = separator_match(text, pos)
                if m is not None:
                    pos = m.start(1)
                    c = m.group(1)
                else:
                    pos = skip(pos)
                    c = text[pos] if pos < n else ""
                closer = frame.closer
                if c == ",":
                    comma = pos
                    keys = frame.keys
                    if keys is not None:
                        m = member_match(text, pos + 1)
                        if m is not None:
                            key_start = m.start(1) - 1
                            key_end = m.end(1) + 1
                            pointer = self.member(frame.pointer, keys, m.group(1), key_start, key_end)
                            pos = m.end()
                            break
                    pos = skip(pos + 1)
                    if pos < n and text[pos] == closer:
                        self.result.leniencies.append((TRAILING_COMMA, comma))
                        self.result.blanks.append((comma, comma + 1))
                        c = closer
                    elif keys is not None:
                        key_start = pos
                        pointer, key_end, pos = self.key(pos, frame.pointer, keys)
                        break
                    else:
                        pointer = f"{frame.pointer}/{frame.items}"
                        frame.items += 1
                        key_start = key_end = -1
                        break
                if c == closer:
                    stack.pop()
                    index[frame.pointer] = (frame.start, pos + 1, frame.key_start, frame.key_end)
                    self.multiline_string = -1
                    pos += 1
                    continue
                what = "property value" if frame.keys is not None else "array item"
                hint = " (missing comma?)" if c == '"' or c in _WORD_CHARS or c in "{[" else ""
                found = describe(text, pos)
                raise self.fail(f"expected ',' or '{closer}' after {what}, found {found}{hint}", pos)


class _Frame:
    """An open array or object: where it started, its pointer and key, the keys or items seen so far."""

    __slots__ = ("closer", "items", "key_end", "key_start", "keys", "pointer", "start")

    def __init__(self, opener: str, pointer: str, start: int, key_start: int, key_end: int) -> None:
        self.closer = "}" if opener == "{" else "]"
        self.keys: dict[str, tuple[int, int]] | None = {} if opener == "{" else None
        self.items = 1  # index of the next array item (item 0 is read when the array opens)
        self.pointer = pointer
        self.start = start
        self.key_start = key_start
        self.key_end = key_end


_NUMBER_TAIL_CHARS = frozenset("0123456789.eE+-") | _WORD_CHARS
