"""Add up the inputs the fuzz tests really ran (see `fuzzkit.tally`), across xdist workers.

At the end of a session that ran fuzz tests, one line says how many inputs ran in how many tests.
`TEMPLATEGEN_FUZZ_REPORT=FILE` also writes the counts per test as JSON, and
`TEMPLATEGEN_FUZZ_MIN_TOTAL=N` fails the session when fewer than N inputs ran, so `make fuzz`
proves its campaign had the size it claims.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest

from tests.fuzz.fuzzkit import COUNTS

_MERGED: Counter[str] = Counter()


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workeroutput")


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """Controller side of xdist: collect a worker's counts."""
    counts = getattr(node, "workeroutput", {}).get("templategen_fuzz_counts")
    if counts:
        _MERGED.update(counts)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if _is_worker(config):
        config.workeroutput["templategen_fuzz_counts"] = dict(COUNTS)  # type: ignore[attr-defined]
        return
    _MERGED.update(COUNTS)
    if not _MERGED:
        return
    total = sum(_MERGED.values())
    report = os.environ.get("TEMPLATEGEN_FUZZ_REPORT")
    if report:
        with open(report, "w", encoding="utf-8") as handle:
            json.dump({"total": total, "tests": dict(sorted(_MERGED.items()))}, handle, indent=2)
            handle.write("\n")
    minimum = int(os.environ.get("TEMPLATEGEN_FUZZ_MIN_TOTAL", "0"))
    if total < minimum and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        config.stash[_SHORT] = minimum


_SHORT = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if _is_worker(config) or not _MERGED:
        return
    total = sum(_MERGED.values())
    terminalreporter.write_line(f"fuzz: {total} inputs run in {len(_MERGED)} tests")
    minimum = config.stash.get(_SHORT, None)
    if minimum is not None:
        terminalreporter.write_line(f"fuzz: FAILED: the campaign must run at least {minimum} inputs")
