"""Writing batches (docs/batch-format.md): payload lines → age → signed manifest → zip.

Public API::

    write_batch(out_dir, source, key, *, sequence, previous, recipients, full=False,
                progress=None, cancel=None) -> WrittenBatch
    encode_batch(source, key, *, ...) -> (bytes, Manifest)     # in memory (vectors, tests)

``source`` is a :class:`BatchSource`: who signs, and the revisions and audit entries. The
file is written to a temporary name in ``out_dir``, fsynced, then renamed: a file with the
final name is always whole.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from surveyapp.core.batch.codec import write_container
from surveyapp.core.batch.codes import BatchCode
from surveyapp.core.batch.manifest import Manifest, batch_hash
from surveyapp.core.crypto import age, minisign
from surveyapp.core.files import clean_stale, hold_temp
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.store.revisions import Revision, utc_now
from surveyapp.errors import CommonCode, SurveyError

# The temporary files of an export, removed by the next export when no export holds them.
STALE = (".surveyapp-payload-*.tmp", ".surveyapp-batch-*.tmp")

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class BatchSource:
    """What goes into one batch. ``total`` (revisions + audit) is only for progress."""

    device_id: str
    org_code: str
    role: str
    revisions: Iterable[Revision]
    audit: Iterable[Mapping[str, Any]] = ()
    total: int = 0


@dataclass(frozen=True, slots=True)
class WrittenBatch:
    path: Path
    manifest: Manifest
    manifest_bytes: bytes
    batch_hash: str


@dataclass(slots=True)
class _Stats:
    records: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    revisions: int = 0
    audit: int = 0
    head: tuple[int, str] | None = None  # the last audit line's (seq, hash), when hashed


class _LineReader(io.RawIOBase):
    """A readable stream over an iterator of byte chunks (so age can stream it)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            try:
                self._buf = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


class _HashingWriter:
    def __init__(self, dst: BinaryIO) -> None:
        self.dst, self.sha, self.size = dst, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        self.size += len(data)
        return self.dst.write(data)


def _lines(source: BatchSource, stats: _Stats, progress: Progress | None,
           cancel: Cancel | None) -> Iterator[bytes]:
    buf: list[bytes] = []
    done = 0

    def tick() -> None:
        if cancel is not None and cancel():
            raise SurveyError(BatchCode.BATCH_012)
        if progress is not None:
            progress(done, source.total)

    for rev in source.revisions:
        stats.revisions += 1
        stats.records.add(rev.record_id)
        if rev.form_id:
            stats.forms.add(f"{rev.form_id}@{rev.form_version}")
        buf.append(rev.body + b"\n")
        done += 1
        if len(buf) >= 1024:
            tick()
            yield b"".join(buf)
            buf.clear()
    for entry in source.audit:
        stats.audit += 1
        buf.append(canonical_json({"audit": dict(entry)}) + b"\n")
        if "hash" in entry:
            stats.head = (int(entry["seq"]), str(entry["hash"]))
        done += 1
    tick()
    yield b"".join(buf)


def _encrypt(source: BatchSource, dst: BinaryIO, recipients: list[str],
             progress: Progress | None, cancel: Cancel | None,
             seed: Any) -> tuple[_Stats, str, int]:
    stats = _Stats()
    hashing = _HashingWriter(dst)
    reader = io.BufferedReader(_LineReader(_lines(source, stats, progress, cancel)), 1 << 16)
    age.encrypt_stream(reader, hashing, recipients=recipients,  # type: ignore[arg-type]
                       _seed=seed)
    return stats, hashing.sha.hexdigest(), hashing.size


