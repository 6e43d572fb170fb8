"""The report/config/suppression code is on `templategen lint`'s start-up path: it must not load
typing, dataclasses, pathlib, argparse, click, yaml, jsonschema, jinja2, tree_sitter or azure, and must
not parse TOML for a pyproject.toml that has no templategen table. Checked in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FORBIDDEN = (
    "typing",
    "dataclasses",
    "enum",
    "pathlib",
    "argparse",
    "click",
    "yaml",
    "jsonschema",
    "jinja2",
    "tree_sitter",
    "azure",
    "tomllib",
    "tomli",
    "xml",
    "hashlib",
)

SCRIPT = r"""
import json, os, re, sys
baseline = set(sys.modules)
from templategen.config import Selection, resolve_config
from templategen.diagnostics import Diagnostic, Location
from templategen.lint.result import LintResult
from templategen.report import RenderOptions, render
from templategen.report.source import SourceLines
from templategen.rules import all_rules
from templategen.suppressions import parse_bicep_directives, suppressed_at

config = resolve_config()
selection = Selection(all_rules(), config)
lines = SourceLines()
lines.add("a.json", '{\n\t"location": "westeurope",\n  "name": "日本"\n}\n')
found = [
    Diagnostic("TG401", "no-hardcoded-location", "warning", "m", Location("a.json", 2, 15, 2, 27, "/x")),
    Diagnostic("TG102", "x", "error", "m", Location("a.json", 3, 12, 3, 14, "/name")),
]
result = LintResult(selection.apply(found), ["a.json"])
text = render(result, "text", RenderOptions(source_line=lines, color=True))
render(result, "github")
parse_bicep_directives("// templategen-disable-next-line TG401\nparam a string = 'x'\n")
template = {"resources": [{"metadata": {"templategen": {"ignore": ["TG4"]}}}]}
suppressed_at(template, "/resources/0", "TG401", "x")
print(json.dumps({"new": sorted(set(sys.modules) - baseline), "config": config.path}))
"""


def run_in(folder: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=folder, capture_output=True, text=True, check=True
    )
    data: dict[str, object] = json.loads(done.stdout)
    return data


def loaded(new: object, name: str) -> bool:
    assert isinstance(new, list)
    return any(module == name or module.startswith(name + ".") for module in new)


def test_no_heavy_imports_without_a_configuration(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.ruff]\nline-length = 100\n')
    data = run_in(tmp_path)
    assert data["config"] is None
    assert [name for name in FORBIDDEN if loaded(data["new"], name)] == []


def test_yaml_only_when_a_yaml_configuration_exists(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".templategen.yaml").write_text("ignore: [TG7]\n")
    data = run_in(tmp_path)
    assert data["config"] == str(tmp_path / ".templategen.yaml")
    assert loaded(data["new"], "yaml")
    assert [name for name in FORBIDDEN if name != "yaml" and loaded(data["new"], name)] == []
