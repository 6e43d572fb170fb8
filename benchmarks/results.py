"""The targets of issue 6, judged on a run's measurements, and `benchmarks/RESULTS.md` written from them."""

from __future__ import annotations

import math
from typing import Any

from benchmarks.common import median, ms, seconds

TARGETS = (
    ("throughput", "corpus throughput vs checkov (ARM subset)", ">=", 50.0),
    ("cold_start", "cold start vs `python -c pass` (wall, median)", "<=", 2.0),
    ("scaling", "time per resource at 10,000 vs at 100", "<=", 1.5),
    ("reader", "JSON reader vs stdlib `json` (strict corpus files)", "<=", 3.0),
)


def measured_values(data: dict[str, Any]) -> dict[str, float]:
    values = {
        "throughput": float("nan"),
        "cold_start": float("nan"),
        "scaling": float("nan"),
        "reader": float("nan"),
    }
    arm = data.get("throughput", {}).get("arm")
    if arm:
        values["throughput"] = arm["ratio"]
    cold = data.get("coldstart")
    if cold:
        values["cold_start"] = cold["rows"]["templategen lint"]["wall_ratio"]
    if data.get("scaling"):
        values["scaling"] = data["scaling"]["ratio"]
    if data.get("reader"):
        values["reader"] = data["reader"]["ratio"]
    return values


def verdicts(data: dict[str, Any]) -> list[tuple[str, str, float, str, float]]:
    """(key, label, measured, verdict, limit) per target; a target that was not measured says so."""
    values = measured_values(data)
    rows = []
    for key, label, op, limit in TARGETS:
        value = values[key]
        if math.isnan(value):
            verdict = "NOT MEASURED"
        elif (value >= limit) if op == ">=" else (value <= limit):
            verdict = "PASS"
        else:
            verdict = "FAIL"
        rows.append((key, label, value, verdict, limit))
    return rows


def _x(value: float) -> str:
    return "n/a" if math.isnan(value) else (f"{value:,.0f}×" if value >= 100 else f"{value:.2f}×")


def _rate(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:,.1f} files/s"


def render(data: dict[str, Any], notes: dict[str, str]) -> str:
    machine = data["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`benchmarks/run.py`) on {machine['date']}. Numbers move from machine",
        "to machine and run to run; the ratios, measured in the same run on the same files, are what to",
        "compare.",
        "",
        "## Machine and software",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {machine['cpu']} |",
        f"| cores usable | {machine['cores']} |",
        f"| OS | {machine['os']} |",
        f"| Python | {machine['python']} |",
        f"| templategen | {machine['templategen']} |",
        f"| checkov | {data.get('checkov_version') or 'not measured: ' + notes.get('checkov', '')} |",
        f"| load average at start (1/5/15 min) | {machine['load']} |",
        "",
        "Bytecode caches are present for every measurement: this machine sets `PYTHONDONTWRITEBYTECODE=1`,",
        "which would make every start recompile every module; users have `__pycache__` (pip writes it at",
        "install time). The benchmark compiles templategen once (`compileall`) and runs every child",
        "without that variable. checkov's environment was compiled by pip when it was installed.",
        "",
        "## Targets",
        "",
        "| target | measured | limit | result |",
        "|---|---:|---:|---|",
    ]
    for _key, label, value, verdict, limit in verdicts(data):
        op = "≥" if _key == "throughput" else "≤"
        lines.append(f"| {label} | {_x(value)} | {op} {limit:g}× | **{verdict}** |")
    lines += ["", *_throughput(data), *_cold(data), *_scaling(data), *_reader(data), *_notes(notes)]
    lines += _reproduce()
    return "\n".join(lines) + "\n"


