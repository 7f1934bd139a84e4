"""The bulk import path (``insert_revisions``): chunked, set-based, and still strict."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest

from surveyapp.core.store import Revision, Workspace, revisions
from surveyapp.core.store.codes import StoreCode
from surveyapp.errors import SurveyError


@pytest.fixture
def small_chunks() -> Iterator[None]:
    old = revisions.CHUNK
    revisions.CHUNK = 3
    yield
    revisions.CHUNK = old


def child(n: int, parents: tuple[str, ...] = (), record: str | None = None,
          at: str = "2026-07-01T00:00:00.000000Z") -> Revision:
    return Revision.make(kind="child", record_id=record or f"rec-{n:03d}", parents=parents,
                         author="a", device_id="d", created_at=at,
                         data={"child_name": f"王{n}", "status": "active",
                               "village_code": "522422102201"})


def test_reimport_half_known__inserts_the_rest_counts_the_known(
    raw_store: Workspace, small_chunks: None
) -> None:
    revs = [child(n) for n in range(10)]
    raw_store.insert_revisions([(r.id, r.body) for r in revs[::2]])
    counts = raw_store.insert_revisions([(r.id, r.body) for r in revs])
    assert (counts.inserted, counts.known, counts.records) == (5, 5, 5)
    assert raw_store.count_children() == 10
    again = raw_store.insert_revisions([r.body for r in revs] + [revs[0].body])
    assert (again.inserted, again.known) == (0, 11)


def test_claimed_id_not_the_hash__refused_nothing_stored(
    raw_store: Workspace, small_chunks: None
) -> None:
    revs = [child(n) for n in range(8)]
    items: list[tuple[str, bytes]] = [(r.id, r.body) for r in revs]
    items[6] = (revs[5].id, revs[6].body)  # the bytes of one revision under another's id
    with pytest.raises(SurveyError) as info:
        raw_store.insert_revisions(items)
    assert info.value.code is StoreCode.STORE_014
    assert raw_store.count_children() == 0
    assert raw_store.get_revision(revs[0].id) is None


def test_bytes_hashing_right_but_not_canonical__refused(raw_store: Workspace) -> None:
    good = child(1)
    spaced = json.dumps(json.loads(good.body), ensure_ascii=False, sort_keys=True).encode()
    escaped = json.dumps(json.loads(good.body), ensure_ascii=True, sort_keys=True,
                         separators=(",", ":")).encode()
    for body in (spaced, escaped):
        with pytest.raises(SurveyError) as info:
            raw_store.insert_revisions([(hashlib.sha256(body).hexdigest(), body)])
        assert info.value.code is StoreCode.STORE_014
    assert raw_store.get_revision(good.id) is None


def test_revision_object_with_wrong_id__refused(raw_store: Workspace) -> None:
    good = child(1)
    forged = Revision(**{**{f: getattr(good, f) for f in Revision.__slots__},
                         "id": child(2).id})
    with pytest.raises(SurveyError) as info:
        raw_store.insert_revisions([forged])
    assert info.value.code is StoreCode.STORE_014


def test_late_middle_revision__drops_the_old_head_from_the_view(raw_store: Workspace) -> None:
    first = child(1, record="r", at="2026-07-01T00:00:00.000000Z")
    middle = child(2, (first.id,), record="r", at="2026-07-02T00:00:00.000000Z")
    last = child(3, (middle.id,), record="r", at="2026-07-01T12:00:00.000000Z")
    raw_store.insert_revisions([last.body, first.body])
    row = raw_store.get_child("r")
    assert row is not None and row.conflict  # two heads until the middle one arrives
    raw_store.insert_revisions([middle.body])
    row = raw_store.get_child("r")
    assert row is not None and not row.conflict and row.head_rev == last.id
    assert [h.id for h in raw_store.heads("r")] == [last.id]


def test_many_chunks__every_record_in_the_view(raw_store: Workspace, small_chunks: None) -> None:
    base = [child(n) for n in range(7)]
    follow = [child(100 + n, (b.id,), record=b.record_id, at="2026-07-02T00:00:00.000000Z")
              for n, b in enumerate(base)]
    counts = raw_store.insert_revisions(iter([r.body for r in follow + base]))
    assert (counts.inserted, counts.records) == (14, 7)
    for b, f in zip(base, follow, strict=True):
        row = raw_store.get_child(b.record_id)
        assert row is not None and row.head_rev == f.id and not row.conflict


def _indexes(ws: Workspace) -> list[tuple[str, str]]:
    return ws.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name IN ('children', 'revisions') "
        "ORDER BY name")


@pytest.fixture
def defer_early(monkeypatch: pytest.MonkeyPatch) -> None:
    from surveyapp.core.store import bulkindex

    monkeypatch.setattr(bulkindex, "DEFER_AT", 4)


def test_large_import__indexes_deferred_then_rebuilt_at_commit(
    raw_store: Workspace, small_chunks: None, defer_early: None
) -> None:
    before = _indexes(raw_store)
    with raw_store.conn.atomic():
        raw_store.insert_revisions([child(n).body for n in range(12)])
        during = {name for name, _ in _indexes(raw_store)}
        assert len(during) < len(before)  # deferred inside the transaction
        from surveyapp.core.store import bulkindex

        assert set(bulkindex.LIVE) <= during  # the few-valued ones are kept up
        raw_store.insert_revisions([child(n).body for n in range(12, 20)])
    assert _indexes(raw_store) == before
    assert raw_store.integrity_errors() == []
    assert raw_store.count_children() == 20
    from surveyapp.core.store import ChildFilter

    assert [r.child_name for r in raw_store.query_children(ChildFilter(search="王1"), 0, 50)] \
        == sorted(f"王{n}" for n in range(20) if str(n).startswith("1"))


def test_large_import_rolled_back__indexes_untouched(
    raw_store: Workspace, small_chunks: None, defer_early: None
) -> None:
    before = _indexes(raw_store)
    with pytest.raises(SurveyError), raw_store.conn.atomic():
        raw_store.insert_revisions([child(n).body for n in range(12)])
        raw_store.insert_revisions([(child(99).id, child(98).body)])
    assert _indexes(raw_store) == before
    assert raw_store.count_children() == 0


def test_view_read_inside_large_import__indexes_back_first(
    raw_store: Workspace, small_chunks: None, defer_early: None
) -> None:
    before = _indexes(raw_store)
    with raw_store.conn.atomic():
        raw_store.insert_revisions([child(n).body for n in range(12)])
        assert raw_store.count_children() == 12
        assert _indexes(raw_store) == before
        raw_store.insert_revisions([child(n).body for n in range(12, 40)])
        assert _indexes(raw_store) == before  # not deferred twice in one transaction
    assert raw_store.count_children() == 40


def test_revisions_read_inside_large_import__indexes_back_first(
    raw_store: Workspace, small_chunks: None, defer_early: None
) -> None:
    before = _indexes(raw_store)
    revs = [child(n) for n in range(12)]
    with raw_store.conn.atomic():
        raw_store.insert_revisions([r.body for r in revs])
        assert len(_indexes(raw_store)) < len(before)
        got = raw_store.revisions_of([revs[3].record_id])
        assert [r.id for r in got[revs[3].record_id]] == [revs[3].id]
        assert _indexes(raw_store) == before


def test_follow_up_days_out_of_range__no_due_date(raw_store: Workspace) -> None:
    rev = Revision.make(kind="child", record_id="r", author="a", device_id="d",
                        data={"child_name": "李", "survey_date": "2026-07-01",
                              "follow_up_days": 10**9})
    raw_store.insert_revisions([rev])
    row = raw_store.get_child("r")
    assert row is not None and row.follow_up_due == "" and row.last_visit_date == "2026-07-01"


def test_flat_nesting__no_savepoint_outer_rollback_undoes_all(raw_store: Workspace) -> None:
    with pytest.raises(ValueError):
        with raw_store.conn.flat():
            pass
    revs = [child(n) for n in range(4)]
    with pytest.raises(SurveyError), raw_store.conn.atomic(), raw_store.conn.flat():
        raw_store.insert_revisions([r.body for r in revs[:2]])
        raw_store.insert_revisions([revs[2].body, (revs[3].id, revs[2].body)])
    assert raw_store.count_children() == 0
    with raw_store.conn.atomic(), raw_store.conn.flat():
        raw_store.insert_revisions([r.body for r in revs])
    assert raw_store.count_children() == 4


def _state(ws: Workspace) -> tuple[list[tuple[object, ...]], ...]:
    """Everything an import writes, without the row numbers."""
    return tuple(ws.conn.execute(sql) for sql in (
        "SELECT id, seq, record_id, body FROM revisions ORDER BY id",
        "SELECT child, parent FROM parents ORDER BY child, parent",
        "SELECT record_id, revision FROM heads ORDER BY record_id, revision",
        "SELECT * FROM children ORDER BY record_id",
    ))


def test_bulk_import__same_store_as_one_at_a_time_arrival_order_kept(
    raw_store: Workspace, fresh_store: Workspace
) -> None:
    """Chunks of revisions in random key order, some before their parents: the arrival
    numbers follow the input order and the store equals the one built a revision at a
    time (the reference for any reordering of the writes inside a chunk)."""
    base = [child(n, record=f"rec-{(37 * n) % 101:03d}") for n in range(40)]
    follow = [child(100 + n, (b.id,), record=b.record_id, at="2026-07-02T00:00:00.000000Z")
              for n, b in enumerate(base[::3])]
    order = follow[:5] + base + follow[5:]  # some children before their parents
    assert [r.id for r in order] != sorted(r.id for r in order)
    raw_store.insert_revisions(iter([r.body for r in order]))
    for r in order:
        fresh_store.insert_revisions([r.body])
    assert [r.id for _, r in raw_store.iter_revisions()] == [r.id for r in order]
    assert _state(raw_store) == _state(fresh_store)
