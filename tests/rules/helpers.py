"""Running the real linter on small files, for the rule tests (a helper module, not tests).

Every test goes through `templategen.cli.main` with `--format json`, the way a CI job calls the
linter, so the rule, the model, the reader, the position lookup, suppression and the report all
take part.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from templategen.cli import main

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


class Finding:
    """One diagnostic of the JSON report, with the fields the tests compare."""

    __slots__ = ("column", "line", "message", "path", "pointer", "rule", "severity")

    def __init__(self, data: dict[str, object]) -> None:
        self.rule = str(data["rule"])
        self.severity = str(data["severity"])
        self.message = str(data["message"])
        self.path = str(data["path"])
        self.line = int(str(data["line"]))
        self.column = int(str(data["column"]))
        self.pointer = str(data["pointer"])

    @property
    def where(self) -> tuple[int, int]:
        return self.line, self.column

    def __repr__(self) -> str:
        return f"{self.rule} {self.severity} {self.line}:{self.column} {self.message}"


def lint(capsys: pytest.CaptureFixture[str], paths: list[Path], *options: str) -> tuple[int, list[Finding]]:
    """Lint `paths` through the CLI (isolated from any configuration); (exit code, findings)."""
    code = main(["lint", "--isolated", "--format", "json", *options, *map(str, paths)])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    return code, [Finding(item) for item in report["diagnostics"]]


def write(folder: Path, name: str, content: object) -> Path:
    """Write a JSON file (a dict is serialized with indentation; a string is written as is)."""
    path = folder / name
    text = content if isinstance(content, str) else json.dumps(content, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def template(**members: object) -> dict[str, object]:
    """A template with `$schema` and `contentVersion`, and the given members (resources default [])."""
    data: dict[str, object] = {"$schema": SCHEMA, "contentVersion": "1.0.0.0"}
    data.update(members)
    data.setdefault("resources", [])
    return data


def inner_deployment(
    name: str, inner: dict[str, object], parameters: dict[str, object] | None = None, **members: object
) -> dict[str, object]:
    """An inline `Microsoft.Resources/deployments` resource with an inner-scope template (its own
    parameters, given `{name: {"value": ...}}`) and any other members (`copy`, `resourceGroup`)."""
    properties: dict[str, object] = {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"}}
    if parameters is not None:
        properties["parameters"] = parameters
    properties["template"] = inner
    return {
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2022-09-01",
        "name": name,
        **members,
        "properties": properties,
    }


def only(findings: list[Finding], rule: str) -> list[Finding]:
    return [finding for finding in findings if finding.rule == rule]


def position(text: str, needle: str, offset: int = 0, after: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of `needle` (plus `offset` characters) in `text`, searching from
    the first `after` when given: tests compute the expected position from the fixture instead of
    hard-coding what the code produced."""
    start = text.index(after) if after is not None else 0
    index = text.index(needle, start) + offset
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column
