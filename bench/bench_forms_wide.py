"""Odd-form benchmark (issue #18): a survey sheet formatted far beyond its content.

Run: ``.venv/bin/python bench/bench_forms_wide.py [--rows 1000] [--cols 1000] [--repeat 5]``.

Writes a form of ``rows`` survey rows with openpyxl, then formats every row out to column
``cols`` and 200 empty rows below it (``<c r="…" s="1"/>`` cells, as Excel writes after
"format whole columns"), and times ``surveyapp form check`` on it (in-process CLI: read,
check, compile) against the same form without the formatting, and pyxform's parse of the
wide file. Target: the 1,000 × 1,000 form checks in under 1 s (it took 88 s for a real
form with 1,024 formatted columns before the reader cut the empty cells).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import statistics
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from surveyapp.cli.main import main as cli  # noqa: E402
from surveyapp.core.forms.sheets import column_letter  # noqa: E402


def plain_form(path: Path, rows: int) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label::zh", "label::en"])
    for i in range(rows - 1):
        ws.append(["text", f"q{i}", f"问题{i}", f"Question {i}"])
    ws["F1"].fill = PatternFill("solid", fgColor="FFFF00")
    st = wb.create_sheet("settings")
    st.append(["form_id", "version"])
    st.append(["wide", "1"])
    wb.save(path)
    return path


def widened(src: Path, dst: Path, cols: int, extra_rows: int = 200) -> Path:
    with zipfile.ZipFile(src) as zin:
        members = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    name = "xl/worksheets/sheet1.xml"
    xml = members[name].decode("utf-8")
    last = [0]

    def pad(match: re.Match[str]) -> str:
        r = int(match.group(1))
        last[0] = max(last[0], r)
        cells = "".join(f'<c r="{column_letter(c)}{r}" s="1"/>' for c in range(5, cols))
        return match.group(0).replace("</row>", cells + "</row>")

    xml = re.sub(r'<row r="(\d+)"[^>]*>.*?</row>', pad, xml)
    empty = "".join(
        f'<row r="{r}" s="1" customFormat="1">'
        + "".join(f'<c r="{column_letter(c)}{r}" s="1"/>' for c in range(cols)) + "</row>"
        for r in range(last[0] + 1, last[0] + 1 + extra_rows))
    xml = xml.replace("</sheetData>", empty + "</sheetData>")
    xml = re.sub(r'<dimension ref="[^"]*"',
                 f'<dimension ref="A1:{column_letter(cols - 1)}{last[0] + extra_rows}"', xml)
    members[name] = xml.encode("utf-8")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for member, data in members.items():
            zout.writestr(member, data)
    return dst


def check_s(path: Path) -> float:
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli(["form", "check", str(path)])
    elapsed = time.perf_counter() - t0
    assert code == 0, code
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--cols", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pyxform", action="store_true", help="also time pyxform (slow)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain = plain_form(Path(tmp) / "plain.xlsx", args.rows)
        wide = widened(plain, Path(tmp) / "wide.xlsx", args.cols)
        size = zipfile.ZipFile(wide).getinfo("xl/worksheets/sheet1.xml").file_size
        print(f"form: {args.rows} rows; wide copy formatted to {args.cols} columns and 200 "
              f"empty rows below (survey sheet XML {size / 1e6:.1f} MB unpacked)")
        plain_t = [check_s(plain) for _ in range(args.repeat)]
        wide_t = [check_s(wide) for _ in range(args.repeat)]
        med = statistics.median(wide_t)
        print(f"surveyapp form check, plain: {statistics.median(plain_t):.3f} s (median of "
              f"{args.repeat})")
        print(f"surveyapp form check, wide:  {med:.3f} s (median of {args.repeat}; "
              f"target < 1 s: {'met' if med < 1 else 'MISSED'})")
        if args.pyxform:
            from pyxform.xls2json import parse_file_to_json

            t0 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parse_file_to_json(str(wide), warnings=[])
            print(f"pyxform parse_file_to_json, wide: {time.perf_counter() - t0:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
