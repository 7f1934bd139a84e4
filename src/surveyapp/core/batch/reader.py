"""Reading batches: every rule of docs/batch-format.md §6, in order, before any data is used.

Public API::

    Signer(device_id, org_code, role, public_key, revoked=False)
    open_batch(src, *, signers, scope, path="?") -> OpenedBatch   # rules 1–8 checked
    opened.lines(identities) -> Iterator[bytes]                   # rules 9–10 while reading
    read_all(data, *, signers, scope, identities) -> (OpenedBatch, list[bytes])

``signers`` maps a device id to its enrolled :class:`Signer` (or is a callable doing so).
Each rule raises its own exception from :mod:`.codes` (all :class:`SurveyError`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO

from surveyapp.core.batch.codec import Container, PayloadReader, open_container
from surveyapp.core.batch.codes import (
    BadPayload,
    DecryptionFailure,
    HeaderError,
    OutOfScope,
    PayloadMismatch,
    RevokedSigner,
    SignatureFailure,
    Truncated,
    UnknownSigner,
)
from surveyapp.core.batch.manifest import Manifest, batch_hash, parse_manifest
from surveyapp.core.crypto import age, minisign
from surveyapp.core.crypto.codes import CryptoCode
from surveyapp.core.ids import is_within
from surveyapp.errors import SurveyError

AUDIT_PREFIX = b'{"audit":'
MAX_LINE = 64 << 20


@dataclass(frozen=True, slots=True)
class Signer:
    """An enrolled device as the importer's trust store knows it."""

    device_id: str
    org_code: str
    role: str
    public_key: minisign.PublicKey
    revoked: bool = False


SignerLookup = Callable[[str], "Signer | None"] | Mapping[str, Signer]


@dataclass(slots=True)
class OpenedBatch:
    """A batch whose container, manifest, signer, signature and payload hash are checked."""

    container: Container
    manifest: Manifest
    manifest_bytes: bytes
    batch_hash: str
    signer: Signer
    path: str

    def close(self) -> None:
        self.container.close()

    def __enter__(self) -> OpenedBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _plaintext(self, identities: Iterable[str]) -> Iterator[bytearray]:
        """The decrypted payload in blocks, read once from the file: each block is hashed
        (on a worker thread for a large payload) while it is decrypted."""
        with self.container.open_payload_raw() as raw:
            try:
                yield from age.decrypt_blocks(raw.blocks(), identities=list(identities))
            except SurveyError as err:
                # A payload that is not the signed one is reported as such (rule 8 comes
                # before rule 9), not as whatever decryption made of it.
                _check_digests(raw, self.container, self.manifest, self.path)
                if err.code is CryptoCode.CRYPTO_004:
                    raise Truncated(path=self.path,
                                    reason="the encrypted data ends early") from err
                if err.code is CryptoCode.CRYPTO_003:
                    raise DecryptionFailure(path=self.path, reason="not a recipient") from err
                raise DecryptionFailure(path=self.path, reason=err.code.name) from err
            except OSError as err:
                raise PayloadMismatch(path=self.path) from err
            # The whole payload must be exactly what the manifest signed, checked in the
            # same pass as decryption, so that a file changed after open_batch is caught.
            _check_digests(raw, self.container, self.manifest, self.path)

    def lines(self, identities: Iterable[str]) -> Iterator[bytes]:
        """Decrypt and yield the payload lines (without LF).

        The last line is only proven whole when the iterator ends without raising, so a
        caller must not commit anything before that.

        :raises DecryptionFailure: no identity matches, or a damaged age header.
        :raises Truncated: the age payload ends early.
        :raises BadPayload: an overlong or unterminated line, or counts that disagree.
        """
        revisions = audit = 0
        # An unfinished line's pieces, from earlier blocks (joined once, when its LF comes).
        pending: list[bytes] = []
        pending_size = 0
        for block in self._plaintext(identities):
            view = memoryview(block)
            start, end = 0, block.find(b"\n")
            if pending and end >= 0:
                pending.append(view[:end].tobytes())
                line = b"".join(pending)
                pending, pending_size, start = [], 0, end + 1
                end = block.find(b"\n", start)
                audit, revisions = self._count(line, audit, revisions)
                yield line
            while end >= 0:
                line = view[start:end].tobytes()
                audit, revisions = self._count(line, audit, revisions)
                yield line
                start = end + 1
                end = block.find(b"\n", start)
            if start < len(block):
                pending.append(view[start:].tobytes())
                pending_size += len(block) - start
                if pending_size > MAX_LINE:
                    raise BadPayload(path=self.path, reason="a line is too long")
        if pending:
            raise BadPayload(path=self.path, reason="the last line has no end")
        if (revisions, audit) != (self.manifest.revisions, self.manifest.audit):
            raise BadPayload(path=self.path, reason="counts differ from the manifest")

    @staticmethod
    def _count(line: bytes, audit: int, revisions: int) -> tuple[int, int]:
        if line.startswith(AUDIT_PREFIX):
            return audit + 1, revisions
        return audit, revisions + 1


