"""Issue 13 in the lists: who is on the health and 应保未保 lists (expected children
written by hand, not computed with the rules under test), and the print order (urgent
first, then township, village and pinyin; a village at a time gives the same order)."""

from __future__ import annotations

import pytest

from surveyapp.core.ledger import PRESETS
from surveyapp.core.ledger.order import print_order, village_runs_sorted
from surveyapp.core.ledger.safetynet import gaps
from surveyapp.core.stats import compute_stats

V1, V2 = "522422102201", "522422102202"


def _row(name, village=V1, **answers):
    return {"record_id": f"r-{name}", "child_name": name, "township_code": village[:9],
            "village_code": village, "status": "active", **answers}


# name -> answers; the comment says by hand which lists the child belongs on.
CHILDREN = {
    "周梅": {"health_status": "healthy", "family_difficulty": "medical", "needs": "none",
             "medical_insurance": "yes"},                             # neither
    "吴静": {"health_status": "healthy", "family_difficulty": "medical living",
             "medical_insurance": "yes", "needs": "education"},        # neither
    "马兰": {"health_status": "ill", "medical_insurance": "no"},       # health; unenrolled
    "郑强": {"health_status": "healthy", "needs": "rehab", "medical_insurance": "yes"},  # health
    "钱红": {"health_status": "disabled", "dk_disability": "yes",
             "disability_subsidies": "yes", "medical_insurance": "yes"},  # health
    "冯丽": {"health_status": "healthy", "medical_insurance": ""},      # neither (unknown)
    "陈刚": {"health_status": "healthy", "dk_poverty": "yes", "family_dibao": "no",
             "family_tekun": "no", "medical_insurance": "yes"},         # unenrolled
    "褚燕": {"health_status": "healthy", "dk_poverty": "yes", "family_tekun": "yes",
             "medical_insurance": "yes"},                               # neither (特困)
    "卫东": {"health_status": "healthy", "is_orphan": "yes", "orphan_allowance": "no",
             "medical_insurance": "yes"},                               # unenrolled
    "蒋芳": {"health_status": "serious_illness", "status": "exited"},  # neither (exited)
}
HEALTH = {"马兰", "郑强", "钱红"}
UNENROLLED = {"马兰", "陈刚", "卫东"}


@pytest.mark.parametrize(("preset", "expected"), [("health", HEALTH),
                                                  ("unenrolled", UNENROLLED)])
def test_preset__holds_exactly_the_children_it_describes(preset, expected):
    rows = [_row(name, **answers) for name, answers in CHILDREN.items()]
    assert {r["child_name"] for r in rows if PRESETS[preset].select(r)} == expected


def test_unenrolled__list_as_long_as_the_statistics(labels):
    rows = [_row(name, **answers) for name, answers in CHILDREN.items()]
    listed = [r for r in rows if PRESETS["unenrolled"].select(r)]
    stats = compute_stats(rows, labels=labels, county_name="县")
    table = stats.table("gaps_by_township")
    keys = ("dibao", "orphan", "unsupported", "disability", "insurance")
    assert sum(table.column_total(k) for k in keys) == sum(len(gaps(r)) for r in listed) == 3
    assert gaps(_row("马兰", **CHILDREN["马兰"])) == ["未参加医保"]


def test_print_order__urgent_first_then_village_then_pinyin():
    rows = [
        _row("张伟", V1), _row("王芳", V1), _row("安娜", V2), _row("李雷", V1),
        _row("赵敏", V2, urgent_report="yes"), _row("孙悦", V1, urgent_report="yes"),
        _row("王芳", V1, record_id="r-王芳-2"),
    ]
    ordered = print_order(rows)
    # By hand: urgent 孙悦 (V1) then 赵敏 (V2); V1 by pinyin li < wang < wang < zhang; V2 安娜.
    assert [(r["child_name"], r["record_id"]) for r in ordered] == [
        ("孙悦", "r-孙悦"), ("赵敏", "r-赵敏"), ("李雷", "r-李雷"), ("王芳", "r-王芳"),
        ("王芳", "r-王芳-2"), ("张伟", "r-张伟"), ("安娜", "r-安娜")]
    # The store gives rows by village (character order within); sorting one village at a
    # time, urgent and others apart, gives the same order.
    by_store = sorted(rows, key=lambda r: (r["village_code"], r["child_name"], r["record_id"]))
    streamed = [*village_runs_sorted(r for r in by_store if r.get("urgent_report") == "yes"),
                *village_runs_sorted(r for r in by_store if r.get("urgent_report") != "yes")]
    assert streamed == ordered
