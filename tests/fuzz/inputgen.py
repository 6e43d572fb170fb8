"""Hypothesis strategies for templategen YAML inputs, guided by the input schemas in `schemas/`.

Random text rarely gets past `kind:`. This generator reads the real schemas and writes inputs that
are mostly the right shape: known keys (and sometimes unknown ones), enum values, strings that match
or almost match the patterns, numbers at and around the bounds, the right types most of the time.
So the schema check, the defaults, the semantic checks (ticks, dates, policy relations) and the
renderers all see inputs that are *nearly* valid, which is where their bugs hide.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from hypothesis import strategies as st

from tests.conftest import REPO

SCHEMAS = REPO / "schemas"
KINDS = {
    "vmsnapshot-extension": "input-vmsnapshot-extension.schema.json",
    "recovery-services-backup-vms": "input-recovery-services-backup-vms.schema.json",
}

#: Strings offered wherever a string goes: valid-looking values of many fields, and trouble.
STRINGS = [
    "",
    "a",
    "vm-web-01",
    "rg-workloads",
    "RecoveryServicesVault",
    "DefaultPolicy",
    "westeurope",
    "05:30",
    "05:15",
    "24:00",
    "UTC",
    "Pacific Standard Time",
    "Monday",
    "Sunday",
    "January",
    "First",
    "Last",
    "Daily",
    "Weekly",
    "Standard",
    "Enhanced",
    "windows",
    "linux",
    "keyVault",
    "parameter",
    "1.0",
    "1.10",
    "2017-11-09T04:53:20Z",
    "2017-02-30T00:00:00Z",
    "2017-11-09T04:53:20",
    "9999-12-31T23:59:59.9999999Z",
    "0001-01-01T00:00:00Z",
    "636458000000000000",
    "6.36458E+17",
    "3155378975999999999",
    "3155378976000000000",
    "-1",
    "e07354cf-041e-4370-929f-25a319ce8933_1",
    "Microsoft.Azure.RecoveryServices",
    "Microsoft.RecoveryServices",
    "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
    "https://acct.blob.core.windows.net/c/b?sv=2020-08-04&sig=INPUTGENSECRET&se=2030-01-01",
    "2023-04-01",
    "2099-01-01-preview",
    "x" * 300,
    "é✓",
    "a\nb",
    "a\rb",
    "\u2028",
    "${x}",
    "[parameters('x')]",
    "'",
]


@cache
def _schema_file(name: str) -> Any:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def _resolve(schema: Any, current: str) -> tuple[Any, str]:
    """Follow `$ref`s (in this file or another one of `schemas/`) to the schema they name."""
    for _ in range(20):
        if not isinstance(schema, dict) or "$ref" not in schema:
            return schema, current
        ref = schema["$ref"]
        file_part, _, pointer = ref.partition("#")
        if file_part:
            current = file_part
        node = _schema_file(current)
        for token in [t for t in pointer.split("/") if t]:
            node = node[token]
        schema = node
    return schema, current


def _junk() -> st.SearchStrategy[object]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(STRINGS),
        st.text(max_size=10),
        st.lists(st.sampled_from(STRINGS), max_size=3),
        st.dictionaries(st.sampled_from(["name", "new", "x"]), st.sampled_from(STRINGS), max_size=2),
    )


@st.composite
def value_for(draw: st.DrawFn, schema: Any, current: str, depth: int = 0) -> object:
    """A value for `schema`: right most of the time, sometimes junk."""
    schema, current = _resolve(schema, current)
    if not isinstance(schema, dict) or depth > 6 or draw(st.integers(0, 14)) == 0:
        return draw(_junk())
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return draw(st.sampled_from(schema["enum"]))
    choices = []
    for key in ("oneOf", "anyOf"):
        if key in schema:
            choices.extend(schema[key])
    if choices:
        return draw(value_for(draw(st.sampled_from(choices)), current, depth + 1))
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = draw(st.sampled_from(kind))
    examples = [*schema.get("examples", []), *([schema["default"]] if "default" in schema else [])]
    if examples and draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(examples))
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        names = draw(st.lists(st.sampled_from(sorted(properties) or ["x"]), unique=True, max_size=6))
        result: dict[str, object] = {}
        for name in names:
            if name in properties:
                result[name] = draw(value_for(properties[name], current, depth + 1))
        if draw(st.integers(0, 9)) == 0:
            result[draw(st.sampled_from(["nmae", "extra", "<<", "Name"]))] = draw(_junk())
        return result
    if kind == "array":
        items = schema.get("items", {})
        return draw(st.lists(value_for(items, current, depth + 1), max_size=4))
    if kind == "integer":
        low = schema.get("minimum", -5)
        high = schema.get("maximum", low + 1000)
        return draw(st.sampled_from([low - 1, low, high, high + 1]) | st.integers(low, high))
    if kind == "number":
        return draw(st.floats(-1e6, 1e6) | st.integers(-10, 10))
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "string":
        return draw(st.sampled_from(STRINGS) | st.text(max_size=12))
    return draw(_junk())


@st.composite
def input_documents(draw: st.DrawFn) -> dict[str, object]:
    """A whole input: `kind:` and the rest of its schema."""
    kind = draw(st.sampled_from(sorted(KINDS)))
    data = draw(value_for(_schema_file(KINDS[kind]), KINDS[kind]))
    if not isinstance(data, dict):
        data = {}
    data["kind"] = kind
    return data


def as_yaml(data: object, style: int) -> str:
    """Write `data` as YAML: block style (through PyYAML), or JSON (which is YAML flow style)."""
    if style == 0:
        return json.dumps(data, ensure_ascii=False)
    import yaml

    return yaml.safe_dump(data, allow_unicode=style == 1, sort_keys=False)
