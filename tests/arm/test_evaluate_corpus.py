"""Every resource name, type and location of every template of the shared corpus, evaluated.

Two passes: with the parameters' defaults only, and with the parameters file that sits beside the
template (`azuredeploy.json` + `azuredeploy.parameters.json`) where there is one. No exception is
allowed, and a template that Microsoft's CI deploys (`validation == ci` in the index) must not
produce a deploy-time error: the evaluator's errors are meant to be real ones. Run with `-s` to see
how many names are fully known, partial or unknown, and the timings.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path

import pytest

from templategen.arm.document import load_json_file
from templategen.arm.evaluate import Evaluator
from templategen.arm.template import Template, parameters_from_data, template_from_data
from templategen.arm.values import Partial, describe, is_known


class Loaded:
    def __init__(self, root: Path) -> None:
        with open(root / "index.tsv", encoding="utf-8", newline="") as handle:
            rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["kind"] != "bicep"]
        self.templates: list[tuple[dict[str, str], Template]] = []
        self.parameters: dict[str, object] = {}
        for row in rows:
            data = load_json_file(str(root / "quickstarts" / row["path"])).data
            if row["kind"] == "template":
                self.templates.append((row, template_from_data(data, row["path"])))
            else:
                self.parameters[row["path"]] = data


@pytest.fixture(scope="module")
def loaded(shared: Path) -> Loaded:
    return Loaded(shared / "corpus")


def _kind(value: object) -> str:
    if is_known(value):
        return "known"
    return "partial" if isinstance(value, Partial) else "unknown"


def _evaluate_all(model: Template, evaluator: Evaluator, stats: Counter[tuple[str, str]]) -> None:
    for resource in model.all_resources():
        for instance in evaluator.resource_instances(resource):
            stats["name", _kind(instance.name)] += 1
            stats["type", _kind(instance.type)] += 1
            stats["location", _kind(instance.get("location"))] += 1
            describe(instance.name)  # printable, never raises
        evaluator.resource_count(resource)


def _report(title: str, stats: Counter[tuple[str, str]], seconds: float, templates: int) -> None:
    names = sum(count for (what, _), count in stats.items() if what == "name")
    parts = ", ".join(f"{stats['name', kind]} {kind}" for kind in ("known", "partial", "unknown"))
    locations = ", ".join(f"{stats['location', kind]} {kind}" for kind in ("known", "partial", "unknown"))
    print(
        f"\n{title}: {templates} templates, {names} resource instances in {seconds:.2f}s; "
        f"names: {parts}; locations: {locations}; types known: {stats['type', 'known']}"
    )


def test_every_template_evaluates_with_defaults(loaded: Loaded) -> None:
    stats: Counter[tuple[str, str]] = Counter()
    errors: list[tuple[str, str, str]] = []
    start = time.perf_counter()
    for row, model in loaded.templates:
        evaluator = Evaluator(model)
        _evaluate_all(model, evaluator, stats)
        if row["validation"] == "ci":
            errors.extend(
                (row["path"], p.pointer, p.message) for p in evaluator.problems if p.kind == "error"
            )
    _report("defaults", stats, time.perf_counter() - start, len(loaded.templates))
    assert errors == []
    assert stats["name", "known"] > 3000 and stats["name", "partial"] > 3000


def test_every_template_evaluates_with_its_parameters_file(loaded: Loaded) -> None:
    stats: Counter[tuple[str, str]] = Counter()
    paired = 0
    start = time.perf_counter()
    for _row, model in loaded.templates:
        sibling = model.path[: -len(".json")] + ".parameters.json"
        data = loaded.parameters.get(sibling)
        if not isinstance(data, dict):
            continue
        paired += 1
        evaluator = Evaluator(model, parameters_from_data(data, sibling))
        _evaluate_all(model, evaluator, stats)
    _report("with parameters files", stats, time.perf_counter() - start, paired)
    assert paired > 500


def test_every_resource_body_evaluates(loaded: Loaded) -> None:
    """Robustness: all members of every resource instance (properties included) and every output."""
    start = time.perf_counter()
    instances = problems = 0
    for _row, model in loaded.templates:
        evaluator = Evaluator(model)
        for resource in model.all_resources():
            for instance in evaluator.resource_instances(resource):
                instances += 1
                instance.evaluate(resource.raw, resource.pointer)
        for output in model.outputs.values():
            evaluator.output_value(output)
        problems += len(evaluator.problems)
    print(
        f"\nresource bodies: {instances} instances in {time.perf_counter() - start:.2f}s, {problems} problems"
    )
    assert instances > 8000
