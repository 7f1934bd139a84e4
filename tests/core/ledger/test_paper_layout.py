"""The ledger and the department lists laid out for paper, checked in the .xlsx itself:
every written value shows whole in its column at its font size (a CJK-aware width
estimate: ``paper.fits``), wrapped rows are tall enough for their lines, page blocks fit
the page and break between header groups, no printed grid, at least 8 pt everywhere."""

from datetime import date, datetime

import openpyxl
import pytest

from surveyapp.core.ledger import LEDGER_COLUMNS, PRESETS, export_department, export_ledger, paper
from surveyapp.core.ledger.order import print_order

NOW = datetime(2026, 11, 23, 9, 30)
LONG = {  # the values issue 15 saw cut off on paper, and longer ones
    "current_address": "贵州省毕节市大方县羊场镇箐口村六组七十四号附二号（老村委会旁）",
    "father_status": "away_out_province", "father_away_place": "广东省东莞市长安镇沙头社区",
    "carer_type": "none", "is_unsupported": "yes", "dk_guardianship": "yes",
    "risk_signs": "abuse no_carer dropout_risk", "remarks": "联系电话 13812345678，已转介。",
}


def _shown(value):
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _check_sheet(ws):
    """Every value fits its column; rows and header rows are tall enough for their lines."""
    merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    inside = {(row, col) for r in ws.merged_cells.ranges
              for row in range(r.min_row, r.max_row + 1)
              for col in range(r.min_col, r.max_col + 1)
              if (row, col) != (r.min_row, r.min_col)}
    checked = 0
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in inside:
                continue
            span = merged.get((cell.row, cell.column))
            last = span.max_col if span else cell.column
            width = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
                        for c in range(cell.column, last + 1))
            size = cell.font.sz or 11
            assert size >= 8, (ws.title, cell.coordinate)
            text = _shown(cell.value)
            wrap = bool(cell.alignment.wrap_text)
            assert paper.fits(text, width, size, wrap), (ws.title, cell.coordinate, text, width)
            if wrap:
                height = ws.row_dimensions[cell.row].height or 15
                needed = paper.lines(text, width, size) * paper.LINE_PT * size / paper.BODY_PT
                assert needed <= height + 0.5, (ws.title, cell.coordinate, text, height)
            checked += 1
    return checked


@pytest.fixture
def long_rows(rows):
    out = print_order(rows)
    return [{**out[0], **LONG, "urgent_report": "yes"}, *out[1:]]


def test_ledger_every_value_fits_its_column_at_its_font_size(long_rows, labels, tmp_path):
    path = tmp_path / "ledger.xlsx"
    export_ledger(long_rows, path, labels=labels, county_name="大方县", now=NOW)
    book = openpyxl.load_workbook(path)
    checked = sum(_check_sheet(ws) for ws in book.worksheets)
    assert checked > len(long_rows) * 30
    first = book[long_rows[0]["township_name"]]
    head = [c.value for c in first[3]]
    row4 = {h: c.value for h, c in zip(head, first[4], strict=True)}
    assert row4["现居住地址"] == LONG["current_address"]  # whole, wrapped, not cut
    assert row4["困境类别"].endswith("事实无人抚养")
    assert first.row_dimensions[4].height >= 2 * paper.LINE_PT  # wrapped, taller


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_department_every_value_fits_its_column(long_rows, labels, tmp_path, preset):
    path = tmp_path / f"{preset}.xlsx"
    rows = [{**r, "status": "active"} for r in long_rows]
    export_department(rows, path, preset, labels=labels, county_name="大方县",
                      role="county", now=NOW)
    ws = openpyxl.load_workbook(path)["名单"]
    assert _check_sheet(ws) > 0
    assert ws.page_setup.orientation == "landscape"
    assert not ws.print_options.gridLines


def test_page_blocks__fit_the_page_with_the_repeated_columns_and_follow_groups():
    widths = [paper.paper_width(c) for c in LEDGER_COLUMNS]
    breaks = paper.page_blocks(LEDGER_COLUMNS, widths, paper.PAGE_PX[8], 4)
    starts = [4, *breaks]
    ends = [*breaks, len(LEDGER_COLUMNS)]
    fixed = sum(paper.print_px(w) for w in widths[:4])
    for a, b in zip(starts, ends, strict=True):
        assert fixed + sum(paper.print_px(w) for w in widths[a:b]) <= paper.PAGE_PX[8]
    for b in breaks:
        assert LEDGER_COLUMNS[b].group != LEDGER_COLUMNS[b - 1].group
    assert 2 <= len(starts) <= 6
    # The spare width of each block goes to its wrapping columns, never past the page.
    spread = paper.spread(LEDGER_COLUMNS, widths, breaks, paper.PAGE_PX[8], 4)
    assert sum(spread) > sum(widths)
    for a, b in zip(starts, ends, strict=True):
        assert fixed + sum(paper.print_px(w) for w in spread[a:b]) <= paper.PAGE_PX[8]
    address = next(i for i, c in enumerate(LEDGER_COLUMNS) if c.source == "current_address")
    assert spread[address] > widths[address]


def test_widths__kinds_widened_to_their_widest_value():
    for col in LEDGER_COLUMNS:
        width = paper.paper_width(col)
        assert width >= col.width
        sample = {"id": "52242220150304123X", "date": "2026-12-07", "due": "2026-12-07",
                  "phone": "0857-52212345"}.get(col.kind)
        if sample:
            assert paper.fits(sample, width, 10, wrap=False), col.header


def test_estimate__cjk_one_em_latin_narrower_runs_break_at_cjk():
    assert paper.text_px("监护缺失", 10) == pytest.approx(4 * 10 * 96 / 72)
    assert paper.text_px("2026", 10) < paper.text_px("二〇二六", 10)
    assert paper.runs("外出务工（广东 Dongguan）") == [
        "外", "出", "务", "工", "（", "广", "东", "Dongguan", "）"]
    assert not paper.fits("522422201503041234", 12, 10, wrap=True)  # one unbreakable run
    assert paper.fits("监护缺失、事实无人抚养", 8, 10, wrap=True)  # wraps at any character
    assert paper.lines("监护缺失、事实无人抚养", 8, 10) == 3
