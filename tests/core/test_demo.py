"""The demo county: deterministic, consistent with the form, and covering every category."""

from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from surveyapp.core.demo import (
    COUNTY,
    PROFILE_FLAG,
    PROFILES,
    TOWNSHIPS,
    VILLAGES,
    DemoChild,
    DemoCounty,
    generate_demo,
)
from surveyapp.core.ids import is_valid_admin_code, is_valid_phone, is_within, parse_resident_id

FORM = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"
TODAY = dt.date(2026, 11, 23)
CATEGORY_FLAGS = (
    "is_left_behind",
    "is_orphan",
    "is_unsupported",
    "is_in_difficulty",
    "urgent_report",
)


@pytest.fixture(scope="module")
def county() -> DemoCounty:
    return generate_demo(seed=2016, children=2000, today=TODAY)


def test_same_seed__same_county(county: DemoCounty):
    assert generate_demo(seed=2016, children=2000, today=TODAY) == county


def test_other_seed__other_county(county: DemoCounty):
    other = generate_demo(seed=7, children=2000, today=TODAY)
    assert other.children[0].visits[0].answers != county.children[0].visits[0].answers


def test_size__children_households_org_units(county: DemoCounty):
    assert len(county.children) == 2000
    assert len(county.townships) == 3 and len(county.villages) == 12
    keys = [c.key for c in county.children]
    assert len(set(keys)) == len(keys)
    members = [k for h in county.households for k in h.child_keys]
    assert sorted(members) == sorted(keys)
    assert {len(h.child_keys) for h in county.households} <= {1, 2, 3}


def test_small_county__exact_count_and_every_profile():
    small = generate_demo(seed=1, children=30, today=TODAY)
    assert len(small.children) == 30
    assert {c.profile for c in small.children} == set(PROFILES)
    assert generate_demo(seed=1, children=0, today=TODAY).children == ()


def test_org_unit_codes__valid_and_nested():
    assert is_valid_admin_code(COUNTY.code, "county")
    for town in TOWNSHIPS:
        assert is_within(town.code, COUNTY.code) and len(town.code) == 9
    for village in VILLAGES:
        assert village.parent is not None and is_within(village.code, village.parent)
        assert len(village.code) == 12


def test_org_units__match_the_form_choices():
    wb = load_workbook(FORM, read_only=True)
    try:
        rows = list(wb["choices"].iter_rows(values_only=True))
    finally:
        wb.close()
    header = list(rows[0])
    col = {name: header.index(name) for name in ("list_name", "name", "label::zh", "township")}
    form_towns = {(r[col["name"]], r[col["label::zh"]]) for r in rows[1:] if r[0] == "township"}
    form_villages = {
        (r[col["name"]], r[col["label::zh"]], r[col["township"]])
        for r in rows[1:]
        if r[0] == "village"
    }
    assert form_towns == {(t.code, t.name) for t in TOWNSHIPS}
    assert form_villages == {(v.code, v.name, v.parent) for v in VILLAGES}


def test_children__place_matches_answers(county: DemoCounty):
    villages = {v.code: v for v in VILLAGES}
    for child in county.children:
        for visit in child.visits:
            a = visit.answers
            assert a["village_code"] == child.village_code
            assert a["township_code"] == child.township_code == villages[child.village_code].parent
            assert a["survey_date"] == visit.survey_date.isoformat()


def test_id_numbers__valid_and_agree_with_birth_and_sex(county: DemoCounty):
    without_id = 0
    for child in county.children:
        a = child.visits[0].answers
        if a["has_id_number"] == "no":
            assert "id_number" not in a and a["no_id_reason"]
            without_id += 1
            continue
        rid = parse_resident_id(a["id_number"])
        assert rid.birth_date.isoformat() == a["birth_date"]
        assert rid.sex == a["sex"]
    assert 0 < without_id < len(county.children) // 10


def test_parent_and_carer_ids__valid_and_agree_with_sex(county: DemoCounty):
    found = collections.Counter()
    for child in county.children:
        a = child.visits[0].answers
        for key, sex in (("father_id_number", "male"), ("mother_id_number", "female")):
            if key in a:
                assert parse_resident_id(a[key]).sex == sex
                found[key] += 1
        if "carer_id_number" in a:
            assert parse_resident_id(a["carer_id_number"]).birth_date.year < 1975
            found["carer_id_number"] += 1
    assert min(found.values()) > 50 and len(found) == 3


