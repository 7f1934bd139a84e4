"""Age is a function of a date: a saved visit's age-bound results, re-evaluated as of a day.

A visit records ``age_years`` at its survey date and every classification the form
computed from it. A report made later (the ledger, the statistics, the department lists,
the child list) asks what holds *on its own date*: :class:`AsOf` takes the form's own
``age_years`` calculation with the survey date replaced by that day, then re-evaluates,
in the form's dependency order, exactly the calculates that depend on ``age_years``
(``is_left_behind``, ``is_unsupported``, every ``dk_*``, ``is_in_difficulty``,
``urgent_report``, ``risk_level``, ``category_label`` …). Every other answer is read as
saved. The rules are the form's: a county that edits ``lb_age_limit`` or
``minor_age_limit`` changes the reports too.

    rules = AsOf(form, dt.date(2027, 7, 1))
    rules.row(row) -> dict     # a copy of ``row`` with those values as of the day
    rules.age(row) -> int | None
    age_on(birth, day) -> int | None   # whole years, for worklists
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from surveyapp.core.forms.coerce import coerce
from surveyapp.core.forms.evaluate import Ctx, Fn, references
from surveyapp.core.forms.model import Form, Question
from surveyapp.core.forms.parser import parse
from surveyapp.core.forms.values import to_string

AGE = "age_years"
MEMO = 50_000  # distinct answer combinations remembered
DATE = "survey_date"


def age_on(birth: Any, day: dt.date) -> int | None:
    """Whole years from ``birth`` (a date or ``YYYY-MM-DD``) to ``day``; None if unknown
    or if ``day`` is before the birth."""
    if isinstance(birth, dt.datetime):
        birth = birth.date()
    if not isinstance(birth, dt.date):
        try:
            birth = dt.date.fromisoformat(str(birth or "")[:10])
        except ValueError:
            return None
    if day < birth:
        return None
    born: dt.date = birth
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _calc(form: Form, name: str) -> bool:
    q = form.nodes.get(name)
    return (isinstance(q, Question) and q.type == "calculate" and not q.repeat
            and ("calculation", name) in form.program.fns)


class _Values:
    """What the compiled expressions read (the shape of a form session)."""

    __slots__ = ("form", "inst", "now", "today", "vals")

    def __init__(self, form: Form, day: dt.date,
                 inst: dict[str, list[dict[str, Any]]]) -> None:
        self.form = form
        self.vals: dict[str, Any] = {}
        self.inst = inst  # no repeat instances: the age rules read none
        self.today = day
        self.now = dt.datetime.combine(day, dt.time(12))

    def choice_label(self, question: str, value: str) -> str:
        node = self.form.nodes.get(question)
        if not isinstance(node, Question):
            return ""
        for c in self.form.choices.get(node.choices, ()):
            if c.name == value:
                return c.text(self.form.default_language)
        return ""

    def last_saved_value(self, name: str) -> Any:
        return ""


class AsOf:
    """The age-bound calculates of ``form`` evaluated as of ``day`` (see the module doc).

    A form without an ``age_years`` calculate leaves rows as they are.
    """

    def __init__(self, form: Form, day: dt.date) -> None:
        self.form = form
        self.day = day
        prog = form.program
        node = form.nodes.get(AGE)
        self._age: Fn | None = None
        self._steps: list[tuple[str, Fn]] = []
        self._reads: dict[str, Question | None] = {}
        self._inst: dict[str, list[dict[str, Any]]] = {r.name: [] for r in form.repeats()}
        if not (isinstance(node, Question) and node.type == "calculate" and not node.repeat):
            return
        self._age = prog.fns.get(("calculation", AGE))
        seen: set[tuple[str, str]] = set()
        todo = [("val", AGE)]
        while todo:
            key = todo.pop()
            for dep in prog.dependents.get(key, ()):
                if dep not in seen:
                    seen.add(dep)
                    todo.append(dep)
        # The calculates to evaluate: those that depend on age_years and every calculate
        # they read (switches such as minor_age_limit come from this form, not the row).
        wanted = {name for kind, name in seen if kind == "val" and _calc(form, name)}
        todo2 = list(wanted | {AGE})
        while todo2:
            q = form.nodes[todo2.pop()]
            calculation = q.calculation if isinstance(q, Question) else ""
            for ref in references(parse(calculation)) if calculation else ():
                if ref not in wanted and ref != AGE and _calc(form, ref):
                    wanted.add(ref)
                    todo2.append(ref)
                elif not _calc(form, ref) and ref not in self._reads:
                    other = form.nodes.get(ref)
                    self._reads[ref] = other if isinstance(other, Question) else None
        names = sorted(wanted, key=lambda name: prog.rank.get(("val", name), 0))
        self._steps = [(name, prog.fns[("calculation", name)]) for name in names]
        self._reads.setdefault(DATE, None)
        # Each step remembers its results by the values it reads: children share few
        # distinct combinations of flags, so most steps are a dictionary look-up.
        self._refs = {name: tuple(sorted(references(parse(q.calculation))))
                      for name in names if isinstance(q := form.nodes[name], Question)}
        self._memo: dict[str, dict[tuple[Any, ...], str]] = {name: {} for name in names}

    @property
    def names(self) -> tuple[str, ...]:
        """The values :meth:`row` may change: ``age_years`` and what depends on it."""
        return (AGE, *(name for name, _ in self._steps)) if self._age else ()

    def row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of ``row`` with ``age_years`` and the calculates that depend on it as of
        the day (text, as a submission holds them)."""
        out = dict(row)
        if self._age is None:
            return out
        s = _Values(self.form, self.day, self._inst)
        for name, question in self._reads.items():
            value = row.get(name, "")
            s.vals[name] = (coerce(question, value)[0] if question is not None
                            else "" if value is None else value)
        saved_date = s.vals.get(DATE, "")
        s.vals[DATE] = self.day
        ctx = Ctx(s, None)
        age = to_string(self._age(ctx))
        s.vals[DATE] = saved_date
        s.vals[AGE] = age
        out[AGE] = age
        vals = s.vals
        for name, fn in self._steps:
            memo = self._memo[name]
            key: tuple[Any, ...] | None = tuple(map(vals.get, self._refs[name]))
            try:
                value = memo.get(key) if key is not None else None
            except TypeError:  # a list (a repeat) among the values: no memo
                key, value = None, None
            if value is None:
                value = to_string(fn(ctx))
                if key is not None:
                    if len(memo) > MEMO:
                        memo.clear()
                    memo[key] = value
            vals[name] = value
            out[name] = value
        return out

    def rows(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        """:meth:`row` over ``rows``, lazily."""
        return (self.row(r) for r in rows)

    def age(self, row: Mapping[str, Any]) -> int | None:
        """The child's age in whole years on the day (None when the birth date is unknown)."""
        return age_on(row.get("birth_date"), self.day)
