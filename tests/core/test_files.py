"""core/files.py: the zip end record is found exactly where Python's zipfile finds it (so the
limits apply to the numbers zipfile would act on), the key-file lock is exclusive between
threads and re-entrant in one, and only regular files are opened."""

from __future__ import annotations

import io
import os
import random
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from surveyapp.core.files import (
    check_zip_directory,
    exclusive,
    open_regular,
    read_input,
    zip_directory,
)
from surveyapp.errors import SurveyError


def _zip(members: int, comment: bytes = b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for i in range(members):
            zf.writestr(f"m{i}", b"x" * i)
        zf.comment = comment
    return out.getvalue()


@pytest.mark.parametrize("seed", range(40))
def test_end_record__the_one_zipfile_reads(seed: int) -> None:
    rng = random.Random(seed)
    comment = rng.choice([b"", b"hello", b"PK\x05\x06" + rng.randbytes(30), rng.randbytes(200)])
    data = bytearray(_zip(rng.randrange(0, 12), comment))
    if seed % 3 == 0 and data:  # damage something
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    src = io.BytesIO(bytes(data))
    expected = zipfile._EndRecData(io.BytesIO(bytes(data)))  # type: ignore[attr-defined]
    found = zip_directory(src)
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert (found.entries, found.size, found.offset) == (
        max(expected[3], expected[4]), expected[5], expected[6])


def test_limits__refused_with_the_callers_error() -> None:
    data = _zip(5)
    with pytest.raises(ValueError, match="5 entries"):
        check_zip_directory(io.BytesIO(data), max_entries=4, max_directory=4096,
                            allow_zip64=False, refuse=ValueError)
    with pytest.raises(ValueError, match="too large"):
        check_zip_directory(io.BytesIO(data), max_entries=9, max_directory=100,
                            allow_zip64=False, refuse=ValueError)
    check_zip_directory(io.BytesIO(data), max_entries=5, max_directory=4096,
                        allow_zip64=False, refuse=ValueError)


def test_lock__exclusive_between_threads_reentrant_in_one(tmp_path: Path) -> None:
    lock = tmp_path / "x.lock"
    inside: list[int] = []
    overlap: list[bool] = []

    def worker(n: int) -> None:
        with exclusive(lock), exclusive(lock):  # re-entrant: no self-deadlock
            inside.append(n)
            overlap.append(len(inside) > 1)
            time.sleep(0.02)
            inside.remove(n)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert overlap == [False] * 6


def test_lock__timeout_gives_the_callers_error(tmp_path: Path) -> None:
    lock = tmp_path / "x.lock"
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with exclusive(lock):
            held.set()
            release.wait(30)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(30)
    with pytest.raises(KeyError), exclusive(lock, timeout=0.1, on_timeout=KeyError):
        pass
    release.set()
    t.join(30)


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs: POSIX")
def test_open_regular__fifo_device_folder_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), tmp_path):
        with pytest.raises(LookupError):
            open_regular(path, not_regular=LookupError)
        with pytest.raises(SurveyError) as info:
            read_input(path, 10)
        assert info.value.code.name == "INPUT_005"
    regular = tmp_path / "f"
    regular.write_bytes(b"12345678901")
    with open_regular(regular, not_regular=LookupError) as fh:
        assert fh.read() == b"12345678901"
    with pytest.raises(SurveyError) as info:
        read_input(regular, 10)
    assert info.value.code.name == "INPUT_002"
