"""LEDGER-IN's sheet reader (core.ledgerin.xlsxrows) gives openpyxl's read-only values,
cell for cell, for workbooks as openpyxl, XlsxWriter and hand-written XML make them
(shared and inline strings, rich and phonetic runs, date styles, booleans, errors, rows
left out, cells without a reference, rows past the sheet's dimension), and refuses an
entity declaration as defusedxml does."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
import xlsxwriter

from surveyapp.core.forms import load_form
from surveyapp.core.ledgerin import LedgerInCode, ledger_layout, open_sheet
from surveyapp.core.ledgerin.xlsxrows import sheet_values
from surveyapp.errors import SurveyError
from surveyapp.paths import FORM_PATH

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def both(path: Path, first: int = 1) -> tuple[list[tuple], list[tuple]]:
    """Every sheet's rows from ``first``: openpyxl's iter_rows, then sheet_values."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ours: list[tuple] = []
        theirs: list[tuple] = []
        for sheet in book.worksheets:
            theirs += [tuple(r) for r in sheet.iter_rows(min_row=first, values_only=True)]
            fast = sheet_values(book, sheet, first)
            assert fast is not None
            rows, close = fast
            try:
                ours += list(rows)
            finally:
                close()
        return theirs, ours
    finally:
        book.close()


def with_sheet_xml(template: Path, out: Path, sheet_data: str, dimension: str | None) -> Path:
    """``template`` with its first sheet's XML replaced."""
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<worksheet xmlns="{NS}">{head}<sheetData>{sheet_data}</sheetData></worksheet>')
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = xml.encode()
            dst.writestr(item, data)
    return out


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A workbook (XlsxWriter) whose style 1 is a date format."""
    path = tmp_path / "template.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_datetime(0, 0, dt.datetime(2015, 3, 4), date)
    sheet.write_string(0, 1, "共享")
    book.close()
    return path


def test_openpyxl_workbook__shared_strings_dates_numbers_booleans(tmp_path):
    path = tmp_path / "openpyxl.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "出生日期", "年龄", "是否", "小数", "身份证号"])
    sheet.append(["张三 ", dt.date(2015, 3, 4), 9, True, 2.5, 5.22422e17])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["李四", dt.datetime(2014, 1, 2, 3, 4), -1, False, 1e-7, "522422201503047"])
    sheet["H9"] = "far away"
    sheet["C11"] = "=A1"  # a formula without a cached value
    book.create_sheet("第二").append(["", "  ", "x"])
    book.save(path)
    theirs, ours = both(path)
    assert ours == theirs
    assert ours[1][1] == dt.datetime(2015, 3, 4) and ours[1][3] is True
    later_theirs, later_ours = both(path, 3)
    assert later_ours == later_theirs
    assert later_ours[1][0] == "李四"


def test_xlsxwriter_inline_and_rich_strings(tmp_path):
    path = tmp_path / "inline.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": "yyyy年m月d日"})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["姓名", "性别", "出生日期", "备注"])
    sheet.write_string(1, 0, " 王五 ")
    sheet.write_rich_string(1, 1, "男", bold, "（", "核实", bold, "）")
    sheet.write_datetime(1, 2, dt.datetime(2016, 2, 29), date)
    sheet.write_formula(1, 3, "=1+1", None, 2)
    sheet.write_boolean(3, 0, False)
    sheet.write_number(5, 5, 42067)
    sheet.write_string(6, 0, "")
    book.close()
    theirs, ours = both(path)
    assert ours == theirs
    assert ours[1][:4] == (" 王五 ", "男（核实）", dt.datetime(2016, 2, 29), 2)


@pytest.mark.parametrize(("data", "dimension"), [
    # cells without a reference, a row without a number, rows left out, a value-less cell
    ('<row r="2"><c t="inlineStr"><is><t>a</t></is></c><c/><c t="n"><v>7</v></c></row>'
     '<row><c r="D3" t="str"><v>text</v></c></row><row r="6"><c r="B6" t="e"><v>#N/A</v></c>'
     '</row>', "A1:F8"),
    # rich runs, a phonetic run (left out), an empty t, an is with nothing, a second v
    ('<row r="1"><c r="A1" t="inlineStr"><is><r><rPr/><t xml:space="preserve"> 张 </t></r>'
     '<r><t>三</t></r><rPh sb="0" eb="1"><t>ZHANG</t></rPh></is></c>'
     '<c r="B1" t="inlineStr"><is><t></t></is></c><c r="C1" t="inlineStr"><is/></c>'
     '<c r="D1" t="inlineStr"/><c r="E1"><v>1.5E3</v><v>9</v></c>'
     '<c r="F1" t="b"><v>0</v></c><c r="G1" t="d"><v>2015-03-04T00:00:00</v></c></row>', None),
    # a date style on a number, a shared string, rows past the dimension (cut), wide cells
    ('<row r="1"><c r="A1" s="1"><v>42067</v></c><c r="B1" t="s"><v>0</v></c>'
     '<c r="K1"><v>3</v></c></row><row r="3"><c r="A3"><v>1</v></c></row>'
     '<row r="9"><c r="A9"><v>2</v></c></row>', "A1:C4"),
    # no dimension: each row as wide as its last cell; a row number written as 4.0
    ('<row r="2"><c r="C2"><v>1</v></c><c r="A2"><v>2</v></c></row><row r="4.0"/>'
     '<row r="5"><c r="B5" t="str"><v>&amp;&lt;3</v></c></row>', None),
])
def test_hand_written_xml__same_values(tmp_path, template, data, dimension):
    path = with_sheet_xml(template, tmp_path / "hand.xlsx", data, dimension)
    for first in (1, 2, 4):
        theirs, ours = both(path, first)
        assert ours == theirs


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE worksheet [<!ENTITY big "姓名姓名">]>',
    '<!DOCTYPE worksheet [<!ENTITY ext SYSTEM "file:///etc/passwd">]>',
])
def test_entity_declaration__refused_not_expanded(tmp_path, template, doctype):
    sheet = (f'<?xml version="1.0"?>{doctype}<worksheet xmlns="{NS}"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>&big;</t></is></c></row>'
             '</sheetData></worksheet>').encode()
    # what sheet_values reads of an openpyxl workbook and worksheet
    book = SimpleNamespace(_date_formats=set(), _timedelta_formats=set(), data_only=True,
                           epoch=dt.datetime(1899, 12, 30))
    stream = SimpleNamespace(_get_source=lambda: io.BytesIO(sheet), _shared_strings=[],
                             max_column=None, max_row=None)
    fast = sheet_values(book, stream, 1)
    assert fast is not None
    with pytest.raises(ValueError, match="entity"):
        list(fast[0])
    # In a workbook, openpyxl's own (defusedxml) look at the sheet refuses it first.
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(hostile, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, sheet if item.filename.endswith("sheet1.xml")
                         else src.read(item.filename))
    with pytest.raises(SurveyError) as err:
        open_sheet(hostile, ledger_layout(load_form(FORM_PATH)))
    assert err.value.code is LedgerInCode.LEDIN_023


def test_without_openpyxls_internals__none_so_the_reader_uses_iter_rows(tmp_path, template):
    book = openpyxl.load_workbook(template, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    assert sheet_values(SimpleNamespace(), sheet, 1) is None
    assert sheet_values(book, SimpleNamespace(), 1) is None
    book.close()
    formulas = openpyxl.load_workbook(template, read_only=True, data_only=False)
    assert sheet_values(formulas, formulas.worksheets[0], 1) is None  # formulas as text
    formulas.close()
