"""The derived current view of children: one row per child, its head, flags and dates.

``refresh(conn, record_ids)`` recomputes the rows of the given child records from their
heads (after a save, or in bulk after an import). Several heads set ``conflict`` and show the
deterministic pick (latest ``created_at``, then the larger id).

``query(conn, flt, offset, limit)`` / ``count(conn, flt)`` serve the list and search;
``query_keyset(conn, flt, key, limit, offset=, backward=)`` pages from a known row's
``list_key`` instead of counting rows from the start. Search
text is matched as a prefix of the name, of the pinyin initials (``zxm`` finds 张小明) or of
the ID number, each through its own index.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from surveyapp.core.store.connection import Connection
from surveyapp.core.store.revisions import Revision, data_read
from surveyapp.core.store.revisions import get as get_revision
from surveyapp.core.store.rowkeys import key64, keys

FLAGS = (
    "is_left_behind", "is_orphan", "is_unsupported", "is_in_difficulty",
    "dk_poverty", "dk_disability", "dk_guardianship",
)
CATEGORIES = {
    "left_behind": "is_left_behind",
    "orphan": "is_orphan",
    "unsupported": "is_unsupported",
    "in_difficulty": "is_in_difficulty",
    "poverty": "dk_poverty",
    "disability": "dk_disability",
    "guardianship": "dk_guardianship",
}
COLUMNS = (
    "record_id", "head_rev", "conflict", "child_name", "pinyin_initials", "id_number", "sex",
    "birth_date", "township_code", "village_code", "household_id", *FLAGS, "risk_level",
    "urgent_report", "category_label", "status", "exit_reason", "last_visit_date",
    "follow_up_due", "updated_at", "name_pinyin",
)


@dataclass(frozen=True, slots=True)
class ChildFilter:
    """What the list shows; None/empty means "any".

    :param search: a prefix of the name, the pinyin initials or the ID number.
    :param category: one of ``CATEGORIES`` (left_behind, orphan, unsupported, ...).
    :param follow_up_due: an ISO date: children whose next visit is due on or before it.
    :param include_exited: also show exited and deleted children, and the files a review
        decision absorbed into another child's file (linked or moved; ``persons.py``).
    :param persons: one row per person: leave out absorbed files even with
        ``include_exited`` (the ledger, statistics and lists count persons, not entries).
    :param born_before: an ISO date: children born on or before it (the ageing-out list).
    :param born_after: an ISO date: children born after it, or of unknown birth date (the
        list of a category as of today: younger than its age limit).
    """

    search: str | None = None
    village_code: str | None = None
    township_code: str | None = None
    category: str | None = None
    risk_level: str | None = None
    urgent: bool | None = None
    follow_up_due: str | None = None
    include_exited: bool = False
    conflict: bool | None = None
    persons: bool = False
    born_before: str | None = None
    born_after: str | None = None


@dataclass(frozen=True, slots=True)
class ChildRow:
    """One row of the current view; ``data`` is the head revision's answers + status."""

    record_id: str
    head_rev: str
    conflict: bool
    child_name: str
    pinyin_initials: str
    id_number: str
    sex: str
    birth_date: str
    township_code: str
    village_code: str
    household_id: str
    is_left_behind: str
    is_orphan: str
    is_unsupported: str
    is_in_difficulty: str
    dk_poverty: str
    dk_disability: str
    dk_guardianship: str
    risk_level: str
    urgent_report: str
    category_label: str
    status: str
    exit_reason: str
    last_visit_date: str
    follow_up_due: str
    updated_at: str
    name_pinyin: str
    data: Mapping[str, Any] = field(default_factory=dict)


@functools.lru_cache(maxsize=16384)
def _syllable(char: str) -> str:
    """The toneless pinyin of one character (its most common reading), or the character
    itself lower-cased when it has none (Latin letters, digits)."""
    # One character at a time never needs pypinyin's phrase table (a test compares every
    # character of its table with and without it), and leaving it out, with the copy of
    # its tables, saves about 45 MB of memory for the page cache of a large import. These
    # are pypinyin's documented switches; they act only before its first import and give
    # way to a value the user set.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import Style, lazy_pinyin

    found = lazy_pinyin(char, style=Style.NORMAL, errors="default")
    return "".join(found).lower().strip()