def _lookup(signers: SignerLookup, device_id: str) -> Signer | None:
    if isinstance(signers, Mapping):
        return signers.get(device_id)
    return signers(device_id)


def _check_signer(m: Manifest, signers: SignerLookup, scope: str, path: str) -> Signer:
    ctx = {"path": path, "device": m.device_id, "org": m.org_code}
    signer = _lookup(signers, m.device_id)
    if signer is None or (signer.org_code, signer.role, signer.public_key.id_hex) != (
        m.org_code, m.role, m.key_id
    ):
        raise UnknownSigner(**ctx, scope=scope)
    if signer.revoked:
        raise RevokedSigner(**ctx)
    if not is_within(signer.org_code, scope):
        raise OutOfScope(path=path, org=signer.org_code, scope=scope)
    return signer


def _check_payload(container: Container, m: Manifest, path: str) -> None:
    if container.payload_size != m.payload_size:
        raise PayloadMismatch(path=path)
    with container.open_payload_raw(threaded=False) as raw:
        _check_digests(raw, container, m, path)


def _check_digests(raw: PayloadReader, container: Container, m: Manifest, path: str) -> None:
    """Read the rest of the payload, then check rule 8 (its SHA-256 and size) and its CRC-32
    against the container frame's (a wrong one is a non-canonical container, rule 1).

    :raises Truncated: the payload ends early. :raises PayloadMismatch: another payload.
    :raises HeaderError: the payload is the signed one but the frame's CRC-32 is wrong.
    """
    try:
        digest = raw.drain()
    except OSError as err:
        raise PayloadMismatch(path=path) from err
    if raw.short:
        raise Truncated(path=path, reason="the data ends early")
    if digest != m.payload_sha256:
        raise PayloadMismatch(path=path)
    if raw.crc32() != container.payload_crc:
        raise HeaderError(path=path, reason="payload.age has a wrong CRC-32")


def open_batch(src: BinaryIO, *, signers: SignerLookup, scope: str, path: str = "?",
               owns_src: bool = False, check_payload: bool = True) -> OpenedBatch:
    """Open ``src`` and check rules 1–8 (container, version, signer, scope, signature,
    payload hash) before anything is decrypted.

    :param scope: the importer's division code; the signer must lie inside it.
    :param owns_src: close ``src`` with the batch (or at once when a check fails).
    :param check_payload: hash the payload now (rule 8) before returning. With False the
        hash is checked only while :meth:`OpenedBatch.lines` decrypts (one pass instead of
        two, for imports, which commit nothing before the lines end), and a mismatch is
        still reported as such rather than as a decryption failure.
    :raises BatchError: the subclass of the first rule that fails.
    """
    container = open_container(src, path=path, owns_src=owns_src)
    try:
        m = parse_manifest(container.manifest, path=path)
        signer = _check_signer(m, signers, scope, path)
        try:
            comment = minisign.verify(container.manifest, container.signature,
                                      signer.public_key)
        except SurveyError as err:
            raise SignatureFailure(path=path, device=m.device_id) from err
        canonical = minisign.parse_signature(container.signature).to_text(
            f"surveyapp batch {m.batch_id}").encode("ascii")
        if comment != m.trusted_comment or container.signature != canonical:
            raise SignatureFailure(path=path, device=m.device_id)
        if container.payload_size != m.payload_size:
            raise PayloadMismatch(path=path)
        if check_payload:
            _check_payload(container, m, path)
        return OpenedBatch(container, m, container.manifest, batch_hash(container.manifest),
                           signer, path)
    except BaseException:
        container.close()
        raise


def read_all(data: bytes, *, signers: SignerLookup, scope: str, identities: Iterable[str],
             path: str = "?") -> tuple[OpenedBatch, list[bytes]]:
    """Check and decrypt a whole batch held in memory (vectors, tests, small files)."""
    opened = open_batch(io.BytesIO(data), signers=signers, scope=scope, path=path)
    with opened:
        return opened, list(opened.lines(identities))
