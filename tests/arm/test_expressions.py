"""The ARM expression parser: grammar, error positions, limits, round trips and the real corpus."""

from __future__ import annotations

import pickle
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templategen.arm import expressions
from templategen.arm.expressions import (
    CACHE_SIZE,
    MAX_DEPTH,
    MAX_LENGTH,
    Call,
    Expr,
    ExpressionError,
    Index,
    IntLit,
    Member,
    StringLit,
    calls,
    is_expression,
    parse_cached,
    parse_expression,
    quote,
    to_source,
    unescape_literal,
    walk,
)

from .corpus_expressions import corpus_templates, expression_strings

# --- recognising expressions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[parameters('a')]", True),
        ("[]", True),  # an (invalid) expression, not a literal
        ("[ ]", True),
        ("[[parameters('a')]", False),  # escaped: the literal "[parameters('a')]"
        ("[[]", False),
        ("[test] value", False),  # starts with '[' but does not end with ']'
        ("value [test]", False),
        ("[", False),
        ("]", False),
        ("", False),
        ("[concat('a')] ", False),  # trailing space: not an expression
        (" [concat('a')]", False),
        (42, False),
        (None, False),
        (["[a()]"], False),
    ],
)
def test_is_expression(value: object, expected: bool) -> None:
    assert is_expression(value) is expected


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("[[parameters('a')]", "[parameters('a')]"),
        ("[[]", "[]"),
        ("[[[x]]", "[[x]]"),  # only the first '[' is the escape
        ("[[not closed", "[[not closed"),  # not ending with ']': taken as written
        ("[test] value", "[test] value"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_unescape_literal(value: str, literal: str) -> None:
    assert unescape_literal(value) == literal


def test_parse_refuses_a_non_expression() -> None:
    with pytest.raises(ValueError, match="not an ARM expression"):
        parse_expression("[[escaped]")


# --- grammar ----------------------------------------------------------------------------------------


def s(value: str) -> StringLit:
    return StringLit(value)


def i(value: int) -> IntLit:
    return IntLit(value)


def call(name: str, *args: Expr) -> Call:
    return Call(name, args)


@pytest.mark.parametrize(
    ("source", "tree"),
    [
        ("[parameters('a')]", call("parameters", s("a"))),
        ("[resourceGroup()]", call("resourceGroup")),
        ("[CONCAT('a')]", call("CONCAT", s("a"))),  # names kept as written
        ("[f('')]", call("f", s(""))),
        ("[f('it''s')]", call("f", s("it's"))),
        ("[f('''')]", call("f", s("'"))),
        ("[f('''quoted''')]", call("f", s("'quoted'"))),
        ("[f('[x]')]", call("f", s("[x]"))),
        ("[f('a]b')]", call("f", s("a]b"))),
        ("[f('a, b (c)')]", call("f", s("a, b (c)"))),
        ("[json('{\"a\": [1, 2]}')]", call("json", s('{"a": [1, 2]}'))),
        ("[f('line\nbreak')]", call("f", s("line\nbreak"))),
        ("[f(42)]", call("f", i(42))),
        ("[f(-1)]", call("f", i(-1))),
        ("[f(0)]", call("f", i(0))),
        ("[add(-5, 3)]", call("add", i(-5), i(3))),
        ("[sub(1,-1)]", call("sub", i(1), i(-1))),
        ("[f(007)]", call("f", i(7))),
        ("[add(9223372036854775807, -9223372036854775808)]", call("add", i(2**63 - 1), i(-(2**63)))),
        ("[true()]", call("true")),
        ("[if(false(), null(), 'x')]", call("if", call("false"), call("null"), s("x"))),
        ("[a(b(c(d())))]", call("a", call("b", call("c", call("d"))))),
        ("[contoso.uniqueName('x')]", call("contoso.uniqueName", s("x"))),
        ("[__bicep.fn()]", call("__bicep.fn")),
        ("[resourceGroup().location]", Member(call("resourceGroup"), "location")),
        (
            "[parameters('subnets')[copyIndex()].name]",
            Member(Index(call("parameters", s("subnets")), call("copyIndex")), "name"),
        ),
        (
            "[reference('x', '2020-01-01', 'Full').properties.outputs['my-out'].value]",
            Member(
                Index(
                    Member(
                        Member(call("reference", s("x"), s("2020-01-01"), s("Full")), "properties"),
                        "outputs",
                    ),
                    s("my-out"),
                ),
                "value",
            ),
        ),
        (
            "[variables('m')[parameters('k')][0][-1]]",
            Index(
                Index(Index(call("variables", s("m")), call("parameters", s("k"))), i(0)),
                i(-1),
            ),
        ),
        ("[split('a/b', '/')[1]]", Index(call("split", s("a/b"), s("/")), i(1))),
        ("[createArray(1, 2)[0]]", Index(call("createArray", i(1), i(2)), i(0))),
        (
            "[items(variables('o'))[0].key]",
            Member(Index(call("items", call("variables", s("o"))), i(0)), "key"),
        ),
        # Whitespace is insignificant between tokens, including line breaks from lenient JSON.
        ("[ concat ( 'a' , 'b' ) ]", call("concat", s("a"), s("b"))),
        ("[\tconcat(\n  'a',\r\n  'b'\n)\n]", call("concat", s("a"), s("b"))),
        ("[resourceGroup() . location]", Member(call("resourceGroup"), "location")),
        ("[f() [0]]", Index(call("f"), i(0))),
        ("[ns . fn()]", call("ns.fn")),
        # Identifiers: letters, digits and underscores, any Unicode letter.
        ("[f_1(x2())]", call("f_1", call("x2"))),
        ("[f().propé]", Member(call("f"), "propé")),
        (
            "[filter(parameters('a'), lambda('i', greater(lambdaVariables('i').age, 5)))]",
            call(
                "filter",
                call("parameters", s("a")),
                call(
                    "lambda",
                    s("i"),
                    call("greater", Member(call("lambdaVariables", s("i")), "age"), i(5)),
                ),
            ),
        ),
    ],
)
def test_grammar(source: str, tree: Expr) -> None:
    assert parse_expression(source) == tree


def test_offsets_point_into_the_json_string_value() -> None:
    value = "[concat('a', parameters('b')[0].name)]"
    tree = parse_expression(value)
    assert isinstance(tree, Call)
    assert (tree.start, tree.end) == (1, len(value) - 1)
    assert value[tree.name_start : tree.name_end] == "concat"
    literal, member = tree.args
    assert value[literal.start : literal.end] == "'a'"
    assert value[member.start : member.end] == "parameters('b')[0].name"
    assert isinstance(member, Member)
    index = member.target
    assert isinstance(index, Index)
    assert value[index.start : index.end] == "parameters('b')[0]"
    assert value[index.index.start : index.index.end] == "0"
    inner = index.target
    assert isinstance(inner, Call)
    assert value[inner.name_start : inner.name_end] == "parameters"


def test_user_function_name_span_covers_namespace_and_member() -> None:
    value = "[concat(ns.fn(1), 'x')]"
    tree = parse_expression(value)
    assert isinstance(tree, Call)
    user = tree.args[0]
    assert isinstance(user, Call)
    assert user.name == "ns.fn"
    assert (user.namespace, user.member) == ("ns", "fn")
    assert value[user.name_start : user.name_end] == "ns.fn"
    assert (tree.namespace, tree.member, tree.lower_name) == (None, "concat", "concat")


def test_structural_equality_ignores_offsets_and_is_hashable() -> None:
    parsed = parse_expression("[  concat( 'a' )]")
    built = Call("concat", [StringLit("a")])
    assert parsed == built
    assert hash(parsed) == hash(built)
    assert parsed != Call("Concat", [StringLit("a")])  # names compare as written
    assert StringLit("1") != IntLit(1)
    assert len({parsed, built}) == 1
    assert repr(built) == "Call('concat', (StringLit('a'),))"


# --- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message", "span"),
    [
        ("[]", "empty expression", "[]"),
        ("[   ]", "empty expression", "[   ]"),
        ("[concat('it''s)]", "unterminated string literal", "'it''s)"),
        ("[concat('abc]", "unterminated string literal", "'abc"),
        ("[concat('a', 'b']", "missing ')' to close the call of 'concat'", ""),
        ("[concat(]", "missing ')' to close the call of 'concat'", ""),
        (
            "[concat('a' 'b')]",
            "expected ',' or ')' after an argument of 'concat', found a string literal",
            "'b'",
        ),
        ("[concat('a' parameters('b'))]", "found 'parameters'", "parameters"),
        ("[concat('a',)]", "expected an argument, found ')'", ")"),
        ("[concat(,'a')]", "expected an argument, found ','", ","),
        ("[concat('a',,'b')]", "expected an argument, found ','", ","),
        ("[concat('a'))]", "unexpected ')' after the end of the expression", ")"),
        ("[concat('a') 'b']", "unexpected a string literal after the end", "'b'"),
        ("[f() g() h()]", "unexpected 'g' after the end", "g() h()"),
        ("[parameters]", "expected '(' after the function name 'parameters', found the end", "parameters"),
        ("[parameters.x]", "expected '(' after the function name 'parameters', found '.'", "parameters"),
        ("[true]", "'true' is not a keyword in ARM expressions; call the function true()", "true"),
        ("[if(FALSE, 1, 2)]", "call the function false()", "FALSE"),
        ("[coalesce(null, 'a')]", "call the function null()", "null"),
        ("[json(1.5)]", "decimal numbers are not supported; write json('1.5')", "1.5"),
        ("[mul(2, 0.25)]", "write json('0.25')", "0.25"),
        ("[length('a'.length)]", "'.' must follow a function call", "."),
        ("[f(42[0])]", "'[' must follow a function call", "["),
        ("['abc']", "an expression must start with a function call; a literal needs no brackets", "'abc'"),
        ("[ 42 ]", "an expression must start with a function call", "42"),
        ("[-1]", "an expression must start with a function call", "-1"),
        ("['a'.length]", "an expression must start with a function call", "'a'"),
        ("[f().]", "expected a property name after '.', found the end", ""),
        ("[f().1]", "expected a property name after '.', found the number 1", "1"),
        ("[f().'x']", "expected a property name after '.', found a string literal", "'x'"),
        ("[f()[0]", "expected ']' to close the index, found the end", ""),
        ("[f()[0 1]]", "expected ']' to close the index, found the number 1", "1"),
        ("[f()[]]", "expected a function call, a string or an integer, found ']'", "]"),
        ("[parameters('a').b()]", "a property cannot be called", "("),
        ("[(1)]", "expected a function call, a string or an integer, found '('", "("),
        ("[,]", "found ','", ","),
        ('[concat("a")]', "string literals use single quotes", '"'),
        ("[add(1 + 2)]", "unexpected character '+'", "+"),
        ("[sub(5, - 1)]", "'-' must be followed by digits", "-"),
        ("[f(@)]", "unexpected character '@'", "@"),
        ("[add(9223372036854775808, 1)]", "integer out of range", "9223372036854775808"),
        ("[add(-9223372036854775809, 1)]", "integer out of range", "-9223372036854775809"),
    ],
)
def test_errors_point_inside_the_string(value: str, message: str, span: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(value)
    error = caught.value
    assert message in error.message
    assert 0 <= error.start <= error.end <= len(value)
    assert value[error.start : error.end] == span
    if span == "":  # a point error (something missing) sits on the closing ']'
        assert error.start == len(value) - 1
    assert str(error) == error.message


def test_error_messages_never_quote_string_literals() -> None:
    secret = "sv=2022-11-02&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D"
    for value in (
        f"[concat('{secret}' '{secret}')]",
        f"[f() '{secret}']",
        f"[concat('{secret}', ]",
        f"[f('{secret}'.x)]",
        f"['{secret}']",
    ):
        with pytest.raises(ExpressionError) as caught:
            parse_expression(value)
        assert "sig=" not in caught.value.message, caught.value.message


def test_errors_and_trees_survive_pickling() -> None:
    # `lint -j N` sends results between processes.
    error = ExpressionError("missing ')'", 7, 7)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.start, copy.end) == ("missing ')'", 7, 7)
    tree = parse_expression("[concat(parameters('a')[0].b, -1)]")
    assert pickle.loads(pickle.dumps(tree)) == tree


