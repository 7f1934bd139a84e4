"""Store benchmark: durable save latency, unlock time, bulk insert vs plain sqlite3, search.

    .venv/bin/python bench/bench_store.py [--children 100000] [--bulk 50000]

Prints:
- the median latency of one durable visit save (visit + child revision + view + audit, one
  WAL commit with synchronous=FULL; target <= 15 ms);
- the unlock time (scrypt KDF at the shipped work factor + keying + probe + migrations check);
- bulk insert throughput of revisions (``insert_revisions``: hash check, heads, view) next to
  plain ``sqlite3`` ``executemany`` of the same rows into a plain table, in the same run, as
  a ratio;
- the median time of a search (count + first page) over ``--children`` children by name
  prefix, pinyin initials and ID number prefix (target <= 50 ms).
Files go to a temporary folder on the same disk as this repository (not a RAM disk).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from surveyapp.core.store import ChildFilter, Revision, Workspace
from surveyapp.core.store.keys import WORK_FACTOR

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "小明红华军芳丽强伟娜敏静磊洋艳勇杰娟涛超秀英霞平刚桂兰春花玉梅建国志文俊宇浩然子涵欣怡梓轩"
PASSWORD = "bench password"  # noqa: S105 - a throwaway benchmark workspace


def submission(rng: random.Random, n: int) -> dict[str, object]:
    """A realistic-size screening submission (about 70 answers)."""
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    village = f"522422{rng.randint(100, 130):03d}{rng.randint(200, 230):03d}"
    out: dict[str, object] = {
        "survey_date": "2026-07-01", "township_code": village[:9], "village_code": village,
        "child_name": name, "sex": rng.choice(["male", "female"]),
        "id_number": f"522422{rng.randint(2008, 2024)}{rng.randint(1, 12):02d}"
                     f"{rng.randint(1, 28):02d}{n % 10000:04d}"[:18],
        "birth_date": "2014-03-08", "is_left_behind": rng.choice(["yes", "no"]),
        "is_orphan": "no", "is_unsupported": "no", "is_in_difficulty": rng.choice(["yes", "no"]),
        "dk_poverty": "no", "dk_disability": "no", "dk_guardianship": "no",
        "urgent_report": rng.choice(["yes", "no", "no", "no"]),
        "risk_level": rng.choice(["low", "medium", "high"]), "follow_up_days": 30,
        "category_label": "留守儿童", "remarks": "",
    }
    for i in range(50):
        out[f"q{i:02d}"] = rng.choice(["yes", "no", "at_home", "away_out_province", "3"])
    return out


def bench_unlock(folder: Path) -> float:
    path = folder / "unlock.sdb"
    Workspace.create(path, role="village", org_code="522422102201", org_name="村",
                     user="u", password=PASSWORD).close()
    times = []
    for _ in range(3):
        t = time.perf_counter()
        Workspace.open(path, "u", PASSWORD).close()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_save(folder: Path, rng: random.Random, count: int = 300) -> float:
    ws = Workspace.create_with_key(folder / "save.sdb", bytes(range(32)), role="village",
                                   org_code="522422102201", org_name="村", user="u")
    ids: list[str] = []
    times = []
    for n in range(count):
        values = submission(rng, n)
        child = rng.choice(ids) if ids and rng.random() < 0.3 else None
        t = time.perf_counter()
        saved = ws.save_visit(child, values, form_id="child_screening", form_version="1")
        times.append(time.perf_counter() - t)
        ids.append(saved.child_id)
    ws.close()
    return statistics.median(times[20:])


def make_revisions(rng: random.Random, count: int) -> list[Revision]:
    return [
        Revision.make(kind="child", record_id=f"{n:08d}-0000-4000-8000-{rng.getrandbits(48):012x}",
                      form_id="child_screening", form_version="1", author="u", device_id="d",
                      data={**submission(rng, n), "status": "active"})
        for n in range(count)
    ]


def _plain(path: Path, rows: list[tuple[object, ...]]) -> float:
    plain = sqlite3.connect(path, isolation_level=None)
    plain.execute("PRAGMA journal_mode = WAL")
    plain.execute("CREATE TABLE t (id TEXT PRIMARY KEY, kind, record_id, created_at, author, "
                  "device_id, form_id, form_version, body, seq)")
    t = time.perf_counter()
    plain.execute("BEGIN")
    plain.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    plain.execute("COMMIT")
    seconds = time.perf_counter() - t
    plain.close()
    return seconds


def bench_bulk(folder: Path, revs: list[Revision]) -> tuple[float, float]:
    """(ours, plain) rows per second. The baseline runs before and after ours and the faster
    one counts, so that a burst of load from other jobs cannot flatter the ratio."""
    rows = [(r.id, r.kind, r.record_id, r.created_at, r.author, r.device_id, r.form_id,
             r.form_version, r.body, n) for n, r in enumerate(revs)]
    before = _plain(folder / "plain1.db", rows)
    ws = Workspace.create_with_key(folder / "bulk.sdb", bytes(range(32)), role="county",
                                   org_code="522422", org_name="县", user="u")
    bodies = [(r.id, r.body) for r in revs]
    t = time.perf_counter()
    ws.insert_revisions(bodies)
    ours = time.perf_counter() - t
    ws.close()
    after = _plain(folder / "plain2.db", rows)
    return len(revs) / ours, len(revs) / min(before, after)


def bench_search(folder: Path, revs: list[Revision]) -> dict[str, float]:
    ws = Workspace.create_with_key(folder / "search.sdb", bytes(range(32)), role="county",
                                   org_code="522422", org_name="县", user="u")
    ws.insert_revisions(revs)
    out = {}
    for label, text in (("name", "王小"), ("initials", "wxm"), ("id number", "52242220141"),
                        ("no filter", "")):
        flt = ChildFilter(search=text or None)
        times = []
        for _ in range(15):
            t = time.perf_counter()
            ws.count_children(flt)
            ws.query_children(flt, 0, 200)
            times.append(time.perf_counter() - t)
        out[f"{label} ({ws.count_children(flt)} hits)"] = statistics.median(times)
    ws.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--bulk", type=int, default=50_000)
    args = parser.parse_args()
    rng = random.Random(2016)
    folder = Path(tempfile.mkdtemp(prefix=".bench-store-", dir=Path(__file__).resolve().parent))
    try:
        save = bench_save(folder, rng)
        print(f"durable save (visit + child revision), median: {save * 1000:.2f} ms "
              f"(target <= 15 ms)")
        unlock = bench_unlock(folder)
        print(f"unlock (scrypt 2**{WORK_FACTOR} + open), median: {unlock * 1000:.0f} ms")
        revs = make_revisions(rng, max(args.bulk, args.children))
        ours, plain = bench_bulk(folder, revs[: args.bulk])
        print(f"bulk insert {args.bulk} revisions: {ours:,.0f}/s; plain sqlite3 executemany: "
              f"{plain:,.0f}/s; ratio {ours / plain:.2f} (target >= 0.40)")
        for label, seconds in bench_search(folder, revs[: args.children]).items():
            print(f"search over {args.children} children, {label}, median: "
                  f"{seconds * 1000:.1f} ms (target <= 50 ms)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
