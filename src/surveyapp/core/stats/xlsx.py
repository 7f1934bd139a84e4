"""Statistics as an .xlsx: one sheet per table, each with a native Excel chart.

``export_stats_xlsx(stats, path, *, overwrite=False) -> Path``. The first sheet (概况)
sums up the county and shows the category shares as a pie chart; every other sheet holds
one table (rows, a 合计 row) and its chart (openpyxl BarChart, LineChart), so that
Excel and LibreOffice draw the charts themselves and they stay editable.

Printed, each sheet is one page: its table and its chart together (``_fit_page`` picks A4
landscape, A3 landscape or A3 portrait, whichever holds them at the largest scale, and
fits the sheet to that one page). A chart sits below its table, never over text; its
value axis names what it counts (``AXIS_TITLES``: the coverage chart counts villages, not
children). A village table too long for one page prints over the pages it needs, its
header rows repeated, and its chart on a page of its own after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from surveyapp.core.ledger.files import atomic_output
from surveyapp.core.stats.model import CountTable, Stats

FONT = "宋体"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")

#: Sheet name and chart kind per table key ("col", "stacked", "bar", "line").
SHEETS: Mapping[str, tuple[str, str]] = {
    "category_by_township": ("分乡镇类别", "col"),
    "category_by_village": ("分村类别", "bar"),
    "risk_by_township": ("风险等级", "stacked"),
    "sex_by_township": ("性别", "stacked"),
    "age_by_township": ("年龄段", "col"),
    "school_by_township": ("就学状况", "stacked"),
    "safety_net_by_township": ("保障落实", "col"),
    "gaps_by_township": ("应保未保", "col"),
    "coverage_by_township": ("排查覆盖", "col"),
    "trend_by_round": ("排查趋势", "line"),
}
#: Columns left out of a chart (a total drowns the categories beside it).
CHART_SKIP = {"total", "villages", "children", "households"}
#: Only these columns are charted for a table (the village chart stays readable).
CHART_ONLY: Mapping[str, set[str]] = {
    "category_by_village": {"left_behind", "in_difficulty", "urgent"},
}
#: Fixed series colours where the meaning calls for them (risk: red, amber, green).
COLOURS: Mapping[str, str] = {"high": "C0504D", "medium": "F79646", "low": "9BBB59"}
MAX_BAR_ROWS = 80
#: What a chart's value axis counts, per table (children unless named here).
AXIS_TITLES: Mapping[str, str] = {
    "coverage_by_township": "村（居）数",
    "trend_by_round": "排查儿童人数",
}
AXIS_DEFAULT = "儿童人数"
CM = 28.35  # points per centimetre
ROW_PT = 15.0
#: Printable area in points (openpyxl's default margins: 0.75 in beside, 1 in above and
#: below) of each page a statistics sheet may take: (paper code, orientation, width, height).
PAGES = ((9, "landscape", 842 - 108, 595 - 144), (8, "landscape", 1191 - 108, 842 - 144),
         (8, "portrait", 842 - 108, 1191 - 144))
#: The smallest scale a fitted page may take (11 pt cells stay above 9 pt).
MIN_SCALE = 0.85


def export_stats_xlsx(stats: Stats, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``stats`` to ``path`` as an .xlsx with one charted sheet per table.

    :param stats: from ``compute_stats``.
    :param path: the .xlsx to write (temporary file, then renamed).
    :param overwrite: replace an existing file.
    :raises SurveyError: LEDGER_001 when the file exists; IO_001/IO_003 on disk errors.
    """
    book = Workbook()
    summary = book.active
    summary.title = "概况"
    _summary(summary, stats)
    for key, (name, kind) in SHEETS.items():
        if key in stats.tables:
            sheet = book.create_sheet(name)
            _table_sheet(sheet, stats.tables[key], kind, stats)
    target = Path(path)
    with atomic_output(target, overwrite=overwrite) as tmp:
        book.save(tmp)
    return target


