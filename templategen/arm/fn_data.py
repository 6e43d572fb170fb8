"""Array, object, comparison, numeric and conversion functions of ARM templates, offline.

Sources: the template-functions-array, -object, -comparison, -numeric and -logical references, and
.NET semantics where they are silent: integer arithmetic is 64-bit and checked (an overflow fails
the deployment), `div` truncates toward zero and `mod` takes the sign of the dividend (C# `/` and
`%`), `equals` compares deeply and case-sensitively, object keys are looked up ignoring case,
`items()` sorts by key ignoring case, `union()` merges objects deeply and arrays without
duplicates. String ordering (`less('A', 'a')`) is .NET's invariant culture; it is reproduced for
letters and digits only, anything else is unknown.

Arrays and objects may hold unknown elements; a function answers whenever those elements do not
matter (`length`, `take`, `items`...) and raises `Undecidable` when they do (`union` must know
whether two elements are equal).
"""

from __future__ import annotations

from templategen.arm.builtin import (
    CUSTOM,
    SHALLOW,
    STRICT,
    need_count,
    need_dict,
    need_int,
    need_list,
    need_str,
    registry,
    type_name,
)
from templategen.arm.values import (
    ARRAY,
    BOOL,
    DIGITS,
    FLOAT,
    INT,
    OBJECT,
    ArmError,
    BoundExceeded,
    Partial,
    Undecidable,
    Unknown,
    check_length,
    ci_get,
    same,
)

FUNCTIONS, register = registry()

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
#: ARM's limit on `range()`: at most 10,000 elements.
RANGE_LIMIT = 10_000


# --------------------------------------------------------------------------------------------------
# arrays


@register("array", CUSTOM, type=ARRAY, assembles=True)
def array(args: list[object]) -> object:
    need_count("array", args, 1, 1)
    value = args[0]
    if isinstance(value, list):
        return value
    if isinstance(value, Unknown):
        if value.type == ARRAY:
            return value
        if value.type is None:
            raise Undecidable("array() of an unknown that may already be an array")
    return [value]


@register("createArray", CUSTOM, type=ARRAY, assembles=True)
def create_array(args: list[object]) -> object:
    check_length(len(args))
    return list(args)


@register("flatten", SHALLOW, type=ARRAY, assembles=True)
def flatten(args: list[object]) -> object:
    need_count("flatten", args, 1, 1)
    out: list[object] = []
    for index, item in enumerate(need_list("flatten", args[0], 1)):
        if isinstance(item, list):
            out.extend(item)
        elif isinstance(item, Unknown) and item.type in (None, ARRAY):
            raise Undecidable("flatten() of an unknown element")
        else:
            raise ArmError(f"flatten() expects an array of arrays; element {index} is a {type_name(item)}")
        check_length(len(out))
    return out


@register("indexFromEnd", SHALLOW, assembles=True)
def index_from_end(args: list[object]) -> object:
    return _from_end(args, "indexFromEnd", strict=True)


@register("tryIndexFromEnd", SHALLOW, assembles=True)
def try_index_from_end(args: list[object]) -> object:
    return _from_end(args, "tryIndexFromEnd", strict=False)


def _from_end(args: list[object], name: str, strict: bool) -> object:
    need_count(name, args, 2, 2)
    items = need_list(name, args[0], 1)
    position = need_int(name, args[1], 2)
    if 1 <= position <= len(items):
        return items[len(items) - position]
    if strict:
        raise ArmError(f"{name}() index {position} is out of range for an array of {len(items)} elements")
    return None


@register("take", SHALLOW)
def take(args: list[object]) -> object:
    return _slice(args, "take", take=True)


@register("skip", SHALLOW)
def skip(args: list[object]) -> object:
    return _slice(args, "skip", take=False)


def _slice(args: list[object], name: str, take: bool) -> object:
    need_count(name, args, 2, 2)
    value = args[0]
    count = max(need_int(name, args[1], 2), 0)
    if value is None:
        return None
    if isinstance(value, str):
        from templategen.arm.values import bmp_only

        bmp_only(value)
        return value[:count] if take else value[count:]
    items = need_list(name, value, 1) if not isinstance(value, str) else []
    return items[:count] if take else items[count:]


@register("range", STRICT, type=ARRAY)
def range_(args: list[object]) -> object:
    need_count("range", args, 2, 2)
    start = need_int("range", args[0], 1)
    count = need_int("range", args[1], 2)
    if count < 0 or count > RANGE_LIMIT:
        raise ArmError(f"range() count must be between 0 and {RANGE_LIMIT:,} (it is {count:,})")
    if start + count - 1 > 2_147_483_647 or start < -2_147_483_648:
        raise ArmError("range() goes beyond the 32-bit integer range")
    return list(range(start, start + count))


