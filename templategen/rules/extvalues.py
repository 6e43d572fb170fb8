"""Value checks of the extension rules that need more than a schema: ticks, objectStr, secrecy.

Each function takes evaluated values (and, where the answer depends on how a value was written, the
raw JSON) and returns messages; the rules in `templategen.rules.extension` decide where to report
them. Nothing here prints a value except through `describe` (unknowns as `<...>`, secrets as `***`,
SAS signatures as `sig=***`).
"""

from __future__ import annotations

import re

from templategen.arm.names import is_expression
from templategen.arm.values import (
    Partial,
    SecretFloat,
    SecretInt,
    SecretStr,
    Unknown,
    describe,
    is_known,
    is_secret,
)
from templategen.inputs.ticks import MAX_TICKS, TICKS_PER_SECOND, TicksError, parse_ticks, ticks_to_iso

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.arm.template import Template

# --------------------------------------------------------------------------------------------------
# ticks

_E_NOTATION = re.compile(r"(?P<sign>[-+]?)(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?[eE](?P<exp>[-+]?[0-9]+)")
#: 2^53: above it an IEEE double cannot hold every integer.
DOUBLE_EXACT = 2**53


def _duration(ticks: int) -> str:
    seconds = ticks / TICKS_PER_SECOND
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    if seconds >= 60:
        return f"{seconds / 60:.1f} minutes"
    if seconds >= 1:
        return f"{seconds:g} seconds"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:g} ms"
    return f"{seconds * 1e6:g} µs"


def _instant(ticks: int) -> str | None:
    return ticks_to_iso(ticks) if 0 <= ticks <= MAX_TICKS else None


def e_notation_message(text: str) -> str | None:
    """Why an E-notation ticks string is wrong: which instants it can stand for. None if not E-notation."""
    match = _E_NOTATION.fullmatch(text.strip())
    if match is None or not (match["int"] or match["frac"]):
        return None
    digits = (match["int"] or "") + (match["frac"] or "")
    exponent = int(match["exp"]) - len(match["frac"] or "")
    significant = len(digits.lstrip("0")) or 1
    if match["sign"] == "-":
        return f"scientific notation, and negative: ticks count up from 0001-01-01 (0 to {MAX_TICKS})"
    if exponent <= 0:
        return None if exponent == 0 else "scientific notation with a fraction: ticks are whole numbers"
    unit = 10**exponent
    value = int(digits) * unit
    half = unit // 2
    low, high = value - half, value + half
    centre = _instant(value)
    if centre is None:
        return f"scientific notation, and {value} is outside the .NET DateTime range (0 to {MAX_TICKS})"
    window = (
        f"any instant from {_instant(max(low, 0)) or 'the start of the range'} to "
        f"{_instant(min(high, MAX_TICKS)) or 'the end of the range'}"
    )
    return (
        f"scientific notation: its {significant} significant digits stand for {window} "
        f"(±{_duration(half)} around {centre}); write every digit of the intended tick count, "
        "as a string"
    )


def ticks_problem(value: object, source_text: str | None) -> str | None:
    """What is wrong with an evaluated `commandStartTimeUTCTicks` value (None: fine or unknown).

    `source_text` is the number as written in the file when the value is a JSON number (so
    `6.36458E+17` is quoted as written, not as Python prints the float).
    """
    if isinstance(value, (Unknown, Partial)) or is_secret(value):
        return None
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        kind = "null" if value is None else "true/false" if isinstance(value, bool) else type(value).__name__
        kind = {"list": "an array", "dict": "an object"}.get(kind, kind)
        return f"is {kind}; expected .NET ticks as a string of digits, like '636458000000000000'"
    if isinstance(value, (int, float)):
        return _number_problem(value, source_text)
    if not isinstance(value, str):
        return None
    text = value
    e_message = e_notation_message(text)
    if e_message is not None:
        return f"is '{describe(text)}', {e_message}"
    try:
        parse_ticks(text)
    except TicksError as exc:
        reason = str(exc)
        shown = f"is '{describe(text)}'"
        stripped = text.strip()
        if stripped.isdigit():
            ticks = int(stripped)
            if ticks > MAX_TICKS:
                return f"{shown}: beyond DateTime.MaxValue ({MAX_TICKS}, 9999-12-31T23:59:59.9999999Z)"
            at = _instant(ticks)
            return f"{shown}: {reason}; it would denote {at}" if at else f"{shown}: {reason}"
        if stripped.startswith("-") and stripped[1:].isdigit():
            return f"{shown}: negative; ticks count from 0001-01-01T00:00:00Z (0 to {MAX_TICKS})"
        return f"{shown}: {reason}"
    if text != text.strip():
        return f"is '{describe(text)}' with surrounding spaces; write only the digits"
    return None


