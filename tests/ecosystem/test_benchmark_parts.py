"""The parts of `make bench` that decide what is measured and how it is judged (never the timings).

The synthetic templates must be what the scaling benchmark says they are (N resources, copy loops,
dependsOn that names resources of the template) and lint without crashing; the verdicts must follow
the targets of issue 6; checkov's crash must be reported by its exception line without this machine's
paths; the command lines must be the ones users run.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import results, scaling
from benchmarks.checkov_runs import Checkov, _error, _summary
from tests.conftest import REPO


def copy_names(template: dict[str, Any]) -> set[str]:
    return {r["copy"]["name"] for r in template["resources"] if "copy" in r}


@pytest.mark.parametrize("size", [1, 100, 1_000])
def test_synthetic_template_has_what_the_benchmark_says(size: int) -> None:
    template = scaling.template(size)
    resources = template["resources"]
    assert len(resources) == size
    assert template == scaling.template(size)  # deterministic
    if size == 1:
        return
    loops = copy_names(template)
    assert loops, "copy loops"
    types = {r["type"] for r in resources}
    assert {"Microsoft.Storage/storageAccounts", "Microsoft.Network/networkInterfaces"} <= types
    declared_names = {r["name"] for r in resources}
    for resource in resources[1:]:
        for dependency in resource["dependsOn"]:
            if dependency.startswith("["):
                assert dependency.startswith("[resourceId(")
                # the name expression inside resourceId() is one of the template's names
                assert any(name[1:-1] in dependency for name in declared_names if name.startswith("[")), (
                    dependency
                )
            else:
                assert dependency in loops
    assert all(r["name"].startswith("[") for r in resources)


def test_synthetic_template_lints(tmp_path: Path) -> None:
    path = tmp_path / "resources-100.json"
    path.write_text(json.dumps(scaling.template(100)), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-m", "templategen", "lint", "--isolated", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["filesChecked"] == [str(path)]
    assert not [d for d in report["diagnostics"] if d["rule"] in ("TG000", "TG001")]


def sample(**values: float) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if "throughput" in values:
        data["throughput"] = {"arm": {"ratio": values["throughput"]}}
    if "cold" in values:
        data["coldstart"] = {"rows": {"templategen lint": {"wall_ratio": values["cold"]}}}
    if "scaling" in values:
        data["scaling"] = {"ratio": values["scaling"]}
    if "reader" in values:
        data["reader"] = {"ratio": values["reader"]}
    return data


def test_verdicts_follow_the_targets() -> None:
    verdicts = {key: verdict for key, _, _, verdict, _ in results.verdicts(sample(throughput=50, cold=2.0))}
    assert verdicts == {
        "throughput": "PASS",
        "cold_start": "PASS",
        "scaling": "NOT MEASURED",
        "reader": "NOT MEASURED",
    }
    verdicts = {
        key: verdict
        for key, _, _, verdict, _ in results.verdicts(
            sample(throughput=49.9, cold=2.01, scaling=1.51, reader=3.2)
        )
    }
    assert set(verdicts.values()) == {"FAIL"}
    values = results.measured_values(sample(reader=1.3))
    assert values["reader"] == 1.3 and math.isnan(values["throughput"])


def test_checkov_crash_is_reported_by_its_exception_line() -> None:
    stderr = (
        "2026-11-25 [MainThread] [WARNI] something\n"
        "Traceback (most recent call last):\n"
        '  File "/somewhere/venv/lib/python3.11/site-packages/checkov/common/graph/graph_builder/utils.py", '
        "line 62, in adjust_value\n"
        '    if "." in element_name and isinstance(value, dict):\n'
        "TypeError: argument of type 'bool' is not iterable\n"
    )
    error = _error(stderr)
    assert error.startswith(
        "TypeError: argument of type 'bool' is not iterable (File \"checkov/common/graph/"
    )
    assert "/somewhere" not in error and "site-packages" not in error


def test_checkov_summary_is_read_from_its_json_report() -> None:
    single = {"check_type": "arm", "summary": {"passed": 3, "failed": 2, "parsing_errors": 1}, "results": {}}
    assert _summary(json.dumps(single)) == {"passed": 3, "failed": 2, "parsing_errors": 1}
    several = [single, {"check_type": "x", "summary": {"passed": 1, "failed": 0, "parsing_errors": 0}}]
    assert _summary(json.dumps(several)) == {"passed": 4, "failed": 2, "parsing_errors": 1}
    assert _summary("Traceback ...") is None


def test_checkov_is_run_as_users_run_it() -> None:
    checkov = Checkov(Path("checkov"), Path("python"), "3.3.30")
    command = checkov.command("arm", ["a.json", "b.json"])
    assert command[:3] == ["checkov", "--framework", "arm"]
    assert command[-4:] == ["--file", "a.json", "--file", "b.json"]
    assert "--skip-download" in command


def test_reader_section_renders_what_the_reader_measures(tmp_path: Path) -> None:
    """`make bench` once measured for 20 minutes and then failed writing RESULTS.md: the reader's
    keys had been renamed. Measure a tiny corpus for real and render the section from it."""
    from benchmarks.reader import measure

    quickstarts = tmp_path / "corpus" / "quickstarts"
    quickstarts.mkdir(parents=True)
    rows = ["path\tkind\tjson"]
    for name, text, quality in [
        ("a.json", '{"$schema": "x", "resources": [{"name": "a"}]}', "strict"),
        ("b.json", '{"parameters": {"p": {"value": 1}}}', "strict"),
        ("c.json", '{"resources": [], // comment\n}', "lenient"),
    ]:
        (quickstarts / name).write_text(text, encoding="utf-8")
        rows.append(f"{name}\ttemplate\t{quality}")
    (tmp_path / "corpus" / "index.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    reader = {**measure(tmp_path, rounds=1), "rounds": 1}
    text = "\n".join(results._reader({"reader": reader}))
    assert "on the 2" in text and "the 1 lenient files" in text
    assert f"**{reader['ratio']:.2f}×**" in text
