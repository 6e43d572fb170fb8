"""Family 6, Recovery Services backup: the vault and the Azure VM backup policy (TG601–TG611).

Azure Backup checks a policy only when it receives it, and answers a bad one with a bare
`BMSUserErrorInvalidPolicyInput`, after the vault exists and half the deployment has run. These rules
check the same limits offline, on the *evaluated* policy (run times usually come from a variable),
in ARM JSON and Bicep alike. The limits and their sources are in `templategen.backup_limits`, shared
with the input schema; where sources conflict, the rule's documentation says which one we follow.

Policy rules apply to `Microsoft.RecoveryServices/vaults/backupPolicies` whose `backupManagementType`
is `AzureIaasVM`; Azure Files, SQL/SAP HANA and MARS policies have other limits and are left alone
(except for the time zone, which every kind reads the same way).
"""

from __future__ import annotations

import re

from templategen import backup_limits as limits
from templategen.arm.values import Partial, describe, known_text
from templategen.diagnostics import ERROR, WARNING
from templategen.rules import backup_examples as examples
from templategen.rules import rsv
from templategen.rules.base import Rule
from templategen.rules.rsv import MISSING, member, text_of, where

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import ClassVar

    from templategen.arm.instances import ResourceInstance
    from templategen.diagnostics import Diagnostic
    from templategen.lint.context import LintContext

#: Substrings a file must contain for these rules to run on it (templategen.rules.registry): every
#: rule reads vaults or their backup policies, and a resource type is never an expression, so the
#: namespace `Microsoft.RecoveryServices` is written in the file.
TRIGGERS: tuple[str, ...] = ("recoveryservices",)

_VAULT_NAME = re.compile(limits.VAULT_NAME_PATTERN)
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
_DAYS = {day.lower(): day for day in limits.DAYS_OF_WEEK}
_WEEKS = {week.lower(): week for week in limits.WEEKS_OF_MONTH}
_MONTHS = {month.lower(): month for month in limits.MONTHS_OF_YEAR}
_TIERS = ("dailySchedule", "weeklySchedule", "monthlySchedule", "yearlySchedule")
_TIER_NAMES = {"dailySchedule": "daily", "weeklySchedule": "weekly", "monthlySchedule": "monthly"}
_TIER_NAMES["yearlySchedule"] = "yearly"

V1 = "SimpleSchedulePolicy"
V2 = "SimpleSchedulePolicyV2"
SOURCE_POWERSHELL = (
    "https://github.com/Azure/azure-powershell/blob/main/src/RecoveryServices/"
    "RecoveryServices.Backup.Models/CommonModels/PolicyScheduleObjects.cs"
)
SOURCE_REST_POLICY = (
    "https://learn.microsoft.com/azure/backup/backup-azure-arm-userestapi-createorupdatepolicy"
)


# --------------------------------------------------------------------------------------------------
# vault


class _VaultRule(Rule):
    """Runs `check_vault` on every deployed copy of every vault the template creates."""

    tags: ClassVar[tuple[str, ...]] = ("recovery-services", "vault")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for resource in rsv.resources(ctx.template, rsv.VAULT):
            for instance in rsv.instances(ctx, resource):
                yield from self.check_vault(ctx, instance)

    def check_vault(self, ctx: LintContext, vault: ResourceInstance) -> Iterator[Diagnostic]:
        raise NotImplementedError


class VaultNameInvalid(_VaultRule):
    id = "TG601"
    name = "vault-name-invalid"
    severity = ERROR
    summary = "A Recovery Services vault name is not 2–50 letters, digits and hyphens starting with a letter"
    why = (
        "Resource Manager refuses a vault name outside 2 to 50 characters of letters, digits and "
        "hyphens, or one that does not start with a letter, and it does so only when the deployment "
        "reaches the vault. The name is evaluated (parameters, `-p` values, `format()`, copy "
        "indexes). A name that is only partly known is still checked where it can be: a known prefix "
        "must start with a letter, known pieces may hold only the allowed characters, and the known "
        "characters alone must not exceed 50. A name from `uniqueString()` or a parameter without a "
        'value is not guessed at, and an empty name (the `"defaultValue": ""` placeholder of linked '
        "templates, filled by the parent) is left alone."
    )
    bad = examples.bad("TG601")
    good = examples.good("TG601")
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules"

    def check_vault(self, ctx: LintContext, vault: ResourceInstance) -> Iterator[Diagnostic]:
        pointer = rsv.name_pointer(vault.resource)
        name = vault.name
        text = known_text(name)
        if text == "":
            return  # a placeholder (`"defaultValue": ""` in a linked template) that the parent fills
        if text is not None:
            problem = _vault_name_problem(text)
            if problem:
                yield ctx.report(self, pointer, f"vault name '{describe(text)}' {problem}")
            return
        if not isinstance(name, Partial):
            return
        known = "".join(part for part in name.parts if isinstance(part, str))
        bad = sorted({char for char in known if char not in _NAME_CHARS})
        if bad:
            shown = " ".join(repr(char) for char in bad)
            yield ctx.report(
                self,
                pointer,
                f"vault name '{describe(name)}' contains {shown}; only letters, digits and hyphens "
                "are allowed",
            )
        elif name.prefix and not (name.prefix[0].isascii() and name.prefix[0].isalpha()):
            yield ctx.report(
                self,
                pointer,
                f"vault name '{describe(name)}' starts with '{name.prefix[0]}'; it must start with a letter",
            )
        elif len(known) > limits.VAULT_NAME_MAX:
            yield ctx.report(
                self,
                pointer,
                f"vault name '{describe(name)}' has at least {len(known)} characters; at most "
                f"{limits.VAULT_NAME_MAX} are allowed",
            )


