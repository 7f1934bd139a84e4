"""Small file helpers shared by the store, batches and the operations layer. No Qt.

    exclusive(path, *, timeout=60.0) -> context manager   # an exclusive lock on ``path``
    try_exclusive(path) -> context manager yielding bool     # the lock if free at once
    lock_handle(fh) / unlock_handle(fh)                      # the same on an open file
    open_regular(path, *, not_regular) -> BinaryIO           # refuse FIFOs, devices, folders
    open_input(path) -> BinaryIO          # the same with the common coded errors
    read_input(path, limit) -> bytes      # a whole small input file, bounded
    zip_directory(src) -> ZipDirectory | None                # a zip's end record, read alone
    check_zip_directory(src, *, max_entries, max_directory, allow_zip64, refuse)
    write_private(path, data)                                # a new file, 0600, fsynced
    create_private(path) -> BinaryIO                         # a new file 0600, to write
    hold_temp(fh) / clean_stale(folder, patterns)            # temporaries of a killed export

Locks are advisory and cross-platform: ``fcntl.flock`` on POSIX (per open file, so two
threads of one process that open the file separately exclude each other too, and the lock
goes away with the process), ``msvcrt.locking`` on the first byte on Windows. Nothing here
is a new dependency.
"""

from __future__ import annotations

import contextlib
import os
import stat
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


def hold_temp(fh: IO[bytes]) -> None:
    """Mark a temporary file as in use while it is written, so that :func:`clean_stale` in
    another export leaves it alone (POSIX: a ``flock`` that dies with the process). On
    Windows nothing is needed: a file open in another process cannot be deleted there."""
    if sys.platform != "win32":
        _try_lock(fh)


def clean_stale(folder: Path, patterns: tuple[str, ...]) -> list[str]:
    """Remove what a killed export left in ``folder``: files (and folders) whose names
    match ``patterns`` and that no running export holds (:func:`hold_temp`; a folder is
    held through its ``.lock`` file). Failures are ignored. Returns the names removed."""
    import fnmatch
    import shutil

    removed: list[str] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not any(fnmatch.fnmatchcase(entry.name, pat) for pat in patterns):
            continue
        try:
            if entry.is_symlink():
                continue
            if entry.is_dir():
                lock = entry / ".lock"
                if sys.platform == "win32":  # pragma: no cover - Windows only
                    # The running export keeps its .lock open: it cannot be deleted then.
                    lock.unlink(missing_ok=True)
                    shutil.rmtree(entry, ignore_errors=True)
                    removed.append(entry.name)
                    continue
                with try_exclusive(lock) as free:
                    if free or not lock.exists():
                        shutil.rmtree(entry, ignore_errors=True)
                        removed.append(entry.name)
                continue
            if sys.platform == "win32":  # pragma: no cover - Windows only
                entry.unlink()  # fails while the export that writes it has it open
                removed.append(entry.name)
                continue
            with try_exclusive(entry) as free:
                if free:
                    entry.unlink()
                    removed.append(entry.name)
        except OSError:
            continue
    return removed


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


def open_input(path: str | Path) -> BinaryIO:
    """Open a file the user chose (a batch, relay, down file, receipt, form, answers…)
    for reading, refusing anything but a regular file at once.

    :raises SurveyError: IO_002 missing; INPUT_005 a FIFO, device, socket or folder;
        IO_004 unreadable.
    """
    from surveyapp.errors import CommonCode, SurveyError

    def refused() -> SurveyError:
        return SurveyError(CommonCode.INPUT_005, path=str(path))

    try:
        return open_regular(path, not_regular=refused)
    except FileNotFoundError as err:
        raise SurveyError(CommonCode.IO_002, path=str(path)) from err
    except OSError as err:
        raise SurveyError(CommonCode.IO_004, path=str(path),
                          reason=err.strerror or str(err)) from err


