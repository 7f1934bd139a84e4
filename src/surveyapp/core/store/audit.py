"""The hash-chained audit log: who did what, and when; never answers, never passwords.

Each entry's ``hash`` is the SHA-256 of the canonical JSON of ``{seq, at, user, device_id,
action, details, prev_hash}``; ``prev_hash`` is the previous entry's hash (64 zeros for the
first). Editing, deleting or reordering any entry breaks the chain at that entry, and
``verify`` names the first broken link.

Details are for facts about the operation (counts, ids, file names, decision names), never
for what a child's file says: values must be short scalars, and a few keys that would carry
answers are refused outright.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveyapp.core.store.canonical import canonical_json, normalize
from surveyapp.core.store.codes import StoreCode
from surveyapp.core.store.connection import Connection
from surveyapp.core.store.revisions import utc_now
from surveyapp.errors import SurveyError

GENESIS = "0" * 64
ACTIONS = (
    "create", "unlock", "save", "exit", "delete", "export", "import", "review",
    "password_change", "user_add", "recovery", "migrate", "refused",
)
_FORBIDDEN = frozenset({"password", "passphrase", "key", "answers", "values", "data",
                        "child_name", "id_number", "name"})
MAX_DETAIL = 200


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    user: str
    device_id: str
    action: str
    details: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """Where the chain breaks: the entry ``seq`` and why."""

    seq: int
    reason: str


def _hash(seq: int, at: str, user: str, device: str, action: str,
          details: Mapping[str, Any], prev: str) -> str:
    content = {"seq": seq, "at": at, "user": user, "device_id": device, "action": action,
               "details": dict(details), "prev_hash": prev}
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _checked(action: str, details: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in details.items():
        bad = key in _FORBIDDEN or not (value is None or isinstance(value, str | int | bool))
        if bad or (isinstance(value, str) and len(value) > MAX_DETAIL):
            raise SurveyError(StoreCode.STORE_016, action=action, key=key)
        out[key] = value
    return dict(normalize(out))


def append(conn: Connection, *, user: str, device_id: str, action: str,
           details: Mapping[str, Any]) -> AuditEntry:
    """Append one entry (inside the caller's transaction, so it commits with the change).

    :raises SurveyError: STORE_016 when a detail could carry personal data.
    """
    clean = _checked(action, details)
    row = conn.one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
    seq, prev = (int(row[0]) + 1, str(row[1])) if row else (1, GENESIS)
    at = utc_now()
    digest = _hash(seq, at, user, device_id, action, clean, prev)
    conn.execute(
        "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, user, device_id, action, canonical_json(clean).decode("utf-8"), prev, digest),
    )
    return AuditEntry(seq, at, user, device_id, action, clean, prev, digest)


def entries(conn: Connection, limit: int | None = None) -> list[AuditEntry]:
    """The log, oldest first (the last ``limit`` entries when given)."""
    sql = "SELECT * FROM audit ORDER BY seq"
    if limit is not None:
        last = f"SELECT * FROM audit ORDER BY seq DESC LIMIT {int(limit)}"
        sql = f"SELECT * FROM ({last}) ORDER BY seq"
    return [
        AuditEntry(int(r[0]), r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7])
        for r in conn.execute(sql)
    ]


def verify(conn: Connection) -> BrokenLink | None:
    """The first broken link of the chain, or None when every entry checks out."""
    prev = GENESIS
    expected_seq = 1
    for r in conn.iterate("SELECT * FROM audit ORDER BY seq"):
        seq = int(r[0])
        if seq != expected_seq:
            return BrokenLink(expected_seq, "missing entry")
        if r[6] != prev:
            return BrokenLink(seq, "previous hash does not match")
        try:
            details = json.loads(r[5])
            digest = _hash(seq, r[1], r[2], r[3], r[4], details, r[6])
        except (ValueError, TypeError):
            return BrokenLink(seq, "details are damaged")
        if digest != r[7]:
            return BrokenLink(seq, "content does not match its hash")
        prev = r[7]
        expected_seq += 1
    return None
