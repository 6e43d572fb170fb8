"""The dated catalogue of known API versions (`schemas/api-versions.json`), read once, on demand.

The lists live in data, not code, so refreshing them is an edit of one JSON file and its `compiled`
date (DOMAIN Decision 6). The generator takes `newest_stable(type)` as its "current apiVersion"; the
linter compares a template's versions with `known_versions(type)`.

This module is on the lint path: it imports only `json` and `os` at run time, and resource types are
looked up case-insensitively because ARM treats them that way.
"""

from __future__ import annotations

import os

from templategen.resources import data_dir

CATALOGUE_FILE = "api-versions.json"

_catalogue: dict[str, object] | None = None
_by_type: dict[str, dict[str, list[str]]] | None = None


def _load() -> dict[str, dict[str, list[str]]]:
    global _catalogue, _by_type
    if _by_type is None:
        path = os.path.join(data_dir("schemas"), CATALOGUE_FILE)
        import json

        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        types = data["resourceTypes"]
        _catalogue = data
        _by_type = {
            name.lower(): {"name": [name], "stable": list(entry["stable"]), "preview": list(entry["preview"])}
            for name, entry in types.items()
        }
    return _by_type


def catalogue_date() -> str:
    """The date (YYYY-MM-DD) the lists were compiled; messages quote it so users know how fresh they are."""
    _load()
    assert _catalogue is not None
    return str(_catalogue["compiled"])


def resource_types() -> list[str]:
    """Every resource type in the catalogue, spelled as in the file, sorted."""
    return sorted(entry["name"][0] for entry in _load().values())


def canonical_type(resource_type: str) -> str:
    """The catalogue's spelling of a type it lists (`microsoft.compute/VIRTUALMACHINES` →
    `Microsoft.Compute/virtualMachines`); KeyError when it does not list it."""
    return _entry(resource_type)["name"][0]


def has_type(resource_type: str) -> bool:
    """True when the catalogue lists `resource_type` (any case)."""
    return resource_type.lower() in _load()


def newest_stable(resource_type: str) -> str:
    """The newest stable API version of `resource_type`; KeyError when the catalogue does not list it."""
    return max(_entry(resource_type)["stable"])


def stable_versions(resource_type: str) -> list[str]:
    """Stable versions of `resource_type`, newest first."""
    return sorted(_entry(resource_type)["stable"], reverse=True)


def preview_versions(resource_type: str) -> list[str]:
    """Preview versions (`YYYY-MM-DD-preview`) of `resource_type`, newest first."""
    return sorted(_entry(resource_type)["preview"], reverse=True)


def known_versions(resource_type: str) -> list[str]:
    """Stable and preview versions of `resource_type`, newest first (a preview sorts after the stable
    version of the same date)."""
    entry = _entry(resource_type)
    return sorted(entry["stable"] + entry["preview"], reverse=True)


def is_known(resource_type: str, api_version: str) -> bool:
    """True when `api_version` is a listed stable or preview version of `resource_type` (exact spelling)."""
    entry = _load().get(resource_type.lower())
    return entry is not None and (api_version in entry["stable"] or api_version in entry["preview"])


def accepted(resource_type: str, api_version: str) -> bool:
    """True when Resource Manager accepts `api_version` for `resource_type` as far as the catalogue
    knows: a listed version, compared ignoring case (`2016-04-30-Preview` is `2016-04-30-preview`)."""
    entry = _load().get(resource_type.lower())
    if entry is None:
        return False
    low = api_version.lower()
    return any(low == version.lower() for version in entry["stable"] + entry["preview"])


def version_date(api_version: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a `YYYY-MM-DD[-suffix]` version; None for anything else."""
    head = api_version[:10]
    if len(head) != 10 or head[4] != "-" or head[7] != "-" or not (head[:4] + head[5:7] + head[8:]).isdigit():
        return None
    if len(api_version) > 10 and api_version[10] != "-":
        return None
    return int(head[:4]), int(head[5:7]), int(head[8:])


def is_preview(api_version: str) -> bool:
    """True for versions with a `-preview` (or other pre-release) suffix."""
    return len(api_version) > 10 and api_version[10] == "-"


def _entry(resource_type: str) -> dict[str, list[str]]:
    try:
        return _load()[resource_type.lower()]
    except KeyError:
        raise KeyError(f"resource type {resource_type!r} is not in the API-version catalogue") from None
