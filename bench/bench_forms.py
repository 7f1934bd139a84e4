"""Form engine benchmark: load time against pyxform, and re-evaluation per answer change.

Run: ``.venv/bin/python bench/bench_forms.py [--repeat N]``.

- Load: ``surveyapp.core.forms.load_form`` (read the xlsx, build the model, check and
  compile every expression, build the dependency graph) against pyxform's own parse of
  the same file, ``pyxform.xls2json.parse_file_to_json`` (xlsx → the JSON survey that
  pyxform then turns into XML). Both read the workbook with openpyxl. Median of N runs.
- Change: the median time of one ``FormSession.set()`` (re-evaluation of dependents) on
  the full form, cycling through realistic changes. Target ≤ 2 ms.

The shipped ``forms/child_screening.xlsx`` is used when present; otherwise a generated
form of similar shape (~120 rows, ~30 calculates) is written to a temporary file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from surveyapp.core.forms import FormSession, Question, load_form  # noqa: E402

FORM = ROOT / "forms" / "child_screening.xlsx"


def generated_form(path: Path) -> Path:
    """A ~120-row form shaped like the screening form (groups, selects, calculates)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label::zh", "label::en", "required", "relevant",
               "constraint", "calculation"])
    for g in range(6):
        ws.append(["begin group", f"g{g}", f"组{g}", f"Group {g}"])
        for q in range(14):
            n = f"q{g}_{q}"
            if q % 3 == 0:
                ws.append(["select_one yn", n, n, n, "yes"])
            elif q % 3 == 1:
                ws.append(["integer", n, n, n, None, f"${{q{g}_{q - 1}}} = 'yes'",
                           ". >= 0 and . < 100"])
            else:
                ws.append(["text", n, n, n, None, None, "string-length(.) < 50"])
        ws.append(["end group"])
    for c in range(30):
        src = f"q{c % 6}_{(c * 3) % 12}"
        prev = f"${{c{c - 1}}} = 'yes' or " if c else ""
        ws.append(["calculate", f"c{c}", None, None, None, None, None,
                   f"if({prev}${{{src}}} = 'yes', 'yes', 'no')"])
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", "label::zh", "label::en"])
    ch.append(["yn", "yes", "是", "Yes"])
    ch.append(["yn", "no", "否", "No"])
    st = wb.create_sheet("settings")
    st.append(["form_id", "version", "default_language"])
    st.append(["generated", "1", "zh"])
    wb.save(path)
    return path


def median_ms(fn: Callable[[], Any], n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def changes_for(session: FormSession) -> list[tuple[str, Any]]:
    """A cycle of answer changes that flip relevance and classification back and forth."""
    names = {q.name for q in session.form.questions()}
    if {"father_status", "mother_status", "risk_signs", "birth_date"} <= names:
        return [
            ("father_status", "away_out_province"),
            ("father_away_months", 24),
            ("mother_status", "away_in_province"),
            ("mother_away_months", 12),
            ("birth_date", "2016-03-15"),
            ("risk_signs", "abuse"),
            ("child_name", "张小明"),
            ("risk_signs", "none"),
            ("father_status", "at_home"),
            ("mother_status", "deceased"),
            ("birth_date", "2012-05-01"),
            ("child_name", "李"),
        ]
    selects = [q.name for q in session.form.questions() if isinstance(q, Question)
               and q.type == "select_one"]
    return [(n, v) for n in selects for v in ("yes", "no")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=21, help="load runs (median)")
    parser.add_argument("--changes", type=int, default=2000, help="answer changes timed")
    args = parser.parse_args()
    tmp = None
    path = FORM
    if not path.exists():
        tmp = tempfile.TemporaryDirectory()
        path = generated_form(Path(tmp.name) / "generated.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    rows = wb["survey"].max_row
    wb.close()
    print(f"form: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name} "
          f"({rows} survey rows)")

    form = load_form(path)
    calcs = sum(1 for q in form.questions() if q.type == "calculate")
    print(f"  {len(form.nodes)} nodes, {calcs} calculates, "
          f"{len(form.program.order)} graph nodes")

    from pyxform.xls2json import parse_file_to_json

    def pyxform_parse() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parse_file_to_json(str(path), warnings=[])

    # Interleaved, so that load from other processes on the machine hits both alike.
    ours_t: list[float] = []
    theirs_t: list[float] = []
    for _ in range(args.repeat):
        ours_t.append(median_ms(lambda: load_form(path), 1))
        theirs_t.append(median_ms(pyxform_parse, 1))
    ours, theirs = statistics.median(ours_t), statistics.median(theirs_t)
    print(f"load (median of {args.repeat}, interleaved):")
    print(f"  surveyapp load_form (parse + check + compile + graph): {ours:8.2f} ms")
    print(f"  pyxform xls2json.parse_file_to_json (parse only):      {theirs:8.2f} ms")
    print(f"  ratio surveyapp / pyxform: {ours / theirs:.2f}x "
          f"({'faster' if ours < theirs else 'slower'} than pyxform)")

    session = FormSession(form, today=dt.date(2026, 7, 1))
    init = median_ms(lambda: FormSession(form, today=dt.date(2026, 7, 1)), args.repeat)
    print(f"new FormSession (full evaluation): {init:.2f} ms (median)")
    cycle = changes_for(session)
    times = []
    evaluated = []
    for i in range(args.changes):
        path_, value = cycle[i % len(cycle)]
        t0 = time.perf_counter()
        session.set(path_, value)
        times.append((time.perf_counter() - t0) * 1000)
        evaluated.append(len(session.evaluated))
    times.sort()
    med = statistics.median(times)
    p95 = times[int(len(times) * 0.95)]
    print(f"one answer change, re-evaluation ({args.changes} changes):")
    print(f"  median {med:.3f} ms, p95 {p95:.3f} ms, max {times[-1]:.3f} ms "
          f"(target <= 2 ms: {'met' if med <= 2 else 'MISSED'})")
    print(f"  nodes re-evaluated per change: median {statistics.median(evaluated):.0f} "
          f"of {len(form.program.order)}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
