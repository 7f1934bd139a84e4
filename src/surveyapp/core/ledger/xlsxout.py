"""A streaming, print-ready .xlsx table: the one module that imports xlsxwriter.

xlsxwriter's ``constant_memory`` mode writes each row to disk as soon as the next one
starts, so memory stays flat whatever the row count; the bench (``bench/bench_ledger.py``)
measured it 1.6 to 2 times as fast as openpyxl's write-only mode on this data.

Layout: row 1 is the title (merged across), row 2 the header groups (merged over their
columns), row 3 the column headers, data from row 4. The header is frozen (with the
first columns up to the name), auto-filter is on, dates are real dates shown
``yyyy-mm-dd``, ID numbers are text cells with the text format ``@`` (Excel's "number
stored as text" marks are switched off for them). Empty cells are not written at all; the
sheet's grid is printed instead, which keeps files small and writing fast. Printing is set up
landscape on A4, fit to one page wide, header rows repeated on every page, with the
county name and export time in the page header and page numbers in the footer.

``write_paper`` writes the same table laid out for paper (the 台账 and the department
lists, which are printed, signed and filed): one sheet per unit (a township), each
opening with the summary sheet of ``paper.Tally`` when given; 10 pt at a fixed 100 % scale
on landscape paper; columns widened to hold their values (``paper.paper_width``) and text
wrapped in its cell; the columns printed in page blocks along their header groups with
the number and name repeated on each (``paper.page_blocks``); borders on the table's cells
and no printed gridlines; the title rows on every page; urgent (强制报告) rows filled red
and high-risk rows amber; a legend and the signature lines (填报单位、填报人、审核人、
填报日期) at the end of each sheet.
"""

from __future__ import annotations

import errno
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.utility import xl_rowcol_to_cell

from surveyapp.core.ledger import paper
from surveyapp.core.ledger.columns import Cell, Column
from surveyapp.core.ledger.files import Cancelled, Progress, check_cancel
from surveyapp.errors import CommonCode, SurveyError

HEADER_ROWS = 3
STEP = 500
FONT = "宋体"
URGENT_FILL = "#F8CBAD"  # light red: a mandatory-report (强制报告) row, on screen and on paper
TITLE_PT = 16
HIGH_FILL = "#FFE699"  # amber: a high-risk (风险等级 高) row
SIGNATURE = ("填报单位（盖章）：", "填报人：", "审核人：", "填报日期：　　　　年　　月　　日")
LEGEND = ("说明：红色底纹为强制报告儿童（排在本表最前），黄色底纹为高风险儿童；"
          "其余按村（居）、姓名拼音排序。")
SUMMARY_NOTE = "说明：按乡镇（街道）计数；已退出儿童单列，不计入其他各栏；各乡镇明细见同名工作表。"


@dataclass(frozen=True, slots=True)
class TableTitle:
    """The titles of a printed table.

    :param sheet: the worksheet name (at most 31 characters).
    :param title: the title row, e.g. ``大方县农村留守儿童和困境儿童台账``.
    :param page_left: the left page-header text (the county / organisation).
    :param page_right: the right page-header text (the export time).
    :param freeze_cols: how many leading columns stay visible when scrolling sideways (on
        paper, ``write_paper``: the columns repeated on the left of every page block).
    :param paper: the xlsxwriter paper code: 9 is A4, 8 is A3 (the wide ledger).
    :param highlight: ``(column index, cell value)``: rows whose cell in that column is the
        value are filled (the 强制报告 rows, ``URGENT_FILL``); None for no highlight.
    :param high_risk: the same for the high-risk rows (``HIGH_FILL``, ``write_paper`` only).
    """

    sheet: str
    title: str
    page_left: str
    page_right: str
    freeze_cols: int = 4
    paper: int = 9
    highlight: tuple[int, str] | None = None
    high_risk: tuple[int, str] | None = None


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")


