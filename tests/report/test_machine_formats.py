"""JSON, SARIF, JUnit and GitHub reports, read back the way their consumers read them."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from templategen.diagnostics import Diagnostic
from templategen.lint.result import LintResult
from templategen.report import FORMATS, RenderOptions, render
from templategen.report.github import escape_data, escape_property
from templategen.rules import all_rules

from .helpers import diag, result

SECRET = "Zx9%2FsecretSig"


def sample(base: Path) -> LintResult:
    """A run over a small tree: unicode and spaces in paths, a secret in a message, a control
    character, a multi-line span, a point span, an unusable file, a clean file and a skipped one."""
    vm = str(base / "templates" / "vm.json")
    odd = str(base / "templates" / "dir with space" / "ünï,cøde:1.bicep")
    return LintResult(
        [
            diag(
                "TG401",
                "warning",
                vm,
                12,
                17,
                12,
                29,
                "Location is hard-coded as 'westeurope'",
                "/resources/0/location",
            ),
            diag(
                "TG402",
                "error",
                vm,
                20,
                9,
                20,
                90,
                f"SAS token in uri: ...&sig={SECRET}&se=2030",
                "/resources/1/properties/settings/fileUris/0",
            ),
            diag(
                "TG501",
                "error",
                vm,
                30,
                5,
                41,
                6,
                "publisher is 'Microsoft.Azure.Backup'\nexpected Microsoft.Azure.RecoveryServices",
                "/resources/2",
            ),
            diag(
                "TG201",
                "info",
                odd,
                3,
                7,
                3,
                7,
                "parameter 'unused' is never used: 100% unused, really",
                "/parameters/unused",
            ),
            diag("TG102", "error", odd, 5, 1, 5, 4, "bad\x1b[31m value \x00 here", "/variables/x"),
            diag("TG001", "error", str(base / "broken.json"), 4, 2, 4, 2, "not JSON: expected ',' or '}'"),
        ],
        [vm, odd, str(base / "broken.json"), str(base / "clean.json")],
        [(str(base / "package.json"), "JSON that is neither a template nor a parameters file")],
        "error",
    )


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def options(base: Path) -> RenderOptions:
    rules = all_rules(["tests.report.sample_rules"])
    return RenderOptions(base_dir=str(base), rules=rules)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_prints_a_secret_and_all_are_deterministic(
    fmt: str, base: Path, options: RenderOptions
) -> None:
    first = render(sample(base), fmt, options)
    assert SECRET not in first and "secretSig" not in first
    assert render(sample(base), fmt, options) == first
    assert first.endswith("\n")


# ------------------------------------------------------------------------------------------- JSON


def test_json_schema_and_content(base: Path, options: RenderOptions) -> None:
    r = sample(base)
    data = json.loads(render(r, "json", options))
    assert data["schemaVersion"] == 1
    assert data["tool"] == {"name": "templategen", "version": options.tool_version}
    assert data["filesChecked"] == sorted(r.files_checked)
    assert data["filesSkipped"] == [{"path": str(base / "package.json"), "reason": r.files_skipped[0][1]}]
    expected = [d.to_dict() for d in sorted(r.diagnostics, key=Diagnostic.sort_key)]
    for entry in expected:
        entry["message"] = str(entry["message"]).replace(SECRET, "***")
    assert data["diagnostics"] == expected
    assert data["summary"] == {
        "findings": 6,
        "bySeverity": {"error": 4, "warning": 1, "info": 1},
        "filesChecked": 4,
        "filesSkipped": 1,
        "filesWithFindings": 3,
        "failLevel": "error",
        "exitCode": 2,
    }


def test_json_is_ascii_and_round_trips_unicode(base: Path, options: RenderOptions) -> None:
    text = render(sample(base), "json", options)
    assert text.isascii()
    paths = {d["path"] for d in json.loads(text)["diagnostics"]}
    assert str(base / "templates" / "dir with space" / "ünï,cøde:1.bicep") in paths


# ------------------------------------------------------------------------------------------ SARIF


def sarif_schema(shared: Path) -> dict[str, object]:
    schema: dict[str, object] = json.loads((shared / "sarif" / "sarif-schema-2.1.0.json").read_text())
    return schema


def assert_valid_sarif(log: dict[str, object], shared: Path) -> None:
    validator = jsonschema.Draft4Validator(
        sarif_schema(shared), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_sarif_validates_against_the_official_schema(
    base: Path, options: RenderOptions, shared: Path
) -> None:
    assert_valid_sarif(json.loads(render(sample(base), "sarif", options)), shared)
    # and the smallest logs: nothing found, no rules
    assert_valid_sarif(json.loads(render(result([]), "sarif", RenderOptions(base_dir=str(base)))), shared)


def test_sarif_rules_come_from_rule_metadata(base: Path, options: RenderOptions) -> None:
    run = json.loads(render(sample(base), "sarif", options))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted(ids)
    assert set(ids) == {"TG001", "TG102", "TG201", "TG401", "TG402", "TG501"}
    by_id = {rule["id"]: rule for rule in rules}
    location = by_id["TG401"]
    assert location["name"] == "no-hardcoded-location"
    assert (
        location["shortDescription"]["text"]
        == "Resource locations come from a parameter, not a literal region"
    )
    assert location["fullDescription"]["text"].startswith("A literal region ties the template")
    assert (
        location["helpUri"]
        == "https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices"
    )
    assert location["defaultConfiguration"]["level"] == "warning"
    assert '{"location": "westeurope"}' in location["help"]["markdown"]
    assert by_id["TG201"]["defaultConfiguration"]["level"] == "note"
    assert "helpUri" not in by_id["TG402"]  # no source_url: no invented link
    for entry in run["results"]:
        assert rules[entry["ruleIndex"]]["id"] == entry["ruleId"]


def test_sarif_results_locations_and_levels(base: Path, options: RenderOptions) -> None:
    run = json.loads(render(sample(base), "sarif", options))["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == base.as_uri() + "/"
    artifacts = [a["location"]["uri"] for a in run["artifacts"]]
    assert len(artifacts) == 4
    assert "templates/dir%20with%20space/%C3%BCn%C3%AF%2Cc%C3%B8de%3A1.bicep" in artifacts
    assert "clean.json" in artifacts  # clean files are artifacts too
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {
        "TG001": "error",
        "TG102": "error",
        "TG201": "note",
        "TG401": "warning",
        "TG402": "error",
        "TG501": "error",
    }
    hardcoded = next(r for r in run["results"] if r["ruleId"] == "TG401")
    physical = hardcoded["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "templates/vm.json"
    assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert run["artifacts"][physical["artifactLocation"]["index"]]["location"]["uri"] == "templates/vm.json"
    assert physical["region"] == {"startLine": 12, "startColumn": 17, "endLine": 12, "endColumn": 29}
    multi = next(r for r in run["results"] if r["ruleId"] == "TG501")
    assert multi["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 30,
        "startColumn": 5,
        "endLine": 41,
        "endColumn": 6,
    }
    assert hardcoded["properties"]["pointer"] == "/resources/0/location"


def test_sarif_invocation_reports_the_exit_code_and_incomplete_analysis(
    base: Path, options: RenderOptions
) -> None:
    invocation = json.loads(render(sample(base), "sarif", options))["runs"][0]["invocations"][0]
    assert invocation["exitCode"] == 2
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "note"]
    assert notes[1]["message"]["text"].startswith("skipped: JSON that is neither")
    clean = json.loads(
        render(result([diag("TG401", "warning", str(base / "a.json"), 1, 1)]), "sarif", options)
    )
    assert clean["runs"][0]["invocations"][0] == {"executionSuccessful": True, "exitCode": 0}


def test_sarif_files_outside_the_base_get_absolute_uris(tmp_path: Path) -> None:
    inside = tmp_path / "repo"
    outside = tmp_path / "elsewhere" / "t.json"
    r = result([diag("TG401", "warning", str(outside), 1, 1)])
    run = json.loads(render(r, "sarif", RenderOptions(base_dir=str(inside))))["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == outside.as_uri()
    assert "uriBaseId" not in location


def test_sarif_fingerprints_survive_moved_lines_and_tell_twins_apart(
    base: Path, options: RenderOptions
) -> None:
    path = str(base / "vm.json")

    def fingerprints(line: int) -> list[str]:
        ds = [
            diag("TG102", "error", path, line, 5, message="unknown function 'foo'", pointer="/variables/a"),
            diag("TG102", "error", path, line, 9, message="unknown function 'foo'", pointer="/variables/a"),
            diag(
                "TG102", "error", path, line + 1, 5, message="unknown function 'bar'", pointer="/variables/b"
            ),
        ]
        run = json.loads(render(result(ds), "sarif", options))["runs"][0]
        return [next(iter(r["partialFingerprints"].values())) for r in run["results"]]

    before, after = fingerprints(10), fingerprints(14)
    assert before == after
    assert len(set(before)) == 3


# ------------------------------------------------------------------------------------------ JUnit


def test_junit_parses_and_maps_files_to_suites(base: Path, options: RenderOptions) -> None:
    r = sample(base)
    root = ET.fromstring(render(r, "junit", options))
    assert root.tag == "testsuites"
    names = [s.get("name") for s in root.findall("testsuite")]
    assert sorted(names) == sorted([*r.files_checked, str(base / "package.json")])
    for suite in root.findall("testsuite"):
        for case in suite.findall("testcase"):
            assert case.get("classname") == suite.get("name")


def test_junit_failures_follow_the_fail_level(base: Path, options: RenderOptions) -> None:
    path = str(base / "a.json")
    ds = [
        diag("TG102", "error", path, 1, 1, message="an error"),
        diag("TG401", "warning", path, 2, 1, message="a warning"),
        diag("TG201", "info", path, 3, 1, message="a note"),
    ]
    for level, expected in (("error", 1), ("warning", 2), ("info", 3)):
        root = ET.fromstring(render(result(ds, fail_level=level), "junit", options))
        suite = root.find("testsuite")
        assert suite is not None
        cases = suite.findall("testcase")
        assert len(cases) == 3
        assert sum(case.find("failure") is not None for case in cases) == expected
        assert suite.get("failures") == str(expected) == root.get("failures")
        passing = [case for case in cases if case.find("failure") is None]
        assert all(case.findtext("system-out") for case in passing)  # below the level: visible, not failed


def test_junit_counts_clean_and_skipped_files(base: Path, options: RenderOptions) -> None:
    r = sample(base)
    root = ET.fromstring(render(r, "junit", options))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    clean = suites[str(base / "clean.json")]
    assert [c.get("name") for c in clean.findall("testcase")] == ["no findings"]
    assert clean.get("failures") == "0"
    skipped = suites[str(base / "package.json")]
    assert skipped.get("skipped") == "1"
    assert skipped.find("testcase/skipped") is not None
    vm = suites[str(base / "templates" / "vm.json")]
    names = [c.get("name") for c in vm.findall("testcase")]
    assert names == [
        "TG401 no-hardcoded-location at 12:17",
        "TG402 no-sas-signature at 20:9",
        "TG501 vmsnapshot-publisher at 30:5",
    ]
    assert [c.find("failure") is not None for c in vm.findall("testcase")] == [False, True, True]
    assert vm.get("failures") == "2"
    assert root.get("tests") == str(sum(int(s.get("tests", "0")) for s in suites.values()))
    assert root.get("failures") == str(sum(int(s.get("failures", "0")) for s in suites.values()))


def test_junit_escapes_what_xml_cannot_hold(base: Path, options: RenderOptions) -> None:
    root = ET.fromstring(render(sample(base), "junit", options))
    failure = next(
        case.find("failure") for case in root.iter("testcase") if (case.get("name") or "").startswith("TG102")
    )
    assert failure is not None
    assert failure.get("message") == "bad\\x1b[31m value \\x00 here"


# ----------------------------------------------------------------------------------------- GitHub


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Read a workflow command back as the runner does: split, then unescape."""

    def unescape(text: str) -> str:
        for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            text = text.replace(code, char)
        return text

    assert line.startswith("::")
    head, message = line[2:].split("::", 1)
    command, _, rest = head.partition(" ")
    properties = {}
    for item in rest.split(","):
        key, _, value = item.partition("=")
        properties[key] = unescape(value)
    return command, properties, unescape(message)


