"""What every benchmark shares: where things are, how a command is timed, and the child environment.

Commands are timed as separate processes, the way users run them. Each timing keeps the wall-clock
time (what a user waits for) and the CPU time the child used (user + system, from `wait4`), which a
busy shared machine disturbs less; reports use medians.

The child environment drops `PYTHONDONTWRITEBYTECODE`: with it every start recompiles every module,
which no user with a normal installation pays (pip compiles bytecode at install time, and a source
checkout writes `__pycache__` on first use). `compile_bytecode` compiles our package once beforehand.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / ".work"
PYTHON = Path(sys.executable)
TEMPLATEGEN = PYTHON.parent / "templategen"


def default_shared() -> Path:
    """The team's shared data beside the clone (`TEMPLATEGEN_SHARED` overrides it, as in the tests)."""
    return Path(os.environ.get("TEMPLATEGEN_SHARED", REPO.parent / "shared")).resolve()


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for timed children: bytecode caches allowed, no colour, nothing else changed."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)
    if extra:
        env.update(extra)
    return env


def compile_bytecode() -> None:
    """Write `__pycache__` for templategen, as an installed package has it."""
    compileall.compile_dir(str(REPO / "templategen"), quiet=1)


class Timing:
    """One timed run of a command."""

    __slots__ = ("cpu", "returncode", "wall")

    def __init__(self, wall: float, cpu: float, returncode: int) -> None:
        self.wall = wall
        self.cpu = cpu
        self.returncode = returncode


def timed_run(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdout: Path | None = None,
    stderr: Path | None = None,
) -> Timing:
    """Run `command` to completion; its output goes to the given files or is discarded."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115 - closed below
    err = open(stderr, "wb") if stderr else subprocess.DEVNULL  # noqa: SIM115 - closed below
    try:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command), env=dict(env) if env is not None else None, cwd=cwd, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        for handle in (out, err):
            if not isinstance(handle, int):
                handle.close()
    return Timing(wall, usage.ru_utime + usage.ru_stime, process.returncode)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def log(message: str) -> None:
    """Progress on stderr: a full run takes tens of minutes, mostly waiting for checkov."""
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()
