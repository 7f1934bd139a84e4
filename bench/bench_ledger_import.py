"""Ledger import (台账导入) speed and memory, against the plain read of the same file.

Makes a 台账 .xlsx of N children (default 10,000) with the app's own export: 2,000 demo
children classified by the form, copied with a new ID number and name per copy so that
no row is a duplicate. Then, each in its own subprocess so that peak RSS (``ru_maxrss``)
belongs to that step alone:

- ``baseline``: openpyxl read-only, values only, every cell of every sheet of the same
  file (its rows: the title and header rows too), nothing else;
- ``check``: ``import_ledger(..., dry_run=True)``: read, normalise, run the form on every
  row, look for duplicates, build nothing;
- ``import``: ``import_ledger`` into a new workspace: the above plus the revisions, the
  view rows, one encrypted transaction; the rows read and checked in a second process
  while this one writes them (``parallel=True``; the check step too);
- ``import_one``: the same in one process (``parallel=False``).

Usage: ``bench_ledger_import.py [N [SMALL]]`` (SMALL, default 2,000: a second, smaller
import, for the flat-memory check: peak RSS at N over peak RSS at SMALL). CPU time (user +
system, of the step and of the second process it started) is the stable measure on a
shared machine; wall time is printed beside it, with the load average at the end of the
step (a second core busy with something else makes the second process wait for it).
Peak RSS is the step's own; the second process's is printed apart ("2nd RSS").
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DISTINCT = 2000
KEY = bytes.fromhex("be" * 32)


def make(n: int, out: str) -> None:
    import datetime as dt

    from surveyapp.core.demo import generate_demo
    from surveyapp.core.forms import load_form
    from surveyapp.core.ids.resident_id import make_resident_id
    from surveyapp.core.ledger import FormLabels, export_ledger
    from surveyapp.ops.demo import classify
    from surveyapp.paths import FORM_PATH

    form = load_form(FORM_PATH)
    base: list[dict[str, Any]] = []
    for child in generate_demo(children=DISTINCT).children:
        if child.duplicate_of or child.exit is not None:
            continue
        visit = child.visits[-1]
        base.append(classify(form, visit.answers, visit.survey_date))

    def rows() -> Any:
        for i in range(n):
            k, row = divmod(i, len(base))
            row = dict(base[row])
            row["child_name"] = row["child_name"][:20] + (chr(0x4e00 + k) if k else "")
            if row.get("id_number"):
                birth = dt.date.fromisoformat(row["birth_date"])
                parity = 1 if row.get("sex") == "male" else 0
                # (area, seq) unique per row: no two rows share an ID number
                row["id_number"] = make_resident_id(f"52{(i // 500) % 10000:04d}", birth,
                                                    (i % 500) * 2 + parity)
            row["status"] = "active"
            yield row

    export_ledger(rows(), out, labels=FormLabels.from_model(form), county_name="大方县",
                  total=n)


def child(kind: str, path: str, work: str) -> dict[str, float]:
    start, cpu = time.perf_counter(), time.process_time()
    rows = 0
    if kind == "baseline":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in book.worksheets:  # the 汇总 summary, then one sheet per township
            for cells in sheet.iter_rows(values_only=True):
                rows += sum(c is not None for c in cells) >= 0
        book.close()
    else:
        from surveyapp.core.store import Workspace
        from surveyapp.ops.ledgerin import import_ledger

        ws = Workspace.create_with_key(Path(work) / f"{kind}-{time.time_ns()}.sdb", KEY,
                                       role="county", org_code="522422",
                                       org_name="大方县", user="bench")
        with ws:
            result = import_ledger(ws, path, dry_run=kind == "check",
                                   parallel=kind != "import_one")
        s = result.summary
        assert s.refused == 0 and s.duplicates == 0, s.counts()
        rows = s.rows
        assert kind == "check" or s.imported == rows
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    second = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rows": rows, "wall": wall,
            "cpu": time.process_time() - cpu + second.ru_utime + second.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "rss2_mb": second.ru_maxrss / 1024,
            "load": os.getloadavg()[0]}


def run(kind: str, path: Path, work: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path), str(work)],
                         check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(sys.argv[2], sys.argv[3], sys.argv[4])))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    small = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
    with tempfile.TemporaryDirectory(prefix="bench-ledger-import-") as tmp:
        work = Path(tmp)
        files = {}
        for size in sorted({small, n}):
            files[size] = work / f"ledger-{size}.xlsx"
            started = time.perf_counter()
            make(size, str(files[size]))
            print(f"made a 台账 of {size:,} rows in {time.perf_counter() - started:.1f} s "
                  f"({files[size].stat().st_size / 1e6:.1f} MB)")
        results = {}
        for kind in ("baseline", "check", "import", "import_one"):
            results[kind] = run(kind, files[n], work)
        results["import_small"] = run("import", files[small], work)
        results["import_one_small"] = run("import_one", files[small], work)
    base = results["baseline"]
    print(f"\n{'step':<14}{'rows':>9}{'wall s':>9}{'load':>6}{'cpu s':>9}{'rows/s (cpu)':>14}"
          f"{'peak RSS MB':>13}{'2nd RSS':>9}{'cpu × baseline':>16}")
    for kind, r in results.items():
        print(f"{kind:<14}{int(r['rows']):>9,}{r['wall']:>9.1f}{r['load']:>6.1f}"
              f"{r['cpu']:>9.1f}{r['rows'] / max(r['cpu'], 1e-9):>14,.0f}"
              f"{r['rss_mb']:>13.0f}{r['rss2_mb']:>9.0f}"
              f"{r['cpu'] / max(base['cpu'], 1e-9):>16.1f}")
    for kind in ("import", "import_one"):
        r = results[kind]
        per_row = r["cpu"] / max(r["rows"], 1)
        print(f"\n{kind}: {per_row * 1000:.2f} ms CPU a row; {r['rows']:,} rows in "
              f"{r['wall']:.0f} s wall at load {r['load']:.1f} (target: 100,000 rows "
              f"under 120 s)")
        small_r = results[f"{kind}_small"]
        second = r["rss2_mb"] / max(small_r["rss2_mb"], 1e-9)
        print(f"flat memory: peak RSS at {n:,} rows / at {small:,} rows = "
              f"{r['rss_mb'] / small_r['rss_mb']:.2f}"
              + (f" (second process: {second:.2f})" if r["rss2_mb"] else ""))


if __name__ == "__main__":
    main()