def read_input(path: str | Path, limit: int) -> bytes:
    """The whole content of a small input file, refused (INPUT_002) beyond ``limit`` bytes
    without reading more than ``limit + 1``.

    :raises SurveyError: as :func:`open_input`; INPUT_002 too large.
    """
    from surveyapp.errors import CommonCode, SurveyError

    with open_input(path) as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as err:
            raise SurveyError(CommonCode.IO_004, path=str(path),
                              reason=err.strerror or str(err)) from err
    if len(data) > limit:
        raise SurveyError(CommonCode.INPUT_002, path=str(path), size=f"> {limit}", limit=limit)
    return data


def create_private(path: Path) -> BinaryIO:
    """A new file ``path`` open for writing (and reading), readable by its owner only.

    :raises OSError: FileExistsError when ``path`` exists; disk errors.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    return os.fdopen(fd, "w+b")


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


# --- the zip end of central directory record, read before zipfile parses anything ----------
_EOCD = struct.Struct("<4s4H2LH")  # APPNOTE 4.3.16
_EOCD_SIG = b"PK\x05\x06"
_LOCATOR = struct.Struct("<4sLQL")  # zip64 end of central directory locator, 4.3.15
_LOCATOR_SIG = b"PK\x06\x07"
_EOCD64 = struct.Struct("<4sQ2H2L4Q")  # zip64 end of central directory record, 4.3.14
_EOCD64_SIG = b"PK\x06\x06"


@dataclass(frozen=True, slots=True)
class ZipDirectory:
    """What a zip's end record claims about its central directory."""

    entries: int  # the larger of "entries on this disk" and "entries in all"
    size: int  # bytes of the central directory
    offset: int
    zip64: bool


def zip_directory(src: BinaryIO) -> ZipDirectory | None:
    """The end record of the zip ``src``, found exactly where Python's ``zipfile`` looks for
    it (the last 22 bytes, else the last match within 64 KiB, then a zip64 locator just
    before it), so that the numbers are the ones ``zipfile`` would act on. None when there is
    no end record (``zipfile`` then refuses the file by itself, reading nothing more).

    Reads at most 64 KiB + 98 bytes, whatever the file claims.
    """
    size = src.seek(0, os.SEEK_END)
    if size < _EOCD.size:
        return None
    src.seek(size - _EOCD.size)
    last = src.read(_EOCD.size)
    if last[:4] == _EOCD_SIG and last[-2:] == b"\0\0":
        record, at = last, size - _EOCD.size
    else:
        start = max(size - (1 << 16) - _EOCD.size, 0)
        src.seek(start)
        data = src.read(size - start)
        found = data.rfind(_EOCD_SIG)
        if found < 0 or len(data) - found < _EOCD.size:
            return None
        record, at = data[found:found + _EOCD.size], start + found
    _, _, _, this_disk, total, cd_size, cd_offset, _ = _EOCD.unpack(record)
    directory = ZipDirectory(max(this_disk, total), cd_size, cd_offset, False)
    if at < _LOCATOR.size + _EOCD64.size:
        return directory
    src.seek(at - _LOCATOR.size)
    sig, _, _, _ = _LOCATOR.unpack(src.read(_LOCATOR.size))
    if sig != _LOCATOR_SIG:
        return directory
    src.seek(at - _LOCATOR.size - _EOCD64.size)
    fields = _EOCD64.unpack(src.read(_EOCD64.size))
    if fields[0] != _EOCD64_SIG:
        return directory
    return ZipDirectory(max(fields[6], fields[7]), fields[8], fields[9], True)


def check_zip_directory(src: BinaryIO, *, max_entries: int, max_directory: int,
                        allow_zip64: bool, refuse: Callable[[str], BaseException]) -> None:
    """Refuse a zip whose end record claims more entries, or a larger central directory,
    than the caller's format allows, before ``zipfile`` reads the directory into memory
    (it builds an object per entry: millions of claimed entries cost gigabytes).

    :raises BaseException: ``refuse(reason)``. Leaves ``src`` at an unspecified position.
    """
    found = zip_directory(src)
    if found is None:
        return
    if found.zip64 and not allow_zip64:
        raise refuse("ZIP64 is not used by this format")
    if found.entries > max_entries:
        raise refuse(f"the zip directory claims {found.entries} entries "
                     f"(this format has at most {max_entries})")
    if found.size > max_directory:
        raise refuse(f"the zip directory is too large ({found.size} bytes)")
