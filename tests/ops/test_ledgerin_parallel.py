"""LEDGER-IN with the rows read and checked in a second process (issue 20, "fast"):
the same outcomes, problems and report as in one process, duplicates against the
children on file found there too, cancel writing nothing and stopping that process, and
an error of the file coming back coded."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from pathlib import Path

import pytest

from ledgerin_world import (
    FOREIGN_MAPPING,
    foreign_rows,
    make_ws,
    store_state,
    write_foreign,
    write_mapping,
    wrong_check_digit,
)
from surveyapp.core.ledgerin import LedgerInCode
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops import ledgerin as ops_ledgerin
from surveyapp.ops.ledgerin import import_ledger


def _children() -> set[int]:
    """The processes this one started that are still there (Linux)."""
    pid = os.getpid()
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


def _problems(result) -> list[dict]:
    return [p.to_dict() for p in result.summary.problems]


def _messy(tmp_path: Path, n: int = 40) -> Path:
    rows = foreign_rows(n)
    rows[5][4] = wrong_check_digit(rows[5][4])          # row 9: wrong check digit
    rows[7][6] = "不存在村"                               # row 11: unknown village
    rows[9][3] = "2015年13月40日"                         # row 13: not a date
    rows[11][1:5] = rows[10][1:5]                        # row 15: the child of row 14
    rows[12][2] = "未知"                                  # row 16: not in the list
    return write_foreign(tmp_path / "messy.xlsx", rows)


def test_second_process__same_outcomes_report_and_store_as_one_process(tmp_path):
    path = _messy(tmp_path)
    mapping = write_mapping(tmp_path / "map.json")
    today = dt.date(2026, 12, 7)
    one, two = make_ws(tmp_path, "one"), make_ws(tmp_path, "two")
    here = import_ledger(one, path, mapping=mapping, valid_only=True, today=today,
                         parallel=False, report=tmp_path / "here.json", keep_rows=50)
    there = import_ledger(two, path, mapping=mapping, valid_only=True, today=today,
                          parallel=True, report=tmp_path / "there.json", keep_rows=50)
    assert here.summary.counts() == there.summary.counts()
    assert there.summary.written and there.summary.refused == 4
    assert there.summary.duplicates == 1
    assert _problems(there) == _problems(here) and len(_problems(there)) == 5
    assert (tmp_path / "there.json").read_bytes() == (tmp_path / "here.json").read_bytes()
    assert [(o.row, o.status, o.answers) for o in there.preview] == [
        (o.row, o.status, o.answers) for o in here.preview]
    names = sorted(c.child_name for c in one.iter_children(None))
    assert sorted(c.child_name for c in two.iter_children(None)) == names
    assert len(names) == 40 - 5
    # The children now on file travel to the second process: every row a duplicate.
    again = import_ledger(two, path, mapping=mapping, today=today, parallel=True)
    assert not again.summary.written and two.count_children() == len(names)
    assert {p.code for p in again.summary.problems
            if p.severity == "duplicate"} == {LedgerInCode.LEDIN_012}
    assert again.summary.duplicates == 40 - 4  # row 15 too: its child is on file now
    assert _children() == set()


def test_second_process__refused_row_writes_nothing(tmp_path):
    path = _messy(tmp_path, 14)
    ws = make_ws(tmp_path, "county")
    before = store_state(ws)
    result = import_ledger(ws, path, mapping=write_mapping(tmp_path / "map.json"),
                           parallel=True)
    assert not result.summary.written and result.summary.refused == 4
    assert store_state(ws) == before


def test_second_process__cancel_writes_nothing_and_stops_it(tmp_path):
    path = write_foreign(tmp_path / "big.xlsx", foreign_rows(600))
    ws = make_ws(tmp_path, "county")
    before = store_state(ws)
    seen: list[tuple[int, int]] = []
    with pytest.raises(SurveyError) as err:
        import_ledger(ws, path, mapping=write_mapping(tmp_path / "map.json"),
                      parallel=True, progress=lambda d, t: seen.append((d, t)),
                      cancel=lambda: len(seen) > 1)
    assert err.value.code is CommonCode.CANCELLED
    assert store_state(ws) == before and seen[0] == (100, 603)
    assert _children() == set()


def test_second_process__error_in_the_file_comes_back_coded(tmp_path):
    """A CSV that is UTF-8 for its first megabyte (what the encoding is judged on) and
    then is not: the second process's LEDIN_023 is raised here, nothing written."""
    path = tmp_path / "名册.csv"
    sub = ["序号", "姓名", "性别", "出生日期", "身份证号", "乡镇", "村", "父亲", "母亲",
           "监护人", "是否留守", "排查日期"]
    rows = foreign_rows(9000)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(sub)
        for r in rows:
            writer.writerow([x.isoformat() if isinstance(x, dt.date) else x for x in r])
    assert path.stat().st_size > 1 << 20
    with path.open("ab") as handle:
        handle.write("9001,王二,男,2015-01-01,,大方,村\n".encode("gb18030"))
    mapping = json.loads(json.dumps(FOREIGN_MAPPING))
    mapping["columns"] |= {"父亲": "father_status", "母亲": "mother_status"}
    del mapping["columns"]["父母情况父亲"], mapping["columns"]["父母情况母亲"]
    ws = make_ws(tmp_path, "county")
    before = store_state(ws)
    with pytest.raises(SurveyError) as err:
        import_ledger(ws, path, mapping=write_mapping(tmp_path / "m.json", mapping),
                      parallel=True)
    assert err.value.code is LedgerInCode.LEDIN_023
    assert str(path) in err.value.message("en")
    assert store_state(ws) == before
    assert _children() == set()


def test_second_process__chosen_for_large_files_and_a_free_core_only(monkeypatch):
    monkeypatch.setattr(ops_ledgerin.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(ops_ledgerin.os, "getloadavg", lambda: (0.4, 0.4, 0.4))
    assert ops_ledgerin._second_process(None, ops_ledgerin.PARALLEL_AT)
    monkeypatch.setattr(ops_ledgerin.os, "getloadavg", lambda: (1.8, 0.4, 0.4))
    assert not ops_ledgerin._second_process(None, ops_ledgerin.PARALLEL_AT)
    monkeypatch.setattr(ops_ledgerin.os, "getloadavg", lambda: (0.4, 0.4, 0.4))
    assert not ops_ledgerin._second_process(None, ops_ledgerin.PARALLEL_AT - 1)
    assert not ops_ledgerin._second_process(False, 10**6)
    assert ops_ledgerin._second_process(True, 10)
    monkeypatch.setattr(ops_ledgerin.os, "cpu_count", lambda: 1)
    assert not ops_ledgerin._second_process(None, 10**6)


def test_second_process__stopped_when_the_writing_fails(tmp_path, monkeypatch):
    """A failure on this side (here: building a row's revisions) stops the second
    process and writes nothing."""
    path = write_foreign(tmp_path / "big.xlsx", foreign_rows(4000))  # it is still reading
    ws = make_ws(tmp_path, "county")
    before = store_state(ws)
    real = ops_ledgerin._visit_revisions
    done: list[int] = []

    def failing(*args, **kwargs):
        done.append(1)
        if len(done) == 20:
            raise OSError("disk gone")
        return real(*args, **kwargs)

    monkeypatch.setattr(ops_ledgerin, "_visit_revisions", failing)
    with pytest.raises(OSError, match="disk gone"):
        import_ledger(ws, path, mapping=write_mapping(tmp_path / "map.json"), parallel=True)
    assert _children() == set()
    assert store_state(ws) == before