def _throughput(data: dict[str, Any]) -> list[str]:
    t = data.get("throughput")
    if not t:
        return []
    whole = t["whole"]
    lines = [
        "## 1. Corpus throughput",
        "",
        f"The shared corpus (`../shared/corpus/quickstarts`): {t['json_files']:,} JSON files (templates and",
        f"parameters files, {t['json_bytes'] / 1e6:.1f} MB) and {t['bicep_files']:,} Bicep files",
        f"({t['bicep_bytes'] / 1e6:.1f} MB). One process per round; median of the rounds.",
        "",
        "| run | files | rounds | median | files/s |",
        "|---|---:|---:|---:|---:|",
        f"| templategen, whole corpus (directory walk) | {whole['files']:,} | {len(whole['wall'])} | "
        f"{seconds(median(whole['wall']))} | {_rate(whole['files_per_s'])} |",
    ]
    arm = t.get("arm")
    if arm:
        lines += [
            f"| templategen, ARM subset below | {arm['files']:,} | {len(arm['templategen_wall'])} | "
            f"{seconds(median(arm['templategen_wall']))} | {_rate(arm['templategen_files_per_s'])} |",
            f"| checkov `--framework arm`, same subset | {arm['files']:,} | {len(arm['checkov_wall'])} | "
            f"{seconds(median(arm['checkov_wall']))} | {_rate(arm['checkov_files_per_s'])} |",
        ]
    bicep = t.get("bicep")
    if bicep and bicep.get("checkov_wall"):
        lines.append(
            f"| checkov `--framework bicep`, every Bicep file | {bicep['files']:,} | "
            f"{len(bicep['checkov_wall'])} | {seconds(median(bicep['checkov_wall']))} | "
            f"{_rate(bicep['files'] / median(bicep['checkov_wall']))} |"
        )
    if bicep and bicep.get("templategen_wall"):
        lines.append(
            f"| templategen, every Bicep file | {bicep['files']:,} | {len(bicep['templategen_wall'])} | "
            f"{seconds(median(bicep['templategen_wall']))} | {_rate(bicep['templategen_files_per_s'])} |"
        )
    lines.append("")
    if arm:
        lines.append(
            f"**templategen lints {_x(arm['ratio'])} as many files per second as checkov** on the ARM subset "
            f"(CPU time: templategen {seconds(median(arm['templategen_cpu']))}, checkov "
            f"{seconds(median(arm['checkov_cpu']))})."
        )
        summary = arm.get("checkov_summary") or {}
        if summary:
            lines.append(
                f"checkov on that subset: {summary.get('resource_count', '?'):,} resources, "
                f"{summary.get('passed', '?'):,} passed and {summary.get('failed', '?'):,} failed checks, "
                f"{summary.get('parsing_errors', '?')} files it could not parse."
            )
        lines.append("")
    rules = data.get("rules") or []
    if rules:
        lines += [f"templategen ran {len(rules)} rules: {', '.join(rules)} (all enabled, `--isolated`).", ""]
    found = whole["findings"]
    lines.append(
        f"templategen on the whole corpus: {whole['checked']:,} files checked, {whole['skipped']:,} skipped, "
        f"exit code {whole['exit_code']}; findings by rule: "
        + (", ".join(f"{rule} {count:,}" for rule, count in found.items()) or "none")
        + "."
    )
    if not whole["bicep_supported"]:
        lines += [
            "",
            "**Bicep is not compared.** templategen on this commit does not read Bicep yet: every `.bicep`",
            "file gets `TG001 Bicep files are not supported yet` without being parsed, so its Bicep speed",
            "would measure nothing. The Bicep reader is being built on another branch; this benchmark",
            "compares Bicep as it does ARM once it is there.",
        ]
        if bicep and bicep.get("checkov_wall"):
            lines.append(
                f"For reference, checkov `--framework bicep` completes on all {bicep['files']} files "
                f"({(bicep.get('checkov_summary') or {}).get('parsing_errors', '?')} it could not parse)."
            )
        elif bicep and bicep.get("checkov_failed"):
            lines.append(f"checkov `--framework bicep` did not complete: {bicep['checkov_failed'][0]}.")
    subset = t.get("subset")
    if subset:
        lines += ["", "### The subset checkov completes", ""]
        whole_run = subset["whole"]
        if whole_run["completed"]:
            lines.append(f"checkov completed on all {whole_run['files']:,} JSON files.")
        else:
            lines += [
                f"On all {whole_run['files']:,} JSON files, checkov {subset['checkov']} **crashes** after "
                f"{whole_run['seconds']:.0f} s, printing no result:",
                "",
                "```text",
                str(whole_run["error"]),
                "```",
                "",
                "It builds one graph over every template of a run; rendering a variable whose value is a",
                "bool or an int, or a `dependsOn` entry that rendered into a list, raises. The run stops at",
                "the first such file without naming it. `benchmarks/checkov_locate.py` finds them (it",
                "records the file whenever one of those two steps raises, and lets the run go on); leaving",
                "them out,"
                " an unmodified checkov completes. Its graph joins templates by resource name, so some files",
                "fail only in company (they pass alone). Files left out "
                f"({len(subset['excluded'])}, found in {subset['rounds']} round(s), on {subset['date']}):",
                "",
                "| file | error |",
                "|---|---|",
            ]
            lines += [f"| `{item['path']}` | {item['error']} |" for item in subset["excluded"]]
            lines.append("")
            verdict = "completes" if subset["complete"] else "still does not complete"
            if subset.get("problem"):
                lines += [f"The search for the subset stopped: {subset['problem']}.", ""]
            lines.append(
                f"On the remaining **{len(subset['files']):,} files** checkov {verdict}: the largest subset "
                "found (every file but those that make it raise); both tools are timed on exactly those "
                "files."
            )
        if arm and arm["checkov_failed_rounds"]:
            lines.append(f"Rounds that did not complete: {', '.join(arm['checkov_failed_rounds'])}.")
    lines.append("")
    return lines


