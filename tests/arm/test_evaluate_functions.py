"""The functions of the catalogue, evaluated offline, against the examples of the Microsoft reference.

Each table cites the reference page whose examples (inputs and documented outputs) it encodes:
https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-<page>.
Where a page gives a template with parameter defaults, the defaults are written inline here.
Cases marked "semantics" encode behaviour the reference states in prose (case sensitivity,
truncation...) rather than an example output.
"""

from __future__ import annotations

from typing import Any

import pytest

from templategen.arm.values import Partial, Unknown, is_known

from .evalkit import defaults, evaluator, run

DOCS = "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-"

OBJECT_3 = "createObject('one', 'a', 'two', 'b', 'three', 'c')"
ARRAY_3 = "createArray('one', 'two', 'three')"


def check(cases: list[tuple[str, Any]]) -> None:
    for expression, expected in cases:
        result = run(expression)
        assert result == expected, expression
        assert type(result) is type(expected), (expression, type(result))


# --------------------------------------------------------------------------------------------------
# string (DOCS + "string")


def test_string_examples_from_the_reference() -> None:
    check(
        [
            # base64 / base64ToString / base64ToJson: stringData 'one, two, three',
            # jsonFormattedData "{'one': 'a', 'two': 'b'}" (single quotes, as the example has them)
            ("[base64('one, two, three')]", "b25lLCB0d28sIHRocmVl"),
            ("[base64ToString('b25lLCB0d28sIHRocmVl')]", "one, two, three"),
            ("[base64ToJson(base64('{''one'': ''a'', ''two'': ''b''}'))]", {"one": "a", "two": "b"}),
            # contains
            ("[contains('OneTwoThree', 'e')]", True),
            ("[contains('OneTwoThree', 'z')]", False),
            (f"[contains({OBJECT_3}, 'one')]", True),
            (f"[contains({OBJECT_3}, 'a')]", False),
            (f"[contains({ARRAY_3}, 'three')]", True),
            (f"[contains({ARRAY_3}, 'four')]", False),
            # dataUri / dataUriToString
            ("[dataUri('Hello')]", "data:text/plain;charset=utf8;base64,SGVsbG8="),
            ("[dataUriToString('data:;base64,SGVsbG8sIFdvcmxkIQ==')]", "Hello, World!"),
            # empty
            ("[empty(createArray())]", True),
            ("[empty(createObject())]", True),
            ("[empty('')]", True),
            # startsWith / endsWith (case-insensitive)
            ("[startsWith('abcdef', 'ab')]", True),
            ("[startsWith('abcdef', 'A')]", True),
            ("[startsWith('abcdef', 'e')]", False),
            ("[endsWith('abcdef', 'ef')]", True),
            ("[endsWith('abcdef', 'F')]", True),
            ("[endsWith('abcdef', 'e')]", False),
            # first / last
            (f"[first({ARRAY_3})]", "one"),
            ("[first('One Two Three')]", "O"),
            (f"[last({ARRAY_3})]", "three"),
            ("[last('One Two Three')]", "e"),
            # format
            (
                "[format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)]",
                "Hello, User. Formatted number: 8,175,133",
            ),
            # indexOf / lastIndexOf (case-insensitive)
            ("[indexOf('test', 't')]", 0),
            ("[lastIndexOf('test', 't')]", 3),
            ("[indexOf('abcdef', 'CD')]", 2),
            ("[lastIndexOf('abcdef', 'AB')]", 0),
            ("[indexOf('abcdef', 'z')]", -1),
            # length
            (f"[length({ARRAY_3})]", 3),
            ("[length('One Two Three')]", 13),
            (
                "[length(createObject('propA', 'one', 'propB', 'two', 'propC', 'three', "
                "'propD', createObject('propD-1', 'sub', 'propD-2', 'sub')))]",
                4,
            ),
            # padLeft
            ("[padLeft('123', 10, '0')]", "0000000123"),
            # replace
            ("[replace('123-123-1234', '-', '')]", "1231231234"),
            ("[replace('123-123-1234', '1234', 'xxxx')]", "123-123-xxxx"),
            # skip / take
            (f"[skip({ARRAY_3}, 2)]", ["three"]),
            ("[skip('one two three', 4)]", "two three"),
            (f"[take({ARRAY_3}, 2)]", ["one", "two"]),
            ("[take('one two three', 2)]", "on"),
            # split
            ("[split('one,two,three', ',')]", ["one", "two", "three"]),
            ("[split('one;two,three', createArray(',', ';'))]", ["one", "two", "three"]),
            # string
            (
                "[string(createObject('valueA', 10, 'valueB', 'Example Text'))]",
                '{"valueA":10,"valueB":"Example Text"}',
            ),
            ("[string(createArray('a', 'b', 'c'))]", '["a","b","c"]'),
            ("[string(5)]", "5"),
            # substring
            ("[substring('one two three', 4, 3)]", "two"),
            # toLower / toUpper
            ("[toLower('One Two Three')]", "one two three"),
            ("[toUpper('One Two Three')]", "ONE TWO THREE"),
            # trim
            ("[trim('    one two three   ')]", "one two three"),
            # uri / uriComponent / uriComponentToString
            (
                "[uri('http://contoso.com/resources/', 'nested/azuredeploy.json')]",
                "http://contoso.com/resources/nested/azuredeploy.json",
            ),
            (
                "[uriComponent('http://contoso.com/resources/nested/azuredeploy.json')]",
                "http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json",
            ),
            (
                "[uriComponentToString('http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json')]",
                "http://contoso.com/resources/nested/azuredeploy.json",
            ),
            # uri: the four trailing-slash examples of the remarks
            ("[uri('http://contoso.org/firstpath', 'myscript.sh')]", "http://contoso.org/myscript.sh"),
            (
                "[uri('http://contoso.org/firstpath/', 'myscript.sh')]",
                "http://contoso.org/firstpath/myscript.sh",
            ),
            (
                "[uri('http://contoso.org/firstpath/azuredeploy.json', 'myscript.sh')]",
                "http://contoso.org/firstpath/myscript.sh",
            ),
            (
                "[uri('http://contoso.org/firstpath/azuredeploy.json/', 'myscript.sh')]",
                "http://contoso.org/firstpath/azuredeploy.json/myscript.sh",
            ),
        ]
    )


