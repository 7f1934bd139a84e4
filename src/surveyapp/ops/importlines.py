"""The per-revision work of a batch import, done once per line, on a second process when
it pays (docs/store.md, "Issue 16: the import's worker process").

A revision line of a batch is parsed and checked once: canonical JSON and its id (the
SHA-256 of the line, ``Revision.parsed``), and what rule 11 reads of it
(``core.batch.authorize.line_digest``); the importer then checks the slice against its
signer (``Authorizer.checked``) and stores the revisions (``Workspace.insert_revisions``).

    prepare(lines) -> Slice               # here, in this process
    with session(): ...                   # one worker for the imports inside (import_all)
    preparer(path, revisions) -> Local | Worker   # for one batch: .submit(lines),
        .result(lines) -> Slice (in order), .abandon() after an error; .ahead

A line that is not a canonical revision gets no revision and no digest (``None``): the
importer reads it again its own way (``Authorizer.digest``: BATCH_010 when it is not JSON)
and, when the slice passes rule 11, refuses the batch as damaged, as the store would.

The worker (:class:`Worker`) is a plain child interpreter running :func:`serve`, as the
ledger import's second process (``ops.ledgerin``): slices of lines go to it on its stdin
(a writer thread, so that neither side waits on a full pipe), and for each line it sends
back the revision's fields, its digest and, for a child revision, its view row
(``views.row_values`` without the conflict flag, which only the store knows), marshalled.
The importer sends ``AHEAD`` slices before it stores the first, so that both cores work.
It is used when asked (``SURVEYAPP_IMPORT_WORKER``: ``1`` always, ``0`` never; for tests)
or for a batch of ``WORKER_AT`` revisions or more when the load average leaves a core
free, never in a frozen (packaged) app. A worker that dies is IMPORT_002 (nothing is
stored: the import's transaction rolls back); an error or a cancel kills it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from queue import SimpleQueue
from typing import IO, Any

from surveyapp.core.batch.authorize import Digest, line_digest
from surveyapp.core.store.revisions import Revision
from surveyapp.core.store.views import LazyData, row_values
from surveyapp.errors import SurveyError
from surveyapp.ops.codes import ImportCode
from surveyapp.ops.cores import core_free

ENV = "SURVEYAPP_IMPORT_WORKER"  # "1": always a worker, "0": never (tests)
WORKER_AT = 5_000  # revisions of a batch from which a worker pays for itself
AHEAD = 3  # slices sent to the worker before the first of them is stored
_HEAD = 8  # bytes of a frame's length


@dataclass(slots=True)
class Slice:
    """One slice of revision lines, parsed: per line its revision and rule-11 digest (None
    for a line that is not a canonical revision), and the view rows worked out already."""

    lines: list[bytes]
    revs: list[Revision | None]
    digests: list[Digest | None]
    #: child revision id → its view row (``views.row_values`` with conflict 0)
    rows: dict[str, tuple[Any, ...]] = field(default_factory=dict)


def prepare(lines: list[bytes]) -> Slice:
    """Parse and check each line once, in this process."""
    revs: list[Revision | None] = []
    digests: list[Digest | None] = []
    for line in lines:
        try:
            rev, content = Revision.parsed(line)
            digest = line_digest(rev.id, content)
        except (SurveyError, KeyError, TypeError):
            revs.append(None)
            digests.append(None)
            continue
        revs.append(rev)
        digests.append(digest)
    return Slice(lines, revs, digests)


# --- the worker's side ---------------------------------------------------------------------
# What the worker sends for one line: None (not a canonical revision), or (id, kind,
# record_id, parents, form_id, form_version, author, device_id, created_at, digest, view
# row or None).
Fields = tuple[Any, ...] | None


def _work(line: bytes) -> Fields:
    try:
        rev, content = Revision.parsed(line)
        digest = line_digest(rev.id, content)
    except (SurveyError, KeyError, TypeError):
        return None
    row: tuple[Any, ...] | None = None
    if rev.kind == "child":
        try:
            row = row_values(rev, False)
        except Exception:  # the store works it out again (and fails there, as it would)
            row = None
    return (rev.id, rev.kind, rev.record_id, rev.parents, rev.form_id, rev.form_version,
            rev.author, rev.device_id, rev.created_at, digest, row)


def _read_frame(src: IO[bytes]) -> bytes | None:
    head = src.read(_HEAD)
    if len(head) < _HEAD:
        return None
    size = int.from_bytes(head, "little")
    data = src.read(size)
    if len(data) < size:
        return None
    return data


def _frame(payload: bytes) -> bytes:
    return len(payload).to_bytes(_HEAD, "little") + payload


def serve() -> None:
    """The worker process: read slices of lines (marshalled lists of bytes, each framed by
    its length) from stdin until it closes, and answer each with ``("ok", [Fields, ...])``;
    anything unexpected as ``("failed", text)``. Whatever else would print goes to
    stderr."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not break the stream
    src = sys.stdin.buffer
    try:
        while (data := _read_frame(src)) is not None:
            lines = marshal.loads(data)  # noqa: S302 - from the importing process
            out.write(_frame(marshal.dumps(("ok", [_work(line) for line in lines]))))
            out.flush()
    except Exception as err:  # reported to the importing process as IMPORT_002
        with contextlib.suppress(OSError):
            out.write(_frame(marshal.dumps(("failed", f"{type(err).__name__}: {err}"[:300]))))
    finally:
        with contextlib.suppress(OSError):
            out.close()


