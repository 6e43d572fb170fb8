"""Read every expression string of the shared quickstart corpus (test helper, not a test module).

Files are read with the project's own reader (`templategen.arm.document`), so the 25 files under
`invalid-json/` (comments, trailing commas, raw line breaks in strings) are read as the linter reads
them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from templategen.arm.document import load_json_file
from templategen.arm.expressions import is_expression


class CorpusExpression:
    """One expression string found in a corpus template."""

    __slots__ = ("path", "pointer", "validation", "value")

    def __init__(self, path: str, pointer: str, value: str, validation: str) -> None:
        self.path = path
        self.pointer = pointer
        self.value = value
        self.validation = validation


def load_json(path: Path) -> object:
    """The file as the linter reads it (comments, trailing commas and raw line breaks accepted)."""
    return load_json_file(str(path)).data


def _pointer_part(key: object) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def expression_strings(data: object, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, value) of every string value that is an ARM expression (keys are never evaluated)."""
    if isinstance(data, str):
        if is_expression(data):
            yield pointer, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from expression_strings(value, pointer + "/" + _pointer_part(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from expression_strings(value, f"{pointer}/{index}")


def declared_user_functions(data: object) -> set[str]:
    """Lower-cased `namespace.member` of every user-defined function declared anywhere in the file
    (nested inline templates declare their own)."""
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            functions = node.get("functions")
            if isinstance(functions, list):
                for entry in functions:
                    if isinstance(entry, dict) and isinstance(entry.get("members"), dict):
                        namespace = str(entry.get("namespace", ""))
                        found.update(f"{namespace}.{member}".lower() for member in entry["members"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def corpus_templates(shared: Path) -> Iterator[tuple[str, str, object]]:
    """(path relative to quickstarts/, validation column, parsed JSON) of every corpus template."""
    corpus = shared / "corpus"
    with open(corpus / "index.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["kind"] == "template":
                yield row["path"], row["validation"], load_json(corpus / "quickstarts" / row["path"])
