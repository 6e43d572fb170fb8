"""Corpus throughput: `templategen lint` against checkov on the same files, in files per second.

Both tools run as processes on explicit file lists, one process per round (so each round pays one
start-up, as a CI job does), with rounds alternating between the tools so that load on a shared
machine hits both. templategen also lints the whole corpus (every JSON and Bicep file, by directory
walk), which checkov cannot: see `benchmarks/checkov_runs.py` for the crash and how the subset is found.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.checkov_runs import Checkov, CheckovRun, find_subset, run_checkov
from benchmarks.common import TEMPLATEGEN, child_env, log, median, timed_run
from benchmarks.corpus import bicep_files, corpus_root, fingerprint, json_files, total_bytes

#: What templategen says about a Bicep file it cannot read yet (checked to tell "unsupported" apart).
BICEP_UNSUPPORTED = "not supported"


class LintRun:
    """One timed `templategen lint` run and what its JSON report says."""

    def __init__(self, wall: float, cpu: float, returncode: int, report: dict[str, Any]) -> None:
        self.wall = wall
        self.cpu = cpu
        self.returncode = returncode
        self.report = report

    @property
    def checked(self) -> int:
        return len(self.report.get("filesChecked", []))

    @property
    def skipped(self) -> int:
        return len(self.report.get("filesSkipped", []))

    def rule_counts(self) -> Counter[str]:
        return Counter(d["rule"] for d in self.report.get("diagnostics", []))


def run_lint(paths: Sequence[str], cwd: Path) -> LintRun:
    with tempfile.TemporaryDirectory(prefix="bench-lint-") as tmp:
        out = Path(tmp) / "report.json"
        command = [str(TEMPLATEGEN), "lint", "--isolated", "--format", "json", "-o", str(out), *paths]
        timing = timed_run(command, env=child_env(), cwd=cwd)
        report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    if timing.returncode not in (0, 1, 2) or not report:
        raise RuntimeError(f"templategen lint failed with exit code {timing.returncode}")
    return LintRun(timing.wall, timing.cpu, timing.returncode, report)


def bicep_supported(run: LintRun) -> bool:
    """False when templategen refused the Bicep files as unsupported instead of reading them."""
    unsupported = [
        d
        for d in run.report.get("diagnostics", [])
        if d["rule"] == "TG001" and d["path"].endswith(".bicep") and BICEP_UNSUPPORTED in d["message"]
    ]
    return not unsupported


def _rate(files: int, times: Sequence[float]) -> float:
    return files / median(times) if times else float("nan")


def measure(
    shared: Path, checkov: Checkov | None, rounds: int, checkov_rounds: int, rediscover: bool
) -> dict[str, Any]:
    root = corpus_root(shared)
    json_list, bicep_list = json_files(root), bicep_files(root)
    result: dict[str, Any] = {
        "json_files": len(json_list),
        "bicep_files": len(bicep_list),
        "json_bytes": total_bytes(root, json_list),
        "bicep_bytes": total_bytes(root, bicep_list),
        "rounds": rounds,
    }

    log(f"templategen on the whole corpus, {rounds} rounds")
    whole = [run_lint(["."], root) for _ in range(rounds)]
    result["whole"] = {
        "files": len(json_list) + len(bicep_list),
        "wall": [r.wall for r in whole],
        "cpu": [r.cpu for r in whole],
        "checked": whole[0].checked,
        "skipped": whole[0].skipped,
        "findings": dict(whole[0].rule_counts().most_common()),
        "exit_code": whole[0].returncode,
        "bicep_supported": bicep_supported(whole[0]),
    }
    result["whole"]["files_per_s"] = _rate(result["whole"]["files"], result["whole"]["wall"])
    if checkov is None:
        return result

    subset, confirming = find_subset(
        checkov, json_list, root, fingerprint(root, json_list), rediscover=rediscover
    )
    result["subset"] = subset.data
    if not subset.found:
        log("no subset of the corpus that checkov completes was found; no comparison")
        return result
    files = subset.files
    ours: list[LintRun] = []
    theirs: list[CheckovRun] = [confirming] if confirming is not None else []
    log(f"ARM subset of {len(files)} files: templategen {rounds} rounds, checkov {checkov_rounds} rounds")
    for index in range(max(rounds, checkov_rounds)):
        checkov_turn = len(theirs) < checkov_rounds
        if index % 2 and checkov_turn:
            theirs.append(run_checkov(checkov, "arm", files, root))
        if index < rounds:
            ours.append(run_lint(files, root))
        if not index % 2 and checkov_turn:
            theirs.append(run_checkov(checkov, "arm", files, root))
    done = [run for run in theirs if run.completed]
    result["arm"] = {
        "files": len(files),
        "bytes": total_bytes(root, files),
        "templategen_wall": [r.wall for r in ours],
        "templategen_cpu": [r.cpu for r in ours],
        "templategen_checked": ours[0].checked,
        "checkov_wall": [r.timing.wall for r in done],
        "checkov_cpu": [r.timing.cpu for r in done],
        "checkov_failed_rounds": [r.error for r in theirs if not r.completed],
        "checkov_summary": done[0].summary if done else None,
    }
    arm = result["arm"]
    arm["templategen_files_per_s"] = _rate(len(files), arm["templategen_wall"])
    arm["checkov_files_per_s"] = _rate(len(files), arm["checkov_wall"])
    arm["ratio"] = arm["templategen_files_per_s"] / arm["checkov_files_per_s"] if done else float("nan")

    result["bicep"] = _bicep(
        checkov, bicep_list, root, rounds, checkov_rounds, result["whole"]["bicep_supported"]
    )
    return result


def _bicep(
    checkov: Checkov, files: list[str], root: Path, rounds: int, checkov_rounds: int, supported: bool
) -> dict[str, Any]:
    """Bicep: compared like ARM when templategen reads Bicep; otherwise checkov is run once, to record
    whether it completes and how long it takes, and no ratio is given."""
    wanted = checkov_rounds if supported else 1
    log(f"Bicep ({len(files)} files): checkov --framework bicep, {wanted} round(s)")
    theirs = [run_checkov(checkov, "bicep", files, root) for _ in range(wanted)]
    done = [run for run in theirs if run.completed]
    data: dict[str, Any] = {
        "files": len(files),
        "supported": supported,
        "checkov_wall": [r.timing.wall for r in done],
        "checkov_failed": [r.error for r in theirs if not r.completed],
        "checkov_summary": done[0].summary if done else None,
    }
    if supported:
        ours = [run_lint(files, root) for _ in range(rounds)]
        data["templategen_wall"] = [r.wall for r in ours]
        data["templategen_files_per_s"] = _rate(len(files), data["templategen_wall"])
        if done:
            data["checkov_files_per_s"] = _rate(len(files), data["checkov_wall"])
            data["ratio"] = data["templategen_files_per_s"] / data["checkov_files_per_s"]
    return data
