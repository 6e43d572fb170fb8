"""The values offline evaluation produces, and the helpers rules use to read them.

Rules ask questions such as "is this policy's run time on the half hour?" or "is the VM in the
protected item's name the VM of its `sourceResourceId`?". Offline, many values are not fully known:
a parameter without a default, `resourceGroup().name`, the index of a copy loop whose count is a
parameter. Two rules hold everything here together:

* **A value that cannot be known offline is unknown, never guessed.** Rules skip unknowns.
* **Unknown is not the same as unrelated.** `parameters('rg')` used in two places is one value even
  though nobody knows it, so an unknown carries a *label* naming where it came from, and two unknowns
  with the same label (in the same evaluation context) are the same value.

The value types
---------------
* Known values are plain JSON-like Python values: `None`, `bool`, `int`, `float`, `str`, `list`,
  `dict` (keys as written; ARM reads keys case-insensitively, see `ci_get`). Lists and dicts may hold
  unknown elements: `[<parameters('vm1')>, 'vm2']` has a known length.
* `Unknown(label)`: a value nobody knows offline. `label` is canonical (function, parameter, variable
  and property names in lower case: `parameters('existingvirtualmachinesresourcegroup')`,
  `resourcegroup().name`, `parameters('vms')[copyindex('protecteditems')]`); `display` keeps the
  spelling of the template for messages. Values that differ on every call (`newGuid()`, `utcNow()`,
  `reference()`, `list*()`) get a unique id and never compare equal to another unknown.
* `Partial`: a string of known text and unknown pieces, from `concat`, `format`, `resourceId`...:
  `Partial(('/subscriptions/', <subscription().subscriptionid>, '/resourceGroups/', ...))`.
* `SecretStr`, `SecretInt`, `SecretFloat`: known values that came from a secure parameter (or were
  computed from one). They behave as `str`/`int`/`float` in every way except `repr` and `describe`,
  which print `***`. Unknowns carry the same taint in `Unknown.secret`.

The helpers for rule authors
----------------------------
* `is_known(v)`: fully known, recursively (no unknown anywhere inside). Secrets are known.
* `known_text(v) -> str | None`: the string when `v` is a fully known string, else None.
* `same(a, b, ignore_case=False) -> bool | None`: True when provably equal (also for unknowns with
  the same label, or partial strings of the same shape), False when provably different (different
  known text, different JSON types, different lengths), None when it cannot be told.
* `split_text(v, sep, assume=False) -> list | None`: split a known or partial string. Unknown pieces
  may contain `sep`, so by default a partial string only splits when every unknown piece provably
  cannot (copy indexes, subscription ids...); `assume=True` takes unknown pieces as separator-free,
  which is what a rule wants for Azure names (an RG or VM name never contains `/` or `;`) — say so in
  the rule's docs.
* `describe(v)`: a short printable rendering for messages: unknown pieces as `<parameters('x')>`,
  secrets as `***`, SAS signatures redacted. Never print a value with `str()` or an f-string: use this.
* `is_secret(v)`, `text_parts(v)`, `has_unknown(v)`, `ci_get(obj, key)` as documented below.

This module is on the start-up path of `templategen lint` (see docs/ARCHITECTURE.md): only `re` and
our own modules at import time.
"""

from __future__ import annotations

import re

from templategen.redact import MASK, redact_text

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Iterable

#: Deepest nesting the recursive helpers follow (labels, equality, rendering, taint). Beyond it a
#: value is opaque: it compares as "cannot tell" and its label is unique, so nothing is guessed.
MAX_HELPER_DEPTH = 64
#: Labels longer than this are replaced by a digest (still canonical: equal labels, equal digests).
MAX_LABEL_LENGTH = 512

# Bounds on the values evaluation builds (hostile input, issue 7). Real templates stay far below.
#: Longest string built offline (characters). Longer results are unknown (+ a problem).
MAX_STRING_LENGTH = 1_048_576
#: Longest array built offline (elements): well above ARM's own limits (range: 10,000; copy: 800).
MAX_ARRAY_LENGTH = 100_000
#: Deepest JSON value `json()` may produce offline.
MAX_VALUE_DEPTH = 100

