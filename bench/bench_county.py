"""County import benchmark (issue 6): N records from village batches, next to plain sqlite3.

    .venv/bin/python bench/bench_county.py [--records 1000000] [--per-batch 10000]
                                           [--work DIR] [--skip-plain]

Builds ``--records`` child records (realistic screening answers, random UUID record ids) as
signed, encrypted village batch files of ``--per-batch`` records from enrolled villages,
once (``--work DIR`` keeps and reuses them), then in fresh processes:
- the county imports the first batch (10,000 records by default) and reports its peak RSS;
- the county imports every batch through the multi-file import (``ops.importplan.import_all``:
  verify, decrypt, check every revision, store, one transaction) and reports records/s and
  peak RSS (``ru_maxrss``; target: flat, <= 300 MB);
- plain ``sqlite3`` ``executemany`` of the same revision rows (id, columns, body) into a
  plain table with the id as primary key, one transaction, rows generated outside the timer
  10,000 at a time; the ratio of the two throughputs (design target >= 0.40);
- with ``--floor``, two more ``executemany`` runs of the same rows into an *encrypted* file
  (SQLCipher, the workspace's 64 MB import cache) writing only what no import can skip, no
  parsing, no checks, no view columns, no secondary index: (a) the keyed tables of the
  schema 5 (revisions by text id, heads by record and revision, the view row by
  record id: three B-trees on random keys), (b) the same with integer surrogate keys
  (revisions and records numbered on arrival, each text id in one unique index, heads and
  view rows keyed by number: two B-trees on random keys), (c) schema 6 as stored since
  (rows in arrival order, each long id found through its 64-bit ``key64`` in a small
  non-unique index). Their ratios are the ceiling an import on each schema can reach
  (docs/store.md, "Issue 16, second look" and "Compact keys").
Files go to a temporary folder on the same disk as this repository.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_store import submission  # noqa: E402 - a sibling benchmark module

from surveyapp.core.store import Revision, Workspace  # noqa: E402
from surveyapp.core.store.rowkeys import key64  # noqa: E402

KEY = bytes.fromhex("c0" * 32)
COUNTY = "522422"
VERSION = 2  # of the generated files: bump when the generator changes


def records(batch: int, count: int, device: str, village: str) -> Iterator[Revision]:
    """The child revisions of batch number ``batch`` (deterministic), all of the signing
    village (an import refuses any other: batch-format.md rule 11)."""
    rng = random.Random(batch)
    for i in range(count):
        yield Revision.make(
            kind="child", record_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            form_id="child_screening", form_version="1", author="bench", device_id=device,
            created_at=f"2026-07-{1 + i % 28:02d}T08:{i % 60:02d}:00.000000Z",
            data={**submission(rng, i), "status": "active", "village_code": village,
                  "township_code": village[:9]})


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(work: Path, total: int, per: int) -> dict[str, object]:
    """The county workspace (trusting the villages) and the batch files, made once."""
    from surveyapp.core import trust
    from surveyapp.core.batch import BatchSource, write_batch
    from surveyapp.core.trust import keystore

    ready = work / "ready.json"
    want = {"version": VERSION, "records": total, "per_batch": per}
    if ready.exists():
        got = json.loads(ready.read_text())
        if {k: got.get(k) for k in want} == want:
            return dict(got)
    shutil.rmtree(work, ignore_errors=True)
    (work / "batches").mkdir(parents=True)
    county = Workspace.create_with_key(work / "county.sdb", KEY, role="county", org_code=COUNTY,
                                       org_name="县", user="u")
    trust.init_county(county)
    sizes = [per] * (total // per) + ([total % per] if total % per else [])
    villages = []
    for v in range(min(len(sizes), 25)):
        code = f"{COUNTY}{101 + v // 10:03d}{201 + v:03d}"
        ws = Workspace.create_with_key(work / f"village{v}.sdb", KEY, role="village",
                                       org_code=code, org_name="村", user="u")
        trust.accept_enrollment(ws, trust.enroll(county, trust.enroll_request(ws)))
        villages.append(ws)
    county.close()
    devices = []
    t0 = time.perf_counter()
    last: dict[int, tuple[int, str]] = {}
    for b, size in enumerate(sizes):
        v = b % len(villages)
        ws = villages[v]
        seq, previous = last.get(v, (0, ""))
        audit = [{"seq": 1, "at": "2026-07-01T08:00:00.000000Z", "user": "bench",
                  "device_id": ws.device_id, "action": "create", "details": {}}]
        source = BatchSource(ws.device_id, ws.org_code, "village",
                             records(b, size, ws.device_id, ws.org_code), audit, size + 1)
        written = write_batch(work / "batches", source, keystore.signing_key(ws),  # type: ignore[arg-type]
                              sequence=seq + 1, previous=previous,
                              recipients=keystore.recipients(ws))
        last[v] = (seq + 1, written.batch_hash)
        devices.append([written.path.name, ws.device_id, size, ws.org_code])
        print(f"\r  made {b + 1}/{len(sizes)} batches ({time.perf_counter() - t0:.0f} s)",
              end="", flush=True)
    print()
    for ws in villages:
        ws.close()
    info = {**want, "batches": devices}
    ready.write_text(json.dumps(info))
    return info


def child_import(county: str, files: list[str]) -> None:
    """In a fresh process: import ``files`` at the county, print seconds and peak RSS."""
    import os

    from surveyapp.ops import importlines, importplan

    ws = Workspace.open_with_key(county, KEY, "u")
    before = _rss_mb()
    # Whether the import parses on a worker process (a core free: docs/store.md).
    worker = importlines.wanted(importlines.WORKER_AT)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    results = importplan.import_all(ws, files, lambda _d, _t: None, lambda: False)
    seconds = time.perf_counter() - t0
    children = ws.count_children()
    ws.close()
    print(json.dumps({"seconds": seconds, "rss_before": before, "rss_peak": _rss_mb(),
                      "inserted": sum(r.inserted for r in results), "children": children,
                      "worker": worker, "load": load}))


def child_plain(db: str, batches: list[list[object]]) -> None:
    """In a fresh process: plain executemany of the same revision rows, one transaction."""
    plain = sqlite3.connect(db, isolation_level=None)
    plain.execute("PRAGMA journal_mode = WAL")
    plain.execute("CREATE TABLE t (id TEXT PRIMARY KEY, kind, record_id, created_at, author, "
                  "device_id, form_id, form_version, body, seq)")
    _timed_load(plain, batches, lambda rows: plain.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows))


def _timed_load(conn: Any, batches: list[list[object]],
                write: Callable[[list[tuple[object, ...]]], object]) -> None:
    """Write every batch's rows with ``write`` in one transaction, timing only the writes
    and the commit; print seconds, rows and peak RSS as JSON (the child's result)."""
    seconds = 0.0
    seq = 0
    conn.execute("BEGIN")
    for rows in _row_chunks(batches):
        seq += len(rows)
        t0 = time.perf_counter()
        write(rows)
        seconds += time.perf_counter() - t0
    t0 = time.perf_counter()
    conn.execute("COMMIT")
    seconds += time.perf_counter() - t0
    conn.close()
    print(json.dumps({"seconds": seconds, "rows": seq, "rss_peak": _rss_mb()}))


def _row_chunks(batches: list[list[object]]) -> Iterator[list[tuple[object, ...]]]:
    """The revision rows of every batch (id, columns, body, arrival number), made outside
    the timers 10,000 at a time."""
    seq = 0
    for b, (_, device, size, village) in enumerate(batches):
        gen = records(b, int(size), str(device), str(village))  # type: ignore[call-overload]
        while True:
            rows: list[tuple[object, ...]] = []
            for r in gen:
                seq += 1
                rows.append((r.id, r.kind, r.record_id, r.created_at, r.author, r.device_id,
                             r.form_id, r.form_version, r.body, seq))
                if len(rows) == 10_000:
                    break
            if not rows:
                break
            yield rows


FLOOR_SCHEMAS = {
    "text": (  # schema 5
        "CREATE TABLE revisions (id TEXT PRIMARY KEY, kind, record_id, created_at, author, "
        "device_id, form_id, form_version, body, seq INTEGER UNIQUE)",
        "CREATE TABLE heads (record_id TEXT NOT NULL, revision TEXT NOT NULL, "
        "PRIMARY KEY (record_id, revision)) WITHOUT ROWID",
        "CREATE TABLE children (record_id TEXT PRIMARY KEY, head_rev TEXT, created_at TEXT)"),
    "surrogate": (
        "CREATE TABLE revisions (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind, "
        "record_id, created_at, author, device_id, form_id, form_version, body)",
        "CREATE TABLE records (no INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE)",
        "CREATE TABLE heads (record INTEGER NOT NULL, revision INTEGER NOT NULL, "
        "PRIMARY KEY (record, revision)) WITHOUT ROWID",
        "CREATE TABLE children (record INTEGER PRIMARY KEY, head INTEGER, created_at TEXT)"),
    "compact": (  # schema 6 (core/store/rowkeys.py): arrival order, integer keys of the ids
        "CREATE TABLE revisions (seq INTEGER PRIMARY KEY, idk INTEGER NOT NULL, "
        "id TEXT NOT NULL, kind, record_id, created_at, author, device_id, form_id, "
        "form_version, body)",
        "CREATE INDEX revisions_idk ON revisions (idk)",
        "CREATE TABLE heads (rk INTEGER NOT NULL, record_id TEXT NOT NULL, "
        "revision TEXT NOT NULL)",
        "CREATE INDEX heads_rk ON heads (rk)",
        "CREATE TABLE children (record_id TEXT NOT NULL, head_rev TEXT, created_at TEXT, "
        "rk INTEGER NOT NULL)",
        "CREATE INDEX children_rk ON children (rk)"),
}


def child_floor(db: str, schema: str, batches: list[list[object]]) -> None:
    """In a fresh process: the writes no import can skip, encrypted, one transaction."""
    import sqlcipher3

    conn = sqlcipher3.connect(db, isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{KEY.hex()}'\"")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA cache_size = -65536")  # the import's cache (Connection.bulk)
    for sql in FLOOR_SCHEMAS[schema]:
        conn.execute(sql)

    def write(rows: list[tuple[object, ...]]) -> None:
        if schema == "text":
            conn.executemany("INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             rows)
            conn.executemany("INSERT INTO heads VALUES (?, ?)", [(r[2], r[0]) for r in rows])
            conn.executemany("INSERT INTO children VALUES (?, ?, ?)",
                             [(r[2], r[0], r[3]) for r in rows])
        elif schema == "compact":
            ks = [(key64(r[0]), key64(r[2])) for r in rows]
            conn.executemany("INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [(r[9], k[0], *r[:9]) for r, k in zip(rows, ks, strict=True)])
            conn.executemany("INSERT INTO heads VALUES (?, ?, ?)",
                             [(k[1], r[2], r[0]) for r, k in zip(rows, ks, strict=True)])
            conn.executemany("INSERT INTO children VALUES (?, ?, ?, ?)",
                             [(r[2], r[0], r[3], k[1]) for r, k in zip(rows, ks, strict=True)])
        else:  # every revision here is a new record's first: record number = seq
            conn.executemany("INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [(r[9], *r[:9]) for r in rows])
            conn.executemany("INSERT INTO records VALUES (?, ?)", [(r[9], r[2]) for r in rows])
            conn.executemany("INSERT INTO heads VALUES (?, ?)", [(r[9], r[9]) for r in rows])
            conn.executemany("INSERT INTO children VALUES (?, ?, ?)",
                             [(r[9], r[9], r[3]) for r in rows])

    _timed_load(conn, batches, write)


def _run(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(out.returncode)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--per-batch", type=int, default=10_000)
    ap.add_argument("--work", help="folder to keep (and reuse) the generated batches in")
    ap.add_argument("--skip-plain", action="store_true", help="no executemany baseline")
    ap.add_argument("--floor", action="store_true",
                    help="also the encrypted floor of the current and a surrogate-key schema")
    ap.add_argument("--child-import", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--child-plain", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--child-floor", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_import:
        child_import(args.child_import[0], args.child_import[1:])
        return
    if args.child_floor:
        child_floor(args.child_floor[0], args.child_floor[1],
                    json.loads(Path(args.child_floor[2]).read_text())["batches"])
        return
    if args.child_plain:
        child_plain(args.child_plain[0], json.loads(Path(args.child_plain[1]).read_text())
                    ["batches"])
        return
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix=".bench-county-",
                                                                 dir=HERE))
    try:
        print(f"county import of {args.records:,} records, {args.per_batch:,} per batch")
        info = build(work, args.records, args.per_batch)
        batches = info["batches"]
        assert isinstance(batches, list)
        files = [str(work / "batches" / str(name)) for name, *_ in batches]
        first = work / "county-first.sdb"
        shutil.copy(work / "county.sdb", first)
        small = _run("--child-import", str(first), files[0])
        run_db = work / "county-run.sdb"
        shutil.copy(work / "county.sdb", run_db)
        full = _run("--child-import", str(run_db), *files)
        n = int(full["inserted"])
        assert n == args.records == full["children"], full
        ours = n / full["seconds"]
        print(f"  import {int(small['inserted']):,} records (first batch):".ljust(46)
              + f"{small['seconds']:8.2f} s  peak RSS {small['rss_peak']:6.0f} MB")
        print(f"  import {n:,} records (import_all):".ljust(46)
              + f"{full['seconds']:8.2f} s  peak RSS {full['rss_peak']:6.0f} MB"
              f"  {ours:8,.0f} rec/s")
        print(f"    worker process: {'yes' if full['worker'] else 'no'} (load average "
              f"{full['load']:.2f} at its start; the first batch: "
              f"{'yes' if small['worker'] else 'no'})")
        print(f"  peak RSS {n:,} / {int(small['inserted']):,} records:".ljust(46)
              + f"{full['rss_peak'] / small['rss_peak']:8.2f}x (flat is ~1; target <= 300 MB)")
        if not args.skip_plain:
            plain_db = work / "plain.db"
            plain_db.unlink(missing_ok=True)
            plain = _run("--child-plain", str(plain_db), str(work / "ready.json"))
            base = plain["rows"] / plain["seconds"]
            print(f"  plain sqlite3 executemany, same {int(plain['rows']):,} rows:".ljust(46)
                  + f"{plain['seconds']:8.2f} s  {'':24}{base:8,.0f} rows/s")
            print("  ratio import / executemany:".ljust(46)
                  + f"{ours / base:8.2f}  (design target >= 0.40)")
            plain_db.unlink(missing_ok=True)
            for schema in FLOOR_SCHEMAS if args.floor else ():
                floor_db = work / f"floor-{schema}.sdb"
                floor = _run("--child-floor", str(floor_db), schema, str(work / "ready.json"))
                rate = floor["rows"] / floor["seconds"]
                print(f"  encrypted floor, {schema} keys:".ljust(46)
                      + f"{floor['seconds']:8.2f} s  peak RSS {floor['rss_peak']:6.0f} MB"
                      f"  {rate:8,.0f} rows/s  ratio {rate / base:4.2f}")
                for suffix in ("", "-wal", "-shm"):
                    Path(str(floor_db) + suffix).unlink(missing_ok=True)
        for leftover in (first, run_db):
            for suffix in ("", "-wal", "-shm"):
                Path(str(leftover) + suffix).unlink(missing_ok=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