@register("min", SHALLOW, type=INT)
def minimum(args: list[object]) -> object:
    return _extreme(args, "min", min)


@register("max", SHALLOW, type=INT)
def maximum(args: list[object]) -> object:
    return _extreme(args, "max", max)


def _extreme(args: list[object], name: str, pick: object) -> object:
    need_count(name, args, 1)
    values = args[0] if len(args) == 1 and isinstance(args[0], list) else args
    if not values:
        raise ArmError(f"{name}() of an empty array")
    numbers: list[int | float] = []
    for value in values:
        if isinstance(value, Unknown):
            raise Undecidable(f"{name}() of unknown numbers")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ArmError(f"{name}() expects numbers, not {type_name(value)}")
        numbers.append(value)
    assert callable(pick)
    result = pick(numbers)
    if any(isinstance(number, float) for number in numbers):
        return float(result)
    return int(result)


# --------------------------------------------------------------------------------------------------
# arrays and objects


@register("union", SHALLOW, assembles=True)
def union(args: list[object]) -> object:
    need_count("union", args, 2)
    if all(isinstance(arg, list) for arg in args):
        out: list[object] = []
        for arg in args:
            assert isinstance(arg, list)
            for item in arg:
                _append_distinct(out, item, "union")
        return out
    if all(isinstance(arg, dict) for arg in args):
        merged: dict[str, object] = {}
        for arg in args:
            assert isinstance(arg, dict)
            merged = _merge_deep(merged, arg, 0)
        return merged
    raise ArmError("union() expects arguments that are all arrays or all objects")


def _append_distinct(out: list[object], item: object, name: str) -> None:
    for existing in out:
        result = same(existing, item)
        if result:
            return
        if result is None:
            raise Undecidable(f"{name}() compared unknown elements")
    out.append(item)
    check_length(len(out))


def _merge_deep(source: dict[str, object], patch: dict[str, object], depth: int) -> dict[str, object]:
    """Merge `patch` into a copy of `source`: nested objects merge, anything else is replaced; keys
    match ignoring case and keep the first spelling."""
    if depth > 64:
        raise BoundExceeded("union() of objects nested too deeply")
    result = dict(source)
    lower = {key.lower(): key for key in result}
    for key, value in patch.items():
        existing_key = lower.get(key.lower())
        if existing_key is None:
            result[key] = value
            lower[key.lower()] = key
            continue
        current = result[existing_key]
        if isinstance(current, dict) and isinstance(value, dict):
            result[existing_key] = _merge_deep(current, value, depth + 1)
        elif isinstance(current, Unknown) or (isinstance(value, Unknown) and value.type in (None, OBJECT)):
            if isinstance(value, Unknown) or (isinstance(current, Unknown) and isinstance(value, dict)):
                raise Undecidable("union() merges an unknown object")
            result[existing_key] = value
        else:
            result[existing_key] = value
    return result


@register("intersection", SHALLOW, assembles=True)
def intersection(args: list[object]) -> object:
    need_count("intersection", args, 2)
    if all(isinstance(arg, list) for arg in args):
        first = args[0]
        assert isinstance(first, list)
        out: list[object] = []
        for item in first:
            everywhere = True
            for other in args[1:]:
                assert isinstance(other, list)
                found = _find_same(other, item)
                if found is None:
                    raise Undecidable("intersection() compared unknown elements")
                if not found:
                    everywhere = False
                    break
            if everywhere:
                _append_distinct(out, item, "intersection")
        return out
    if all(isinstance(arg, dict) for arg in args):
        first_object = args[0]
        assert isinstance(first_object, dict)
        result: dict[str, object] = {}
        for key, value in first_object.items():
            keep = True
            for other in args[1:]:
                assert isinstance(other, dict)
                if key not in other:
                    keep = False
                    break
                equal = same(value, other[key])
                if equal is None:
                    raise Undecidable("intersection() compared unknown values")
                if not equal:
                    keep = False
                    break
            if keep:
                result[key] = value
        return result
    raise ArmError("intersection() expects arguments that are all arrays or all objects")


def _find_same(items: list[object], item: object) -> bool | None:
    unsure = False
    for candidate in items:
        result = same(candidate, item)
        if result:
            return True
        if result is None:
            unsure = True
    return None if unsure else False