def test_github_escaping_rules() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("a:b,c%d\r\ne") == "a%3Ab%2Cc%25d%0D%0Ae"


def test_github_annotations_round_trip(base: Path, options: RenderOptions) -> None:
    lines = render(sample(base), "github", options).splitlines()
    commands = [parse_command(line) for line in lines if line.startswith("::")]
    assert len(commands) == 6
    assert not lines[-1].startswith("::")  # the summary is plain log text
    by_title = {props["title"]: (command, props, message) for command, props, message in commands}
    command, props, message = by_title["TG201 no-unused-parameter"]
    assert command == "notice"
    assert props["file"] == "templates/dir with space/ünï,cøde:1.bicep"
    assert message == "parameter 'unused' is never used: 100% unused, really"
    command, props, message = by_title["TG501 vmsnapshot-publisher"]
    assert command == "error"
    # A finding is one line: the line break its message quoted arrives escaped, never raw.
    assert message == "publisher is 'Microsoft.Azure.Backup'\\nexpected Microsoft.Azure.RecoveryServices"
    assert (props["line"], props["endLine"]) == ("30", "41")
    assert "col" not in props and "endColumn" not in props  # multi-line: GitHub draws whole lines
    command, props, _ = by_title["TG401 no-hardcoded-location"]
    assert command == "warning"
    assert (props["file"], props["line"], props["col"], props["endLine"], props["endColumn"]) == (
        "templates/vm.json",
        "12",
        "17",
        "12",
        "29",
    )
    for line in lines:
        assert "\n" not in line and "\r" not in line


def test_github_paths_relative_to_base(tmp_path: Path) -> None:
    os_path = os.path.join("sub", "t.json")
    r = result([diag("TG401", "warning", str(tmp_path / os_path), 1, 1)])
    out = render(r, "github", RenderOptions(base_dir=str(tmp_path)))
    assert parse_command(out.splitlines()[0])[1]["file"] == "sub/t.json"
