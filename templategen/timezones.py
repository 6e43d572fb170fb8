"""Windows time-zone ids (`schemas/windows-time-zones.json`), read once, on demand.

An Azure Backup policy reads its run time in `timeZone`, a *Windows* time-zone id such as
`W. Europe Standard Time`, not an IANA name such as `Europe/Berlin`. The list is data, dated, so it
is refreshed by editing one file. Lookups answer three questions: is this exactly an id, is it an id
in another letter case, and which id is closest to a typo.

On the lint path: `json` and `os` at import time; `difflib` only when a suggestion is needed.
"""

from __future__ import annotations

import json
import os

from templategen.resources import data_dir

DATA_FILE = "windows-time-zones.json"

_ids: dict[str, str] | None = None  # lower-cased id -> id as Windows spells it
_compiled = ""


def _load() -> dict[str, str]:
    global _ids, _compiled
    if _ids is None:
        with open(os.path.join(data_dir("schemas"), DATA_FILE), encoding="utf-8") as handle:
            data = json.load(handle)
        names = [*data["ids"], *data["legacy"]]
        _ids = {name.lower(): name for name in names}
        _compiled = str(data["compiled"])
    return _ids


def compiled() -> str:
    """The date the list was compiled (YYYY-MM-DD)."""
    _load()
    return _compiled


def all_ids() -> list[str]:
    """Every id, as Windows spells it, sorted."""
    return sorted(_load().values())


def is_id(name: str) -> bool:
    """True when `name` is a Windows time-zone id, spelled exactly."""
    return _load().get(name.lower()) == name


def canonical(name: str) -> str | None:
    """The id `name` stands for when only the letter case differs (`utc` → `UTC`), else None."""
    return _load().get(name.lower())


def closest(name: str) -> str | None:
    """The id most similar to `name` (a typo, or an IANA name such as `Europe/Berlin` → none close),
    or None when nothing is reasonably close."""
    import difflib

    ids = _load()
    found = difflib.get_close_matches(name.lower(), list(ids), n=1, cutoff=0.75)
    return ids[found[0]] if found else None
