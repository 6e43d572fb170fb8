"""Every template and Bicep file of the shared corpus draws, in both formats, and reads back.

Run with `-s` to see the numbers (files, nodes, edges, outside resources, time). Timings are printed,
never asserted (`benchmarks/` measures).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

from templategen.diagnostics import InputError
from templategen.graph.build import build_graph
from templategen.graph.render import render
from templategen.graph.source import load_template

from .syntax import parse_dot, parse_mermaid

BROKEN_BICEP = "test/ci-tests/data/validate-deploymentfile-tests/bicep-error/main.bicep"


def test_every_corpus_template_and_bicep_file_draws(shared: Path) -> None:
    root = shared / "corpus" / "quickstarts"
    paths = sorted(
        Path(folder) / name
        for folder, _dirs, names in os.walk(root)
        for name in names
        if name.endswith((".json", ".bicep"))
    )
    counts: Counter[str] = Counter()
    refused: list[str] = []
    started = time.perf_counter()
    slowest = (0.0, "")
    for path in paths:
        began = time.perf_counter()
        try:
            loaded = load_template(str(path))
        except InputError as error:
            # Parameters files and other JSON are refused with a position, never a traceback.
            assert error.location is not None, path
            if path.suffix == ".bicep" or "parameters" not in str(error):
                refused.append(str(path.relative_to(root)))
            continue
        graph = build_graph(loaded.template)
        mermaid_text = render(graph, "mermaid")
        dot_text = render(graph, "dot")
        parsed = parse_mermaid(mermaid_text)
        assert len(parsed.nodes) == len(graph.nodes) and len(parsed.edges) == len(graph.edges), path
        assert len(parse_dot(dot_text).nodes) == len(graph.nodes), path
        counts["files"] += 1
        counts[path.suffix] += 1
        counts["nodes"] += len(graph.nodes)
        counts["edges"] += len(graph.edges)
        counts["outside"] += sum(1 for n in graph.nodes if n.kind == "external")
        slowest = max(slowest, (time.perf_counter() - began, str(path.relative_to(root))))
    elapsed = time.perf_counter() - started
    print(f"\n{dict(counts)}; refused (not templates): {len(refused)}; {elapsed:.1f} s, slowest {slowest}")
    # The corpus has 1,475 templates and 482 Bicep files; only the one broken on purpose is refused
    # among the Bicep files, and every template JSON draws.
    assert counts[".bicep"] == 481
    assert [p for p in refused if p.endswith(".bicep")] == [BROKEN_BICEP]
    assert counts[".json"] == 1475
