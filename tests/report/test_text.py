"""The text report: header format, caret placement, secrets, terminal safety, colour, summary.

Expected caret cells are worked out by hand from the source lines (tabs to 4-cell stops, CJK
characters two cells, combining marks none), not taken from the formatter's output.
"""

from __future__ import annotations

import io
import os
import re

import pytest

from templategen.report import RenderOptions, color_wanted, render
from templategen.report.source import HIDDEN, SourceLines

from .helpers import diag, result, source_view

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def text_of(diagnostics, sources: dict[str, str], **options) -> str:  # type: ignore[no-untyped-def]
    lines = SourceLines()
    for path, text in sources.items():
        lines.add(path, text)
    return render(result(diagnostics), "text", RenderOptions(source_line=lines, **options))


def test_header_is_path_line_col_id_severity_message() -> None:
    d = diag("TG401", "warning", "templates/vm.json", 3, 17, 3, 29, "Location is hard-coded as 'westeurope'")
    out = render(result([d]), "text")
    assert out.splitlines()[0] == (
        "templates/vm.json:3:17: TG401 [warning] Location is hard-coded as 'westeurope'"
    )


def test_tabs_expand_and_the_caret_lines_up() -> None:
    line = '\t"location":\t"westeurope",'
    column = line.index('"westeurope"') + 1
    d = diag("TG401", "warning", "vm.json", 2, column, 2, column + len('"westeurope"'))
    out = text_of([d], {"vm.json": "{\n" + line + "\n}\n"})
    printed, start, width = source_view(out, "vm.json:2:")
    # tab at cell 0 -> 4 spaces; `"location":` fills cells 4-14; the tab at cell 15 reaches 16.
    assert printed == '    "location": "westeurope",'
    assert (start, width) == (16, 12)
    assert printed[start : start + width] == '"westeurope"'


def test_wide_characters_take_two_cells() -> None:
    line = '  "name": "日本語-vm", "x": 1'
    column = line.index("語") + 1
    d = diag("TG102", "error", "a.json", 1, column, 1, column + 1)
    out = text_of([d], {"a.json": line})
    printed, start, width = source_view(out, "a.json:1:")
    assert printed == line
    # '  "name": "' is 11 cells, then 日 (11-12), 本 (13-14), 語 (15-16)
    assert (start, width) == (15, 2)


def test_combining_marks_take_no_cell() -> None:
    line = '"cafe\u0301": 1'
    column = line.index("1") + 1
    out = text_of([diag("TG102", "error", "a.json", 1, column, 1, column + 1)], {"a.json": line})
    _, start, width = source_view(out, "a.json:1:")
    assert (start, width) == (8, 1)  # the accent sits on the e: `"café": ` is 8 cells


def test_crlf_sources_print_without_carriage_returns() -> None:
    text = '{\r\n  "a": 1,\r\n  "b": 2\r\n}\r\n'
    out = text_of([diag("TG201", "info", "p.json", 3, 8, 3, 9)], {"p.json": text})
    printed, start, width = source_view(out, "p.json:3:8:")
    assert "\r" not in out
    assert printed == '  "b": 2'
    assert (start, width) == (7, 1)


def test_caret_at_and_beyond_the_end_of_the_line() -> None:
    line = '  "x": 1'
    at_end = diag("TG102", "error", "e.json", 1, len(line) + 1, 1, len(line) + 1, "missing comma")
    beyond = diag("TG201", "info", "e.json", 1, 50, 1, 60, "past the end")
    out = text_of([at_end, beyond], {"e.json": line})
    assert source_view(out, "e.json:1:9:")[1:] == (8, 1)
    assert source_view(out, "e.json:1:50:")[1:] == (8, 1)


def test_multi_line_span_runs_the_caret_to_the_end_of_the_first_line() -> None:
    text = '{\n  "properties": {\n    "a": 1\n  }\n}\n'
    d = diag("TG501", "error", "m.json", 2, 3, 4, 4)
    printed, start, width = source_view(text_of([d], {"m.json": text}), "m.json:2:3:")
    assert printed == '  "properties": {'
    assert (start, width) == (2, len('"properties": {'))