def _number_problem(value: int | float, source_text: str | None) -> str:
    written = source_text if source_text else describe(value)
    if isinstance(value, float) and not value.is_integer():
        return f"is the JSON number {written}; ticks are whole numbers, written as a string of digits"
    if isinstance(value, float):
        e_message = e_notation_message(written)
        exact = int(value)
        if e_message is not None:
            return f"is the JSON number {written}, not a string, and {e_message}"
    else:
        exact = int(value)
    if exact < 0 or exact > MAX_TICKS:
        return (
            f"is the JSON number {written}, outside the .NET DateTime range (0 to {MAX_TICKS}); "
            "ticks are a string of digits"
        )
    at = _instant(exact)
    head = f"is the JSON number {written} ({at}), not a string"
    if exact <= DOUBLE_EXACT:
        return f'{head}: the documented type is a string; quote it: "{exact}"'
    spacing = 2 ** (exact.bit_length() - 53)
    rounded = int(float(exact))
    readers = (
        "readers that hold JSON numbers as IEEE doubles (JavaScript, the portal, jq, many JSON "
        f"libraries) keep 53 bits, and at this size neighbouring doubles are {spacing} ticks "
        f"({_duration(spacing)}) apart"
    )
    if rounded != exact:
        off = abs(rounded - exact)
        fate = f"so it becomes {rounded} (off by {off} tick{'' if off == 1 else 's'})"
    else:
        fate = "so this value survives only because it is a multiple of " + str(spacing)
    return f'{head}: {readers}, {fate}; quote it: "{exact}"'


# --------------------------------------------------------------------------------------------------
# objectStr


def object_str_problems(value: object) -> list[str]:
    """What is wrong with an evaluated objectStr (a string holding `{"blobSASUri": [...]}`).

    Unknown, partly unknown and secret values are not read (never guessed, never printed).
    """
    if not isinstance(value, str) or is_secret(value):
        return []
    import json

    text = value.strip()
    if not text:
        return ["is empty; expected a JSON object with a `blobSASUri` array of disk SAS URIs"]
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        hint = ""
        if text.startswith('"blobSASUri"') or text.lower().startswith('"blobsasuri"'):
            hint = " (the enclosing braces are missing: the document shows only the member)"
        position = getattr(exc, "pos", None)
        detail = str(getattr(exc, "msg", "not JSON"))
        if isinstance(position, int):
            detail += f" at character {position + 1}"
        return [
            f"is not JSON ({detail}){hint}; expected a JSON object serialized to a string: "
            '{"blobSASUri": ["https://<account>.blob.core.windows.net/<container>/<disk>.vhd?sv=...", ...]}'
        ]
    if not isinstance(parsed, dict):
        return ['holds JSON that is not an object; expected {"blobSASUri": [...]}']
    if "blobSASUri" not in parsed:
        other = next((key for key in parsed if key.lower() == "blobsasuri"), None)
        if other is not None:
            return [f"spells the member `{other}`; the extension reads `blobSASUri`"]
        return ['has no `blobSASUri` member; expected {"blobSASUri": [<disk SAS URI>, ...]}']
    uris = parsed["blobSASUri"]
    if not isinstance(uris, list):
        return ["has a `blobSASUri` that is not an array; expected one SAS URI string per disk"]
    if not uris:
        return ["has an empty `blobSASUri`; expected one SAS URI per disk of the VM"]
    return [
        f"has a `blobSASUri` item {index + 1} that is not a string; expected a SAS URI"
        for index, item in enumerate(uris)
        if not isinstance(item, str)
    ]


