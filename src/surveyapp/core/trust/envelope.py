"""Signed trust files: a magic line naming the kind, one canonical JSON line, a minisign
signature of that line (docs/batch-format.md, "Trust files").

Layout (UTF-8, LF line ends)::

    surveyapp.trust/v1 <kind>
    <canonical JSON body, one line>
    untrusted comment: ...
    <base64 signature>
    trusted comment: surveyapp.trust/v1 kind=<kind>
    <base64 global signature>

The signature (``ED``, prehashed) covers the body line without its LF, and the trusted
comment binds the kind, so a body cannot be passed off as another kind of file. Lines 2–6
as separate files are what ``minisign -Vm body -x body.minisig`` checks.
"""

from __future__ import annotations

import json
from typing import Any

from surveyapp.core.crypto import minisign
from surveyapp.core.crypto.codes import CryptoCode
from surveyapp.core.store.canonical import canonical_json, normalize
from surveyapp.core.trust.codes import TrustCode
from surveyapp.errors import SurveyError

MAGIC = "surveyapp.trust/v1"
KINDS = ("enrollment-request", "enrollment", "revocation-list", "form-package", "directory")
MAX_FILE = 64 << 20


def trusted_comment(kind: str) -> str:
    return f"{MAGIC} kind={kind}"


def seal(kind: str, body: dict[str, Any], key: minisign.SigningKey) -> bytes:
    """The signed file of ``body`` (a JSON object) as ``kind``, signed with ``key``."""
    if kind not in KINDS:
        raise ValueError(f"unknown trust file kind {kind!r}")
    line = canonical_json(normalize({**body, "kind": kind}))
    sig = minisign.sign(line, key, trusted_comment=trusted_comment(kind),
                        untrusted_comment=f"surveyapp {kind}")
    return f"{MAGIC} {kind}\n".encode() + line + b"\n" + sig.encode("ascii")


def _bad(path: str, reason: str) -> SurveyError:
    return SurveyError(TrustCode.TRUST_001, path=path, reason=reason)


def split(data: bytes, *, kind: str, path: str = "?") -> tuple[dict[str, Any], bytes, str]:
    """Parse without verifying: (body, body line, signature text).

    :raises SurveyError: TRUST_001 when malformed, TRUST_002 when of another kind.
    """
    if len(data) > MAX_FILE:
        raise _bad(path, "too large")
    parts = data.split(b"\n", 2)
    if len(parts) != 3:
        raise _bad(path, "too few lines")
    try:
        magic, _, found = parts[0].decode("ascii").partition(" ")
    except UnicodeDecodeError as err:
        raise _bad(path, "not text") from err
    if magic != MAGIC or found not in KINDS:
        raise _bad(path, "no surveyapp.trust/v1 line")
    if found != kind:
        raise SurveyError(TrustCode.TRUST_002, path=path, found=found, expected=kind)
    line = parts[1]
    try:
        body = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise _bad(path, "the body is not JSON") from err
    if not isinstance(body, dict) or body.get("kind") != kind:
        raise _bad(path, "the body is not an object of this kind")
    try:
        if canonical_json(body) != line:
            raise _bad(path, "the body is not canonical JSON")
    except ValueError as err:
        raise _bad(path, "the body is not canonical JSON") from err
    try:
        sig = parts[2].decode("ascii")
    except UnicodeDecodeError as err:
        raise _bad(path, "the signature is not text") from err
    return body, line, sig


def open_sealed(data: bytes, *, kind: str, key: minisign.PublicKey,
                path: str = "?") -> dict[str, Any]:
    """Verify a trust file signed by ``key`` and return its body.

    :raises SurveyError: TRUST_001 malformed, TRUST_002 other kind, TRUST_009 signed by
        another key, TRUST_003 the signature does not verify.
    """
    body, line, sig = split(data, kind=kind, path=path)
    try:
        comment = minisign.verify(line, sig, key)
    except SurveyError as err:
        if err.code is CryptoCode.CRYPTO_008:
            raise SurveyError(TrustCode.TRUST_009, path=path, expected=key.id_hex,
                              key_id=err.context.get("key_id", "?")) from err
        if err.code is CryptoCode.CRYPTO_007:
            raise _bad(path, "the signature is damaged") from err
        raise SurveyError(TrustCode.TRUST_003, path=path) from err
    if comment != trusted_comment(kind):
        raise SurveyError(TrustCode.TRUST_003, path=path)
    return body
