"""BicepDocument: positions of converted values in the Bicep source, syntax errors, decoding, and
the lazy import of tree-sitter."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from templategen.bicep import load_bicep_file, parse_bicep
from templategen.bicep.syntax import MAX_NESTING
from templategen.diagnostics import InputError, Location

SOURCE = textwrap.dedent(
    """\
    @secure()
    param objectStr string
    @maxLength(50)
    param vmName string
    var note = { a: 'ünïcödé', b: vmName }
    resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
      name: vmName
      location: 'westeurope'
    }
    resource ext 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = [for i in range(0, 2): {
      parent: vm
      name: 'VMSnapshot${i}'
      properties: {
        settings: {
          taskId: 'GUID_1'
        }
        protectedSettings: {
          objectStr: objectStr
        }
      }
    }]
    output id string = vm.id
    """
)


def span(location: Location) -> tuple[int, int, int, int]:
    return location.line, location.column, location.end_line, location.end_column


def text_at(source: str, location: Location) -> str:
    """The source text a single-line location covers."""
    assert location.line == location.end_line
    line = source.splitlines()[location.line - 1]
    return line[location.column - 1 : location.end_column - 1]


def test_values_point_at_their_bicep_nodes() -> None:
    document = parse_bicep(SOURCE, "main.bicep")
    assert document.errors == []
    at = document.locate
    assert text_at(SOURCE, at("/resources/1/properties/protectedSettings/objectStr")) == "objectStr"
    assert text_at(SOURCE, at("/resources/1/properties/settings/taskId")) == "'GUID_1'"
    assert text_at(SOURCE, at("/resources/1/name")) == "'VMSnapshot${i}'"
    assert text_at(SOURCE, at("/resources/1/dependsOn/0")) == "vm"  # the `parent:` that implies it
    assert text_at(SOURCE, at("/resources/1/copy/count")) == "range(0, 2)"
    assert (
        text_at(SOURCE, at("/resources/1/type"))
        == "'Microsoft.Compute/virtualMachines/extensions@2023-03-01'"
    )
    assert text_at(SOURCE, at("/parameters/vmName/maxLength")) == "50"
    assert text_at(SOURCE, at("/parameters/objectStr/type")) == "string"
    assert text_at(SOURCE, at("/outputs/id/value")) == "vm.id"
    assert at("/resources/1/properties/protectedSettings/objectStr").pointer == (
        "/resources/1/properties/protectedSettings/objectStr"
    )
    assert at("/parameters/vmName").line == 4
    assert span(at("/resources/0")) == (6, 1, 9, 2)


def test_keys_point_at_names_and_decorators() -> None:
    document = parse_bicep(SOURCE, "main.bicep")
    key = document.locate_key
    assert text_at(SOURCE, key("/parameters/vmName")) == "vmName"
    assert text_at(SOURCE, key("/parameters/objectStr/type")) == "@secure()"
    assert text_at(SOURCE, key("/parameters/vmName/maxLength")) == "@maxLength(50)"
    assert text_at(SOURCE, key("/resources/1/properties/protectedSettings")) == "protectedSettings"
    assert text_at(SOURCE, key("/resources/1")) == "ext"
    assert text_at(SOURCE, key("/outputs/id")) == "id"
    # nothing names the implicit dependency: the key falls back to the value
    assert text_at(SOURCE, key("/resources/1/dependsOn/0")) == "vm"


def test_unknown_pointers_fall_back_to_the_nearest_converted_ancestor() -> None:
    document = parse_bicep(SOURCE, "main.bicep")
    settings = document.locate("/resources/1/properties/settings")
    missing = document.locate("/resources/1/properties/settings/statusBlobUri/0")
    assert (
        span(missing) == span(settings)
        and missing.pointer == "/resources/1/properties/settings/statusBlobUri/0"
    )
    assert document.locate("/no/such/thing").line == 1
    assert document.locate("not a pointer").line == 1


def test_columns_count_characters_not_bytes() -> None:
    document = parse_bicep(SOURCE, "main.bicep")
    location = document.locate("/variables/note/b")
    line = SOURCE.splitlines()[4]
    assert location.column == line.index("vmName }") + 1  # 'ünïcödé' counts 7 columns, not 14 bytes


def test_crlf_and_bom_keep_positions(tmp_path: Path) -> None:
    path = tmp_path / "main.bicep"
    path.write_bytes(b"\xef\xbb\xbf" + SOURCE.replace("\n", "\r\n").encode("utf-8"))
    document = load_bicep_file(str(path))
    plain = parse_bicep(SOURCE, str(path))
    assert document.errors == []
    for pointer in (
        "/resources/1/properties/protectedSettings/objectStr",
        "/variables/note/b",
        "/resources/0",
    ):
        assert span(document.locate(pointer)) == span(plain.locate(pointer))
    assert document.data == plain.data


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "main.bicep"
    path.write_bytes(SOURCE.encode("utf-16"))
    assert load_bicep_file(str(path)).data == parse_bicep(SOURCE, "x").data


def test_text_that_is_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "main.bicep"
    path.write_bytes(b"param a string\nvar b = '\xff'\n")
    with pytest.raises(InputError) as raised:
        load_bicep_file(str(path))
    assert raised.value.location is not None
    assert (raised.value.location.line, raised.value.location.column) == (2, 10)
    assert "not UTF-8" in raised.value.message


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file"):
        load_bicep_file(str(tmp_path / "nope.bicep"))


def test_syntax_error_points_at_the_first_error_and_the_rest_is_converted() -> None:
    source = textwrap.dedent(
        """\
        param vmName string
        resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
          name: vmName
          properties: { x: ) }
        }
        param after string
        """
    )
    document = parse_bicep(source, "broken.bicep")
    assert len(document.errors) == 1
    message, location = document.errors[0]
    assert message == "Bicep syntax error: unexpected 'x: )'"
    assert (location.path, location.line, location.column, location.end_column) == ("broken.bicep", 4, 17, 21)
    assert "vmName" in document.data["parameters"] and "after" in document.data["parameters"]


def test_missing_token_error() -> None:
    document = parse_bicep("param abc\n", "main.bicep")
    message, location = document.errors[0]
    assert message == "Bicep syntax error: expected identifier after 'abc'"
    assert (location.line, location.column) == (1, 10)


def test_empty_file_is_an_empty_template() -> None:
    document = parse_bicep("", "empty.bicep")
    assert document.errors == []
    assert document.data == {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [],
    }


def test_importing_the_reader_does_not_load_tree_sitter() -> None:
    """`templategen lint` imports the reader on its start-up path; tree-sitter loads on first parse,
    without the `typing` its package imports."""
    code = (
        "import sys, templategen.bicep\n"
        "assert 'tree_sitter' not in sys.modules and 'tree_sitter_bicep' not in sys.modules\n"
        "for heavy in ('typing', 'dataclasses', 'pathlib', 'yaml', 'jsonschema', 'jinja2', 'click'):\n"
        "    assert heavy not in sys.modules, heavy\n"
        "templategen.bicep.parse_bicep('param a string', 'x.bicep')\n"
        "assert 'tree_sitter._binding' in sys.modules and 'typing' not in sys.modules\n"
        "import tree_sitter\n"  # the public package still works afterwards, on the same binding
        "assert tree_sitter.Parser is sys.modules['tree_sitter._binding'].Parser\n"
        "assert templategen.bicep.parse_bicep('param b int', 'y.bicep').data['parameters']\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_hostile_nesting_is_a_problem_not_a_crash() -> None:
    deep = 3000
    document = parse_bicep(
        "var arrays = " + "[" * 200 + "1" + "]" * 200 + "\n"
        "var sums = 1" + " + 1" * deep + "\n"
        "var members = a" + ".b" * deep + "\n"
        "var parentheses = " + "(" * 200 + "1" + ")" * 200 + "\n",
        "deep.bicep",
    )
    variables = document.data["variables"]
    assert variables["parentheses"] == 1
    assert variables["sums"] is None and variables["members"] is None
    assert [message for _, message in document.problems].count("nested more than 100 levels deep") == 3


@pytest.mark.parametrize("opener, closer", [("[", "]"), ("(", ")"), ("{\n", "\n}"), ("'${", "}'")])
def test_nesting_beyond_the_parser_bound_is_refused_before_parsing(opener: str, closer: str) -> None:
    """tree-sitter's error recovery is quadratic in the depth, so deeper text is never parsed: an
    InputError at the first bracket past MAX_NESTING (the line and column of that bracket)."""
    text = "var x = " + opener * 100_000 + "1" + closer * 100_000 + "\n"
    with pytest.raises(InputError) as raised:
        parse_bicep(text, "deep.bicep")
    error = raised.value
    assert error.message.startswith(f"nested deeper than {MAX_NESTING} levels")
    assert error.location is not None
    offset = len("var x = ") + MAX_NESTING * len(opener) + (1 if opener.startswith("'") else 0)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    assert (error.location.line, error.location.column) == (line, column)


def test_conversion_is_deterministic() -> None:
    first = parse_bicep(SOURCE, "main.bicep")
    second = parse_bicep(SOURCE, "main.bicep")
    assert json.dumps(first.data) == json.dumps(second.data)
    assert first.spans.values.keys() == second.spans.values.keys()