@register("tryGet", SHALLOW, assembles=True)
def try_get(args: list[object]) -> object:
    need_count("tryGet", args, 2)
    current = args[0]
    for position, key in enumerate(args[1:], 2):
        if isinstance(key, (Unknown, Partial)):
            raise Undecidable("tryGet() with an unknown key")
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            raise ArmError(
                f"tryGet() keys are strings or integers; argument {position} is a {type_name(key)}"
            )
        if isinstance(current, Unknown):
            raise Undecidable("tryGet() into an unknown value")
        if isinstance(current, dict) and isinstance(key, str):
            found, current = ci_get(current, key)
        elif isinstance(current, list) and isinstance(key, int):
            found = 0 <= key < len(current)
            current = current[key] if found else None
        else:
            found, current = False, None
        if not found:
            if position == 2:
                return None
            # Later keys: Microsoft's engine fails on a missing member, the reference says null.
            raise Undecidable("tryGet() of a missing nested member")
    return current


@register("items", SHALLOW, type=ARRAY)
def items(args: list[object]) -> object:
    need_count("items", args, 1, 1)
    value = need_dict("items", args[0], 1)
    ordered = sorted(value.items(), key=lambda pair: pair[0].upper())
    return [{"key": key, "value": item} for key, item in ordered]


@register("objectKeys", SHALLOW, type=ARRAY)
def object_keys(args: list[object]) -> object:
    need_count("objectKeys", args, 1, 1)
    keys = list(need_dict("objectKeys", args[0], 1))
    if keys != sorted(keys, key=str.upper):
        raise Undecidable("objectKeys() order of unsorted keys is not documented")
    return keys


@register("shallowMerge", SHALLOW, type=OBJECT, assembles=True)
def shallow_merge(args: list[object]) -> object:
    need_count("shallowMerge", args, 1, 1)
    merged: dict[str, object] = {}
    lower: dict[str, str] = {}
    for index, item in enumerate(need_list("shallowMerge", args[0], 1)):
        if isinstance(item, Unknown):
            raise Undecidable("shallowMerge() of an unknown object")
        if not isinstance(item, dict):
            raise ArmError(
                f"shallowMerge() expects an array of objects; element {index} is a {type_name(item)}"
            )
        for key, value in item.items():
            existing = lower.get(key.lower())
            if existing is None:
                lower[key.lower()] = key
                merged[key] = value
            else:
                merged[existing] = value
    return merged


@register("createObject", CUSTOM, type=OBJECT, assembles=True)
def create_object(args: list[object]) -> object:
    if len(args) % 2:
        raise ArmError("createObject() expects pairs of key and value (an even number of arguments)")
    result: dict[str, object] = {}
    for position in range(0, len(args), 2):
        key = args[position]
        if isinstance(key, (Unknown, Partial)):
            raise Undecidable("createObject() with an unknown key")
        key = need_str("createObject", key, position + 1)
        if key in result:
            raise ArmError("createObject() got the same key twice")
        result[key] = args[position + 1]
    return result


# --------------------------------------------------------------------------------------------------
# comparison


@register("equals", CUSTOM, type=BOOL)
def equals(args: list[object]) -> object:
    need_count("equals", args, 2, 2)
    result = same(args[0], args[1])
    if result is None:
        raise Undecidable("equals() of unknown values")
    return result


def _compare(args: list[object], name: str) -> int:
    need_count(name, args, 2, 2)
    first, second = args
    if isinstance(first, str) or isinstance(second, str):
        if not isinstance(first, str) or not isinstance(second, str):
            raise ArmError(
                f"{name}() compares two strings or two numbers, "
                f"not {type_name(first)} and {type_name(second)}"
            )
        return compare_invariant(first, second)
    for value in (first, second):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ArmError(f"{name}() compares strings or numbers, not {type_name(value)}")
    assert isinstance(first, (int, float)) and isinstance(second, (int, float))
    return (first > second) - (first < second)


def compare_invariant(first: str, second: str) -> int:
    """.NET invariant-culture string order, for strings of ASCII letters and digits: digits before
    letters, letters alphabetically ignoring case, then lower case before upper case at the first
    difference. Other characters are ordered by rules not reproduced here: `Undecidable`."""
    if not ((first.isascii() and first.isalnum()) or first == "") or not (
        (second.isascii() and second.isalnum()) or second == ""
    ):
        raise Undecidable("culture-aware ordering of punctuation and non-ASCII text")
    folded = (first.lower() > second.lower()) - (first.lower() < second.lower())
    if folded:
        return folded
    for a, b in zip(first, second, strict=False):
        if a != b:
            return -1 if a.islower() else 1
    return 0