def test_secret_in_source_line_is_masked_and_the_caret_covers_the_string() -> None:
    secret = "AbC%2Bdef123"
    line = f'  "uri": "https://acct.blob.core.windows.net/c/s.sh?sv=2022&sig={secret}&se=2030",'
    start_col = line.index('"https') + 1
    end_col = line.rindex('"') + 2
    d = diag("TG402", "error", "s.json", 1, start_col, 1, end_col, f"SAS signature in uri: sig={secret}")
    out = text_of([d], {"s.json": line})
    assert secret not in out
    assert "s.json:1:10: TG402 [error] SAS signature in uri: sig=***" in out
    printed, start, width = source_view(out, "s.json:1:")
    assert printed == '  "uri": "https://acct.blob.core.windows.net/c/s.sh?sv=2022&sig=***&se=2030",'
    assert (
        printed[start : start + width]
        == '"https://acct.blob.core.windows.net/c/s.sh?sv=2022&sig=***&se=2030"'
    )


def test_caret_inside_a_secret_points_at_the_mask() -> None:
    line = '"https://a.blob.core.windows.net/c?sig=SECRETVALUE&se=1"'
    column = line.index("CRET") + 1
    out = text_of([diag("TG102", "error", "s.json", 1, column, 1, column + 2)], {"s.json": line})
    printed, start, width = source_view(out, "s.json:1:")
    assert "SECRET" not in out and "CRET" not in out
    assert printed[start : start + width] == "***"


def test_hidden_lines_are_never_printed() -> None:
    text = '{\n  "protectedSettings": {\n    "commandToExecute": "echo p@ssw0rd"\n  }\n}\n'
    lines = SourceLines()
    lines.add("x.json", text)
    lines.hide("x.json", 2, 4)
    assert lines("x.json", 3) is HIDDEN
    assert lines("x.json", 1) == "{"
    d = diag("TG402", "error", "x.json", 3, 25, 3, 40)
    out = render(result([d]), "text", RenderOptions(source_line=lines))
    assert "p@ssw0rd" not in out
    assert " 3 | (line hidden: it may hold a secret)" in out
    assert "^" not in out


def test_source_lines_out_of_range_or_unknown_file_show_no_source() -> None:
    lines = SourceLines()
    lines.add("a.json", "one\ntwo")
    assert lines("a.json", 0) is None
    assert lines("a.json", 3) is None
    assert lines("b.json", 1) is None
    out = render(result([diag("TG102", "error", "a.json", 9, 1)]), "text", RenderOptions(source_line=lines))
    assert out.splitlines()[0] == "a.json:9:1: TG102 [error] something is wrong"
    assert out.splitlines()[1] == ""


def test_long_lines_are_trimmed_around_the_column() -> None:
    line = '{"a": "' + "x" * 3000 + '", "loc": "westeurope", "b": "' + "y" * 3000 + '"}'
    column = line.index('"westeurope"') + 1
    d = diag("TG401", "warning", "min.json", 1, column, 1, column + 12)
    out = text_of([d], {"min.json": line}, max_width=80)
    printed, start, width = source_view(out, "min.json:1:")
    assert len(printed) <= 80
    assert printed.startswith("…") and printed.endswith("…")
    assert printed[start : start + width] == '"westeurope"'


def test_long_line_with_the_column_at_its_end() -> None:
    line = "z" * 500
    out = text_of([diag("TG102", "error", "l.json", 1, 501, 1, 501)], {"l.json": line}, max_width=60)
    printed, start, width = source_view(out, "l.json:1:")
    assert printed.startswith("…") and not printed.endswith("…")
    assert len(printed) <= 60
    assert (start, width) == (len(printed), 1)


def test_control_characters_cannot_reach_the_terminal() -> None:
    line = '  "name": "\x1b[2J\x1b[31mred\u202e", "x": 1'
    column = line.index('"x"') + 1
    d = diag("TG102", "error", "c.json", 1, column, 1, column + 3, "bad\x1b]0;title\x07 value\nsecond line")
    out = text_of([d], {"c.json": line})
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "bad\\x1b]0;title\\x07 value\\nsecond line" in out
    printed, start, width = source_view(out, "c.json:1:")
    assert printed[start : start + width] == '"x"'