def test_hand_built_nodes_have_zero_offsets() -> None:
    node = Call("concat", [StringLit("a")])
    assert (node.start, node.end, node.name_start, node.name_end) == (0, 0, 0, 0)
    assert (Member(node, "x").start, Index(node, IntLit(0)).end) == (0, 0)


# --- limits -----------------------------------------------------------------------------------------


def test_length_limit_is_24576_characters() -> None:
    at_limit = "[f('" + "a" * (MAX_LENGTH - 7) + "')]"
    assert len(at_limit) == MAX_LENGTH
    assert parse_expression(at_limit) == Call("f", [StringLit("a" * (MAX_LENGTH - 7))])
    over = "[f('" + "a" * (MAX_LENGTH - 6) + "')]"
    with pytest.raises(ExpressionError, match="at most 24,576") as caught:
        parse_expression(over)
    assert (caught.value.start, caught.value.end) == (MAX_LENGTH, MAX_LENGTH + 1)


def nested_calls(depth: int) -> str:
    return "[" + "f(" * depth + ")" * depth + "]"


def test_nesting_up_to_max_depth_parses() -> None:
    tree = parse_expression(nested_calls(MAX_DEPTH))
    assert sum(1 for _ in walk(tree)) == MAX_DEPTH
    assert parse_expression("[" + to_source(tree) + "]") == tree  # printing recurses safely too


