"""Hostile zip files built byte by byte from the zip format (APPNOTE 4.3), as an outsider
would: a real ``surveyapp-batch`` first member, then a central directory that repeats its
entry ``entries`` times, so that Python's zipfile, were it to parse the directory, would
build ``entries`` ZipInfo objects (about 1 KB each)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

NAME = b"surveyapp-batch"
DATA = b"surveyapp.batch/v1\n"


def hostile_zip(path: Path, entries: int, *, zip64: bool) -> Path:
    """Write the file; with ``zip64`` the end record is a ZIP64 one claiming ``entries``,
    without it the classic record says 65,535 (its largest) and the directory size is true."""
    crc = zlib.crc32(DATA)
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 33, crc, len(DATA),
                        len(DATA), len(NAME), 0) + NAME + DATA
    entry = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 0x314, 20, 0, 0, 0, 33, crc, len(DATA),
                        len(DATA), len(NAME), 0, 0, 0, 0, 0o644 << 16, 0) + NAME
    size, offset = len(entry) * entries, len(local)
    if zip64:
        tail = (struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries,
                            size, offset)
                + struct.pack("<4sLQL", b"PK\x06\x07", 0, offset + size, 1)
                + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                              0xFFFFFFFF, 0))
    else:
        count = min(entries, 0xFFFF)
        tail = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, size, offset, 0)
    with path.open("wb") as fh:
        fh.write(local)
        block = entry * 10_000
        for _ in range(entries // 10_000):
            fh.write(block)
        fh.write(entry * (entries % 10_000))
        fh.write(tail)
    return path
