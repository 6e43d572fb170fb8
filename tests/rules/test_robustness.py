"""No rule crashes on damaged templates: real corpus templates with members swapped for values of
the wrong JSON type, odd expressions and renamed keys must give findings, never TG000."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

from templategen.lint.api import lint_paths
from templategen.lint.options import LintOptions

ODD_VALUES: list[object] = [
    None,
    1,
    -5,
    True,
    "",
    "x",
    "[",
    "[]",
    "[concat(]",
    "[parameters()]",
    "[variables(1)]",
    "[copyIndex('')]",
    "[resourceId()]",
    "[format('{0}/{9}', 'a')]",
    [],
    {},
    [1, "a"],
    {"a": 1},
    "a/b/c/d",
    "[if(true(), variables('x'))]",
    "[lambda('x')]",
    "[lambdaVariables()]",
    "[reference('x').outputs.a.value]",
    "[listKeys()]",
    "[variables('v')[0]]",
    "[variables('self')]",
    "[parameters(concat('a'))]",
    "[[x]",
    "?sv=2020-01-01&se=2030-01-01&sig=" + "A" * 30,
]


def _mutate(node: object, rng: random.Random) -> None:
    if isinstance(node, dict):
        for key in list(node):
            roll = rng.random()
            if roll < 0.05:
                node[key] = copy.deepcopy(rng.choice(ODD_VALUES))
            elif roll < 0.07:
                node[key.upper()] = node.pop(key)
            else:
                _mutate(node[key], rng)
    elif isinstance(node, list):
        for index in range(len(node)):
            if rng.random() < 0.05:
                node[index] = copy.deepcopy(rng.choice(ODD_VALUES))
            else:
                _mutate(node[index], rng)


def test_damaged_corpus_templates_never_crash_a_rule(shared: Path, tmp_path: Path) -> None:
    corpus = shared / "corpus" / "quickstarts" / "quickstarts"
    sources = sorted(corpus.rglob("azuredeploy.json"))
    rng = random.Random(20261125)
    paths = []
    for number, source in enumerate(rng.sample(sources, 80)):
        data = json.loads(source.read_text(encoding="utf-8-sig"))
        _mutate(data, rng)
        if isinstance(data, dict) and isinstance(data.get("variables"), dict):
            data["variables"]["self"] = "[variables('self')]"  # a variable that reads itself
        path = tmp_path / f"{number}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(str(path))
    parameters = tmp_path / "p.json"
    parameters.write_text(json.dumps({"contentVersion": "1.0.0.0", "parameters": {"a": {"value": [1]}}}))
    result = lint_paths(paths, LintOptions(isolated=True, parameters=[str(parameters)]))
    crashes = [f"{d.location.path}: {d.message}" for d in result.diagnostics if d.rule_id == "TG000"]
    assert crashes == []
    assert len(result.diagnostics) > 100  # the damage is found, not ignored
