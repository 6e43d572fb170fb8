"""Keep secrets out of everything we print.

A SAS URI is a bearer credential: whoever reads the `sig` can use it until it expires. Protected
settings and secure parameters are secret by declaration. Messages, reports, logs and errors pass
through these helpers so the finding still says *where* the problem is (`...&sig=***&se=...`) without
ever repeating the secret itself.
"""

from __future__ import annotations

import re

MASK = "***"

# `sig=<value>` in a query string, raw or URL-encoded once (`sig%3D...`), in any case.
_SIG = r"(?i)(\bsig(?:=|%3D))[^&\s\"'<>\\]*"
# Storage connection strings and shared keys: `AccountKey=...;`, `SharedAccessKey=...;`.
_KEYS = r"(?i)\b(AccountKey|SharedAccessKey|SharedAccessSignature)=([^;\s\"']*)"
# The patterns are compiled on first use (by `re`'s own cache): this module is on lint's start-up
# path, and a clean run never needs them.


def redact_text(text: str) -> str:
    """Return `text` with every SAS signature and account key replaced by `***`."""
    if "sig" not in text.lower() and "key=" not in text.lower() and "signature=" not in text.lower():
        return text
    text = re.sub(_SIG, lambda m: m.group(1) + MASK, text)
    return re.sub(_KEYS, lambda m: m.group(1) + "=" + MASK, text)


def contains_sas_signature(text: str) -> bool:
    """True when `text` carries a SAS signature (a `sig=` query parameter with a value)."""
    if "sig" not in text.lower():
        return False
    return any(m.group(0)[len(m.group(1)) :] for m in re.finditer(_SIG, text))


def redact_value(value: object) -> object:
    """Deep copy of a JSON-like value with every string leaf replaced by `***` (for secret containers)."""
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    return MASK
