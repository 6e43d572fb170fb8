"""How long does `templategen graph` take? The corpus, and templates of growing size.

* corpus: every template and Bicep file of the shared corpus, read once up front; each round builds
  the graph and renders both formats (reading is the readers' benchmarks' business);
* scaling: synthetic templates of N copy-looped resources (10 copies each), each depending on the
  previous one through `resourceId()` with `copyIndex()` and referring to one of a few subnets, so
  every lookup path is exercised. Time per resource should stay flat as N grows.

Run `python benchmarks/graph.py [--rounds N] [--shared DIR]`, or call `measure()`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from templategen.arm.template import Template, template_from_data  # noqa: E402
from templategen.diagnostics import InputError  # noqa: E402
from templategen.graph.build import build_graph  # noqa: E402
from templategen.graph.render import render  # noqa: E402
from templategen.graph.source import load_template  # noqa: E402

SIZES = (100, 1_000, 5_000)


def default_shared() -> Path:
    return Path(os.environ.get("TEMPLATEGEN_SHARED", REPO.parent / "shared")).resolve()


def corpus_templates(shared: Path) -> list[Template]:
    found = []
    for folder, _dirs, names in sorted(os.walk(shared / "corpus" / "quickstarts")):
        for name in sorted(names):
            if name.endswith((".json", ".bicep")):
                try:
                    found.append(load_template(os.path.join(folder, name)).template)
                except InputError:
                    continue  # parameters files and other JSON
    return found


def synthetic(size: int) -> Template:
    resources = []
    for index in range(size):
        resources.append(
            {
                "type": "Microsoft.Network/networkInterfaces",
                "apiVersion": "2023-04-01",
                "name": f"[concat(parameters('prefix'), '-nic{index}-', copyIndex())]",
                "copy": {"name": f"loop{index}", "count": 10},
                "dependsOn": [
                    f"[resourceId('Microsoft.Network/networkInterfaces', "
                    f"concat(parameters('prefix'), '-nic{index - 1}-', copyIndex()))]"
                ]
                if index
                else [],
                "properties": {
                    "subnet": "[resourceId('Microsoft.Network/virtualNetworks/subnets', "
                    f"'vnet', 's{index % 7}')]"
                },
            }
        )
    data = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"prefix": {"type": "string"}},
        "resources": resources,
    }
    return template_from_data(data, f"synthetic-{size}.json")


def draw(template: Template) -> int:
    graph = build_graph(template)
    return len(render(graph, "mermaid")) + len(render(graph, "dot"))


def measure(shared: Path, rounds: int = 3) -> dict[str, object]:
    templates = corpus_templates(shared)
    corpus_times = []
    for _ in range(rounds):
        started = time.perf_counter()
        for template in templates:
            draw(template)
        corpus_times.append(time.perf_counter() - started)
    scaling: dict[int, float] = {}
    for size in SIZES:
        times = []
        for _ in range(rounds):
            template = synthetic(size)  # a fresh model: nothing cached between rounds
            started = time.perf_counter()
            draw(template)
            times.append(time.perf_counter() - started)
        scaling[size] = statistics.median(times) / size
    return {
        "files": len(templates),
        "corpus_seconds": statistics.median(corpus_times),
        "per_resource": scaling,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=default_shared())
    args = parser.parse_args()
    result = measure(args.shared, args.rounds)
    files = result["files"]
    seconds = result["corpus_seconds"]
    assert isinstance(files, int) and isinstance(seconds, float)
    each = 1000 * seconds / files
    print(f"corpus: {files} files drawn (both formats) in {seconds:.2f} s, {each:.1f} ms per file")
    per_resource = result["per_resource"]
    assert isinstance(per_resource, dict)
    for size, seconds_each in per_resource.items():
        print(f"synthetic {size:>6} looped resources: {1e6 * seconds_each:8.1f} µs per resource")


if __name__ == "__main__":
    main()
