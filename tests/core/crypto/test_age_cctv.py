"""Requirements: AGE-3 every malformed, misdirected or altered age file is rejected with a
coded error, and only authenticated plaintext is released; AGE-5 the C2SP CCTV age test
vectors (tests/vectors/age/, X25519 and scrypt, not armored) all give their expected
outcome."""

import hashlib
import io
import zlib
from pathlib import Path

import pytest

from surveyapp.core.crypto import age
from surveyapp.core.crypto.codes import CryptoCode
from surveyapp.errors import SurveyError

VECTORS = Path(__file__).parents[2] / "vectors" / "age"
# What each CCTV outcome must map to here. Aliases: a work factor above the limit has its
# own code (CRYPTO_006, so the user learns why), and a missing payload nonce counts as a
# cut-short file (CRYPTO_004).
EXPECTED_CODES = {
    "no match": {CryptoCode.CRYPTO_002, CryptoCode.CRYPTO_003},
    "header failure": {CryptoCode.CRYPTO_001},
    "HMAC failure": {CryptoCode.CRYPTO_004},
    "payload failure": {CryptoCode.CRYPTO_004},
}


def _parse(path: Path) -> tuple[dict[str, list[str]], bytes]:
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n\n")
    fields: dict[str, list[str]] = {}
    for line in head.decode().splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, []).append(value)
    if fields.get("compressed") == ["zlib"]:
        body = zlib.decompress(body)
    return fields, body


def _decrypt(fields: dict[str, list[str]], body: bytes,
             piece: int = 0) -> tuple[bytes, SurveyError | None]:
    """The plaintext released before any failure, and the failure; with ``piece``, the file
    is handed to ``decrypt_blocks`` in pieces of that size instead of read as a stream."""
    attempts = [{"passphrase": p, "max_work_factor": 22} for p in fields.get("passphrase", [])]
    attempts = attempts or [{"identities": fields.get("identity", [])}]
    for i, kwargs in enumerate(attempts):
        released = bytearray()
        try:
            if piece:
                pieces = (body[i : i + piece] for i in range(0, len(body), piece))
                for chunk in age.decrypt_blocks(pieces, **kwargs):  # type: ignore[arg-type]
                    released += chunk
            else:
                for chunk in age.decrypt_stream(io.BytesIO(body), **kwargs):
                    released += chunk
        except SurveyError as err:
            if err.code is CryptoCode.CRYPTO_002 and i + 1 < len(attempts):
                continue
            return bytes(released), err
        return bytes(released), None
    raise AssertionError("no attempt made")  # pragma: no cover


CASES = sorted(p for p in VECTORS.iterdir() if p.suffix != ".md")


def test_vectors_present__all_copied():  # AGE-5
    assert len(CASES) == 92


# Piece sizes for decrypt_blocks (0 reads a stream instead): they cut the file across the
# header, the nonce and the chunk boundaries in different places.
PIECES = [0, 7, 4096, age.CHUNK + 16, 1 << 20]


@pytest.mark.parametrize("piece", PIECES)
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_cctv_vector__expected_outcome(path, piece):  # AGE-3, AGE-5
    fields, body = _parse(path)
    expect = fields["expect"][0]
    if piece == 7 and len(body) > 200_000:
        piece = 997  # seven-byte pieces of a 16 MB file would only be slow
    released, err = _decrypt(fields, body, piece)
    if expect == "success":
        assert err is None, err
    else:
        assert err is not None, f"{path.name}: accepted, expected {expect}"
        allowed = set(EXPECTED_CODES[expect])
        if expect == "header failure" and "work_factor" in path.name:
            allowed.add(CryptoCode.CRYPTO_006)
        if expect == "header failure" and err.context.get("reason") == "payload nonce missing":
            allowed.add(CryptoCode.CRYPTO_004)
        if expect == "HMAC failure":
            assert err.context.get("reason") == "header MAC mismatch", err
        assert err.code in allowed, (path.name, expect, err)
    if expect in ("success", "payload failure"):
        assert hashlib.sha256(released).hexdigest() == fields["payload"][0]
    else:
        assert released == b""
