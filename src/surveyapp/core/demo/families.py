"""Households and children as screening-form answers, each aimed at one demo profile.

A household's shared facts (parents, carer, safety nets, address) are drawn once and
copied into every child's answers, so that siblings agree. Only answers that are
relevant under the form's rules are written.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from surveyapp.core.demo.county import COUNTY, PREFECTURE_NAME, PROVINCE_NAME, OrgUnit, township_of
from surveyapp.core.demo.model import Profile
from surveyapp.core.ids import make_resident_id

Answers = dict[str, Any]

Q_STATUSES = (
    "severe_disability",
    "severe_illness",
    "imprisoned",
    "compulsory_treatment",
    "lost_contact",
    "guardianship_revoked",
    "deported",
)
Q_WEIGHTS = (18, 20, 25, 8, 22, 4, 3)
IN_PROVINCE = ("贵州省贵阳市", "贵州省遵义市", "贵州省毕节市", "贵州省六盘水市", "贵州省安顺市")
OUT_PROVINCE = (
    "浙江省宁波市",
    "浙江省温州市",
    "广东省东莞市",
    "广东省深圳市",
    "广东省佛山市",
    "福建省泉州市",
    "江苏省苏州市",
    "上海市",
    "云南省昆明市",
)
# GB 3304 codes, weighted for a county with many Yi and Miao villages.
ETHNICITY = ("01", "07", "06", "14", "37", "08", "09")
ETHNICITY_WEIGHTS = (68, 13, 11, 3, 3, 1, 1)
SAFETY_SIGNS = ("injury", "abuse", "no_carer", "infringement", "abandonment", "missing_child")
SAFETY_WEIGHTS = (30, 25, 20, 12, 10, 3)
ENROLLED = ("kindergarten", "primary", "junior", "senior", "vocational", "special_school")


@dataclass(slots=True)
class Plan:
    """What a household aims at: the siblings' profile and the first child's, if different."""

    base: Profile
    first: Profile
    variant: str = ""
    max_age: int = 17
    min_age: int = 0
    single_child: bool = False


def plan_household(rng: random.Random, profile: Profile) -> Plan:
    """Turn a target profile into a household plan (base family + the first child)."""
    if profile in ("none", "left_behind", "poverty", "orphan", "unsupported"):
        return Plan(profile, profile, max_age=15 if profile == "left_behind" else 17)
    if profile == "disability":
        base: Profile = rng.choices(("none", "left_behind", "poverty"), (60, 25, 15))[0]
        return Plan(base, "disability", max_age=15 if base == "left_behind" else 17)
    if profile == "guardianship":
        if rng.random() < 0.75:  # a teenager of 16-17 left on their own
            return Plan("left_behind", "guardianship", "teen_alone", 17, 16, True)
        return Plan("orphan", "guardianship", "orphan_neighbor")
    r = rng.random()
    if r < 0.6:
        base = rng.choices(("none", "left_behind", "poverty"), (50, 35, 15))[0]
        return Plan(base, "urgent", "risk_sign", max_age=15 if base == "left_behind" else 17)
    if r < 0.85:
        return Plan("left_behind", "urgent", "carer_incapable", max_age=15)
    return Plan("left_behind", "urgent", "child_alone", 15, 8, True)


@dataclass(slots=True)
class Generator:
    """Shared random state: one ``random.Random`` and one seeded Faker (zh_CN)."""

    seed: int
    rng: random.Random = field(init=False)
    fake: Faker = field(init=False)
    used_ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - demo data must be reproducible
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(self.seed)

    def id_number(self, birth: dt.date, sex: str, region: str = COUNTY.code) -> str:
        """A valid, so far unused ID number agreeing with ``birth`` and ``sex``."""
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if sex == "male" else 0)
            number = make_resident_id(region, birth, seq)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def phone(self) -> str:
        return str(self.fake.phone_number())

    def given_name(self, sex: str) -> str:
        f = self.fake
        return str(f.first_name_male() if sex == "male" else f.first_name_female())

    def birth_for_age(self, age: int, on: dt.date) -> dt.date:
        """A birth date giving ``age`` whole years on the date ``on``."""
        latest = (
            on.replace(year=on.year - age)
            if not (on.month == 2 and on.day == 29)
            else (dt.date(on.year - age, 2, 28))
        )
        return latest - dt.timedelta(days=self.rng.randrange(0, 365))


def _parents(g: Generator, plan: Plan) -> tuple[str, str]:
    rng = g.rng
    away = ("away_in_province", "away_out_province")
    if plan.base in ("none", "poverty"):
        r = rng.random()
        if r < 0.78:
            return "at_home", "at_home"
        if r < 0.92:
            return rng.choice(away), "at_home"
        if r < 0.97:
            return "at_home", rng.choice(away)
        return "left_family", "at_home"
    if plan.base == "left_behind":
        if plan.variant in ("teen_alone", "child_alone") or rng.random() < 0.7:
            return rng.choice(away), rng.choice(away)
        other = rng.choice((*rng.choices(Q_STATUSES, Q_WEIGHTS, k=1), "deceased", "missing"))
        return (rng.choice(away), other) if rng.random() < 0.7 else (other, rng.choice(away))
    if plan.base == "orphan":
        gone = ("deceased", "missing")
        return rng.choices(gone, (85, 15))[0], rng.choices(gone, (85, 15))[0]
    # unsupported: both in Q, or one in Q and the other dead or declared missing.
    q1, q2 = rng.choices(Q_STATUSES, Q_WEIGHTS, k=2)
    r = rng.random()
    if r < 0.5:
        return q1, q2
    return (q1, "deceased") if r < 0.75 else ("deceased", q2)


def household_answers(g: Generator, plan: Plan, village: OrgUnit, surveyor: str) -> Answers:
    """The answers every child of one household shares."""
    rng, fake = g.rng, g.fake
    town = township_of(village.code)
    surname = str(fake.last_name())
    mother_surname = str(fake.last_name())
    father, mother = surname + g.given_name("male"), mother_surname + g.given_name("female")
    fs, ms = _parents(g, plan)
    a: Answers = {
        "township_code": town.code,
        "village_code": village.code,
        "residence_type": "urban" if village.urban else "rural",
        "surveyor_name": surveyor,
        "_surname": surname,
        "_mother_surname": mother_surname,
    }
    rural = plan.base == "left_behind" or not village.urban or rng.random() < 0.5
    a["hukou_rural"] = "yes" if rural else "no"
    a["hukou_type"] = (
        rng.choice(("agricultural", "resident"))
        if rural
        else rng.choice(("non_agricultural", "resident"))
    )
    a["hukou_place"] = f"{PROVINCE_NAME}{COUNTY.name}{town.name}{village.name}"
    a["current_address"] = (
        f"{PROVINCE_NAME}{PREFECTURE_NAME}{COUNTY.name}{town.name}{village.name}"
        + (
            f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元"
            if village.urban
            else f"{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
        )
    )
    for p, name, status in (("father", father, fs), ("mother", mother, ms)):
        a[f"{p}_name"] = name
        a[f"{p}_status"] = status
        if status.startswith("away"):
            a[f"{p}_away_place"] = rng.choice(
                IN_PROVINCE if status == "away_in_province" else OUT_PROVINCE
            )
            a[f"{p}_away_months"] = rng.randint(7, 120)
        if status in ("at_home", "away_in_province", "away_out_province") and rng.random() < 0.85:
            a[f"{p}_phone"] = g.phone()
        if status not in ("deceased", "missing") and rng.random() < 0.5:
            age = rng.randint(36, 52)  # old enough for every child of the household
            birth = g.birth_for_age(age, dt.date(2026, 1, 1))
            a[f"{p}_id_number"] = g.id_number(birth, "male" if p == "father" else "female")
    a["contact_frequency"] = (
        "weekly"
        if "at_home" in (fs, ms)
        else rng.choices(("weekly", "monthly", "yearly", "rarely", "never"), (40, 35, 10, 10, 5))[0]
    )
    _carer(g, plan, a, surname)
    _safety_nets(g, plan, a)
    return a


def _carer(g: Generator, plan: Plan, a: Answers, surname: str) -> None:
    rng = g.rng
    fs, ms = a["father_status"], a["mother_status"]
    if plan.variant in ("teen_alone", "child_alone"):
        a["carer_type"] = "self"
    elif "at_home" in (fs, ms):
        a["carer_type"] = "parent"
        who = "father" if fs == "at_home" else "mother"
        a["carer_name"], a["carer_relation"] = (
            a[f"{who}_name"],
            "父亲" if who == "father" else "母亲",
        )
        a["carer_age"] = rng.randint(26, 50)
        if f"{who}_phone" in a:
            a["carer_phone"] = a[f"{who}_phone"]
    elif plan.variant == "orphan_neighbor":
        a["carer_type"] = "friend_neighbor"
        a["carer_name"], a["carer_relation"] = str(g.fake.name()), "邻居"
        a["carer_age"] = rng.randint(35, 70)
    elif rng.random() < 0.8:
        a["carer_type"] = "grandparent"
        male, paternal = rng.random() < 0.45, rng.random() < 0.7
        if male:
            family = surname if paternal else a["_mother_surname"]
            a["carer_name"] = family + g.given_name("male")
            a["carer_relation"] = "祖父" if paternal else "外祖父"
        else:
            a["carer_name"] = str(g.fake.last_name()) + g.given_name("female")
            a["carer_relation"] = "祖母" if paternal else "外祖母"
        a["carer_age"] = rng.randint(55, 82)
        if rng.random() < 0.3:
            birth = g.birth_for_age(a["carer_age"], dt.date(2026, 1, 1))
            a["carer_id_number"] = g.id_number(birth, "male" if male else "female")
    else:
        a["carer_type"] = "other_relative"
        a["carer_name"] = str(g.fake.name())
        a["carer_relation"] = rng.choice(("姑姑", "舅舅", "叔叔", "姨妈", "伯父"))
        a["carer_age"] = rng.randint(28, 60)
    if a["carer_type"] == "self":
        a["guardianship_assessment"] = "poor"
    else:
        if plan.variant == "carer_incapable":
            a["carer_health"] = "incapable"
        else:
            a["carer_health"] = rng.choices(("good", "fair", "poor"), (55, 32, 13))[0]
        if a["carer_type"] != "parent":
            if "carer_phone" not in a and rng.random() < 0.7:
                a["carer_phone"] = g.phone()
            a["entrusted_agreement"] = "yes" if rng.random() < 0.6 else "no"
        poor = a["carer_health"] in ("poor", "incapable") or plan.base == "unsupported"
        a["guardianship_assessment"] = "poor" if poor else rng.choice(("good", "good", "fair"))
    if fs != "at_home" and ms != "at_home":
        a["entrusted_guardian"] = (
            "yes" if rng.random() < 0.7 and a["carer_type"] != "self" else "no"
        )


def _safety_nets(g: Generator, plan: Plan, a: Answers) -> None:
    rng = g.rng
    yes_no = ("yes", "no")
    poverty = plan.base == "poverty" or (plan.base != "none" and rng.random() < 0.12)
    a["family_dibao"] = a["family_tekun"] = a["family_poverty_monitored"] = "no"
    a["family_difficulty"] = "none"
    if poverty:
        r = rng.random()
        if r < 0.6:
            a["family_dibao"] = "yes"
        elif r < 0.7:
            a["family_tekun"] = "yes"
        else:
            a["family_poverty_monitored"] = "yes"
        a["family_difficulty"] = " ".join(
            sorted(rng.sample(("living", "medical", "schooling", "housing"), rng.randint(1, 3)))
        )
        if "housing" == a["family_difficulty"]:
            a["family_difficulty"] = "living housing"
    a["orphan_allowance"] = "yes" if plan.base == "orphan" else "no"
    a["unsupported_allowance"] = (
        "yes" if plan.base == "unsupported" and rng.random() < 0.85 else "no"
    )
    a["medical_insurance"] = rng.choices(yes_no, (97, 3))[0]
    a["medical_assistance"] = "yes" if poverty and rng.random() < 0.5 else "no"
    a["temp_assistance"] = "yes" if poverty and rng.random() < 0.2 else "no"
    a["housing_assistance"] = "yes" if poverty and rng.random() < 0.1 else "no"
    income = {"farming"} if rng.random() < 0.7 else set()
    if any(a[f"{p}_status"].startswith("away") for p in ("father", "mother")) or rng.random() < 0.5:
        income.add("wages")
    if poverty or plan.base in ("orphan", "unsupported"):
        income.add("government")
    if plan.base in ("orphan", "unsupported"):
        income.add("relatives")
    a["income_source"] = " ".join(sorted(income or {"other"}))


def _school(g: Generator, age: int, village: OrgUnit, plan: Plan, first: bool) -> Answers:
    rng = g.rng
    base = village.name.removesuffix("村").removesuffix("社区")
    if age < 3:
        status = "preschool_age"
    elif age < 6:
        status = "kindergarten" if rng.random() < 0.85 else "preschool_age"
    elif age < 12:
        status = "primary"
    elif age < 15:
        status = "junior"
    else:
        status = rng.choices(("senior", "vocational", "dropped_out", "working"), (55, 30, 10, 5))[0]
    if age >= 13 and plan.base == "none" and rng.random() < 0.04:
        status = "dropped_out"
    if (
        first
        and plan.first == "disability"
        and status in ("primary", "junior")
        and rng.random() < 0.3
    ):
        status = "special_school"
    a: Answers = {"school_status": status}
    town = township_of(village.code).name[:2]
    names = {
        "kindergarten": f"{base}幼儿园",
        "primary": f"{base}小学",
        "junior": f"{town}中学",
        "senior": f"{COUNTY.name}第{rng.choice('一二三')}中学",
        "vocational": f"{COUNTY.name}中等职业学校",
        "special_school": f"{COUNTY.name}特殊教育学校",
    }
    if status in ENROLLED:
        a["school_name"] = names[status]
        boards = (
            status in ("junior", "senior", "vocational", "special_school") and rng.random() < 0.6
        )
        a["boarding"] = "yes" if boards else "no"
    return a


NEEDS: dict[str, tuple[str, ...]] = {
    "left_behind": ("psych", "guardian_guidance", "education"),
    "orphan": ("living", "psych", "education"),
    "unsupported": ("living", "guardian_guidance", "legal"),
    "poverty": ("living", "education", "medical"),
    "disability": ("rehab", "medical", "living"),
    "guardianship": ("guardian_guidance", "living", "psych"),
    "urgent": ("legal", "psych", "medical"),
}


def child_answers(
    g: Generator, shared: Answers, plan: Plan, village: OrgUnit, age: int, first: bool, on: dt.date
) -> Answers:
    """One child's first-visit answers, given the household's shared answers."""
    rng = g.rng
    profile: Profile = plan.first if first else plan.base
    sex = "male" if rng.random() < 0.53 else "female"
    birth = g.birth_for_age(age, on)
    a: Answers = {k: v for k, v in shared.items() if not k.startswith("_")}
    a["survey_date"] = on.isoformat()
    a["child_name"] = shared["_surname"] + g.given_name(sex)
    a["sex"] = sex
    a["ethnicity"] = rng.choices(ETHNICITY, ETHNICITY_WEIGHTS)[0]
    if rng.random() < 0.97:
        a["has_id_number"] = "yes"
        a["id_number"] = g.id_number(birth, sex)
        a["hukou_registered"] = "yes"
    else:
        a["has_id_number"] = "no"
        a["no_id_reason"] = "newborn" if age == 0 else rng.choice(("not_registered", "other"))
        a["hukou_registered"] = "no" if a["no_id_reason"] == "not_registered" else "yes"
    a["birth_date"] = birth.isoformat()
    a.update(_school(g, age, village, plan, first))
    if profile == "disability":
        a["health_status"] = "disabled"
        kind = rng.choices(
            ("intellectual", "physical", "hearing", "visual", "speech", "mental", "multiple"),
            (30, 28, 12, 10, 8, 7, 5),
        )[0]
        a["disability_type"] = kind
        a["disability_grade"] = rng.choice("1234")
        a["has_disability_cert"] = "yes" if rng.random() < 0.75 else "no"
        a["disability_subsidies"] = a["has_disability_cert"]
    else:
        a["health_status"] = rng.choices(("healthy", "ill", "serious_illness"), (85, 12, 3))[0]
        a["disability_subsidies"] = "no"
    signs = "none"
    if profile == "urgent" and plan.variant == "risk_sign":
        signs = rng.choices(SAFETY_SIGNS, SAFETY_WEIGHTS)[0]
        if rng.random() < 0.4:
            signs += " psych_problem"
    elif rng.random() < 0.06:
        signs = rng.choice(("dropout_risk", "psych_problem"))
    a["risk_signs"] = signs
    wanted = NEEDS.get(profile)
    a["needs"] = " ".join(sorted(rng.sample(wanted, rng.randint(1, 2)))) if wanted else "none"
    poor = a["family_dibao"] == "yes" or a["family_tekun"] == "yes"
    a["education_aid"] = "yes" if poor and a["school_status"] in ENROLLED else "no"
    a["consent"] = "yes"
    return a