def test_concat_example_with_unique_string_of_the_resource_group_is_partial() -> None:
    # DOCS string#concat: concat(parameters('prefix'), '-', uniqueString(resourceGroup().id)) gives
    # "prefix-5yj4yjf5mbg72" for the reference's resource group; offline the group is unknown.
    value = run("[concat('prefix', '-', uniqueString(resourceGroup().id))]")
    assert isinstance(value, Partial)
    assert value.prefix == "prefix-"
    hashed = value.parts[1]
    assert isinstance(hashed, Unknown) and hashed.alphabet == "abcdefghijklmnopqrstuvwxyz234567"


def test_substring_beyond_the_end_is_the_documented_error() -> None:
    # DOCS string#substring remarks: substring('1234567890', 0, 11) fails the deployment.
    ev = evaluator()
    value = ev.evaluate("[substring('1234567890', 0, 11)]", pointer="/variables/prefix")
    assert isinstance(value, Unknown)
    [problem] = ev.problems
    assert problem.pointer == "/variables/prefix"
    assert "substring()" in problem.message and "11" in problem.message
    assert (problem.start, problem.end) == (1, len("[substring('1234567890', 0, 11)"))


def test_string_semantics() -> None:
    check(
        [
            # contains: "The string comparison is case-sensitive" (semantics)
            ("[contains('OneTwoThree', 'one')]", False),
            # "when testing if an object contains a key, the comparison is case-insensitive"
            (f"[contains({OBJECT_3}, 'ONE')]", True),
            # concat prints integers and booleans the .NET way, skips null
            ("[concat('a', 1, true(), null(), 'b')]", "a1Trueb"),
            ("[string(true())]", "True"),
            ("[string(null())]", ""),
            # format: .NET composite formatting
            ("[format('{0:D3}-{1:00}-{{literal}}', 7, 5)]", "007-05-{literal}"),
            ("[format('{0,5}|{1,-4}|', 'ab', 'c')]", "   ab|c   |"),
            ("[format('{0:X}', 255)]", "FF"),
            ("[format('{0}', createArray('a', 1))]", "['a',1]"),
            ("[format('{0:N2}', 1234)]", "1,234.00"),
            # length counts UTF-16 code units like .NET
            ("[length('a😀')]", 3),
            # skip/take with counts out of range
            ("[take('abc', -1)]", ""),
            ("[skip('abc', 10)]", ""),
            ("[padLeft('12345', 3)]", "12345"),
            ("[trim('\u00a0x\u2003')]", "x"),
            ("[split('a--b', '-')]", ["a", "", "b"]),
            ("[split('abc', createArray('b', 'bc'))]", ["a", "c"]),
        ]
    )


def test_unique_string_and_guid_are_computed_when_their_inputs_are_known() -> None:
    # Value produced by Microsoft's Azure.Deployments.Expression library (see tests/arm/test_hashing.py).
    resource = (
        "/subscriptions/31e9f9a0-9fd2-4294-a0a3-0101246d9700/resourceGroups/rg-modm201-20230913120256"
        "/providers/Microsoft.Compute/virtualMachines/bobjacmodm201"
    )
    assert run(f"[uniqueString('{resource}')]") == "yvjxno3je5on2"
    assert run("[guid('abc')]") == run("[guid('abc')]")
    assert run("[guid('a', 'b')]") == run("[guid('a-b')]")  # arguments are joined with '-'
    assert run("[guid('a', 'b')]") != run("[guid('ab')]")


