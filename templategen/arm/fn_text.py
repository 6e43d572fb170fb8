"""String functions of ARM templates, evaluated offline (template-functions-string).

Semantics follow the Microsoft reference; where it is silent, the behaviour of Microsoft's
expression engine (as published in its Azure Policy linter) and of .NET: string lengths and
positions count UTF-16 code units, `concat`/`string` print booleans as `True`/`False`,
`startsWith`/`endsWith`/`indexOf` ignore case while `contains` does not. Where the two sources
disagree (`replace` ignores case in the Policy engine, nothing says so for ARM), the answer is given
only when both readings agree, else it is unknown.

Partially known strings flow through the functions that build or inspect text: `concat`, `format`,
`toLower`/`toUpper`, `empty`, `first`/`last`, `startsWith`/`endsWith`, `contains`, `join`.
"""

from __future__ import annotations

import re

from templategen.arm.builtin import (
    CUSTOM,
    SHALLOW,
    STRICT,
    need_count,
    need_int,
    need_list,
    need_str,
    registry,
)
from templategen.arm.builtin import type_name as _type_name
from templategen.arm.netformat import (
    align,
    format_bool,
    format_double,
    format_float,
    format_integer,
    parse_composite,
)
from templategen.arm.values import (
    ARRAY,
    BASE32_CHARS,
    BOOL,
    DIGITS,
    INT,
    MAX_STRING_LENGTH,
    MAX_VALUE_DEPTH,
    OBJECT,
    STRING,
    ArmError,
    BoundExceeded,
    Partial,
    SecretInt,
    SecretStr,
    Undecidable,
    Unknown,
    bmp_only,
    check_length,
    check_text,
    is_known,
    is_secret,
    join_text,
    label_of,
    quote,
    same,
    split_text,
    taint,
    utf16_length,
)

FUNCTIONS, register = registry()

#: Characters .NET's `String.Trim()` removes (`Char.IsWhiteSpace`).
_DOTNET_WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_GUID_ALPHABET = "0123456789abcdef-"


def to_text(value: object, name: str) -> str | Partial | Unknown:
    """A value as `concat` and `format` print it: strings as they are, integers in decimal,
    booleans as True/False, null as empty text; unknowns and partials stand for their text."""
    if isinstance(value, (str, Partial, Unknown)):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return format_bool(value)
    if isinstance(value, int):
        return SecretStr(str(int(value))) if isinstance(value, SecretInt) else str(int(value))
    raise ArmError(f"{name}() cannot use a {_type_name(value)} as text")


# --------------------------------------------------------------------------------------------------
# building strings


@register("concat", CUSTOM, assembles=True)
def concat(args: list[object]) -> object:
    need_count("concat", args, 1)
    has_list = any(isinstance(arg, list) for arg in args)
    has_text = any(
        isinstance(arg, (str, Partial, int)) or (isinstance(arg, Unknown) and arg.type in (STRING, INT, BOOL))
        for arg in args
    )
    if has_list and has_text:
        raise ArmError("concat() takes either arrays or strings, not both")
    if has_list or any(isinstance(arg, Unknown) and arg.type == ARRAY for arg in args):
        if not all(isinstance(arg, list) for arg in args):
            raise Undecidable("concatenation of unknown arrays")
        out: list[object] = []
        for arg in args:
            assert isinstance(arg, list)
            out.extend(arg)
        check_length(len(out))
        return out
    pieces: list[object] = []
    for arg in args:
        if isinstance(arg, (float, dict)):
            raise ArmError(f"concat() cannot use a {_type_name(arg)}")
        if isinstance(arg, Unknown) and arg.type == OBJECT:
            raise Undecidable("concat() of an unknown object")
        pieces.append(to_text(arg, "concat"))
    return _bounded(join_text(pieces))


def _bounded(value: str | Partial | Unknown) -> str | Partial | Unknown:
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, Partial):
        check_text("".join(part for part in value.parts if isinstance(part, str)))
    return value


