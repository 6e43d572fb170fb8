"""checkov, the peer we measure against: its own environment, its runs, and the files it can take.

checkov is installed with pip into `benchmarks/.work/checkov-venv` (created on first use, reused after,
gitignored) so that none of its many dependencies touch our environment. It is run as users run it:
`checkov --framework arm --file F ...` (and `--framework bicep`), JSON output, `--skip-download` so that
no time goes to reaching Prisma Cloud (this machine has no route to it anyway).

checkov 3.3.30 crashes on the whole corpus (a TypeError in its variable renderer). `find_subset`
establishes the largest subset it completes: it runs checkov on everything once to show the crash,
locates the files that make its graph raise (`checkov_locate.py`), leaves them out, and confirms with
an unmodified run, repeating while new ones appear (its graph joins templates by resource name, so
leaving files out can change what the others meet). The outcome is cached in
`benchmarks/.work/checkov-subset.json` for the same checkov version and corpus.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import WORK, Timing, child_env, log, timed_run
from templategen.fileio import atomic_write

VERSION = "3.3.30"
VENV = WORK / "checkov-venv"
BIN = VENV / "bin"
SUBSET_CACHE = WORK / "checkov-subset.json"
LOCATE_SCRIPT = Path(__file__).resolve().parent / "checkov_locate.py"
#: Rounds of locating and confirming before giving up on a subset.
MAX_ROUNDS = 6


class Checkov:
    """An installed checkov: its executable, interpreter and version."""

    def __init__(self, executable: Path, python: Path, version: str) -> None:
        self.executable = executable
        self.python = python
        self.version = version

    def command(self, framework: str, files: Sequence[str]) -> list[str]:
        command = [str(self.executable), "--framework", framework, "--output", "json", "--quiet", "--compact"]
        command.append("--skip-download")
        for name in files:
            command += ["--file", name]
        return command


def installed_version() -> str | None:
    if not (BIN / "checkov").exists():
        return None
    try:
        done = subprocess.run(
            [str(BIN / "checkov"), "--version"], capture_output=True, text=True, timeout=300, env=child_env()
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def ensure_checkov() -> tuple[Checkov | None, str]:
    """Reuse or create checkov's environment; return it, or None and why it could not be installed."""
    version = installed_version()
    if version != VERSION:
        log(f"installing checkov {VERSION} into {VENV.relative_to(WORK.parent.parent)} (once; a few minutes)")
        WORK.mkdir(parents=True, exist_ok=True)
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(VENV)],
            [str(BIN / "python"), "-m", "pip", "install", "--quiet", f"checkov=={VERSION}"],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, env=child_env())
            if done.returncode != 0:
                lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
                return None, f"`{' '.join(step[-3:])}` failed: {lines[-1] if lines else done.returncode}"
        version = installed_version()
        if version != VERSION:
            return None, f"checkov reports version {version!r} after installing {VERSION}"
    return Checkov(BIN / "checkov", BIN / "python", VERSION), ""


class CheckovRun:
    """One run of checkov on a file list: time, whether it completed, its summary or its error."""

    def __init__(self, timing: Timing, summary: dict[str, Any] | None, error: str | None) -> None:
        self.timing = timing
        self.summary = summary
        self.error = error

    @property
    def completed(self) -> bool:
        return self.summary is not None


_ERROR_LINE = re.compile(r"^(\w+(?:Error|Exception)): .*")
_SITE = re.compile(r"[^\s\"']*/site-packages/")


def run_checkov(checkov: Checkov, framework: str, files: Sequence[str], cwd: Path) -> CheckovRun:
    """Run checkov on `files` (relative to `cwd`) and read its JSON summary, or the error it died of."""
    with tempfile.TemporaryDirectory(prefix="bench-checkov-") as tmp:
        out, err = Path(tmp) / "out.json", Path(tmp) / "err.txt"
        timing = timed_run(
            checkov.command(framework, files), env=child_env(), cwd=cwd, stdout=out, stderr=err
        )
        summary = _summary(out.read_text(encoding="utf-8", errors="replace"))
        error = None if summary is not None else _error(err.read_text(encoding="utf-8", errors="replace"))
    return CheckovRun(timing, summary, error)


