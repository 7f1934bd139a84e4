"""Synthetic, already-classified child rows for benchmarks, previews and tests.

``sample_rows(count, seed=7, today=date(2026, 11, 1))`` yields ``count`` rows shaped like
the store's current view (answers + the form's calculates + metadata), spread over the
demo county's villages, with every category, risk level and status represented. The
classification here is a fixed pattern, not the form's rules: use the demo workspace
(``surveyapp.ops.demo``) when the classification itself matters.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from surveyapp.core.demo import TOWNSHIPS, VILLAGES
from surveyapp.core.ids.resident_id import make_resident_id

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰鑫慧峰"
_AWAY = ("广东省东莞市", "浙江省宁波市", "贵州省贵阳市", "福建省泉州市", "江苏省苏州市")
_STATUSES = ("at_home", "away_in_province", "away_out_province", "deceased", "imprisoned",
             "lost_contact", "severe_disability", "left_family")
_STATUS_WEIGHTS = (50, 15, 22, 3, 2, 2, 3, 3)
_SCHOOL = ("preschool_age", "kindergarten", "primary", "primary", "junior", "senior",
           "vocational", "dropped_out", "never_enrolled", "special_school")


def _name(rng: random.Random, surname: str | None = None) -> str:
    given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
    return (surname or rng.choice(_SURNAMES)) + given


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "187", "150", "181")) + f"{rng.randrange(10**8):08d}"


def sample_rows(
    count: int, seed: int = 7, today: date = date(2026, 11, 1)
) -> Iterator[dict[str, Any]]:
    """Yield ``count`` synthetic child rows (deterministic for ``seed`` and ``today``).

    :param count: how many rows.
    :param seed: the random seed.
    :param today: the reference date for ages and visits.
    """
    rng = random.Random(seed)  # noqa: S311 - sample data, not security
    towns = {t.code: t.name for t in TOWNSHIPS}
    villages = [v for v in VILLAGES if v.level == "village"] or list(VILLAGES)
    for index in range(count):
        yield _row(rng, index, villages[index % len(villages)], towns, today)


def _row(rng: random.Random, index: int, village: Any, towns: dict[str, str],
         today: date) -> dict[str, Any]:
    birth = today - timedelta(days=rng.randrange(200, 17 * 365))
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    sex = rng.choice(("male", "female"))
    surname = rng.choice(_SURNAMES)
    seq = rng.randrange(500) * 2 + (1 if sex == "male" else 0)
    father, mother = rng.choices(_STATUSES, _STATUS_WEIGHTS, k=2)
    away = {"away_in_province", "away_out_province"}
    left_behind = age < 16 and father in away and (mother in away or mother not in
                                                   ("at_home", "left_family"))
    in_q = {"imprisoned", "lost_contact", "severe_disability"}
    gone = {"deceased"}
    orphan = father in gone and mother in gone
    unsupported = (father in in_q and mother in in_q | gone) or (father in gone and mother in in_q)
    health = rng.choices(("healthy", "ill", "serious_illness", "disabled"), (85, 7, 3, 5))[0]
    dibao = rng.random() < 0.12
    risks = rng.choices(("none", "abuse", "no_carer", "dropout_risk", "psych_problem",
                         "injury"), (90, 1, 2, 4, 2, 1))[0]
    carer = "parent" if "at_home" in (father, mother) else rng.choice(
        ("grandparent", "grandparent", "grandparent", "other_relative", "friend_neighbor",
         "institution", "self") if rng.random() < 0.2 else ("grandparent", "other_relative"))
    carer_health = rng.choices(("good", "fair", "poor", "incapable"), (60, 25, 12, 3))[0]
    urgent = risks in ("abuse", "no_carer", "injury") or carer_health == "incapable" or (
        carer == "self" and age < 16)
    dk_poverty, dk_disability = dibao, health == "disabled"
    dk_guard = carer == "self" or carer_health == "incapable" or urgent or unsupported
    difficulty = dk_poverty or dk_disability or dk_guard
    school = _SCHOOL[min(len(_SCHOOL) - 1, rng.randrange(len(_SCHOOL)))]
    risk = "high" if urgent else "medium" if difficulty or school == "dropped_out" else "low"
    survey = today - timedelta(days=rng.randrange(0, 400))
    parts = (["农村留守儿童"] if left_behind else []) + (
        ["困境儿童"] if difficulty else [])
    yes = {True: "yes", False: "no"}
    row: dict[str, Any] = {
        "record_id": f"sample-{index:07d}",
        "township_code": village.parent, "township_name": towns.get(village.parent, ""),
        "village_code": village.code, "village_name": village.name,
        "survey_date": survey.isoformat(), "surveyor_name": _name(rng),
        "residence_type": "rural", "child_name": _name(rng, surname), "sex": sex,
        "ethnicity": rng.choice(("01", "01", "01", "06", "07", "03")),
        "has_id_number": "yes", "id_number": make_resident_id(village.code[:6], birth, seq),
        "birth_date": birth.isoformat(), "age_years": str(age),
        "hukou_registered": "yes", "hukou_rural": "yes", "hukou_type": "agricultural",
        "hukou_place": f"贵州省大方县{towns.get(village.parent, '')}{village.name}",
        "current_address": f"贵州省毕节市大方县{village.name}{rng.randrange(1, 9)}组"
                           f"{rng.randrange(1, 80)}号",
        "school_status": school, "school_name": f"{village.name[:2]}小学",
        "health_status": health,
        "father_name": _name(rng, surname), "father_status": father,
        "father_phone": _phone(rng), "mother_name": _name(rng), "mother_status": mother,
        "mother_phone": _phone(rng), "contact_frequency": rng.choice(
            ("weekly", "monthly", "yearly", "rarely")),
        "carer_type": carer, "carer_name": _name(rng, surname), "carer_relation": "祖母",
        "carer_age": rng.randrange(25, 80), "carer_health": carer_health,
        "carer_phone": _phone(rng), "guardianship_assessment": rng.choice(("good", "fair")),
        "family_dibao": yes[dibao], "family_tekun": yes[rng.random() < 0.02],
        "orphan_allowance": yes[orphan and rng.random() < 0.7],
        "unsupported_allowance": yes[unsupported and rng.random() < 0.6],
        "disability_subsidies": yes[dk_disability and rng.random() < 0.6],
        "medical_insurance": yes[rng.random() < 0.95],
        "medical_assistance": yes[health != "healthy" and rng.random() < 0.5],
        "education_aid": yes[dibao and rng.random() < 0.7],
        "family_poverty_monitored": yes[rng.random() < 0.05],
        "family_difficulty": "living" if dibao else "none",
        "risk_signs": risks, "needs": "psych" if left_behind else "none", "consent": "yes",
        "is_left_behind": yes[left_behind], "is_orphan": yes[orphan],
        "is_unsupported": yes[unsupported], "dk_poverty": yes[dk_poverty],
        "dk_disability": yes[dk_disability], "dk_guardianship": yes[dk_guard],
        "is_in_difficulty": yes[difficulty], "urgent_report": yes[urgent],
        "risk_level": risk, "category_label": "；".join(parts) or "一般儿童",
        "follow_up_days": {"high": "7", "medium": "30", "low": "90"}[risk],
        "status": "exited" if rng.random() < 0.03 else "active",
        "last_visit_date": survey.isoformat(),
        "follow_up_due": (survey + timedelta(days={"high": 7, "medium": 30, "low": 90}[risk]))
        .isoformat(),
        "remarks": "",
    }
    if father in away:
        row["father_away_place"], row["father_away_months"] = rng.choice(_AWAY), 24
    if mother in away:
        row["mother_away_place"], row["mother_away_months"] = rng.choice(_AWAY), 18
    if health == "disabled":
        row["disability_type"] = rng.choice(("intellectual", "physical", "hearing"))
        row["disability_grade"] = rng.choice(("1", "2", "3", "4"))
        row["has_disability_cert"] = yes[rng.random() < 0.7]
    return row
