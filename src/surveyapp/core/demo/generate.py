"""``generate_demo``: households, visits over time, exits, conflicts and duplicates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from surveyapp.core.demo.county import COUNTY, TOWNSHIPS, VILLAGES, OrgUnit, township_of
from surveyapp.core.demo.families import (
    Answers,
    Generator,
    Plan,
    child_answers,
    household_answers,
    plan_household,
)
from surveyapp.core.demo.model import (
    PROFILES,
    DemoChild,
    DemoCounty,
    DemoExit,
    DemoHousehold,
    DemoVisit,
    DuplicateKind,
    Profile,
)

# Share of children by target profile; ``none`` takes the rest.
PROFILE_WEIGHTS: dict[Profile, float] = {
    "left_behind": 0.24,
    "orphan": 0.025,
    "unsupported": 0.035,
    "poverty": 0.10,
    "disability": 0.055,
    "guardianship": 0.03,
    "urgent": 0.035,
    "none": 0.48,
}
# Days until the next visit, roughly as the form's follow_up_days would give.
CYCLE: dict[Profile, int] = {
    "urgent": 7,
    "poverty": 30,
    "disability": 30,
    "unsupported": 30,
    "guardianship": 30,
}
SAFETY = {"injury", "abuse", "no_carer", "infringement", "abandonment", "missing_child"}


def generate_demo(
    seed: int = 2016, children: int = 2000, today: dt.date | None = None
) -> DemoCounty:
    """Generate the demo county deterministically from ``seed`` and ``today``.

    :param seed: the same seed and ``today`` give the same county, field for field.
    :param children: the number of child records, duplicates included.
    :param today: the last possible visit date (``date.today()`` when None).
    :raises ValueError: when ``children`` is negative.
    """
    if children < 0:
        raise ValueError("children must be >= 0")
    today = today or dt.date.today()
    g = Generator(seed)
    n_dups = 0 if children < 40 else max(4, children // 200)
    rounds = {v.code: today - dt.timedelta(days=g.rng.randint(45, 200)) for v in VILLAGES}
    surveyors = {v.code: (str(g.fake.name()), str(g.fake.name())) for v in VILLAGES}
    households: list[DemoHousehold] = []
    kids: list[DemoChild] = []
    profiles = list(PROFILES)
    g.rng.shuffle(profiles)  # the first households cover every profile once
    while len(kids) < children - n_dups:
        if profiles:
            profile = profiles.pop()
        else:
            profile = g.rng.choices(list(PROFILE_WEIGHTS), list(PROFILE_WEIGHTS.values()))[0]
        village = g.rng.choice(VILLAGES)
        first = min(today, rounds[village.code] + dt.timedelta(days=g.rng.randint(0, 30)))
        room = children - n_dups - len(kids)
        hh, members = _household(
            g, len(households), len(kids), profile, village, first, room, surveyors[village.code]
        )
        households.append(hh)
        kids.extend(_with_visits(g, m, today) for m in members)
    _parents_return(g, kids, today)
    kids = [_aged_out(g, c, today) for c in kids]
    _deceased(g, kids, today)
    _conflicts(g, kids)
    _duplicates(g, kids, households, n_dups, today, surveyors)
    return DemoCounty(seed, today, COUNTY, TOWNSHIPS, VILLAGES, tuple(households), tuple(kids))


def _household(
    g: Generator,
    h_index: int,
    c_index: int,
    profile: Profile,
    village: OrgUnit,
    first: dt.date,
    room: int,
    surveyors: tuple[str, str],
) -> tuple[DemoHousehold, list[DemoChild]]:
    rng = g.rng
    plan: Plan = plan_household(rng, profile)
    n = 1 if plan.single_child else rng.choices((1, 2, 3), (45, 38, 17))[0]
    n = min(n, room)
    ages = rng.sample(
        range(plan.min_age, plan.max_age + 1), min(n, plan.max_age - plan.min_age + 1)
    )
    shared = household_answers(g, plan, village, rng.choice(surveyors))
    hkey = f"H{h_index + 1:05d}"
    members: list[DemoChild] = []
    answers = [
        child_answers(g, shared, plan, village, age, i == 0, first) for i, age in enumerate(ages)
    ]
    for i, a in enumerate(answers):
        siblings = [
            {
                "sibling_name": o["child_name"],
                "sibling_sex": o["sex"],
                "sibling_birth_year": int(o["birth_date"][:4]),
                "sibling_lives_with": "yes",
            }
            for j, o in enumerate(answers)
            if j != i
        ]
        if siblings:
            a["siblings"] = siblings
        members.append(
            DemoChild(
                key=f"C{c_index + i + 1:05d}",
                household_key=hkey,
                township_code=village.parent or "",
                village_code=village.code,
                profile=plan.first if i == 0 else plan.base,
                visits=(DemoVisit(first, a),),
            )
        )
    at_home = shared["father_status"] == "at_home"
    head = str(
        shared["father_name"] if at_home else shared.get("carer_name", shared["father_name"])
    )
    hh = DemoHousehold(
        hkey,
        village.parent or "",
        village.code,
        head,
        shared["current_address"],
        tuple(m.key for m in members),
    )
    return hh, members


def _follow_up(prev: Answers, on: dt.date, resolve: bool) -> Answers:
    a = dict(prev)
    months = (on - dt.date.fromisoformat(prev["survey_date"])).days // 30
    a["survey_date"] = on.isoformat()
    for p in ("father", "mother"):
        if f"{p}_away_months" in a:
            a[f"{p}_away_months"] = min(600, int(a[f"{p}_away_months"]) + months)
    signs = set(str(a.get("risk_signs", "none")).split())
    if resolve and signs & SAFETY:
        a["risk_signs"] = "psych_problem"
        a["remarks"] = "已向公安机关报告并通报乡镇、县民政局；已落实临时照护，持续跟进。"
    else:
        a["remarks"] = "回访：情况稳定。"
    return a


def _with_visits(g: Generator, child: DemoChild, today: dt.date) -> DemoChild:
    rng = g.rng
    visits = list(child.visits)
    cycle = CYCLE.get(child.profile, 90)
    while rng.random() < 0.65:  # some children are overdue: the next visit did not happen
        on = visits[-1].survey_date + dt.timedelta(days=cycle + rng.randint(-3, 10))
        if on > today:
            break
        visits.append(DemoVisit(on, _follow_up(dict(visits[-1].answers), on, resolve=True)))
        cycle = 30 if cycle == 7 else cycle
    return _replace(child, visits=tuple(visits))


def _replace(child: DemoChild, **changes: Any) -> DemoChild:
    return dataclasses.replace(child, **changes)


def _parents_return(g: Generator, kids: list[DemoChild], today: dt.date) -> None:
    """Some left-behind households see both parents come home, and leave the list."""
    by_household: dict[str, list[int]] = {}
    for i, c in enumerate(kids):
        if c.profile == "left_behind":
            by_household.setdefault(c.household_key, []).append(i)
    for idx in by_household.values():
        if g.rng.random() >= 0.06:
            continue
        last = max(kids[i].latest.survey_date for i in idx)
        on = last + dt.timedelta(days=g.rng.randint(10, 40))
        if on >= today:
            continue
        for i in idx:
            a = _follow_up(dict(kids[i].latest.answers), on, resolve=False)
            for p in ("father", "mother"):
                a[f"{p}_status"] = "at_home"
                a.pop(f"{p}_away_place", None)
                a.pop(f"{p}_away_months", None)
            a.pop("entrusted_guardian", None)
            a.pop("entrusted_agreement", None)
            a.update(
                carer_type="parent",
                carer_name=a["mother_name"],
                carer_relation="母亲",
                carer_age=int(a.get("carer_age", 35)) % 20 + 28,
                carer_health="good",
                contact_frequency="weekly",
                remarks="父母已返乡，由父母共同照料。",
            )
            exit_ = DemoExit(
                on + dt.timedelta(days=1), "parents_returned", "父母均已返乡，不再属于留守儿童。"
            )
            kids[i] = _replace(kids[i], visits=(*kids[i].visits, DemoVisit(on, a)), exit=exit_)


def _aged_out(g: Generator, child: DemoChild, today: dt.date) -> DemoChild:
    birth = dt.date.fromisoformat(child.visits[0].answers["birth_date"])
    eighteen = (
        birth.replace(year=birth.year + 18)
        if (birth.month, birth.day) != (2, 29)
        else (dt.date(birth.year + 18, 3, 1))
    )
    if child.exit is not None or not (child.visits[0].survey_date < eighteen <= today):
        return child
    visits = tuple(v for v in child.visits if v.survey_date < eighteen)
    on = min(today, eighteen + dt.timedelta(days=g.rng.randint(0, 20)))
    return _replace(child, visits=visits, exit=DemoExit(on, "aged_out", "已年满18周岁，退出台账。"))


def _deceased(g: Generator, kids: list[DemoChild], today: dt.date) -> None:
    candidates = [i for i, c in enumerate(kids) if c.exit is None and c.profile == "disability"]
    for i in g.rng.sample(candidates, min(len(kids) // 1000 + 1, len(candidates))):
        on = min(today, kids[i].latest.survey_date + dt.timedelta(days=g.rng.randint(5, 60)))
        kids[i] = _replace(kids[i], exit=DemoExit(on, "deceased", "因病医治无效死亡，已核实。"))


def _conflicts(g: Generator, kids: list[DemoChild]) -> None:
    """About 1.5% of children get a concurrent edit of their last visit on another device."""
    for i, c in enumerate(kids):
        if c.exit is not None or g.rng.random() >= 0.015:
            continue
        a = dict(c.latest.answers)
        if a.get("carer_type") != "self" and g.rng.random() < 0.6:
            a["carer_phone"] = g.phone()
            a["remarks"] = "乡镇复核：照料人电话已更正。"
        else:
            a["remarks"] = "乡镇复核：家庭住址门牌号已更正。"
            a["current_address"] = str(a["current_address"]).rstrip("号") + "附1号"
        kids[i] = _replace(c, conflict=a)


def _duplicates(
    g: Generator,
    kids: list[DemoChild],
    households: list[DemoHousehold],
    n: int,
    today: dt.date,
    surveyors: dict[str, tuple[str, str]],
) -> None:
    """Possible duplicates: the same ID in two villages, a child who moved, a look-alike."""
    rng = g.rng
    kinds: list[DuplicateKind] = ["same_id", "moved", "same_name_birth"]
    pool = [
        i
        for i, c in enumerate(kids)
        if c.exit is None
        and c.conflict is None
        and c.profile != "urgent"
        and c.visits[0].answers.get("has_id_number") == "yes"
        and c.latest.survey_date <= today - dt.timedelta(days=40)
    ]
    rng.shuffle(pool)
    for k in range(min(n, len(pool))):
        i, kind = pool[k], kinds[k % 3]
        orig = kids[i]
        village = rng.choice([v for v in VILLAGES if v.parent != orig.township_code])
        last = orig.latest.survey_date
        if kind == "moved":
            left = last + dt.timedelta(days=rng.randint(5, 15))
            kids[i] = _replace(
                orig, exit=DemoExit(left, "moved_away", f"随家人迁往{village.name}。")
            )
            on = min(today, left + dt.timedelta(days=rng.randint(5, 20)))
        else:
            on = min(today, last + dt.timedelta(days=rng.randint(-20, 20)))
        a = dict(orig.latest.answers)
        town = township_of(village.code)
        a.update(
            survey_date=on.isoformat(),
            township_code=town.code,
            village_code=village.code,
            residence_type="urban" if village.urban else "rural",
            surveyor_name=rng.choice(surveyors[village.code]),
            remarks="",
        )
        if kind != "same_id":
            a["current_address"] = (
                f"{town.name}{village.name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
            )
        if kind == "same_name_birth":
            a.update(has_id_number="no", no_id_reason="other")
            a.pop("id_number", None)
        hkey = f"H{len(households) + 1:05d}"
        key = f"C{len(kids) + 1:05d}"
        households.append(
            DemoHousehold(
                hkey,
                town.code,
                village.code,
                str(a.get("carer_name", a["child_name"])),
                a["current_address"],
                (key,),
            )
        )
        kids.append(
            DemoChild(
                key,
                hkey,
                town.code,
                village.code,
                orig.profile,
                (DemoVisit(on, a),),
                duplicate_of=orig.key,
                duplicate_kind=kind,
            )
        )