def _title(sheet: Any, text: str, width: int) -> None:
    sheet.cell(1, 1, text).font = Font(name=FONT, bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.row_dimensions[1].height = 24


def _print(sheet: Any, stats: Stats, title: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.left.text = f"{stats.county_name}  {title}"
    sheet.oddHeader.right.text = f"统计时间：{stats.generated:%Y-%m-%d %H:%M}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _head(cell: Any) -> None:
    cell.font = Font(name=FONT, bold=True)
    cell.fill = HEAD_FILL
    cell.border = BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _summary(sheet: Any, stats: Stats) -> None:
    _title(sheet, f"{stats.county_name}农村留守儿童和困境儿童统计概况", 4)
    table = stats.tables.get("category_by_township")
    total = table.column_total("total") if table else stats.children
    lb = table.column_total("left_behind") if table else 0
    dk = table.column_total("in_difficulty") if table else 0
    both = table.column_total("both") if table else 0
    lines = [
        ("在册儿童", stats.children), ("已退出", stats.exited), ("留守儿童", lb),
        ("困境儿童", dk), ("既留守又困境", both),
        ("强制报告", table.column_total("urgent") if table else 0),
    ]
    for index, (label, value) in enumerate(lines, 3):
        _head(sheet.cell(index, 1, label))
        sheet.cell(index, 2, value).border = BORDER
    sheet.cell(10, 1, "类别构成").font = Font(name=FONT, bold=True)
    shares = [("仅留守", lb - both), ("仅困境", dk - both), ("既留守又困境", both),
              ("其他儿童", max(total - lb - dk + both, 0))]
    for index, (label, value) in enumerate(shares, 11):
        sheet.cell(index, 1, label).border = BORDER
        sheet.cell(index, 2, value).border = BORDER
    pie = PieChart()
    pie.title = "儿童类别构成"
    pie.add_data(Reference(sheet, min_col=2, min_row=11, max_row=14), titles_from_data=False)
    pie.set_categories(Reference(sheet, min_col=1, min_row=11, max_row=14))
    pie.dataLabels = DataLabelList()
    pie.dataLabels.showPercent = True
    pie.dataLabels.showVal = False
    pie.dataLabels.showSerName = False
    pie.dataLabels.showCatName = False
    pie.dataLabels.showLegendKey = False
    pie.height, pie.width = 8, 12
    sheet.add_chart(pie, "D3")
    # The notes go below the pie chart (rows 3 to about 18), so that it covers no text.
    sheet.cell(20, 1, f"统计时间：{stats.generated:%Y-%m-%d %H:%M}；已退出儿童不计入分类统计；"
                      "按儿童计数（关联、迁移的档案只算一人）。")
    if stats.possible_duplicates:
        note = sheet.cell(21, 1, f"另有 {stats.possible_duplicates} 对疑似重复尚未审核，审核前同一"
                                 "儿童可能被计两次（名单：surveyapp review duplicates）。")
        note.font = Font(name=FONT, bold=True, color="C00000")
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 10
    _print(sheet, stats, "统计概况")
    _fit_page(sheet, 60 * 7.1, 22 * ROW_PT, fit_height=True)


def _table_sheet(sheet: Any, table: CountTable, kind: str, stats: Stats) -> None:
    width = len(table.columns) + 1
    _title(sheet, f"{stats.county_name}{table.title}", width)
    _head(sheet.cell(2, 1, table.row_header))
    for index, (_, label) in enumerate(table.columns, 2):
        _head(sheet.cell(2, index, label))
    sheet.row_dimensions[2].height = 32
    for r_index, ((_, label), values) in enumerate(zip(table.rows, table.matrix(),
                                                       strict=True), 3):
        sheet.cell(r_index, 1, label).border = BORDER
        for c_index, value in enumerate(values, 2):
            sheet.cell(r_index, c_index, value).border = BORDER
    last = len(table.rows) + 2
    if kind != "line":
        total_row = last + 1
        _head(sheet.cell(total_row, 1, "合计"))
        for c_index, (key, _) in enumerate(table.columns, 2):
            _head(sheet.cell(total_row, c_index, table.column_total(key)))
    if table.note:
        sheet.cell(last + 2, 1, f"注：{table.note}")
    sheet.column_dimensions["A"].width = 18
    for index in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 11
    sheet.freeze_panes = "B3"
    if table.rows and (kind != "bar" or len(table.rows) <= MAX_BAR_ROWS):
        chart = _chart(sheet, table, kind, last)
        sheet.add_chart(chart, f"A{last + 4}")
    _print(sheet, stats, table.title)
    _place(sheet, table, kind, width, last)


def _chart(sheet: Any, table: CountTable, kind: str, last: int) -> Any:
    chart: Any
    if kind == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "bar" if kind == "bar" else "col"
        if kind == "stacked":
            chart.grouping = "stacked"
            chart.overlap = 100
    chart.title = table.title
    chart.y_axis.title = AXIS_TITLES.get(table.key, AXIS_DEFAULT)
    chart.x_axis.title = table.row_header
    chart.x_axis.delete = False  # axes shown (openpyxl otherwise leaves them to the reader)
    chart.y_axis.delete = False
    only = CHART_ONLY.get(table.key)
    keys = []
    for index, (key, _) in enumerate(table.columns, 2):
        if (key in CHART_SKIP and len(table.columns) > 2) or (only and key not in only):
            continue
        keys.append(key)
        data = Reference(sheet, min_col=index, min_row=2, max_row=last)
        chart.add_data(data, titles_from_data=True)
    for key, series in zip(keys, chart.series, strict=True):
        if kind == "line":
            series.smooth = False
        elif key in COLOURS and table.key == "risk_by_township":
            series.graphicalProperties.solidFill = COLOURS[key]
            series.graphicalProperties.line.solidFill = COLOURS[key]
    chart.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=last))
    top = max((table.value(r, k) for r, _ in table.rows for k in keys), default=0)
    if top <= 10:
        chart.y_axis.majorUnit = 1  # whole villages or children, not 0.5 steps
    chart.height = max(9.0, min(1.0 * len(table.rows) + 3, 60.0)) if kind == "bar" else 9.0
    chart.width = 22.0
    return chart


