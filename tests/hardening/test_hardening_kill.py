"""kill -9 during a bulk import and during a ledger export, at random moments, 60 times.

The work runs in a process forked from a pre-warmed zygote (``hardening_zygote.py``) and is
killed with SIGKILL 5-300 ms after it starts. Each time: the workspace opens, SQLite's and
SQLCipher's integrity checks pass, the import is all or nothing, and the export target either
does not exist or is a complete, valid file (a leftover temporary never has the export's name).
"""

from __future__ import annotations

import csv
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hardening_kill import Zygote, outcome
from openpyxl import load_workbook

from surveyapp.core.store import Workspace

PASSWORD = "correct horse 1"  # noqa: S105 - a test password
IMPORT_RUNS = 50
EXPORT_RUNS = 50
PER_IMPORT = 300
CHILDREN = 120  # in the exported workspace


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    z = Zygote()
    yield z
    z.close()


def new_workspace(path: Path) -> Workspace:
    return Workspace.create(path, role="county", org_code="522422", org_name="测试县",
                            user="wang", password=PASSWORD, work_factor=10)


@pytest.mark.slow
def test_kill_during_bulk_import__intact_and_all_or_nothing(
    tmp_path: Path, zygote: Zygote
) -> None:
    path = tmp_path / "county.sdb"
    new_workspace(path).close()
    rng = random.Random(4242)
    expected = 0
    seen = {"killed": 0, "finished": 0}
    longest = 0.3
    for run in range(IMPORT_RUNS):
        # The first run is not killed: it proves a whole import lands, and times one, so
        # that the kills spread over the import even on a slow or busy machine.
        delay = None if run == 0 else rng.uniform(0.005, longest)
        status, took = zygote.run_and_kill(["import", str(path), PASSWORD, run, PER_IMPORT],
                                           delay)
        seen[outcome(status)] += 1
        if run == 0:
            longest = min(0.3, took * 1.3)
        with Workspace.open(path, "wang", PASSWORD) as ws:
            assert ws.integrity_errors() == [], f"run {run}"
            after = ws.count_children(None)
            assert after in (expected, expected + PER_IMPORT), f"run {run}: {after}"
            if after == expected + PER_IMPORT:
                assert ws.get_child(f"c-{run}-0") is not None
                assert ws.get_child(f"c-{run}-{PER_IMPORT - 1}") is not None
            else:
                assert ws.get_child(f"c-{run}-0") is None
            expected = after
            assert ws.verify_audit() is None
    # Both outcomes happened: some kills landed inside an import, some imports completed.
    assert seen["killed"] >= 5, seen
    assert expected >= PER_IMPORT, seen


def check_export(target: Path, fmt: str, children: int) -> str:
    if not target.exists():
        return "absent"
    if fmt == "csv":
        with target.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert len(rows) == children + 1
    else:
        with zipfile.ZipFile(target) as archive:
            assert archive.testzip() is None
        book = load_workbook(target, read_only=True)
        try:
            # The ledger: a 汇总 sheet, then a sheet per township of numbered rows.
            data_rows = sum(1 for sheet in book.worksheets[1:]
                            for row in sheet.iter_rows(min_row=4, values_only=True)
                            if isinstance(row[0], int))
        finally:
            book.close()
        assert data_rows == children
    return "complete"


@pytest.mark.slow
def test_kill_during_ledger_export__target_absent_or_complete(
    tmp_path: Path, zygote: Zygote
) -> None:
    import hardening_zygote as hz

    path = tmp_path / "county.sdb"
    with new_workspace(path) as ws:
        ws.insert_revisions(hz.child_revisions(1, CHILDREN))
    rng = random.Random(777)
    seen = {"absent": 0, "complete": 0}
    longest = {"xlsx": 0.3, "csv": 0.3}
    for run in range(EXPORT_RUNS):
        fmt = "xlsx" if run % 2 else "csv"
        out = tmp_path / f"usb{run}"
        out.mkdir()
        target = out / f"台账.{fmt}"
        delay = None if run < 2 else rng.uniform(0.005, longest[fmt])
        status, took = zygote.run_and_kill(["export", str(path), PASSWORD, str(target), fmt],
                                           delay)
        if run < 2:
            longest[fmt] = min(0.3, took * 1.3)
        result = check_export(target, fmt, CHILDREN)
        seen[result] += 1
        if outcome(status) == "finished":
            assert result == "complete"
        # A killed export may leave its hidden temporary behind, never a file with the name
        # or extension of an export.
        for leftover in out.iterdir():
            if leftover != target:
                assert leftover.suffix not in (".xlsx", ".csv"), leftover.name
        with Workspace.open(path, "wang", PASSWORD) as ws:
            assert ws.integrity_errors() == [], f"run {run}"
            assert ws.count_children(None) == CHILDREN
    assert seen["absent"] >= 5 and seen["complete"] >= 2, seen
