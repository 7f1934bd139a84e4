"""Carrying a child's last answers into a newer form version (``core/forms/carry.py``) and
age-bound values as of a date (``core/forms/asof.py``), on small markdown forms."""

from __future__ import annotations

import datetime as dt

from formtest import survey

from surveyapp.core.forms import FormSession, parse_markdown
from surveyapp.core.forms.asof import AsOf, age_on
from surveyapp.core.forms.carry import carry_over, refused, renames

CHOICES = """
| list_name | name | label |
| freq | weekly | 每周 |
| freq | never | 从不 |
"""

V1 = parse_markdown(survey(
    "| type | name | label | constraint | calculation |",
    "| text | carer_name | 照料人 | | |",
    "| text | father_phone | 父亲电话 | | |",
    "| select_one freq | contact | 联系 | | |",
    "| integer | carer_age | 年龄 | . >= 10 | |",
    "| calculate | note_calc | | | 'x' |",
    choices=CHOICES,
    settings="| form_id | version |\n| f | 1 |",
))
V2 = parse_markdown(survey(
    "| type | name | label | constraint | previous_name | required |",
    "| text | guardian_name | 监护人 | | carer_name, caregiver | |",
    "| select_one freq | contact | 联系 | | | |",
    "| integer | carer_age | 年龄 | . >= 18 | | |",
    "| select_one freq | visited | 入户 | | | yes |",
    choices="| list_name | name | label |\n| freq | weekly | 每周 |",
    settings="| form_id | version |\n| f | 2 |",
))
LAST = {"carer_name": "李大姐", "father_phone": "13812345678", "contact": "never",
        "carer_age": 17, "status": "active", "visit": "rev1", "note_calc": "x"}


def test_previous_name__read_from_the_survey_sheet():
    assert V2.nodes["guardian_name"].previous_name == ("carer_name", "caregiver")
    assert renames(V2) == {"carer_name": "guardian_name", "caregiver": "guardian_name"}


def test_carry_over__moves_renamed_keeps_removed_apart():
    carried = carry_over(V2, LAST, form_id="f", form_version="1", old_form=V1)
    assert carried.start == {"guardian_name": "李大姐", "contact": "never", "carer_age": 17}
    assert carried.renamed == {"carer_name": "guardian_name"}
    assert carried.previous == {
        "father_phone": {"value": "13812345678", "form_id": "f", "form_version": "1"}}


def test_carry_over__earlier_answers_kept_and_back_when_asked_again():
    data = {"guardian_name": "李大姐", "previous_answers": {
        "father_phone": {"value": "138", "form_id": "f", "form_version": "1"},
        "contact": {"value": "weekly", "form_id": "f", "form_version": "0"}}}
    carried = carry_over(V2, data, form_id="f", form_version="2", old_form=V2)
    assert carried.start == {"guardian_name": "李大姐", "contact": "weekly"}
    assert set(carried.previous) == {"father_phone"}
    assert carried.previous["father_phone"]["form_version"] == "1"  # the version that asked


def test_refused__removed_choice_and_tightened_constraint_with_old_values():
    carried = carry_over(V2, LAST, form_id="f", form_version="1", old_form=V1)
    session = FormSession(V2, {**carried.start, "visited": "weekly"})
    bad = {r.name: r.value for r in refused(session, carried, {"visited": "weekly"})}
    assert bad == {"contact": "never", "carer_age": 17}
    fixed = FormSession(V2, {**carried.start, "contact": "weekly", "carer_age": 19,
                             "visited": "weekly"})
    assert refused(fixed, carried, {"contact": "weekly", "carer_age": 19}) == []


AGE_FORM = parse_markdown(survey(
    "| type | name | label | calculation |",
    "| date | survey_date | 日期 | |",
    "| date | birth_date | 出生 | |",
    "| calculate | limit | | 16 |",
    "| calculate | age_years | | if(${birth_date} = '' or ${survey_date} = '', '', "
    "int((number(format-date(${survey_date}, '%Y%m%d')) - "
    "number(format-date(${birth_date}, '%Y%m%d'))) div 10000)) |",
    "| calculate | young | | if(${age_years} != '' and ${age_years} < ${limit}, 'yes', 'no') |",
    "| calculate | label | | if(${young} = 'yes', '留守', '无') |",
))


def test_as_of__age_and_what_depends_on_it():
    saved = FormSession(AGE_FORM, {"survey_date": "2026-07-01",
                                   "birth_date": "2010-08-01"}).submission()
    assert (saved["age_years"], saved["young"], saved["label"]) == ("15", "yes", "留守")
    later = AsOf(AGE_FORM, dt.date(2026, 8, 1)).row(saved)
    assert (later["age_years"], later["young"], later["label"]) == ("16", "no", "无")
    assert later["survey_date"] == "2026-07-01"  # answers as saved
    before = AsOf(AGE_FORM, dt.date(2026, 7, 31)).row(saved)
    assert (before["age_years"], before["young"]) == ("15", "yes")
    assert AsOf(AGE_FORM, dt.date(2026, 8, 1)).row({"survey_date": "2026-07-01"})[
        "young"] == "no"  # unknown birth date: not young
    assert age_on("2008-02-29", dt.date(2026, 2, 28)) == 17
    assert age_on("2008-02-29", dt.date(2026, 3, 1)) == 18
    assert age_on("notadate", dt.date(2026, 3, 1)) is None
