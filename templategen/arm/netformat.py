""".NET formatting rules that ARM functions inherit: composite format strings, numbers, dates.

ARM's `format()` "uses the same formatting options as the System.String.Format method in .NET"
(template-functions-string#format), `string()` and `concat()` print numbers and booleans the .NET
way (`True`, not `true`), and `dateTimeAdd` takes .NET date format strings. Only what can be
reproduced exactly is implemented; anything culture-dependent or ambiguous (currency, percent,
scientific notation, month names, custom sections) raises `Undecidable`, so the evaluator answers
"unknown" rather than a plausible guess. Malformed format strings raise `ArmError` as .NET's
`FormatException` fails the deployment.
"""

from __future__ import annotations

import re

from templategen.arm.values import ArmError, Undecidable

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    import datetime

#: One item of a parsed composite format: literal text, or (argument index, alignment, format spec).
FormatItem = str | tuple[int, int, str]


def parse_composite(text: str) -> list[FormatItem]:
    """Parse a .NET composite format string (`'{0}/{1,-5:D3} {{literal}}'`) into items.

    `{{` and `}}` are literal braces; an item is `{index[,alignment][:format]}` with optional spaces
    after the index and around the alignment. Anything else is a FormatException in .NET: `ArmError`.
    """
    items: list[FormatItem] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "{":
            if i + 1 < n and text[i + 1] == "{":
                literal.append("{")
                i += 2
                continue
            end = text.find("}", i + 1)
            if end < 0:
                raise ArmError("the format string has a '{' without its closing '}'")
            if literal:
                items.append("".join(literal))
                literal.clear()
            items.append(_parse_item(text[i + 1 : end]))
            i = end + 1
        elif char == "}":
            if i + 1 < n and text[i + 1] == "}":
                literal.append("}")
                i += 2
                continue
            raise ArmError("the format string has a '}' that closes nothing (write '}}' for a brace)")
        else:
            literal.append(char)
            i += 1
    if literal:
        items.append("".join(literal))
    return items


def _parse_item(body: str) -> tuple[int, int, str]:
    spec = ""
    colon = body.find(":")
    if colon >= 0:
        body, spec = body[:colon], body[colon + 1 :]
    alignment = 0
    comma = body.find(",")
    if comma >= 0:
        align_text = body[comma + 1 :].strip()
        body = body[:comma]
        try:
            alignment = int(align_text)
        except ValueError:
            raise ArmError(f"invalid alignment in a format item: {align_text!r}") from None
    index_text = body.rstrip()
    if not index_text.isdigit() or not index_text.isascii():
        raise ArmError("a format item must start with an argument index, e.g. {0}")
    if abs(alignment) > 1_000_000:
        raise Undecidable("alignment too large")
    return int(index_text), alignment, spec


def align(text: str, alignment: int) -> str:
    """Pad to `alignment` characters: right-aligned when positive, left-aligned when negative."""
    if alignment > 0:
        return text.rjust(alignment)
    if alignment < 0:
        return text.ljust(-alignment)
    return text


# --------------------------------------------------------------------------------------------------
# numbers


def format_bool(value: bool) -> str:
    """`True` / `False`: how .NET (and so `string()`, `concat()`, `format()`) prints a boolean."""
    return "True" if value else "False"


def format_double(value: float) -> str:
    """A double as .NET Core prints it by default (shortest round-trip form).

    Integral values print without a decimal point (`1`, not `1.0`). .NET switches to exponent
    notation (`1E+15`) where Python does not, so values outside 1e-5..1e15 are undecidable here.
    """
    if value != value or value in (float("inf"), float("-inf")):
        raise Undecidable("non-finite number")
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e15 or magnitude < 1e-4:
        raise Undecidable("number printed in exponent notation")
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        raise Undecidable("number printed in exponent notation")
    return text


def format_integer(value: int, spec: str) -> str:
    """An integer with a .NET numeric format string: standard `D`, `X`, `N`, `F`, `G` (with an
    optional precision) or a custom pattern of `0`, `#`, `,` and `.` with literal text."""
    if not spec:
        return str(value)
    head, digits = spec[0], spec[1:]
    if head.isalpha() and (not digits or digits.isdigit()):
        precision = int(digits) if digits else None
        if precision is not None and precision > 99:
            raise ArmError(f"format precision {precision} is too large")
        upper = head.upper()
        if upper == "D":
            body = str(abs(value)).rjust(precision or 0, "0")
            return "-" + body if value < 0 else body
        if upper == "X":
            number = value if value >= 0 else value + (1 << 64)
            body = format(number, "x" if head == "x" else "X")
            return body.rjust(precision or 0, "0")
        if upper == "N":
            places = 2 if precision is None else precision
            body = f"{abs(value):,}" + ("." + "0" * places if places else "")
            return "-" + body if value < 0 else body
        if upper == "F":
            places = 2 if precision is None else precision
            body = str(abs(value)) + ("." + "0" * places if places else "")
            return "-" + body if value < 0 else body
        if upper == "G" and precision is None:
            return str(value)
        raise Undecidable(f"format {spec!r} depends on culture or notation")
    return _custom_integer(value, spec)