def _vault_name_problem(text: str) -> str:
    """Everything wrong with a known vault name, in one phrase ("" when nothing is)."""
    if _VAULT_NAME.fullmatch(text):
        return ""
    problems = []
    if not limits.VAULT_NAME_MIN <= len(text) <= limits.VAULT_NAME_MAX:
        problems.append(
            f"is {len(text)} character(s) long (allowed: {limits.VAULT_NAME_MIN} to {limits.VAULT_NAME_MAX})"
        )
    bad = sorted({char for char in text if char not in _NAME_CHARS})
    if bad:
        shown = " ".join(repr(char) for char in bad)
        problems.append(f"contains {shown} (allowed: letters, digits and hyphens)")
    if text and not (text[0].isascii() and text[0].isalpha()):
        problems.append(f"starts with '{text[0]}' (it must start with a letter)")
    return "; ".join(problems)


class VaultSkuInvalid(_VaultRule):
    id = "TG602"
    name = "vault-sku-invalid"
    severity = ERROR
    summary = "A Recovery Services vault's sku is not `RS0` or `Standard` (tier `Standard`)"
    why = (
        "A Recovery Services vault has one SKU: `name` `RS0` (what every Azure quickstart writes) or "
        "`Standard`, `tier` `Standard`. Other values (`Basic`, `Premium`, the Backup vault's or a "
        "storage account's SKU names) are refused when the vault is created. Values are compared "
        "ignoring case."
    )
    bad = examples.bad("TG602")
    good = examples.good("TG602")
    source_url = "https://learn.microsoft.com/azure/templates/microsoft.recoveryservices/vaults"

    def check_vault(self, ctx: LintContext, vault: ResourceInstance) -> Iterator[Diagnostic]:
        sku = vault.get("sku")
        label = describe(vault.name)
        for key, allowed in (("name", limits.VAULT_SKU_NAMES), ("tier", limits.VAULT_SKU_TIERS)):
            text = text_of(member(sku, key))
            if text is not None and text.lower() not in {value.lower() for value in allowed}:
                expected = " or ".join(f"'{value}'" for value in allowed)
                yield ctx.report(
                    self,
                    where(vault.resource, "sku", key),
                    f"vault '{label}' has sku {key} '{describe(text)}'; a Recovery Services vault "
                    f"takes {expected}",
                )


# --------------------------------------------------------------------------------------------------
# policies


class PolicyView:
    """One deployed copy of a backup policy, evaluated, with what the rules ask of it.

    kind        "Standard" (SimpleSchedulePolicy, policy V1) or "Enhanced" (SimpleSchedulePolicyV2),
                from `schedulePolicyType`, else from `policyType`; None when neither is known
    frequency   "Daily", "Weekly" or "Hourly" (spelling normalised), None when unknown
    """

    __slots__ = ("frequency", "instance", "is_vm", "kind", "label", "properties", "resource", "schedule")

    def __init__(self, instance: ResourceInstance) -> None:
        self.instance = instance
        self.resource = instance.resource
        self.label = describe(instance.name)
        self.properties = instance.get("properties")
        self.is_vm = rsv.is_text(member(self.properties, "backupManagementType"), "AzureIaasVM")
        self.schedule = member(self.properties, "schedulePolicy")
        schedule_type = text_of(member(self.schedule, "schedulePolicyType"))
        policy_type = text_of(member(self.properties, "policyType"))
        self.kind: str | None = None
        if schedule_type is not None and schedule_type.lower() in (V1.lower(), V2.lower()):
            self.kind = "Enhanced" if schedule_type.lower() == V2.lower() else "Standard"
        elif policy_type is not None and policy_type.upper() in ("V1", "V2"):
            self.kind = "Enhanced" if policy_type.upper() == "V2" else "Standard"
        frequency = text_of(member(self.schedule, "scheduleRunFrequency"))
        self.frequency: str | None = None
        if frequency is not None and frequency.lower() in ("daily", "weekly", "hourly"):
            self.frequency = frequency.capitalize()

    def get(self, *path: str | int) -> object:
        """A member of the evaluated `properties`."""
        return member(self.properties, *path)

    def at(self, *path: str | int) -> str:
        """Where a member of `properties` is written (or the nearest written ancestor)."""
        return where(self.resource, "properties", *path)

    def time_zones(self) -> Iterator[tuple[str, str]]:
        """(pointer, text) of each time zone the policy names as a string: `timeZone` of VM policies,
        `settings.timeZone` of workload (SQL, SAP HANA) policies."""
        for path in (("timeZone",), ("settings", "timeZone")):
            text = text_of(self.get(*path))
            if text is not None:
                yield self.at(*path), text

    @property
    def run_times_path(self) -> tuple[str, ...] | None:
        """Where this policy keeps its run times, by kind and frequency; None for hourly ones."""
        if self.kind == "Standard" and self.frequency in ("Daily", "Weekly"):
            return ("schedulePolicy", "scheduleRunTimes")
        if self.kind == "Enhanced" and self.frequency == "Daily":
            return ("schedulePolicy", "dailySchedule", "scheduleRunTimes")
        if self.kind == "Enhanced" and self.frequency == "Weekly":
            return ("schedulePolicy", "weeklySchedule", "scheduleRunTimes")
        return None

    @property
    def run_days_path(self) -> tuple[str, ...] | None:
        if self.frequency != "Weekly":
            return None
        if self.kind == "Standard":
            return ("schedulePolicy", "scheduleRunDays")
        if self.kind == "Enhanced":
            return ("schedulePolicy", "weeklySchedule", "scheduleRunDays")
        return None

    def run_time(self) -> rsv.TimeOfDay | None:
        """The single, parseable run time (for hourly policies the window's start, the first backup
        of the day); None when there is not exactly one known, valid one."""
        if self.kind == "Enhanced" and self.frequency == "Hourly":
            text = text_of(self.get("schedulePolicy", "hourlySchedule", "scheduleWindowStartTime"))
            return rsv.parse_date_time(text) if text is not None else None
        path = self.run_times_path
        if path is None:
            return None
        times = rsv.known_list(self.get(*path))
        if times is None or len(times) != 1:
            return None
        text = text_of(times[0])
        return rsv.parse_date_time(text) if text is not None else None

    def run_days(self) -> list[str] | None:
        """The weekly run days as canonical names, when every one is known and valid."""
        path = self.run_days_path
        if path is None:
            return None
        days = rsv.known_list(self.get(*path))
        if not days:
            return None
        names = [text_of(day) for day in days]
        if any(name is None or name.lower() not in _DAYS for name in names):
            return None
        return [_DAYS[name.lower()] for name in names if name is not None]


