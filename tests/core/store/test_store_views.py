"""The children view: columns, filters and search by name, pinyin initials and ID number."""

from __future__ import annotations

from store_helpers import answers

from surveyapp.core.store import ChildFilter, Workspace


def fill(ws: Workspace) -> dict[str, str]:
    ids = {}
    for name, idno, extra in (
        ("张小明", "52242220100101123X", {"risk_level": "high", "urgent_report": "yes",
                                           "follow_up_days": 7}),
        ("张晓红", "522422201103040021", {"is_left_behind": "no", "village_code": "522422102202"}),
        ("李春花", "110101201205060042", {"is_in_difficulty": "yes", "dk_poverty": "yes",
                                           "risk_level": "medium", "follow_up_days": 30}),
    ):
        ids[name] = ws.save_visit(None, answers(name, idno, **extra), form_id="f",
                                  form_version="1").child_id
    return ids


def names(ws: Workspace, flt: ChildFilter) -> list[str]:
    return [r.child_name for r in ws.query_children(flt, 0, 50)]


def test_search_name_prefix__found(raw_store: Workspace) -> None:
    fill(raw_store)
    assert sorted(names(raw_store, ChildFilter(search="张"))) == ["张小明", "张晓红"]
    assert raw_store.count_children(ChildFilter(search="李春")) == 1


def test_search_initials__found(raw_store: Workspace) -> None:
    fill(raw_store)
    assert names(raw_store, ChildFilter(search="ZXM")) == ["张小明"]
    assert sorted(names(raw_store, ChildFilter(search="zx"))) == ["张小明", "张晓红"]


def test_search_id_prefix__found_case_insensitive(raw_store: Workspace) -> None:
    fill(raw_store)
    assert names(raw_store, ChildFilter(search="11010120")) == ["李春花"]
    assert names(raw_store, ChildFilter(search="52242220100101123x")) == ["张小明"]


def test_filters__village_category_risk_urgent(raw_store: Workspace) -> None:
    fill(raw_store)
    assert names(raw_store, ChildFilter(village_code="522422102202")) == ["张晓红"]
    assert names(raw_store, ChildFilter(category="in_difficulty")) == ["李春花"]
    assert names(raw_store, ChildFilter(category="poverty")) == ["李春花"]
    assert sorted(names(raw_store, ChildFilter(category="left_behind"))) == ["张小明", "李春花"]
    assert names(raw_store, ChildFilter(risk_level="high")) == ["张小明"]
    assert names(raw_store, ChildFilter(urgent=True)) == ["张小明"]


def test_follow_up_due__survey_date_plus_days(raw_store: Workspace) -> None:
    ids = fill(raw_store)
    row = raw_store.get_child(ids["张小明"])
    assert row is not None and row.follow_up_due == "2026-07-08"
    assert sorted(names(raw_store, ChildFilter(follow_up_due="2026-07-31"))) == ["张小明", "李春花"]
    assert names(raw_store, ChildFilter(follow_up_due="2026-07-07")) == []


def test_row_columns__from_head(raw_store: Workspace) -> None:
    ids = fill(raw_store)
    row = raw_store.get_child(ids["张小明"])
    assert row is not None
    assert (row.pinyin_initials, row.name_pinyin) == ("zxm", "zhangxiaoming")
    assert (row.village_code, row.township_code, row.sex) == ("522422102201", "522422102", "male")
    assert row.status == "active" and row.last_visit_date == "2026-07-01"
    assert row.data["father_status"] == "away_out_province"


def test_paging__stable_order_no_overlap(raw_store: Workspace) -> None:
    for i in range(7):
        raw_store.save_visit(None, answers(f"王{i}", f"1101012012050600{i}2"), form_id="f",
                             form_version="1")
    pages = [raw_store.query_children(None, off, 3) for off in (0, 3, 6)]
    ids = [r.record_id for p in pages for r in p]
    assert len(ids) == 7 == len(set(ids)) == raw_store.count_children(None)


def test_iter_children__pages_give_the_list_in_order(raw_store: Workspace) -> None:
    fill(raw_store)
    whole = [r.record_id for r in raw_store.query_children(None, 0, 50)]
    for page in (1, 2, 3, 4):
        assert [r.record_id for r in raw_store.iter_children(None, page)] == whole
    only_zhang = [r.child_name for r in raw_store.iter_children(ChildFilter(search="张"), 1)]
    assert sorted(only_zhang) == ["张小明", "张晓红"]
