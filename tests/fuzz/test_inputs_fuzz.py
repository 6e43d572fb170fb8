"""Fuzzing the YAML inputs: the safe YAML reader, the schema and semantic checks, and the renderers.

Invariants:
* `parse_yaml` returns a document (every pointer locatable) or raises `YamlProblem` with a one-line
  message at a position inside the text; never another exception.
* `load_input` returns a usable input or raises `InputProblems`, each problem one line at
  `file:line:col`; never another exception.
* What a usable input renders is readable by our own readers: the ARM template and parameters file
  parse and build a model without problems, and the Bicep file parses without a syntax error. A
  generator that writes what its own linter cannot read is a bug.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from templategen.arm.document import parse_json
from templategen.arm.template import build_parameters, build_template, classify
from templategen.bicep import parse_bicep
from templategen.generate.outputs import render_outputs
from templategen.inputs.loader import load_input
from templategen.inputs.problems import InputProblems
from templategen.inputs.yamlload import YamlProblem, parse_yaml
from tests.fuzz import inputgen
from tests.fuzz.fuzzkit import FUZZ, example_files, mutate, mutation_plans, tally, watchdog

YAMLISH = st.lists(
    st.sampled_from(
        [
            "kind: ",
            "vmsnapshot-extension",
            "recovery-services-backup-vms",
            "vm:",
            "name: ",
            "os: ",
            "windows",
            "\n",
            "  ",
            "- ",
            ": ",
            "&a ",
            "*a",
            "[",
            "]",
            "{",
            "}",
            ",",
            "'",
            '"',
            "|",
            ">",
            "!!str ",
            "!!int ",
            "!!binary ",
            "!!python/object:os.system ",
            "!custom ",
            "<<: ",
            "? ",
            "---",
            "...",
            "%YAML 1.1\n",
            "%TAG ! tag:x:\n",
            "#",
            "~",
            "null",
            "true",
            "no",
            "05:30",
            "0o17",
            "0x1F",
            "1e3",
            ".inf",
            ".nan",
            "\t",
            "\x00",
            "\ufeff",
            "\x85",
            "\u2028",
            "é",
        ]
    ),
    max_size=50,
).map("".join)


def _lines(text: str) -> int:
    return len(text.splitlines()) + 1


def check_yaml_text(text: str) -> None:
    tally()
    with watchdog():
        try:
            document = parse_yaml(text, "fuzz.yaml")
        except YamlProblem as problem:
            assert len(problem.message.splitlines()) == 1, problem.message
            assert 1 <= problem.location.line <= _lines(text) + 1, (problem.location, text)
            assert problem.location.column >= 1
            return
        for pointer in document.spans:
            document.locate(pointer)
            document.locate_key(pointer)


@FUZZ
@given(st.text(max_size=120))
def test_arbitrary_text(text: str) -> None:
    check_yaml_text(text)


@FUZZ
@given(YAMLISH)
def test_yaml_like_token_soup(text: str) -> None:
    check_yaml_text(text)


def check_input_file(path: str) -> None:
    """load_input on a file, then render every output and read it back with our own readers."""
    tally()
    with watchdog():
        try:
            loaded = load_input(path)
        except InputProblems as exc:
            assert exc.problems
            for problem in exc.problems:
                line = problem.format()
                assert len(line.splitlines()) == 1, line
                assert line.startswith(f"{path}:{problem.location.line}:{problem.location.column}: ")
            return
        for warning in loaded.warnings:
            assert len(warning.format().splitlines()) == 1
        snippet_choices = [False, True] if loaded.kind == "vmsnapshot-extension" else [False]
        for snippet in snippet_choices:
            for output in render_outputs(loaded, None, "both", snippet):
                if output.path.endswith(".bicep"):
                    document = parse_bicep(output.content, output.path)
                    assert document.errors == [], (output.path, document.errors, output.content)
                    continue
                doc = parse_json(output.content, output.path)
                kind = classify(doc.data)
                if output.role == "template":
                    assert kind == "template"
                    assert build_template(doc).problems == [], output.content
                elif output.role == "parameters":
                    assert kind == "parameters"
                    assert build_parameters(doc).problems == [], output.content


@FUZZ
@given(inputgen.input_documents(), st.integers(0, 2))
def test_schema_guided_inputs(data: dict[str, object], style: int) -> None:
    text = inputgen.as_yaml(data, style)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "input.yaml")
        Path(path).write_text(text, encoding="utf-8")
        check_input_file(path)


EXAMPLES = example_files(".yaml")


@FUZZ
@given(st.sampled_from(EXAMPLES), st.sampled_from(EXAMPLES), mutation_plans())
def test_mutated_example_inputs(
    source: Path, donor: Path, plan: list[tuple[str, float, float, bytes]]
) -> None:
    data = mutate(source.read_bytes(), plan, donor.read_bytes())
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "input.yaml")
        Path(path).write_bytes(data)
        check_input_file(path)
