"""Two ways to fill a disk for the hardening tests.

- ``tiny_disk(folder, size)``: a real tmpfs of ``size`` mounted on ``folder`` (the kernel
  itself answers ENOSPC, for C code such as SQLCipher too). Needs mount rights (CI runs as
  root); without them the caller skips.
- ``enospc_after(limit, under)``: patches ``io.open``/``builtins.open`` so that files opened
  for writing below the folder ``under`` (by path, or by descriptor as ``tempfile`` does)
  raise ``OSError(ENOSPC)`` once ``limit`` bytes have been written in total (Python-level
  writers: csv, zipfile, xlsxwriter, the batch writer). Runs on Linux without mount rights.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def tiny_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise PermissionError(done.stderr.decode("utf-8", "replace").strip())
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill(folder: Path, leave: int) -> None:
    """Write a filler file so that only about ``leave`` bytes stay free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with open(folder / ".filler", "wb") as fh:
        with contextlib.suppress(OSError):
            fh.write(b"\0" * max(0, free - leave))


class _Budget:
    def __init__(self, limit: int) -> None:
        self.left = limit
        self.tripped = False


class _FullFile:
    """A file object whose writes fail with ENOSPC once the shared budget is spent."""

    def __init__(self, raw: Any, budget: _Budget) -> None:
        self._raw = raw
        self._budget = budget

    def write(self, data: Any) -> int:
        size = len(data)
        if size > self._budget.left:
            self._budget.tripped = True
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._budget.left -= size
        return int(self._raw.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def __enter__(self) -> _FullFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._raw.close()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._raw)


@contextlib.contextmanager
def enospc_after(limit: int, under: Path) -> Iterator[_Budget]:
    real_open = io.open
    budget = _Budget(limit)
    root = str(under.resolve())

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        writing = any(c in mode for c in "wax+")
        if isinstance(file, int):  # tempfile opens a descriptor: find its path
            where = os.readlink(f"/proc/self/fd/{file}")
        elif isinstance(file, str | os.PathLike):
            where = str(Path(os.fspath(file)).resolve())
        else:
            return handle
        if writing and where.startswith(root):
            return _FullFile(handle, budget)
        return handle

    io.open = fake_open  # type: ignore[assignment]
    builtins.open = fake_open  # type: ignore[assignment]
    try:
        yield budget
    finally:
        io.open = real_open
        builtins.open = real_open
