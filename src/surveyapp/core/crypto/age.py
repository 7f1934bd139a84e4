"""age v1 (https://age-encryption.org/v1): X25519 and scrypt recipients, streaming payload.

The file key (16 random bytes) is wrapped once per recipient stanza; the header is
authenticated with HMAC-SHA256 under a key derived from the file key; the payload is
ChaCha20-Poly1305 in the STREAM construction with 64 KiB chunks (:mod:`.stream`). Files
written here decrypt with Debian's ``age`` and vice versa (tests/core/crypto prove it both
ways).

Failures raise :class:`~surveyapp.errors.SurveyError` with :class:`CryptoCode` codes:
CRYPTO_001 malformed header, CRYPTO_002 wrong passphrase, CRYPTO_003 no matching identity,
CRYPTO_004 truncated or altered payload / header MAC, CRYPTO_006 excessive work factor.
"""

from __future__ import annotations

import base64
import hmac
import io
import itertools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from hashlib import sha256
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from surveyapp.core.crypto import bech32
from surveyapp.core.crypto.codes import CryptoCode
from surveyapp.core.crypto.stream import CHUNK as CHUNK
from surveyapp.core.crypto.stream import Buffer, decrypt_payload, encrypt_payload, hkdf
from surveyapp.errors import SurveyError

INTRO = b"age-encryption.org/v1\n"
READ_SIZE = 1 << 20
_MAX_HEADER = 64 * 1024
_ZERO_NONCE = b"\x00" * 12


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def _unb64(text: bytes) -> bytes:
    if b"=" in text or b"\r" in text:
        raise _header_error("non-canonical base64")
    try:
        raw = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except ValueError as err:
        raise _header_error("bad base64") from err
    if _b64(raw) != text:
        raise _header_error("non-canonical base64")
    return raw


def _header_error(reason: str) -> SurveyError:
    return SurveyError(CryptoCode.CRYPTO_001, reason=reason)


# ---- keys ---------------------------------------------------------------------------------


def generate_identity() -> tuple[str, str]:
    """A new X25519 identity: (``AGE-SECRET-KEY-1…``, ``age1…``)."""
    sk = X25519PrivateKey.generate()
    public = sk.public_key().public_bytes_raw()
    return identity_string(sk.private_bytes_raw()), recipient_string(public)


def identity_string(secret: bytes) -> str:
    return bech32.encode("age-secret-key-", secret).upper()


def recipient_string(public: bytes) -> str:
    return bech32.encode("age", public)


def parse_identity(identity: str) -> X25519PrivateKey:
    """:raises SurveyError: CRYPTO_005 when ``identity`` is not an age X25519 identity."""
    try:
        hrp, data = bech32.decode(identity.strip())
    except ValueError as err:
        raise SurveyError(CryptoCode.CRYPTO_005, key="AGE-SECRET-KEY-1…", reason=str(err)) from err
    if hrp != "age-secret-key-" or len(data) != 32:
        raise SurveyError(CryptoCode.CRYPTO_005, key="AGE-SECRET-KEY-1…", reason="not an identity")
    return X25519PrivateKey.from_private_bytes(data)


def parse_recipient(recipient: str) -> bytes:
    """:raises SurveyError: CRYPTO_005 when ``recipient`` is not an ``age1…`` recipient."""
    try:
        hrp, data = bech32.decode(recipient.strip())
    except ValueError as err:
        raise SurveyError(CryptoCode.CRYPTO_005, key=recipient[:20], reason=str(err)) from err
    if hrp != "age" or len(data) != 32 or recipient.strip() != recipient.strip().lower():
        raise SurveyError(CryptoCode.CRYPTO_005, key=recipient[:20], reason="not an age recipient")
    return data


def recipient_of(identity: str) -> str:
    return recipient_string(parse_identity(identity).public_key().public_bytes_raw())


# ---- stanzas ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stanza:
    type: str
    args: tuple[str, ...]
    body: bytes

    def encode(self) -> bytes:
        line = " ".join(("->", self.type, *self.args)).encode()
        b = _b64(self.body)
        lines = [b[i : i + 64] for i in range(0, len(b), 64)]
        if not lines or len(lines[-1]) == 64:
            lines.append(b"")
        return line + b"\n" + b"\n".join(lines) + b"\n"


def _x25519_stanza(file_key: bytes, recipient: bytes, ephemeral: X25519PrivateKey) -> Stanza:
    share = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    key = hkdf(shared, share + recipient, b"age-encryption.org/v1/X25519")
    body = ChaCha20Poly1305(key).encrypt(_ZERO_NONCE, file_key, None)
    return Stanza("X25519", (_b64(share).decode(),), body)


def _scrypt_key(passphrase: str, salt: bytes, work_factor: int) -> bytes:
    kdf = Scrypt(b"age-encryption.org/v1/scrypt" + salt, 32, 2**work_factor, 8, 1)
    return kdf.derive(passphrase.encode("utf-8"))