@register("format", CUSTOM, type=STRING, assembles=True)
def format_(args: list[object]) -> object:
    need_count("format", args, 1)
    template = args[0]
    if not isinstance(template, str):
        if isinstance(template, (Unknown, Partial)):
            raise Undecidable("unknown format string")
        raise ArmError(f"format() expects a string as its format, not {_type_name(template)}")
    values = args[1:]
    pieces: list[object] = []
    for item in parse_composite(template):
        if isinstance(item, str):
            pieces.append(item)
            continue
        index, alignment, spec = item
        if index >= len(values):
            raise ArmError(
                f"format() refers to argument {{{index}}} but only {len(values)} "
                f"argument{'s' if len(values) != 1 else ''} follow the format string"
            )
        piece = _format_item(values[index], alignment, spec)
        pieces.append(taint(piece) if is_secret(values[index]) and isinstance(piece, str) else piece)
    text = "".join(piece for piece in pieces if isinstance(piece, str))
    check_text(text)
    return join_text(pieces)


def _format_item(value: object, alignment: int, spec: str) -> object:
    if isinstance(value, (Unknown, Partial)):
        if isinstance(value, Unknown) and value.type in (ARRAY, OBJECT):
            return _formatted_unknown(value, alignment, spec)
        if not spec and not alignment:
            return value
        if isinstance(value, Unknown) and value.type == STRING and not alignment:
            return value  # .NET ignores the format spec of a string
        return _formatted_unknown(value, alignment, spec)
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = format_bool(value)
    elif isinstance(value, int):
        text = format_integer(int(value), spec)
    elif isinstance(value, float):
        text = format_float(float(value), spec)
    elif isinstance(value, str):
        text = value
    elif isinstance(value, (list, dict)):
        if not _plain(value):
            raise Undecidable("format() of an array or object with unknown elements")
        text = _compact_json(value).replace('"', "'")
    else:
        raise ArmError(f"format() cannot print a {_type_name(value)}")
    return align(text, alignment)


def _formatted_unknown(value: Unknown | Partial, alignment: int, spec: str) -> Unknown:
    item = "{0" + (f",{alignment}" if alignment else "") + (f":{spec}" if spec else "") + "}"
    label = f"format({quote(item)}, {label_of(value)})"
    secret = isinstance(value, Unknown) and value.secret
    return Unknown(label, f"format({quote(item)}, …)", secret=secret, type=STRING)


def _plain(value: object) -> bool:
    return is_known(value)


def _compact_json(value: object) -> str:
    """JSON as Newtonsoft prints it without indentation (what ARM's `string()` returns)."""
    import json

    def check_float(item: object) -> None:
        stack = [item]
        while stack:
            node = stack.pop()
            if isinstance(node, float) and (
                "e" in repr(node) or node != node or node in (float("inf"), float("-inf"))
            ):
                raise Undecidable("number printed in exponent notation")
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                stack.extend(node.values())

    check_float(value)
    try:
        return check_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    except (RecursionError, ValueError) as error:
        raise Undecidable("value too deep to print") from error


