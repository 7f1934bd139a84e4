"""UI benchmarks: start-up to an unlocked main window, and search in 100k children.

    .venv/bin/python bench/bench_ui.py [--children 100000] [--runs 5]

1. Start-up: a fresh process (offscreen) that creates the app, unlocks the demo workspace
   (the password KDF included), builds and shows the main window with the first page of
   the list. Measured from just before the process is spawned to the window being shown.
   Baseline: a process that only imports PySide6.QtWidgets and creates a QApplication.
   Target ≤ 1.5 s.
2. Search: the list model's filter over N children bulk-inserted into a workspace
   (count + first page, as the UI does on each debounced keystroke), median over name,
   pinyin-initial and ID-number queries. Baseline: a plain sqlite3 ``LIKE`` query over the
   same rows in an unencrypted in-memory table. Target ≤ 50 ms median.
3. Jump to the end: open the full list and show its last row (keyset paging from the
   last row), median of 5; baseline: the same model paging by OFFSET in the same run.
   Target ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
CACHE = Path(tempfile.gettempdir()) / "surveyapp-bench-ui"

STARTUP = r"""
import sys, time
t0 = float(sys.argv[1])
from surveyapp.ui.app import make_app
app, settings = make_app()
from surveyapp.core.store import Workspace
from surveyapp.ui.backend import Backend
from surveyapp.ui.mainwindow import MainWindow
ws = Workspace.open(sys.argv[2], sys.argv[3], sys.argv[4])
window = MainWindow(Backend(ws, lang="zh_CN"), settings)
window.show()
app.processEvents()
print(time.time() - t0)
"""
BASELINE = r"""
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow()
w.show()
app.processEvents()
print(time.time() - t0)
"""


def spawn(code: str, *args: str) -> float:
    env = dict(os.environ, SURVEYAPP_HOME=str(CACHE / "home"), QT_QPA_PLATFORM="offscreen")
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, repr(t0), *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return float(out.stdout.strip().splitlines()[-1])


def demo_workspace() -> Path:
    from surveyapp.ops.demo import build_demo_workspace

    path = CACHE / "demo.sdb"
    if not path.exists():
        print("building the demo workspace once …", flush=True)
        result = build_demo_workspace(path)
        print(f"  {result.children} children, {result.visits} visits in {result.seconds:.1f} s")
    return path


def bench_startup(runs: int) -> None:
    from surveyapp.ops.demo import DEMO_PASSWORD, DEMO_USER

    path = demo_workspace()
    spawn(BASELINE)  # warm the OS file cache for both
    base = statistics.median(spawn(BASELINE) for _ in range(runs))
    app = statistics.median(
        spawn(STARTUP, str(path), DEMO_USER, DEMO_PASSWORD) for _ in range(runs)
    )
    verdict = "ok" if app <= 1.5 else "OVER TARGET"
    print(
        f"start-up to unlocked main window: {app * 1000:.0f} ms median of {runs} "
        f"(target ≤ 1500 ms: {verdict})"
    )
    print(
        f"  baseline (import PySide6.QtWidgets + QApplication + empty window): "
        f"{base * 1000:.0f} ms; ratio {app / base:.2f}x"
    )


def big_workspace(n: int) -> Path:
    """A workspace with ``n`` children, bulk-inserted through the store (built once, cached)."""
    from surveyapp.core.store import Workspace

    sys.path.insert(0, str(ROOT / "tests" / "ui"))
    from uihelpers import bulk_children

    path = CACHE / f"children-{n}.sdb"
    if not path.exists():
        print(f"inserting {n} children through the store's bulk path once …", flush=True)
        t0 = time.perf_counter()
        building = CACHE / f"building-{n}.sdb"
        for old in CACHE.glob(building.name + "*"):
            old.unlink()
        ws = Workspace.create(
            building,
            role="county",
            org_code="522422",
            org_name="大方县",
            user="bench",
            password="bench-password",  # noqa: S106 - a throwaway bench workspace
            work_factor=10,
        )
        bulk_children(ws, n)
        ws.close()
        for part in CACHE.glob(building.name + "*"):
            os.replace(part, CACHE / (path.name + part.name[len(building.name) :]))
        print(f"  done in {time.perf_counter() - t0:.0f} s")
    return path


def queries(rows: list[tuple[str, str, str]]) -> list[str]:
    """Name prefixes, pinyin initials and ID-number prefixes, as a user would type them."""
    out: list[str] = []
    for name, initials, id_number in rows[:: max(1, len(rows) // 10)][:10]:
        out += [name[:1], name[:2], initials[:2], initials, id_number[:10], id_number[:16]]
    return out


def bench_search(n: int) -> None:
    import sqlite3

    from PySide6.QtWidgets import QApplication

    from surveyapp.core.store import Workspace
    from surveyapp.ui.backend import Backend
    from surveyapp.ui.models.children import ChildFilter, ChildrenTableModel

    _app = QApplication.instance() or QApplication([])
    path = big_workspace(n)
    ws = Workspace.open(path, "bench", "bench-password")
    model = ChildrenTableModel(Backend(ws, lang="zh_CN"))
    rows = [
        (str(r[0]), str(r[1]), str(r[2]))
        for r in ws.conn.execute("SELECT child_name, pinyin_initials, id_number FROM children")
    ]
    plain = sqlite3.connect(":memory:")
    plain.execute("CREATE TABLE c (name TEXT, initials TEXT, id_number TEXT)")
    plain.executemany("INSERT INTO c VALUES (?, ?, ?)", rows)
    qs = queries(rows)

    def ours(q: str) -> float:
        t0 = time.perf_counter()
        model.set_filter(ChildFilter(search=q))
        model.index(0, 0).data()  # the first page, as the view asks for it
        return time.perf_counter() - t0

    def baseline(q: str) -> float:
        t0 = time.perf_counter()
        like = q + "%"
        plain.execute(
            "SELECT count(*) FROM c WHERE name LIKE ? OR initials LIKE ? OR id_number LIKE ?",
            (like, like, like),
        ).fetchone()
        plain.execute(
            "SELECT * FROM c WHERE name LIKE ? OR initials LIKE ? OR id_number LIKE ? "
            "ORDER BY name LIMIT 200",
            (like, like, like),
        ).fetchall()
        return time.perf_counter() - t0

    for q in qs[:3]:
        ours(q)
        baseline(q)
    t_ours = statistics.median(ours(q) for q in qs)
    t_base = statistics.median(baseline(q) for q in qs)
    verdict = "ok" if t_ours <= 0.050 else "OVER TARGET"
    print(
        f"search in {len(rows)} children (count + first page, {len(qs)} queries): "
        f"{t_ours * 1000:.1f} ms median (target ≤ 50 ms: {verdict})"
    )
    print(
        f"  baseline (plain sqlite3 LIKE over the same rows, in memory, no index): "
        f"{t_base * 1000:.1f} ms; ratio {t_ours / t_base:.2f}x"
    )
    backend = Backend(ws, lang="zh_CN")

    class OffsetOnly:
        """The same backend without keyset paging: every page by OFFSET (the old way)."""

        count = staticmethod(backend.count)
        fetch = staticmethod(backend.fetch)

    def jump(source: Any) -> tuple[float, float]:
        """Open the full list (from a search) and show its last row; then the row 30 pages
        above it."""
        m = ChildrenTableModel(source)
        m.set_filter(ChildFilter(search=qs[0]))
        m.index(0, 0).data()
        t0 = time.perf_counter()
        m.set_filter(ChildFilter())
        m.index(m.rowCount() - 1, 0).data()
        t1 = time.perf_counter()
        m.index(m.rowCount() - 3000, 0).data()
        return t1 - t0, time.perf_counter() - t1

    jump(backend)
    jump(OffsetOnly())
    keyset = [jump(backend) for _ in range(5)]
    offset = [jump(OffsetOnly()) for _ in range(5)]
    t_key = statistics.median(k[0] for k in keyset)
    t_off = statistics.median(o[0] for o in offset)
    verdict = "ok" if t_key <= 0.050 else "OVER TARGET"
    print(
        f"open the full list of {n} children and jump to its last row (keyset): "
        f"{t_key * 1000:.1f} ms median of 5 (target ≤ 50 ms: {verdict})"
    )
    print(
        f"  baseline (the same model paging by OFFSET, same run): {t_off * 1000:.1f} ms; "
        f"ratio {t_key / t_off:.2f}x"
    )
    print(
        f"  then 30 pages up from the last row: keyset "
        f"{statistics.median(k[1] for k in keyset) * 1000:.1f} ms, OFFSET "
        f"{statistics.median(o[1] for o in offset) * 1000:.1f} ms"
    )
    print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    ws.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-startup", action="store_true", help="only the list benches")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    if not args.no_startup:
        bench_startup(args.runs)
    bench_search(args.children)
    return 0


if __name__ == "__main__":
    sys.exit(main())
