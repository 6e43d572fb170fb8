"""The resource graph as plain data: nodes, edges and groups, independent of any output format.

The builder (`graph/build.py`) fills it from the template model and the offline evaluator; the
renderers (`graph/mermaid.py`, `graph/dot.py`) only print it. Keeping the two apart means both
formats show exactly the same graph, and tests can check what the graph *says* without parsing
either syntax.

Everything here is already safe to print: labels were built with `describe` (secrets masked, SAS
signatures redacted) and the renderers only escape them for their syntax.
"""

from __future__ import annotations

#: What a node stands for.
DEPLOYED = "deployed"  # a resource the template deploys (maybe under a condition)
EXISTING = "existing"  # declared with `existing: true` (Bicep `existing`): read, never deployed
EXTERNAL = "external"  # not declared at all, only referred to (a VM a protected item backs up)

#: Edge kinds, in the order they are listed on an edge and in legends.
PARENT = "parent"  # parent / child: nested declaration, a full name under the parent's, or `scope`
DEPENDS_ON = "dependsOn"  # an explicit `dependsOn` entry
REFERENCE = "reference"  # `resourceId()` / `reference()` / `list*()` used in the resource's members
EDGE_KINDS = (PARENT, DEPENDS_ON, REFERENCE)


class Node:
    """One box of the graph.

    id            a short identifier, safe in every output syntax (`r1`, `x3`)
    kind          DEPLOYED, EXISTING or EXTERNAL
    type          the full resource type when known (`Microsoft.RecoveryServices/vaults`), else ""
    short_type    its last segment (`vaults`), or "resource" when the type is unknown
    count         "" for a single resource, else `×2` or `× length(vms)`
    names         evaluated names, already described (`describe`): one per shown copy
    more          how many further copies exist beyond `names` (0 when all are shown, -1 when
                  the number is unknown)
    condition     the condition as readable text (`isNewVault`), "" when there is none
    condition_value  "true" / "false" when the evaluator knows it, else ""
    detail        an extra line for external resources (`resource group rg-workloads`)
    group         id of the Group the node is drawn in ("" for the top level)
    pointer       where the resource is declared (JSON pointer; "" for external nodes)
    """

    __slots__ = (
        "condition",
        "condition_value",
        "count",
        "detail",
        "group",
        "id",
        "kind",
        "more",
        "names",
        "pointer",
        "short_type",
        "type",
    )

    def __init__(self, node_id: str, kind: str, resource_type: str, pointer: str = "") -> None:
        self.id = node_id
        self.kind = kind
        self.type = resource_type
        self.short_type = short_type(resource_type)
        self.count = ""
        self.names: list[str] = []
        self.more = 0
        self.condition = ""
        self.condition_value = ""
        self.detail = ""
        self.group = ""
        self.pointer = pointer

    @property
    def conditional(self) -> bool:
        return bool(self.condition)

    @property
    def title(self) -> str:
        """The first line of the label: short type and copy count (`protectedItems ×2`)."""
        return f"{self.short_type} {self.count}" if self.count else self.short_type

    def lines(self) -> list[str]:
        """The label, line by line (title, names, condition, detail), as plain text."""
        out = [self.title, *self.names]
        if self.more > 0:
            out.append(f"… {self.more} more")
        elif self.more < 0:
            out.append("…")
        if self.condition:
            suffix = f" ({self.condition_value})" if self.condition_value else ""
            out.append(f"if {self.condition}{suffix}")
        if self.detail:
            out.append(self.detail)
        return out

    def __repr__(self) -> str:
        return f"Node({self.id} {self.kind} {' | '.join(self.lines())!r})"


class Edge:
    """An arrow from `source` to `target` (node ids), with every kind of relation it stands for.

    Between two deployed resources the arrow follows deployment order: it starts at the resource
    that must exist first (the parent, the one named in `dependsOn`, the one referred to). An arrow
    that touches a resource the template does not deploy (existing or external) starts at the
    resource that refers to it, since there is no order to show: the graph then reads
    vault → policy → protected items → VMs.
    """

    __slots__ = ("kinds", "source", "target")

    def __init__(self, source: str, target: str, kinds: tuple[str, ...]) -> None:
        self.source = source
        self.target = target
        self.kinds = kinds

    @property
    def kind(self) -> str:
        """The kind that decides how the arrow is drawn: the first of `EDGE_KINDS` it has."""
        return self.kinds[0]

    def __repr__(self) -> str:
        return f"Edge({self.source} -> {self.target} {'+'.join(self.kinds)})"


class Group:
    """The resources of an inline nested deployment (a Bicep module), drawn as a box around them.

    `title` is the deployment's label in one line; `parent` the enclosing group's id ("" at the top).
    The deployment resource's own node is drawn inside its group.
    """

    __slots__ = ("id", "parent", "title")

    def __init__(self, group_id: str, title: str, parent: str) -> None:
        self.id = group_id
        self.title = title
        self.parent = parent

    def __repr__(self) -> str:
        return f"Group({self.id} {self.title!r} in {self.parent or '-'})"


class Graph:
    """Nodes in a stable order (declared resources in document order, then external ones sorted by
    type and name), groups in document order, edges sorted by their nodes' order."""

    __slots__ = ("edges", "groups", "nodes", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.groups: list[Group] = []

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def members(self, group_id: str) -> list[Node]:
        """The nodes drawn directly in a group ("" for the top level)."""
        return [node for node in self.nodes if node.group == group_id]

    def subgroups(self, group_id: str) -> list[Group]:
        return [group for group in self.groups if group.parent == group_id]


def short_type(resource_type: str) -> str:
    """The last segment of a resource type (`protectedItems`), or "resource" when it is unknown."""
    if not resource_type:
        return "resource"
    return resource_type.rstrip("/").rsplit("/", 1)[-1] or "resource"
