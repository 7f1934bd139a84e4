"""AGE-1 round trips; AGE-2 interop with Debian's age both ways; AGE-3 wrong key/passphrase
and damaged files get distinct coded errors; AGE-4 Bech32 keys."""

import io
import shutil
import subprocess

import pytest

from surveyapp.core import crypto
from surveyapp.core.crypto import age
from surveyapp.core.crypto.codes import CryptoCode
from surveyapp.errors import SurveyError

needs_age = pytest.mark.skipif(shutil.which("age") is None, reason="Debian's age is not installed")


def _code(fn):
    with pytest.raises(SurveyError) as info:
        fn()
    return info.value.code


@pytest.mark.parametrize("size", [0, 1, age.CHUNK - 1, age.CHUNK, age.CHUNK + 1, 3 * age.CHUNK])
def test_roundtrip_chunk_boundaries__ok(size):  # AGE-1
    ident, recip = crypto.generate_age_identity()
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    assert age.decrypt(age.encrypt(data, recipients=[recip]), identities=[ident]) == data


def test_two_recipients__either_decrypts():  # AGE-1
    (i1, r1), (i2, r2) = crypto.generate_age_identity(), crypto.generate_age_identity()
    blob = crypto.wrap_to_recipients(b"k", [r1, r2])
    assert crypto.unwrap_with_identity(blob, i1) == crypto.unwrap_with_identity(blob, i2) == b"k"


def test_wrong_identity__no_identity():  # AGE-3
    _, r = crypto.generate_age_identity()
    other, _ = crypto.generate_age_identity()
    blob = crypto.wrap_to_recipients(b"k", [r])
    assert _code(lambda: crypto.unwrap_with_identity(blob, other)) is CryptoCode.CRYPTO_003


def test_wrong_passphrase__wrong_passphrase():  # AGE-3
    blob = crypto.wrap_with_passphrase(b"k", "正确的密码", work_factor=10)
    assert crypto.unwrap_with_passphrase(blob, "正确的密码") == b"k"
    assert _code(lambda: crypto.unwrap_with_passphrase(blob, "错")) is CryptoCode.CRYPTO_002


def test_excessive_work_factor__refused():  # AGE-3
    blob = crypto.wrap_with_passphrase(b"k", "pw", work_factor=12)
    f = lambda: crypto.unwrap_with_passphrase(blob, "pw", max_work_factor=11)  # noqa: E731
    assert _code(f) is CryptoCode.CRYPTO_006


def test_truncated_and_altered__detected():  # AGE-3
    ident, recip = crypto.generate_age_identity()
    blob = age.encrypt(b"y" * (2 * age.CHUNK + 10), recipients=[recip])
    cut = blob[: -(age.CHUNK // 2)]
    assert _code(lambda: age.decrypt(cut, identities=[ident])) is CryptoCode.CRYPTO_004
    # Cut exactly at a chunk boundary: the last remaining chunk lacks the final flag.
    at_boundary = blob[: len(blob) - (10 + 16)]
    assert _code(lambda: age.decrypt(at_boundary, identities=[ident])) is CryptoCode.CRYPTO_004
    flipped = bytearray(blob)
    flipped[-5] ^= 1
    f = lambda: age.decrypt(bytes(flipped), identities=[ident])  # noqa: E731
    assert _code(f) is CryptoCode.CRYPTO_004
    header_end = blob.index(b"\n---") + 1
    bad_mac = bytearray(blob)
    bad_mac[header_end + 6] = ord("A") if bad_mac[header_end + 6] != ord("A") else ord("B")
    assert _code(lambda: age.decrypt(bytes(bad_mac), identities=[ident])) in {
        CryptoCode.CRYPTO_004,
        CryptoCode.CRYPTO_001,
    }


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"hello",
        b"age-encryption.org/v1\n",
        b"age-encryption.org/v2\n-> X\nAA\n--- AA\n",
        b"age-encryption.org/v1\n" + b"-> " + b"a" * 70000,
    ],
)
def test_garbage__header_error(blob):  # AGE-3
    ident, _ = crypto.generate_age_identity()
    assert _code(lambda: age.decrypt(blob, identities=[ident])) is CryptoCode.CRYPTO_001


