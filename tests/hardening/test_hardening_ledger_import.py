"""Hostile ledger files given to the ledger import (台账导入): a zip whose directory claims
65,535 parts, a pipe, XML with entities, a truncated workbook. Each is refused with
LEDIN_023 (or IO_002) and leaves the store unchanged."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from hostile_zip import hostile_zip

from ledgerin_world import foreign_rows, make_ws, store_state, write_foreign
from surveyapp.core.ledgerin import LedgerInCode
from surveyapp.errors import SurveyError
from surveyapp.ops.ledgerin import import_ledger


def _refused(tmp_path: Path, path: Path) -> SurveyError:
    ws = make_ws(tmp_path, "county")
    before = store_state(ws)
    with pytest.raises(SurveyError) as err:
        import_ledger(ws, path)
    assert store_state(ws) == before
    ws.close()
    return err.value


def test_zip_directory_claiming_65535_parts(tmp_path: Path) -> None:
    path = hostile_zip(tmp_path / "台账.xlsx", 70_000, zip64=False)
    err = _refused(tmp_path, path)
    assert err.code is LedgerInCode.LEDIN_023 and "entries" in err.message("en")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX pipes")
def test_a_pipe_named_xlsx__refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    os.mkfifo(path)
    assert _refused(tmp_path, path).code is LedgerInCode.LEDIN_023


def test_billion_laughs_in_the_sheet_xml(tmp_path: Path) -> None:
    good = write_foreign(tmp_path / "good.xlsx", foreign_rows(3))
    path = tmp_path / "台账.xlsx"
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                         else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                b'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is>'
                b"</c></row></sheetData></worksheet>")
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, laughs if item.filename == "xl/worksheets/sheet1.xml" else data)
    assert _refused(tmp_path, path).code is LedgerInCode.LEDIN_023


def test_truncated_workbook(tmp_path: Path) -> None:
    good = write_foreign(tmp_path / "good.xlsx", foreign_rows(3))
    path = tmp_path / "台账.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert _refused(tmp_path, path).code is LedgerInCode.LEDIN_023


def test_hostile_files_with_a_progress_bar__refused_before_counting_rows(tmp_path: Path) -> None:
    """The progress bar's row count reads the file only after the reader's checks."""
    ws = make_ws(tmp_path, "county")
    bomb = hostile_zip(tmp_path / "台账.xlsx", 70_000, zip64=False)
    with pytest.raises(SurveyError) as err:
        import_ledger(ws, bomb, progress=lambda d, t: None)
    assert err.value.code is LedgerInCode.LEDIN_023
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "台账.csv"
        os.mkfifo(pipe)
        with pytest.raises(SurveyError) as err:
            import_ledger(ws, pipe, progress=lambda d, t: None)
        assert err.value.code is LedgerInCode.LEDIN_023
