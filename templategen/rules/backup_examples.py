"""The failing and fixed examples of the Recovery Services and API-version rules (docs/rules.md).

Each example is real ARM JSON: a resource, or a list of resources, that a test wraps in a template
and lints: the `bad` one must be reported by its rule and the `good` one must pass every rule of
families 6 and 7 (tests/rules/test_backup_rules.py). Writing them as data and rendering them with
`json.dumps` keeps them valid and readable; the documentation shows the rendered text.
"""

from __future__ import annotations

import json

VAULT = "Microsoft.RecoveryServices/vaults"
POLICY = "Microsoft.RecoveryServices/vaults/backupPolicies"
ITEM = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"
VM = "Microsoft.Compute/virtualMachines"
RUN = "2017-01-26T05:30:00Z"
ITEM_NAME = (
    "rsv-prod/Azure/iaasvmcontainer;iaasvmcontainerv2;rg-app;vm-app-01/vm;iaasvmcontainerv2;rg-app;vm-app-01"
)
POLICY_ID = f"[resourceId('{POLICY}', 'rsv-prod', 'daily')]"


def render(value: object) -> str:
    return json.dumps(value, indent=2)


def vault(
    name: str = "rsv-prod", sku: str = "RS0", location: str = "[parameters('location')]"
) -> dict[str, object]:
    return {
        "type": VAULT,
        "apiVersion": "2026-08-01",
        "name": name,
        "location": location,
        "sku": {"name": sku, "tier": "Standard"},
        "properties": {},
    }


def daily_schedule(*times: str) -> dict[str, object]:
    return {
        "schedulePolicyType": "SimpleSchedulePolicy",
        "scheduleRunFrequency": "Daily",
        "scheduleRunTimes": list(times or (RUN,)),
    }


def keep(
    tier: str = "dailySchedule", count: int = 30, unit: str = "Days", at: str = RUN, **extra: object
) -> dict[str, object]:
    return {
        "retentionPolicyType": "LongTermRetentionPolicy",
        tier: {**extra, "retentionTimes": [at], "retentionDuration": {"count": count, "durationType": unit}},
    }


def policy(
    schedule: dict[str, object] | None = None,
    retention: dict[str, object] | None = None,
    instant: int = 2,
    zone: str = "UTC",
    **extra: object,
) -> dict[str, object]:
    properties: dict[str, object] = {"backupManagementType": "AzureIaasVM", **extra}
    properties["instantRpRetentionRangeInDays"] = instant
    properties["schedulePolicy"] = schedule or daily_schedule()
    properties["retentionPolicy"] = retention or keep()
    properties["timeZone"] = zone
    return {"type": POLICY, "apiVersion": "2026-05-01", "name": "rsv-prod/daily", "properties": properties}


def enhanced(frequency: str, schedule: dict[str, object]) -> dict[str, object]:
    return {"schedulePolicyType": "SimpleSchedulePolicyV2", "scheduleRunFrequency": frequency, **schedule}


def item(
    name: str = ITEM_NAME,
    source: str = f"[resourceId('rg-app', '{VM}', 'vm-app-01')]",
    policy_id: str = POLICY_ID,
    **extra: object,
) -> dict[str, object]:
    return {
        "type": ITEM,
        "apiVersion": "2026-05-01",
        "name": name,
        **extra,
        "properties": {"protectedItemType": VM, "policyId": policy_id, "sourceResourceId": source},
    }


ITEM_DEPENDS = [f"[resourceId('{VAULT}', 'rsv-prod')]", f"[resourceId('{POLICY}', 'rsv-prod', 'daily')]"]

_WEEKLY_SCHEDULE: dict[str, object] = {
    "schedulePolicyType": "SimpleSchedulePolicy",
    "scheduleRunFrequency": "Weekly",
    "scheduleRunDays": ["Sunday"],
    "scheduleRunTimes": [RUN],
}
_HOURLY: dict[str, object] = {
    "hourlySchedule": {"interval": 4, "scheduleWindowStartTime": RUN, "scheduleWindowDuration": 12}
}


def _many(count: int) -> list[dict[str, object]]:
    copies = []
    for loop in ("east", "west"):
        container = f"iaasvmcontainer;iaasvmcontainerv2;rg-{loop};vm-{{0}}"
        name = f"rsv-prod/Azure/{container}/vm;iaasvmcontainerv2;rg-{loop};vm-{{0}}"
        copies.append(
            {
                **item(
                    f"[format('{name}', copyIndex())]",
                    f"[resourceId('rg-{loop}', '{VM}', format('vm-{{0}}', copyIndex()))]",
                    f"[resourceId('{POLICY}', 'rsv-prod', 'DefaultPolicy')]",
                ),
                "copy": {"name": loop, "count": count},
            }
        )
    return copies


