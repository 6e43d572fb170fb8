"""Rule selectors (ids, prefixes, names, specificity) and the exit code for each fail level."""

from __future__ import annotations

import json

import pytest

from templategen.diagnostics import InputError, Location
from templategen.lint.result import LintResult, exit_code_for, input_error_finding
from templategen.report import render
from templategen.selectors import Layer, kind, matches, normalize, severity_for, specificity

from .helpers import diag, result


class TestSelectors:
    def test_normalize(self) -> None:
        assert normalize(" tg401 ") == "TG401"
        assert normalize("tg4") == "TG4"
        assert normalize("all") == "ALL"
        assert normalize("No-Hardcoded-Location") == "no-hardcoded-location"

    def test_kinds(self) -> None:
        assert [kind(s) for s in ("TG401", "TG40", "TG4", "TG", "ALL", "unknown-function")] == [
            "id",
            "prefix",
            "prefix",
            "prefix",
            "all",
            "name",
        ]
        assert [kind(s) for s in ("TG4011", "tg4x1", "TG-4".upper(), "bad_name", "-x", "")] == [None] * 6

    def test_matching(self) -> None:
        assert (
            matches("TG4", "TG401", "x") and matches("TG40", "TG401", "x") and matches("TG401", "TG401", "x")
        )
        assert not matches("TG41", "TG401", "x") and not matches("TG402", "TG401", "x")
        assert not matches("TG4", "TG040", "x")  # a prefix, not a substring
        assert matches("ALL", "TG001", "x") and matches("TG", "TG999", "x")
        assert matches("unknown-function", "TG102", "unknown-function")
        assert not matches("unknown", "TG102", "unknown-function")

    def test_specificity_orders_all_prefixes_and_exact(self) -> None:
        order = ["ALL", "TG", "TG4", "TG40", "TG401"]
        assert [specificity(s) for s in order] == sorted(specificity(s) for s in order)
        assert len({specificity(s) for s in order[1:]}) == 4
        assert specificity("no-hardcoded-location") == specificity("TG401")

    def test_layer_decisions(self) -> None:
        layer = Layer(select=["TG4", "TG401"], ignore=["TG40"])
        assert layer.decide("TG401", "a", False) is True
        assert layer.decide("TG402", "b", True) is False
        assert layer.decide("TG410", "c", False) is True
        assert layer.decide("TG101", "d", True) is False  # select given: not selected means off
        assert Layer(ignore=["TG1"]).decide("TG401", "a", False) is False  # no select: keep earlier decision
        assert Layer(ignore=["TG1"]).decide("TG401", "a", True) is True

    def test_severity_most_specific_then_last(self) -> None:
        overrides = {"TG4": "info", "TG401": "error", "TG40": "warning"}
        assert severity_for("TG401", "x", "warning", overrides) == "error"
        assert severity_for("TG402", "x", "error", overrides) == "warning"
        assert severity_for("TG410", "x", "error", overrides) == "info"
        assert severity_for("TG101", "x", "error", overrides) == "error"
        assert severity_for("TG401", "loc", "info", {"TG401": "error", "loc": "warning"}) == "warning"
        assert severity_for("TG001", "unreadable-file", "error", {"TG0": "off"}) == "error"


class TestExitCodes:
    ERROR = diag("TG102", "error", "a.json", 1, 1)
    WARNING = diag("TG401", "warning", "a.json", 2, 1)
    INFO = diag("TG201", "info", "a.json", 3, 1)

    @pytest.mark.parametrize(
        ("findings", "fail_level", "code"),
        [
            ([], "error", 0),
            ([], "info", 0),
            (["INFO", "WARNING"], "error", 0),
            (["ERROR"], "error", 1),
            (["WARNING"], "warning", 1),
            (["INFO"], "warning", 0),
            (["INFO"], "info", 1),
            (["ERROR", "INFO"], "info", 1),
        ],
    )
    def test_fail_levels(self, findings: list[str], fail_level: str, code: int) -> None:
        diagnostics = [getattr(self, name) for name in findings]
        assert exit_code_for(diagnostics, fail_level) == code
        assert result(diagnostics, ["a.json"], fail_level=fail_level).exit_code == code

    def test_unusable_file_is_2_whatever_else(self) -> None:
        unreadable = input_error_finding(
            InputError("not JSON: unexpected '}'", Location("b.json", 3, 4)), "b.json"
        )
        assert (unreadable.rule_id, unreadable.severity, str(unreadable.location)) == (
            "TG001",
            "error",
            "b.json:3:4",
        )
        assert exit_code_for([self.ERROR, unreadable, self.INFO], "info") == 2
        assert exit_code_for([unreadable], "error") == 2
        without_position = input_error_finding(InputError("permission denied"), "c.json")
        assert str(without_position.location) == "c.json:1:1"

    def test_bad_fail_level(self) -> None:
        with pytest.raises(ValueError, match="unknown severity 'fatal'"):
            LintResult([], [], [], "fatal")

    @pytest.mark.parametrize("fail_level", ["error", "warning", "info"])
    def test_reports_carry_the_same_exit_code(self, fail_level: str) -> None:
        unreadable = input_error_finding(InputError("not JSON"), "b.json")
        for findings in ([], [self.INFO], [self.WARNING], [self.ERROR, self.INFO], [self.INFO, unreadable]):
            r = result(findings, ["a.json", "b.json"], fail_level=fail_level)
            expected = exit_code_for(findings, fail_level)
            assert r.exit_code == expected
            assert json.loads(render(r, "json"))["summary"]["exitCode"] == expected
            assert json.loads(render(r, "sarif"))["runs"][0]["invocations"][0]["exitCode"] == expected
