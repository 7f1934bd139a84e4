"""The cell values of one worksheet, streamed with expat: what openpyxl's read-only
``worksheet.iter_rows(min_row=first, values_only=True)`` yields, about twice as fast.

openpyxl builds an element per cell and, for an inline string (what the 台账 export and
other streaming writers use for every text cell), a ``Text`` object through its
descriptors, and its parser leaves one cleared element per row behind in the tree; this
module reads the same XML events into plain tuples and keeps nothing of a row once it is
yielded, so that memory stays flat. The values are openpyxl's own, cell for cell: the
same number casting (``_cast_number``), dates by the workbook's date styles
(``from_excel`` with its epoch; a serial out of range is ``#VALUE!`` with openpyxl's
warning), shared strings, booleans, ISO dates, inline strings (plain and rich runs, not
the phonetic ones), rows and columns beyond the sheet's dimension left out and missing
rows filled with empty ones.

As defusedxml does for the rest of the workbook, a DTD that declares an entity, and any
external entity, is refused (``ValueError``).

``sheet_values(book, worksheet, first)`` returns the iterator (and a function that
closes the sheet's stream), or None when this openpyxl has not the internals it reads
(the caller then uses ``iter_rows``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL, _VALUE, _INLINE = (f"{NS}}}{t}" for t in ("row", "c", "v", "is"))
CHUNK = 1 << 16


class _Forbidden(ValueError):
    pass


def sheet_values(book: Any, worksheet: Any, first: int
                 ) -> tuple[Iterator[tuple[Any, ...]], Callable[[], None]] | None:
    """``(rows from row first, close)`` for a worksheet of a workbook opened by openpyxl in
    read-only mode with ``data_only=True``; None without the internals this reads."""
    try:
        from openpyxl.utils import coordinate_to_tuple
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        source: IO[bytes] = worksheet._get_source()
        strings = worksheet._shared_strings
        dates, spans = book._date_formats, book._timedelta_formats
        epoch, width, last = book.epoch, worksheet.max_column, worksheet.max_row
    except (AttributeError, ImportError):
        return None
    if not book.data_only:
        source.close()
        return None
    convert = _Converter(strings, dates, spans, epoch, coordinate_to_tuple, from_excel,
                         from_ISO8601)
    return _rows(source, convert, first, width, last), source.close


class _Converter:
    """One cell's value, as ``openpyxl.worksheet._reader.WorkSheetParser.parse_cell``
    computes it with ``data_only`` (formulas are not read)."""

    def __init__(self, strings: Any, dates: Any, spans: Any, epoch: Any,
                 coordinate_to_tuple: Any, from_excel: Any, from_iso: Any) -> None:
        self.strings, self.dates, self.spans, self.epoch = strings, dates, spans, epoch
        self.coordinate_to_tuple = coordinate_to_tuple
        self.from_excel, self.from_iso = from_excel, from_iso

    def value(self, kind: str, style: Any, value: Any, coordinate: str | None) -> Any:
        if value is None:
            return None
        if kind == "n":
            value = float(value) if ("." in value or "E" in value or "e" in value) else int(
                value)
            if style in self.dates:
                try:
                    return self.from_excel(value, self.epoch, timedelta=style in self.spans)
                except (OverflowError, ValueError):
                    msg = f"""Cell {coordinate} is marked as a date but the serial value {value} is outside the limits for dates. The cell will be treated as an error."""  # noqa: E501 - openpyxl's own text
                    warnings.warn(msg, stacklevel=2)
                    return "#VALUE!"
            return value
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return self.from_iso(value)
        return value  # "str", "e" and any other type: the text


def _rows(source: IO[bytes], convert: _Converter, first: int, width: int | None,
          last: int | None) -> Iterator[tuple[Any, ...]]:
    """openpyxl's ``ReadOnlyWorksheet._cells_by_row(1, first, width, last, True)``."""
    empty: tuple[Any, ...] = (None,) * width if width is not None else ()
    counter = first
    number = 1
    with source:
        for number, cells in _parsed(source, convert):
            if last is not None and number > last:
                break
            while counter < number:  # rows the file leaves out
                counter += 1
                yield empty
            if counter <= number:
                counter += 1
                yield _padded(cells, width)
    if last is not None and last < number:
        for _ in range(counter, last + 1):
            yield empty


def _padded(cells: list[tuple[int, Any]], width: int | None) -> tuple[Any, ...]:
    """``ReadOnlyWorksheet._get_row``: every row as wide as the sheet."""
    if not cells and not width:
        return ()
    size = width or cells[-1][0]
    row: list[Any] = [None] * size
    for column, value in cells:
        if 1 <= column <= size:
            row[column - 1] = value
    return tuple(row)


def _parsed(source: IO[bytes], convert: _Converter
            ) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
    """``(row number, [(column, value)])`` per ``row`` element, as
    ``WorkSheetParser.parse_row`` numbers them."""
    done: list[tuple[int, list[tuple[int, Any]]]] = []
    state = _State(convert, done)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.ordered_attributes = False
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    parser.CharacterDataHandler = state.text
    parser.EntityDeclHandler = _forbid_entity
    parser.UnparsedEntityDeclHandler = _forbid_entity
    parser.ExternalEntityRefHandler = _forbid_external
    while True:
        data = source.read(CHUNK)
        try:
            parser.Parse(data, not data)
        except expat.ExpatError as err:
            raise ValueError(f"the sheet's XML: {err}") from None
        if done:
            yield from done
            done.clear()
        if not data:
            return


