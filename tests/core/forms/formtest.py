"""Helpers for small inline forms in pyxform's markdown style.

``assert_form(md, errors=[(FormCode.FORM_0xx, {"sheet": ..., "row": ..., "column": ...})])``
checks a broken form's errors (code and location, in order); without ``errors`` it
checks that the form loads, then optionally fills ``answers`` and checks ``values``
(effective values by path), ``relevant`` and ``answer_errors`` (path → code name).
``calc(expr, ...)`` evaluates one expression and returns the raw result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from surveyapp.core.forms import FormCode, FormSession, check_markdown, parse_markdown
from surveyapp.core.forms.evaluate import Ctx

TODAY = dt.date(2026, 7, 1)


def assert_form(
    md: str,
    *,
    errors: list[tuple[FormCode, dict[str, Any]]] | None = None,
    answers: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    relevant: dict[str, bool] | None = None,
    answer_errors: dict[str, str] | None = None,
    today: dt.date = TODAY,
    last_saved: dict[str, Any] | None = None,
) -> FormSession | None:
    """Check ``md`` as described in the module docstring; returns the session if any."""
    result = check_markdown(md)
    if errors is not None:
        got = [(e.code, e.context) for e in result.errors]
        assert len(got) == len(errors), [e.to_dict() for e in result.errors]
        for (code, ctx), (want_code, want_ctx) in zip(got, errors, strict=True):
            assert code is want_code, (code, ctx)
            for key, want in want_ctx.items():
                assert ctx.get(key) == want, (key, ctx)
        for e in result.errors:  # both languages render with every placeholder filled
            assert "未知" not in e.message("zh") and "unknown" not in e.message("en"), e
        return None
    assert result.errors == [], [e.to_dict() for e in result.errors]
    assert result.form is not None
    session = FormSession(result.form, answers, today=today, last_saved=last_saved)
    for path, want in (values or {}).items():
        assert session.value(path) == want, (path, session.value(path))
    for path, want_rel in (relevant or {}).items():
        assert session.is_relevant(path) is want_rel, path
    if answer_errors is not None:
        got_errors = {
            session.path_of(name, idx): state[0].name
            for (name, idx), state in session.err.items()
            if state is not None
        }
        assert got_errors == answer_errors
    return session


def survey(*rows: str, choices: str = "", settings: str = "") -> str:
    """A markdown form from survey rows ``"| type | name | label | ... |"`` (header first)."""
    md = "| survey |\n" + "".join(f"|        {r}\n" for r in rows)
    if choices:
        md += "| choices |\n" + "".join(f"|  {r}\n" for r in choices.strip().splitlines())
    if settings:
        md += "| settings |\n" + "".join(f"|  {r}\n" for r in settings.strip().splitlines())
    return md


CHOICES = """
| list_name | name | label |
| abc | a | Letter A |
| abc | b | Letter B |
| abc | c | Letter C |
"""


def calc(expr: str, today: dt.date = TODAY, **answers: Any) -> Any:
    """The raw result of ``expr`` in a form with fields t, t2, i, d, d1, d2, m, s."""
    md = survey(
        "| type | name | label | calculation |",
        "| text | t | T | |",
        "| text | t2 | T2 | |",
        "| integer | i | I | |",
        "| decimal | d | D | |",
        "| date | d1 | D1 | |",
        "| date | d2 | D2 | |",
        "| select_multiple abc | m | M | |",
        "| select_one abc | s | S | |",
        f"| calculate | c | | {expr} |",
        choices=CHOICES,
    )
    form = parse_markdown(md)
    session = FormSession(form, answers, today=today)
    return form.program.fns[("calculation", "c")](Ctx(session, None))
