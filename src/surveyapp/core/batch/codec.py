"""The batch container (docs/batch-format.md §1): bytes ⇄ members, no crypto.

``open_container(src, path=...) -> Container`` reads and checks a zip with exactly the four
members in order, bounded sizes and no surprises; ``write_container(dst, ...)`` writes one
deterministically (fixed member times and attributes), so decode → encode gives the same
bytes. Errors are the spec's distinct exceptions (:mod:`.codes`).
"""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from surveyapp.core.batch.codes import (
    HeaderError,
    SignatureFailure,
    Truncated,
    UnsupportedVersion,
)
from surveyapp.core.batch.digests import BlockDigests
from surveyapp.core.files import check_zip_directory

MAGIC_NAME = "surveyapp-batch"
VERSION = "surveyapp.batch/v1"
VERSION_LINE = (VERSION + "\n").encode("ascii")
MANIFEST = "manifest.json"
SIGNATURE = "manifest.minisig"
PAYLOAD = "payload.age"
MEMBERS = (MAGIC_NAME, MANIFEST, SIGNATURE, PAYLOAD)
LIMITS = {MAGIC_NAME: 64, MANIFEST: 1 << 20, SIGNATURE: 4096, PAYLOAD: 0xFFFFFFFF - 4096}
_EPOCH = (1980, 1, 1, 0, 0, 0)
_DOS_DATE = 33  # 1980-01-01
_ATTR = 0o644 << 16
_LOCAL = b"PK\x03\x04"
_EOCD_SIZE = 22
# The payload is read in blocks of this size: large enough that per-block work is
# negligible, small enough to stay in the CPU's L2 cache between reading and decrypting
# (measured: 0.5-1 MiB is fastest; 4 MiB is 25% slower).
BLOCK = 1 << 20
THREADED_MIN = 4 << 20
# The central directory of a v1 batch is 4 entries of 46 bytes and a short name (239 bytes
# in all); anything much larger is refused before zipfile reads it (docs/batch-format.md §6).
MAX_DIRECTORY = 4096
_CENTRAL = 46


def _cut_short(src: BinaryIO, size: int) -> bool:
    """For a file that starts like a batch but that zipfile cannot open: True when it ends
    before its members and their directory would (a copy cut short), False when they all
    fit and the zip structure itself is damaged (bit flips), which is not a truncation."""
    offset, directory = 0, _EOCD_SIZE
    for _ in MEMBERS:
        src.seek(offset)
        head = src.read(30)
        if len(head) < 30:
            return True
        if head[:4] != _LOCAL:
            return False
        name_len, extra_len = struct.unpack("<2H", head[26:30])
        (stored,) = struct.unpack("<L", head[18:22])
        offset += 30 + name_len + extra_len + stored
        directory += _CENTRAL + name_len
        if offset > size:
            return True
    return size < offset + directory


def _looks_like_batch(head: bytes) -> bool:
    """True when ``head`` starts with a zip local header for the magic member."""
    name = MAGIC_NAME.encode("ascii")
    if len(head) < 30 or head[:4] != _LOCAL:
        return False
    (name_len,) = struct.unpack("<H", head[26:28])
    return name_len == len(name) and head[30 : 30 + len(name)].startswith(name[: len(head) - 30])


class PayloadReader:
    """The payload member's bytes read straight from the container file by offset, in
    blocks, each digested (SHA-256 and CRC-32) as it is read, on a worker thread for a
    large payload so that this overlaps the caller's decryption (see :mod:`.digests`). The
    caller compares the hash with the signed manifest and the CRC-32 with the frame's."""

    def __init__(self, src: BinaryIO, offset: int, size: int, *, block: int = BLOCK,
                 threaded: bool | None = None) -> None:
        """:param threaded: hash on a worker thread; by default when ``size`` is over
        :data:`THREADED_MIN`."""
        self._src, self._pos, self._left, self._block = src, offset, size, block
        self._digests = BlockDigests(
            threaded=size > THREADED_MIN if threaded is None else threaded)

    def read_block(self) -> bytes:
        """The next block (at most ``block`` bytes), hashed; ``b""`` at the end."""
        n = min(self._block, self._left)
        if n <= 0:
            return b""
        self._src.seek(self._pos)
        data = self._src.read(n)
        if not data:
            return b""
        self._digests.update(data)
        self._pos += len(data)
        self._left -= len(data)
        return data

    def blocks(self) -> Iterator[bytes]:
        while data := self.read_block():
            yield data

    def drain(self) -> str:
        """Read (and hash) whatever is left; return the hex digest of the whole payload."""
        while self.read_block():
            pass
        return self._digests.hexdigest()

    def crc32(self) -> int:
        """The CRC-32 of what was read (call after :meth:`drain`)."""
        return self._digests.crc32()

    @property
    def short(self) -> bool:
        return self._left > 0

    def close(self) -> None:
        self._digests.close()

    def __enter__(self) -> PayloadReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(slots=True)
