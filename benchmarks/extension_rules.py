"""Time the VMSnapshot rules (TG5xx): what they cost on templates without the extension (the corpus,
where they should cost one pass over the resources) and on a template with many extensions.

    .venv/bin/python benchmarks/extension_rules.py [--repeat N] [--copies N]

Each case lints the same files twice in this process, once with the TG5 rules and once without, and
reports the difference. CPU time (`time.process_time`) of the best of N rounds. The models are built
anew in every round (as a lint run does). The shared data folder is `../shared` beside the
repository, or `TEMPLATEGEN_SHARED`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from templategen.cli import main as cli  # noqa: E402


def best(rounds: int, argv: list[str]) -> float:
    times = []
    for _ in range(rounds):
        started = time.process_time()
        with contextlib.redirect_stdout(io.StringIO()):
            cli(argv)
        times.append(time.process_time() - started)
    return min(times)


def many_extensions(copies: int) -> dict[str, object]:
    """`copies` Linux VMs, each with a VMSnapshotLinux extension whose settings are all written out."""
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"protectedSettings": {"type": "secureObject"}},
        "resources": [
            {
                "type": "Microsoft.Compute/virtualMachines",
                "apiVersion": "2024-07-01",
                "name": "[format('vm{0}', copyIndex())]",
                "location": "westeurope",
                "copy": {"name": "vms", "count": copies},
                "properties": {"osProfile": {"computerName": "vm", "linuxConfiguration": {}}},
            },
            {
                "type": "Microsoft.Compute/virtualMachines/extensions",
                "apiVersion": "2024-07-01",
                "name": "[format('vm{0}/VMSnapshotLinux', copyIndex())]",
                "location": "westeurope",
                "copy": {"name": "snapshots", "count": copies},
                "dependsOn": [
                    "[resourceId('Microsoft.Compute/virtualMachines', format('vm{0}', copyIndex()))]"
                ],
                "properties": {
                    "publisher": "Microsoft.Azure.RecoveryServices",
                    "type": "VMSnapshotLinux",
                    "typeHandlerVersion": "1.9",
                    "autoUpgradeMinorVersion": True,
                    "settings": {
                        "locale": "en-us",
                        "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
                        "commandToExecute": "snapshot",
                        "commandStartTimeUTCTicks": "636458000000000000",
                        "vmType": "microsoft.compute/virtualmachines",
                    },
                    "protectedSettings": "[parameters('protectedSettings')]",
                },
            },
        ],
    }


def through_network_interfaces(copies: int) -> dict[str, object]:
    """As `many_extensions`, but each extension waits for a NIC that waits for its VM: the
    dependency is found through another resource of the template."""
    template = many_extensions(copies)
    resources = template["resources"]
    assert isinstance(resources, list)
    resources.append(
        {
            "type": "Microsoft.Network/networkInterfaces",
            "apiVersion": "2023-09-01",
            "name": "[format('nic{0}', copyIndex())]",
            "location": "westeurope",
            "copy": {"name": "nics", "count": copies},
            "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', format('vm{0}', copyIndex()))]"],
        }
    )
    resources[1]["dependsOn"] = [
        "[resourceId('Microsoft.Network/networkInterfaces', format('nic{0}', copyIndex()))]"
    ]
    return template


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--copies", type=int, default=200)
    args = parser.parse_args()
    shared = os.environ.get("TEMPLATEGEN_SHARED", os.path.join(os.path.dirname(REPO), "shared"))
    corpus = os.path.join(shared, "corpus", "quickstarts")
    base = ["lint", "--isolated", "--format", "json", "--now", "2026-01-01T00:00:00Z"]
    with tempfile.TemporaryDirectory() as folder:
        many = os.path.join(folder, "many.json")
        with open(many, "w", encoding="utf-8") as handle:
            json.dump(many_extensions(args.copies), handle)
        chain = os.path.join(folder, "chain.json")
        with open(chain, "w", encoding="utf-8") as handle:
            json.dump(through_network_interfaces(args.copies), handle)
        cases = (
            ("corpus (no VMSnapshot)", corpus),
            (f"{args.copies} extensions", many),
            (f"{args.copies} through NICs", chain),
        )
        for label, target in cases:
            without = best(args.repeat, [*base, "--ignore", "TG5", target])
            with_rules = best(args.repeat, [*base, target])
            print(
                f"{label:28} without TG5 {without:7.3f} s   with TG5 {with_rules:7.3f} s   "
                f"TG5 cost {with_rules - without:+.3f} s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
