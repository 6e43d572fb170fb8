"""What do the Recovery Services and API-version rules (TG6xx, TG7xx) cost?

    .venv/bin/python benchmarks/backup_rules.py [--repeat N]

Three workloads, CPU time (`time.process_time`) of the best of N rounds:

* the whole corpus (ARM JSON templates): the rules' price on templates that mostly have no Recovery
  Services resource, where they should cost a type comparison per resource;
* the Recovery Services quickstarts (JSON and Bicep), where they evaluate names, policies and ids;
* one template with 1,600 protected items (two copy loops of 800, the most ARM allows per loop),
  the worst case of per-copy evaluation.

Models are built once, outside the timing; each round gets fresh evaluators (as a lint run does).
The shared data folder is `../shared` beside the repository, or `TEMPLATEGEN_SHARED`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from templategen.arm.document import load_json_file, parse_json  # noqa: E402
from templategen.arm.template import build_template, classify  # noqa: E402
from templategen.bicep import load_bicep_file  # noqa: E402
from templategen.lint.context import LintContext  # noqa: E402
from templategen.lint.options import LintOptions  # noqa: E402
from templategen.rules import all_rules  # noqa: E402

SHARED = os.environ.get("TEMPLATEGEN_SHARED", os.path.join(os.path.dirname(REPO), "shared"))
CORPUS = os.path.join(SHARED, "corpus", "quickstarts")
RSV = os.path.join(CORPUS, "quickstarts", "microsoft.recoveryservices")
POLICY = "Microsoft.RecoveryServices/vaults/backupPolicies"


def load(paths: list[str]) -> list[tuple[object, object]]:
    loaded = []
    for path in paths:
        try:
            document = load_bicep_file(path) if path.endswith(".bicep") else load_json_file(path)
        except Exception:
            continue
        if path.endswith(".json") and classify(document.data) != "template":
            continue
        loaded.append((document, build_template(document)))  # type: ignore[arg-type]
    return loaded


def many_items() -> list[tuple[object, object]]:
    loops = []
    for loop in ("east", "west"):
        container = f"iaasvmcontainer;iaasvmcontainerv2;rg-{loop};vm-{{0}}"
        name = f"rsv/Azure/{container}/vm;iaasvmcontainerv2;rg-{loop};vm-{{0}}"
        loops.append(
            {
                "copy": {"name": loop, "count": 800},
                "type": "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
                "apiVersion": "2026-05-01",
                "name": f"[format('{name}', copyIndex())]",
                "properties": {
                    "protectedItemType": "Microsoft.Compute/virtualMachines",
                    "policyId": f"[resourceId('{POLICY}', 'rsv', 'p')]",
                    "sourceResourceId": f"[resourceId('rg-{loop}', 'Microsoft.Compute/virtualMachines', "
                    "format('vm-{0}', copyIndex()))]",
                },
            }
        )
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": loops,
    }
    document = parse_json(json.dumps(template), "many-items.json")
    return [(document, build_template(document))]


def run(loaded: list[tuple[object, object]], rules: list[object]) -> int:
    options = LintOptions(isolated=True)
    found = 0
    for document, template in loaded:
        ctx = LintContext(document, "template", options, template=template)  # type: ignore[arg-type]
        for rule in rules:
            found += len(list(rule.check(ctx)))  # type: ignore[attr-defined]
    return found


def best(rounds: int, loaded: list[tuple[object, object]], rules: list[object]) -> tuple[float, int]:
    times = []
    found = 0
    for _ in range(rounds):
        started = time.process_time()
        found = run(loaded, rules)
        times.append(time.process_time() - started)
    return min(times), found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules: list[object] = [rule for rule in all_rules() if rule.id[:3] in ("TG6", "TG7")]
    corpus = [
        os.path.join(folder, name)
        for folder, _, names in os.walk(CORPUS)
        for name in names
        if name.endswith(".json") and not name.endswith(".parameters.json")
    ]
    quickstarts = [
        os.path.join(folder, name)
        for folder, _, names in os.walk(RSV)
        for name in names
        if name.endswith((".bicep", "azuredeploy.json"))
    ]
    for label, loaded in (
        ("corpus ARM templates", load(sorted(corpus))),
        ("Recovery Services quickstarts", load(sorted(quickstarts))),
        ("1,600 protected items", many_items()),
    ):
        seconds, found = best(args.repeat, loaded, rules)
        per_file = seconds / max(len(loaded), 1) * 1e3
        print(
            f"{label:32} {len(loaded):5} files  {seconds:6.2f} s  ({per_file:.2f} ms/file, {found} findings)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
