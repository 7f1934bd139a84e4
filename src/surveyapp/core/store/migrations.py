"""Numbered schema migrations, each in one transaction and recorded in ``_migrations``.

A migration is a function decorated with ``@migration`` whose name starts ``mNNN_``; they
run in number order. ``PRAGMA user_version`` holds the highest applied number, so that the
version can be read before anything else and a file from a newer app is refused untouched
(qutebrowser's ``UserVersion``). ``pending(conn)`` is read-only. A migration that cannot
run in a transaction may be declared ``transactional=False`` (none is, so far).

Released schemas (a fixture file of each is kept in ``tests/core/store/fixtures/``):

- 1: meta, secrets, revisions, parents, heads, children view, audit, drafts.
- 2: households view and the full-pinyin column used by duplicate detection.
- 3: an index on the children's status (fast counts of the active list).
- 4: covering indexes for search by ID number, name and pinyin initials.
- 5: ``persons``: the files a reviewer's link / moved decision absorbed into another
  child's file (persons, not entries; see ``persons.py``), filled from the decisions on file.
- 6: compact keys (``rowkeys.py``): ``revisions`` keyed by its arrival number ``seq`` and
  ``heads``, ``parents`` and ``children`` by their rowid (arrival order), each found
  through the integer ``key64`` of its long random id (``idk``, ``rk``, ``pk``) in a
  non-unique index; the text ids stay in their columns. The tables are copied over once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from surveyapp.core.store.codes import StoreCode
from surveyapp.core.store.connection import Connection
from surveyapp.errors import SurveyError

MigrationFn = Callable[[Connection], None]


@dataclass(frozen=True, slots=True)
class Migration:
    number: int
    name: str
    fn: MigrationFn
    transactional: bool = True


MIGRATIONS: list[Migration] = []


def migration(*, transactional: bool = True) -> Callable[[MigrationFn], MigrationFn]:
    """Register ``fn`` (named ``mNNN_what``) as migration number NNN."""

    def register(fn: MigrationFn) -> MigrationFn:
        number = int(fn.__name__[1:4])
        if MIGRATIONS and MIGRATIONS[-1].number != number - 1:
            raise RuntimeError(f"migration {fn.__name__} is out of order")
        MIGRATIONS.append(Migration(number, fn.__name__, fn, transactional))
        return fn

    return register


def latest() -> int:
    """The schema version this code writes."""
    return MIGRATIONS[-1].number


def version(conn: Connection) -> int:
    """The schema version of the open file (0 for an empty one)."""
    row = conn.one("PRAGMA user_version")
    return int(row[0]) if row else 0


def check_not_newer(conn: Connection) -> None:
    """Refuse a file written by a newer schema (before anything writes to it).

    :raises SurveyError: STORE_004.
    """
    found = version(conn)
    if found > latest():
        raise SurveyError(
            StoreCode.STORE_004, path=str(conn.path), found=found, supported=latest()
        )


def pending(conn: Connection) -> list[Migration]:
    """The migrations not yet applied to ``conn`` (read-only)."""
    have = version(conn)
    return [m for m in MIGRATIONS if m.number > have]


def apply(conn: Connection, upto: int | None = None) -> list[str]:
    """Apply every pending migration, each in its own transaction; returns their names.

    :param upto: stop after this schema version (fixture generation and tests).

    :raises SurveyError: STORE_004 for a newer file; disk errors from the connection.
    """
    check_not_newer(conn)
    done: list[str] = []
    for m in pending(conn):
        if upto is not None and m.number > upto:
            break
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if m.transactional:
            with conn.atomic():
                m.fn(conn)
                _record(conn, m, stamp)
        else:
            m.fn(conn)
            with conn.atomic():
                _record(conn, m, stamp)
        done.append(m.name)
    return done


def _record(conn: Connection, m: Migration, stamp: str) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations "
        "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    conn.execute("INSERT INTO _migrations VALUES (?, ?, ?)", (m.number, m.name, stamp))
    conn.execute(f"PRAGMA user_version = {int(m.number)}")


@migration()
def m001_core(conn: Connection) -> None:
    conn.script(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE secrets (name TEXT PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE drafts (key TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL);
        CREATE TABLE revisions (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            author TEXT NOT NULL,
            device_id TEXT NOT NULL,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            body BLOB NOT NULL,
            seq INTEGER NOT NULL
        );
        CREATE INDEX revisions_record ON revisions (record_id);
        CREATE UNIQUE INDEX revisions_seq ON revisions (seq);
        CREATE TABLE parents (
            child TEXT NOT NULL, parent TEXT NOT NULL, PRIMARY KEY (parent, child)
        ) WITHOUT ROWID;
        CREATE TABLE heads (
            record_id TEXT NOT NULL, revision TEXT NOT NULL, PRIMARY KEY (record_id, revision)
        ) WITHOUT ROWID;
        CREATE TABLE children (
            record_id TEXT PRIMARY KEY,
            head_rev TEXT NOT NULL,
            conflict INTEGER NOT NULL,
            child_name TEXT NOT NULL,
            pinyin_initials TEXT NOT NULL,
            id_number TEXT NOT NULL,
            sex TEXT NOT NULL,
            birth_date TEXT NOT NULL,
            township_code TEXT NOT NULL,
            village_code TEXT NOT NULL,
            household_id TEXT NOT NULL,
            is_left_behind TEXT NOT NULL,
            is_orphan TEXT NOT NULL,
            is_unsupported TEXT NOT NULL,
            is_in_difficulty TEXT NOT NULL,
            dk_poverty TEXT NOT NULL,
            dk_disability TEXT NOT NULL,
            dk_guardianship TEXT NOT NULL,
            risk_level TEXT NOT NULL,
            urgent_report TEXT NOT NULL,
            category_label TEXT NOT NULL,
            status TEXT NOT NULL,
            exit_reason TEXT NOT NULL,
            last_visit_date TEXT NOT NULL,
            follow_up_due TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX children_list ON children (village_code, child_name, record_id);
        CREATE INDEX children_name ON children (child_name);
        CREATE INDEX children_initials ON children (pinyin_initials);
        CREATE INDEX children_idno ON children (id_number);
        CREATE INDEX children_due ON children (follow_up_due);
        CREATE INDEX children_risk ON children (risk_level, urgent_report);
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            device_id TEXT NOT NULL,
            action TEXT NOT NULL,
            details TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )
        """
    )