class Container:
    """An opened batch container; the payload stays in the file until read."""

    manifest: bytes
    signature: bytes
    payload_size: int
    _zf: zipfile.ZipFile
    path: str
    _src: BinaryIO
    payload_offset: int
    payload_crc: int
    _owned: BinaryIO | None = None

    def open_payload(self) -> BinaryIO:
        """The ``payload.age`` member as a stream (zip CRC checked at its end)."""
        return self._zf.open(PAYLOAD)  # type: ignore[return-value]

    def open_payload_raw(self, *, threaded: bool | None = None) -> PayloadReader:
        """The payload bytes straight from the file, digested as they are read (one pass,
        instead of zipfile's CRC pass and another for the hash)."""
        return PayloadReader(self._src, self.payload_offset, self.payload_size,
                             threaded=threaded)

    def read_payload(self) -> bytes:
        with self.open_payload() as fh:
            return fh.read()

    def close(self) -> None:
        self._zf.close()
        if self._owned is not None:
            self._owned.close()

    def __enter__(self) -> Container:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str) -> bytes:
    return read_member(zf, info, path, LIMITS[info.filename])


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, limit: int) -> bytes:
    """One member's bytes with the container's member checks, for batches and for the relay
    and down files (``ops.relay``): stored (not compressed) and not encrypted, its declared
    size at most ``limit`` and equal to its stored size, and read in full.

    :raises HeaderError: compressed, encrypted, too large, sizes that disagree, damaged.
    :raises Truncated: the member ends before its declared size.
    """
    if info.flag_bits & 0x1 or info.compress_type != zipfile.ZIP_STORED:
        raise HeaderError(path=path, reason=f"{info.filename} is compressed or encrypted")
    if info.file_size > limit or info.compress_size != info.file_size:
        raise HeaderError(path=path, reason=f"{info.filename} has a bad size")
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except EOFError as err:
        raise Truncated(path=path, reason=f"{info.filename} ends early") from err
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as err:
        raise HeaderError(path=path, reason=f"{info.filename}: {err}") from err
    if len(data) != info.file_size:
        raise Truncated(path=path, reason=f"{info.filename} is short")
    return data


def _read_signed(src: BinaryIO, info: zipfile.ZipInfo, path: str) -> bytes:
    """A signed member's bytes, read at the place the canonical frame puts them. A CRC-32
    mismatch means the signed content was changed: a signature failure, not a bad zip."""
    src.seek(info.header_offset + 30 + len(info.filename))
    data = src.read(info.file_size)
    if len(data) != info.file_size:
        raise Truncated(path=path, reason=f"{info.filename} is short")
    if zlib.crc32(data) != info.CRC:
        raise SignatureFailure(path=path, device="?")
    return data


def _check_members(infos: list[zipfile.ZipInfo], size: int, path: str) -> None:
    names = [i.filename for i in infos]
    if names != list(MEMBERS):
        raise HeaderError(path=path, reason=f"unexpected members {names[:6]}")
    end = 0
    for info in infos:
        if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
            raise HeaderError(path=path, reason=f"{info.filename} is compressed or encrypted")
        if info.file_size > LIMITS[info.filename] or info.compress_size != info.file_size:
            raise HeaderError(path=path, reason=f"{info.filename} has a bad size")
        if info.header_offset < end:
            raise HeaderError(path=path, reason="overlapping members")
        end = info.header_offset + 30 + len(info.filename) + info.file_size
    if end > size:
        raise Truncated(path=path, reason="a member runs past the end of the file")


def _frame(infos: list[zipfile.ZipInfo]) -> tuple[list[tuple[int, bytes]], int]:
    """The exact bytes a v1 writer puts around the member data: (offset, bytes) pieces and
    the file size. Every byte of a batch is either here or member data (covered by CRC-32,
    the signature and the payload hash), so any change to a batch is caught."""
    pieces: list[tuple[int, bytes]] = []
    central: list[bytes] = []
    offset = 0
    for info in infos:
        name, size = info.filename.encode("ascii"), info.file_size
        local = struct.pack("<4s5H3L2H", _LOCAL, 20, 0, 0, 0, _DOS_DATE, info.CRC, size, size,
                            len(name), 0) + name
        pieces.append((offset, local))
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20 | (3 << 8), 20, 0, 0, 0,
                                   _DOS_DATE, info.CRC, size, size, len(name), 0, 0, 0, 0,
                                   _ATTR, offset) + name)
        offset += len(local) + size
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(infos), len(infos), len(directory),
                      offset, 0)
    pieces.append((offset, directory + end))
    return pieces, offset + len(directory) + len(end)


