"""Disk full during a save, an import and an export.

Two kinds of full disk: a real tmpfs (the kernel answers ENOSPC, reaching SQLCipher's C
writes; needs mount rights, CI runs as root) and a patched ``open`` whose files refuse
writes with ENOSPC after N bytes (Python-level writers; runs anywhere). Each time: a clear
coded error, the earlier data intact, the store sound, and no half file in the target folder.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hardening_disk as hd
import pytest
from openpyxl import load_workbook

from surveyapp.core.ledger import FormLabels, export_department, export_ledger
from surveyapp.core.ledger.sample import sample_rows
from surveyapp.core.store import Workspace
from surveyapp.errors import SurveyError

FORM = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"
PASSWORD = "correct horse 1"  # noqa: S105 - a test password
VILLAGE = "522422102201"


@pytest.fixture(scope="module")
def labels() -> FormLabels:
    return FormLabels.from_form(FORM)


def visit(n: int, **more: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "survey_date": "2026-07-01", "township_code": "522422102", "village_code": VILLAGE,
        "child_name": f"测试儿童{n}", "sex": "male", "id_number": f"5224222010{n:08d}",
        "birth_date": "2010-01-01", "is_left_behind": "yes", "risk_level": "low",
        "follow_up_days": 90,
    }
    out.update(more)
    return out


@pytest.fixture
def usb(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs standing in for a small USB stick."""
    try:
        with hd.tiny_disk(tmp_path / "usb", "3m") as folder:
            yield folder
    except PermissionError as err:
        pytest.skip(f"cannot mount a tmpfs here: {err}")


def new_workspace(path: Path) -> Workspace:
    return Workspace.create(path, role="village", org_code=VILLAGE, org_name="测试村",
                            user="wang", password=PASSWORD, work_factor=10)


def store_files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name != ".filler"}


# --- the store on a real full disk -----------------------------------------------------------
@pytest.mark.slow
def test_save_on_full_disk__store_018_earlier_saves_intact(usb: Path) -> None:
    ws = new_workspace(usb / "village.sdb")
    saved = [ws.save_visit(None, visit(n), form_id="f", form_version="1").child_id
             for n in range(5)]
    hd.fill(usb, leave=64 * 1024)
    with pytest.raises(SurveyError) as caught:
        for n in range(5, 500):
            saved.append(ws.save_visit(None, visit(n, remarks="备注" * 3000), form_id="f",
                                       form_version="1").child_id)
    assert caught.value.code.name == "STORE_018"
    assert "space" in str(caught.value.context["reason"]).lower()
    ws.close()
    assert store_files(usb) <= {"village.sdb", "village.sdb-wal", "village.sdb-shm",
                                "village.sdb.keys.json"}
    (usb / ".filler").unlink()
    with Workspace.open(usb / "village.sdb", "wang", PASSWORD) as ws:
        assert ws.integrity_errors() == []
        assert ws.verify_audit() is None
        assert ws.count_children(None) == len(saved)  # every returned save, no more
        assert all(ws.get_child(c) is not None for c in saved)


@pytest.mark.slow
def test_import_on_full_disk__store_018_all_or_nothing(tmp_path: Path, usb: Path) -> None:
    with new_workspace(tmp_path / "township.sdb") as source:
        for n in range(120):
            source.save_visit(None, visit(n, remarks="说明" * 400), form_id="f", form_version="1")
        revisions = [rev for _, rev in source.iter_revisions()]
    target = new_workspace(usb / "county.sdb")
    target.save_visit(None, visit(9999), form_id="f", form_version="1")
    before = target.count_children(None)
    hd.fill(usb, leave=96 * 1024)
    with pytest.raises(SurveyError) as caught:
        target.insert_revisions(revisions)
    assert caught.value.code.name == "STORE_018"
    assert target.count_children(None) == before
    target.close()
    (usb / ".filler").unlink()
    with Workspace.open(usb / "county.sdb", "wang", PASSWORD) as ws:
        assert ws.integrity_errors() == []
        assert ws.count_children(None) == before
        assert ws.insert_revisions(revisions).inserted == len(revisions)  # room again: all in


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_to_full_usb_stick__io_001_no_half_file(
    usb: Path, labels: FormLabels, fmt: str
) -> None:
    earlier = usb / f"台账.{fmt}"
    export_ledger(sample_rows(20), earlier, labels=labels, county_name="测试县", fmt=fmt)
    kept = earlier.read_bytes()
    hd.fill(usb, leave=16 * 1024)
    with pytest.raises(SurveyError) as caught:
        export_ledger(sample_rows(3000), earlier, labels=labels, county_name="测试县", fmt=fmt,
                      overwrite=True)
    assert caught.value.code.name == "IO_001"
    assert store_files(usb) == {earlier.name}  # no temporary or half file left beside it
    assert earlier.read_bytes() == kept


# --- exports with a patched write path (runs without mount rights) -------------------------
LIMITS = [0, 700, 20_000, 150_000]


def assert_no_half_file(folder: Path, before: set[str]) -> None:
    assert {p.name for p in folder.iterdir()} == before


@pytest.mark.parametrize("limit", LIMITS)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_ledger_export_disk_full_after_n_bytes__io_001_no_half_file(
    tmp_path: Path, labels: FormLabels, fmt: str, limit: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / f"ledger.{fmt}"
    export_ledger(sample_rows(10), earlier, labels=labels, county_name="测试县", fmt=fmt)
    kept = earlier.read_bytes()
    before = {p.name for p in out.iterdir()}
    with hd.enospc_after(limit, out) as budget, pytest.raises(SurveyError) as caught:
        export_ledger(sample_rows(2000), earlier, labels=labels, county_name="测试县",
                      fmt=fmt, overwrite=True)
    assert budget.tripped
    assert caught.value.code.name == "IO_001", caught.value
    assert_no_half_file(out, before)
    assert earlier.read_bytes() == kept
    if fmt == "xlsx":
        with zipfile.ZipFile(earlier) as archive:
            assert archive.testzip() is None
        book = load_workbook(earlier, read_only=True)
        assert book.sheetnames
        book.close()
    else:
        with earlier.open(encoding="utf-8-sig", newline="") as fh:
            assert len(list(csv.reader(fh))) == 11


@pytest.mark.parametrize("limit", [0, 5_000, 60_000])
def test_department_export_disk_full__io_001_no_half_file(
    tmp_path: Path, labels: FormLabels, limit: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with hd.enospc_after(limit, out), pytest.raises(SurveyError) as caught:
        export_department(sample_rows(1500), out / "education.xlsx", "education",
                          labels=labels, county_name="测试县", role="county")
    assert caught.value.code.name == "IO_001", caught.value
    assert_no_half_file(out, set())
