"""Robustness: any text parses or fails with ExprError; any well-formed expression
evaluates to a value without raising (a keystroke must never crash the form)."""

from __future__ import annotations

import math

from formtest import calc
from hypothesis import given, settings
from hypothesis import strategies as st

from surveyapp.core.forms.functions import FUNCTIONS
from surveyapp.core.forms.lexer import ExprError
from surveyapp.core.forms.parser import parse

ATOMS = st.sampled_from(
    [
        "0",
        "1",
        "-1",
        "2.5",
        "1 div 0",
        "-1 div 0",
        "0 div 0",
        "'1e3'",
        "''",
        "'abc'",
        "'2026-02-30'",
        "'2026-01-01'",
        "'-3'",
        "${t}",
        "${i}",
        "${d}",
        "${d1}",
        "${m}",
        "${s}",
        "today()",
        "now()",
        "'%Y%%'",
        "99999999999999999999",
        "'('",
    ]
)
OPS = ["+", "-", "*", "div", "mod", "=", "!=", "<", "<=", ">", ">=", "and", "or"]
# jr:choice-name, indexed-repeat: arguments must be references; pulldata: a file.
NAMES = sorted(n for n in FUNCTIONS if n not in ("jr:choice-name", "indexed-repeat", "pulldata"))


def expressions() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(inner, st.sampled_from(OPS), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        )
        call = st.sampled_from(NAMES).flatmap(
            lambda n: st.lists(
                inner,
                min_size=FUNCTIONS[n][0],
                max_size=3 if FUNCTIONS[n][1] is None else FUNCTIONS[n][1],
            ).map(lambda args: f"{n}({', '.join(args)})")
        )
        return st.one_of(binary, call, inner.map(lambda e: f"-{e}"))

    return st.recursive(ATOMS, extend, max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("${}()'\",.-+*=<>!/ abdivmod0123456789#:_"), max_size=30))
def test_parse_any_text__tree_or_expr_error(text: str):
    try:
        parse(text)
    except ExprError as err:
        assert err.position >= 1


@settings(max_examples=300, deadline=None)
@given(
    expressions(),
    st.sampled_from([{}, {"t": "x", "i": 3, "d": 2.5, "d1": "2026-01-01", "m": "a b", "s": "c"}]),
)
def test_evaluate_any_expression__never_raises(expr: str, answers: dict):
    value = calc(expr, **answers)
    if isinstance(value, float):
        assert math.isnan(value) or isinstance(value, float)
