"""Every template and parameters file of the shared corpus builds into the model, and the model agrees
with the corpus index (`index.tsv`: kind, scope, resource counts) and with the data it was built from.

Files are read with the project's reader (`templategen.arm.document.load_json_file`), the 25 files
under `invalid-json/` (comments, trailing commas, raw line breaks in strings) included. Run with `-s`
to see the timings.
"""

from __future__ import annotations

import csv
import re
import time
from pathlib import Path

import pytest

from templategen.arm.document import load_json_file
from templategen.arm.names import resolve_pointer, split_pointer
from templategen.arm.template import (
    ParametersFile,
    Template,
    classify,
    parameters_from_data,
    template_from_data,
)

_COPY_INDEX = re.compile(r"copyindex\s*\(", re.IGNORECASE)


class Corpus:
    def __init__(self, root: Path) -> None:
        self.root = root
        with open(root / "index.tsv", encoding="utf-8", newline="") as handle:
            self.rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["kind"] != "bicep"]
        start = time.perf_counter()
        self.data: list[tuple[dict[str, str], object]] = []
        for row in self.rows:
            document = load_json_file(str(root / "quickstarts" / row["path"]))
            # the index says which files are strict JSON; the reader must agree
            assert (row["json"] == "strict") == (not document.leniencies), row["path"]
            self.data.append((row, document.data))
        self.parse_seconds = time.perf_counter() - start


@pytest.fixture(scope="module")
def corpus(shared: Path) -> Corpus:
    return Corpus(shared / "corpus")


@pytest.fixture(scope="module")
def models(corpus: Corpus) -> list[tuple[dict[str, str], Template | ParametersFile]]:
    start = time.perf_counter()
    built: list[tuple[dict[str, str], Template | ParametersFile]] = []
    for row, data in corpus.data:
        kind = classify(data)
        if kind == "template":
            built.append((row, template_from_data(data, row["path"])))
        elif kind == "parameters":
            built.append((row, parameters_from_data(data, row["path"])))
    elapsed = time.perf_counter() - start
    templates = sum(1 for _, model in built if isinstance(model, Template))
    print(
        f"\ncorpus: {len(corpus.data)} JSON files read in {corpus.parse_seconds:.3f}s; "
        f"classified and built {templates} templates + {len(built) - templates} parameters files "
        f"in {elapsed:.3f}s"
    )
    return built


def test_corpus_sizes(corpus: Corpus) -> None:
    kinds = [row["kind"] for row in corpus.rows]
    assert kinds.count("template") == 1475
    assert kinds.count("parameters") == 1114
    assert sum(1 for row in corpus.rows if row["json"] == "lenient") == 25


def test_classify_agrees_with_the_index_by_schema_and_by_shape(corpus: Corpus) -> None:
    wrong = []
    for row, data in corpus.data:
        assert isinstance(data, dict)
        without_schema = {key: value for key, value in data.items() if key.lower() != "$schema"}
        got = (classify(data), classify(without_schema))
        if got != (row["kind"], row["kind"]):
            wrong.append((row["path"], row["kind"], got))
    assert wrong == []


def test_every_template_builds_consistently(
    models: list[tuple[dict[str, str], Template | ParametersFile]],
) -> None:
    wrong: list[tuple[str, str]] = []
    children = qualified_children = nested = 0
    for row, model in models:
        if not isinstance(model, Template):
            continue
        path = row["path"]
        data = model.data
        if model.problems:
            wrong.append((path, f"problems: {model.problems[:3]}"))
        if model.scope != row["scope"]:
            wrong.append((path, f"scope {model.scope} != {row['scope']}"))
        top = model.get("resources")
        top_count = len(top) if isinstance(top, (list, dict)) else 0
        if str(top_count) != row["resources_top"]:
            wrong.append((path, f"top-level resources {top_count} != {row['resources_top']}"))
        everything = list(model.all_resources())
        if str(len(everything)) != row["resources_all"]:
            wrong.append((path, f"all resources {len(everything)} != {row['resources_all']}"))
        for template in model.all_templates():
            if template is not model:
                nested += 1
                assert template.deployment is not None and template.deployment.nested is template
                assert resolve_pointer(data, template.pointer) is template.data
                assert template.parent is not None and template in template.parent.nested
            for table in (template.parameters, template.variables, template.functions, template.outputs):
                for item in table.values():
                    resolve_pointer(data, item.pointer)
            for resource in template.resources:
                if resolve_pointer(data, resource.pointer) is not resource.raw:
                    wrong.append((path, f"{resource.pointer} does not name its resource"))
                if resource.parent is None:
                    continue
                children += 1
                if resource.type is None or resource.parent.type is None:
                    continue
                written = resource.type_as_written
                assert isinstance(written, str)
                if "." in written.split("/", 1)[0]:
                    qualified_children += 1
                    assert resource.type == written
                elif not resource.type.lower().startswith(resource.parent.type.lower() + "/"):
                    wrong.append(
                        (path, f"{resource.pointer}: {resource.type} not under {resource.parent.type}")
                    )
    print(
        f"{children} child resources ({qualified_children} qualified types), {nested} inline nested templates"
    )
    assert wrong == []


def test_expression_sites_point_at_their_strings(
    models: list[tuple[dict[str, str], Template | ParametersFile]],
) -> None:
    start = time.perf_counter()
    count = keys = in_loops = 0
    outside: list[tuple[str, str]] = []
    for row, model in models:
        if not isinstance(model, Template):
            continue
        for site in model.all_expression_sites():
            count += 1
            if site.key:
                keys += 1
                assert split_pointer(site.pointer)[-1] == site.value
            else:
                assert resolve_pointer(model.data, site.pointer) == site.value
            if site.loops:
                in_loops += 1
            elif row["validation"] == "ci" and _COPY_INDEX.search(site.value):
                outside.append((row["path"], site.pointer))
    elapsed = time.perf_counter() - start
    print(f"{count} expression sites ({keys} keys, {in_loops} inside copy loops) walked in {elapsed:.3f}s")
    assert count > 50_000
    # CI deploys these templates, so every copyIndex() in them sits inside a loop the model knows
    assert outside == []


def test_every_parameters_file_builds(models: list[tuple[dict[str, str], Template | ParametersFile]]) -> None:
    files = references = placeholders = 0
    for row, model in models:
        if not isinstance(model, ParametersFile):
            continue
        files += 1
        expected_problems = []
        for entry in model.parameters.values():
            assert resolve_pointer(model.data, entry.pointer) is entry.raw
            assert entry.has_value or entry.has_reference, (row["path"], entry.name)
            if entry.reference is not None:
                references += 1
                assert isinstance(entry.reference.vault_id, str) and entry.reference.secret_name is not None
            elif entry.has_reference:
                # the quickstarts' CI placeholder, replaced before deploying: noted, not a crash
                placeholders += 1
                assert isinstance(entry.reference_raw, str) and entry.reference_raw.startswith(
                    "GEN-KEYVAULT-"
                )
                message = f"reference of parameter '{entry.name}' is not an object"
                expected_problems.append((entry.pointer_of("reference"), message))
        assert model.problems == expected_problems, row["path"]
    print(f"{files} parameters files, {references} Key Vault references, {placeholders} CI placeholders")
    assert files == 1114
