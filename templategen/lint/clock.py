"""The instant a run judges time-dependent facts against (SAS expiry), from `--now` or the clock.

Tests pass a fixed `--now` so a SAS that expires next year does not turn a green test red.
"""

from __future__ import annotations

from templategen.diagnostics import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime


def parse_instant(text: str) -> datetime.datetime:
    """Parse an ISO-8601 instant (`2026-01-01T00:00:00Z`, offsets allowed; a date means midnight UTC)."""
    import datetime

    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"--now: {text!r} is not an ISO-8601 instant (e.g. 2026-01-01T00:00:00Z)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc)


def resolve_now(text: str | None) -> datetime.datetime:
    """The run's instant: `--now` when given, else the current UTC time."""
    import datetime

    if text:
        return parse_instant(text)
    return datetime.datetime.now(datetime.timezone.utc)