@register("string", CUSTOM, type=STRING)
def string(args: list[object]) -> object:
    need_count("string", args, 1, 1)
    value = args[0]
    if isinstance(value, (str, Partial)):
        return value
    if isinstance(value, Unknown):
        if value.type == STRING:
            return value
        raise Undecidable("string() of an unknown")
    if value is None:
        return ""
    if isinstance(value, bool):
        return format_bool(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return format_double(float(value))
    if isinstance(value, (list, dict)):
        if not _plain(value):
            raise Undecidable("string() of an array or object with unknown elements")
        return _compact_json(value)
    raise ArmError(f"string() cannot convert a {_type_name(value)}")


@register("join", SHALLOW, type=STRING, assembles=True)
def join(args: list[object]) -> object:
    need_count("join", args, 2, 2)
    items = need_list("join", args[0], 1)
    delimiter = args[1]
    if isinstance(delimiter, (Unknown, Partial)):
        raise Undecidable("unknown delimiter")
    delimiter = need_str("join", delimiter, 2)
    pieces: list[object] = []
    for index, item in enumerate(items):
        if index:
            pieces.append(delimiter)
        if isinstance(item, (str, Partial)) or (isinstance(item, Unknown) and item.type in (None, STRING)):
            pieces.append(item)
        elif isinstance(item, Unknown):
            raise Undecidable("join() of an unknown element")
        else:
            raise ArmError(f"join() expects an array of strings; element {index} is a {_type_name(item)}")
    return _bounded(join_text(pieces))


@register("padLeft", STRICT, type=STRING)
def pad_left(args: list[object]) -> object:
    need_count("padLeft", args, 2, 3)
    value = args[0]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ArmError(f"padLeft() expects a string or an integer, not {_type_name(value)}")
    text = value if isinstance(value, str) else str(int(value))
    width = need_int("padLeft", args[1], 2)
    fill = " "
    if len(args) == 3 and args[2] is not None:
        fill = need_str("padLeft", args[2], 3)
        if len(fill) != 1:
            raise ArmError("padLeft() expects a single padding character")
    if width < 0:
        raise ArmError("padLeft() total length cannot be negative")
    if width > MAX_STRING_LENGTH:
        raise BoundExceeded(f"padLeft() to {width:,} characters")
    bmp_only(text)
    return text.rjust(width, fill)


@register("replace", STRICT, type=STRING)
def replace(args: list[object]) -> object:
    need_count("replace", args, 3, 3)
    text = need_str("replace", args[0], 1)
    old = need_str("replace", args[1], 2)
    new = need_str("replace", args[2], 3)
    if not old:
        raise ArmError("replace() cannot replace an empty string")
    exact = text.replace(old, new)
    if old.lower() in text.lower() or (not text.isascii() or not old.isascii()):
        folded = re.sub(re.escape(old), lambda _m: new, text, flags=re.IGNORECASE)
        if folded != exact:
            raise Undecidable("replace() result depends on whether the match ignores case")
    return check_text(exact)


@register("toLower", CUSTOM, type=STRING)
def to_lower(args: list[object]) -> object:
    return _change_case(args, "toLower", "lower")


@register("toUpper", CUSTOM, type=STRING)
def to_upper(args: list[object]) -> object:
    return _change_case(args, "toUpper", "upper")


def _change_case(args: list[object], name: str, case: str) -> object:
    need_count(name, args, 1, 1)
    value = args[0]
    if value is None:
        return ""
    if isinstance(value, str):
        return _case_text(value, case)
    if isinstance(value, Unknown):
        if value.type not in (None, STRING):
            raise ArmError(f"{name}() expects a string, not {value.type}")
        return value.replace(case=case)
    if isinstance(value, Partial):
        parts: list[object] = []
        for part in value.parts:
            parts.append(_case_text(part, case) if isinstance(part, str) else part.replace(case=case))
        return join_text(parts)
    raise ArmError(f"{name}() expects a string, not {_type_name(value)}")


def _case_text(text: str, case: str) -> str:
    changed = text.lower() if case == "lower" else text.upper()
    if not text.isascii() and len(changed) != len(text):
        raise Undecidable("case mapping differs between .NET and Python for this text")
    return SecretStr(changed) if isinstance(text, SecretStr) else changed


@register("trim", STRICT, type=STRING)
def trim(args: list[object]) -> object:
    need_count("trim", args, 1, 1)
    return need_str("trim", args[0], 1).strip(_DOTNET_WHITESPACE)


@register("split", CUSTOM, type=ARRAY)
def split(args: list[object]) -> object:
    need_count("split", args, 2, 2)
    value, delimiter = args
    if value is None:
        return []
    if isinstance(value, (Partial, Unknown)) or not is_known(delimiter):
        # A partial string splits when no unknown piece can hold the separator (its alphabet
        # proves it: a copy index, a subscription id), so the pieces are exact, never assumed.
        if isinstance(value, Partial) and isinstance(delimiter, str) and delimiter:
            pieces = split_text(value, delimiter)
            if pieces is not None:
                return pieces
        raise Undecidable("split() of unknown text")
    text = need_str("split", value, 1)
    if delimiter is None:
        return [text]
    if isinstance(delimiter, str):
        separators = [delimiter]
    elif isinstance(delimiter, list) and all(isinstance(item, str) for item in delimiter):
        separators = [item for item in delimiter if isinstance(item, str)]
    else:
        raise ArmError("split() expects a string or an array of strings as delimiter")
    separators = [item for item in separators if item]
    if not separators:
        return [text]
    pattern = "|".join(re.escape(item) for item in separators)
    pieces = re.split(pattern, text)
    check_length(len(pieces))
    return pieces


@register("substring", STRICT, type=STRING)
def substring(args: list[object]) -> object:
    need_count("substring", args, 1, 3)
    text = bmp_only(need_str("substring", args[0], 1))
    start = need_int("substring", args[1], 2) if len(args) > 1 else 0
    if start < 0:
        raise ArmError(f"substring() start index cannot be negative (it is {start})")
    if start > len(text):
        raise ArmError(
            f"substring() start index {start} is beyond the end of a string of {len(text)} characters"
        )
    if len(args) < 3:
        return text[start:]
    length = need_int("substring", args[2], 3)
    if length < 0:
        raise ArmError(f"substring() length cannot be negative (it is {length})")
    if start + length > len(text):
        raise ArmError(
            f"substring() index {start} and length {length} go beyond a string of {len(text)} characters"
        )
    return text[start : start + length]


# --------------------------------------------------------------------------------------------------
# inspecting strings (several also take arrays)


@register("length", SHALLOW, type=INT, alphabet=DIGITS)
def length(args: list[object]) -> object:
    need_count("length", args, 1, 1)
    value = args[0]
    if value is None:
        return 0
    if isinstance(value, (list, dict)):
        return len(value)
    if isinstance(value, str):
        return utf16_length(value)
    raise ArmError(f"length() expects an array, object or string, not {_type_name(value)}")


@register("empty", CUSTOM, type=BOOL)
def empty(args: list[object]) -> object:
    need_count("empty", args, 1, 1)
    value = args[0]
    if value is None:
        return True
    if isinstance(value, (list, dict, str)):
        return len(value) == 0
    if isinstance(value, Partial):
        if any(isinstance(part, str) for part in value.parts):
            return False
        raise Undecidable("empty() of unknown text")
    if isinstance(value, Unknown):
        raise Undecidable("empty() of an unknown")
    raise ArmError(f"empty() expects an array, object or string, not {_type_name(value)}")


@register("first", CUSTOM)
def first(args: list[object]) -> object:
    return _end(args, "first", 0)


@register("last", CUSTOM)
def last(args: list[object]) -> object:
    return _end(args, "last", -1)


def _end(args: list[object], name: str, index: int) -> object:
    need_count(name, args, 1, 1)
    value = args[0]
    if value is None:
        return None
    if isinstance(value, list):
        return value[index] if value else None
    if isinstance(value, str):
        bmp_only(value)
        return value[index] if value else value
    if isinstance(value, Partial):
        known = value.prefix if index == 0 else value.suffix
        if known:
            bmp_only(known)
            return known[index]
        raise Undecidable(f"{name}() of unknown text")
    if isinstance(value, Unknown):
        raise Undecidable(f"{name}() of an unknown")
    raise ArmError(f"{name}() expects an array or a string, not {_type_name(value)}")


@register("contains", CUSTOM, type=BOOL)
def contains(args: list[object]) -> object:
    need_count("contains", args, 2, 2)
    container, item = args
    if isinstance(container, dict):
        if isinstance(item, (Unknown, Partial)):
            raise Undecidable("contains() of an unknown key")
        if not isinstance(item, str):
            raise ArmError(f"contains() looks up an object key by string, not {_type_name(item)}")
        low = item.lower()
        return any(key.lower() == low for key in container)
    if isinstance(container, list):
        unsure = False
        for element in container:
            result = same(element, item)
            if result:
                return True
            if result is None:
                unsure = True
        if unsure:
            raise Undecidable("contains() compared with unknown elements")
        return False
    if isinstance(container, (str, Partial)):
        if isinstance(item, (Unknown, Partial)):
            raise Undecidable("contains() of unknown text")
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise ArmError(f"contains() looks for a string in a string, not {_type_name(item)}")
        needle = item if isinstance(item, str) else str(int(item))
        if isinstance(container, str):
            return needle in container
        if any(isinstance(part, str) and needle in part for part in container.parts):
            return True
        raise Undecidable("contains() of partially known text")
    if isinstance(container, Unknown):
        raise Undecidable("contains() of an unknown")
    raise ArmError(f"contains() expects an array, object or string, not {_type_name(container)}")


@register("indexOf", SHALLOW, type=INT, alphabet=DIGITS)
def index_of(args: list[object]) -> object:
    return _find(args, "indexOf", last=False)


@register("lastIndexOf", SHALLOW, type=INT, alphabet=DIGITS)
def last_index_of(args: list[object]) -> object:
    return _find(args, "lastIndexOf", last=True)


def _find(args: list[object], name: str, last: bool) -> object:
    need_count(name, args, 2, 2)
    container, item = args
    if container is None:
        return -1
    if isinstance(container, list):
        order = range(len(container) - 1, -1, -1) if last else range(len(container))
        for index in order:
            result = same(container[index], item)
            if result:
                return index
            if result is None:
                raise Undecidable(f"{name}() compared with unknown elements")
        return -1
    if isinstance(container, str):
        if isinstance(item, (Unknown, Partial)):
            raise Undecidable(f"{name}() of unknown text")
        needle = need_str(name, item, 2)
        if not needle or not container.isascii() or not needle.isascii():
            raise Undecidable(f"{name}() positions are only reproduced for ASCII text")
        haystack, needle = container.lower(), needle.lower()
        return haystack.rfind(needle) if last else haystack.find(needle)
    raise ArmError(f"{name}() expects an array or a string, not {_type_name(container)}")


@register("startsWith", CUSTOM, type=BOOL)
def starts_with(args: list[object]) -> object:
    return _edge(args, "startsWith", start=True)


@register("endsWith", CUSTOM, type=BOOL)
def ends_with(args: list[object]) -> object:
    return _edge(args, "endsWith", start=False)


def _edge(args: list[object], name: str, start: bool) -> object:
    need_count(name, args, 2, 2)
    value, probe = args
    if isinstance(probe, (Unknown, Partial)):
        raise Undecidable(f"{name}() of unknown text")
    needle = need_str(name, probe, 2)
    if isinstance(value, Unknown):
        raise Undecidable(f"{name}() of an unknown")
    if isinstance(value, Partial):
        known = value.prefix if start else value.suffix
    elif value is None:
        known = ""
    else:
        known = need_str(name, value, 1)
    if not known.isascii() or not needle.isascii():
        if known == needle:
            return True
        raise Undecidable(f"{name}() ignores case; only reproduced for ASCII text")
    haystack, needle = known.lower(), needle.lower()
    if isinstance(value, Partial):
        if len(haystack) >= len(needle):
            return haystack.startswith(needle) if start else haystack.endswith(needle)
        common = needle[: len(haystack)] if start else needle[len(needle) - len(haystack) :]
        if common != haystack:
            return False
        raise Undecidable(f"{name}() of partially known text")
    return haystack.startswith(needle) if start else haystack.endswith(needle)


# --------------------------------------------------------------------------------------------------
# encodings


@register("base64", STRICT, type=STRING)
def base64_(args: list[object]) -> object:
    import base64

    need_count("base64", args, 1, 1)
    text = args[0] if args[0] is not None else ""
    data = need_str("base64", text, 1).encode("utf-8", "surrogatepass")
    return check_text(base64.b64encode(data).decode("ascii"))


def _decode_base64(name: str, value: object) -> str:
    import base64
    import binascii

    text = need_str(name, value, 1)
    try:
        data = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ArmError(f"{name}() got a value that is not base64") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Undecidable("decoded bytes are not UTF-8") from None


@register("base64ToString", STRICT, type=STRING)
def base64_to_string(args: list[object]) -> object:
    need_count("base64ToString", args, 1, 1)
    return _decode_base64("base64ToString", args[0])


@register("base64ToJson", STRICT)
def base64_to_json(args: list[object]) -> object:
    need_count("base64ToJson", args, 1, 1)
    return parse_json(_decode_base64("base64ToJson", args[0]), "base64ToJson")


def parse_json(text: str, name: str = "json") -> object:
    """Parse JSON text the way `json()` does: strictly when it can, else with the leniency of the
    reader Resource Manager uses (Newtonsoft's). Comments, trailing commas and raw line breaks in
    strings are what it accepts in templates too, so they are left to our own template reader
    (`arm/document.py`). Single-quoted strings are Newtonsoft's as well, and the reference passes
    them: its base64ToJson example decodes `{'one': 'a', 'two': 'b'}` into an object
    (learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string#base64tojson);
    they are rewritten to double quotes first. Text neither reading accepts is unknown rather than
    an error: Newtonsoft accepts more (unquoted names...) than is reproduced here. Depth is bounded."""
    import json

    def reject(constant: str) -> object:
        raise Undecidable(f"{name}() of a non-finite number")

    try:
        value: object = json.loads(text, parse_constant=reject)
    except RecursionError:
        raise BoundExceeded(f"{name}() of JSON nested too deeply") from None
    except ValueError as error:
        if isinstance(error, Undecidable):
            raise
        value = _parse_lenient(text, name)
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_VALUE_DEPTH:
            raise BoundExceeded(f"{name}() of JSON nested deeper than {MAX_VALUE_DEPTH} levels")
        if isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)
        elif isinstance(node, dict):
            stack.extend((item, depth + 1) for item in node.values())
    return value


