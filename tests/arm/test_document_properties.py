"""Property tests of the reader: arbitrary JSON, written by stdlib `json.dumps`, then made lenient.

For any value, serialized compactly or indented (LF or CRLF), with comments and trailing commas
inserted at random token boundaries, the reader must return the same data, and the Location of every
pointer must lead (through the test's own line splitting) to the text where stdlib json re-parses that
very value. The test keeps a copy of the text where its insertions are blanked out, so stdlib json can
read the containers too; the offsets of both copies are the same by construction.
"""

from __future__ import annotations

import json
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templategen.arm.document import JsonDocument, join_pointer, parse_json
from tests.arm.textpos import line_starts

# `make fuzz` sets TEMPLATEGEN_FUZZ_EXAMPLES for a long campaign; the normal suite runs a short one.
EXAMPLES = settings(
    max_examples=int(os.environ.get("TEMPLATEGEN_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Strings may hold anything, lone surrogates included (json.dumps escapes them as \udXXX).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | ANY_TEXT
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(ANY_TEXT, children, max_size=5),
    max_leaves=25,
)

COMMENTS = [
    "/* c */",
    "/**/",
    '/* "q" ] } { [ , : \\ */',
    '// line " ] } {\n',
    "/* multi\nline\r\n*/",
    "//\n",
    "/* ** / * */",
    "// crlf\r\n",
]
TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^{}\[\],:\s"]+|\s+')


def all_pointers(
    value: object, pointer: str = "", key: str | None = None
) -> list[tuple[str, object, str | None]]:
    """(pointer, value, key of the member or None) for every value, the root first."""
    found = [(pointer, value, key)]
    if isinstance(value, dict):
        for name, child in value.items():
            found.extend(all_pointers(child, join_pointer(pointer, name), name))
    elif isinstance(value, list):
        for number, child in enumerate(value):
            found.extend(all_pointers(child, join_pointer(pointer, number)))
    return found


def check_every_pointer(doc: JsonDocument, clean: str, expected: object) -> None:
    """Each value's Location, turned back into offsets, is where stdlib json finds that value (and each
    member's key Location is where its key is)."""
    starts = line_starts(doc.text)
    decoder = json.JSONDecoder(strict=False)
    for pointer, value, key in all_pointers(expected):
        loc = doc.locate(pointer)
        start = starts[loc.line - 1] + loc.column - 1
        end = starts[loc.end_line - 1] + loc.end_column - 1
        assert decoder.raw_decode(clean, start) == (value, end), pointer
        if key is not None:
            loc = doc.locate_key(pointer)
            start = starts[loc.line - 1] + loc.column - 1
            end = starts[loc.end_line - 1] + loc.end_column - 1
            assert decoder.raw_decode(clean, start) == (key, end), pointer


@EXAMPLES
@given(
    value=JSON_VALUES,
    indent=st.sampled_from([None, 0, 2, "\t"]),
    ensure_ascii=st.booleans(),
    crlf=st.booleans(),
)
def test_strict_json_reads_back_with_positions(
    value: object, indent: object, ensure_ascii: bool, crlf: bool
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)  # type: ignore[arg-type]
    if crlf:
        text = text.replace("\n", "\r\n")  # only indentation has raw newlines: strings escape theirs
    expected = json.loads(text)
    doc = parse_json(text, "p.json")
    assert doc.data == expected
    assert doc.leniencies == []
    check_every_pointer(doc, text, expected)


@EXAMPLES
@given(value=JSON_VALUES, indent=st.sampled_from([None, 1, "\t"]), data=st.data())
def test_comments_and_trailing_commas_anywhere(value: object, indent: object, data: st.DataObject) -> None:
    dumped = json.dumps(value, indent=indent)  # type: ignore[arg-type]
    expected = json.loads(dumped)
    tokens = TOKEN.findall(dumped)
    assert "".join(tokens) == dumped
    comments = data.draw(
        st.lists(st.tuples(st.integers(0, len(tokens)), st.sampled_from(COMMENTS)), max_size=8), "comments"
    )
    closers = [
        i
        for i, token in enumerate(tokens)
        if token in ("]", "}") and next(t for t in reversed(tokens[:i]) if not t.isspace()) not in ("[", "{")
    ]
    commas = data.draw(st.sets(st.sampled_from(closers)) if closers else st.just(set()), "trailing commas")
    text, clean = [], []
    for i in range(len(tokens) + 1):
        for position, comment in comments:
            if position == i:
                text.append(comment)
                clean.append(" " * len(comment))
        if i in commas:
            text.append(",")
            clean.append(" ")
        if i < len(tokens):
            text.append(tokens[i])
            clean.append(tokens[i])
    lenient, blanked = "".join(text), "".join(clean)
    doc = parse_json(lenient, "p.json")
    assert doc.data == expected
    kinds = [kind for kind, _ in doc.leniencies]
    assert kinds.count("comment") == len(comments)
    assert kinds.count("trailing-comma") == len(commas)
    check_every_pointer(doc, blanked, expected)


@EXAMPLES
@given(
    members=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "a/b", "~"]), st.integers(0, 9) | st.lists(st.integers(0, 9))
        ),
        min_size=1,
        max_size=8,
    ),
    lenient=st.booleans(),
)
def test_repeated_keys(members: list[tuple[str, object]], lenient: bool) -> None:
    pieces, value_starts, seen, repeated = [], {}, set(), []
    offset = 1
    for name, value in members:
        piece = json.dumps(name) + ": "
        pointer = join_pointer("", name)
        value_starts[pointer] = offset + len(piece)  # the last occurrence wins
        if name in seen and pointer not in repeated:
            repeated.append(pointer)
        seen.add(name)
        piece += json.dumps(value) + (", /* c */ " if lenient else ", ")
        pieces.append(piece)
        offset += len(piece)
    text = "{" + "".join(pieces)[: -2 if not lenient else None] + "}"
    doc = parse_json(text, "d.json")
    assert doc.data == dict(members)
    assert doc.duplicate_keys() == repeated
    for pointer, start in value_starts.items():
        assert doc.locate(pointer).column == start + 1
        spellings = [name for name, _ in members if join_pointer("", name) == pointer]
        locations = doc.duplicate_key_locations(pointer)
        assert len(locations) == (len(spellings) if pointer in repeated else 0)


@EXAMPLES
@given(value=st.text(st.characters(exclude_categories=())), ensure_ascii=st.booleans(), data=st.data())
def test_offsets_inside_strings_map_each_decoded_character_to_its_source(
    value: str, ensure_ascii: bool, data: st.DataObject
) -> None:
    text = '{"k": ' + json.dumps(value, ensure_ascii=ensure_ascii) + "}"
    doc = parse_json(text, "s.json")
    decoded = doc.data["k"]  # type: ignore[index]
    assert isinstance(decoded, str)
    for i, char in enumerate(decoded):
        loc = doc.locate("/k", offset=i)
        source = text[loc.column - 1 : loc.end_column - 1]
        assert json.loads('"' + source + '"') == char, (i, source)
    end = doc.locate("/k", offset=len(decoded))
    assert text[end.column - 1] == '"' and end.column == len(text) - 1
    if decoded:
        first, last = sorted(data.draw(st.tuples(st.integers(0, len(decoded)), st.integers(0, len(decoded)))))
        loc = doc.locate("/k", offset=first, end_offset=last)
        source = text[loc.column - 1 : loc.end_column - 1]
        if last > first:
            assert json.loads('"' + source + '"') == decoded[first:last]
