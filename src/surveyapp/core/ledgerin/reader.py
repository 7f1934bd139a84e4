"""Reading a ledger spreadsheet row by row: .xlsx opened with openpyxl in read-only
(streamed) mode, its sheets' cells read by ``xlsxrows`` (openpyxl's values, faster),
.csv with the csv module in UTF-8 (with or without BOM) or GB18030 (what Chinese Excel
writes when it saves "CSV"). Memory stays flat whatever the number of rows.

``open_sheet(path, layout)`` finds the header row (the row among the first
``HEADER_SCAN`` with the most known headers; a header cell left empty by a merge takes the
text of the cell above it, and a group header over several columns is tried as a prefix)
and returns a :class:`Sheet` whose ``rows()`` yields ``(row number, {target: cell})``
and ``located()`` ``(sheet name, row number, {target: cell})``. Every sheet of a
workbook with a header row is read in turn (the 台账 export's township sheets), one
stream at a time; the legend and signature lines under a table are skipped.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

from surveyapp.core.ledgerin.codes import LedgerInCode
from surveyapp.core.ledgerin.layout import Layout, Target, norm_header
from surveyapp.errors import CommonCode, SurveyError

HEADER_SCAN = 20
SAMPLE = 1 << 20
#: a workbook has a few dozen parts; a zip claiming more is refused before it is read
MAX_PARTS = 10_000
MAX_DIRECTORY = 8 << 20


#: How the legend and signature lines under a table begin (the 台账 export writes them
#: after each township sheet's last row); a row with no child's name that begins so is
#: not a child.
TRAILER_STARTS = ("说明", "注：", "注:", "备注：", "图例", "填报单位", "填报人", "审核人",
                  "填报日期", "制表人", "制表日期", "负责人")


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


@dataclass
class Part:
    """One sheet of a workbook that holds a table: its name, header row and columns.

    :param start: opens the sheet's rows after the header: ``(numbered rows, close)``.
    """

    name: str
    header_row: int
    columns: list[tuple[int, Target]]
    headers: list[str]
    start: Callable[[], tuple[Iterator[tuple[int, Sequence[Any]]], Any]]


@dataclass
class Sheet:
    """An open spreadsheet: its header row, the mapped columns, and its data rows.

    A workbook may hold its table on several sheets (the 台账 export has one per
    township, after a 汇总 summary): ``parts`` are the sheets read, each with its own
    header; ``header_row``, ``columns`` and ``headers`` are the first one's.
    """

    path: Path
    header_row: int
    columns: list[tuple[int, Target]]
    headers: list[str]
    _rows: Iterator[tuple[int, Sequence[Any]]]
    _close: Any = None
    unmapped: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    _finally: Any = None

    @property
    def named(self) -> bool:
        """Whether rows are told apart by their sheet (more than one sheet is read)."""
        return len(self.parts) > 1

    def rows(self) -> Iterator[tuple[int, dict[Target, Any]]]:
        """``(row number, {target: raw cell})`` of every non-empty data row."""
        for _, number, cells in self.located():
            yield number, cells

    def located(self) -> Iterator[tuple[str, int, dict[Target, Any]]]:
        """``(sheet name, row number, {target: raw cell})`` of every data row of every
        part; the sheet name is "" when only one sheet is read. Empty rows and the
        legend and signature lines under a table are skipped."""
        if not self.parts:
            yield from self._located("", self._rows, self.columns)
            return
        for index, part in enumerate(self.parts):
            if index == 0:
                rows = self._rows
            else:
                self._close_rows()
                rows, self._close = part.start()
            yield from self._located(part.name if self.named else "", rows, part.columns)

    @staticmethod
    def _located(name: str, rows: Iterator[tuple[int, Sequence[Any]]],
                 columns: list[tuple[int, Target]]
                 ) -> Iterator[tuple[str, int, dict[Target, Any]]]:
        names = [i for i, t in columns if t.field == "child_name"]
        for number, cells in rows:
            filled = [c for c in cells if c is not None and (not isinstance(c, str) or c.strip())]
            if not filled:
                continue
            width = len(cells)
            if _trailer(filled, [cells[i] if i < width else None for i in names]):
                continue
            yield name, number, {t: (cells[i] if i < width else None) for i, t in columns}

    def _close_rows(self) -> None:
        if self._close is not None:
            with suppress(Exception):
                self._close()
            self._close = None

    def close(self) -> None:
        self._close_rows()
        if self._finally is not None:
            with suppress(Exception):
                self._finally()
            self._finally = None

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _trailer(filled: Sequence[Any], names: Sequence[Any]) -> bool:
    """Whether a row is a legend or signature line: no child's name, and its first filled
    cell is text that begins as such lines do (说明…, 填报单位（盖章）…, 审核人…)."""
    if any(_text(n) for n in names):
        return False
    first = filled[0]
    return isinstance(first, str) and first.strip().startswith(TRAILER_STARTS)


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx is an OLE file


def raw_rows(path: Path, password: str | None = None
             ) -> tuple[Iterator[tuple[int, Sequence[Any]]], Any]:
    """Numbered rows of the first sheet (or the CSV) and a function that closes the file.

    :param password: the password of a password-protected .xlsx (as the ledger export
        writes it); the plain workbook is then held in memory.
    :raises SurveyError: IO_002 missing; LEDIN_021 not .xlsx/.csv; LEDIN_023 unreadable;
        LEDIN_026 protected and no password; LEDGER_006 wrong password.
    """
    suffix = _check_source(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, password)
    return _csv_rows(path)


def _check_source(path: Path) -> str:
    """The file's suffix, once it is known to be a regular file of a kind read here."""
    from surveyapp.core.files import open_regular

    try:  # a pipe or a device is refused before a byte is read (and never blocks)
        with open_regular(path, not_regular=lambda: SurveyError(
                LedgerInCode.LEDIN_023, path=str(path), reason="not a regular file")):
            pass
    except FileNotFoundError as err:
        raise SurveyError(CommonCode.IO_002, path=str(path)) from err
    except OSError as err:
        raise SurveyError(LedgerInCode.LEDIN_023, path=str(path),
                          reason=err.strerror or str(err)) from err
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise SurveyError(LedgerInCode.LEDIN_021, path=str(path))
    return suffix


