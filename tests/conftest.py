"""Shared test setup: Qt runs offscreen; the UI language is Chinese unless a test says otherwise.

With ``SURVEYAPP_REQUIRE_TOOLS=1`` (``scripts/test``, hence CI) the run fails at once when
Debian's ``age`` or ``minisign`` (or LibreOffice's ``soffice`` and poppler's ``pdftotext``
and ``pdfinfo``, which print the ledger) is missing, instead of skipping the interop tests.
"""

import os
import shutil

import pytest

INTEROP_TOOLS = ("age", "minisign", "soffice", "pdftotext", "pdfinfo")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SURVEYAPP_LANG", "zh_CN")


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("SURVEYAPP_REQUIRE_TOOLS") != "1":
        return
    missing = [tool for tool in INTEROP_TOOLS if shutil.which(tool) is None]
    if missing:
        raise pytest.UsageError(
            f"SURVEYAPP_REQUIRE_TOOLS=1 but {', '.join(missing)} not installed: the interop "
            "tests would be skipped (apt-get install age minisign libreoffice-calc "
            "poppler-utils fonts-noto-cjk)")


def _printed_table(path, sheet=None):
    """The header and data rows of a list laid out for paper (the 台账: every township
    sheet after 汇总, in order; a department list: its 名单 sheet). Data rows start at
    row 4 and are those numbered in 序号; the legend and signature lines after them are not."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheets = [book[sheet]] if sheet else [ws for ws in book.worksheets if ws.title != "汇总"]
    head: list = []
    table: list[dict] = []
    for ws in sheets:
        head = [c.value for c in ws[3]]
        for row in ws.iter_rows(min_row=4):
            if isinstance(row[0].value, int):
                table.append(dict(zip(head, (c.value for c in row), strict=True)))
    return head, table


@pytest.fixture
def printed_table():
    """``printed_table(path, sheet=None) -> (header, [row dict, ...])``."""
    return _printed_table