def write_table(
    path: Path,
    titles: TableTitle,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    *,
    total: int = 0,
    progress: Progress | None = None,
    cancel: Cancelled | None = None,
) -> int:
    """Stream ``rows`` (cell values, in ``columns`` order) into a new .xlsx at ``path``.

    :param path: the file to write (normally a temporary file; see ``atomic_output``).
    :param titles: the sheet name, title and page-header texts.
    :param columns: the columns.
    :param rows: the cell values of each row.
    :param total: the expected row count, for ``progress`` (0 when unknown).
    :param progress: called with ``(done, total)`` every few hundred rows and at the end.
    :param cancel: polled every few hundred rows; true stops the export.
    :returns: the number of data rows written.
    :raises SurveyError: CANCELLED when cancelled; IO_001 when the disk is full; IO_003
        when the file cannot be written.
    """
    return _save(path, lambda book: _fill(book, titles, columns, rows, total, progress,
                                          cancel))


def _abandon(book: Any) -> None:
    """Close and remove the row-data files of an export that stopped half-way."""
    for sheet in book.worksheets():
        handle = getattr(sheet, "row_data_fh", None)
        if handle is not None and not handle.closed:
            try:
                handle.close()
            except OSError:  # its last buffer on a full disk: closed all the same
                pass
        name = getattr(sheet, "row_data_filename", None)
        if name:
            Path(name).unlink(missing_ok=True)


def _formats(book: Any) -> dict[str, Any]:
    base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "border": 1}
    head = {**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"}
    return {
        "title": book.add_format({"font_name": FONT, "bold": True, "font_size": 16,
                                  "align": "center", "valign": "vcenter"}),
        "group": book.add_format({**head, "bg_color": "#BDD7EE"}),
        "head": book.add_format(head),
        "text": book.add_format(base),
        "id": book.add_format({**base, "num_format": "@"}),
        "date": book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "center"}),
        "int": book.add_format({**base, "align": "center"}),
        **{f"urgent_{k}": book.add_format({**base, **extra, "bg_color": URGENT_FILL})
           for k, extra in (("text", {}), ("id", {"num_format": "@"}),
                            ("date", {"num_format": "yyyy-mm-dd", "align": "center"}),
                            ("int", {"align": "center"}))},
    }


def _fill(
    book: Any,
    titles: TableTitle,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    total: int,
    progress: Progress | None,
    cancel: Cancelled | None,
) -> int:
    fmt = _formats(book)
    sheet = book.add_worksheet(titles.sheet[:31])
    last_col = len(columns) - 1
    for index, col in enumerate(columns):
        sheet.set_column(index, index, col.width)
    _setup_print(sheet, titles, last_col)
    sheet.set_row(0, 30)
    sheet.merge_range(0, 0, 0, last_col, titles.title, fmt["title"])
    _write_groups(sheet, columns, fmt["group"])
    sheet.set_row(2, 42)
    for index, col in enumerate(columns):
        sheet.write_string(2, index, col.header, fmt["head"])
    kinds = [_cell_format(col, fmt) for col in columns]
    text_fmt, date_fmt, int_fmt = fmt["text"], fmt["date"], fmt["int"]
    plain = (kinds, text_fmt, date_fmt, int_fmt)
    urgent = ([_cell_format(col, fmt, "urgent_") for col in columns], fmt["urgent_text"],
              fmt["urgent_date"], fmt["urgent_int"])
    mark_col, mark_value = titles.highlight or (-1, None)
    write_string, write_number, write_datetime = (
        sheet.write_string, sheet.write_number, sheet.write_datetime
    )
    row_index = HEADER_ROWS
    done = 0
    check_cancel(cancel)
    for values in rows:
        marked = mark_col >= 0 and values[mark_col] == mark_value
        if marked:
            # A highlighted row is filled across: its empty cells are written blank.
            kinds, text_fmt, date_fmt, int_fmt = urgent
            for col_index, value in enumerate(values):
                if value is None or value == "":
                    sheet.write_blank(row_index, col_index, None, kinds[col_index] or text_fmt)
        for col_index, value in enumerate(values):
            # Empty cells are not written at all (the printed grid draws their lines).
            if value is None or value == "":
                continue
            if isinstance(value, str):
                write_string(row_index, col_index, value, kinds[col_index] or text_fmt)
            elif isinstance(value, date):
                write_datetime(row_index, col_index, value, date_fmt)
            else:
                write_number(row_index, col_index, value, int_fmt)
        if marked:
            kinds, text_fmt, date_fmt, int_fmt = plain
        row_index += 1
        done += 1
        if done % STEP == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(done, max(total, done))
    sheet.autofilter(2, 0, max(row_index - 1, 2), last_col)
    _quiet_text_numbers(sheet, columns, row_index - 1)
    if progress is not None:
        progress(done, max(total, done))
    return done


