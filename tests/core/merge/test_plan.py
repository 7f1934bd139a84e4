"""MERGE-1 union never loses or overwrites; MERGE-2 importing twice = once;
MERGE-3 batch order does not matter; MERGE-4 concurrent heads make a conflict."""

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from surveyapp.core.merge.graph import RevisionRef, heads, pick
from surveyapp.core.merge.plan import Outcome, plan


class MemoryStore:
    """The store's union semantics in memory, to check the planner's properties."""

    def __init__(self) -> None:
        self.revs: dict[str, RevisionRef] = {}

    def lookup(self, record_ids: set[str]) -> dict[str, Sequence[RevisionRef]]:
        out: dict[str, list[RevisionRef]] = {}
        for r in self.revs.values():
            if r.record_id in record_ids:
                out.setdefault(r.record_id, []).append(r)
        return out

    def apply(self, batch: Sequence[RevisionRef]):
        p = plan(batch, self.lookup)
        for r in p.new:
            assert r.id not in self.revs  # never overwrite a stored revision
            self.revs[r.id] = r
        return p

    def state(self):
        by_record: dict[str, list[RevisionRef]] = {}
        for r in self.revs.values():
            by_record.setdefault(r.record_id, []).append(r)
        return {rid: heads(revs) for rid, revs in by_record.items()}


def _rev(i, record, parents=(), t="2026-07-01T00:00:00Z"):
    return RevisionRef(f"r{i}", record, tuple(parents), t)


def test_descendant_wins__updated():  # MERGE-4
    s = MemoryStore()
    s.apply([_rev(1, "c1")])
    p = s.apply([_rev(2, "c1", ["r1"])])
    assert p.records["c1"].outcome is Outcome.UPDATED
    assert s.state()["c1"] == {"r2"}


def test_concurrent_edits__conflict_keeps_both():  # MERGE-1, MERGE-4
    s = MemoryStore()
    s.apply([_rev(1, "c1"), _rev(2, "c1", ["r1"], "2026-07-02")])
    p = s.apply([_rev(3, "c1", ["r1"], "2026-07-03")])
    assert p.records["c1"].outcome is Outcome.CONFLICT
    assert s.state()["c1"] == {"r2", "r3"}
    assert pick(s.revs[h] for h in s.state()["c1"]).id == "r3"


def test_old_copy__unchanged():  # MERGE-2
    s = MemoryStore()
    s.apply([_rev(1, "c1"), _rev(2, "c1", ["r1"])])
    p = s.apply([_rev(1, "c1")])
    assert p.is_noop and p.records["c1"].outcome is Outcome.UNCHANGED


def test_resolution_with_both_parents__single_head():  # MERGE-4
    s = MemoryStore()
    s.apply([_rev(1, "c1"), _rev(2, "c1", ["r1"]), _rev(3, "c1", ["r1"])])
    s.apply([_rev(4, "c1", ["r2", "r3"])])
    assert s.state()["c1"] == {"r4"}


@st.composite
def histories(draw):
    """A random revision DAG over a few records, then split into random batches."""
    revs: list[RevisionRef] = []
    for i in range(draw(st.integers(1, 25))):
        record = f"c{draw(st.integers(0, 3))}"
        same = [r.id for r in revs if r.record_id == record]
        parents = draw(st.lists(st.sampled_from(same), max_size=2, unique=True)) if same else []
        revs.append(_rev(i, record, parents, f"2026-07-{1 + i % 28:02d}"))
    batches = draw(st.lists(st.lists(st.sampled_from(revs), max_size=10), min_size=1, max_size=5))
    return revs, batches


@settings(max_examples=150, deadline=None)
@given(histories(), st.randoms(use_true_random=False))
def test_properties__idempotent_commutative_lossless(history, rnd):  # MERGE-1..3
    _, batches = history
    once, twice, shuffled = MemoryStore(), MemoryStore(), MemoryStore()
    for b in batches:
        once.apply(b)
        twice.apply(b)
        twice.apply(b)
    order = list(batches)
    rnd.shuffle(order)
    for b in order:
        shuffled.apply(list(reversed(b)))
    assert once.state() == twice.state() == shuffled.state()
    assert set(once.revs) == {r.id for b in batches for r in b}
