"""Small parsers for the subset of Mermaid and DOT that `templategen graph` emits.

They are deliberately strict: every line must match the grammar of that subset, every label is
decoded back to the text it stands for, and anything unexpected (an unescaped quote, a raw `<`, an
unbalanced brace, a duplicate id) is an error. Tests compare what they read back with the graph
model, so an escaping mistake shows as a difference, not as a rendering nobody looks at.
"""

from __future__ import annotations

import html
import re

# ----------------------------------------------------------------------------------------------------
# Mermaid

_ID = r"[A-Za-z][A-Za-z0-9_]*"
# A quoted label: no raw quote, no raw `<`/`>` except the `<br>` line breaks, no control characters.
_LABEL = r'"((?:[^"<>\x00-\x1f]|<br>)*)"'
_SHAPES = {"rectangle": (r"\[", r"\]"), "stadium": (r"\(\[", r"\]\)"), "rounded": (r"\(", r"\)")}
_NODES = {
    name: re.compile(rf"(?P<id>{_ID}){open_}{_LABEL}{close}") for name, (open_, close) in _SHAPES.items()
}
_EDGE = re.compile(
    rf"(?P<source>{_ID}) (?P<arrow>==>|-->|-\.->)(?:\|(?P<label>[A-Za-z, ]+)\|)? (?P<target>{_ID})"
)
_SUBGRAPH = re.compile(rf"subgraph (?P<id>{_ID})\[{_LABEL}\]")
_CLASSDEF = re.compile(
    rf"classDef (?P<name>{_ID}) (?P<style>[a-z-]+:[^ ,;]+(?: [^ ,;]+)?(?:,[a-z-]+:[^ ,;]+(?: [^ ,;]+)?)*)"
)
_CLASS = re.compile(rf"class (?P<ids>{_ID}(?:,{_ID})*) (?P<name>{_ID})")
_ENTITY = re.compile(r"#(\d+|[a-z]+);")
_ARROW_KINDS = {"==>": "parent", "-->": "dependsOn", "-.->": "reference"}


class Mermaid:
    """What a Mermaid flowchart of our subset says."""

    def __init__(self) -> None:
        self.direction = ""
        self.nodes: dict[str, tuple[str, list[str]]] = {}  # id -> (shape, label lines)
        self.node_group: dict[str, str] = {}
        self.groups: dict[str, tuple[str, str]] = {}  # id -> (title, parent group)
        self.edges: list[tuple[str, str, tuple[str, ...]]] = []  # (source, target, kinds)
        self.class_styles: dict[str, str] = {}
        self.classes: dict[str, str] = {}  # node id -> class
        self.comments: list[str] = []


