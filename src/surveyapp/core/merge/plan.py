"""Merge planning: what an import would add, skip, update or put in conflict. Pure.

``plan()`` looks at the incoming revisions and at the revisions already stored for the same
records (through a ``lookup`` callable the store provides) and returns a :class:`MergePlan`
without changing anything. The dry-run report shows the plan; ``apply`` (in the store) then
inserts ``plan.new`` in one transaction. Importing is a *union*: a stored revision is never
replaced, so a conflict can never overwrite anything; it only adds a second head.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from surveyapp.core.merge.graph import RevisionRef, heads


class Outcome(Enum):
    """What an import does to one record."""

    NEW = "new"  # the record was unknown here
    UPDATED = "updated"  # one head afterwards, and it changed
    UNCHANGED = "unchanged"  # everything incoming was known or older than what is here
    CONFLICT = "conflict"  # several heads afterwards: a person must decide


@dataclass(frozen=True, slots=True)
class RecordPlan:
    record_id: str
    outcome: Outcome
    heads_before: frozenset[str]
    heads_after: frozenset[str]


@dataclass(frozen=True, slots=True)
class MergePlan:
    """The dry-run result of an import.

    :param new: incoming revisions not yet stored, in input order (parents first when the
        input had them first); ``apply`` inserts exactly these.
    :param known: ids of incoming revisions already stored (re-imports are no-ops).
    :param records: the outcome per touched record.
    """

    new: tuple[RevisionRef, ...]
    known: frozenset[str]
    records: Mapping[str, RecordPlan] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.records.values() if r.outcome is outcome)

    @property
    def is_noop(self) -> bool:
        return not self.new


Lookup = Callable[[set[str]], Mapping[str, Sequence[RevisionRef]]]


def plan(incoming: Iterable[RevisionRef], lookup: Lookup) -> MergePlan:
    """Plan the union of ``incoming`` with what is stored.

    :param incoming: revisions from one or more batches (duplicates allowed).
    :param lookup: given record ids, returns the stored revisions of each record.
    """
    seen: dict[str, RevisionRef] = {}
    for rev in incoming:
        seen.setdefault(rev.id, rev)
    record_ids = {r.record_id for r in seen.values()}
    stored = lookup(record_ids)
    stored_ids = {r.id for revs in stored.values() for r in revs}
    new = tuple(r for r in seen.values() if r.id not in stored_ids)
    known = frozenset(r.id for r in seen.values() if r.id in stored_ids)

    new_by_record: dict[str, list[RevisionRef]] = {}
    for r in new:
        new_by_record.setdefault(r.record_id, []).append(r)
    records: dict[str, RecordPlan] = {}
    for rid in record_ids:
        before_revs = list(stored.get(rid, ()))
        before = heads(before_revs)
        after = heads(before_revs + new_by_record.get(rid, []))
        if not before_revs:
            outcome = Outcome.CONFLICT if len(after) > 1 else Outcome.NEW
        elif len(after) > 1:
            outcome = Outcome.CONFLICT
        elif after != before:
            outcome = Outcome.UPDATED
        else:
            outcome = Outcome.UNCHANGED
        records[rid] = RecordPlan(rid, outcome, before, after)
    return MergePlan(new=new, known=known, records=records)
