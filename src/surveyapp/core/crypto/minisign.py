"""minisign signatures (https://jedisct1.github.io/minisign/): Ed25519, prehashed ``ED``.

Public API::

    key = generate_key()                          # SigningKey(key_id, seed)
    key = signing_key_from_seed(seed32, key_id8)  # the deterministic seam (vectors, tests)
    key.public_key() -> PublicKey(key_id, raw)
    public_key_text(pk, comment=...) -> str       # the .pub file minisign -p reads
    parse_public_key(text_or_base64) -> PublicKey
    secret_key_text(key) -> str                   # minisign's unencrypted secret key file
    parse_secret_key(text) -> SigningKey          # reads ``minisign -G -W`` keys (checksum too)
    sign(data, key, *, trusted_comment, untrusted_comment=...) -> str   # .minisig text
    verify(data, sig_text, pk) -> str             # the trusted comment, or raises

Signature file: an ``untrusted comment:`` line, base64(``ED`` || key id (8) || Ed25519 over
BLAKE2b-512(data) (64)), a ``trusted comment:`` line, base64(Ed25519 over signature ||
trusted comment bytes). Verification raises :class:`SurveyError`, never returns False:
CRYPTO_007 bad format, CRYPTO_008 another key id, CRYPTO_009 bad signature.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from surveyapp.core.crypto.codes import CryptoCode
from surveyapp.errors import SurveyError

_UNTRUSTED = "untrusted comment: "
_TRUSTED = "trusted comment: "
_MAX_TEXT = 64 * 1024


def _fmt(reason: str) -> SurveyError:
    return SurveyError(CryptoCode.CRYPTO_007, reason=reason)


def key_id_hex(key_id: bytes) -> str:
    """The key id as minisign prints it (little-endian 64-bit, upper-case hex)."""
    return key_id[::-1].hex().upper()


@dataclass(frozen=True, slots=True)
class PublicKey:
    key_id: bytes
    raw: bytes

    @property
    def id_hex(self) -> str:
        return key_id_hex(self.key_id)

    def to_base64(self) -> str:
        return base64.b64encode(b"Ed" + self.key_id + self.raw).decode("ascii")


@dataclass(frozen=True, slots=True)
class SigningKey:
    key_id: bytes
    seed: bytes

    def _sk(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    def public_key(self) -> PublicKey:
        raw = self._sk().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PublicKey(self.key_id, raw)


def signing_key_from_seed(seed: bytes, key_id: bytes) -> SigningKey:
    """A signing key from fixed bytes (the deterministic seam for vectors and tests)."""
    if len(seed) != 32 or len(key_id) != 8:
        raise ValueError("seed must be 32 bytes and key id 8 bytes")
    return SigningKey(key_id, seed)


def generate_key() -> SigningKey:
    """A new random Ed25519 signing key with a random key id."""
    return SigningKey(os.urandom(8), os.urandom(32))


def public_key_text(pk: PublicKey, comment: str | None = None) -> str:
    """The public key file (``minisign -p`` reads it)."""
    comment = comment or f"minisign public key {pk.id_hex}"
    return f"{_UNTRUSTED}{comment}\n{pk.to_base64()}\n"


def _b64_line(text: str, what: str) -> bytes:
    line = text.strip()
    try:
        raw = base64.b64decode(line.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as err:
        raise _fmt(f"{what} is not base64") from err
    # Only the one canonical spelling: otherwise the unused low bits of the last character
    # would let a file change without its signature noticing.
    if base64.b64encode(raw).decode("ascii") != line:
        raise _fmt(f"{what} is not canonical base64")
    return raw


def parse_public_key(text: str) -> PublicKey:
    """Read a public key file or its bare base64 line.

    :raises SurveyError: CRYPTO_007 when it is not a minisign Ed25519 public key.
    """
    if not isinstance(text, str):  # a value from an unverified JSON file
        raise _fmt("public key is not text")
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if not lines or len(text) > _MAX_TEXT:
        raise _fmt("empty public key")
    if lines[0].startswith(_UNTRUSTED):
        lines = lines[1:]
    if len(lines) != 1:
        raise _fmt("public key must be one line")
    raw = _b64_line(lines[0], "public key")
    if len(raw) != 42 or raw[:2] != b"Ed":
        raise _fmt("not an Ed25519 public key")
    return PublicKey(raw[2:10], raw[10:])


def secret_key_text(key: SigningKey, comment: str = "minisign secret key") -> str:
    """minisign's secret key file, unencrypted (as ``minisign -G -W`` writes it)."""
    pk = key.public_key().raw
    sk64 = key.seed + pk
    chk = hashlib.blake2b(b"Ed" + key.key_id + sk64, digest_size=32).digest()
    blob = b"Ed" + b"\x00\x00" + b"B2" + bytes(32) + bytes(16) + key.key_id + sk64 + chk
    return f"{_UNTRUSTED}{comment}\n{base64.b64encode(blob).decode('ascii')}\n"


