"""Immutable, content-addressed revisions and their heads.

A revision's id is the SHA-256 (lowercase hex) of the canonical JSON (docs/canonical-json.md)
of ``{kind, record_id, parents (sorted), form_id, form_version, author, device_id,
created_at, data}``. Those exact bytes are stored as ``body``, so that an export passes
them on verbatim and every tier can re-hash them. Tables are append-only: a revision is
inserted once and never updated or deleted.

Heads: a revision is a head when no known revision names it as a parent. ``insert`` keeps
the ``heads`` table right even when a child arrives before its parent (imports in any
order).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from surveyapp.core.store.canonical import canonical_json, normalize
from surveyapp.core.store.codes import StoreCode
from surveyapp.core.store.connection import Connection
from surveyapp.errors import SurveyError

KINDS = ("household", "child", "visit", "link")
EXIT_REASONS = ("aged_out", "parents_returned", "moved_away", "died", "other")


def utc_now() -> str:
    """Now, as the canonical UTC timestamp text (microseconds, ``Z``)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class Revision:
    """One immutable revision. Build with :meth:`make`; read back with :meth:`from_body`."""

    id: str
    kind: str
    record_id: str
    parents: tuple[str, ...]
    form_id: str
    form_version: str
    author: str
    device_id: str
    created_at: str
    data: Mapping[str, Any]
    body: bytes

    @classmethod
    def make(
        cls,
        *,
        kind: str,
        record_id: str,
        parents: Iterable[str] = (),
        form_id: str = "",
        form_version: str = "",
        author: str,
        device_id: str,
        created_at: str | None = None,
        data: Mapping[str, Any],
    ) -> Revision:
        """A new revision with its id computed from its content.

        :raises SurveyError: STORE_013 when ``data`` holds a value with no JSON form.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown revision kind {kind!r}")
        content = normalize(
            {
                "kind": kind,
                "record_id": record_id,
                "parents": sorted(set(parents)),
                "form_id": form_id,
                "form_version": str(form_version),
                "author": author,
                "device_id": device_id,
                "created_at": created_at or utc_now(),
                "data": dict(data),
            }
        )
        return cls._from_content(content, canonical_json(content))

    @classmethod
    def _from_content(cls, c: Mapping[str, Any], body: bytes) -> Revision:
        return cls(
            id=hashlib.sha256(body).hexdigest(),
            kind=c["kind"],
            record_id=c["record_id"],
            parents=tuple(c["parents"]),
            form_id=c["form_id"],
            form_version=c["form_version"],
            author=c["author"],
            device_id=c["device_id"],
            created_at=c["created_at"],
            data=c["data"],
            body=body,
        )

    @classmethod
    def from_body(cls, body: bytes, expected_id: str | None = None) -> Revision:
        """Parse stored or imported bytes, checking they are canonical and match the id.

        :raises SurveyError: STORE_014 when the bytes are not a canonical revision or do not
            hash to ``expected_id``.
        """
        try:
            content = json.loads(body.decode("utf-8"))
            if not isinstance(content, dict) or canonical_json(content) != body:
                raise ValueError("not canonical")
            rev = cls._from_content(content, body)
            if rev.kind not in KINDS or not isinstance(rev.data, dict):
                raise ValueError("bad kind or data")
        except (ValueError, KeyError, TypeError) as err:
            raise SurveyError(StoreCode.STORE_014, revision=expected_id or "?") from err
        if expected_id is not None and rev.id != expected_id:
            raise SurveyError(StoreCode.STORE_014, revision=expected_id)
        return rev


def insert(conn: Connection, revs: Iterable[Revision]) -> tuple[list[Revision], int]:
    """Insert the revisions not yet stored (inside the caller's transaction).

    :returns: the newly inserted revisions and how many were already known.
    """
    row = conn.one("SELECT coalesce(max(seq), 0) FROM revisions")
    seq = int(row[0]) if row else 0
    added: list[Revision] = []
    known = 0
    for rev in revs:
        if conn.one("SELECT 1 FROM revisions WHERE id = ?", (rev.id,)) is not None:
            known += 1
            continue
        seq += 1
        conn.execute(
            "INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rev.id, rev.kind, rev.record_id, rev.created_at, rev.author, rev.device_id,
             rev.form_id, rev.form_version, rev.body, seq),
        )
        for parent in rev.parents:
            conn.execute("INSERT OR IGNORE INTO parents VALUES (?, ?)", (rev.id, parent))
            conn.execute(
                "DELETE FROM heads WHERE record_id = ? AND revision = ?",
                (rev.record_id, parent),
            )
        if conn.one("SELECT 1 FROM parents WHERE parent = ? LIMIT 1", (rev.id,)) is None:
            conn.execute("INSERT INTO heads VALUES (?, ?)", (rev.record_id, rev.id))
        added.append(rev)
    return added, known


def get(conn: Connection, rev_id: str) -> Revision | None:
    """The stored revision ``rev_id``, or None."""
    row = conn.one("SELECT body FROM revisions WHERE id = ?", (rev_id,))
    return None if row is None else Revision.from_body(bytes(row[0]), rev_id)


def of_records(conn: Connection, record_ids: Iterable[str]) -> dict[str, list[Revision]]:
    """Every stored revision of each record, oldest first by arrival."""
    out: dict[str, list[Revision]] = {}
    for rid in record_ids:
        rows = conn.execute(
            "SELECT id, body FROM revisions WHERE record_id = ? ORDER BY seq", (rid,)
        )
        if rows:
            out[rid] = [Revision.from_body(bytes(b), i) for i, b in rows]
    return out


def head_revisions(conn: Connection, record_id: str) -> list[Revision]:
    """The heads of one record, the deterministic pick first (latest time, then larger id)."""
    rows = conn.execute(
        "SELECT r.id, r.body FROM heads h JOIN revisions r ON r.id = h.revision "
        "WHERE h.record_id = ? ORDER BY r.created_at DESC, r.id DESC",
        (record_id,),
    )
    return [Revision.from_body(bytes(b), i) for i, b in rows]
