"""Source files and the pointer → span table that lets a finding on converted data point into Bicep.

A rule reports on the ARM-shaped data (`/resources/2/properties/policyId`); the converter records, for
every value and key it writes, the byte span of the Bicep node it came from. Spans are turned into
line/column only when a finding asks, so a clean file pays for a dict insert per value and nothing
more. A module's inlined template keeps spans into the module's own file: each span carries its
`Source`.
"""

from __future__ import annotations

from bisect import bisect_right

from templategen.arm.names import split_pointer
from templategen.diagnostics import Location

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from templategen.bicep.syntax import Node


class Source:
    """One Bicep file: display path, decoded text, the UTF-8 bytes tree-sitter parsed, line starts."""

    __slots__ = ("data", "delta", "line_starts", "path", "text")

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.data = text.encode("utf-8", "surrogatepass")
        #: added to every offset: non-zero for a snippet parsed on its own (see `shifted`)
        self.delta = 0
        starts = [0]
        find = self.data.find
        index = find(b"\n")
        while index >= 0:
            starts.append(index + 1)
            index = find(b"\n", index + 1)
        self.line_starts = starts

    def shifted(self, delta: int) -> Source:
        """The same file seen from a snippet re-parsed on its own, whose offset 0 is at `delta`."""
        copy = Source.__new__(Source)
        copy.path = self.path
        copy.text = self.text
        copy.data = self.data
        copy.line_starts = self.line_starts
        copy.delta = delta
        return copy

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a byte offset, the column counted in characters."""
        offset = max(0, min(offset, len(self.data)))
        line = bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[line]
        column = len(self.data[start:offset].decode("utf-8", "replace")) + 1
        return line + 1, column

    def location(self, start: int, end: int, pointer: str = "") -> Location:
        line, column = self.position(start + self.delta)
        end_line, end_column = self.position(end + self.delta)
        return Location(self.path, line, column, end_line, end_column, pointer)

    def node_location(self, node: Node, pointer: str = "") -> Location:
        return self.location(node.start_byte, node.end_byte, pointer)


class SpanTable:
    """pointer → (source, start byte, end byte) for values, and the same for keys (`locate_key`)."""

    __slots__ = ("keys", "values")

    def __init__(self) -> None:
        self.values: dict[str, tuple[Source, int, int]] = {}
        self.keys: dict[str, tuple[Source, int, int]] = {}

    def value(self, pointer: str, source: Source, node: Node) -> None:
        self.values[pointer] = (source, node.start_byte, node.end_byte)

    def key(self, pointer: str, source: Source, node: Node) -> None:
        self.keys[pointer] = (source, node.start_byte, node.end_byte)

    def find(self, pointer: str, table: dict[str, tuple[Source, int, int]]) -> tuple[Source, int, int] | None:
        """The span at `pointer` or at its nearest recorded ancestor."""
        found = table.get(pointer)
        if found is not None:
            return found
        try:
            tokens = split_pointer(pointer)
        except ValueError:
            return self.values.get("")
        while tokens:
            tokens.pop()
            candidate = _join(tokens)
            found = self.values.get(candidate)
            if found is not None:
                return found
        return None


def _join(tokens: list[str]) -> str:
    return "".join("/" + token.replace("~", "~0").replace("/", "~1") for token in tokens)
