"""YAML input file → typed model, or every problem with its position.

The steps, each adding what the previous cannot know:

1. `yamlload` reads the file safely and records positions (syntax errors, duplicate keys, tags).
2. `kind:` selects the input schema; `schemastore.validate` reports every schema violation.
3. `schemastore.apply_defaults` fills absent values from the schemas' defaults.
4. The semantic checks below cover what a schema cannot express well (exact ticks, calendar dates,
   relations between policy fields) and produce warnings (legacy publisher, unknown API versions).

Nothing is generated unless all of this passes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from templategen import timezones
from templategen.arm import apiversions
from templategen.inputs import model as m
from templategen.inputs.problems import InputProblems, Problem, warning
from templategen.inputs.schemastore import apply_defaults, load_schema, validate
from templategen.inputs.ticks import TicksError, iso_to_ticks, parse_ticks
from templategen.inputs.yamlload import YamlDocument, YamlProblem, load_yaml_file

#: Input kind (the `kind:` value) -> schema name in `schemas/`.
KINDS = {
    "vmsnapshot-extension": "input-vmsnapshot-extension",
    "recovery-services-backup-vms": "input-recovery-services-backup-vms",
}

TICKS_POINTER = "/settings/commandStartTimeUTCTicks"
ISO_POINTER = "/settings/commandStartTime"


@dataclass(frozen=True)
class LoadedInput:
    """A usable input: the model, the kind, and any warnings to show."""

    path: str
    kind: str
    model: m.ExtensionInput | m.BackupInput
    warnings: list[Problem]


def load_input(path: str, display: str | None = None) -> LoadedInput:
    """Load and check one input file; raise InputProblems listing every error (and warning)."""
    shown = display or path
    try:
        document = load_yaml_file(path, shown)
    except YamlProblem as exc:
        raise InputProblems([Problem(exc.message, exc.location)]) from None
    data = document.data
    kinds = ", ".join(KINDS)
    if not isinstance(data, dict):
        raise InputProblems(
            [
                Problem(
                    "an input must be a mapping with a `kind:` key", document.locate(""), expected="a mapping"
                )
            ]
        )
    kind = data.get("kind")
    if "kind" not in data:
        raise InputProblems(
            [Problem("missing key 'kind'", document.locate(""), expected=f"kind: one of {kinds}")]
        )
    if kind not in KINDS:
        raise InputProblems(
            [Problem(f"unknown input kind {kind!r}", document.locate("/kind"), expected=f"one of {kinds}")]
        )
    schema = KINDS[str(kind)]
    problems = validate(document, data, schema)
    if kind == "vmsnapshot-extension":
        problems = _ticks_type_problems(document, data, problems)
    if any(p.severity == "error" for p in problems):
        raise InputProblems(problems)
    full = apply_defaults(data, schema)
    assert isinstance(full, dict)
    source = os.path.basename(path)
    if kind == "vmsnapshot-extension":
        model, found = _extension(document, full, source)
    else:
        model, found = _backup(document, full, source)  # type: ignore[assignment]
    problems += found
    if any(p.severity == "error" for p in problems) or model is None:
        raise InputProblems(problems)
    return LoadedInput(shown, str(kind), model, problems)


# --- vmsnapshot-extension -------------------------------------------------------------------------


def _ticks_type_problems(
    document: YamlDocument, data: dict[str, object], problems: list[Problem]
) -> list[Problem]:
    """Replace the generic schema messages about the ticks field with ones that give the reason."""
    settings = data.get("settings")
    if not isinstance(settings, dict) or "commandStartTimeUTCTicks" not in settings:
        return problems
    value = settings["commandStartTimeUTCTicks"]
    raw = document.raw(TICKS_POINTER) or str(value)
    where = "vmsnapshot-settings.schema.json#/properties/commandStartTimeUTCTicks"
    message = ""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return problems
    if isinstance(value, (int, float)):
        try:
            parse_ticks(raw)
        except TicksError as exc:
            message = f"YAML reads {raw} as a number: {exc}"
        else:
            message = (
                f"YAML reads {raw} as a number; ticks must be a quoted string because JSON readers "
                f'turn numbers above 2^53 into floating-point values and lose ticks: write "{raw}"'
            )
    else:
        try:
            parse_ticks(value)
        except TicksError as exc:
            message = str(exc)
    if not message:
        return problems
    kept = [
        p
        for p in problems
        if not (p.location.pointer == TICKS_POINTER and "commandStartTimeUTCTicks" in p.schema_path)
    ]
    location = document.locate(TICKS_POINTER)
    kept.append(
        Problem(
            message, location, schema_path=where, expected='a quoted decimal string like "636458000000000000"'
        )
    )
    return kept


def _extension(
    document: YamlDocument, data: dict[str, object], source: str
) -> tuple[m.ExtensionInput | None, list[Problem]]:
    problems: list[Problem] = []
    defs = load_schema("vmsnapshot-extension")["$defs"]
    assert isinstance(defs, dict)
    current = str(defs["publisher"]["const"])
    legacy = str(defs["legacyPublisher"]["const"])
    if data.get("publisher") == legacy:
        problems.append(
            warning(
                f"publisher {legacy!r} is the spelling of the 2018 VMSnapshot extension document and "
                "the Linux page; the current Windows documentation, the official ARM schema and the on-VM "
                f"handler folders use {current!r}, which is generated",
                document.locate("/publisher"),
            )
        )
    os_name = str(data["os"])
    os_schema = load_schema(f"vmsnapshot-{os_name}")
    extension_type = str(os_schema["properties"]["type"]["const"])

    settings = data["settings"]
    assert isinstance(settings, dict)
    ticks: int | None = None
    try:
        if "commandStartTime" in settings:
            ticks = iso_to_ticks(str(settings["commandStartTime"]))
        else:
            ticks = parse_ticks(str(settings["commandStartTimeUTCTicks"]))
    except TicksError as exc:
        pointer = ISO_POINTER if "commandStartTime" in settings else TICKS_POINTER
        problems.append(
            Problem(str(exc), document.locate(pointer), expected="an exact instant within 0001-9999 UTC")
        )
    values = {
        "locale": str(settings["locale"]),
        "taskId": str(settings["taskId"]),
        "commandToExecute": str(settings["commandToExecute"]),
        "commandStartTimeUTCTicks": str(ticks),
        "vmType": str(settings["vmType"]),
    }
    protected = data["protectedSettings"]
    assert isinstance(protected, dict)
    source_kind = str(protected["source"])
    key_vault = protected.get("keyVault") if source_kind == "keyVault" else None
    secrets: dict[str, str] = {}
    vault_id: str | None = None
    if isinstance(key_vault, dict):
        vault_id = str(key_vault["id"])
        names = key_vault["secrets"]
        assert isinstance(names, dict)
        secrets = {key: str(names[key]) for key in m.PROTECTED_ORDER}
    vm = data["vm"]
    assert isinstance(vm, dict)
    versions, version_problems = _api_versions(document, data, (m.VM_TYPE, m.EXTENSION_TYPE))
    problems += version_problems
    if ticks is None:
        return None, problems
    model = m.ExtensionInput(
        source=source,
        os=os_name,
        extension_type=extension_type,
        publisher=current,
        name=str(data["name"]),
        vm_name=str(vm["name"]) if "name" in vm else None,
        type_handler_version=str(data["typeHandlerVersion"]),
        auto_upgrade_minor_version=bool(data["autoUpgradeMinorVersion"]),
        settings=values,
        protected_source=source_kind,
        key_vault_id=vault_id,
        secret_names=secrets,
        location=str(data["location"]) if "location" in data else None,
        tags={str(k): str(v) for k, v in (data.get("tags") or {}).items()},  # type: ignore[attr-defined]
        api_versions=versions,
    )
    return model, problems


def _api_versions(
    document: YamlDocument, data: dict[str, object], types: tuple[str, ...]
) -> tuple[dict[str, str], list[Problem]]:
    """The newest stable version of each type from the catalogue, or the input's override (checked)."""
    overrides = data.get("apiVersions") or {}
    assert isinstance(overrides, dict)
    problems: list[Problem] = []
    versions: dict[str, str] = {}
    for resource_type in types:
        version = overrides.get(resource_type)
        if version is None:
            versions[resource_type] = apiversions.newest_stable(resource_type)
            continue
        versions[resource_type] = str(version)
        pointer = "/apiVersions/" + resource_type.replace("~", "~0").replace("/", "~1")
        if not apiversions.is_known(resource_type, str(version)):
            problems.append(
                warning(
                    f"API version {version} of {resource_type} is not in templategen's catalogue "
                    f"(compiled {apiversions.catalogue_date()}); check that Azure offers it",
                    document.locate(pointer),
                )
            )
        elif apiversions.is_preview(str(version)):
            problems.append(
                warning(f"API version {version} of {resource_type} is a preview", document.locate(pointer))
            )
    return versions, problems