def _parse_lenient(text: str, name: str) -> object:
    """The template reader's leniencies, after single-quoted strings are made double-quoted."""
    from templategen.arm import document
    from templategen.diagnostics import InputError

    for candidate in (text, _double_quoted(text) if "'" in text else None):
        if candidate is None:
            continue
        try:
            return document.parse_json(candidate, f"{name}()").data
        except InputError:
            continue
    raise Undecidable(f"{name}() of text that is not JSON")


def _double_quoted(text: str) -> str | None:
    """`text` with its single-quoted strings written as JSON strings, double-quoted strings and
    comments copied as they are (a quote inside them delimits nothing); None when a single-quoted
    string is not closed."""
    import json

    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == "'":
            decoded, end = _single_quoted(text, i)
            if end < 0:
                return None
            out.append(json.dumps(decoded, ensure_ascii=False))
        else:
            end = _passage_end(text, i)
            out.append(text[i:end])
        i = end
    return "".join(out)


def _passage_end(text: str, start: int) -> int:
    """Where the double-quoted string or comment starting at `start` ends (exclusive); `start + 1`
    for any other character."""
    if text[start] == '"':
        end = start + 1
        while end < len(text) and text[end] != '"':
            end += 2 if text[end] == "\\" else 1
        return min(end + 1, len(text))
    if text.startswith("//", start):
        end = text.find("\n", start)
        return len(text) if end < 0 else end
    if text.startswith("/*", start):
        end = text.find("*/", start + 2)
        return len(text) if end < 0 else end + 2
    return start + 1


