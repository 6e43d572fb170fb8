"""Fuzzing the JSON reader: arbitrary bytes, JSON-like text and mutated corpus files.

Invariants: the reader returns a document or raises InputError with a one-line message and a position
inside the text, never another exception. Whatever stdlib json (non-strict, without NaN/Infinity)
accepts, the reader accepts with the same data. Every value of an accepted document can be located.
The normal suite runs a short campaign; `make fuzz` sets TEMPLATEGEN_FUZZ_EXAMPLES for a long one
(see tests/fuzz/fuzzkit.py).
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from templategen.arm.document import JsonDocument, join_pointer, parse_json, parse_json_bytes
from templategen.diagnostics import InputError
from tests.conftest import shared_dir
from tests.fuzz.fuzzkit import FUZZ, tally, watchdog

JSONISH = st.text(alphabet="{}[]\",:0123456789-+.eE truefalsn/\\*\n\r\t\x00u'", max_size=80)


def _reject(name: str) -> object:
    raise ValueError(name)


def stdlib_reads(text: str) -> tuple[bool, object]:
    """Whether stdlib json (non-strict, no NaN/Infinity) reads `text`, and what it returns."""
    try:
        return True, json.loads(text, strict=False, parse_constant=_reject)
    except (ValueError, RecursionError):
        return False, None


def pointers(value: object, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(pointers(child, join_pointer(pointer, key)))
    elif isinstance(value, list):
        for number, child in enumerate(value):
            found.extend(pointers(child, join_pointer(pointer, number)))
    return found


def check(read: object, text: str | None) -> JsonDocument | None:
    """Run one read (a zero-argument callable) and check the invariants; return the document if any."""
    tally()
    try:
        with watchdog():
            doc = read()  # type: ignore[operator]
    except InputError as error:
        assert error.location is not None
        assert "\n" not in error.message and "\r" not in error.message
        assert error.location.line >= 1 and error.location.column >= 1
        if text is not None:
            lines = re.split("\r\n|\r|\n", text)
            assert error.location.line <= len(lines)
            assert error.location.column <= len(lines[error.location.line - 1]) + 1
            accepted, _ = stdlib_reads(text.removeprefix("\ufeff"))
            assert not accepted, f"stdlib json reads what we refused: {error}"
        return None
    assert isinstance(doc, JsonDocument)
    if text is not None:
        accepted, data = stdlib_reads(doc.text)
        if accepted:
            assert doc.data == data
    for pointer in pointers(doc.data):
        loc = doc.locate(pointer)
        assert 1 <= loc.line <= loc.end_line
        doc.locate_key(pointer)
    doc.duplicate_keys()
    return doc


@FUZZ
@given(st.binary(max_size=200))
def test_arbitrary_bytes(data: bytes) -> None:
    check(lambda: parse_json_bytes(data, "fuzz.json"), None)


@FUZZ
@given(JSONISH)
def test_json_like_text(text: str) -> None:
    check(lambda: parse_json(text, "fuzz.json"), text)


@FUZZ
@given(st.text(max_size=60))
def test_arbitrary_text(text: str) -> None:
    check(lambda: parse_json(text, "fuzz.json"), text)


def _small_corpus_files() -> list[str]:
    corpus = shared_dir() / "corpus" / "quickstarts"
    if not corpus.is_dir():
        return []
    chosen = sorted(str(p) for p in corpus.rglob("*.json") if p.stat().st_size < 3000)
    lenient = sorted(str(p) for p in (corpus / "invalid-json").rglob("*.json"))
    return chosen[::40] + lenient[:6]


SMALL_FILES = _small_corpus_files()
MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "insert", "replace"]),
        st.floats(0, 1, exclude_max=True),
        st.sampled_from([*'{}[]",:/*\\\n\x00 -0e', "\xe9", "//", "/*", "\ufeff"]),
    ),
    min_size=1,
    max_size=4,
)


@pytest.mark.skipif(not SMALL_FILES, reason="shared corpus not found")
@FUZZ
@given(st.sampled_from(SMALL_FILES or ["-"]), MUTATIONS)
def test_mutated_corpus_files(path: str, mutations: list[tuple[str, float, str]]) -> None:
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    for action, where, piece in mutations:
        at = int(where * len(text))
        if action == "delete":
            text = text[:at] + text[at + 1 :]
        elif action == "insert":
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + piece + text[at + 1 :]
    check(lambda: parse_json(text, "mutant.json"), text)
    check(lambda: parse_json_bytes(text.encode("utf-8", "surrogatepass"), "mutant.json"), None)
