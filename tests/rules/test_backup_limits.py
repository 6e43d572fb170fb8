"""One set of limits: `templategen.backup_limits` (the linter) and the input schema (editors, `generate`).

The schema repeats the numbers because JSON Schema cannot import Python; these tests fail the day
one side changes without the other. Also here: the Windows time-zone list and the ISO 8601 reading
the policy rules rely on.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from templategen import backup_limits as limits
from templategen import timezones
from templategen.cli import main
from templategen.rules.rsv import parse_date_time

SCHEMAS = Path(__file__).parents[2] / "schemas"


@pytest.fixture(scope="module")
def backup_schema() -> dict[str, object]:
    data = json.loads(
        (SCHEMAS / "input-recovery-services-backup-vms.schema.json").read_text(encoding="utf-8")
    )
    assert isinstance(data, dict)
    return data


def at(data: object, *path: str | int) -> object:
    for step in path:
        assert isinstance(data, (dict, list)), path
        data = data[step]  # type: ignore[index]
    return data


def test_vault_limits_match_the_schema(backup_schema: dict[str, object]) -> None:
    vault = at(backup_schema, "properties", "vault", "properties")
    assert at(vault, "name", "pattern") == f"^{limits.VAULT_NAME_PATTERN}$"
    assert tuple(at(vault, "sku", "properties", "name", "enum")) == limits.VAULT_SKU_NAMES  # type: ignore[arg-type]
    assert tuple(at(vault, "sku", "properties", "tier", "enum")) == limits.VAULT_SKU_TIERS  # type: ignore[arg-type]
    pattern = re.compile(f"^{limits.VAULT_NAME_PATTERN}$")
    assert pattern.match("a" * limits.VAULT_NAME_MAX) and not pattern.match("a" * (limits.VAULT_NAME_MAX + 1))
    assert pattern.match("a" * limits.VAULT_NAME_MIN) and not pattern.match("a")


def test_retention_limits_match_the_schema(backup_schema: dict[str, object]) -> None:
    retention = at(backup_schema, "properties", "policy", "properties", "retention", "properties")
    for tier, key in (
        ("daily", "dailySchedule"),
        ("weekly", "weeklySchedule"),
        ("monthly", "monthlySchedule"),
        ("yearly", "yearlySchedule"),
    ):
        count = at(retention, tier, "properties", "count")
        low, high, _unit = limits.RETENTION[key]
        assert (at(count, "minimum"), at(count, "maximum")) == (low, high), tier
    days = at(backup_schema, "$defs", "longTermRetention", "properties", "days", "items")
    assert (at(days, "minimum"), at(days, "maximum")) == (1, limits.DAY_OF_MONTH_MAX)


def test_names_of_days_weeks_months_match_the_schema(backup_schema: dict[str, object]) -> None:
    assert tuple(at(backup_schema, "$defs", "dayOfWeek", "enum")) == limits.DAYS_OF_WEEK  # type: ignore[arg-type]
    assert tuple(at(backup_schema, "$defs", "month", "enum")) == limits.MONTHS_OF_YEAR  # type: ignore[arg-type]
    weeks = at(backup_schema, "$defs", "longTermRetention", "properties", "weeks", "items", "enum")
    assert tuple(weeks) == limits.WEEKS_OF_MONTH  # type: ignore[arg-type]


def test_instant_restore_limits_match_the_schema(backup_schema: dict[str, object]) -> None:
    rule = at(backup_schema, "properties", "policy", "allOf", 1)
    branches = {
        ("Enhanced", "Weekly"): at(rule, "then", "then"),
        ("Enhanced", "Daily"): at(rule, "then", "else"),
        ("Standard", "Weekly"): at(rule, "else", "then"),
        ("Standard", "Daily"): at(rule, "else", "else"),
    }
    for key, branch in branches.items():
        days = at(branch, "properties", "instantRestoreDays")
        assert isinstance(days, dict)
        bounds = (days["const"], days["const"]) if "const" in days else (days["minimum"], days["maximum"])
        assert bounds == limits.INSTANT_RESTORE_DAYS[key], key


def test_run_time_and_vm_count_match_the_schema(backup_schema: dict[str, object]) -> None:
    run_time = at(backup_schema, "properties", "policy", "properties", "runTime", "pattern")
    minutes = sorted(f"{m:02d}" for m in range(0, 60, limits.RUN_TIME_MINUTE_STEP))
    assert f"({'|'.join(minutes)})" in str(run_time)
    names = at(backup_schema, "properties", "virtualMachines", "properties", "names")
    assert at(names, "maxItems") == limits.VMS_PER_POLICY_MAX


# -------------------------------------------------------------------------------------- time zones


def test_time_zone_list() -> None:
    ids = timezones.all_ids()
    assert len(ids) == len(set(ids)) > 130
    for name in ("UTC", "W. Europe Standard Time", "Pacific Standard Time", "India Standard Time"):
        assert timezones.is_id(name)
    assert not timezones.is_id("utc") and timezones.canonical("utc") == "UTC"
    assert timezones.canonical("Europe/Berlin") is None
    assert timezones.closest("W. Europe Standard Tme") == "W. Europe Standard Time"
    assert timezones.closest("Europe/Berlin") is None
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", timezones.compiled())


def test_every_time_zone_the_generator_and_corpus_use_is_known(shared: Path) -> None:
    """The quickstarts' zones, the documentation's examples, the examples and the schema default."""
    for name in ("UTC", "Pacific Standard Time", "India Standard Time", "W. Europe Standard Time"):
        assert timezones.is_id(name)
    found = set()
    for path in (shared / "corpus").rglob("*.json"):
        text = path.read_text(encoding="utf-8", errors="replace")
        found.update(re.findall(r'"timeZone"\s*:\s*"([^"\[]+)"', text))
    assert found and all(timezones.canonical(zone) for zone in found), found


def test_generate_refuses_an_unknown_time_zone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "input.yaml"
    path.write_text(
        "kind: recovery-services-backup-vms\npolicy:\n  timeZone: Pacific Standard Tim\n"
        "virtualMachines:\n  names: [vm1]\n",
        encoding="utf-8",
    )
    assert main(["generate", "-o", str(tmp_path / "out"), str(path)]) == 2
    err = capsys.readouterr().err
    assert "input.yaml:3:13" in err and "'Pacific Standard Time'" in err
    assert not (tmp_path / "out" / "input.json").exists()


# ----------------------------------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-01-26T05:30:00Z", (5, 30, 0, "Z")),
        ("2017-01-26T05:30:00.000Z", (5, 30, 0, "Z")),
        ("2021-12-17T08:00:00+00:00", (8, 0, 0, "+00:00")),
        ("2017-01-26 23:00", (23, 0, 0, None)),
        ("2024-02-29T00:00:00Z", (0, 0, 0, "Z")),
    ],
)
def test_date_times_are_read(text: str, expected: tuple[int, int, int, str | None]) -> None:
    parsed = parse_date_time(text)
    assert parsed is not None
    assert (parsed.hour, parsed.minute, parsed.second, parsed.offset) == expected


@pytest.mark.parametrize(
    "text",
    ["05:30", "2017-01-26", "2023-02-29T00:00:00Z", "2017-13-01T00:00:00Z", "2017-01-26T24:00:00Z", "x"],
)
def test_non_date_times_are_refused(text: str) -> None:
    assert parse_date_time(text) is None


def test_times_compare_in_utc_when_both_have_offsets() -> None:
    a = parse_date_time("2021-12-17T08:00:00Z")
    b = parse_date_time("2021-12-17T10:00:00+02:00")
    c = parse_date_time("2021-12-17T10:00:00")
    assert a is not None and b is not None and c is not None
    assert a.same_time(b) and not a.same_time(c) and b.utc is False and a.utc
