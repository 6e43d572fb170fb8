"""`make bench`: measure templategen against its targets and checkov, and write benchmarks/RESULTS.md.

One run measures, on the same files: corpus throughput against checkov (`throughput.py`), cold start
(`coldstart.py`), scaling with template size (`scaling.py`) and the JSON reader against stdlib `json`
(`reader.py`); it prints PASS or FAIL for each target of issue 6 and writes RESULTS.md (atomically).
The exit code is 0 whatever the verdicts (a benchmark reports; it does not gate), 2 when it cannot run.

Usage: .venv/bin/python benchmarks/run.py [--quick] [--no-checkov] [--rounds N] ...
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import coldstart, results, scaling, throughput  # noqa: E402
from benchmarks.analysis import analysis  # noqa: E402
from benchmarks.checkov_runs import Checkov, ensure_checkov  # noqa: E402
from benchmarks.common import WORK, compile_bytecode, default_shared, log  # noqa: E402
from benchmarks.machine import describe  # noqa: E402
from benchmarks.reader import measure as measure_reader  # noqa: E402
from templategen.fileio import atomic_write  # noqa: E402

#: The last run's measurements, so RESULTS.md can be written again without measuring (--render-only).
LAST_RUN = WORK / "last-run.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="templategen benchmarks (issue 6): writes benchmarks/RESULTS.md"
    )
    parser.add_argument("--shared", type=Path, default=None, help="shared data folder (default: ../shared)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds of templategen's own measurements")
    parser.add_argument("--checkov-rounds", type=int, default=3, help="rounds of checkov on the corpus")
    parser.add_argument("--cold-runs", type=int, default=40, help="cold-start runs per command (>= 30)")
    parser.add_argument("--checkov-cold-runs", type=int, default=10, help="cold-start runs of checkov")
    parser.add_argument("--scaling-rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer rounds everywhere (a smoke run)")
    parser.add_argument("--no-checkov", action="store_true", help="measure templategen only")
    parser.add_argument("--rediscover-subset", action="store_true", help="ignore the cached checkov subset")
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "RESULTS.md")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help=f"write RESULTS.md again from the last run's data ({LAST_RUN.name}) without measuring",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.checkov_rounds, args.cold_runs = 3, 1, 30
        args.checkov_cold_runs, args.scaling_rounds = 3, 3
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render_only:
        if not LAST_RUN.exists():
            sys.stderr.write("benchmarks: no earlier run to render (run without --render-only first)\n")
            return 2
        saved = json.loads(LAST_RUN.read_text(encoding="utf-8"))
        return report(saved["data"], saved["notes"], args.output)
    shared = (args.shared or default_shared()).resolve()
    if not (shared / "corpus" / "index.tsv").is_file():
        sys.stderr.write(
            f"benchmarks: shared data not found at {shared} (use --shared or TEMPLATEGEN_SHARED)\n"
        )
        return 2
    compile_bytecode()
    from templategen.rules import all_rules

    data: dict[str, Any] = {"machine": describe(), "rules": [rule.id for rule in all_rules()]}
    notes: dict[str, str] = {}
    checkov: Checkov | None = None
    if args.no_checkov:
        notes["checkov"] = "skipped with --no-checkov"
    else:
        checkov, why = ensure_checkov()
        if checkov is None:
            notes["checkov"] = why
            log(f"checkov is not available, reporting templategen alone: {why}")
        else:
            data["checkov_version"] = checkov.version

    data["coldstart"] = coldstart.measure(shared, checkov, args.cold_runs, args.checkov_cold_runs)
    data["scaling"] = scaling.measure(args.scaling_rounds)
    log(f"JSON reader against stdlib json, {args.rounds} rounds")
    data["reader"] = {**measure_reader(shared, args.rounds), "rounds": args.rounds}
    data["throughput"] = throughput.measure(
        shared, checkov, args.rounds, args.checkov_rounds, args.rediscover_subset
    )
    WORK.mkdir(parents=True, exist_ok=True)
    atomic_write(str(LAST_RUN), json.dumps({"data": data, "notes": notes}, indent=1) + "\n")
    return report(data, notes, args.output)


def report(data: dict[str, Any], notes: dict[str, str], output: Path) -> int:
    """Write RESULTS.md and print the verdicts."""
    scaling_rows = data.get("scaling", {}).get("rows")
    if scaling_rows:  # JSON turned the sizes into strings
        data["scaling"]["rows"] = {int(size): row for size, row in scaling_rows.items()}
    notes = {**notes, "analysis": analysis(data)}
    atomic_write(str(output), results.render(data, notes))
    print(f"\nwrote {output.relative_to(REPO) if output.is_relative_to(REPO) else output}")
    for _key, label, value, verdict, limit in results.verdicts(data):
        shown = "n/a" if value != value else f"{value:.2f}x"
        print(f"{verdict:>12}  {label}: {shown} (limit {limit:g}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