def _sign(source: BatchSource, key: minisign.SigningKey, stats: _Stats, sha: str, size: int,
          *, sequence: int, previous: str, recipients: list[str], full: bool,
          batch_id: str | None, created_at: str | None) -> tuple[Manifest, bytes, bytes]:
    manifest = Manifest(
        batch_id=batch_id or secrets.token_hex(16), device_id=source.device_id,
        org_code=source.org_code, role=source.role, key_id=key.public_key().id_hex,
        sequence=sequence, previous=previous, created_at=created_at or utc_now(), full=full,
        records=len(stats.records), revisions=stats.revisions, audit=stats.audit,
        form_versions=tuple(sorted(stats.forms)), payload_sha256=sha, payload_size=size,
        recipients=tuple(sorted(recipients)), audit_head=stats.head,
    )
    body = manifest.to_bytes()
    sig = minisign.sign(body, key, trusted_comment=manifest.trusted_comment,
                        untrusted_comment=f"surveyapp batch {manifest.batch_id}")
    return manifest, body, sig.encode("ascii")


def encode_batch(source: BatchSource, key: minisign.SigningKey, *, sequence: int,
                 previous: str, recipients: list[str], full: bool = False,
                 _seed: Any = None, _batch_id: str | None = None,
                 _created_at: str | None = None) -> tuple[bytes, Manifest]:
    """A whole batch in memory. The ``_`` arguments are the private deterministic seam of
    ``tests/vectors/generate.py`` (age randomness, batch id, time); never use them otherwise.
    """
    payload = io.BytesIO()
    stats, sha, size = _encrypt(source, payload, recipients, None, None, _seed)
    manifest, body, sig = _sign(source, key, stats, sha, size, sequence=sequence,
                                previous=previous, recipients=recipients, full=full,
                                batch_id=_batch_id, created_at=_created_at)
    out = io.BytesIO()
    payload.seek(0)
    write_container(out, manifest=body, signature=sig, payload=payload, payload_size=size)
    return out.getvalue(), manifest


def _io_error(err: OSError, path: Path) -> SurveyError:
    if err.errno == errno.ENOSPC:
        return SurveyError(CommonCode.IO_001, path=str(path))
    return SurveyError(CommonCode.IO_003, path=str(path), reason=err.strerror or str(err))


def write_batch(out_dir: str | Path, source: BatchSource, key: minisign.SigningKey, *,
                sequence: int, previous: str, recipients: list[str], full: bool = False,
                progress: Progress | None = None,
                cancel: Cancel | None = None) -> WrittenBatch:
    """Write a batch file into ``out_dir`` atomically.

    :param recipients: the ``age1…`` recipients (county, and township when it must read).
    :param progress: called with (items done, ``source.total``) now and then.
    :param cancel: polled now and then; when it returns True nothing is left behind.
    :raises SurveyError: BATCH_012 when cancelled; IO_001 disk full; IO_003 other write
        failures. No file with the final name exists after a failure.
    """
    folder = Path(out_dir)
    # What an export killed before its clean-up left here (docs/batch-format.md §1).
    clean_stale(folder, STALE)
    temps: list[str] = []
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".surveyapp-payload-",
                                         suffix=".tmp", delete=False) as pay:
            temps.append(pay.name)
            hold_temp(pay)
            stats, sha, size = _encrypt(source, pay, recipients, progress,  # type: ignore[arg-type]
                                        cancel, None)
        manifest, body, sig = _sign(source, key, stats, sha, size, sequence=sequence,
                                    previous=previous, recipients=recipients, full=full,
                                    batch_id=None, created_at=None)
        final = folder / f"{source.org_code}_{sequence:06d}_{manifest.batch_id[:8]}.batch.zip"
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".surveyapp-batch-",
                                         suffix=".tmp", delete=False) as out:
            temps.append(out.name)
            hold_temp(out)
            with open(pay.name, "rb") as src:
                write_container(out, manifest=body, signature=sig, payload=src,  # type: ignore[arg-type]
                                payload_size=size)
            out.flush()
            os.fsync(out.fileno())
        os.replace(out.name, final)
        temps.remove(out.name)
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        return WrittenBatch(final, manifest, body, batch_hash(body))
    except OSError as err:
        raise _io_error(err, folder) from err
    finally:
        for name in temps:
            with contextlib.suppress(OSError):
                os.unlink(name)