#: rule id -> (bad, good), rendered.
EXAMPLES: dict[str, tuple[object, object]] = {
    "TG601": (vault("1st_vault"), vault("rsv-first")),
    "TG602": (vault(sku="Standard_LRS"), vault()),
    "TG603": (
        policy(daily_schedule("2017-01-26T05:15:00Z", "2017-01-26T17:30:00Z")),
        policy(daily_schedule(RUN)),
    ),
    "TG604": (
        policy(retention=keep(at="2017-01-26T06:00:00Z")),
        policy(),
    ),
    "TG605": (policy(retention=keep(count=3)), policy(retention=keep(count=7))),
    "TG606": (
        policy(
            _WEEKLY_SCHEDULE, keep("weeklySchedule", 12, "Weeks", daysOfTheWeek=["Sunday", "Wednesday"]), 5
        ),
        policy(_WEEKLY_SCHEDULE, keep("weeklySchedule", 12, "Weeks", daysOfTheWeek=["Sunday"]), 5),
    ),
    "TG607": (
        policy(
            retention={
                **keep(),
                **keep(
                    "monthlySchedule",
                    12,
                    "Months",
                    retentionScheduleFormatType="Daily",
                    retentionScheduleDaily={"daysOfTheMonth": [{"date": 31, "isLast": False}]},
                ),
            }
        ),
        policy(
            retention={
                **keep(),
                **keep(
                    "monthlySchedule",
                    12,
                    "Months",
                    retentionScheduleFormatType="Daily",
                    retentionScheduleDaily={"daysOfTheMonth": [{"date": 0, "isLast": True}]},
                ),
            }
        ),
    ),
    "TG608": (policy(instant=7), policy(instant=5)),
    "TG609": (
        policy(enhanced("Daily", {"dailySchedule": {"scheduleRunTimes": [RUN]}}), instant=7),
        policy(enhanced("Daily", {"dailySchedule": {"scheduleRunTimes": [RUN]}}), instant=7, policyType="V2"),
    ),
    "TG610": (
        policy(
            enhanced("Hourly", {"hourlySchedule": {"interval": 5, "scheduleWindowStartTime": RUN}}),
            instant=7,
            policyType="V2",
        ),
        policy(enhanced("Hourly", _HOURLY), instant=7, policyType="V2"),
    ),
    "TG611": (policy(zone="Europe/Berlin"), policy(zone="W. Europe Standard Time")),
    "TG612": (policy(zone="utc"), policy(zone="UTC")),
    "TG613": (policy(daily_schedule("2017-01-26T05:30:00+02:00")), policy()),
    "TG620": (
        item("rsv-prod/Azure/iaasvmcontainerv2;rg-app;vm-app-01/vm;iaasvmcontainerv2;rg-app;vm-app-01"),
        item(),
    ),
    "TG621": (item(source=f"[resourceId('rg-app', '{VM}', 'vm-app-02')]"), item()),
    "TG622": (item(policy_id=f"[resourceId('{POLICY}', 'rsv-test', 'daily')]"), item()),
    "TG623": (
        [{**policy(), "properties": {"backupManagementType": "AzureStorage", "timeZone": "UTC"}}, item()],
        [policy(), item(dependsOn=[ITEM_DEPENDS[1]])],
    ),
    "TG624": (
        [vault(), {**policy(), "dependsOn": [ITEM_DEPENDS[0]]}, item()],
        [vault(), {**policy(), "dependsOn": [ITEM_DEPENDS[0]]}, item(dependsOn=[ITEM_DEPENDS[1]])],
    ),
    "TG625": (_many(600), _many(500)),
    "TG626": (
        [
            vault(location="[parameters('location')]"),
            {"type": VM, "apiVersion": "2026-03-01", "name": "vm-app-01", "location": "northeurope"},
            item(
                "[format('rsv-prod/Azure/iaasvmcontainer;iaasvmcontainerv2;{0};vm-app-01/vm;iaasvmcontainerv2;{0};"
                "vm-app-01', resourceGroup().name)]",
                f"[resourceId('{VM}', 'vm-app-01')]",
                dependsOn=[ITEM_DEPENDS[0]],
            ),
        ],
        [
            vault(location="[parameters('location')]"),
            {
                "type": VM,
                "apiVersion": "2026-03-01",
                "name": "vm-app-01",
                "location": "[parameters('location')]",
            },
            item(
                "[format('rsv-prod/Azure/iaasvmcontainer;iaasvmcontainerv2;{0};vm-app-01/vm;iaasvmcontainerv2;{0};"
                "vm-app-01', resourceGroup().name)]",
                f"[resourceId('{VM}', 'vm-app-01')]",
                dependsOn=[ITEM_DEPENDS[0]],
            ),
        ],
    ),
    "TG701": ({**vault(), "apiVersion": "2021-13-01"}, vault()),
    "TG702": ({**vault(), "apiVersion": "2016-06-01"}, vault()),
}


def bad(rule_id: str) -> str:
    return render(EXAMPLES[rule_id][0])


def good(rule_id: str) -> str:
    return render(EXAMPLES[rule_id][1])
