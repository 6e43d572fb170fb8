"""The whole shared corpus through `lint_paths`: Microsoft's own templates must not trip the linter.

1,475 templates and 1,114 parameter files written by the quickstart authors are linted with every
rule. What must hold (issue 3, item 8):

* no internal error (TG000) and no unreadable file (TG001) anywhere: the files under `invalid-json/`
  use comments, trailing commas and raw line breaks, which Resource Manager accepts, so they are
  read, not refused;
* no error-level finding of the expression, reference and structure rules (TG1xx, TG2xx, TG3xx) on
  the templates whose `validation` column in `index.tsv` is `ci`: Microsoft's CI deploys those
  samples, so such an error is our false positive. The exceptions are listed in `REAL_ERRORS`, each
  checked by hand and explained; the test also fails when one of them stops being found, so the
  list cannot go stale.

Bicep files join the run as soon as the linter reads them (`_bicep_supported` asks the linter
itself). Run with `-s` to see the counts per rule and severity, and the wall time.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path

import pytest

from templategen.lint.api import lint_paths
from templategen.lint.options import LintOptions

_SAP = "application-workloads/sap/sap-2-tier-marketplace-image/shared"

#: Error findings on `ci` templates that are real mistakes in the corpus, not false positives:
#: (path relative to the corpus folder, rule, a word of the message that names the culprit).
REAL_ERRORS = {
    # The main template passes `variables('linuxConfigurationChoosenTrendDSM')` to a linked
    # deployment, but declares no such variable (in any letter case): Resource Manager stops with
    # "The template variable ... is not found" whenever this sample is deployed.
    (
        "application-workloads/chef/datameer-trend-chef-riskanalysis/azuredeploy.json",
        "TG202",
        "'linuxConfigurationChoosenTrendDSM'",
    ),
    # The SAP sample's `shared/` variants are linked by computed file names (one per VM size and
    # image kind) and, for server*.json, from the URL in the `github` parameter, not from this
    # folder. These variants read a parameter / variables their own file never declares.
    (f"{_SAP}/cs-server-Standard_D13_multiNIC_No.json", "TG201", "'vmSize'"),
    (f"{_SAP}/server-Standard_multiNIC_No.json", "TG202", "'dbLogLUNs'"),
    (f"{_SAP}/server-Standard_multiNIC_No.json", "TG202", "'dbLogName'"),
    (f"{_SAP}/server2.json", "TG202", "'dbLogLUNs'"),
    (f"{_SAP}/server2.json", "TG202", "'dbLogName'"),
    (f"{_SAP}/server2-noplan.json", "TG202", "'dbLogLUNs'"),
    (f"{_SAP}/server2-noplan.json", "TG202", "'dbLogName'"),
}


def _bicep_supported(corpus: Path) -> bool:
    """Whether the linter reads Bicep yet: lint the smallest corpus Bicep file and see."""
    smallest = min(corpus.rglob("*.bicep"), key=lambda p: p.stat().st_size)
    result = lint_paths([str(smallest)], LintOptions(isolated=True))
    return not any(d.rule_id == "TG001" and "not supported" in d.message for d in result.diagnostics)


@pytest.mark.slow
def test_the_corpus_lints_without_false_errors(shared: Path) -> None:
    corpus = shared / "corpus" / "quickstarts"
    with open(shared / "corpus" / "index.tsv", encoding="utf-8", newline="") as handle:
        index = {row["path"]: row for row in csv.DictReader(handle, delimiter="\t")}
    suffixes = {".json", ".bicep"} if _bicep_supported(corpus) else {".json"}
    files = sorted(str(p) for p in corpus.rglob("*") if p.suffix in suffixes and p.is_file())
    expected = [path for path, row in index.items() if Path(path).suffix in suffixes]
    assert len(files) == len(expected)

    started = time.perf_counter()
    result = lint_paths(files, LintOptions(isolated=True))
    elapsed = time.perf_counter() - started

    counts = Counter((d.rule_id, d.severity) for d in result.diagnostics)
    read, skipped = len(result.files_checked), len(result.files_skipped)
    print(f"\ncorpus: {read} files read, {skipped} skipped, {elapsed:.2f}s")
    for (rule_id, severity), count in sorted(counts.items()):
        print(f"  {rule_id} {severity:<7} {count}")

    assert result.files_skipped == []
    assert len(result.files_checked) == len(files)
    # The one file the corpus breaks on purpose (MANIFEST: the quickstart CI's own bad-Bicep fixture).
    on_purpose = corpus / "test/ci-tests/data/validate-deploymentfile-tests/bicep-error/main.bicep"
    broken = [
        d
        for d in result.diagnostics
        if d.rule_id == "TG000" or (d.rule_id == "TG001" and d.location.path != str(on_purpose))
    ]
    assert any(d.rule_id == "TG001" and d.location.path == str(on_purpose) for d in result.diagnostics)
    assert broken == [], "\n".join(f"{d.location}: {d.rule_id} {d.message}" for d in broken[:20])

    found = set()
    unexpected = []
    for d in result.diagnostics:
        relative = Path(d.location.path).relative_to(corpus).as_posix()
        row = index[relative]
        if row["kind"] != "template" or row["validation"] != "ci":
            continue
        if d.severity != "error" or d.rule_id[2] not in "123":
            continue
        known = next(
            (k for k in REAL_ERRORS if k[0] == relative and k[1] == d.rule_id and k[2] in d.message), None
        )
        if known is None:
            unexpected.append(f"{relative}:{d.location.line}:{d.location.column}: {d.rule_id} {d.message}")
        else:
            found.add(known)
    assert unexpected == [], "false errors on templates Microsoft's CI deploys:\n" + "\n".join(unexpected)
    assert found == REAL_ERRORS, f"no longer found: {sorted(REAL_ERRORS - found)}"


def test_invalid_json_folder_is_read(shared: Path) -> None:
    """The 25 files that are not strict JSON are read with Resource Manager's leniencies."""
    folder = shared / "corpus" / "quickstarts" / "invalid-json"
    files = sorted(str(p) for p in folder.rglob("*.json"))
    result = lint_paths(files, LintOptions(isolated=True, select=["TG0"]))
    assert len(files) == 25 and len(result.files_checked) == 25
    assert [d for d in result.diagnostics if d.rule_id in ("TG000", "TG001")] == []
    lenient = {d.location.path for d in result.diagnostics if d.rule_id == "TG003"}
    assert len(lenient) == 25  # each one says what makes it lenient