def test_lone_surrogates_do_not_break_printing() -> None:
    d = diag("TG102", "error", "u.json", 1, 1, 1, 2, "bad \ud800 escape")
    out = text_of([d], {"u.json": '"\ud800"'})
    out.encode("utf-8")  # must not raise
    assert "\\ud800" in out


def test_no_source_when_disabled_or_no_position() -> None:
    d = diag("TG102", "error", "a.json", 1, 1)
    out = text_of([d], {"a.json": "{}"}, show_source=False)
    assert "|" not in out
    whole_file = diag("TG001", "error", "broken.json", 0, 0, message="cannot read: permission denied")
    out = render(result([whole_file]), "text")
    assert out.splitlines()[0] == "broken.json: TG001 [error] cannot read: permission denied"


def test_findings_are_sorted_and_output_is_deterministic() -> None:
    ds = [
        diag("TG401", "warning", "b.json", 2, 1),
        diag("TG102", "error", "a.json", 5, 3),
        diag("TG201", "info", "a.json", 5, 1),
        diag("TG102", "error", "a.json", 1, 9),
    ]
    out = render(result(ds), "text")
    headers = [line.split(" ")[0] for line in out.splitlines() if line.endswith("something is wrong")]
    assert headers == ["a.json:1:9:", "a.json:5:1:", "a.json:5:3:", "b.json:2:1:"]
    assert render(result(list(reversed(ds))), "text") == out


def test_summary_counts_severities_and_files() -> None:
    ds = [
        diag("TG102", "error", "a.json", 1, 1),
        diag("TG401", "warning", "a.json", 2, 1),
        diag("TG201", "info", "b.json", 1, 1),
    ]
    r = result(ds, ["a.json", "b.json", "c.json"], [("package.json", "not a template")])
    assert render(r, "text").splitlines()[-1] == (
        "Found 3 findings (1 error, 1 warning, 1 info) in 2 of 3 files checked, 1 file skipped."
    )
    assert render(result([], ["a.json", "b.json"]), "text") == "No findings in 2 files checked.\n"
    assert render(result([], ["a.json"]), "text") == "No findings in 1 file checked.\n"


def test_colour_adds_codes_and_nothing_else() -> None:
    line = '\t"location":\t"westeurope",'
    ds = [diag("TG401", "warning", "vm.json", 1, 15, 1, 27), diag("TG402", "error", "vm.json", 1, 2, 1, 12)]
    plain = text_of(ds, {"vm.json": line}, color=False)
    coloured = text_of(ds, {"vm.json": line}, color=True)
    assert "\x1b" not in plain
    assert "\x1b[1;31m" in coloured and "\x1b[1;33m" in coloured
    assert ANSI.sub("", coloured) == plain


class TestColourDecision:
    def test_terminal_gets_colour(self) -> None:
        master, slave = os.openpty()
        try:
            with os.fdopen(slave, "w") as tty:
                assert color_wanted(tty, {})
                assert not color_wanted(tty, {"NO_COLOR": "1"})
                assert not color_wanted(tty, {"TERM": "dumb"})
                assert color_wanted(tty, {"NO_COLOR": ""})  # empty means unset (no-color.org)
        finally:
            os.close(master)

    def test_pipe_gets_no_colour_unless_forced(self) -> None:
        read, write = os.pipe()
        with os.fdopen(read) as _, os.fdopen(write, "w") as pipe:
            assert not color_wanted(pipe, {})
            assert color_wanted(pipe, {"FORCE_COLOR": "1"})
            assert not color_wanted(pipe, {"FORCE_COLOR": "1", "NO_COLOR": "1"})

    def test_string_buffer_and_closed_stream(self) -> None:
        buffer = io.StringIO()
        assert not color_wanted(buffer, {})
        buffer.close()
        assert not color_wanted(buffer, {})


def test_unknown_format_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render(result([]), "xml")