_CUSTOM = re.compile(
    r"""((?:'[^']*'|"[^"]*"|[^0#,.'"])*)"""  # literal prefix
    r"([0#,]*(?:\.[0#]*)?)"  # digit placeholders
    r"""((?:'[^']*'|"[^"]*"|[^0#,.'"])*)"""  # literal suffix
)


_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def _custom_integer(value: int, spec: str) -> str:
    """A custom numeric format (`00`, `#,##0`, `000.00`, `'v'00`) applied to an integer."""
    if any(char in spec for char in ";%\u2030Ee\\"):
        raise Undecidable(f"custom format {spec!r} is not supported offline")
    match = _CUSTOM.fullmatch(spec)
    if match is None or not match.group(2).strip(",."):
        raise Undecidable(f"custom format {spec!r} is not supported offline")
    prefix, run, suffix = (_unquote(match.group(1)), match.group(2), _unquote(match.group(3)))
    integer_part, _, fraction = run.partition(".")
    if integer_part.endswith(","):
        raise Undecidable("number scaling by thousands")
    grouping = "," in integer_part
    zeros = integer_part.replace(",", "")
    first_zero = zeros.find("0")
    min_digits = len(zeros) - first_zero if first_zero >= 0 else 0
    digits = str(abs(value))
    if value == 0 and min_digits == 0:
        digits = ""
    digits = digits.rjust(min_digits, "0")
    if grouping and digits:
        digits = _group(digits)
    places = fraction.count("0") if fraction.rstrip("#") == fraction.rstrip("#").replace("#", "") else -1
    if places < 0:
        raise Undecidable("unsupported fraction pattern")
    body = digits + ("." + "0" * places if places else "")
    sign = "-" if value < 0 else ""
    return sign + prefix + body + suffix


def _group(digits: str) -> str:
    """Digits with a comma every three from the right (`1234567` → `1,234,567`)."""
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


def _unquote(text: str) -> str:
    return _QUOTED.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)


def format_float(value: float, spec: str) -> str:
    """A double with a format spec: only the default form is reproduced exactly."""
    if not spec:
        return format_double(value)
    if value.is_integer() and abs(value) < 1e15:
        return format_integer(int(value), spec)
    raise Undecidable("rounding of a fractional number")


# --------------------------------------------------------------------------------------------------
# dates


def format_datetime(moment: datetime.datetime, spec: str) -> str:
    """A date with a .NET date format: `o`/`O`, `s`, `u`, or a custom pattern of numeric
    specifiers (`yyyy MM dd HH hh mm ss f... K`) and literal text. Names of months and days,
    AM/PM and the culture-dependent standard formats are undecidable here."""
    if len(spec) == 1:
        if spec in "oO":
            spec = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK"
        elif spec == "s":
            spec = "yyyy'-'MM'-'dd'T'HH':'mm':'ss"
        elif spec == "u":
            spec = "yyyy'-'MM'-'dd HH':'mm':'ss'Z'"
        else:
            raise Undecidable(f"standard date format {spec!r} depends on culture")
    out: list[str] = []
    i, n = 0, len(spec)
    while i < n:
        char = spec[i]
        if char in "'\"":
            end = spec.find(char, i + 1)
            if end < 0:
                raise ArmError("unterminated quoted text in a date format")
            out.append(spec[i + 1 : end])
            i = end + 1
            continue
        if char == "\\" and i + 1 < n:
            out.append(spec[i + 1])
            i += 2
            continue
        j = i
        while j < n and spec[j] == char:
            j += 1
        count = j - i
        out.append(_date_field(moment, char, count))
        i = j
    return "".join(out)


def _date_field(moment: datetime.datetime, char: str, count: int) -> str:
    if char == "y":
        year = moment.year
        if count == 1:
            return str(year % 100)
        if count == 2:
            return f"{year % 100:02d}"
        return str(year).rjust(count, "0")
    if char == "M":
        if count > 2:
            raise Undecidable("month names depend on culture")
        return str(moment.month).rjust(count, "0")
    if char == "d":
        if count > 2:
            raise Undecidable("day names depend on culture")
        return str(moment.day).rjust(count, "0")
    if char == "H":
        return str(moment.hour).rjust(min(count, 2), "0")
    if char == "h":
        return str(moment.hour % 12 or 12).rjust(min(count, 2), "0")
    if char == "m":
        return str(moment.minute).rjust(min(count, 2), "0")
    if char == "s":
        return str(moment.second).rjust(min(count, 2), "0")
    if char in "fF":
        if count > 7:
            raise ArmError("too many fraction digits in a date format")
        ticks = f"{moment.microsecond:06d}0"[:count]
        return ticks.rstrip("0") if char == "F" else ticks
    if char == "K":
        return (
            "Z"
            if moment.tzinfo is not None and moment.utcoffset() is not None and not moment.utcoffset()
            else ""
        )
    if char in "tzg":
        raise Undecidable(f"date specifier {char!r} depends on culture or time zone")
    if char.isalpha() and char != "T":
        raise Undecidable(f"date specifier {char!r} is not supported offline")
    return char * count
