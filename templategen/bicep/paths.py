"""Which files a Bicep file may make the reader open: its local modules and `load*()` targets, inside
its project folder only.

A linter runs on files it did not write: in CI on a pull request, a Bicep file saying
`loadTextContent('../../../../home/runner/.ssh/id_rsa')` or `module m '/etc/shadow'` would make the
reader open that file, and a finding quoting the loaded value would print it in a public log. So a
path is followed only when it stays inside the *project folder* of the file being read:

* `TEMPLATEGEN_BICEP_ROOT`, when set, names it (set it to `/` to allow anything);
* otherwise the nearest folder, from the file's own upwards, that holds `.git`, `.hg`, `.svn`,
  `bicepconfig.json`, `.templategen.yaml`/`.yml` or `pyproject.toml` (a repository or a project);
* otherwise the current folder when the file is inside it, else the file's own folder.

Paths are compared after resolving symbolic links, so a link inside the project that points outside
it is outside too. A module's own modules and loads are judged against the top file's project folder.
"""

from __future__ import annotations

import os

ROOT_ENV = "TEMPLATEGEN_BICEP_ROOT"
MARKERS = (
    ".git",
    ".hg",
    ".svn",
    "bicepconfig.json",
    ".templategen.yaml",
    ".templategen.yml",
    "pyproject.toml",
)


def project_root(directory: str) -> str:
    """The project folder of a Bicep file in `directory` (absolute, symbolic links resolved)."""
    chosen = os.environ.get(ROOT_ENV)
    if chosen:
        return os.path.realpath(chosen)
    start = os.path.realpath(directory)
    current = start
    while True:
        if any(os.path.lexists(os.path.join(current, marker)) for marker in MARKERS):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    here = os.path.realpath(os.getcwd())
    return here if is_inside(start, here) else start


def is_inside(path: str, root: str) -> bool:
    """True when `path` (resolved) is `root` or below it."""
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def outside_message(written: str, root: str) -> str:
    return f"'{written}' is outside the project folder {root} (set {ROOT_ENV} to allow it); not read"
