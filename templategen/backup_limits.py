"""What Azure Backup accepts in an Azure VM backup policy and a Recovery Services vault, in one place.

Two parts of templategen enforce these limits: the linter's Recovery Services rules
(`templategen.rules.backup_policy`, `templategen.rules.backup_items`) and the input schema
`schemas/input-recovery-services-backup-vms.schema.json`, whose `minimum` / `maximum` / `enum`
values editors show while a user types. The schema cannot import Python, so it repeats the numbers;
a test (`tests/rules/test_backup_limits.py`) fails when the two disagree. Change a limit here and in
the schema together.

Where the sources disagree (`shared/DOMAIN.md` §6 CONFLICT rows) the choice and its reason are noted
beside the value, and repeated in the rule documentation.

This module is on the lint path: plain constants only, no imports.
"""

from __future__ import annotations

# -- vault -----------------------------------------------------------------------------------------

#: Vault names: 2 to 50 letters, digits and hyphens, starting with a letter (template reference for
#: Microsoft.RecoveryServices/vaults; resource-name-rules; PSRule Azure.RSV.Name uses the same).
VAULT_NAME_MIN = 2
VAULT_NAME_MAX = 50
VAULT_NAME_PATTERN = r"[A-Za-z][A-Za-z0-9-]{1,49}"

#: `sku.name` values a Recovery Services vault takes; `RS0` is what every quickstart writes.
VAULT_SKU_NAMES = ("RS0", "Standard")
#: `sku.tier` values.
VAULT_SKU_TIERS = ("Standard",)

# -- schedule --------------------------------------------------------------------------------------

#: A Standard (V1) or Enhanced daily/weekly policy runs once a day: exactly one `scheduleRunTimes`
#: entry, on the hour or the half hour (Azure PowerShell PolicyScheduleObjects.cs validation).
RUN_TIMES_PER_POLICY = 1
RUN_TIME_MINUTE_STEP = 30

DAYS_OF_WEEK = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
WEEKS_OF_MONTH = ("First", "Second", "Third", "Fourth", "Last")
MONTHS_OF_YEAR = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: Enhanced hourly schedules: backups every 4, 6, 8 or 12 hours. CONFLICT: PowerShell's
#: PolicyScheduleObjects.cs says "4, 6, 8, 12" on the HourlySchedule class (the Enhanced VM policy)
#: and "4, 6, 8, 10" on SimpleSchedulePolicy (the V1 class Azure Files uses); the portal and the
#: Enhanced-policy documentation offer 4, 6, 8 and 12. We follow the class VMs use.
HOURLY_INTERVALS = (4, 6, 8, 12)
#: The first backup of the day starts between 00:00 and 19:30, on a half hour (same file).
HOURLY_START_LATEST_MINUTES = 19 * 60 + 30
#: The window runs for at least the interval and at most 24 hours. CONFLICT: PowerShell's comment says
#: 4 to 23 hours; the REST API how-to's Enhanced example and the portal's default use 24. A limit
#: that rejects the documented example would be wrong, so 24 is accepted.
HOURLY_WINDOW_MAX_HOURS = 24

# -- retention -------------------------------------------------------------------------------------

#: Retention ranges per tier: (minimum, maximum, durationType). Maxima: Azure PowerShell
#: CommonModels/Utils.cs PolicyConstants (9999 days, 5163 weeks, 1188 months, 99 years). Daily minimum
#: 7 (Standard tier): the service has answered fewer days with BMSUserErrorInvalidPolicyInput since
#: 2020 (terraform-provider-azurerm issue 7792, PR 7898); PowerShell's own check only asks for a count
#: above 0, so it is not the source of the 7. Weekly, monthly and yearly counts start at 1.
RETENTION = {
    "dailySchedule": (7, 9999, "Days"),
    "weeklySchedule": (1, 5163, "Weeks"),
    "monthlySchedule": (1, 1188, "Months"),
    "yearlySchedule": (1, 99, "Years"),
}
#: Days of the month a monthly or yearly rule can name; later days only through `isLast`
#: (PolicyConstants.MaxAllowedDateInMonth).
DAY_OF_MONTH_MAX = 28

# -- instant restore (snapshot tier) ---------------------------------------------------------------

#: `instantRpRetentionRangeInDays` per (policy kind, frequency), inclusive. Standard: 1 to 5 days for
#: daily backups, exactly 5 for weekly ones (learn.microsoft.com/azure/backup/backup-instant-restore-
#: capability; terraform PR 24539). Enhanced: 1 to 30 days for daily and hourly backups, 5 to 20 for
#: weekly ones (backup-azure-vms-enhanced-policy.md and the instant-restore page; DOMAIN §6).
INSTANT_RESTORE_DAYS = {
    ("Standard", "Daily"): (1, 5),
    ("Standard", "Weekly"): (5, 5),
    ("Enhanced", "Daily"): (1, 30),
    ("Enhanced", "Hourly"): (1, 30),
    ("Enhanced", "Weekly"): (5, 20),
}

# -- protected items -------------------------------------------------------------------------------

#: At most this many VMs per backup policy. CONFLICT: a third-party blog (n2ws) says 100; the Azure CLI
#: refuses to enable protection once a policy protects 1000 items (`az backup protection
#: enable-for-vm`, custom.py: `protected_items_count < 1000`), which is Microsoft's own code path.
VMS_PER_POLICY_MAX = 1000

#: Fixed parts of an Azure VM's protected-item name: `<vault>/Azure/<container>/<item>`.
FABRIC = "Azure"
#: Container and item prefixes per VM kind: (container prefix, item prefix). Azure Resource Manager
#: VMs use `iaasvmcontainerv2`; classic VMs `iaasvmcontainer` (and a cloud service in place of the
#: resource group). Compared case-insensitively: the service itself returns `IaasVMContainer;...`.
VM_CONTAINER_KINDS = {
    "microsoft.compute/virtualmachines": ("iaasvmcontainer", "iaasvmcontainerv2"),
    "microsoft.classiccompute/virtualmachines": ("iaasvmcontainer", "iaasvmcontainer"),
}
#: The item segment's first part.
VM_ITEM_PREFIX = "vm"
