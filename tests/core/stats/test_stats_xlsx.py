"""Statistics .xlsx: one sheet per table, native charts present, print setup."""

from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, LineChart, PieChart

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