def _check_frame(src: BinaryIO, infos: list[zipfile.ZipInfo], size: int, path: str) -> None:
    pieces, expected = _frame(infos)
    if size != expected:
        raise HeaderError(path=path, reason="unexpected bytes in the container")
    for offset, want in pieces:
        src.seek(offset)
        if src.read(len(want)) != want:
            raise HeaderError(path=path, reason="the container is not in canonical form")


def open_container(src: BinaryIO, *, path: str = "?", owns_src: bool = False) -> Container:
    """Open and check a batch container (rules 1–3 of the spec).

    :param src: a seekable binary file (kept open by the returned container).
    :param owns_src: close ``src`` when the container is closed (or fails to open).
    :raises HeaderError: not a zip / wrong members / limits.
    :raises UnsupportedVersion: a batch of another format version.
    :raises Truncated: a batch cut short.
    """
    try:
        container = _open(src, path)
    except BaseException:
        if owns_src:
            src.close()
        raise
    if owns_src:
        container._owned = src
    return container


def _open(src: BinaryIO, path: str) -> Container:
    try:
        head = src.read(64)
        size = src.seek(0, io.SEEK_END)
        src.seek(0)
        # Rule 1 before zipfile reads the directory: at most the format's 4 entries in a
        # small directory (a claim of millions would cost gigabytes of ZipInfo objects).
        check_zip_directory(src, max_entries=len(MEMBERS), max_directory=MAX_DIRECTORY,
                            allow_zip64=False,
                            refuse=lambda reason: HeaderError(path=path, reason=reason))
        src.seek(0)
    except (OSError, ValueError, struct.error) as err:
        raise HeaderError(path=path, reason=str(err)) from err
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError) as err:
        if _looks_like_batch(head):
            try:
                short = _cut_short(src, size)
            except (OSError, ValueError):
                short = True
            if short:
                raise Truncated(path=path, reason="the end of the file is missing") from err
            raise HeaderError(path=path, reason="the zip directory is damaged") from err
        raise HeaderError(path=path, reason="not a zip file") from err
    try:
        infos = zf.infolist()
        if not infos or infos[0].filename != MAGIC_NAME or len(infos) > 16:
            raise HeaderError(path=path, reason="no surveyapp-batch member first")
        if infos[0].file_size > LIMITS[MAGIC_NAME]:
            raise HeaderError(path=path, reason="version line too long")
        line = _read_member(zf, infos[0], path)
        if line != VERSION_LINE:
            if line.startswith(b"surveyapp.batch/"):
                version = line.strip().decode("ascii", "replace")[:40]
                raise UnsupportedVersion(path=path, version=version)
            raise HeaderError(path=path, reason="bad version line")
        _check_members(infos, size, path)
        _check_frame(src, infos, size, path)
        manifest = _read_signed(src, infos[1], path)
        signature = _read_signed(src, infos[2], path)
        offset = infos[3].header_offset + 30 + len(PAYLOAD)
        return Container(manifest, signature, infos[3].file_size, zf, path, src, offset,
                         infos[3].CRC)
    except BaseException:
        zf.close()
        raise


def decode(data: bytes, *, path: str = "?") -> Container:
    """:func:`open_container` over bytes in memory."""
    return open_container(io.BytesIO(data), path=path)


def _info(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.external_attr = _ATTR
    info.file_size = size
    return info


def write_container(dst: BinaryIO, *, manifest: bytes, signature: bytes, payload: BinaryIO,
                    payload_size: int, version_line: bytes = VERSION_LINE) -> None:
    """Write the four members in order into the seekable ``dst``.

    :param payload: the age file, read to its end; ``payload_size`` bytes.
    """
    with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, data in ((MAGIC_NAME, version_line), (MANIFEST, manifest),
                           (SIGNATURE, signature)):
            with zf.open(_info(name, len(data)), "w") as out:
                out.write(data)
        with zf.open(_info(PAYLOAD, payload_size), "w") as out:
            shutil.copyfileobj(payload, out, 1 << 20)


def encode(*, manifest: bytes, signature: bytes, payload: bytes,
           version_line: bytes = VERSION_LINE) -> bytes:
    """The container bytes for in-memory members (vectors, tests)."""
    out = io.BytesIO()
    write_container(out, manifest=manifest, signature=signature, payload=io.BytesIO(payload),
                    payload_size=len(payload), version_line=version_line)
    return out.getvalue()