def _quiet_text_numbers(sheet: Any, columns: Sequence[Column], last_row: int) -> None:
    """Tell Excel that digits in ID and phone columns are text on purpose (no green marks)."""
    ranges = [
        f"{xl_rowcol_to_cell(HEADER_ROWS, i)}:{xl_rowcol_to_cell(max(last_row, HEADER_ROWS), i)}"
        for i, col in enumerate(columns) if col.kind in ("id", "phone")
    ]
    if ranges:
        sheet.ignore_errors({"number_stored_as_text": " ".join(ranges)})


def _cell_format(col: Column, fmt: dict[str, Any], prefix: str = "") -> Any:
    if col.kind == "id":
        return fmt[prefix + "id"]
    if col.kind in ("date", "due"):
        return fmt[prefix + "date"]
    if col.kind in ("int", "seq"):
        return fmt[prefix + "int"]
    return fmt[prefix + "text"]


def _write_groups(sheet: Any, columns: Sequence[Column], group_fmt: Any) -> None:
    start = 0
    for index in range(1, len(columns) + 1):
        if index == len(columns) or columns[index].group != columns[start].group:
            if index - 1 > start:
                sheet.merge_range(1, start, 1, index - 1, columns[start].group, group_fmt)
            else:
                sheet.write_string(1, start, columns[start].group, group_fmt)
            start = index


def _setup_print(sheet: Any, titles: TableTitle, last_col: int) -> None:
    sheet.freeze_panes(HEADER_ROWS, titles.freeze_cols)
    sheet.hide_gridlines(0)  # Show and print the grid, so that empty cells are ruled too.
    sheet.set_landscape()
    sheet.set_paper(titles.paper)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1, HEADER_ROWS - 1)
    sheet.set_margins(left=0.3, right=0.3, top=0.6, bottom=0.5)
    sheet.set_header(
        f"&L{_escape_header(titles.page_left)}&R{_escape_header(titles.page_right)}",
        {"margin": 0.25},
    )
    sheet.set_footer("&C第 &P 页，共 &N 页", {"margin": 0.25})


@dataclass(frozen=True, slots=True)
class Unit:
    """One sheet of a paper table (a township of the ledger, or the whole list).

    :param key: what the sheets are ordered by (the township code).
    :param sheet: the sheet name wanted (cleaned and made unique when written).
    :param title: the title over the table (and in the page header).
    :param header: the left page-header text (the county, and the township).
    """

    key: str
    sheet: str
    title: str
    header: str


@dataclass(frozen=True, slots=True)
class Summary:
    """The summary sheet that opens a paper workbook (the ledger's 底数 per township).

    :param sheet: its name.
    :param title: its title.
    :param headers: the column headers.
    :param rows: called once every row is written: the table's rows, the total last.
    """

    sheet: str
    title: str
    headers: Sequence[str]
    rows: Callable[[], Sequence[Sequence[str | int]]]


def write_paper(
    path: Path,
    titles: TableTitle,
    columns: Sequence[Column],
    rows: Iterable[tuple[Unit, Sequence[Cell]]],
    *,
    empty: Unit,
    summary: Summary | None = None,
    total: int = 0,
    progress: Progress | None = None,
    cancel: Cancelled | None = None,
) -> int:
    """Stream ``rows`` into a new .xlsx laid out for paper: a sheet per unit.

    :param path: the file to write.
    :param titles: the paper, the highlights, the export time (``page_right``).
    :param columns: the columns.
    :param rows: each row's unit and cell values; a unit's rows need not be contiguous.
    :param empty: the unit of the one sheet written when there are no rows.
    :param summary: a summary sheet put first, or None.
    :returns: the number of data rows written.
    :raises SurveyError: as :func:`write_table`.
    """
    return _save(path, lambda book: _fill_paper(book, titles, columns, rows, empty, summary,
                                                total, progress, cancel))


