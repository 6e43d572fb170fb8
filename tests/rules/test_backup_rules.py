"""Recovery Services rules TG601–TG626 through the real CLI, on ARM JSON and Bicep.

Each rule has failing cases (a passing fixture with one planted defect, JSON and Bicep) whose
findings must carry the rule, its severity and the position the case marks, and passing fixtures
that must produce no finding at all. The corpus tests hold the rules to what is known to deploy:
the Recovery Services quickstarts, with and without their parameters files, and everything the
generator writes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.rules.backupcases import FIXTURES, Case, check_case, lint

FAMILY = "backup"
GOOD = sorted(p.name for p in (FIXTURES / FAMILY).iterdir() if p.suffix in (".json", ".bicep"))
RSV = Path("corpus/quickstarts/quickstarts/microsoft.recoveryservices")

SD_JSON = "standard-daily.json"
SD_BICEP = "standard-daily.bicep"
ITEM_DEPENDS = (
    '      "dependsOn": [\n'
    "        \"[resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', parameters('vaultName'), "
    "parameters('policyName'))]\"\n"
    "      ],\n"
)
BICEP_ITEM_NAME = "name: ^'${vaultName}/Azure/${container}"
JSON_ITEM_NAME = '"name": ^"[format(\'{0}/Azure/'

CASES = [
    # TG601 vault-name-invalid
    Case(
        "TG601",
        "error",
        SD_JSON,
        '"defaultValue": "rsv-prod"',
        '"defaultValue": "1st_vault"',
        '"name": ^"[parameters(\'vaultName\')]"',
    ),
    Case(
        "TG601",
        "error",
        SD_BICEP,
        "param vaultName string = 'rsv-prod'",
        "param vaultName string = 'rsv_prod'",
        "  name: ^vaultName",
    ),
    # a partly known name: the known prefix must start with a letter
    Case(
        "TG601",
        "error",
        "vm-region.json",
        '"name": "rsv-prod",\n      "location"',
        '"name": "[concat(\'1-\', uniqueString(resourceGroup().id))]",\n      "location"',
        '"name": ^"[concat(\'1-\'',
    ),
    # TG602 vault-sku-invalid
    Case("TG602", "error", SD_JSON, '"name": "RS0"', '"name": "Basic"', '"sku": { "name": ^"Basic"'),
    Case("TG602", "error", SD_BICEP, "tier: 'Standard'", "tier: 'Premium'", "tier: ^'Premium'"),
    # TG603 schedule-run-times-invalid
    Case(
        "TG603",
        "error",
        SD_JSON,
        '"runTimes": ["2017-01-26T05:30:00Z"]',
        '"runTimes": ["2017-01-26T05:15:00Z"]',
        '"scheduleRunTimes": ^"[variables(\'runTimes\')]"',
    ),
    Case(
        "TG603",
        "error",
        SD_BICEP,
        "'2017-01-26T05:30:00Z'",
        "'2017-01-26T05:15:00Z'",
        "scheduleRunTimes: ^runTimes",
    ),
    Case(
        "TG603",
        "error",
        "standard-weekly.json",
        '"scheduleRunTimes": ["2017-01-26T22:00:00Z"]',
        '"scheduleRunTimes": ["2017-01-26T22:00:00Z", "2017-01-26T10:00:00Z"]',
        '"scheduleRunTimes": ^[',
    ),
    Case(
        "TG603",
        "error",
        "enhanced-weekly.bicep",
        "'2017-01-26T23:30:00Z'",
        "'26.01.2017 23:30'",
        "scheduleRunTimes: [\n          ^'26.01.2017 23:30'",
    ),
    # TG604 retention-times-mismatch
    Case(
        "TG604",
        "error",
        SD_JSON,
        '"dailySchedule": {\n            "retentionTimes": "[variables(\'runTimes\')]"',
        '"dailySchedule": {\n            "retentionTimes": ["2017-01-26T06:00:00Z"]',
        '"retentionTimes": [^"2017-01-26T06:00:00Z"]',
    ),
    Case(
        "TG604",
        "error",
        "enhanced-hourly.bicep",
        "retentionTimes: [\n          '2022-01-01T08:00:00Z'",
        "retentionTimes: [\n          '2022-01-01T08:30:00Z'",
        "^'2022-01-01T08:30:00Z'",
    ),
    # TG605 retention-out-of-range
    Case(
        "TG605",
        "error",
        SD_JSON,
        '"count": 30, "durationType": "Days"',
        '"count": 3, "durationType": "Days"',
        '"count": ^3,',
    ),
    Case("TG605", "error", SD_BICEP, "count: 10\n", "count: 100\n", "count: ^100"),
    Case(
        "TG605",
        "error",
        "enhanced-hourly.json",
        '"durationType": "Days"',
        '"durationType": "Weeks"',
        '"durationType": ^"Weeks"',
    ),
    Case(
        "TG605",
        "error",
        "enhanced-weekly.bicep",
        "weeklySchedule: {\n        daysOfTheWeek",
        "weeklyKept: {\n        daysOfTheWeek",
        "retentionPolicy: ^{",
    ),
    # TG606 weekly-run-days-invalid
    Case(
        "TG606",
        "error",
        "standard-weekly.json",
        '"daysOfTheWeek": ["Wednesday"]',
        '"daysOfTheWeek": ["Friday"]',
        '"daysOfTheWeek": ^["Friday"]',
    ),
    Case(
        "TG606",
        "error",
        "standard-weekly.bicep",
        "daysOfTheWeek: [\n            'Wednesday'",
        "daysOfTheWeek: [\n            'Friday'",
        "daysOfTheWeek: ^[\n            'Friday'",
    ),
    Case(
        "TG606",
        "error",
        "enhanced-weekly.json",
        '"scheduleRunDays": ["Saturday"]',
        '"scheduleRunDays": ["Sat", "Saturday"]',
        '"scheduleRunDays": [^"Sat"',
    ),
    Case(
        "TG606",
        "error",
        "enhanced-weekly.bicep",
        "scheduleRunDays: [\n          'Saturday'\n        ]",
        "scheduleRunDays: []",
        "scheduleRunDays: ^[]",
    ),
    # TG607 day-of-month-invalid
    Case(
        "TG607",
        "error",
        SD_JSON,
        '{ "date": 1, "isLast": false }',
        '{ "date": 31, "isLast": false }',
        '"date": ^31',
    ),
    Case("TG607", "error", SD_BICEP, "date: 1\n", "date: 29\n", "date: ^29"),
    Case(
        "TG607",
        "error",
        "standard-weekly.json",
        '"weeksOfTheMonth": ["Last"]',
        '"weeksOfTheMonth": ["Fifth"]',
        '"weeksOfTheMonth": [^"Fifth"]',
    ),
    # TG608 instant-restore-days-invalid
    Case(
        "TG608",
        "error",
        SD_JSON,
        '"instantRpRetentionRangeInDays": 2',
        '"instantRpRetentionRangeInDays": 7',
        '"instantRpRetentionRangeInDays": ^7',
    ),
    Case(
        "TG608",
        "error",
        SD_BICEP,
        "instantRpRetentionRangeInDays: 2",
        "instantRpRetentionRangeInDays: 6",
        "instantRpRetentionRangeInDays: ^6",
    ),
    Case(
        "TG608",
        "error",
        "standard-weekly.bicep",
        "instantRpRetentionRangeInDays: 5",
        "instantRpRetentionRangeInDays: 2",
        "instantRpRetentionRangeInDays: ^2",
    ),
    Case(
        "TG608",
        "error",
        "enhanced-weekly.json",
        '"instantRpRetentionRangeInDays": 10',
        '"instantRpRetentionRangeInDays": 25',
        '"instantRpRetentionRangeInDays": ^25',
    ),
    # TG609 policy-type-mismatch
    Case(
        "TG609",
        "error",
        "enhanced-hourly.json",
        '"policyType": "V2",\n',
        "",
        '"schedulePolicyType": ^"SimpleSchedulePolicyV2"',
    ),
    Case(
        "TG609",
        "error",
        "enhanced-hourly.bicep",
        "    policyType: 'V2'\n",
        "",
        "schedulePolicyType: ^'SimpleSchedulePolicyV2'",
    ),
    Case(
        "TG609",
        "error",
        SD_BICEP,
        "backupManagementType: 'AzureIaasVM'",
        "backupManagementType: 'AzureIaasVM'\n    policyType: 'V2'",
        "schedulePolicyType: ^'SimpleSchedulePolicy'",
    ),
    # TG610 hourly-schedule-invalid
    Case("TG610", "error", "enhanced-hourly.json", '"interval": 4', '"interval": 5', '"interval": ^5'),
    Case(
        "TG610",
        "error",
        "enhanced-hourly.bicep",
        "scheduleWindowStartTime: '2022-01-01T08:00:00Z'",
        "scheduleWindowStartTime: '2022-01-01T20:00:00Z'",
        "scheduleWindowStartTime: ^'2022-01-01T20:00:00Z'",
    ),
    Case(
        "TG610",
        "error",
        "enhanced-hourly.json",
        '"scheduleWindowDuration": 12',
        '"scheduleWindowDuration": 2',
        '"scheduleWindowDuration": ^2',
    ),
    # TG611 time-zone-unknown
    Case(
        "TG611",
        "error",
        SD_JSON,
        '"W. Europe Standard Time"',
        '"Europe/Berlin"',
        '"timeZone": ^"Europe/Berlin"',
    ),
    Case(
        "TG611",
        "error",
        SD_BICEP,
        "'W. Europe Standard Time'",
        "'W. Europe Standard Tme'",
        "timeZone: ^'W. Europe Standard Tme'",
    ),
    # TG612 time-zone-spelling
    Case(
        "TG612",
        "warning",
        "enhanced-weekly.json",
        '"Tokyo Standard Time"',
        '"tokyo standard time"',
        '"timeZone": ^"tokyo standard time"',
    ),
    Case(
        "TG612",
        "warning",
        "enhanced-weekly.bicep",
        "'Tokyo Standard Time'",
        "'TOKYO STANDARD TIME'",
        "timeZone: ^'TOKYO STANDARD TIME'",
    ),
    # TG613 run-time-offset
    Case(
        "TG613",
        "warning",
        "enhanced-weekly.json",
        '"2017-01-26T23:30:00Z"',
        '"2017-01-26T23:30:00+09:00"',
        '"scheduleRunTimes": [^"2017-01-26T23:30:00+09:00"]',
    ),
    Case(
        "TG613",
        "warning",
        "enhanced-hourly.bicep",
        "scheduleWindowStartTime: '2022-01-01T08:00:00Z'",
        "scheduleWindowStartTime: '2022-01-01T08:00:00-05:00'",
        "scheduleWindowStartTime: ^'2022",
    ),
    # TG620 protected-item-name-invalid
    Case("TG620", "error", SD_JSON, "{0}/Azure/{1}", "{0}/Azur/{1}", '"name": ^"[format(\'{0}/Azur/'),
    Case(
        "TG620",
        "error",
        SD_BICEP,
        "var item = 'vm;iaasvmcontainerv2;'",
        "var item = 'vm;iaasvmcontainer2;'",
        BICEP_ITEM_NAME,
    ),
    Case(
        "TG620",
        "error",
        SD_JSON,
        '"container": "iaasvmcontainer;iaasvmcontainerv2;"',
        '"container": "iaasvmcontainerv2;"',
        JSON_ITEM_NAME,
    ),
    # the same VM in both segments, provably different here: the item segment names another VM
    Case(
        "TG620",
        "error",
        SD_BICEP,
        "${item}${vmResourceGroup};${vm}'",
        "${item}${vmResourceGroup};${vm}-x'",
        BICEP_ITEM_NAME,
        BICEP_ITEM_NAME,
    ),
    # TG621 protected-item-source-mismatch
    Case(
        "TG621",
        "error",
        SD_JSON,
        '"sourceResourceId": "[resourceId(parameters(\'vmResourceGroup\')',
        '"sourceResourceId": "[resourceId(\'rg-other\'',
        '"sourceResourceId": ^"',
    ),
    Case(
        "TG621",
        "error",
        SD_BICEP,
        "'Microsoft.Compute/virtualMachines', vm)",
        "'Microsoft.Compute/virtualMachines', '${vm}-old')",
        "sourceResourceId: ^resourceId",
        "sourceResourceId: ^resourceId",
    ),
    Case(
        "TG621",
        "error",
        SD_BICEP,
        "'Microsoft.Compute/virtualMachines', vm)",
        "'Microsoft.Storage/storageAccounts', vm)",
        "sourceResourceId: ^resourceId",
    ),
    # TG622 protected-item-policy-other-vault
    Case(
        "TG622",
        "error",
        SD_JSON,
        "backupPolicies', parameters('vaultName'), parameters('policyName'))]\",\n        \"sourceResourceId",
        "backupPolicies', 'rsv-other', parameters('policyName'))]\",\n        \"sourceResourceId",
        '"policyId": ^"',
    ),
    Case(
        "TG622",
        "error",
        SD_BICEP,
        "policyId: policy.id",
        "policyId: resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', 'rsv-other', policyName)",
        "policyId: ^resourceId",
    ),
    # TG623 protected-item-type-mismatch
    Case(
        "TG623",
        "error",
        SD_JSON,
        '"backupManagementType": "AzureIaasVM"',
        '"backupManagementType": "AzureStorage"',
        '"protectedItemType": ^"Microsoft.Compute/virtualMachines"',
    ),
    Case(
        "TG623",
        "error",
        SD_BICEP,
        "backupManagementType: 'AzureIaasVM'",
        "backupManagementType: 'AzureWorkload'",
        "protectedItemType: ^'Microsoft.Compute/virtualMachines'",
    ),
    # TG624 protected-item-missing-dependency: neither the policy nor (through it) the vault
    Case("TG624", "error", SD_JSON, ITEM_DEPENDS, "", JSON_ITEM_NAME, JSON_ITEM_NAME),
    Case(
        "TG624",
        "error",
        SD_BICEP,
        "policyId: policy.id",
        "policyId: resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', vaultName, policyName)",
        BICEP_ITEM_NAME,
        BICEP_ITEM_NAME,
    ),
    Case(
        "TG624", "error", "vm-region.bicep", "  dependsOn: [\n    vault\n  ]\n", "", "name: ^'rsv-prod/Azure"
    ),
    # ... nor the VM of its sourceResourceId that the template deploys
    Case(
        "TG624",
        "error",
        "vm-region.json",
        ",\n        \"[resourceId('Microsoft.Compute/virtualMachines', 'vm-app-01')]\"\n      ],",
        "\n      ],",
        '"name": ^"[concat(\'rsv-prod/Azure',
    ),
    Case(
        "TG624",
        "error",
        "vm-region.bicep",
        "sourceResourceId: vm.id",
        "sourceResourceId: resourceId('Microsoft.Compute/virtualMachines', 'vm-app-01')",
        "name: ^'rsv-prod/Azure",
    ),
    # TG625 too-many-vms-per-policy
    Case(
        "TG625",
        "error",
        "many-vms.json",
        '"count": 500',
        '"count": 600',
        '"policyId": ^"[variables(\'policyId\')]"',
    ),
    Case(
        "TG625",
        "error",
        "many-vms.bicep",
        "vmCount: 500",
        "vmCount: 501",
        "policyId: ^policyId",
        at="many-vms/protect.bicep",
    ),
    # TG626 vault-vm-region-mismatch
    Case(
        "TG626",
        "warning",
        "vm-region.json",
        '"defaultValue": "West Europe"',
        '"defaultValue": "northeurope"',
        '"sourceResourceId": ^"[resourceId(',
    ),
    Case(
        "TG626",
        "warning",
        "vm-region.bicep",
        "param vaultLocation string = 'westeurope'",
        "param vaultLocation string = 'swedencentral'",
        "sourceResourceId: ^vm.id",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_planted_defect_is_found(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check_case(case, tmp_path, FAMILY, capsys)


def test_every_backup_rule_has_a_json_and_a_bicep_case() -> None:
    from templategen.rules import all_rules

    ids = {rule.id for rule in all_rules() if rule.id.startswith("TG6")}
    for suffix in (".json", ".bicep"):
        covered = {case.rule for case in CASES if case.base.endswith(suffix)}
        assert ids <= covered, f"no {suffix} case for {sorted(ids - covered)}"


@pytest.mark.parametrize("name", GOOD)
def test_passing_fixture_has_no_finding(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = lint(capsys, str(FIXTURES / FAMILY / name))
    assert findings == [] and code == 0


def test_messages_name_the_resource_and_the_expectation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messages = check_case(CASES[5], tmp_path, FAMILY, capsys)  # TG603 on the JSON fixture
    assert messages == [
        "backup policy 'rsv-prod/daily-standard': run time 05:15 is not on the hour or half hour; use "
        "05:00 or 05:30 (minutes 00 or 30, no seconds)"
    ]
    messages = check_case(CASES[0], tmp_path, FAMILY, capsys)
    assert "'1st_vault'" in messages[0] and "'_'" in messages[0] and "start with a letter" in messages[0]


def test_one_module_deployed_twice_is_told_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Both module instances hold a loop named 'items' (the case sets vmCount 501 in both); the message
    # says which module each count is in.
    [case] = [c for c in CASES if c.rule == "TG625" and c.base == "many-vms.bicep"]
    messages = check_case(case, tmp_path, FAMILY, capsys)
    assert messages == [
        "backup policy 'rsv-prod/DefaultPolicy' would protect 1002 VMs (501 from 'items' in module 'east', "
        "501 from 'items' in module 'west'); a policy protects at most 1000: spread the VMs over several "
        "policies"
    ]


def test_instant_restore_message_names_the_policy_kind_with_its_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [enhanced] = [c for c in CASES if c.rule == "TG608" and c.base == "enhanced-weekly.json"]
    [message] = check_case(enhanced, tmp_path, FAMILY, capsys)
    assert "; an Enhanced policy with weekly backups keeps them " in message
    [standard] = [c for c in CASES if c.rule == "TG608" and c.base.endswith(".json") and c is not enhanced]
    [message] = check_case(standard, tmp_path, FAMILY, capsys)
    assert "; a Standard policy with " in message


def test_retention_times_in_other_offsets_show_the_offsets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """05:30 at +02:00 is 03:30 UTC, not the run time 05:30 UTC: the message must show why two equal
    looking times differ. A time that differs in its fraction of a second shows the fraction."""
    for retention, shown in (
        (
            "2017-01-26T05:30:00+02:00",
            "retention time 05:30+02:00 (03:30 UTC) is not the run time 05:30Z",
        ),
        ("2017-01-26T05:30:00.5Z", "retention time 05:30:00.5 is not the run time 05:30"),
    ):
        case = Case(
            "TG604",
            "error",
            SD_JSON,
            '"dailySchedule": {\n            "retentionTimes": "[variables(\'runTimes\')]"',
            f'"dailySchedule": {{\n            "retentionTimes": ["{retention}"]',
            f'"retentionTimes": [^"{retention}"]',
        )
        (message,) = check_case(case, tmp_path, FAMILY, capsys)
        assert f"daily {shown};" in message, message


def test_an_item_under_a_container_named_in_one_piece_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A container named by one variable: Bicep names the item `split(variables('container'), '/')[0]`
    and so on, which the rules read as the vault, fabric and container segments; the policy of
    another vault is then found as when the name is written out."""
    containers = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers"
    text = "\n".join(
        [
            "param vaultName string = 'rsv-prod'",
            "var containerName = '${vaultName}/Azure/iaasvmcontainer;iaasvmcontainerv2;"
            "${resourceGroup().name};vm-1'",
            "",
            f"resource container '{containers}@2026-05-01' existing = {{",
            "  name: containerName",
            "}",
            "",
            f"resource item '{containers}/protectedItems@2026-05-01' = {{",
            "  parent: container",
            "  name: 'vm;iaasvmcontainerv2;${resourceGroup().name};vm-1'",
            "  properties: {",
            "    protectedItemType: 'Microsoft.Compute/virtualMachines'",
            "    policyId: resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', 'rsv-other', 'p')",
            "    sourceResourceId: resourceId('Microsoft.Compute/virtualMachines', 'vm-1')",
            "  }",
            "}",
            "",
        ]
    )
    path = tmp_path / "item.bicep"
    path.write_text(text, encoding="utf-8")
    code, findings = lint(capsys, "--select", "TG6", str(path))
    assert [(f["rule"], f["message"]) for f in findings] == [
        (
            "TG622",
            "protected item 'rsv-prod/…/vm;iaasvmcontainerv2;<resourceGroup().name>;vm-1' is in vault "
            "'rsv-prod' but its policyId is a policy of vault 'rsv-other'; a vault protects items with "
            "its own policies",
        )
    ]
    assert code == 1


