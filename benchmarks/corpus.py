"""The shared corpus as file lists: every ARM JSON file (templates and parameters, strict or not) and
every Bicep file under `corpus/quickstarts`, as paths relative to that folder, sorted."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


def corpus_root(shared: Path) -> Path:
    return shared / "corpus" / "quickstarts"


def files_with(root: Path, suffix: str) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.lower().endswith(suffix):
                found.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(found)


def json_files(root: Path) -> list[str]:
    return files_with(root, ".json")


def bicep_files(root: Path) -> list[str]:
    return files_with(root, ".bicep")


def total_bytes(root: Path, files: Iterable[str]) -> int:
    return sum((root / name).stat().st_size for name in files)


def fingerprint(root: Path, files: Iterable[str]) -> str:
    """Identifies a file set and its contents cheaply (names and sizes), for caching results about it."""
    digest = hashlib.sha256()
    for name in files:
        digest.update(f"{name}\0{(root / name).stat().st_size}\n".encode())
    return digest.hexdigest()[:16]