# --- the importer's side -------------------------------------------------------------------
class Local:
    """The per-line work done here, when the slice is stored (no worker)."""

    ahead = 0

    def submit(self, lines: list[bytes]) -> None:
        pass

    def result(self, lines: list[bytes]) -> Slice:
        return prepare(lines)

    def abandon(self) -> None:
        pass


def _revision(line: bytes, f: tuple[Any, ...]) -> Revision:
    """The revision the worker checked, its data parsed from ``line`` when first read."""
    return Revision(id=f[0], kind=f[1], record_id=f[2], parents=f[3], form_id=f[4],
                    form_version=f[5], author=f[6], device_id=f[7], created_at=f[8],
                    data=LazyData(line), body=line)


class Worker:
    """A worker process (see the module docstring); slices come back in the order sent."""

    ahead = AHEAD

    def __init__(self, path: str) -> None:
        import surveyapp

        self.path = path
        env = dict(os.environ)
        root = str(Path(surveyapp.__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from surveyapp.ops.importlines import serve; serve()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, creationflags=flags)
        except OSError as err:
            raise SurveyError(ImportCode.IMPORT_002, path=path,
                              reason=err.strerror or str(err)) from err
        self.outstanding = 0
        self._frames: SimpleQueue[bytes | None] = SimpleQueue()
        self._writer = threading.Thread(target=self._write, name="import-worker-feed",
                                        daemon=True)
        self._writer.start()

    def _write(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None  # noqa: S101 - PIPE above
        try:
            while (frame := self._frames.get()) is not None:
                stdin.write(frame)
                stdin.flush()
        except (OSError, ValueError):
            pass  # a dead worker: the importer reads its end and reports it
        finally:
            with contextlib.suppress(OSError, ValueError):
                stdin.close()

    def submit(self, lines: list[bytes]) -> None:
        self.outstanding += 1
        self._frames.put(_frame(marshal.dumps(lines)))

    def result(self, lines: list[bytes]) -> Slice:
        """The oldest slice sent (``lines``), parsed by the worker.

        :raises SurveyError: IMPORT_002 when the worker stopped.
        """
        stdout = self.process.stdout
        assert stdout is not None  # noqa: S101 - PIPE above
        try:
            data = _read_frame(stdout)
        except (OSError, ValueError):
            data = None
        if data is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
            raise SurveyError(ImportCode.IMPORT_002, path=self.path,
                              reason=f"exit code {self.process.returncode}")
        kind, payload = marshal.loads(data)  # noqa: S302 - our own child's
        if kind != "ok" or len(payload) != len(lines):
            raise SurveyError(ImportCode.IMPORT_002, path=self.path, reason=str(payload)[:300])
        self.outstanding -= 1
        revs: list[Revision | None] = []
        digests: list[Digest | None] = []
        rows: dict[str, tuple[Any, ...]] = {}
        for line, f in zip(lines, payload, strict=True):
            if f is None:
                revs.append(None)
                digests.append(None)
                continue
            revs.append(_revision(line, f))
            digests.append(f[9])
            if f[10] is not None:
                rows[f[0]] = f[10]
        return Slice(lines, revs, digests, rows)

    def abandon(self) -> None:
        """After an error (or a cancel) with slices still out: the worker is killed."""
        if self.outstanding:
            self.close(kill=True)
            _forget(self)

    def close(self, *, kill: bool = False) -> None:
        """Stop the worker: end its input and let it finish, or kill it."""
        if kill and self.process.poll() is None:
            self.process.kill()
        self._frames.put(None)
        try:
            self.process.wait(None if kill else 10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._writer.join(5)
        if self.process.stdout is not None:
            self.process.stdout.close()


@dataclass(slots=True)
class _Session:
    worker: Worker | None = None


_SESSION: ContextVar[_Session | None] = ContextVar("surveyapp_import_worker", default=None)


@contextlib.contextmanager
def session() -> Iterator[None]:
    """One worker, started when first wanted, for every batch imported inside (the files
    of ``import_all``); stopped at the end. Nested sessions are the outer one."""
    if _SESSION.get() is not None:
        yield
        return
    current = _Session()
    token = _SESSION.set(current)
    try:
        yield
    finally:
        _SESSION.reset(token)
        if current.worker is not None:
            current.worker.close(kill=current.worker.outstanding > 0)


def _forget(worker: Worker) -> None:
    current = _SESSION.get()
    if current is not None and current.worker is worker:
        current.worker = None


def wanted(revisions: int) -> bool:
    """Whether a batch of ``revisions`` is parsed on a worker: asked (``ENV``), or a large
    batch and a core to spare (the load average of the last minute leaves one free: with
    none, the two processes would take turns on one core and lose the time they exchange
    lines in; that average counts this process too, busy with the preview the UI runs
    just before an import, hence no further margin); never in a frozen (packaged) app,
    which would start itself as the child."""
    forced = os.environ.get(ENV, "")
    if forced in ("0", "1"):
        return forced == "1"
    return revisions >= WORKER_AT and core_free(1)


def preparer(path: str, revisions: int) -> Local | Worker:
    """Who parses the lines of one batch of ``revisions``: the session's worker (started
    now when wanted), else this process. Must be used inside :func:`session`."""
    current = _SESSION.get()
    if current is None:
        return Local()
    if current.worker is not None and current.worker.process.poll() is None:
        current.worker.path = path  # the file its errors name
        return current.worker
    if not wanted(revisions):
        return Local()
    current.worker = Worker(path)
    return current.worker


__all__ = ["AHEAD", "ENV", "WORKER_AT", "Local", "Slice", "Worker", "prepare", "preparer",
           "serve", "session", "wanted"]
