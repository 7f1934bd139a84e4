"""minisign vectors made by the reference ``minisign`` (tests/vectors/minisign/README.md):
they need no binary, so they run everywhere."""

from pathlib import Path

import pytest

from surveyapp.core.crypto import minisign
from surveyapp.core.crypto.codes import CryptoCode
from surveyapp.errors import SurveyError

VEC = Path(__file__).resolve().parents[2] / "vectors" / "minisign"
TRUSTED = "surveyapp vector 7 甲"


def _read(name: str) -> str:
    return (VEC / name).read_text(encoding="utf-8")


def test_reference_signature__verifies_with_its_trusted_comment() -> None:
    pk = minisign.parse_public_key(_read("reference.pub"))
    message = (VEC / "message.txt").read_bytes()
    assert minisign.verify(message, _read("message.txt.minisig"), pk) == TRUSTED


def test_reference_signature__altered_message_or_comment_refused() -> None:
    pk = minisign.parse_public_key(_read("reference.pub"))
    message = (VEC / "message.txt").read_bytes()
    sig = _read("message.txt.minisig")
    for data, text in ((message + b"x", sig), (message, sig.replace("7 甲", "8 甲"))):
        with pytest.raises(SurveyError) as info:
            minisign.verify(data, text, pk)
        assert info.value.code is CryptoCode.CRYPTO_009


def test_reference_key__ours_signs_byte_for_byte_alike() -> None:
    key = minisign.parse_secret_key(_read("reference.key"))
    assert key.public_key() == minisign.parse_public_key(_read("reference.pub"))
    ours = minisign.sign((VEC / "message.txt").read_bytes(), key, trusted_comment=TRUSTED,
                         untrusted_comment="made by the reference minisign")
    assert ours == _read("message.txt.minisig")