# JSON type names used by `Unknown.type` and `json_type`.
STRING = "string"
INT = "int"
FLOAT = "float"
BOOL = "bool"
ARRAY = "array"
OBJECT = "object"
NULL = "null"

#: Characters of values whose alphabet is known (`Unknown.alphabet`).
DIGITS = "-0123456789"
#: A copy index is never negative.
INDEX_DIGITS = "0123456789"
GUID_CHARS = "0123456789abcdefABCDEF-"
BASE32_CHARS = "abcdefghijklmnopqrstuvwxyz234567"


class ArmError(Exception):
    """An error Resource Manager would raise at deployment time (index out of range, wrong argument
    type, division by zero...). The evaluator records it as a problem and returns an unknown."""


class Undecidable(Exception):
    """The result exists but cannot be computed offline without guessing (culture-dependent
    formatting, a comparison with an unknown...). The evaluator returns an unknown, no problem."""


class BoundExceeded(Exception):
    """A value or a computation beyond the evaluator's bounds (hostile input): unknown + a problem."""


def check_text(text: str) -> str:
    """`text`, or `BoundExceeded` when it is longer than the evaluator builds."""
    if len(text) > MAX_STRING_LENGTH:
        raise BoundExceeded(f"a string of {len(text):,} characters (bound: {MAX_STRING_LENGTH:,})")
    return text


def check_length(count: int, what: str = "an array") -> None:
    """`BoundExceeded` when an array of `count` elements would be too long to build."""
    if count > MAX_ARRAY_LENGTH:
        raise BoundExceeded(f"{what} of {count:,} elements (bound: {MAX_ARRAY_LENGTH:,})")


def utf16_length(text: str) -> int:
    """The length .NET (and so ARM's `length()`) reports: UTF-16 code units, so a character outside
    the Basic Multilingual Plane (most emoji) counts twice."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def bmp_only(text: str) -> str:
    """`text` when index arithmetic on it is the same in Python and .NET; `Undecidable` otherwise."""
    if not text.isascii() and any(ord(char) > 0xFFFF for char in text):
        raise Undecidable("string positions differ between UTF-16 and code points")
    return text


# --------------------------------------------------------------------------------------------------
# secrets


class SecretStr(str):
    """A string that came from a secure parameter: a `str` in every way except `repr`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "SecretStr('***')"


class SecretInt(int):
    """An integer that came from a secure parameter (booleans stay plain: they hide nothing)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "SecretInt(***)"


class SecretFloat(float):
    """A number that came from a secure parameter."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "SecretFloat(***)"


_SECRET_TYPES = (SecretStr, SecretInt, SecretFloat)


# --------------------------------------------------------------------------------------------------
# unknowns and partial strings


class Unknown:
    """A value that cannot be known offline, named by the expression that produced it.

    label     canonical name: two unknowns with the same label, context and uid are the same value
    display   the same name as the template spells it, for messages
    context   which evaluation it belongs to: "" for a file's template, the nested template's pointer
              (and copy index) for an inner-scope nested deployment, whose `parameters('x')` is
              another value than the parent's
    uid       0 for deployment constants; a unique number for values that differ per call
              (`newGuid()`, `utcNow()`, `reference()`, errors): those never equal another unknown
    secret    derived from a secure parameter: `describe` prints `***`
    case      "" or "lower"/"upper": `toLower(x)` is `x` with case "lower", so `same(...,
              ignore_case=True)` can still match it
    type      the JSON type when known ("string", "int", "array", ...), e.g. from a parameter's type
    alphabet  the characters the value can contain, when known (a copy index: digits; a
              subscription id: hex digits and dashes); lets `split_text` and `same` prove things
    members   known members of an unknown object, lower-cased name -> value
              (`resourceGroup()` knows its `id` is `/subscriptions/<...>/resourceGroups/<...>`)
    """

    __slots__ = ("alphabet", "case", "context", "display", "label", "members", "secret", "type", "uid")

    def __init__(
        self,
        label: str,
        display: str | None = None,
        *,
        context: str = "",
        uid: int = 0,
        secret: bool = False,
        case: str = "",
        type: str | None = None,
        alphabet: str | None = None,
        members: dict[str, object] | None = None,
    ) -> None:
        self.label = label
        self.display = label if display is None else display
        self.context = context
        self.uid = uid
        self.secret = secret
        self.case = case
        self.type = type
        self.alphabet = alphabet
        self.members = members

    @property
    def deterministic(self) -> bool:
        """False for values that differ on every call (they never compare equal to anything)."""
        return self.uid == 0

    def identity(self, ignore_case: bool = False) -> tuple[object, ...]:
        """What makes two unknowns the same value."""
        if ignore_case:
            return (self.label, self.context, self.uid)
        return (self.label, self.context, self.uid, self.case)

    def replace(self, **changes: object) -> Unknown:
        """A copy with some fields changed (unknowns are immutable by convention)."""
        fields: dict[str, object] = {name: getattr(self, name) for name in Unknown.__slots__}
        fields.update(changes)
        label = fields.pop("label")
        display = fields.pop("display")
        assert isinstance(label, str) and isinstance(display, str)
        return Unknown(label, display, **fields)  # type: ignore[arg-type]

    @property
    def shown(self) -> str:
        """The display name with its case transformation, as `describe` shows it (without <>)."""
        if self.case == "lower":
            return f"toLower({self.display})"
        if self.case == "upper":
            return f"toUpper({self.display})"
        return self.display

    def __repr__(self) -> str:
        extra = f", uid={self.uid}" if self.uid else ""
        ctx = f", context={self.context!r}" if self.context else ""
        case = f", case={self.case!r}" if self.case else ""
        return f"Unknown({self.label!r}{ctx}{extra}{case})"


