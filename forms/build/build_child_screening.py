"""Build ``forms/child_screening.xlsx`` from the content below, reproducibly.

The .xlsx is what a county opens in Excel to refine its criteria; this script is how we
regenerate it consistently (the same bytes for the same content: fixed document
timestamps and zip entry dates). Question and choice names follow
``FORM-SPEC.md`` exactly: they are a contract with the other tiers.

Run: ``.venv/bin/python forms/build/build_child_screening.py [OUTPUT.xlsx]``
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_choices import CHOICES
from screening_content import SETTINGS, SURVEY

SURVEY_COLUMNS = [
    ("type", 24),
    ("name", 26),
    ("label::zh", 34),
    ("label::en", 34),
    ("hint::zh", 30),
    ("hint::en", 30),
    ("required", 9),
    ("required_message::zh", 22),
    ("required_message::en", 22),
    ("relevant", 40),
    ("constraint", 40),
    ("constraint_message::zh", 30),
    ("constraint_message::en", 30),
    ("calculation", 60),
    ("default", 26),
    ("appearance", 12),
    ("choice_filter", 24),
    ("read_only", 9),
]
CHOICE_COLUMNS = [
    ("list_name", 18),
    ("name", 18),
    ("label::zh", 30),
    ("label::en", 34),
    ("township", 14),
]
SETTINGS_COLUMNS = [
    ("form_title", 36),
    ("form_id", 18),
    ("version", 10),
    ("default_language", 18),
]
# A fixed timestamp so that rebuilding unchanged content gives identical bytes.
_FIXED = dt.datetime(2026, 1, 1, 0, 0, 0)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_GROUP_FILL = PatternFill("solid", fgColor="FFF2CC")
_CALC_FILL = PatternFill("solid", fgColor="E2EFDA")


def _sheet(wb: Workbook, title: str, columns: list[tuple[str, int]], rows: list[dict[str, str]]):
    ws = wb.create_sheet(title)
    names = [c for c, _ in columns]
    unknown = {k for r in rows for k in r} - set(names)
    if unknown:
        raise SystemExit(f"{title}: unknown columns {sorted(unknown)}")
    ws.append(names)
    for row in rows:
        ws.append([row.get(c, "") or None for c in names])
    for i, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    wrap = Alignment(wrap_text=False, vertical="top")
    for r, row in enumerate(rows, start=2):
        kind = row.get("type", "")
        fill = None
        if kind.startswith(("begin", "end")):
            fill = _GROUP_FILL
        elif kind == "calculate":
            fill = _CALC_FILL
        for c in range(1, len(names) + 1):
            cell = ws.cell(row=r, column=c)
            cell.alignment = wrap
            if fill is not None:
                cell.fill = fill
            if isinstance(cell.value, str):
                cell.data_type = "s"  # keep "01" and "1" as text, never numbers
    # Freeze the header row and the type/name columns, which Excel users scroll away from.
    ws.freeze_panes = "C2" if title == "survey" else "A2"
    ws.auto_filter.ref = ws.dimensions
    return ws


def build(out: Path) -> None:
    """Write the screening form to ``out``."""
    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    _sheet(wb, "survey", SURVEY_COLUMNS, SURVEY)
    _sheet(wb, "choices", CHOICE_COLUMNS, CHOICES)
    _sheet(wb, "settings", SETTINGS_COLUMNS, [SETTINGS])
    wb.properties.creator = "surveyapp"
    wb.properties.created = _FIXED
    wb.properties.modified = _FIXED
    raw = io.BytesIO()
    wb.save(raw)
    # Rewrite the zip with fixed entry dates so that the output is byte-for-byte stable.
    # openpyxl stamps docProps/core.xml with the save time; replace it with the fixed one.
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out_buf = io.BytesIO()
    with zipfile.ZipFile(out_buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _fix_core_dates(data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    out.write_bytes(out_buf.getvalue())


def _fix_core_dates(xml: bytes) -> bytes:
    import re

    stamp = _FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
        rb"\g<1>" + stamp + rb"\g<2>",
        xml,
    )


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parents[1] / "child_screening.xlsx"
    out = Path(argv[1]) if len(argv) > 1 else default
    build(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
