"""Inputs that together exercise every option of both input kinds (plus the committed examples).

Used by the parse, equivalence and official-schema tests, so each of them runs over the same
spread of generated files.
"""

from __future__ import annotations

from pathlib import Path

from tests.generate.conftest import EXAMPLES, generate_in_process

_EXTENSION = """\
kind: vmsnapshot-extension
os: {os}
settings:
  taskId: e07354cf-041e-4370-929f-25a319ce8933_7
  commandStartTime: "2024-06-30T23:30:00.1234567+02:00"
"""

VARIANTS: dict[str, str] = {
    # Strings that stress the Bicep and ARM escaping: quotes, ${, backslashes, newlines, brackets.
    "ext-escaping": _EXTENSION.format(os="windows")
    + """\
vm:
  name: vm-01
name: VMSnapshot
tags:
  "it's": "O'Brien's ${notInterpolated} \\\\server\\\\share\\\\"
  multi-line: "line one\\nline two\\ttabbed"
  brackets: "[not an expression]"
  "${key}": "$ alone, { alone, $${double}"
  unicode: "ümlaut ✓"
""",
    "ext-linux-no-vm-name": _EXTENSION.format(os="linux")
    + """\
typeHandlerVersion: "1.10"
autoUpgradeMinorVersion: false
location: northeurope
""",
    "backup-standard-weekly": """\
kind: recovery-services-backup-vms
vault: {name: rsv-weekly, new: true, sku: {name: Standard}}
policy:
  name: weekly-standard
  new: true
  frequency: Weekly
  runDays: [Monday, Thursday]
  runTime: "01:30"
  timeZone: Pacific Standard Time
  retention:
    weekly: {count: 12}
    monthly: {count: 6, format: Weekly, weeks: [First, Last], weekDays: [Monday]}
    yearly: {count: 2, months: [December], format: Weekly, weeks: [Last], weekDays: [Thursday]}
virtualMachines:
  resourceGroup: rg-weekly
  names: [vm-a]
""",
    "backup-enhanced-daily": """\
kind: recovery-services-backup-vms
location: swedencentral
tags: {owner: "backup team", "cost-center": "42"}
policy:
  name: enhanced-daily
  new: true
  tier: Enhanced
  instantRestoreDays: 14
  retention:
    daily: {count: 30}
    monthly: {count: 12, days: [1, 15], lastDay: true}
virtualMachines:
  names: [vm-1, vm-2, vm-3, vm-4]
""",
    "backup-daily-only": """\
kind: recovery-services-backup-vms
vault: {name: rsv-min}
policy:
  name: daily-only
  instantRestoreDays: 2
  runTime: "23:00"
  retention:
    daily: {count: 7}
virtualMachines:
  resourceGroup: rg-min
  names: [only-vm]
""",
}


def generate_all(folder: Path) -> list[Path]:
    """Generate every variant and every committed example (both formats, plus extension snippets)
    into `folder`; return the input files."""
    inputs = []
    for name, text in VARIANTS.items():
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        inputs.append(path)
    for example in sorted(EXAMPLES.glob("*.yaml")):
        path = folder / example.name
        path.write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
        inputs.append(path)
    assert generate_in_process("generate", "--format", "both", *map(str, inputs)) == 0
    extensions = [str(p) for p in inputs if "ext" in p.name or p.name.startswith("vmsnapshot")]
    assert generate_in_process("generate", "--snippet", "--format", "both", *extensions) == 0
    return inputs