# --------------------------------------------------------------------------------------------------
# array and object (DOCS + "array", "object")


def test_array_examples_from_the_reference() -> None:
    check(
        [
            ("[array(1)]", [1]),
            ("[array('efgh')]", ["efgh"]),
            ("[array(createObject('a', 'b', 'c', 'd'))]", [{"a": "b", "c": "d"}]),
            (
                "[concat(createArray('1-1', '1-2', '1-3'), createArray('2-1', '2-2', '2-3'))]",
                ["1-1", "1-2", "1-3", "2-1", "2-2", "2-3"],
            ),
            ("[createArray('a', 'b', 'c')]", ["a", "b", "c"]),
            ("[createArray(1, 2, 3)]", [1, 2, 3]),
            (f"[createArray({OBJECT_3})]", [{"one": "a", "two": "b", "three": "c"}]),
            (f"[createArray({ARRAY_3})]", [["one", "two", "three"]]),
            ("[createArray()]", []),
            (
                f"[intersection({OBJECT_3}, createObject('one', 'a', 'two', 'z', 'three', 'c'))]",
                {"one": "a", "three": "c"},
            ),
            (f"[intersection({ARRAY_3}, createArray('two', 'three'))]", ["two", "three"]),
            ("[min(createArray(0, 3, 2, 5, 4))]", 0),
            ("[min(0, 3, 2, 5, 4)]", 0),
            ("[max(createArray(0, 3, 2, 5, 4))]", 5),
            ("[max(0, 3, 2, 5, 4)]", 5),
            ("[range(1, 3)]", [1, 2, 3]),
            ("[range(5, 0)]", []),
        ]
    )


def test_union_examples_from_the_object_reference() -> None:
    check(
        [
            (
                "[union(createObject('one', 'a', 'two', 'b', 'three', 'c1'), "
                "createObject('three', 'c2', 'four', 'd', 'five', 'e'))]",
                {"one": "a", "two": "b", "three": "c2", "four": "d", "five": "e"},
            ),
            (f"[union({ARRAY_3}, createArray('three', 'four'))]", ["one", "two", "three", "four"]),
        ]
    )
    # The deep merge example: nested objects merge, nested arrays are replaced.
    first = {"property": {"one": "a", "two": "b", "three": "c1"}, "nestedArray": [1, 2]}
    second = {"property": {"three": "c2", "four": "d", "five": "e"}, "nestedArray": [3, 4]}
    ev = evaluator(
        variables={
            "firstObject": first,
            "secondObject": second,
            "firstArray": [["one", "two"], ["three"]],
            "secondArray": [["three"], ["four", "two"]],
        }
    )
    assert ev.evaluate("[union(variables('firstObject'), variables('secondObject'))]") == {
        "property": {"one": "a", "two": "b", "three": "c2", "four": "d", "five": "e"},
        "nestedArray": [3, 4],
    }
    assert ev.evaluate("[union(variables('firstArray'), variables('secondArray'))]") == [
        ["one", "two"],
        ["three"],
        ["four", "two"],
    ]


def test_object_examples_from_the_reference() -> None:
    check(
        [
            (
                "[createObject('intProp', 1, 'stringProp', 'abc', 'boolProp', true(), "
                "'arrayProp', createArray('a', 'b', 'c'), 'objectProp', createObject('key1', 'value1'))]",
                {
                    "intProp": 1,
                    "stringProp": "abc",
                    "boolProp": True,
                    "arrayProp": ["a", "b", "c"],
                    "objectProp": {"key1": "value1"},
                },
            ),
            # json: the example's outputs
            ("[empty(json('null'))]", True),
            ('[json(\'{"a": "b"}\')]', {"a": "b"}),
            ("[json('\"test\"')]", "test"),
            ("[json('true')]", True),
            ("[json('3')]", 3),
            ("[json('[1,2,3]')]", [1, 2, 3]),
            ("[json(concat('{\"a\": \"', 'demo value', '\"}'))]", {"a": "demo value"}),
            ("[empty(null())]", True),
        ]
    )


ITEM = "items(variables('entities'))[copyIndex('modifiedListOfEntities')]"


