"""Deferred upkeep of secondary indexes during a large import.

Each child row is in eight indexes (the list order, the three covering search indexes,
due date, risk, status, and the compact key of its record id), each revision in two (the
compact key of its id, its record) besides its arrival number (schema 6).
Inserting hundreds of thousands of rows at random places in an index costs a page read,
decryption, encryption and write per row once it outgrows the page cache; building the
index afterwards is one sort.

So once an outermost transaction has written ``DEFER_AT`` view rows and at least half as
many as the view already held, the non-unique indexes of ``children`` and ``revisions``
(except the few-valued ones in ``LIVE`` and the compact keys in ``KEYS``: the import itself
looks rows up through them) are dropped, and rebuilt from their own
``CREATE INDEX`` text (read from ``sqlite_master``) just before the transaction commits,
or earlier when the workspace reads the view or a record's revisions inside the
transaction (``restore``).
Schema changes are transactional in SQLite: a rollback brings the indexes back untouched,
and a committed import always has them.
"""

from __future__ import annotations

from typing import Any

from surveyapp.core.store.connection import Connection

DEFER_AT = 20_000
# Indexes on a few distinct values (due date, risk, status and village): a new row goes to
# the end of its value's run, a page that stays in the cache, so keeping them costs less
# than the full scan of the view that rebuilding each one would take.
LIVE = ("children_due", "children_risk", "children_status")
# The compact keys (rowkeys.py): the import looks revisions and view rows up through them,
# and at about 20 bytes an entry they stay in the cache.
KEYS = ("revisions_idk", "children_rk")
_KEY = "bulkindex"


def note_rows(conn: Connection, rows: int) -> None:
    """Count view rows written in the current transaction; defer the indexes when large."""
    if rows <= 0 or not conn.in_transaction:
        return
    st: dict[str, Any] = conn.txn.setdefault(_KEY, {"rows": 0, "state": "on"})
    if "base" not in st:
        row = conn.one("SELECT coalesce(max(rowid), 0) FROM children")
        st["base"] = int(row[0]) if row else 0
    st["rows"] += rows
    if st["state"] == "on" and st["rows"] >= max(DEFER_AT, st["base"] // 2):
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name IN ('children', 'revisions') AND sql IS NOT NULL "
            "AND sql NOT LIKE 'CREATE UNIQUE%'")
        indexes = [(name, sql) for name, sql in indexes if name not in LIVE + KEYS]
        for name, _ in indexes:
            conn.execute(f'DROP INDEX IF EXISTS "{name}"')
        st.update(state="deferred", indexes=indexes)
        conn.before_commit(lambda: restore(conn))


def restore(conn: Connection) -> None:
    """Rebuild the indexes deferred in the current transaction (no-op when none are)."""
    st = conn.txn.get(_KEY)
    if not st or st["state"] != "deferred":
        return
    # SQLite's sorter takes a buffer as large as the page cache and keeps its runs in memory
    # (temporary files live in memory in this build); a small cache while sorting keeps a
    # million-row rebuild at about 50 MB instead of 150 MB. The next bulk() raises it again.
    conn.execute("PRAGMA cache_size = -8192")
    for _, sql in st["indexes"]:
        conn.execute(str(sql).replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    # Not again in this transaction: reads came in between, more rows would thrash.
    st["state"] = "restored"