class Partial:
    """A string made of known text and unknown pieces, in order.

    `parts` is normalised by `join_text`: at least one `Unknown`, no empty strings, no two strings in
    a row. Build partials with `join_text`, never directly.
    """

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[str | Unknown, ...]) -> None:
        self.parts = parts

    @property
    def prefix(self) -> str:
        """The known text before the first unknown piece ("" when it starts with one)."""
        first = self.parts[0]
        return first if isinstance(first, str) else ""

    @property
    def suffix(self) -> str:
        """The known text after the last unknown piece."""
        last = self.parts[-1]
        return last if isinstance(last, str) else ""

    @property
    def unknowns(self) -> list[Unknown]:
        return [part for part in self.parts if isinstance(part, Unknown)]

    def __repr__(self) -> str:
        return f"Partial({self.parts!r})"


def join_text(pieces: Iterable[object]) -> str | Partial | Unknown:
    """Concatenate strings, partials and unknowns (standing for their text) into the simplest value:
    a `str` when everything is known, the `Unknown` itself when it is the only piece, else a `Partial`.

    Known text that includes secret text stays secret (`SecretStr`).
    """
    out: list[str | Unknown] = []
    buffer: list[str] = []
    secret = False

    def flush() -> None:
        nonlocal secret
        if buffer:
            text = "".join(buffer)
            if text:
                out.append(SecretStr(text) if secret else text)
            buffer.clear()
            secret = False

    for piece in pieces:
        if isinstance(piece, str):
            buffer.append(piece)
            secret = secret or isinstance(piece, SecretStr)
        elif isinstance(piece, Unknown):
            flush()
            out.append(piece)
        elif isinstance(piece, Partial):
            for part in piece.parts:
                if isinstance(part, str):
                    buffer.append(part)
                    secret = secret or isinstance(part, SecretStr)
                else:
                    flush()
                    out.append(part)
        else:
            raise TypeError(f"not text: {type(piece).__name__}")
    flush()
    if not out:
        return ""
    if len(out) == 1:
        return out[0]
    return Partial(tuple(out))


def text_parts(value: object) -> tuple[str | Unknown, ...] | None:
    """The pieces of a textual value: `('abc',)` for a string, the parts of a partial, `(u,)` for an
    unknown; None for anything else (numbers, arrays...)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Partial):
        return value.parts
    if isinstance(value, Unknown):
        return (value,)
    return None


# --------------------------------------------------------------------------------------------------
# reading values


def is_known(value: object) -> bool:
    """True when `value` holds no unknown and no partial string anywhere inside (iterative, so any
    depth is fine). Secret values are known."""
    if value is None or type(value) in _SCALARS:
        return True
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (Unknown, Partial)):
            return False
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif not (item is None or isinstance(item, (str, int, float))):
            return False  # a lambda or anything else that is not JSON
    return True


_SCALARS = frozenset({str, int, bool, float})


def has_unknown(value: object) -> bool:
    """The opposite of `is_known`."""
    return not is_known(value)


def known_text(value: object) -> str | None:
    """The string, when `value` is a fully known string; else None (numbers are not text)."""
    return value if isinstance(value, str) else None


def is_secret(value: object) -> bool:
    """True when `value` is or contains something derived from a secure parameter."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _SECRET_TYPES):
            return True
        if isinstance(item, Unknown):
            if item.secret:
                return True
        elif isinstance(item, Partial):
            stack.extend(item.parts)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


