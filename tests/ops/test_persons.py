"""PER-1..6 persons, not entries (issue 13): a link or moved decision makes two files one
person in every count; the surviving answers are the reviewer's, field by field; both
histories stay and reach each other; separate keeps two; decisions travel and give the same
persons on every tier in any order (Hypothesis); an older workspace is migrated and counted
by persons; a new child whose ID number is on file is caught at the door."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveyapp.core.store import ChildFilter, Workspace, migrations
from surveyapp.core.store.connection import connect
from surveyapp.core.store.revisions import Revision
from surveyapp.errors import SurveyError
from surveyapp.ops import children, ledger, review
from surveyapp.ops.codes import ChildCode, ReviewCode

KEY = bytes.fromhex("d4" * 32)
V1, V2 = "522422102201", "522422102202"
PERSONS = ChildFilter(include_exited=True, persons=True)
_n = itertools.count()


def _ws(tmp_path, role="village", org=V1, name=None):
    return Workspace.create_with_key(tmp_path / f"{name or role}-{next(_n)}.sdb", KEY,
                                     role=role, org_code=org, org_name="测试",
                                     user=f"{role}-user")


def _answers(name="张小明", idn="52242220100101123X", village=V1, **more):
    d = {"survey_date": "2026-07-01", "township_code": village[:9], "village_code": village,
         "child_name": name, "sex": "male", "id_number": idn, "birth_date": "2010-01-01",
         "mother_name": "李芳", "risk_level": "low", "follow_up_days": 90,
         "is_left_behind": "yes"}
    d.update(more)
    return d


def _save(ws, **kw):
    return ws.save_visit(None, _answers(**kw), form_id="f", form_version="1").child_id


def _all(ws):
    return [rev for _, rev in ws.iter_revisions()]


def test_link__one_person_kept_answers_both_histories(tmp_path):  # PER-1
    town = _ws(tmp_path, "township", V1[:9])
    right = _save(town, name="王丽", survey_date="2026-06-01")
    typo = _save(town, name="王莉", survey_date="2026-07-02", risk_level="medium")
    other = _save(town, name="刘洋", idn="522422201201011234")
    assert town.count_children(PERSONS) == 3
    before = {r.id for r in _all(town)}

    # The typo file was visited last: it survives by default, but the reviewer keeps the
    # name of the other file.
    rev = review.decide_duplicate(town, right, typo, "link", "同一儿童，姓名录错",
                                  fields={"child_name": right})
    link = town.get_revision(rev)
    assert link.data["survivor"] == typo and link.data["decision"] == "link"
    assert town.count_children(PERSONS) == 2
    assert town.count_children(ChildFilter()) == 2  # the active list shows persons too
    assert town.count_children(None) == 3  # both files stay on file
    person = town.get_child(typo)
    assert person.child_name == "王丽" and person.risk_level == "medium"
    assert [r["record_id"] for r in ledger.iter_workspace_rows(town)].count(typo) == 1
    assert right not in {r["record_id"] for r in ledger.iter_workspace_rows(town)}
    # Nothing is lost: every earlier revision is still there, each file keeps its history.
    assert before <= {r.id for r in _all(town)}
    assert len(town.child_history(right)) == 1 and len(town.child_history(typo)) == 2
    # From either file, the other is one click away.
    files = review.person_files(town, typo)
    assert files.person_id == typo and [o[0] for o in files.others] == [right]
    back = review.person_files(town, right)
    assert back.person_id == typo and back.absorbed_by["decision"] == "link"
    assert town.get_child(other) is not None


def test_moved__counted_once_where_it_lives_old_file_says_so(tmp_path):  # PER-2
    town = _ws(tmp_path, "township", V1[:9])
    old = _save(town, village=V1, survey_date="2026-03-01")
    new = _save(town, village=V2, survey_date="2026-07-01")
    review.decide_duplicate(town, old, new, "moved", "随母亲迁居")
    rows = list(ledger.iter_workspace_rows(town))
    assert [(r["record_id"], r["village_code"]) for r in rows] == [(new, V2)]
    stats = ledger.workspace_stats(town)
    assert stats.children == 1
    by_village = stats.table("category_by_village")
    assert by_village.value(V2, "total") == 1 and by_village.value(V1, "total") == 0
    [move] = review.moves(town)
    assert (move.old_record, move.new_record, move.moved_from, move.moved_to, move.moved_on) \
        == (old, new, V1, V2, "2026-07-01")
    assert review.person_files(town, old).absorbed_by["moved_to"] == V2


def test_separate__two_children_and_a_later_decision_wins(tmp_path):  # PER-3
    town = _ws(tmp_path, "township", V1[:9])
    a, b = _save(town), _save(town, name="张晓明")
    review.decide_duplicate(town, a, b, "separate")
    assert town.count_children(PERSONS) == 2
    assert review.duplicate_candidates(town) == []
    review.decide_duplicate(town, a, b, "link")  # on second thought: the same child
    assert town.count_children(PERSONS) == 1
    review.decide_duplicate(town, a, b, "separate")
    assert town.count_children(PERSONS) == 2


def test_bad_survivor__refused_nothing_written(tmp_path):  # PER-1
    town = _ws(tmp_path, "township", V1[:9])
    a, b, c = _save(town), _save(town, name="张晓明"), _save(town, name="李四", idn="")
    count = len(_all(town))
    with pytest.raises(SurveyError) as err:
        review.decide_duplicate(town, a, b, "link", survivor=c)
    assert err.value.code is ReviewCode.REVIEW_005
    with pytest.raises(SurveyError) as err:
        review.decide_duplicate(town, a, "no-such-record", "link")
    assert err.value.code is ReviewCode.REVIEW_003
    assert len(_all(town)) == count and town.count_children(PERSONS) == 3


def test_older_workspace__migrated_and_counted_by_persons(tmp_path):  # PER-5
    """A schema-4 file with a link decision already on it counts persons once opened."""
    from surveyapp.core.store import views

    source = _ws(tmp_path, "township", V1[:9])
    a, b = _save(source), _save(source, name="张晓明")
    # A decision as written before schema 5: no survivor named.
    old_link = Revision.make(kind="link", record_id=review.pair_id(a, b), author="x",
                             device_id="d", data={"records": sorted((a, b)),
                                                  "decision": "link", "note": ""})
    path = tmp_path / "v4.sdb"
    conn = connect(path, KEY, create=True)
    conn.use_wal()
    migrations.apply(conn, upto=4)
    revs = [*_all(source), old_link]
    named = {p for r in revs for p in r.parents}
    with conn.atomic():  # written as schema 4 stored them (text keys)
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [("role", "county"), ("org_code", "522422")])
        conn.executemany("INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [(r.id, r.kind, r.record_id, r.created_at, r.author, r.device_id,
                           r.form_id, r.form_version, r.body, n)
                          for n, r in enumerate(revs, 1)])
        conn.executemany("INSERT INTO parents VALUES (?, ?)",
                         [(r.id, p) for r in revs for p in r.parents])
        conn.executemany("INSERT INTO heads VALUES (?, ?)",
                         [(r.record_id, r.id) for r in revs if r.id not in named])
        heads = {r.record_id: r for r in revs if r.id not in named and r.kind == "child"}
        conn.executemany(
            f"INSERT INTO children ({', '.join(views.COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(views.COLUMNS))})",
            [views.row_values(heads[rid], False) for rid in (a, b)])
    conn.close()
    with Workspace.open_with_key(path, KEY, "wang") as ws:  # migrates to the latest
        assert ws.schema_version == migrations.latest()
        assert ws.count_children(None) == 2
        assert ws.count_children(PERSONS) == 1
        assert ws.absorbed_into(max(a, b)).person_id == min(a, b)


def test_same_id_on_file__caught_before_saving(tmp_path):  # PER-6
    from pathlib import Path

    form = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
    from uihelpers import answers as good

    village = _ws(tmp_path)
    first = children.save_visit(village, good(), form_path=form)
    count = len(_all(village))
    with pytest.raises(SurveyError) as err:
        children.save_visit(village, good(child_name="张晓明"), form_path=form)
    assert err.value.code is ChildCode.CHILD_003
    assert err.value.context["record"] == first
    assert len(_all(village)) == count  # nothing saved
    # A follow-up visit on that file is fine, and so is a new file when the user insists.
    assert children.save_visit(village, good(), child_id=first, form_path=form) == first
    second = children.save_visit(village, good(), form_path=form, new_anyway=True)
    assert second != first


# ---- PER-4: any entries, any decisions, any import order -----------------------------------

@st.composite
def _scenarios(draw):
    """Children entered one to three times (in either village); decisions on pairs of files,
    some revised later; the county imports everything in a random order of chunks."""
    entries = draw(st.lists(st.integers(1, 3), min_size=1, max_size=4))
    files = [(child, k) for child, times in enumerate(entries) for k in range(times)]
    pairs = [(i, j) for i in range(len(files)) for j in range(i + 1, len(files))]
    decisions = draw(st.lists(
        st.tuples(st.sampled_from(pairs) if pairs else st.nothing(),
                  st.sampled_from(("link", "moved", "separate"))),
        max_size=6)) if pairs else []
    villages = draw(st.lists(st.sampled_from((V1, V2)), min_size=len(files),
                             max_size=len(files)))
    seed = draw(st.integers(0, 2**16))
    chunk = draw(st.integers(1, 5))
    return entries, files, decisions, villages, seed, chunk


def _components(n, edges):
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    return len({find(i) for i in range(n)})


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_scenarios())
def test_persons__any_order_count_is_distinct_children_no_revision_lost(tmp_path, case):
    _entries, files, decisions, villages, seed, chunk = case
    villages_ws = {v: _ws(tmp_path, org=v) for v in (V1, V2)}
    town = _ws(tmp_path, "township", V1[:9])
    ids = []
    for (child, k), village in zip(files, villages, strict=True):
        ws = villages_ws[village]
        ids.append(ws.save_visit(None, _answers(name=f"儿童{child}", idn="", village=village,
                                                survey_date=f"2026-0{k + 1}-01"),
                                 form_id="f", form_version="1").child_id)
    for ws in villages_ws.values():
        town.insert_revisions(_all(ws))
    final: dict[tuple[int, int], str] = {}
    for (i, j), decision in decisions:
        review.decide_duplicate(town, ids[i], ids[j], decision)
        final[(i, j)] = decision
    expected = _components(len(ids), [p for p, d in final.items() if d != "separate"])

    everything = _all(town)
    random.Random(seed).shuffle(everything)
    county = _ws(tmp_path, "county", "522422")
    for start in range(0, len(everything), chunk):
        county.insert_revisions(everything[start:start + chunk])

    assert town.count_children(PERSONS) == expected
    assert county.count_children(PERSONS) == expected
    assert len(list(ledger.iter_workspace_rows(county))) == expected
    assert ledger.workspace_stats(county).children == expected
    # Township and county agree on who is one person, and nothing was lost.
    assert {(f.record_id, f.person_id) for f in county.absorbed_files()} == \
        {(f.record_id, f.person_id) for f in town.absorbed_files()}
    assert {r.id for r in _all(county)} == {r.id for r in everything}
    assert county.count_children(None) == len(ids)
    for ws in (*villages_ws.values(), town, county):
        ws.close()
