"""Read ARM JSON (templates, parameter files) as plain Python data that can still say where each value is.

Reading must cost about what `json.loads` costs, because `templategen lint` reads every file of a
repository on every commit, while positions are needed only for the few values a finding names. So the
work is split:

* The C `json` module parses the text. Strict JSON (almost every real file) costs one `json` call
  plus a nesting-depth check on big files.
* When `json` refuses the text, the scanner in `templategen.arm.jsonscan` reads it by Resource
  Manager's rules: comments, trailing commas and raw control characters in strings are accepted
  (recorded in `leniencies`), comments and trailing commas are blanked out with spaces so that
  `json` can parse the rest with no offset moving, and anything else is an `InputError` at the exact
  line and column.
* Positions are computed only when a finding asks: `locate` walks the pointer's path through the text
  (`templategen.arm.jsonlocate`), listing the members of the containers on the way and skipping the
  rest with the C scanner. Lenient files are walked the same way, in the copy `json` parsed, where
  comments and trailing commas are spaces and every offset is the same as in the file.

Bounds (hostile input must neither crash nor hang the linter): files above `MAX_FILE_BYTES` are
refused before they are read; nesting deeper than `MAX_DEPTH` is refused; every step is linear in the
size of the file.
"""

from __future__ import annotations

import json
import re

from templategen.arm.names import escape_token
from templategen.diagnostics import InputError, Location
from templategen.redact import redact_text

# The scanner and the locator are imported where they are needed: together they cost about as much
# start-up time as reading a typical template, and a strict file without findings needs neither.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.arm.jsonlocate import PathIndex
    from templategen.arm.jsonscan import JsonScan

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "JsonDocument",
    "decode_json_bytes",
    "escape_token",
    "join_pointer",
    "load_json_file",
    "parse_json",
    "parse_json_bytes",
]

#: Largest file we read at all. Resource Manager accepts templates up to 4 MB; the pretty-printed
#: output of `bicep build` can be larger on disk, and the largest file of the corpus has 0.8 MB, so
#: 16 MiB is four times what can be deployed. The bound is about the worst input, not the usual one:
#: dense hostile JSON (`[],[],...` or `[[[[0]]]],...`) costs Python some 50 bytes of objects per
#: character and the scanner about 1 s per MB, so at 16 MiB the worst case measured stays under 1 GB
#: and about 20 s (on a busy 2-core machine); at 64 MiB it took 3-6 GB and over a minute.
MAX_FILE_BYTES = 16 * 1024 * 1024

#: Deepest nesting of arrays/objects we read. The deepest file of the 2,589-file corpus nests 27 levels;
#: 256 leaves ten times that, and keeps code that recurses over the data (a few frames per level) well
#: inside Python's default recursion limit of 1,000.
MAX_DEPTH = 256

# Line breaks as editors count them; re caches the compiled pattern at first use.
_NEWLINE = r"\r\n?|\n"
_LONE_CR = r"\r(?!\n)"
#: Texts from this size on are parsed with the cyclic garbage collector paused (see `_decode`).
_GC_FREE_PARSE = 1024 * 1024
#: Positions computed by counting newlines before a table of line starts is built (see `position`).
_CHEAP_POSITIONS = 24

# Byte-order marks we honour, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def _reject_constant(name: str) -> object:
    """`json` accepts NaN and Infinity; JSON (and Resource Manager) do not: send the file to the scanner."""
    raise ValueError(name)


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_LENIENT_DECODER = json.JSONDecoder(parse_constant=_reject_constant, strict=False)


def join_pointer(parent: str, token: str | int) -> str:
    """The pointer of member `token` (a key as written in the file, or an array index) below `parent`."""
    if isinstance(token, int):
        return f"{parent}/{token}"
    return parent + "/" + escape_token(token)


