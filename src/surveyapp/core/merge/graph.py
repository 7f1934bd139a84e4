"""The revision graph of one record: heads, ancestry and the deterministic pick.

A revision is a head when no other known revision of the same record names it as a parent.
Several heads mean concurrent edits: a conflict. Until a person resolves it, every tier shows
the same *pick*: the head with the latest ``created_at``, ties broken by the larger id, so that
the village, the township and the county agree without talking to each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RevisionRef:
    """What merge needs to know of a revision: identity, record, parents and time."""

    id: str
    record_id: str
    parents: tuple[str, ...]
    created_at: str


def heads(revisions: Iterable[RevisionRef]) -> frozenset[str]:
    """The ids of the revisions that no other revision in ``revisions`` descends from."""
    revs = list(revisions)
    parents = {p for r in revs for p in r.parents}
    return frozenset(r.id for r in revs if r.id not in parents)


def pick(head_revisions: Iterable[RevisionRef]) -> RevisionRef:
    """The deterministic pick among heads: latest ``created_at``, then the larger id.

    :raises ValueError: when there are no heads.
    """
    return max(head_revisions, key=lambda r: (r.created_at, r.id))


def ancestors(rev_id: str, by_id: Mapping[str, RevisionRef]) -> set[str]:
    """Every known ancestor of ``rev_id`` (not including itself)."""
    seen: set[str] = set()
    stack = list(by_id[rev_id].parents) if rev_id in by_id else []
    while stack:
        cur = stack.pop()
        if cur in seen:
            continue
        seen.add(cur)
        if cur in by_id:
            stack.extend(by_id[cur].parents)
    return seen
