"""Files beside a form: choice lists (``select_one_from_file x.csv``) and ``pulldata()``.

A county's list of all its villages is a CSV next to the form. ``read_table`` reads a
UTF-8 CSV (a BOM is allowed) or an ODK XML list (``<root><item><name>…``) into rows of
``{column: text}``. Every file read is hashed, so that the form's version covers the files
it travels with (:attr:`Form.attachments`).
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_ROWS = 200_000

Row = dict[str, str]


class FileProblem(Exception):
    """A file that is missing (``missing``) or cannot be read (``reason``)."""

    def __init__(self, reason: str, *, missing: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing


def locate(folder: Path | None, name: str) -> Path:
    """The file ``name`` in ``folder`` (a bare file name: no folders, no ``..``).

    :raises FileProblem: when there is no such file.
    """
    if folder is None or not name or Path(name).name != name or name in (".", ".."):
        raise FileProblem("missing", missing=True)
    path = folder / name
    if not path.is_file():
        raise FileProblem("missing", missing=True)
    return path


def read_table(path: Path) -> tuple[list[Row], str]:
    """The rows of a .csv or .xml list, and the file's SHA-256 (hex).

    :raises FileProblem: when the file is too large or not a readable list.
    """
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FileProblem("larger than 16 MB / 文件超过 16 MB")
        data = path.read_bytes()
    except OSError as err:
        raise FileProblem(err.strerror or "unreadable") from None
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() == ".xml":
        return _xml_rows(data), digest
    return _csv_rows(data), digest


def _csv_rows(data: bytes) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem("not UTF-8 / 不是 UTF-8 编码") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise FileProblem("empty / 文件为空") from None
    except csv.Error as err:
        raise FileProblem(str(err)) from None
    rows: list[Row] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            rows.append({h: c.strip() for h, c in zip(header, cells, strict=False) if h})
            if len(rows) > MAX_ROWS:
                raise FileProblem("more than 200000 rows / 超过 200000 行")
    except csv.Error as err:
        raise FileProblem(str(err)) from None
    return rows


def _xml_rows(data: bytes) -> list[Row]:
    try:
        root: Element = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as err:
        raise FileProblem(f"not well-formed XML / XML 格式错误: {err}") from None
    rows = [{child.tag: (child.text or "").strip() for child in item} for item in root.iter("item")]
    if len(rows) > MAX_ROWS:
        raise FileProblem("more than 200000 rows / 超过 200000 行")
    return rows
