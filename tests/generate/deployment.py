"""Test helper: the pretend deployment both evaluators share (subscription, resource group, ids)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Context:
    subscription_id: str
    resource_group: str
    location: str


CONTEXT = Context("11111111-2222-3333-4444-555555555555", "rg-deployment", "testregion")


def resource_id(subscription: str, group: str, resource_type: str, names: list[str]) -> str:
    """`/subscriptions/S/resourceGroups/G/providers/NS/type1/name1/type2/name2...`, as ARM builds it."""
    namespace, *types = resource_type.split("/")
    if len(types) != len(names):
        raise ValueError(f"{resource_type} needs {len(types)} name segment(s), got {names}")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    return f"/subscriptions/{subscription}/resourceGroups/{group}/providers/{namespace}/{path}"
