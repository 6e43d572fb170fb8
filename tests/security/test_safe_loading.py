"""Safe loading: YAML never builds objects, no input reaches a file outside its project, and nothing
the tool reads is ever executed.

* YAML (inputs, `.templategen.yaml`): only a safe loader; `!!python/...` and other object tags are
  refused with a message, and the command they name never runs (a marker file proves it).
* Files named inside inputs: the YAML input kinds name no file (checked against the schemas, so a
  new field that does fails here first). Bicep does: local modules and `loadTextContent` /
  `loadJsonContent` / `loadFileAsBase64` targets are read only inside the project folder
  (templategen/bicep/paths.py), within Bicep's own size limits, and `TEMPLATEGEN_BICEP_ROOT` widens it.
* Never executed: the package's source has no `eval`, `exec`, `compile`, pickle,
  marshal, shelve, subprocess, `os.system`/`popen`/`exec*`/`spawn*` or unsafe YAML loading; the few
  dynamic imports name modules from constant tables, and the one `os.fork` parses Bicep in a child.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest

from templategen.bicep import load_bicep_file
from tests.conftest import REPO
from tests.fuzz.fuzzkit import run_cli

# --- YAML: safe loader only ----------------------------------------------------------------------

TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!binary aGVsbG8=",
    "!custom {x: 1}",
]


@pytest.mark.parametrize("tag", TAGS)
def test_object_tags_in_an_input_are_refused(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "input.yaml"
    path.write_text(
        "kind: vmsnapshot-extension\ntags: " + tag.replace("{marker}", str(marker)) + "\n", encoding="utf-8"
    )
    for argv in (["generate", str(path), "-o", str(tmp_path / "out")], ["lint", "-f", "json", str(path)]):
        ran = run_cli(argv)
        assert ran.code == 2, ran
        shown = tag.split(" ")[0]
        assert f"tag {shown} is not allowed in templategen inputs" in ran.out + ran.err, ran
    assert not marker.exists()


@pytest.mark.parametrize("tag", TAGS[:4])
def test_object_tags_in_the_configuration_are_refused(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / ".templategen.yaml").write_text(
        "select: " + tag.replace("{marker}", str(marker)) + "\n", "utf-8"
    )
    (tmp_path / "t.json").write_text(json.dumps({"$schema": SCHEMA, "resources": []}), encoding="utf-8")
    ran = run_cli(["lint", "t.json"], cwd=tmp_path)
    assert ran.code == 2, ran
    assert ran.err.startswith(
        f"templategen lint: error: {tmp_path / '.templategen.yaml'}:1:9: invalid YAML: "
    )
    assert "could not determine a constructor for the tag" in ran.err
    assert not marker.exists()


def test_input_kinds_name_no_file() -> None:
    """No input field is a path: were one added, it would need the same confinement as Bicep's."""
    found: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            for key in properties if isinstance(properties, dict) else []:
                if any(word in key.lower() for word in ("file", "path", "dir", "folder")):
                    found.append(f"{where}/{key}")
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    for schema in sorted((REPO / "schemas").glob("input-*.schema.json")):
        walk(json.loads(schema.read_text(encoding="utf-8")), schema.name)
    assert found == []