# --- recovery-services-backup-vms -----------------------------------------------------------------


def _backup(
    document: YamlDocument, data: dict[str, object], source: str
) -> tuple[m.BackupInput | None, list[Problem]]:
    problems: list[Problem] = []
    vault = data["vault"]
    policy = data["policy"]
    vms = data["virtualMachines"]
    assert isinstance(vault, dict) and isinstance(policy, dict) and isinstance(vms, dict)
    sku = vault["sku"]
    assert isinstance(sku, dict)
    retention = policy["retention"]
    assert isinstance(retention, dict)
    frequency = str(policy["frequency"])
    run_days = tuple(str(d) for d in policy.get("runDays", ()))
    base = "/policy/retention"

    def error(message: str, pointer: str, expected: str = "") -> None:
        problems.append(Problem(message, document.locate_key(pointer), expected=expected))

    if frequency == "Daily" and "daily" not in retention:
        error("a Daily policy needs daily retention", base, "a 'daily' key")
    if frequency == "Weekly":
        if "daily" in retention:
            error(
                "a Weekly policy has no daily retention (its backups are weekly); remove it", f"{base}/daily"
            )
        if "weekly" not in retention:
            error("a Weekly policy needs weekly retention", base, "a 'weekly' key")
    weekly = retention.get("weekly")
    if frequency == "Weekly" and isinstance(weekly, dict):
        if "days" not in weekly:
            weekly = {**weekly, "days": list(run_days)}
        elif set(weekly["days"]) != set(run_days):
            error(
                "weekly retention days must be the policy's runDays for a Weekly policy",
                f"{base}/weekly/days",
                "the runDays: " + ", ".join(run_days),
            )
    elif isinstance(weekly, dict) and "days" not in weekly:
        error("weekly retention needs the days whose backup is kept", f"{base}/weekly", "a 'days' key")
    for tier in ("monthly", "yearly"):
        entry = retention.get(tier)
        if frequency != "Weekly" or not isinstance(entry, dict):
            continue
        if entry.get("format") != "Weekly":
            error(
                f"{tier} retention of a Weekly policy must use format: Weekly (weeks and weekDays)",
                f"{base}/{tier}/format",  # the tier's own key when format was left to its default
                "format: Weekly",
            )
            continue
        outside = [day for day in entry.get("weekDays", ()) if day not in run_days]
        if outside:
            error(
                f"{tier} retention weekDays {', '.join(outside)} are not backup days of this policy",
                f"{base}/{tier}/weekDays",
                "a subset of runDays: " + ", ".join(run_days),
            )

    problems += _time_zone_problems(document, policy)

    resource_types = (m.VAULT_TYPE, m.POLICY_TYPE, m.PROTECTED_ITEM_TYPE)
    versions, version_problems = _api_versions(document, data, resource_types)
    problems += version_problems
    if any(p.severity == "error" for p in problems):
        return None, problems
    model = m.BackupInput(
        source=source,
        location=str(data["location"]) if "location" in data else None,
        tags={str(k): str(v) for k, v in (data.get("tags") or {}).items()},  # type: ignore[attr-defined]
        vault_name=str(vault["name"]),
        vault_new=bool(vault["new"]),
        sku_name=str(sku["name"]),
        sku_tier=str(sku["tier"]),
        policy_name=str(policy["name"]),
        policy_new=bool(policy["new"]),
        tier=str(policy["tier"]),
        frequency=frequency,
        run_time=str(policy["runTime"]),
        run_days=run_days,
        time_zone=str(policy["timeZone"]),
        instant_restore_days=int(policy["instantRestoreDays"]),
        daily=_tier(retention.get("daily")),
        weekly=_tier(weekly, weekly=True),
        monthly=_tier(retention.get("monthly")),
        yearly=_tier(retention.get("yearly")),
        vm_resource_group=str(vms["resourceGroup"]) if "resourceGroup" in vms else None,
        vm_names=tuple(str(name) for name in vms["names"]),
        api_versions=versions,
    )
    return model, problems


