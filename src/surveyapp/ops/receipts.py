"""Receipts for the UI and the CLI: the importing tier signs what it received; the village
imports the receipt and from then on exports only what nobody has acknowledged.

    write_receipt(ws, batch_path, out_dir) -> ReceiptWritten      # township / county
    import_receipt(ws, receipt_path) -> ReceiptImported           # the batch's sender
    receipt_status(ws) -> ReceiptStatus                           # how far each tier has it
    received_by(ws, record_ids) -> {record_id: ("township", "county")}  # for the list

The receiver checks the batch again (signature, payload, decryption) and lists the batch's
revisions it now holds. The sender verifies the receipt with the county's key (a county
receipt) or with the township device's key from its trust store (a township receipt), then
advances ``batch.acked_seq`` (what ``ops.batches.export_batch`` skips) to the last local
revision such that it and every one before it were received, and keeps the same figure per
tier in ``receipt.acked_seq.<role>``, so the list can show which records the township or
county already holds. Importing the same receipt again changes nothing and says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from surveyapp.core.batch import open_batch
from surveyapp.core.batch.reader import AUDIT_PREFIX
from surveyapp.core.crypto import minisign
from surveyapp.core.receipts import (
    ReceiptCode,
    acked_upto,
    make_receipt,
    read_receipt,
    verify_receipt,
)
from surveyapp.core.store import Workspace
from surveyapp.core.store.revisions import utc_now
from surveyapp.core.trust import keystore
from surveyapp.errors import CommonCode, SurveyError


@dataclass(frozen=True, slots=True)
class ReceiptWritten:
    path: Path
    device_id: str
    sequence: int
    revisions: int


@dataclass(frozen=True, slots=True)
class ReceiptImported:
    receiver_role: str
    receiver_org: str
    sequence: int
    received: int
    acked_seq: int
    previous_acked_seq: int
    already_imported: bool  # it acknowledged nothing new (e.g. imported twice)


@dataclass(frozen=True, slots=True)
class ReceiptStatus:
    """Local revision sequence numbers up to which each tier holds everything."""

    acked_seq: int
    township: int
    county: int


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise SurveyError(CommonCode.IO_002, path=str(path)) from err
    except OSError as err:
        raise SurveyError(CommonCode.IO_003, path=str(path), reason=str(err)) from err


def _write_atomic(folder: Path, name: str, data: bytes) -> Path:
    if not folder.is_dir():
        raise SurveyError(CommonCode.IO_002, path=str(folder))
    final = folder / name
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".surveyapp-receipt-",
                                         suffix=".tmp", delete=False) as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(out.name, final)
    except OSError as err:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(out.name)
        raise SurveyError(CommonCode.IO_003, path=str(final), reason=str(err)) from err
    return final


def write_receipt(ws: Workspace, batch_path: str | Path, out_dir: str | Path) -> ReceiptWritten:
    """Sign a receipt for a batch this workspace has imported, into ``out_dir``.

    :raises SurveyError: RECEIPT_005 no signing key; RECEIPT_004 the batch was not imported
        here; a batch rejection code when the file no longer verifies; IO_002/IO_003.
    """
    key = keystore.signing_key(ws)
    if key is None:
        raise SurveyError(ReceiptCode.RECEIPT_005)
    path = Path(batch_path)
    try:
        fh = path.open("rb")
    except OSError as err:
        raise SurveyError(CommonCode.IO_002, path=str(path)) from err
    with fh, open_batch(fh, signers=keystore.signers(ws), scope=ws.org_code,
                        path=str(path)) as opened:
        m = opened.manifest
        seen = json.loads(ws.get_meta(f"batch.received.{m.device_id}") or "{}")
        if opened.batch_hash not in seen.values():
            raise SurveyError(ReceiptCode.RECEIPT_004, path=str(path))
        ids = [hashlib.sha256(line).hexdigest()
               for line in opened.lines(keystore.age_identities(ws))
               if not line.startswith(AUDIT_PREFIX)]
    held = [i for i in ids if ws.get_revision(i) is not None]
    data = make_receipt(
        key, receiver={"device_id": ws.device_id, "org_code": ws.org_code, "role": ws.role},
        batch={"batch_hash": opened.batch_hash, "batch_id": m.batch_id,
               "device_id": m.device_id, "sequence": m.sequence},
        revision_ids=held, received_at=utc_now())
    name = f"{m.org_code}_{m.sequence:06d}_{m.batch_id[:8]}.{ws.role}.receipt"
    out = _write_atomic(Path(out_dir), name, data)
    ws.audit("receipt", what="write", device=m.device_id, sequence=m.sequence,
             revisions=len(held))
    return ReceiptWritten(out, m.device_id, m.sequence, len(held))


def _receiver_key(ws: Workspace, role: str, device_id: str, org: str,
                  path: str) -> minisign.PublicKey:
    who = {"path": path, "receiver": f"{role} {org}"}
    if role == "county":
        county = keystore.county_keys(ws)
        if county is None or county.org_code != org:
            raise SurveyError(ReceiptCode.RECEIPT_003, **who)
        return county.public_key()
    entry = keystore.devices(ws).get(device_id)
    if entry is None or entry.revoked or entry.role != role or entry.org_code != org:
        raise SurveyError(ReceiptCode.RECEIPT_003, **who)
    return minisign.parse_public_key(entry.sign_key)


def import_receipt(ws: Workspace, receipt_path: str | Path) -> ReceiptImported:
    """Verify a receipt for one of this device's batches and record what it acknowledges.

    :raises SurveyError: RECEIPT_001 malformed; RECEIPT_002 another device's receipt;
        RECEIPT_003 unknown receiver or bad signature; IO_002 missing file.
    """
    path = Path(receipt_path)
    data = _read_bytes(path)
    claimed = read_receipt(data, path=str(path))
    if claimed.device_id != ws.device_id:
        raise SurveyError(ReceiptCode.RECEIPT_002, path=str(path), device=claimed.device_id)
    key = _receiver_key(ws, claimed.receiver_role, claimed.receiver_device,
                        claimed.receiver_org, str(path))
    receipt = verify_receipt(data, key, path=str(path))
    role_key = f"receipt.acked_seq.{receipt.receiver_role}"
    previous = int(ws.get_meta("batch.acked_seq") or "0")
    role_prev = int(ws.get_meta(role_key) or "0")

    def ordered(after: int) -> list[tuple[int, str]]:
        rows = ws.conn.iterate("SELECT seq, id FROM revisions WHERE seq > ? ORDER BY seq",
                               (after,))
        return [(int(seq), str(rid)) for seq, rid in rows]

    role_acked = acked_upto(ordered(role_prev), receipt.revisions, role_prev)
    acked = max(previous, acked_upto(ordered(previous), receipt.revisions, previous))
    unchanged = (acked, role_acked) == (previous, role_prev)
    if not unchanged:
        with ws.conn.atomic():
            ws.set_meta("batch.acked_seq", str(acked))
            ws.set_meta(role_key, str(role_acked))
            ws.audit("receipt", what="import", role=receipt.receiver_role,
                     sequence=receipt.sequence, acked_seq=acked)
    return ReceiptImported(receipt.receiver_role, receipt.receiver_org, receipt.sequence,
                           len(receipt.revisions), acked, previous, unchanged)


def receipt_status(ws: Workspace) -> ReceiptStatus:
    """How far the township and the county hold this device's revisions."""
    def meta(key: str) -> int:
        return int(ws.get_meta(key) or "0")

    return ReceiptStatus(meta("batch.acked_seq"), meta("receipt.acked_seq.township"),
                         meta("receipt.acked_seq.county"))


def received_by(ws: Workspace, record_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """For each record, the tiers that hold every revision this device has of it (a record
    edited after the last acknowledged export is not "received" until the next receipt).
    """
    status = receipt_status(ws)
    out: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(record_ids), 500):
        part = record_ids[start:start + 500]
        marks = ",".join("?" * len(part))  # only placeholders go into the SQL text
        rows = ws.conn.execute(
            f"SELECT record_id, max(seq) FROM revisions WHERE record_id IN ({marks}) "
            "GROUP BY record_id", part)
        for record_id, last in rows:
            out[str(record_id)] = tuple(
                role for role, upto in (("township", status.township),
                                        ("county", status.county)) if int(last) <= upto)
    return out


__all__ = ["ReceiptImported", "ReceiptStatus", "ReceiptWritten", "import_receipt",
           "receipt_status", "received_by", "write_receipt"]