def test_items_sorts_by_key_as_the_example_shows() -> None:
    ev = evaluator(
        variables={
            "entities": {
                "item002": {"enabled": False, "displayName": "Example item 2", "number": 200},
                "item001": {"enabled": True, "displayName": "Example item 1", "number": 300},
            },
            "copy": [
                {
                    "name": "modifiedListOfEntities",
                    "count": "[length(items(variables('entities')))]",
                    "input": {
                        "key": f"[{ITEM}.key]",
                        "fullName": f"[{ITEM}.value.displayName]",
                        "itemEnabled": f"[{ITEM}.value.enabled]",
                    },
                }
            ],
        }
    )
    assert ev.variable("modifiedListOfEntities") == [
        {"key": "item001", "fullName": "Example item 1", "itemEnabled": True},
        {"key": "item002", "fullName": "Example item 2", "itemEnabled": False},
    ]
    assert [entry["key"] for entry in ev.evaluate("[items(variables('entities'))]")] == ["item001", "item002"]  # type: ignore[index, union-attr]


def test_newer_array_and_object_functions() -> None:
    check(
        [
            ("[indexFromEnd(createArray('a', 'b', 'c'), 1)]", "c"),
            ("[indexFromEnd(createArray('a', 'b', 'c'), 3)]", "a"),
            ("[tryIndexFromEnd(createArray('a', 'b', 'c'), 4)]", None),
            ("[tryGet(createObject('key', 'value'), 'key')]", "value"),
            ("[tryGet(createArray('element'), 0)]", "element"),
            ("[tryGet(createObject(), 'property')]", None),
            ("[tryGet(createArray(), 0)]", None),
            (
                "[tryGet(createObject('key', createObject('nestedKey', 'value')), 'key', 'nestedKey')]",
                "value",
            ),
            (
                "[tryGet(createObject('key', createObject('nestedKey', "
                "'value')), 'unknownKey', 'nestedKey')]",
                None,
            ),
            ("[objectKeys(createObject('a', 1, 'b', 2))]", ["a", "b"]),
            (
                "[shallowMerge(createArray(createObject('one', 'a'), "
                "createObject('two', 'b'), createObject('two', 'c')))]",
                {"one": "a", "two": "c"},
            ),
            (
                "[shallowMerge(createArray(createObject('one', 'a', 'nested', createObject('a', 1, 'nested', "
                "createObject('c', 3))), createObject('two', 'b', 'nested', createObject('b', 2))))]",
                {"one": "a", "nested": {"b": 2}, "two": "b"},
            ),
            (
                "[flatten(createArray(createArray('a', 'b'), createArray('c'), createArray()))]",
                ["a", "b", "c"],
            ),
        ]
    )


# --------------------------------------------------------------------------------------------------
# comparison (DOCS + "comparison")


def test_comparison_examples_from_the_reference() -> None:
    coalesce_object = (
        "createObject('null1', null(), 'null2', null(), 'string', 'default', 'int', 1, "
        "'object', createObject('first', 'default'), 'array', createArray(1))"
    )
    ev = evaluator(variables={"objectToTest": f"[{coalesce_object}]"})
    assert (
        ev.evaluate(
            "[coalesce(variables('objectToTest').null1, "
            "variables('objectToTest').null2, variables('objectToTest').string)]"
        )
        == "default"
    )
    assert (
        ev.evaluate(
            "[coalesce(variables('objectToTest').null1, "
            "variables('objectToTest').null2, variables('objectToTest').int)]"
        )
        == 1
    )
    assert ev.evaluate(
        "[coalesce(variables('objectToTest').null1, "
        "variables('objectToTest').null2, variables('objectToTest').object)]"
    ) == {"first": "default"}
    assert ev.evaluate(
        "[coalesce(variables('objectToTest').null1, "
        "variables('objectToTest').null2, variables('objectToTest').array)]"
    ) == [1]
    assert (
        ev.evaluate("[empty(coalesce(variables('objectToTest').null1, variables('objectToTest').null2))]")
        is True
    )
    check(
        [
            ("[equals(1, 1)]", True),
            ("[equals('a', 'a')]", True),
            ("[equals(createArray('a', 'b'), createArray('a', 'b'))]", True),
            ("[equals(createObject('a', 'b'), createObject('a', 'b'))]", True),
            ("[not(equals(1, 2))]", True),
            ("[greater(1, 2)]", False),
            ("[greater('A', 'a')]", True),
            ("[greaterOrEquals(1, 2)]", False),
            ("[greaterOrEquals('A', 'a')]", True),
            ("[less(1, 2)]", True),
            ("[less('A', 'a')]", False),
            ("[lessOrEquals(1, 2)]", True),
            ("[lessOrEquals('A', 'a')]", False),
            # semantics: equals is case-sensitive for strings, deep for objects regardless of order
            ("[equals('a', 'A')]", False),
            ("[equals(createObject('a', 1, 'b', 2), createObject('b', 2, 'a', 1))]", True),
            ("[equals(1, json('1.0'))]", True),
            ("[less('b', 'C')]", True),
            ("[less('a1', 'ab')]", True),
        ]
    )


