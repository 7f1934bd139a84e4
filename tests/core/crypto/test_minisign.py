"""MS-1 sign/verify round trip; MS-2 interop with Debian's minisign both ways; MS-3 bad
format, another key and a bad signature raise distinct codes."""

import shutil
import subprocess

import pytest

from surveyapp.core.crypto import minisign
from surveyapp.core.crypto.codes import CryptoCode
from surveyapp.errors import SurveyError

needs_minisign = pytest.mark.skipif(shutil.which("minisign") is None,
                                    reason="Debian's minisign is not installed")


def _code(fn):
    with pytest.raises(SurveyError) as info:
        fn()
    return info.value.code


def test_sign_verify__returns_trusted_comment():  # MS-1
    key = minisign.generate_key()
    sig = minisign.sign(b"hello", key, trusted_comment="batch 7 甲")
    assert minisign.verify(b"hello", sig, key.public_key()) == "batch 7 甲"


def test_key_files_roundtrip__same_key():  # MS-1
    key = minisign.signing_key_from_seed(bytes(range(32)), b"\x01" * 8)
    assert minisign.parse_secret_key(minisign.secret_key_text(key)) == key
    pk = key.public_key()
    assert minisign.parse_public_key(minisign.public_key_text(pk)) == pk


def test_altered_data__bad_signature():  # MS-3
    key = minisign.generate_key()
    sig = minisign.sign(b"hello", key, trusted_comment="t")
    assert _code(lambda: minisign.verify(b"hellO", sig, key.public_key())) is CryptoCode.CRYPTO_009


def test_non_canonical_base64__bad_format():  # MS-3
    key = minisign.generate_key()
    lines = minisign.sign(b"hello", key, trusted_comment="t").split("\n")
    # The global signature (64 bytes) ends in "==": its last character has 4 unused bits.
    last = lines[3]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    twin = alphabet[alphabet.index(last[-3]) ^ 1]
    lines[3] = last[:-3] + twin + "=="
    assert _code(lambda: minisign.verify(b"hello", "\n".join(lines), key.public_key())) \
        is CryptoCode.CRYPTO_007
    pk = minisign.public_key_text(key.public_key()).split("\n")
    assert _code(lambda: minisign.parse_public_key(pk[1][:-1] + "=" if pk[1][-1] != "=" else
                                                   pk[1] + "x")) is CryptoCode.CRYPTO_007
    assert _code(lambda: minisign.parse_public_key(None)) is CryptoCode.CRYPTO_007  # type: ignore[arg-type]


def test_altered_trusted_comment__bad_signature():  # MS-3
    key = minisign.generate_key()
    sig = minisign.sign(b"hello", key, trusted_comment="seq 7").replace("seq 7", "seq 8")
    assert _code(lambda: minisign.verify(b"hello", sig, key.public_key())) is CryptoCode.CRYPTO_009


def test_other_key__wrong_key_id():  # MS-3
    sig = minisign.sign(b"x", minisign.generate_key(), trusted_comment="t")
    other = minisign.generate_key().public_key()
    assert _code(lambda: minisign.verify(b"x", sig, other)) is CryptoCode.CRYPTO_008


@pytest.mark.parametrize("bad", [b"", b"garbage", b"\xff\xfe", "untrusted comment: a\n!!\n"])
def test_garbage__bad_format(bad):  # MS-3
    pk = minisign.generate_key().public_key()
    assert _code(lambda: minisign.verify(b"x", bad, pk)) is CryptoCode.CRYPTO_007


def test_damaged_secret_key__bad_format():  # MS-3
    text = minisign.secret_key_text(minisign.generate_key())
    line = text.splitlines()[1]
    flipped = line[:-8] + ("A" if line[-8] != "A" else "B") + line[-7:]
    assert _code(lambda: minisign.parse_secret_key(flipped)) is CryptoCode.CRYPTO_007


@needs_minisign
def test_minisign_signs__we_verify(tmp_path):  # MS-2
    pk, sk, msg = tmp_path / "k.pub", tmp_path / "k.key", tmp_path / "m.txt"
    subprocess.run(["minisign", "-G", "-W", "-p", pk, "-s", sk], check=True,
                   capture_output=True)
    msg.write_bytes(b"manifest bytes\n")
    subprocess.run(["minisign", "-S", "-s", sk, "-m", msg, "-t", "trusted 甲"], check=True,
                   capture_output=True)
    sig = (tmp_path / "m.txt.minisig").read_text()
    public = minisign.parse_public_key(pk.read_text())
    assert minisign.verify(msg.read_bytes(), sig, public) == "trusted 甲"
    # Its secret key file reads back to the same public key.
    assert minisign.parse_secret_key(sk.read_text()).public_key() == public


@needs_minisign
def test_we_sign__minisign_verifies(tmp_path):  # MS-2
    key = minisign.generate_key()
    pk, msg = tmp_path / "k.pub", tmp_path / "m.bin"
    pk.write_text(minisign.public_key_text(key.public_key()))
    msg.write_bytes(bytes(range(256)) * 10)
    (tmp_path / "m.bin.minisig").write_text(
        minisign.sign(msg.read_bytes(), key, trusted_comment="from surveyapp"))
    out = subprocess.run(["minisign", "-Vm", msg, "-p", pk], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "from surveyapp" in out.stdout
    # And minisign signs with a secret key file we wrote.
    sk = tmp_path / "k.key"
    sk.write_text(minisign.secret_key_text(key))
    other = tmp_path / "n.bin"
    other.write_bytes(b"second")
    subprocess.run(["minisign", "-S", "-s", sk, "-m", other, "-t", "tc"], check=True,
                   capture_output=True, input=b"")
    sig = (tmp_path / "n.bin.minisig").read_text()
    assert minisign.verify(b"second", sig, key.public_key()) == "tc"
