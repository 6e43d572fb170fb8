"""Parameters, variables, functions, outputs and targetScope: what the Bicep compiler writes for each."""

from __future__ import annotations

from tests.bicep.conftest import convert, problems_of


def test_parameter_types_decorators_and_defaults() -> None:
    document, template = convert(
        """
        @secure()
        param adminPassword string
        @secure()
        param protectedSettings object = {}
        @allowed([
          'Standard'
          'RS0'
        ])
        param sku string = 'RS0'
        @minValue(1)
        @maxValue(9999)
        param days int = 30
        @minLength(2)
        @maxLength(50)
        @description('Name of the vault')
        param vaultName string
        @sys.metadata({ owner: 'backup' })
        param tags object?
        param zone 'a' | 'b' = 'a'
        param names string[]
        type sizeT = 'small' | 'large'
        param size sizeT
        param location string = resourceGroup().location
        param enabled bool = true
        """
    )
    parameters = document.data["parameters"]
    assert parameters == {
        "adminPassword": {"type": "securestring"},
        "protectedSettings": {"type": "secureObject", "defaultValue": {}},
        "sku": {"type": "string", "allowedValues": ["Standard", "RS0"], "defaultValue": "RS0"},
        "days": {"type": "int", "minValue": 1, "maxValue": 9999, "defaultValue": 30},
        "vaultName": {
            "type": "string",
            "minLength": 2,
            "maxLength": 50,
            "metadata": {"description": "Name of the vault"},
        },
        "tags": {"type": "object", "nullable": True, "metadata": {"owner": "backup"}},
        "zone": {"type": "string", "allowedValues": ["a", "b"], "defaultValue": "a"},
        "names": {"type": "array"},
        "size": {"type": "string", "allowedValues": ["small", "large"]},
        "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
        "enabled": {"type": "bool", "defaultValue": True},
    }
    assert template.parameter("adminPassword") is not None
    assert [name for name, p in template.parameters.items() if p.secure] == [
        "adminpassword",
        "protectedsettings",
    ]
    vault = template.parameter("vaultName")
    assert vault is not None and vault.description == "Name of the vault" and not vault.has_default
    assert problems_of(document) == []


def test_secure_on_an_int_is_a_problem_not_a_crash() -> None:
    document, _ = convert("@secure()\nparam n int\n")
    assert document.data["parameters"] == {"n": {"type": "int"}}
    assert problems_of(document) == ["@secure() on a parameter of type int"]


def test_variables_strings_and_escapes() -> None:
    document, _ = convert(
        r"""
        param prefix string
        var interpolated = '${prefix}-vm'
        var braces = 'a{b}${prefix}'
        var escapes = 'it\'s \\ \n\t \u{1F600} \${x}'
        var looksLikeExpression = '[not an expression]'
        var spaces = '${prefix} ${prefix}  '
        var onlySpace = ' '
        var slashAfterEscape = 'a\'//b'
        var multi = '''
        line1
          'quoted' \n ${x}
        '''
        """
    )
    variables = document.data["variables"]
    assert variables["interpolated"] == "[format('{0}-vm', parameters('prefix'))]"
    assert variables["braces"] == "[format('a{{b}}{0}', parameters('prefix'))]"
    assert variables["escapes"] == "it's \\ \n\t \U0001f600 ${x}"
    assert variables["looksLikeExpression"] == "[[not an expression]"
    assert variables["spaces"] == "[format('{0} {1}  ', parameters('prefix'), parameters('prefix'))]"
    assert variables["onlySpace"] == " "
    assert variables["slashAfterEscape"] == "a'//b"
    assert variables["multi"] == "line1\n  'quoted' \\n ${x}\n"


def test_quotes_inside_interpolation_are_doubled() -> None:
    document, _ = convert("param p string\nvar q = 'it\\'s ${p}'\n")
    assert document.data["variables"]["q"] == "[format('it''s {0}', parameters('p'))]"