def test_culture_dependent_string_order_is_unknown() -> None:
    assert isinstance(run("[less('a-b', 'ab')]"), Unknown)


# --------------------------------------------------------------------------------------------------
# logical and numeric (DOCS + "logical", "numeric")


def test_logical_examples_from_the_reference() -> None:
    check(
        [
            ("[and(bool('true'), bool('false'))]", False),
            ("[or(bool('true'), bool('false'))]", True),
            ("[not(bool('true'))]", False),
            ("[bool('true')]", True),
            ("[bool('false')]", False),
            ("[bool(1)]", True),
            ("[bool(0)]", False),
            ("[true()]", True),
            ("[false()]", False),
            ("[if(equals('a', 'a'), 'yes', 'no')]", "yes"),
            ("[if(equals('a', 'b'), 'yes', 'no')]", "no"),
            ("[if(equals('a', 'a'), json('{\"test\": \"value1\"}'), json('null'))]", {"test": "value1"}),
        ]
    )


def test_if_evaluates_only_the_branch_it_takes() -> None:
    ev = evaluator()
    assert ev.evaluate("[if(false(), div(1, 0), 'safe')]") == "safe"
    assert ev.evaluate("[if(true(), 'safe', createArray()[3])]") == "safe"
    assert ev.problems == []


def test_fail_stops_the_deployment_only_where_it_is_reached() -> None:
    # Compiled Bicep (`x ?? fail('...')`, `c ? v : fail('...')`) guards bad input with fail().
    ev = evaluator(parameters=defaults(key={"name": "k1"}, empty={}))
    assert ev.evaluate("[coalesce(tryGet(parameters('key'), 'name'), fail('key needs a name'))]") == "k1"
    assert ev.evaluate("[if(empty(parameters('empty')), 'none', fail('unreachable'))]") == "none"
    unknown = evaluator(parameters={"cond": {"type": "bool"}})
    assert isinstance(unknown.evaluate("[if(parameters('cond'), 'a', fail('no'))]"), Unknown)
    assert ev.problems == [] and unknown.problems == []
    reached = ev.evaluate("[coalesce(tryGet(parameters('empty'), 'name'), fail('key needs a name'))]")
    assert isinstance(reached, Unknown)
    [problem] = ev.problems
    assert problem.message == "fail() is reached, so the deployment fails: key needs a name"


def test_and_or_stop_at_the_deciding_argument() -> None:
    ev = evaluator()
    assert ev.evaluate("[and(false(), equals(div(1, 0), 1))]") is False
    assert ev.evaluate("[or(true(), equals(div(1, 0), 1))]") is True
    assert ev.problems == []


def test_numeric_examples_from_the_reference() -> None:
    check(
        [
            ("[add(5, 3)]", 8),
            ("[sub(7, 3)]", 4),
            ("[mul(5, 3)]", 15),
            ("[div(8, 3)]", 2),
            ("[mod(7, 3)]", 1),
            ("[int('4')]", 4),
            ("[float('3.0')]", 3.0),
            ("[float(4)]", 4.0),
            # semantics: C# integer division truncates toward zero; the remainder takes the sign of
            # the dividend
            ("[div(-7, 2)]", -3),
            ("[div(7, -2)]", -3),
            ("[mod(-7, 3)]", -1),
            ("[mod(7, -3)]", 1),
            ("[int(' -12 ')]", -12),
        ]
    )


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("[div(1, 0)]", "divide by zero"),
        ("[mod(1, 0)]", "divide by zero"),
        ("[add(9223372036854775807, 1)]", "overflow"),
        ("[int('four')]", "not an integer"),
        ("[createArray(1, 2)[2]]", "out of range"),
        ("[createObject('a', 1).b]", "does not exist"),
        ("[format('{0} {1}', 'only one')]", "argument {1}"),
        ("[format('{0')]", "closing"),
        ("[add('1', 2)]", "integer"),
        ("[not('true')]", "boolean"),
        ("[range(0, 10001)]", "10,000"),
        ("[concat(createArray(1), 'a')]", "not both"),
        ("[bool('yes')]", "neither"),
        ("[if('true', 1, 2)]", "boolean"),
        ("[cidrSubnet('10.0.0.0/24', 16, 0)]", "prefix"),
    ],
)
def test_deployment_errors_are_problems_not_exceptions(expression: str, words: str) -> None:
    ev = evaluator()
    value = ev.evaluate(expression, pointer="/outputs/x/value")
    assert isinstance(value, Unknown) and not value.deterministic
    assert len(ev.problems) == 1
    problem = ev.problems[0]
    assert words in problem.message and problem.kind == "error"
    assert problem.pointer == "/outputs/x/value"
    assert 0 < problem.start < problem.end <= len(expression)


