"""Property: after any sequence of answer changes, the incrementally updated session
equals a fresh session built from the same answers (values, relevance, errors, choices).

This is what makes the dependency graph trustworthy: skipping a node that should have
been re-evaluated would show up as a difference.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveyapp.core.forms import Form, FormSession, load_form

FORM = Path(__file__).resolve().parents[3] / "forms" / "child_screening.xlsx"
TODAY = dt.date(2026, 7, 1)


@pytest.fixture(scope="module")
def form() -> Form:
    if not FORM.exists():
        pytest.skip("the screening form is not built")
    return load_form(FORM)


def candidates(form: Form) -> dict[str, list[Any]]:
    """A few plausible (and some invalid) values per top-level input question."""
    out: dict[str, list[Any]] = {}
    for q in form.questions():
        if q.repeat or q.type in ("calculate", "note"):
            continue
        names = [c.name for c in form.choices.get(q.choices, ())][:6]
        if q.type == "select_one":
            out[q.name] = ["", *names]
        elif q.type == "select_multiple":
            out[q.name] = ["", *names, " ".join(names[:2])]
        elif q.type == "integer":
            out[q.name] = ["", 0, 5, 24, 700, "x"]
        elif q.type == "date":
            out[q.name] = ["", "2010-07-01", "2016-03-15", "2026-07-02"]
        else:
            out[q.name] = ["", "张", "张小明", "11010519491231002X", "13812345678"]
    return out


def snapshot(s: FormSession) -> tuple[Any, ...]:
    return (s.submission(), s.relevance(), s.errors("en"), dict(s.cf))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_incremental_updates__equal_fresh_evaluation(form: Form, data: st.DataObject):
    values = candidates(form)
    names = sorted(values)
    steps = data.draw(
        st.lists(
            st.sampled_from(names).flatmap(
                lambda n: st.tuples(st.just(n), st.sampled_from(values[n]))
            ),
            min_size=1,
            max_size=25,
        )
    )
    session = FormSession(form, today=TODAY)
    answers: dict[str, Any] = {}
    for name, value in steps:
        session.set(name, value)
        answers[name] = value
    fresh = FormSession(form, answers, today=TODAY)
    assert snapshot(session) == snapshot(fresh)


def test_repeat_changes__equal_fresh_evaluation(form: Form):
    session = FormSession(form, today=TODAY)
    for i in range(3):
        idx = session.add_repeat("siblings")
        session.set(f"siblings[{idx}]/sibling_name", f"孩子{i}")
        session.set(f"siblings[{idx}]/sibling_birth_year", 2010 + i)
    session.remove_repeat("siblings", 1)
    items = [
        {"sibling_name": "孩子0", "sibling_birth_year": 2010},
        {"sibling_name": "孩子2", "sibling_birth_year": 2012},
    ]
    fresh = FormSession(form, {"siblings": items}, today=TODAY)
    assert snapshot(session) == snapshot(fresh)
    assert session.value("sibling_count") == "2"


SIBLING_VALUES = {
    "sibling_name": ["", "小红", "小明"],
    "sibling_sex": ["", "male", "female"],
    "sibling_birth_year": ["", 1900, 2012, 2030],
    "sibling_lives_with": ["", "yes", "no"],
}
OPS = st.one_of(
    st.tuples(st.just("add"), st.just(0), st.just(""), st.just("")),
    st.tuples(st.just("remove"), st.integers(0, 3), st.just(""), st.just("")),
    st.sampled_from(sorted(SIBLING_VALUES)).flatmap(
        lambda n: st.tuples(
            st.just("set"), st.integers(0, 3), st.just(n), st.sampled_from(SIBLING_VALUES[n])
        )
    ),
    st.tuples(st.just("top"), st.just(0), st.just("carer_type"), st.sampled_from(["", "self"])),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(OPS, min_size=1, max_size=20))
def test_repeat_operations__equal_fresh_evaluation(
    form: Form, ops: list[tuple[str, int, str, Any]]
):
    session = FormSession(form, today=TODAY)
    items: list[dict[str, Any]] = []
    top: dict[str, Any] = {}
    for op, i, name, value in ops:
        if op == "add":
            session.add_repeat("siblings")
            items.append({})
        elif op == "remove" and i < len(items):
            session.remove_repeat("siblings", i)
            del items[i]
        elif op == "set" and i < len(items):
            session.set(f"siblings[{i}]/{name}", value)
            items[i][name] = value
        elif op == "top":
            session.set(name, value)
            top[name] = value
    fresh = FormSession(form, {**top, "siblings": items}, today=TODAY)
    assert snapshot(session) == snapshot(fresh)