def _summary(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    reports = data if isinstance(data, list) else [data]
    summaries = [r["summary"] for r in reports if isinstance(r, dict) and isinstance(r.get("summary"), dict)]
    if not summaries:
        return None
    total: dict[str, Any] = {}
    for summary in summaries:
        for key, value in summary.items():
            if isinstance(value, int):
                total[key] = total.get(key, 0) + value
    return total


def _error(stderr: str) -> str:
    """The exception checkov died of, and where (the last frame), without this machine's paths."""
    lines = stderr.splitlines()
    for index in range(len(lines) - 1, -1, -1):
        if _ERROR_LINE.match(lines[index]):
            frame = next(
                (lines[i].strip() for i in range(index - 1, -1, -1) if lines[i].lstrip().startswith("File ")),
                "",
            )
            where = _SITE.sub("", frame)
            return f"{lines[index].strip()} ({where})" if where else lines[index].strip()
    tail = [line for line in lines if line.strip()]
    return _SITE.sub("", tail[-1]) if tail else "no output"


def locate_crashes(checkov: Checkov, files: Sequence[str], cwd: Path) -> list[dict[str, str]]:
    """Files whose templates make checkov's graph raise, with the error; RuntimeError when the locating
    run itself fails (its last error line says why)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write("\n".join(files) + "\n")
        list_path = handle.name
    try:
        done = subprocess.run(
            [str(checkov.python), str(LOCATE_SCRIPT), list_path],
            cwd=cwd,
            capture_output=True,
            text=True,
            env=child_env(),
        )
    finally:
        Path(list_path).unlink()
    try:
        report = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise RuntimeError(f"checkov_locate.py failed: {_error(done.stderr)}") from None
    return list(report["found"])


class Subset:
    """The outcome of `find_subset`: what the whole run died of, what was left out, and the time of the
    confirming run (a measurement round in itself)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @property
    def files(self) -> list[str]:
        return list(self.data["files"])

    @property
    def excluded(self) -> list[dict[str, str]]:
        return list(self.data["excluded"])

    @property
    def found(self) -> bool:
        return bool(self.data["complete"])


def find_subset(
    checkov: Checkov, files: Sequence[str], cwd: Path, key: str, *, rediscover: bool = False
) -> tuple[Subset, CheckovRun | None]:
    """The largest subset of `files` that checkov's ARM run completes (cached); and the confirming run
    when it happened now (its time is one round of the throughput measurement)."""
    cached: dict[str, Any] = {}
    if SUBSET_CACHE.exists() and not rediscover:
        cached = json.loads(SUBSET_CACHE.read_text(encoding="utf-8"))
        if cached.get("key") != key or cached.get("checkov") != checkov.version:
            cached = {}
        elif cached.get("complete"):
            log(f"checkov subset: reusing {SUBSET_CACHE.name} from {cached['date']}")
            return Subset(cached), None
    confirming: CheckovRun | None = None
    if cached.get("whole"):  # an unfinished search: the whole-corpus run need not be repeated
        whole_data = cached["whole"]
    else:
        log(f"checkov on the whole JSON corpus ({len(files)} files), expecting the crash")
        whole = run_checkov(checkov, "arm", files, cwd)
        whole_data = {
            "files": len(files),
            "completed": whole.completed,
            "error": whole.error,
            "seconds": round(whole.timing.wall, 1),
        }
        confirming = whole if whole.completed else None
    data: dict[str, Any] = {
        "key": key,
        "checkov": checkov.version,
        "date": time.strftime("%Y-%m-%d"),
        "whole": whole_data,
        "excluded": [],
        "rounds": 0,
        "complete": whole_data["completed"],
        "files": list(files),
        "problem": None,
    }
    remaining = list(files)
    while not data["complete"] and data["rounds"] < MAX_ROUNDS:
        data["rounds"] += 1
        log(f"locating the files checkov's graph fails on ({len(remaining)} files, round {data['rounds']})")
        try:
            found = locate_crashes(checkov, remaining, cwd)
        except RuntimeError as exc:
            data["problem"] = str(exc)
            log(str(exc))
            break
        culprits = {item["path"]: item for item in found if item["path"] in remaining}
        if not culprits:
            data["problem"] = "checkov still crashes, but not in a step checkov_locate.py watches"
            break
        for path in sorted(culprits):
            data["excluded"].append(
                {"path": path, "error": culprits[path]["error"], "step": culprits[path]["step"]}
            )
        remaining = [name for name in remaining if name not in culprits]
        log(f"confirming with an unmodified checkov run on {len(remaining)} files")
        confirming = run_checkov(checkov, "arm", remaining, cwd)
        data["complete"] = confirming.completed
    data["files"] = remaining
    WORK.mkdir(parents=True, exist_ok=True)
    atomic_write(str(SUBSET_CACHE), json.dumps(data, indent=1) + "\n")
    return Subset(data), confirming if confirming is not None and confirming.completed else None
