"""Hardening figures: the cost of the xlsx guard on a real form, how fast hostile inputs are
refused, and the peak memory growth of each refusal in a fresh process.

    .venv/bin/python bench/bench_hardening.py

Baselines are measured in the same run: openpyxl's own load of the real form (no guard), and
the fresh-process memory baseline after the imports (see tests/hardening/hardening_probe.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hardening"))

import hardening_files as hf  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from surveyapp.core.forms import check_form, load_form  # noqa: E402
from surveyapp.core.forms.sheets import _check_archive  # noqa: E402

FORM = ROOT / "forms" / "child_screening.xlsx"
PROBE = ROOT / "tests" / "hardening" / "hardening_probe.py"


def best(fn: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def openpyxl_only() -> None:
    wb = load_workbook(FORM, read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    wb.close()


def main() -> None:
    base = best(openpyxl_only)
    guard = best(lambda: _check_archive(FORM), 21)
    full = best(lambda: load_form(FORM))
    print(f"real form: openpyxl read {base * 1000:.1f} ms (baseline); guard "
          f"{guard * 1000:.2f} ms = {guard / base:.1%} of it; load_form {full * 1000:.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bomb = hf.zip_bomb(hf.small_form(folder / "base.xlsx"), folder / "bomb.xlsx")
        laughs = hf.billion_laughs(folder / "base.xlsx", folder / "laughs.xlsx")
        cell = hf.big_cell(folder / "base.xlsx", folder / "cell.xlsx")
        for name, path in (("zip bomb (100 MB unpacked)", bomb), ("billion laughs", laughs),
                           ("10 MB cell", cell)):
            refused = best(lambda p=path: check_form(p), 3)
            done = subprocess.run([sys.executable, str(PROBE), "form", str(path)],
                                  capture_output=True, check=True)
            result = json.loads(done.stdout.decode().splitlines()[-1])
            print(f"{name}: {path.stat().st_size / 1024:.0f} KB file, refused "
                  f"{result['code']} in {refused * 1000:.1f} ms "
                  f"({refused / base:.1f}x the real form's read), peak RSS growth "
                  f"{result['grown_kb'] / 1024:.1f} MB, traced peak "
                  f"{result['traced_peak_kb'] / 1024:.1f} MB")


if __name__ == "__main__":
    main()
