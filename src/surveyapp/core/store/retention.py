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

The rest of the store holding the child's personal values is closed by the same model
(docs/store.md, "What else anonymising closes"):

- the files a reviewer's ``link`` / ``moved`` decision absorbed into this file (the same
  child, entered twice or on file in its old village): every revision redacted, the head
  included (no new head: nothing of them travels again), their view rows refreshed;
- the ``link`` revisions naming the file or one it absorbed: the reviewer's note emptied;
  ``records``, ``decision``, ``survivor``, the move's villages and date and ``merged``
  (a revision id) stay, so the persons count is the same;
- the household record the file names, once **every** child of the household (in the
  children view) is anonymised: a sibling still on the list keeps it whole;
- the file's drafts (``visit:<record id>``, or any draft whose ``record_id`` names it) are
  deleted: an unsaved form is not part of the history, counts nothing, and saving it would
  put the child back on the list.

Personal values: any string answer whose name says it is a name, phone number, ID number,
address or free text (unless it is a choice code such as ``yes``; a note, comment, remark,
description or ``_text`` answer is free text whatever it looks like), and any other string
answer that is not plain ASCII (a Chinese name, address, place of work, relation or note);
place names (``village_name``, ``township_name``) and the category label are kept. Dates
(birth date included, for the age tables), codes, numbers and yes/no answers are kept.
Nested answers are scrubbed too: a repeat (a list of answers, e.g. the siblings' names) and
``previous_answers`` (``{name: {"value", ...}}``: the value is judged by its question's
name).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from surveyapp.core.store import persons, records, revisions, views
from surveyapp.core.store.canonical import canonical_json, loads_stored, normalize
from surveyapp.core.store.connection import Connection
from surveyapp.core.store.rowkeys import key64

DEFAULT_DAYS = 730
META_KEY = "retention.exited_days"
_PERSONAL = re.compile(r"(names?|phones?|mobile|id_number|idcard|address|notes?|comments?|"
                       r"remarks?|details?|reason_other|_other|_text|description)$")
# Free text whatever it looks like (an ASCII note such as "same kid" is not a choice code).
_FREE = re.compile(r"(notes?|comments?|remarks?|description|_text)$")
_PLACES = frozenset({"village_name", "township_name", "county_name", "form_id",
                     "category_label"})
_CODE = re.compile(r"[a-z_ ]+")  # a choice code (``yes``, ``away_out_province``)
_REDACTIONS = """CREATE TABLE IF NOT EXISTS redactions (
    rev_id TEXT PRIMARY KEY, by_rev TEXT NOT NULL, at TEXT NOT NULL)"""


def is_personal(key: str, value: Any) -> bool:
    """Whether an answer is personal data to drop (see the module docstring)."""
    if not isinstance(value, str) or not value or key in _PLACES:
        return False
    if not value.isascii() or _FREE.search(key):
        return True
    return bool(_PERSONAL.search(key)) and not _CODE.fullmatch(value)


def scrub(data: Mapping[str, Any], _name: str = "") -> dict[str, Any]:
    """``data`` with every personal value emptied (nested answers too: a repeat's list of
    answers, and ``previous_answers``, whose ``value`` is judged by its question's name)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        out[key] = _scrubbed(_name if key == "value" and _name else key, value)
    return out


def _scrubbed(name: str, value: Any) -> Any:
    if isinstance(value, Mapping):
        return scrub(value, name)
    if isinstance(value, list):
        return [_scrubbed(name, v) for v in value]
    return "" if is_personal(name, value) else value


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


class Index:
    """What anonymising looks up across files, read once per run (on first use): the
    decisions naming each file and the children naming each household. Ids only, which do
    not change while files are anonymised (a head's id is read afresh)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._links: dict[str, list[str]] | None = None
        self._members: dict[str, list[str]] | None = None

    def links(self, files: Iterable[str]) -> list[str]:
        """The ``link`` revisions (review decisions) naming one of ``files``, by arrival."""
        if self._links is None:
            self._links = {}
            # Pair records only (``pair-…``), through the record index.
            for rev_id, body in self._conn.iterate(
                    "SELECT id, body FROM revisions WHERE record_id >= ? AND record_id < ? "
                    "AND kind = 'link' ORDER BY seq",
                    (persons.PAIR_PREFIX, persons.PAIR_PREFIX[:-1] + ".")):
                data = loads_stored(bytes(body)).get("data")
                named = data.get("records") if isinstance(data, dict) else None
                for rid in set(map(str, named)) if isinstance(named, list) else ():
                    self._links.setdefault(rid, []).append(str(rev_id))
        found = {rev for rid in files for rev in self._links.get(rid, ())}
        return sorted(found)

    def members(self, household_id: str) -> list[str]:
        """The children (view rows) naming ``household_id``."""
        if self._members is None:
            self._members = {}
            for hid, rid in self._conn.iterate(
                    "SELECT household_id, record_id FROM children WHERE household_id != ''"):
                self._members.setdefault(str(hid), []).append(str(rid))
        return self._members.get(household_id, [])


def due(conn: Connection, today: dt.date, keep_days: int) -> list[Due]:
    """The exited children whose exit date is more than ``keep_days`` before ``today``,
    not yet anonymised (or holding copies still to redact)."""
    limit = (today - dt.timedelta(days=keep_days)).isoformat()
    out = []
    index = Index(conn)
    for (rid,) in conn.execute("SELECT record_id FROM children WHERE status = 'exited' "
                               "ORDER BY record_id"):
        head = records.picked_head(conn, rid)
        exit_date = str(head.data.get("exit_date") or "")
        if not exit_date or exit_date >= limit:
            continue
        # A head anonymised on another tier arrived: this copy's revisions still need it.
        if not head.data.get("anonymised_on") or _targets(conn, rid, index)[1]:
            out.append(Due(rid, exit_date))
    return out


def files_of(conn: Connection, record_id: str) -> list[str]:
    """The file and the files a ``link`` / ``moved`` decision absorbed into it (the same
    child: ``persons``), by record id."""
    return [record_id, *(a.record_id for a in persons.files_of(conn, record_id))]


def _stored_data(conn: Connection, rev_id: str) -> dict[str, Any] | None:
    row = conn.one("SELECT body FROM revisions WHERE idk = ? AND id = ?",
                   (key64(rev_id), rev_id))
    if row is None:
        return None
    data = loads_stored(bytes(row[0]))["data"]
    return data if isinstance(data, dict) else None


def _anonymised(conn: Connection, record_id: str) -> bool:
    """Whether a file's head holds no personal value: anonymised, or redacted in place."""
    row = conn.one("SELECT head_rev FROM children WHERE rk = ? AND record_id = ?",
                   (key64(record_id), record_id))
    if row is None:
        return False
    data = _stored_data(conn, str(row[0]))
    if data is None or scrub(data) != data:
        return False
    if data.get("anonymised_on"):
        return True
    return conn.one("SELECT 1 FROM sqlite_master WHERE name = 'redactions'") is not None \
        and conn.one("SELECT 1 FROM redactions WHERE rev_id = ?", (str(row[0]),)) is not None


def _households(conn: Connection, household_ids: set[str], files: set[str],
                index: Index) -> list[str]:
    """The revisions of the households among ``household_ids`` still holding personal values
    whose every child (in the children view) is anonymised or one of ``files``."""
    out = []
    for hid in sorted(household_ids):
        revs = revisions.of_records(conn, [hid]).get(hid, [])
        pending = [r.id for r in revs if r.kind == "household"
                   and scrub(r.data) != dict(r.data)]
        if pending and all(rid in files or _anonymised(conn, rid)
                           for rid in index.members(hid)):
            out.extend(pending)
    return out


def _targets(conn: Connection, record_id: str, index: Index
             ) -> tuple[list[str], list[str]]:
    """The revisions anonymising ``record_id`` redacts (its file's and the absorbed files'
    revisions and the visits they name, the decisions naming them, the households whose
    every child is anonymised); and those still holding personal values (not yet
    redacted)."""
    files = files_of(conn, record_id)
    by_file = revisions.of_records(conn, files)
    child_revs = [r for rid in files for r in by_file.get(rid, [])]
    visit_ids = sorted({str(r.data.get("visit")) for r in child_revs if r.data.get("visit")})
    households = {str(r.data.get("household_id")) for r in child_revs
                  if r.data.get("household_id")}
    ids = [r.id for r in child_revs] + visit_ids + index.links(files)
    pending = []
    for rev_id in ids:
        data = _stored_data(conn, rev_id)
        if data is not None and scrub(data) != data:
            pending.append(rev_id)
    extra = _households(conn, households, set(files), index)
    return ids + extra, pending + extra


def redacted(conn: Connection) -> set[str]:
    """The ids of the redacted revisions."""
    if conn.one("SELECT 1 FROM sqlite_master WHERE name = 'redactions'") is None:
        return set()
    return {str(r[0]) for r in conn.execute("SELECT rev_id FROM redactions")}


def _redact(conn: Connection, rev_id: str, by_rev: str, stamp: str) -> bool:
    row = conn.one("SELECT body FROM revisions WHERE idk = ? AND id = ?",
                   (key64(rev_id), rev_id))
    content = loads_stored(bytes(row[0])) if row is not None else None
    if not isinstance(content, dict) or not isinstance(content.get("data"), dict):
        return False
    clean = {**content, "data": scrub(content["data"])}
    conn.execute("UPDATE revisions SET body = ? WHERE idk = ? AND id = ?",
                 (canonical_json(normalize(clean)), key64(rev_id), rev_id))
    conn.execute("INSERT OR REPLACE INTO redactions VALUES (?, ?, ?)", (rev_id, by_rev, stamp))
    return True


def drop_drafts(conn: Connection, record_ids: Iterable[str]) -> int:
    """Delete the drafts of these files (key ``visit:<id>``, or a draft whose JSON names
    the file as ``record_id``); how many."""
    wanted = set(record_ids)
    gone = []
    for key, text in conn.execute("SELECT key, data FROM drafts"):
        try:
            named = json.loads(str(text)).get("record_id")
        except (ValueError, AttributeError):
            named = None
        if str(key).removeprefix("visit:") in wanted or named in wanted:
            gone.append((str(key),))
    conn.executemany("DELETE FROM drafts WHERE key = ?", gone)
    return len(gone)


def anonymise(conn: Connection, who: records.Author, record_id: str, today: dt.date,
              index: Index | None = None) -> tuple[str, int, int]:
    """Anonymise one file (inside the caller's transaction): the new head's id, how many
    earlier revisions were redacted (the file's, the absorbed files', the decisions' and
    the household's, see the module docstring) and how many of its drafts were deleted.

    :param index: the run's :class:`Index` (one per run of several files)."""
    conn.execute(_REDACTIONS)
    head = records.picked_head(conn, record_id)
    if head.data.get("anonymised_on") and scrub(head.data) == head.data:
        new_id = head.id  # anonymised on another tier: redact this copy only
    else:
        new_id = records.change_status(conn, who, record_id, {
            **scrub(head.data), "anonymised_on": today.isoformat()}).id
    count = 0
    stamp = revisions.utc_now()
    for rev_id in _targets(conn, record_id, index or Index(conn))[1]:
        count += _redact(conn, rev_id, new_id, stamp)
    files = files_of(conn, record_id)
    views.refresh(conn, files)
    return new_id, count, drop_drafts(conn, files)


def unverifiable(conn: Connection) -> list[str]:
    """The revisions whose body does not hash to their id and that no redaction lists:
    damage (or a redaction made outside the app). Empty for a sound store."""
    import hashlib

    listed = redacted(conn)
    return [str(rid) for rid, body in conn.iterate("SELECT id, body FROM revisions")
            if str(rid) not in listed and hashlib.sha256(bytes(body)).hexdigest() != rid]
