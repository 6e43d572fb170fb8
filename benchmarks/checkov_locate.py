"""Which files make checkov's ARM graph crash? Run by checkov's own interpreter, never imported by us.

checkov 3.3.30 builds one graph over every template of a run, and two steps of it raise on some real
templates: rendering a variable whose value is a bool or an int (`adjust_value` does `"." in value`:
TypeError) and an explicit `dependsOn` entry that rendered into a list (`dep.split`: AttributeError).
An unmodified run stops at the first such error with no file name. This script wraps those two steps,
records the file of the vertex being processed whenever either raises, lets the run go on, and prints
the files as JSON. It only *locates*; `benchmarks/checkov_runs.py` then runs the unmodified checkov on
the remaining files to confirm that it completes. (That module is not called `checkov.py`: this script
runs with `benchmarks/` first on `sys.path`, where such a name would hide the real package.)

Usage: python checkov_locate.py FILE_LIST   (one path per line, relative to the current folder)
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Any


def main(list_path: str) -> int:
    from checkov.arm.graph_builder import local_graph  # type: ignore[import-not-found]
    from checkov.arm.graph_builder.variable_rendering import renderer  # type: ignore[import-not-found]
    from checkov.main import Checkov  # type: ignore[import-not-found]

    found: list[dict[str, str]] = []

    def record(step: str, graph: Any, vertex_index: int, exc: Exception) -> None:
        found.append(
            {
                "step": step,
                "path": str(graph.vertices[vertex_index].path),
                "error": f"{type(exc).__name__}: {exc}",
            }
        )

    render = renderer.ArmVariableRenderer.evaluate_vertex_attribute_from_edge
    explicit_edge = local_graph.ArmLocalGraph._create_explicit_edge

    def render_recorded(self: Any, edge_list: list[Any]) -> None:
        try:
            render(self, edge_list)
        except Exception as exc:
            record("variable rendering", self.local_graph, edge_list[0].origin, exc)

    def explicit_edge_recorded(self: Any, origin: int, name: str, deps: Any) -> None:
        try:
            explicit_edge(self, origin, name, deps)
        except Exception as exc:
            record("dependsOn edges", self, origin, exc)

    renderer.ArmVariableRenderer.evaluate_vertex_attribute_from_edge = render_recorded
    local_graph.ArmLocalGraph._create_explicit_edge = explicit_edge_recorded

    with open(list_path, encoding="utf-8") as handle:
        files = [line.strip() for line in handle if line.strip()]
    argv = ["--framework", "arm", "--output", "json", "--quiet", "--compact", "--skip-download"]
    for name in files:
        argv += ["--file", name]
    logging.disable(logging.CRITICAL)
    stdout = sys.stdout
    completed = True
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sys.stdout = sink
        try:
            Checkov(argv=argv).run()
        except SystemExit:
            pass
        except Exception as exc:  # a crash somewhere else: report it, the caller decides
            completed = False
            found.append({"step": "elsewhere", "path": "", "error": f"{type(exc).__name__}: {exc}"})
        finally:
            sys.stdout = stdout
    print(json.dumps({"completed": completed, "found": found}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