def _place(sheet: Any, table: CountTable, kind: str, width: int, last: int) -> None:
    """Which page the sheet prints on: the table with its chart below it, fitted to one
    page; a village table too long for that prints over pages (its header repeated) and
    its chart on a page of its own after it."""
    table_w = 18 * 7.1 + 4 + (width - 1) * (11 * 7.1 + 4)  # LibreOffice's column widths
    table_h = 24 + 32 + (len(table.rows) + 4) * ROW_PT  # rows, 合计, the note
    charts = getattr(sheet, "_charts", [])
    if not charts:
        sheet.print_title_rows = "1:2"
        _fit_page(sheet, table_w, table_h, fit_height=False)
        return
    chart = charts[0]
    chart_w, chart_h = chart.width * CM, chart.height * CM
    whole_w, whole_h = max(table_w, chart_w), table_h + 3 * ROW_PT + chart_h
    if max(_scale(p, whole_w, whole_h, True) for p in PAGES) >= MIN_SCALE:
        _fit_page(sheet, whole_w, whole_h, fit_height=True)
        return
    page = _fit_page(sheet, whole_w, table_h, fit_height=False)
    sheet.print_title_rows = "1:2"
    # A page break after the table and its note, and a chart no taller than a page.
    sheet.row_breaks.append(Break(id=last + 2))
    room = page[3] / _scale(page, whole_w, 1.0, False) - 2 * ROW_PT - 56
    chart.height = min(chart.height, room / CM)


def _scale(page: tuple[int, str, float, float], width_pt: float, height_pt: float,
           fit_height: bool) -> float:
    _, _, w, h = page
    return min(1.0, w / width_pt, h / height_pt if fit_height else 1.0)


def _fit_page(sheet: Any, width_pt: float, height_pt: float, *,
              fit_height: bool) -> tuple[int, str, float, float]:
    """Print on the smallest of A4 landscape, A3 landscape and A3 portrait that holds
    ``width_pt`` x ``height_pt`` at ``MIN_SCALE`` or more (else the one at the largest
    scale), fitted to one page (or to one page wide when not ``fit_height``)."""
    page = next((p for p in PAGES if _scale(p, width_pt, height_pt, fit_height) >= MIN_SCALE),
                max(PAGES, key=lambda p: _scale(p, width_pt, height_pt, fit_height)))
    sheet.page_setup.paperSize = page[0]
    sheet.page_setup.orientation = page[1]
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if fit_height else 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return page
