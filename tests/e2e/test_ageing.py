"""Children grow up: ages and the age-bound categories as of the report's date.

Four rural children, both parents away working, each disabled, were visited on 2026-07-01.
On the report date 2027-07-01 they are 15y11m, 16y1m, 17y11m and 18y1m. Every expected
number below was worked out by hand from the birth dates (FORM-SPEC: 留守 under 16,
every 困境 category and 事实无人抚养 under 18), not with the code under test:

| child | born | age at visit | age on 2027-07-01 | 留守 then / now | 困境 then / now |
|---|---|---|---|---|---|
| 甲 | 2011-08-01 | 14 | 15 (16 on 2027-08-01) | yes / yes | yes / yes |
| 乙 | 2011-06-01 | 15 | 16 (since 2027-06-01) | yes / no | yes / yes |
| 丙 | 2009-08-01 | 16 | 17 (18 on 2027-08-01) | no / no | yes / yes |
| 丁 | 2009-06-01 | 17 | 18 (since 2027-06-01) | no / no | yes / no |
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from ageworld import BORN, VILLAGE, answers
from surveyapp.cli.main import main
from surveyapp.core.store import Workspace

PW = "ageing-pass-1"
AS_OF = "2027-07-01"


@pytest.fixture
def village(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    path = tmp_path / "v.sdb"
    Workspace.create(path, role="village", org_code=VILLAGE, org_name="测试村", user="wang",
                     password=PW, work_factor=10).close()
    ids = {}
    for name, birth in BORN.items():
        file = tmp_path / f"{name}.json"
        file.write_text(json.dumps(answers(name, birth), ensure_ascii=False), "utf-8")
        assert main(["children", "visit", str(path), "--user", "wang", "--answers", str(file),
                     "--json"]) == 0
        ids[name] = json.loads(capsys.readouterr().out)["record_id"]

    def run(*argv: Any) -> Any:
        assert main([str(a) for a in argv]) == 0
        return json.loads(capsys.readouterr().out)

    return path, ids, run


def test_stored_at_visit__as_the_form_said_then(village):
    path, _, run = village
    rows = run("children", "list", path, "--user", "wang", "--as-of", "2026-07-01", "--json")
    got = {r["child_name"][1]: (r["age_years"], r["is_left_behind"], r["is_in_difficulty"])
           for r in rows}
    assert got == {"甲": ("14", "yes", "yes"), "乙": ("15", "yes", "yes"),
                   "丙": ("16", "no", "yes"), "丁": ("17", "no", "yes")}


def test_stats_and_list_as_of_a_year_later(village):
    path, _, run = village
    stats = run("stats", "--workspace", path, "--user", "wang", "--as-of", AS_OF, "--json")
    assert stats["children"] == 4 and stats["as_of"] == AS_OF
    cat = stats["tables"]["category_by_township"]
    counts = dict(zip(cat["columns"], cat["rows"][VILLAGE[:9]], strict=True))
    assert counts["total"] == 4
    assert counts["left_behind"] == 1  # 甲 only
    assert counts["in_difficulty"] == 3  # not 丁 (18)
    assert counts["disability"] == 3
    assert counts["both"] == 1
    ages = stats["tables"]["age_by_township"]
    by_band = dict(zip(ages["columns"], ages["rows"][VILLAGE[:9]], strict=True))
    assert by_band == {"0–5岁": 0, "6–11岁": 0, "12–15岁": 1, "16–17岁": 2, "18岁及以上": 1,
                       "年龄不详": 0}

    rows = run("children", "list", path, "--user", "wang", "--as-of", AS_OF, "--json")
    got = {r["child_name"][1]: (r["age_years"], r["is_left_behind"], r["is_in_difficulty"])
           for r in rows}
    assert got == {"甲": ("15", "yes", "yes"), "乙": ("16", "no", "yes"),
                   "丙": ("17", "no", "yes"), "丁": ("18", "no", "no")}
    lb = run("children", "list", path, "--user", "wang", "--as-of", AS_OF,
             "--category", "left_behind", "--json")
    assert [r["child_name"] for r in lb] == ["张甲"]


def test_every_stats_table_adds_up_to_the_children(village):
    path, _, run = village
    stats = run("stats", "--workspace", path, "--user", "wang", "--as-of", AS_OF, "--json")
    children = stats["children"]
    assert children == 4
    for key, table in stats["tables"].items():
        if table["note"]:
            continue  # columns overlap, and the table says so
        total = sum(sum(values) for values in table["rows"].values())
        assert total == children, key
    cat = stats["tables"]["category_by_township"]
    assert sum(r[cat["columns"].index("total")] for r in cat["rows"].values()) == 4
    cov = stats["tables"]["coverage_by_township"]
    assert sum(r[cov["columns"].index("children")] for r in cov["rows"].values()) == 4
    assert {k for k, t in stats["tables"].items() if not t["note"]} >= {
        "risk_by_township", "sex_by_township", "age_by_township", "school_by_township"}


def test_stats_workbook_states_overlapping_columns(village, tmp_path: Path):
    path, _, run = village
    out = tmp_path / "stats.xlsx"
    run("stats", "--workspace", path, "--user", "wang", "--as-of", AS_OF, "--xlsx", out,
        "--json")
    notes = {sheet.title: [c.value for row in sheet.iter_rows() for c in row
                           if isinstance(c.value, str) and c.value.startswith("注：")]
             for sheet in load_workbook(out).worksheets}
    assert sum(1 for found in notes.values() if found) >= 4
    assert any("各列不相加" in n for found in notes.values() for n in found)


def test_ageing_out_worklist(village):
    path, _, run = village
    rows = run("children", "list", path, "--user", "wang", "--ageing-out", "--as-of", AS_OF,
               "--json")
    got = {r["child_name"][1]: (r["age"], r["limit"], r["rule"], r["on"], r["reached"])
           for r in rows}
    assert got == {
        "甲": (15, 16, "left_behind", "2027-08-01", False),
        "乙": (16, 16, "left_behind", "2027-06-01", True),
        "丙": (17, 18, "minor", "2027-08-01", False),
        "丁": (18, 18, "minor", "2027-06-01", True),
    }
    assert [r["on"] for r in rows] == sorted(r["on"] for r in rows)
    soon = run("children", "list", path, "--user", "wang", "--ageing-out", "--as-of", AS_OF,
               "--within", "20", "--json")
    assert {r["child_name"][1] for r in soon} == {"乙", "丁"}


def test_ledger_and_volunteers_list_as_of(village, tmp_path: Path, printed_table):
    path, _, run = village
    out = tmp_path / "ledger.xlsx"
    run("ledger", "export", "--workspace", path, "--user", "wang", out, "--as-of", AS_OF,
        "--json")
    # The children of the township sheets (after 汇总), without the signature lines.
    _, table = printed_table(out)
    rows = {r["姓名"]: r for r in table}
    assert {n[1]: (r["年龄"], r["留守儿童"], r["困境儿童"]) for n, r in rows.items()} == {
        "甲": (15, "是", "是"), "乙": (16, "否", "是"), "丙": (17, "否", "是"),
        "丁": (18, "否", "否")}
    care = tmp_path / "volunteers.xlsx"
    result = run("export", "department", "--preset", "volunteers", "--workspace", path,
                 "--user", "wang", care, "--as-of", AS_OF, "--json")
    assert result["rows"] == 1  # 甲 is the only child still under 16


def test_exit_aged_out_checked(village, capsys):
    path, ids, _ = village
    # 丙 (born 2009-08-01) is 17 on 2026-11-01: not aged out. Exit dates must be in the
    # past, so the test uses dates before its own run.
    assert main(["children", "exit", str(path), ids["丙"], "--reason", "aged_out", "--date",
                 "2026-11-01", "--user", "wang"]) == 1
    assert "STORE_023" in capsys.readouterr().err
    assert main(["children", "exit", str(path), ids["丙"], "--reason", "moved_away",
                 "--date", "notadate", "--user", "wang"]) == 1
    assert "STORE_021" in capsys.readouterr().err
    assert main(["children", "exit", str(path), ids["丙"], "--reason", "moved_away",
                 "--date", "2026-11-01", "--user", "wang"]) == 0
    capsys.readouterr()
    assert main(["children", "exit", str(path), ids["丙"], "--reason", "other",
                 "--date", "2026-11-02", "--user", "wang"]) == 1
    assert "STORE_022" in capsys.readouterr().err
