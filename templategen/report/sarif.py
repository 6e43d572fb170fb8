"""SARIF 2.1.0, the format GitHub code scanning, Azure DevOps and IDE viewers read.

Choices worth knowing:

* One run. `tool.driver.rules` lists every rule of the run (sorted by id) with its metadata, plus a
  short entry for any id that appears in a result without a Rule class (TG001, the unusable file);
  each result points at its rule by `ruleId` and `ruleIndex`.
* Artifact URIs are relative to `%SRCROOT%` (the base folder, default the current folder), which
  `originalUriBaseIds` resolves to a `file:` URI; files outside the base folder get absolute `file:`
  URIs. Every file checked is an artifact, clean ones too.
* Columns count Unicode code points (`columnKind`), as our positions do; SARIF's default would be
  UTF-16 code units. `endColumn` is exclusive in SARIF and in `Location` alike.
* `partialFingerprints["templategenFingerprint/v1"]` hashes rule, file, JSON pointer and message (not the
  line), so an alert keeps its identity when lines above it move; equal findings are numbered.
* `invocations[0].executionSuccessful` is false when a file could not be read (the analysis is
  incomplete); the exit code is the process's. Skipped files are notes in
  `toolExecutionNotifications`.
"""

from __future__ import annotations

import os

from templategen.lint.result import INPUT_ERROR_ID, INPUT_ERROR_NAME, is_input_error
from templategen.redact import redact_text
from templategen.report.options import TOOL_NAME

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.diagnostics import Diagnostic, Location
    from templategen.lint.result import LintResult
    from templategen.report.options import RenderOptions
    from templategen.rules.base import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "templategenFingerprint/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}

JsonObject = dict[str, object]


def render_sarif(result: LintResult, options: RenderOptions) -> str:
    """The SARIF log as pretty-printed ASCII JSON, ending with a newline."""
    import json

    return json.dumps(sarif_log(result, options), indent=2, ensure_ascii=True) + "\n"


def sarif_log(result: LintResult, options: RenderOptions) -> JsonObject:
    """The SARIF log as a JSON-ready dict (what `render_sarif` serialises)."""
    diagnostics = result.sorted_diagnostics()
    descriptors, rule_index = _rules(options.rules, diagnostics)
    paths = sorted(set(result.files_checked) | {d.location.path for d in diagnostics})
    artifact_index = {path: n for n, path in enumerate(paths)}
    base = options.base_dir

    results = []
    seen: dict[str, int] = {}
    for diagnostic in diagnostics:
        loc = diagnostic.location
        message = redact_text(diagnostic.message)
        uri = _uri_of(loc.path, base)
        key = "\x1f".join((diagnostic.rule_id, uri, loc.pointer or f"line {loc.line}", message))
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        entry: JsonObject = {
            "ruleId": diagnostic.rule_id,
            "ruleIndex": rule_index[diagnostic.rule_id],
            "level": _LEVEL.get(diagnostic.severity, "warning"),
            "message": {"text": message},
            "locations": [_location(loc, base, artifact_index[loc.path])],
            "partialFingerprints": {FINGERPRINT: _fingerprint(key, occurrence)},
        }
        if loc.pointer:
            entry["properties"] = {"pointer": loc.pointer}
        results.append(entry)

    notifications: list[JsonObject] = []
    for diagnostic in diagnostics:
        if is_input_error(diagnostic):
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"cannot analyse: {redact_text(diagnostic.message)}"},
                    "locations": [
                        _location(diagnostic.location, base, artifact_index[diagnostic.location.path])
                    ],
                }
            )
    for path, reason in sorted(result.files_skipped):
        notifications.append(
            {
                "level": "note",
                "message": {"text": f"skipped: {reason}"},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact_location(path, base)}}],
            }
        )

    invocation: JsonObject = {
        "executionSuccessful": not any(is_input_error(d) for d in diagnostics),
        "exitCode": result.exit_code,
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    run: JsonObject = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": options.tool_version,
                "semanticVersion": options.tool_version,
                "rules": descriptors,
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _file_uri(base, directory=True)}},
        "artifacts": [{"location": _artifact_location(path, base)} for path in paths],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rules(rules: tuple[Rule, ...], diagnostics: list[Diagnostic]) -> tuple[list[JsonObject], dict[str, int]]:
    """Rule descriptors sorted by id, and the index of each id among them."""
    by_id: dict[str, JsonObject] = {rule.id: _descriptor(rule) for rule in rules}
    for diagnostic in diagnostics:
        if diagnostic.rule_id not in by_id:
            by_id[diagnostic.rule_id] = _bare_descriptor(diagnostic)
    ordered = [by_id[rule_id] for rule_id in sorted(by_id)]
    return ordered, {str(d["id"]): n for n, d in enumerate(ordered)}