@pytest.mark.parametrize(
    "value",
    [
        nested_calls(MAX_DEPTH + 1),
        "[f()" + ".a" * MAX_DEPTH + "]",  # a long chain nests without parser recursion
        "[f()" + "[0]" * MAX_DEPTH + "]",
        "[" + "f()[" * MAX_DEPTH + "0" + "]" * MAX_DEPTH + "]",
        "[f(g()" + ".a" * (MAX_DEPTH - 1) + ")]",  # a call around a deep argument
    ],
)
def test_nesting_deeper_than_max_depth_is_an_error(value: str) -> None:
    assert len(value) <= MAX_LENGTH
    with pytest.raises(ExpressionError, match=f"nested deeper than {MAX_DEPTH} levels") as caught:
        parse_expression(value)
    assert 0 < caught.value.start < len(value)


def test_100000_levels_deep_is_an_error_not_a_crash() -> None:
    with pytest.raises(ExpressionError, match="at most 24,576"):
        parse_expression(nested_calls(100_000))


def test_100000_levels_deep_without_the_length_limit_is_still_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The depth guard must hold on its own, whatever the length limit.
    monkeypatch.setattr(expressions, "MAX_LENGTH", 10**7)
    for value in (
        nested_calls(100_000),
        "[f()" + ".a" * 100_000 + "]",
        "[" + "f()[" * 100_000 + "0" + "]" * 100_000 + "]",
        "[" + "f(" * 100_000 + "]",  # unclosed as well
    ):
        with pytest.raises(ExpressionError, match="nested deeper"):
            parse_expression(value)


