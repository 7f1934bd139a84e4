"""Property: whatever order revisions arrive in (and however they are chunked), the stored
heads and the view's pick equal the pure graph rules of ``core.merge.graph``."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from store_helpers import RAW_KEY

from surveyapp.core.merge.graph import RevisionRef, heads, pick
from surveyapp.core.store import Revision, Workspace, revisions


@st.composite
def histories(draw: st.DrawFn) -> list[Revision]:
    """A random revision DAG over two records, each revision naming 0-2 earlier ones."""
    out: list[Revision] = []
    for n in range(draw(st.integers(1, 12))):
        record = draw(st.sampled_from(["r1", "r2"]))
        earlier = [r.id for r in out if r.record_id == record]
        parents = (
            draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True)) if earlier else []
        )
        out.append(Revision.make(
            kind="child", record_id=record, parents=parents, author="a", device_id="d",
            created_at=f"2026-07-01T00:00:{draw(st.integers(0, 5)):02d}.000000Z",
            data={"child_name": f"名{n}", "status": "active"}))
    return out


@settings(max_examples=25, deadline=None)
@given(history=histories(), order=st.randoms(use_true_random=False), chunk=st.integers(1, 4))
def test_any_order_any_chunking__heads_and_pick_match_graph(
    history: list[Revision], order: object, chunk: int
) -> None:
    shuffled = list(history)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    folder = Path(tempfile.mkdtemp())
    old_chunk = revisions.CHUNK
    revisions.CHUNK = chunk
    try:
        with Workspace.create_with_key(folder / "p.sdb", RAW_KEY, role="county",
                                       org_code="1", org_name="县", user="u") as ws:
            half = len(shuffled) // 2
            ws.insert_revisions(shuffled[:half])
            ws.insert_revisions(shuffled[half:] + shuffled[:1])  # one duplicate
            for record in ("r1", "r2"):
                refs = [RevisionRef(r.id, r.record_id, r.parents, r.created_at)
                        for r in history if r.record_id == record]
                if not refs:
                    assert ws.get_child(record) is None
                    continue
                expected = heads(refs)
                assert {h.id for h in ws.heads(record)} == expected
                row = ws.get_child(record)
                by_id = {r.id: r for r in refs}
                assert row is not None
                assert row.head_rev == pick(by_id[i] for i in expected).id
                assert row.conflict == (len(expected) > 1)
    finally:
        revisions.CHUNK = old_chunk
        shutil.rmtree(folder, ignore_errors=True)
