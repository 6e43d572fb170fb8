"""Read a YAML input file into plain Python values, keeping the position of every node.

Why not `yaml.safe_load`:

* **Positions.** Every problem must point at `file:line:col`. We compose the node graph (which
  carries marks) and build the values ourselves, recording each node's span under its RFC 6901 JSON
  pointer, so a schema error at `/policy/retention/daily/count` can be shown where it was written.
* **Duplicate keys.** PyYAML silently keeps the last one; we report the second occurrence.
* **YAML 1.2 scalars.** PyYAML resolves plain scalars by YAML 1.1 rules: `no` becomes False,
  `05:30` the integer 330, `2017-11-09T04:53:20Z` a datetime. The YAML language server that edits
  these files (and the YAML 1.2 core schema) reads them as strings, so we do too: only `true/false`,
  `null/~`, and decimal, octal (`0o`) and hex (`0x`) numbers are typed.
* **Safety.** Only the standard tags are accepted (no object construction of any kind); aliases are
  followed but the expanded document is bounded, so an "alias bomb" (a few lines that expand to
  billions of nodes) stops with an error instead of exhausting memory; merge keys (`<<`) are refused
  because they hide where a value comes from.
"""

from __future__ import annotations

import re

from templategen.diagnostics import Location, one_line
from templategen.reading import FileTooLarge, read_bytes

TYPE_CHECKING = False
if TYPE_CHECKING:
    import yaml

#: Upper bound on the size of an input file; inputs are a few hundred bytes to a few kilobytes.
MAX_BYTES = 4 * 1024 * 1024
#: Upper bound on the number of nodes after aliases are expanded (1000 VMs are about 1100 nodes).
MAX_NODES = 100_000

_PLAIN = "tag:templategen,2026:plain"  # our marker for untagged plain scalars (typed by YAML 1.2 rules)
_YAML = "tag:yaml.org,2002:"
_ALLOWED_EXPLICIT = {_YAML + name for name in ("str", "int", "float", "bool", "null", "seq", "map")}

_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_INT10 = re.compile(r"[-+]?[0-9]+")
_INT8 = re.compile(r"0o[0-7]+")
_INT16 = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")


class YamlProblem(Exception):
    """The file cannot be read as YAML input at all; `location` says where."""

    def __init__(self, message: str, location: Location) -> None:
        super().__init__(message)
        self.message = message
        self.location = location


class Span:
    """Where a value (and, for mapping members, its key) was written; 1-based lines and columns."""

    __slots__ = ("end", "key_end", "key_start", "raw", "start", "style")

    def __init__(
        self,
        start: tuple[int, int],
        end: tuple[int, int],
        key_start: tuple[int, int] | None,
        key_end: tuple[int, int] | None,
        raw: str | None,
        style: str | None,
    ) -> None:
        self.start = start
        self.end = end
        self.key_start = key_start
        self.key_end = key_end
        self.raw = raw  # source text of a scalar, for messages ("written 1.10")
        self.style = style  # None for plain scalars, a quote or block indicator otherwise