def _forbid_entity(name: str, *_: Any) -> None:
    raise _Forbidden(f"entity {name} declared in the sheet")


def _forbid_external(*_: Any) -> int:
    raise _Forbidden("external entity in the sheet")


class _State:
    """The parse of one sheet: the row being read and the cell inside it.

    ``depth`` counts from the row (0: outside any row; 1: the row; 2: a cell; 3: the
    cell's ``v`` or ``is``; 4: the ``t`` or ``r`` of an ``is``; 5: the ``t`` of an
    ``r``). An element's text is what comes before its first child, as ElementTree's
    ``.text``.
    """

    __slots__ = ("attrs", "buf", "captured", "cells", "column", "convert", "depth", "done",
                 "grab", "inline", "into", "number", "plain", "run", "runs", "value", "where")

    def __init__(self, convert: _Converter, done: list[tuple[int, list[tuple[int, Any]]]]
                 ) -> None:
        self.convert, self.done = convert, done
        self.depth = self.number = self.column = 0
        self.cells: list[tuple[int, Any]] = []
        self.attrs: dict[str, str] = {}
        self.value: str | None = None  # the text of the cell's first v
        self.captured = False  # the cell's first v was seen
        self.runs: list[str | None] | None = None  # the first is: its r runs' t
        self.plain: str | None = None  # the first is: its t
        self.inline = False  # inside the cell's first is
        self.run: str | None = None  # the t of the r being read
        self.buf: list[str] = []
        self.grab = False  # character data goes to buf
        self.into = ""  # what buf is the text of: "v", "t" (of is) or "rt" (of r)
        self.where = 0  # the depth of the element buf is the text of

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.grab = False
        depth = self.depth
        if depth == 0:
            if tag == _ROW:
                self.depth = 1
                self._row(attrs)
            return
        depth = self.depth = depth + 1
        if depth == 2:
            self.attrs, self.value, self.captured = attrs, None, False
            self.into, self.where = "", 0
            self.runs, self.plain, self.inline = None, None, False
        elif depth == 3:
            self.inline = False
            if tag == _VALUE and not self.captured:
                self.captured = True
                self._capture("v", depth)
            elif tag == _INLINE and self.runs is None:
                self.runs, self.inline = [], True
        elif depth == 4 and self.inline:
            local = tag.rpartition("}")[2]
            if local == "t":
                self._capture("t", depth)
            elif local == "r":
                self.run = None
                self.into, self.where = "r", depth
        elif depth == 5 and self.inline and self.into == "r" and self.where == 4 and (
                tag.rpartition("}")[2] == "t"):
            self._capture("rt", depth)

    def _capture(self, into: str, depth: int) -> None:
        self.buf, self.grab, self.into, self.where = [], True, into, depth

    def text(self, data: str) -> None:
        if self.grab:
            self.buf.append(data)

    def end(self, tag: str) -> None:
        self.grab = False
        depth = self.depth
        if depth == 0:
            return
        self.depth = depth - 1
        if depth == self.where:
            self._captured(depth)
        if depth == 2:
            self._cell()
        elif depth == 1:
            self.done.append((self.number, self.cells))

    def _captured(self, depth: int) -> None:
        into, text = self.into, "".join(self.buf) or None
        if into == "v":
            self.value = text
        elif into == "t":
            self.plain = text  # the last t, as openpyxl's Text
        elif into == "rt":
            self.run = text
            self.into, self.where = "r", 4  # back in the r
            return
        elif into == "r" and self.runs is not None:
            self.runs.append(self.run)
        self.into, self.where = "", 0

    def _row(self, attrs: dict[str, str]) -> None:
        """``WorkSheetParser.parse_row``'s numbering."""
        if "r" in attrs:
            try:
                self.number = int(attrs["r"])
            except ValueError:
                number = float(attrs["r"])
                if not number.is_integer():
                    raise ValueError(f"{attrs['r']} is not a valid row number") from None
                self.number = int(number)
        else:
            self.number += 1
        self.column = 0
        self.cells = []

    def _cell(self) -> None:
        """``WorkSheetParser.parse_cell`` with ``data_only``."""
        attrs, convert = self.attrs, self.convert
        kind = attrs.get("t", "n")
        coordinate = attrs.get("r")
        style: Any = attrs.get("s", 0)
        if style:
            style = int(style)
        if coordinate:
            self.column = convert.coordinate_to_tuple(coordinate)[1]
        else:
            self.column += 1
        if kind == "inlineStr":
            value: Any = None
            if self.runs is not None:
                parts = [self.plain, *self.runs]
                value = "".join(p for p in parts if p is not None)
        else:
            value = convert.value(kind, style, self.value, coordinate)
        self.cells.append((self.column, value))