def _xlsx_rows(path: Path, password: str | None
               ) -> tuple[Iterator[tuple[int, Sequence[Any]]], Any]:
    book, source = _open_book(path, password)
    try:
        worksheet = book.worksheets[0]
    except IndexError as err:
        book.close()
        source.close()
        raise _refuse(path, type(err).__name__) from err
    rows, close_rows = _sheet_rows(path, worksheet, 1, lambda: None)

    def close() -> None:
        try:
            close_rows()
            book.close()
        finally:
            source.close()

    return rows, close


def _refuse(path: Path, reason: str) -> SurveyError:
    return SurveyError(LedgerInCode.LEDIN_023, path=str(path), reason=reason)


_BROKEN = (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, ParseError,
           zlib.error)


def _open_book(path: Path, password: str | None) -> tuple[Any, BinaryIO]:
    """The workbook, opened read-only (streamed), and the file under it."""
    import io

    import openpyxl

    from surveyapp.core.files import check_zip_directory, open_regular

    def refuse(reason: str) -> SurveyError:
        return _refuse(path, reason)

    # A pipe or a device is refused before a byte is read, and a zip whose directory claims
    # more parts than any workbook has before zipfile builds an object per claimed part.
    try:
        with open_regular(path, not_regular=lambda: refuse("not a regular file")) as src:
            encrypted = src.read(len(OLE_MAGIC)) == OLE_MAGIC
            src.seek(0)
            if not encrypted:
                check_zip_directory(src, max_entries=MAX_PARTS,
                                    max_directory=MAX_DIRECTORY, allow_zip64=True,
                                    refuse=refuse)
    except OSError as err:
        raise refuse(err.strerror or str(err)) from err
    source: BinaryIO
    if encrypted:
        if not password:
            raise SurveyError(LedgerInCode.LEDIN_026, path=str(path))
        from surveyapp.core.ledger.protect import decrypt_bytes

        source = io.BytesIO(decrypt_bytes(path, password))
        check_zip_directory(source, max_entries=MAX_PARTS, max_directory=MAX_DIRECTORY,
                            allow_zip64=True, refuse=refuse)
        source.seek(0)
    else:
        # Our own handle, closed by us: a part openpyxl fails to parse may keep a stream of
        # the archive open, which would otherwise hold the file open.
        source = path.open("rb")
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except _BROKEN as err:
        source.close()
        reason = "not an .xlsx file, or password-protected" if isinstance(
            err, zipfile.BadZipFile) else type(err).__name__
        raise SurveyError(LedgerInCode.LEDIN_023, path=str(path), reason=reason) from err
    return book, source