class JsonDocument:
    """A parsed JSON file: the data as plain Python values plus positions looked up by JSON pointer.

    `data` holds dict / list / str / int / float / bool / None exactly as `json` builds them (integers
    stay exact, `6.36458E+17` stays a float). With a repeated key the last value wins, as in ARM;
    `duplicate_keys()` says where that happened. `leniencies` lists what strict JSON would refuse:
    ("comment" | "trailing-comma" | "control-char", offset into `text`).
    """

    __slots__ = (
        "_cheap_positions",
        "_line_starts",
        "_parse_text",
        "_paths",
        "_scan",
        "data",
        "leniencies",
        "path",
        "text",
    )

    def __init__(
        self,
        path: str,
        text: str,
        data: object,
        scan_result: JsonScan | None = None,
        parse_text: str | None = None,
    ) -> None:
        self.path = path
        self.text = text
        self.data = data
        self.leniencies: list[tuple[str, int]] = scan_result.leniencies if scan_result is not None else []
        self._scan = scan_result  # set when the scanner read the file (or looked for repeated keys)
        # the text `json` parsed: `text` itself, or a copy with comments and trailing commas blanked
        self._parse_text = text if parse_text is None else parse_text
        self._paths: PathIndex | None = None
        self._line_starts: list[int] | None = None
        self._cheap_positions = _CHEAP_POSITIONS

    def __repr__(self) -> str:
        return f"JsonDocument({self.path!r}, {len(self.text)} characters)"

    # --- positions -------------------------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset in `text`; CRLF, LF and lone CR end a line.

        The first few calls count newlines before `offset` (C speed, nothing stored): a file with a
        couple of findings never pays for a table of line starts. Later calls, and files that use lone
        CRs, build the table once and search it.
        """
        text = self.text
        offset = max(0, min(offset, len(text)))
        starts = self._line_starts
        if starts is None:
            if self._cheap_positions == _CHEAP_POSITIONS and "\r" in text and re.search(_LONE_CR, text):
                self._cheap_positions = 0  # counting "\n" would miss lines ended by a lone CR
            self._cheap_positions -= 1
            if self._cheap_positions >= 0:
                return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
            starts = [0]
            starts.extend(m.end() for m in re.finditer(_NEWLINE, text))
            self._line_starts = starts
        lo, hi = 0, len(starts) - 1
        while lo < hi:  # the last line starting at or before `offset`
            mid = (lo + hi + 1) // 2
            if starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - starts[lo] + 1

    def location_at(self, start: int, end: int | None = None, pointer: str = "") -> Location:
        """A Location for the span [start, end) of `text` (a point when `end` is None)."""
        line, column = self.position(start)
        if end is None or end <= start:
            return Location(self.path, line, column, line, column, pointer)
        end_line, end_column = self.position(end)
        return Location(self.path, line, column, end_line, end_column, pointer)

    def _scanned(self) -> JsonScan:
        """The scanner's findings: lenient files have them from reading; strict files scan on demand."""
        if self._scan is None:
            from templategen.arm.jsonscan import ScanError, scan

            try:
                self._scan = scan(self.text)
            except ScanError as exc:  # pragma: no cover - json accepted the text, so the scanner does
                raise InputError(exc.message, self.location_at(exc.offset)) from None
        return self._scan

    def _lookup(self, pointer: str) -> tuple[tuple[int, int, int, int], bool]:
        """(value start, value end, key start, key end) of `pointer` or of its nearest ancestor present,
        and whether `pointer` itself was found."""
        if self._paths is None:
            from templategen.arm.jsonlocate import PathIndex

            self._paths = PathIndex(self._parse_text)
        return self._paths.lookup(pointer)

    def has(self, pointer: str) -> bool:
        """True when `pointer` names a value of the file (the value that the data holds)."""
        return self._lookup(pointer)[1]

    def locate(self, pointer: str, offset: int | None = None, end_offset: int | None = None) -> Location:
        """Span of the value at `pointer`.

        With `offset` (and the value a string), the position of character `offset` of the decoded
        string inside its JSON literal, escape-aware, so an expression error points at the faulty
        character even after `\\"`, `\\\\` or `\\uXXXX` escapes; `end_offset` makes it a span. A pointer
        the file does not hold (say, a missing property) gets the span of its nearest ancestor, so a
        finding about something absent points at the object that lacks it. The Location keeps the
        pointer that was asked for.
        """
        start, end, _, _ = self._lookup(pointer)[0]
        if offset is not None and end - start >= 2 and self.text[start] == '"':
            first, first_end = _char_span(self.text, start, end, offset)
            if end_offset is not None and end_offset > offset:
                first_end = _char_span(self.text, start, end, end_offset)[0]
            return self.location_at(first, first_end, pointer)
        return self.location_at(start, end, pointer)

    def locate_key(self, pointer: str) -> Location:
        """Span of the key (with its quotes) of the member at `pointer`; the value's span for array
        items and the root, which have no key."""
        start, end, key_start, key_end = self._lookup(pointer)[0]
        if key_start < 0:
            return self.location_at(start, end, pointer)
        return self.location_at(key_start, key_end, pointer)

    # --- repeated keys ------------------------------------------------------------------------------

    def duplicate_keys(self) -> list[str]:
        """Pointers of members whose key appears more than once in the same object, in the order found.

        ARM keeps the last value silently, so the earlier ones are dead text that readers believe.
        Checked without positions first (a C-speed pass), so files without repeats stay cheap.
        """
        if self._scan is None and not _has_repeated_key(self._parse_text):
            return []
        return list(self._scanned().duplicates)

    def duplicate_key_locations(self, pointer: str) -> list[Location]:
        """Every spelling of a repeated key, in file order (the last is the one whose value counts)."""
        spans = self._scanned().duplicates.get(pointer, [])
        return [self.location_at(start, end, pointer) for start, end in spans]