# --------------------------------------------------------------------------------------------------
# date (DOCS + "date")


def test_date_time_add_arithmetic_of_the_reference_example() -> None:
    # DOCS date#datetimeadd: base 2020-04-07 14:53:14Z gives 4/7/2023 2:53:14 PM (P3Y),
    # 3/29/2020 2:53:14 PM (-P9D), 4/7/2020 3:53:14 PM (PT1H). The AM/PM form depends on culture, so
    # the same moments are checked with numeric specifiers.
    fmt = "'M/d/yyyy h:mm:ss'"
    check(
        [
            (f"[dateTimeAdd('2020-04-07 14:53:14Z', 'P3Y', {fmt})]", "4/7/2023 2:53:14"),
            (f"[dateTimeAdd('2020-04-07 14:53:14Z', '-P9D', {fmt})]", "3/29/2020 2:53:14"),
            (f"[dateTimeAdd('2020-04-07 14:53:14Z', 'PT1H', {fmt})]", "4/7/2020 3:53:14"),
            ("[dateTimeAdd('2020-01-31T00:00:00Z', 'P1M', 'yyyy-MM-dd')]", "2020-02-29"),
            ("[dateTimeAdd('2020-04-07T10:00:00Z', 'P1DT2H30M', 'o')]", "2020-04-08T12:30:00.0000000Z"),
            ("[dateTimeAdd('2020-04-07T10:00:00Z', 'PT90S', 'u')]", "2020-04-07 10:01:30Z"),
            ("[dateTimeFromEpoch(0)]", "1970-01-01T00:00:00Z"),
            ("[dateTimeFromEpoch(86461)]", "1970-01-02T00:01:01Z"),
            ("[dateTimeToEpoch('1970-01-02T00:01:01Z')]", 86461),
            ("[dateTimeToEpoch(dateTimeFromEpoch(1683040573))]", 1683040573),
        ]
    )


def test_date_time_add_without_format_and_utc_now_are_unknown() -> None:
    assert isinstance(run("[dateTimeAdd('2020-04-07 14:53:14Z', 'P3Y')]"), Unknown)
    ev = evaluator(parameters={"baseTime": {"type": "string", "defaultValue": "[utcNow('u')]"}})
    base = ev.parameter("baseTime")
    assert isinstance(base, Unknown) and not base.deterministic
    assert isinstance(ev.evaluate("[dateTimeAdd(parameters('baseTime'), 'PT1H', 'u')]"), Unknown)


# --------------------------------------------------------------------------------------------------
# CIDR (DOCS + "cidr")


def test_cidr_examples_from_the_reference() -> None:
    check(
        [
            (
                "[parseCidr('10.144.0.0/20')]",
                {
                    "network": "10.144.0.0",
                    "netmask": "255.255.240.0",
                    "broadcast": "10.144.15.255",
                    "firstUsable": "10.144.0.1",
                    "lastUsable": "10.144.15.254",
                    "cidr": 20,
                },
            ),
            (
                "[parseCidr('fdad:3236:5555::/48')]",
                {
                    "network": "fdad:3236:5555::",
                    "netmask": "ffff:ffff:ffff::",
                    "firstUsable": "fdad:3236:5555::",
                    "lastUsable": "fdad:3236:5555:ffff:ffff:ffff:ffff:ffff",
                    "cidr": 48,
                },
            ),
        ]
    )
    ev = evaluator(
        outputs={
            "v4subnets": {
                "type": "array",
                "copy": {
                    "count": "[length(range(0, 5))]",
                    "input": "[cidrSubnet('10.144.0.0/20', 24, range(0, 5)[copyIndex()])]",
                },
            },
            "v6subnets": {
                "type": "array",
                "copy": {
                    "count": "[length(range(0, 5))]",
                    "input": "[cidrSubnet('fdad:3236:5555::/48', 52, range(0, 5)[copyIndex()])]",
                },
            },
            "v4hosts": {
                "type": "array",
                "copy": {
                    "count": "[length(range(0, 5))]",
                    "input": "[cidrHost('10.144.3.0/24', range(0, 5)[copyIndex()])]",
                },
            },
            "v6hosts": {
                "type": "array",
                "copy": {
                    "count": "[length(range(0, 5))]",
                    "input": "[cidrHost('fdad:3236:5555:3000::/52', range(0, 5)[copyIndex()])]",
                },
            },
        }
    )
    outputs = ev.template.outputs
    assert ev.output_value(outputs["v4subnets"]) == [f"10.144.{i}.0/24" for i in range(5)]
    assert ev.output_value(outputs["v6subnets"]) == [
        "fdad:3236:5555::/52",
        "fdad:3236:5555:1000::/52",
        "fdad:3236:5555:2000::/52",
        "fdad:3236:5555:3000::/52",
        "fdad:3236:5555:4000::/52",
    ]
    assert ev.output_value(outputs["v4hosts"]) == [f"10.144.3.{i}" for i in range(1, 6)]
    assert ev.output_value(outputs["v6hosts"]) == [f"fdad:3236:5555:3000::{i}" for i in range(1, 6)]


