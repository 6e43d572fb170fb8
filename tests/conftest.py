"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The team's shared data folder (corpus, official schemas, SARIF schema), beside the clone.

    `TEMPLATEGEN_SHARED` overrides the default `<repo>/../shared`.
    """
    return Path(os.environ.get("TEMPLATEGEN_SHARED", REPO.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if not (path / "corpus").is_dir():
        pytest.fail(f"shared data not found at {path} (set TEMPLATEGEN_SHARED)")
    return path


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