def test_id_numbers__unique_except_deliberate_duplicates(county: DemoCounty):
    seen = collections.Counter(
        c.visits[0].answers.get("id_number") for c in county.children if c.duplicate_kind is None
    )
    seen.pop(None, None)
    assert max(seen.values()) == 1
    by_key = {c.key: c for c in county.children}
    for dup in (c for c in county.children if c.duplicate_kind in ("same_id", "moved")):
        original = by_key[dup.duplicate_of or ""]
        assert dup.visits[0].answers["id_number"] == original.visits[0].answers["id_number"]
        assert dup.village_code != original.village_code


def test_phones__valid(county: DemoCounty):
    for child, visit in county.visits():
        for key in ("father_phone", "mother_phone", "carer_phone"):
            if key in visit.answers:
                assert is_valid_phone(visit.answers[key]), (child.key, key)


def test_visits_and_exits__in_order_and_not_after_today(county: DemoCounty):
    for child in county.children:
        dates = [v.survey_date for v in child.visits]
        assert dates == sorted(dates) and dates[-1] <= TODAY
        if child.exit is not None:
            assert dates[-1] <= child.exit.date <= TODAY


def test_county__has_follow_ups_exits_conflicts_duplicates(county: DemoCounty):
    assert sum(len(c.visits) > 1 for c in county.children) > 200
    reasons = collections.Counter(c.exit.reason for c in county.children if c.exit)
    assert set(reasons) == {"aged_out", "parents_returned", "moved_away", "deceased"}
    assert sum(c.conflict is not None for c in county.children) >= 5
    kinds = {c.duplicate_kind for c in county.children if c.duplicate_kind}
    assert kinds == {"same_id", "moved", "same_name_birth"}
    moved = [c for c in county.children if c.duplicate_kind == "moved"]
    by_key = {c.key: c for c in county.children}
    for dup in moved:
        original = by_key[dup.duplicate_of or ""]
        assert original.exit is not None and original.exit.reason == "moved_away"
        assert dup.visits[0].survey_date >= original.exit.date


def test_every_profile__well_represented(county: DemoCounty):
    counts = collections.Counter(c.profile for c in county.children)
    assert set(counts) == set(PROFILES)
    assert min(counts.values()) >= 20
    assert counts["none"] > counts["left_behind"] > counts["urgent"]


def test_siblings__agree_with_household(county: DemoCounty):
    by_key = {c.key: c for c in county.children}
    for household in county.households:
        if len(household.child_keys) < 2:
            continue
        first = by_key[household.child_keys[0]]
        names = {s["sibling_name"] for s in first.visits[0].answers["siblings"]}
        others = {by_key[k].visits[0].answers["child_name"] for k in household.child_keys[1:]}
        assert names == others


def _sample(county: DemoCounty, per_profile: int = 10) -> list[DemoChild]:
    picked: dict[str, list[DemoChild]] = collections.defaultdict(list)
    for child in county.children:
        if child.duplicate_kind is None and len(picked[child.profile]) < per_profile:
            picked[child.profile].append(child)
    extra = [c for c in county.children if c.duplicate_kind or c.conflict or c.exit][:30]
    return [c for group in picked.values() for c in group] + extra


def test_sample_through_engine__profile_flag_set_and_no_errors(county: DemoCounty):
    from surveyapp.core.forms import FormSession, load_form

    form = load_form(FORM)
    for child in _sample(county):
        visit = child.visits[0]
        session = FormSession(form, dict(visit.answers), today=visit.survey_date)
        assert session.errors("zh") == {}, (child.key, session.errors("zh"))
        assert session.complete, child.key
        values = session.submission()
        flag = PROFILE_FLAG[child.profile]
        if flag is None:
            assert {values[k] for k in CATEGORY_FLAGS} == {"no"}, child.key
        else:
            assert values[flag] == "yes", (child.key, child.profile)
        later = [(v.answers, v.survey_date) for v in child.visits[1:]]
        if child.conflict is not None:
            later.append((child.conflict, child.latest.survey_date))
        for answers, day in later:
            assert FormSession(form, dict(answers), today=day).errors("zh") == {}, child.key
