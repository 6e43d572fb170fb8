"""Which files a lint run reads: paths, directories (walked) and glob patterns.

A directory walk reads every `.json`, `.jsonc` and `.bicep` file, and YAML files only when they are
templategen inputs (their `kind:` or schema modeline says so): a repository is full of YAML that is
none of our business (CI workflows, compose files). A file named explicitly is always a candidate;
the run then skips (and lists as skipped) JSON that is neither a template nor a parameters file and
YAML that is not an input, so `templategen lint $(git diff --name-only)` and pre-commit just work.
The walk never follows symlinked directories (so a symlink loop cannot trap it), skips the usual
tool folders, and reports unreadable folders instead of stopping.
"""

from __future__ import annotations

import os
import re

JSON_EXTENSIONS = (".json", ".jsonc")
BICEP_EXTENSIONS = (".bicep",)
YAML_EXTENSIONS = (".yaml", ".yml")

#: Folders a walk never enters: version control, virtual environments, caches, dependencies.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".hypothesis",
    }
)

#: What marks a YAML file as a templategen input, compiled on first use (only YAML files need it,
#: and compiling it costs more start-up time than linting a small template).
_INPUT_MARK_PATTERN = (
    rb"^(?:kind:\s*['\"]?(?:vmsnapshot-extension|recovery-services-backup-vms)\b"
    rb"|#\s*yaml-language-server:.*templategen)"
)
_GLOB_CHARS = frozenset("*?[")


class Candidate:
    """One path to lint, with the kind its name suggests and, for walk problems, an error to report."""

    __slots__ = ("error", "explicit", "path")

    def __init__(self, path: str, explicit: bool, error: str | None = None) -> None:
        self.path = path
        self.explicit = explicit
        self.error = error


def kind_by_extension(path: str) -> str:
    """ "json", "bicep" or "yaml" by file name; anything else is read as JSON."""
    lower = path.lower()
    if lower.endswith(BICEP_EXTENSIONS):
        return "bicep"
    if lower.endswith(YAML_EXTENSIONS):
        return "yaml"
    return "json"


def looks_like_input(path: str) -> bool:
    """True when a YAML file declares itself a templategen input (first 4 KiB are enough).

    The peek never blocks (a FIFO nobody writes to reads as empty) and reads UTF-16 with a BOM too.
    """
    from templategen.reading import read_head

    try:
        head = read_head(path, 4096)
    except OSError:
        return True  # let the reader report why it cannot be read
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[: len(head) // 2 * 2].decode("utf-16", "replace").encode("utf-8")
    return re.search(_INPUT_MARK_PATTERN, head, re.MULTILINE) is not None


def discover(paths: list[str]) -> list[Candidate]:
    """Expand `paths` into files, in a stable order, without duplicates."""
    seen: set[str] = set()
    out: list[Candidate] = []

    def add(candidate: Candidate) -> None:
        key = os.path.normpath(candidate.path)
        if key not in seen:
            seen.add(key)
            out.append(candidate)

    for raw in paths:
        if os.path.isdir(raw):
            for candidate in _walk(raw):
                add(candidate)
        elif os.path.lexists(raw):
            add(Candidate(raw, explicit=True))
        elif _GLOB_CHARS & set(raw):
            import glob

            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                add(Candidate(raw, explicit=True, error="no file matches this pattern"))
            for match in matches:
                if os.path.isdir(match):
                    for candidate in _walk(match):
                        add(candidate)
                else:
                    add(Candidate(match, explicit=True))
        else:
            add(Candidate(raw, explicit=True, error="no such file or directory"))
    return out


def _walk(root: str) -> list[Candidate]:
    found: list[Candidate] = []
    errors: list[Candidate] = []

    def on_error(exc: OSError) -> None:
        where = exc.filename or root
        errors.append(Candidate(str(where), explicit=True, error=f"cannot read directory: {exc.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if not os.path.isfile(path):
                continue  # a FIFO or socket would block `open`; a dangling symlink has nothing to read
            lower = name.lower()
            if lower.endswith(JSON_EXTENSIONS + BICEP_EXTENSIONS) or (
                lower.endswith(YAML_EXTENSIONS) and looks_like_input(path)
            ):
                found.append(Candidate(path, explicit=False))
    return found + errors