class _PolicyRule(Rule):
    """Runs `check_policy` on every deployed copy of every Azure VM backup policy."""

    tags: ClassVar[tuple[str, ...]] = ("recovery-services", "backup-policy")
    vm_only = True

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for resource in rsv.resources(ctx.template, rsv.POLICY):
            for instance in rsv.instances(ctx, resource):
                view = PolicyView(instance)
                if view.is_vm or not self.vm_only:
                    yield from self.check_policy(ctx, view)

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        raise NotImplementedError


class ScheduleRunTimesInvalid(_PolicyRule):
    id = "TG603"
    name = "schedule-run-times-invalid"
    severity = ERROR
    summary = "An Azure VM policy needs exactly one ISO 8601 run time, on the hour or half hour"
    why = (
        "A daily or weekly Azure VM backup runs once a day: `scheduleRunTimes` (Standard policies) or "
        "`dailySchedule` / `weeklySchedule.scheduleRunTimes` (Enhanced policies) holds exactly one "
        "date-time whose minutes are 00 or 30 and whose seconds are 0. Only the time of day counts, "
        "read in the policy's `timeZone`; the date is arbitrary (the quickstarts use 2017-01-26). "
        "Azure PowerShell refuses anything else before sending it (PolicyScheduleObjects.cs), and the "
        "service answers `BMSUserErrorInvalidPolicyInput`. (A time with an offset other than `Z` is "
        "TG613's business.)"
    )
    bad = examples.bad("TG603")
    good = examples.good("TG603")
    source_url = SOURCE_POWERSHELL

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        path = policy.run_times_path
        if path is None:
            return
        value = policy.get(*path)
        pointer = policy.at(*path)
        label = policy.label
        if value is MISSING or value is None:
            yield ctx.report(
                self,
                pointer,
                f"backup policy '{label}' ({policy.frequency} {policy.kind}) has no "
                f'{".".join(path[1:])}; it needs exactly one run time such as "2017-01-26T05:30:00Z"',
            )
            return
        times = rsv.known_list(value)
        if times is None:
            return
        if len(times) != limits.RUN_TIMES_PER_POLICY:
            yield ctx.report(
                self,
                pointer,
                f"backup policy '{label}' has {len(times)} run times; an Azure VM policy runs once a "
                "day, so it takes exactly one",
            )
            return
        text = text_of(times[0])
        if text is None:
            return
        entry = where(policy.resource, "properties", *path, 0)
        parsed = rsv.parse_date_time(text)
        if parsed is None:
            yield ctx.report(
                self,
                entry,
                f"backup policy '{label}': run time '{describe(text)}' is not an ISO 8601 date and "
                'time; write e.g. "2017-01-26T05:30:00Z" (only the time of day counts)',
            )
        elif parsed.minute % limits.RUN_TIME_MINUTE_STEP or parsed.second or parsed.fraction.strip(".0"):
            yield ctx.report(
                self,
                entry,
                f"backup policy '{label}': run time {parsed} is not on the hour or half hour; use "
                f"{_half_hours(parsed)} (minutes 00 or 30, no seconds)",
            )