def _save(path: Path, fill: Callable[[Any], int]) -> int:
    """Create the workbook, ``fill`` it and close it, mapping disk errors to coded ones."""
    # Row data and the parts of the zip spill to a private folder beside the export, not
    # to the system temp folder, so that personal data does not spread to another disk;
    # the folder goes whatever happens (a full disk can stop xlsxwriter between parts).
    parts: str | None = None
    try:
        parts = tempfile.mkdtemp(prefix=".xlsx-parts-", dir=path.parent)
        options = {"constant_memory": True, "in_memory": False, "tmpdir": parts}
        book = xlsxwriter.Workbook(str(path), options)
        try:
            count = fill(book)
            book.close()
        except BaseException:
            _abandon(book)
            raise
    except XlsxWriterException as err:
        # xlsxwriter wraps the OSError of its final write (e.g. a full disk) in its own.
        cause = err.args[0] if err.args and isinstance(err.args[0], OSError) else None
        if cause is not None and cause.errno == errno.ENOSPC:
            raise SurveyError(CommonCode.IO_001, path=str(path)) from err
        raise SurveyError(CommonCode.IO_003, path=str(path), reason=str(err)) from err
    except OSError as err:
        if err.errno == errno.ENOSPC:
            raise SurveyError(CommonCode.IO_001, path=str(path)) from err
        raise SurveyError(
            CommonCode.IO_003, path=str(path), reason=err.strerror or str(err)
        ) from err
    finally:
        if parts is not None:
            shutil.rmtree(parts, ignore_errors=True)
    return count


