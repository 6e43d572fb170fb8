"""Inline suppressions: `metadata.templategen.ignore` in ARM JSON and disable comments in Bicep."""

from __future__ import annotations

import json

from templategen.rules import all_rules, known_rules
from templategen.suppressions import (
    bicep_disable_comments,
    metadata_scopes,
    metadata_selectors,
    parse_bicep_directives,
    suppressed_at,
    suppressed_by_metadata,
)

KNOWN = known_rules(all_rules(["tests.report.sample_rules"]))


class TestMetadata:
    def test_ids_prefixes_names_and_reasons(self) -> None:
        metadata = {
            "templategen": {"ignore": ["TG401: single-region template", "tg5", "no-unused-parameter"]}
        }
        assert metadata_selectors(metadata) == (["TG401", "TG5", "no-unused-parameter"], [])
        assert suppressed_by_metadata(metadata, "TG401", "no-hardcoded-location")
        assert suppressed_by_metadata(metadata, "TG501", "vmsnapshot-publisher")
        assert suppressed_by_metadata(metadata, "TG201", "no-unused-parameter")
        assert not suppressed_by_metadata(metadata, "TG402", "no-sas-signature")

    def test_keys_are_case_insensitive_and_a_single_string_works(self) -> None:
        assert suppressed_by_metadata({"TemplateGen": {"Ignore": "TG4"}}, "TG401", "x")
        assert metadata_selectors({"templategen": {"ignore": "TG4, no-unused-parameter"}}) == (
            ["TG4", "no-unused-parameter"],
            [],
        )

    def test_absent_or_malformed(self) -> None:
        assert metadata_selectors(None) == ([], [])
        assert metadata_selectors({"description": "x"}) == ([], [])
        assert metadata_selectors({"templategen": "TG4"}) == ([], [])
        selectors, problems = metadata_selectors({"templategen": {"ignore": {"TG4": True}}})
        assert selectors == [] and problems == [
            "metadata.templategen.ignore must be a list of rule ids, prefixes or names"
        ]
        selectors, problems = metadata_selectors({"templategen": {"ignore": ["TG4", 5, "TG4x1"]}})
        assert selectors == ["TG4"]
        assert problems[0] == "metadata.templategen.ignore: 5 is not a string"
        assert "'tg4x1' is not a rule selector" in problems[1]

    def test_scopes_follow_the_pointer(self) -> None:
        template = json.loads(
            """{
              "metadata": {"templategen": {"ignore": ["TG7"]}},
              "resources": [
                {"type": "Microsoft.Compute/virtualMachines", "name": "vm",
                 "metadata": {"templategen": {"ignore": ["TG401"]}},
                 "resources": [
                   {"type": "extensions", "name": "VMSnapshot", "location": "westeurope",
                    "metadata": {"templategen": {"ignore": ["TG501"]}}}
                 ]},
                {"type": "Microsoft.Resources/deployments", "name": "nested",
                 "properties": {"template": {
                   "metadata": {"templategen": {"ignore": ["TG102"]}},
                   "resources": [{"type": "a/b", "name": "x", "location": "westeurope"}]
                 }}}
              ]
            }"""
        )
        child = "/resources/0/resources/0/location"
        assert len(metadata_scopes(template, child)) == 3
        assert suppressed_at(template, child, "TG401", "no-hardcoded-location")  # from the parent resource
        assert suppressed_at(template, child, "TG501", "vmsnapshot-publisher")  # its own
        assert suppressed_at(template, child, "TG701", "api-version")  # the template's
        assert not suppressed_at(template, child, "TG402", "no-sas-signature")
        assert not suppressed_at(template, "/resources/1/name", "TG401", "no-hardcoded-location")
        inner = "/resources/1/properties/template/resources/0/location"
        assert suppressed_at(template, inner, "TG102", "unknown-function")
        assert not suppressed_at(template, "/resources/1/name", "TG102", "unknown-function")
        assert suppressed_at(template, "", "TG7", "x")  # the whole file

    def test_symbolic_resources_and_escaped_pointers(self) -> None:
        template = {
            "languageVersion": "2.0",
            "resources": {
                "vault/a": {
                    "type": "Microsoft.RecoveryServices/vaults",
                    "metadata": {"templategen": {"ignore": ["TG6"]}},
                },
            },
        }
        assert suppressed_at(template, "/resources/vault~1a/properties", "TG601", "x")
        assert not suppressed_at(template, "/resources/other/properties", "TG601", "x")


class TestBicepComments:
    def test_next_line_and_same_line(self) -> None:
        text = (
            "// templategen-disable-next-line TG401 -- this template deploys to one region\n"
            "param location string = 'westeurope'\n"
            "param other string = 'northeurope' // templategen-disable-line no-hardcoded-location, TG2\n"
        )
        assert bicep_disable_comments(text) == {2: {"TG401"}, 3: {"no-hardcoded-location", "TG2"}}

    def test_stacked_next_line_comments_reach_the_same_line(self) -> None:
        text = (
            "// templategen-disable-next-line TG401\n"
            "// templategen-disable-next-line TG5\n"
            "resource ext 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = {\n"
        )
        assert bicep_disable_comments(text) == {3: {"TG401", "TG5"}}

    def test_slashes_inside_strings_are_not_comments(self) -> None:
        text = (
            "var uri = 'https://example.com//path' // templategen-disable-line TG401\n"
            "var s = 'it\\'s // not a comment templategen-disable-line TG402'\n"
            "var i = '${'nested // no'}${{ a: '}' }.b}' // templategen-disable-line TG102\n"
            "var m = '''\n"
            "// templategen-disable-next-line TG501\n"
            "'''\n"
            "var after = 1\n"
            "/* // templategen-disable-next-line TG201 */\n"
            "var x = 2\n"
        )
        assert bicep_disable_comments(text) == {1: {"TG401"}, 3: {"TG102"}}

    def test_crlf(self) -> None:
        text = "// templategen-disable-next-line TG401\r\nparam location string = 'westeurope'\r\n"
        assert bicep_disable_comments(text) == {2: {"TG401"}}

    def test_problems_are_reported_with_positions(self) -> None:
        text = (
            "param a string\n"
            "  // templategen-disable-next-line\n"
            "// templategen-disable-line TG401\n"
            "param b string // templategen-disable-next-line TG499 no-such-rule TG4\n"
            "param c string\n"
        )
        directives = parse_bicep_directives(text, KNOWN)
        assert directives.lines == {5: {"TG499", "no-such-rule", "TG4"}}
        lines = [(line, column) for line, column, _ in directives.problems]
        assert lines == [(2, 3), (3, 1), (4, 16), (4, 16)]
        messages = [message for _, _, message in directives.problems]
        assert messages[0] == "templategen-disable-next-line must name the rules it disables"
        assert "has no effect" in messages[1]
        assert "unknown rule id TG499" in messages[2]
        assert "unknown rule name 'no-such-rule'" in messages[3]
        assert directives.suppressed(5, "TG401", "no-hardcoded-location")
        assert not directives.suppressed(4, "TG401", "no-hardcoded-location")

    def test_similar_words_are_not_directives(self) -> None:
        text = (
            "// templategen-disable-next-lines TG401\n// see templategen-disable-line TG401\nparam a string\n"
        )
        assert bicep_disable_comments(text) == {}