def decode_mermaid(text: str) -> str:
    """A label's text as Mermaid shows it: entity codes (`#quot;`, `#35;`) decoded."""

    def entity(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.isdigit():
            return chr(int(code))
        decoded = html.unescape(f"&{code};")
        if decoded == f"&{code};":
            raise ValueError(f"unknown entity #{code};")
        return decoded

    return _ENTITY.sub(entity, text)


def label_lines(text: str) -> list[str]:
    if "#" in _ENTITY.sub("", text):
        raise ValueError(f"a raw '#' in a label starts an entity code: {text!r}")
    return [decode_mermaid(line) for line in text.split("<br>")]


def parse_mermaid(text: str) -> Mermaid:
    graph = Mermaid()
    if not text.endswith("\n"):
        raise ValueError("the output does not end with a newline")
    stack = [""]
    seen_ids: set[str] = set()
    for number, line in enumerate(text.split("\n")[:-1], start=1):
        stripped = line.strip()
        if line != line.rstrip():
            raise ValueError(f"line {number}: trailing whitespace")
        if stripped.startswith("%%"):
            if graph.direction:
                raise ValueError(f"line {number}: comment after the header")
            graph.comments.append(stripped)
            continue
        if not graph.direction:
            match = re.fullmatch(r"flowchart (LR|TB)", stripped)
            if not match:
                raise ValueError(f"line {number}: expected the flowchart header, got {line!r}")
            graph.direction = match.group(1)
            continue
        depth = len(stack) - 1 if stripped == "end" else len(stack)
        if line[: len(line) - len(line.lstrip())] != "    " * depth:
            raise ValueError(f"line {number}: indentation does not match the nesting: {line!r}")
        if stripped == "end":
            if len(stack) == 1:
                raise ValueError(f"line {number}: `end` without `subgraph`")
            stack.pop()
            continue
        match = _SUBGRAPH.fullmatch(stripped)
        if match:
            _new_id(match.group("id"), seen_ids, number)
            graph.groups[match.group("id")] = (" ".join(label_lines(match.group(2))), stack[-1])
            stack.append(match.group("id"))
            continue
        shaped = [(name, found) for name, pattern in _NODES.items() if (found := pattern.fullmatch(stripped))]
        if shaped:
            shape, match = shaped[0]
            node_id = match.group("id")
            _new_id(node_id, seen_ids, number)
            graph.nodes[node_id] = (shape, label_lines(match.group(2)))
            graph.node_group[node_id] = stack[-1]
            continue
        match = _EDGE.fullmatch(stripped)
        if match:
            for end in ("source", "target"):
                if match.group(end) not in graph.nodes:
                    raise ValueError(f"line {number}: edge to an undeclared node {match.group(end)}")
            primary = _ARROW_KINDS[match.group("arrow")]
            kinds = tuple(match.group("label").split(", ")) if match.group("label") else (primary,)
            if kinds[0] != primary:
                raise ValueError(f"line {number}: arrow style {primary} but first kind {kinds[0]}")
            graph.edges.append((match.group("source"), match.group("target"), kinds))
            continue
        match = _CLASSDEF.fullmatch(stripped)
        if match:
            graph.class_styles[match.group("name")] = match.group("style")
            continue
        match = _CLASS.fullmatch(stripped)
        if match:
            if match.group("name") not in graph.class_styles:
                raise ValueError(f"line {number}: class {match.group('name')} used before classDef")
            for node_id in match.group("ids").split(","):
                if node_id not in graph.nodes or node_id in graph.classes:
                    raise ValueError(f"line {number}: class for an unknown or already classed node {node_id}")
                graph.classes[node_id] = match.group("name")
            continue
        raise ValueError(f"line {number}: not in the emitted subset: {line!r}")
    if len(stack) != 1:
        raise ValueError("a subgraph is not closed")
    if not graph.direction:
        raise ValueError("no flowchart header")
    return graph


def _new_id(node_id: str, seen: set[str], number: int) -> None:
    if node_id.lower() in {"end", "graph", "subgraph", "flowchart", "style", "class", "classdef", "click"}:
        raise ValueError(f"line {number}: {node_id} is a Mermaid keyword")
    if node_id in seen:
        raise ValueError(f"line {number}: duplicate id {node_id}")
    seen.add(node_id)


# ----------------------------------------------------------------------------------------------------
# DOT

_TOKEN = re.compile(
    r'\s*(?:(?P<comment>//[^\n]*)|(?P<string>"(?:[^"\\\n]|\\.)*")|(?P<id>[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?)|(?P<arrow>->)|(?P<punct>[{}\[\];,=]))'
)


class Dot:
    """What a DOT digraph of our subset says."""

    def __init__(self) -> None:
        self.attributes: dict[str, str] = {}
        self.nodes: dict[str, dict[str, str]] = {}
        self.node_group: dict[str, str] = {}
        self.groups: dict[str, tuple[str, str]] = {}  # cluster id -> (label, parent)
        self.edges: list[tuple[str, str, dict[str, str]]] = []


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ValueError(f"unexpected text at offset {position}: {text[position : position + 20]!r}")
        position = match.end()
        kind = match.lastgroup
        assert kind is not None
        if kind != "comment":
            out.append((kind, match.group(kind)))
    return out


def dot_string(value: str) -> str:
    """An attribute value as Graphviz reads it: a quoted string unquoted (`\\"` and `\\\\`
    unescaped, other escapes kept for the label reader), an id as it is."""
    if not value.startswith('"'):
        return value
    return "".join(_dot_pieces(value))


def dot_label_lines(value: str) -> list[str]:
    """A quoted label's lines: split at `\\n`, `\\"` and `\\\\` unescaped; any other escape is an
    error (Graphviz would read it as `\\N`, `\\l`... and show something else than the text)."""
    lines = [""]
    for piece in _dot_pieces(value):
        if piece == "\\n":
            lines.append("")
        elif len(piece) == 2 and piece[0] == "\\":
            raise ValueError(f"an escape other than \\n in a label: {value!r}")
        else:
            lines[-1] += piece
    return lines


def _dot_pieces(token: str) -> list[str]:
    if not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"not a quoted string: {token!r}")
    body = token[1:-1]
    out = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            following = body[index + 1]
            out.append(following if following in '"\\' else "\\" + following)
            index += 2
        else:
            out.append(char)
            index += 1
    return out


def parse_dot(text: str) -> Dot:
    tokens = _tokens(text)
    graph = Dot()
    position = 0

    def take(kind: str | None = None, value: str | None = None) -> str:
        nonlocal position
        if position >= len(tokens):
            raise ValueError("unexpected end of the graph")
        token_kind, token = tokens[position]
        if (kind is not None and token_kind != kind) or (value is not None and token != value):
            raise ValueError(f"expected {value or kind}, got {token!r}")
        position += 1
        return token

    def peek() -> str:
        return tokens[position][1] if position < len(tokens) else ""

    def attributes() -> dict[str, str]:
        found: dict[str, str] = {}
        take("punct", "[")
        while peek() != "]":
            name = take("id")
            take("punct", "=")
            found[name] = tokens[position][1]
            take()
            if peek() == ",":
                take("punct", ",")
        take("punct", "]")
        return found

    def body(group: str) -> None:
        while peek() != "}":
            word = take("id")
            if word == "subgraph":
                cluster = take("id")
                if not cluster.startswith("cluster_") or cluster in graph.groups:
                    raise ValueError(f"bad or repeated cluster {cluster}")
                take("punct", "{")
                graph.groups[cluster] = ("", group)
                body(cluster)
                take("punct", "}")
                continue
            if word in ("node", "edge"):
                attributes()
                take("punct", ";")
                continue
            if peek() == "=":
                take("punct", "=")
                value = dot_string(tokens[position][1])
                take()
                if group:
                    graph.groups[group] = (
                        (value, graph.groups[group][1]) if word == "label" else graph.groups[group]
                    )
                else:
                    graph.attributes[word] = value
                take("punct", ";")
                continue
            if peek() == "->":
                take("arrow")
                target = take("id")
                for end in (word, target):
                    if end not in graph.nodes:
                        raise ValueError(f"edge to an undeclared node {end}")
                graph.edges.append((word, target, attributes()))
                take("punct", ";")
                continue
            if word in graph.nodes:
                raise ValueError(f"node {word} declared twice")
            graph.nodes[word] = attributes()
            graph.node_group[word] = group
            take("punct", ";")

    take("id", "digraph")
    take("id")
    take("punct", "{")
    body("")
    take("punct", "}")
    if position != len(tokens):
        raise ValueError("text after the graph")
    return graph