def _sheet_rows(path: Path, worksheet: Any, first: int, done: Callable[[], None]
                ) -> tuple[Iterator[tuple[int, Sequence[Any]]], Any]:
    """The numbered rows of ``worksheet`` from row ``first``, and a function that closes
    their stream (then calls ``done``)."""
    from surveyapp.core.ledgerin.xlsxrows import sheet_values

    try:
        fast = sheet_values(worksheet.parent, worksheet, first)
        cells = fast[0] if fast is not None else worksheet.iter_rows(
            min_row=first, values_only=True)
    except (*_BROKEN, IndexError) as err:
        done()
        raise _refuse(path, type(err).__name__) from err

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            yield from enumerate(cells, first)
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError, ParseError,
                zlib.error) as err:
            raise _refuse(path, type(err).__name__) from err

    def close() -> None:
        # The sheet's XML stream keeps the file open until its generator is closed.
        closer = getattr(cells, "close", None)
        try:
            if closer is not None:
                closer()
            if fast is not None:
                fast[1]()
        finally:
            done()

    return rows(), close


def csv_encoding(path: Path) -> str:
    """``utf-8-sig`` when the file's start decodes as UTF-8 (BOM or not), else ``gb18030``."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=len(sample) < SAMPLE)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _csv_rows(path: Path) -> tuple[Iterator[tuple[int, Sequence[Any]]], Any]:
    encoding = csv_encoding(path)
    try:
        handle = path.open(encoding=encoding, newline="")
    except OSError as err:
        raise SurveyError(CommonCode.IO_004, path=str(path), reason=err.strerror) from err

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            for number, cells in enumerate(csv.reader(handle), 1):
                yield number, [c if c != "" else None for c in cells]
        except (UnicodeDecodeError, csv.Error) as err:
            raise SurveyError(LedgerInCode.LEDIN_023, path=str(path),
                              reason=str(err)[:200]) from err

    return rows(), handle.close


def open_sheet(path: str | Path, layout: Layout, password: str | None = None) -> Sheet:
    """Open ``path`` and find its header row.

    In a workbook, every sheet with a header row is read (each with its own header): a
    sheet without one (a cover, notes) is skipped, and so is a summary whose header has
    no column for the child's name when another sheet's has one (the 台账 export's 汇总).

    :raises SurveyError: LEDIN_020 when no row has two known headers; as ``raw_rows``.
    """
    source = Path(path)
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        _check_source(source)
        return _open_book_sheets(source, layout, password)
    rows, close = raw_rows(source, password)
    try:
        head = list(itertools.islice(rows, HEADER_SCAN))
        index, columns, headers = _find_header(head, layout)
        if index is None:
            raise SurveyError(LedgerInCode.LEDIN_020, path=str(source), rows=HEADER_SCAN)
    except BaseException:
        close()
        raise
    rest = itertools.chain(head[index + 1:], rows)
    return Sheet(source, head[index][0], columns, headers, rest, close,
                 _unmapped(columns, headers))


def _unmapped(columns: list[tuple[int, Target]], headers: list[str]) -> list[str]:
    mapped = {i for i, _ in columns}
    return [h for i, h in enumerate(headers) if h and i not in mapped]


def _open_book_sheets(source: Path, layout: Layout, password: str | None) -> Sheet:
    book, handle = _open_book(source, password)

    def close_book() -> None:
        try:
            book.close()
        finally:
            handle.close()

    parts: list[Part] = []
    try:
        for worksheet in book.worksheets:
            rows, close = _sheet_rows(source, worksheet, 1, lambda: None)
            try:
                head = list(itertools.islice(rows, HEADER_SCAN))
            finally:
                close()
            index, columns, headers = _find_header(head, layout)
            if index is None:
                continue
            header_row = head[index][0]

            def start(worksheet: Any = worksheet, first: int = header_row + 1
                      ) -> tuple[Iterator[tuple[int, Sequence[Any]]], Any]:
                return _sheet_rows(source, worksheet, first, lambda: None)

            parts.append(Part(str(worksheet.title), header_row, columns, headers, start))
        named = [p for p in parts if any(t.field == "child_name" for _, t in p.columns)]
        if named:
            parts = named
        if not parts:
            raise SurveyError(LedgerInCode.LEDIN_020, path=str(source), rows=HEADER_SCAN)
        rows, close_rows = parts[0].start()
    except BaseException:
        close_book()
        raise
    unmapped: list[str] = []
    for part in parts:
        unmapped += [h for h in _unmapped(part.columns, part.headers) if h not in unmapped]
    # The book stays open while its sheets are read: closing the sheet closes it.
    return Sheet(source, parts[0].header_row, parts[0].columns, parts[0].headers, rows,
                 close_rows, unmapped, parts, close_book)


def header_texts(path: str | Path, password: str | None = None) -> list[str]:
    """The headers of a spreadsheet whose layout is not known yet (for a mapping
    template): the row among the first ``HEADER_SCAN`` with the most filled cells, each
    empty cell under a merge named by the cell above, a group header over several columns
    put in front (``父亲情况姓名``). In a workbook of several sheets, the sheet whose best
    row scores highest (a summary sheet has fewer headers than the table).

    :raises SurveyError: as ``raw_rows``.
    """
    source = Path(path)
    heads: list[list[tuple[int, Sequence[Any]]]] = []
    if _check_source(source) in (".xlsx", ".xlsm"):
        book, handle = _open_book(source, password)
        try:
            for worksheet in book.worksheets:
                rows, close = _sheet_rows(source, worksheet, 1, lambda: None)
                try:
                    heads.append(list(itertools.islice(rows, HEADER_SCAN)))
                finally:
                    close()
        finally:
            try:
                book.close()
            finally:
                handle.close()
    else:
        rows, close = raw_rows(source, password)
        try:
            heads.append(list(itertools.islice(rows, HEADER_SCAN)))
        finally:
            close()
    found = [_best_header(head) for head in heads if head]
    return max(found, key=lambda f: f[0])[1] if found else []


def _best_header(head: list[tuple[int, Sequence[Any]]]) -> tuple[int, list[str]]:
    """The score and the texts of the likeliest header row among ``head``."""
    empty = Layout("", {})

    def shown(pos: int) -> list[str]:
        above = _filled(head[pos - 1][1]) if pos else []
        return _match(head[pos][1], above, empty)[1]

    def score(pos: int) -> int:
        # Headers are distinct words; data rows hold numbers, dates, ID numbers, repeats.
        cells = head[pos][1]
        numbers = sum(c is not None and (not isinstance(c, str) or _numeric(c)) for c in cells)
        words = {t for t in shown(pos) if t and not _numeric(t)}
        return len(words) - numbers

    best = max(range(len(head)), key=lambda i: (score(i), -i))
    return score(best), shown(best)


def _numeric(text: str) -> bool:
    stripped = text.strip().replace("-", "").replace(".", "").replace("/", "")
    return stripped[:-1].isdigit() if stripped else False


def _find_header(head: list[tuple[int, Sequence[Any]]], layout: Layout
                 ) -> tuple[int | None, list[tuple[int, Target]], list[str]]:
    best: tuple[int | None, list[tuple[int, Target]], list[str]] = (None, [], [])
    for pos, (number, cells) in enumerate(head):
        if layout.header_row is not None and number != layout.header_row:
            continue
        above = _filled(head[pos - 1][1]) if pos else []
        columns, headers = _match(cells, above, layout)
        if len(columns) > len(best[1]):
            best = (pos, columns, headers)
    if best[0] is None or len(best[1]) < min(2, len(layout.targets)):
        return None, [], []
    return best


def _filled(cells: Sequence[Any]) -> list[tuple[str, bool]]:
    """The row above the header with horizontally merged cells filled rightwards: each
    cell's text and whether that text spans more than one column (a group header)."""
    texts: list[str] = []
    starts: list[int] = []
    last, start = "", 0
    for i, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        if text:
            last, start = text, i
        texts.append(last)
        starts.append(start)
    spans = {s: starts.count(s) > 1 for s in set(starts)}
    return [(t, bool(t) and spans[s]) for t, s in zip(texts, starts, strict=True)]


def _match(cells: Sequence[Any], above: list[tuple[str, bool]], layout: Layout
           ) -> tuple[list[tuple[int, Target]], list[str]]:
    columns: list[tuple[int, Target]] = []
    headers: list[str] = []
    taken: set[str] = set()
    for i, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        group, spanning = above[i] if i < len(above) else ("", False)
        if not text:
            candidates, shown = [group], group
        elif spanning and group != text:
            candidates, shown = [group + text, text], group + text
        else:
            candidates, shown = [text], text
        headers.append(shown)
        for candidate in candidates:
            target = layout.target(candidate) if candidate else None
            if target is not None and norm_header(target.header) not in taken:
                taken.add(norm_header(target.header))
                columns.append((i, target))
                break
    return columns, headers
