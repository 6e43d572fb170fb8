""".NET ticks, computed exactly.

`commandStartTimeUTCTicks` counts 100-nanosecond intervals since 0001-01-01T00:00:00 (proleptic
Gregorian calendar, no leap seconds), the way .NET's `DateTime.Ticks` does. Real values are about
6.4e17, beyond 2^53, so any detour through a float (a JSON number, `6.36458E+17`, `datetime.timestamp()`)
silently changes them. Everything here is integer arithmetic on the calendar fields.
"""

from __future__ import annotations

import datetime
import re

TICKS_PER_SECOND = 10_000_000
TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND
#: DateTime.MaxValue.Ticks (9999-12-31T23:59:59.9999999).
MAX_TICKS = 3_155_378_975_999_999_999
#: Ticks of the Unix epoch, 1970-01-01T00:00:00Z.
UNIX_EPOCH_TICKS = 621_355_968_000_000_000

_ISO = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})[Tt ]"
    r"(?P<h>[0-9]{2}):(?P<mi>[0-9]{2}):(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]+))?"
    r"(?P<z>[Zz]|[+-][0-9]{2}:[0-9]{2})?"
)
_DIGITS = re.compile(r"0|[1-9][0-9]*")
_E_NOTATION = re.compile(r"[-+]?(?P<mant>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE](?P<exp>[-+]?[0-9]+)")


class TicksError(ValueError):
    """A start time that cannot be turned into exact ticks; the message says why."""


def iso_to_ticks(text: str) -> int:
    """Convert an ISO-8601 instant with a UTC offset to .NET ticks, exactly.

    Accepts `YYYY-MM-DDThh:mm:ss[.fffffff](Z|±hh:mm)`. Rejects what cannot be exact or is ambiguous:
    a missing offset (local time of which machine?), more than 7 fractional digits (finer than one
    tick), a leap second (ticks do not count them) and instants outside the DateTime range.
    """
    match = _ISO.fullmatch(text.strip())
    if match is None:
        raise TicksError("not an ISO-8601 instant like 2017-11-09T04:53:20Z")
    if match["z"] is None:
        raise TicksError("the instant has no UTC offset: add Z (UTC) or +hh:mm / -hh:mm")
    fraction = match["f"] or ""
    if len(fraction) > 7:
        raise TicksError("more than 7 fractional digits: one tick is 100 ns, so at most 7 digits are exact")
    year, month, day = int(match["y"]), int(match["mo"]), int(match["d"])
    hour, minute, second = int(match["h"]), int(match["mi"]), int(match["s"])
    try:
        ordinal = datetime.date(year, month, day).toordinal()  # 0001-01-01 is 1
    except ValueError as exc:
        raise TicksError(f"not a calendar date: {exc}") from None
    if hour > 23 or minute > 59:
        raise TicksError("time of day out of range (hours 00-23, minutes 00-59)")
    if second == 60:
        raise TicksError("leap second: .NET ticks do not count leap seconds")
    if second > 59:
        raise TicksError("seconds out of range (00-59)")
    offset_minutes = 0
    zone = match["z"]
    if zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        off_h, off_m = int(zone[1:3]), int(zone[4:6])
        if off_h > 23 or off_m > 59:
            raise TicksError("UTC offset out of range")
        offset_minutes = sign * (off_h * 60 + off_m)
    seconds = (ordinal - 1) * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60
    ticks = seconds * TICKS_PER_SECOND + int(fraction.ljust(7, "0"))
    if not 0 <= ticks <= MAX_TICKS:
        raise TicksError("outside the .NET DateTime range (0001-01-01 to 9999-12-31 UTC)")
    return ticks


def ticks_to_iso(ticks: int) -> str:
    """The UTC instant of `ticks` as `YYYY-MM-DDThh:mm:ss[.fffffff]Z` (for messages and tests)."""
    if not 0 <= ticks <= MAX_TICKS:
        raise TicksError("outside the .NET DateTime range")
    days, rest = divmod(ticks, TICKS_PER_DAY)
    seconds, fraction = divmod(rest, TICKS_PER_SECOND)
    date = datetime.date.fromordinal(days + 1)
    hour, remainder = divmod(seconds, 3_600)
    minute, second = divmod(remainder, 60)
    text = f"{date.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}"
    if fraction:
        text += "." + f"{fraction:07d}".rstrip("0")
    return text + "Z"


def parse_ticks(text: str) -> int:
    """Parse a ticks string: decimal digits only, no sign, no leading zeros, within the DateTime range.

    E-notation gets its own message because it is what the extension document itself shows
    (`6.36458E+17`): it keeps only the mantissa's significant digits.
    """
    candidate = text.strip()
    e_match = _E_NOTATION.fullmatch(candidate)
    if e_match is not None:
        digits = e_match["mant"].replace(".", "").lstrip("0") or "0"
        raise TicksError(
            f"E-notation is not exact: {candidate} keeps {len(digits)} significant digits, "
            f"{_uncertainty(e_match['mant'], int(e_match['exp']))}; write all the digits "
            "(or give commandStartTime as an ISO-8601 instant)"
        )
    if not _DIGITS.fullmatch(candidate):
        raise TicksError("ticks must be a decimal integer string without sign or leading zeros")
    value = int(candidate)
    if value > MAX_TICKS:
        raise TicksError(f"beyond DateTime.MaxValue ({MAX_TICKS})")
    return value


def _uncertainty(mantissa: str, exponent: int) -> str:
    """How far apart the instants are that print as the same E-notation value."""
    decimals = len(mantissa.split(".", 1)[1]) if "." in mantissa else 0
    unit_exp = exponent - decimals  # one unit in the last written digit, as a power of ten of ticks
    if unit_exp <= 0:
        return "which is exact here"
    unit_seconds = 10**unit_exp / TICKS_PER_SECOND
    if unit_seconds >= 3_600:
        return f"so any instant within {unit_seconds / 3_600:.1f} hours prints the same"
    if unit_seconds >= 1:
        return f"so any instant within {unit_seconds:g} seconds prints the same"
    return f"so any instant within {unit_seconds * 1e6:g} microseconds prints the same"
