"""The README's resource graph is the tool's current output for the backup example: it cannot go stale."""

from __future__ import annotations

import re

from templategen.graph.render import render

from .helpers import EXAMPLES, REPO, graph_of
from .syntax import parse_mermaid


def readme_graph() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Resource graph\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", section, flags=re.DOTALL | re.MULTILINE)
    assert len(blocks) == 1, "the Resource graph section shows one Mermaid graph"
    return blocks[0]


def test_readme_graph_is_the_tools_output_for_the_backup_example() -> None:
    assert readme_graph() == render(graph_of(EXAMPLES / "backup-vms-quickstart.json"))


def test_readme_graph_reads_vault_policy_items_vms() -> None:
    parsed = parse_mermaid(readme_graph())
    title = {node_id: lines[0] for node_id, (_shape, lines) in parsed.nodes.items()}
    chain = [(title[s], title[t]) for s, t, _kinds in parsed.edges]
    assert ("vaults", "backupPolicies") in chain
    assert ("backupPolicies", "protectedItems ×2") in chain
    assert ("protectedItems ×2", "virtualMachines ×2") in chain
