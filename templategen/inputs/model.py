"""The typed inputs the generators read: validated, defaults applied, nothing left to interpret.

Every value here has passed the JSON Schema in `schemas/` and the semantic checks in
`templategen.inputs.loader`; generators never re-check or guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Extension settings in the order the extension document lists them (and the output uses).
SETTINGS_ORDER = ("locale", "taskId", "commandToExecute", "commandStartTimeUTCTicks", "vmType")
#: Protected settings, in the document's order.
PROTECTED_ORDER = ("objectStr", "logsBlobUri", "statusBlobUri")

VM_TYPE = "Microsoft.Compute/virtualMachines"
EXTENSION_TYPE = "Microsoft.Compute/virtualMachines/extensions"
VAULT_TYPE = "Microsoft.RecoveryServices/vaults"
POLICY_TYPE = "Microsoft.RecoveryServices/vaults/backupPolicies"
PROTECTED_ITEM_TYPE = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"


@dataclass(frozen=True)
class ExtensionInput:
    """Input kind `vmsnapshot-extension`."""

    source: str  # file name of the input (for the "generated from" notes)
    os: str  # "windows" | "linux"
    extension_type: str  # "VMSnapshot" | "VMSnapshotLinux" (from the per-OS schema)
    publisher: str  # always the current publisher (DOMAIN Decision 1)
    name: str  # extension resource name
    vm_name: str | None  # default of the `vmName` parameter; None = required parameter
    type_handler_version: str
    auto_upgrade_minor_version: bool
    settings: dict[str, str]  # in SETTINGS_ORDER, ticks already exact
    protected_source: str  # "parameter" | "keyVault"
    key_vault_id: str | None
    secret_names: dict[str, str]  # protected setting -> Key Vault secret name (keyVault only)
    location: str | None
    tags: dict[str, str]
    api_versions: dict[str, str]  # resource type -> API version


@dataclass(frozen=True)
class RetentionTier:
    """One tier of long-term retention (daily, weekly, monthly or yearly)."""

    count: int
    days_of_week: tuple[str, ...] = ()  # weekly tier: which backups count
    months: tuple[str, ...] = ()  # yearly tier
    format: str = ""  # monthly / yearly: "Daily" (days of month) or "Weekly" (weeks + weekdays)
    days_of_month: tuple[int, ...] = ()
    last_day: bool = False
    weeks: tuple[str, ...] = ()
    week_days: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackupInput:
    """Input kind `recovery-services-backup-vms`."""

    source: str
    location: str | None
    tags: dict[str, str]
    vault_name: str
    vault_new: bool
    sku_name: str
    sku_tier: str
    policy_name: str
    policy_new: bool
    tier: str  # "Standard" | "Enhanced"
    frequency: str  # "Daily" | "Weekly"
    run_time: str  # "HH:MM"
    run_days: tuple[str, ...]
    time_zone: str
    instant_restore_days: int
    daily: RetentionTier | None
    weekly: RetentionTier | None
    monthly: RetentionTier | None
    yearly: RetentionTier | None
    vm_resource_group: str | None  # None: the deployment's resource group
    vm_names: tuple[str, ...]
    api_versions: dict[str, str] = field(default_factory=dict)


InputModel = ExtensionInput | BackupInput