# --------------------------------------------------------------------------------------------------
# lambda (DOCS + "lambda")

DOGS = [
    {"name": "Evie", "age": 5, "interests": ["Ball", "Frisbee"]},
    {"name": "Casper", "age": 3, "interests": ["Other dogs"]},
    {"name": "Indy", "age": 2, "interests": ["Butter"]},
    {"name": "Kira", "age": 8, "interests": ["Rubs"]},
]


def test_lambda_examples_from_the_reference() -> None:
    ev = evaluator(
        variables={
            "dogs": DOGS,
            "ages": "[map(variables('dogs'), lambda('dog', lambdaVariables('dog').age))]",
            "copy": [
                {
                    "name": "itemForLoop",
                    "count": "[length(range(0, 10))]",
                    "input": "[range(0, 10)[copyIndex('itemForLoop')]]",
                }
            ],
        }
    )
    e = ev.evaluate
    assert e(
        "[filter(variables('dogs'), lambda('dog', greaterOrEquals(lambdaVariables('dog').age, 5)))]"
    ) == [DOGS[0], DOGS[3]]
    assert e("[filter(variables('itemForLoop'), lambda('i', greater(lambdaVariables('i'), 5)))]") == [
        6,
        7,
        8,
        9,
    ]
    assert e("[filter(range(0, 10), lambda('i', equals(0, mod(lambdaVariables('i'), 2))))]") == [
        0,
        2,
        4,
        6,
        8,
    ]
    assert e("[map(variables('dogs'), lambda('dog', lambdaVariables('dog').name))]") == [
        "Evie",
        "Casper",
        "Indy",
        "Kira",
    ]
    assert e(
        "[map(variables('dogs'), lambda('dog', format('Hello {0}!', lambdaVariables('dog').name)))]"
    ) == [
        "Hello Evie!",
        "Hello Casper!",
        "Hello Indy!",
        "Hello Kira!",
    ]
    assert e(
        "[map(range(0, length(variables('dogs'))), lambda('i', createObject('i', lambdaVariables('i'), "
        "'dog', variables('dogs')[lambdaVariables('i')].name, 'greeting', format('Ahoy, {0}!', "
        "variables('dogs')[lambdaVariables('i')].name))))]"
    ) == [
        {"i": 0, "dog": "Evie", "greeting": "Ahoy, Evie!"},
        {"i": 1, "dog": "Casper", "greeting": "Ahoy, Casper!"},
        {"i": 2, "dog": "Indy", "greeting": "Ahoy, Indy!"},
        {"i": 3, "dog": "Kira", "greeting": "Ahoy, Kira!"},
    ]
    reducer = "lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next')))"
    assert e(f"[reduce(variables('ages'), 0, {reducer})]") == 18
    assert e(f"[reduce(variables('ages'), 1, {reducer})]") == 19
    assert e(
        "[reduce(createArray(createObject('foo', 123), createObject('bar', 456), createObject('baz', 789)), "
        "createObject(), lambda('cur', 'next', union(lambdaVariables('cur'), lambdaVariables('next'))))]"
    ) == {"foo": 123, "bar": 456, "baz": 789}
    assert e(
        "[sort(variables('dogs'), lambda('a', 'b', "
        "less(lambdaVariables('a').age, lambdaVariables('b').age)))]"
    ) == [
        DOGS[2],
        DOGS[1],
        DOGS[0],
        DOGS[3],
    ]
    by_name = {dog["name"]: dog for dog in DOGS}
    assert e("[toObject(variables('dogs'), lambda('entry', lambdaVariables('entry').name))]") == by_name
    assert (
        e(
            "[toObject(variables('dogs'), lambda('entry', lambdaVariables('entry').name), "
            "lambda('entry', lambdaVariables('entry')))]"
        )
        == by_name
    )
    assert ev.problems == []


def test_group_by_and_map_values() -> None:
    ev = evaluator(variables={"dogs": DOGS})
    assert ev.evaluate(
        "[groupBy(createArray('foo', 'bar', 'baz'), lambda('x', substring(lambdaVariables('x'), 0, 1)))]"
    ) == {
        "f": ["foo"],
        "b": ["bar", "baz"],
    }
    assert ev.evaluate(
        "[mapValues(createObject('foo', 'foo'), lambda('val', toUpper(lambdaVariables('val'))))]"
    ) == {"foo": "FOO"}
    assert ev.evaluate(
        "[map(createArray('a', 'b'), lambda('x', 'i', "
        "concat(lambdaVariables('x'), string(lambdaVariables('i')))))]"
    ) == [
        "a0",
        "b1",
    ]


