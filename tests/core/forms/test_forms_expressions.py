"""Operators and functions of the expression language, with XLSForm/XPath semantics.

Each case evaluates one ``calculate`` in a small inline form (fields t, t2 text; i
integer; d decimal; d1, d2 date; m select_multiple; s select_one) and checks the raw
result; text results of calculates are checked through :func:`to_string`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from formtest import TODAY, calc

from surveyapp.core.forms.lexer import ExprError, tokenize
from surveyapp.core.forms.parser import Binary, Call, Neg, Ref, parse
from surveyapp.core.forms.values import NodeSet, to_string


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    return type(got) is type(want) and got == want


OPERATORS = [
    ("1 + 2", {}, 3.0),
    ("5 - 7", {}, -2.0),
    ("3 * 4", {}, 12.0),
    ("7 div 2", {}, 3.5),
    ("6 div 3", {}, 2.0),
    ("1 div 0", {}, math.inf),
    ("-1 div 0", {}, -math.inf),
    ("0 div 0", {}, math.nan),
    ("7 mod 3", {}, 1.0),
    ("-7 mod 3", {}, -1.0),
    ("7.5 mod 2", {}, 1.5),
    ("5 mod 0", {}, math.nan),
    ("-3", {}, -3.0),
    ("- -3", {}, 3.0),
    ("-${i}", {"i": 4}, -4.0),
    ("2 + 3 * 4", {}, 14.0),
    ("(2 + 3) * 4", {}, 20.0),
    ("10 - 4 - 3", {}, 3.0),
    ("${i} + 1", {"i": 41}, 42.0),
    ("${i} + 1", {}, math.nan),  # an empty answer is "" and number("") is NaN
    ("${t} + 1", {"t": "2"}, 3.0),
    ("${t} + 1", {"t": "abc"}, math.nan),
    ("${d} * 2", {"d": 1.25}, 2.5),
    ("1 = 1", {}, True),
    ("1 != 1", {}, False),
    ("'a' = 'a'", {}, True),
    ("'a' != 'b'", {}, True),
    ("'' = 0", {}, False),  # NaN is never equal
    ("'' != 0", {}, True),
    ("${i} = ''", {}, True),  # empty integer compared as text
    ("${i} = 5", {"i": 5}, True),
    ("${i} = '5'", {"i": 5}, True),  # number vs text: numeric
    ("${t} = 5", {"t": "5.0"}, True),
    ("'10' = '10.0'", {}, False),  # text vs text: as text
    ("'2' < '10'", {}, True),  # relational: always numeric
    ("'' < 5", {}, False),  # NaN < 5 is false (XPath/ODK)
    ("'' >= 5", {}, False),
    ("${i} < 5", {}, False),
    ("3 <= 3", {}, True),
    ("3 > 2", {}, True),
    ("3 >= 4", {}, False),
    ("true() = 1", {}, True),  # booleans win
    ("false() = ''", {}, True),
    ("'x' = true()", {}, True),
    ("1 and 0", {}, False),
    ("1 or 0", {}, True),
    ("'' or 'a'", {}, True),
    ("'' and 1", {}, False),
    ("1 = 1 or 1 = 2 and 1 = 3", {}, True),  # and binds tighter
    ("(1 = 1 or 1 = 2) and 1 = 3", {}, False),
    ("${d1} < ${d2}", {"d1": "2026-01-01", "d2": "2026-02-01"}, True),
    ("${d1} = '2026-01-01'", {"d1": "2026-01-01"}, True),
    ("${d1} > '2025-12-31'", {"d1": "2026-01-01"}, True),
    ("${d1} <= today()", {"d1": "2026-07-01"}, True),
    ("${d1} < today()", {"d1": "2026-07-02"}, False),
    ("${d1} - ${d2}", {"d1": "2026-03-01", "d2": "2026-02-01"}, 28.0),
    ("${d1} - ${d2}", {"d1": "2024-03-01", "d2": "2024-02-01"}, 29.0),
    ("today() - ${d1}", {"d1": "2026-06-24"}, 7.0),
    ("${d1} < ${d2}", {"d1": "2026-01-01"}, False),  # empty date: false, not an error
]


@pytest.mark.parametrize(("expr", "answers", "want"), OPERATORS, ids=[o[0] for o in OPERATORS])
def test_operator__xpath_result(expr: str, answers: dict[str, Any], want: Any):
    assert _same(calc(expr, **answers), want)


FUNCTIONS = [
    ("not(1)", {}, False),
    ("not('')", {}, True),
    ("if(1 = 1, 'y', 'n')", {}, "y"),
    ("if('', 'y', 'n')", {}, "n"),
    ("if(${i} > 3, 1 div 0, 'small')", {"i": 1}, "small"),  # lazy branches
    ("selected(${m}, 'b')", {"m": "a b"}, True),
    ("selected(${m}, 'c')", {"m": "a b"}, False),
    ("selected(${m}, 'a')", {"m": ""}, False),
    ("selected('a  b ', ' b ')", {}, True),
    ("count-selected(${m})", {"m": "a b c"}, 3.0),
    ("count-selected(${m})", {}, 0.0),
    ("selected-at(${m}, 1)", {"m": "a b c"}, "b"),
    ("selected-at(${m}, 5)", {"m": "a b c"}, ""),
    ("selected-at(${m}, -1)", {"m": "a b c"}, ""),
    ("jr:choice-name(${s}, '${s}')", {"s": "b"}, "Letter B"),
    ("jr:choice-name('zz', '${s}')", {}, ""),
    ("string-length('留守儿童')", {}, 4.0),
    ("string-length(${t})", {}, 0.0),
    ("concat('a', 1, 'b', ${i})", {"i": 2}, "a1b2"),
    ("concat()", {}, ""),
    ("concat(${d1}, '')", {"d1": "2026-01-05"}, "2026-01-05"),
    ("substr('abcdef', 1, 3)", {}, "bc"),
    ("substr('abcdef', 2)", {}, "cdef"),
    ("substr('abc', 5)", {}, ""),
    ("substr('abc', 0, 99)", {}, "abc"),
    ("substring-before('a-b-c', '-')", {}, "a"),
    ("substring-before('abc', '-')", {}, ""),
    ("substring-after('a-b-c', '-')", {}, "b-c"),
    ("substring-after('abc', '-')", {}, ""),
    ("substring-after('abc', '')", {}, "abc"),
    ("substring-before('abc', '')", {}, ""),
    ("substr('abc', 1 div 0)", {}, ""),
    ("substr('abc', -1 div 0, 2)", {}, "ab"),
    ("regex('13812345678', '^1[3-9][0-9]{9}$')", {}, True),
    ("regex('abc', '^[0-9]+$')", {}, False),
    ("regex('abc', '(')", {}, False),  # a broken pattern does not crash
    ("contains('留守儿童', '儿童')", {}, True),
    ("contains('abc', 'x')", {}, False),
    ("starts-with('abc', 'ab')", {}, True),
    ("starts-with('abc', 'b')", {}, False),
    ("ends-with('abc', 'bc')", {}, True),
    ("coalesce(${t}, 'fallback')", {}, "fallback"),
    ("coalesce(${t}, 'fallback')", {"t": "x"}, "x"),
    ("int(3.9)", {}, 3.0),
    ("int(-3.9)", {}, -3.0),
    ("int('7')", {}, 7.0),
    ("int('')", {}, math.nan),
    ("int(7 div 2)", {}, 3.0),
    ("number('12.5')", {}, 12.5),
    ("number('')", {}, math.nan),
    ("number('1e3')", {}, math.nan),
    ("number(' -4 ')", {}, -4.0),
    ("number(true())", {}, 1.0),
    ("string(16)", {}, "16"),
    ("string(2.5)", {}, "2.5"),
    ("string(0 div 0)", {}, "NaN"),
    ("string(1 div 0)", {}, "Infinity"),
    ("string(true())", {}, "true"),
    ("string(${d1})", {"d1": "2026-01-05"}, "2026-01-05"),
    ("round(2.5)", {}, 3.0),
    ("round(-2.5)", {}, -2.0),  # XPath rounds halves towards +infinity
    ("round(2.4)", {}, 2.0),
    ("round(3.14159, 2)", {}, 3.14),
    ("round(2.675, 2)", {}, 2.68),
    ("round('')", {}, math.nan),
    ("today()", {}, TODAY),
    ("date('2026-02-03')", {}, dt.date(2026, 2, 3)),
    ("date(0)", {}, dt.date(1970, 1, 1)),
    ("date(${d1} + 10)", {"d1": "2026-01-25"}, dt.date(2026, 2, 4)),
    ("date('2026-02-30')", {}, ""),
    ("date('not a date')", {}, ""),
    ("format-date('2026-03-05', '%Y/%m/%d')", {}, "2026/03/05"),
    ("format-date('2026-03-05', '%e %b %a')", {}, "5 Mar Thu"),
    ("format-date('2026-03-05', '%Y%m%d')", {}, "20260305"),
    ("format-date(${d1}, '%Y')", {}, ""),  # empty date → empty text
    ("format-date('2026-03-05', '%H:%M:%S')", {}, "00:00:00"),
    ("decimal-date-time('1970-01-11')", {}, 10.0),
    ("decimal-date-time(${d1})", {"d1": "2026-01-01"}, 20454.0),
    ("true()", {}, True),
    ("false()", {}, False),
    ("boolean('')", {}, False),
    ("boolean('0')", {}, True),  # a non-empty string is true
    ("boolean(0)", {}, False),
    ("boolean(0 div 0)", {}, False),
    ("count(${t})", {"t": "x"}, 1.0),
    ("sum(${i})", {"i": 4}, 4.0),
    ("position(..)", {}, 1.0),
    ("normalize-space('  a   b ')", {}, "a b"),
    ("translate('abc', 'ab', 'AB')", {}, "ABc"),
    ("floor(2.7)", {}, 2.0),
    ("ceiling(2.1)", {}, 3.0),
    ("abs(-2)", {}, 2.0),
    ("max(1, 5, 3)", {}, 5.0),
    ("min(1, 5, 3)", {}, 1.0),
    ("pow(2, 10)", {}, 1024.0),
    ("join('-', 'a')", {}, "a"),
]


@pytest.mark.parametrize(("expr", "answers", "want"), FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_function__xpath_result(expr: str, answers: dict[str, Any], want: Any):
    assert _same(calc(expr, **answers), want)


def test_now__today_with_a_time():
    got = calc("now()")
    assert isinstance(got, dt.datetime) and got.date() == TODAY


EXTENSIONS = [
    ("id-valid('11010519491231002X')", True),
    ("id-valid('11010519491231002x')", True),
    ("id-valid('110105194912310021')", False),
    ("id-valid('')", False),
    ("id-birthdate('11010519491231002X')", "1949-12-31"),
    ("id-birthdate('110105194912310021')", ""),
    ("id-sex('11010519491231002X')", "female"),
    ("id-sex('440524188001010014')", "male"),
    ("id-sex('123')", ""),
    ("admin-code-valid('522422')", True),
    ("admin-code-valid('522422102')", True),
    ("admin-code-valid('52242')", False),
    ("phone-valid('13812345678')", True),
    ("phone-valid('12345')", False),
]


@pytest.mark.parametrize(("expr", "want"), EXTENSIONS, ids=[e[0] for e in EXTENSIONS])
def test_extension__over_core_ids(expr: str, want: Any):
    assert _same(calc(expr), want)


def test_calculate_value__stored_as_text_like_odk():
    from formtest import survey

    from surveyapp.core.forms import FormSession, parse_markdown

    md = survey(
        "| type | name | label | calculation |",
        "| calculate | n | | 7 div 2 |",
        "| calculate | b | | 1 = 1 |",
        "| calculate | w | | 2 * 8 |",
        "| calculate | nan | | 0 div 0 |",
        "| calculate | f | | if(${b}, 'yes', 'no') |",
        "| calculate | e | | ${nan} = '' |",
    )
    s = FormSession(parse_markdown(md))
    # Numbers as text; a boolean stays one for expressions and is stored as 1/0, and
    # NaN is an empty answer, as Collect stores them.
    assert (s.value("n"), s.value("b"), s.value("w"), s.value("nan")) == ("3.5", True, "16", "")
    assert (s.value("f"), s.value("e")) == ("yes", True)
    sub = s.submission()
    assert (sub["b"], sub["nan"], sub["e"]) == ("1", "", "1")


def test_lexer__word_operators_only_after_an_operand():
    kinds = [(t.kind, t.text) for t in tokenize("div(1) div mod")][:5]
    assert kinds == [("name", "div"), ("(", "("), ("num", "1"), (")", ")"), ("op", "div")]


def test_parser__precedence_tree():
    tree = parse("-${a} + 2 * f(1) = 3")
    assert isinstance(tree, Binary) and tree.op == "="
    left = tree.left
    assert isinstance(left, Binary) and left.op == "+"
    assert isinstance(left.left, Neg) and isinstance(left.left.operand, Ref)
    assert isinstance(left.right, Binary) and isinstance(left.right.right, Call)


def test_parser__last_saved_reference():
    tree = parse("${last-saved#child_name}")
    assert tree == Ref("child_name", 1, last_saved=True)


@pytest.mark.parametrize(
    ("src", "position"),
    [
        ("1 +", 4),
        ("(1 + 2", 7),
        ("'abc", 1),
        ("${abc", 1),
        ("1 2", 3),
        ("f(1,)", 5),
        ("1 # 2", 3),
        ("/data/x = 1", 1),
        ("", 1),
        ("${}", 1),
    ],
)
def test_parser_error__position(src: str, position: int):
    with pytest.raises(ExprError) as info:
        parse(src)
    assert info.value.position == position
    assert " / " in info.value.reason  # bilingual reason


def test_node_set__string_is_first_node():
    assert to_string(NodeSet(("a", "b"))) == "a"
    assert to_string(NodeSet(())) == ""