def parse_secret_key(text: str) -> SigningKey:
    """Read an unencrypted minisign secret key file (``minisign -G -W``), checksum included.

    :raises SurveyError: CRYPTO_007 when damaged, encrypted, or not Ed25519.
    """
    if not isinstance(text, str):
        raise _fmt("secret key is not text")
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if lines and lines[0].startswith(_UNTRUSTED):
        lines = lines[1:]
    if len(lines) != 1:
        raise _fmt("secret key must be one line")
    raw = _b64_line(lines[0], "secret key")
    if len(raw) != 158 or raw[:2] != b"Ed" or raw[4:6] != b"B2":
        raise _fmt("not an Ed25519 secret key")
    if raw[2:4] != b"\x00\x00":
        raise _fmt("the secret key is password-protected")
    key_id, sk64, chk = raw[54:62], raw[62:126], raw[126:158]
    # minisign 0.11 leaves the checksum all zero in a key made with -W; any other value
    # must be the BLAKE2b-256 of the algorithm, key id and secret key.
    expected = hashlib.blake2b(b"Ed" + key_id + sk64, digest_size=32).digest()
    if chk != expected and chk != bytes(32):
        raise _fmt("secret key checksum mismatch")
    key = SigningKey(key_id, sk64[:32])
    if key.public_key().raw != sk64[32:]:
        raise _fmt("secret key halves do not match")
    return key


def _prehash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=64).digest()


def sign(data: bytes, key: SigningKey, *, trusted_comment: str,
         untrusted_comment: str = "signature from surveyapp") -> str:
    """A .minisig text for ``data`` (prehashed ``ED``), its global signature over the
    trusted comment included.

    :param trusted_comment: one line of text covered by the signature.
    """
    if "\n" in trusted_comment or "\r" in trusted_comment or "\n" in untrusted_comment:
        raise ValueError("comments must be single lines")
    sk = key._sk()
    sig = sk.sign(_prehash(data))
    global_sig = sk.sign(sig + trusted_comment.encode("utf-8"))
    return (
        f"{_UNTRUSTED}{untrusted_comment}\n"
        f"{base64.b64encode(b'ED' + key.key_id + sig).decode('ascii')}\n"
        f"{_TRUSTED}{trusted_comment}\n"
        f"{base64.b64encode(global_sig).decode('ascii')}\n"
    )


@dataclass(frozen=True, slots=True)
class Signature:
    key_id: bytes
    algorithm: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes

    def to_text(self, untrusted_comment: str) -> str:
        """The .minisig text of this signature with ``untrusted_comment``."""
        sig = base64.b64encode(self.algorithm + self.key_id + self.signature).decode("ascii")
        return (f"{_UNTRUSTED}{untrusted_comment}\n{sig}\n{_TRUSTED}{self.trusted_comment}\n"
                f"{base64.b64encode(self.global_signature).decode('ascii')}\n")


def parse_signature(text: str | bytes) -> Signature:
    """Parse a .minisig text without checking it.

    :raises SurveyError: CRYPTO_007 when it is not a minisign signature.
    """
    if isinstance(text, bytes):
        if len(text) > _MAX_TEXT:
            raise _fmt("signature too long")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as err:
            raise _fmt("signature is not UTF-8") from err
    if not isinstance(text, str):
        raise _fmt("signature is not text")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    if len(lines) != 4 or not lines[0].startswith(_UNTRUSTED) or not lines[2].startswith(_TRUSTED):
        raise _fmt("expected four lines")
    raw = _b64_line(lines[1], "signature")
    if len(raw) != 74 or raw[:2] not in (b"ED", b"Ed"):
        raise _fmt("unknown signature algorithm")
    global_sig = _b64_line(lines[3], "global signature")
    if len(global_sig) != 64:
        raise _fmt("bad global signature length")
    return Signature(raw[2:10], raw[:2], raw[10:], lines[2][len(_TRUSTED):], global_sig)


def verify(data: bytes, sig_text: str | bytes, pk: PublicKey, *, legacy: bool = False) -> str:
    """Check ``sig_text`` over ``data`` with ``pk``; return the (now trusted) comment.

    :param legacy: also accept minisign's legacy non-prehashed ``Ed`` algorithm. Every
        surveyapp file requires the prehashed ``ED`` (docs/batch-format.md §3), so the
        default refuses ``Ed``.
    :raises SurveyError: CRYPTO_007 bad format (a legacy ``Ed`` signature included),
        CRYPTO_008 another key id, CRYPTO_009 the signature or the trusted comment does not
        verify.
    """
    sig = parse_signature(sig_text)
    if sig.algorithm != b"ED" and not legacy:
        raise _fmt("legacy non-prehashed Ed signature")
    if sig.key_id != pk.key_id:
        raise SurveyError(CryptoCode.CRYPTO_008, key_id=key_id_hex(sig.key_id),
                          expected=pk.id_hex)
    message = _prehash(data) if sig.algorithm == b"ED" else data
    try:
        vk = Ed25519PublicKey.from_public_bytes(pk.raw)
        vk.verify(sig.signature, message)
        vk.verify(sig.global_signature, sig.signature + sig.trusted_comment.encode("utf-8"))
    except InvalidSignature as err:
        raise SurveyError(CryptoCode.CRYPTO_009) from err
    except ValueError as err:
        raise _fmt("bad public key") from err
    return sig.trusted_comment
