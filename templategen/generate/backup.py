"""The Recovery Services "back up VMs" template as ARM JSON, in the quickstart's structure.

DOMAIN Decision 5: the output keeps the structure of the Azure quickstart
`recovery-services-backup-vms/azuredeploy.json`: parameters `isNewVault` / `isNewPolicy` that switch
the vault and the policy on as conditions, the same variables, name expressions and dependsOn, and a
copy loop with one protected item per VM name. With the input schema's defaults (which are the
quickstart's values) the resources equal the quickstart's apart from apiVersion and one spelling:
`protectedItemType` is the literal the quickstart's `v2VmType` variable holds (see
PROTECTED_ITEM_KIND); a test checks that.
The input's choices become parameter defaults, so one template still serves other deployments.
"""

from __future__ import annotations

from templategen import __version__
from templategen.generate.armjson import (
    CONTENT_VERSION,
    DEPLOYMENT_PARAMETERS_SCHEMA,
    DEPLOYMENT_TEMPLATE_SCHEMA,
    Expr,
    param,
    var,
)
from templategen.inputs.model import POLICY_TYPE, PROTECTED_ITEM_TYPE, VAULT_TYPE, BackupInput, RetentionTier

#: Only the time of day of a schedule matters; the date is arbitrary. This is the quickstart's date.
SCHEDULE_DATE = "2017-01-26"

#: Fixed names of the IaaS VM backup hierarchy (fabric, container and item prefixes).
VARIABLES = {
    "backupFabric": "Azure",
    "v2VmContainer": "iaasvmcontainer;iaasvmcontainerv2;",
    "v2Vm": "vm;iaasvmcontainerv2;",
}

#: The protected item's type. The quickstart reads it from a variable `v2VmType`; we write the
#: literal because the official RecoveryServices schema uses `protectedItemType` as the
#: discriminator of its item kinds and admits no expression there, so editors and validators would
#: flag the variable form. The deployed value is the same.
PROTECTED_ITEM_KIND = "Microsoft.Compute/virtualMachines"

DESCRIPTIONS = {
    "existingVirtualMachinesResourceGroup": (
        "Resource group of the virtual machines; it may differ from the vault's."
    ),
    "existingVirtualMachines": 'Names of the virtual machines to protect, e.g. ["vm1", "vm2"].',
    "vaultName": "Name of the Recovery Services vault.",
    "isNewVault": "Create the vault (true) or use an existing one (false).",
    "policyName": "Name of the backup policy. Every vault has a 'DefaultPolicy'.",
    "isNewPolicy": "Create the backup policy (true) or use an existing one (false).",
    "location": "Location of the resources; the virtual machines must be in the vault's region.",
}


def schedule_run_time(model: BackupInput) -> str:
    return f"{SCHEDULE_DATE}T{model.run_time}:00Z"


def _retention_policy(model: BackupInput) -> dict[str, object]:
    times = var("scheduleRunTimes")
    policy: dict[str, object] = {}
    if model.daily is not None:
        policy["dailySchedule"] = {
            "retentionTimes": times,
            "retentionDuration": {"count": model.daily.count, "durationType": "Days"},
        }
    if model.weekly is not None:
        policy["weeklySchedule"] = {
            "daysOfTheWeek": list(model.weekly.days_of_week),
            "retentionTimes": times,
            "retentionDuration": {"count": model.weekly.count, "durationType": "Weeks"},
        }
    if model.monthly is not None:
        schedule: dict[str, object] = {"retentionScheduleFormatType": model.monthly.format}
        schedule.update(_period_format(model.monthly))
        schedule["retentionTimes"] = times
        schedule["retentionDuration"] = {"count": model.monthly.count, "durationType": "Months"}
        policy["monthlySchedule"] = schedule
    if model.yearly is not None:
        schedule = {
            "retentionScheduleFormatType": model.yearly.format,
            "monthsOfYear": list(model.yearly.months),
        }
        schedule.update(_period_format(model.yearly))
        schedule["retentionTimes"] = times
        schedule["retentionDuration"] = {"count": model.yearly.count, "durationType": "Years"}
        policy["yearlySchedule"] = schedule
    policy["retentionPolicyType"] = "LongTermRetentionPolicy"
    return policy