def test_sort_with_ties_between_different_elements_is_unknown() -> None:
    value = run(
        "[sort(createArray(createObject('n', 1, 'k', 'a'), createObject('n', 1, 'k', "
        "'b')), lambda('a', 'b', less(lambdaVariables('a').n, lambdaVariables('b').n)))]"
    )
    assert isinstance(value, Unknown)


def test_lambda_outside_a_lambda_function_is_a_problem() -> None:
    ev = evaluator()
    assert isinstance(ev.evaluate("[length(lambda('x', lambdaVariables('x')))]"), Unknown)
    assert any("lambda()" in problem.message for problem in ev.problems)


# --------------------------------------------------------------------------------------------------
# everything known stays known


@pytest.mark.parametrize(
    "expression",
    [
        "[concat('a', 'b')]",
        "[createObject('k', createArray(1, 2))]",
        "[parseCidr('10.0.0.0/16')]",
        "[split('a/b', '/')]",
    ],
)
def test_known_inputs_give_known_values(expression: str) -> None:
    assert is_known(run(expression))


def test_every_catalogued_function_has_an_offline_evaluation() -> None:
    """Each function of the catalogue is computed (pure or by the evaluator), or is a value of the
    deployment that is unknown offline by nature (`unknown_offline` in the catalogue)."""
    from templategen.arm.eval_calls import SPECIAL
    from templategen.arm.evaluate import all_builtins
    from templategen.arm.functions import FUNCTIONS

    builtins = all_builtins()
    missing = [
        info.name
        for key, info in FUNCTIONS.items()
        if key not in builtins and key not in SPECIAL and not info.unknown_offline
    ]
    assert missing == []


def test_each_pure_function_is_found_in_the_family_that_registers_it() -> None:
    """The evaluator imports a family on the first call of one of its functions, by the name ->
    module table of `templategen.arm.builtin`: that table must list exactly what each registers."""
    import importlib

    from templategen.arm.builtin import FAMILIES, FAMILY_OF

    for module, names in FAMILIES.items():
        registered = importlib.import_module(module).FUNCTIONS
        assert sorted(names) == sorted(registered), module
    assert len(FAMILY_OF) == sum(len(names) for names in FAMILIES.values())  # no name in two families


def test_evaluating_common_functions_imports_no_other_family() -> None:
    """`parameters()`, `format()` and `resourceId()` do not import the array, date or CIDR code."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from templategen.arm.template import template_from_data\n"
        "from templategen.arm.evaluate import Evaluator\n"
        "t = template_from_data({'parameters': {'a': {'type': 'string', 'defaultValue': 'x'}},"
        " 'resources': []}, 't.json')\n"
        "ev = Evaluator(t)\n"
        "assert ev.evaluate(\"[format('{0}-{1}', parameters('a'), 1)]\") == 'x-1'\n"
        "ev.evaluate(\"[resourceId('Microsoft.Storage/storageAccounts', parameters('a'))]\")\n"
        "print(sorted(m for m in sys.modules if m.startswith('templategen.arm.fn_')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["['templategen.arm.fn_text']"]


def test_json_reads_text_as_leniently_as_templates_are_read() -> None:
    """`json()` and `base64ToJson()` accept what Resource Manager's reader accepts in a template
    (comments, trailing commas, raw line breaks inside strings), plus single-quoted strings, which
    the reference's base64ToJson example passes (`{'one': 'a', 'two': 'b'}`). A quote inside a
    comment is part of the comment. Text that is not JSON even so is unknown, never a guess."""
    ev = evaluator(
        variables={
            "commented": '{"a": 1, // it\'s a note\n "b": [1, 2,], /* x */ "c": "//not, a comment",}',
            "broken_line": '{"a": "one\ntwo"}',
            "quoted": "{'one': 'a', \"two\": 'it\\'s', /* don't */ 'three': [1, 2,]}",
        }
    )
    assert ev.evaluate("[json(variables('commented'))]") == {"a": 1, "b": [1, 2], "c": "//not, a comment"}
    assert ev.evaluate("[json(variables('broken_line'))]") == {"a": "one\ntwo"}
    assert ev.evaluate("[base64ToJson(base64(variables('quoted')))]") == {
        "one": "a",
        "two": "it's",
        "three": [1, 2],
    }
    for text in ("{'a': }", "{'a': 'b'", '{"a": 1 /* open', "nul"):
        assert isinstance(run(f"[json('{text.replace(chr(39), chr(39) * 2)}')]"), Unknown)
