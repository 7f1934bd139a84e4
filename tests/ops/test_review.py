"""REV-1 dry-run plan over a real store; REV-2 conflict side by side, resolved field by field
into a merge revision with both parents; REV-3 duplicates found with evidence, decided as
revisions, never merged automatically; REV-4 return to village travels as a revision and
clears on the next visit; REV-5 Hypothesis: union over real SQLCipher stores is idempotent,
order-independent and lossless."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveyapp.core.merge.plan import Outcome
from surveyapp.core.store import Workspace
from surveyapp.core.store.revisions import Revision
from surveyapp.ops import review

KEY = bytes.fromhex("c3" * 32)
V1, V2 = "522422102201", "522422102202"
_n = itertools.count()


def _ws(tmp_path, role="village", org=V1, name=None):
    return Workspace.create_with_key(tmp_path / f"{name or role}-{next(_n)}.sdb", KEY, role=role,
                                     org_code=org, org_name="测试", user=f"{role}-user")


def _answers(name="张小明", idn="52242220100101123X", village=V1, **more):
    d = {"survey_date": "2026-07-01", "township_code": village[:9], "village_code": village,
         "child_name": name, "sex": "male", "id_number": idn, "birth_date": "2010-01-01",
         "mother_name": "李芳", "risk_level": "low", "follow_up_days": 90}
    d.update(more)
    return d


def _all(ws):
    return [rev for _, rev in ws.iter_revisions()]


def _copy(src, dst):
    return dst.insert_revisions(_all(src))


def test_plan_then_apply__counts_and_noop(tmp_path):  # REV-1
    village, town = _ws(tmp_path), _ws(tmp_path, "township", V1[:9])
    village.save_visit(None, _answers(), form_id="child_screening", form_version="1")
    p = review.plan_import(town, _all(village))
    assert p.count(Outcome.NEW) == 2 and len(p.new) == 2  # the child and its visit
    assert town.count_children() == 0  # planning writes nothing
    _copy(village, town)
    again = review.plan_import(town, _all(village))
    assert again.is_noop and again.count(Outcome.UNCHANGED) == 2


def test_conflict__diff_and_field_resolution(tmp_path):  # REV-2
    village, town = _ws(tmp_path), _ws(tmp_path, "township", V1[:9])
    first = village.save_visit(None, _answers(), form_id="f", form_version="1")
    _copy(village, town)
    village.save_visit(first.child_id, _answers(risk_level="medium"), form_id="f", form_version="1")
    town.save_visit(first.child_id, _answers(child_name="张晓明"), form_id="f", form_version="1")
    p = review.plan_import(town, _all(village))
    assert p.records[first.child_id].outcome is Outcome.CONFLICT
    _copy(village, town)
    [c] = review.conflicts(town)
    names = {d.name for d in c.diff}
    assert {"child_name", "risk_level"} <= names and "status" not in names
    by_name = {h.data["child_name"]: h.id for h in c.heads}
    by_risk = {h.data["risk_level"]: h.id for h in c.heads}
    merged = review.resolve(town, c.record_id, fields={"child_name": by_name["张晓明"],
                                                       "risk_level": by_risk["medium"]})
    heads = town.heads(c.record_id)
    assert [h.id for h in heads] == [merged]
    assert set(heads[0].parents) == {h.id for h in c.heads}
    assert heads[0].data["child_name"] == "张晓明" and heads[0].data["risk_level"] == "medium"
    assert review.conflicts(town) == []
    # The resolution travels back down like any other revision.
    _copy(town, village)
    assert [h.id for h in village.heads(c.record_id)] == [merged]


def test_resolve_without_conflict__error(tmp_path):  # REV-2
    ws = _ws(tmp_path)
    r = ws.save_visit(None, _answers(), form_id="f", form_version="1")
    with pytest.raises(review.SurveyError) as info:
        review.resolve(ws, r.child_id, take=r.child_rev)
    assert info.value.code is review.ReviewCode.REVIEW_001


def test_duplicates__evidence_decision_no_automerge(tmp_path):  # REV-3
    a, b = _ws(tmp_path, org=V1), _ws(tmp_path, org=V2)
    town = _ws(tmp_path, "township", V1[:9])
    ra = a.save_visit(None, _answers(), form_id="f", form_version="1")
    rb = b.save_visit(None, _answers(village=V2), form_id="f", form_version="1")
    _copy(a, town)
    _copy(b, town)
    [cand] = review.duplicate_candidates(town)
    assert cand.kind.value == "moved" and cand.pair == {ra.child_id, rb.child_id}
    assert set(cand.evidence["village_code"]) == {V1, V2}
    assert town.count_children() == 2  # nothing merged automatically
    rev = review.decide_duplicate(town, ra.child_id, rb.child_id, "moved", "随父母迁居")
    assert review.duplicate_candidates(town) == []
    assert town.get_revision(rev).data["decision"] == "moved"
    assert town.count_children() == 2
    with pytest.raises(review.SurveyError):
        review.decide_duplicate(town, ra.child_id, rb.child_id, "merge")


def test_return_to_village__travels_and_clears(tmp_path):  # REV-4
    village, town = _ws(tmp_path), _ws(tmp_path, "township", V1[:9])
    r = village.save_visit(None, _answers(), form_id="f", form_version="1")
    _copy(village, town)
    review.return_to_village(town, r.child_id, "身份证号与户口簿不一致，请核实")
    _copy(town, village)
    [row] = review.returned_children(village)
    assert row.record_id == r.child_id
    assert village.get_child(r.child_id).data["review_comment"].startswith("身份证号")
    village.save_visit(r.child_id, _answers(id_number="522422201001011234"), form_id="f",
                       form_version="1")
    assert review.returned_children(village) == []


@st.composite
def _histories(draw):
    """Concurrent edits of a few children on three devices, exchanged in random batches."""
    steps = draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.booleans()),
                          min_size=1, max_size=8))
    order = draw(st.permutations(range(3)))
    return steps, order


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_histories())
def test_union_over_real_stores__idempotent_commutative_lossless(tmp_path, history):  # REV-5
    steps, order = history
    devices = [_ws(tmp_path, org=V1, name=f"d{i}") for i in range(3)]
    child_ids: list[str | None] = [None, None, None]
    for dev, child, sync in steps:
        cid = child_ids[child]
        r = devices[dev].save_visit(cid, _answers(name=f"儿童{child}", risk_level=str(dev)),
                                    form_id="f", form_version="1")
        if cid is None:
            child_ids[child] = r.child_id
            for other in devices:  # a new child is known everywhere before concurrent edits
                _copy(devices[dev], other)
        if sync:
            _copy(devices[dev], devices[(dev + 1) % 3])
    batches = [_all(d) for d in devices]
    once, twice, shuffled = (_ws(tmp_path, "county", V1[:6], n) for n in ("o", "t", "s"))
    for b in batches:
        once.insert_revisions(b)
        twice.insert_revisions(b)
        twice.insert_revisions(b)
    for i in order:
        shuffled.insert_revisions(list(reversed(batches[i])))

    def state(ws):
        ids = {r.id for r in _all(ws)}
        rows = ws.query_children(None, 0, 100)
        return ids, {(r.record_id, r.head_rev, r.conflict) for r in rows}, ws.count_children()

    assert state(once) == state(twice) == state(shuffled)
    assert state(once)[0] == {r.id for b in batches for r in b}
    for ws in (*devices, once, twice, shuffled):
        ws.close()


def test_revision_bytes_roundtrip__same_id(tmp_path):  # REV-5: what travels is what is hashed
    ws = _ws(tmp_path)
    r = ws.save_visit(None, _answers(), form_id="f", form_version="1")
    rev = ws.get_revision(r.child_rev)
    assert Revision.from_body(rev.body, rev.id).id == r.child_rev


def test_field_resolution__calculates_follow_the_merged_answers(tmp_path):  # REV-2
    # One head says the father works away, the other the mother; taking each parent's
    # status from a different head must yield 留守儿童, not either head's stale conclusion.
    from surveyapp.core.forms import load_form
    from surveyapp.core.forms.session import FormSession
    from surveyapp.paths import FORM_PATH

    form = load_form(FORM_PATH)
    base = {"survey_date": "2026-07-01", "township_code": V1[:9], "village_code": V1,
            "residence_type": "rural", "surveyor_name": "王芳", "child_name": "张小明",
            "has_id_number": "yes", "id_number": "522422201603150011", "sex": "male",
            "birth_date": "2016-03-15", "hukou_rural": "yes", "health_status": "healthy",
            "father_status": "at_home", "mother_status": "at_home", "carer_type": "parent",
            "carer_health": "good", "risk_signs": "none", "consent": "yes"}

    def filled(**more):
        answers = dict(base, **more)
        return FormSession(form, answers).submission()

    village, town = _ws(tmp_path), _ws(tmp_path, "township", V1[:9])
    first = village.save_visit(None, filled(), form_id=form.form_id, form_version=form.version)
    _copy(village, town)
    village.save_visit(first.child_id, filled(father_status="away_out_province",
                                              father_away_months=12),
                       form_id=form.form_id, form_version=form.version)
    town.save_visit(first.child_id, filled(mother_status="away_out_province",
                                           mother_away_months=12),
                    form_id=form.form_id, form_version=form.version)
    _copy(village, town)
    [c] = review.conflicts(town)
    assert {h.data["is_left_behind"] for h in c.heads} == {"no"}
    by_father = {h.data["father_status"]: h.id for h in c.heads}
    by_mother = {h.data["mother_status"]: h.id for h in c.heads}
    merged = review.resolve(town, c.record_id, fields={
        "father_status": by_father["away_out_province"],
        "father_away_months": by_father["away_out_province"],
        "mother_status": by_mother["away_out_province"],
        "mother_away_months": by_mother["away_out_province"]})
    [head] = town.heads(c.record_id)
    assert head.id == merged
    assert head.data["is_left_behind"] == "yes"
    assert head.data["category_label"] == "留守儿童"
    assert head.data["status"] == c.heads[0].data["status"]  # record keys are kept
