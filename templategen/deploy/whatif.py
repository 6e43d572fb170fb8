"""Render a what-if result as a diff a reviewer can read, in the spirit of `az deployment group what-if`.

One block per resource, grouped by scope and sorted by resource id (so the same result always gives
the same bytes): a symbol for the change (`+` create, `~` modify, `-` delete, `=` no change, `*`
ignore, `!` deploy, `x` unsupported or no effect), then for creations the properties that will be
set, for modifications each changed property as `before => after`, for deletions what goes away.

Secrets are masked before anything is formatted (`mask_change`): values under password-like or
`protectedSettings` paths, the secure parameter values of this run wherever they appear, SAS
signatures. The same masked data feeds `--format json`.
"""

from __future__ import annotations

import json

from templategen.deploy.masking import is_secret_key, mask_all

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.deploy.masking import Masker

SYMBOLS = {
    "Create": "+",
    "Modify": "~",
    "Delete": "-",
    "Deploy": "!",
    "NoChange": "=",
    "Ignore": "*",
    "Unsupported": "x",
    "NoEffect": "x",
    "Array": "~",
}
# ANSI SGR colours: green, magenta, red, blue, grey.
COLOURS = {
    "Create": "32",
    "Modify": "35",
    "Delete": "31",
    "Deploy": "34",
    "NoChange": "90",
    "Ignore": "90",
    "Unsupported": "90",
    "NoEffect": "90",
    "Array": "35",
}
_LEGEND_ORDER = ("Create", "Modify", "Delete", "Deploy", "NoChange", "Ignore", "Unsupported", "NoEffect")
_SUMMARY = (
    ("Create", "to create"),
    ("Modify", "to modify"),
    ("Delete", "to delete"),
    ("Deploy", "to deploy"),
    ("NoChange", "no change"),
    ("Ignore", "to ignore"),
    ("Unsupported", "unsupported"),
)
# Shown in the resource header line rather than as properties of a created or deleted resource.
_HEADER_KEYS = ("id", "name", "type", "apiversion")


def _path_is_secret(path: str) -> bool:
    return any(is_secret_key(part.split("[", 1)[0]) for part in path.split(".") if part)


# --- masking -----------------------------------------------------------------------------------


def _mask_delta(entries: object, masker: Masker, prefix: str) -> object:
    if not isinstance(entries, list):
        return entries
    out: list[object] = []
    for entry in entries:
        if not isinstance(entry, dict):
            out.append(entry)
            continue
        copy = dict(entry)
        path = _join(prefix, str(entry.get("path", "")))
        secret = _path_is_secret(path)
        for side in ("before", "after"):
            if side in copy:
                copy[side] = mask_all(copy[side]) if secret else masker.value(copy[side])
        if "children" in copy:
            copy["children"] = _mask_delta(copy["children"], masker, path)
        out.append(copy)
    return out


def mask_change(change: dict[str, object], masker: Masker) -> dict[str, object]:
    """A copy of one what-if change with every secret value masked (structure kept)."""
    copy: dict[str, object] = {}
    for key, value in change.items():
        if key in ("before", "after"):
            copy[key] = masker.value(value)
        elif key == "delta":
            copy[key] = _mask_delta(value, masker, "")
        else:
            copy[key] = masker.value(value)
    return copy


def mask_result(result: dict[str, object], masker: Masker) -> dict[str, object]:
    """The what-if result with `properties.changes` and `potentialChanges` masked."""
    out = dict(result)
    props = result.get("properties")
    if isinstance(props, dict):
        props = dict(props)
        for key in ("changes", "potentialChanges"):
            changes = props.get(key)
            if isinstance(changes, list):
                props[key] = [mask_change(c, masker) if isinstance(c, dict) else c for c in changes]
        if "diagnostics" in props:
            props["diagnostics"] = masker.value(props["diagnostics"])
        out["properties"] = props
    return out


# --- formatting helpers ------------------------------------------------------------------------


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    if path.isdigit():
        return f"{prefix}[{path}]"
    return f"{prefix}.{path}"


