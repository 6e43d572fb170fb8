"""The resource graph as a Mermaid flowchart (GitHub, GitLab and Azure DevOps render it in Markdown).

What is emitted, and why it is safe:

* node ids are generated (`r1`, `x1`, `g1`), never taken from the template, so no resource name can
  collide with Mermaid keywords (`end`, `graph`, `style`...) or break the syntax;
* every label is a quoted string whose characters Mermaid would read as syntax or HTML are written
  as entity codes (`#quot;`, `#35;`, `#lt;`, ...); lines are joined with `<br>`, the only markup;
* kinds of node are shapes and classes: rectangles for deployed resources (dashed border when they
  have a condition), stadiums for `existing` ones, rounded boxes for resources outside the template;
* kinds of edge are arrow styles: `==>` parent/child, `-->` dependsOn, `-.->` reference; an arrow
  that stands for several kinds is drawn in the first one's style and labelled with all of them.
"""

from __future__ import annotations

from templategen.graph.model import DEPENDS_ON, DEPLOYED, EXISTING, EXTERNAL, PARENT, REFERENCE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.graph.model import Graph, Node

ARROWS = {PARENT: "==>", DEPENDS_ON: "-->", REFERENCE: "-.->"}
_SHAPES = {DEPLOYED: ('["', '"]'), EXISTING: ('(["', '"])'), EXTERNAL: ('("', '")')}
CLASS_STYLES = {
    "conditional": "stroke-dasharray:5 5",
    "existing": "fill:#f2f2f2,stroke:#7f7f7f,color:#333333",
    "existingConditional": "fill:#f2f2f2,stroke:#7f7f7f,color:#333333,stroke-dasharray:5 5",
    "external": "fill:#ffffff,stroke:#9e9e9e,color:#555555",
}
# `#` first: every other replacement introduces one.
_ENTITIES = (
    ("#", "#35;"),
    ("&", "#amp;"),
    ('"', "#quot;"),
    ("<", "#lt;"),
    (">", "#gt;"),
    ("|", "#124;"),
    ("`", "#96;"),
    ("%", "#37;"),
    ("\\", "#92;"),
)
#: Mermaid's own defaults (`maxTextSize`, `maxEdges`): a larger diagram is refused by renderers that
#: keep them, GitHub's among them.
MAX_TEXT_SIZE = 50_000
MAX_EDGES = 500
_LEGEND_EDGES = 3
_INDENT = "    "
#: Characters that end a line somewhere between Python and the browser (besides control characters).
_LINE_BREAKS = frozenset("\x7f\x85\u2028\u2029")


def escape(text: str) -> str:
    """Text for inside a quoted Mermaid label: syntax and HTML characters as entity codes, one line."""
    text = "".join(" " if ch < " " or ch in _LINE_BREAKS else ch for ch in text)
    for char, entity in _ENTITIES:
        if char in text:
            text = text.replace(char, entity)
    return text


def node_class(node: Node) -> str:
    """The class a node is drawn with ("" for a plain deployed resource)."""
    if node.kind == EXTERNAL:
        return "external"
    if node.kind == EXISTING:
        return "existingConditional" if node.conditional else "existing"
    return "conditional" if node.conditional else ""


def render_mermaid(graph: Graph, direction: str = "LR", legend: bool = False) -> str:
    lines = [
        "%% Resource graph drawn by templategen graph.",
        "%% Arrows: ==> parent/child, --> dependsOn, -.-> resourceId()/reference()/list*();",
        "%% dashed box: condition; stadium: existing resource; rounded box: outside the template.",
        f"flowchart {direction}",
    ]
    _group_body(graph, "", lines, 1)
    for edge in graph.edges:
        arrow = ARROWS[edge.kind]
        label = f"|{', '.join(edge.kinds)}|" if len(edge.kinds) > 1 else ""
        lines.append(f"{_INDENT}{edge.source} {arrow}{label} {edge.target}")
    classes: dict[str, list[str]] = {}
    for node in graph.nodes:
        name = node_class(node)
        if name:
            classes.setdefault(name, []).append(node.id)
    if legend:
        _legend(lines, classes)
    for name in CLASS_STYLES:
        if name in classes:
            lines.append(f"{_INDENT}classDef {name} {CLASS_STYLES[name]}")
    for name in CLASS_STYLES:
        if name in classes:
            lines.append(f"{_INDENT}class {','.join(classes[name])} {name}")
    return "\n".join(lines) + "\n"


def _group_body(graph: Graph, group_id: str, lines: list[str], depth: int) -> None:
    indent = _INDENT * depth
    for node in graph.members(group_id):
        lines.append(indent + node_text(node))
    for group in graph.subgroups(group_id):
        lines.append(f'{indent}subgraph {group.id}["{escape(group.title)}"]')
        _group_body(graph, group.id, lines, depth + 1)
        lines.append(f"{indent}end")


def node_text(node: Node) -> str:
    """`r1["vaults<br>RecoveryServicesVault"]`: the node's id, shape and escaped label."""
    opening, closing = _SHAPES[node.kind]
    return node.id + opening + "<br>".join(escape(line) for line in node.lines()) + closing


def _legend(lines: list[str], classes: dict[str, list[str]]) -> None:
    """A box with one sample of each arrow and node style, kept apart from the graph's own ids."""
    lines.append(f'{_INDENT}subgraph legend["legend"]')
    samples = [
        ("legend_a", '["resource"]', ""),
        ("legend_b", '["child"]', ""),
        ("legend_c", '["dependent"]', ""),
        ("legend_d", '["reader"]', ""),
        ("legend_e", '["if condition"]', "conditional"),
        ("legend_f", '(["existing"])', "existing"),
        ("legend_g", '("outside the template")', "external"),
    ]
    for node_id, text, _name in samples:
        lines.append(f"{_INDENT * 2}{node_id}{text}")
    lines.append(f"{_INDENT * 2}legend_a ==>|parent| legend_b")
    lines.append(f"{_INDENT * 2}legend_a -->|dependsOn| legend_c")
    lines.append(f"{_INDENT * 2}legend_a -.->|reference| legend_d")
    lines.append(f"{_INDENT}end")
    for node_id, _text, name in samples:
        if name:
            classes.setdefault(name, []).append(node_id)


def limit_warning(graph: Graph, text: str, legend: bool) -> str | None:
    """Why a renderer with Mermaid's default limits would refuse `text`, or None."""
    edges = len(graph.edges) + (_LEGEND_EDGES if legend else 0)
    if len(text) > MAX_TEXT_SIZE:
        size, limit = len(text), MAX_TEXT_SIZE
        return f"the Mermaid text has {size:,} characters; Mermaid renders at most {limit:,} by default"
    if edges > MAX_EDGES:
        return f"the graph has {edges:,} edges; Mermaid draws at most {MAX_EDGES} by default"
    return None