def _cold(data: dict[str, Any]) -> list[str]:
    c = data.get("coldstart")
    if not c:
        return []
    lines = [
        "## 2. Cold start",
        "",
        f"One template of the corpus (`{c['template']}`), copied into an empty folder (no",
        "configuration file to find); each command a new process, runs interleaved; median and 10th–90th",
        "percentile of wall-clock time, median CPU time (user + system).",
        "",
        "| command | runs | wall (median) | wall p10–p90 | × bare | CPU (median) | × bare |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in c["rows"].items():
        low, high = row["wall_p10_p90"]
        lines.append(
            f"| `{name}` | {row['runs']} | {ms(row['wall'])} | {ms(low)}–{ms(high)} | "
            f"{row['wall_ratio']:.2f}× | {ms(row['cpu'])} | {row['cpu_ratio']:.2f}× |"
        )
    counts = c.get("instructions") or {}
    if "python -c pass" in counts:
        base = counts["python -c pass"]
        lines += [
            "",
            "Instructions executed (callgrind; independent of load, so the steady figure between runs):",
            "",
            "| command | instructions | × bare |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| `{name}` | {count / 1e6:.1f} M | {count / base:.2f}× |" for name, count in counts.items()
        ]
    codes = ", ".join(map(str, c["lint_exit_codes"]))
    lines += ["", f"templategen's exit code on this template: {codes}.", ""]
    imports = c["importtime"]
    lines += [
        f"`-X importtime` of `templategen lint` (median of {imports['runs']} runs; self time per module):",
        "",
        "| group | self time |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {ms(value / 1e6)} |" for name, value in sorted(imports["groups"].items())]
    lines += [
        "",
        f"templategen imports {imports['count']['templategen']} of its own modules and "
        f"{imports['count']['stdlib']} standard-library modules that `python -c pass` does not load.",
        "Top offenders:",
        "",
        "| module | self | cumulative |",
        "|---|---:|---:|",
    ]
    lines += [f"| `{name}` | {ms(s / 1e6)} | {ms(cum / 1e6)} |" for name, s, cum in imports["top"]]
    lines.append("")
    return lines


def _scaling(data: dict[str, Any]) -> list[str]:
    s = data.get("scaling")
    if not s:
        return []
    lines = [
        "## 3. Scaling",
        "",
        "Synthetic templates (`benchmarks/scaling.py`: expressions, copy loops, conditions, child resources,",
        "`dependsOn` on a shared network and along chains of ten), linted in a warmed process through the",
        f"command-line entry point, JSON report included; median of {s['rounds']} rounds.",
        "",
        "| resources | size | lint time | per resource | exit code |",
        "|---:|---:|---:|---:|---|",
    ]
    for size, row in sorted(s["rows"].items()):
        lines.append(
            f"| {size:,} | {row['bytes'] / 1e6:.2f} MB | {ms(row['seconds'])} | "
            f"{row['per_resource_us']:.1f} µs | {', '.join(map(str, row['exit_codes']))} |"
        )
    lines += ["", f"Per resource at 10,000 / at 100: **{s['ratio']:.2f}×**.", ""]
    return lines


def _reader(data: dict[str, Any]) -> list[str]:
    r = data.get("reader")
    if not r:
        return []
    return [
        "## 4. JSON reader",
        "",
        f"`templategen.arm.document.parse_json_bytes` against `json.loads` on the {int(r['files']):,}",
        f"strict-JSON corpus files ({r['bytes'] / 1e6:.1f} MB, bytes in memory), median of {r['rounds']}",
        "rounds (`benchmarks/reader.py`):",
        "",
        "| | median |",
        "|---|---:|",
        f"| stdlib `json.loads` | {ms(r['stdlib_json_s'])} |",
        f"| templategen reader | {ms(r['reader_s'])} |",
        f"| ratio | **{r['ratio']:.2f}×** |",
        f"| first `locate` per file (lazy, paid on a file's first finding) | {ms(r['first_locate_s'])} |",
        f"| scanner over every file (paid only by files with repeated keys) | {ms(r['full_scan_s'])} |",
        f"| the {int(r['lenient_files'])} lenient files (comments, trailing commas) | "
        f"{ms(r['lenient_read_s'])} |",
        "",
    ]


def _notes(notes: dict[str, str]) -> list[str]:
    text = notes.get("analysis")
    return ["## What limits each target", "", text, ""] if text else []


def _reproduce() -> list[str]:
    return [
        "## How to reproduce",
        "",
        "```sh",
        "make bench                                   # creates .venv and checkov's environment when missing",
        ".venv/bin/python benchmarks/run.py --help    # rounds, --quick, --no-checkov, --rediscover-subset",
        "```",
        "",
        "It needs the shared data beside the clone (`../shared`, or `TEMPLATEGEN_SHARED`). The first run",
        "installs checkov 3.3.30 into `benchmarks/.work/checkov-venv` (gitignored) and finds the subset",
        "checkov completes (cached in `benchmarks/.work/checkov-subset.json` for the same checkov and",
        "corpus); a full run then takes about half an hour, nearly all of it waiting for checkov.",
        "If checkov cannot be installed, the run says why and reports templategen's own numbers.",
    ]
