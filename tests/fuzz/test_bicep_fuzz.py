"""Fuzzing the Bicep reader: arbitrary text, Bicep-like token soup, and mutated real Bicep files.

Invariants: `parse_bicep` returns a document or raises `InputError` (only for its bounds: nesting,
parse time), never another exception; a syntax error is one line with a position inside the file; every
problem has a position; the model builds from the converted data, every pointer of the data can be
located, and the whole template evaluates (tests/fuzz/test_expression_fuzz.py) without an exception.
Mutated corpus files keep their folder, so the local modules and `loadTextContent` files they name
are read for real.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from templategen.arm.evaluate import Evaluator
from templategen.arm.names import join_pointer
from templategen.arm.template import build_template
from templategen.bicep import parse_bicep
from templategen.bicep.document import decode_bicep
from templategen.diagnostics import InputError, Location
from tests.fuzz.fuzzkit import (
    FUZZ,
    corpus_files,
    example_files,
    mutate,
    mutation_plans,
    tally,
    watchdog,
)
from tests.fuzz.test_expression_fuzz import evaluate_everything


def _pointers(value: object, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_pointers(child, join_pointer(pointer, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_pointers(child, join_pointer(pointer, index)))
    return found


def _check_location(location: Location, texts: dict[str, str]) -> None:
    assert location.line >= 1 and location.column >= 1, location
    text = texts.get(location.path)
    if text is not None:
        assert location.line <= text.count("\n") + 1, location


def check_bicep(text: str, path: str = "fuzz.bicep", directory: str | None = None) -> None:
    tally()
    with watchdog():
        try:
            document = parse_bicep(text, path, directory)
        except InputError as error:  # the bounds: nesting, parse time
            assert error.message.startswith(
                ("nested deeper than", "Bicep file nested too deeply", "the Bicep parser did not finish")
            ), error
            assert error.location is not None and error.location.line >= 1
            return
        texts = document.files
        for message, location in document.errors:
            assert len(message.splitlines()) == 1, message
            _check_location(location, texts)
        for location, message in document.problems:
            assert len(message.splitlines()) == 1, message
            _check_location(location, texts)
        for pointer in _pointers(document.data):
            document.locate(pointer)
            document.locate_key(pointer)
        model = build_template(document)
        evaluate_everything(model, Evaluator(model))


BICEPISH = st.lists(
    st.sampled_from(
        [
            "param ",
            "var ",
            "resource ",
            "module ",
            "output ",
            "targetScope = ",
            "type ",
            "func ",
            "import ",
            "metadata ",
            "existing",
            "@secure()",
            "@description('d')",
            "@batchSize(2)",
            "x",
            "y",
            "vm",
            " ",
            "\n",
            "\r\n",
            "\t",
            "string",
            "int",
            "object",
            "array",
            "bool",
            "'Microsoft.Compute/virtualMachines/extensions@2024-07-01'",
            "'./m.bicep'",
            "'br:x/y:1'",
            "=",
            "{",
            "}",
            "[",
            "]",
            "(",
            ")",
            ",",
            ":",
            ".",
            "?",
            "??",
            "!",
            "&&",
            "||",
            "==",
            "!=",
            "<",
            ">",
            "+",
            "-",
            "*",
            "/",
            "%",
            "=>",
            "...",
            "|",
            "'",
            "''",
            "'${",
            "${x}",
            "'''",
            "for ",
            " in ",
            "range(0, 3)",
            "if ",
            "true",
            "false",
            "null",
            "0",
            "-1",
            "99999999999999999999",
            "name: ",
            "properties: ",
            "parent: ",
            "scope: ",
            "dependsOn: ",
            "location: ",
            "params: ",
            "loadTextContent('x.txt')",
            "loadJsonContent('x.json')",
            "resourceGroup()",
            "concat(",
            "//",
            "/*",
            "*/",
            "#disable-next-line",
            "\x00",
            "\ufeff",
            "é",
        ]
    ),
    max_size=60,
).map("".join)


@FUZZ
@given(st.text(max_size=200))
def test_arbitrary_text(text: str) -> None:
    check_bicep(text)


@FUZZ
@given(BICEPISH)
def test_bicep_like_token_soup(text: str) -> None:
    check_bicep(text)


@FUZZ
@given(st.binary(max_size=200))
def test_arbitrary_bytes_decode_or_give_a_position(data: bytes) -> None:
    """The decoding step: text, or an InputError with a position."""
    try:
        text = decode_bicep(data, "fuzz.bicep")
    except InputError as error:
        assert error.location is not None and error.location.line >= 1
        tally()
        return
    check_bicep(text)


SEEDS = [*corpus_files(".bicep", 6000, 3), *example_files(".bicep")]


@pytest.mark.skipif(not SEEDS, reason="no Bicep files found")
@FUZZ
@given(st.sampled_from(SEEDS or [Path("-")]), st.sampled_from(SEEDS or [Path("-")]), mutation_plans())
def test_mutated_bicep_files(path: Path, donor: Path, plan: list[tuple[str, float, float, bytes]]) -> None:
    data = mutate(path.read_bytes(), plan, donor.read_bytes())
    try:
        text = decode_bicep(data, str(path))
    except InputError:
        tally()
        return
    check_bicep(text, str(path), os.path.dirname(path))
