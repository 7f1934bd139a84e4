"""Receipts: the importing tier's signed list of what it received from one batch.

A receipt is a sealed trust file (:mod:`surveyapp.core.trust.sealed`, kind ``receipt``)
whose body is::

    {"format": "surveyapp.receipt/v1", "batch_hash": <64 hex>, "batch_id": <32 hex>,
     "device_id": <the batch's signer>, "sequence": <its sequence>,
     "revisions": [<sorted revision ids now held by the receiver>],
     "receiver": {"device_id", "org_code", "role"}, "received_at": <UTC stamp>}

Public API::

    make_receipt(key, *, receiver, batch, revision_ids, received_at) -> bytes
    read_receipt(data, *, path) -> Receipt            # parsed, NOT verified
    verify_receipt(data, key, *, path) -> Receipt     # signature checked
    acked_upto(ordered_ids, received, start) -> int   # how far the sender may now skip
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from surveyapp.core.crypto import minisign
from surveyapp.core.receipts.codes import ReceiptCode
from surveyapp.core.trust import sealed
from surveyapp.errors import SurveyError

FORMAT = "surveyapp.receipt/v1"
KIND = "receipt"
_HEX64 = re.compile(r"[0-9a-f]{64}")
ROLES = ("township", "county")


@dataclass(frozen=True, slots=True)
class Receipt:
    batch_hash: str
    batch_id: str
    device_id: str
    sequence: int
    revisions: frozenset[str]
    receiver_device: str
    receiver_org: str
    receiver_role: str
    received_at: str


def make_receipt(key: minisign.SigningKey, *, receiver: Mapping[str, str],
                 batch: Mapping[str, Any], revision_ids: Iterable[str],
                 received_at: str) -> bytes:
    """A signed receipt.

    :param receiver: ``device_id``, ``org_code``, ``role`` (``township`` or ``county``).
    :param batch: ``batch_hash``, ``batch_id``, ``device_id``, ``sequence`` of the batch.
    :param revision_ids: the batch's revisions that the receiver now holds.
    """
    body = {
        "format": FORMAT,
        "batch_hash": str(batch["batch_hash"]), "batch_id": str(batch["batch_id"]),
        "device_id": str(batch["device_id"]), "sequence": int(batch["sequence"]),
        "revisions": sorted(set(revision_ids)),
        "receiver": {k: str(receiver[k]) for k in ("device_id", "org_code", "role")},
        "received_at": received_at,
    }
    return sealed.seal(KIND, body, key)


def _bad(path: str, reason: str) -> SurveyError:
    return SurveyError(ReceiptCode.RECEIPT_001, path=path, reason=reason)


def _parse(body: dict[str, Any], path: str) -> Receipt:
    if body.get("format") != FORMAT:
        raise _bad(path, "not a surveyapp.receipt/v1")
    rec = body.get("receiver")
    revs = body.get("revisions")
    seq = body.get("sequence")
    strings = [body.get(k) for k in ("batch_hash", "batch_id", "device_id", "received_at")]
    if (not isinstance(rec, dict) or not isinstance(revs, list) or not isinstance(seq, int)
            or isinstance(seq, bool) or not all(isinstance(s, str) for s in strings)
            or not all(isinstance(rec.get(k), str) for k in ("device_id", "org_code", "role"))):
        raise _bad(path, "a field is missing or of the wrong type")
    if rec["role"] not in ROLES:
        raise _bad(path, f"unknown receiver role {rec['role']!r}")
    if not all(isinstance(r, str) and _HEX64.fullmatch(r) for r in revs):
        raise _bad(path, "a revision id is not 64 hex digits")
    return Receipt(body["batch_hash"], body["batch_id"], body["device_id"], seq,
                   frozenset(revs), rec["device_id"], rec["org_code"], rec["role"],
                   body["received_at"])


def read_receipt(data: bytes, *, path: str = "?") -> Receipt:
    """Parse a receipt WITHOUT checking its signature (to learn who must have signed it).

    :raises SurveyError: RECEIPT_001 when it is not a well-formed receipt.
    """
    try:
        body = sealed.peek(data, KIND, path)
    except SurveyError as err:
        raise _bad(path, "not a sealed receipt file") from err
    return _parse(body, path)


def verify_receipt(data: bytes, key: minisign.PublicKey, *, path: str = "?") -> Receipt:
    """Check the receipt's signature with ``key`` and return it.

    :raises SurveyError: RECEIPT_001 malformed; RECEIPT_003 the signature does not verify.
    """
    receipt = read_receipt(data, path=path)
    try:
        body = sealed.unseal(data, KIND, key, path)
    except SurveyError as err:
        raise SurveyError(ReceiptCode.RECEIPT_003, path=path,
                          receiver=f"{receipt.receiver_role} {receipt.receiver_org}") from err
    return _parse(body, path)


def acked_upto(ordered: Iterable[tuple[int, str]], received: frozenset[str] | set[str],
               start: int) -> int:
    """The highest local sequence ``s >= start`` such that every revision after ``start``
    up to ``s`` is in ``received`` (the sender's export then starts after ``s``).

    :param ordered: (local seq, revision id) after ``start``, in increasing seq order.
    """
    upto = start
    for seq, rev_id in ordered:
        if rev_id not in received:
            break
        upto = seq
    return upto


__all__ = ["FORMAT", "Receipt", "ReceiptCode", "acked_upto", "make_receipt", "read_receipt",
           "verify_receipt"]