def test_bech32_keys__roundtrip_and_bad_checksum():  # AGE-4
    ident, recip = crypto.generate_age_identity()
    assert ident.startswith("AGE-SECRET-KEY-1") and recip.startswith("age1")
    assert age.recipient_of(ident) == recip
    bad = recip[:-1] + ("q" if recip[-1] != "q" else "p")
    assert _code(lambda: age.parse_recipient(bad)) is CryptoCode.CRYPTO_005


@pytest.mark.interop
@needs_age
def test_debian_age_decrypts_ours__and_we_decrypt_theirs(tmp_path):  # AGE-2
    ident, recip = crypto.generate_age_identity()
    key = tmp_path / "key.txt"
    key.write_text(ident + "\n")
    data = b"\xe5\x84\xbf\xe7\xab\xa5" * 30000
    (tmp_path / "ours.age").write_bytes(age.encrypt(data, recipients=[recip]))
    out = subprocess.run(
        ["age", "-d", "-i", str(key), str(tmp_path / "ours.age")], capture_output=True, check=True
    )
    assert out.stdout == data
    theirs = subprocess.run(["age", "-r", recip], input=data, capture_output=True, check=True)
    assert age.decrypt(theirs.stdout, identities=[ident]) == data


@pytest.mark.interop
@needs_age
def test_debian_age_keygen__identity_accepted(tmp_path):  # AGE-2, AGE-4
    keygen = shutil.which("age-keygen")
    if keygen is None:
        pytest.skip("age-keygen missing")
    text = subprocess.run([keygen], capture_output=True, check=True, text=True).stdout
    ident = next(line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-1"))
    recip = subprocess.run(
        [keygen, "-y"], input=text, capture_output=True, check=True, text=True
    ).stdout.strip()
    assert age.recipient_of(ident) == recip


def test_streaming__yields_plaintext_as_read():  # AGE-1
    ident, recip = crypto.generate_age_identity()
    data = bytes(range(256)) * (3 * age.CHUNK // 256) + b"tail"
    blob = age.encrypt(data, recipients=[recip])
    pieces = list(age.decrypt_stream(io.BytesIO(blob), identities=[ident],
                                     read_size=age.CHUNK))
    assert len(pieces) >= 4 and all(len(p) <= 2 * age.CHUNK for p in pieces)
    assert b"".join(pieces) == data


@pytest.mark.parametrize("piece", [1, 15, 16, 17, 1000, age.CHUNK + 15, age.CHUNK + 16,
                                   age.CHUNK + 17, 3 * (age.CHUNK + 16), 1 << 20])
def test_blocks_of_any_size__same_plaintext(piece):  # AGE-1
    ident, recip = crypto.generate_age_identity()
    for size in (0, 5, age.CHUNK, 2 * age.CHUNK, 3 * age.CHUNK + 100):
        data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
        blob = age.encrypt(data, recipients=[recip])
        step = piece if piece > 1 or len(blob) < 70_000 else 97
        pieces = (blob[i : i + step] for i in range(0, len(blob), step))
        assert b"".join(age.decrypt_blocks(pieces, identities=[ident])) == data


def test_blocks_cut_anywhere__truncated_or_header_error():  # AGE-3
    ident, recip = crypto.generate_age_identity()
    blob = age.encrypt(b"q" * (2 * age.CHUNK + 3), recipients=[recip])
    for cut in range(0, len(blob), 997):
        pieces = [blob[:cut][i : i + 4096] for i in range(0, cut, 4096)]
        with pytest.raises(SurveyError) as info:
            b"".join(age.decrypt_blocks(pieces, identities=[ident]))
        assert info.value.code in (CryptoCode.CRYPTO_001, CryptoCode.CRYPTO_004)
