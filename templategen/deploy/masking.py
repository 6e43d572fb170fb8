"""Keep secure parameter values, tokens and SAS signatures out of everything `deploy` prints.

Every line `deploy` writes (progress, errors, what-if, outputs, `-v` logs of the SDK) goes through a
`Masker`. It knows the actual secret values of this run (secure parameters from the command line and
from parameters files, the client secret in the environment), because Azure may echo a value back in
an error message or a what-if payload where no structure says it is secret. Structure-based masking
(`protectedSettings`, password-like property names, secure outputs) covers values we never saw.
"""

from __future__ import annotations

import json
import re

from templategen.redact import MASK, redact_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

#: Shorter values are masked where they appear as whole values, not inside free text: replacing every
#: "ab" in a message would make it unreadable and a two-character secret protects nothing.
MIN_TEXT_SECRET = 3

# OAuth material that the SDK's network trace (`-vv`) can show: bearer tokens, client secrets and
# assertions in token requests, tokens in token responses.
_OAUTH = re.compile(
    r"(?i)(\bbearer\s+|\b(?:client_secret|client_assertion|refresh_token|access_token|id_token)=)"
    r"[^\s&\"',;]+"
)
_OAUTH_JSON = re.compile(r'(?i)("(?:access_token|refresh_token|id_token|client_secret)"\s*:\s*")[^"]*')

#: Property names whose values are secret wherever they appear (lower case, compared as substrings).
SECRET_KEY_PARTS = ("password", "secret", "protectedsettings")
#: Except these, which hold references or flags rather than secret values.
SECRET_KEY_EXCEPTIONS = ("protectedsettingsfromkeyvault", "secretname", "secreturl", "secreturi")


def is_secret_key(key: str) -> bool:
    """True for property names such as `adminPassword`, `clientSecret`, `protectedSettings`."""
    low = key.lower()
    if any(low.startswith(ex) for ex in SECRET_KEY_EXCEPTIONS):
        return False
    return any(part in low for part in SECRET_KEY_PARTS)


class Masker:
    """Replaces the secrets of one run in text and in JSON-like values."""

    __slots__ = ("_pattern", "_secrets")

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        """Remember more secret values (empty strings are ignored)."""
        for secret in secrets:
            if secret:
                self._secrets.add(secret)
        variants: set[str] = set()
        for secret in self._secrets:
            if len(secret) < MIN_TEXT_SECRET:
                continue
            variants.add(secret)
            # As it appears inside JSON text (network trace, error bodies): quotes and backslashes escaped.
            variants.add(json.dumps(secret)[1:-1])
            variants.add(json.dumps(secret, ensure_ascii=False)[1:-1])
        # Longest first, so a secret that contains another is replaced whole.
        ordered = sorted(variants, key=lambda s: (-len(s), s))
        self._pattern = re.compile("|".join(re.escape(v) for v in ordered)) if ordered else None

    @property
    def secrets(self) -> frozenset[str]:
        return frozenset(self._secrets)

    def text(self, text: str) -> str:
        """`text` with every known secret, token and SAS signature replaced by `***`."""
        if self._pattern is not None:
            text = self._pattern.sub(MASK, text)
        text = _OAUTH.sub(lambda m: m.group(1) + MASK, text)
        text = _OAUTH_JSON.sub(lambda m: m.group(1) + MASK, text)
        return redact_text(text)

    def value(self, value: object, key: str = "") -> object:
        """A copy of a JSON-like value with secret leaves masked.

        A leaf is secret when it is one of the known secret values, when its property name looks
        secret (`is_secret_key`), or when it is a string that contains a secret (masked in place).
        """
        if key and is_secret_key(key) and value is not None:
            return mask_all(value)
        if isinstance(value, dict):
            return {k: self.value(v, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, str):
            if value in self._secrets:
                return MASK
            return self.text(value)
        return value


def mask_all(value: object) -> object:
    """Mask every leaf but keep the shape (an object stays an object), so diffs still line up."""
    if isinstance(value, dict):
        return {k: mask_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_all(v) for v in value]
    if value is None:
        return None
    return MASK
