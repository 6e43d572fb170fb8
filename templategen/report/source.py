"""Showing a source line under a finding: secrets masked, caret aligned, terminal-safe.

Three things make this harder than printing `line` and `" " * (column - 1) + "^"`:

* secrets: a finding about a SAS URL points at the very string that holds the signature. The line is
  passed through `redact_text`, which shortens it (`sig=abc...` becomes `sig=***`), so the caret
  columns are mapped through the redaction;
* terminal cells: a tab is up to four cells, a CJK character two, a combining accent none. Columns in
  a `Location` count characters, so the caret offset is recomputed in cells;
* hostile text: a template may contain escape sequences or bidirectional controls that would repaint
  the terminal or reorder what the reader sees; they are shown as U+FFFD.

Long lines (minified templates are one line) are trimmed to a window around the column.
"""

from __future__ import annotations

from templategen.redact import redact_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

TAB_WIDTH = 4
ELLIPSIS = "…"
REPLACEMENT = "\ufffd"

# Bidirectional formatting characters ("Trojan Source", CVE-2021-42574) and the Arabic letter mark.
_BIDI = frozenset(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)],
)


class _Hidden(str):
    """Type of the `HIDDEN` marker: compared by identity, so no real line can be mistaken for it."""

    __slots__ = ()


#: Returned by a `source_line` callable for a line that must never be printed (a protectedSettings
#: value, the value of a secure parameter). The text report then says the line is hidden and draws no
#: caret. Compare with `is`.
HIDDEN: str = _Hidden("")


class SourceLines:
    """A ready `source_line(path, line)` callable over file texts the linter already holds.

    Lines end at "\\n" or "\\r\\n" (a lone "\\r" does not end a line), the same counting as the
    positions in findings. `hide(path, first, last)` marks lines whose text must never be printed,
    typically the span of a `protectedSettings` object or a secure parameter's value; those lines are
    returned as `HIDDEN`.
    """

    __slots__ = ("_hidden", "_lines", "_texts")

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._lines: dict[str, list[str]] = {}
        self._hidden: dict[str, set[int]] = {}

    def add(self, path: str, text: str) -> None:
        """Register the decoded text of the file shown as `path` in findings (split only when asked)."""
        self._texts[path] = text
        self._lines.pop(path, None)

    def hide(self, path: str, first: int, last: int | None = None) -> None:
        """Never print lines `first`..`last` (1-based, inclusive) of `path`."""
        hidden = self._hidden.setdefault(path, set())
        hidden.update(range(first, (first if last is None else last) + 1))

    def __call__(self, path: str, line: int) -> str | None:
        if line in self._hidden.get(path, ()):
            return HIDDEN
        lines = self._lines.get(path)
        if lines is None:
            text = self._texts.get(path)
            if text is None:
                return None
            lines = self._lines[path] = text.split("\n")
        if not 1 <= line <= len(lines):
            return None
        return lines[line - 1].removesuffix("\r")


def _cell(ch: str) -> tuple[str, int]:
    """What to print for one character (never a tab) and how many terminal cells it takes."""
    code = ord(ch)
    if 0x20 <= code < 0x7F:
        return ch, 1
    if code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000 or code in _BIDI:
        return REPLACEMENT, 1
    import unicodedata  # only for lines with non-ASCII characters

    if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":
        return ch, 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return ch, 2
    return ch, 1


def printable(text: str) -> str:
    """`text` on one terminal line: secrets masked, control characters and lone surrogates escaped."""
    text = redact_text(text)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif 0xD800 <= code < 0xE000 or code in _BIDI:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def redact_mapped(line: str, indices: Iterable[int]) -> tuple[str, list[int]]:
    """Redact `line` and map 0-based character `indices` of the original onto the redacted text.

    Redaction only replaces secret values by `***`, so the text before the first change and after the
    last change is identical. Indices there map exactly; an index inside the changed stretch maps to
    its start when it is the first index given (the caret start) and to its end otherwise, so the
    caret covers the mask instead of pointing into it.
    """
    points = list(indices)
    redacted = redact_text(line)
    if redacted == line:
        return line, points
    limit = min(len(line), len(redacted))
    head = 0
    while head < limit and line[head] == redacted[head]:
        head += 1
    tail = 0
    while tail < limit - head and line[-1 - tail] == redacted[-1 - tail]:
        tail += 1
    changed_end = len(line) - tail
    shift = len(redacted) - len(line)
    mapped = []
    for n, index in enumerate(points):
        if index <= head:
            mapped.append(index)
        elif index >= changed_end:
            mapped.append(index + shift)
        else:
            mapped.append(head if n == 0 else changed_end + shift)
    return redacted, mapped


def caret_view(line: str, column: int, end_column: int | None, max_width: int) -> tuple[str, int, int]:
    """Prepare a source line for display under a finding.

    `column` is 1-based in characters; `end_column` is exclusive, or None when the span continues on
    a later line (the caret then runs to the end of this line). Returns the printable line, the cell
    where the caret starts and the caret's width in cells (at least 1).
    """
    line = line.rstrip("\r\n")
    start = min(max(column - 1, 0), len(line))
    end = len(line) if end_column is None else min(max(end_column - 1, start), len(line))
    line, (start, end) = redact_mapped(line, (start, end))

    pieces: list[str] = []
    offsets: list[int] = []
    cells = 0
    for ch in line:
        offsets.append(cells)
        if ch == "\t":
            width = TAB_WIDTH - cells % TAB_WIDTH
            pieces.append(" " * width)
        else:
            piece, width = _cell(ch)
            pieces.append(piece)
        cells += width
    offsets.append(cells)
    caret = offsets[start]
    caret_width = max(1, offsets[end] - caret)
    if cells <= max_width:
        return "".join(pieces), caret, caret_width
    return _window(pieces, offsets, caret, caret_width, max_width)


def _window(
    pieces: list[str], offsets: list[int], caret: int, caret_width: int, max_width: int
) -> tuple[str, int, int]:
    """Cut a too-wide line to `max_width` cells around the caret, marking each cut with an ellipsis."""
    total = offsets[-1]
    budget = max_width - 2  # room for an ellipsis on each side
    low = max(0, caret - budget // 3)
    high = min(total, low + budget)
    low = max(0, high - budget)
    chosen = [i for i in range(len(pieces)) if offsets[i] >= low and offsets[i + 1] <= high]
    first = offsets[chosen[0]] if chosen else caret
    last = offsets[chosen[-1] + 1] if chosen else caret
    prefix = ELLIPSIS if first > 0 else ""
    suffix = ELLIPSIS if last < total else ""
    text = prefix + "".join(pieces[i] for i in chosen) + suffix
    start = caret - first + len(prefix)
    width = max(1, min(caret_width, last - caret))
    return text, start, width