def _half_hours(time: rsv.TimeOfDay) -> str:
    """The half hours around `time`: `05:00 or 05:30` for 05:15."""
    before = (time.minutes // 30) * 30
    after = (before + 30) % (24 * 60)
    return f"{before // 60:02d}:{before % 60:02d} or {after // 60:02d}:{after % 60:02d}"


class RetentionTimesMismatch(_PolicyRule):
    id = "TG604"
    name = "retention-times-mismatch"
    severity = ERROR
    summary = "A retention tier's `retentionTimes` differ from the policy's run time"
    why = (
        "Every retention tier (daily, weekly, monthly, yearly) names the recovery point it keeps by "
        "its time of day in `retentionTimes`, and for an Azure VM policy that is the one backup of "
        "the day: the run time. The Azure quickstarts pass the same variable to both, and the "
        "service refuses a tier whose time matches no backup. Only the time of day is compared; the "
        "dates may differ."
    )
    bad = examples.bad("TG604")
    good = examples.good("TG604")
    source_url = SOURCE_REST_POLICY

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        run_time = policy.run_time()
        if run_time is None:
            return
        if policy.frequency == "Hourly":
            what = "window start"
            why = "the points kept are those of the first backup of the day, at scheduleWindowStartTime"
        else:
            what = "run time"
            why = "a VM policy keeps the point of its one daily backup: retentionTimes equal scheduleRunTimes"
        for tier in _TIERS:
            times = rsv.known_list(policy.get("retentionPolicy", tier, "retentionTimes"))
            if times is None:
                continue
            for index, value in enumerate(times):
                text = text_of(value)
                if text is None:
                    continue
                parsed = rsv.parse_date_time(text)
                if parsed is None or not parsed.same_time(run_time):
                    shown, expected = f"'{describe(text)}'", str(run_time)
                    if parsed is not None:
                        shown = str(parsed)
                        # Both carry offsets (else they are compared as written): the times of day
                        # may look equal, and only the offsets tell them apart.
                        if parsed.offset_minutes != run_time.offset_minutes and None not in (
                            parsed.offset_minutes,
                            run_time.offset_minutes,
                        ):
                            shown, expected = parsed.with_offset(), run_time.with_offset()
                    yield ctx.report(
                        self,
                        policy.at("retentionPolicy", tier, "retentionTimes", index),
                        f"backup policy '{policy.label}': {_TIER_NAMES[tier]} retention time {shown} "
                        f"is not the {what} {expected}; {why}",
                    )


class RetentionOutOfRange(_PolicyRule):
    id = "TG605"
    name = "retention-out-of-range"
    severity = ERROR
    summary = "A retention count is outside what Azure Backup keeps, or its durationType or tier is wrong"
    why = (
        "Azure Backup keeps Azure VM recovery points for at most 9999 days, 5163 weeks, 1188 months "
        "or 99 years (Azure PowerShell PolicyConstants), and daily points for at least 7 days: the "
        "service has refused fewer with `BMSUserErrorInvalidPolicyInput` since 2020 "
        "(terraform-provider-azurerm issue 7792, PR 7898). PowerShell's own check only asks for more "
        "than 0 days, so the minimum of 7 comes from the service's behaviour, not from PowerShell. "
        "Each tier counts in its own unit: daily in `Days`, weekly in `Weeks`, monthly in `Months`, "
        "yearly in `Years`. A Daily or Hourly policy must keep daily points, and a Weekly policy "
        "weekly ones: otherwise nothing it backs up is kept."
    )
    bad = examples.bad("TG605")
    good = examples.good("TG605")
    source_url = (
        "https://github.com/Azure/azure-powershell/blob/main/src/RecoveryServices/"
        "RecoveryServices.Backup.Models/CommonModels/Utils.cs"
    )

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        retention = policy.get("retentionPolicy")
        if not isinstance(retention, dict):
            return
        for tier in _TIERS:
            entry = member(retention, tier)
            if entry is MISSING or entry is None:
                continue
            low, high, unit = limits.RETENTION[tier]
            name = _TIER_NAMES[tier]
            count = rsv.known_int(member(entry, "retentionDuration", "count"))
            if count is not None and not low <= count <= high:
                yield ctx.report(
                    self,
                    policy.at("retentionPolicy", tier, "retentionDuration", "count"),
                    f"backup policy '{policy.label}' keeps {name} points for {count} "
                    f"{unit.lower()}; Azure Backup keeps them for {low} to {high} {unit.lower()}",
                )
            duration = text_of(member(entry, "retentionDuration", "durationType"))
            if duration is not None and duration.lower() != unit.lower():
                yield ctx.report(
                    self,
                    policy.at("retentionPolicy", tier, "retentionDuration", "durationType"),
                    f"backup policy '{policy.label}': {name} retention counts in '{describe(duration)}'; "
                    f"{name} retention is counted in '{unit}'",
                )
        needed = {"Daily": "dailySchedule", "Hourly": "dailySchedule", "Weekly": "weeklySchedule"}.get(
            policy.frequency or ""
        )
        if needed is not None and member(retention, needed) in (MISSING, None):
            yield ctx.report(
                self,
                policy.at("retentionPolicy"),
                f"backup policy '{policy.label}' backs up {policy.frequency} but keeps no "
                f"{_TIER_NAMES[needed]} recovery points ({needed} is missing); nothing it backs up "
                "would be kept",
            )


class WeeklyRunDaysInvalid(_PolicyRule):
    id = "TG606"
    name = "weekly-run-days-invalid"
    severity = ERROR
    summary = "Weekly run days are empty, repeated or misspelt, or retention keeps days never backed up"
    why = (
        "A Weekly policy backs up on `scheduleRunDays`: at least one day, no day twice, day names "
        "spelt in full (`Sunday` … `Saturday`; Azure PowerShell PolicyScheduleObjects.cs). Its "
        "retention can only keep backups that exist: the weekly tier's `daysOfTheWeek` are the run "
        "days (the weekly quickstart passes the same parameter to both), monthly and yearly tiers use "
        "the week-based format (`retentionScheduleFormatType: Weekly`) with days among the run days, "
        "and there is no daily tier. A Daily policy may use either format for its monthly and yearly "
        "tiers (the portal offers both), but its weekly tier must still say which days it keeps, and "
        "every day name must be a real one."
    )
    bad = examples.bad("TG606")
    good = examples.good("TG606")
    source_url = SOURCE_POWERSHELL

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        label = policy.label
        path = policy.run_days_path
        if path is not None:
            days = policy.get(*path)
            if days is MISSING or days is None or days == []:
                yield ctx.report(
                    self,
                    policy.at(*path),
                    f"weekly backup policy '{label}' has no {path[-1]}; name the days it backs up",
                )
            elif isinstance(days, list):
                yield from self._day_list(ctx, policy, path, days, "run days")
        lists: list[tuple[str, ...]] = [("retentionPolicy", "weeklySchedule", "daysOfTheWeek")]
        lists += [
            ("retentionPolicy", tier, "retentionScheduleWeekly", "daysOfTheWeek") for tier in _TIERS[2:]
        ]
        for list_path in lists:
            values = policy.get(*list_path)
            if isinstance(values, list):
                yield from self._day_list(ctx, policy, list_path, values, "days")
        weekly = policy.get("retentionPolicy", "weeklySchedule")
        if isinstance(weekly, dict) and member(weekly, "daysOfTheWeek") in (MISSING, None, []):
            yield ctx.report(
                self,
                policy.at("retentionPolicy", "weeklySchedule"),
                f"backup policy '{label}': weekly retention has no daysOfTheWeek; name the days whose "
                "backup is kept as the weekly recovery point",
            )
        if policy.frequency == "Weekly":
            yield from self._weekly(ctx, policy)

    def _day_list(
        self, ctx: LintContext, policy: PolicyView, path: tuple[str, ...], days: list[object], what: str
    ) -> Iterator[Diagnostic]:
        seen: set[str] = set()
        for index, day in enumerate(days):
            text = text_of(day)
            if text is None:
                continue
            low = text.lower()
            if low not in _DAYS:
                suggestion = _suggest(low, _DAYS)
                yield ctx.report(
                    self,
                    policy.at(*path, index),
                    f"backup policy '{policy.label}': '{describe(text)}' in {path[-1]} is not a day of "
                    f"the week{suggestion}; write Sunday, Monday, … Saturday",
                )
            elif low in seen:
                yield ctx.report(
                    self,
                    policy.at(*path, index),
                    f"backup policy '{policy.label}': {_DAYS[low]} appears twice in {path[-1]}; "
                    f"{what} must be distinct",
                )
            seen.add(low)

    def _weekly(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        label = policy.label
        run_days = policy.run_days()
        retention = policy.get("retentionPolicy")
        if not isinstance(retention, dict):
            return
        if member(retention, "dailySchedule") not in (MISSING, None):
            yield ctx.report(
                self,
                policy.at("retentionPolicy", "dailySchedule"),
                f"weekly backup policy '{label}' has daily retention; it takes no daily backups to "
                "keep, so remove dailySchedule",
            )
        weekly_days = _day_names(member(retention, "weeklySchedule", "daysOfTheWeek"))
        if run_days is not None and weekly_days is not None and set(weekly_days) != set(run_days):
            yield ctx.report(
                self,
                policy.at("retentionPolicy", "weeklySchedule", "daysOfTheWeek"),
                f"weekly backup policy '{label}' keeps weekly points of {', '.join(weekly_days)} but "
                f"backs up on {', '.join(run_days)}; for a Weekly policy daysOfTheWeek must be the "
                "run days",
            )
        for tier in _TIERS[2:]:
            entry = member(retention, tier)
            if not isinstance(entry, dict):
                continue
            name = _TIER_NAMES[tier]
            form = text_of(member(entry, "retentionScheduleFormatType"))
            if form is not None and form.lower() != "weekly":
                yield ctx.report(
                    self,
                    policy.at("retentionPolicy", tier, "retentionScheduleFormatType"),
                    f"weekly backup policy '{label}': {name} retention uses format '{describe(form)}'; "
                    "a Weekly policy has backups only on its run days, so use "
                    "retentionScheduleFormatType 'Weekly' with retentionScheduleWeekly",
                )
                continue
            days = _day_names(member(entry, "retentionScheduleWeekly", "daysOfTheWeek"))
            if run_days is None or days is None:
                continue
            outside = [day for day in days if day not in run_days]
            if outside:
                yield ctx.report(
                    self,
                    policy.at("retentionPolicy", tier, "retentionScheduleWeekly", "daysOfTheWeek"),
                    f"weekly backup policy '{label}': {name} retention keeps {', '.join(outside)}, "
                    f"which the policy never backs up (run days: {', '.join(run_days)})",
                )


def _day_names(value: object) -> list[str] | None:
    """Canonical day names when `value` is a list of known, valid day names."""
    days = rsv.known_list(value)
    if days is None:
        return None
    names = [text_of(day) for day in days]
    if any(name is None or name.lower() not in _DAYS for name in names):
        return None
    return [_DAYS[name.lower()] for name in names if name is not None]


def _suggest(low: str, names: dict[str, str]) -> str:
    """` (did you mean X?)` for a near miss: a prefix (`Sun`, `Wed`) or a one-letter typo."""
    matches = [name for key, name in names.items() if low and key.startswith(low)]
    if len(matches) == 1:
        return f" (did you mean {matches[0]}?)"
    import difflib

    close = difflib.get_close_matches(low, list(names), n=1, cutoff=0.8)
    return f" (did you mean {names[close[0]]}?)" if close else ""


class DayOfMonthInvalid(_PolicyRule):
    id = "TG607"
    name = "day-of-month-invalid"
    severity = ERROR
    summary = "A monthly or yearly tier names a day after the 28th, a bad week or month, or no day at all"
    why = (
        "Monthly and yearly retention keep the backup of chosen days. In the day-based format "
        "(`retentionScheduleFormatType: Daily`) `retentionScheduleDaily.daysOfTheMonth` lists dates "
        "1 to 28, so that every month has them, plus `isLast: true` for the last day of the month "
        "(Azure PowerShell PolicyConstants.MaxAllowedDateInMonth). In the week-based format "
        "(`Weekly`) `retentionScheduleWeekly` names `weeksOfTheMonth` (First, Second, Third, Fourth, "
        "Last) and days of the week. The yearly tier's `monthsOfYear` are month names in full. A tier "
        "whose format names no day keeps nothing."
    )
    bad = examples.bad("TG607")
    good = examples.good("TG607")
    source_url = (
        "https://github.com/Azure/azure-powershell/blob/main/src/RecoveryServices/"
        "RecoveryServices.Backup.Models/CommonModels/Utils.cs"
    )

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        for tier in _TIERS[2:]:
            entry = policy.get("retentionPolicy", tier)
            if not isinstance(entry, dict):
                continue
            yield from self._tier(ctx, policy, tier, entry)

    def _tier(
        self, ctx: LintContext, policy: PolicyView, tier: str, entry: dict[str, object]
    ) -> Iterator[Diagnostic]:
        label = policy.label
        name = _TIER_NAMES[tier]
        form = text_of(member(entry, "retentionScheduleFormatType"))
        days = member(entry, "retentionScheduleDaily", "daysOfTheMonth")
        if form is not None and form.lower() == "daily" and days in (MISSING, None, []):
            yield ctx.report(
                self,
                policy.at("retentionPolicy", tier),
                f"backup policy '{label}': {name} retention uses the day-based format but names no "
                "day (retentionScheduleDaily.daysOfTheMonth is empty)",
            )
        if isinstance(days, list) and (form is None or form.lower() == "daily"):
            for index, day in enumerate(days):
                is_last = member(day, "isLast")
                if is_last is True or not isinstance(day, dict):
                    continue
                date = rsv.known_int(member(day, "date"))
                out_of_range = date is not None and not 1 <= date <= limits.DAY_OF_MONTH_MAX
                if out_of_range and is_last in (False, MISSING, None):
                    hint = "; use isLast: true for the last day of the month" if (date or 0) > 28 else ""
                    yield ctx.report(
                        self,
                        policy.at(
                            "retentionPolicy", tier, "retentionScheduleDaily", "daysOfTheMonth", index, "date"
                        ),
                        f"backup policy '{label}': {name} retention names day {date} of the month; days "
                        f"run from 1 to {limits.DAY_OF_MONTH_MAX} so that every month has them{hint}",
                    )
        weeks = member(entry, "retentionScheduleWeekly", "weeksOfTheMonth")
        if form is not None and form.lower() == "weekly" and weeks in (MISSING, None, []):
            yield ctx.report(
                self,
                policy.at("retentionPolicy", tier),
                f"backup policy '{label}': {name} retention uses the week-based format but names no "
                "week (retentionScheduleWeekly.weeksOfTheMonth is empty)",
            )
        if isinstance(weeks, list):
            path = (tier, "retentionScheduleWeekly", "weeksOfTheMonth")
            yield from self._names(ctx, policy, path, weeks, _WEEKS)
        months = member(entry, "monthsOfYear")
        if isinstance(months, list):
            yield from self._names(ctx, policy, (tier, "monthsOfYear"), months, _MONTHS)

    def _names(
        self,
        ctx: LintContext,
        policy: PolicyView,
        path: tuple[str, ...],
        values: list[object],
        allowed: dict[str, str],
    ) -> Iterator[Diagnostic]:
        for index, value in enumerate(values):
            text = text_of(value)
            if text is None or text.lower() in allowed:
                continue
            yield ctx.report(
                self,
                policy.at("retentionPolicy", *path, index),
                f"backup policy '{policy.label}': '{describe(text)}' in {path[-1]} is not one of "
                f"{', '.join(allowed.values())}{_suggest(text.lower(), allowed)}",
            )


class InstantRestoreDaysInvalid(_PolicyRule):
    id = "TG608"
    name = "instant-restore-days-invalid"
    severity = ERROR
    summary = "`instantRpRetentionRangeInDays` is outside what the policy's kind and frequency allow"
    why = (
        "Instant restore keeps the backup's snapshots next to the disks for "
        "`instantRpRetentionRangeInDays` days. Standard policies: 1 to 5 days with daily backups, "
        "exactly 5 with weekly ones (learn.microsoft.com backup-instant-restore-capability; "
        "terraform-provider-azurerm PR 24539 for the weekly value). Enhanced policies: 1 to 30 days "
        "with daily or hourly backups, 5 to 20 with weekly ones (backup-azure-vms-enhanced-policy and "
        "the instant-restore page, DOMAIN §6; we follow the Microsoft documentation). The kind is "
        "read from `schedulePolicyType`, the frequency from `scheduleRunFrequency`."
    )
    bad = examples.bad("TG608")
    good = examples.good("TG608")
    source_url = "https://learn.microsoft.com/azure/backup/backup-instant-restore-capability"

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        if policy.kind is None or policy.frequency is None:
            return
        bounds = limits.INSTANT_RESTORE_DAYS.get((policy.kind, policy.frequency))
        days = rsv.known_int(policy.get("instantRpRetentionRangeInDays"))
        if bounds is None or days is None:
            return
        low, high = bounds
        if not low <= days <= high:
            allowed = f"exactly {low}" if low == high else f"{low} to {high}"
            article = "an" if policy.kind[0] in "AEIOU" else "a"
            yield ctx.report(
                self,
                policy.at("instantRpRetentionRangeInDays"),
                f"backup policy '{policy.label}' keeps instant-restore snapshots for {days} days; {article} "
                f"{policy.kind} policy with {policy.frequency.lower()} backups keeps them {allowed} days",
            )


class PolicyTypeMismatch(_PolicyRule):
    id = "TG609"
    name = "policy-type-mismatch"
    severity = ERROR
    summary = "`policyType: V2` is set without `SimpleSchedulePolicyV2`, or the other way round"
    why = (
        'An Enhanced Azure VM policy is two settings that go together: `policyType: "V2"` on the '
        'policy and `schedulePolicyType: "SimpleSchedulePolicyV2"` (with `dailySchedule`, '
        "`weeklySchedule` or `hourlySchedule`) on its schedule. A Standard policy has neither "
        "(`policyType` absent or `V1`, `SimpleSchedulePolicy`). Half of one and half of the other is "
        "refused by the service (REST API how-to, Enhanced policy example)."
    )
    bad = examples.bad("TG609")
    good = examples.good("TG609")
    source_url = SOURCE_REST_POLICY

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        schedule_type = text_of(member(policy.schedule, "schedulePolicyType"))
        raw_type = policy.get("policyType")
        if schedule_type is None or schedule_type.lower() not in (V1.lower(), V2.lower()):
            return
        if raw_type is MISSING or raw_type is None:
            policy_type = "V1"
        else:
            text = text_of(raw_type)
            if text is None:
                return
            policy_type = text
        enhanced = schedule_type.lower() == V2.lower()
        if policy_type.upper() not in ("V1", "V2"):
            yield ctx.report(
                self,
                policy.at("policyType"),
                f"backup policy '{policy.label}' has policyType '{describe(policy_type)}'; it is 'V1' "
                "(Standard) or 'V2' (Enhanced)",
            )
        elif enhanced and policy_type.upper() != "V2":
            where_ = (
                policy.at("policyType")
                if raw_type is not MISSING
                else policy.at("schedulePolicy", "schedulePolicyType")
            )
            yield ctx.report(
                self,
                where_,
                f"backup policy '{policy.label}' uses {V2} but policyType is "
                f"{'missing' if raw_type is MISSING else describe(policy_type)}; an Enhanced policy "
                "needs policyType 'V2'",
            )
        elif not enhanced and policy_type.upper() == "V2":
            yield ctx.report(
                self,
                policy.at("schedulePolicy", "schedulePolicyType"),
                f"backup policy '{policy.label}' has policyType 'V2' but its schedule is {V1}; an "
                f"Enhanced policy uses {V2} (with dailySchedule, weeklySchedule or hourlySchedule)",
            )


class HourlyScheduleInvalid(_PolicyRule):
    id = "TG610"
    name = "hourly-schedule-invalid"
    severity = ERROR
    summary = "An hourly VM schedule has a bad interval, window start or window length, or is not Enhanced"
    why = (
        "Azure VMs can be backed up several times a day only with an Enhanced policy: "
        "`SimpleSchedulePolicyV2` with `scheduleRunFrequency: Hourly` and an `hourlySchedule` "
        "{`interval`, `scheduleWindowStartTime`, `scheduleWindowDuration`}. The interval is 4, 6, 8 "
        "or 12 hours; the window starts between 00:00 and 19:30 on a half hour and lasts at least one "
        "interval. Sources disagree on two points (DOMAIN §6): PowerShell's PolicyScheduleObjects.cs "
        "lists intervals 4/6/8/12 on the Enhanced class but 4/6/8/10 on the Standard one (used by "
        "Azure Files): we follow the Enhanced class, which the portal matches. The same file says a "
        "window lasts 4 to 23 hours, but the REST API how-to's Enhanced example and the portal's "
        "default use 24: we accept up to 24."
    )
    bad = examples.bad("TG610")
    good = examples.good("TG610")
    source_url = SOURCE_POWERSHELL

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        if policy.frequency != "Hourly":
            return
        label = policy.label
        if policy.kind == "Standard":
            yield ctx.report(
                self,
                policy.at("schedulePolicy", "scheduleRunFrequency"),
                f"backup policy '{label}' is a Standard policy with hourly backups; Azure VMs are "
                f"backed up several times a day only by an Enhanced policy ({V2}, policyType 'V2')",
            )
            return
        if policy.kind != "Enhanced":
            return
        hourly = policy.get("schedulePolicy", "hourlySchedule")
        if hourly is MISSING or hourly is None:
            yield ctx.report(
                self,
                policy.at("schedulePolicy"),
                f"hourly backup policy '{label}' has no hourlySchedule; give interval, "
                "scheduleWindowStartTime and scheduleWindowDuration",
            )
            return
        base = ("schedulePolicy", "hourlySchedule")
        interval = rsv.known_int(member(hourly, "interval"))
        if interval is not None and interval not in limits.HOURLY_INTERVALS:
            yield ctx.report(
                self,
                policy.at(*base, "interval"),
                f"hourly backup policy '{label}' runs every {interval} hours; the interval is "
                f"{', '.join(str(i) for i in limits.HOURLY_INTERVALS[:-1])} or "
                f"{limits.HOURLY_INTERVALS[-1]} hours",
            )
        start_text = text_of(member(hourly, "scheduleWindowStartTime"))
        if start_text is not None:
            start = rsv.parse_date_time(start_text)
            if start is None:
                yield ctx.report(
                    self,
                    policy.at(*base, "scheduleWindowStartTime"),
                    f"hourly backup policy '{label}': window start '{describe(start_text)}' is not an "
                    'ISO 8601 date and time (e.g. "2022-01-01T08:00:00Z")',
                )
            elif start.minute % 30 or start.second or start.minutes > limits.HOURLY_START_LATEST_MINUTES:
                yield ctx.report(
                    self,
                    policy.at(*base, "scheduleWindowStartTime"),
                    f"hourly backup policy '{label}': the window starts at {start}; it starts between "
                    "00:00 and 19:30, on the hour or half hour",
                )
        duration = rsv.known_int(member(hourly, "scheduleWindowDuration"))
        if duration is not None and (duration > limits.HOURLY_WINDOW_MAX_HOURS or duration < (interval or 1)):
            least = f"one interval ({interval} hours)" if interval is not None else "1 hour"
            yield ctx.report(
                self,
                policy.at(*base, "scheduleWindowDuration"),
                f"hourly backup policy '{label}': the window lasts {duration} hours; it lasts at least "
                f"{least} and at most {limits.HOURLY_WINDOW_MAX_HOURS} hours",
            )


class TimeZoneUnknown(_PolicyRule):
    id = "TG611"
    name = "time-zone-unknown"
    severity = ERROR
    summary = "A backup policy's `timeZone` is not a Windows time-zone id"
    why = (
        "Azure Backup reads the run time in `timeZone`, a *Windows* time-zone id such as `UTC`, "
        "`W. Europe Standard Time` or `Pacific Standard Time` (the ids of .NET's TimeZoneInfo on "
        "Windows), not an IANA name such as `Europe/Berlin` or an abbreviation such as `CET`. "
        "templategen ships the list (`schemas/windows-time-zones.json`: every Windows zone in the "
        "Unicode CLDR mapping windowsZones.xml, plus two legacy zones Windows still carries; the "
        "weekly-policy quickstart links Microsoft's own table) and suggests the closest id on a typo. "
        "Windows looks ids up without regard to case, but the service's behaviour is not documented, "
        "so a spelling that differs only in case is left to the warning TG612. Every policy kind is "
        "checked (Azure Files and workload policies read `timeZone` the same way)."
    )
    bad = examples.bad("TG611")
    good = examples.good("TG611")
    source_url = "https://learn.microsoft.com/windows-hardware/manufacture/desktop/default-time-zones"
    tags = ("recovery-services", "backup-policy", "time-zone")
    vm_only = False

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        from templategen import timezones

        for pointer, text in policy.time_zones():
            if timezones.is_id(text):
                continue
            if timezones.canonical(text) is not None:
                continue  # only the letter case differs: TG612
            close = timezones.closest(text)
            hint = f"; did you mean '{close}'?" if close else " (e.g. 'UTC', 'W. Europe Standard Time')"
            iana = " IANA names such as Europe/Berlin are not accepted;" if "/" in text else ""
            yield ctx.report(
                self,
                pointer,
                f"backup policy '{policy.label}': time zone '{describe(text)}' is not a Windows "
                f"time-zone id;{iana} use one of the ids of `tzutil /l`{hint}",
            )


class TimeZoneSpelling(_PolicyRule):
    id = "TG612"
    name = "time-zone-spelling"
    severity = WARNING
    summary = (
        "A backup policy's `timeZone` is a Windows id in another letter case (`utc`, `pacific standard time`)"
    )
    why = (
        "Windows finds time zones by registry key, which ignores case, so `utc` may well work; but "
        "Azure Backup does not document how it looks the id up, the portal and the APIs return the "
        "canonical spelling, and a policy compared with its deployed self then shows a difference. "
        "Write the id as Windows spells it."
    )
    bad = examples.bad("TG612")
    good = examples.good("TG612")
    source_url = TimeZoneUnknown.source_url
    tags = ("recovery-services", "backup-policy", "time-zone")
    vm_only = False

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        from templategen import timezones

        for pointer, text in policy.time_zones():
            if timezones.is_id(text):
                continue
            canonical = timezones.canonical(text)
            if canonical is not None:
                yield ctx.report(
                    self,
                    pointer,
                    f"backup policy '{policy.label}': time zone '{describe(text)}' is spelt "
                    f"'{canonical}' by Windows; use that spelling",
                )


class RunTimeOffset(_PolicyRule):
    id = "TG613"
    name = "run-time-offset"
    severity = WARNING
    summary = "A policy's run time carries a UTC offset other than `Z`; the time of day is read in `timeZone`"
    why = (
        "Azure Backup takes only the time of day of `scheduleRunTimes` (and `scheduleWindowStartTime`) "
        "and reads it in the policy's `timeZone`. A value such as `2017-01-26T05:30:00+02:00` leaves "
        "it unclear whether 05:30 or 03:30 is meant once the service has parsed the date-time, and "
        "Azure PowerShell refuses run times that are not UTC (PolicyScheduleObjects.cs). Write the "
        "time of day with `Z` and set `timeZone`."
    )
    bad = examples.bad("TG613")
    good = examples.good("TG613")
    source_url = SOURCE_POWERSHELL
    tags = ("recovery-services", "backup-policy")

    def check_policy(self, ctx: LintContext, policy: PolicyView) -> Iterator[Diagnostic]:
        paths: list[tuple[str | int, ...]] = []
        if policy.run_times_path is not None:
            times = rsv.known_list(policy.get(*policy.run_times_path))
            paths += [(*policy.run_times_path, i) for i in range(len(times or []))]
        if policy.frequency == "Hourly":
            paths.append(("schedulePolicy", "hourlySchedule", "scheduleWindowStartTime"))
        for path in paths:
            text = text_of(policy.get(*path))
            parsed = rsv.parse_date_time(text) if text is not None else None
            if parsed is None or parsed.offset is None or parsed.utc:
                continue
            yield ctx.report(
                self,
                policy.at(*path),
                f"backup policy '{policy.label}': '{describe(text)}' has offset {parsed.offset}; write "
                "the time of day with Z and set `timeZone` instead (the time is read in `timeZone`, "
                "and PowerShell accepts UTC times only)",
            )