def test_operators() -> None:
    document, _ = convert(
        """
        param prefix string
        param count int
        param tags object
        var sum = count + 1
        var arithmetic = count * 2 - 10 / 5 % 3
        var logic = prefix == 'x' && count != 2 || !(count > 3)
        var caseless = prefix =~ 'X'
        var notCaseless = prefix !~ 'X'
        var compare = [
          count < 1
          count <= 1
          count >= 1
        ]
        var choice = count >= 1 ? 'many' : 'none'
        var fallback = tags.?owner ?? 'nobody'
        var safeIndex = tags[?'owner']
        var negative = -count
        var literalNegative = -1
        var chain = count > 1 && count < 5 && count != 3
        """
    )
    v = document.data["variables"]
    assert v["sum"] == "[add(parameters('count'), 1)]"
    assert v["arithmetic"] == "[sub(mul(parameters('count'), 2), mod(div(10, 5), 3))]"
    assert v["logic"] == (
        "[or(and(equals(parameters('prefix'), 'x'), not(equals(parameters('count'), 2))),"
        " not(greater(parameters('count'), 3)))]"
    )
    assert v["caseless"] == "[equals(toLower(parameters('prefix')), toLower('X'))]"
    assert v["notCaseless"] == "[not(equals(toLower(parameters('prefix')), toLower('X')))]"
    assert v["compare"] == [
        "[less(parameters('count'), 1)]",
        "[lessOrEquals(parameters('count'), 1)]",
        "[greaterOrEquals(parameters('count'), 1)]",
    ]
    assert v["choice"] == "[if(greaterOrEquals(parameters('count'), 1), 'many', 'none')]"
    assert v["fallback"] == "[coalesce(tryGet(parameters('tags'), 'owner'), 'nobody')]"
    assert v["safeIndex"] == "[tryGet(parameters('tags'), 'owner')]"
    assert v["negative"] == "[sub(0, parameters('count'))]"
    assert v["literalNegative"] == -1
    assert v["chain"] == (
        "[and(greater(parameters('count'), 1), less(parameters('count'), 5),"
        " not(equals(parameters('count'), 3)))]"
    )


def test_literals_objects_arrays_and_member_access() -> None:
    document, _ = convert(
        """
        param prefix string
        var list = [ 1, 'two', true, null ]
        var multiLine = [
          'a'
          'b'
        ]
        var nested = {
          'a-b': 1
          c: {
            d: [
              prefix
            ]
          }
        }
        var member = nested.c.d[0]
        var oddMember = nested['a-b']
        var literalMember = { key: prefix }.key
        var arrayArgument = length([ 1, 2 ])
        var nullArgument = empty(null)
        var anyValue = any(3)
        var boolArgument = true ? 1 : 2
        var namespaced = az.resourceGroup().location
        var sysNamespaced = sys.concat('a', prefix)
        """
    )
    v = document.data["variables"]
    assert v["list"] == [1, "two", True, None]
    assert v["multiLine"] == ["a", "b"]
    assert v["nested"] == {"a-b": 1, "c": {"d": ["[parameters('prefix')]"]}}
    assert v["member"] == "[variables('nested').c.d[0]]"
    assert v["oddMember"] == "[variables('nested')['a-b']]"
    assert v["literalMember"] == "[createObject('key', parameters('prefix')).key]"
    assert v["arrayArgument"] == "[length(createArray(1, 2))]"
    assert v["nullArgument"] == "[empty(null())]"
    assert v["anyValue"] == 3
    assert v["boolArgument"] == "[if(true(), 1, 2)]"
    assert v["namespaced"] == "[resourceGroup().location]"
    assert v["sysNamespaced"] == "[concat('a', parameters('prefix'))]"


def test_grammar_precedence_mistakes_are_undone() -> None:
    """tree-sitter-bicep reads `x == a.b` as `(x == a).b`; the converter reads it as Bicep does."""
    document, _ = convert(
        """
        param x string
        param o object
        var member = x == resourceGroup().name
        var unary = !o.enabled
        var ternary = x == 'a' ? o.a : o.b[0]
        var logic = o.a && o.b.c
        var call = x == o.f.g
        var lambdaBody = filter(o.items, i => i.size > 3 && i.name != x)
        var sorted = sort(o.items, (a, b) => a.size < b.size)
        var mapped = map(o.items, i => i.name)
        """
    )
    v = document.data["variables"]
    assert v["member"] == "[equals(parameters('x'), resourceGroup().name)]"
    assert v["unary"] == "[not(parameters('o').enabled)]"
    assert v["ternary"] == "[if(equals(parameters('x'), 'a'), parameters('o').a, parameters('o').b[0])]"
    assert v["logic"] == "[and(parameters('o').a, parameters('o').b.c)]"
    assert v["call"] == "[equals(parameters('x'), parameters('o').f.g)]"
    assert v["lambdaBody"] == (
        "[filter(parameters('o').items, lambda('i', and(greater(lambdaVariables('i').size, 3),"
        " not(equals(lambdaVariables('i').name, parameters('x'))))))]"
    )
    assert v["sorted"] == (
        "[sort(parameters('o').items,"
        " lambda('a', 'b', less(lambdaVariables('a').size, lambdaVariables('b').size)))]"
    )
    assert v["mapped"] == "[map(parameters('o').items, lambda('i', lambdaVariables('i').name))]"