def test_copies_sharing_a_defect_are_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = Case("TG620", "error", SD_JSON, "{0}/Azure/{1}", "{0}/Azur/{1}", '"name": ^"[format(\'{0}/Azur/')
    (message,) = check_case(case, tmp_path, FAMILY, capsys)
    assert message.endswith("(and 1 more copy of this resource)")
    assert message.startswith(
        "protected item 'rsv-prod/…/vm;iaasvmcontainerv2;rg-app;vm-app-01': fabric 'Azur'"
    )


def test_a_defect_in_one_copy_names_that_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The second VM of the list is misspelt in the source id only: one finding, for that copy."""
    case = Case(
        "TG621",
        "error",
        SD_JSON,
        "'Microsoft.Compute/virtualMachines', parameters('vmNames')[copyIndex()])]\"\n",
        "'Microsoft.Compute/virtualMachines', createArray('vm-app-01', 'vm-app-2')[copyIndex()])]\"\n",
        '"sourceResourceId": ^"',
    )
    (message,) = check_case(case, tmp_path, FAMILY, capsys)
    assert "VM 'vm-app-02' but its sourceResourceId is VM 'vm-app-2'" in message


def test_unknown_values_are_skipped_not_guessed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Parameters without values: nothing can be proven wrong, so nothing is reported."""
    text = (FIXTURES / FAMILY / SD_JSON).read_text(encoding="utf-8")
    for default in ('"rsv-prod"', '"daily-standard"', '"rg-app"', '["vm-app-01", "vm-app-02"]'):
        text = text.replace(f', "defaultValue": {default} }}', " }")
    text = text.replace('"runTimes": ["2017-01-26T05:30:00Z"]', '"runTimes": "[parameters(\'times\')]"')
    text = text.replace('"parameters": {', '"parameters": {\n    "times": { "type": "array" },', 1)
    path = tmp_path / "unknown.json"
    path.write_text(text, encoding="utf-8")
    code, findings = lint(capsys, "--select", "TG6", str(path))
    assert findings == [] and code == 0


