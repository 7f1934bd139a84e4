"""An exit is checked before anything is written: a real date, not in the future, not
before the birth or the first visit; ``aged_out`` only at 18; no second exit; a new visit
puts the child back on the list. A refused exit leaves revisions and the audit unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from store_helpers import answers

from surveyapp.core.store import ChildFilter, Workspace
from surveyapp.core.store.codes import StoreCode
from surveyapp.errors import SurveyError

TODAY = dt.date(2027, 3, 1)


def _state(ws: Workspace, record: str) -> tuple[int, int, str]:
    revs = ws.revisions_of([record])[record]
    row = ws.get_child(record)
    assert row is not None
    return len(revs), len(ws.audit_entries()), row.status


@pytest.mark.parametrize(
    ("reason", "date", "code"),
    [
        ("moved_away", "notadate", StoreCode.STORE_021),
        ("moved_away", "2026-02-30", StoreCode.STORE_021),
        ("moved_away", "2030-01-01", StoreCode.STORE_021),  # in the future
        ("moved_away", "2009-12-31", StoreCode.STORE_021),  # before the birth (2010-01-01)
        ("moved_away", "2026-06-30", StoreCode.STORE_021),  # before the first visit
        ("aged_out", "2027-01-01", StoreCode.STORE_023),  # 17 then
        ("aged_out", "2027-02-28", StoreCode.STORE_023),  # still 17
    ],
)
def test_exit_refused__nothing_written(raw_store: Workspace, reason: str, date: str,
                                       code: StoreCode) -> None:
    first = raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    before = _state(raw_store, first.child_id)
    with pytest.raises(SurveyError) as info:
        raw_store.record_exit(first.child_id, reason=reason, date=date, today=TODAY)
    assert info.value.code is code
    assert _state(raw_store, first.child_id) == before == (1, before[1], "active")


def test_aged_out_at_18__accepted(raw_store: Workspace) -> None:
    first = raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    # born 2010-01-01: 18 on 2028-01-01
    raw_store.record_exit(first.child_id, reason="aged_out", date="2028-01-01",
                          today=dt.date(2028, 1, 2))
    row = raw_store.get_child(first.child_id)
    assert row is not None and row.status == "exited" and row.exit_reason == "aged_out"


def test_second_exit_refused__new_visit_reactivates(raw_store: Workspace) -> None:
    first = raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    raw_store.record_exit(first.child_id, reason="moved_away", date="2026-09-01", today=TODAY)
    before = _state(raw_store, first.child_id)
    with pytest.raises(SurveyError) as info:
        raw_store.record_exit(first.child_id, reason="other", date="2026-10-01", today=TODAY)
    assert info.value.code is StoreCode.STORE_022
    assert _state(raw_store, first.child_id) == before
    assert before[2] == "exited"
    raw_store.save_visit(first.child_id, answers(survey_date="2026-11-01"), form_id="f",
                         form_version="1")
    assert raw_store.get_child(first.child_id).status == "active"  # type: ignore[union-attr]
    assert raw_store.count_children(ChildFilter()) == 1
    raw_store.record_exit(first.child_id, reason="moved_away", date="2026-12-01", today=TODAY)
    assert raw_store.get_child(first.child_id).status == "exited"  # type: ignore[union-attr]
