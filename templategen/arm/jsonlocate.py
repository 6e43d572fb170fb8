"""Find a value of a strict JSON text by walking its pointer, indexing only the containers on the way.

Why not index the whole file: a finding names a handful of values, and a full scan costs a Python step
per token (about fifteen times `json.loads`). Walking `/resources/3/properties/x` instead lists the
members of the root, of `resources`, of item 3 and of `properties` only, and skips every sibling with
the C scanner of the `json` module, so the first `locate` of a file costs about one `json.loads` of the
parts it passes. Each container's member table is kept, so later findings in the same file are cheap.

Only for text that `json` already accepted as strict JSON: no comments, no trailing commas. Lenient
files are indexed in full by `templategen.arm.jsonscan` while they are read.
"""

from __future__ import annotations

import json
import re

_WS = re.compile(r"[ \t\n\r]*")
_MEMBER = re.compile(r'[ \t\n\r]*"([^"\\\x00-\x1f]*)"[ \t\n\r]*:[ \t\n\r]*')
_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")

#: (value start, value end, key start, key end); key offsets are -1 where there is no key.
Entry = tuple[int, int, int, int]

# `raw_decode(text, start)` parses the one value at `start` in C and tells where it ends. Not strict:
# lenient files keep raw control characters in strings (their comments are blanked out by then).
_raw_decode = json.JSONDecoder(strict=False).raw_decode


def unescape_token(token: str) -> str:
    """RFC 6901: `~1` is `/` and `~0` is `~` inside one reference token (in that order)."""
    if "~" in token:
        return token.replace("~1", "/").replace("~0", "~")
    return token


class PathIndex:
    """Member tables of the containers visited so far, keyed by the container's start offset."""

    __slots__ = ("_arrays", "_objects", "root", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        start = _WS.match(text).end()  # type: ignore[union-attr]  # `*` always matches
        self.root: Entry = (start, len(text.rstrip(" \t\n\r")), -1, -1)
        self._objects: dict[int, dict[str, Entry]] = {}
        self._arrays: dict[int, _ArrayState] = {}

    def lookup(self, pointer: str) -> tuple[Entry, bool]:
        """The entry of `pointer`, or of its deepest ancestor present, and whether it was found whole."""
        entry = self.root
        if not pointer:
            return entry, True
        if pointer[0] != "/":
            return entry, False
        text = self.text
        for token in pointer[1:].split("/"):
            start = entry[0]
            opener = text[start]
            child: Entry | None = None
            if opener == "{":
                child = self._object(start).get(unescape_token(token))
            elif opener == "[" and _ARRAY_INDEX.fullmatch(token):
                child = self._item(start, int(token))
            if child is None:
                return entry, False
            entry = child
        return entry, True

    def _object(self, start: int) -> dict[str, Entry]:
        table = self._objects.get(start)
        if table is not None:
            return table
        table = {}
        text = self.text
        pos = _WS.match(text, start + 1).end()  # type: ignore[union-attr]
        if text[pos] != "}":
            while True:
                m = _MEMBER.match(text, pos)
                if m is not None:
                    name = m.group(1)
                    key_start, key_end = m.start(1) - 1, m.end(1) + 1
                    pos = m.end()
                else:  # a key with escapes
                    key_start = _WS.match(text, pos).end()  # type: ignore[union-attr]
                    name, key_end = _raw_decode(text, key_start)
                    colon = _WS.match(text, key_end).end()  # type: ignore[union-attr]
                    pos = _WS.match(text, colon + 1).end()  # type: ignore[union-attr]
                end = _raw_decode(text, pos)[1]
                table[name] = (pos, end, key_start, key_end)  # a repeated key: the last one wins, as in json
                pos = _WS.match(text, end).end()  # type: ignore[union-attr]
                if text[pos] != ",":
                    break
                pos += 1
        self._objects[start] = table
        return table

    def _item(self, start: int, number: int) -> Entry | None:
        """Item `number` of the array at `start`. Items are listed only as far as asked: a finding
        about item 3 of a 100,000-item array reads four items, not the whole array."""
        state = self._arrays.get(start)
        if state is None:
            state = _ArrayState(_WS.match(self.text, start + 1).end())  # type: ignore[union-attr]
            self._arrays[start] = state
        items = state.items
        text = self.text
        pos = state.next
        while len(items) <= number and pos >= 0:
            if text[pos] == "]":
                pos = -1
                break
            end = _raw_decode(text, pos)[1]
            items.append((pos, end, -1, -1))
            pos = _WS.match(text, end).end()  # type: ignore[union-attr]
            pos = _WS.match(text, pos + 1).end() if text[pos] == "," else -1  # type: ignore[union-attr]
        state.next = pos
        return items[number] if number < len(items) else None


class _ArrayState:
    """The items of one array listed so far, and where the next one starts (-1: no more)."""

    __slots__ = ("items", "next")

    def __init__(self, first: int) -> None:
        self.items: list[Entry] = []
        self.next = first
