"""Possible duplicate children: found, explained, and left for a person to decide. Pure.

Nothing is merged or dropped automatically. A candidate pair carries its *evidence* (which
facts agree and which differ) so that the reviewer can decide: link (same child), keep
separate, or mark as moved. A decision is stored as a revision (see ``decisions``), and a
pair with a decision is not proposed again.

Rules, strongest first:

- ``same_id``: two child records carry the same resident ID number;
- ``moved``: the same person (same ID number, or same name and birth date) on file in two
  different villages;
- ``same_person``: the same name (characters or pinyin), birth date and guardian name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from itertools import combinations


class DuplicateKind(Enum):
    SAME_ID = "same_id"
    MOVED = "moved"
    SAME_PERSON = "same_person"


@dataclass(frozen=True, slots=True)
class ChildKey:
    """The facts duplicate detection compares (from the children view)."""

    record_id: str
    name: str
    pinyin: str
    birth_date: str
    id_number: str
    guardian: str
    village_code: str


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: DuplicateKind
    a: str
    b: str
    evidence: Mapping[str, tuple[str, str]]

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.a, self.b))


_EVIDENCE = ("name", "pinyin", "birth_date", "id_number", "guardian", "village_code")
# Groups larger than this are a data problem (e.g. a placeholder ID typed for many children);
# they are reported pairwise only up to this size so that one bad value cannot explode the list.
MAX_GROUP = 20


def _pairs(
    rows: Iterable[ChildKey], key: Callable[[ChildKey], tuple[str, ...] | None]
) -> Iterable[tuple[ChildKey, ChildKey]]:
    groups: dict[tuple[str, ...], list[ChildKey]] = defaultdict(list)
    for r in rows:
        k = key(r)
        if k is not None and all(k):
            groups[k].append(r)
    for members in groups.values():
        if 1 < len(members) <= MAX_GROUP:
            yield from combinations(sorted(members, key=lambda m: m.record_id), 2)


def find_candidates(
    rows: Iterable[ChildKey], decided: Iterable[frozenset[str]] = ()
) -> list[Candidate]:
    """Every possible duplicate pair not yet decided, strongest rule first, each pair once.

    :param rows: one entry per child record.
    :param decided: pairs a person already decided (linked, kept separate or marked moved).
    """
    rows = list(rows)
    done = set(decided)
    found: dict[frozenset[str], Candidate] = {}

    def add(kind: DuplicateKind, a: ChildKey, b: ChildKey) -> None:
        pair = frozenset((a.record_id, b.record_id))
        if pair in done or pair in found:
            return
        evidence = {f: (getattr(a, f), getattr(b, f)) for f in _EVIDENCE}
        found[pair] = Candidate(kind, a.record_id, b.record_id, evidence)

    for a, b in _pairs(rows, lambda r: (r.id_number.upper(),) if r.id_number else None):
        moved = a.village_code != b.village_code
        add(DuplicateKind.MOVED if moved else DuplicateKind.SAME_ID, a, b)
    for key in (lambda r: (r.name, r.birth_date), lambda r: (r.pinyin.lower(), r.birth_date)):
        for a, b in _pairs(rows, key):
            if a.village_code != b.village_code:
                add(DuplicateKind.MOVED, a, b)
            elif a.guardian and a.guardian == b.guardian:
                add(DuplicateKind.SAME_PERSON, a, b)
    order = {DuplicateKind.SAME_ID: 0, DuplicateKind.MOVED: 1, DuplicateKind.SAME_PERSON: 2}
    return sorted(found.values(), key=lambda c: (order[c.kind], c.a, c.b))
