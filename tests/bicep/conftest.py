"""Helpers for the Bicep reader tests: convert a snippet, write a folder of Bicep files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from templategen.arm.template import Template, build_template
from templategen.bicep import BicepDocument, load_bicep_file, parse_bicep


def convert(text: str, *, errors_ok: bool = False) -> tuple[BicepDocument, Template]:
    """Parse and convert a Bicep snippet (dedented) and build the template model from it."""
    document = parse_bicep(textwrap.dedent(text).lstrip("\n"), "main.bicep")
    if not errors_ok:
        assert document.errors == [], document.errors
    return document, build_template(document)


def convert_files(
    root: Path, files: dict[str, str], main: str = "main.bicep"
) -> tuple[BicepDocument, Template]:
    """Write `files` (relative path → text) under `root`, then load `main` from disk."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    document = load_bicep_file(str(root / main))
    return document, build_template(document)


@pytest.fixture
def bicep_files(tmp_path: Path) -> Callable[..., tuple[BicepDocument, Template]]:
    def make(files: dict[str, str], main: str = "main.bicep") -> tuple[BicepDocument, Template]:
        return convert_files(tmp_path, files, main)

    return make


def problems_of(document: BicepDocument) -> list[str]:
    return [message for _, message in document.problems]
