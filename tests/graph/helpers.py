"""Building graphs from files and reading them back in tests."""

from __future__ import annotations

import json
from pathlib import Path

from templategen.arm.template import template_from_data
from templategen.graph.build import build_graph
from templategen.graph.model import Graph, Node
from templategen.graph.source import load_parameter_values, load_template

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
BACKUP = "quickstarts/quickstarts/microsoft.recoveryservices/recovery-services-backup-vms"
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def graph_of(path: Path | str, *parameters: Path | str) -> Graph:
    values = load_parameter_values([str(p) for p in parameters])
    return build_graph(load_template(str(path)).template, values or None)


def graph_of_data(resources: object, **sections: object) -> Graph:
    """The graph of a template written in the test (`resources` and other top-level sections)."""
    data = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", **sections, "resources": resources}
    return build_graph(template_from_data(json.loads(json.dumps(data)), "test.json"))


def node(graph: Graph, short_type: str, name: str | None = None) -> Node:
    """The one node of a short type (and first name, when given)."""
    found = [n for n in graph.nodes if n.short_type == short_type and (name is None or name in n.names)]
    assert len(found) == 1, f"{len(found)} nodes {short_type} {name}: {graph.nodes}"
    return found[0]


def edges(graph: Graph) -> set[tuple[str, str, tuple[str, ...]]]:
    """Every edge as (source title + first name, target title + first name, kinds)."""
    by_id = {n.id: n for n in graph.nodes}

    def name(node_id: str) -> str:
        n = by_id[node_id]
        return " ".join([n.short_type, *n.names[:1]])

    return {(name(e.source), name(e.target), e.kinds) for e in graph.edges}


def canonical(graph: Graph) -> tuple[list[tuple[str, tuple[str, ...]]], list[tuple[object, ...]]]:
    """The graph without its ids: sorted node labels and edges between labels (for comparing two
    graphs whose resources are declared in another order)."""
    labels = {n.id: (n.kind, tuple(n.lines())) for n in graph.nodes}
    return sorted(labels.values()), sorted((labels[e.source], labels[e.target], e.kinds) for e in graph.edges)
