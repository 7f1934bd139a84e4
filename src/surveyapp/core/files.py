"""Small file helpers shared by the store, batches and the operations layer. No Qt.

    exclusive(path, *, timeout=60.0) -> context manager   # an exclusive lock on ``path``
    try_exclusive(path) -> context manager yielding bool     # the lock if free at once
    lock_handle(fh) / unlock_handle(fh)                      # the same on an open file
    open_regular(path, *, not_regular) -> BinaryIO           # refuse FIFOs, devices, folders
    write_private(path, data)                                # a new file, 0600, fsynced

Locks are advisory and cross-platform: ``fcntl.flock`` on POSIX (per open file, so two
threads of one process that open the file separately exclude each other too, and the lock
goes away with the process), ``msvcrt.locking`` on the first byte on Windows. Nothing here
is a new dependency.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

_POLL = 0.02


def _try_lock(fh: IO[bytes]) -> bool:
    """Take the exclusive lock on the open file ``fh`` if it is free; True when taken."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fh: IO[bytes]) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        with contextlib.suppress(OSError):
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    with contextlib.suppress(OSError):
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def lock_handle(fh: IO[bytes]) -> bool:
    """Lock an open file (a temporary file being written) if nobody else holds it."""
    return _try_lock(fh)


def unlock_handle(fh: IO[bytes]) -> None:
    _unlock(fh)


def _open_lock_file(path: Path) -> IO[bytes]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    return os.fdopen(fd, "r+b")


_held = threading.local()


@contextlib.contextmanager
def exclusive(path: Path, *, timeout: float = 60.0,
              on_timeout: Callable[[], BaseException] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the lock file ``path`` (created 0600 if missing).

    Re-entrant within one thread. Waits at most ``timeout`` seconds.

    :raises BaseException: ``on_timeout()`` (default ``TimeoutError``) when the lock stays
        taken; OSError when the lock file cannot be created.
    """
    key = str(Path(path).resolve())
    depth: dict[str, int] = getattr(_held, "depth", None) or {}
    _held.depth = depth
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    fh = _open_lock_file(Path(path))
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fh):
            if time.monotonic() >= deadline:
                raise on_timeout() if on_timeout is not None else TimeoutError(str(path))
            time.sleep(_POLL)
        depth[key] = 1
        try:
            yield
        finally:
            depth.pop(key, None)
            _unlock(fh)
    finally:
        fh.close()


@contextlib.contextmanager
def try_exclusive(path: Path) -> Iterator[bool]:
    """Yield True while holding the lock on the existing file ``path``, False when another
    process (or open file) holds it or the file cannot be opened."""
    try:
        fh = open(path, "r+b")  # closed below
    except OSError:
        yield False
        return
    try:
        taken = _try_lock(fh)
        try:
            yield taken
        finally:
            if taken:
                _unlock(fh)
    finally:
        fh.close()


def is_regular(st: os.stat_result) -> bool:
    return stat.S_ISREG(st.st_mode)


def open_regular(path: str | Path, *, not_regular: Callable[[], BaseException]) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file.

    A FIFO is opened without blocking (``O_NONBLOCK``) so that a pipe with no writer does not
    hang the caller; ``/dev/zero``, sockets, folders and other devices are refused before a
    single byte is read. The check is made on the opened handle (``fstat``), so the file
    cannot be swapped between the check and the read.

    :raises BaseException: ``not_regular()`` for anything but a regular file; OSError
        (FileNotFoundError, PermissionError, …) from ``open`` itself.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not is_regular(os.stat(path)):
        # Never open a device or pipe at all on Windows (no O_NONBLOCK there).
        raise not_regular()
    fd = os.open(path, flags)
    try:
        if not is_regular(os.fstat(fd)):
            raise not_regular()
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to the new file ``path`` readable by its owner only (0600), fsynced.

    :raises OSError: FileExistsError when ``path`` exists; disk errors.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
