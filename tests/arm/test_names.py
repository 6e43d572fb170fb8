"""Pointer and name helpers of the template model."""

from __future__ import annotations

import pytest

from templategen.arm.names import (
    as_argument,
    ci_lookup,
    escape_token,
    is_expression,
    join_names,
    join_pointer,
    literal_value,
    resolve_pointer,
    split_pointer,
    walk_path,
    write_literal,
)


@pytest.mark.parametrize(
    ("key", "token"),
    [("plain", "plain"), ("a/b", "a~1b"), ("a~b", "a~0b"), ("~/", "~0~1"), ("~1", "~01"), ("", "")],
)
def test_escape_token_follows_rfc_6901(key: str, token: str) -> None:
    assert escape_token(key) == token
    assert split_pointer("/" + token) == [key]


def test_join_and_split_pointer_round_trip() -> None:
    pointer = join_pointer("/resources", 0, "tags", "hidden-link:/subscriptions/x", "~x")
    assert pointer == "/resources/0/tags/hidden-link:~1subscriptions~1x/~0x"
    assert split_pointer(pointer) == ["resources", "0", "tags", "hidden-link:/subscriptions/x", "~x"]
    assert split_pointer("") == []
    with pytest.raises(ValueError, match="not a JSON pointer"):
        split_pointer("resources/0")


def test_resolve_pointer() -> None:
    data = {"a/b": [{"~": 1}]}
    assert resolve_pointer(data, "/a~1b/0/~0") == 1
    assert resolve_pointer(data, "") is data
    for missing in ("/a~1b/1", "/a~1b/x", "/nope", "/a~1b/0/~0/deeper"):
        with pytest.raises(KeyError):
            resolve_pointer(data, missing)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[parameters('a')]", True),
        ("[]", True),
        ("[[parameters('a')]", False),  # escaped literal
        ("[test] value", False),
        ("plain", False),
        ("", False),
        ("[", False),
        ("]", False),
        (" [x]", False),
        (3, False),
    ],
)
def test_is_expression(value: object, expected: bool) -> None:
    assert is_expression(value) is expected


def test_literal_escape_round_trip() -> None:
    assert literal_value("[[x]") == "[x]"
    assert literal_value("[[x") == "[[x"  # not an escape: does not end with ]
    assert literal_value("plain") == "plain"
    assert write_literal("[x]") == "[[x]"
    assert write_literal("[x") == "[x"
    for value in ("[x]", "[[x]", "a", "[a] b"):
        assert literal_value(write_literal(value)) == value


def test_as_argument_quotes_literals_and_unwraps_expressions() -> None:
    assert as_argument("[ parameters('vm') ]") == "parameters('vm')"
    assert as_argument("it's") == "'it''s'"
    assert as_argument("[[x]") == "'[x]'"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["vault"], "vault"),
        (["vault", "policy"], "vault/policy"),
        (["[parameters('vm')]", "VMSnapshot"], "[format('{0}/{1}', parameters('vm'), 'VMSnapshot')]"),
        (["vm", "[variables('ext')]"], "[format('{0}/{1}', 'vm', variables('ext'))]"),
        (
            ["[parameters('sa')]", "default", "[concat('c', '1')]"],
            "[format('{0}/{1}/{2}', parameters('sa'), 'default', concat('c', '1'))]",
        ),
        (["[[x]", "y"], "[x]/y"),  # escaped literal parent: value "[x]", joined value needs no escape
        (["[[x", "y]"], "[[[x/y]"),  # joined value "[[x/y]" looks like an expression: escaped again
        (["[[a]", "[parameters('b')]"], "[format('{0}/{1}', '[a]', parameters('b'))]"),
        (["it's", "[parameters('b')]"], "[format('{0}/{1}', 'it''s', parameters('b'))]"),
    ],
)
def test_join_names(parts: list[str], expected: str) -> None:
    assert join_names(parts) == expected


def test_case_insensitive_lookup_and_walk() -> None:
    raw = {"Properties": {"Settings": {"fileUris": ["a", "b"]}}}
    assert ci_lookup(raw, "properties") == "Properties"
    assert ci_lookup(raw, "nope") is None
    assert walk_path(raw, "/resources/0", ("properties", "settings", "FILEURIS", 1)) == (
        "b",
        "/resources/0/Properties/Settings/fileUris/1",
    )
    assert walk_path(raw, "", ("properties", "settings", "fileUris", -1)) == (
        "b",
        "/Properties/Settings/fileUris/1",
    )
    assert walk_path(raw, "", ("properties", "settings", "fileUris", 2)) is None
    assert walk_path(raw, "", ("properties", 0)) is None
    assert walk_path(raw, "", ()) == (raw, "")
