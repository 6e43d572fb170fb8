"""What the Recovery Services rules share: finding the resources, reading evaluated members, times.

The rules in `backup_policy` and `backup_items` read *evaluated* values (docs/evaluation.md): a
policy's run time usually comes from a variable, a protected item's name from `format()` over
parameters and a copy index. Everything here follows the one rule of offline evaluation: what is
not known is skipped, never guessed. A helper that cannot tell answers None (or the `Unknown`
itself) and the rule moves on.

Cheap first: `resources(template, TYPE)` is a type comparison over the model's resources, so a
template without Recovery Services resources costs the backup rules one loop over its resources.
"""

from __future__ import annotations

import re

from templategen.arm.names import walk_path
from templategen.arm.values import Partial, Unknown, ci_get, known_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.arm.instances import ResourceInstance
    from templategen.arm.resource import Resource
    from templategen.arm.template import Template
    from templategen.lint.context import LintContext

VAULT = "microsoft.recoveryservices/vaults"
POLICY = "microsoft.recoveryservices/vaults/backuppolicies"
ITEM = "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems"
VM = "microsoft.compute/virtualmachines"

VAULT_TYPE = "Microsoft.RecoveryServices/vaults"
POLICY_TYPE = "Microsoft.RecoveryServices/vaults/backupPolicies"
ITEM_TYPE = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"


class _Missing:
    """A member that is not there (as opposed to one whose value is unknown)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def resources(template: Template | None, type_lower: str) -> list[Resource]:
    """The resources of `template` (nested templates included) of one full type, lower-cased, that
    the template deploys: `existing` references (Bicep) are someone else's resource."""
    if template is None:
        return []
    return [r for r in template.all_resources() if r.type_lower == type_lower and not r.existing]


def instances(ctx: LintContext, resource: Resource) -> list[ResourceInstance]:
    """The copies of `resource` that may deploy: those whose condition is not provably false.

    Resource Manager evaluates a resource's members only when it deploys it, so a resource switched
    off by the parameters in force (defaults, or `-p`) is not checked; pass `-p` with the values you
    deploy to check it.
    """
    return [i for i in ctx.evaluator().resource_instances(resource) if i.condition is not False]


def member(value: object, *path: str | int) -> object:
    """Follow `path` through an evaluated value (keys case-insensitively, as ARM reads them).

    Returns the value, `MISSING` when a key is absent or an index out of range, or the `Unknown`
    that stands in the way (its members cannot be known).
    """
    node = value
    for step in path:
        if isinstance(node, Unknown):
            return node
        if isinstance(step, int):
            if not isinstance(node, list) or not 0 <= step < len(node):
                return MISSING
            node = node[step]
        elif isinstance(node, dict):
            found, node = ci_get(node, step)
            if not found:
                return MISSING
        else:
            return MISSING
    return node


def where(resource: Resource, *path: str | int) -> str:
    """The pointer of the deepest member along `path` that is written in the resource.

    When a value comes from an expression (`"retentionPolicy": "[variables('x')]"`) the finding
    points at that expression, which is where the user can act.
    """
    for length in range(len(path), 0, -1):
        found = walk_path(resource.raw, resource.pointer, path[:length])
        if found is not None:
            return found[1]
    return resource.pointer


def name_pointer(resource: Resource) -> str:
    """The pointer of the resource's `name` (the resource itself when it has none)."""
    return resource.pointer_of("name") or resource.pointer


def text_of(value: object) -> str | None:
    """`known_text`, with MISSING and non-strings as None."""
    return known_text(value) if isinstance(value, str) else None


def is_text(value: object, expected: str) -> bool:
    """True when `value` is known text equal to `expected` ignoring case (ARM enum values)."""
    text = text_of(value)
    return text is not None and text.lower() == expected.lower()


