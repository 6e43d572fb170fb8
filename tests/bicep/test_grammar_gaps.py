"""Valid Bicep that tree-sitter-bicep 1.1.0 misreads, as Azure Verified Modules write it.

Each snippet compiles with the Bicep CLI; the reader must take it without a syntax error and convert
it the way it converts the same meaning written in a form the grammar knows (the second spelling in
each test), so the expected values come from the file itself, not from the converter's output.
"""

from __future__ import annotations

from tests.bicep.conftest import convert, problems_of


def test_metadata_names_do_not_clash_with_parameters() -> None:
    # every Azure Verified Module starts with `metadata name = …` and declares `param name string`
    document, _ = convert(
        """
        metadata name = 'Recovery Services Vault Backup Config'
        metadata description = 'This module deploys a backup config.'
        param name string = 'vaultconfig'
        param description string
        resource vault 'Microsoft.RecoveryServices/vaults@2024-04-01' existing = {
          name: 'vault1'
        }
        resource config 'Microsoft.RecoveryServices/vaults/backupconfig@2024-04-01' = {
          parent: vault
          name: name
          properties: {
            storageType: description
          }
        }
        """
    )
    assert problems_of(document) == []
    assert document.data["metadata"] == {
        "name": "Recovery Services Vault Backup Config",
        "description": "This module deploys a backup config.",
    }
    resources = document.data["resources"]
    assert isinstance(resources, list)
    [config] = [item for item in resources if item["type"].endswith("/backupconfig")]
    assert config["name"] == "[format('{0}/{1}', 'vault1', parameters('name'))]"
    assert config["properties"] == {"storageType": "[parameters('description')]"}


def test_two_metadata_with_one_name_are_still_a_duplicate() -> None:
    document, _ = convert(
        """
        metadata owner = 'a'
        metadata owner = 'b'
        """
    )
    assert [message for message in problems_of(document) if "more than once" in message] == [
        "'owner' is declared more than once; the first wins"
    ]


def test_a_nullable_type_before_a_statement_keyword() -> None:
    # `lockType?` then a new line starting with `param`, `import`, `var`, … was read as a ternary
    document, _ = convert(
        """
        type lockType = {
          kind: ('CanNotDelete' | 'ReadOnly' | 'None')?
        }
        param lock lockType?
        import { other } from 'types.bicep'
        param tags resourceInput<'Microsoft.RecoveryServices/vaults@2025-08-01'>.tags?
        // a comment between
        #disable-next-line no-unused-params
        param mode modeType?
        var enabled = true
        type modeType = 'a' | 'b'
        type maybeMode = modeType?
        output o bool = enabled
        """
    )
    parameters = document.data["parameters"]
    assert parameters == {
        "lock": {"type": "object", "nullable": True},
        "tags": {"type": "object", "nullable": True},
        "mode": {"type": "string", "nullable": True, "allowedValues": ["a", "b"]},
    }


def test_a_nullable_type_declaration_before_a_param() -> None:
    document, _ = convert(
        """
        type maybeMode = ('a' | 'b')?
        param mode maybeMode
        """
    )
    assert document.data["parameters"] == {
        "mode": {"type": "string", "nullable": True, "allowedValues": ["a", "b"]},
    }


def test_non_null_assertions_where_the_grammar_does_not_expect_them() -> None:
    document, _ = convert(
        """
        param key object?
        var inParens = last(split((key.?keyVaultResourceId!), '/'))
        var plainParens = last(split((key.?keyVaultResourceId), '/'))
        var inArgs = split(key.?keyVaultResourceId!, '/')[2]
        var plainArgs = split(key.?keyVaultResourceId, '/')[2]
        var inArray = [key!]
        var plainArray = [key]
        var inString = '${key!.keyName}/${key!.keyVersion!}'
        var plainString = '${key.keyName}/${key.keyVersion}'
        var beforeOperator = key!.keyName! == 'x'
        var plainOperator = key.keyName == 'x'
        """
    )
    variables = document.data["variables"]
    assert isinstance(variables, dict)
    for asserted, plain in [
        ("inParens", "plainParens"),
        ("inArgs", "plainArgs"),
        ("inArray", "plainArray"),
        ("inString", "plainString"),
        ("beforeOperator", "plainOperator"),
    ]:
        assert variables[asserted] == variables[plain], asserted


def test_a_union_with_a_leading_bar_in_parentheses() -> None:
    document, _ = convert(
        """
        type protectedItemType = {
          protectedItemType: (
            | 'AzureFileShareProtectedItem'
            | 'Microsoft.Compute/virtualMachines')
          policyName: string
        }
        type kind = (
          | 'x'
          | 'y')
        param items protectedItemType[]
        param which kind
        param inline ('x' | 'y')
        """
    )
    assert document.data["parameters"] == {
        "items": {"type": "array"},
        "which": {"type": "string", "allowedValues": ["x", "y"]},
        "inline": {"type": "string", "allowedValues": ["x", "y"]},
    }


def test_resource_derived_types() -> None:
    document, _ = convert(
        """
        param tags resourceInput<'Microsoft.RecoveryServices/vaults@2025-08-01'>.tags
        param props resourceOutput<'Microsoft.RecoveryServices/vaults@2025-08-01'>.properties
        param access resourceInput<'Microsoft.RecoveryServices/vaults@2025-08-01'>.properties.encryption
        param vault resource<'Microsoft.RecoveryServices/vaults@2025-08-01'>
        """
    )
    parameters = document.data["parameters"]
    assert isinstance(parameters, dict)
    assert parameters["tags"] == {"type": "object"}
    assert parameters["props"] == {"type": "object"}
    assert parameters["vault"] == {"type": "object"}
    # a single property's type comes from the resource schema: not guessed, said so
    assert "type" not in parameters["access"]
    assert problems_of(document) == ["the type of parameter 'access' is not resolved"]


