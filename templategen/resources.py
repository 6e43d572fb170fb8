"""Where the package's data lives: `schemas/` and `templates/`.

In a source checkout (and an editable install) they are the top-level folders of the repository;
in a wheel they are copied into the package (see `force-include` in pyproject.toml).
"""

from __future__ import annotations

import os

_PKG = os.path.dirname(os.path.abspath(__file__))


def data_dir(name: str) -> str:
    """Return the directory holding package data `name` ("schemas" or "templates")."""
    inside = os.path.join(_PKG, name)
    if os.path.isdir(inside):
        return inside
    return os.path.join(os.path.dirname(_PKG), name)