def _sort_key(key: str) -> tuple[str, str]:
    return (key.lower(), key)


def flatten(value: object, prefix: str = "") -> list[tuple[str, object]]:
    """(path, leaf) pairs of a JSON value, keys sorted; empty objects and arrays are leaves."""
    if isinstance(value, dict) and value:
        out: list[tuple[str, object]] = []
        for key in sorted(value, key=_sort_key):
            out.extend(flatten(value[key], _join(prefix, key)))
        return out
    if isinstance(value, list) and value:
        out = []
        for index, item in enumerate(value):
            out.extend(flatten(item, f"{prefix}[{index}]"))
        return out
    return [(prefix, value)]


def _fmt(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class _Painter:
    __slots__ = ("enabled",)

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, kind: str) -> str:
        colour = COLOURS.get(kind)
        if not self.enabled or not colour:
            return text
        return f"\x1b[{colour}m{text}\x1b[0m"


def _split_id(resource_id: str) -> tuple[str, str]:
    """`(scope, "Provider/type/name")` of a resource id (split at the first `/providers/`)."""
    low = resource_id.lower()
    at = low.find("/providers/")
    if at < 0:
        return resource_id, resource_id
    return resource_id[:at], resource_id[at + len("/providers/") :]


def _api_version(change: dict[str, object]) -> str:
    for side in ("after", "before"):
        payload = change.get(side)
        if isinstance(payload, dict):
            for key, value in payload.items():
                if key.lower() == "apiversion" and value:
                    return str(value)
    return ""


def _aligned(rows: list[tuple[str, str, str, str]], indent: str, paint: _Painter) -> list[str]:
    """rows of (kind, symbol, path, value text) → lines with values aligned in one column."""
    width = max((len(path) for _, _, path, _ in rows), default=0)
    lines = []
    for kind, symbol, path, text in rows:
        sym = f"{symbol} " if symbol else ""
        lines.append(indent + paint(f"{sym}{(path + ':').ljust(width + 1)} {text}".rstrip(), kind))
    return lines


def _delta_rows(entries: object, prefix: str = "") -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    if not isinstance(entries, list):
        return rows
    for entry in sorted(
        (e for e in entries if isinstance(e, dict)), key=lambda e: _sort_key(str(e.get("path", "")))
    ):
        kind = str(entry.get("propertyChangeType", "Modify"))
        path = _join(prefix, str(entry.get("path", "")))
        symbol = SYMBOLS.get(kind, "~")
        children = entry.get("children")
        if kind == "Array" or (isinstance(children, list) and children):
            rows.extend(_delta_rows(children, path))
            continue
        before, after = entry.get("before"), entry.get("after")
        if kind == "Create":
            rows.extend((kind, symbol, p, _fmt(v)) for p, v in flatten(after, path))
        elif kind == "Delete":
            rows.extend((kind, symbol, p, _fmt(v)) for p, v in flatten(before, path))
        else:
            rows.append((kind, symbol, path, f"{_fmt(before)} => {_fmt(after)}"))
    return rows


def _diff_rows(before: object, after: object) -> list[tuple[str, str, str, str]]:
    """Property changes computed from before/after, for results that carry no `delta`."""
    old = dict(flatten(_strip_header(before)))
    new = dict(flatten(_strip_header(after)))
    rows = []
    for path in sorted(set(old) | set(new), key=_sort_key):
        if path not in old:
            rows.append(("Create", "+", path, _fmt(new[path])))
        elif path not in new:
            rows.append(("Delete", "-", path, _fmt(old[path])))
        elif old[path] != new[path]:
            rows.append(("Modify", "~", path, f"{_fmt(old[path])} => {_fmt(new[path])}"))
    return rows


def _strip_header(payload: object) -> object:
    if not isinstance(payload, dict):
        return payload
    return {k: v for k, v in payload.items() if k.lower() not in _HEADER_KEYS}


