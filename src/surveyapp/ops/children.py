"""The child files (一人一档) for scripts: list and search (as of a date), one child's file
with its history, a visit saved from an answers file through the workspace's form (a
follow-up loses nothing: ``follow_up``), an exit from the list (checked), and the list of
children ageing out (``ageing_out``).

The desktop app does the same through its list, child file and form view; both go through
the workspace, so every save is a revision with an audit entry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from surveyapp.core.forms import Form, Question
from surveyapp.core.forms.asof import AsOf, age_on
from surveyapp.core.forms.carry import PREVIOUS, Carried, carry_over, refused
from surveyapp.core.forms.session import FormSession
from surveyapp.core.store import Workspace
from surveyapp.core.store.models import HistoryEntry
from surveyapp.core.store.views import CATEGORIES, ChildFilter, ChildRow
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops.codes import ChildCode, ReviewCode
from surveyapp.ops.forms import current_form, load_cached, version_form

PAGE = 500


def iter_children(ws: Workspace, flt: ChildFilter | None, limit: int | None = None
                  ) -> Iterator[ChildRow]:
    """The children matching ``flt`` in list order, page by page (memory stays flat)."""
    return itertools.islice(ws.iter_children(flt, PAGE), limit)


@dataclass(frozen=True, slots=True)
class ChildFile:
    row: ChildRow
    history: tuple[HistoryEntry, ...]


def child_file(ws: Workspace, record_id: str) -> ChildFile:
    """One child's current answers and every revision of the file, newest first.

    :raises SurveyError: REVIEW_003 when no such child is on file.
    """
    row = ws.get_child(record_id)
    if row is None:
        raise SurveyError(ReviewCode.REVIEW_003, record=record_id)
    return ChildFile(row, tuple(ws.child_history(record_id)))


def read_answers(path: str | Path) -> dict[str, Any]:
    """An answers file: one JSON object, UTF-8.

    :raises SurveyError: IO_002/IO_004 unreadable, INPUT_001 not JSON, CHILD_002 not an object.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise SurveyError(CommonCode.IO_002, path=str(path)) from err
    except OSError as err:
        raise SurveyError(CommonCode.IO_004, path=str(path), reason=err.strerror) from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SurveyError(CommonCode.INPUT_001, path=str(path),
                          reason="not UTF-8 JSON") from err
    if not isinstance(data, dict):
        raise SurveyError(ChildCode.CHILD_002, path=str(path))
    return data


