"""JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure Pipelines).

Mapping: one `<testsuite>` per file (named by its path), one `<testcase>` per finding. A finding at or
above the failing level is a `<failure>`; one below it is a passing test case whose `<system-out>`
carries the message, so it is visible without failing the pipeline. A clean file gets a single
passing test case so the CI page lists every file that was checked; a skipped file gets a
`<skipped>` test case with the reason. No timestamps or durations: the same input gives the same
bytes.
"""

from __future__ import annotations

import re

from templategen.redact import redact_text
from templategen.report.options import TOOL_NAME

TYPE_CHECKING = False
if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from templategen.diagnostics import Diagnostic
    from templategen.lint.result import LintResult
    from templategen.report.options import RenderOptions

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` with secrets masked and characters XML 1.0 forbids written as `\\xNN` / `\\uNNNN`."""
    return _NOT_XML.sub(_escape, redact_text(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def render_junit(result: LintResult, options: RenderOptions) -> str:
    """The JUnit XML document, indented, with an XML declaration and a final newline."""
    import xml.etree.ElementTree as ET

    diagnostics = result.sorted_diagnostics()
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_path.setdefault(diagnostic.location.path, []).append(diagnostic)
    paths = sorted(set(result.files_checked) | set(by_path))

    root = ET.Element("testsuites", name=TOOL_NAME)
    total_tests = total_failures = total_skipped = 0
    for path in paths:
        findings = by_path.get(path, [])
        name = xml_safe(path)
        suite = ET.SubElement(root, "testsuite", name=name)
        failures = 0
        if not findings:
            ET.SubElement(suite, "testcase", classname=name, name="no findings", file=name)
        for diagnostic in findings:
            failed = result.fails(diagnostic)
            failures += failed
            _testcase(ET.SubElement(suite, "testcase"), diagnostic, failed)
        tests = max(1, len(findings))
        _counts(suite, tests, failures, 0)
        total_tests += tests
        total_failures += failures
    for path, reason in sorted(result.files_skipped):
        name = xml_safe(path)
        suite = ET.SubElement(root, "testsuite", name=name)
        case = ET.SubElement(suite, "testcase", classname=name, name="not linted", file=name)
        ET.SubElement(case, "skipped", message=xml_safe(reason))
        _counts(suite, 1, 0, 1)
        total_tests += 1
        total_skipped += 1
    _counts(root, total_tests, total_failures, total_skipped)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _testcase(case: Element, diagnostic: Diagnostic, failed: bool) -> None:
    import xml.etree.ElementTree as ET

    loc = diagnostic.location
    path = xml_safe(loc.path)
    message = xml_safe(diagnostic.message)
    case.set("classname", path)
    case.set("name", f"{diagnostic.rule_id} {diagnostic.rule_name} at {loc.line}:{loc.column}")
    case.set("file", path)
    case.set("line", str(loc.line))
    detail = f"{path}:{loc.line}:{loc.column}: {diagnostic.rule_id} [{diagnostic.severity}] {message}"
    if failed:
        failure = ET.SubElement(case, "failure", message=message, type=diagnostic.rule_id)
        failure.text = detail
    else:
        ET.SubElement(case, "system-out").text = detail


def _counts(element: Element, tests: int, failures: int, skipped: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", str(skipped))
