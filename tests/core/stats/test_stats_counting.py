"""County statistics: counts by township and village, bands, safety-net gaps, coverage."""

from datetime import date, datetime
from pathlib import Path

import pytest

from surveyapp.core.ledger import FormLabels
from surveyapp.core.ledger.sample import sample_rows
from surveyapp.core.stats import age_band, compute_stats, half_year

FORM = Path(__file__).resolve().parents[3] / "forms" / "child_screening.xlsx"
NOW = datetime(2026, 11, 23, 9, 0)


@pytest.fixture(scope="module")
def labels():
    return FormLabels.from_form(FORM)


def _child(**kw):
    row = {"township_code": "522422102", "village_code": "522422102201", "status": "active",
           "sex": "female", "age_years": "9", "risk_level": "low", "school_status": "primary",
           "survey_date": "2026-07-01", "is_left_behind": "no", "is_in_difficulty": "no",
           "medical_insurance": "yes"}
    row.update(kw)
    return row


def test_category_counts__both_and_kinds_per_township_and_village(labels):
    rows = [
        _child(is_left_behind="yes"),
        _child(is_left_behind="yes", is_in_difficulty="yes", dk_poverty="yes"),
        _child(is_in_difficulty="yes", dk_disability="yes", village_code="522422102202"),
        _child(township_code="522422105", village_code="522422105201", urgent_report="yes"),
        _child(is_left_behind="yes", status="exited"),
    ]
    stats = compute_stats(rows, labels=labels, county_name="大方县", now=NOW)
    assert (stats.children, stats.exited) == (4, 1)
    town = stats.table("category_by_township")
    assert town.value("522422102", "total") == 3
    assert town.value("522422102", "left_behind") == 2
    assert town.value("522422102", "in_difficulty") == 2
    assert town.value("522422102", "both") == 1
    assert town.value("522422102", "poverty") == 1
    assert town.value("522422105", "urgent") == 1
    assert town.column_total("total") == 4
    assert dict(town.rows)["522422209"] == "竹园彝族苗族乡"  # a township with no children
    village = stats.table("category_by_village")
    assert village.value("522422102201", "left_behind") == 2
    assert village.value("522422102202", "disability") == 1


def test_bands_sex_risk_school__counted(labels):
    rows = [_child(age_years="5"), _child(age_years=6, sex="male", risk_level="high"),
            _child(age_years="15", school_status="dropped_out"), _child(age_years="17")]
    stats = compute_stats(rows, labels=labels, county_name="大方县", now=NOW)
    ages = stats.table("age_by_township")
    assert [ages.value("522422102", c) for c, _ in ages.columns] == [1, 1, 1, 1, 0, 0]
    assert stats.table("sex_by_township").value("522422102", "male") == 1
    assert stats.table("risk_by_township").value("522422102", "high") == 1
    school = stats.table("school_by_township")
    assert school.value("522422102", "dropped_out") == 1
    assert dict(school.columns)["dropped_out"] == "辍学"
    assert age_band(18) == "18岁及以上"
    assert age_band(None) == "年龄不详"
    assert age_band(0) == "0–5岁"


def test_safety_net_gaps__in_need_not_enrolled(labels):
    rows = [
        _child(is_orphan="yes", orphan_allowance="no"),
        _child(is_orphan="yes", orphan_allowance="yes"),
        _child(dk_poverty="yes", family_dibao="no", family_tekun="yes"),
        _child(dk_poverty="yes", family_dibao="no"),
        _child(dk_disability="yes", disability_subsidies="yes", medical_insurance="no"),
    ]
    stats = compute_stats(rows, labels=labels, county_name="大方县", now=NOW)
    gaps = stats.table("gaps_by_township")
    assert gaps.value("522422102", "orphan") == 1
    assert gaps.value("522422102", "dibao") == 1
    assert gaps.value("522422102", "disability") == 0
    assert gaps.value("522422102", "insurance") == 1
    nets = stats.table("safety_net_by_township")
    assert nets.value("522422102", "orphan_allowance") == 1
    assert nets.value("522422102", "family_tekun") == 1


def test_coverage__reported_villages_and_households(labels):
    rows = [_child(household_id="h1"), _child(household_id="h1"), _child(household_id="h2"),
            _child(village_code="522422102202", status="exited")]
    stats = compute_stats(rows, labels=labels, county_name="大方县", now=NOW)
    cov = stats.table("coverage_by_township")
    assert cov.value("522422102", "villages") == 4
    assert cov.value("522422102", "reported") == 2
    assert cov.value("522422102", "not_reported") == 2
    assert cov.value("522422102", "households") == 2
    assert cov.value("522422105", "not_reported") == 4


def test_trend__rounds_in_order(labels):
    rows = [_child(survey_date="2025-11-02"), _child(survey_date="2026-03-01",
                                                      is_left_behind="yes"),
            _child(survey_date="2026-08-09", risk_level="high")]
    trend = compute_stats(rows, labels=labels, county_name="大方县", now=NOW).table(
        "trend_by_round")
    assert [r for r, _ in trend.rows] == ["2025年下半年", "2026年上半年", "2026年下半年"]
    assert trend.value("2026年上半年", "left_behind") == 1
    assert trend.value("2026年下半年", "high") == 1
    assert half_year(date(2026, 6, 30)) == "2026年上半年"


def test_sample_county__totals_agree_across_tables(labels):
    stats = compute_stats(sample_rows(600, seed=3), labels=labels, county_name="大方县",
                          now=NOW)
    total = stats.table("category_by_township").column_total("total")
    assert total == stats.children
    assert stats.table("sex_by_township").column_total("male") + stats.table(
        "sex_by_township").column_total("female") == total
    assert sum(stats.table("risk_by_township").column_total(c) for c in
               ("high", "medium", "low")) == total
    assert stats.table("category_by_village").column_total("total") == total


def test_trend_from_visits__child_once_per_round_as_last_seen(labels):
    visits = [
        {"record_id": "a", "survey_date": "2026-02-01", "is_left_behind": "no"},
        {"record_id": "a", "survey_date": "2026-05-01", "is_left_behind": "yes"},
        {"record_id": "a", "survey_date": "2026-09-01", "is_left_behind": "no"},
        {"record_id": "b", "survey_date": "2026-03-01", "risk_level": "high"},
    ]
    trend = compute_stats([_child()], labels=labels, county_name="大方县", now=NOW,
                          visits=visits).table("trend_by_round")
    assert trend.value("2026年上半年", "screened") == 2
    assert trend.value("2026年上半年", "left_behind") == 1
    assert trend.value("2026年上半年", "high") == 1
    assert trend.value("2026年下半年", "screened") == 1
    assert trend.value("2026年下半年", "left_behind") == 0
