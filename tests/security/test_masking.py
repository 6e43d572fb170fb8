"""`templategen.literals.mask_literals`: the text kept to show a TG001 line has its values masked,
its structure, columns and line breaks kept, and names that cannot be secret shown as written."""

from __future__ import annotations

import pytest

from templategen.literals import mask_literals

JSON = """{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "type": "Microsoft.Compute/virtualMachines/extensions", "apiVersion": "2024-07-01",
  // a "comment" stays
  "protectedSettings": {"objectStr": "hunter2", "nested": ["a\\"hunter3", 3]} !
  "multi": "hunter4 one
line two hunter5"
}"""

BICEP = """@secure()
param password string = 'hunter2\\'s' )(
resource r 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'hunter3${uniqueString(resourceGroup().id)}'
  tags: { 'odd-key': '''
hunter4
''' }
}"""

YAML = """kind: vmsnapshot-extension
vm:
  name: hunter2   # a comment stays
tags: {env: hunter3, "quoted": 'it''s hunter4'}
list:
  - hunter5 one
script: |
  echo hunter6
after: 2017-11-09T04:53:20Z
"""

KEPT = {
    "json": [
        '"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"',
        '"type": "Microsoft.Compute/virtualMachines/extensions"',
        '"apiVersion": "2024-07-01"',
        '// a "comment" stays',
        '"protectedSettings": {"objectStr": "*******", "nested": ["**********", 3]} !',
    ],
    "bicep": [
        "param password string = '**********' )(",
        "resource r 'Microsoft.Storage/storageAccounts@2023-05-01' = {",
        "tags: { 'odd-key': '''",
    ],
    "yaml": ["kind: vmsnapshot-extension", "name: *******   # a comment stays", "script: |"],
}


@pytest.mark.parametrize(("kind", "text"), [("json", JSON), ("bicep", BICEP), ("yaml", YAML)])
def test_values_masked_structure_and_columns_kept(kind: str, text: str) -> None:
    result = mask_literals(text, kind)
    assert "hunter" not in result
    assert len(result) == len(text)
    assert [i for i, c in enumerate(result) if c in "\r\n"] == [i for i, c in enumerate(text) if c in "\r\n"]
    for kept in KEPT[kind]:
        assert kept in result, (kept, result)
    changed = [i for i, (a, b) in enumerate(zip(text, result, strict=True)) if a != b]
    assert all(result[i] == "*" for i in changed)


def test_unterminated_string_is_masked_to_the_end() -> None:
    assert mask_literals('{"a": "hunter2', "json") == '{"a": "*******'
    assert mask_literals('{"a": "hunter2\\"', "json") == '{"a": "*********'
    assert mask_literals("param p string = 'hunter2", "bicep") == "param p string = '*******"
