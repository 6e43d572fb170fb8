"""The resource graph in Graphviz DOT (`dot -Tsvg graph.dot > graph.svg`).

Ids are generated (`r1`, `x1`, clusters `cluster_g1`), so only labels come from the template; they
are DOT quoted strings with `\\` and `"` escaped and lines separated by `\\n` (DOT's centred line
break). Node kinds are styles (dashed border: condition; grey fill: `existing`; rounded grey
outline: outside the template); edge kinds are line styles: bold parent/child, solid dependsOn,
dashed reference, an edge of several kinds labelled with all of them.
"""

from __future__ import annotations

from templategen.graph.model import DEPENDS_ON, EXISTING, EXTERNAL, PARENT, REFERENCE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.graph.model import Graph, Node

EDGE_STYLES = {PARENT: "bold", DEPENDS_ON: "solid", REFERENCE: "dashed"}
_INDENT = "  "
_LINE_BREAKS = frozenset("\x7f\x85\u2028\u2029")


def quote(text: str) -> str:
    """A DOT quoted string holding `text` literally (one line)."""
    text = "".join(" " if ch < " " or ch in _LINE_BREAKS else ch for ch in text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label(lines: list[str]) -> str:
    """A quoted label of several lines (`\\n` between them, each line quoted literally)."""
    return '"' + "\\n".join(quote(line)[1:-1] for line in lines) + '"'


def node_attributes(node: Node) -> str:
    styles = ["filled"]
    fill = "white"
    color = "black"
    font = "black"
    if node.kind == EXTERNAL:
        styles.append("rounded")
        color = "gray55"
        font = "gray30"
    elif node.kind == EXISTING:
        fill = "gray95"
        color = "gray45"
    if node.conditional:
        styles.append("dashed")
    return (
        f"label={label(node.lines())}, style={quote(','.join(styles))}, "
        f"fillcolor={fill}, color={color}, fontcolor={font}"
    )


def render_dot(graph: Graph, direction: str = "LR", legend: bool = False) -> str:
    lines = [
        "// Resource graph drawn by templategen graph.",
        "// Edges: bold parent/child, solid dependsOn, dashed resourceId()/reference()/list*().",
        "digraph resources {",
        f"{_INDENT}rankdir={direction};",
        f'{_INDENT}node [shape=box, fontname="Helvetica", fontsize=11];',
        f'{_INDENT}edge [fontname="Helvetica", fontsize=9];',
    ]
    _group_body(graph, "", lines, 1)
    for edge in graph.edges:
        attributes = [f"style={EDGE_STYLES[edge.kind]}"]
        if len(edge.kinds) > 1:
            attributes.append(f"label={quote(', '.join(edge.kinds))}")
        lines.append(f"{_INDENT}{edge.source} -> {edge.target} [{', '.join(attributes)}];")
    if legend:
        _legend(lines)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _group_body(graph: Graph, group_id: str, lines: list[str], depth: int) -> None:
    indent = _INDENT * depth
    for node in graph.members(group_id):
        lines.append(f"{indent}{node.id} [{node_attributes(node)}];")
    for group in graph.subgroups(group_id):
        lines.append(f"{indent}subgraph cluster_{group.id} {{")
        lines.append(f"{indent}{_INDENT}label={quote(group.title)};")
        lines.append(f"{indent}{_INDENT}style=rounded;")
        _group_body(graph, group.id, lines, depth + 1)
        lines.append(f"{indent}}}")


def _legend(lines: list[str]) -> None:
    lines += [
        f"{_INDENT}subgraph cluster_legend {{",
        f'{_INDENT * 2}label="legend";',
        f"{_INDENT * 2}style=rounded;",
        f'{_INDENT * 2}legend_a [label="resource"];',
        f'{_INDENT * 2}legend_b [label="child"];',
        f'{_INDENT * 2}legend_c [label="dependent"];',
        f'{_INDENT * 2}legend_d [label="reader"];',
        f'{_INDENT * 2}legend_e [label="if condition", style=dashed];',
        f'{_INDENT * 2}legend_f [label="existing", style=filled, fillcolor=gray95, color=gray45];',
        f'{_INDENT * 2}legend_g [label="outside the template", style="filled,rounded", '
        "fillcolor=white, color=gray55, fontcolor=gray30];",
        f'{_INDENT * 2}legend_a -> legend_b [style=bold, label="parent"];',
        f'{_INDENT * 2}legend_a -> legend_c [style=solid, label="dependsOn"];',
        f'{_INDENT * 2}legend_a -> legend_d [style=dashed, label="reference"];',
        f"{_INDENT}}}",
    ]
