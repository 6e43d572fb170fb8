"""Date functions that do not depend on the clock: `dateTimeAdd`, `dateTimeFromEpoch`,
`dateTimeToEpoch` (template-functions-date). `utcNow()` is the evaluator's: always unknown.

`dateTimeAdd(base, duration, format)` is computed exactly: calendar arithmetic for years and months
(a day past the month's end clamps, as .NET `AddMonths` does), fixed lengths for weeks, days and
time. Without a `format` the reference shows the result in a culture-dependent form
(`4/7/2023 2:53:14 PM` for a base of `2020-04-07 14:53:14Z`, although the parameter table says
the base's format is kept), so without a `format` the result is unknown.
"""

from __future__ import annotations

import re

from templategen.arm.builtin import STRICT, need_count, need_int, need_str, registry
from templategen.arm.netformat import format_datetime
from templategen.arm.values import DIGITS, INT, STRING, ArmError, Undecidable

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    import datetime

FUNCTIONS, register = registry()

_DURATION = re.compile(
    r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?",
    re.IGNORECASE,
)


def parse_datetime(text: str, name: str) -> datetime.datetime:
    """An ISO 8601 timestamp as an aware UTC datetime (a timestamp without offset is taken as UTC,
    as ARM reads `utcNow()` values)."""
    import datetime

    candidate = text.strip()
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z", candidate)
    try:
        if compact:
            year, month, day, hour, minute, second = (int(part) for part in compact.groups())
            moment = datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.timezone.utc)
        else:
            moment = datetime.datetime.fromisoformat(candidate.replace("z", "Z"))
    except ValueError:
        raise ArmError(f"{name}() got a date that is not in ISO 8601 format") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)


def _add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    import calendar

    total = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise ArmError("dateTimeAdd() goes beyond the year 9999")
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@register("dateTimeAdd", STRICT, type=STRING)
def date_time_add(args: list[object]) -> object:
    import datetime

    need_count("dateTimeAdd", args, 2, 3)
    base_text = need_str("dateTimeAdd", args[0], 1)
    duration = need_str("dateTimeAdd", args[1], 2)
    moment = parse_datetime(base_text, "dateTimeAdd")
    match = _DURATION.fullmatch(duration.strip())
    if match is None or duration.strip().upper() in ("P", "-P") or duration.strip().upper().endswith("T"):
        raise ArmError("dateTimeAdd() got a duration that is not in ISO 8601 format (e.g. P1D, PT1H)")
    sign = -1 if match.group(1) else 1
    years, months, weeks, days, hours, minutes = (int(g) if g else 0 for g in match.groups()[1:7])
    seconds = float(match.group(8).replace(",", ".")) if match.group(8) else 0.0
    try:
        moment = _add_months(moment, sign * (years * 12 + months))
        moment = moment + sign * datetime.timedelta(
            weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds
        )
    except OverflowError:
        raise ArmError("dateTimeAdd() goes beyond the supported dates") from None
    if len(args) == 3 and args[2] is not None:
        return format_datetime(moment, need_str("dateTimeAdd", args[2], 3))
    raise Undecidable("dateTimeAdd() without a format prints the date in a culture-dependent form")


@register("dateTimeFromEpoch", STRICT, type=STRING)
def date_time_from_epoch(args: list[object]) -> object:
    import datetime

    need_count("dateTimeFromEpoch", args, 1, 1)
    seconds = need_int("dateTimeFromEpoch", args[0], 1)
    try:
        moment = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
            seconds=seconds
        )
    except OverflowError:
        raise ArmError("dateTimeFromEpoch() value is out of the supported range") from None
    return format_datetime(moment, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'")


@register("dateTimeToEpoch", STRICT, type=INT, alphabet=DIGITS)
def date_time_to_epoch(args: list[object]) -> object:
    import datetime

    need_count("dateTimeToEpoch", args, 1, 1)
    moment = parse_datetime(need_str("dateTimeToEpoch", args[0], 1), "dateTimeToEpoch")
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return int((moment - epoch).total_seconds() // 1)