@migration()
def m002_pinyin_households(conn: Connection) -> None:
    conn.script(
        """
        ALTER TABLE children ADD COLUMN name_pinyin TEXT NOT NULL DEFAULT '';
        CREATE TABLE households (
            record_id TEXT PRIMARY KEY,
            head_rev TEXT NOT NULL,
            conflict INTEGER NOT NULL,
            village_code TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    # Fill the new column for children saved under schema 1.
    from surveyapp.core.store.views import pinyin_of

    rows = conn.execute("SELECT record_id, child_name FROM children")
    conn.executemany(
        "UPDATE children SET name_pinyin = ? WHERE record_id = ?",
        [(pinyin_of(name)[0], rid) for rid, name in rows],
    )


@migration()
def m003_status_index(conn: Connection) -> None:
    # Counting the active list reads this narrow index instead of every wide row.
    conn.script("CREATE INDEX children_status ON children (status, village_code)")


@migration()
def m004_covering_search_indexes(conn: Connection) -> None:
    # Search ranges answered from the index alone: the status test and the list order are
    # read from the index entries, so only the page of rows shown is read from the table.
    conn.script(
        """
        DROP INDEX children_idno;
        DROP INDEX children_name;
        DROP INDEX children_initials;
        CREATE INDEX children_idno ON children
            (id_number, status, village_code, child_name, record_id);
        CREATE INDEX children_name ON children (child_name, status, village_code, record_id);
        CREATE INDEX children_initials ON children
            (pinyin_initials, status, village_code, child_name, record_id)
        """
    )


@migration()
def m005_persons(conn: Connection) -> None:
    # One row per absorbed file; a file without a row is its own person. Filled from the
    # decisions already on file by m006 (its query reads the schema-6 tables), so an older
    # workspace counts persons once it is opened.
    conn.script(
        """
        CREATE TABLE persons (
            record_id TEXT PRIMARY KEY,
            person_id TEXT NOT NULL,
            decision TEXT NOT NULL,
            link_rev TEXT NOT NULL
        );
        CREATE INDEX persons_person ON persons (person_id)
        """
    )


@migration()
def m006_compact_keys(conn: Connection) -> None:
    # Revisions, heads, parent links and view rows in arrival order, each looked up through
    # the compact integer key of its long random id (rowkeys.py; docs/store.md "Compact
    # keys"): the text-keyed B-trees outgrew the page cache in a large import.
    # Each old table is emptied before it is dropped: with secure_delete on (the pages are
    # zeroed) a DROP of a full table keeps every page it frees in an in-memory statement
    # journal (650 MB for 300,000 revisions); a DELETE of all rows does not.
    children_indexes = [str(sql) for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'children' "
        "AND sql IS NOT NULL ORDER BY name")]
    columns = [str(r[1]) for r in conn.execute("PRAGMA table_info(children)")]
    conn.script(
        """
        CREATE TABLE revisions_6 (
            seq INTEGER PRIMARY KEY,
            idk INTEGER NOT NULL,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            author TEXT NOT NULL,
            device_id TEXT NOT NULL,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            body BLOB NOT NULL
        );
        INSERT INTO revisions_6 SELECT seq, key64(id), id, kind, record_id, created_at,
            author, device_id, form_id, form_version, body FROM revisions ORDER BY seq;
        DELETE FROM revisions;
        DROP TABLE revisions;
        ALTER TABLE revisions_6 RENAME TO revisions;
        CREATE INDEX revisions_idk ON revisions (idk);
        CREATE INDEX revisions_record ON revisions (record_id);
        CREATE TABLE heads_6 (
            rk INTEGER NOT NULL, record_id TEXT NOT NULL, revision TEXT NOT NULL
        );
        INSERT INTO heads_6 SELECT key64(record_id), record_id, revision FROM heads
            ORDER BY record_id, revision;
        DELETE FROM heads;
        DROP TABLE heads;
        ALTER TABLE heads_6 RENAME TO heads;
        CREATE INDEX heads_rk ON heads (rk);
        CREATE TABLE parents_6 (
            pk INTEGER NOT NULL, parent TEXT NOT NULL, child TEXT NOT NULL
        );
        INSERT INTO parents_6 SELECT key64(parent), parent, child FROM parents;
        DELETE FROM parents;
        DROP TABLE parents;
        ALTER TABLE parents_6 RENAME TO parents;
        CREATE INDEX parents_pk ON parents (pk);
        """
    )
    defs = ",\n".join(
        "record_id TEXT NOT NULL" if c == "record_id"
        else "conflict INTEGER NOT NULL" if c == "conflict"
        else f"{c} TEXT NOT NULL DEFAULT ''" if c == "name_pinyin"
        else f"{c} TEXT NOT NULL" for c in columns)
    listed = ", ".join(columns)
    conn.script(
        f"""
        CREATE TABLE children_6 ({defs}, rk INTEGER NOT NULL);
        INSERT INTO children_6 ({listed}, rk) SELECT {listed}, key64(record_id)
            FROM children ORDER BY rowid;
        DELETE FROM children;
        DROP TABLE children;
        ALTER TABLE children_6 RENAME TO children;
        CREATE INDEX children_rk ON children (rk)
        """
    )
    for sql in children_indexes:
        conn.execute(sql)
    from surveyapp.core.store import persons

    persons.refresh(conn)