def _period_format(tier: RetentionTier) -> dict[str, object]:
    """Which recovery point of a month (or of the months of a year) is kept."""
    if tier.format == "Weekly":
        return {
            "retentionScheduleWeekly": {
                "daysOfTheWeek": list(tier.week_days),
                "weeksOfTheMonth": list(tier.weeks),
            }
        }
    days: list[dict[str, object]] = [{"date": day, "isLast": False} for day in tier.days_of_month]
    if tier.last_day:
        days.append({"date": 0, "isLast": True})
    return {"retentionScheduleDaily": {"daysOfTheMonth": days}}


def _schedule_policy(model: BackupInput) -> dict[str, object]:
    times = var("scheduleRunTimes")
    if model.tier == "Enhanced":
        policy: dict[str, object] = {
            "schedulePolicyType": "SimpleSchedulePolicyV2",
            "scheduleRunFrequency": model.frequency,
        }
        if model.frequency == "Weekly":
            policy["weeklySchedule"] = {"scheduleRunDays": list(model.run_days), "scheduleRunTimes": times}
        else:
            policy["dailySchedule"] = {"scheduleRunTimes": times}
        return policy
    policy = {"scheduleRunFrequency": model.frequency}
    if model.frequency == "Weekly":
        policy["scheduleRunDays"] = list(model.run_days)
    policy["scheduleRunTimes"] = times
    policy["schedulePolicyType"] = "SimpleSchedulePolicy"
    return policy


def policy_properties(model: BackupInput) -> dict[str, object]:
    """The backup policy's properties (Standard: V1 policy; Enhanced: `policyType: V2`)."""
    properties: dict[str, object] = {"backupManagementType": "AzureIaasVM"}
    if model.tier == "Enhanced":
        properties["policyType"] = "V2"
    properties["instantRpRetentionRangeInDays"] = model.instant_restore_days
    properties["schedulePolicy"] = _schedule_policy(model)
    properties["retentionPolicy"] = _retention_policy(model)
    properties["timeZone"] = model.time_zone
    return properties


def build_template(model: BackupInput) -> dict[str, object]:
    vm_rg: object = (
        model.vm_resource_group if model.vm_resource_group is not None else Expr("resourceGroup().name")
    )
    location: object = model.location if model.location is not None else Expr("resourceGroup().location")
    parameters: dict[str, object] = {
        "existingVirtualMachinesResourceGroup": {"type": "string", "defaultValue": vm_rg},
        "existingVirtualMachines": {"type": "array", "defaultValue": list(model.vm_names)},
        "vaultName": {"type": "string", "defaultValue": model.vault_name},
        "isNewVault": {"type": "bool", "defaultValue": model.vault_new},
        "policyName": {"type": "string", "defaultValue": model.policy_name},
        "isNewPolicy": {"type": "bool", "defaultValue": model.policy_new},
        "location": {"type": "string", "defaultValue": location},
    }
    for name, definition in parameters.items():
        assert isinstance(definition, dict)
        definition["metadata"] = {"description": DESCRIPTIONS[name]}
    variables: dict[str, object] = {
        "backupFabric": VARIABLES["backupFabric"],
        "scheduleRunTimes": [schedule_run_time(model)],
        "v2VmContainer": VARIABLES["v2VmContainer"],
        "v2Vm": VARIABLES["v2Vm"],
    }
    vault_id = Expr(f"resourceId('{VAULT_TYPE}', parameters('vaultName'))")
    policy_id = Expr(f"resourceId('{POLICY_TYPE}', parameters('vaultName'), parameters('policyName'))")
    vm_item = "parameters('existingVirtualMachines')[copyIndex()]"
    vm_rg_expr = "parameters('existingVirtualMachinesResourceGroup')"
    vm_type = "'Microsoft.Compute/virtualMachines'"

    vault: dict[str, object] = {
        "condition": param("isNewVault"),
        "type": VAULT_TYPE,
        "apiVersion": model.api_versions[VAULT_TYPE],
        "name": param("vaultName"),
        "location": param("location"),
    }
    policy: dict[str, object] = {
        "condition": param("isNewPolicy"),
        "type": POLICY_TYPE,
        "apiVersion": model.api_versions[POLICY_TYPE],
        "name": Expr("format('{0}/{1}', parameters('vaultName'), parameters('policyName'))"),
        "location": param("location"),
    }
    items: dict[str, object] = {
        "copy": {"name": "protectedItems", "count": Expr("length(parameters('existingVirtualMachines'))")},
        "type": PROTECTED_ITEM_TYPE,
        "apiVersion": model.api_versions[PROTECTED_ITEM_TYPE],
        "name": Expr(
            "format('{0}/{1}/{2}{3};{4}/{5}{6};{7}', parameters('vaultName'), variables('backupFabric'), "
            f"variables('v2VmContainer'), {vm_rg_expr}, {vm_item}, "
            f"variables('v2Vm'), {vm_rg_expr}, {vm_item})"
        ),
        "location": param("location"),
    }
    if model.tags:
        for resource in (vault, policy, items):
            resource["tags"] = dict(model.tags)
    vault["sku"] = {"name": model.sku_name, "tier": model.sku_tier}
    vault["properties"] = {}
    policy["properties"] = policy_properties(model)
    policy["dependsOn"] = [vault_id]
    items["properties"] = {
        "protectedItemType": PROTECTED_ITEM_KIND,
        "policyId": policy_id,
        "sourceResourceId": Expr(
            f"resourceId(subscription().subscriptionId, {vm_rg_expr}, {vm_type}, {vm_item})"
        ),
    }
    items["dependsOn"] = [policy_id, vault_id]
    return {
        "$schema": DEPLOYMENT_TEMPLATE_SCHEMA,
        "contentVersion": CONTENT_VERSION,
        "metadata": {"_generator": {"name": "templategen", "version": __version__, "input": model.source}},
        "parameters": parameters,
        "variables": variables,
        "resources": [vault, policy, items],
    }