def _single_quoted(text: str, start: int) -> tuple[str, int]:
    """The decoded content of the single-quoted string at `start` (backslash escapes as Newtonsoft
    reads them) and where it ends (exclusive); end -1 when it is not closed."""
    chars: list[str] = []
    i, n = start + 1, len(text)
    while i < n and text[i] != "'":
        if text[i] != "\\" or i + 1 >= n:
            chars.append(text[i])
            i += 1
            continue
        escaped = text[i + 1]
        digits = text[i + 2 : i + 6]
        if escaped == "u" and len(digits) == 4 and all(c in "0123456789abcdefABCDEF" for c in digits):
            chars.append(chr(int(digits, 16)))
            i += 6
        else:
            chars.append(_ESCAPES.get(escaped, escaped))
            i += 2
    return "".join(chars), (i + 1 if i < n else -1)


#: Backslash escapes of a single-quoted string, as in JSON (`\'` and any other character: itself).
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


@register("dataUri", STRICT, type=STRING)
def data_uri(args: list[object]) -> object:
    import base64

    need_count("dataUri", args, 1, 1)
    value = args[0]
    if isinstance(value, str):
        media, text = "text/plain;charset=utf8", value
    elif isinstance(value, (list, dict)):
        media, text = "application/json;charset=utf8", _compact_json(value)
    elif isinstance(value, bool) or value is None or isinstance(value, float):
        raise Undecidable("dataUri() of this type is not reproduced offline")
    else:
        assert isinstance(value, int)
        media, text = "application/json;charset=utf8", str(int(value))
    encoded = base64.b64encode(text.encode("utf-8", "surrogatepass")).decode("ascii")
    return check_text(f"data:{media};base64,{encoded}")


