"""E2E-3 (issue 13) the county's count is true, across real workspaces and real files: three
villages in two townships; one child entered twice in its village with a typo in the name,
one child on file in its old and its new village. The township decides ``link`` and
``moved``; both townships relay up; the county's ledger, statistics (ops and ``stats
--json``) and every department list name each child once, urgent children first and
highlighted, names by pinyin within a village; both files of each child keep their whole
history; the village gets the decisions back down and sees the move."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from openpyxl import load_workbook

from surveyapp.cli.main import main
from surveyapp.core import trust
from surveyapp.core.ids import make_resident_id
from surveyapp.core.ledger import PRESETS
from surveyapp.core.store import ChildFilter, Workspace
from surveyapp.ops import children, ledger, relay, review
from surveyapp.ops.batches import export_batch

KEY = bytes.fromhex("e7" * 32)
PW = "county password 1"
COUNTY, T1, T2 = "522422", "522422102", "522422105"
V1, V2, V3 = "522422102201", "522422102202", "522422105201"
ID_LI = make_resident_id("522422", dt.date(2014, 1, 4), 2)
ID_CHEN = make_resident_id("522422", dt.date(2012, 5, 6), 1)


def _ws(tmp_path, role, org):
    return Workspace.create_with_key(tmp_path / f"{org}.sdb", KEY, role=role, org_code=org,
                                     org_name=f"单位{org[-3:]}", user=f"{role}-{org[-3:]}")


def _answers(name, village, idn, day="2026-07-01", **more):
    """A complete screening the form accepts: a left-behind girl (both parents work away)."""
    d = {"survey_date": day, "township_code": village[:9], "village_code": village,
         "residence_type": "rural", "surveyor_name": "王芳", "child_name": name,
         "sex": "female", "ethnicity": "01", "has_id_number": "yes", "id_number": idn,
         "birth_date": f"20{idn[8:10]}-{idn[10:12]}-{idn[12:14]}", "hukou_registered": "yes",
         "hukou_rural": "yes", "school_status": "primary", "school_name": "村小学",
         "health_status": "healthy", "father_name": f"{name[0]}父",
         "father_status": "away_out_province", "father_away_months": 10,
         "mother_name": f"{name[0]}母", "mother_status": "away_out_province",
         "mother_away_months": 10, "carer_type": "grandparent", "carer_name": f"{name[0]}奶奶",
         "carer_health": "good", "risk_signs": "none", "medical_insurance": "yes",
         "consent": "yes"}
    d.update(more)
    return d


_ids = iter(make_resident_id("522422", dt.date(2014, 1, 1) + dt.timedelta(days=37 * n), 20 + n)
            for n in range(100))


def _save(ws, name, village, idn=None, new_anyway=False, **kw):
    answers = _answers(name, village, idn or next(_ids), **kw)
    return children.save_visit(ws, answers, today=dt.date(2026, 7, 10), new_anyway=new_anyway)


@pytest.fixture
def county_chain(tmp_path):
    county = Workspace.create(tmp_path / "county.sdb", role="county", org_code=COUNTY,
                              org_name="大方县", user="wang", password=PW, work_factor=10)
    towns = [_ws(tmp_path, "township", t) for t in (T1, T2)]
    villages = [_ws(tmp_path, "village", v) for v in (V1, V2, V3)]
    trust.init_county(county)
    for device in (*towns, *villages):
        trust.accept_enrollment(device, trust.enroll(county, trust.enroll_request(device)))
    for device in (*towns, *villages):
        trust.apply_update(device, trust.trust_update(county, device.org_code))
    usb = tmp_path / "usb"
    usb.mkdir()
    yield county, towns, villages, usb, tmp_path
    for ws in (county, *towns, *villages):
        ws.close()


def _names(path, column="姓名"):
    # The ledger's township sheets follow its 汇总 sheet; a department list is one sheet.
    book = load_workbook(path)
    sheets = [ws for ws in book.worksheets if ws.title != "汇总"]
    heads = [c.value for c in sheets[0][3]]
    rows = [list(r) for ws in sheets for r in ws.iter_rows(min_row=4)
            if isinstance(r[0].value, int)]
    return heads, rows, [r[heads.index(column)].value for r in rows]


def test_county_counts_persons__link_moved_lists_history(county_chain):  # E2E-3
    county, (t1, t2), (v1, v2, v3), usb, tmp_path = county_chain
    # Village 1: 王丽 twice (the second time as 王莉, same ID number: a typo), 陈小军 before
    # he moved, 孙悦 (urgent), 周梅 (a healthy child whose family's difficulty is 就医).
    li = _save(v1, "王丽", V1, ID_LI, day="2026-06-01")
    # Entered again before the door check existed (or insisted on): the typo file.
    li_typo = _save(v1, "王莉", V1, ID_LI, day="2026-07-02", new_anyway=True,
                    contact_frequency="never")
    chen_old = _save(v1, "陈小军", V1, ID_CHEN, day="2026-03-01", sex="male")
    _save(v1, "孙悦", V1, risk_signs="abuse")
    _save(v1, "周梅", V1, family_difficulty="medical", father_status="at_home",
          mother_status="at_home", carer_type="parent")
    # Village 2: 陈小军 where he lives now, 马兰 (ill, not insured, poor, not on 低保).
    chen_new = _save(v2, "陈小军", V2, ID_CHEN, day="2026-07-01", sex="male")
    _save(v2, "马兰", V2, health_status="ill", medical_insurance="no",
          family_difficulty="living", family_poverty_monitored="yes", family_dibao="no",
          family_tekun="no")
    # Village 3 (the other township): 张伟 and 王芳 (pinyin: wang before zhang, although
    # 张 comes before 王 in character order) and 刘洋 (urgent).
    _save(v3, "张伟", V3)
    _save(v3, "王芳", V3)
    _save(v3, "刘洋", V3, risk_signs="injury")
    children = 8  # distinct children; 10 entries

    for v in (v1, v2):
        relay.import_and_keep(t1, export_batch(v, usb).path)
    relay.import_and_keep(t2, export_batch(v3, usb).path)
    before = ledger.workspace_stats(t1)
    assert before.possible_duplicates == 2 and before.children == 7
    # The statistics workbook says so on its summary sheet.
    written = ledger.export_stats_file(ledger.iter_workspace_rows(t1), tmp_path / "t1.xlsx",
                                       county_name="羊场镇", possible_duplicates=2)
    summary = load_workbook(written.path)["概况"]
    # Below the pie chart (which ends above row 20), so that the chart covers no text.
    assert "2 对疑似重复尚未审核" in str(summary["A21"].value)

    # The township decides: the typo file is the same child (its name taken from the
    # right file); 陈小军 moved to village 2.
    found = {frozenset((c.a, c.b)): c.kind.value for c in review.duplicate_candidates(t1)}
    assert found == {frozenset((li, li_typo)): "same_id", frozenset((chen_old, chen_new)): "moved"}
    review.decide_duplicate(t1, li, li_typo, "link", "姓名录错", fields={"child_name": li})
    review.decide_duplicate(t1, chen_old, chen_new, "moved", "随母亲迁居")
    after = ledger.workspace_stats(t1)
    assert after.possible_duplicates == 0 and after.children == 5

    for t in (t1, t2):
        relay.import_relay(county, relay.export_relay(t, usb).path)

    # ---- the county: persons, not entries ----
    assert county.count_children(None) == 10  # every file is on file ...
    persons = ChildFilter(include_exited=True, persons=True)
    assert county.count_children(persons) == children  # ... and counted once per child
    stats = ledger.workspace_stats(county)
    assert stats.children == children and stats.possible_duplicates == 0
    cat = stats.table("category_by_township")
    assert cat.value(T1, "total") == 5 and cat.value(T2, "total") == 3
    assert cat.column_total("left_behind") == 7  # 周梅 is not left behind
    by_village = stats.table("category_by_village")
    assert (by_village.value(V1, "total"), by_village.value(V2, "total")) == (3, 2)

    out = tmp_path / "out"
    out.mkdir()
    rows = lambda: ledger.iter_workspace_rows(county, ordered=True)  # noqa: E731
    result = ledger.export_ledger_file(rows(), out / "台账.xlsx", county_name="大方县")
    assert result.rows == children
    heads, cells, names = _names(result.path)
    assert sorted(names) == sorted(["王丽", "陈小军", "孙悦", "周梅", "马兰", "张伟", "王芳",
                                    "刘洋"])
    # A sheet per township; in each, urgent first (filled), then by village and pinyin.
    assert names == ["孙悦", "王丽", "周梅", "陈小军", "马兰", "刘洋", "王芳", "张伟"]
    urgent_col = heads.index("强制报告")
    for row in cells:
        filled = (row[0].fill.fgColor.rgb or "").upper().endswith("F8CBAD")
        assert filled == (row[urgent_col].value == "是")
    assert [r[urgent_col].value for r in (cells[0], cells[5])] == ["是", "是"]
    village_col = heads.index("村（居）")
    chen = names.index("陈小军")
    assert cells[chen][village_col].value == county_village_name(V2)

    # Every department list: nobody twice, 强制报告 column, urgent first.
    seen = {}
    for key in PRESETS:
        res = ledger.export_department_file(rows(), out / f"{key}.xlsx", key,
                                            county_name="大方县", role="county")
        heads, cells, names = _names(res.path)
        assert "强制报告" in heads
        assert max(Counter(names).values(), default=1) == 1, key
        flags = [r[heads.index("强制报告")].value == "是" for r in cells]
        assert flags == sorted(flags, reverse=True), key
        seen[key] = names
    assert sorted(seen["volunteers"]) == sorted(["王丽", "陈小军", "孙悦", "马兰", "张伟",
                                                 "王芳", "刘洋"])
    assert seen["police"] == ["孙悦", "刘洋"]
    assert seen["health"] == ["马兰"]  # 周梅's family difficulty 就医 is not her health
    assert seen["unenrolled"] == ["马兰"]
    heads, cells, _ = _names(out / "unenrolled.xlsx")
    gap = cells[0][heads.index("应保未保项目")].value
    assert "未参加医保" in gap and "低保" in gap
    assert "*" in str(cells[0][heads.index("公民身份号码")].value or "*")  # masked by default

    # Both histories are kept and reachable from the one file.
    assert len(county.child_history(li)) == 1 and len(county.child_history(li_typo)) == 2
    files = review.person_files(county, li_typo)
    assert files.person_id == li_typo and [o[0] for o in files.others] == [li]
    person = county.get_child(li_typo)
    assert person.child_name == "王丽" and person.data["contact_frequency"] == "never"
    old = review.person_files(county, chen_old)
    assert old.person_id == chen_new and old.absorbed_by["moved_to"] == V2
    assert [(m.old_record, m.new_record) for m in review.moves(county)] == [(chen_old, chen_new)]
    # Township and county agree on who is one person.
    assert {(f.record_id, f.person_id) for f in county.absorbed_files()} == \
        {(f.record_id, f.person_id) for f in t1.absorbed_files()}

    # The county's own command line says the same.
    county.close()
    return_code, printed = _cli(["stats", "--workspace", str(tmp_path / "county.sdb"),
                                 "--user", "wang", "--json"])
    assert return_code == 0
    data = json.loads(printed)
    assert data["children"] == children and data["possible_duplicates"] == 0
    code, printed = _cli(["ledger", "moves", "--workspace", str(tmp_path / "county.sdb"),
                          "--user", "wang", "--json"])
    assert code == 0 and [m["moved_to"] for m in json.loads(printed)] == [V2]

    # Down to village 1: the old file shows the move and leaves the village's active list.
    down = relay.export_down(t1, V1, usb)
    relay.import_down(v1, down.path)
    active = {r.record_id for r in v1.iter_children(ChildFilter())}
    assert chen_old not in active and li not in active and li_typo in active
    assert review.person_files(v1, chen_old).absorbed_by["moved_on"] == "2026-07-01"


def county_village_name(code):
    return ledger.load_labels().label("village_code", code)


def _cli(argv):
    import contextlib
    import io
    import os

    buf = io.StringIO()
    old = os.environ.get("SURVEYAPP_PASSWORD")
    os.environ["SURVEYAPP_PASSWORD"] = PW
    try:
        with contextlib.redirect_stdout(buf):
            code = main(argv)
    finally:
        if old is None:
            os.environ.pop("SURVEYAPP_PASSWORD", None)
        else:
            os.environ["SURVEYAPP_PASSWORD"] = old
    return code, buf.getvalue()