def _paper_formats(book: Any) -> dict[str, Any]:
    size = paper.BODY_PT
    base: dict[str, Any] = {"font_name": FONT, "font_size": size, "valign": "vcenter",
                            "border": 1}
    head = {**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"}
    kinds: dict[str, dict[str, Any]] = {
        "text": {"text_wrap": True}, "id": {"num_format": "@"},
        "date": {"num_format": "yyyy-mm-dd", "align": "center"}, "int": {"align": "center"}}
    fills: dict[str, dict[str, Any]] = {
        "": {}, "urgent_": {"bg_color": URGENT_FILL}, "high_": {"bg_color": HIGH_FILL}}
    out = {
        "title": book.add_format({"font_name": FONT, "bold": True, "font_size": TITLE_PT,
                                  "align": "center", "valign": "vcenter", "text_wrap": True}),
        "group": book.add_format({**head, "bg_color": "#BDD7EE"}),
        "head": book.add_format(head),
        "note": book.add_format({"font_name": FONT, "font_size": size, "text_wrap": True,
                                 "valign": "vcenter"}),
        "sign": book.add_format({"font_name": FONT, "font_size": size, "valign": "bottom",
                                 "text_wrap": True}),
    }
    for prefix, fill in fills.items():
        for kind, extra in kinds.items():
            out[prefix + kind] = book.add_format({**base, **extra, **fill})
        # The 强制报告 / 风险等级 cell of a marked row is bold, beside its fill.
        out[prefix + "flag"] = book.add_format({**base, **fill, "bold": True, "align": "center",
                                                "font_color": "#C00000" if fill else "#000000"})
    return out


def _clean_sheet_name(name: str, taken: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\").strip("'")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


class _Page:
    """One sheet being written, with its cell writers bound once.

    xlsxwriter's ``write_*`` methods wrap ``_write_*`` in a decorator that accepts A1
    notation; a 100,000-child ledger has millions of cells, so the row-and-column
    methods are called directly (xlsxwriter is pinned in constraints.txt).
    """

    __slots__ = ("blank", "date", "number", "row", "row_info", "sheet", "string", "unit")

    def __init__(self, unit: Unit, sheet: Any) -> None:
        self.unit, self.sheet, self.row = unit, sheet, HEADER_ROWS
        self.string = getattr(sheet, "_write_string", sheet.write_string)
        self.number = getattr(sheet, "_write_number", sheet.write_number)
        self.date = getattr(sheet, "_write_datetime", sheet.write_datetime)
        self.blank = getattr(sheet, "_write_blank", sheet.write_blank)
        # The row heights set so far: xlsxwriter keeps them all, also after writing a row
        # out in constant_memory mode; a written row's entry is dropped to keep memory
        # flat.
        self.row_info: dict[int, Any] = {}
        for name in ("row_info", "row_sizes"):
            if not isinstance(getattr(sheet, name, None), dict):
                break
        else:
            self.row_info = sheet.row_info

    def forget(self, row: int) -> None:
        """Drop the stored height of ``row``, already written to the row-data file."""
        if row in self.row_info:
            del self.row_info[row]
            self.sheet.row_sizes.pop(row, None)


class _PaperBook:
    """The sheets of a paper workbook, created as their units first appear."""

    def __init__(self, book: Any, titles: TableTitle, columns: Sequence[Column]) -> None:
        self.book, self.titles, self.columns = book, titles, columns
        self.fmt = _paper_formats(book)
        self.widths = [paper.paper_width(col) for col in columns]
        self.repeat = min(titles.freeze_cols, len(columns))
        self.breaks = paper.page_blocks(columns, self.widths, paper.PAGE_PX[titles.paper],
                                        self.repeat)
        self.widths = paper.spread(columns, self.widths, self.breaks,
                                   paper.PAGE_PX[titles.paper], self.repeat)
        self.pages: dict[str, _Page] = {}
        self.taken: set[str] = set()

    def page(self, unit: Unit) -> _Page:
        page = self.pages.get(unit.key)
        if page is None:
            sheet = self.book.add_worksheet(_clean_sheet_name(unit.sheet, self.taken))
            page = self.pages[unit.key] = _Page(unit, sheet)
            self._head(page)
        return page

    def _segments(self) -> list[tuple[int, int]]:
        """Runs of columns in one header group, one page block and one side of the
        repeated columns (a merged cell never straddles a page edge)."""
        edges = {self.repeat, *self.breaks, len(self.columns)}
        out: list[tuple[int, int]] = []
        first = 0
        for index in range(1, len(self.columns) + 1):
            if (index in edges or index == len(self.columns)
                    or self.columns[index].group != self.columns[first].group):
                out.append((first, index - 1))
                first = index
        return out

    def _blocks(self) -> list[tuple[int, int]]:
        """Each page block's own columns (after the repeated ones)."""
        starts = [self.repeat, *self.breaks]
        ends = [*(b - 1 for b in self.breaks), len(self.columns) - 1]
        return [(a, b) for a, b in zip(starts, ends, strict=True) if a <= b]

    def _head(self, page: _Page) -> None:
        sheet, cols, fmt = page.sheet, self.columns, self.fmt
        for index, width in enumerate(self.widths):
            sheet.set_column(index, index, width)
        _setup_paper(sheet, self.titles, page.unit, self.repeat, self.breaks)
        # The title over each page block (the repeated columns keep their cells empty), so
        # that every printed page carries it whole.
        blocks = self._blocks() if self.breaks else [(0, len(cols) - 1)]
        # Wrapped where a page block is narrower than the title.
        sheet.set_row(0, _title_height(page.unit.title, [sum(self.widths[a:b + 1])
                                                         for a, b in blocks]))
        for first, last in blocks:
            _merge(sheet, 0, first, last, page.unit.title, fmt["title"])
        group_lines, head_lines = 1, 1
        for first, last in self._segments():
            width = sum(self.widths[first:last + 1])
            group_lines = max(group_lines, paper.lines(cols[first].group, width))
        for index, col in enumerate(cols):
            head_lines = max(head_lines, paper.lines(col.header, self.widths[index]))
        sheet.set_row(1, 4 + paper.LINE_PT * group_lines)
        for first, last in self._segments():
            _merge(sheet, 1, first, last, cols[first].group, fmt["group"])
        sheet.set_row(2, 4 + paper.LINE_PT * head_lines)
        for index, col in enumerate(cols):
            sheet.write_string(2, index, col.header, fmt["head"])

    def finish(self, page: _Page) -> None:
        """Autofilter, the legend and the signature lines after the last row."""
        sheet, last_col = page.sheet, len(self.columns) - 1
        sheet.autofilter(2, 0, max(page.row - 1, 2), last_col)
        _quiet_text_numbers(sheet, self.columns, page.row - 1)
        # In the last page block, so that they print on the very last page.
        first = self.breaks[-1] if self.breaks else 0
        _sign(sheet, self.fmt, self.widths, page.row + 1, first, last_col,
              LEGEND if self.titles.highlight or self.titles.high_risk else "")


def _title_height(title: str, widths: Sequence[float]) -> float:
    lines = max(paper.lines(title, width, TITLE_PT) for width in widths)
    return max(30.0, 6 + lines * paper.LINE_PT * TITLE_PT / paper.BODY_PT)


def _merge(sheet: Any, row: int, first: int, last: int, text: str, fmt: Any) -> None:
    if last > first:
        sheet.merge_range(row, first, row, last, text, fmt)
    else:
        sheet.write_string(row, first, text, fmt)


def _sign(sheet: Any, fmt: dict[str, Any], widths: Sequence[float], row: int, first: int,
          last: int, legend: str) -> None:
    """The legend and the four signature lines from ``row``, over ``first``..``last``."""
    width = sum(widths[first:last + 1])
    if legend:
        sheet.set_row(row, 4 + paper.LINE_PT * paper.lines(legend, width))
        _merge(sheet, row, first, last, legend, fmt["note"])
        row += 1
    for text in SIGNATURE:
        line = text if "年" in text else text + "＿" * 10
        # One line where the block is wide enough; wrapped (and taller) in a narrow one.
        sheet.set_row(row, 10 + paper.LINE_PT * paper.lines(line, width))
        _merge(sheet, row, first, last, line, fmt["sign"])
        row += 1


def _fill_paper(
    book: Any,
    titles: TableTitle,
    columns: Sequence[Column],
    rows: Iterable[tuple[Unit, Sequence[Cell]]],
    empty: Unit,
    summary: Summary | None,
    total: int,
    progress: Progress | None,
    cancel: Cancelled | None,
) -> int:
    pb = _PaperBook(book, titles, columns)
    fmt = pb.fmt
    summary_sheet = book.add_worksheet(summary.sheet) if summary is not None else None
    if summary is not None:
        pb.taken.add(summary.sheet.lower())
    kinds = {prefix: [fmt[prefix + _kind(col)] for col in columns]
             for prefix in ("", "urgent_", "high_")}
    mark_col, mark_value = titles.highlight or (-1, None)
    high_col, high_value = titles.high_risk or (-1, None)
    flags = {i for i in (mark_col, high_col) if i >= 0}
    # Rows are as tall as their longest wrapped value (neither LibreOffice nor Excel sizes
    # a streamed row on opening); only text longer than its column's width in full-width
    # characters is measured.
    wrapped = [(i, w, (paper.col_px(w) - paper.PADDING) / (paper.BODY_PT * 96 / 72))
               for i, (col, w) in enumerate(zip(columns, pb.widths, strict=True))
               if _kind(col) == "text"]
    done = 0
    check_cancel(cancel)
    pages = pb.pages
    for unit, values in rows:
        page = pages.get(unit.key) or pb.page(unit)
        sheet, row = page.sheet, page.row
        prefix = ("urgent_" if mark_col >= 0 and values[mark_col] == mark_value
                  else "high_" if high_col >= 0 and values[high_col] == high_value else "")
        formats = kinds[prefix]
        height = 1
        for col_index, width, room in wrapped:
            value = values[col_index]
            if isinstance(value, str) and len(value) > room:
                height = max(height, paper.lines(value, width))
        if height > 1:
            sheet.set_row(row, 1 + paper.LINE_PT * height)
        write_string, write_number, write_date, write_blank = (
            page.string, page.number, page.date, page.blank)
        for col_index, value in enumerate(values):
            cell_fmt = formats[col_index]
            if prefix and col_index in flags and value:
                cell_fmt = fmt[prefix + "flag"]
            # Empty cells are written blank with their border: the grid is not printed.
            if value is None or value == "":
                write_blank(row, col_index, None, cell_fmt)
            elif isinstance(value, str):
                write_string(row, col_index, value, cell_fmt)
            elif isinstance(value, date):
                write_date(row, col_index, value, cell_fmt)
            else:
                write_number(row, col_index, value, cell_fmt)
        # Writing this row wrote the previous one out.
        page.forget(row - 1)
        page.row = row + 1
        done += 1
        if done % STEP == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(done, max(total, done))
    if not pb.pages:
        pb.page(empty)
    for page in pb.pages.values():
        pb.finish(page)
    if summary is not None and summary_sheet is not None:
        _write_summary(summary_sheet, summary, titles, empty, fmt)
        # Township sheets appear in the order their first child came (urgent children
        # come first): put them back in township order, after the summary.
        ordered = sorted(pb.pages.values(), key=lambda p: p.unit.key)
        book.worksheets_objs[:] = [summary_sheet, *(p.sheet for p in ordered)]
        for index, sheet in enumerate(book.worksheets_objs):
            sheet.index = index
    if progress is not None:
        progress(done, max(total, done))
    return done


def _kind(col: Column) -> str:
    if col.kind == "id":
        return "id"
    if col.kind in ("date", "due"):
        return "date"
    if col.kind in ("int", "seq"):
        return "int"
    return "text"


def _write_summary(sheet: Any, summary: Summary, titles: TableTitle, unit: Unit,
                   fmt: dict[str, Any]) -> None:
    headers = list(summary.headers)
    widths = [20.0, *([9.0] * (len(headers) - 1))]
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    _setup_paper(sheet, titles, Unit(unit.key, summary.sheet, summary.title, unit.header), 0, [])
    sheet.set_row(0, _title_height(summary.title, [sum(widths)]))
    sheet.merge_range(0, 0, 0, len(headers) - 1, summary.title, fmt["title"])
    sheet.set_row(1, 4 + paper.LINE_PT * max(paper.lines(h, w) for h, w in zip(headers, widths,
                                                                     strict=True)))
    for index, text in enumerate(headers):
        sheet.write_string(1, index, text, fmt["head"])
    rows = summary.rows()
    row = 2
    for values in rows:
        is_total = row == 2 + len(rows) - 1
        for index, value in enumerate(values):
            cell_fmt = fmt["head"] if is_total else fmt["text" if index == 0 else "int"]
            if isinstance(value, str):
                sheet.write_string(row, index, value, cell_fmt)
            else:
                sheet.write_number(row, index, value, cell_fmt)
        row += 1
    _sign(sheet, fmt, widths, row + 1, 0, len(headers) - 1, SUMMARY_NOTE)


def _setup_paper(sheet: Any, titles: TableTitle, unit: Unit, repeat: int,
                 breaks: Sequence[int]) -> None:
    if repeat:
        sheet.freeze_panes(HEADER_ROWS, repeat)
    sheet.hide_gridlines(1)  # The grid is not printed: the table's cells carry borders.
    sheet.set_landscape()
    sheet.set_paper(titles.paper)
    sheet.set_print_scale(100)  # Never shrunk to fit: 10 pt stays 10 pt on paper.
    sheet.repeat_rows(0, HEADER_ROWS - 1 if repeat else 1)
    if breaks:
        sheet.set_v_pagebreaks(list(breaks))
        sheet.repeat_columns(0, repeat - 1)
        sheet.print_across()  # A child's blocks print on consecutive pages.
    sheet.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.6)
    sheet.set_header(
        f"&L{_escape_header(unit.header)}&R{_escape_header(titles.page_right)}",
        {"margin": 0.3},
    )
    sheet.set_footer("&C第 &P 页，共 &N 页", {"margin": 0.3})
