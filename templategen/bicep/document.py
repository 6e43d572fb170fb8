"""A Bicep file read into ARM-shaped data, with the locating API of the JSON reader.

`BicepDocument` stands where `templategen.arm.document.JsonDocument` stands for ARM JSON: the
template model is built from its `data` (`templategen.arm.template.build_template(document)`), and a
rule that reports at a pointer of that data gets back a `Location` in the Bicep source: the property
value, the declaration, the decorator the value came from (or, for a pointer the converter did not
write, the nearest one it did).

Bad input never raises past `load_bicep_file`: text that is not UTF-8 is an `InputError` with a
position (exit 2); a syntax error is listed in `errors` with the position of the first node the parser
could not place, and whatever tree-sitter recovered is still converted.
"""

from __future__ import annotations

from templategen.bicep.convert import Converter, ModuleContext
from templategen.bicep.paths import is_inside, outside_message, project_root
from templategen.bicep.source import Source, SpanTable
from templategen.bicep.syntax import (
    MAX_NESTING,
    ParseBudgetExceeded,
    error_message,
    first_error,
    parse_source,
    too_deep,
)
from templategen.diagnostics import InputError, Location, one_line
from templategen.reading import FileTooLarge, read_bytes

#: Largest Bicep file read (as for JSON: Resource Manager refuses templates above 4 MB; the largest
#: Bicep file of the corpus has 52 kB); bounds memory on hostile input.
MAX_FILE_BYTES = 16 * 1024 * 1024

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from templategen.bicep.symbols import ModuleSymbol


class BicepDocument:
    """A parsed and converted Bicep file.

    path      display path
    text      the decoded text (BOM removed)
    data      the ARM-shaped template data (plain dict/list/str/int/bool/None)
    errors    syntax errors as (message, Location): at most one, at the first error node, its message
              saying how many more there are
    problems  (Location, message) for what was read but not converted (an unknown construct, a module
              that could not be read, a duplicate name); the data lacks only that piece
    symbols   pointer of each emitted resource or module → its Bicep symbolic name (for messages)
    files     display path → text of every file read: this one and its local modules (a location
              inside a module's template names the module's file)
    """

    __slots__ = ("data", "errors", "files", "path", "problems", "source", "spans", "symbols", "text")

    def __init__(
        self,
        source: Source,
        data: dict[str, object],
        spans: SpanTable,
        errors: list[tuple[str, Location]],
        problems: list[tuple[Location, str]],
        symbols: dict[str, str],
        files: dict[str, str],
    ) -> None:
        self.source = source
        self.files = files
        self.path = source.path
        self.text = source.text
        self.data = data
        self.spans = spans
        self.errors = errors
        self.problems = problems
        self.symbols = symbols

    def locate(self, pointer: str, offset: int | None = None, end_offset: int | None = None) -> Location:
        """Span of the Bicep node the value at `pointer` came from (nearest recorded ancestor when
        the converter wrote that value itself). `offset`/`end_offset` (positions inside an ARM
        expression string) have no Bicep counterpart and are ignored."""
        found = self.spans.find(pointer, self.spans.values)
        if found is None:
            return Location(self.path, 1, 1, 1, 1, pointer)
        source, start, end = found
        return source.location(start, end, pointer)

    def locate_key(self, pointer: str) -> Location:
        """Span of what names the member at `pointer`: a property name, a declaration's name, a
        decorator; the value's span when nothing names it."""
        found = self.spans.keys.get(pointer)
        if found is None:
            return self.locate(pointer)
        source, start, end = found
        return source.location(start, end, pointer)

    def __repr__(self) -> str:
        return f"BicepDocument({self.path!r})"


