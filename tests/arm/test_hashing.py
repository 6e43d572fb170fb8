"""`uniqueString()` and `guid()` reproduced exactly (templategen/arm/hashing.py)."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from templategen.arm.hashing import ARM_GUID_NAMESPACE, arm_guid, murmur_hash64, unique_string

# A resource id and the uniqueString Microsoft's own expression library (Azure.Deployments.Expression,
# ExpressionBuiltInFunctions.Functions.EvaluateFunction("uniqueString", ...)) returns for it, as
# asserted by the unit test of microsoft/commercial-marketplace-offer-deploy (ArmFunctionsTests).
KNOWN_ID = (
    "/subscriptions/31e9f9a0-9fd2-4294-a0a3-0101246d9700/resourceGroups/rg-modm201-20230913120256"
    "/providers/Microsoft.Compute/virtualMachines/bobjacmodm201"
)
KNOWN_UNIQUE_STRING = "yvjxno3je5on2"


def test_unique_string_matches_microsofts_library() -> None:
    assert unique_string(KNOWN_ID) == KNOWN_UNIQUE_STRING


def test_unique_string_joins_arguments_with_a_dash() -> None:
    assert unique_string("a", "b") == unique_string("a-b")
    assert unique_string("a", "b") != unique_string("ab")
    assert unique_string("Abc") != unique_string("abc")  # case-sensitive


@pytest.mark.parametrize("length", range(0, 20))
def test_unique_string_shape_for_every_tail_length(length: int) -> None:
    value = unique_string("x" * length)
    assert len(value) == 13
    assert set(value) <= set("abcdefghijklmnopqrstuvwxyz234567")
    # The first character carries only the top five bits of 64: 13 * 5 = 65 bits, so the last
    # character comes from the lowest four bits shifted once (even alphabet positions only).
    assert "abcdefghijklmnopqrstuvwxyz234567".index(value[-1]) % 2 == 0


def test_murmur_hash_every_tail_length_differs() -> None:
    data = bytes(range(1, 40))
    hashes = {murmur_hash64(data[:n]) for n in range(len(data))}
    assert len(hashes) == len(data)
    assert all(0 <= value < 2**64 for value in hashes)


def _rfc4122_v5(namespace: str, name: str) -> str:
    """RFC 4122 §4.3 written out (not through `uuid.uuid5`): SHA-1 of namespace bytes and name,
    version 5, RFC 4122 variant."""
    digest = bytearray(hashlib.sha1(uuid.UUID(namespace).bytes + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@pytest.mark.parametrize("parts", [("abc",), ("a", "b"), (KNOWN_ID,), ("", ""), ("ü", "名前")])
def test_guid_is_a_version_5_uuid_of_the_dash_joined_arguments(parts: tuple[str, ...]) -> None:
    value = arm_guid(*parts)
    assert value == _rfc4122_v5(ARM_GUID_NAMESPACE, "-".join(parts))
    assert value == value.lower() and value[14] == "5"
