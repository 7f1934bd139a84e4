"""The county ledger (台账): one row per child, fixed Chinese headers, ready to print.

``export_ledger(rows, path, *, labels, county_name, ...) -> ExportResult`` streams any
iterable of child rows (mappings keyed by the form's question names plus ``record_id``,
``township_code``, ``village_code``, ``township_name``, ``village_name``, ``status``,
``last_visit_date``, ``follow_up_due``) into an .xlsx (or a UTF-8-with-BOM .csv when
``fmt="csv"``), optionally password-protected. Memory stays flat whatever the count.
Rows are written in the order given: ``ops.ledger`` gives them in print order (urgent
children first, then by village and pinyin: ``order.py``); the rows of urgent (强制报告)
children are filled in colour in the .xlsx.

The ledger .xlsx is laid out for paper (``xlsxout.write_paper``, ``paper.py``): a summary
sheet (汇总: the 底数 per township, with totals) and one sheet per township, named after
it, each with its own 序号 from 1, its urgent children first, printed on A3 landscape in
page blocks with the signature lines at the end. A department list is one sheet (名单)
with the same print layout on A4.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from surveyapp.core.ledger import csvout, protect
from surveyapp.core.ledger.codes import LedgerCode
from surveyapp.core.ledger.columns import LEDGER_COLUMNS, Cell, CellMaker, Column
from surveyapp.core.ledger.files import Cancelled, Progress, atomic_output
from surveyapp.core.ledger.labels import FormLabels
from surveyapp.core.ledger.paper import SUMMARY_HEADERS, Tally
from surveyapp.core.ledger.query import ChildQuery
from surveyapp.core.ledger.xlsxout import Summary, TableTitle, Unit, write_paper, write_table
from surveyapp.errors import SurveyError

Format = Literal["xlsx", "csv"]
LEDGER_TITLE = "农村留守儿童和困境儿童信息台账"


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote.

    :param path: the file written.
    :param rows: the number of children in it.
    :param columns: the column headers.
    :param masked: whether ID and phone numbers were masked.
    :param encrypted: whether the file is password-protected.
    """

    path: Path
    rows: int
    columns: tuple[str, ...]
    masked: bool
    encrypted: bool


@dataclass(frozen=True, slots=True)
class Table:
    """A list to export: its title, sheet name, columns and which rows it takes.

    ``printed`` lays the .xlsx out for paper (``xlsxout.write_paper``); ``by_township``
    then gives each township its own sheet after a summary sheet (the ledger).
    """

    sheet: str
    title: str
    columns: Sequence[Column]
    query: ChildQuery
    paper: int = 9
    printed: bool = False
    by_township: bool = False


def export_ledger(
    rows: Iterable[Mapping[str, Any]],
    path: str | Path,
    *,
    labels: FormLabels,
    county_name: str,
    query: ChildQuery | None = None,
    fmt: Format = "xlsx",
    mask: bool = False,
    password: str | None = None,
    now: datetime | None = None,
    total: int = 0,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancel: Cancelled | None = None,
) -> ExportResult:
    """Write the ledger of the children in ``rows`` that ``query`` selects.

    :param rows: child rows (see the module docstring); read once, lazily.
    :param path: the .xlsx or .csv file to write.
    :param labels: choice labels, usually ``FormLabels.from_form(form_path)``.
    :param county_name: shown in the title and the page header, e.g. ``大方县``.
    :param query: scope and filters; everything when None.
    :param fmt: ``xlsx`` or ``csv``.
    :param mask: mask ID and phone numbers.
    :param password: password-protect the .xlsx (at least 6 characters).
    :param now: the export time shown in the page header (default: now).
    :param total: the expected number of rows, for progress (0 when unknown).
    :param overwrite: replace an existing file.
    :param progress: ``progress(done, total)``.
    :param cancel: returns True to stop; the target is then left untouched.
    :raises SurveyError: LEDGER_001 (file exists), LEDGER_004/005 (password),
        LEDGER_009 (a password for a CSV),
        CANCELLED, IO_001/IO_003 (disk).
    """
    query = query or ChildQuery()
    scope = scope_name(query, labels)
    table = Table("台账", f"{county_name}{scope}{LEDGER_TITLE}", LEDGER_COLUMNS, query, paper=8,
                  printed=True, by_township=True)
    return export_table(
        rows, path, table, labels=labels, county_name=county_name, fmt=fmt, mask=mask,
        password=password, now=now, total=total, overwrite=overwrite, progress=progress,
        cancel=cancel,
    )