def json_type(value: object) -> str | None:
    """The JSON type of a value ("string", "int", "float", "bool", "array", "object", "null"); for an
    unknown its `type` (None when not known)."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return FLOAT
    if isinstance(value, (str, Partial)):
        return STRING
    if isinstance(value, list):
        return ARRAY
    if isinstance(value, dict):
        return OBJECT
    if isinstance(value, Unknown):
        return value.type
    return None


def ci_get(mapping: dict[str, object], key: str) -> tuple[bool, object]:
    """Look a key up the way ARM does: exact spelling first, then case-insensitively (the last
    member wins when several differ only in case). Returns (found, value)."""
    if key in mapping:
        return True, mapping[key]
    low = key.lower()
    found = False
    result: object = None
    for name, item in mapping.items():
        if name.lower() == low:
            found = True
            result = item
    return found, result


# --------------------------------------------------------------------------------------------------
# comparing


def same(a: object, b: object, ignore_case: bool = False) -> bool | None:
    """Are `a` and `b` the same value? True / False when provable, None when it cannot be told.

    Strings compare case-sensitively (ARM `equals`) unless `ignore_case` (resource names and ids are
    case-insensitive in Azure). Numbers compare by value (1 == 1.0), objects by their members (keys
    case-sensitively, order ignored), arrays element by element.
    """
    return _same(a, b, ignore_case, 0)


def _same(a: object, b: object, ic: bool, depth: int) -> bool | None:
    if depth > MAX_HELPER_DEPTH:
        return None
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return _same_unknown(a, b, ic)
    if isinstance(a, Partial) or isinstance(b, Partial):
        return _same_text(a, b, ic)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold() if ic else a == b
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        return _all3(_same(x, y, ic, depth + 1) for x, y in zip(a, b, strict=False))
    if isinstance(a, dict) and isinstance(b, dict):
        if len(a) != len(b):
            return False
        if ic:
            lower_b = {key.lower(): item for key, item in b.items()}
            if len(lower_b) != len(b) or any(key.lower() not in lower_b for key in a):
                return None if len(lower_b) != len(b) else False
            return _all3(_same(item, lower_b[key.lower()], ic, depth + 1) for key, item in a.items())
        if set(a) != set(b):
            return False
        return _all3(_same(item, b[key], ic, depth + 1) for key, item in a.items())
    if isinstance(a, _JSON_TYPES) and isinstance(b, _JSON_TYPES):
        return False  # different JSON types
    return None  # lambdas and other non-JSON values


_JSON_TYPES = (list, dict, str, int, float)


def _all3(results: Iterable[bool | None]) -> bool | None:
    """Three-valued AND: False wins, then None."""
    unsure = False
    for result in results:
        if result is False:
            return False
        if result is None:
            unsure = True
    return None if unsure else True


def _same_unknown(a: object, b: object, ic: bool) -> bool | None:
    if isinstance(a, Unknown) and isinstance(b, Unknown):
        if a.identity(ic) == b.identity(ic):
            return True
        if a.type and b.type and a.type != b.type and _strict_types(a.type, b.type):
            return False
        return None
    unknown, other = (a, b) if isinstance(a, Unknown) else (b, a)
    assert isinstance(unknown, Unknown)
    if isinstance(other, Partial):
        return False if unknown.type not in (None, STRING) else None
    other_type = json_type(other)
    if unknown.type and other_type and _strict_types(unknown.type, other_type):
        return False
    if isinstance(other, str) and unknown.alphabet is not None:
        alphabet = unknown.alphabet.lower() + unknown.alphabet.upper() if ic else unknown.alphabet
        if any(char not in alphabet for char in other):
            return False
    return None


def _strict_types(first: str, second: str) -> bool:
    """True when two JSON types cannot hold equal values (int and float can)."""
    numbers = {INT, FLOAT}
    if first in numbers and second in numbers:
        return False
    return first != second


def _same_text(a: object, b: object, ic: bool) -> bool | None:
    parts_a = text_parts(a)
    parts_b = text_parts(b)
    if parts_a is None or parts_b is None:
        return False  # a partial string is a string; the other is not text
    if len(parts_a) == len(parts_b) and all(
        _same_piece(x, y, ic) for x, y in zip(parts_a, parts_b, strict=False)
    ):
        return True
    fold = str.casefold if ic else _identity
    prefix_a, prefix_b = fold(_prefix(parts_a)), fold(_prefix(parts_b))
    common = min(len(prefix_a), len(prefix_b))
    if prefix_a[:common] != prefix_b[:common]:
        return False
    suffix_a, suffix_b = fold(_suffix(parts_a)), fold(_suffix(parts_b))
    common = min(len(suffix_a), len(suffix_b))
    if common and suffix_a[-common:] != suffix_b[-common:]:
        return False
    known, partial = (
        (a, parts_b) if isinstance(a, str) else (b, parts_a) if isinstance(b, str) else (None, None)
    )
    if isinstance(known, str) and partial is not None and not _could_match(known, partial, ic):
        return False
    return None


def _identity(text: str) -> str:
    return text


def _same_piece(x: str | Unknown, y: str | Unknown, ic: bool) -> bool:
    if isinstance(x, Unknown) and isinstance(y, Unknown):
        return x.identity(ic) == y.identity(ic)
    if isinstance(x, str) and isinstance(y, str):
        return x.casefold() == y.casefold() if ic else x == y
    return False


def _prefix(parts: tuple[str | Unknown, ...]) -> str:
    first = parts[0]
    return first if isinstance(first, str) else ""


def _suffix(parts: tuple[str | Unknown, ...]) -> str:
    last = parts[-1]
    return last if isinstance(last, str) else ""


def _could_match(text: str, parts: tuple[str | Unknown, ...], ic: bool) -> bool:
    """Can the partial string `parts` be `text`? Known pieces must appear in order, unknown pieces
    match anything (within their alphabet). Small inputs only: the pattern is a plain regex."""
    if len(text) > 10_000 or len(parts) > 17:
        return True
    pattern: list[str] = []
    for part in parts:
        if isinstance(part, str):
            pattern.append(re.escape(part))
        elif part.alphabet is not None and not part.case:
            pattern.append("[" + re.escape(part.alphabet) + "]*")
        else:
            pattern.append(".*")
    flags = re.DOTALL | (re.IGNORECASE if ic else 0)
    return re.fullmatch("".join(pattern), text, flags) is not None


# --------------------------------------------------------------------------------------------------
# splitting


def split_text(value: object, sep: str, assume: bool = False) -> list[str | Partial | Unknown] | None:
    """Split a known or partially known string at every `sep`.

    Known text is split exactly. An unknown piece might contain `sep` itself; it is kept whole inside
    its segment when its `alphabet` proves it cannot (a copy index, a subscription id), or when
    `assume` is true (the caller asserts the unknown pieces are separator-free, e.g. Azure resource
    group and VM names never contain `/` or `;`). Otherwise the answer is None. Also None for values
    that are not text. A value that is one unknown as a whole splits to `[value]` under the same rule.
    """
    if not sep:
        raise ValueError("empty separator")
    parts = text_parts(value)
    if parts is None:
        return None
    segments: list[list[object]] = [[]]
    for part in parts:
        if isinstance(part, str):
            pieces = part.split(sep)
            secret = isinstance(part, SecretStr)
            segments[-1].append(SecretStr(pieces[0]) if secret else pieces[0])
            for piece in pieces[1:]:
                segments.append([SecretStr(piece) if secret else piece])
        else:
            if not assume and not _cannot_contain(part, sep):
                return None
            segments[-1].append(part)
    return [join_text(segment) for segment in segments]


def _cannot_contain(unknown: Unknown, sep: str) -> bool:
    alphabet = unknown.alphabet
    if alphabet is None:
        return False
    if unknown.case:
        alphabet = alphabet.lower() + alphabet.upper()
    return any(char not in alphabet for char in sep)


# --------------------------------------------------------------------------------------------------
# labels (canonical names of values, used to name derived unknowns)


class OpaqueValue(Exception):
    """A value too deep to name canonically: whatever is derived from it is a unique unknown."""


def quote(text: str) -> str:
    """An ARM string literal: single quotes, a quote inside doubled."""
    return "'" + text.replace("'", "''") + "'"


def label_of(value: object) -> str:
    """The canonical name of a value: `'text'`, `42`, `true()`, `null()`, `[a, b]`, `{'k': v}`, an
    unknown's label, a partial as `concat(...)`. Equal values of the same shape get equal labels.
    Long labels are replaced by a digest. Raises `OpaqueValue` for values deeper than the bound."""
    text = _label(value, 0)
    if len(text) > MAX_LABEL_LENGTH:
        import hashlib

        return "#" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return text


def _label(value: object, depth: int) -> str:
    if depth > MAX_HELPER_DEPTH:
        raise OpaqueValue
    if value is None:
        return "null()"
    if value is True:
        return "true()"
    if value is False:
        return "false()"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value))
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, Unknown):
        return unknown_label(value)
    if isinstance(value, Partial):
        return "concat(" + ", ".join(_label(part, depth + 1) for part in value.parts) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_label(item, depth + 1) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quote(k)}: {_label(v, depth + 1)}" for k, v in value.items()) + "}"
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    raise OpaqueValue


def unknown_label(value: Unknown) -> str:
    """An unknown's label with its case transformation (`tolower(parameters('x'))`)."""
    if value.case:
        return f"to{value.case}({value.label})"
    return value.label


