"""Reading the template and `-p` arguments: names, encodings, and which values are secret."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from templategen.deploy.request import build_input, default_deployment_name

NOON = datetime.datetime(2026, 1, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


def test_default_name_keeps_allowed_characters_and_fits_64() -> None:
    assert default_deployment_name("templates/My Vault (v2).json", NOON) == "My-Vault-(v2)-20260101120000"
    long = default_deployment_name("x" * 100 + ".json", NOON)
    assert len(long) == 64 and long.endswith("-20260101120000")
    assert default_deployment_name("$$$.json", NOON) == "deployment-20260101120000"


def test_utf16_and_bom_templates_are_read(tmp_path: Path) -> None:
    template = {"$schema": "x", "contentVersion": "1.0.0.0", "resources": [], "parameters": {}}
    utf16 = tmp_path / "utf16.json"
    utf16.write_bytes(json.dumps(template).encode("utf-16"))  # with a BOM
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(template).encode())
    assert build_input(str(utf16), []).template == template
    assert build_input(str(bom), []).template == template


def test_secrets_are_the_values_of_secure_parameters_only(tmp_path: Path) -> None:
    template = {
        "$schema": "x",
        "resources": [],
        "parameters": {
            "adminKey": {"type": "secureString", "defaultValue": "default-secret"},
            "creds": {"type": "secureObject"},
            "plain": {"type": "string"},
        },
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    data = build_input(
        str(path),
        ["ADMINKEY=given-secret", '{"creds": {"value": {"user": "u1", "pass": ["p1", 7]}}}', "plain=visible"],
    )
    assert data.secrets == {"default-secret", "given-secret", "u1", "p1"}
    assert data.parameters == {
        "adminKey": {"value": "given-secret"},
        "creds": {"value": {"user": "u1", "pass": ["p1", 7]}},
        "plain": {"value": "visible"},
    }
