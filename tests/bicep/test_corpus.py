"""Every Bicep file of the shared corpus converts, and the model built from it agrees with the model
built from the template the Bicep compiler produced from the same file (`azuredeploy.json` beside a
`main.bicep`, `metadata._generator.name == "bicep"`).

A disagreement is accepted only with evidence that it is not ours:

* a registry module (`br:` / `ts:`): the compiler inlines the published template, we cannot (offline)
  and leave the deployment without one, so only the top level is compared;
* a stale compiled template: it declares a parameter, or uses an API version, that appears nowhere in
  the Bicep sources of its folder, so it was compiled from another version of the file.

Run with `-s` to see the numbers (files, errors, agreement, timings).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from templategen.arm.template import Template, build_template, template_from_data
from templategen.bicep import BicepDocument, load_bicep_file

BROKEN = "test/ci-tests/data/validate-deploymentfile-tests/bicep-error/main.bicep"
DEPLOYMENTS = "microsoft.resources/deployments"


def corpus_root(shared: Path) -> Path:
    return shared / "corpus" / "quickstarts"


def bicep_files(root: Path) -> list[Path]:
    """Every `.bicep` file, hidden ones (`.create.resources.wrapper.bicep`) included."""
    found = [
        Path(folder) / name for folder, _, names in os.walk(root) for name in names if name.endswith(".bicep")
    ]
    return sorted(found)


@pytest.fixture(scope="module")
def converted(shared: Path) -> dict[str, tuple[BicepDocument, Template]]:
    root = corpus_root(shared)
    result: dict[str, tuple[BicepDocument, Template]] = {}
    started = time.perf_counter()
    for path in bicep_files(root):
        document = load_bicep_file(str(path))
        result[path.relative_to(root).as_posix()] = (document, build_template(document))
    elapsed = time.perf_counter() - started
    print(f"\nconverted {len(result)} Bicep files (modules read recursively) in {elapsed:.2f} s")
    return result


def test_every_corpus_bicep_file_converts(converted: dict[str, tuple[BicepDocument, Template]]) -> None:
    assert len(converted) == 482  # MANIFEST.md: 482 Bicep files
    with_errors = {path: document.errors for path, (document, _) in converted.items() if document.errors}
    assert list(with_errors) == [BROKEN]
    [(message, location)] = with_errors[BROKEN]
    assert message == "Bicep syntax error: expected identifier after 'abc'"
    assert (location.line, location.column) == (1, 10)
    empty = [path for path, (document, _) in converted.items() if not document.text.strip()]
    assert empty == ["application-workloads/jboss/jboss-eap-clustered-multivm-rhel/nested_guid.bicep"]
    for path in empty:
        _, template = converted[path]
        assert template.resources == [] and template.parameters == {}
    model_problems = {path: t.problems for path, (_, t) in converted.items() if t.problems}
    assert model_problems == {}
    problems = Counter(
        message.split(":")[0] for document, _ in converted.values() for _, message in document.problems
    )
    print("conversion problems:", dict(problems))
    # the corpus ships Bicep and JSON only: the files loadTextContent()/loadJsonContent() read are absent
    assert set(problems) == {
        "loadTextContent()",
        "loadJsonContent()",
        "the type of parameter 'abc' is not resolved",
    }


def test_recovery_services_samples_match_the_compiled_templates(shared: Path) -> None:
    """The domain's 13 samples: every resource's type, API version, name, condition, copy, location, sku
    and properties are what the compiler wrote (one-piece child names aside: the compiler splits them
    with `split(name, '/')[i]`, we at their literal slashes, the same values)."""
    folder = corpus_root(shared) / "quickstarts" / "microsoft.recoveryservices"
    samples = sorted(p for p in folder.iterdir() if (p / "main.bicep").exists())
    assert len(samples) == 13
    for sample in samples:
        compiled = json.loads((sample / "azuredeploy.json").read_text(encoding="utf-8-sig"))
        assert compiled["metadata"]["_generator"]["name"] == "bicep"
        ours = [
            r for r in load_bicep_file(str(sample / "main.bicep")).data["resources"] if not r.get("existing")
        ]
        theirs = compiled["resources"]
        assert len(ours) == len(theirs), sample.name
        for mine, compiled_resource in zip(ours, theirs, strict=True):
            assert mine["type"].lower() == compiled_resource["type"].lower(), sample.name
            for key in ("apiVersion", "condition", "copy", "location", "sku", "name"):
                if key == "name" and "split(" in str(compiled_resource.get(key)):
                    continue
                assert mine.get(key) == compiled_resource.get(key), (sample.name, mine["type"], key)
            if mine["type"].lower() != DEPLOYMENTS:
                assert mine.get("properties") == compiled_resource.get("properties"), (
                    sample.name,
                    mine["type"],
                )


def summary(template: Template, top_only: bool) -> dict[str, object]:
    resources = [r for r in (template.resources if top_only else template.all_resources()) if not r.existing]
    return {
        "types": Counter((r.type or "").lower() for r in resources),
        "apiVersions": Counter(
            ((r.type or "").lower(), r.api_version)
            for r in resources
            if (r.type or "").lower() != DEPLOYMENTS
        ),
        "count": len(resources),
        "parameters": {name: p.secure for name, p in template.parameters.items()},
        "outputs": sorted(template.outputs),
    }


def bicep_sources(folder: Path) -> str:
    return "\n".join(path.read_text(encoding="utf-8-sig") for path in folder.rglob("*.bicep"))


def written(text: str, resource_type: str, version: object) -> bool:
    """True when the sources declare `resource_type` (or its last segment, for nested children) at
    `version`: `'Microsoft.X/y@2023-01-01'` or `'y@2023-01-01'`."""
    last = resource_type.rsplit("/", 1)[-1]
    return f"{last}@{version}'".lower() in text.lower()


def version_evidence(text: str, mine: object, theirs: object) -> list[str]:
    """(type, apiVersion) pairs only the compiled template has, never written in `text`, where the
    versions we read for that type are written there."""
    assert isinstance(mine, Counter) and isinstance(theirs, Counter)
    evidence: list[str] = []
    for resource_type, version in theirs - mine:
        ours_written = all(written(text, t, v) for (t, v) in mine - theirs if t == resource_type)
        if not written(text, resource_type, version) and ours_written:
            evidence.append(f"{resource_type}@{version}")
    return evidence


def stale_evidence(folder: Path, compiled: Template, ours: Template) -> list[str]:
    """What shows the compiled template comes from another version of the sources: a parameter they
    never declare, or an API version they never write for a type (in `main.bicep` for the top level,
    in any of the folder's Bicep files below it) while the versions we read are written there."""
    text = bicep_sources(folder)
    main = (folder / "main.bicep").read_text(encoding="utf-8-sig")
    evidence = [
        f"parameter {p.name}"
        for p in compiled.parameters.values()
        if not re.search(r"\bparam\s+" + re.escape(p.name) + r"\b", text)
    ]
    top_mine, top_theirs = summary(ours, top_only=True), summary(compiled, top_only=True)
    evidence += version_evidence(main, top_mine["apiVersions"], top_theirs["apiVersions"])
    all_mine, all_theirs = summary(ours, top_only=False), summary(compiled, top_only=False)
    evidence += version_evidence(text, all_mine["apiVersions"], all_theirs["apiVersions"])
    return evidence


def test_models_agree_with_the_compiled_templates(
    shared: Path, converted: dict[str, tuple[BicepDocument, Template]]
) -> None:
    root = corpus_root(shared)
    pairs = 0
    agree = 0
    explained: dict[str, str] = {}
    unexplained: dict[str, dict[str, tuple[object, object]]] = {}
    for relative, (_, ours) in sorted(converted.items()):
        folder = (root / relative).parent
        if Path(relative).name != "main.bicep" or not (folder / "azuredeploy.json").exists():
            continue
        data = json.loads((folder / "azuredeploy.json").read_text(encoding="utf-8-sig"))
        generator = data.get("metadata", {}).get("_generator", {})
        if not isinstance(generator, dict) or generator.get("name") != "bicep":
            continue
        pairs += 1
        theirs = template_from_data(data, "azuredeploy.json")
        mine, compiled = summary(ours, top_only=False), summary(theirs, top_only=False)
        if mine == compiled:
            agree += 1
            continue
        differences = {key: (mine[key], compiled[key]) for key in mine if mine[key] != compiled[key]}
        if re.search(r"module\s+\w+\s+'(br|ts)[:/]", bicep_sources(folder)) and summary(
            ours, top_only=True
        ) == summary(theirs, top_only=True):
            explained[relative] = "registry module (inlined by the compiler only)"
            continue
        evidence = stale_evidence(folder, theirs, ours)
        if evidence:
            explained[relative] = "compiled from another version: " + ", ".join(evidence[:3])
            continue
        unexplained[relative] = differences
    print(f"\ncompiled pairs: {pairs}, identical models: {agree}, explained differences: {len(explained)}")
    for relative, reason in explained.items():
        print(f"  {relative}: {reason}")
    assert pairs >= 340
    assert unexplained == {}
    assert agree >= pairs - len(explained)
