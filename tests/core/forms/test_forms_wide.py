"""Issue #18 item 5: odd forms are bounded. A survey sheet formatted far to the right and
below its content (1,024 formatted but empty columns, empty formatted rows) reads as the
same sheet as without the formatting, and openpyxl is handed only the cells with values.
(The time is measured in bench/bench_forms.py --wide: no timing asserts here.)"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from surveyapp.core.forms import load_form
from surveyapp.core.forms import sheets as sheets_mod
from surveyapp.core.forms.sheets import column_letter, read_xlsx


def plain_form(path: Path, rows: int) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label::zh", "label::en", "default"])
    for i in range(rows - 2):
        ws.append(["text", f"q{i}", f"问题{i}", f"Question {i}"])
    ws.append(["date", "when", "日期", "Date", dt.datetime(2026, 7, 1)])  # a date cell
    ws["F1"].fill = PatternFill("solid", fgColor="FFFF00")  # a style index for the padding
    st = wb.create_sheet("settings")
    st.append(["form_id", "version"])
    st.append(["wide", "1"])
    wb.save(path)
    return path


def widened(src: Path, dst: Path, cols: int, extra_rows: int) -> Path:
    """``src`` with every survey row formatted out to column ``cols`` and ``extra_rows``
    formatted empty rows below: what Excel writes after "format the whole columns"."""
    with zipfile.ZipFile(src) as zin:
        members = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    name = "xl/worksheets/sheet1.xml"
    xml = members[name].decode("utf-8")
    last = 0

    def pad(match: re.Match[str]) -> str:
        nonlocal last
        r = int(match.group(1))
        last = max(last, r)
        cells = "".join(f'<c r="{column_letter(c)}{r}" s="1"/>' for c in range(6, cols))
        return match.group(0).replace("</row>", cells + "</row>")

    xml = re.sub(r'<row r="(\d+)"[^>]*>.*?</row>', pad, xml)
    empty = "".join(
        f'<row r="{r}" s="1" customFormat="1">'
        + "".join(f'<c r="{column_letter(c)}{r}" s="1"/>' for c in range(8)) + "</row>"
        for r in range(last + 1, last + 1 + extra_rows))
    xml = xml.replace("</sheetData>", empty + f'<row r="{last + extra_rows + 1}" s="1"/>'
                      "</sheetData>")
    xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:{column_letter(cols - 1)}'
                 f'{last + extra_rows + 1}"', xml)
    members[name] = xml.encode("utf-8")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for member, data in members.items():
            zout.writestr(member, data)
    return dst


@pytest.fixture
def forms(tmp_path: Path) -> tuple[Path, Path]:
    plain = plain_form(tmp_path / "plain.xlsx", 1000)
    return plain, widened(plain, tmp_path / "wide.xlsx", 1000, 200)


def test_wide_form__same_sheets_as_plain(forms: tuple[Path, Path]) -> None:
    plain, wide = forms
    assert zipfile.ZipFile(wide).getinfo("xl/worksheets/sheet1.xml").file_size > 20_000_000
    a, b = read_xlsx(plain), read_xlsx(wide)
    assert a.sheets == b.sheets
    survey = b.get("survey")
    assert survey is not None and survey.headers == ("type", "name", "label::zh",
                                                     "label::en", "default")
    assert len(survey.rows) == 999 and survey.rows[-1].number == 1000
    assert survey.rows[-1].values["default"] == "2026-07-01"  # dates still read as dates
    assert len(load_form(wide).nodes) == len(load_form(plain).nodes)


def test_wide_form__openpyxl_sees_only_cells_with_values(forms: tuple[Path, Path],
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    widths: list[int] = []
    real = sheets_mod._bounded_rows

    def spy(path: object, title: str, rows: object) -> object:
        for number, cells in real(path, title, rows):  # type: ignore[arg-type]
            widths.append(len(cells))
            yield number, cells

    monkeypatch.setattr(sheets_mod, "_bounded_rows", spy)
    read_xlsx(forms[1])
    assert max(widths) <= 5  # not padded to the declared 1,000 columns
    assert len(widths) <= 1000 + 2  # the 200 formatted empty rows are not there


def test_cells_without_position__left_alone(tmp_path: Path) -> None:
    """A writer that leaves out ``r`` relies on counting: nothing is cut then, so the
    columns stay where they are."""
    plain = plain_form(tmp_path / "p.xlsx", 5)
    with zipfile.ZipFile(plain) as zin:
        members = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    xml = members["xl/worksheets/sheet1.xml"].decode()
    # Row 2 without positions, with an empty styled cell between two values.
    xml = re.sub(r'<row r="2"[^>]*>.*?</row>',
                 '<row r="2"><c t="inlineStr"><is><t>text</t></is></c><c s="1"/>'
                 '<c t="inlineStr"><is><t>问题</t></is></c></row>', xml)
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    odd = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(odd, "w") as zout:
        for member, data in members.items():
            zout.writestr(member, data)
    survey = read_xlsx(odd).get("survey")
    assert survey is not None
    assert dict(survey.rows[0].values) == {"type": "text", "label::zh": "问题"}