def _has_repeated_key(text: str) -> bool:
    """Whether any object of `text` (already known to be JSON once blanked) repeats a key.

    `json` calls the hook with each object's members; nothing is kept, so this costs about one parse.
    """
    if "{" not in text:
        return False
    found = False

    def members_hook(pairs: list[tuple[str, object]]) -> None:
        nonlocal found
        if not found and len({name for name, _ in pairs}) != len(pairs):
            found = True

    _decode(json.JSONDecoder(strict=False, object_pairs_hook=members_hook), text)
    return found


def _char_span(text: str, start: int, end: int, offset: int) -> tuple[int, int]:
    """Source span of character `offset` of the string literal text[start:end] once decoded.

    Escapes count as one decoded character (`\\uD83D\\uDE00` as one, since `json` joins surrogate
    pairs); an offset at or past the end gives the closing quote.
    """
    i = start + 1
    close = end - 1
    if offset < 0:
        offset = 0
    if "\\" not in text[i:close]:
        i = min(i + offset, close)
        return i, min(i + 1, end)
    count = 0
    while i < close:
        step = 1
        if text[i] == "\\":
            step = 2
            if text[i + 1] == "u":
                step = 6
                # a high surrogate escape followed by a low one is one character (escapes are valid here:
                # json or the scanner accepted the file)
                high = 0xD800 <= int(text[i + 2 : i + 6], 16) < 0xDC00
                if high and i + 12 <= close and text.startswith("\\u", i + 6):
                    step = 12 if 0xDC00 <= int(text[i + 8 : i + 12], 16) < 0xE000 else 6
        if count == offset:
            return i, i + step
        i += step
        count += 1
    return close, end


def _max_depth_exceeded(data: object) -> bool:
    """Whether `data` nests arrays/objects deeper than MAX_DEPTH (level by level, no recursion)."""
    level = [data] if type(data) is dict or type(data) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        below = []
        for container in level:
            for value in container.values() if type(container) is dict else container:
                kind = type(value)
                if kind is dict or kind is list:
                    below.append(value)
        level = below
    return False


def parse_json(text: str, path: str) -> JsonDocument:
    """Parse decoded text by Resource Manager's rules; raise InputError with a Location if it is not JSON.

    A leading BOM is dropped. `path` is only used in locations and messages.
    """
    if text[:1] == "\ufeff":
        text = text[1:]
    if len(text) > MAX_FILE_BYTES:
        raise InputError(
            f"the text has {len(text):,} characters; the reader's limit is {MAX_FILE_BYTES // 1048576} MiB",
            Location(path, 1, 1),
        )
    try:
        data = _decode(_DECODER, text)
    except (ValueError, RecursionError):
        return _parse_lenient(text, path)
    # json parsed it, but perhaps deeper than our bound; only files with that many brackets can be.
    if text.count("{") + text.count("[") > MAX_DEPTH and _max_depth_exceeded(data):
        return _parse_lenient(text, path)  # raises with the position of the first container too deep
    return JsonDocument(path, text, data)


