"""`uniqueString()` and `guid()`: the two deterministic hashes of ARM templates, reproduced exactly.

Why compute them at all: names such as `concat('stg', uniqueString(resourceGroup().id))` stay
unknown anyway (the resource group id is unknown offline), but `uniqueString('fixed')` or a
parameters file that gives every input makes the name known, and a rule can then check its length
or characters like any other name.

Facts, from Microsoft's MIT-licensed expression engine as published in its Azure Policy linter
(`ExpressionBuiltInFunctions`: `JoinStringParametersWithDash`, `ComputeHash.MurmurHash64`,
`Base32Encode`, `ARMNamespaceGuid`) and the template-functions-string reference:

* both join their (string) arguments with `-` and hash the UTF-8 bytes;
* `uniqueString` is a 64-bit MurmurHash3 variant (two 32-bit lanes, x86 constants) printed as the
  13 characters of the top 65 bits in the alphabet `a-z2-7`, five bits at a time from the top;
* `guid` is an RFC 4122 §4.3 name-based version 5 UUID (SHA-1) in the namespace
  `11fb06fb-712d-4ddd-98c7-e71bbd588830`, printed in lower case.

The tests check `uniqueString` against a value produced by Microsoft's library
(`Azure.Deployments.Expression`) and `guid` against an independent RFC 4122 computation.
"""

from __future__ import annotations

_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF
_C1 = 0x239B961B
_C2 = 0xAB0E9789
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"

#: The namespace of ARM's `guid()` UUIDs.
ARM_GUID_NAMESPACE = "11fb06fb-712d-4ddd-98c7-e71bbd588830"


def _rotl(value: int, bits: int) -> int:
    return ((value << bits) | (value >> (32 - bits))) & _MASK32


def _fmix(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK32
    h ^= h >> 16
    return h


def murmur_hash64(data: bytes, seed: int = 0) -> int:
    """The 64-bit MurmurHash variant behind `uniqueString` (little-endian 8-byte blocks)."""
    length = len(data)
    h1 = h2 = seed & _MASK32
    index = 0
    while index + 7 < length:
        k1 = int.from_bytes(data[index : index + 4], "little")
        k2 = int.from_bytes(data[index + 4 : index + 8], "little")
        k1 = (_rotl((k1 * _C1) & _MASK32, 15) * _C2) & _MASK32
        h1 = (_rotl(h1 ^ k1, 19) + h2) & _MASK32
        h1 = (h1 * 5 + 0x561CCD1B) & _MASK32
        k2 = (_rotl((k2 * _C2) & _MASK32, 17) * _C1) & _MASK32
        h2 = (_rotl(h2 ^ k2, 13) + h1) & _MASK32
        h2 = (h2 * 5 + 0x0BCAA747) & _MASK32
        index += 8
    tail = length - index
    if tail > 0:
        k1 = int.from_bytes(data[index : index + min(tail, 4)], "little")
        h1 ^= (_rotl((k1 * _C1) & _MASK32, 15) * _C2) & _MASK32
        if tail > 4:
            k2 = int.from_bytes(data[index + 4 : length], "little")
            h2 ^= (_rotl((k2 * _C2) & _MASK32, 17) * _C1) & _MASK32
    h1 ^= length & _MASK32
    h2 ^= length & _MASK32
    h1 = (h1 + h2) & _MASK32
    h2 = (h2 + h1) & _MASK32
    h1 = _fmix(h1)
    h2 = _fmix(h2)
    h1 = (h1 + h2) & _MASK32
    h2 = (h2 + h1) & _MASK32
    return (h2 << 32) | h1


def _base32_13(value: int) -> str:
    out = []
    for _ in range(13):
        out.append(_BASE32[value >> 59])
        value = (value << 5) & _MASK64
    return "".join(out)


def unique_string(*parts: str) -> str:
    """ARM `uniqueString(parts...)`: 13 characters from `a-z2-7`."""
    data = "-".join(parts).encode("utf-8", "surrogatepass")
    return _base32_13(murmur_hash64(data))


def arm_guid(*parts: str) -> str:
    """ARM `guid(parts...)`: a version 5 UUID of the dash-joined arguments in ARM's namespace."""
    import uuid

    return str(uuid.uuid5(uuid.UUID(ARM_GUID_NAMESPACE), "-".join(parts)))