def test_symbolic_copies_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shared: Path
) -> None:
    """The quickstart's VM list has no value: its one symbolic copy is still checked, so a misspelt
    item prefix is found without knowing any VM, in JSON and in Bicep."""
    for name, old, new in (
        ("azuredeploy.json", '"v2Vm": "vm;iaasvmcontainerv2;"', '"v2Vm": "vm;iaasvmcontainer2;"'),
        ("main.bicep", "var v2Vm = 'vm;iaasvmcontainerv2;'", "var v2Vm = 'vm;iaasvmcontainer2;'"),
    ):
        text = (shared / RSV / "recovery-services-backup-vms" / name).read_text(encoding="utf-8")
        assert old in text
        path = tmp_path / name
        path.write_text(text.replace(old, new), encoding="utf-8")
        _code, findings = lint(capsys, "--select", "TG620", str(path))
        assert [f["rule"] for f in findings] == ["TG620"]
        message = str(findings[0]["message"])
        assert "has type 'iaasvmcontainer2'" in message
        # the copy is symbolic: its VM is the unknown element of the parameter, named as such
        assert "<parameters('existingVirtualMachines')[copyIndex(" in message


def test_an_item_need_not_wait_for_a_vm_this_template_does_not_deploy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """TG624 asks for the VM only when this template deploys the VM the item names: not one switched
    off by its condition, not an `existing` one, not a VM of the same name in another resource group.
    Each variant of the fixture lacks the dependency on the VM; only the first is reported."""
    drop = ",\n        \"[resourceId('Microsoft.Compute/virtualMachines', 'vm-app-01')]\"\n      ],"
    vm = '"name": "vm-app-01",\n      "location"'
    source = "\"sourceResourceId\": \"[resourceId('Microsoft.Compute/virtualMachines', 'vm-app-01')]\""
    variants = {
        "deployed.json": [],
        "off.json": [(vm, '"condition": false,\n      ' + vm)],
        "other-group.json": [(source, source.replace("resourceId(", "resourceId('rg-other', "))],
    }
    text = (FIXTURES / FAMILY / "vm-region.json").read_text(encoding="utf-8")
    assert drop in text and vm in text and source in text
    reported = []
    for name, changes in variants.items():
        changed = text.replace(drop, "\n      ],")
        for old, new in changes:
            changed = changed.replace(old, new)
        path = tmp_path / name
        path.write_text(changed, encoding="utf-8")
        _code, findings = lint(capsys, "--select", "TG624", str(path))
        reported += [name for _ in findings]
    assert reported == ["deployed.json"]
    bicep = (FIXTURES / FAMILY / "vm-region.bicep").read_text(encoding="utf-8")
    declared = (
        "resource vm 'Microsoft.Compute/virtualMachines@2026-03-01' = {\n  name: 'vm-app-01'\n"
        "  location: vmLocation\n  properties: {}\n}"
    )
    assert declared in bicep
    path = tmp_path / "existing.bicep"
    path.write_text(
        bicep.replace(
            declared,
            "resource vm 'Microsoft.Compute/virtualMachines@2026-03-01' existing = {\n  name: 'vm-app-01'\n}",
        ).replace(
            "sourceResourceId: vm.id",
            "sourceResourceId: resourceId('Microsoft.Compute/virtualMachines', 'vm-app-01')",
        ),
        encoding="utf-8",
    )
    assert lint(capsys, "--select", "TG624", str(path)) == (0, [])