def _render_change(change: dict[str, object], paint: _Painter) -> list[str]:
    kind = str(change.get("changeType", "Unsupported"))
    symbol = SYMBOLS.get(kind, "?")
    _, relative = _split_id(str(change.get("resourceId", "")))
    api = _api_version(change)
    head = f"  {symbol} {relative}" + (f" [{api}]" if api else "")
    reason = change.get("unsupportedReason")
    if kind == "Unsupported" and reason:
        head += f": {reason}"
    lines = [paint(head, kind)]
    if kind in ("Create", "Delete"):
        payload = change.get("after" if kind == "Create" else "before")
        rows = [(kind, "", p, _fmt(v)) for p, v in flatten(_strip_header(payload)) if p]
        if rows:
            lines.append("")
            lines.extend(_aligned(rows, "      ", paint))
            lines.append("")
    elif kind in ("Modify", "Deploy"):
        delta = change.get("delta")
        if isinstance(delta, list):
            rows = _delta_rows(delta)
        else:
            rows = _diff_rows(change.get("before"), change.get("after"))
        if rows:
            lines.extend(_aligned(rows, "    ", paint))
            lines.append("")
    return lines


def _render_changes(changes: list[dict[str, object]], paint: _Painter) -> list[str]:
    by_scope: dict[str, list[dict[str, object]]] = {}
    for change in changes:
        scope, _ = _split_id(str(change.get("resourceId", "")))
        by_scope.setdefault(scope, []).append(change)
    lines: list[str] = []
    for scope in sorted(by_scope, key=_sort_key):
        lines.append(f"Scope: {scope}")
        lines.append("")
        for change in sorted(by_scope[scope], key=lambda c: _sort_key(str(c.get("resourceId", "")))):
            block = _render_change(change, paint)
            lines.extend(block)
            if block[-1] != "":
                lines.append("")
    return lines


def _kinds_in(changes: list[dict[str, object]]) -> set[str]:
    kinds: set[str] = set()

    def walk_delta(entries: object) -> None:
        if isinstance(entries, list):
            for entry in entries:
                if isinstance(entry, dict):
                    kinds.add(str(entry.get("propertyChangeType", "")))
                    walk_delta(entry.get("children"))

    for change in changes:
        kinds.add(str(change.get("changeType", "")))
        walk_delta(change.get("delta"))
    return kinds


def render_what_if(result: dict[str, object], colour: bool) -> str:
    """The text of a (masked, see `mask_result`) what-if result."""
    paint = _Painter(colour)
    props = result.get("properties")
    props = props if isinstance(props, dict) else {}
    changes = [c for c in props.get("changes") or [] if isinstance(c, dict)]
    potential = [c for c in props.get("potentialChanges") or [] if isinstance(c, dict)]
    kinds = _kinds_in(changes + potential)
    lines: list[str] = []
    legend = [k for k in _LEGEND_ORDER if k in kinds]
    if legend:
        lines.append("Resource and property changes are indicated with these symbols:")
        lines.extend(paint(f"  {SYMBOLS[k]} {k}", k) for k in legend)
        lines.append("")
    if changes:
        lines.append("The deployment will update the following scope:")
        lines.append("")
        lines.extend(_render_changes(changes, paint))
    if potential:
        lines.append("Potential changes (resources whose outcome Azure could not determine in advance):")
        lines.append("")
        lines.extend(_render_changes(potential, paint))
    counts = {k: sum(1 for c in changes if c.get("changeType") == k) for k, _ in _SUMMARY}
    parts = [f"{counts[k]} {label}" for k, label in _SUMMARY if counts[k]]
    lines.append("Resource changes: " + (", ".join(parts) if parts else "none") + ".")
    diagnostics = props.get("diagnostics")
    if isinstance(diagnostics, list) and diagnostics:
        lines.append("")
        lines.append("Diagnostics:")
        for diag in diagnostics:
            if isinstance(diag, dict):
                target = f" ({diag['target']})" if diag.get("target") else ""
                lines.append(
                    f"  {diag.get('level', 'Info')} {diag.get('code', '')}{target}: {diag.get('message', '')}"
                )
    return "\n".join(lines) + "\n"
