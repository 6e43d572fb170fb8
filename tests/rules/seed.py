"""The original document's example (../shared/seed), as templates a user could have written from it.

The document is Microsoft's 2018 "VM Snapshot Windows extension for Azure Backup" page in a Swedish
machine translation. Its JSON gives the extension's shape (a child `extensions` resource of a VM,
publisher `Microsoft.RecoveryServices`, the SAS fields in `protectedSettings`); its table gives the
values. Those values are read from the seed file here, at test time, so no signature is copied into
the repository. The translation damaged some of them; the repairs are mechanical and listed:

* `taskId`: a space replaced the first `-` (`e07354cf 041e-...`).
* `commandStartTimeUTCTicks`: spaces around `+` (`6.36458E + 17`).
* `objectStr`: typographic quotes, spaces inside the URLs, `sv` translated to `SA`, `se` to
  `nvänd`, the container `vhds` to `virtuella hårddiskar`, and mixed-case hosts.

`objectStr` is kept in two forms: as the table shows it (the member `"blobSASUri": [...]` without
the enclosing braces) and as the JSON object the extension reads (DOMAIN §4, an inference).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SEED_FILE = "seed/000_a96c558c116c477a.txt"


def _row(text: str, name: str) -> str:
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 3 and cells[1] == name:
            return cells[2]
    raise AssertionError(f"no table row {name!r} in the seed")


def _disk_uris(cell: str) -> list[str]:
    uris = []
    for chunk in re.findall(r"https:\\/ ?\\/ ?(.*?)”", cell):
        text = chunk.replace("virtuella hårddiskar", "vhds").replace(" ", "").replace("\\/", "/")
        text = text.replace("?SA=", "?sv=").replace("&nvänd=", "&se=").replace("&Se=", "&se=")
        host, _, rest = text.partition("/")
        uris.append("https://" + host.lower() + "/" + rest)
    return uris


class SeedValues:
    """The table's values, repaired as the module docstring says."""

    def __init__(self, shared: Path) -> None:
        text = (shared / SEED_FILE).read_text(encoding="utf-8")
        self.task_id = _row(text, "taskId").replace(" ", "-", 1)
        self.ticks = _row(text, "commandStartTimeUTCTicks").replace(" ", "")
        self.locale = _row(text, "Nationella inställningar")
        self.disks = _disk_uris(_row(text, "objectStr"))
        self.logs = _row(text, "logsBlobUri")
        self.status = _row(text, "statusBlobUri")

    @property
    def object_str_as_shown(self) -> str:
        """`"blobSASUri": [...]` with JSON-escaped slashes, as the table writes it."""
        return '"blobSASUri": ' + json.dumps(self.disks).replace("/", "\\/")

    @property
    def object_str(self) -> str:
        return json.dumps({"blobSASUri": self.disks}).replace("/", "\\/")


def seed_template(values: SeedValues, *, layout: str) -> dict[str, object]:
    """A Windows VM with the document's extension as a child resource.

    layout "document": the document's JSON (SAS fields in protectedSettings, objectStr as the table
    shows it). layout "arm-schema": the official ARM schema's `VMSnapshot` definition (all eight
    fields in settings, objectStr a JSON object).
    """
    settings: dict[str, object] = {
        "locale": values.locale,
        "taskId": values.task_id,
        "commandToExecute": "snapshot",
        "commandStartTimeUTCTicks": values.ticks,
        "vmType": "microsoft.compute/virtualmachines",
    }
    protected = {
        "objectStr": values.object_str_as_shown,
        "logsBlobUri": values.logs,
        "statusBlobUri": values.status,
    }
    properties: dict[str, object] = {
        "publisher": "Microsoft.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": True,
    }
    if layout == "document":
        properties["settings"] = settings
        properties["protectedSettings"] = protected
    else:
        settings.update(protected, objectStr=values.object_str)
        properties["settings"] = settings
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
        "resources": [
            {
                "type": "Microsoft.Compute/virtualMachines",
                "apiVersion": "2015-06-15",
                "name": "myVM",
                "location": "[parameters('location')]",
                "properties": {
                    "osProfile": {"computerName": "myVM", "windowsConfiguration": {"provisionVMAgent": True}}
                },
                "resources": [
                    {
                        "type": "extensions",
                        "name": "VMSnapshot",
                        "apiVersion": "2015-06-15",
                        "location": "[parameters('location')]",
                        "properties": properties,
                    }
                ],
            }
        ],
    }