# --- Bicep: files outside the project are never read --------------------------------------------

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
SECRET = "OUTSIDE-THE-PROJECT-7f3a"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """tmp/project (a git checkout: `.git` marks its root) and tmp/secret.txt outside it."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "infra" / "modules").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "outside.bicep").write_text(f"output leaked string = '{SECRET}'\n", encoding="utf-8")
    (root / "infra" / "modules" / "inner.bicep").write_text("output ok string = 'inside'\n", "utf-8")
    (root / "infra" / "script.sh").write_text("echo inside\n", encoding="utf-8")
    return root


def convert(root: Path, text: str) -> tuple[list[str], str]:
    path = root / "infra" / "main.bicep"
    path.write_text(text, encoding="utf-8")
    document = load_bicep_file(str(path))
    data = json.dumps(document.data)
    return [message for _, message in document.problems], data


def test_load_functions_stay_inside_the_project(project: Path) -> None:
    relative = os.path.relpath(project.parent / "secret.txt", project / "infra")
    problems, data = convert(
        project,
        f"var a = loadTextContent('{relative}')\n"
        "var b = loadTextContent('/etc/passwd')\n"
        f"var c = loadFileAsBase64('{relative}')\n"
        f"var d = loadJsonContent('{relative}')\n"
        "var e = loadTextContent('script.sh')\n"
        f"var f = loadYamlContent('{relative}')\n"
        "var g = loadDirectoryFileInfo('../..')\n",
    )
    root = os.path.realpath(project)
    assert problems == [
        f"loadTextContent(): '{relative}' is outside the project folder {root} "
        "(set TEMPLATEGEN_BICEP_ROOT to allow it); not read",
        "loadTextContent(): '/etc/passwd' is outside the project folder "
        f"{root} (set TEMPLATEGEN_BICEP_ROOT to allow it); not read",
        f"loadFileAsBase64(): '{relative}' is outside the project folder {root} "
        "(set TEMPLATEGEN_BICEP_ROOT to allow it); not read",
        f"loadJsonContent(): '{relative}' is outside the project folder {root} "
        "(set TEMPLATEGEN_BICEP_ROOT to allow it); not read",
        f"loadYamlContent(): '{relative}' is outside the project folder {root} "
        "(set TEMPLATEGEN_BICEP_ROOT to allow it); not read",
        f"loadDirectoryFileInfo(): '../..' is outside the project folder {root} "
        "(set TEMPLATEGEN_BICEP_ROOT to allow it); not read",
    ]
    assert SECRET not in data and "root:" not in data and "secret.txt" not in data
    assert "echo inside" in data  # inside the project: read as the compiler would


def test_modules_stay_inside_the_project(project: Path) -> None:
    problems, data = convert(
        project,
        "module inner 'modules/inner.bicep' = { name: 'inner' }\n"
        "module outside '../../outside.bicep' = { name: 'outside' }\n",
    )
    root = os.path.realpath(project)
    assert problems == [
        f"module '../../outside.bicep' is outside the project folder {root} "
        "(set TEMPLATEGEN_BICEP_ROOT to allow it); not read"
    ]
    assert SECRET not in data and "inside" in data


def test_a_symlink_inside_the_project_pointing_out_is_outside(project: Path) -> None:
    (project / "infra" / "link.txt").symlink_to(project.parent / "secret.txt")
    (project / "infra" / "zero.txt").symlink_to("/dev/zero")
    problems, data = convert(
        project, "var a = loadTextContent('link.txt')\nvar z = loadTextContent('zero.txt')\n"
    )
    assert [message.split(" is outside")[0] for message in problems] == [
        "loadTextContent(): 'link.txt'",
        "loadTextContent(): 'zero.txt'",
    ]
    assert SECRET not in data


def test_the_root_can_be_widened(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMPLATEGEN_BICEP_ROOT", str(project.parent))
    problems, data = convert(project, "var a = loadTextContent('../../secret.txt')\n")
    assert problems == [] and SECRET in data


def test_files_larger_than_bicep_allows(project: Path) -> None:
    (project / "infra" / "big.txt").write_text("x" * 131_073, encoding="utf-8")
    (project / "infra" / "ok.txt").write_text("é" * 131_072, encoding="utf-8")  # characters, not bytes
    (project / "infra" / "big.bin").write_bytes(b"\0" * (96 * 1024 + 1))
    problems, data = convert(
        project,
        "var a = loadTextContent('big.txt')\n"
        "var b = loadFileAsBase64('big.bin')\n"
        "var c = loadTextContent('ok.txt')\n",
    )
    assert problems == [
        "loadTextContent(): big.txt is larger than Bicep allows (131,072 characters)",
        "loadFileAsBase64(): big.bin is larger than Bicep allows (98,304 bytes)",
    ]
    assert "éé" in json.loads(data)["variables"]["c"]


def test_lint_reports_it_where_the_path_is_written(project: Path) -> None:
    path = project / "infra" / "main.bicep"
    path.write_text("var a = loadTextContent('/etc/passwd')\noutput a string = a\n", encoding="utf-8")
    ran = run_cli(["lint", "-f", "json", str(path)], cwd=project)
    findings = json.loads(ran.out)["diagnostics"]
    outside = [d for d in findings if "outside the project folder" in d["message"]]
    assert [(d["rule"], d["line"], d["column"]) for d in outside] == [("TG005", 1, 9)]
    assert "root:" not in ran.out


# --- nothing is executed -------------------------------------------------------------------------

FORBIDDEN_CALLS = {"eval", "exec", "compile", "execfile"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "marshal", "shelve", "subprocess", "runpy", "ctypes", "dill"}
FORBIDDEN_ATTRIBUTES = {
    ("os", "system"),
    ("os", "popen"),
    ("os", "execv"),
    ("os", "execve"),
    ("os", "execvp"),
    ("os", "execl"),
    ("os", "spawnv"),
    ("os", "spawnl"),
    ("os", "posix_spawn"),
    ("yaml", "load"),
    ("yaml", "load_all"),
    ("yaml", "unsafe_load"),
    ("yaml", "full_load"),
    ("yaml", "Loader"),
    ("yaml", "FullLoader"),
    ("yaml", "UnsafeLoader"),
    ("jinja2", "Template"),
}
#: Allowed dynamic behaviour, each with why it cannot run what a file says.
ALLOWED = {
    ("templategen/commands/__init__.py", "import_module"): "command modules from the COMMANDS table",
    ("templategen/rules/__init__.py", "import_module"): "rule modules from RULE_MODULES",
    ("templategen/rules/__init__.py", "__import__"): "rule modules from RULE_MODULES (cheaper start-up)",
    ("templategen/report/__init__.py", "__import__"): "report modules named by the --format choices",
    ("templategen/rules/indexgen.py", "__import__"): "rule modules from RULE_MODULES (index generator)",
    ("templategen/arm/evaluate.py", "__import__"): "function families from the fixed name -> module table",
    ("templategen/deploy/request.py", "import_module"): "the JSON reader, by its fixed name",
    ("templategen/bicep/syntax.py", "fork"): "the child only parses Bicep, then exits (bounded time)",
}


def test_the_package_never_executes_what_it_reads() -> None:
    problems: list[str] = []
    dynamic: set[tuple[str, str]] = set()
    for path in sorted((REPO / "templategen").rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in FORBIDDEN_CALLS:
                    problems.append(f"{relative}:{node.lineno}: {node.func.id}()")
                if node.func.id == "__import__":
                    dynamic.add((relative, "__import__"))
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = (
                    [alias.name for alias in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for name in names:
                    if name.split(".")[0] in FORBIDDEN_MODULES:
                        problems.append(f"{relative}:{node.lineno}: import {name}")
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if (node.value.id, node.attr) in FORBIDDEN_ATTRIBUTES:
                    problems.append(f"{relative}:{node.lineno}: {node.value.id}.{node.attr}")
                if node.attr in ("import_module", "fork"):
                    dynamic.add((relative, node.attr))
    assert problems == []
    assert dynamic <= set(ALLOWED), dynamic - set(ALLOWED)


def test_bicep_templates_render_only_our_own_jinja_files() -> None:
    """Input values are passed to our templates as data, never compiled as templates themselves."""
    source = (REPO / "templategen" / "generate" / "bicep.py").read_text(encoding="utf-8")
    assert "from_string" not in source and 'FileSystemLoader(data_dir("templates"))' in source.replace(
        "'", '"'
    )