@register("dataUriToString", STRICT, type=STRING)
def data_uri_to_string(args: list[object]) -> object:
    import base64
    import binascii
    from urllib.parse import unquote_to_bytes

    need_count("dataUriToString", args, 1, 1)
    text = need_str("dataUriToString", args[0], 1)
    if not text[:5].lower() == "data:" or "," not in text:
        raise ArmError("dataUriToString() got a value that is not a data URI")
    metadata, data = text[5:].split(",", 1)
    tokens = metadata.split(";") if metadata else []
    is_base64 = bool(tokens) and tokens[-1].lower() == "base64"
    for token in tokens[1:]:
        if token.lower().startswith("charset=") and token[8:].lower() not in ("utf-8", "utf8"):
            raise Undecidable("data URI in a character set other than UTF-8")
    try:
        raw = base64.b64decode(data, validate=True) if is_base64 else unquote_to_bytes(data)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ArmError("dataUriToString() cannot decode the data URI") from None


@register("uriComponent", STRICT, type=STRING)
def uri_component(args: list[object]) -> object:
    from urllib.parse import quote as url_quote

    need_count("uriComponent", args, 1, 1)
    text = need_str("uriComponent", args[0], 1)
    try:
        return check_text(url_quote(text, safe="", encoding="utf-8", errors="strict"))
    except UnicodeEncodeError:
        raise ArmError("uriComponent() got text that is not valid Unicode") from None


