"""Read a workbook (xlsx via openpyxl, or pyxform-style markdown tables) into plain rows.

Both readers produce the same :class:`Sheets`: per sheet, the header names (as written)
with their column letters, and the data rows with their 1-based spreadsheet row numbers.
Cell values become stripped strings: whole floats lose their ``.0``, dates become ISO
dates, empty cells are left out of the row.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from surveyapp.core.forms.codes import FormCode
from surveyapp.errors import SurveyError


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: ``values`` maps header → text; ``number`` is the spreadsheet row."""

    number: int
    values: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    headers: tuple[str, ...]
    letters: Mapping[str, str]  # header → column letter
    rows: tuple[Row, ...]

    def letter(self, header: str) -> str:
        """The column letter of ``header`` (the header itself when it is absent)."""
        return self.letters.get(header, header)


@dataclass(frozen=True, slots=True)
class Sheets:
    source: str  # a path, or "<markdown>"
    sheets: Mapping[str, Sheet]

    def get(self, name: str) -> Sheet | None:
        return self.sheets.get(name)


def cell_text(value: Any) -> str:
    """One cell as stripped text (``16.0`` → ``"16"``, a date → ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _make_sheet(name: str, table: Iterable[tuple[int, list[Any]]]) -> Sheet:
    """A sheet from ``(row number, cells)`` pairs; the first non-blank row is the header."""
    headers: list[str] = []
    letters: dict[str, str] = {}
    index_of: list[tuple[int, str]] = []
    rows: list[Row] = []
    blank_run = 0
    for number, cells in table:
        if not any(c is not None and c != "" for c in cells):
            # As pyxform: after a run of empty rows the data has ended (a sheet may be
            # formatted down to row 1048576).
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        texts = [cell_text(c) for c in cells]
        if not index_of and not headers:
            if not any(texts):
                continue
            for i, text in enumerate(texts):
                if text and text not in letters:
                    headers.append(text)
                    letters[text] = column_letter(i)
                    index_of.append((i, text))
            continue
        values = {h: texts[i] for i, h in index_of if i < len(texts) and texts[i]}
        if values:
            rows.append(Row(number, values))
    return Sheet(name, tuple(headers), letters, tuple(rows))


# Bounds for a hostile workbook (a real form is well under 1 MB unpacked). CPython's
# zipfile never inflates a member past its declared size, so checking the declared sizes
# before openpyxl opens anything stops a zip bomb.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_DIRECTORY = MAX_MEMBERS * 1024  # 46 bytes and a name (and extra fields) per part
MAX_RATIO = 100  # uncompressed / compressed, for members over 1 MB
MAX_CELL_CHARS = 32767  # Excel's own limit
MAX_BLANK_RUN = 60  # pyxform's max_adjacent_empty_rows


def _refuse(path: str | Path, reason: str) -> SurveyError:
    return SurveyError(FormCode.FORM_001, path=str(path), reason=reason)


def _check_archive(path: str | Path) -> None:
    """Refuse an oversized file, a zip bomb or member names with ``..`` before reading."""
    from surveyapp.core.files import check_zip_directory, open_regular

    try:
        # A FIFO or /dev/zero is refused before a byte is read; the zip's end record is
        # checked before zipfile builds an object per claimed entry.
        with open_regular(path, not_regular=lambda: _refuse(
                path, "不是普通文件 / not a regular file (a folder, device or pipe)")) as src:
            if os.fstat(src.fileno()).st_size > MAX_FILE_BYTES:
                raise _refuse(path, "文件过大 / file too large")
            check_zip_directory(src, max_entries=MAX_MEMBERS, max_directory=MAX_DIRECTORY,
                                allow_zip64=False,
                                refuse=lambda _: _refuse(path, "文件结构异常 / too many parts"))
            src.seek(0)
            with zipfile.ZipFile(src) as archive:
                members = archive.infolist()
    except FileNotFoundError as err:
        raise _refuse(path, "文件不存在 / no such file") from err
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise _refuse(path, "不是 .xlsx 文件 / not an .xlsx file") from err
    if len(members) > MAX_MEMBERS:
        raise _refuse(path, "文件结构异常 / too many parts")
    total = 0
    for info in members:
        name = info.filename
        if name.startswith(("/", "\\")) or "\\" in name or ".." in name.split("/"):
            raise _refuse(path, "文件结构异常 / unsafe part name")
        total += info.file_size
        big = info.file_size > 1024 * 1024
        if total > MAX_UNPACKED_BYTES or (
            big and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        ):
            raise _refuse(path, "文件解压后过大 / unpacks too large")


def _bounded_rows(
    path: str | Path, title: str, rows: Iterable[tuple[Any, ...]]
) -> Iterable[tuple[int, list[Any]]]:
    """Number the rows, refusing a cell longer than a spreadsheet cell can be."""
    for number, row in enumerate(rows, start=1):
        cells = list(row)
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise SurveyError(
                    FormCode.FORM_001, path=str(path), reason="单元格过长 / cell too long",
                    sheet=title, row=number, column=column_letter(index),
                )
        yield number, cells


# A cell or a row with nothing in it: ``<c r="K7" s="3"/>``, ``<row r="9" s="1"/>``,
# ``<row r="9"></row>`` (a formatted but empty cell or row; a sheet whose columns were
# formatted to the right edge has a thousand of them per row). ``[^>]*`` cannot cross a
# tag, so a cell with a value (``<c …><v>…</v></c>``) never matches. Only cells and rows
# that carry their own position (``r`` first, as Excel, LibreOffice and openpyxl write
# them) are cut: without it, openpyxl numbers by counting, and a cut would shift the rest.
_EMPTY_CELL = re.compile(rb'<c r="[A-Z]+[0-9]+"[^>]*/>')
_EMPTY_ROW = re.compile(rb'<row r="[0-9]+"[^>]*(?:/>|>\s*</row>)')


def _only_cells_with_values(wb: Any, ws: Any) -> None:
    """Let openpyxl parse only the cells that hold something, and size the sheet by them.

    openpyxl builds every ``<c>`` of the sheet XML, empty or not, and pads each row to the
    sheet's declared width: a survey sheet with 1,024 formatted empty columns took 88 s to
    read. The sheet XML (its size is bounded by ``_check_archive``) is read once, its empty
    cells and rows are cut out, and openpyxl reads that; with the declared dimension reset,
    a row ends at its last cell with a value. Uses openpyxl's read-only worksheet internals
    (``_get_source``, ``_worksheet_path``; openpyxl is pinned): without them, nothing changes.
    """
    archive = getattr(wb, "_archive", None)
    member = getattr(ws, "_worksheet_path", None)
    if archive is None or member is None or not hasattr(ws, "_get_source"):
        return
    data = archive.read(member)
    data = _EMPTY_ROW.sub(b"", _EMPTY_CELL.sub(b"", data))
    ws._get_source = lambda: io.BytesIO(data)
    ws.reset_dimensions()


def read_xlsx(path: str | Path) -> Sheets:
    """Read every sheet of an .xlsx workbook (values, not formulas).

    :param path: the workbook.
    :raises SurveyError: FORM_001 when the file is missing, not an xlsx workbook, or
        hostile (oversized, a zip bomb, ``..`` in part names, malformed XML, XML entities,
        a cell over 32,767 characters).
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_archive(path)
    try:
        wb = load_workbook(str(path), read_only=True, data_only=True)
    except InvalidFileException as err:
        reason = "不是 .xlsx 文件 / not an .xlsx file"
        raise SurveyError(FormCode.FORM_001, path=str(path), reason=reason) from err
    except FileNotFoundError as err:
        reason = "文件不存在 / no such file"
        raise SurveyError(FormCode.FORM_001, path=str(path), reason=reason) from err
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise SurveyError(FormCode.FORM_001, path=str(path), reason=type(err).__name__) from err
    try:
        sheets: dict[str, Sheet] = {}
        for ws in wb.worksheets:
            # Only the cells with values (a sheet may be formatted to A1:AMJ1048576).
            _only_cells_with_values(wb, ws)
            table = _bounded_rows(path, ws.title, ws.iter_rows(values_only=True))
            sheets[ws.title.strip().lower()] = _make_sheet(ws.title.strip(), table)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError, zlib.error) as err:
        raise SurveyError(FormCode.FORM_001, path=str(path), reason=type(err).__name__) from err
    finally:
        wb.close()
    return Sheets(str(path), sheets)


def read_markdown(md: str) -> Sheets:
    """Read pyxform-style markdown tables.

    A line whose first cell holds a word starts a sheet; its other cells are the header.
    Following lines have an empty first cell and hold the data. Rows are numbered as
    they would be in the spreadsheet: the header is row 1.
    """
    sheets: dict[str, Sheet] = {}
    current: str | None = None
    table: list[tuple[int, list[Any]]] = []

    def flush() -> None:
        if current is not None:
            sheets[current.lower()] = _make_sheet(current, table)

    number = 0
    for line in md.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if all(set(c) <= set("-: ") for c in cells):
            continue  # a separator line
        if cells and cells[0]:
            flush()
            current, table, number = cells[0], [], 0
            if any(cells[1:]):  # a header on the same line as the sheet name
                number = 1
                table.append((number, cells[1:]))
            continue
        if current is None:
            continue
        number += 1
        table.append((number, cells[1:]))
    flush()
    return Sheets("<markdown>", sheets)
