"""Retention: an exited child's file is kept in full for ``retention.exited_days`` after the
exit date, then anonymised (docs/store.md, "Retention and anonymisation").

Anonymising a file

- writes a new child revision (the head) whose data is the old head's without the personal
  values (``scrub``) plus ``anonymised_on``; every later list, export and PDF reads it;
- redacts every earlier revision of the file and the visits they name: the stored body is
  replaced by the same revision with its personal values emptied, the revision keeps its id
  (the SHA-256 of the original body), its parents and its place in the chain, and a row in
  ``redactions`` names it and the anonymising revision. A redacted revision no longer
  hashes to its id: that is how a reader tells it from a damaged one (it is listed), and it
  never travels again (every tier redacts its own copy by the same rule);
- keeps every value the statistics count (codes, dates, yes/no answers, numbers), so the
  counts of every table are the same before and after.

Personal values: any string answer whose name says it is a name, phone number, ID number,
address or free text (unless it is a choice code such as ``yes``), and any other string
answer that is not plain ASCII (a Chinese name, address, place of work, relation or note);
place names (``village_name``, ``township_name``) and the category label are kept. Dates
(birth date included, for the age tables), codes, numbers and yes/no answers are kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveyapp.core.store import records, revisions, views
from surveyapp.core.store.canonical import canonical_json, loads_stored, normalize
from surveyapp.core.store.connection import Connection

DEFAULT_DAYS = 730
META_KEY = "retention.exited_days"
_PERSONAL = re.compile(r"(name|phone|mobile|id_number|idcard|address|note|comment|remark|"
                       r"detail|reason_other|_other|_text|description)$")
_PLACES = frozenset({"village_name", "township_name", "county_name", "form_id",
                     "category_label"})
_CODE = re.compile(r"[a-z_ ]+")  # a choice code (``yes``, ``away_out_province``)
_REDACTIONS = """CREATE TABLE IF NOT EXISTS redactions (
    rev_id TEXT PRIMARY KEY, by_rev TEXT NOT NULL, at TEXT NOT NULL)"""


def is_personal(key: str, value: Any) -> bool:
    """Whether an answer is personal data to drop (see the module docstring)."""
    if not isinstance(value, str) or not value or key in _PLACES:
        return False
    if not value.isascii():
        return True
    return bool(_PERSONAL.search(key)) and not _CODE.fullmatch(value)


def scrub(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with every personal value emptied (nested answers too)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            out[key] = scrub(value)
        else:
            out[key] = "" if is_personal(key, value) else value
    return out


@dataclass(frozen=True, slots=True)
class Due:
    record_id: str
    exit_date: str


def days(conn: Connection) -> int:
    """The retention period in days (the county's setting, else ``DEFAULT_DAYS``)."""
    row = conn.one("SELECT value FROM meta WHERE key = ?", (META_KEY,))
    try:
        return int(row[0]) if row else DEFAULT_DAYS
    except ValueError:
        return DEFAULT_DAYS


def due(conn: Connection, today: dt.date, keep_days: int) -> list[Due]:
    """The exited children whose exit date is more than ``keep_days`` before ``today``,
    not yet anonymised."""
    limit = (today - dt.timedelta(days=keep_days)).isoformat()
    out = []
    for (rid,) in conn.execute("SELECT record_id FROM children WHERE status = 'exited' "
                               "ORDER BY record_id"):
        head = records.picked_head(conn, rid)
        exit_date = str(head.data.get("exit_date") or "")
        if not exit_date or exit_date >= limit:
            continue
        # A head anonymised on another tier arrived: this copy's revisions still need it.
        if not head.data.get("anonymised_on") or _targets(conn, rid)[1]:
            out.append(Due(rid, exit_date))
    return out


def _targets(conn: Connection, record_id: str) -> tuple[list[str], list[str]]:
    """The file's revisions and the visits they name; and those still holding personal
    values (not yet redacted)."""
    child_revs = revisions.of_records(conn, [record_id]).get(record_id, [])
    visit_ids = sorted({str(r.data.get("visit")) for r in child_revs if r.data.get("visit")})
    ids = [r.id for r in child_revs] + visit_ids
    pending = []
    for rev_id in ids:
        row = conn.one("SELECT body FROM revisions WHERE id = ?", (rev_id,))
        if row is not None:
            data = loads_stored(bytes(row[0]))["data"]
            if scrub(data) != data:
                pending.append(rev_id)
    return ids, pending


def redacted(conn: Connection) -> set[str]:
    """The ids of the redacted revisions."""
    if conn.one("SELECT 1 FROM sqlite_master WHERE name = 'redactions'") is None:
        return set()
    return {str(r[0]) for r in conn.execute("SELECT rev_id FROM redactions")}


def anonymise(conn: Connection, who: records.Author, record_id: str, today: dt.date
              ) -> tuple[str, int]:
    """Anonymise one file (inside the caller's transaction): the new head's id and how many
    earlier revisions were redacted."""
    conn.execute(_REDACTIONS)
    head = records.picked_head(conn, record_id)
    if head.data.get("anonymised_on") and scrub(head.data) == head.data:
        new_id = head.id  # anonymised on another tier: redact this copy only
    else:
        new_id = records.change_status(conn, who, record_id, {
            **scrub(head.data), "anonymised_on": today.isoformat()}).id
    count = 0
    stamp = revisions.utc_now()
    for rev_id in _targets(conn, record_id)[1]:
        row = conn.one("SELECT body FROM revisions WHERE id = ?", (rev_id,))
        content = loads_stored(bytes(row[0])) if row is not None else None
        if content is None:
            continue
        clean = {**content, "data": scrub(content["data"])}
        conn.execute("UPDATE revisions SET body = ? WHERE id = ?",
                     (canonical_json(normalize(clean)), rev_id))
        conn.execute("INSERT OR REPLACE INTO redactions VALUES (?, ?, ?)",
                     (rev_id, new_id, stamp))
        count += 1
    views.refresh(conn, [record_id])
    return new_id, count


def unverifiable(conn: Connection) -> list[str]:
    """The revisions whose body does not hash to their id and that no redaction lists:
    damage (or a redaction made outside the app). Empty for a sound store."""
    import hashlib

    listed = redacted(conn)
    return [str(rid) for rid, body in conn.iterate("SELECT id, body FROM revisions")
            if str(rid) not in listed and hashlib.sha256(bytes(body)).hexdigest() != rid]