# --- cache, walking, printing -----------------------------------------------------------------------


def test_parse_cached_shares_trees_and_returns_errors_as_values() -> None:
    first = parse_cached("[parameters('cached')]")
    assert first is parse_cached("[parameters('cached')]")
    assert first == Call("parameters", [StringLit("cached")])
    error = parse_cached("[concat('cached']")
    assert isinstance(error, ExpressionError)
    assert "missing ')'" in error.message
    assert parse_cached.cache_info().maxsize == CACHE_SIZE


def test_walk_visits_every_node_parent_first_in_source_order() -> None:
    tree = parse_expression("[concat(parameters('a')[0], 'b', add(1, 2).x)]")
    kinds = [(type(node).__name__, to_source(node)) for node in walk(tree)]
    assert kinds == [
        ("Call", "concat(parameters('a')[0], 'b', add(1, 2).x)"),
        ("Index", "parameters('a')[0]"),
        ("Call", "parameters('a')"),
        ("StringLit", "'a'"),
        ("IntLit", "0"),
        ("StringLit", "'b'"),
        ("Member", "add(1, 2).x"),
        ("Call", "add(1, 2)"),
        ("IntLit", "1"),
        ("IntLit", "2"),
    ]
    assert [c.name for c in calls(tree)] == ["concat", "parameters", "add"]


def test_walk_handles_hand_built_trees_of_any_depth() -> None:
    tree: Expr = StringLit("leaf")
    for _ in range(50_000):
        tree = Call("f", [tree])
    assert sum(1 for _ in walk(tree)) == 50_001