def known_int(value: object) -> int | None:
    """A known integer (JSON numbers with an integral value count; booleans do not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def known_list(value: object) -> list[object] | None:
    """The list when `value` is a list (its elements may still be unknown), else None."""
    return value if isinstance(value, list) else None


def could_be_text(value: object) -> bool:
    """True for strings, partial strings and unknowns (values that may hold text)."""
    return isinstance(value, (str, Partial, Unknown))


# --------------------------------------------------------------------------------------------------
# times of day

#: ISO 8601 date and time as Azure Backup's examples write it (`2017-01-26T05:30:00Z`); a space in
#: place of `T` and fractions of a second are accepted too. Group 8 is the offset.
_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|z|[+-]\d{2}:?\d{2})?",
)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class TimeOfDay:
    """The parts of an ISO 8601 date-time a schedule uses: the time of day and its offset."""

    __slots__ = ("fraction", "hour", "minute", "offset", "second")

    def __init__(self, hour: int, minute: int, second: int, fraction: str, offset: str | None) -> None:
        self.hour = hour
        self.minute = minute
        self.second = second
        self.fraction = fraction  # "" or ".123"
        self.offset = offset  # None (no offset), "Z", "+02:00"...

    @property
    def utc(self) -> bool:
        """True for `Z` and a zero offset."""
        return self.offset_minutes == 0

    @property
    def offset_minutes(self) -> int | None:
        """The offset from UTC in minutes; None when the text gives none."""
        if self.offset is None:
            return None
        if self.offset.upper() == "Z":
            return 0
        digits = self.offset[1:].replace(":", "")
        value = int(digits[:2]) * 60 + int(digits[2:])
        return -value if self.offset[0] == "-" else value

    @property
    def minutes(self) -> int:
        """Minutes since midnight, as written."""
        return self.hour * 60 + self.minute

    def same_time(self, other: TimeOfDay) -> bool:
        """Same time of day (the date is irrelevant to a schedule). When both carry an offset they are
        compared in UTC; otherwise as written."""
        mine = (self.hour * 3600 + self.minute * 60 + self.second, self.fraction.rstrip("0"))
        theirs = (other.hour * 3600 + other.minute * 60 + other.second, other.fraction.rstrip("0"))
        a, b = self.offset_minutes, other.offset_minutes
        if a is not None and b is not None:
            mine = ((mine[0] - a * 60) % 86400, mine[1])
            theirs = ((theirs[0] - b * 60) % 86400, theirs[1])
        return mine == theirs

    def __str__(self) -> str:
        """The time of day as written, without its offset: `05:30`, `05:30:15`, `05:30:00.5`."""
        fraction = self.fraction.rstrip("0").rstrip(".")
        seconds = f":{self.second:02d}{fraction}" if self.second or fraction else ""
        return f"{self.hour:02d}:{self.minute:02d}{seconds}"

    def with_offset(self) -> str:
        """The time of day with its offset, and in UTC when the offset is not zero:
        `05:30Z`, `05:30+02:00 (03:30 UTC)`; as `str()` when the text gives no offset. For messages
        comparing times whose offsets differ, where `05:30` and `05:30` would look equal."""
        minutes = self.offset_minutes
        if self.offset is None or minutes is None:
            return str(self)
        if minutes == 0 and self.offset.upper() == "Z":
            return f"{self}Z"
        sign = "-" if minutes < 0 else "+"
        text = f"{self}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        if minutes == 0:
            return text
        utc = (self.minutes - minutes) % (24 * 60)
        return f"{text} ({utc // 60:02d}:{utc % 60:02d} UTC)"


def parse_date_time(text: str) -> TimeOfDay | None:
    """The time of day of an ISO 8601 date-time, or None when `text` is not one (or names a date or
    time that does not exist, such as February 30 or 24:10)."""
    match = _DATE_TIME.fullmatch(text.strip())
    if match is None:
        return None
    month, day = int(match.group(2)), int(match.group(3))
    hour, minute = int(match.group(4)), int(match.group(5))
    second = int(match.group(6) or 0)
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]):
        return None
    if month == 2 and day == 29 and not _leap(int(match.group(1))):
        return None
    if hour > 23 or minute > 59 or second > 59:
        return None
    return TimeOfDay(hour, minute, second, match.group(7) or "", match.group(8))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
