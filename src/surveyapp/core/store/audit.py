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
    "read", "anonymise",
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


# --- reading, anchors and the chains received from other devices ----------------------------
def head(conn: Connection) -> tuple[int, str]:
    """The chain head: the last entry's ``(seq, hash)``, or ``(0, GENESIS)`` when empty."""
    row = conn.one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def hash_at(conn: Connection, seq: int) -> str | None:
    """The stored hash of entry ``seq`` (None when there is no such entry)."""
    row = conn.one("SELECT hash FROM audit WHERE seq = ?", (seq,))
    return None if row is None else str(row[0])


def wire(entry: AuditEntry) -> dict[str, Any]:
    """An entry as a batch carries it (docs/batch-format.md §4): its fields and hashes."""
    return {"seq": entry.seq, "at": entry.at, "user": entry.user,
            "device_id": entry.device_id, "action": entry.action,
            "details": dict(entry.details), "prev_hash": entry.prev_hash, "hash": entry.hash}


def from_wire(obj: Mapping[str, Any]) -> AuditEntry | None:
    """A received entry with its hashes, or None when it carries none (an older batch) or
    its fields have the wrong types."""
    try:
        seq, details = obj["seq"], obj["details"]
        fields = (obj["at"], obj["user"], obj["device_id"], obj["action"], obj["prev_hash"],
                  obj["hash"])
    except (KeyError, TypeError):
        return None
    if (not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(details, dict)
            or not all(isinstance(f, str) for f in fields)):
        return None
    at, user, device, action, prev, digest = fields
    return AuditEntry(seq, at, user, device, action, details, prev, digest)


def check_chain(chain: list[AuditEntry]) -> BrokenLink | None:
    """The first broken link of a received chain (consecutive from its first ``seq``, each
    entry hashing to its ``hash`` and naming the previous one's)."""
    prev: str | None = None
    expected: int | None = None
    for e in chain:
        if expected is not None and e.seq != expected:
            return BrokenLink(expected, "missing entry")
        if e.seq == 1 and e.prev_hash != GENESIS:
            return BrokenLink(1, "previous hash does not match")
        if prev is not None and e.prev_hash != prev:
            return BrokenLink(e.seq, "previous hash does not match")
        try:
            digest = _hash(e.seq, e.at, e.user, e.device_id, e.action, e.details, e.prev_hash)
        except (SurveyError, ValueError, TypeError):
            return BrokenLink(e.seq, "details are damaged")
        if digest != e.hash:
            return BrokenLink(e.seq, "content does not match its hash")
        prev, expected = e.hash, e.seq + 1
    return None


_REMOTE = """CREATE TABLE IF NOT EXISTS audit_remote (
    device_id TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, at TEXT NOT NULL,
    user TEXT NOT NULL, action TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL,
    batch INTEGER NOT NULL, PRIMARY KEY (device_id, seq, hash))"""


def _remote_exists(conn: Connection) -> bool:
    return conn.one("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                    "AND name = 'audit_remote'") is not None


def remote_hashes(conn: Connection, device_id: str) -> dict[int, str]:
    """The received chain of ``device_id``: seq → the hash first received for it."""
    if not _remote_exists(conn):
        return {}
    out: dict[int, str] = {}
    for seq, digest in conn.execute(
        "SELECT seq, hash FROM audit_remote WHERE device_id = ? ORDER BY seq, batch",
        (device_id,),
    ):
        out.setdefault(int(seq), str(digest))
    return out


def store_remote(conn: Connection, chain: list[AuditEntry], batch: int) -> int:
    """Keep the entries of another device's chain (inside the importer's transaction); an
    entry already held is kept once, a rewritten one is kept beside the first. Returns the
    number of entries new here."""
    conn.execute(_REMOTE)
    before = conn.one("SELECT count(*) FROM audit_remote")
    conn.executemany(
        "INSERT OR IGNORE INTO audit_remote VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(e.device_id, e.seq, e.hash, e.at, e.user, e.action,
          canonical_json(dict(e.details)).decode("utf-8"), e.prev_hash, batch)
         for e in chain],
    )
    after = conn.one("SELECT count(*) FROM audit_remote")
    return int(after[0] if after else 0) - int(before[0] if before else 0)


def remote_entries(conn: Connection, device_id: str | None = None) -> list[AuditEntry]:
    """The entries received from other devices (``device_id`` alone when given)."""
    if not _remote_exists(conn):
        return []
    sql = ("SELECT seq, at, user, device_id, action, details, prev_hash, hash "
           "FROM audit_remote")
    params: tuple[Any, ...] = ()
    if device_id is not None:
        sql += " WHERE device_id = ?"
        params = (device_id,)
    return [AuditEntry(int(r[0]), r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7])
            for r in conn.execute(sql + " ORDER BY device_id, seq, batch", params)]
