"""Signed JSON files for trust documents (requests, enrollments, updates).

A sealed file is canonical JSON ``{"body": {...}, "signature": "<.minisig text>",
"type": "<kind>"}``; the minisign signature covers the canonical JSON of
``{"body": ..., "type": ...}`` and its trusted comment is ``surveyapp <kind>``.
"""

from __future__ import annotations

import json
from typing import Any

from surveyapp.core.crypto import minisign
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.trust.codes import TrustCode
from surveyapp.errors import SurveyError

MAX_FILE = 64 << 20


def seal(kind: str, body: dict[str, Any], key: minisign.SigningKey) -> bytes:
    """The sealed file bytes of ``body`` signed with ``key``."""
    signed = canonical_json({"body": body, "type": kind})
    sig = minisign.sign(signed, key, trusted_comment=f"surveyapp {kind}")
    return canonical_json({"body": body, "signature": sig, "type": kind})


def peek(data: bytes, kind: str, path: str = "?") -> dict[str, Any]:
    """The body of a sealed file, NOT yet verified (to find the key that must verify it).

    :raises SurveyError: TRUST_001 when it is not a sealed ``kind`` file.
    """
    try:
        if len(data) > MAX_FILE:
            raise ValueError("too large")
        obj = json.loads(data.decode("utf-8"))
        if not isinstance(obj, dict) or set(obj) != {"body", "signature", "type"}:
            raise ValueError("wrong keys")
        if obj["type"] != kind or not isinstance(obj["body"], dict):
            raise ValueError(f"not a {kind}")
        if not isinstance(obj["signature"], str):
            raise ValueError("no signature")
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise SurveyError(TrustCode.TRUST_001, path=path, kind=kind, reason=str(err)) from err
    body: dict[str, Any] = obj["body"]
    return body


def unseal(data: bytes, kind: str, pk: minisign.PublicKey, path: str = "?") -> dict[str, Any]:
    """Verify a sealed file with ``pk`` and return its body.

    :raises SurveyError: TRUST_001 malformed; TRUST_002 bad signature or another key.
    """
    body = peek(data, kind, path)
    sig = json.loads(data.decode("utf-8"))["signature"]
    try:
        signed = canonical_json({"body": body, "type": kind})
    except ValueError as err:  # a float, a non-NFC string or a huge integer: never signed
        raise SurveyError(TrustCode.TRUST_001, path=path, kind=kind,
                          reason="not canonical JSON") from err
    try:
        comment = minisign.verify(signed, sig, pk)
    except SurveyError as err:
        raise SurveyError(TrustCode.TRUST_002, path=path, kind=kind) from err
    if comment != f"surveyapp {kind}":
        raise SurveyError(TrustCode.TRUST_002, path=path, kind=kind)
    return body
