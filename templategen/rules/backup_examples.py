"""The failing and fixed examples of the Recovery Services and API-version rules (docs/rules.md).

Each example is real ARM JSON: a resource or a list of resources, which is linted inside the smallest
template around it (`templategen.rules.examples`), or a whole template when it needs parameters of its
own. tests/rules/test_examples.py lints every one: the `bad` one must be reported by its rule, the
`good` one must pass every rule. Writing them as data and rendering them with `json.dumps` keeps them
valid and readable; the documentation shows the rendered text.
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


SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def template(resources: list[dict[str, object]], parameters: dict[str, object]) -> dict[str, object]:
    """A whole template, for the examples whose point is in their parameters."""
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": parameters, "resources": resources}


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


def _protect_region(region: str, policy_name: str) -> dict[str, object]:
    """A nested deployment protecting 600 VMs of one resource group: a template holds at most 800
    resources (TG004), so more than 1000 VMs on one policy take several deployments."""
    container = f"iaasvmcontainer;iaasvmcontainerv2;rg-{region};vm-{{0}}"
    name = f"rsv-prod/Azure/{container}/vm;iaasvmcontainerv2;rg-{region};vm-{{0}}"
    items = {
        **item(
            f"[format('{name}', copyIndex())]",
            f"[resourceId('rg-{region}', '{VM}', format('vm-{{0}}', copyIndex()))]",
            f"[resourceId('{POLICY}', 'rsv-prod', '{policy_name}')]",
        ),
        "copy": {"name": region, "count": 600},
    }
    return {
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2022-09-01",
        "name": f"protect-{region}",
        "properties": {
            "mode": "Incremental",
            "template": {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [items]},
        },
    }


_ITEM_OF_VM = item(
    "[format('rsv-prod/Azure/iaasvmcontainer;iaasvmcontainerv2;{0};vm-app-01/vm;iaasvmcontainerv2;{0};"
    "vm-app-01', resourceGroup().name)]",
    f"[resourceId('{VM}', 'vm-app-01')]",
    dependsOn=[ITEM_DEPENDS[0], f"[resourceId('{VM}', 'vm-app-01')]"],  # the VM exists before its backup
)

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
    "TG613": (
        policy(
            daily_schedule("2017-01-26T05:30:00+01:00"),
            keep(at="2017-01-26T05:30:00+01:00"),
            zone="W. Europe Standard Time",
        ),
        policy(zone="W. Europe Standard Time"),
    ),
    "TG620": (
        item("rsv-prod/Azure/iaasvmcontainerv2;rg-app;vm-app-01/vm;iaasvmcontainerv2;rg-app;vm-app-01"),
        item(),
    ),
    "TG621": (item(source=f"[resourceId('rg-app', '{VM}', 'vm-app-02')]"), item()),
    "TG622": (item(policy_id=f"[resourceId('{POLICY}', 'rsv-test', 'daily')]"), item()),
    "TG623": (
        [
            {**policy(), "properties": {"backupManagementType": "AzureStorage", "timeZone": "UTC"}},
            item(dependsOn=[ITEM_DEPENDS[1]]),
        ],
        [policy(), item(dependsOn=[ITEM_DEPENDS[1]])],
    ),
    "TG624": (
        [vault(), {**policy(), "dependsOn": [ITEM_DEPENDS[0]]}, item()],
        [vault(), {**policy(), "dependsOn": [ITEM_DEPENDS[0]]}, item(dependsOn=[ITEM_DEPENDS[1]])],
    ),
    "TG625": (
        [_protect_region("east", "DefaultPolicy"), _protect_region("west", "DefaultPolicy")],
        [_protect_region("east", "DefaultPolicy"), _protect_region("west", "WestPolicy")],
    ),
    "TG626": (
        template(
            [
                vault(location="[parameters('vaultLocation')]"),
                {
                    "type": VM,
                    "apiVersion": "2026-03-01",
                    "name": "vm-app-01",
                    "location": "[parameters('vmLocation')]",
                },
                _ITEM_OF_VM,
            ],
            {
                "vaultLocation": {"type": "string", "defaultValue": "westeurope"},
                "vmLocation": {"type": "string", "defaultValue": "northeurope"},
            },
        ),
        template(
            [
                vault(),
                {
                    "type": VM,
                    "apiVersion": "2026-03-01",
                    "name": "vm-app-01",
                    "location": "[parameters('location')]",
                },
                _ITEM_OF_VM,
            ],
            {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
        ),
    ),
    "TG701": ({**vault(), "apiVersion": "2024-07-01"}, vault()),
    "TG702": ({**vault(), "apiVersion": "2016-06-01"}, vault()),
}


def bad(rule_id: str) -> str:
    return render(EXAMPLES[rule_id][0])


def good(rule_id: str) -> str:
    return render(EXAMPLES[rule_id][1])