def same_id_on_file(ws: Workspace, id_number: Any, *, other_than: str | None = None
                    ) -> list[ChildRow]:
    """The child files here that already carry this ID number (exited and absorbed files
    too), so that a new entry can be a follow-up visit instead of a second file."""
    idn = str(id_number or "").strip().upper()
    if not idn:
        return []
    flt = ChildFilter(search=idn, include_exited=True)
    return [r for r in ws.iter_children(flt, PAGE)
            if r.id_number == idn and r.record_id != other_than and r.status != "deleted"]


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Where a follow-up visit of one child starts in the current form."""

    form: Form
    carried: Carried
    last_version: str  # "form_id@version" of the child's last save


def follow_up(ws: Workspace, child_id: str, form: Form | None = None) -> FollowUp:
    """The child's last answers carried into ``form`` (default: the workspace's form):
    renamed answers moved, answers the form no longer asks kept apart.

    :raises SurveyError: REVIEW_003 for an unknown child.
    """
    form = form or current_form(ws)
    found = child_file(ws, child_id)
    heads = ws.heads(child_id)
    form_id = heads[0].form_id if heads else form.form_id
    version = str(heads[0].form_version) if heads else str(form.version)
    old = version_form(ws, form_id, version)
    carried = carry_over(form, found.row.data, form_id=form_id, form_version=version,
                         old_form=old)
    return FollowUp(form, carried, f"{form_id}@{version}")


def with_previous(submission: dict[str, Any], carried: Carried | None) -> dict[str, Any]:
    """The submission to save: with the answers the form no longer asks, kept apart."""
    if carried is None or not carried.previous:
        return submission
    kept = {k: v for k, v in carried.previous.items() if k not in submission}
    return {**submission, PREVIOUS: kept} if kept else submission


def save_visit(ws: Workspace, answers: dict[str, Any], *, child_id: str | None = None,
               form_path: str | Path | None = None, source: str = "answers",
               lang: str = "zh", today: dt.date | None = None,
               new_anyway: bool = False) -> str:
    """Fill the form with ``answers`` and save the visit only when the form has no error,
    exactly as Finalize does. The form is the workspace's own (the one the county sent,
    else the shipped one) unless ``form_path`` names another. A follow-up starts from the
    child's last answers (see :func:`follow_up`); nothing typed before is lost.

    :param new_anyway: save a new child even when a file with the same ID number is on
        file (the reviewer will see them as possible duplicates).
    :returns: the child's record id.
    :raises SurveyError: CHILD_004 listing carried answers the form now refuses, with
        their old values; CHILD_001 listing the questions that need attention (nothing
        is saved); CHILD_003 a new child whose ID number is already on file (nothing is
        saved); REVIEW_003 for an unknown child; the form's errors for a broken form.
    """
    form = load_cached(form_path) if form_path is not None else current_form(ws)
    start: dict[str, Any] = {}
    plan: FollowUp | None = None
    if child_id is not None:
        plan = follow_up(ws, child_id, form)
        start = dict(plan.carried.start)
    given = {k: v for k, v in answers.items() if k in form.nodes}
    start.update(given)
    session = FormSession(form, start, today=today, lang=lang)
    if plan is not None:
        bad = refused(session, plan.carried, given, lang)
        if bad:
            first = "; ".join(f"{r.name} = {r.value!r}: {r.message}" for r in bad[:3])
            raise SurveyError(ChildCode.CHILD_004, path=source, count=len(bad), first=first,
                              form=f"{form.form_id}@{form.version}",
                              last=plan.last_version)
    errors = session.errors(lang)
    if errors:
        first = "; ".join(f"{k}: {v}" for k, v in list(errors.items())[:3])
        raise SurveyError(ChildCode.CHILD_001, path=source, count=len(errors), first=first)
    if child_id is None and not new_anyway:
        found = same_id_on_file(ws, session.value("id_number") if "id_number" in form.nodes
                                else answers.get("id_number"))
        if found:
            row = found[0]
            raise SurveyError(ChildCode.CHILD_003, id_number=row.id_number,
                              name=row.child_name, village=row.village_code,
                              record=row.record_id)
    submission = with_previous(session.submission(), plan.carried if plan else None)
    result = ws.save_visit(child_id, submission, form_id=form.form_id,
                           form_version=str(form.version))
    return result.child_id


def form_limit(form: Form, name: str, default: int) -> int:
    """A county switch of the form that is a whole number (``lb_age_limit``,
    ``minor_age_limit``), else ``default``."""
    node = form.nodes.get(name)
    if isinstance(node, Question):
        try:
            return int(node.calculation.strip())
        except ValueError:
            return default
    return default


def record_exit(ws: Workspace, child_id: str, reason: str, date: str, note: str = "",
                today: dt.date | None = None) -> str:
    """Take a child off the active list with its reason (the file stays); ``aged_out``
    needs the form's ``minor_age_limit`` (18).

    :raises SurveyError: STORE_015 unknown reason; STORE_012 unknown child; STORE_021 bad
        date; STORE_022 already exited; STORE_023 not yet 18.
    """
    adult = form_limit(current_form(ws), "minor_age_limit", 18)
    return ws.record_exit(child_id, reason=reason, date=date, note=note, today=today,
                          adult_age=adult)


# --- the list as of a date ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ListedChild:
    """One child of the list, with age and the age-bound values as of the list's date."""

    row: dict[str, Any]

    def get(self, key: str, default: Any = "") -> Any:
        value = self.row.get(key, default)
        return default if value is None else value


def list_children(ws: Workspace, flt: ChildFilter | None, limit: int | None = None, *,
                  as_of: dt.date | None = None) -> list[ListedChild]:
    """The children ``flt`` matches, with age, categories and risk as of ``as_of`` (today
    by default) by the workspace form's rules. A category, risk or urgency filter is
    applied to the values as of that date (ageing only ever clears a category)."""
    from surveyapp.ops.ledger import child_row

    rules = AsOf(current_form(ws), as_of or dt.date.today())
    flag = CATEGORIES.get(flt.category or "") if flt is not None else None
    out: list[ListedChild] = []
    for view in ws.iter_children(flt, PAGE):
        row = rules.row(child_row(view))
        if flt is not None and (
            (flag and row.get(flag) != "yes")
            or (flt.risk_level and row.get("risk_level") != flt.risk_level)
            or (flt.urgent is not None and (row.get("urgent_report") == "yes") != flt.urgent)
        ):
            continue
        out.append(ListedChild(row))
        if limit is not None and len(out) >= limit:
            break
    return out


