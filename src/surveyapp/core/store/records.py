"""Saving children, visits, households, exits and deletions as revisions (one transaction).

These functions run inside the caller's ``conn.atomic()`` block and return the new
revisions; :class:`~surveyapp.core.store.workspace.Workspace` wraps them with the audit
entry and the commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveyapp.core.store import revisions, views
from surveyapp.core.store.codes import StoreCode
from surveyapp.core.store.connection import Connection
from surveyapp.core.store.revisions import EXIT_REASONS, Revision
from surveyapp.errors import SurveyError

# Keys of a child revision's data that are not answers of the form.
META_KEYS = ("status", "exit_reason", "exit_date", "exit_note", "delete_reason", "visit",
             "household_id")
# Answers an earlier form version asked and the current one does not (core/forms/carry.py):
# kept in the child's data, not in the visit's submission.
PREVIOUS = "previous_answers"


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What a visit save wrote: the child's record id, its new revision, the visit's."""

    child_id: str
    child_rev: str
    visit_rev: str


@dataclass(frozen=True, slots=True)
class Author:
    user: str
    device_id: str


def picked_head(conn: Connection, record_id: str, kind: str = "child") -> Revision:
    """The deterministic pick among the heads of ``record_id``.

    :raises SurveyError: STORE_012 when the record is unknown.
    """
    heads = revisions.head_revisions(conn, record_id)
    if not heads or heads[0].kind != kind:
        raise SurveyError(StoreCode.STORE_012, record_id=record_id)
    return heads[0]


def _store(conn: Connection, *revs: Revision) -> None:
    revisions.insert(conn, revs)


def save_visit(
    conn: Connection, who: Author, child_id: str | None, values: Mapping[str, Any], *,
    form_id: str, form_version: str, household_id: str | None = None,
    parent: Revision | None = None, detached: bool = False,
) -> SaveResult:
    """Write the visit revision and the child's new revision (the caller commits).

    :param parent: the child revision the new one descends from; default: the picked head.
    :param detached: no parent at all (a concurrent first visit elsewhere; tests and demo).
    :raises SurveyError: STORE_012 for an unknown child; STORE_013 for an unstorable value.
    """
    parents: tuple[str, ...] = ()
    previous: Mapping[str, Any] = {}
    if child_id is None:
        child_id = str(uuid.uuid4())
    elif not detached:
        prev = parent or picked_head(conn, child_id)
        parents, previous = (prev.id,), prev.data
    household = household_id or str(previous.get("household_id") or "")
    visit = Revision.make(
        kind="visit", record_id=str(uuid.uuid4()), form_id=form_id, form_version=form_version,
        author=who.user, device_id=who.device_id,
        data={"child_id": child_id, "household_id": household,
              "answers": {k: v for k, v in values.items() if k != PREVIOUS}},
    )
    data = {k: v for k, v in values.items() if k not in META_KEYS}
    data.update(status="active", visit=visit.id, household_id=household)
    child = Revision.make(
        kind="child", record_id=child_id, parents=parents, form_id=form_id,
        form_version=form_version, author=who.user, device_id=who.device_id,
        created_at=visit.created_at, data=data,
    )
    _store(conn, visit, child)
    views.refresh(conn, [child_id])
    return SaveResult(child_id, child.id, visit.id)


def change_status(
    conn: Connection, who: Author, child_id: str, changes: Mapping[str, Any]
) -> Revision:
    """A new child revision: the picked head's data with ``changes`` (exits, deletions)."""
    prev = picked_head(conn, child_id)
    rev = Revision.make(
        kind="child", record_id=child_id, parents=(prev.id,), form_id=prev.form_id,
        form_version=prev.form_version, author=who.user, device_id=who.device_id,
        data={**prev.data, **changes},
    )
    _store(conn, rev)
    views.refresh(conn, [child_id])
    return rev


def exit_changes(reason: str, date: str, note: str) -> dict[str, Any]:
    """The data changes of an exit from the list.

    :raises SurveyError: STORE_015 for an unknown reason.
    """
    if reason not in EXIT_REASONS:
        raise SurveyError(StoreCode.STORE_015, reason=reason, allowed=", ".join(EXIT_REASONS))
    return {"status": "exited", "exit_reason": reason, "exit_date": date, "exit_note": note}


def check_exit(record_id: str, data: Mapping[str, Any], reason: str, date: str, *,
               first_visit: str = "", today: dt.date | None = None,
               adult_age: int = 18) -> None:
    """Refuse an exit that cannot be true (the store changes nothing).

    The date must be a real date, not in the future, not before the child's birth or
    first visit; ``aged_out`` needs the child to be ``adult_age`` or older on that date;
    an exited child cannot exit again (a new visit puts it back on the list).

    :raises SurveyError: STORE_021 bad date; STORE_022 already exited; STORE_023 too young.
    """
    if data.get("status") == "exited":
        raise SurveyError(StoreCode.STORE_022, record_id=record_id,
                          date=data.get("exit_date", ""), reason=data.get("exit_reason", ""))
    try:
        day = dt.date.fromisoformat(date) if len(date) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise SurveyError(StoreCode.STORE_021, record_id=record_id, date=date[:40],
                          reason="not a date YYYY-MM-DD / 不是 年-月-日 格式的日期")
    if day > (today or dt.date.today()):
        raise SurveyError(StoreCode.STORE_021, record_id=record_id, date=date,
                          reason="in the future / 晚于今天")
    birth = _day(data.get("birth_date"))
    if birth is not None and day < birth:
        raise SurveyError(StoreCode.STORE_021, record_id=record_id, date=date,
                          reason=f"before the birth date {birth} / 早于出生日期")
    first = _day(first_visit)
    if first is not None and day < first:
        raise SurveyError(StoreCode.STORE_021, record_id=record_id, date=date,
                          reason=f"before the first visit {first} / 早于首次走访")
    if reason == "aged_out":
        age = None if birth is None else (
            day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day)))
        if age is None or age < adult_age:
            raise SurveyError(StoreCode.STORE_023, record_id=record_id, date=date,
                              age="?" if age is None else age, limit=adult_age)


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None


def resolve(
    conn: Connection, who: Author, record_id: str, data: Mapping[str, Any]
) -> Revision:
    """A merge revision naming every current head as parent, with the chosen ``data``."""
    heads = revisions.head_revisions(conn, record_id)
    if not heads:
        raise SurveyError(StoreCode.STORE_012, record_id=record_id)
    rev = Revision.make(
        kind=heads[0].kind, record_id=record_id, parents=[h.id for h in heads],
        form_id=heads[0].form_id, form_version=heads[0].form_version, author=who.user,
        device_id=who.device_id, data=data,
    )
    _store(conn, rev)
    views.refresh(conn, [record_id])
    return rev


def save_household(
    conn: Connection, who: Author, household_id: str | None, values: Mapping[str, Any]
) -> Revision:
    """A household revision (new household when ``household_id`` is None)."""
    parents: tuple[str, ...] = ()
    if household_id is None:
        household_id = str(uuid.uuid4())
    else:
        parents = (picked_head(conn, household_id, "household").id,)
    rev = Revision.make(
        kind="household", record_id=household_id, parents=parents, author=who.user,
        device_id=who.device_id, data=dict(values),
    )
    _store(conn, rev)
    views.refresh(conn, [household_id])
    return rev