def test_array_elements_the_grammar_splits_are_joined() -> None:
    """In a multi-line array the grammar reads `vms[0].id` as `vms` and `[0].id`: one element in Bicep."""
    document, _ = convert(
        """
        param names array
        resource vms 'Microsoft.Compute/virtualMachines@2023-03-01' = [for n in names: {
          name: n
          location: 'westeurope'
        }]
        var ids = [
          vms[0].id
          resourceGroup().id
          uri('https://example.com', 'x')
          names[1]
        ]
        """
    )
    assert document.data["variables"]["ids"] == [
        "[resourceId('Microsoft.Compute/virtualMachines', parameters('names')[0])]",
        "[resourceGroup().id]",
        "[uri('https://example.com', 'x')]",
        "[parameters('names')[1]]",
    ]


def test_variable_loops_become_variables_copy() -> None:
    document, template = convert(
        """
        param vms array
        var first = 1
        var disks = [for (vm, i) in vms: {
          name: '${vm}-disk${i}'
        }]
        var names = [for n in range(0, 2): 'n${n}']
        """
    )
    variables = document.data["variables"]
    assert variables == {
        "first": 1,
        "copy": [
            {
                "name": "disks",
                "count": "[length(parameters('vms'))]",
                "input": {
                    "name": (
                        "[format('{0}-disk{1}', parameters('vms')[copyIndex('disks')], copyIndex('disks'))]"
                    )
                },
            },
            {
                "name": "names",
                "count": "[length(range(0, 2))]",
                "input": "[format('n{0}', range(0, 2)[copyIndex('names')])]",
            },
        ],
    }
    disks = template.variable("disks")
    assert disks is not None and disks.copy is not None and disks.copy.name == "disks"


def test_variable_reading_runtime_state_is_inlined() -> None:
    """ARM forbids `reference()` in `variables`; the compiler inlines such variables where used."""
    document, template = convert(
        """
        resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {
          name: 'sa'
          location: 'westeurope'
          kind: 'StorageV2'
          sku: {
            name: 'Standard_LRS'
          }
        }
        var blob = sa.properties.primaryEndpoints.blob
        var constant = 'x'
        output endpoint string = blob
        """
    )
    assert document.data["variables"] == {"constant": "x"}
    assert template.output("endpoint") is not None
    assert document.data["outputs"]["endpoint"]["value"] == (
        "[reference(resourceId('Microsoft.Storage/storageAccounts', 'sa')).primaryEndpoints.blob]"
    )


def test_variable_cycle_is_a_problem() -> None:
    document, _ = convert("var a = b\nvar b = a\n")
    assert "variable 'a' refers to itself" in problems_of(document)


def test_user_functions() -> None:
    document, template = convert(
        """
        func vmId(name string) string => resourceId('Microsoft.Compute/virtualMachines', name)
        output x string = vmId('a')
        """
    )
    assert document.data["functions"] == [
        {
            "namespace": "__bicep",
            "members": {
                "vmId": {
                    "parameters": [{"name": "name", "type": "string"}],
                    "output": {
                        "type": "string",
                        "value": "[resourceId('Microsoft.Compute/virtualMachines', parameters('name'))]",
                    },
                }
            },
        }
    ]
    assert document.data["outputs"]["x"]["value"] == "[__bicep.vmId('a')]"
    assert template.function("__bicep.vmId") is not None


def test_outputs_secure_typed_and_looped() -> None:
    document, template = convert(
        """
        @secure()
        param adminPassword string
        param vmNames array
        @secure()
        @description('never shown')
        output secret string = adminPassword
        output count int = length(vmNames)
        output names array = [for n in vmNames: '${n}-x']
        output settings object = {
          a: 1
        }
        """
    )
    outputs = document.data["outputs"]
    assert outputs["secret"] == {
        "type": "securestring",
        "metadata": {"description": "never shown"},
        "value": "[parameters('adminPassword')]",
    }
    assert outputs["count"] == {"type": "int", "value": "[length(parameters('vmNames'))]"}
    assert outputs["names"] == {
        "type": "array",
        "copy": {
            "count": "[length(parameters('vmNames'))]",
            "input": "[format('{0}-x', parameters('vmNames')[copyIndex()])]",
        },
    }
    assert outputs["settings"] == {"type": "object", "value": {"a": 1}}
    names = template.output("names")
    assert names is not None and names.copy is not None