# --------------------------------------------------------------------------------------------------
# taint


def taint(value: object, depth: int = 0) -> object:
    """`value` marked as secret: strings and numbers become Secret*, unknowns get `secret`, inside
    arrays, objects and partial strings too. Beyond the depth bound the rest becomes a secret unknown."""
    if depth > MAX_HELPER_DEPTH:
        return Unknown("secret", "***", uid=-1, secret=True)
    if value is None or isinstance(value, (bool, *_SECRET_TYPES)):
        return value
    if isinstance(value, str):
        return SecretStr(value)
    if isinstance(value, int):
        return SecretInt(value)
    if isinstance(value, float):
        return SecretFloat(value)
    if isinstance(value, Unknown):
        return value if value.secret else value.replace(secret=True)
    if isinstance(value, Partial):
        parts = tuple(taint(part, depth + 1) for part in value.parts)
        return Partial(parts)  # type: ignore[arg-type]
    if isinstance(value, list):
        return [taint(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {key: taint(item, depth + 1) for key, item in value.items()}
    return value


# --------------------------------------------------------------------------------------------------
# describing (for messages)


def describe(value: object, limit: int = 120) -> str:
    """A short printable rendering of a value for messages.

    Strings are shown as they are at the top level and JSON-quoted inside arrays and objects;
    unknown pieces as `<parameters('x')>`; anything secret as `***`; SAS signatures and account keys
    redacted (`sig=***`). Longer than `limit` characters → cut with `…`.
    """
    text = redact_text(_render(value, 0, top=True))
    if len(text) > limit:
        return text[: max(limit - 1, 0)] + "…"
    return text


def _render(value: object, depth: int, top: bool = False) -> str:
    if depth > 8:
        return "…"
    if isinstance(value, _SECRET_TYPES):
        return MASK
    if isinstance(value, Unknown):
        return MASK if value.secret else f"<{value.shown}>"
    if isinstance(value, Partial):
        text = "".join(
            MASK if isinstance(p, SecretStr) else _render(p, depth + 1, top=True) for p in value.parts
        )
        return text if top else _json_quote(text)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return value if top else _json_quote(value)
    if isinstance(value, list):
        return (
            "["
            + ", ".join(_render(item, depth + 1) for item in value[:20])
            + (", …]" if len(value) > 20 else "]")
        )
    if isinstance(value, dict):
        items = list(value.items())
        body = ", ".join(f"{_json_quote(k)}: {_render(v, depth + 1)}" for k, v in items[:20])
        return "{" + body + (", …}" if len(items) > 20 else "}")
    label = getattr(value, "display", None)
    return f"<{label}>" if isinstance(label, str) else "<?>"


def _json_quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
