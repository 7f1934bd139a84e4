"""The shipped screening form classifies FORM-SPEC's worked cases A–K as specified.

Each case starts from one complete, valid answer set (a rural child living with both
parents, no difficulty) and changes only the answers the case names. All cases take the
survey date 2026-07-01. The answers go through the real forms engine, as the CLI's
``form fill`` does.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from surveyapp.core.ids import make_resident_id

FORM = Path(__file__).resolve().parents[3] / "forms" / "child_screening.xlsx"
SURVEY_DAY = dt.date(2026, 7, 1)
FLAGS = (
    "is_left_behind",
    "is_orphan",
    "is_unsupported",
    "dk_poverty",
    "dk_disability",
    "dk_guardianship",
    "is_in_difficulty",
    "urgent_report",
)


def born(age: int, month: int = 3, day: int = 15) -> dt.date:
    """A birth date giving ``age`` whole years on the survey day (by default)."""
    return dt.date(SURVEY_DAY.year - age, month, day)


def child(age: int = 10, sex: str = "male", birth: dt.date | None = None, **changes: Any):
    """A complete, valid answer set, with ``changes`` applied on top."""
    birth = birth or born(age)
    answers: dict[str, Any] = {
        "survey_date": SURVEY_DAY.isoformat(),
        "township_code": "522422102",
        "village_code": "522422102201",
        "residence_type": "rural",
        "surveyor_name": "王芳",
        "child_name": "张小明",
        "sex": sex,
        "ethnicity": "01",
        "has_id_number": "yes",
        "id_number": make_resident_id("522422", birth, 11 if sex == "male" else 12),
        "birth_date": birth.isoformat(),
        "hukou_registered": "yes",
        "hukou_rural": "yes",
        "hukou_type": "agricultural",
        "school_status": "primary",
        "school_name": "箐口村小学",
        "boarding": "no",
        "health_status": "healthy",
        "father_name": "张建国",
        "father_status": "at_home",
        "father_phone": "13812345678",
        "mother_name": "李秀英",
        "mother_status": "at_home",
        "contact_frequency": "weekly",
        "carer_type": "parent",
        "carer_name": "张建国",
        "carer_relation": "父亲",
        "carer_age": 38,
        "carer_health": "good",
        "family_dibao": "no",
        "family_tekun": "no",
        "family_poverty_monitored": "no",
        "family_difficulty": "none",
        "income_source": "wages farming",
        "risk_signs": "none",
        "needs": "none",
        "consent": "yes",
    }
    answers.update(changes)
    return answers


def both_away(**changes: Any) -> dict[str, Any]:
    away = {
        "father_status": "away_out_province",
        "father_away_place": "广东省东莞市",
        "father_away_months": 24,
        "mother_status": "away_in_province",
        "mother_away_place": "贵州省贵阳市",
        "mother_away_months": 24,
        "carer_type": "grandparent",
        "carer_name": "张德福",
        "carer_relation": "祖父",
        "carer_age": 66,
    }
    return away | changes


def fill(answers: dict[str, Any], form: Path = FORM):
    from surveyapp.ops.forms import fill_form

    return fill_form(form, answers, lang="zh", today=SURVEY_DAY)


def flags(answers: dict[str, Any], form: Path = FORM) -> dict[str, str]:
    values = fill(answers, form).values
    return {k: str(values.get(k, "")) for k in (*FLAGS, "risk_level", "category_label")}


def num(value: Any) -> float:
    return float(value)


# --- the base case and the worked cases ---------------------------------------------------


def test_base_child__complete_without_errors():
    result = fill(child())
    assert result.errors == {}
    assert result.complete


def test_case_a_both_parents_away__left_behind_low_risk():
    got = flags(child(age=9, **both_away()))
    assert got["is_left_behind"] == "yes"
    assert got["is_in_difficulty"] == "no"
    assert got["risk_level"] == "low"
    assert got["category_label"] == "留守儿童"


def test_case_b_one_away_other_severely_disabled__left_behind():
    answers = child(
        age=12,
        father_status="away_in_province",
        father_away_place="贵州省贵阳市",
        father_away_months=24,
        mother_status="severe_disability",
    )
    assert flags(answers)["is_left_behind"] == "yes"


def test_case_c_age_16__not_left_behind():
    assert flags(child(age=16, **both_away()))["is_left_behind"] == "no"


@pytest.mark.parametrize(
    ("birth", "age", "left_behind"),
    [
        (dt.date(2010, 7, 1), 16, "no"),  # 16th birthday on the survey day
        (dt.date(2010, 7, 2), 15, "yes"),  # one day short of 16
        (dt.date(2008, 2, 29), 18, "no"),  # leap-day birth
    ],
)
def test_age_boundary__whole_years(birth: dt.date, age: int, left_behind: str):
    result = fill(child(birth=birth, **both_away()))
    assert num(result.values["age_years"]) == age
    assert result.values["is_left_behind"] == left_behind


@pytest.mark.parametrize(
    ("age", "expected"),
    [(17, "yes"), (18, "no"), (19, "no")],
)
def test_every_difficulty_category_ends_at_18(age: int, expected: str):
    """FORM-SPEC §7 minor_age_limit: a disabled, poor child without a carer is in every
    困境 category at 17 and in none at 18 (not only 事实无人抚养)."""
    answers = child(age=age, health_status="disabled", disability_type="physical",
                    disability_grade="2", has_disability_cert="yes", family_dibao="yes",
                    carer_type="self", father_status="imprisoned",
                    mother_status="lost_contact")
    answers.pop("carer_name"), answers.pop("carer_relation"), answers.pop("carer_age")
    got = flags(answers)
    for flag in ("dk_poverty", "dk_disability", "dk_guardianship", "is_in_difficulty",
                 "is_unsupported"):
        assert got[flag] == expected, (flag, got)


def test_minor_age_limit_is_a_county_switch(tmp_path: Path):
    edited = county_edit(tmp_path, "minor_age_limit", "20")
    answers = child(age=19, health_status="disabled", disability_type="physical",
                    disability_grade="2", has_disability_cert="yes")
    assert flags(answers)["is_in_difficulty"] == "no"
    assert flags(answers, edited)["is_in_difficulty"] == "yes"


def test_case_d_urban_hukou__not_left_behind():
    answers = child(age=8, hukou_rural="no", hukou_type="non_agricultural", **both_away())
    assert flags(answers)["is_left_behind"] == "no"


def county_edit(tmp_path: Path, name: str, calculation: str) -> Path:
    """A copy of the form with one calculation cell changed, as a county would in Excel."""
    edited = tmp_path / "county_form.xlsx"
    wb = load_workbook(FORM)
    ws = wb["survey"]
    header = [c.value for c in ws[1]]
    name_col, calc_col = header.index("name") + 1, header.index("calculation") + 1
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, name_col).value == name]
    assert len(rows) == 1
    ws.cell(rows[0], calc_col).value = calculation
    wb.save(edited)
    return edited


URBAN = {"hukou_rural": "no", "hukou_type": "non_agricultural"}


@pytest.mark.parametrize(
    ("switch", "value", "answers", "flag"),
    [
        ("lb_rural_only", "'no'", child(age=8, **URBAN, **both_away()), "is_left_behind"),
        ("lb_age_limit", "18", child(age=16, **both_away()), "is_left_behind"),
        (
            "lb_min_away_months",
            "3",
            child(age=9, **both_away(mother_away_months=5)),
            "is_left_behind",
        ),
        (
            "dk_count_serious_illness",
            "'yes'",
            child(health_status="serious_illness"),
            "dk_disability",
        ),
    ],
)
def test_county_switch__changes_the_classification(
    tmp_path: Path, switch: str, value: str, answers: dict[str, Any], flag: str
):
    # The shipped form says 'no' for each of these; the county's edited copy says 'yes'.
    assert flags(answers)[flag] == "no"
    assert flags(answers, county_edit(tmp_path, switch, value))[flag] == "yes"


def test_parent_away_too_briefly__not_left_behind():
    answers = child(age=9, **both_away(mother_away_months=5))
    assert flags(answers)["is_left_behind"] == "no"


def test_case_e_both_parents_deceased__orphan_not_unsupported():
    answers = child(
        father_status="deceased",
        mother_status="deceased",
        carer_type="grandparent",
        carer_name="张德福",
        carer_relation="祖父",
        carer_age=70,
    )
    got = flags(answers)
    assert got["is_orphan"] == "yes"
    assert got["is_unsupported"] == "no"
    assert got["is_left_behind"] == "no"


def test_case_f_imprisoned_and_lost_contact__unsupported_guardianship():
    answers = child(
        father_status="imprisoned", mother_status="lost_contact", carer_type="grandparent"
    )
    got = flags(answers)
    assert got["is_unsupported"] == "yes"
    assert got["dk_guardianship"] == "yes"
    assert got["risk_level"] == "medium"
    assert got["category_label"] == "事实无人抚养儿童；困境儿童（监护缺失）"


def test_case_f2_imprisoned_and_left_family__not_unsupported():
    answers = child(
        father_status="imprisoned", mother_status="left_family", carer_type="grandparent"
    )
    assert flags(answers)["is_unsupported"] == "no"


def test_unsupported_one_in_q_other_deceased__unsupported():
    answers = child(
        father_status="deceased", mother_status="severe_illness", carer_type="grandparent"
    )
    got = flags(answers)
    assert got["is_unsupported"] == "yes"
    assert got["is_orphan"] == "no"


def test_case_g_disabled__disability_medium_risk():
    answers = child(health_status="disabled", disability_type="intellectual", disability_grade="2")
    got = flags(answers)
    assert got["dk_disability"] == "yes"
    assert got["is_in_difficulty"] == "yes"
    assert got["risk_level"] == "medium"
    assert got["category_label"] == "困境儿童（残疾）"


def test_serious_illness__not_disability_by_default():
    assert flags(child(health_status="serious_illness"))["dk_disability"] == "no"


def test_left_behind_and_disabled__combined_label():
    answers = child(
        age=9,
        health_status="disabled",
        disability_type="physical",
        disability_grade="1",
        **both_away(),
    )
    assert flags(answers)["category_label"] == "留守儿童；困境儿童（残疾）"


def test_case_h_dibao__poverty():
    got = flags(child(family_dibao="yes"))
    assert got["dk_poverty"] == "yes"
    assert got["category_label"] == "困境儿童（贫困）"


def test_poverty_by_difficulty_and_monitoring__poverty():
    answers = child(family_difficulty="medical schooling", family_poverty_monitored="yes")
    assert flags(answers)["dk_poverty"] == "yes"
    answers["family_poverty_monitored"] = "no"
    assert flags(answers)["dk_poverty"] == "no"


def test_case_i_abuse__urgent_high_risk_seven_days():
    result = fill(child(risk_signs="abuse"))
    assert result.values["urgent_report"] == "yes"
    assert result.values["risk_level"] == "high"
    assert num(result.values["follow_up_days"]) == 7
    assert result.relevant["urgent_note"] is True


def test_case_j_child_alone_age_13__urgent_and_guardianship():
    got = flags(child(age=13, carer_type="self"))
    assert got["urgent_report"] == "yes"
    assert got["dk_guardianship"] == "yes"


def test_case_k_no_category__every_flag_no_low_risk():
    result = fill(child())
    assert {k: result.values[k] for k in FLAGS} == dict.fromkeys(FLAGS, "no")
    assert result.values["risk_level"] == "low"
    assert num(result.values["follow_up_days"]) == 90
    assert result.values["category_label"] == "无"


def test_dropped_out__medium_risk_thirty_days():
    result = fill(child(age=14, school_status="dropped_out"))
    assert result.values["risk_level"] == "medium"
    assert num(result.values["follow_up_days"]) == 30


def test_minimal_answers__flags_never_empty():
    answers = {"birth_date": "2015-05-05", "father_status": "at_home", "mother_status": "deceased"}
    values = fill(answers).values
    assert {values[k] for k in FLAGS} <= {"yes", "no"}
    assert values["risk_level"] in {"high", "medium", "low"}


# --- constraints, relevance and notes ------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"survey_date": "2026-07-02"}, "survey_date"),
        ({"id_number": "522422201503150111"}, "id_number"),
        ({"birth_date": "2016-03-16"}, "birth_date"),
        ({"survey_date": "2016-03-01"}, "birth_date"),  # born after the survey date
        ({"child_name": "张"}, "child_name"),
        ({"risk_signs": "none abuse"}, "risk_signs"),
        ({"needs": "none legal"}, "needs"),
        ({"family_difficulty": "none housing"}, "family_difficulty"),
        ({"carer_age": 9}, "carer_age"),
        ({"carer_age": 111}, "carer_age"),
        ({"father_phone": "12345"}, "father_phone"),
        ({"mother_id_number": "123456789012345678"}, "mother_id_number"),
        (both_away(father_away_months=601), "father_away_months"),
    ],
)
def test_constraint_violation__error_on_that_field(change: dict[str, Any], field: str):
    answers = child(age=10, **change)
    errors = fill(answers).errors
    assert field in errors
    assert errors[field]


def test_optional_fields_empty__no_constraint_error():
    answers = child(father_phone="", mother_id_number="", carer_age="")
    assert fill(answers).errors == {}


def test_no_id_number__id_not_relevant_and_excluded():
    answers = child(has_id_number="no", no_id_reason="not_registered")
    result = fill(answers)
    assert result.relevant["id_number"] is False
    assert "id_number" not in result.values
    assert result.errors == {}


def test_id_number_missing_when_relevant__required_error():
    assert "id_number" in fill(child(id_number="")).errors


def test_sex_disagrees_with_id__warning_note_not_error():
    answers = child(sex="male")
    answers["id_number"] = make_resident_id("522422", born(10), 12)  # an even sequence: female
    result = fill(answers)
    assert result.relevant["sex_check_note"] is True
    assert result.errors == {}


def test_away_months_only_when_away__relevance():
    result = fill(child())
    assert result.relevant["father_away_months"] is False
    assert fill(child(**both_away())).relevant["father_away_months"] is True


def test_siblings_repeat__counted():
    siblings = [
        {"sibling_name": "张小红", "sibling_sex": "female", "sibling_birth_year": 2012},
        {"sibling_name": "张小刚", "sibling_sex": "male", "sibling_birth_year": 2019},
    ]
    result = fill(child(siblings=siblings))
    assert num(result.values["sibling_count"]) == 2
    assert result.errors == {}


def test_village_choices__filtered_by_township():
    from surveyapp.core.forms import FormSession, load_form

    session = FormSession(load_form(FORM), today=SURVEY_DAY)
    session.set("township_code", "522422209")
    codes = {c.name for c in session.choices_for("village_code")}
    assert codes == {"522422209201", "522422209202", "522422209203", "522422209204"}


def test_follow_up_visit__stable_facts_prefilled_from_last_saved():
    from surveyapp.core.forms import FormSession, load_form

    last = child(age=9, **both_away())
    session = FormSession(load_form(FORM), today=SURVEY_DAY, last_saved=last)
    for name in ("child_name", "id_number", "birth_date", "father_name", "carer_name"):
        assert str(session.value(name)) == str(last[name]), name
    assert session.value("risk_signs") == ""


# --- the CLI --------------------------------------------------------------------------------


def test_cli_form_check__exit_0():
    exe = shutil.which("surveyapp", path=str(Path(sys.executable).parent))
    assert exe is not None
    done = subprocess.run([exe, "form", "check", str(FORM)], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()


def test_shipped_form__identical_to_a_fresh_build(tmp_path: Path):
    # The .xlsx is committed for counties to edit; it must not drift from its build script.
    script = FORM.parent / "build" / "build_child_screening.py"
    out = tmp_path / "rebuilt.xlsx"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    assert out.read_bytes() == FORM.read_bytes()


# --- the names contract (FORM-SPEC.md), read straight from the sheets -------------------

_YES_NO = (
    "has_id_number hukou_registered hukou_rural boarding has_disability_cert entrusted_guardian"
    " entrusted_agreement family_dibao family_tekun orphan_allowance unsupported_allowance"
    " disability_subsidies medical_insurance medical_assistance temp_assistance"
    " housing_assistance education_aid family_poverty_monitored consent"
)
_TEXT = (
    "surveyor_name child_name id_number hukou_place current_address school_name father_name"
    " mother_name father_id_number mother_id_number father_away_place mother_away_place"
    " father_phone mother_phone carer_name carer_relation carer_phone carer_id_number remarks"
)
_CALCULATE = (
    "age_years lb_age_limit minor_age_limit lb_rural_only lb_min_away_months"
    " dk_count_serious_illness"
    " father_away mother_away father_in_q father_gone father_incapable mother_in_q mother_gone"
    " mother_incapable is_left_behind is_orphan is_unsupported dk_poverty dk_disability"
    " dk_guardianship is_in_difficulty urgent_report risk_level category_label follow_up_days"
)
CONTRACT_TYPES = {
    **dict.fromkeys(_YES_NO.split(), "select_one yes_no"),
    **dict.fromkeys(_TEXT.split(), "text"),
    **dict.fromkeys(_CALCULATE.split(), "calculate"),
    "survey_date": "date",
    "birth_date": "date",
    "father_away_months": "integer",
    "mother_away_months": "integer",
    "carer_age": "integer",
    "township_code": "select_one township",
    "village_code": "select_one village",
    "residence_type": "select_one residence",
    "sex": "select_one sex",
    "ethnicity": "select_one ethnicity",
    "no_id_reason": "select_one no_id_reason",
    "hukou_type": "select_one hukou",
    "school_status": "select_one school_status",
    "health_status": "select_one health",
    "disability_type": "select_multiple disability_type",
    "disability_grade": "select_one disability_grade",
    "father_status": "select_one parent_status",
    "mother_status": "select_one parent_status",
    "contact_frequency": "select_one contact_freq",
    "carer_type": "select_one carer",
    "carer_health": "select_one carer_health",
    "guardianship_assessment": "select_one guard_assess",
    "family_difficulty": "select_multiple difficulty",
    "income_source": "select_multiple income",
    "risk_signs": "select_multiple risk_sign",
    "needs": "select_multiple need",
}
CONTRACT_CHOICES = {
    "yes_no": "yes no",
    "residence": "rural urban",
    "sex": "male female",
    "no_id_reason": "not_registered newborn other",
    "hukou": "agricultural non_agricultural resident",
    "school_status": "preschool_age kindergarten primary junior senior vocational dropped_out"
    " never_enrolled special_school working",
    "health": "healthy ill serious_illness disabled",
    "disability_type": "visual hearing speech physical intellectual mental multiple",
    "disability_grade": "1 2 3 4",
    "parent_status": "at_home away_in_province away_out_province deceased missing lost_contact"
    " imprisoned compulsory_treatment severe_disability severe_illness guardianship_revoked"
    " deported left_family unknown",
    "contact_freq": "weekly monthly yearly rarely never",
    "carer": "parent grandparent other_relative friend_neighbor institution self",
    "carer_health": "good fair poor incapable",
    "guard_assess": "good fair poor",
    "difficulty": "living medical schooling housing none",
    "income": "wages farming government relatives other",
    "risk_sign": "abuse abandonment no_carer injury infringement missing_child dropout_risk"
    " psych_problem none",
    "need": "living medical rehab education psych guardian_guidance legal none",
}


def _sheet_rows(sheet: str) -> list[dict[str, Any]]:
    wb = load_workbook(FORM, read_only=True)
    try:
        rows = list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:]]


def test_contract_names__present_with_their_types():
    types = {r["name"]: r["type"] for r in _sheet_rows("survey") if r["name"]}
    assert {n: types.get(n) for n in CONTRACT_TYPES} == CONTRACT_TYPES


def test_contract_choices__exact_names_and_bilingual_labels():
    lists: dict[str, list[str]] = {}
    for r in _sheet_rows("choices"):
        lists.setdefault(r["list_name"], []).append(str(r["name"]))
        assert r["label::zh"] and r["label::en"], r
    assert {k: lists.get(k) for k in CONTRACT_CHOICES} == {
        k: v.split() for k, v in CONTRACT_CHOICES.items()
    }
    assert len(lists["ethnicity"]) == 58  # 56 groups (GB 3304) + 97 + 98


def test_every_labelled_row__has_zh_and_en():
    for r in _sheet_rows("survey"):
        if r["type"] and not str(r["type"]).startswith("end") and r["type"] != "calculate":
            assert r["label::zh"] and r["label::en"], r["name"]