def test_output_may_share_a_parameter_name() -> None:
    document, _ = convert("param location string\noutput location string = location\n")
    assert problems_of(document) == []
    assert document.data["outputs"]["location"]["value"] == "[parameters('location')]"


def test_target_scope_sets_the_schema_and_the_model_scope() -> None:
    document, template = convert(
        """
        targetScope = 'subscription'
        resource rg 'Microsoft.Resources/resourceGroups@2022-09-01' = {
          name: 'rg1'
          location: 'westeurope'
        }
        output id string = rg.id
        """
    )
    assert "subscriptionDeploymentTemplate" in str(document.data["$schema"])
    assert template.scope == "subscription"
    assert document.data["outputs"]["id"]["value"] == (
        "[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg1')]"
    )


def test_metadata_and_ignored_statements() -> None:
    document, _ = convert(
        """
        metadata owner = 'backup team'
        import * as shared from 'shared.bicep'
        type t = {
          a: string
        }
        param p t
        """
    )
    assert document.data["metadata"] == {"owner": "backup team"}
    assert document.data["parameters"] == {"p": {"type": "object"}}
    assert problems_of(document) == []


def test_unknown_identifier_is_a_problem_read_as_a_variable() -> None:
    document, _ = convert("var a = missing\n")
    assert document.data["variables"] == {"a": "[variables('missing')]"}
    assert problems_of(document) == ["'missing' is not declared in this file; read as a variable"]


def test_load_functions_read_files_next_to_the_bicep_file(bicep_files) -> None:  # type: ignore[no-untyped-def]
    document, _ = bicep_files(
        {
            "main.bicep": """
                var script = loadTextContent('scripts/run.sh')
                var config = loadJsonContent('config.json')
                var part = loadJsonContent('config.json', '$.nested.value')
                var encoded = loadFileAsBase64('scripts/run.sh')
                var inExpression = length(loadTextContent('scripts/run.sh'))
                var missing = loadTextContent('nope.txt')
            """,
            "scripts/run.sh": "echo hi\n",
            "config.json": '{"expr": "[notAnExpression]", "nested": {"value": 3}}',
        }
    )
    v = document.data["variables"]
    assert v["script"] == "echo hi\n"
    assert v["config"] == {"expr": "[[notAnExpression]", "nested": {"value": 3}}
    assert v["part"] == 3
    assert v["encoded"] == "ZWNobyBoaQo="
    assert v["inExpression"] == "[length('echo hi\n')]"
    assert "missing" in v and v["missing"] is None
    assert any(
        message.startswith("loadTextContent(): cannot read nope.txt") for message in problems_of(document)
    )


def test_load_yaml_content_and_directory_file_info(bicep_files) -> None:  # type: ignore[no-untyped-def]
    """Newer compile-time functions: read like loadJsonContent (YAML through the safe loader), and
    the folder listing the compiler writes into the template."""
    document, _ = bicep_files(
        {
            "main.bicep": """
                var settings = loadYamlContent('config/settings.yaml')
                var retention = loadYamlContent('config/settings.yaml', '$.retention.days')
                var modules = loadDirectoryFileInfo('modules', '*.bicep')
                var everything = loadDirectoryFileInfo('./modules/')
                var tagged = loadYamlContent('config/tagged.yaml')
            """,
            "config/settings.yaml": "vault: rsv-prod\nretention:\n  days: 30\nzones: [1, 2]\n",
            "config/tagged.yaml": "value: !!python/object:os.system ['id']\n",
            "modules/b.bicep": "param x string\n",
            "modules/a.bicep": "param y string\n",
            "modules/readme.md": "# modules\n",
        }
    )
    v = document.data["variables"]
    assert v["settings"] == {"vault": "rsv-prod", "retention": {"days": 30}, "zones": [1, 2]}
    assert v["retention"] == 30
    assert v["modules"] == [
        {"relativePath": "modules/a.bicep", "baseName": "a.bicep", "extension": ".bicep"},
        {"relativePath": "modules/b.bicep", "baseName": "b.bicep", "extension": ".bicep"},
    ]
    assert [entry["baseName"] for entry in v["everything"]] == ["a.bicep", "b.bicep", "readme.md"]
    assert v["tagged"] is None  # an object tag is refused, never constructed
    assert any(m.startswith("loadYamlContent(): config/tagged.yaml:1:8:") for m in problems_of(document))