class YamlDocument:
    """A parsed YAML input: `data` holds plain values; `locate(pointer)` finds where one was written."""

    __slots__ = ("data", "path", "spans", "text")

    def __init__(self, path: str, text: str, data: object, spans: dict[str, Span]) -> None:
        self.path = path
        self.text = text
        self.data = data
        self.spans = spans

    def locate(self, pointer: str) -> Location:
        """Span of the value at `pointer`, or of the nearest enclosing node that exists."""
        span = self._nearest(pointer)
        if span is None:
            return Location(self.path, 1, 1, pointer=pointer)
        return Location(self.path, span.start[0], span.start[1], span.end[0], span.end[1], pointer=pointer)

    def locate_key(self, pointer: str) -> Location:
        """Span of the key of the mapping member at `pointer` (the value's span for list items).

        When the member is not in the file (a value filled in from a default), the key of the
        nearest enclosing member that is, so the message points at the line that owns it.
        """
        node = pointer
        while node and node not in self.spans:
            node = node.rsplit("/", 1)[0]
        span = self.spans.get(node)
        if span is None or span.key_start is None or span.key_end is None:
            return self.locate(node)
        return Location(
            self.path, span.key_start[0], span.key_start[1], span.key_end[0], span.key_end[1], pointer=pointer
        )

    def raw(self, pointer: str) -> str | None:
        """The source text of the scalar at `pointer`, as written."""
        span = self.spans.get(pointer)
        return None if span is None else span.raw

    def is_plain(self, pointer: str) -> bool:
        """True when the scalar at `pointer` was written unquoted (so YAML typed it)."""
        span = self.spans.get(pointer)
        return span is not None and span.raw is not None and span.style is None

    def _nearest(self, pointer: str) -> Span | None:
        while True:
            span = self.spans.get(pointer)
            if span is not None or not pointer:
                return span
            pointer = pointer.rsplit("/", 1)[0]


def escape_pointer_token(token: str) -> str:
    """RFC 6901: `~` becomes `~0`, `/` becomes `~1`."""
    return token.replace("~", "~0").replace("/", "~1")


