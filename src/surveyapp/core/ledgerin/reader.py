"""Reading a ledger spreadsheet row by row: .xlsx with openpyxl in read-only (streamed)
mode, .csv with the csv module in UTF-8 (with or without BOM) or GB18030 (what Chinese
Excel writes when it saves "CSV"). Memory stays flat whatever the number of rows.

``open_sheet(path, layout)`` finds the header row (the row among the first
``HEADER_SCAN`` with the most known headers; a header cell left empty by a merge takes the
text of the cell above it, and a group header over several columns is tried as a prefix)
and returns a :class:`Sheet` whose ``rows()`` yields ``(row number, {target: cell})``.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import zlib
from collections.abc import Iterator, Sequence
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


@dataclass
class Sheet:
    """An open spreadsheet: its header row, the mapped columns, and its data rows."""

    path: Path
    header_row: int
    columns: list[tuple[int, Target]]
    headers: list[str]
    _rows: Iterator[tuple[int, Sequence[Any]]]
    _close: Any = None
    unmapped: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, dict[Target, Any]]]:
        """``(row number, {target: raw cell})`` of every non-empty data row."""
        columns = self.columns
        for number, cells in self._rows:
            if not any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
                continue
            width = len(cells)
            yield number, {t: (cells[i] if i < width else None) for i, t in columns}

    def close(self) -> None:
        if self._close is not None:
            with suppress(Exception):
                self._close()
            self._close = None

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx is an OLE file


def raw_rows(path: Path, password: str | None = None
             ) -> tuple[Iterator[tuple[int, Sequence[Any]]], Any]:
    """Numbered rows of the first sheet (or the CSV) and a function that closes the file.

    :param password: the password of a password-protected .xlsx (as the ledger export
        writes it); the plain workbook is then held in memory.
    :raises SurveyError: IO_002 missing; LEDIN_021 not .xlsx/.csv; LEDIN_023 unreadable;
        LEDIN_026 protected and no password; LEDGER_006 wrong password.
    """
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
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, password)
    if suffix in (".csv", ".txt"):
        return _csv_rows(path)
    raise SurveyError(LedgerInCode.LEDIN_021, path=str(path))


def _xlsx_rows(path: Path, password: str | None
               ) -> tuple[Iterator[tuple[int, Sequence[Any]]], Any]:
    import io
    import zipfile

    import openpyxl

    from surveyapp.core.files import check_zip_directory, open_regular

    def refuse(reason: str) -> SurveyError:
        return SurveyError(LedgerInCode.LEDIN_023, path=str(path), reason=reason)

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
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, ParseError,
            zlib.error) as err:
        source.close()
        reason = "not an .xlsx file, or password-protected" if isinstance(
            err, zipfile.BadZipFile) else type(err).__name__
        raise SurveyError(LedgerInCode.LEDIN_023, path=str(path), reason=reason) from err
    try:
        cells = book.worksheets[0].iter_rows(values_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, ParseError,
            zlib.error, IndexError) as err:
        book.close()
        source.close()
        raise refuse(type(err).__name__) from err

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            yield from enumerate(cells, 1)
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError, ParseError,
                zlib.error) as err:
            raise refuse(type(err).__name__) from err

    def close() -> None:
        # The sheet's XML stream keeps the file open until its generator is closed.
        closer = getattr(cells, "close", None)
        try:
            if closer is not None:
                closer()
            book.close()
        finally:
            source.close()

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

    :raises SurveyError: LEDIN_020 when no row has two known headers; as ``raw_rows``.
    """
    source = Path(path)
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
    mapped = {i for i, _ in columns}
    unmapped = [h for i, h in enumerate(headers) if h and i not in mapped]
    return Sheet(source, head[index][0], columns, headers, rest, close, unmapped)


def header_texts(path: str | Path, password: str | None = None) -> list[str]:
    """The headers of a spreadsheet whose layout is not known yet (for a mapping
    template): the row among the first ``HEADER_SCAN`` with the most filled cells, each
    empty cell under a merge named by the cell above, a group header over several columns
    put in front (``父亲情况姓名``).

    :raises SurveyError: as ``raw_rows``.
    """
    rows, close = raw_rows(Path(path), password)
    try:
        head = list(itertools.islice(rows, HEADER_SCAN))
    finally:
        close()
    if not head:
        return []
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
    return shown(best)


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
