"""Append-only revisions, heads, conflicts and the deterministic pick."""

from __future__ import annotations

import pytest
from store_helpers import answers

from surveyapp.core.store import ChildFilter, Revision, Workspace
from surveyapp.core.store.codes import StoreCode
from surveyapp.errors import SurveyError


def rev(record: str, parents: tuple[str, ...], at: str, name: str = "张小明") -> Revision:
    return Revision.make(kind="child", record_id=record, parents=parents, form_id="f",
                         form_version="1", author="a", device_id="d", created_at=at,
                         data={"child_name": name, "status": "active"})


def test_save_visit__writes_visit_and_child_revision(raw_store: Workspace) -> None:
    result = raw_store.save_visit(None, answers(), form_id="child_screening", form_version="1")
    child = raw_store.get_revision(result.child_rev)
    visit = raw_store.get_revision(result.visit_rev)
    assert child is not None and visit is not None
    assert child.kind == "child" and child.record_id == result.child_id
    assert child.data["child_name"] == "张小明" and child.data["visit"] == visit.id
    assert visit.kind == "visit" and visit.data["child_id"] == result.child_id
    assert visit.data["answers"]["id_number"] == "52242220100101123X"


def test_follow_up_visit__descends_from_head(raw_store: Workspace) -> None:
    first = raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    second = raw_store.save_visit(first.child_id, answers(survey_date="2026-08-01"),
                                  form_id="f", form_version="2")
    heads = raw_store.heads(first.child_id)
    assert [h.id for h in heads] == [second.child_rev]
    assert heads[0].parents == (first.child_rev,)
    row = raw_store.get_child(first.child_id)
    assert row is not None and not row.conflict and row.last_visit_date == "2026-08-01"


def test_unknown_child__error(raw_store: Workspace) -> None:
    with pytest.raises(SurveyError) as info:
        raw_store.save_visit("nope", answers(), form_id="f", form_version="1")
    assert info.value.code is StoreCode.STORE_012


def test_two_heads__conflict_and_deterministic_pick(raw_store: Workspace) -> None:
    base = rev("r1", (), "2026-07-01T00:00:00.000000Z")
    left = rev("r1", (base.id,), "2026-07-02T00:00:00.000000Z", "左")
    right = rev("r1", (base.id,), "2026-07-03T00:00:00.000000Z", "右")
    counts = raw_store.insert_revisions([right, base, left])  # any order
    assert (counts.inserted, counts.known, counts.records) == (3, 0, 1)
    assert {h.id for h in raw_store.heads("r1")} == {left.id, right.id}
    row = raw_store.get_child("r1")
    assert row is not None and row.conflict and row.head_rev == right.id
    assert raw_store.count_children(ChildFilter(conflict=True)) == 1


def test_same_time_heads__larger_id_wins(raw_store: Workspace) -> None:
    base = rev("r1", (), "2026-07-01T00:00:00.000000Z")
    a = rev("r1", (base.id,), "2026-07-02T00:00:00.000000Z", "甲")
    b = rev("r1", (base.id,), "2026-07-02T00:00:00.000000Z", "乙")
    raw_store.insert_revisions([base, a, b])
    row = raw_store.get_child("r1")
    assert row is not None and row.head_rev == max(a.id, b.id)


def test_resolve_conflict__merge_revision_one_head(raw_store: Workspace) -> None:
    first = raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    raw_store.save_visit(first.child_id, answers(survey_date="2026-08-01"), form_id="f",
                         form_version="1")
    raw_store.save_conflicting_visit(first.child_id, answers(survey_date="2026-08-02"))
    heads = raw_store.heads(first.child_id)
    assert len(heads) == 2
    merged = raw_store.resolve_conflict(first.child_id, dict(heads[0].data))
    after = raw_store.heads(first.child_id)
    assert [h.id for h in after] == [merged]
    assert set(after[0].parents) == {h.id for h in heads}
    row = raw_store.get_child(first.child_id)
    assert row is not None and not row.conflict


def test_reimport__noop(raw_store: Workspace) -> None:
    first = raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    bodies = [r.body for _, r in raw_store.iter_revisions()]
    counts = raw_store.insert_revisions(bodies)
    assert (counts.inserted, counts.known) == (0, 2)
    assert len(raw_store.revisions_of([first.child_id])[first.child_id]) == 1


def test_damaged_import__nothing_inserted(raw_store: Workspace) -> None:
    good = rev("r1", (), "2026-07-01T00:00:00.000000Z")
    other = rev("r2", (), "2026-07-01T00:00:00.000000Z")
    bad = other.body.replace("张".encode(), "李".encode())
    with pytest.raises(SurveyError) as info:
        raw_store.insert_revisions([good.body, (other.id, bad)])
    assert info.value.code is StoreCode.STORE_014
    assert raw_store.get_revision(good.id) is None


def test_exit__revision_and_hidden_from_active_list(raw_store: Workspace) -> None:
    first = raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    rev_id = raw_store.record_exit(first.child_id, reason="moved_away", date="2026-09-01")
    exit_rev = raw_store.get_revision(rev_id)
    assert exit_rev is not None and exit_rev.parents == (first.child_rev,)
    assert exit_rev.data["status"] == "exited" and exit_rev.data["exit_reason"] == "moved_away"
    assert raw_store.count_children(ChildFilter()) == 0
    assert raw_store.count_children(ChildFilter(include_exited=True)) == 1
    assert len(raw_store.revisions_of([first.child_id])[first.child_id]) == 2


def test_exit_unknown_reason__error(raw_store: Workspace) -> None:
    first = raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    with pytest.raises(SurveyError) as info:
        raw_store.record_exit(first.child_id, reason="bored", date="2026-09-01")
    assert info.value.code is StoreCode.STORE_015


def test_delete__tombstone_keeps_history(raw_store: Workspace) -> None:
    first = raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    raw_store.delete_child(first.child_id, reason="duplicate")
    row = raw_store.get_child(first.child_id)
    assert row is not None and row.status == "deleted"
    assert raw_store.get_revision(first.child_rev) is not None
    assert [e.status for e in raw_store.child_history(first.child_id)] == ["deleted", "active"]