@register("uriComponentToString", STRICT, type=STRING)
def uri_component_to_string(args: list[object]) -> object:
    from urllib.parse import unquote

    need_count("uriComponentToString", args, 1, 1)
    text = need_str("uriComponentToString", args[0], 1)
    if "+" in text:
        raise Undecidable("'+' decodes differently in .NET's decoders")
    return unquote(text, encoding="utf-8", errors="strict")


_SIMPLE_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?"
)
_SIMPLE_RELATIVE = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@/-]*")


@register("uri", STRICT, type=STRING)
def uri(args: list[object]) -> object:
    from urllib.parse import urljoin

    need_count("uri", args, 2, 2)
    base = need_str("uri", args[0], 1)
    relative = need_str("uri", args[1], 2)
    if "://" not in base:
        raise ArmError("uri() expects an absolute base URI")
    if not _SIMPLE_URI.fullmatch(base) or not _SIMPLE_RELATIVE.fullmatch(relative) or "//" in relative:
        raise Undecidable("uri() normalises such URIs in ways not reproduced offline")
    scheme, rest = base.split("://", 1)
    host, slash, path = rest.partition("/")
    result = urljoin(
        f"{scheme.lower()}://{host.lower()}{slash}{path}" if slash else f"{scheme.lower()}://{host.lower()}/",
        relative,
    )
    return check_text(result)


# --------------------------------------------------------------------------------------------------
# hashes


def _hash_inputs(name: str, args: list[object]) -> list[str]:
    need_count(name, args, 1)
    texts: list[str] = []
    for position, value in enumerate(args, 1):
        texts.append(need_str(name, value, position))
    if sum(len(text) for text in texts) > 131_072:
        raise ArmError(f"{name}() input is longer than the 131,072 characters ARM accepts")
    return texts


@register("uniqueString", STRICT, type=STRING, alphabet=BASE32_CHARS)
def unique_string_(args: list[object]) -> object:
    from templategen.arm.hashing import unique_string  # rarely called: its inputs are seldom known offline

    try:
        return unique_string(*_hash_inputs("uniqueString", args))
    except UnicodeEncodeError:
        raise Undecidable("text that is not valid Unicode") from None


@register("guid", STRICT, type=STRING, alphabet=_GUID_ALPHABET)
def guid(args: list[object]) -> object:
    from templategen.arm.hashing import arm_guid

    try:
        return arm_guid(*_hash_inputs("guid", args))
    except UnicodeEncodeError:
        raise Undecidable("text that is not valid Unicode") from None
