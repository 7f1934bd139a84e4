"""Compact keys (schema 6, rowkeys.py): the integer finds the rows, the text id decides."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from store_helpers import FIXTURE_KEY

from surveyapp.core.batch.authorize import StoreHoldings
from surveyapp.core.store import ChildFilter, Revision, Workspace, migrations
from surveyapp.core.store.rowkeys import key64

SNAPSHOT = Path(__file__).resolve().parent / "fixtures" / "schema_v5.sdb"


def rev(record: str, name: str, parents: tuple[str, ...] = (),
        at: str = "2026-07-01T00:00:00.000000Z") -> Revision:
    return Revision.make(kind="child", record_id=record, parents=parents, form_id="f",
                         form_version="1", author="a", device_id="d", created_at=at,
                         data={"child_name": name, "status": "active",
                               "village_code": "522422102201"})


def test_key64__fixed_values() -> None:
    # The keys are stored: they must never change between versions.
    assert key64("abc") == -2829645022057097895
    assert key64("") == key64("")
    assert key64("a") != key64("b")
    assert -(2**63) <= key64("c0000000-0000-4000-8000-000000000001") < 2**63


def test_migrate_v5__keys_filled_and_rows_kept(tmp_path: Path) -> None:
    store = tmp_path / "v5.sdb"
    shutil.copyfile(SNAPSHOT, store)
    with Workspace.open_with_key(store, FIXTURE_KEY, "wang") as ws:
        assert ws.schema_version == migrations.latest() >= 6
        conn = ws.conn
        revs = conn.execute("SELECT seq, idk, id FROM revisions ORDER BY seq")
        assert [s for s, _, _ in revs] == [1, 2, 3]  # arrival order kept
        assert all(k == key64(i) for _, k, i in revs)
        assert all(k == key64(r) for k, r in conn.execute("SELECT rk, record_id FROM children"))
        assert all(k == key64(r) for k, r in conn.execute("SELECT rk, record_id FROM heads"))
        links = conn.execute("SELECT pk, parent FROM parents")
        assert len(links) == 1 and all(k == key64(p) for k, p in links)
        indexes = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
        assert {"revisions_idk", "revisions_record", "heads_rk", "parents_pk", "children_rk",
                "children_list", "children_idno", "children_name", "children_initials",
                "children_due", "children_risk", "children_status"} <= indexes
        rid = "c0000000-0000-4000-8000-000000000002"
        heads = ws.heads(rid)
        assert len(heads) == 1 and heads[0].data["child_name"] == "李春花"
        assert ws.get_revision(heads[0].id) == heads[0]
        assert len(ws.revisions_of([rid])[rid]) == 2
        row = ws.get_child(rid)
        assert row is not None and row.head_rev == heads[0].id
        assert ws.integrity_errors() == []


@pytest.fixture
def one_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every text gets the same compact key: the worst case of collisions."""
    from surveyapp.core.store import retention, revisions, rowkeys, views

    for module in (rowkeys, revisions, views, retention):
        monkeypatch.setattr(module, "key64", lambda _text: 7)


def test_every_key_the_same__text_decides(raw_store: Workspace, one_key: None) -> None:
    """With every record and revision on one compact key, each lookup still finds exactly
    its own rows (a collision costs row reads, never a wrong answer)."""
    a, b = rev("rec-a", "甲"), rev("rec-b", "乙")
    raw_store.insert_revisions([a, b])
    assert raw_store.conn.one("SELECT count(DISTINCT idk) FROM revisions") == (1,)
    got_a, got_b = raw_store.get_revision(a.id), raw_store.get_revision(b.id)
    assert got_a is not None and got_a.data["child_name"] == "甲"
    assert got_b is not None and got_b.data["child_name"] == "乙"
    assert [h.id for h in raw_store.heads("rec-a")] == [a.id]
    row = raw_store.get_child("rec-b")
    assert row is not None and row.child_name == "乙" and not row.conflict
    holdings = StoreHoldings(raw_store.conn)
    assert holdings.known([a.id, "f" * 64]) == {a.id}
    assert holdings.record_units(["rec-a", "rec-x"]) == {"rec-a": "522422102201"}
    # A new revision of rec-a replaces its view row only, not rec-b's (same key); two
    # heads of rec-b are a conflict of rec-b only.
    a2 = rev("rec-a", "甲二", (a.id,), "2026-07-02T00:00:00.000000Z")
    b2 = rev("rec-b", "乙二", (b.id,), "2026-07-03T00:00:00.000000Z")
    b3 = rev("rec-b", "乙三", (b.id,), "2026-07-04T00:00:00.000000Z")
    raw_store.insert_revisions([a2, b2, b3])
    rows = {r.record_id: r for r in raw_store.query_children(ChildFilter(), 0, 10)}
    assert {k: (r.child_name, r.conflict) for k, r in rows.items()} == {
        "rec-a": ("甲二", False), "rec-b": ("乙三", True)}
    assert {h.id for h in raw_store.heads("rec-b")} == {b2.id, b3.id}
    assert raw_store.count_children(ChildFilter(conflict=True)) == 1


def test_known_revision__not_inserted_twice(raw_store: Workspace) -> None:
    a = rev("rec-a", "甲")
    assert raw_store.insert_revisions([a]).inserted == 1
    again = raw_store.insert_revisions([a, a])
    assert (again.inserted, again.known) == (0, 2)
    assert raw_store.conn.one("SELECT count(*) FROM revisions WHERE id = ?", (a.id,)) == (1,)
    assert raw_store.count_children(None) == 1


def test_parent_named_twice__linked_once(raw_store: Workspace) -> None:
    """A revision from elsewhere may name a parent twice: one link, the parent is no head."""
    from surveyapp.core.store.canonical import canonical_json

    a = rev("rec-a", "甲")
    raw_store.insert_revisions([a])
    twice = rev("rec-a", "甲二", (a.id,), "2026-07-02T00:00:00.000000Z")
    content = json.loads(twice.body)
    content["parents"] = [a.id, a.id]
    body = canonical_json(content)
    counts = raw_store.insert_revisions([body])
    assert counts.inserted == 1
    assert raw_store.conn.one("SELECT count(*) FROM parents") == (1,)
    assert [h.record_id for h in raw_store.heads("rec-a")] == ["rec-a"]
    assert raw_store.heads("rec-a")[0].id != a.id
