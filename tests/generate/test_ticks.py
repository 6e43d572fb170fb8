"""ISO-8601 <-> .NET ticks, exactly."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from templategen.inputs.ticks import (
    MAX_TICKS,
    UNIX_EPOCH_TICKS,
    TicksError,
    iso_to_ticks,
    parse_ticks,
    ticks_to_iso,
)


def test_document_example() -> None:
    # 6.36458E+17 in the extension document is exactly 2017-11-09T04:53:20Z.
    assert iso_to_ticks("2017-11-09T04:53:20Z") == 636458000000000000


@pytest.mark.parametrize(
    ("text", "ticks"),
    [
        ("0001-01-01T00:00:00Z", 0),
        ("1970-01-01T00:00:00Z", UNIX_EPOCH_TICKS),
        ("2025-01-01T00:00:00Z", 638712864000000000),
        ("9999-12-31T23:59:59.9999999Z", MAX_TICKS),
        ("2017-11-09T14:23:28Z", 636458342080000000),
        ("2017-11-09T06:53:20+02:00", 636458000000000000),
        ("2017-11-08T23:53:20-05:00", 636458000000000000),
        ("2017-11-09T04:53:20.0000001Z", 636458000000000001),
        ("2017-11-09T04:53:20.5Z", 636458000005000000),
        ("2024-02-29T00:00:00Z", 638447616000000000),
    ],
)
def test_known_values(text: str, ticks: int) -> None:
    assert iso_to_ticks(text) == ticks


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2017-02-29T00:00:00Z", "calendar date"),
        ("2017-11-09T24:00:00Z", "out of range"),
        ("2016-12-31T23:59:60Z", "leap second"),
        ("2017-11-09T04:53:20", "no UTC offset"),
        ("2017-11-09T04:53:20.12345678Z", "7 fractional digits"),
        ("0001-01-01T00:00:00+01:00", "DateTime range"),
        ("9999-12-31T23:59:59.9999999-00:01", "DateTime range"),
        ("yesterday", "ISO-8601"),
    ],
)
def test_rejected_instants(text: str, reason: str) -> None:
    with pytest.raises(TicksError, match=reason):
        iso_to_ticks(text)


@given(st.datetimes(min_value=datetime.datetime(1, 1, 2), max_value=datetime.datetime(9999, 12, 30)))
def test_agrees_with_datetime_arithmetic(moment: datetime.datetime) -> None:
    """An independent oracle: timedelta arithmetic in whole microseconds (no floats)."""
    expected = (moment - datetime.datetime(1, 1, 1)) // datetime.timedelta(microseconds=1) * 10
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}Z"
    )
    assert iso_to_ticks(text) == expected


@given(st.integers(min_value=0, max_value=MAX_TICKS))
def test_round_trip(ticks: int) -> None:
    assert iso_to_ticks(ticks_to_iso(ticks)) == ticks
    assert parse_ticks(str(ticks)) == ticks


def test_e_notation_is_refused_with_the_reason() -> None:
    with pytest.raises(TicksError) as info:
        parse_ticks("6.36458E+17")
    message = str(info.value)
    assert "E-notation is not exact" in message
    assert "6 significant digits" in message
    assert "27.8 hours" in message


@pytest.mark.parametrize("text", ["-1", "+5", "0636458000000000000", "1.0", "", "3155378976000000000", "12a"])
def test_bad_tick_strings(text: str) -> None:
    with pytest.raises(TicksError):
        parse_ticks(text)
