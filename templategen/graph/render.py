"""One entry point for both output formats."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.graph.model import Graph

FORMATS = ("mermaid", "dot")
DIRECTIONS = ("LR", "TB")


def render(graph: Graph, fmt: str = "mermaid", direction: str = "LR", legend: bool = False) -> str:
    """The graph as Mermaid (`flowchart LR|TB`) or Graphviz DOT (`rankdir=LR|TB`) text."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r} (expected one of {', '.join(DIRECTIONS)})")
    if fmt == "mermaid":
        from templategen.graph.mermaid import render_mermaid

        return render_mermaid(graph, direction, legend)
    if fmt == "dot":
        from templategen.graph.dot import render_dot

        return render_dot(graph, direction, legend)
    raise ValueError(f"unknown graph format {fmt!r} (expected one of {', '.join(FORMATS)})")
