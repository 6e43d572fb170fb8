"""Every template and parameters file of the shared corpus is read, and its positions are right.

The corpus (real files by Microsoft's authors) has CRLF files, big files, escapes, one repeated key and
25 lenient files under `invalid-json/`. For a sample of pointers in each file, the Location is turned
back into an offset with this test's own line splitting, and stdlib json re-parses the value found
there. `index.tsv` (written when the corpus was collected, by other code) says which files hold
comments, trailing commas and multi-line strings: the leniencies we record must agree.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from templategen.arm.document import JsonDocument, join_pointer, load_json_file
from templategen.diagnostics import Location
from tests.arm.textpos import line_starts
from tests.conftest import shared_dir

SAMPLE = 40  # pointers checked per file, besides the root and the last leaf


def corpus_rows() -> list[dict[str, str]]:
    index = shared_dir() / "corpus" / "index.tsv"
    if not index.is_file():
        return []
    with open(index, encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["kind"] != "bicep"]


ROWS = corpus_rows()


def all_pointers(value: object, pointer: str = "") -> list[tuple[str, object]]:
    found = [(pointer, value)]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(all_pointers(child, join_pointer(pointer, key)))
    elif isinstance(value, list):
        for number, child in enumerate(value):
            found.extend(all_pointers(child, join_pointer(pointer, number)))
    return found


def check_value_location(
    doc: JsonDocument, starts: list[int], pointer: str, value: object, strict: bool
) -> None:
    loc = doc.locate(pointer)
    assert loc.path == doc.path and loc.pointer == pointer
    start = starts[loc.line - 1] + loc.column - 1
    end = starts[loc.end_line - 1] + loc.end_column - 1
    first = doc.text[start]
    if isinstance(value, dict):
        assert first == "{" and doc.text[end - 1] == "}", pointer
    elif isinstance(value, list):
        assert first == "[" and doc.text[end - 1] == "]", pointer
    elif isinstance(value, str):
        assert first == '"', pointer
    elif value is None or isinstance(value, bool):
        assert doc.text[start:end] == json.dumps(value), pointer
    else:
        assert first in "-0123456789", pointer
    if strict or not isinstance(value, (dict, list)):  # lenient containers may hold comments
        parsed, stop = json.JSONDecoder(strict=False).raw_decode(doc.text, start)
        assert parsed == value and stop == end, pointer


def check_key_location(doc: JsonDocument, starts: list[int], pointer: str) -> None:
    loc = doc.locate_key(pointer)
    start = starts[loc.line - 1] + loc.column - 1
    end = starts[loc.end_line - 1] + loc.end_column - 1
    key = pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
    assert json.loads(doc.text[start:end], strict=False) == key, pointer


@pytest.mark.skipif(not ROWS, reason="shared corpus not found")
def test_every_corpus_json_file_is_read_with_right_positions(shared: Path) -> None:
    quickstarts = shared / "corpus" / "quickstarts"
    checked = lenient_files = 0
    for row in ROWS:
        path = str(quickstarts / row["path"])
        doc = load_json_file(path)
        strict = row["json"] == "strict"
        if strict:
            assert doc.data == json.loads(doc.text), row["path"]
        kinds = [kind for kind, _ in doc.leniencies]
        assert kinds.count("comment") == int(row["comments"]), row["path"]
        assert kinds.count("trailing-comma") == int(row["trailing_commas"]), row["path"]
        assert ("control-char" in kinds) == (int(row["multiline_strings"]) > 0), row["path"]
        assert (not kinds) == strict, row["path"]
        lenient_files += not strict

        starts = line_starts(doc.text)
        pointers = all_pointers(doc.data)
        chooser = random.Random(row["path"])
        sample = [pointers[0], pointers[-1]]  # the root and the last leaf (the walk's longest path)
        sample += chooser.sample(pointers, min(SAMPLE, len(pointers)))
        for pointer, value in sample:
            check_value_location(doc, starts, pointer, value, strict)
            if pointer and not pointer.rsplit("/", 1)[1].isdigit():
                check_key_location(doc, starts, pointer)
            checked += 1
    assert lenient_files == 25
    assert checked > 50_000


@pytest.mark.skipif(not ROWS, reason="shared corpus not found")
def test_every_value_of_every_strict_corpus_file_is_located(shared: Path) -> None:
    """Not a sample: each of the ~300,000 values of the strict files, re-parsed where it is located."""
    quickstarts = shared / "corpus" / "quickstarts"
    decoder = json.JSONDecoder()
    located = 0
    for row in ROWS:
        if row["json"] != "strict":
            continue
        doc = load_json_file(str(quickstarts / row["path"]))
        starts = line_starts(doc.text)
        for pointer, value in all_pointers(doc.data):
            loc = doc.locate(pointer)
            start = starts[loc.line - 1] + loc.column - 1
            end = starts[loc.end_line - 1] + loc.end_column - 1
            assert decoder.raw_decode(doc.text, start) == (value, end), (row["path"], pointer)
            located += 1
    assert located > 250_000


@pytest.mark.skipif(not ROWS, reason="shared corpus not found")
def test_the_corpus_file_with_a_repeated_key(shared: Path) -> None:
    """MANIFEST.md of the corpus counts one file with a repeated key; we find that one and no other."""
    quickstarts = shared / "corpus" / "quickstarts"
    repeats = {}
    for row in ROWS:
        doc = load_json_file(str(quickstarts / row["path"]))
        if doc.duplicate_keys():
            repeats[row["path"]] = doc
    assert len(repeats) == 1
    ((path, doc),) = repeats.items()
    assert path.endswith("yash-datalake/nested/streamAnalytics.json")
    assert doc.duplicate_keys() == ["/variables"]
    # both spellings, by line in the file (checked with grep: lines 60 and 452)
    assert [loc.line for loc in doc.duplicate_key_locations("/variables")] == [60, 452]
    assert doc.locate_key("/variables") == Location(doc.path, 452, 3, 452, 14, "/variables")
    # the data holds the second object, and positions follow it
    variables = doc.data["variables"]  # type: ignore[index]
    assert isinstance(variables, dict)
    for name in variables:
        assert doc.locate(join_pointer("/variables", name)).line > 452
