"""Statistics .xlsx: one sheet per table, native charts present, print setup."""

from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, LineChart, PieChart
from openpyxl.utils import get_column_letter

from surveyapp.core.ledger import FormLabels
from surveyapp.core.ledger.sample import sample_rows
from surveyapp.core.stats import compute_stats
from surveyapp.core.stats.xlsx import SHEETS, export_stats_xlsx

FORM = Path(__file__).resolve().parents[3] / "forms" / "child_screening.xlsx"


def test_stats_xlsx__sheets_tables_and_native_charts(tmp_path):
    labels = FormLabels.from_form(FORM)
    stats = compute_stats(sample_rows(300, seed=5), labels=labels, county_name="大方县",
                          now=datetime(2026, 11, 23, 9, 0))
    path = export_stats_xlsx(stats, tmp_path / "stats.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["概况", *(name for name, _ in SHEETS.values())]
    assert isinstance(book["概况"]._charts[0], PieChart)
    assert isinstance(book["排查趋势"]._charts[0], LineChart)
    for name, kind in SHEETS.values():
        charts = book[name]._charts
        assert len(charts) == 1, name
        if kind != "line":
            assert isinstance(charts[0], BarChart)
    sheet = book["分乡镇类别"]
    assert sheet.cell(2, 1).value == "乡镇（街道）"
    assert sheet.cell(2, 3).value == "留守儿童"
    total_row = 3 + len(stats.table("category_by_township").rows)
    assert sheet.cell(total_row, 1).value == "合计"
    assert sheet.cell(total_row, 2).value == stats.children
    assert sheet.page_setup.orientation == "landscape"
    assert "2026-11-23 09:00" in sheet.oddHeader.right.text


def _title_text(title):
    return "".join(run.t for para in title.tx.rich.p for run in (para.r or []))


def _stats_book(tmp_path, rows=300):
    labels = FormLabels.from_form(FORM)
    stats = compute_stats(sample_rows(rows, seed=5), labels=labels, county_name="大方县",
                          now=datetime(2026, 11, 23, 9, 0))
    return stats, openpyxl.load_workbook(export_stats_xlsx(stats, tmp_path / "stats.xlsx"))


def test_stats_charts__value_axis_names_what_it_counts(tmp_path):
    _, book = _stats_book(tmp_path)
    axes = {name: _title_text(book[name]._charts[0].y_axis.title)
            for name, _ in SHEETS.values()}
    assert axes["排查覆盖"] == "村（居）数"  # it charts villages reported, not children
    assert axes["排查趋势"] == "排查儿童人数"
    assert {axes[n] for n in axes if n not in ("排查覆盖", "排查趋势")} == {"儿童人数"}
    assert _title_text(book["分村类别"]._charts[0].x_axis.title) == "村（居）"


def _anchor(chart):
    marker = chart.anchor._from
    return marker.row + 1, marker.col + 1  # 1-based


def test_stats_charts__cover_no_text_and_each_sheet_fits_one_page(tmp_path):
    _, book = _stats_book(tmp_path)
    for ws in book.worksheets:
        chart = ws._charts[0]
        row, col = _anchor(chart)
        rows_under = int(chart.height / 0.53) + 1  # 15 pt rows
        for line in ws.iter_rows(min_row=row, max_row=row + rows_under):
            for cell in line:
                if cell.value is None:
                    continue
                # Text beside the chart ends before it (its own column and any it overflows
                # into: the labels are short and the numbers narrow).
                assert cell.column < col, (ws.title, cell.coordinate, cell.value)
                room = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                           for c in range(cell.column, col))
                assert len(str(cell.value)) * 2 <= room, (ws.title, cell.coordinate)
        assert ws.page_setup.fitToHeight == 1 and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_stats_long_village_table__chart_on_a_page_of_its_own(tmp_path):
    from surveyapp.core.stats.model import CountTable, Stats
    from surveyapp.core.stats.xlsx import PAGES, _scale

    villages = tuple((f"v{i}", f"第{i}村") for i in range(70))
    columns = (("total", "儿童总数"), ("left_behind", "留守儿童"), ("in_difficulty", "困境儿童"),
               ("urgent", "强制报告"))
    table = CountTable("category_by_village", "分村（居）儿童类别统计", "村（居）", villages,
                       columns, {(v, c): 3 for v, _ in villages for c, _ in columns})
    stats = Stats("大方县", datetime(2026, 11, 23, 9, 0), 210, 0,
                  {"category_by_village": table})
    ws = openpyxl.load_workbook(export_stats_xlsx(stats, tmp_path / "s.xlsx"))["分村类别"]
    chart = ws._charts[0]
    row, _ = _anchor(chart)
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks and all(len(villages) + 3 <= b < row for b in breaks)  # after table, before chart
    assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$2"
    page = next(p for p in PAGES if p[0] == ws.page_setup.paperSize
                and p[1] == ws.page_setup.orientation)
    width = 18 * 7.1 + 4 + len(columns) * (11 * 7.1 + 4)
    scale = _scale(page, max(width, chart.width * 28.35), 1.0, False)
    assert chart.height * 28.35 * scale <= page[3]  # the chart fits one page