@register("less", STRICT, type=BOOL)
def less(args: list[object]) -> object:
    return _compare(args, "less") < 0


@register("lessOrEquals", STRICT, type=BOOL)
def less_or_equals(args: list[object]) -> object:
    return _compare(args, "lessOrEquals") <= 0


@register("greater", STRICT, type=BOOL)
def greater(args: list[object]) -> object:
    return _compare(args, "greater") > 0


@register("greaterOrEquals", STRICT, type=BOOL)
def greater_or_equals(args: list[object]) -> object:
    return _compare(args, "greaterOrEquals") >= 0


# --------------------------------------------------------------------------------------------------
# numbers and conversions


def _checked(name: str, value: int) -> int:
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise ArmError(f"{name}() overflows a 64-bit integer")
    return value


def _operands(args: list[object], name: str) -> tuple[int, int]:
    need_count(name, args, 2, 2)
    return need_int(name, args[0], 1), need_int(name, args[1], 2)


@register("add", STRICT, type=INT, alphabet=DIGITS)
def add(args: list[object]) -> object:
    a, b = _operands(args, "add")
    return _checked("add", a + b)


@register("sub", STRICT, type=INT, alphabet=DIGITS)
def sub(args: list[object]) -> object:
    a, b = _operands(args, "sub")
    return _checked("sub", a - b)


@register("mul", STRICT, type=INT, alphabet=DIGITS)
def mul(args: list[object]) -> object:
    a, b = _operands(args, "mul")
    return _checked("mul", a * b)


@register("div", STRICT, type=INT, alphabet=DIGITS)
def div(args: list[object]) -> object:
    a, b = _operands(args, "div")
    if b == 0:
        raise ArmError("div() cannot divide by zero")
    quotient = abs(a) // abs(b)
    return _checked("div", quotient if (a >= 0) == (b >= 0) else -quotient)


@register("mod", STRICT, type=INT, alphabet=DIGITS)
def mod(args: list[object]) -> object:
    a, b = _operands(args, "mod")
    if b == 0:
        raise ArmError("mod() cannot divide by zero")
    remainder = abs(a) % abs(b)
    return remainder if a >= 0 else -remainder


@register("int", STRICT, type=INT, alphabet=DIGITS)
def int_(args: list[object]) -> object:
    need_count("int", args, 1, 1)
    value = args[0]
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ArmError(f"int() converts an integer or a string, not {type_name(value)}")
    if isinstance(value, int):
        return int(value)
    text = value.strip(" \t\n\v\f\r")
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isdigit() or not digits.isascii():
        raise ArmError("int() got a string that is not an integer")
    return _checked("int", int(text))


@register("float", STRICT, type=FLOAT)
def float_(args: list[object]) -> object:
    need_count("float", args, 1, 1)
    value = args[0]
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ArmError(f"float() converts a number or a string, not {type_name(value)}")
    if isinstance(value, str):
        text = value.strip()
        if not text or not all(char in "0123456789+-.eE" for char in text):
            raise ArmError("float() got a string that is not a number")
        try:
            return float(text)
        except ValueError:
            raise ArmError("float() got a string that is not a number") from None
    return float(value)


@register("bool", STRICT, type=BOOL)
def bool_(args: list[object]) -> object:
    need_count("bool", args, 1, 1)
    value = args[0]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "false"):
            return text == "true"
        raise ArmError("bool() got a string that is neither 'true' nor 'false'")
    raise ArmError(f"bool() converts a boolean, an integer or a string, not {type_name(value)}")


@register("not", CUSTOM, type=BOOL)
def not_(args: list[object]) -> object:
    need_count("not", args, 1, 1)
    value = args[0]
    if isinstance(value, Unknown) and value.type in (None, BOOL):
        raise Undecidable("not() of an unknown")
    if not isinstance(value, bool):
        raise ArmError(f"not() expects a boolean, not {type_name(value)}")
    return not value


@register("true", STRICT, type=BOOL)
def true_(args: list[object]) -> object:
    need_count("true", args, 0, 0)
    return True


@register("false", STRICT, type=BOOL)
def false_(args: list[object]) -> object:
    need_count("false", args, 0, 0)
    return False


@register("null", STRICT)
def null_(args: list[object]) -> object:
    need_count("null", args, 0, 0)
    return None


@register("json", STRICT)
def json_(args: list[object]) -> object:
    from templategen.arm.fn_text import parse_json

    need_count("json", args, 1, 1)
    value = args[0]
    if value is None:
        return {}
    return parse_json(need_str("json", value, 1))