def object_str_uris(value: object, *, secret_too: bool = False) -> list[str]:
    """The disk SAS URIs of a readable objectStr (empty when it cannot be read). Values from secure
    parameters are read only with `secret_too`; the caller must then keep the URIs out of messages
    (they come back as plain strings)."""
    if not isinstance(value, str) or (is_secret(value) and not secret_too):
        return []
    import json

    try:
        parsed = json.loads(value)
    except ValueError:
        return []
    if not isinstance(parsed, dict) or not isinstance(parsed.get("blobSASUri"), list):
        return []
    return [item for item in parsed["blobSASUri"] if isinstance(item, str)]


# --------------------------------------------------------------------------------------------------
# where a protected value comes from


def _referenced(raw: object) -> tuple[list[str], list[str]]:
    """Names of the parameters and variables a raw value's expressions read directly."""
    from templategen.arm.expressions import Call, StringLit, parse_cached, walk

    parameters: list[str] = []
    variables: list[str] = []
    stack = [raw]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif is_expression(item):
            assert isinstance(item, str)
            parsed = parse_cached(item)
            if isinstance(parsed, Exception):
                continue
            for node in walk(parsed):
                if isinstance(node, Call) and node.args and isinstance(node.args[0], StringLit):
                    low = node.name.lower()
                    if low == "parameters":
                        parameters.append(node.args[0].value)
                    elif low == "variables":
                        variables.append(node.args[0].value)
    return parameters, variables


_PARAMETER_LABEL = re.compile(r"parameters\('((?:[^']|'')*)'\)")


def _unknown_parameters(value: object) -> list[str]:
    """Parameter names behind the unknown pieces of a value (their canonical labels)."""
    names: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Unknown):
            match = _PARAMETER_LABEL.fullmatch(item.label)
            if match is not None and not item.secret:
                names.append(match[1].replace("''", "'"))
        elif isinstance(item, Partial):
            stack.extend(part for part in item.parts if isinstance(part, Unknown))
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return names


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == {} or value == []


def insecure_source(raw: object, written: bool, value: object, scope: Template) -> str | None:
    """Why a protected value is not secret, or None when it is (or cannot be told).

    `raw` is the value as written (`written` False when it is not written at this place, e.g. it
    comes from an expression higher up), `value` the evaluated value, `scope` the template whose
    parameters the expressions read. A value from a secure parameter or a Key Vault reference is
    secret; a value computed at deployment (`reference()`, `list*()`) is unknown and not a finding.
    """
    if is_secret(value) or _is_empty(value):
        return None
    if isinstance(value, (SecretStr, SecretInt, SecretFloat)):
        return None
    plain: list[str] = []
    seen: set[str] = set()
    parameter_names = (_referenced(raw)[0] if written else []) + _unknown_parameters(value)
    for name in parameter_names:
        parameter = scope.parameter(name)
        if parameter is not None and not parameter.secure and parameter.key not in seen:
            seen.add(parameter.key)
            plain.append(f"parameter '{parameter.name}' of type {parameter.type or 'unknown'}")
    if plain:
        return "comes from " + ", ".join(plain) + ", which is not secure"
    if written and not is_expression(raw) and is_known(value):
        return "is a literal written in the template"
    if is_known(value):
        variables = _referenced(raw)[1] if written else []
        if variables:
            names = ", ".join(f"'{name}'" for name in dict.fromkeys(variables))
            return f"comes from variable {names}, whose value is written in the template"
        return "is known before deployment (written in the template or a parameters file)"
    return None
