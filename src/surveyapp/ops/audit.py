"""Who saw which child: the reads and exports written to the audit log, the log read back
with filters, and its chain checked against its anchors (docs/store.md, "The audit log").

    record_read(ws, what, record=None, **facts)     # a child file, its PDF
    note_search(ws, text, count) -> bool              # a search by ID number (one per search)
    record_export(ws, what, *, path, rows, masked, revealed=False, scope="", preset="")
    record_refused(ws, what, reason, **facts)         # a refused reveal
    list_entries(ws, *, user=None, record=None, action=None, since=None, device=None,
                 received=True) -> [AuditRow]
    verify_chain(ws) -> ChainReport                   # the chain and the key file's anchor
    check_received(ws, signer, sequence, lines) -> [SurveyError]  # importer, per batch

An entry names the record id, the list and how many children, never a name, an ID number
or a search text: the log itself must not become a second copy of the files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from surveyapp.core.store import Workspace
from surveyapp.core.store import audit as audit_log
from surveyapp.errors import SurveyError
from surveyapp.ops.codes import AuditCode

_DIGIT = re.compile(r"\d")


# --- writing ------------------------------------------------------------------------------
def record_read(ws: Workspace, what: str, record: str | None = None, **facts: Any) -> None:
    """One read: ``what`` is ``child`` (a file opened: app, ``children show``) or
    ``dossier`` (its PDF written), with the record id."""
    details: dict[str, Any] = {"what": what, **facts}
    if record is not None:
        details["record"] = record
    ws.audit("read", **details)


def note_search(ws: Workspace, text: str | None, count: int, *, via: str = "app") -> bool:
    """One entry for a search by ID number (a search text holding a digit): how long the
    prefix was and how many children it found, never the digits. A search by name or
    pinyin is not logged (browsing does not flood the log). Returns whether it wrote."""
    text = (text or "").strip()
    if not text or not _DIGIT.search(text):
        return False
    ws.audit("read", what="search", by="id_number", chars=len(text), count=count, via=via)
    return True


def record_export(ws: Workspace, what: str, *, path: Any, rows: int, masked: bool,
                  revealed: bool = False, scope: str = "", preset: str = "") -> None:
    """One export: which list, its scope, how many children, masked or revealed, the file
    name (not its folder, which may name a person)."""
    name = getattr(path, "name", None) or str(path).replace("\\", "/").rsplit("/", 1)[-1]
    details: dict[str, Any] = {"what": what, "count": rows, "masked": masked,
                               "revealed": revealed, "file": name[-audit_log.MAX_DETAIL:]}
    if scope:
        details["scope"] = scope
    if preset:
        details["list"] = preset
    ws.audit("export", **details)


def record_refused(ws: Workspace, what: str, reason: str, **facts: Any) -> None:
    """Something asked for and refused (``what=reveal``: full numbers for a role that may
    not see them), with the error's name."""
    ws.audit("read", what=what, refused=True, reason=reason, **facts)


def scope_of(query: Any) -> str:
    """A short scope text of a ledger query: the division codes and filters, no names."""
    if query is None:
        return ""
    parts = []
    for key in ("township_code", "village_code"):
        value = getattr(query, key, None)
        if value:
            parts.append(f"{key.split('_')[0]}={value}")
    for key in ("categories", "risk_levels", "statuses"):
        values = getattr(query, key, ()) or ()
        if values:
            parts.append(f"{key}={'+'.join(values)}")
    return " ".join(parts)[: audit_log.MAX_DETAIL]


# --- reading ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AuditRow:
    """One entry as ``audit list`` shows it; ``received`` marks another device's entry
    that came with its batches."""

    seq: int
    time: str
    user: str
    device: str
    action: str
    subject: dict[str, Any]
    details: dict[str, Any] = field(default_factory=dict)
    received: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "time": self.time, "user": self.user, "device": self.device,
                "action": self.action, "subject": self.subject, "details": self.details,
                "received": self.received}


def subject_of(details: Mapping[str, Any]) -> dict[str, Any]:
    """What an entry was about: the record id, or the list and how many children."""
    out: dict[str, Any] = {}
    if details.get("record"):
        out["record"] = details["record"]
    what = details.get("what") or details.get("decision")
    if what:
        out["what"] = what
    if details.get("list"):
        out["list"] = details["list"]
    for key in ("count", "revisions", "inserted"):
        if key in details:
            out["count"] = details[key]
            break
    return out


def _since(value: str | None) -> str | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError as err:
        raise SurveyError(AuditCode.AUDIT_006, name="since", value=value,
                          reason="use YYYY-MM-DD / 请用 YYYY-MM-DD") from err
    return day.isoformat()


def list_entries(ws: Workspace, *, user: str | None = None, record: str | None = None,
                 action: str | None = None, since: str | None = None,
                 device: str | None = None, received: bool = True,
                 limit: int | None = None) -> list[AuditRow]:
    """The log (this device's entries, then those received from other devices), oldest
    first, filtered; ``record`` matches an entry that names the record id or a prefix of it.

    :raises SurveyError: AUDIT_006 a ``since`` that is not a date.
    """
    start = _since(since)
    chains: list[tuple[bool, Iterable[audit_log.AuditEntry]]] = [
        (False, audit_log.entries(ws.conn))]
    if received:
        chains.append((True, audit_log.remote_entries(ws.conn)))
    out: list[AuditRow] = []
    for is_received, chain in chains:
        for e in chain:
            if user is not None and e.user != user:
                continue
            if action is not None and e.action != action:
                continue
            if device is not None and not e.device_id.startswith(device):
                continue
            if start is not None and e.at[:10] < start:
                continue
            if record is not None and not any(
                    isinstance(v, str) and len(record) >= 4 and v.startswith(record)
                    for k, v in e.details.items() if k in ("record", "revision", "a", "b")):
                continue
            out.append(AuditRow(e.seq, e.at, e.user, e.device_id, e.action,
                                subject_of(e.details), dict(e.details), is_received))
    return out[-limit:] if limit else out


