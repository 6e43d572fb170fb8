"""Mermaid and DOT output: valid for the subset we emit, labels escaped, every kind distinguishable,
same bytes for the same input."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from templategen.graph import dot, mermaid
from templategen.graph.model import (
    DEPENDS_ON,
    DEPLOYED,
    EXISTING,
    EXTERNAL,
    PARENT,
    REFERENCE,
    Edge,
    Graph,
    Group,
    Node,
)
from templategen.graph.render import render

from .helpers import EXAMPLES, REPO, edges, graph_of, graph_of_data
from .syntax import dot_label_lines, dot_string, label_lines, parse_dot, parse_mermaid

SHAPE_OF_KIND = {DEPLOYED: "rectangle", EXISTING: "stadium", EXTERNAL: "rounded"}
#: Characters that mean something to Mermaid, to HTML or to DOT, and line breaks.
TRICKY = 'a"b[c]d|e<f>g#h%%i`j;k&l{m}(n)\\o\nend p\u2028q'


def check_mermaid(graph: Graph, text: str) -> None:
    """The Mermaid text says exactly what the graph says."""
    parsed = parse_mermaid(text)
    legend = {node_id for node_id, group in parsed.node_group.items() if group == "legend"}
    if legend:
        assert {kinds for s, _t, kinds in parsed.edges if s in legend} == {
            ("parent",),
            ("dependsOn",),
            ("reference",),
        }
        assert {parsed.classes[i] for i in legend if i in parsed.classes} == {
            "conditional",
            "existing",
            "external",
        }
        parsed.edges = [edge for edge in parsed.edges if edge[0] not in legend]
        del parsed.groups["legend"]
        for node_id in legend:
            del parsed.nodes[node_id]
            parsed.classes.pop(node_id, None)
    assert set(parsed.nodes) == {n.id for n in graph.nodes}
    for n in graph.nodes:
        shape, lines = parsed.nodes[n.id]
        assert shape == SHAPE_OF_KIND[n.kind]
        assert lines == [visible(line) for line in n.lines()]
        assert parsed.node_group[n.id] == n.group
        assert parsed.classes.get(n.id, "") == mermaid.node_class(n)
    assert parsed.groups == {g.id: (visible(g.title), g.parent) for g in graph.groups}
    assert parsed.edges == [(e.source, e.target, e.kinds) for e in graph.edges]


def check_dot(graph: Graph, text: str) -> None:
    parsed = parse_dot(text)
    assert {k: v for k, v in parsed.nodes.items() if not k.startswith("legend_")}.keys() == {
        n.id for n in graph.nodes
    }
    for n in graph.nodes:
        attributes = parsed.nodes[n.id]
        assert dot_label_lines(attributes["label"]) == [visible(line) for line in n.lines()]
        styles = dot_string(attributes["style"]).split(",")
        assert ("dashed" in styles) == n.conditional
        assert ("rounded" in styles) == (n.kind == EXTERNAL)
        assert parsed.node_group[n.id] == (f"cluster_{n.group}" if n.group else "")
    assert {k: v for k, v in parsed.groups.items() if k != "cluster_legend"} == {
        f"cluster_{g.id}": (visible(g.title), f"cluster_{g.parent}" if g.parent else "") for g in graph.groups
    }
    found = [(s, t, a) for s, t, a in parsed.edges if not s.startswith("legend_")]
    assert [(s, t) for s, t, _a in found] == [(e.source, e.target) for e in graph.edges]
    for (_s, _t, attributes), edge in zip(found, graph.edges, strict=True):
        assert attributes["style"] == dot.EDGE_STYLES[edge.kind]
        assert dot_string(attributes.get("label", '""')) == (
            ", ".join(edge.kinds) if len(edge.kinds) > 1 else ""
        )


def visible(text: str) -> str:
    """What a label line shows: control characters and line separators become spaces."""
    return "".join(" " if ch < " " or ch in "\x7f\x85\u2028\u2029" else ch for ch in text)


# ----------------------------------------------------------------------------------------------------


def test_backup_example_mermaid_and_dot_say_what_the_graph_says() -> None:
    graph = graph_of(EXAMPLES / "backup-vms-quickstart.json")
    for direction in ("LR", "TB"):
        text = render(graph, "mermaid", direction)
        check_mermaid(graph, text)
        assert parse_mermaid(text).direction == direction
        check_dot(graph, render(graph, "dot", direction))
        assert parse_dot(render(graph, "dot", direction)).attributes["rankdir"] == direction


def test_every_kind_of_node_and_edge_is_drawn_differently() -> None:
    graph = graph_of_data(
        {
            "vault": {"type": "Microsoft.RecoveryServices/vaults", "apiVersion": "2023-01-01", "name": "v"},
            "old": {
                "type": "Microsoft.Storage/storageAccounts",
                "apiVersion": "2023-01-01",
                "name": "s",
                "existing": True,
            },
            "policy": {
                "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
                "apiVersion": "2023-01-01",
                "name": "v/p",
                "condition": "[parameters('create')]",
                "properties": {"x": "[reference('old').primaryEndpoints]"},
            },
            "script": {
                "type": "Microsoft.Resources/deploymentScripts",
                "apiVersion": "2023-08-01",
                "name": "after",
                "dependsOn": ["policy"],
                "properties": {"vm": "[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"},
            },
        },
        languageVersion="2.0",
        parameters={"create": {"type": "bool"}},
    )
    assert edges(graph) == {
        ("vaults v", "backupPolicies p", (PARENT,)),
        ("backupPolicies p", "storageAccounts s", (REFERENCE,)),  # `reference('old')`: a symbol
        ("backupPolicies p", "deploymentScripts after", (DEPENDS_ON,)),
        ("deploymentScripts after", "virtualMachines vm1", (REFERENCE,)),
    }
    text = render(graph, "mermaid")
    check_mermaid(graph, text)
    parsed = parse_mermaid(text)
    assert sorted(set(parsed.classes.values())) == ["conditional", "existing", "external"]
    assert {shape for shape, _lines in parsed.nodes.values()} == {"rectangle", "stadium", "rounded"}
    assert {kinds[0] for _s, _t, kinds in parsed.edges} == {"parent", "dependsOn", "reference"}
    assert " ==> " in text and " --> " in text and " -.-> " in text
    check_dot(graph, render(graph, "dot"))
    assert {a["style"] for _s, _t, a in parse_dot(render(graph, "dot")).edges} == {"bold", "solid", "dashed"}


def test_tricky_names_are_escaped_in_both_formats() -> None:
    graph = graph_of_data(
        [
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": TRICKY},
            {
                "type": "Microsoft.Web/sites",
                "apiVersion": "2023-01-01",
                "name": "end",
                "condition": "[equals(parameters('mode'), 'a|b\"c')]",
                "properties": {
                    "s": f"[reference(resourceId('Microsoft.Storage/storageAccounts', '{TRICKY}'))]"
                },
            },
        ],
        parameters={"mode": {"type": "string"}},
    )
    text = render(graph, "mermaid")
    check_mermaid(graph, text)
    parsed = parse_mermaid(text)
    assert parsed.nodes["r1"][1] == ["storageAccounts", visible(TRICKY)]
    assert parsed.nodes["r2"][1] == ["sites", "end", "if mode == 'a|b\"c'"]
    # What Mermaid would read as syntax or markup never appears raw inside a label.
    for line in text.splitlines()[4:6]:
        body = line.split('"', 1)[1].rsplit('"', 1)[0]
        assert not set(body.replace("<br>", "")) & set('"<>|`%&\\\n')
    check_dot(graph, render(graph, "dot"))
    assert dot_label_lines(parse_dot(render(graph, "dot")).nodes["r1"]["label"]) == [
        "storageAccounts",
        visible(TRICKY),
    ]


def test_mermaid_and_dot_read_back_a_hand_made_graph_with_groups() -> None:
    graph = Graph("x")
    outer = Group("g1", 'deployments "outer" <x>', "")
    inner = Group("g2", "deployments inner|y", "g1")
    graph.groups += [outer, inner]
    for index, (kind, group) in enumerate(
        [(DEPLOYED, ""), (EXISTING, "g1"), (EXTERNAL, ""), (DEPLOYED, "g2")]
    ):
        n = Node(f"n{index}", kind, "Microsoft.X/things" if index else "")
        n.names = [TRICKY[index:]]
        n.group = group
        n.condition = "a && b" if index == 1 else ""
        graph.nodes.append(n)
    graph.edges += [Edge("n0", "n1", ("parent", "reference")), Edge("n3", "n2", ("dependsOn",))]
    for legend in (False, True):
        check_mermaid(graph, render(graph, "mermaid", legend=legend))
        check_dot(graph, render(graph, "dot", legend=legend))
    assert parse_mermaid(render(graph, "mermaid", legend=True)).classes["n1"] == "existingConditional"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_survives_mermaid_escaping(text: str) -> None:
    assert label_lines(mermaid.escape(text)) == [visible(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=4))
def test_any_text_survives_dot_quoting(lines: list[str]) -> None:
    assert dot_label_lines(dot.label(lines)) == [visible(line) for line in lines]
    assert dot_string(dot.quote(lines[0])) == visible(lines[0])


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_reads_the_dot_output(tmp_path: Path) -> None:
    """Optional: where Graphviz is installed, it accepts every DOT file we write and shows the
    labels as written (the structural checks above run everywhere)."""
    graphs = {
        "backup": graph_of(EXAMPLES / "backup-vms-quickstart.json"),
        "tricky": graph_of_data(
            [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "1", "name": TRICKY}]
        ),
    }
    for name, graph in graphs.items():
        source = tmp_path / f"{name}.dot"
        source.write_text(render(graph, "dot", legend=True), encoding="utf-8")
        done = subprocess.run(["dot", "-Tsvg", str(source)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert "Warning" not in done.stderr and "Error" not in done.stderr
        if name == "tricky":
            assert "a&quot;b[c]d|e&lt;f&gt;g#h%%i`j;k&amp;l{m}(n)\\o end p q" in done.stdout


def test_same_input_same_bytes_in_fresh_interpreters() -> None:
    """No dict or set order leaks into the output: two interpreters with other hash seeds agree."""
    script = (
        "import sys; from tests.graph.helpers import graph_of; from templategen.graph.render import render; "
        "g = graph_of(sys.argv[1]); sys.stdout.write(render(g) + render(g, 'dot', legend=True))"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, str(EXAMPLES / "backup-vms-enhanced-weekly.json")],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
