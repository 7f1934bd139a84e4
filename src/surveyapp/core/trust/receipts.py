"""Signed receipts: the importing tier tells the sending device which batch it holds.

    make_receipt(ws, *, batch_hash, batch_id, device_id, sequence, revisions) -> bytes
    read_receipt(ws, data, path="?") -> Receipt     # verified with the county key or a
                                                    # known township device key
    verify_receipt(ws, data, path="?") -> Receipt   # the same, for any device's receipt

A receipt is a sealed file (:mod:`.sealed`) of kind ``surveyapp.receipt/v1`` signed by the
county authority key (county) or by the township's device key.
"""

from __future__ import annotations

from dataclasses import dataclass

from surveyapp.core.crypto import minisign
from surveyapp.core.store.revisions import utc_now
from surveyapp.core.trust import keystore
from surveyapp.core.trust.codes import TrustCode
from surveyapp.core.trust.keystore import TrustWorkspace
from surveyapp.core.trust.sealed import peek, seal, unseal
from surveyapp.errors import SurveyError

RECEIPT = "surveyapp.receipt/v1"


@dataclass(frozen=True, slots=True)
class Receipt:
    batch_hash: str
    batch_id: str
    device_id: str
    sequence: int
    revisions: int
    received_by: str  # the importer's org code
    role: str  # "county" or "township"
    received_at: str


def make_receipt(ws: TrustWorkspace, *, batch_hash: str, batch_id: str, device_id: str,
                 sequence: int, revisions: int) -> bytes:
    """A receipt for an imported batch, signed with this workspace's key.

    :raises SurveyError: TRUST_005/TRUST_008 when this workspace has no signing key.
    """
    key = keystore.signing_key(ws)
    if key is None:
        raise SurveyError(TrustCode.TRUST_005 if ws.role == "county" else TrustCode.TRUST_008)
    body = {"batch_hash": batch_hash, "batch_id": batch_id, "device_id": device_id,
            "sequence": sequence, "revisions": revisions, "received_by": ws.org_code,
            "role": ws.role, "received_at": utc_now(),
            "key_id": key.public_key().id_hex}
    return seal(RECEIPT, body, key)


def _issuer_key(ws: TrustWorkspace, body: dict[str, object], path: str) -> minisign.PublicKey:
    county = keystore.county_keys(ws)
    if body.get("role") == "county" and county is not None:
        return county.public_key()
    # A township may have several enrolled devices: the receipt's key id picks the one.
    key_id = body.get("key_id")
    for entry in keystore.devices(ws).values():
        if (entry.role == "township" and not entry.revoked
                and entry.org_code == body.get("received_by")):
            pk = minisign.parse_public_key(entry.sign_key)
            if key_id is None or pk.id_hex == key_id:
                return pk
    raise SurveyError(TrustCode.TRUST_002, path=path, kind=RECEIPT)


def read_receipt(ws: TrustWorkspace, data: bytes, path: str = "?") -> Receipt:
    """Verify a receipt for this device.

    :raises SurveyError: TRUST_001 malformed; TRUST_002 not signed by the county or a known
        township; TRUST_011 a receipt for another device.
    """
    receipt = verify_receipt(ws, data, path)
    if receipt.device_id != ws.device_id:
        raise SurveyError(TrustCode.TRUST_011, path=path, device=receipt.device_id)
    return receipt


def verify_receipt(ws: TrustWorkspace, data: bytes, path: str = "?") -> Receipt:
    """Verify a receipt for any device (a township passes the county's receipts for its
    villages down to them).

    :raises SurveyError: TRUST_001 malformed; TRUST_002 not signed by the county or a known
        township.
    """
    body = unseal(data, RECEIPT, _issuer_key(ws, peek(data, RECEIPT, path), path), path)
    try:
        receipt = Receipt(str(body["batch_hash"]), str(body["batch_id"]),
                          str(body["device_id"]), int(body["sequence"]),
                          int(body["revisions"]), str(body["received_by"]), str(body["role"]),
                          str(body["received_at"]))
    except (KeyError, TypeError, ValueError) as err:
        raise SurveyError(TrustCode.TRUST_001, path=path, kind=RECEIPT,
                          reason="missing or bad field") from err
    return receipt