# --- the chain and its anchors ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ChainReport:
    """``audit verify``: how many entries, the head, the key file's anchor and, when the
    chain fails, the coded error (``error``) and the first bad ``seq``."""

    entries: int
    head: int
    anchor: int | None
    broken: int | None
    reason: str
    devices: dict[str, int] = field(default_factory=dict)  # received chains: device → head
    error: SurveyError | None = None

    def to_json(self) -> dict[str, Any]:
        return {"entries": self.entries, "head": self.head, "anchor": self.anchor,
                "broken": self.broken, "reason": self.reason, "devices": self.devices,
                "code": self.error.code.name if self.error else None}


def verify_chain(ws: Workspace) -> ChainReport:
    """Check every link of the chain, then that it still holds the entry the key file
    anchored (the head when the app last closed the workspace or exported a batch)."""
    path = str(ws.path)
    seq, _digest = audit_log.head(ws.conn)
    row = ws.conn.one("SELECT count(*) FROM audit")
    count = int(row[0]) if row else 0
    anchor = ws.audit_anchor()
    devices = {dev: max(h) for dev in _devices(ws)
               if (h := audit_log.remote_hashes(ws.conn, dev))}
    base: dict[str, Any] = {"entries": count, "head": seq,
                            "anchor": anchor[0] if anchor else None, "devices": devices}
    broken = ws.verify_audit()
    if broken is not None:
        err = SurveyError(AuditCode.AUDIT_001, path=path, seq=broken.seq, reason=broken.reason)
        return ChainReport(**base, broken=broken.seq, reason=broken.reason, error=err)
    if anchor is not None:
        held = audit_log.hash_at(ws.conn, anchor[0])
        if held is None:
            err = SurveyError(AuditCode.AUDIT_002, path=path, last=seq, anchor=anchor[0],
                              seq=seq + 1)
            return ChainReport(**base, broken=seq + 1, reason="tail cut", error=err)
        if held != anchor[1]:
            # The anchor holds one hash: the change is at or before the anchored entry.
            err = SurveyError(AuditCode.AUDIT_003, path=path, seq=anchor[0])
            return ChainReport(**base, broken=anchor[0], reason="rewritten", error=err)
    return ChainReport(**base, broken=None, reason="")


def _devices(ws: Workspace) -> list[str]:
    return sorted({e.device_id for e in audit_log.remote_entries(ws.conn)})


# --- received chains (the importer) -------------------------------------------------------
@dataclass(slots=True)
class ReceivedChain:
    """The signer's audit lines of one batch, collected while it is imported."""

    device_id: str
    entries: list[audit_log.AuditEntry] = field(default_factory=list)
    unhashed: int = 0

    def add(self, line: bytes) -> None:
        try:
            obj = orjson.loads(line)["audit"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return  # the authorizer refuses such a line (rule 10)
        if not isinstance(obj, dict) or obj.get("device_id") != self.device_id:
            return
        entry = audit_log.from_wire(obj)
        if entry is None:
            self.unhashed += 1
        else:
            self.entries.append(entry)

    @property
    def head(self) -> tuple[int, str] | None:
        return (self.entries[-1].seq, self.entries[-1].hash) if self.entries else None


def check_received(ws: Workspace, chain: ReceivedChain, *, org: str, sequence: int,
                   previous_batches: Iterable[int]) -> list[SurveyError]:
    """Check a device's chain against itself and against what this store received before
    (docs/batch-format.md §4.1), and keep it. Returns the coded warnings (AUDIT_004 a cut
    or rewritten chain, AUDIT_005 a chain broken inside the batch): the records import
    anyway, the county decides. Call inside the import transaction."""
    if not chain.entries:
        return []
    warnings: list[SurveyError] = []
    device = chain.device_id
    ctx = {"device": device[:8], "org": org, "sequence": sequence}
    broken = audit_log.check_chain(chain.entries)
    if broken is not None:
        warnings.append(SurveyError(AuditCode.AUDIT_005, **ctx, seq=broken.seq,
                                    reason=broken.reason))
    held = audit_log.remote_hashes(ws.conn, device)
    got = {e.seq: e.hash for e in chain.entries}
    later = sequence > max(previous_batches, default=0)
    first_bad: tuple[int, str] | None = None
    for seq in sorted(held):
        if seq in got and got[seq] != held[seq]:
            first_bad = (seq, "rewritten")
            break
        if seq not in got and later and seq > max(got):
            first_bad = (seq, "cut")
            break
    if first_bad is not None:
        warnings.append(SurveyError(AuditCode.AUDIT_004, **ctx, seq=first_bad[0],
                                    reason=first_bad[1]))
    audit_log.store_remote(ws.conn, chain.entries, sequence)
    return warnings
