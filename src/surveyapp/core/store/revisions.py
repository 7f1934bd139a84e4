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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from surveyapp.core.store.canonical import (
    canonical_json,
    loads_stored,
    normalize,
    parse_canonical,
)
from surveyapp.core.store.codes import StoreCode
from surveyapp.core.store.connection import Connection
from surveyapp.core.store.rowkeys import key64, keys
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
        data = c["data"]
        if isinstance(data, dict):
            data = data_read(c["kind"], data, body)
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
            data=data,
            body=body,
        )

    @classmethod
    def from_body(cls, body: bytes, expected_id: str | None = None) -> Revision:
        """Parse stored or imported bytes, checking they are canonical and match the id.

        :raises SurveyError: STORE_014 when the bytes are not a canonical revision or do not
            hash to ``expected_id``.
        """
        return cls.parsed(body, expected_id)[0]

    @classmethod
    def parsed(cls, body: bytes, expected_id: str | None = None
               ) -> tuple[Revision, dict[str, Any]]:
        """:meth:`from_body`, and the parsed content as written (its ``data`` before
        :func:`data_read`), for a caller that reads more of the line (an import's rule 11).

        :raises SurveyError: as :meth:`from_body`.
        """
        try:
            content = parse_canonical(body)
            if not isinstance(content, dict):
                raise ValueError("not an object")
            rev = cls._from_content(content, body)
            if rev.kind not in KINDS or not isinstance(rev.data, dict):
                raise ValueError("bad kind or data")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as err:
            raise SurveyError(StoreCode.STORE_014, revision=expected_id or "?") from err
        if expected_id is not None and rev.id != expected_id:
            raise SurveyError(StoreCode.STORE_014, revision=expected_id)
        return rev, content


# Answers as read (issue #25): the code before it stored a calculate whose value was NaN as
# the text "NaN"; Collect stores it, and surveyapp now stores it, as an empty answer. Every
# read of a revision's data (``Revision.from_body``, ``from_stored``, the list's
# ``views.LazyData``) goes through :func:`answers_read`, so that an old workspace's "NaN"
# reads as "" everywhere: the form session a follow-up starts from, the child file, the
# ledger, exports and the review of imported batches. The stored bytes (and so the
# revision ids and the batches that carry them) are never rewritten.
_NAN = b'"NaN"'
ANSWER_KINDS = ("child", "visit")


def _no_nan(value: Any) -> Any:
    if value == "NaN":
        return ""
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    return value


def answers_read(data: dict[str, Any]) -> dict[str, Any]:
    """A child or visit revision's data as read: an answer stored as the text ``"NaN"``
    (the old code's NaN) is the empty answer ``""``, inside a repeat too."""
    out: dict[str, Any] = _no_nan(data)
    return out


def data_read(kind: str, data: dict[str, Any], body: bytes) -> dict[str, Any]:
    """``data`` of a stored revision of ``kind`` as read (see :func:`answers_read`)."""
    # One memchr for "N" first: answers rarely hold an ASCII capital N, and the substring
    # search costs about a tenth of parsing the revision.
    if b"N" in body and _NAN in body and kind in ANSWER_KINDS:
        return answers_read(data)
    return data


def from_stored(rev_id: str, body: bytes) -> Revision:
    """A revision read back from this store (checked on the way in, so only parsed). A
    redacted revision (``retention``) keeps its stored id, which its body no longer hashes
    to."""
    rev = Revision._from_content(loads_stored(body), body)
    return rev if rev.id == rev_id else replace(rev, id=rev_id)


CHUNK = 1000


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def last_seq(conn: Connection) -> int:
    """The arrival number of the newest stored revision (0 when none)."""
    row = conn.one("SELECT coalesce(max(seq), 0) FROM revisions")
    return int(row[0]) if row else 0


def chunks(revs: Iterable[Revision]) -> Iterator[list[Revision]]:
    """``revs`` in lists of ``CHUNK`` (read at each call: tests change it)."""
    size = max(1, CHUNK)
    chunk: list[Revision] = []
    for rev in revs:
        chunk.append(rev)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# The columns of ``revisions`` (schema 6): the arrival number is the rowid, ``idk`` the
# compact key of the id (rowkeys.py).
REVISION_COLUMNS = ("seq, idk, id, kind, record_id, created_at, author, device_id, form_id, "
                    "form_version, body")


