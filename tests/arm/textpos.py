"""Test-side line splitting, written independently of the reader, to turn Locations back into offsets."""

from __future__ import annotations

import re


def line_starts(text: str) -> list[int]:
    """Offsets where lines start, the way editors split lines: CRLF, LF or a lone CR end a line."""
    return [0] + [m.end() for m in re.finditer("\r\n|\r|\n", text)]


def offset_of(text: str, line: int, column: int) -> int:
    """Offset of a 1-based line and column (columns count characters)."""
    return line_starts(text)[line - 1] + column - 1
