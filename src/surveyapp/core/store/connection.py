"""The SQLCipher connection: the only module that imports ``sqlcipher3``.

``connect(path, key, *, create=False) -> Connection`` keys the connection with the raw
256-bit key (``PRAGMA key = "x'…'"``, so SQLCipher's own PBKDF2 never runs) before anything
else touches the file, silences SQLCipher's log, and probes with a cheap query so that a wrong
key or a damaged file becomes STORE_003 at once instead of a traceback later. Journal mode is
set by :meth:`Connection.use_wal` *after* the schema version was checked, so that a refused
newer file is never modified.

``Connection`` wraps the DB-API connection in autocommit mode; ``atomic()`` opens one
transaction (nested calls become savepoints, as sqlite-utils' ``Database.atomic``), and
``bulk()`` switches to the import settings for the duration of a large transaction.

A connection belongs to the thread that opened it (``owner``). Every statement and every
``atomic()`` from another thread is refused with STORE_030, a bug, logged: a write from one
thread must never become a savepoint inside another thread's transaction (and be rolled
back with it). :class:`~surveyapp.core.store.workspace.Workspace` gives each thread its own
connection (docs/store.md, "One connection per thread").
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlcipher3

from surveyapp.core.store.codes import StoreCode
from surveyapp.core.store.rowkeys import key64_sql
from surveyapp.crashlog import log_bug
from surveyapp.errors import SurveyError

KEY_BYTES = 32
Row = tuple[Any, ...]
DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError


def _failure(err: Exception, path: Path) -> SurveyError:
    """A SurveyError for an SQLite failure while using an open workspace."""
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return SurveyError(StoreCode.STORE_019, path=str(path))
    if "not a database" in text or "malformed" in text or "hmac" in text:
        return SurveyError(StoreCode.STORE_003, path=str(path))
    reason = os.strerror(errno.ENOSPC) if "full" in text else str(err)
    return SurveyError(StoreCode.STORE_018, path=str(path), reason=reason)


def _wrong_thread(what: str) -> SurveyError:
    """STORE_030 for a connection used off its own thread: a bug, so it is logged here."""
    err = SurveyError(StoreCode.STORE_030, what=what)
    try:
        raise err
    except SurveyError:
        log_bug(err, f"store ({what})")
    return err


class Connection:
    """One keyed connection. Not thread-safe: one per thread, as SQLite wants; used from any
    other thread than its ``owner`` it refuses (STORE_030)."""

    def __init__(self, raw: Any, path: Path) -> None:
        self._raw = raw
        self.path = path
        self.owner = threading.get_ident()
        self._depth = 0
        self._flat = False
        # Scratch space and hooks of the current outermost transaction (bulk imports).
        self.txn: dict[str, Any] = {}
        self._before_commit: list[Callable[[], None]] = []
        self._after_end: list[Callable[[], None]] = []

    def _own(self, what: str) -> None:
        if threading.get_ident() != self.owner:
            raise _wrong_thread(what)

    # --- plain statements ------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run one statement and return all its rows.

        :raises SurveyError: STORE_018/STORE_019/STORE_003 for disk, lock or damage failures;
            STORE_030 from another thread than the owner.
        """
        self._own("execute")
        try:
            return [tuple(r) for r in self._raw.execute(sql, params).fetchall()]
        except sqlcipher3.Error as err:
            raise _failure(err, self.path) from err

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write statement; returns how many rows it changed."""
        self._own("run")
        try:
            return int(self._raw.execute(sql, params).rowcount)
        except sqlcipher3.Error as err:
            raise _failure(err, self.path) from err

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        self._own("one")
        try:
            row = self._raw.execute(sql, params).fetchone()
        except sqlcipher3.Error as err:
            raise _failure(err, self.path) from err
        return None if row is None else tuple(row)

    def iterate(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        """Rows of a query, lazily (for exports of large tables)."""
        self._own("iterate")
        try:
            cursor = self._raw.execute(sql, params)
            while True:
                rows = cursor.fetchmany(500)
                if not rows:
                    return
                for r in rows:
                    yield tuple(r)
        except sqlcipher3.Error as err:
            raise _failure(err, self.path) from err

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each parameter row."""
        self._own("executemany")
        try:
            self._raw.executemany(sql, rows)
        except sqlcipher3.Error as err:
            raise _failure(err, self.path) from err

    def script(self, sql: str) -> None:
        """Run several statements (schema changes inside a migration)."""
        self._own("script")
        try:
            for statement in sql.split(";\n"):
                if statement.strip():
                    self._raw.execute(statement)
        except sqlcipher3.Error as err:
            raise _failure(err, self.path) from err

    # --- transactions ----------------------------------------------------------------------
    @contextlib.contextmanager
    def atomic(self) -> Iterator[Connection]:
        """One transaction; nested calls are savepoints. Rolls back on any exception.

        :raises SurveyError: STORE_030 from another thread than the owner (it would nest in
            that thread's transaction): nothing is written.
        """
        self._own("atomic")
        depth = self._depth
        name = f"sp{depth}"
        if depth > 0 and self._flat:
            # Inside flat(): the outer transaction undoes everything on failure.
            self._depth += 1
            try:
                yield self
            finally:
                self._depth = depth
            return
        if depth == 0:
            self.txn, self._before_commit, self._after_end = {}, [], []
        self.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self
            if depth == 0:
                for hook in self._before_commit:
                    hook()
        except BaseException:
            self._depth = depth
            with contextlib.suppress(sqlcipher3.Error):
                if depth == 0:
                    self._raw.execute("ROLLBACK")
                else:
                    self._raw.execute(f"ROLLBACK TO {name}")
                    self._raw.execute(f"RELEASE {name}")
            if depth == 0:
                self._end()
            raise
        self._depth = depth
        if depth == 0:
            try:
                self.execute("COMMIT")
            finally:
                self._end()
        else:
            self.execute(f"RELEASE {name}")

    @property
    def in_transaction(self) -> bool:
        """True inside :meth:`atomic` (or :meth:`bulk`)."""
        return self._depth > 0

    def before_commit(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` inside the current outermost transaction, just before it commits
        (an exception from it rolls everything back)."""
        self._before_commit.append(hook)

    def after_end(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` once the current outermost transaction has committed or rolled back."""
        self._after_end.append(hook)

    def _small_cache(self) -> None:
        self.execute("PRAGMA cache_size = -8192")

    def _end(self) -> None:
        hooks, self._after_end, self._before_commit, self.txn = self._after_end, [], [], {}
        for hook in hooks:
            with contextlib.suppress(SurveyError):
                hook()

    @contextlib.contextmanager
    def flat(self) -> Iterator[Connection]:
        """Nested :meth:`atomic` blocks take no savepoint while this is open.

        For an outer transaction that is all or nothing anyway (an import of many files): a
        savepoint makes SQLite copy every existing page it changes into an in-memory
        sub-journal, which for a large import into a large store is hundreds of MB. Every
        exception must then leave the outer transaction, which rolls everything back.

        :raises ValueError: outside a transaction.
        """
        if self._depth == 0:
            raise ValueError("flat() needs an open transaction")
        old, self._flat = self._flat, True
        try:
            yield self
        finally:
            self._flat = old

    @contextlib.contextmanager
    def bulk(self) -> Iterator[Connection]:
        """Import settings (big page cache, in-memory temp tables) around one transaction.

        The journal stays WAL and the commit is still fsynced once at the end, so an
        interrupted import leaves nothing behind: it is all in or not there at all. Nested in
        a caller's transaction (a batch import in slices), the big cache stays until that
        transaction ends, so that the slices do not shrink and refill it.
        """
        outer = self._depth == 0
        self.execute("PRAGMA cache_size = -65536")
        if outer:
            # SQLite refuses to change temp_store inside a transaction once the temporary
            # database is open; a bulk insert nested in a caller's transaction (a batch
            # import) keeps the current setting instead of failing.
            self.execute("PRAGMA temp_store = MEMORY")
        elif not self.txn.get("bulk_cache"):
            self.txn["bulk_cache"] = True
            self.after_end(self._small_cache)
        try:
            with self.atomic():
                yield self
        finally:
            if outer:
                self.execute("PRAGMA cache_size = -8192")

    # --- file settings ---------------------------------------------------------------------
    def use_wal(self) -> None:
        """WAL journal with a fsync on every commit: a save is durable when it returns."""
        self.execute("PRAGMA journal_mode = WAL")
        self.use_settings()

    def use_settings(self) -> None:
        """The per-connection settings of :meth:`use_wal`, for another thread's connection to
        a file that is already in WAL mode."""
        self.execute("PRAGMA synchronous = FULL")
        self.execute("PRAGMA foreign_keys = ON")
        self.execute("PRAGMA cache_size = -8192")

    def integrity_errors(self) -> list[str]:
        """Problems found by ``integrity_check`` and ``cipher_integrity_check`` (none: [])."""
        found = [str(r[0]) for r in self.execute("PRAGMA integrity_check")]
        problems = [f for f in found if f != "ok"]
        problems += [str(r[0]) for r in self.execute("PRAGMA cipher_integrity_check")]
        return problems

    def copy_to(self, target: Connection) -> None:
        """Copy the whole database into ``target`` (SQLite's online backup, one step: a read
        transaction here, so writers on other connections go on meanwhile)."""
        self._own("copy_to")
        try:
            self._raw.backup(target._raw)
        except sqlcipher3.Error as err:
            raise _failure(err, target.path) from err

    def close(self) -> None:
        """Close the connection (checkpointing the WAL when it is the last one)."""
        with contextlib.suppress(sqlcipher3.Error):
            self._raw.close()


def connect(path: Path, key: bytes, *, create: bool = False) -> Connection:
    """Open ``path`` keyed with the raw ``key`` and prove the key is right.

    :param create: allow a new, empty file; otherwise a missing file is IO_002.
    :raises SurveyError: IO_002 when the file is missing; STORE_003 when the key does not
        open it or it is not an SQLCipher database.
    """
    from surveyapp.errors import CommonCode

    if len(key) != KEY_BYTES:
        raise ValueError("the database key must be 32 bytes")
    if not create and not path.exists():
        raise SurveyError(CommonCode.IO_002, path=str(path))
    if not create and path.stat().st_size == 0:
        # SQLite would take an empty file (a failed copy) for a new database and write a
        # schema into it; a real workspace has its header written when it is created.
        raise SurveyError(StoreCode.STORE_003, path=str(path))
    try:
        if create and not path.exists():
            # Owner-only (0600) like the key file and the batches; SQLite gives its -wal and
            # -shm files the database file's permissions.
            from surveyapp.core.files import create_private

            create_private(path).close()
        raw = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    except OSError as err:
        raise SurveyError(CommonCode.IO_003, path=str(path),
                          reason=err.strerror or str(err)) from err
    except sqlcipher3.Error as err:
        raise SurveyError(CommonCode.IO_004, path=str(path), reason=str(err)) from err
    try:
        raw.execute("PRAGMA cipher_log_level = NONE")
        raw.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        raw.execute("PRAGMA busy_timeout = 5000")
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
        # Compact keys of the long ids (rowkeys.py), for joins and migrations.
        raw.create_function("key64", 1, key64_sql, deterministic=True)
    except sqlcipher3.DatabaseError as err:
        raw.close()
        raise SurveyError(StoreCode.STORE_003, path=str(path)) from err
    return Connection(raw, path)