def export_table(
    rows: Iterable[Mapping[str, Any]],
    path: str | Path,
    table: Table,
    *,
    labels: FormLabels,
    county_name: str,
    fmt: Format = "xlsx",
    mask: bool = False,
    password: str | None = None,
    now: datetime | None = None,
    total: int = 0,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancel: Cancelled | None = None,
) -> ExportResult:
    """Write any list (the ledger or a department list); see :func:`export_ledger`."""
    target = Path(path)
    if password is not None and fmt == "csv":
        raise SurveyError(LedgerCode.LEDGER_009, path=str(target))
    if password is not None:
        protect.check_password(password, target)
    maker = CellMaker(table.columns, labels, mask=mask)
    cells = _cells(maker, table.query.select(rows))
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    with atomic_output(target, overwrite=overwrite) as tmp:
        if fmt == "csv":
            count = csvout.write_csv(
                tmp, [c.header for c in table.columns], cells,
                total=total, progress=progress, cancel=cancel,
            )
        elif table.printed:
            count = _write_printed(tmp, table, maker, labels, county_name, stamp, rows,
                                   total, progress, cancel)
            if password is not None:
                _encrypt_in_place(tmp, password)
        else:
            titles = TableTitle(
                sheet=table.sheet, title=table.title, page_left=table.title,
                page_right=f"导出时间：{stamp}", paper=table.paper,
                highlight=urgent_mark(table.columns, labels),
            )
            count = write_table(
                tmp, titles, table.columns, cells, total=total, progress=progress, cancel=cancel
            )
            if password is not None:
                _encrypt_in_place(tmp, password)
    return ExportResult(
        path=target, rows=count, columns=tuple(c.header for c in table.columns),
        masked=mask, encrypted=password is not None and fmt != "csv",
    )


def _write_printed(
    tmp: Path, table: Table, maker: CellMaker, labels: FormLabels, county_name: str,
    stamp: str, rows: Iterable[Mapping[str, Any]], total: int, progress: Progress | None,
    cancel: Cancelled | None,
) -> int:
    """The paper layout: a sheet per township after the 汇总 sheet, or one sheet."""
    titles = TableTitle(
        sheet=table.sheet, title=table.title, page_left=county_name,
        page_right=f"导出时间：{stamp}", paper=table.paper,
        highlight=urgent_mark(table.columns, labels),
        high_risk=column_mark(table.columns, labels, "risk_level", "high"),
    )
    whole = Unit("", table.sheet, table.title, county_name)
    selected = table.query.select(rows)
    if not table.by_township:
        units: Iterable[tuple[Unit, Sequence[Cell]]] = (
            (whole, maker.cells(row, seq)) for seq, row in enumerate(selected, 1))
        return write_paper(tmp, titles, table.columns, units, empty=whole, total=total,
                           progress=progress, cancel=cancel)
    tally = Tally()
    summary = Summary("汇总", f"{table.title}（汇总）", SUMMARY_HEADERS, tally.table)
    return write_paper(tmp, titles, table.columns,
                       _by_township(selected, maker, labels, county_name, tally),
                       empty=whole, summary=summary, total=total, progress=progress,
                       cancel=cancel)


def _by_township(
    rows: Iterable[Mapping[str, Any]], maker: CellMaker, labels: FormLabels,
    county_name: str, tally: Tally,
) -> Iterator[tuple[Unit, list[Cell]]]:
    """Each row with its township's sheet and its number within the township."""
    units: dict[str, Unit] = {}
    seqs: dict[str, int] = {}
    for row in rows:
        code = str(row.get("township_code") or (row.get("village_code") or "")[:9])
        unit = units.get(code)
        if unit is None:
            name = str(row.get("township_name") or "") or (
                labels.label("township_code", code) if code else "未分乡镇")
            unit = units[code] = Unit(code, name, f"{county_name}{name}{LEDGER_TITLE}",
                                      f"{county_name}  {name}")
        seqs[code] = seq = seqs.get(code, 0) + 1
        tally.add(code, unit.sheet, row)
        yield unit, maker.cells(row, seq)


def column_mark(columns: Sequence[Column], labels: FormLabels, source: str,
                value: str) -> tuple[int, str] | None:
    """Where the ``source`` column is and the cell text of ``value`` in it."""
    for index, col in enumerate(columns):
        if col.source == source:
            return index, str(CellMaker([col], labels).cells({source: value}, 0)[0])
    return None


def urgent_mark(columns: Sequence[Column], labels: FormLabels) -> tuple[int, str] | None:
    """Where the 强制报告 column is and the cell text of a "yes" in it: the rows to fill."""
    for index, col in enumerate(columns):
        if col.source == "urgent_report":
            return index, str(CellMaker([col], labels).cells({"urgent_report": "yes"}, 0)[0])
    return None


def _encrypt_in_place(tmp: Path, password: str) -> None:
    enc = tmp.with_name(tmp.name + ".enc")
    try:
        protect.encrypt_file(tmp, enc, password)
        os.replace(enc, tmp)
    finally:
        enc.unlink(missing_ok=True)


def _cells(maker: CellMaker, rows: Iterable[Mapping[str, Any]]) -> Iterator[list[Cell]]:
    for seq, row in enumerate(rows, 1):
        yield maker.cells(row, seq)


def scope_name(query: ChildQuery, labels: FormLabels) -> str:
    """The township and village names of the scope, for a title (empty for the county)."""
    parts = []
    township = query.township_code or (query.village_code or "")[:9]
    if township:
        parts.append(labels.label("township_code", township))
    if query.village_code:
        parts.append(labels.label("village_code", query.village_code))
    return "".join(parts)