@dataclass(frozen=True, slots=True)
class AgeingOut:
    """A child who has reached, or will within the window reach, an age limit.

    :param rule: ``left_behind`` (the left-behind limit, 16: no longer 留守儿童) or
        ``minor`` (18: no 困境 category, no 事实无人抚养; the file may exit as aged out).
    :param on: the birthday the limit is reached.
    """

    record_id: str
    child_name: str
    village_code: str
    birth_date: str
    age: int
    limit: int
    rule: str
    on: str
    reached: bool

    def to_dict(self) -> dict[str, Any]:
        return {"record_id": self.record_id, "child_name": self.child_name,
                "village_code": self.village_code, "birth_date": self.birth_date,
                "age": self.age, "limit": self.limit, "rule": self.rule,
                "rule_zh": RULE_ZH[self.rule].format(limit=self.limit), "on": self.on,
                "reached": self.reached}


RULE_ZH = {"left_behind": "年满{limit}周岁，不再计为留守儿童",
           "minor": "年满{limit}周岁，不再计入困境儿童和事实无人抚养儿童，可按“年满18周岁”退出"}


def _birthday(birth: dt.date, years: int) -> dt.date:
    """``birth`` plus ``years`` (negative: minus); 29 February gives 1 March."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return dt.date(birth.year + years, 3, 1)


def ageing_out(ws: Workspace, *, within: int = 90, as_of: dt.date | None = None,
               flt: ChildFilter | None = None) -> list[AgeingOut]:
    """Active children who have turned the left-behind limit (16; only those counted as
    left-behind at their last visit) or the minor limit (18), or will within ``within``
    days of ``as_of`` (today by default); one line per child, the highest limit reached,
    soonest first. The limits are the form's (``lb_age_limit``, ``minor_age_limit``)."""
    form = current_form(ws)
    day = as_of or dt.date.today()
    horizon = day + dt.timedelta(days=max(0, within))
    lb_limit = form_limit(form, "lb_age_limit", 16)
    adult = form_limit(form, "minor_age_limit", 18)
    out: list[AgeingOut] = []
    # Only children old enough to reach the lower limit within the window are read.
    oldest = _birthday(horizon, -min(lb_limit, adult)).isoformat()
    scope = dataclasses.replace(flt or ChildFilter(), born_before=oldest)
    for view in ws.iter_children(scope, PAGE):
        try:
            birth = dt.date.fromisoformat(view.birth_date[:10])
        except ValueError:
            continue
        age = age_on(birth, day)
        if age is None:
            continue
        found = None
        for limit, rule, applies in ((adult, "minor", True),
                                     (lb_limit, "left_behind", view.is_left_behind == "yes")):
            on = _birthday(birth, limit)
            if applies and on <= horizon:
                found = (limit, rule, on)
                break
        if found is None:
            continue
        limit, rule, on = found
        out.append(AgeingOut(view.record_id, view.child_name, view.village_code,
                             view.birth_date, age, limit, rule, on.isoformat(), on <= day))
    return sorted(out, key=lambda a: (a.on, a.village_code, a.child_name))


def retention_days(ws: Workspace, days: int | None = None) -> int:
    """The retention period of exited children's files, in days; the county sets it
    (audited), the other tiers read it.

    :raises SurveyError: AUDIT_007 set outside the county; AUDIT_008 out of 30–3650.
    """
    from surveyapp.core.store import retention
    from surveyapp.ops.codes import AuditCode

    if days is None:
        return retention.days(ws.conn)
    if ws.role != "county":
        raise SurveyError(AuditCode.AUDIT_007, role=ws.role)
    if not 30 <= days <= 3650:
        raise SurveyError(AuditCode.AUDIT_008, days=days)
    with ws.conn.atomic():
        ws.set_meta(retention.META_KEY, str(days))
        ws.audit("review", what="retention", days=days)
    return days


def anonymise_due(ws: Workspace, *, dry_run: bool = False,
                  today: dt.date | None = None) -> list[dict[str, str]]:
    """Anonymise the exited children kept longer than the retention period (each audited);
    ``dry_run`` lists them. Returns ``[{record_id, exit_date}]``."""
    found = ws.anonymise_due(today or dt.date.today(), dry_run=dry_run)
    return [{"record_id": d.record_id, "exit_date": d.exit_date} for d in found]