def _parse_lenient(text: str, path: str) -> JsonDocument:
    """The scanner's path: accept comments, trailing commas and raw control characters, or fail precisely."""
    from templategen.arm.jsonscan import ScanError, scan

    try:
        result = scan(text)
    except ScanError as exc:
        # the message may quote a word of the file: never let it repeat a SAS signature or a key
        where = JsonDocument(path, text, None).location_at(exc.offset)
        raise InputError(redact_text(exc.message), where) from None
    parse_text = text
    if result.blanks:
        pieces = []
        last = 0
        for start, end in result.blanks:
            pieces.append(text[last:start])
            pieces.append(" " * (end - start))
            last = end
        pieces.append(text[last:])
        parse_text = "".join(pieces)
    try:
        data = _decode(_LENIENT_DECODER, parse_text)
    except json.JSONDecodeError as exc:  # pragma: no cover - the scanner accepted this exact grammar
        where = JsonDocument(path, text, None).location_at(exc.pos)
        raise InputError(f"not JSON: {exc.msg}", where) from None
    except (ValueError, RecursionError) as exc:  # pragma: no cover - idem
        raise InputError(f"not JSON: {exc}", Location(path, 1, 1)) from None
    return JsonDocument(path, text, data, result, parse_text)


def _decode(decoder: json.JSONDecoder, text: str) -> object:
    """`decoder.decode(text)`, without the cyclic garbage collector for big texts.

    Parsing creates no reference cycles, yet on a big file the collector runs again and again over
    every container built so far: 64 MB of `[],[],...` parsed in 5 s with it and 1.4 s without.
    """
    if len(text) < _GC_FREE_PARSE:
        return decoder.decode(text)
    import gc  # builtin, and only big files need it

    enabled = gc.isenabled()
    gc.disable()
    try:
        return decoder.decode(text)
    finally:
        if enabled:
            gc.enable()


def decode_json_bytes(data: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), or UTF-16 / UTF-32 with a BOM, which is removed.

    Anything else is an InputError at the line and column of the first byte that does not decode.
    """
    encoding, label, skip = "utf-8", "UTF-8", 0
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            encoding, label, skip = codec, name, len(bom)
            break
    else:
        if data[:1] == b"\x00" or data[1:2] == b"\x00":
            raise InputError(
                "NUL bytes at the start: the file looks like UTF-16 or UTF-32 without a byte-order mark "
                "(save it as UTF-8)",
                Location(path, 1, 1),
            )
    body = data[skip:] if skip else data
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        before = body[: exc.start].decode(encoding, errors="replace")
        lines = re.split(_NEWLINE, before)
        line, column = len(lines), len(lines[-1]) + 1
        if encoding == "utf-8":
            message = (
                f"not valid UTF-8: byte 0x{body[exc.start]:02X} cannot be decoded (save the file as UTF-8)"
            )
        else:
            message = f"not valid {label}: {exc.reason}"
        raise InputError(message, Location(path, line, column)) from None


def parse_json_bytes(data: bytes, path: str) -> JsonDocument:
    """Decode and parse the bytes of a file (see decode_json_bytes and parse_json)."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError(_too_large(len(data)), Location(path, 1, 1))
    return parse_json(decode_json_bytes(data, path), path)


def load_json_file(path: str) -> JsonDocument:
    """Read, decode and parse one file; every failure is an InputError naming the file."""
    from templategen.reading import FileTooLarge, read_bytes

    try:
        data = read_bytes(path, MAX_FILE_BYTES)  # never blocks on a FIFO; bounded whatever the file
    except FileTooLarge as exc:
        raise InputError(_too_large(exc.size), Location(path, 1, 1)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", Location(path, 1, 1)) from None
    return parse_json_bytes(data, path)


def _too_large(size: int | None) -> str:
    has = f"the file has {size:,} bytes" if size is not None else "the file is larger than that"
    return (
        f"{has}; the reader's limit is {MAX_FILE_BYTES // 1048576} MiB "
        "(Resource Manager itself accepts templates up to 4 MB)"
    )