@pytest.mark.parametrize(
    ("value", "source"),
    [
        ("[concat('a','b')]", "concat('a', 'b')"),
        ("[  resourceGroup( ) . location ]", "resourceGroup().location"),
        ("[f('it''s')]", "f('it''s')"),
        ("[ns.fn(-1)[0]]", "ns.fn(-1)[0]"),
    ],
)
def test_to_source(value: str, source: str) -> None:
    assert to_source(parse_expression(value)) == source


def test_to_source_prints_non_identifier_member_names_as_an_index() -> None:
    # Bicep allows `x['my-output']` written as a property; the tree may come from there.
    assert to_source(Member(Call("f"), "my-output")) == "f()['my-output']"
    assert quote("it's") == "'it''s'"


# --- property tests ---------------------------------------------------------------------------------

_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
_CALL_NAMES = st.one_of(_NAMES, st.builds(lambda ns, fn: f"{ns}.{fn}", _NAMES, _NAMES))
_LEAVES = st.one_of(
    st.builds(StringLit, st.text(max_size=12)),
    st.builds(IntLit, st.integers(min_value=-(2**63), max_value=2**63 - 1)),
    st.builds(Call, _CALL_NAMES, st.just(())),
)


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    calls_ = st.builds(Call, _CALL_NAMES, st.lists(children, max_size=4))
    targets = st.one_of(calls_, children.filter(lambda e: isinstance(e, (Call, Member, Index))))
    return st.one_of(
        calls_,
        st.builds(Member, targets, _NAMES),
        st.builds(Index, targets, children),
    )


#: Any expression the ARM grammar can express: a literal never carries a member or an index, and is
#: never the whole expression.
trees = st.recursive(_LEAVES, _extend, max_leaves=25).filter(lambda e: isinstance(e, (Call, Member, Index)))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_round_trip(tree: Expr) -> None:
    value = "[" + to_source(tree) + "]"
    parsed = parse_expression(value)
    assert parsed == tree
    # Every node's span is exactly its own source text.
    for node in walk(parsed):
        assert value[node.start : node.end] == to_source(node)
        if isinstance(node, Call):
            assert value[node.name_start : node.name_end] == node.name


_ALPHABET = st.sampled_from(list("()[],.'-0123456789 \t\nabcXYZ_$\"+@é"))


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=60), st.text(_ALPHABET, max_size=60)))
def test_any_input_gives_a_tree_or_an_error_with_a_valid_span(inner: str) -> None:
    value = "[" + inner + "]"
    if not is_expression(value):
        return
    try:
        tree = parse_expression(value)
    except ExpressionError as error:
        assert 0 <= error.start <= error.end <= len(value)
        assert error.message
    else:
        assert parse_expression("[" + to_source(tree) + "]") == tree


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(trees, st.data())
def test_mutated_expressions_never_crash(tree: Expr, data: st.DataObject) -> None:
    chars = list(to_source(tree))
    for _ in range(data.draw(st.integers(1, 3))):
        position = data.draw(st.integers(0, len(chars)))
        delete = data.draw(st.booleans())
        if chars and delete:
            del chars[min(position, len(chars) - 1)]
        else:
            chars.insert(position, data.draw(_ALPHABET))
    value = "[" + "".join(chars) + "]"
    if is_expression(value):
        try:
            parse_expression(value)
        except ExpressionError as error:
            assert 0 <= error.start <= error.end <= len(value)


# --- the real corpus --------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_corpus_expression_parses(shared: Path) -> None:
    """Microsoft's CI deploys the `ci` templates, so any parse error there is our bug."""
    found = []
    for path, validation, data in corpus_templates(shared):
        for pointer, value in expression_strings(data):
            found.append((path, validation, pointer, value))
    started = time.perf_counter()
    failures = []
    for path, validation, pointer, value in found:
        try:
            parse_expression(value)
        except ExpressionError as error:
            failures.append((validation, f"{path}#{pointer}: {error.message} at {error.start}"))
    elapsed = time.perf_counter() - started
    distinct = len({entry[3] for entry in found})
    templates = len({entry[0] for entry in found})
    print(
        f"\ncorpus: {len(found):,} expressions ({distinct:,} distinct) in {templates:,} templates "
        f"parsed in {elapsed:.2f}s; {len(failures)} failed"
    )
    for _, line in failures:
        print("  " + line)
    assert len(found) > 50_000  # the corpus is really there
    assert [line for validation, line in failures if validation == "ci"] == []