def build_parameters(model: BackupInput) -> dict[str, object]:
    """The deployment parameters file with every value the input chose."""
    values: dict[str, object] = {}
    if model.vm_resource_group is not None:
        values["existingVirtualMachinesResourceGroup"] = {"value": model.vm_resource_group}
    values["existingVirtualMachines"] = {"value": list(model.vm_names)}
    values["vaultName"] = {"value": model.vault_name}
    values["isNewVault"] = {"value": model.vault_new}
    values["policyName"] = {"value": model.policy_name}
    values["isNewPolicy"] = {"value": model.policy_new}
    if model.location is not None:
        values["location"] = {"value": model.location}
    return {"$schema": DEPLOYMENT_PARAMETERS_SCHEMA, "contentVersion": CONTENT_VERSION, "parameters": values}


def bicep_context(model: BackupInput) -> dict[str, object]:
    """Values for `templates/recovery-services-backup-vms.bicep.j2` (policy properties shared with ARM)."""
    from templategen.generate.bicep import BicepExpr

    return {
        "version": __version__,
        "source": model.source,
        "tier": model.tier,
        "frequency": model.frequency,
        "run_time": model.run_time,
        "time_zone": model.time_zone,
        "descriptions": DESCRIPTIONS,
        "vm_resource_group": (
            model.vm_resource_group
            if model.vm_resource_group is not None
            else BicepExpr("resourceGroup().name")
        ),
        "vm_names": list(model.vm_names),
        "vault_name": model.vault_name,
        "vault_new": model.vault_new,
        "policy_name": model.policy_name,
        "policy_new": model.policy_new,
        "location": model.location if model.location is not None else BicepExpr("resourceGroup().location"),
        "variables": VARIABLES,
        "protected_item_kind": PROTECTED_ITEM_KIND,
        "schedule_run_times": [schedule_run_time(model)],
        "api_versions": {
            "vault": model.api_versions[VAULT_TYPE],
            "policy": model.api_versions[POLICY_TYPE],
            "protected_item": model.api_versions[PROTECTED_ITEM_TYPE],
        },
        "tags": dict(model.tags),
        "sku": {"name": model.sku_name, "tier": model.sku_tier},
        "policy_properties": policy_properties(model),
    }