@functools.lru_cache(maxsize=65536)
def pinyin_of(name: str) -> tuple[str, str]:
    """(full pinyin without tones, initials), lowercase: 张小明 → ("zhangxiaoming", "zxm").

    Characters are looked up one by one (cached), which is 100x faster than phrase
    segmentation and, for personal names, just as good: pypinyin's phrase table is not a
    table of names.
    """
    if name.isascii():
        # A name in Latin letters (minority names are sometimes written so): its words.
        words = name.lower().split()
        return "".join(words), "".join(w[0] for w in words)
    syllables = [s for s in (_syllable(c) for c in name if not c.isspace()) if s]
    return "".join(syllables), "".join(s[0] for s in syllables)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)


@functools.lru_cache(maxsize=4096)
def _due_cached(day: str, days: str) -> str:
    try:
        start = dt.date.fromisoformat(day)
        return (start + dt.timedelta(days=int(days))).isoformat()
    except (ValueError, TypeError, OverflowError):
        return ""


def _due(survey_date: str, days: Any) -> str:
    return _due_cached(survey_date[:10], str(days))


# The text columns of a row, in ``COLUMNS`` order from child_name to exit_reason, then the
# survey date.
_TEXT_KEYS = ("child_name", "id_number", "sex", "birth_date", "township_code", "village_code",
              "household_id", *FLAGS, "risk_level", "urgent_report", "category_label",
              "status", "exit_reason", "survey_date")
_BLANKS = ("",) * len(_TEXT_KEYS)
_ONLY_STR = {str}


def row_values(rev: Revision, conflict: bool) -> tuple[Any, ...]:
    """The view columns (in ``COLUMNS`` order) for a child's picked head revision."""
    texts = list(map(rev.data.get, _TEXT_KEYS, _BLANKS))
    if set(map(type, texts)) != _ONLY_STR:
        # A None or a number somewhere (rare): text as the view stores it.
        texts = ["" if v is None else v if type(v) is str else str(v) for v in texts]
    name = texts[0].strip()
    full, initials = pinyin_of(name) if name else ("", "")
    last = texts[-1][:10]
    texts[0] = name
    texts[1] = texts[1].strip().upper()
    texts[-3] = texts[-3] or "active"
    texts[-1] = last
    return (rev.record_id, rev.id, int(conflict), name, initials, *texts[1:],
            _due(last, rev.data.get("follow_up_days")), rev.created_at, full)


# A child's view row is replaced by deleting the old one (found through its compact key,
# rowkeys.py) and appending the new one.
_INSERT = (
    f"INSERT INTO children ({', '.join(COLUMNS)}, rk) "
    f"VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"
)


def _picks(
    conn: Connection, record_ids: list[str], known: Mapping[str, Revision]
) -> dict[str, tuple[str, int]]:
    """For each record: (the picked head's id, the number of heads).

    The heads come from one indexed query; their times from ``known`` (revisions just
    inserted) and only the others from the revisions table.
    """
    marks = ", ".join("?" * len(record_ids))
    wanted = set(record_ids)
    heads: dict[str, list[str]] = {}
    for rid, rev_id in conn.execute(
        f"SELECT record_id, revision FROM heads WHERE rk IN ({marks})", keys(record_ids)
    ):
        if rid in wanted:
            heads.setdefault(rid, []).append(rev_id)
    created = {i: r.created_at for i in (h for hs in heads.values() for h in hs)
               if (r := known.get(i)) is not None}
    missing = [h for hs in heads.values() for h in hs if h not in created]
    for start in range(0, len(missing), 500):
        part = missing[start:start + 500]
        looked = set(part)
        created.update((i, at) for i, at in conn.execute(
            f"SELECT id, created_at FROM revisions WHERE idk IN ({', '.join('?' * len(part))})",
            keys(part)) if i in looked)
    return {rid: (max(hs, key=lambda h: (created[h], h)), len(hs)) for rid, hs in heads.items()}


