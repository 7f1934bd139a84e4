"""One connection per thread (docs/store.md): a write on one thread never lands inside
another thread's transaction, and a connection used off its own thread refuses, logged."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import pytest

from surveyapp.core.store import Workspace
from surveyapp.core.store.codes import StoreCode
from surveyapp.errors import SurveyError


class _Boom(Exception):
    pass


def _in_thread(fn: Any) -> Any:
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["result"] = fn()
        except BaseException as err:
            out["error"] = err

    t = threading.Thread(target=run)
    t.start()
    t.join(30)
    assert not t.is_alive()
    if "error" in out:
        raise out["error"]
    return out.get("result")


def test_draft_saved_during_another_threads_failed_transaction__is_kept(
        raw_store: Workspace) -> None:
    """The issue's reproduction: thread A is inside atomic() (the old preview), the draft
    is saved from thread B meanwhile, then A rolls back. The draft must survive."""
    inside, saved = threading.Event(), threading.Event()

    def long_transaction() -> None:
        with pytest.raises(_Boom), raw_store.conn.atomic():
            raw_store.set_meta("trial", "1")
            inside.set()
            # B's save waits for our write lock (busy_timeout); give it time to queue up.
            saved.wait(0.5)
            raise _Boom

    a = threading.Thread(target=long_transaction)
    a.start()
    assert inside.wait(10)
    raw_store.save_draft("form:1", '{"child_name": "张小明"}')  # this (main) thread
    saved.set()
    a.join(10)
    assert [d.key for d in raw_store.load_drafts()] == ["form:1"]
    assert raw_store.get_meta("trial") is None
    assert _in_thread(lambda: [d.key for d in raw_store.load_drafts()]) == ["form:1"]


def test_worker_thread_has_its_own_connection(raw_store: Workspace) -> None:
    mine = raw_store.conn
    theirs = _in_thread(lambda: raw_store.conn)
    assert theirs is not mine and theirs.owner != mine.owner
    # The worker's writes are committed and seen here.
    _in_thread(lambda: raw_store.save_draft("w", "{}"))
    assert [d.key for d in raw_store.load_drafts()] == ["w"]


def test_connection_used_from_another_thread__refused_and_logged(
        raw_store: Workspace, caplog: pytest.LogCaptureFixture) -> None:
    conn = raw_store.conn  # this thread's

    def misuse() -> None:
        with conn.atomic():
            conn.run("INSERT INTO drafts(key, data, updated_at) VALUES ('x', '{}', '')")

    caplog.set_level(logging.ERROR)
    with pytest.raises(SurveyError) as info:
        _in_thread(misuse)
    assert info.value.code is StoreCode.STORE_030
    assert "STORE_030" not in info.value.message("zh")
    assert any("unexpected error in store (atomic)" in r.getMessage() for r in caplog.records)
    with pytest.raises(SurveyError) as info2:
        _in_thread(lambda: conn.execute("SELECT 1"))
    assert info2.value.code is StoreCode.STORE_030
    assert raw_store.load_drafts() == []


def test_nesting_across_threads__refused_while_outer_open(raw_store: Workspace) -> None:
    """A worker that was handed the GUI thread's connection cannot open a savepoint in the
    GUI thread's transaction; the outer transaction is unaffected."""
    conn = raw_store.conn
    with conn.atomic():
        raw_store.save_draft("outer", "{}")
        with pytest.raises(SurveyError) as info:
            _in_thread(lambda: raw_store.save_draft.__func__(  # type: ignore[attr-defined]
                _Borrowed(raw_store, conn), "inner", "{}"))
        assert info.value.code is StoreCode.STORE_030
    assert [d.key for d in raw_store.load_drafts()] == ["outer"]


class _Borrowed:
    """A workspace whose ``conn`` is always the given connection (the bug under test)."""

    def __init__(self, ws: Workspace, conn: Any) -> None:
        self._ws, self.conn = ws, conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)


def test_close__closes_every_threads_connection(tmp_path: Path) -> None:
    from store_helpers import RAW_KEY

    ws = Workspace.create_with_key(tmp_path / "t.sdb", RAW_KEY, role="village",
                                   org_code="522422102201", org_name="村", user="wang")
    theirs = _in_thread(lambda: ws.conn)
    ws.close()
    with pytest.raises(SurveyError) as info:
        _in_thread(lambda: ws.conn)
    assert info.value.code is StoreCode.STORE_017
    with pytest.raises(Exception):  # noqa: B017 - the raw connection is closed
        theirs._raw.execute("SELECT 1")


def test_release_thread__next_use_opens_a_new_one(raw_store: Workspace) -> None:
    def twice() -> bool:
        first = raw_store.conn
        raw_store.release_thread()
        return raw_store.conn is not first

    assert _in_thread(twice)
    home = raw_store.conn
    raw_store.release_thread()  # the opening thread's connection stays
    assert raw_store.conn is home


def test_snapshot__private_copy_removed_after(raw_store: Workspace) -> None:
    raw_store.save_draft("before", "{}")
    folder = raw_store.path.parent
    with raw_store.snapshot() as copy:
        assert copy.path != raw_store.path and copy.path.parent == folder
        assert [d.key for d in copy.load_drafts()] == ["before"]
        copy.save_draft("only-in-copy", "{}")
        raw_store.save_draft("during", "{}")  # the workspace stays writable meanwhile
        assert b"only-in-copy" not in copy.path.read_bytes()  # encrypted with the same key
    assert sorted(d.key for d in raw_store.load_drafts()) == ["before", "during"]
    assert not copy.path.exists()
    assert sorted(p.name for p in folder.iterdir() if ".preview-" in p.name) == []


def test_open__removes_previews_a_killed_preview_left(fresh_store: Workspace) -> None:
    import os
    import time

    from store_helpers import PASSWORD

    folder, name = fresh_store.path.parent, fresh_store.path.name
    stale = folder / f".{name}.preview-0123456789ab"
    live = folder / f".{name}.preview-ba9876543210"
    other = folder / ".other.sdb.preview-0123456789ab"
    for p in (stale, live, other):
        p.write_bytes(b"encrypted copy")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    fresh_store.close()
    Workspace.open(fresh_store.path, "wang", PASSWORD).close()
    assert not stale.exists()
    assert live.exists() and other.exists()  # a running preview; another workspace's
