"""Persons, not entries: which child files a reviewer's decisions make one person.

A decision about a possible duplicate is a ``link`` revision of the pair's own record
(``pair-…``, see ``ops.review.pair_id``) with ``{"records": [a, b], "decision": "link" |
"separate" | "moved", "survivor": a or b, ...}``. A pair's current decision is its
deterministic head (latest ``created_at``, then the larger id), so every tier that holds the
same revisions reaches the same answer whatever order they arrived in.

``link`` (the same child entered twice) and ``moved`` (the same child on file in its old and
its new village) say that the other file is *absorbed* into the ``survivor``. The absorbed
files of a group of linked files all map to one **person id**: the survivor nobody absorbed
(the file of the village the child lives in now); when decisions disagree (A into B and
A into C) the group is still one person, and the smallest such survivor id is its key.
``separate`` links nothing.

The ``persons`` table (schema 5) holds one row per absorbed file only: ``(record_id,
person_id, decision, link_rev)``, where ``decision`` and ``link_rev`` are the decision that
absorbed this very file. A file with no row is its own person. The children view is
untouched: counting persons is counting the view rows that have no ``persons`` row.
``refresh(conn)`` rebuilds the table from the pairs' heads (a few thousand at most); the
workspace calls it whenever an import or a decision adds a ``link`` revision.

Decisions written before schema 5 carry no ``survivor``: the file with the smaller record
id is taken as the survivor (deterministic; a later decision can say otherwise).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveyapp.core.store.connection import Connection

PAIR_PREFIX = "pair-"
ABSORBING = ("link", "moved")


@dataclass(frozen=True, slots=True)
class PairDecision:
    """The current decision about one pair of child files."""

    pair_record: str
    revision: str
    created_at: str
    records: tuple[str, str]
    decision: str
    data: Mapping[str, Any]

    @property
    def survivor(self) -> str:
        named = str(self.data.get("survivor") or "")
        return named if named in self.records else min(self.records)

    @property
    def absorbed(self) -> str:
        a, b = self.records
        return b if self.survivor == a else a


def pair_decisions(conn: Connection) -> dict[frozenset[str], PairDecision]:
    """Every decided pair with its current decision (the pair record's picked head)."""
    rows = conn.execute(
        "SELECT r.record_id, r.id, r.created_at, r.body FROM revisions r "
        "WHERE r.record_id >= ? AND r.record_id < ? AND r.kind = 'link' AND EXISTS ("
        "SELECT 1 FROM heads h WHERE h.rk = key64(r.record_id) "
        "AND h.record_id = r.record_id AND h.revision = r.id)",
        (PAIR_PREFIX, PAIR_PREFIX[:-1] + chr(ord(PAIR_PREFIX[-1]) + 1)),
    )
    picked: dict[str, tuple[str, str, Mapping[str, Any]]] = {}
    for record, rev_id, created, body in rows:
        prev = picked.get(record)
        if prev is None or (created, rev_id) > (prev[1], prev[0]):
            data = json.loads(bytes(body).decode("utf-8"))["data"]
            picked[record] = (rev_id, created, data)
    out: dict[frozenset[str], PairDecision] = {}
    for record, (rev_id, created, data) in picked.items():
        ids = [str(x) for x in data.get("records", ())]
        if len(ids) != 2 or ids[0] == ids[1]:
            continue
        pair = (min(ids), max(ids))
        out[frozenset(pair)] = PairDecision(record, rev_id, created, pair,
                                            str(data.get("decision", "")), data)
    return out


def person_map(decisions: Mapping[frozenset[str], PairDecision]
               ) -> dict[str, tuple[str, PairDecision]]:
    """Absorbed file -> (person id, the decision that absorbed it). Pure."""
    edges = [d for d in decisions.values() if d.decision in ABSORBING]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d in edges:
        ra, rb = find(d.records[0]), find(d.records[1])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for member in list(parent):
        groups.setdefault(find(member), []).append(member)
    absorbed_by: dict[str, PairDecision] = {}
    survivors: set[str] = set()
    for d in sorted(edges, key=lambda e: (e.created_at, e.revision)):
        absorbed_by[d.absorbed] = d  # the latest decision that absorbed it
        survivors.add(d.survivor)
    touching: dict[str, PairDecision] = {}
    for d in edges:
        for r in d.records:
            touching.setdefault(r, d)
    out: dict[str, tuple[str, PairDecision]] = {}
    for members in groups.values():
        roots = sorted(m for m in members if m in survivors and m not in absorbed_by)
        person = roots[0] if roots else min(m for m in members if m in survivors)
        for m in members:
            if m != person:
                out[m] = (person, absorbed_by.get(m) or touching[m])
    return out


def refresh(conn: Connection) -> None:
    """Rebuild the ``persons`` table from the current decisions (inside a transaction)."""
    mapping = person_map(pair_decisions(conn))
    conn.execute("DELETE FROM persons")
    conn.executemany(
        "INSERT INTO persons (record_id, person_id, decision, link_rev) VALUES (?, ?, ?, ?)",
        [(rid, person, d.decision, d.revision) for rid, (person, d) in sorted(mapping.items())],
    )


@dataclass(frozen=True, slots=True)
class Absorbed:
    """A file that a decision made part of another person's file."""

    record_id: str
    person_id: str
    decision: str
    link_rev: str


def absorbed_into(conn: Connection, record_id: str) -> Absorbed | None:
    """The person this file belongs to, when a decision absorbed it (else None)."""
    row = conn.one("SELECT record_id, person_id, decision, link_rev FROM persons "
                   "WHERE record_id = ?", (record_id,))
    return None if row is None else Absorbed(*map(str, row))


def files_of(conn: Connection, person_id: str) -> list[Absorbed]:
    """The other files of a person (absorbed into ``person_id``), by record id."""
    rows = conn.execute("SELECT record_id, person_id, decision, link_rev FROM persons "
                        "WHERE person_id = ? ORDER BY record_id", (person_id,))
    return [Absorbed(*map(str, r)) for r in rows]


def all_absorbed(conn: Connection, decision: str | None = None) -> list[Absorbed]:
    """Every absorbed file (or those of one decision, e.g. ``moved``), by record id."""
    sql = "SELECT record_id, person_id, decision, link_rev FROM persons"
    rows = (conn.execute(sql + " WHERE decision = ? ORDER BY record_id", (decision,))
            if decision else conn.execute(sql + " ORDER BY record_id"))
    return [Absorbed(*map(str, r)) for r in rows]
