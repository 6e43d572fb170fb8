"""Cold start: `templategen lint` on one template, as pre-commit runs it on every commit.

Compared, in the same rounds (interleaved, so drift on a shared machine hits all alike) and from a
folder with no configuration file, against `python -c pass` on the same interpreter (the target is at
most twice that), `python -c "import json"` (the floor for any linter that reads JSON with the
standard library: `json` imports `re`, which imports `enum`), and checkov on the same file.
Bytecode caches are present (see `benchmarks/common.py`). `-X importtime` shows where the time goes.

Times on a shared machine wander; where valgrind is installed, each command's instruction count under
callgrind is measured too. It does not depend on load, so its ratio is the steady figure to compare
between runs (it leaves out waiting for the disk and the cache misses that time includes).
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.checkov_runs import Checkov
from benchmarks.common import PYTHON, TEMPLATEGEN, Timing, child_env, log, median, timed_run
from benchmarks.corpus import corpus_root

#: The template every tool starts on: the Azure quickstart this project reproduces.
TEMPLATE = "quickstarts/microsoft.recoveryservices/recovery-services-backup-vms/azuredeploy.json"
IMPORTTIME_RUNS = 9


def measure(shared: Path, checkov: Checkov | None, runs: int, checkov_runs: int) -> dict[str, Any]:
    source = corpus_root(shared) / TEMPLATE
    env = child_env()
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        folder = Path(tmp)
        shutil.copyfile(source, folder / "azuredeploy.json")
        commands: dict[str, list[str]] = {
            "python -c pass": [str(PYTHON), "-c", "pass"],
            'python -c "import json"': [str(PYTHON), "-c", "import json"],
            "templategen lint": [str(TEMPLATEGEN), "lint", "azuredeploy.json"],
        }
        if checkov is not None:
            commands["checkov"] = checkov.command("arm", ["azuredeploy.json"])
        timings: dict[str, list[Timing]] = defaultdict(list)
        log(f"cold start: {runs} runs each ({checkov_runs} for checkov)")
        for index in range(max(runs, checkov_runs)):
            names = list(commands) if index % 2 == 0 else list(reversed(commands))
            for name in names:
                limit = checkov_runs if name == "checkov" else runs
                if index < limit:
                    timings[name].append(timed_run(commands[name], env=env, cwd=folder))
        lint_codes = {t.returncode for t in timings["templategen lint"]}
        imports = importtime(folder)
        instructions = {
            name: count
            for name, command in commands.items()
            if name != "checkov" and (count := instruction_count(command, folder)) is not None
        }
    rows: dict[str, dict[str, Any]] = {
        name: {
            "runs": len(values),
            "wall": median([t.wall for t in values]),
            "cpu": median([t.cpu for t in values]),
            "wall_p10_p90": _spread([t.wall for t in values]),
        }
        for name, values in timings.items()
    }
    bare = rows["python -c pass"]
    for row in rows.values():
        row["wall_ratio"] = row["wall"] / bare["wall"]
        row["cpu_ratio"] = row["cpu"] / bare["cpu"]
    return {
        "template": TEMPLATE,
        "rows": rows,
        "lint_exit_codes": sorted(lint_codes),
        "importtime": imports,
        "instructions": instructions,
    }


def instruction_count(command: list[str], folder: Path) -> int | None:
    """Instructions the command executes under callgrind (None without valgrind)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    done = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        cwd=folder,
        env=child_env(),
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if found else None


def _spread(values: list[float]) -> tuple[float, float]:
    if len(values) < 10:
        return min(values), max(values)
    deciles = statistics.quantiles(values, n=10)
    return deciles[0], deciles[-1]


def _parse_importtime(stderr: str) -> dict[str, tuple[int, int]]:
    """module -> (self µs, cumulative µs) from `-X importtime` output."""
    found: dict[str, tuple[int, int]] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = line[len("import time:") :].split("|")
        found[name.strip()] = (int(self_us), int(cumulative))
    return found


def importtime(folder: Path) -> dict[str, Any]:
    """Median self time per module over a few runs, grouped by who asks for the module."""
    env = child_env()
    runs: list[dict[str, tuple[int, int]]] = []
    baseline: set[str] = set()
    for _ in range(IMPORTTIME_RUNS):
        for command, sink in (
            ([str(PYTHON), "-X", "importtime", str(TEMPLATEGEN), "lint", "azuredeploy.json"], runs),
            ([str(PYTHON), "-X", "importtime", "-c", "pass"], None),
        ):
            with tempfile.TemporaryDirectory() as tmp:
                err = Path(tmp) / "err"
                timed_run(command, env=env, cwd=folder, stderr=err)
                parsed = _parse_importtime(err.read_text(encoding="utf-8"))
            if sink is None:
                baseline |= set(parsed)
            else:
                sink.append(parsed)
    modules = sorted({name for run in runs for name in run})
    self_us = {name: statistics.median(run.get(name, (0, 0))[0] for run in runs) for name in modules}
    cumulative = {name: statistics.median(run.get(name, (0, 0))[1] for run in runs) for name in modules}
    groups: dict[str, float] = defaultdict(float)
    for name, value in self_us.items():
        if name.split(".")[0] == "templategen":
            groups["templategen modules"] += value
        elif name in baseline:
            groups["interpreter start-up (also in python -c pass)"] += value
        else:
            groups["standard library modules templategen imports"] += value
    top = sorted(self_us.items(), key=lambda item: -item[1])[:15]
    return {
        "runs": IMPORTTIME_RUNS,
        "groups": dict(groups),
        "top": [(name, value, cumulative[name]) for name, value in top],
        "count": {
            "templategen": sum(1 for m in modules if m.split(".")[0] == "templategen"),
            "stdlib": sum(1 for m in modules if m.split(".")[0] != "templategen" and m not in baseline),
        },
    }