def _drop_rows(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Delete the view rows these new rows replace (one query finds them: in a large
    import most records are new and have none)."""
    ids = {row[0] for row in rows}
    old = [(rowid,) for rowid, rid in conn.execute(
        f"SELECT rowid, record_id FROM children WHERE rk IN ({', '.join('?' * len(rows))})",
        [row[-1] for row in rows]) if rid in ids]
    if old:
        conn.executemany("DELETE FROM children WHERE rowid = ?", old)


def refresh(
    conn: Connection, record_ids: Iterable[str], in_memory: Mapping[str, Revision] | None = None,
    rows_ready: Mapping[str, tuple[Any, ...]] | None = None,
) -> None:
    """Recompute the view rows of these child (and household) records from their heads.

    :param in_memory: revisions just inserted, by id, so that they need not be read back.
    :param rows_ready: child revision id → its ``row_values(rev, False)`` worked out
        already (an import's worker process): used for a picked head found there.
    """
    known = in_memory or {}
    ready = rows_ready or {}
    ids = list(record_ids)
    for start in range(0, len(ids), 500):
        rows = []
        households = []
        for rid, (pick_id, n_heads) in _picks(conn, ids[start:start + 500], known).items():
            pick = known.get(pick_id) or get_revision(conn, pick_id)
            if pick is None:
                continue
            if pick.kind == "child":
                row = ready.get(pick.id)
                if row is None:
                    row = row_values(pick, n_heads > 1)
                elif n_heads > 1:
                    row = (*row[:2], 1, *row[3:])
                rows.append((*row, key64(rid)))
            elif pick.kind == "household":
                households.append((rid, pick.id, int(n_heads > 1),
                                   _text(pick.data, "village_code"), pick.created_at))
        if rows:
            _drop_rows(conn, rows)
            conn.executemany(_INSERT, rows)
        if households:
            conn.executemany("INSERT OR REPLACE INTO households VALUES (?, ?, ?, ?, ?)",
                             households)


def _any_absorbed(conn: Connection) -> bool:
    """Whether any file is absorbed into another (else the persons test is left out: most
    workspaces have none, and a full list then pays nothing for it)."""
    return conn.one("SELECT 1 FROM persons LIMIT 1") is not None


def _where(
    flt: ChildFilter | None, absorbed: bool = True, *, list_order: bool = False
) -> tuple[str, list[Any]]:
    if flt is None:
        flt = ChildFilter(include_exited=True)
    clauses: list[str] = []
    params: list[Any] = []
    text = (flt.search or "").strip()
    if not flt.include_exited:
        # With a search, the unary + keeps the planner off the (unselective) status index
        # so that it uses the name / initials / ID number indexes instead.
        # In list order (keyset paging) it keeps it on ``children_list``, which walks the
        # list from the key: the status index would read and sort every active child.
        clauses.append("+status = 'active'" if text or list_order else "status = 'active'")
    if absorbed and (flt.persons or not flt.include_exited):
        clauses.append("record_id NOT IN (SELECT record_id FROM persons)")
    for column, value in (
        ("village_code", flt.village_code),
        ("township_code", flt.township_code),
        ("risk_level", flt.risk_level),
    ):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if flt.category:
        flag = CATEGORIES.get(flt.category, "")
        clauses.append(f"{flag} = 'yes'" if flag else "0")
    if flt.urgent is not None:
        clauses.append("urgent_report = 'yes'" if flt.urgent else "urgent_report != 'yes'")
    if flt.conflict is not None:
        clauses.append(f"conflict = {int(flt.conflict)}")
    if flt.follow_up_due:
        clauses.append("follow_up_due != '' AND follow_up_due <= ?")
        params.append(flt.follow_up_due)
    if flt.born_before:
        clauses.append("birth_date != '' AND birth_date <= ?")
        params.append(flt.born_before)
    if flt.born_after:
        clauses.append("(birth_date = '' OR birth_date > ?)")
        params.append(flt.born_after)
    if text:
        # A prefix range per indexed column, each answered by its own index. Digits can
        # only start an ID number; Latin letters pinyin initials (or a Latin name); anything
        # else a name. One branch keeps the query on one covering index.
        branches: list[str] = []
        idn = text.upper()
        low = text.lower()
        if idn.isascii() and idn.isalnum() and idn[0].isdigit():
            branches.append("(id_number >= ? AND id_number < ?)")
            params += [idn, idn + "\x7f"]
        else:
            branches.append("(child_name >= ? AND child_name < ?)")
            params += [text, text + "\U0010ffff"]
            if low.isascii() and low.isalpha():
                branches.append("(pinyin_initials >= ? AND pinyin_initials < ?)")
                params += [low, low + "\x7f"]
        clauses.append("(" + " OR ".join(branches) + ")")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


_SELECT = (
    "SELECT " + ", ".join(f"c.{c}" for c in COLUMNS) + ", r.body FROM children c "
    "JOIN revisions r ON r.idk = key64(c.head_rev) AND r.id = c.head_rev"
)


class LazyData(Mapping[str, Any]):
    """The head revision's data, parsed from its stored bytes on first use (a page of the
    list shows only view columns and never pays for parsing)."""

    __slots__ = ("_body", "_data")

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._data: dict[str, Any] | None = None

    def _parsed(self) -> dict[str, Any]:
        if self._data is None:
            content = json.loads(self._body.decode("utf-8"))
            self._data = data_read(content["kind"], dict(content["data"]), self._body)
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._parsed()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parsed())

    def __len__(self) -> int:
        return len(self._parsed())

    def __repr__(self) -> str:
        return repr(self._parsed())

    def __eq__(self, other: object) -> bool:
        return dict(self) == other if isinstance(other, Mapping) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return copy.deepcopy(self._parsed(), memo)


def _row(values: tuple[Any, ...]) -> ChildRow:
    if "NaN" in values:  # a view row an older version wrote from a "NaN" answer (issue #25)
        values = tuple("" if v == "NaN" else v for v in values)
    data = LazyData(bytes(values[-1]))
    fields: dict[str, Any] = dict(zip(COLUMNS, values[:-1], strict=True))
    fields["conflict"] = bool(fields["conflict"])
    return ChildRow(**fields, data=data)


def query(conn: Connection, flt: ChildFilter | None, offset: int, limit: int) -> list[ChildRow]:
    """One page of the list, ordered by village, name and record id."""
    where, params = _where(flt, _any_absorbed(conn))
    sql = (
        f"{_SELECT} WHERE c.rowid IN (SELECT rowid FROM children{where} "
        "ORDER BY village_code, child_name, record_id LIMIT ? OFFSET ?) "
        "ORDER BY c.village_code, c.child_name, c.record_id"
    )
    return [_row(r) for r in conn.execute(sql, [*params, int(limit), int(offset)])]


ListKey = tuple[str, str, str]


def list_key(row: ChildRow) -> ListKey:
    """A row's place in the list order: (village code, name, record id), unique."""
    return (row.village_code, row.child_name, row.record_id)


def query_keyset(
    conn: Connection,
    flt: ChildFilter | None,
    key: ListKey | None,
    limit: int,
    *,
    offset: int = 0,
    backward: bool = False,
) -> list[ChildRow]:
    """One page of the list next to a known row (keyset paging), in list order.

    Forward: the ``limit`` rows after ``key`` (None: from the first row), skipping
    ``offset`` of them. Backward: the ``limit`` rows before ``key`` (None: up to the last
    row), skipping the ``offset`` nearest to it. The walk starts at ``key`` on the
    ``children_list`` index, so a page next to the last row costs what the first one does,
    where ``OFFSET`` reads every row before it."""
    where, params = _where(flt, _any_absorbed(conn), list_order=True)
    op, order = ("<", "DESC") if backward else (">", "ASC")
    if key is not None:
        seek = f"(village_code, child_name, record_id) {op} (?, ?, ?)"
        where = f"{where} AND {seek}" if where else f" WHERE {seek}"
        params = [*params, *key]
    sql = (
        f"{_SELECT} WHERE c.rowid IN (SELECT rowid FROM children{where} "
        f"ORDER BY village_code {order}, child_name {order}, record_id {order} "
        "LIMIT ? OFFSET ?) ORDER BY c.village_code, c.child_name, c.record_id"
    )
    return [_row(r) for r in conn.execute(sql, [*params, int(limit), int(offset)])]


def count(conn: Connection, flt: ChildFilter | None) -> int:
    """How many children ``flt`` matches."""
    where, params = _where(flt, _any_absorbed(conn))
    row = conn.one(f"SELECT count(*) FROM children{where}", params)
    return int(row[0]) if row else 0


def get(conn: Connection, record_id: str) -> ChildRow | None:
    """The view row of one child, or None."""
    rows = conn.execute(f"{_SELECT} WHERE c.rk = ? AND c.record_id = ?",
                        (key64(record_id), record_id))
    return _row(rows[0]) if rows else None

