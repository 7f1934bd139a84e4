"""The age payload (https://age-encryption.org/v1, "Payload"): ChaCha20-Poly1305 in the STREAM
construction, 64 KiB plaintext chunks, the last chunk flagged in its nonce.

Encryption reads ``src`` and writes ``dst``. Decryption takes the ciphertext as consecutive
pieces of any size (a file read in megabyte blocks, say) and decrypts every run of whole
chunks in a piece into one fresh buffer, so Python's overhead is paid per piece rather than
per chunk, and nothing is copied except the one chunk that straddles two pieces.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from surveyapp.core.crypto.codes import CryptoCode
from surveyapp.errors import SurveyError

CHUNK = 64 * 1024
TAG = 16
SEALED = CHUNK + TAG
NONCE = 16

Buffer = bytes | bytearray | memoryview


def hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA-256 with a 32-byte output, as age uses it everywhere."""
    return HKDF(hashes.SHA256(), 32, salt, info).derive(ikm)


def chunk_nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _payload_error(reason: str) -> SurveyError:
    return SurveyError(CryptoCode.CRYPTO_004, reason=reason)


def encrypt_payload(src: BinaryIO, dst: BinaryIO, file_key: bytes, nonce: bytes) -> None:
    """Write the payload nonce and the sealed chunks of everything ``src`` holds."""
    aead = ChaCha20Poly1305(hkdf(file_key, nonce, b"payload"))
    dst.write(nonce)
    counter = 0
    chunk = src.read(CHUNK)
    while True:
        nxt = src.read(CHUNK) if len(chunk) == CHUNK else b""
        last = not nxt
        dst.write(aead.encrypt(chunk_nonce(counter, last), chunk, None))
        if last:
            return
        counter += 1
        chunk = nxt


def _views(pieces: Iterable[Buffer]) -> Iterator[tuple[memoryview, bool]]:
    """Each non-empty piece as a memoryview, and whether it is the last one (one piece of
    look-ahead: whether a chunk is the final one depends on what follows it)."""
    held: memoryview | None = None
    for piece in pieces:
        if len(piece) == 0:
            continue
        if held is not None:
            yield held, False
        held = memoryview(piece).cast("B")
    if held is not None:
        yield held, True


def _runs(views: Iterable[tuple[memoryview, bool]]) -> Iterator[tuple[memoryview, bool]]:
    """Regroup the sealed chunks: runs of whole chunks that more data follows, then the final
    chunk (flagged True), which may be short, or empty when the payload is."""
    carry = bytearray()
    for view, last in views:
        if carry:
            need = SEALED - len(carry)
            if len(view) < need or (last and len(view) == need):
                carry += view
                continue
            carry += view[:need]
            yield memoryview(carry), False
            view, carry = view[need:], bytearray()
        # The last view keeps at least one byte back: the final chunk is never empty
        # unless the whole payload is.
        whole = max(0, len(view) - 1) // SEALED if last else len(view) // SEALED
        if whole:
            yield view[: whole * SEALED], False
        carry = bytearray(view[whole * SEALED :])
    yield memoryview(carry), True


def _open_run(aead: ChaCha20Poly1305, run: memoryview, counter: int) -> Iterator[bytearray]:
    """Decrypt a run of whole chunks that are not at the end of the payload.

    A chunk that only opens with the last-chunk flag is a final chunk with data after it: its
    plaintext is released (it is authentic), then the payload is refused, as age does.
    """
    n = len(run) // SEALED
    out = bytearray(n * CHUNK)
    dst = memoryview(out)
    for i in range(n):
        sealed, plain = run[i * SEALED : (i + 1) * SEALED], dst[i * CHUNK : (i + 1) * CHUNK]
        try:
            aead.decrypt_into(chunk_nonce(counter + i, False), sealed, None, plain)
            continue
        except InvalidTag:
            pass
        try:
            aead.decrypt_into(chunk_nonce(counter + i, True), sealed, None, plain)
        except InvalidTag:
            released, reason = i, "payload altered"
        else:
            released, reason = i + 1, "data after the final chunk"
        dst.release()
        if released:
            yield out[: released * CHUNK]
        raise _payload_error(reason)
    dst.release()
    yield out


def _open_final(aead: ChaCha20Poly1305, sealed: memoryview, counter: int) -> Iterator[bytearray]:
    """Decrypt the chunk at the end of the payload; it must carry the last-chunk flag."""
    if len(sealed) < TAG:
        raise _payload_error("payload cut short")
    out = bytearray(len(sealed) - TAG)
    # A full-size chunk at the end may still lack the flag (the file was cut at a chunk
    # boundary): its plaintext is authentic and released before the refusal.
    for last in (True, False) if len(sealed) == SEALED else (True,):
        try:
            aead.decrypt_into(chunk_nonce(counter, last), sealed, None, out)
        except InvalidTag:
            continue
        if last and not out and counter > 0:
            raise _payload_error("empty final chunk")
        yield out
        if not last:
            raise _payload_error("payload cut short")
        return
    raise _payload_error("payload cut short")


def decrypt_payload(file_key: bytes, pieces: Iterable[Buffer]) -> Iterator[bytearray]:
    """Decrypt the payload (its nonce, then the sealed chunks) handed over in ``pieces``.

    Each plaintext buffer is fresh and yielded only once every chunk in it is authenticated;
    the payload as a whole is proven whole only when the iterator ends without raising.

    :param pieces: consecutive ciphertext of any sizes; a piece must not change after it is
        handed over (the next piece is taken before the previous one is decrypted).
    :raises SurveyError: CRYPTO_004 when the payload is cut short, altered or extended.
    """
    views = _views(pieces)
    nonce = bytearray()
    rest, last = memoryview(b""), False
    while len(nonce) < NONCE and not last:
        rest, last = next(views, (memoryview(b""), True))
        take = NONCE - len(nonce)
        nonce += rest[:take]
        rest = rest[take:]
    if len(nonce) != NONCE:
        raise _payload_error("payload nonce missing")
    aead = ChaCha20Poly1305(hkdf(file_key, bytes(nonce), b"payload"))
    counter = 0
    following: Iterable[tuple[memoryview, bool]] = () if last else views
    for run, final in _runs(_chain((rest, last), following)):
        if final:
            yield from _open_final(aead, run, counter)
            return
        yield from _open_run(aead, run, counter)
        counter += len(run) // SEALED


def _chain(first: tuple[memoryview, bool],
           rest: Iterable[tuple[memoryview, bool]]) -> Iterator[tuple[memoryview, bool]]:
    yield first
    yield from rest