def test_rewrites_leave_strings_and_comments_alone() -> None:
    # the file needs the rewrites (a nullable type before `param`), and its strings hold the same
    # characters: they must come out as written
    document, _ = convert(
        """
        param lock lockType?
        param note string = '''
        why?
        param x
        (| a | b)
        done!
        '''
        param other string = 'resourceInput<x> and (| y) and z! == 1'
        // comment: maybe?
        type lockType = {
          kind: string
        }
        """
    )
    parameters = document.data["parameters"]
    assert isinstance(parameters, dict)
    assert parameters["note"]["defaultValue"] == "why?\nparam x\n(| a | b)\ndone!\n"
    assert parameters["other"]["defaultValue"] == "resourceInput<x> and (| y) and z! == 1"
    assert parameters["lock"] == {"type": "object", "nullable": True}


def test_a_real_syntax_error_after_a_grammar_gap_is_reported_where_it_is() -> None:
    document, _ = convert(
        """
        param lock lockType?
        param other string
        var broken = (1 +
        type lockType = {
          kind: string
        }
        """,
        errors_ok=True,
    )
    # not line 1, where the grammar stumbles over `lockType?`: the parser finds the unfinished
    # expression of line 3 when the next statement starts
    [(message, location)] = document.errors
    assert message.startswith("Bicep syntax error")
    assert location.line == 4


def test_spread_in_objects_and_arrays() -> None:
    # `...x` (Bicep 0.27+) compiles to shallowMerge / flatten over createArray: the spread value and
    # the members around it, in order. Written out with those functions, the same meaning converts to
    # the same expressions.
    spread, _ = convert(
        """
        param extra object = { c: 3 }
        var common = { a: 'x' }
        var list = [1, 2]
        var o = {
          ...common
          b: 'y'
        }
        var inline = { ...common, c: 1, ...extra }
        var arr = [
          ...list
          4
        ]
        var inlineArr = [...list, 5]
        var text = '...not a spread'
        """
    )
    spelled, _ = convert(
        """
        param extra object = { c: 3 }
        var common = { a: 'x' }
        var list = [1, 2]
        var o = shallowMerge([common, { b: 'y' }])
        var inline = shallowMerge([common, { c: 1 }, extra])
        var arr = flatten([list, [4]])
        var inlineArr = flatten([list, [5]])
        var text = '...not a spread'
        """
    )
    assert problems_of(spread) == []
    assert spread.data["variables"] == spelled.data["variables"]
    assert spread.data["variables"]["text"] == "...not a spread"


def test_spread_in_module_params_is_one_expression(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from templategen.bicep import load_bicep_file

    (tmp_path / "m.bicep").write_text("param a string\nparam b string\n", encoding="utf-8")
    main = tmp_path / "main.bicep"
    main.write_text(
        "var common = { a: 'x' }\nmodule one 'm.bicep' = {\n  name: 'one'\n  params: {\n    ...common\n"
        "    b: 'y'\n  }\n}\n",
        encoding="utf-8",
    )
    document = load_bicep_file(str(main))
    [module] = document.data["resources"]
    assert module["properties"]["parameters"] == (
        "[shallowMerge(createArray(variables('common'), createObject('b', 'y')))]"
    )
    assert [message for _, message in document.problems] == [
        "module params spread an object: the parameters it passes are read as one expression"
    ]


def test_imported_names_are_not_read_but_never_undeclared(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # `import {x} from` / `import * as ns from` bring in variables, functions and types of another
    # file. They are not read, so their uses are "not converted" problems (TG005 info), never an
    # undeclared variable (TG202) or an unknown function (TG102).
    from templategen.cli import main

    (tmp_path / "shared.bicep").write_text(
        "@export()\nvar defaults = { days: 30 }\n@export()\nfunc prefixed(n string) string => 'bkp-${n}'\n",
        encoding="utf-8",
    )
    (tmp_path / "main.bicep").write_text(
        "import { defaults, prefixed as pre } from 'shared.bicep'\n"
        "import * as shared from 'shared.bicep'\n"
        "output days int = defaults.days\n"
        "output name string = pre('vm1')\n"
        "output other string = shared.prefixed('vm2')\n"
        "output missing string = undeclaredThing\n",
        encoding="utf-8",
    )
    import contextlib
    import io
    import json

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["lint", "--isolated", "--format", "json", str(tmp_path / "main.bicep")])
    found = [(d["rule"], d["line"], d["message"]) for d in json.loads(out.getvalue())["diagnostics"]]
    assert sorted(found) == [
        ("TG005", 3, "'defaults' is imported from 'shared.bicep'; imported declarations are not read"),
        ("TG005", 4, "'pre' is imported from 'shared.bicep'; imported declarations are not read"),
        ("TG005", 5, "'shared' is imported from 'shared.bicep'; imported declarations are not read"),
        ("TG005", 6, "'undeclaredThing' is not declared in this file; read as a variable"),
        ("TG202", 6, "variable 'undeclaredThing' is not declared"),
    ]
    assert code == 1