def load_yaml_file(path: str, display: str | None = None) -> YamlDocument:
    """Read and parse `path`; raise YamlProblem with a position for anything unusable."""
    shown = display or path
    try:
        raw = read_bytes(path, MAX_BYTES)
    except FileTooLarge:
        raise YamlProblem(
            f"input is larger than {MAX_BYTES // (1024 * 1024)} MiB", Location(shown, 1, 1)
        ) from None
    except FileNotFoundError:
        raise YamlProblem("cannot read input: no such file", Location(shown, 1, 1)) from None
    except IsADirectoryError:
        raise YamlProblem("cannot read input: it is a directory", Location(shown, 1, 1)) from None
    except OSError as exc:
        raise YamlProblem(f"cannot read input: {exc.strerror or exc}", Location(shown, 1, 1)) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark, as YAML allows
        try:
            return parse_yaml(raw.decode("utf-16"), shown)
        except UnicodeDecodeError:
            raise YamlProblem("input is not valid UTF-16 text", Location(shown, 1, 1)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem("input is not UTF-8 text", Location(shown, line, column)) from None
    return parse_yaml(text, shown)


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse YAML `text` (one document) into a YamlDocument; raise YamlProblem on any problem."""
    import yaml

    try:
        loader = _loader_class()(text)  # checks every character first: ReaderError
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        line, column = _line_and_column(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else 0
        escape = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
        raise YamlProblem(
            f"character U+{code:04X} is not allowed in YAML; in a double-quoted string write it as {escape}",
            Location(path, line, column),
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = "YAML syntax error: " + (exc.problem or "invalid YAML")
        if exc.context:
            started = exc.context_mark
            where = f" started at line {started.line + 1}, column {started.column + 1}" if started else ""
            message += f" ({exc.context}{where})"
        message = message.replace("\n", " ")
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise YamlProblem(message, Location(path, line, column)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(one_line(f"YAML error: {exc}"), Location(path, 1, 1)) from None
    except RecursionError:
        raise YamlProblem("YAML nesting is too deep", Location(path, 1, 1)) from None
    if root is None:
        raise YamlProblem("input is empty (expected a mapping with a `kind:` key)", Location(path, 1, 1))
    builder = _Builder(path)
    try:
        data = builder.build(root, "", None)
    except RecursionError:
        raise YamlProblem("YAML nesting is too deep", Location(path, 1, 1)) from None
    return YamlDocument(path, text, data, builder.spans)


#: Line breaks as YAML counts them (its marks count lines the same way).
_YAML_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of character `position`, lines broken as YAML breaks them."""
    line, start = 1, 0
    for match in _YAML_BREAK.finditer(text, 0, position):
        line, start = line + 1, match.end()
    return line, position - start + 1


_LOADER: type | None = None


def _loader_class() -> type[yaml.SafeLoader]:
    """A SafeLoader whose resolver leaves plain scalars untyped (we type them by YAML 1.2 rules)."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class _Loader(yaml.SafeLoader):
            def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
                if kind is yaml.ScalarNode and implicit[0]:
                    return _PLAIN
                return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]

        _LOADER = _Loader
    return _LOADER


def _point(mark: yaml.Mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Builder:
    """Turns composed nodes into values and records spans; enforces the safety limits."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.spans: dict[str, Span] = {}
        self.count = 0
        self.active: set[int] = set()

    def fail(self, message: str, mark: yaml.Mark) -> YamlProblem:
        line, column = _point(mark)
        return YamlProblem(message, Location(self.path, line, column))

    def build(self, node: yaml.Node, pointer: str, key_node: yaml.Node | None) -> object:
        import yaml

        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                f"document expands to more than {MAX_NODES} nodes (aliases are bounded); "
                "write it out plainly",
                node.start_mark,
            )
        key_start = _point(key_node.start_mark) if key_node is not None else None
        key_end = _point(key_node.end_mark) if key_node is not None else None
        if isinstance(node, yaml.ScalarNode):
            self.spans[pointer] = Span(
                _point(node.start_mark), _point(node.end_mark), key_start, key_end, node.value, node.style
            )
            return self.scalar(node)
        self.spans[pointer] = Span(
            _point(node.start_mark), _point(node.end_mark), key_start, key_end, None, None
        )
        if node.tag not in (_YAML + "seq", _YAML + "map"):
            raise self.fail(f"tag {_short(node.tag)} is not allowed in templategen inputs", node.start_mark)
        if id(node) in self.active:
            raise self.fail("recursive alias: a node contains itself", node.start_mark)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, f"{pointer}/{index}", None) for index, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)
            return self.mapping(node, pointer)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, pointer: str) -> dict[str, object]:
        import yaml

        result: dict[str, object] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail("mapping keys must be plain strings", key_node.start_mark)
            key = key_node.value
            if key == "<<" and key_node.tag == _PLAIN:
                raise self.fail("merge keys (<<) are not supported: write the keys out", key_node.start_mark)
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                raise self.fail(f"duplicate key {key!r} (first defined on line {line})", key_node.start_mark)
            first_seen[key] = key_node
            result[key] = self.build(value_node, f"{pointer}/{escape_pointer_token(key)}", key_node)
        return result

    def scalar(self, node: yaml.ScalarNode) -> object:
        value: str = node.value
        tag = node.tag
        if tag == _PLAIN:
            return _plain_scalar(value)
        if tag == _YAML + "str":
            return value
        if tag not in _ALLOWED_EXPLICIT:
            raise self.fail(f"tag {_short(tag)} is not allowed in templategen inputs", node.start_mark)
        typed = _plain_scalar(value)
        expected = {
            _YAML + "int": int,
            _YAML + "float": float,
            _YAML + "bool": bool,
            _YAML + "null": type(None),
        }
        want = expected.get(tag)
        if want is float and isinstance(typed, int) and not isinstance(typed, bool):
            return float(typed)
        if want is None or type(typed) is not want:
            raise self.fail(f"{value!r} is not a valid {_short(tag)} value", node.start_mark)
        return typed


def _plain_scalar(value: str) -> object:
    """Type a plain scalar by the YAML 1.2 core schema."""
    if _NULL.fullmatch(value):
        return None
    if _TRUE.fullmatch(value):
        return True
    if _FALSE.fullmatch(value):
        return False
    if _INT10.fullmatch(value):
        return int(value)
    if _INT8.fullmatch(value):
        return int(value[2:], 8)
    if _INT16.fullmatch(value):
        return int(value[2:], 16)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _INF.fullmatch(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.fullmatch(value):
        return float("nan")
    return value


def _short(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag
