"""The engine against JavaRosa (the engine of ODK Collect): its own XPath cases.

Every instance-free case of JavaRosa's ``XPathEvalTest`` (``javarosa_cases.py``) must
give JavaRosa's value, or be one of the decisions below, each written down in
docs/forms.md ("Differences from JavaRosa"). A JavaRosa error agrees with a form error
that ``form check`` reports (unknown function, wrong arguments, a path).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from javarosa_cases import CASES, ERROR, NAN

from surveyapp.core.forms import FormSession, parse_markdown
from surveyapp.core.forms.evaluate import Ctx, analyze, compile_expr
from surveyapp.core.forms.lexer import ExprError
from surveyapp.core.forms.parser import parse

EMPTY = ""
# expression → (our value, the reason; docs/forms.md "Differences from JavaRosa").
DECISIONS: dict[str, tuple[Any, str]] = {
    # A value that cannot be a date gives an empty answer (and a form error where the
    # question has a type) instead of stopping the form with an exception.
    "date('1983-09-31')": (EMPTY, "invalid date is empty"),
    "date('not a date')": (EMPTY, "invalid date is empty"),
    "date(true())": (EMPTY, "invalid date is empty"),
    "decimal-date-time('-1000')": (NAN, "invalid date is NaN"),
    "decimal-date-time('-01-2019')": (NAN, "invalid date is NaN"),
    # A text that is not a location: the point is outside, rather than an error.
    "geofence('', '')": (False, "not a location: outside"),
    "geofence('0 0 0 0', '')": (False, "not a location: outside"),
    # With no argument these read the question's own value (``.``), which is empty here.
    "number()": (NAN, "no argument: the current value"),
    "normalize-space()": (EMPTY, "no argument: the current value"),
    "string-length()": (0.0, "no argument: the current value"),
}

_FORM = parse_markdown("| survey |\n| | type | name | label |\n| | text | t | T |\n")


@pytest.fixture(autouse=True, scope="module")
def _gmt() -> Iterator[None]:
    """JavaRosa's date cases run in GMT; date-times with an offset convert to local time."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "GMT"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def evaluate(expr: str) -> Any:
    """The value of ``expr``, or ERROR when ``form check`` would refuse it."""
    try:
        tree = parse(expr)
    except ExprError:
        return ERROR
    if analyze(tree, {}):
        return ERROR
    session = FormSession(_FORM, today=dt.date(2026, 7, 1))
    return compile_expr(tree, {}, "")(Ctx(session, None))


def same(got: Any, want: Any) -> bool:
    if isinstance(want, float):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return False
        if math.isnan(want) or math.isinf(want):
            return (math.isnan(want) and math.isnan(got)) or got == want
        return abs(got - want) <= 1e-12
    if isinstance(want, dt.datetime):
        return isinstance(got, dt.datetime) and got == want
    if isinstance(want, dt.date):
        return type(got) is dt.date and got == want
    return type(got) is type(want) and got == want


@pytest.mark.parametrize(("family", "expr", "want"), CASES, ids=[c[1] for c in CASES])
def test_javarosa_case(family: str, expr: str, want: Any):
    got = evaluate(expr)
    if expr in DECISIONS:
        assert same(got, DECISIONS[expr][0]), (family, got)
        assert not same(got, want), "agrees with JavaRosa now: drop the decision"
    else:
        assert same(got, want), (family, got)


def test_javarosa_cases__count(capsys: pytest.CaptureFixture[str]):
    agree = sum(1 for _f, e, w in CASES if same(evaluate(e), w))
    with capsys.disabled():
        print(
            f"\nJavaRosa instance-free cases: {agree} of {len(CASES)} agree, "
            f"{len(DECISIONS)} documented decisions"
        )
    assert agree + len(DECISIONS) == len(CASES)
