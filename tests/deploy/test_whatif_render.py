"""The what-if renderer on result shapes the emulator does not produce: arrays, no-effect properties,
unsupported and deploy changes, potential changes, diagnostics, and masking by property path.

The inputs are what-if results in the documented REST shape (`WhatIfOperationResult`), as the SDK's
`as_dict()` returns them.
"""

from __future__ import annotations

import re
from typing import Any

from templategen.deploy.masking import Masker
from templategen.deploy.whatif import mask_result, render_what_if

SUB = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-backup"
VM = f"{SUB}/providers/Microsoft.Compute/virtualMachines/vm-app-01"
VAULT = f"{SUB}/providers/Microsoft.RecoveryServices/vaults/rsv-backup-prod"


def _result(*changes: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"status": "Succeeded", "properties": {"changes": list(changes), **props}}


def test_array_children_no_effect_and_nested_paths() -> None:
    change = {
        "resourceId": f"{VAULT}/backupPolicies/DailyPolicy",
        "changeType": "Modify",
        "before": {"apiVersion": "2023-04-01"},
        "after": {"apiVersion": "2023-04-01"},
        "delta": [
            {
                "path": "properties.schedulePolicy.scheduleRunTimes",
                "propertyChangeType": "Array",
                "children": [
                    {
                        "path": "0",
                        "propertyChangeType": "Modify",
                        "before": "2026-01-01T02:30:00Z",
                        "after": "2026-01-01T03:00:00Z",
                    },
                    {"path": "1", "propertyChangeType": "Create", "after": "2026-01-01T15:00:00Z"},
                ],
            },
            {
                "path": "properties.protectedItemsCount",
                "propertyChangeType": "NoEffect",
                "before": 3,
                "after": 0,
            },
            {"path": "tags", "propertyChangeType": "Delete", "before": {"env": "prod", "team": "backup"}},
        ],
    }
    text = render_what_if(_result(change), colour=False)
    block = text.split("\n\n")
    assert text.startswith(
        "Resource and property changes are indicated with these symbols:\n"
        "  + Create\n  ~ Modify\n  - Delete\n  x NoEffect\n\n"
    )
    modify = next(
        b for b in block if b.startswith("  ~ Microsoft.RecoveryServices/vaults/rsv-backup-prod/backup")
    )
    assert modify.splitlines() == [
        "  ~ Microsoft.RecoveryServices/vaults/rsv-backup-prod/backupPolicies/DailyPolicy [2023-04-01]",
        "    x properties.protectedItemsCount:                3 => 0",
        '    ~ properties.schedulePolicy.scheduleRunTimes[0]: "2026-01-01T02:30:00Z" => '
        '"2026-01-01T03:00:00Z"',
        '    + properties.schedulePolicy.scheduleRunTimes[1]: "2026-01-01T15:00:00Z"',
        '    - tags.env:                                      "prod"',
        '    - tags.team:                                     "backup"',
    ]
    assert text.endswith("Resource changes: 1 to modify.\n")


def test_unsupported_deploy_potential_changes_and_diagnostics() -> None:
    result = _result(
        {
            "resourceId": f"{SUB}/providers/Microsoft.Resources/deployments/nested",
            "changeType": "Unsupported",
            "unsupportedReason": "Changes to nested deployments with a templateLink cannot be predicted.",
        },
        {
            "resourceId": f"{VM}/extensions/VMSnapshot",
            "changeType": "Deploy",
            "before": {"apiVersion": "2024-07-01", "properties": {"typeHandlerVersion": "1.0"}},
            "after": {"apiVersion": "2024-07-01", "properties": {"typeHandlerVersion": "1.0"}},
        },
        potentialChanges=[
            {"resourceId": f"{VAULT}/backupFabrics/Azure", "changeType": "Create", "after": {}}
        ],
        diagnostics=[
            {
                "level": "Warning",
                "code": "NestedDeploymentShortCircuited",
                "message": "Skipped.",
                "target": "nested",
            }
        ],
    )
    text = render_what_if(result, colour=False)
    assert (
        "  x Microsoft.Resources/deployments/nested: Changes to nested deployments with a templateLink "
        "cannot be predicted." in text
    )
    assert "  ! Microsoft.Compute/virtualMachines/vm-app-01/extensions/VMSnapshot [2024-07-01]" in text
    assert "Potential changes (resources whose outcome Azure could not determine in advance):" in text
    assert "  + Microsoft.RecoveryServices/vaults/rsv-backup-prod/backupFabrics/Azure" in text
    assert "Resource changes: 1 to deploy, 1 unsupported." in text
    assert text.endswith("Diagnostics:\n  Warning NestedDeploymentShortCircuited (nested): Skipped.\n")


def test_secrets_are_masked_by_path_by_value_and_in_sas_uris() -> None:
    secret = "S3cr3t-value-of-this-run"
    change = {
        "resourceId": f"{SUB}/providers/Microsoft.Compute/virtualMachines/vm-app-01",
        "changeType": "Modify",
        "before": {"properties": {"osProfile": {"adminPassword": "old-password"}}},
        "after": {"properties": {"osProfile": {"adminPassword": "new-password"}}},
        "delta": [
            {
                "path": "properties.osProfile.adminPassword",
                "propertyChangeType": "Modify",
                "before": "old-password",
                "after": "new-password",
            },
            {"path": "properties.userData", "propertyChangeType": "Create", "after": f"token={secret}"},
            {
                "path": "properties.diagnosticsProfile.storageUri",
                "propertyChangeType": "Modify",
                "before": "https://st.blob.core.windows.net/c?sv=2024&sig=abcDEF123%2B&se=2026",
                "after": "https://st.blob.core.windows.net/c",
            },
        ],
    }
    masked = mask_result(_result(change), Masker([secret]))
    text = render_what_if(masked, colour=False)
    for leaked in ("old-password", "new-password", secret, "abcDEF123"):
        assert leaked not in text
        assert leaked not in repr(masked)
    assert re.search(r'\n    ~ properties\.osProfile\.adminPassword: +"\*\*\*" => "\*\*\*"\n', text)
    assert re.search(r'\n    \+ properties\.userData: +"token=\*\*\*"\n', text)
    assert "sig=***&se=2026" in text
    # The change as Azure sent it is left alone: masking works on a copy.
    assert change["after"]["properties"]["osProfile"]["adminPassword"] == "new-password"  # type: ignore[index]