def _scrypt_stanza(file_key: bytes, passphrase: str, work_factor: int, salt: bytes) -> Stanza:
    key = _scrypt_key(passphrase, salt, work_factor)
    body = ChaCha20Poly1305(key).encrypt(_ZERO_NONCE, file_key, None)
    return Stanza("scrypt", (_b64(salt).decode(), str(work_factor)), body)


# ---- header -------------------------------------------------------------------------------


def _mac(file_key: bytes, header_without_mac: bytes) -> bytes:
    return hmac.new(hkdf(file_key, b"", b"header"), header_without_mac, sha256).digest()


def _encode_header(stanzas: Iterable[Stanza], file_key: bytes) -> bytes:
    head = INTRO + b"".join(s.encode() for s in stanzas) + b"---"
    return head + b" " + _b64(_mac(file_key, head)) + b"\n"


def _read_line(src: BinaryIO, budget: list[int]) -> bytes:
    line = src.readline(budget[0] + 1)
    budget[0] -= len(line)
    if budget[0] < 0:
        raise _header_error("header too long")
    if not line.endswith(b"\n"):
        raise _header_error("header cut short")
    return line[:-1]


def _parse_header(src: BinaryIO) -> tuple[list[Stanza], bytes, bytes]:
    """Read the header; returns (stanzas, bytes covered by the MAC, MAC)."""
    budget = [_MAX_HEADER]
    first = _read_line(src, budget)
    if first + b"\n" != INTRO:
        raise _header_error("not an age v1 file")
    raw = bytearray(INTRO)
    stanzas: list[Stanza] = []
    line = _read_line(src, budget)
    while line.startswith(b"-> "):
        raw += line + b"\n"
        parts = line[3:].split(b" ")
        if not all(parts) or not all(0x21 <= c <= 0x7E for p in parts for c in p):
            raise _header_error("bad stanza line")
        body = bytearray()
        while True:
            bl = _read_line(src, budget)
            raw += bl + b"\n"
            if len(bl) > 64:
                raise _header_error("stanza body line too long")
            body += _unb64(bl) if bl else b""
            if len(bl) < 64:
                break
        stanzas.append(Stanza(parts[0].decode(), tuple(p.decode() for p in parts[1:]), bytes(body)))
        line = _read_line(src, budget)
    if not line.startswith(b"--- ") or not stanzas:
        raise _header_error("missing header MAC")
    raw += b"---"
    mac = _unb64(line[4:])
    if len(mac) != 32:
        raise _header_error("bad MAC length")
    return stanzas, bytes(raw), mac


def _unwrap_x25519(stanza: Stanza, sk: X25519PrivateKey) -> bytes | None:
    if len(stanza.args) != 1:
        raise _header_error("bad X25519 stanza")
    share = _unb64(stanza.args[0].encode())
    if len(share) != 32 or len(stanza.body) != 32:
        raise _header_error("bad X25519 stanza")
    try:
        shared = sk.exchange(X25519PublicKey.from_public_bytes(share))
    except ValueError as err:  # cryptography refuses an all-zero shared secret itself
        raise _header_error("low-order X25519 share") from err
    if shared == b"\x00" * 32:
        raise _header_error("low-order X25519 share")
    pk = sk.public_key().public_bytes_raw()
    key = hkdf(shared, share + pk, b"age-encryption.org/v1/X25519")
    try:
        return ChaCha20Poly1305(key).decrypt(_ZERO_NONCE, stanza.body, None)
    except InvalidTag:
        return None


def _unwrap_scrypt(stanza: Stanza, passphrase: str, max_work_factor: int) -> bytes | None:
    if len(stanza.args) != 2 or not stanza.args[1].isdigit() or stanza.args[1].startswith("0"):
        raise _header_error("bad scrypt stanza")
    salt = _unb64(stanza.args[0].encode())
    wf = int(stanza.args[1])
    if len(salt) != 16 or len(stanza.body) != 32:
        raise _header_error("bad scrypt stanza")
    if wf > max_work_factor:
        raise SurveyError(CryptoCode.CRYPTO_006, work_factor=wf)
    try:
        return ChaCha20Poly1305(_scrypt_key(passphrase, salt, wf)).decrypt(
            _ZERO_NONCE, stanza.body, None
        )
    except InvalidTag:
        return None


# ---- public API ---------------------------------------------------------------------------


def encrypt_stream(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    recipients: Iterable[str] = (),
    passphrase: str | None = None,
    work_factor: int = 18,
    _seed: tuple[bytes, list[X25519PrivateKey], bytes, bytes] | None = None,
) -> None:
    """Encrypt ``src`` into ``dst`` as an age file.

    :param recipients: ``age1…`` strings (X25519). Mutually exclusive with ``passphrase``.
    :param passphrase: makes a single scrypt stanza with ``work_factor`` (log2 N).
    :param _seed: a private deterministic seam for test vectors only: (file key, ephemeral
        keys, payload nonce, scrypt salt). Never use it for real data.
    :raises SurveyError: CRYPTO_005 for a bad recipient.
    """
    recips = [parse_recipient(r) for r in recipients]
    if (passphrase is None) == (not recips):
        raise ValueError("give either recipients or a passphrase")
    if _seed is None:
        file_key, nonce, salt = os.urandom(16), os.urandom(16), os.urandom(16)
        ephemerals = [X25519PrivateKey.generate() for _ in recips]
    else:
        file_key, ephemerals, nonce, salt = _seed
    if passphrase is not None:
        stanzas = [_scrypt_stanza(file_key, passphrase, work_factor, salt)]
    else:
        stanzas = [_x25519_stanza(file_key, r, e) for r, e in zip(recips, ephemerals, strict=True)]
    dst.write(_encode_header(stanzas, file_key))
    encrypt_payload(src, dst, file_key, nonce)