def _descriptor(rule: Rule) -> JsonObject:
    why = rule.why.strip()
    help_markdown = (
        f"{why}\n\n**Failing example**\n\n```{rule.example_language}\n{rule.bad.strip()}\n```\n\n"
        f"**Fixed example**\n\n```{rule.example_language}\n{rule.good.strip()}\n```\n"
    )
    descriptor: JsonObject = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": why, "markdown": why},
        "help": {"text": why, "markdown": help_markdown},
        "defaultConfiguration": {"level": _LEVEL.get(rule.severity, "warning")},
        "properties": {"tags": list(rule.tags)},
    }
    if rule.source_url:
        descriptor["helpUri"] = rule.source_url
    return descriptor


def _bare_descriptor(diagnostic: Diagnostic) -> JsonObject:
    if diagnostic.rule_id == INPUT_ERROR_ID:
        return {
            "id": INPUT_ERROR_ID,
            "name": INPUT_ERROR_NAME,
            "shortDescription": {"text": "The file cannot be read or parsed, so nothing in it was checked."},
            "defaultConfiguration": {"level": "error"},
        }
    return {"id": diagnostic.rule_id, "name": diagnostic.rule_name}


def _location(loc: Location, base: str, index: int) -> JsonObject:
    physical: JsonObject = {"artifactLocation": {**_artifact_location(loc.path, base), "index": index}}
    if loc.line >= 1:
        region: JsonObject = {"startLine": loc.line}
        if loc.column >= 1:
            end_line = max(loc.end_line, loc.line)
            end_column = loc.end_column
            if end_line == loc.line:
                end_column = max(end_column, loc.column)
            region.update(startColumn=loc.column, endLine=end_line, endColumn=max(end_column, 1))
        physical["region"] = region
    return {"physicalLocation": physical}


def _artifact_location(path: str, base: str) -> JsonObject:
    uri = _uri_of(path, base)
    if uri.startswith("file:"):
        return {"uri": uri}
    return {"uri": uri, "uriBaseId": SRCROOT}


def _uri_of(path: str, base: str) -> str:
    """Relative URI under `base` when the file is inside it, else an absolute `file:` URI."""
    key = (path, base)
    uri = _URI_CACHE.get(key)
    if uri is None:
        uri = _URI_CACHE[key] = _compute_uri(path, base)
    return uri


_URI_CACHE: dict[tuple[str, str], str] = {}


def _compute_uri(path: str, base: str) -> str:
    from urllib.parse import quote

    full = os.path.abspath(path)
    try:
        relative = os.path.relpath(full, base)
    except ValueError:  # another drive on Windows
        return _file_uri(full)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return _file_uri(full)
    return quote(relative.replace(os.sep, "/"))


def _file_uri(path: str, directory: bool = False) -> str:
    from urllib.parse import quote

    posix = path.replace(os.sep, "/")
    if not posix.startswith("/"):
        posix = "/" + posix  # C:/x -> /C:/x
    if directory and not posix.endswith("/"):
        posix += "/"
    return "file://" + quote(posix)


def _fingerprint(key: str, occurrence: int) -> str:
    import hashlib

    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{digest}:{occurrence}"
