""" "What limits each target", written from a run's own numbers so that it stays true when they move."""

from __future__ import annotations

from typing import Any

from benchmarks import results


def _rules(data: dict[str, Any]) -> str:
    rules = data.get("rules") or []
    if not rules:
        return "its rules"
    return f"its {len(rules)} rules ({', '.join(rules)})"


def cold_start(data: dict[str, Any], verdict: str) -> str:
    cold = data["coldstart"]
    rows = cold["rows"]
    counts = cold.get("instructions") or {}
    names = ("python -c pass", 'python -c "import json"', "templategen lint")
    if all(name in counts for name in names):
        bare, floor, lint = (counts[name] / 1e6 for name in names)
        unit, what = "M instructions", "In instructions under callgrind (load does not disturb them)"
    else:
        bare, floor, lint = (rows[name]["wall"] * 1000 for name in names)
        unit, what = "ms", "In wall-clock time"
    modules = cold["importtime"]["count"]["templategen"]
    return (
        f"* **Cold start ({verdict}).** {what}: a bare interpreter {bare:.1f} {unit}; `import json` alone "
        f"{floor:.1f} ({floor / bare:.2f}×), because `json` imports `re` and `re` imports `enum`: any "
        "linter that reads JSON with the standard library pays this before doing anything. Of the 2× "
        f"budget ({2 * bare:.1f}) that leaves {max(0.0, 2 * bare - floor):.1f} for everything templategen "
        f"does, which takes {lint - floor:.1f}: importing its {modules} modules on the lint path (each a "
        "small cost: nothing heavy is loaded, no click, yaml, jsonschema, jinja2, tree-sitter or azure), "
        "compiling the regular expressions still compiled at import, building the rule catalogue, "
        "reading the template and writing the report. Meeting 2× would take reading JSON without the "
        "`json` module (the C scanner `_json` directly) and no `re` before a pattern is needed, across "
        "the reader, the expression parser and every rule, plus fewer, larger modules: a redesign of the "
        "lint path rather than a fix, and one that the rules still to come would have to keep."
    )


def throughput(data: dict[str, Any], verdict: str) -> str:
    return (
        f"* **Throughput ({verdict}).** checkov starts in about 4 s (table above), builds one graph of "
        "every resource of the run, renders variables through it and runs its Python and graph checks "
        "on each resource; templategen reads each file once with the C `json` parser and runs "
        f"{_rules(data)} on a plain data model. Only the file and input-rule families exist on this "
        "commit, so the ratio will fall as the other families land: re-run `make bench` after each "
        "merge. The comparison covers checkov's completed subset only."
    )


def scaling(data: dict[str, Any], verdict: str) -> str:
    return (
        f"* **Scaling ({verdict}).** Per-resource time is flat: the reader is linear and {_rules(data)} "
        "visit each resource a bounded number of times. The 10,000-resource template is 10 MB, more than "
        "Resource Manager accepts (4 MB), so it also exercises the reader's bounds. A rule that compares "
        "resources pairwise (dependency cycles, duplicate names) would show here first."
    )


def reader(data: dict[str, Any], verdict: str) -> str:
    return (
        f"* **Reader ({verdict}).** Strict JSON goes through the C `json` parser plus a nesting-depth "
        "check; positions are computed only when a finding asks for one (the lazy costs are listed above)."
    )


def analysis(data: dict[str, Any]) -> str:
    verdict = {key: value for key, _, _, value, _ in results.verdicts(data)}
    parts = []
    if data.get("coldstart"):
        parts.append(cold_start(data, verdict["cold_start"]))
    if data.get("throughput", {}).get("arm"):
        parts.append(throughput(data, verdict["throughput"]))
    if data.get("scaling"):
        parts.append(scaling(data, verdict["scaling"]))
    if data.get("reader"):
        parts.append(reader(data, verdict["reader"]))
    return "\n".join(parts)
