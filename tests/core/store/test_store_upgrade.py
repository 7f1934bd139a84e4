"""Upgrade: a county workspace written by schema 5 after a real chain (fixtures/
make_county_v5.py, run with the code of that schema) reads back the same after the
migration to compact keys, and goes on working."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

from make_county_v5 import KEY, dump  # noqa: E402

from surveyapp.core.store import ChildFilter, Revision, Workspace, migrations  # noqa: E402


def _copy(tmp_path: Path) -> Path:
    store = tmp_path / "county.sdb"
    shutil.copyfile(FIXTURES / "county_v5.sdb", store)
    return store


def test_county_v5__reads_back_the_same_after_the_migration(tmp_path: Path) -> None:
    before = json.loads((FIXTURES / "county_v5.json").read_text(encoding="utf-8"))
    with Workspace.open_with_key(_copy(tmp_path), KEY, "wang") as ws:
        assert ws.schema_version == migrations.latest() >= 6
        assert dump(ws) == before
        assert (before["entries"], before["persons"], before["conflicts"]) == (8, 6, 1)
        assert ws.integrity_errors() == []
        assert ws.audit_entries()[-1].action == "migrate"
        assert ws.verify_audit() is None


def test_county_v5__after_the_migration_new_revisions_and_decisions_work(
    tmp_path: Path
) -> None:
    before = json.loads((FIXTURES / "county_v5.json").read_text(encoding="utf-8"))
    conflicted = next(r[0] for r in before["rows"] if r[4])
    with Workspace.open_with_key(_copy(tmp_path), KEY, "wang") as ws:
        heads = ws.heads(conflicted)
        assert len(heads) == 2
        merged = Revision.make(
            kind="child", record_id=conflicted, parents=[h.id for h in heads],
            form_id=heads[0].form_id, form_version=heads[0].form_version, author="wang",
            device_id=ws.device_id, created_at="2026-09-01T08:00:00.000000Z",
            data={**heads[0].data, "child_name": "陈小军"})
        counts = ws.insert_revisions([merged, merged])
        assert (counts.inserted, counts.known) == (1, 1)
        assert [h.id for h in ws.heads(conflicted)] == [merged.id]
        row = ws.get_child(conflicted)
        assert row is not None and not row.conflict and row.child_name == "陈小军"
        assert ws.count_children(ChildFilter(conflict=True)) == 0
        assert ws.count_children(None) == before["entries"]
        assert ws.revisions_of([conflicted])[conflicted][-1].id == merged.id
    # And again after closing: nothing of it was lost, the migration does not run twice.
    with Workspace.open_with_key(tmp_path / "county.sdb", KEY, "wang") as ws:
        assert [e.action for e in ws.audit_entries()].count("migrate") == 1
        assert ws.get_child(conflicted).head_rev == merged.id  # type: ignore[union-attr]
