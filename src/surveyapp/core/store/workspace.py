"""The workspace facade: one encrypted SQLCipher file plus its key file.

Public API (what the UI, ops, batch, ledger and merge code call)::

    ws = Workspace.create(path, role="village"|"township"|"county", org_code=..., org_name=...,
                          user=..., password=..., recovery_recipient=None)
    ws = Workspace.open(path, user, password)          # context manager; ws.close()
    ws.role, ws.org_code, ws.org_name, ws.user, ws.device_id, ws.workspace_id, ws.path
    ws.save_visit(child_id | None, values, *, form_id, form_version, household_id=None)
        -> SaveResult(child_id, child_rev, visit_rev)   # durable when it returns
    ws.record_exit(child_id, *, reason, date, note="") -> revision id
    ws.delete_child(child_id, *, reason="") -> revision id   # a tombstone revision
    ws.save_household(household_id | None, values) -> (household_id, revision id)
    ws.resolve_conflict(record_id, data) -> revision id   # merge revision, all heads as parents
    ws.get_child(child_id) -> ChildRow | None; ws.child_history(child_id) -> [HistoryEntry]
    ws.absorbed_into(child_id) -> Absorbed | None; ws.person_files(person_id) -> [Absorbed]
    ws.absorbed_files(decision=None) -> [Absorbed]; ws.pair_decisions()   # persons.py
    ws.query_children(ChildFilter | None, offset, limit) -> [ChildRow]
    ws.query_children_from(ChildFilter | None, key, limit, *, offset=0, backward=False)
        -> [ChildRow]   # keyset paging from ws.list_key(row) (None: first / last)
    ws.count_children(ChildFilter | None) -> int
    ws.iter_children(ChildFilter | None, page=2000) -> iterator of ChildRow   # page by page
    ws.insert_revisions(iterable of Revision or canonical bytes) -> InsertCounts
    ws.revisions_of(record_ids) -> {record_id: [Revision]}; ws.get_revision(id)
    ws.iter_revisions(after_seq=0, *, device_id=None) -> iterator of (seq, Revision)
    ws.heads(record_id)
    ws.put_secret(name, bytes) / get_secret(name); ws.get_meta(key) / set_meta(key, value)
    ws.save_draft(key, text) / load_drafts() -> [Draft] / delete_draft(key)
    ws.audit(action, **details); ws.audit_entries(limit=None)
    ws.verify_audit() -> BrokenLink | None
    ws.add_user(user, password); ws.change_password(old, new); ws.users()
    ws.integrity_errors() -> [str]
    with ws.snapshot() as copy: ...   # a private copy to try an import on (the preview)

Threads: ``ws.conn`` is the calling thread's own connection (opened on first use with the
same key), so a worker's transaction and the GUI thread's draft save are two SQLite
transactions that SQLite serialises, never one nested in the other (docs/store.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import hashlib
import secrets
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from surveyapp.core.store import audit as audit_log
from surveyapp.core.store import (
    bulkindex,
    keys,
    migrations,
    persons,
    records,
    retention,
    revisions,
    users,
    views,
)
from surveyapp.core.store.codes import StoreCode
from surveyapp.core.store.connection import Connection, connect
from surveyapp.core.store.models import Draft, HistoryEntry, InsertCounts
from surveyapp.core.store.records import Author, SaveResult
from surveyapp.core.store.revisions import Revision, utc_now
from surveyapp.core.store.views import ChildFilter, ChildRow, ListKey
from surveyapp.errors import SurveyError

ROLES = ("village", "township", "county")


def _parsed(item: Revision | bytes | tuple[str, bytes]) -> Revision:
    if isinstance(item, Revision):
        if hashlib.sha256(item.body).hexdigest() != item.id:
            raise SurveyError(StoreCode.STORE_014, revision=item.id)
        return item
    if isinstance(item, tuple):
        return Revision.from_body(bytes(item[1]), item[0])
    return Revision.from_body(bytes(item))


def _imported(mark: Any) -> tuple[str, int, str]:
    """(file, row, sheet) of a revision a ledger import wrote (ops.ledgerin), else
    ("", 0, "")."""
    if not isinstance(mark, Mapping):
        return "", 0, ""
    row = mark.get("row")
    return (str(mark.get("file", "")), row if isinstance(row, int) else 0,
            str(mark.get("sheet") or ""))


PREVIEW_INFIX = ".preview-"
STALE_PREVIEW_S = 3600


def _remove_stale_previews(path: Path) -> None:
    """Remove the private copies a killed import preview left next to ``path`` (an hour old:
    a preview still running in another window keeps its copy)."""
    cutoff = time.time() - STALE_PREVIEW_S
    for leftover in path.parent.glob(glob.escape(f".{path.name}{PREVIEW_INFIX}") + "*"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def _remove_files(path: Path) -> None:
    for leftover in (path, keys.sidecar_path(path), path.with_name(path.name + "-wal"),
                     path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            leftover.unlink()


class Workspace:
    """An open workspace. Create with :meth:`create`, open with :meth:`open`."""

    def __init__(self, conn: Connection, path: Path, user: str, db_key: bytes) -> None:
        self._conn: Connection | None = conn
        # Connections of the other threads that used this workspace, by thread id.
        self._others: dict[int, Connection] = {}
        self._others_lock = threading.Lock()
        self._closed = False
        self.path = path
        self.user = user
        self._key = db_key
        rows = conn.execute("SELECT key, value FROM meta")
        meta: dict[str, str] = {str(k): str(v) for k, v in rows}
        self.workspace_id = meta.get("workspace_id", "")
        self.role = meta.get("role", "")
        self.org_code = meta.get("org_code", "")
        self.org_name = meta.get("org_name", "")
        self.device_id = meta.get("device_id", "")
        self._anchored = False  # opened with the key file: keep its audit anchor current

    # --- life cycle ------------------------------------------------------------------------
    @classmethod
    def create(
        cls, path: str | Path, *, role: str, org_code: str, org_name: str, user: str,
        password: str, recovery_recipient: str | None = None,
        work_factor: int = keys.WORK_FACTOR,
    ) -> Workspace:
        """Create a new workspace file and its key file, and open it.

        :param work_factor: scrypt log2(N) for the password wrap (lower only in tests).
        :raises SurveyError: STORE_006 when a workspace exists at ``path``; STORE_008 for a
            short password; disk errors.
        """
        path = Path(path)
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        if path.exists() or keys.sidecar_path(path).exists():
            raise SurveyError(StoreCode.STORE_006, path=str(path))
        keys.check_password(password)
        db_key = secrets.token_bytes(32)
        wrapped_user = keys.wrap_for_user(db_key, password, work_factor)
        wrapped_recovery = (
            keys.wrap_for_recovery(db_key, recovery_recipient) if recovery_recipient else None
        )
        workspace_id = str(uuid.uuid4())
        ws = cls.create_with_key(path, db_key, role=role, org_code=org_code,
                                 org_name=org_name, user=user, workspace_id=workspace_id)
        try:
            keys.write(path, keys.KeyFile(
                workspace_id, {user: wrapped_user}, recovery_recipient, wrapped_recovery))
        except BaseException:
            ws.close()
            _remove_files(path)
            raise
        ws._anchored = True
        return ws

    @classmethod
    def create_with_key(
        cls, path: str | Path, db_key: bytes, *, role: str, org_code: str, org_name: str,
        user: str, workspace_id: str | None = None,
    ) -> Workspace:
        """Create the database file only, keyed with ``db_key`` (no key file: tests, tools).

        :raises SurveyError: disk errors; the partial file is removed.
        """
        path = Path(path)
        conn = connect(path, db_key, create=True)
        try:
            conn.use_wal()
            migrations.apply(conn)
            meta = {"workspace_id": workspace_id or str(uuid.uuid4()), "role": role,
                    "org_code": org_code, "org_name": org_name,
                    "device_id": str(uuid.uuid4()), "created_at": utc_now()}
            with conn.atomic():
                conn.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
                audit_log.append(conn, user=user, device_id=meta["device_id"],
                                 action="create", details={"role": role})
        except BaseException:
            conn.close()
            _remove_files(path)
            raise
        return cls(conn, path, user, db_key)

    @classmethod
    def open(cls, path: str | Path, user: str, password: str) -> Workspace:
        """Unlock ``path`` with ``user``'s password, migrating an older schema.

        :raises SurveyError: IO_002 missing file; STORE_005 missing key file; STORE_001
            wrong user or password; STORE_002 wait after repeated failures; STORE_003 damaged
            file; STORE_004 newer schema (the file is left untouched).
        """
        path = Path(path)
        if not path.exists():
            from surveyapp.errors import CommonCode

            raise SurveyError(CommonCode.IO_002, path=str(path))
        keyfile = keys.read(path)
        db_key = keys.unlock(path, user, password)
        ws = cls.open_with_key(path, db_key, user)
        if ws.workspace_id != keyfile.workspace_id:
            ws.close()
            raise SurveyError(StoreCode.STORE_005, path=str(keys.sidecar_path(path)))
        ws.audit("unlock")
        ws._anchored = True
        _remove_stale_previews(path)
        return ws

    @classmethod
    def open_with_key(cls, path: str | Path, db_key: bytes, user: str) -> Workspace:
        """Open with the database key itself (after recovery, and in tests and tools).

        :raises SurveyError: as :meth:`open`, without the password errors.
        """
        path = Path(path)
        conn = connect(path, db_key)
        try:
            migrations.check_not_newer(conn)
            conn.use_wal()
            applied = migrations.apply(conn)
            ws = cls(conn, path, user, db_key)
        except BaseException:
            conn.close()
            raise
        if applied:
            ws.audit("migrate", to_version=migrations.latest(), steps=len(applied))
        return ws

    def close(self) -> None:
        """Close the file and every thread's connection to it (idempotent), first
        advancing the key file's audit anchor."""
        if self._conn is not None and self._anchored and not self._closed:
            with contextlib.suppress(SurveyError):
                self._advance_anchor(self._conn)
        with self._others_lock:
            others, self._others = list(self._others.values()), {}
            self._closed = True
        for other in others:
            other.close()
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def release_thread(self) -> None:
        """Close the calling thread's own connection (a worker at the end of its job); the
        next use from this thread opens a new one. The opening thread's stays open."""
        with self._others_lock:
            mine = self._others.pop(threading.get_ident(), None)
        if mine is not None:
            mine.close()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Workspace]:
        """A private copy of the store as it is now, to try an import on and throw away.

        The copy is taken with SQLite's online backup on this thread's connection (a read:
        other threads keep writing meanwhile), keyed with the same key, next to the
        workspace (``.<name>.preview-<random>``), and removed when the block ends (one a
        killed preview left is removed by :meth:`open` an hour later). Nothing
        done to the copy reaches the workspace, and no write lock of the workspace is held.

        :raises SurveyError: STORE_018 when the copy cannot be written (disk full).
        """
        copy_path = self.path.with_name(
            f".{self.path.name}{PREVIEW_INFIX}{uuid.uuid4().hex[:12]}")
        target = connect(copy_path, self._key, create=True)
        try:
            self.conn.copy_to(target)
        except BaseException:
            target.close()
            _remove_files(copy_path)
            raise
        target.close()
        try:
            copy = Workspace.open_with_key(copy_path, self._key, self.user)
        except BaseException:
            _remove_files(copy_path)
            raise
        try:
            yield copy
        finally:
            copy.close()
            _remove_files(copy_path)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def conn(self) -> Connection:
        """The calling thread's connection (for store modules and tools): the one the
        workspace was opened with on the opening thread, a new one on any other thread.

        :raises SurveyError: STORE_017 after :meth:`close`.
        """
        if self._conn is None:
            raise SurveyError(StoreCode.STORE_017)
        me = threading.get_ident()
        if me == self._conn.owner:
            return self._conn
        with self._others_lock:
            mine = self._others.get(me)
        if mine is None:
            # Same key, already migrated and in WAL mode: only the per-connection settings.
            mine = connect(self.path, self._key)
            try:
                mine.use_settings()
            except BaseException:
                mine.close()
                raise
            with self._others_lock:
                if self._closed:  # closed meanwhile by another thread
                    mine.close()
                    raise SurveyError(StoreCode.STORE_017)
                self._others[me] = mine
        return mine

    @property
    def _who(self) -> Author:
        return Author(self.user, self.device_id)

    @property
    def schema_version(self) -> int:
        return migrations.version(self.conn)

    # --- saving ----------------------------------------------------------------------------
    def save_visit(
        self, child_id: str | None, values: Mapping[str, Any], *, form_id: str,
        form_version: str, household_id: str | None = None,
    ) -> SaveResult:
        """Save a visit and the child's new revision in one durable transaction.

        :param child_id: None for a new child (the first screening).
        :raises SurveyError: STORE_012 unknown child; STORE_013 unstorable value; disk errors.
        """
        with self.conn.atomic() as conn:
            result = records.save_visit(conn, self._who, child_id, values, form_id=form_id,
                                        form_version=str(form_version),
                                        household_id=household_id)
            self._audit(conn, "save", record=result.child_id, revision=result.child_rev,
                        form_id=form_id, form_version=str(form_version))
        return result

    def save_conflicting_visit(
        self, child_id: str, values: Mapping[str, Any], *, form_id: str | None = None,
        form_version: str | None = None,
    ) -> SaveResult:
        """A visit saved as if on another device from an older copy: makes a conflict.

        For the demo county and tests; the new child revision is a sibling of the head.
        """
        with self.conn.atomic() as conn:
            head = records.picked_head(conn, child_id)
            base = revisions.get(conn, head.parents[0]) if head.parents else None
            result = records.save_visit(
                conn, self._who, child_id, values, form_id=form_id or head.form_id,
                form_version=str(form_version or head.form_version), parent=base,
                detached=base is None,
            )
            self._audit(conn, "save", record=child_id, revision=result.child_rev)
        return result

    def record_exit(self, child_id: str, *, reason: str, date: str, note: str = "",
                    today: dt.date | None = None, adult_age: int = 18) -> str:
        """Take a child off the active list (a revision; the file stays).

        :param reason: aged_out, parents_returned, moved_away, died or other.
        :param date: the exit date: a real date, not after ``today``, not before the
            child's birth or first visit (``aged_out``: the child is ``adult_age`` then).
        :raises SurveyError: STORE_015 unknown reason; STORE_012 unknown child;
            STORE_021 bad date; STORE_022 already exited; STORE_023 not yet adult.
        """
        changes = records.exit_changes(reason, date, note)
        visits = [h.survey_date for h in self.child_history(child_id) if h.survey_date]
        with self.conn.atomic() as conn:
            head = records.picked_head(conn, child_id)
            records.check_exit(child_id, head.data, reason, date,
                               first_visit=min(visits, default=""), today=today,
                               adult_age=adult_age)
            rev = records.change_status(conn, self._who, child_id, changes)
            self._audit(conn, "exit", record=child_id, revision=rev.id, reason=reason)
        return rev.id

    def delete_child(self, child_id: str, *, reason: str = "") -> str:
        """A deletion tombstone revision (entered by mistake, duplicate...).

        :raises SurveyError: STORE_012 unknown child.
        """
        with self.conn.atomic() as conn:
            rev = records.change_status(
                conn, self._who, child_id, {"status": "deleted", "delete_reason": reason})
            self._audit(conn, "delete", record=child_id, revision=rev.id)
        return rev.id

    def save_household(
        self, household_id: str | None, values: Mapping[str, Any]
    ) -> tuple[str, str]:
        """Save a household revision; returns (household id, revision id)."""
        with self.conn.atomic() as conn:
            rev = records.save_household(conn, self._who, household_id, values)
            self._audit(conn, "save", record=rev.record_id, revision=rev.id)
        return rev.record_id, rev.id

    def resolve_conflict(self, record_id: str, data: Mapping[str, Any]) -> str:
        """Resolve a conflict: a merge revision whose parents are all current heads.

        :raises SurveyError: STORE_012 unknown record.
        """
        with self.conn.atomic() as conn:
            rev = records.resolve(conn, self._who, record_id, data)
            self._audit(conn, "review", record=record_id, revision=rev.id,
                        decision="resolve_conflict")
        return rev.id

    def insert_revisions(
        self, revs: Iterable[Revision | bytes | tuple[str, bytes]],
        rows: Mapping[str, tuple[Any, ...]] | None = None,
    ) -> InsertCounts:
        """Bulk import: add every revision not yet known, in one transaction, keeping heads
        and the view of the records whose heads changed (docs/store.md, "The bulk import
        path": streamed in chunks; a large import defers the secondary indexes).

        :param revs: revisions, or their canonical bytes, or (claimed id, bytes) pairs as a
            batch carries them (the bytes must hash to the claimed id).
        :param rows: view rows worked out already (``views.refresh``'s ``rows_ready``).

        :raises SurveyError: STORE_014 for damaged revision bytes (nothing is inserted).
        """
        # Streamed a chunk at a time: parse and check, insert, then the view rows of the
        # records whose heads changed, built from the revisions in memory; nothing of a
        # chunk is kept afterwards but the touched record ids.
        inserted = known = 0
        touched: set[str] = set()
        decided = False
        with self.conn.bulk() as conn:
            seq = revisions.last_seq(conn)
            for chunk in revisions.chunks(_parsed(r) for r in revs):
                done = revisions.insert_chunk(conn, chunk, seq)
                seq += len(done.added)
                inserted, known = inserted + len(done.added), known + done.known
                touched.update(r.record_id for r in done.added)
                decided = decided or any(r.kind == "link" for r in done.added)
                views.refresh(conn, done.heads_changed, {r.id: r for r in done.added}, rows)
                bulkindex.note_rows(conn, len(done.heads_changed))
            if decided:  # a review decision arrived: who is one person may have changed
                bulkindex.restore(conn)  # its query walks the record index
                persons.refresh(conn)
        return InsertCounts(inserted, known, len(touched))

    # --- reading ---------------------------------------------------------------------------
    def query_children(
        self, flt: ChildFilter | None, offset: int = 0, limit: int = 200
    ) -> list[ChildRow]:
        """One page of the child list (None: every child, exited ones too)."""
        bulkindex.restore(self.conn)
        return views.query(self.conn, flt, offset, limit)

    list_key = staticmethod(views.list_key)  # a row's place in the list order (keyset)

    def query_children_from(
        self,
        flt: ChildFilter | None,
        key: ListKey | None,
        limit: int = 200,
        *,
        offset: int = 0,
        backward: bool = False,
    ) -> list[ChildRow]:
        """A page of the child list next to the row whose ``list_key`` is ``key``
        (keyset paging, ``views.query_keyset``): after it, or before it with ``backward``
        (``key`` None: from the first row, or up to the last)."""
        bulkindex.restore(self.conn)
        return views.query_keyset(
            self.conn, flt, key, limit, offset=offset, backward=backward
        )

    def iter_children(self, flt: ChildFilter | None, page: int = 2000) -> Iterator[ChildRow]:
        """Every child matching ``flt`` in list order, fetched ``page`` rows at a time (each
        page after the last row of the one before), so that memory stays flat and the time
        per page stays the same however many there are."""
        key: ListKey | None = None
        while True:
            rows = self.query_children_from(flt, key, page)
            yield from rows
            if len(rows) < page:
                return
            key = views.list_key(rows[-1])

    def count_children(self, flt: ChildFilter | None = None) -> int:
        """How many children match (None: every child, exited ones too)."""
        bulkindex.restore(self.conn)
        return views.count(self.conn, flt)

    def get_child(self, child_id: str) -> ChildRow | None:
        """The current view row of one child (its ``data`` are the head's answers)."""
        bulkindex.restore(self.conn)
        return views.get(self.conn, child_id)

    def child_history(self, child_id: str) -> list[HistoryEntry]:
        """Every revision of a child's file, newest first."""
        bulkindex.restore(self.conn)
        revs = revisions.of_records(self.conn, [child_id]).get(child_id, [])
        head_ids = {h.id for h in revisions.head_revisions(self.conn, child_id)}
        out = [
            HistoryEntry(r.id, r.created_at, r.author, str(r.data.get("status", "active")),
                         str(r.data.get("survey_date", "")), r.id in head_ids, r.device_id,
                         *_imported(r.data.get("imported_from")))
            for r in revs
        ]
        return sorted(out, key=lambda e: (e.created_at, e.revision), reverse=True)

    def absorbed_into(self, record_id: str) -> persons.Absorbed | None:
        """When a link / moved decision made this file part of another child's file: which
        (the person id is the surviving file), by which decision; else None."""
        return persons.absorbed_into(self.conn, record_id)

    def person_files(self, person_id: str) -> list[persons.Absorbed]:
        """The other files of one person (absorbed into ``person_id``)."""
        return persons.files_of(self.conn, person_id)

    def absorbed_files(self, decision: str | None = None) -> list[persons.Absorbed]:
        """Every absorbed file, or those of one decision (``moved``: the moves)."""
        return persons.all_absorbed(self.conn, decision)

    def pair_decisions(self) -> dict[frozenset[str], persons.PairDecision]:
        """Every decided pair of possible duplicates with its current decision."""
        return persons.pair_decisions(self.conn)

    def get_revision(self, rev_id: str) -> Revision | None:
        return revisions.get(self.conn, rev_id)

    def revisions_of(self, record_ids: Iterable[str]) -> dict[str, list[Revision]]:
        """Every stored revision of each record (for merge planning)."""
        bulkindex.restore(self.conn)
        return revisions.of_records(self.conn, record_ids)

    def heads(self, record_id: str) -> list[Revision]:
        """The heads of a record, the deterministic pick first."""
        return revisions.head_revisions(self.conn, record_id)

    def iter_revisions(self, after_seq: int = 0, *, device_id: str | None = None,
                       travel: bool = False) -> Iterator[tuple[int, Revision]]:
        """Every revision stored after ``after_seq``, in arrival order (for exports); with
        ``device_id``, only the revisions made on that device. With ``travel`` (a file
        leaving this workspace), redacted revisions are left out: they no longer hash to
        their id, and every tier redacts its own copy (``retention``)."""
        sql = "SELECT seq, id, body FROM revisions WHERE seq > ?"
        args: tuple[Any, ...] = (after_seq,)
        if device_id is not None:
            sql, args = sql + " AND device_id = ?", (after_seq, device_id)
        hidden = retention.redacted(self.conn)
        for seq, rid, body in self.conn.iterate(sql + " ORDER BY seq", args):
            if rid not in hidden:
                yield int(seq), Revision.from_body(bytes(body), rid)
            elif not travel:
                yield int(seq), revisions.from_stored(rid, bytes(body))

    # --- metadata, secrets, drafts ---------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.conn.atomic() as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(value)))

    def put_secret(self, name: str, data: bytes) -> None:
        """Keep a private key or other secret inside the encrypted file."""
        with self.conn.atomic() as conn:
            conn.execute("INSERT OR REPLACE INTO secrets VALUES (?, ?)", (name, bytes(data)))

    def get_secret(self, name: str) -> bytes | None:
        row = self.conn.one("SELECT data FROM secrets WHERE name = ?", (name,))
        return None if row is None else bytes(row[0])

    def save_draft(self, key: str, data: str) -> None:
        """Keep an unfinished form (JSON text) in the encrypted file, durably."""
        with self.conn.atomic() as conn:
            conn.execute("INSERT OR REPLACE INTO drafts VALUES (?, ?, ?)",
                         (key, str(data), utc_now()))

    def load_drafts(self) -> list[Draft]:
        rows = self.conn.execute("SELECT key, data, updated_at FROM drafts ORDER BY updated_at")
        return [Draft(*r) for r in rows]

    def delete_draft(self, key: str) -> None:
        with self.conn.atomic() as conn:
            conn.execute("DELETE FROM drafts WHERE key = ?", (key,))

    # --- audit -----------------------------------------------------------------------------
    def _audit(self, conn: Connection, action: str, **details: Any) -> None:
        audit_log.append(conn, user=self.user, device_id=self.device_id, action=action,
                         details=details)

    def audit(self, action: str, **details: Any) -> None:
        """Append an audit entry (no answers, no names, no passwords: STORE_016)."""
        with self.conn.atomic() as conn:
            self._audit(conn, action, **details)

    def audit_entries(self, limit: int | None = None) -> list[audit_log.AuditEntry]:
        return audit_log.entries(self.conn, limit)

    def advance_audit_anchor(self) -> bool:
        """Record the chain head in the key file, only when the chain still holds the entry
        anchored there (a chain cut or rewritten behind the app's back keeps its old anchor,
        so that ``audit verify`` goes on reporting it). Returns whether it advanced."""
        return self._advance_anchor(self.conn)

    def _advance_anchor(self, conn: Connection) -> bool:
        anchor = keys.read(self.path).audit_anchor
        if anchor is not None and audit_log.hash_at(conn, anchor[0]) != anchor[1]:
            return False
        seq, digest = audit_log.head(conn)
        keys.set_audit_anchor(self.path, seq, digest)
        return True

    def audit_anchor(self) -> tuple[int, str] | None:
        """The head recorded in the key file (None before the first close or export)."""
        return keys.read(self.path).audit_anchor

    def anonymise_due(self, today: dt.date, *, dry_run: bool = False
                      ) -> list[retention.Due]:
        """Anonymise the exited children kept longer than the retention period, each with
        its ``anonymise`` audit entry (the record id, the number of revisions redacted and
        of drafts deleted); with ``dry_run`` only list them."""
        found = retention.due(self.conn, today, retention.days(self.conn))
        if dry_run:
            return found
        # The bytes a redaction replaces are overwritten, not left in free page space.
        row = self.conn.one("PRAGMA secure_delete")
        self.conn.execute("PRAGMA secure_delete = ON")
        try:
            index = retention.Index(self.conn)
            for item in found:
                with self.conn.atomic() as conn:
                    rev, count, drafts = retention.anonymise(conn, self._who, item.record_id,
                                                             today, index)
                    self._audit(conn, "anonymise", record=item.record_id, revision=rev,
                                redacted=count, drafts=drafts, exit_date=item.exit_date)
        finally:
            self.conn.execute(f"PRAGMA secure_delete = {int(row[0]) if row else 0}")
        if found:  # and the WAL's older copies of those pages are written back and cut
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return found

    def verify_audit(self) -> audit_log.BrokenLink | None:
        """The first broken link of the audit chain, or None."""
        return audit_log.verify(self.conn)

    def integrity_errors(self) -> list[str]:
        """What SQLite's and SQLCipher's integrity checks report ([] when sound)."""
        return self.conn.integrity_errors()

    # --- users -----------------------------------------------------------------------------
    def users(self) -> list[str]:
        return sorted(keys.read(self.path).users)

    def add_user(self, user: str, password: str, *, work_factor: int = keys.WORK_FACTOR) -> None:
        """Let another person unlock this workspace with their own password.

        :raises SurveyError: STORE_007 when the name is taken; STORE_008 short password.
        """
        users.add(self.path, self._key, user, password, work_factor)
        self.audit("user_add", user_added=user)

    def change_password(self, old: str, new: str, *,
                        work_factor: int = keys.WORK_FACTOR) -> None:
        """Change the current user's password (the database is not re-encrypted).

        :raises SurveyError: STORE_001 when ``old`` is wrong; STORE_008 short password.
        """
        users.change(self.path, self._key, self.user, old, new, work_factor)
        self.audit("password_change")