def _file_key(stanzas: list[Stanza], covered: bytes, mac: bytes, identities: Iterable[str],
              passphrase: str | None, max_work_factor: int) -> bytes:
    """Unwrap the file key from the first stanza an identity (or the passphrase) opens, and
    check the header MAC with it."""
    file_key: bytes | None = None
    scrypt = [s for s in stanzas if s.type == "scrypt"]
    if scrypt:
        if len(stanzas) != 1:
            raise _header_error("scrypt stanza must be alone")
        if passphrase is None:
            raise SurveyError(CryptoCode.CRYPTO_003)
        file_key = _unwrap_scrypt(scrypt[0], passphrase, max_work_factor)
        if file_key is None:
            raise SurveyError(CryptoCode.CRYPTO_002)
    else:
        keys = [parse_identity(i) for i in identities]
        for stanza in stanzas:
            if stanza.type != "X25519":
                continue
            for sk in keys:
                file_key = _unwrap_x25519(stanza, sk)
                if file_key is not None:
                    break
            if file_key is not None:
                break
        if file_key is None:
            raise SurveyError(CryptoCode.CRYPTO_003)
    if len(file_key) != 16:
        raise _header_error("bad file key")
    if not hmac.compare_digest(_mac(file_key, covered), mac):
        raise SurveyError(CryptoCode.CRYPTO_004, reason="header MAC mismatch")
    return file_key


def _header_complete(data: bytes) -> bool:
    """Whether ``data`` holds a whole MAC line (the header cannot end later than that)."""
    i = data.find(b"\n--- ")
    return i >= 0 and data.find(b"\n", i + 1) >= 0


def _split_header(pieces: Iterator[Buffer]) -> tuple[list[Stanza], bytes, bytes, memoryview]:
    """Take pieces until they hold the header (or more than any header may be), parse it,
    and return what follows it in the pieces taken."""
    data = b""
    for piece in pieces:
        data = data + piece if data else bytes(piece)
        if _header_complete(data) or len(data) > _MAX_HEADER:
            break
    src = io.BytesIO(data)
    stanzas, covered, mac = _parse_header(src)
    return stanzas, covered, mac, memoryview(data)[src.tell() :]


def decrypt_blocks(
    pieces: Iterable[Buffer],
    *,
    identities: Iterable[str] = (),
    passphrase: str | None = None,
    max_work_factor: int = 22,
) -> Iterator[bytearray]:
    """Decrypt an age file handed over as consecutive pieces of any size (a file read in
    large blocks), yielding one fresh plaintext buffer per piece as its chunks are verified.

    The header (and its MAC) is checked before anything is yielded. A caller that needs
    all-or-nothing must not act on the plaintext until the iterator is exhausted: the final
    chunk's tag is what proves the payload was not cut short.

    :param pieces: a piece must not change once handed over (one piece of look-ahead).
    :raises SurveyError: CRYPTO_001/002/003/004/006.
    """
    it = iter(pieces)
    stanzas, covered, mac, rest = _split_header(it)
    file_key = _file_key(stanzas, covered, mac, identities, passphrase, max_work_factor)
    yield from decrypt_payload(file_key, itertools.chain((rest,), it))


def decrypt_stream(
    src: BinaryIO,
    *,
    identities: Iterable[str] = (),
    passphrase: str | None = None,
    max_work_factor: int = 22,
    read_size: int = READ_SIZE,
) -> Iterator[bytes]:
    """Decrypt an age file from ``src`` read ``read_size`` bytes at a time, yielding the
    plaintext as it is verified (as :func:`decrypt_blocks`).

    :raises SurveyError: CRYPTO_001/002/003/004/006.
    """
    pieces: Iterator[bytes] = iter(lambda: src.read(read_size), b"")
    for plain in decrypt_blocks(pieces, identities=identities, passphrase=passphrase,
                                max_work_factor=max_work_factor):
        yield bytes(plain)


def encrypt(data: bytes, **kwargs: object) -> bytes:
    """Encrypt bytes in memory; keyword arguments as :func:`encrypt_stream`."""
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


def decrypt(blob: bytes, **kwargs: object) -> bytes:
    """Decrypt bytes in memory; keyword arguments as :func:`decrypt_blocks`."""
    return b"".join(decrypt_blocks((blob,), **kwargs))  # type: ignore[arg-type]