def decode_bicep(raw: bytes, path: str) -> str:
    """Bytes → text: UTF-8 (BOM removed), or UTF-16 with a BOM; InputError with a position otherwise."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError("not valid UTF-16 text", Location(path, 1, 1)) from error
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{raw[error.start]:02x})", Location(path, line, column)
        ) from error


def parse_bicep(text: str, path: str, directory: str | None = None) -> BicepDocument:
    """Parse and convert Bicep text. `directory` is the file's folder on disk, for local modules and
    `loadTextContent()`; without it those stay unread (a problem each)."""
    source = Source(path, text[1:] if text.startswith("\ufeff") else text)
    deep = too_deep(source.data)
    if deep is not None:
        raise InputError(
            f"nested deeper than {MAX_NESTING} levels (braces, brackets, parentheses, interpolations)",
            source.location(deep, deep + 1),
        )
    try:
        tree = parse_source(source.data)
    except ParseBudgetExceeded as error:
        raise InputError(str(error), Location(path, 1, 1)) from None
    errors: list[tuple[str, Location]] = []
    found = first_error(tree.root_node)
    if found is not None:
        node, count = found
        message = error_message(node, source.data)
        if count > 1:
            message += f" (and {count - 1} more error{'s' if count > 2 else ''})"
        errors.append((message, source.node_location(node)))
    spans = SpanTable()
    problems: list[tuple[Location, str]] = []
    symbols: dict[str, str] = {}
    stack: tuple[str, ...] = ()
    project: str | None = None
    if directory is not None:
        import os

        stack = (os.path.realpath(os.path.join(directory, os.path.basename(path))),)
        project = project_root(directory)
    files = {source.path: source.text}
    context = ModuleContext("", stack, symbols, files, project)
    converter = Converter(source, tree.root_node, spans, problems, directory, context)
    try:
        data = converter.convert()
    except RecursionError:  # the depth limits keep real and hostile files below this; a safety net
        raise InputError("Bicep file nested too deeply to read", Location(path, 1, 1)) from None
    # a module read twice (two declarations of one file) reports its problems once
    unique = list(dict.fromkeys((location, one_line(message)) for location, message in problems))
    return BicepDocument(source, data, spans, errors, unique, symbols, files)


def load_bicep_file(path: str) -> BicepDocument:
    """Read a `.bicep` file from disk; `InputError` when it cannot be read or decoded."""
    import os

    try:
        raw = read_bytes(path, MAX_FILE_BYTES)
    except FileTooLarge:
        raise InputError(
            f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", Location(path, 1, 1)
        ) from None
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", Location(path, 1, 1)) from error
    text = decode_bicep(raw, path)
    return parse_bicep(text, path, os.path.dirname(os.path.abspath(path)))


def read_module(parent: Converter, symbol: ModuleSymbol, written: str, base: str) -> dict[str, object] | None:
    """Convert a local module file into the template data placed at `base` (a nested template).

    Problems are noted on the parent: a missing or unreadable file, a cycle, a syntax error in the
    module (linting the module file itself reports it in full).
    """
    import os

    directory = parent.directory or "."
    full = os.path.normpath(os.path.join(directory, written))
    real = os.path.realpath(full)
    if real in parent.context.stack:
        parent.problem(symbol.path_node, f"module '{written}' includes itself; not read again")
        return None
    project = parent.context.project
    if project is not None and not is_inside(full, project):
        parent.problem(symbol.path_node, "module " + outside_message(written, project))
        return None
    display = os.path.normpath(os.path.join(os.path.dirname(parent.source.path), written))
    try:
        raw = read_bytes(full, MAX_FILE_BYTES)
    except FileTooLarge:
        parent.problem(symbol.path_node, f"module '{written}' not read: larger than the file limit")
        return None
    except OSError as error:
        parent.problem(symbol.path_node, f"module '{written}' not read: {error.strerror or error}")
        return None
    try:
        text = decode_bicep(raw, display)
    except InputError as error:
        parent.problem(symbol.path_node, f"module '{written}' not read: {error.message}")
        return None
    if full.lower().endswith(".json"):
        import json

        try:
            loaded = json.loads(text)
        except ValueError as error:
            parent.problem(symbol.path_node, f"module '{written}' is not strict JSON ({error}); not read")
            return None
        if not isinstance(loaded, dict):
            parent.problem(symbol.path_node, f"module '{written}' is not a template")
            return None
        return loaded
    source = Source(display, text)
    if too_deep(source.data) is not None:
        parent.problem(
            symbol.path_node, f"module '{written}' not read: nested deeper than {MAX_NESTING} levels"
        )
        return None
    try:
        tree = parse_source(source.data)
    except ParseBudgetExceeded as error:
        parent.problem(symbol.path_node, f"module '{written}': {error}")
        return None
    found = first_error(tree.root_node)
    if found is not None:
        parent.problem(
            symbol.path_node,
            f"module '{written}': {error_message(found[0], source.data)} at {source.node_location(found[0])}",
        )
    parent.context.files.setdefault(display, text)
    context = ModuleContext(
        base, (*parent.context.stack, real), parent.context.symbols, parent.context.files, project
    )
    child = Converter(source, tree.root_node, parent.spans, parent.problems, os.path.dirname(full), context)
    return child.convert()