# -------------------------------------------------------------------------------------- the corpus


def quickstart_templates(shared: Path) -> list[tuple[Path, Path | None]]:
    """Every template of the Recovery Services quickstarts (prerequisites included), with the
    parameters file its folder deploys it with."""
    found = []
    for folder in sorted((shared / RSV).iterdir()):
        for sub in (folder, folder / "prereqs"):
            if not sub.is_dir():
                continue
            parameters = sorted(sub.glob("*azuredeploy.parameters.json"))
            for template in sorted([*sub.glob("*azuredeploy.json"), *sub.glob("*main.bicep")]):
                found.append((template, parameters[0] if parameters else None))
    return found


def test_recovery_services_quickstarts_have_no_error(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The 13 Recovery Services samples deploy in Azure's CI, with their parameters files: our rules
    must not call them broken, with or without those values."""
    templates = quickstart_templates(shared)
    folders = {template.parent.name for template, _ in templates if template.parent.name != "prereqs"}
    assert len(folders) == 13
    assert len(templates) >= 26
    checked = 0
    for template, parameters in templates:
        runs = [[str(template)]] + ([["-p", str(parameters), str(template)]] if parameters else [])
        for args in runs:
            _code, findings = lint(capsys, "--select", "TG6,TG7", *args)
            errors = [f for f in findings if f["severity"] != "info"]
            assert errors == [], (args, errors)
            checked += 1
    assert checked > 40


def test_quickstart_items_are_checked_with_and_without_parameters(
    shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The backup-vms quickstart: no value for its VM list or their resource group (one symbolic copy),
    and its parameters file (three VMs, new vault and policy). Both pass TG620/TG621, and with the
    parameters the policy rules see the policy (switched on by isNewPolicy) and pass too."""
    folder = shared / RSV / "recovery-services-backup-vms"
    parameters = str(folder / "azuredeploy.parameters.json")
    for template in (folder / "azuredeploy.json", folder / "main.bicep"):
        for extra in ([], ["-p", parameters]):
            code, findings = lint(capsys, "--select", "TG6", *extra, str(template))
            assert findings == [] and code == 0
    # With the parameters the three copies are concrete; one VM misspelt in the item name is found in
    # that copy only (so the rules did look at every copy).
    text = (folder / "azuredeploy.json").read_text(encoding="utf-8")
    old = 'parameters(\'existingVirtualMachines\')[copyIndex()])]",\n      "location"'
    new = (
        "replace(parameters('existingVirtualMachines')[copyIndex()], 'VM2', 'VM-2'))]\",\n      \"location\""
    )
    assert old in text
    path = tmp_path / "azuredeploy.json"
    path.write_text(text.replace(old, new), encoding="utf-8")
    _code, findings = lint(capsys, "--select", "TG620", "-p", parameters, str(path))
    assert len(findings) == 1
    assert "names VM 'VM2' in its container but 'VM-2' in its item segment" in str(findings[0]["message"])


def test_generator_outputs_and_examples_have_no_error(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.generate.variants import generate_all

    generate_all(tmp_path)
    outputs = sorted(p for p in tmp_path.iterdir() if p.suffix in (".json", ".bicep"))
    assert len(outputs) >= 10
    for target in (tmp_path, repo / "examples"):
        _code, findings = lint(capsys, "--select", "TG6,TG7", str(target))
        assert [f for f in findings if f["severity"] == "error"] == []
    # and with their own parameters files (the values `deploy` uses)
    for template in sorted(tmp_path.glob("backup-*.json")):
        if template.name.endswith(".parameters.json"):
            continue
        parameters = template.with_name(template.stem + ".parameters.json")
        _code, findings = lint(capsys, "--select", "TG6,TG7", "-p", str(parameters), str(template))
        assert [f for f in findings if f["severity"] != "info"] == [], template.name


def test_generator_output_with_a_bad_policy_is_caught(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The rules see what the generator writes: break the generated policy and they say so."""
    from tests.generate.variants import generate_all

    generate_all(tmp_path)
    source = tmp_path / "backup-standard-weekly.json"
    text = source.read_text(encoding="utf-8").replace(
        '"instantRpRetentionRangeInDays": 5', '"instantRpRetentionRangeInDays": 3'
    )
    broken = tmp_path / "broken" / "weekly.json"
    broken.parent.mkdir()
    broken.write_text(text, encoding="utf-8")
    shutil.copy(tmp_path / "backup-standard-weekly.parameters.json", broken.parent / "p.json")
    _code, findings = lint(capsys, "--select", "TG608", "-p", str(broken.parent / "p.json"), str(broken))
    assert [f["rule"] for f in findings] == ["TG608"]
    assert "exactly 5 days" in str(findings[0]["message"])


def test_values_of_the_wrong_shape_never_crash_a_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Numbers where strings belong, strings where lists belong, nulls, nested junk: the rules skip
    what they cannot read (other rules report the shape), and never fail with TG000."""
    import json

    odd: list[object] = [None, 5, "x", [], {}, [1, None], {"a": [{}]}, True, "[parameters('missing')]"]
    resources = []
    for index, value in enumerate(odd):
        resources.append(
            {
                "type": "Microsoft.RecoveryServices/vaults",
                "apiVersion": value,
                "name": value,
                "location": value,
                "sku": value,
            }
        )
        resources.append(
            {
                "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
                "apiVersion": "2026-05-01",
                "name": f"rsv/p{index}",
                "properties": {
                    "backupManagementType": "AzureIaasVM",
                    "policyType": value,
                    "instantRpRetentionRangeInDays": value,
                    "schedulePolicy": {
                        "schedulePolicyType": "SimpleSchedulePolicyV2",
                        "scheduleRunFrequency": "Hourly",
                        "hourlySchedule": value,
                        "scheduleRunTimes": value,
                        "scheduleRunDays": value,
                    },
                    "retentionPolicy": {
                        "dailySchedule": value,
                        "weeklySchedule": {"daysOfTheWeek": value},
                        "monthlySchedule": {
                            "retentionScheduleDaily": {"daysOfTheMonth": [value]},
                            "retentionScheduleFormatType": value,
                        },
                        "yearlySchedule": {"monthsOfYear": value, "retentionTimes": value},
                    },
                    "timeZone": value,
                },
            }
        )
        resources.append(
            {
                "type": "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
                "apiVersion": "2026-05-01",
                "name": value,
                "dependsOn": [value],
                "properties": {"protectedItemType": value, "policyId": value, "sourceResourceId": value},
            }
        )
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {},
        "resources": resources,
    }
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    _code, findings = lint(capsys, "--select", "TG0,TG304,TG6,TG7", str(path))
    assert [f for f in findings if f["rule"] == "TG000"] == []
    assert {"TG611", "TG304"} <= {
        f["rule"] for f in findings
    }  # they ran: 'x' is neither a zone nor a version
