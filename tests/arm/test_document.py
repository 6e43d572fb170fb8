"""The JSON reader: lenient input Resource Manager accepts, positions, keys, repeats, and every error.

Positions are checked against text written by hand in the test (line and column counted by eye), or by
converting the Location back to an offset with the test's own line splitting and re-parsing the value
found there with stdlib json.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from templategen.arm.document import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    JsonDocument,
    join_pointer,
    load_json_file,
    parse_json,
    parse_json_bytes,
)
from templategen.diagnostics import InputError, Location
from tests.arm.textpos import line_starts, offset_of


def value_at(doc: JsonDocument, loc: Location) -> object:
    """Re-parse, with stdlib json, the value that starts where `loc` points."""
    start = offset_of(doc.text, loc.line, loc.column)
    end = offset_of(doc.text, loc.end_line, loc.end_column)
    value, stop = json.JSONDecoder(strict=False).raw_decode(doc.text, start)
    assert stop == end, (doc.text[start:end], doc.text[start:stop])
    return value


def span(loc: Location) -> tuple[int, int, int, int]:
    return (loc.line, loc.column, loc.end_line, loc.end_column)


# --- accepted input ---------------------------------------------------------------------------------


TEMPLATE = """{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": {
    "vmName": { "type": "string", "defaultValue": "vm1" }
  },
  "variables": { "ticks": 638000000000000000123, "ratio": 6.36458E+17, "a/b~c": [1, 2.5, -3e2, true, null] },
  "resources": []
}"""


def test_strict_template_data_and_positions() -> None:
    doc = parse_json(TEMPLATE, "t.json")
    assert doc.data == json.loads(TEMPLATE)
    assert doc.leniencies == []
    assert doc.path == "t.json" and doc.text == TEMPLATE
    variables = doc.data["variables"]  # type: ignore[index]
    assert variables["ticks"] == 638000000000000000123 and type(variables["ticks"]) is int
    assert variables["ratio"] == 6.36458e17 and type(variables["ratio"]) is float
    # line 4: `    "vmName": { "type": "string", "defaultValue": "vm1" }`
    assert span(doc.locate("/parameters/vmName")) == (4, 15, 4, 58)
    assert span(doc.locate_key("/parameters/vmName")) == (4, 5, 4, 13)
    assert span(doc.locate("/parameters/vmName/defaultValue")) == (4, 51, 4, 56)
    assert span(doc.locate("")) == (1, 1, 8, 2)
    assert span(doc.locate("/resources")) == (7, 16, 7, 18)
    # `~1` is `/` and `~0` is `~` in a pointer token
    assert value_at(doc, doc.locate("/variables/a~1b~0c/2")) == -300.0
    assert value_at(doc, doc.locate("/variables/a~1b~0c/4")) is None
    assert doc.locate("/variables/ticks").pointer == "/variables/ticks"


def test_every_pointer_points_at_its_value() -> None:
    doc = parse_json(TEMPLATE, "t.json")

    def walk(value: object, pointer: str) -> None:
        assert value_at(doc, doc.locate(pointer)) == value
        if isinstance(value, dict):
            for key, child in value.items():
                member = join_pointer(pointer, key)
                key_loc = doc.locate_key(member)
                assert value_at(doc, key_loc) == key
                walk(child, member)
        elif isinstance(value, list):
            for number, child in enumerate(value):
                walk(child, join_pointer(pointer, number))

    walk(doc.data, "")


def test_comments_of_both_kinds_with_quotes_and_brackets_inside() -> None:
    text = (
        '// leading comment with "quotes" and { brackets [\n'
        "{\n"
        '  /* block "comment" ] } , */ "a": /* here too */ 1, // "b": 2,\n'
        '  "c": "http://example.com/*not a comment*/", /* multi\n'
        "     line } comment */\n"
        '  "d": [ /**/ 1 /* , */ ]\n'
        "} // trailing comment"
    )
    doc = parse_json(text, "c.json")
    assert doc.data == {"a": 1, "c": "http://example.com/*not a comment*/", "d": [1]}
    kinds = [kind for kind, _ in doc.leniencies]
    assert kinds == ["comment"] * 8
    offsets = [offset for _, offset in doc.leniencies]
    assert [text[o : o + 2] for o in offsets] == ["//", "/*", "/*", "//", "/*", "/*", "/*", "//"]
    assert span(doc.locate("/a")) == (3, 51, 3, 52)
    assert value_at(doc, doc.locate("/c")) == "http://example.com/*not a comment*/"
    assert span(doc.locate("/d/0")) == (6, 15, 6, 16)
    assert span(doc.locate("/d")) == (6, 8, 6, 26)


def test_a_trailing_comma_followed_by_comments() -> None:
    text = '{"a": [1, /* x */ ], "b": 2, // last\n /* c */ }'
    doc = parse_json(text, "t.json")
    assert doc.data == {"a": [1], "b": 2}
    assert doc.leniencies == [
        ("trailing-comma", 8),
        ("comment", 10),
        ("trailing-comma", 27),
        ("comment", 29),
        ("comment", 38),
    ]


def test_trailing_commas_in_objects_and_arrays() -> None:
    text = '{"a": [1, 2,], "b": {"c": 3,},\n}'
    doc = parse_json(text, "t.json")
    assert doc.data == {"a": [1, 2], "b": {"c": 3}}
    assert doc.leniencies == [("trailing-comma", 11), ("trailing-comma", 27), ("trailing-comma", 29)]
    assert span(doc.locate("/b")) == (1, 21, 1, 30)


def test_raw_line_breaks_and_tabs_inside_strings() -> None:
    text = '{\n  "script": "line one\n\tline two\r\n  line three",\n  "after": true\n}'
    doc = parse_json(text, "m.json")
    assert doc.data == {"script": "line one\n\tline two\r\n  line three", "after": True}
    assert doc.leniencies == [("control-char", text.index("\n\t"))]
    # the string spans lines 2 to 4; CRLF inside it counts as one line break
    assert span(doc.locate("/script")) == (2, 13, 4, 14)
    assert span(doc.locate("/after")) == (5, 12, 5, 16)
    assert value_at(doc, doc.locate("/after")) is True


def test_nul_and_other_control_characters_inside_a_string_are_lenient() -> None:
    doc = parse_json('["a\x00b", "c\x1fd"]', "n.json")
    assert doc.data == ["a\x00b", "c\x1fd"]
    assert doc.leniencies == [("control-char", 3), ("control-char", 10)]


def test_crlf_columns_count_characters_from_the_line_start() -> None:
    text = '{\r\n  "a": 1,\r\n  "bb": "x"\r\n}\r\n'
    doc = parse_json(text, "crlf.json")
    assert span(doc.locate("/a")) == (2, 8, 2, 9)
    assert span(doc.locate_key("/bb")) == (3, 3, 3, 7)
    assert span(doc.locate("/bb")) == (3, 9, 3, 12)
    assert span(doc.locate("")) == (1, 1, 4, 2)


def test_lone_carriage_returns_end_lines_too() -> None:
    text = '{\r  "a": 1,\r  "b": 2\r}'
    doc = parse_json(text, "cr.json")
    assert span(doc.locate("/b")) == (3, 8, 3, 9)


def test_columns_count_code_points_not_bytes() -> None:
    text = '{"é😀": "ü", "x": 1}'
    doc = parse_json(text, "u.json")
    assert span(doc.locate("/é😀")) == (1, 8, 1, 11)
    assert span(doc.locate("/x")) == (1, 18, 1, 19)


def test_bom_is_removed_from_text_and_bytes() -> None:
    doc = parse_json('\ufeff{"a": 1}', "b.json")
    assert doc.text == '{"a": 1}'
    assert span(doc.locate("/a")) == (1, 7, 1, 8)
    doc = parse_json_bytes(b'\xef\xbb\xbf{"a": 1}', "b.json")
    assert doc.text == '{"a": 1}' and doc.data == {"a": 1}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom(encoding: str) -> None:
    text = '{\r\n  "name": "Zürich 😀",\r\n  "n": [1, 2]\r\n}'
    data = "\ufeff".encode(encoding) + text.encode(encoding)
    doc = parse_json_bytes(data, "w.json")
    assert doc.text == text
    assert doc.data == {"name": "Zürich 😀", "n": [1, 2]}
    assert span(doc.locate("/n/1")) == (3, 12, 3, 13)


def test_repeated_keys_last_wins_and_are_reported() -> None:
    text = '{\n "a": {"x": 1, "y": 2},\n "b": 0,\n "a": {"x": 3},\n "c": {"k": 1, "k": 2, "k": 3}\n}'
    doc = parse_json(text, "d.json")
    assert doc.data == {"a": {"x": 3}, "b": 0, "c": {"k": 3}}
    assert doc.duplicate_keys() == ["/a", "/c/k"]
    # positions follow the data: the last `a`, and `/a/y` only exists in the dead first copy
    assert span(doc.locate("/a/x")) == (4, 13, 4, 14)
    assert doc.has("/a/x") and not doc.has("/a/y")
    assert span(doc.locate_key("/c/k")) == (5, 24, 5, 27)
    assert [span(loc) for loc in doc.duplicate_key_locations("/c/k")] == [
        (5, 8, 5, 11),
        (5, 16, 5, 19),
        (5, 24, 5, 27),
    ]
    assert [loc.line for loc in doc.duplicate_key_locations("/a")] == [2, 4]


def test_repeats_inside_a_value_that_a_repeat_made_dead_are_listed_too() -> None:
    text = '{"a": {"x": 1, "x": 2}, "a": {"x": 3, "x": 4, "x": 5}}'
    doc = parse_json(text, "d.json")
    assert doc.data == {"a": {"x": 5}}
    assert doc.duplicate_keys() == ["/a/x", "/a"]
    columns = [loc.column for loc in doc.duplicate_key_locations("/a/x")]
    assert columns == [m.start() + 1 for m in re.finditer('"x"', text)]
    assert doc.locate("/a/x").column == text.index("5") + 1


def test_repeated_keys_in_a_lenient_file() -> None:
    doc = parse_json('{"a": 1, // first\n "a": 2,}', "d.json")
    assert doc.data == {"a": 2}
    assert doc.duplicate_keys() == ["/a"]
    assert span(doc.locate("/a")) == (2, 7, 2, 8)


def test_no_repeated_keys() -> None:
    assert parse_json(TEMPLATE, "t.json").duplicate_keys() == []
    # the same key in different objects is no repeat
    assert parse_json('{"a": {"a": 1}, "b": {"a": 2}}', "t.json").duplicate_keys() == []


def test_escaped_keys_keep_their_decoded_spelling_in_pointers() -> None:
    text = '{"A\\u0042\\/c": {"\\"q\\"": 1}, "Case": 2}'
    doc = parse_json(text, "k.json")
    assert doc.data == {"AB/c": {'"q"': 1}, "Case": 2}
    assert value_at(doc, doc.locate('/AB~1c/"q"')) == 1
    assert span(doc.locate_key("/AB~1c")) == (1, 2, 1, 14)
    assert not doc.has("/case")  # pointers use the spelling of the file


def test_missing_pointer_falls_back_to_the_nearest_ancestor() -> None:
    doc = parse_json(TEMPLATE, "t.json")
    loc = doc.locate("/parameters/vmName/allowedValues/0")
    assert span(loc) == span(doc.locate("/parameters/vmName"))
    assert loc.pointer == "/parameters/vmName/allowedValues/0"
    assert span(doc.locate("/resources/5")) == span(doc.locate("/resources"))
    assert span(doc.locate("/variables/ticks/deeper")) == span(doc.locate("/variables/ticks"))
    assert span(doc.locate("/variables/a~1b~0c/01")) == span(doc.locate("/variables/a~1b~0c"))
    assert span(doc.locate("no-slash")) == span(doc.locate(""))
    assert not doc.has("/resources/0") and doc.has("/resources")
    # locate_key of something without a key (array item, root) gives the value
    assert span(doc.locate_key("/variables/a~1b~0c/1")) == span(doc.locate("/variables/a~1b~0c/1"))
    assert span(doc.locate_key("")) == span(doc.locate(""))


def test_scalar_and_empty_documents() -> None:
    assert parse_json("  42 ", "s.json").data == 42
    assert span(parse_json("  42 ", "s.json").locate("")) == (1, 3, 1, 5)
    assert parse_json('"x"', "s.json").data == "x"
    assert parse_json("[]", "s.json").data == []
    assert parse_json("{}", "s.json").duplicate_keys() == []


# --- offsets inside string values (expression errors) ----------------------------------------------


def test_offset_in_a_plain_string() -> None:
    text = "{\n  \"name\": \"[concat(parameters('a'), '-x')]\"\n}"
    doc = parse_json(text, "e.json")
    value = doc.data["name"]  # type: ignore[index]
    i = value.index("parameters")
    loc = doc.locate("/name", offset=i)
    assert (loc.line, loc.column) == (2, 20)
    assert text.splitlines()[1][loc.column - 1 :].startswith("parameters")
    assert (loc.end_line, loc.end_column) == (2, 21)  # one character
    # a span of several characters
    loc = doc.locate("/name", offset=i, end_offset=i + len("parameters"))
    assert (loc.column, loc.end_column) == (20, 30)
    # at the end of the value: the closing quote
    loc = doc.locate("/name", offset=len(value))
    assert text.splitlines()[1][loc.column - 1] == '"'


def test_offset_counts_escapes_as_one_character() -> None:
    raw = r'"a\"b\\c\/d\u0041e\ud83d\ude00f😀g\nh"'
    doc = parse_json(raw, "e.json")
    value = doc.data
    assert value == 'a"b\\c/dAe😀f😀g\nh'
    assert isinstance(value, str)
    for i, char in enumerate(value):
        loc = doc.locate("", offset=i)
        assert loc.line == loc.end_line == 1
        source = raw[loc.column - 1 : loc.end_column - 1]
        assert json.loads('"' + source + '"') == char, (i, source)
    assert doc.locate("", offset=value.index("e")).column == raw.index("e") + 1
    assert doc.locate("", offset=value.index("f")).column == raw.index("f") + 1
    assert doc.locate("", offset=value.index("g")).column == raw.index("g") + 1


def test_offset_inside_a_multiline_string() -> None:
    text = '{"s": "ab\n  cd"}'
    doc = parse_json(text, "e.json")
    loc = doc.locate("/s", offset=5)  # 'c'
    assert (loc.line, loc.column) == (2, 3)


def test_lone_surrogate_escapes_count_as_one_character_each() -> None:
    raw = r'"\ud83dx\ude00y"'
    doc = parse_json(raw, "e.json")
    assert doc.data == "\ud83dx\ude00y"
    assert doc.locate("", offset=1).column == raw.index("x") + 1
    assert doc.locate("", offset=3).column == raw.index("y") + 1


def test_offset_on_a_value_that_is_not_a_string_gives_the_value() -> None:
    doc = parse_json('{"n": 12345}', "e.json")
    assert span(doc.locate("/n", offset=3)) == span(doc.locate("/n"))


# --- errors -------------------------------------------------------------------------------------------

ERRORS = [
    # (text, line, column, words in the message)
    ('{"a": "abc', 1, 7, "unterminated string"),
    ('{\n  "a": "abc\n}', 2, 8, "unterminated string"),
    ('{"a" 1}', 1, 6, "expected ':' after property name \"a\""),
    ('{"a": 1},', 1, 9, "after the JSON value"),
    (',{"a": 1}', 1, 1, "expected a JSON value, found ','"),
    ("/* never closed", 1, 1, "unterminated /* comment"),
    ('{"a": 1}\n/* never closed', 2, 1, "unterminated /* comment"),
    ('{"a": 1} garbage', 1, 10, "'garbage' after the JSON value"),
    ('{"a": 1}{"b": 2}', 1, 9, "after the JSON value"),
    ("", 1, 1, "the file is empty"),
    ("  \n\t ", 1, 1, "only whitespace"),
    ("// nothing but a comment\n", 2, 1, "only comments"),
    ('{"a":\x00}', 1, 6, "NUL byte"),
    ('{"a": 1}\x00', 1, 9, "NUL byte"),
    ('{"a": "b\\x"}', 1, 9, "invalid escape '\\x'"),
    ('{"a": "\\u12G4"}', 1, 8, "invalid escape '\\u12G4'"),
    ('{"a": "\\u1\n"}', 1, 8, "invalid escape '\\u1\\n'"),
    ('["\\u"]', 1, 3, "invalid escape '\\u'"),
    ('{"a": NaN}', 1, 7, "no NaN"),
    ('{"a": Infinity}', 1, 7, "no NaN, Infinity"),
    ('{"a": -Infinity}', 1, 7, "no Infinity or NaN"),
    ('{"a": 01}', 1, 7, "leading zeros"),
    ('{"a": 1.}', 1, 7, "invalid number '1.'"),
    ('{"a": .5}', 1, 7, "expected a JSON value, found '.'"),
    ('{"a": +1}', 1, 7, "expected a JSON value, found '+'"),
    ('{"a": 0x10}', 1, 7, "invalid number '0x10'"),
    ("{'a': 1}", 1, 2, "property names must be in double quotes, found a single quote"),
    ("{\"a\": 'x'}", 1, 7, "strings must be in double quotes"),
    ("{a: 1}", 1, 2, "property names must be in double quotes, found 'a'"),
    ('{"a": True}', 1, 7, "lower case"),
    ('{"a": undefined}', 1, 7, "undefined"),
    ('{"a": hello}', 1, 7, "strings need double quotes"),
    ("[1 2]", 1, 4, "expected ',' or ']' after array item, found '2' (missing comma?)"),
    ('{"a": 1\n "b": 2}', 2, 2, "expected ',' or '}' after property value, found a string (missing comma?)"),
    ('{"a": 1,,}', 1, 9, "expected a property name in double quotes, found ','"),
    ("[1,,2]", 1, 4, "expected a JSON value, found ','"),
    ("[,]", 1, 2, "expected a JSON value, found ','"),
    ("{,}", 1, 2, "expected a property name"),
    ('{"a": }', 1, 7, "expected a JSON value, found '}'"),
    ('{"a": 1]', 1, 8, "expected ',' or '}'"),
    ("[1}", 1, 3, "expected ',' or ']'"),
    ('{"a": [1, 2}', 1, 12, "expected ',' or ']'"),
    ('{"a": 1', 1, 8, "found end of file"),
    ("[", 1, 2, "expected a JSON value, found end of file"),
    ('{"a":', 1, 6, "expected a JSON value, found end of file"),
    ('{"a": 1 / 2}', 1, 9, "a comment starts with // or /*"),
    ('{"a": 1}\ufeff', 1, 9, "U+FEFF"),
    ('{"a":\u00a01}', 1, 6, "U+00A0"),
    ('{"a":\x01}', 1, 6, "control character U+0001"),
    ('{"a": "x\n, "b": 1}', 2, 4, "is a closing quote missing?"),
    ('{"a\nb" 1}', 2, 4, "is a closing quote missing?"),
    ("1" * 5000, 1, 1, "integer with 5000 digits"),
]


@pytest.mark.parametrize(("text", "line", "column", "words"), ERRORS)
def test_errors_say_where_and_what(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_json(text, "bad.json")
    error = caught.value
    assert error.location is not None
    assert (error.location.path, error.location.line, error.location.column) == ("bad.json", line, column)
    assert words in error.message
    assert "\n" not in error.message and "\r" not in error.message
    assert str(error).startswith(f"bad.json:{line}:{column}: ")


def test_error_messages_never_repeat_a_sas_signature() -> None:
    with pytest.raises(InputError) as caught:
        parse_json('{"c?sv=1&sig=c2VjcmV0c2VjcmV0" 1}', "bad.json")
    assert "c2VjcmV0c2VjcmV0" not in str(caught.value)
    assert "sig=***" in caught.value.message


def test_the_multiline_hint_is_not_given_when_the_string_is_not_the_cause() -> None:
    with pytest.raises(InputError) as caught:
        parse_json('{"a": "x\ny", "b": 1 2}', "bad.json")
    assert "closing quote" not in caught.value.message


def test_long_integers_and_floats_within_limits_are_exact() -> None:
    big = "9" * 4000
    assert parse_json(big, "n.json").data == int(big)
    assert parse_json("[-" + big + "]", "n.json").data == [-int(big)]
    assert parse_json("1." + "5" * 5000, "n.json").data == float("1." + "5" * 5000)


def test_errors_in_lenient_files_are_found_too() -> None:
    with pytest.raises(InputError) as caught:
        parse_json('{\n  // comment\n  "a": [1, 2,],\n  "b": 3 4\n}', "bad.json")
    assert caught.value.location is not None
    assert (caught.value.location.line, caught.value.location.column) == (4, 10)


# --- bounds -------------------------------------------------------------------------------------------


def test_nesting_up_to_the_bound_is_read() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    doc = parse_json(text, "deep.json")
    pointer = "/0" * (MAX_DEPTH - 1)
    assert doc.locate(pointer).column == MAX_DEPTH
    objects = '{"a":' * MAX_DEPTH + "1" + "}" * MAX_DEPTH
    assert parse_json(objects, "deep.json").locate("/a" * MAX_DEPTH).column == 5 * MAX_DEPTH + 1


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # json itself gives up (RecursionError)
        "[" * 100_000,  # and never closed
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),  # json would read it: our bound refuses it
        "// deep and lenient\n" + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    ],
)
def test_nesting_deeper_than_the_bound_is_an_error_at_the_first_container_too_deep(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_json(text, "deep.json")
    loc = caught.value.location
    assert loc is not None
    assert f"deeper than {MAX_DEPTH} levels" in caught.value.message
    opener = offset_of(text, loc.line, loc.column)
    assert text[opener] in "[{"
    before = text[:opener]
    assert before.count("[") + before.count("{") - before.count("]") - before.count("}") == MAX_DEPTH


LIMIT = f"limit is {MAX_FILE_BYTES // 1048576} MiB"


def test_a_file_above_the_size_bound_is_refused_before_reading(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "huge.json")
    with open(path, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # a sparse 100 MB file: refused by its size alone
    with pytest.raises(InputError) as caught:
        load_json_file(path)
    assert "104,857,600 bytes" in caught.value.message and LIMIT in caught.value.message
    assert caught.value.location == Location(path, 1, 1)


def test_text_and_bytes_above_the_size_bound_are_refused() -> None:
    with pytest.raises(InputError, match=LIMIT):
        parse_json_bytes(b" " * (MAX_FILE_BYTES + 1), "big.json")
    with pytest.raises(InputError, match=LIMIT):
        parse_json(" " * (MAX_FILE_BYTES + 1), "big.json")


# --- bytes and files ----------------------------------------------------------------------------------


def test_non_utf8_byte_is_located() -> None:
    data = '{\n  "name": "Zürich",\n  "x": "caf'.encode() + b"\xe9" + b'"\n}'
    with pytest.raises(InputError) as caught:
        parse_json_bytes(data, "latin.json")
    assert caught.value.location is not None
    assert (caught.value.location.line, caught.value.location.column) == (3, 12)
    assert "0xE9" in caught.value.message and "UTF-8" in caught.value.message


def test_encoded_surrogates_are_not_utf8() -> None:
    with pytest.raises(InputError, match="not valid UTF-8"):
        parse_json_bytes(b'["\xed\xa0\x80"]', "s.json")


def test_utf16_without_bom_gets_a_clear_message() -> None:
    with pytest.raises(InputError, match="UTF-16 or UTF-32 without a byte-order mark"):
        parse_json_bytes('{"a": 1}'.encode("utf-16-le"), "w.json")
    with pytest.raises(InputError, match="without a byte-order mark"):
        parse_json_bytes('{"a": 1}'.encode("utf-16-be"), "w.json")


def test_broken_utf16_is_located() -> None:
    data = b"\xff\xfe" + '[\n"x", '.encode("utf-16-le") + b"\x00\xd8" + '"y"]'.encode("utf-16-le")
    with pytest.raises(InputError) as caught:
        parse_json_bytes(data, "w.json")
    assert caught.value.location is not None
    assert (caught.value.location.line, caught.value.location.column) == (2, 6)
    assert "not valid UTF-16" in caught.value.message
    with pytest.raises(InputError, match="not valid UTF-16"):
        parse_json_bytes(b"\xff\xfe[\x00]", "odd.json")  # an odd number of bytes


def test_load_json_file_reads_and_names_the_file(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "t.json")
    with open(path, "wb") as handle:
        handle.write(b'\xef\xbb\xbf{\r\n  "a": [1, /* c */ 2,]\r\n}\r\n')
    doc = load_json_file(path)
    assert doc.data == {"a": [1, 2]}
    assert doc.locate("/a/1") == Location(path, 2, 20, 2, 21, "/a/1")
    assert [kind for kind, _ in doc.leniencies] == ["comment", "trailing-comma"]


def test_unreadable_paths_are_input_errors(tmp_path: object) -> None:
    folder = str(tmp_path)
    missing = os.path.join(folder, "missing.json")
    with pytest.raises(InputError, match="cannot read the file: No such file or directory") as caught:
        load_json_file(missing)
    assert caught.value.location == Location(missing, 1, 1)
    with pytest.raises(InputError, match="cannot read the file: Is a directory"):
        load_json_file(folder)
    loop = os.path.join(folder, "loop.json")
    os.symlink(loop, loop)
    with pytest.raises(InputError, match="cannot read the file: Too many levels of symbolic links"):
        load_json_file(loop)


def test_join_pointer_escapes_tokens() -> None:
    assert join_pointer("", "a/b~c") == "/a~1b~0c"
    assert join_pointer("/x", 3) == "/x/3"
    assert join_pointer("/x", "") == "/x/"


def test_location_at_and_position() -> None:
    doc = parse_json('{\n"a": 1}', "p.json")
    assert doc.position(0) == (1, 1)
    assert doc.position(2) == (2, 1)
    assert doc.position(10_000) == (2, 8)  # clamped to the end of the text
    assert doc.location_at(2, 5, "/a") == Location("p.json", 2, 1, 2, 4, "/a")
    assert doc.location_at(2) == Location("p.json", 2, 1, 2, 1, "")


def test_positions_by_counting_and_by_table_agree() -> None:
    """The first positions of a file are computed by counting newlines, later ones from a table."""
    for newline in ("\n", "\r\n", "\r"):
        text = "[\n" + ("," + newline).join(f'  {{"n": {i}}}' for i in range(60)) + newline + "]"
        doc = parse_json(text, "p.json")
        starts = line_starts(text)
        for offset in range(len(text) + 1):
            line = max(number for number, start in enumerate(starts, 1) if start <= offset)
            assert doc.position(offset) == (line, offset - starts[line - 1] + 1), (newline, offset)
        assert doc.locate("/59/n").line == 61
