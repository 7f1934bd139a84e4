"""The signed manifest (docs/batch-format.md §2–3): build, encode, parse strictly."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from surveyapp.core.batch.codec import VERSION
from surveyapp.core.batch.codes import HeaderError
from surveyapp.core.store.canonical import canonical_json

SIGNER_ROLES = ("village", "township")
_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9A-F]{16}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_KEYS = {"format", "batch_id", "signer", "sequence", "previous", "created_at", "full",
         "counts", "form_versions", "payload", "recipients"}


@dataclass(frozen=True, slots=True)
class Manifest:
    batch_id: str
    device_id: str
    org_code: str
    role: str
    key_id: str
    sequence: int
    previous: str
    created_at: str
    full: bool
    records: int
    revisions: int
    audit: int
    form_versions: tuple[str, ...]
    payload_sha256: str
    payload_size: int
    recipients: tuple[str, ...]
    format: str = VERSION
    # The signer's audit chain head ``(seq, hash)`` (§2 ``audit_head``); None in batches
    # written before the chain was anchored, which stay readable.
    audit_head: tuple[int, str] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format, "batch_id": self.batch_id,
            "signer": {"device_id": self.device_id, "org_code": self.org_code,
                       "role": self.role, "key_id": self.key_id},
            "sequence": self.sequence, "previous": self.previous,
            "created_at": self.created_at, "full": self.full,
            "counts": {"records": self.records, "revisions": self.revisions,
                       "audit": self.audit},
            "form_versions": sorted(self.form_versions),
            "payload": {"sha256": self.payload_sha256, "size": self.payload_size},
            "recipients": sorted(self.recipients),
        } | ({"audit_head": {"seq": self.audit_head[0], "hash": self.audit_head[1]}}
             if self.audit_head is not None else {})

    def to_bytes(self) -> bytes:
        """The canonical JSON bytes that are signed."""
        return canonical_json(self.to_json())

    @property
    def trusted_comment(self) -> str:
        """The minisign trusted comment the spec requires (§3)."""
        return (f"{self.format} device={self.device_id} org={self.org_code} "
                f"seq={self.sequence} batch={self.batch_id}")


def batch_hash(manifest_bytes: bytes) -> str:
    """The batch hash: SHA-256 of the manifest bytes (§5)."""
    return hashlib.sha256(manifest_bytes).hexdigest()


def _need(cond: bool, path: str, reason: str) -> None:
    if not cond:
        raise HeaderError(path=path, reason=f"manifest: {reason}")


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _strs(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(s, str) for s in v) and v == sorted(v)


def parse_manifest(data: bytes, *, path: str = "?") -> Manifest:
    """Parse and check ``manifest.json`` bytes (canonical, exact keys and types).

    :raises HeaderError: anything off.
    """
    try:
        obj = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as err:  # UnicodeDecodeError is a ValueError
        raise HeaderError(path=path, reason="manifest is not JSON") from err
    try:
        canonical = isinstance(obj, dict) and canonical_json(obj) == data
    except (ValueError, RecursionError) as err:  # floats, non-NFC text, huge integers
        raise HeaderError(path=path, reason="manifest is not canonical") from err
    _need(canonical, path, "not canonical JSON")
    _need(set(obj) in (_KEYS, _KEYS | {"audit_head"}), path, "wrong keys")
    signer, counts, payload = obj["signer"], obj["counts"], obj["payload"]
    _need(obj["format"] == VERSION, path, "format")
    _need(isinstance(obj["batch_id"], str) and bool(_HEX32.fullmatch(obj["batch_id"])),
          path, "batch_id")
    _need(isinstance(signer, dict) and set(signer) == {"device_id", "org_code", "role",
                                                       "key_id"}, path, "signer")
    _need(all(isinstance(v, str) and v for v in signer.values()), path, "signer fields")
    _need(signer["role"] in SIGNER_ROLES, path, "signer role")
    _need(bool(_KEY_ID.fullmatch(signer["key_id"])), path, "key_id")
    _need(_int(obj["sequence"]) and obj["sequence"] >= 1, path, "sequence")
    prev = obj["previous"]
    _need(isinstance(prev, str) and (prev == "" or bool(_HEX64.fullmatch(prev))), path,
          "previous")
    _need((prev == "") == (obj["sequence"] == 1), path, "previous and sequence disagree")
    _need(isinstance(obj["created_at"], str) and bool(_TIME.fullmatch(obj["created_at"])),
          path, "created_at")
    _need(isinstance(obj["full"], bool), path, "full")
    _need(isinstance(counts, dict) and set(counts) == {"records", "revisions", "audit"}
          and all(_int(v) for v in counts.values()), path, "counts")
    _need(_strs(obj["form_versions"]), path, "form_versions")
    _need(isinstance(payload, dict) and set(payload) == {"sha256", "size"}
          and isinstance(payload["sha256"], str) and bool(_HEX64.fullmatch(payload["sha256"]))
          and _int(payload["size"]), path, "payload")
    _need(_strs(obj["recipients"]) and len(obj["recipients"]) >= 1, path, "recipients")
    head = obj.get("audit_head")
    _need(head is None or (isinstance(head, dict) and set(head) == {"seq", "hash"}
                           and _int(head["seq"]) and head["seq"] >= 1
                           and isinstance(head["hash"], str)
                           and bool(_HEX64.fullmatch(head["hash"]))), path, "audit_head")
    return Manifest(
        batch_id=obj["batch_id"], device_id=signer["device_id"], org_code=signer["org_code"],
        role=signer["role"], key_id=signer["key_id"], sequence=obj["sequence"],
        previous=prev, created_at=obj["created_at"], full=obj["full"],
        records=counts["records"], revisions=counts["revisions"], audit=counts["audit"],
        form_versions=tuple(obj["form_versions"]), payload_sha256=payload["sha256"],
        payload_size=payload["size"], recipients=tuple(obj["recipients"]),
        audit_head=(head["seq"], head["hash"]) if head is not None else None,
    )