class Rows(Protocol):
    """What :func:`known_ids` reads through (a workspace connection)."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...


def known_ids(conn: Rows, ids: Iterable[str]) -> set[str]:
    """The ids among ``ids`` that are stored (found through their compact keys; also the
    importer's holdings for rule 11, ``core.batch.authorize.StoreHoldings``)."""
    want = set(ids)
    out: set[str] = set()
    listed = list(want)
    for start in range(0, len(listed), 500):
        part = keys(listed[start:start + 500])
        out.update(r[0] for r in conn.execute(
            f"SELECT id FROM revisions WHERE idk IN ({_marks(len(part))})", part)
            if r[0] in want)
    return out


@dataclass(frozen=True, slots=True)
class ChunkInsert:
    """What :func:`insert_chunk` did: the new revisions, how many were already known, and
    the records whose set of heads changed (only their view rows need recomputing)."""

    added: list[Revision]
    known: int
    heads_changed: set[str]


def insert_chunk(conn: Connection, chunk: list[Revision], seq: int) -> ChunkInsert:
    """Insert the revisions of ``chunk`` not yet stored, set-based (caller's transaction).

    One query finds the known ids; ``executemany`` writes revisions and parent links; the
    heads of the touched records are fixed with three statements: parents named by a new
    revision stop being heads, and a new revision becomes a head unless a stored revision
    already names it (a child that arrived first).

    :param seq: the arrival number of the last stored revision.
    """
    ids = list(dict.fromkeys(r.id for r in chunk))
    stored = known_ids(conn, ids)
    fresh: dict[str, Revision] = {}
    known = 0
    for rev in chunk:
        if rev.id in stored or rev.id in fresh:
            known += 1
        else:
            fresh[rev.id] = rev
    if not fresh:
        return ChunkInsert([], known, set())
    new = list(fresh.values())
    conn.executemany(
        f"INSERT INTO revisions ({REVISION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(seq + n, key64(r.id), r.id, r.kind, r.record_id, r.created_at, r.author,
          r.device_id, r.form_id, r.form_version, r.body) for n, r in enumerate(new, 1)],
    )
    # Each (child, parent) pair once: a revision is inserted once, and a parent named twice
    # by one revision (possible in a batch from elsewhere) is linked once.
    links = [(r.id, p, r.record_id) for r in new for p in dict.fromkeys(r.parents)]
    if links:
        conn.executemany("INSERT INTO parents (pk, parent, child) VALUES (?, ?, ?)",
                         [(key64(p), p, c) for c, p, _ in links])
        conn.executemany("DELETE FROM heads WHERE rk = ? AND record_id = ? AND revision = ?",
                         [(key64(rid), rid, p) for _, p, rid in links])
    new_ids = list(fresh)
    superseded = {r[0] for r in conn.execute(
        f"SELECT DISTINCT parent FROM parents WHERE pk IN ({_marks(len(new_ids))})",
        keys(new_ids)) if r[0] in fresh}
    heads = [(r.record_id, r.id) for r in new if r.id not in superseded]
    conn.executemany("INSERT INTO heads (rk, record_id, revision) VALUES (?, ?, ?)",
                     [(key64(rid), rid, rev) for rid, rev in heads])
    # A record whose new revisions are all superseded and name no parent kept its heads (an
    # old first revision arriving late); every other touched record may have new heads.
    return ChunkInsert(new, known, {rid for rid, _ in heads} | {rid for _, _, rid in links})


def insert(conn: Connection, revs: Iterable[Revision]) -> tuple[list[Revision], int]:
    """Insert the revisions not yet stored (inside the caller's transaction), a chunk at a
    time, keeping ``heads`` right whatever the order (no view rows: see ``views``).

    :returns: the newly inserted revisions and how many were already known.
    """
    seq = last_seq(conn)
    added: list[Revision] = []
    known = 0
    for chunk in chunks(revs):
        done = insert_chunk(conn, chunk, seq)
        seq += len(done.added)
        added.extend(done.added)
        known += done.known
    return added, known


def get(conn: Connection, rev_id: str) -> Revision | None:
    """The stored revision ``rev_id``, or None."""
    row = conn.one("SELECT body FROM revisions WHERE idk = ? AND id = ?",
                   (key64(rev_id), rev_id))
    return None if row is None else from_stored(rev_id, bytes(row[0]))


def of_records(conn: Connection, record_ids: Iterable[str]) -> dict[str, list[Revision]]:
    """Every stored revision of each record, oldest first by arrival."""
    out: dict[str, list[Revision]] = {}
    for rid in record_ids:
        rows = conn.execute(
            "SELECT id, body FROM revisions WHERE record_id = ? ORDER BY seq", (rid,)
        )
        if rows:
            out[rid] = [from_stored(i, bytes(b)) for i, b in rows]
    return out


def head_revisions(conn: Connection, record_id: str) -> list[Revision]:
    """The heads of one record, the deterministic pick first (latest time, then larger id)."""
    rows = conn.execute(
        "SELECT r.id, r.body FROM heads h "
        "JOIN revisions r ON r.idk = key64(h.revision) AND r.id = h.revision "
        "WHERE h.rk = ? AND h.record_id = ? ORDER BY r.created_at DESC, r.id DESC",
        (key64(record_id), record_id),
    )
    return [from_stored(i, bytes(b)) for i, b in rows]