def _time_zone_problems(document: YamlDocument, policy: dict[str, object]) -> list[Problem]:
    """`timeZone` must be a Windows time-zone id, spelt as Windows spells it: the list the linter's
    TG611/TG612 use (`schemas/windows-time-zones.json`), so `generate` never writes a policy that
    `lint` would reject."""
    zone = str(policy.get("timeZone", "UTC"))
    if timezones.is_id(zone):
        return []
    canonical = timezones.canonical(zone)
    suggestion = canonical or timezones.closest(zone)
    expected = (
        f"'{suggestion}'"
        if suggestion
        else "a Windows time-zone id such as 'UTC' or 'W. Europe Standard Time'"
    )
    reason = "is spelt differently by Windows" if canonical else "is not a Windows time-zone id"
    return [Problem(f"timeZone {zone!r} {reason}", document.locate("/policy/timeZone"), expected=expected)]


def _tier(entry: object, *, weekly: bool = False) -> m.RetentionTier | None:
    """A retention tier from its (validated, defaulted) input mapping. `days` means days of the week
    in the weekly tier and days of the month in the monthly and yearly tiers."""
    if not isinstance(entry, dict):
        return None
    days = entry.get("days", ())
    return m.RetentionTier(
        count=int(entry["count"]),
        days_of_week=tuple(str(d) for d in days) if weekly else (),
        months=tuple(str(x) for x in entry.get("months", ())),
        format=str(entry.get("format", "")),
        days_of_month=() if weekly else tuple(int(d) for d in days),
        last_day=bool(entry.get("lastDay", False)),
        weeks=tuple(str(w) for w in entry.get("weeks", ())),
        week_days=tuple(str(d) for d in entry.get("weekDays", ())),
    )
