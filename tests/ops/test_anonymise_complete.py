"""Issue 24 follow-up: anonymising an exited child leaves none of its personal values anywhere
in the store (docs/store.md, "What else anonymising closes").

A township holds two families. Family A: the child 赵小雨 with a household record (the
parents' names, phone, address, a note), a sibling who exits too, a duplicate file linked
into hers with a reviewer's note and a field kept from the duplicate, her old file in the
village she moved from (a ``moved`` decision with a note), a follow-up draft and a draft of
the duplicate. Family B: 孙小花, who exits, and her sister, still on the list. After
``anonymise_due``, every text and blob value of every table (read with the key, as an
insider would) holds none of family A's values; family B's household stays whole because
the sister still needs the parents' phone, and 孙小花's name survives only in her sister's
own file (her list of siblings). Statistics and persons are the same, every hash mismatch
is a listed redaction, the next batch carries no redacted revision, and the county's own
run of the rule on its copies gives the same result."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from surveyapp.core import trust
from surveyapp.core.ledger.sample import sample_rows
from surveyapp.core.store import ChildFilter, Workspace, retention
from surveyapp.core.store.connection import connect
from surveyapp.ops import ledger, review
from surveyapp.ops.audit import note_search, record_read
from surveyapp.ops.batches import export_batch, import_batch

KEY = bytes.fromhex("a7" * 32)
TOWN, V1, V2 = "522422102", "522422102201", "522422102202"
TODAY = dt.date(2026, 12, 7)
AS_OF = (dt.date(2021, 6, 1), dt.date(2024, 1, 1), TODAY)
PERSONS = ChildFilter(include_exited=True, persons=True)

# Family A: every child anonymised.
X_NAME, X_ID, X_TYPO = "赵小雨", "522422201101011234", "赵小语"
S_NAME, S_ID = "赵小雷", "522422201301011235"
FATHER_A, MOTHER_A, PHONE_A = "赵大山", "钱秀英", "13912345678"
ADDR_A, HH_NOTE_A = "羊场镇坪子村三组5号", "父亲在深圳电子厂打工"
OLD_PHONE, KEPT_PHONE, PREV_PHONE = "13512340000", "13700001111", "13655556666"
REMARK, EXIT_NOTE = "mother works nights", "全家搬往浙江宁波"
LINK_NOTE, MOVE_NOTE, DRAFT_NOTE = "同一儿童，姓名录错", "随母亲迁居到坪子村", "草稿里的备注"
GONE = (X_NAME, X_ID, X_TYPO, S_NAME, S_ID, FATHER_A, MOTHER_A, PHONE_A, ADDR_A, HH_NOTE_A,
        OLD_PHONE, KEPT_PHONE, PREV_PHONE, REMARK, EXIT_NOTE, LINK_NOTE, MOVE_NOTE, DRAFT_NOTE)
# Family B: 孙小花 anonymised, her sister 孙小草 still on the list.
Y_NAME, Y_ID, Y_NOTE = "孙小花", "522422201201015678", "随父母外出"
T_NAME, FATHER_B, PHONE_B = "孙小草", "孙建国", "13887654321"


def _row(seed: int, **over):
    row = {k: v for k, v in next(iter(sample_rows(1, seed=seed))).items()
           if k not in ("record_id", "status", "follow_up_due", "last_visit_date")}
    row.update({"township_code": TOWN, "village_code": V1, "village_name": "坪子村",
                "remarks": "", **over})
    return row


def _save(ws: Workspace, row, household=None) -> str:
    return ws.save_visit(None, row, form_id="child_screening", form_version="2026.1",
                         household_id=household).child_id


def _texts(path: Path) -> dict[str, str]:
    """Every text and blob value of every table, read with the key, by table."""
    conn = connect(path, KEY)
    out: dict[str, list[str]] = {}
    try:
        tables = [str(r[0]) for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        out.setdefault(table, []).append(
                            bytes(value).decode("utf-8", "replace"))
                    elif isinstance(value, str):
                        out.setdefault(table, []).append(value)
    finally:
        conn.close()
    return {table: "\n".join(values) for table, values in out.items()}


def _holding(texts: dict[str, str], value: str) -> list[str]:
    """The tables that hold ``value`` (as stored or JSON-escaped)."""
    escaped = json.dumps(value)[1:-1]
    return sorted(t for t, text in texts.items() if value in text or escaped in text)


def _bodies_with(ws: Workspace, value: str) -> set[tuple[str, str]]:
    """(kind, the child the revision is about) of each revision whose body holds value."""
    out = set()
    for _seq, rev in ws.iter_revisions():
        if value in rev.body.decode():
            out.add((rev.kind, str(rev.data.get("child_id") or rev.record_id)))
    return out


def _stats(ws: Workspace):
    """Every statistics table as of each date (and the duplicates left to review)."""
    return [dataclasses.replace(ledger.workspace_stats(ws, as_of=day), generated=None)
            for day in AS_OF]


@pytest.fixture
def world(tmp_path):
    county = Workspace.create_with_key(tmp_path / "county.sdb", KEY, role="county",
                                       org_code="522422", org_name="大方县", user="c")
    town = Workspace.create_with_key(tmp_path / "town.sdb", KEY, role="township",
                                     org_code=TOWN, org_name="羊场镇", user="t")
    trust.init_county(county)
    trust.accept_enrollment(town, trust.enroll(county, trust.enroll_request(town)))
    trust.apply_update(town, trust.trust_update(county, town.org_code))
    ids = {}
    parents_a = {"father_name": FATHER_A, "mother_name": MOTHER_A, "mother_phone": PHONE_A}
    hh_a, _ = town.save_household(None, {
        "village_code": V1, "head_name": FATHER_A, "father_name": FATHER_A,
        "mother_name": MOTHER_A, "phone": PHONE_A, "address": ADDR_A, "notes": HH_NOTE_A})
    hh_a, _ = town.save_household(hh_a, {  # a second revision: the history goes too
        "village_code": V1, "head_name": FATHER_A, "father_name": FATHER_A,
        "mother_name": MOTHER_A, "phone": PHONE_A, "address": ADDR_A,
        "notes": HH_NOTE_A + "，已返乡"})
    ids["X0"] = _save(town, _row(1, child_name=X_NAME, id_number=X_ID, village_code=V2,
                                 village_name="羊场社区", survey_date="2020-05-01",
                                 birth_date="2011-01-01", mother_phone=OLD_PHONE))
    ids["X"] = _save(town, _row(1, child_name=X_NAME, id_number=X_ID, birth_date="2011-01-01",
                                survey_date="2021-03-01", remarks=REMARK,
                                siblings=[{"sibling_name": S_NAME}],
                                previous_answers={"guardian_phone": {
                                    "value": PREV_PHONE, "form_id": "child_screening",
                                    "form_version": "2025.1"}}, **parents_a), hh_a)
    ids["Xdup"] = _save(town, _row(1, child_name=X_TYPO, id_number=X_ID,
                                   birth_date="2011-01-01", survey_date="2021-02-01",
                                   carer_phone=KEPT_PHONE, **parents_a))
    ids["S"] = _save(town, _row(2, child_name=S_NAME, id_number=S_ID, birth_date="2013-01-01",
                                survey_date="2021-03-01", siblings=[{"sibling_name": X_NAME}],
                                **parents_a), hh_a)
    review.decide_duplicate(town, ids["X"], ids["Xdup"], "link", LINK_NOTE,
                            survivor=ids["X"], fields={"carer_phone": ids["Xdup"]})
    review.decide_duplicate(town, ids["X0"], ids["X"], "moved", MOVE_NOTE,
                            survivor=ids["X"], moved_on="2021-02-15")
    hh_b, _ = town.save_household(None, {
        "village_code": V1, "father_name": FATHER_B, "phone": PHONE_B, "address": "坪子村一组"})
    parents_b = {"father_name": FATHER_B, "father_phone": PHONE_B}
    ids["Y"] = _save(town, _row(3, child_name=Y_NAME, id_number=Y_ID, birth_date="2012-01-01",
                                survey_date="2021-03-01", siblings=[{"sibling_name": T_NAME}],
                                **parents_b), hh_b)
    ids["T"] = _save(town, _row(4, child_name=T_NAME, birth_date="2014-01-01",
                                survey_date="2026-06-01", siblings=[{"sibling_name": Y_NAME}],
                                **parents_b), hh_b)
    town.record_exit(ids["X"], reason="moved_away", date="2022-01-01", note=EXIT_NOTE)
    town.record_exit(ids["S"], reason="moved_away", date="2022-01-01")
    town.record_exit(ids["Y"], reason="moved_away", date="2022-01-01", note=Y_NOTE)
    draft = {"form": "child_screening", "answers": {"child_name": X_NAME, "remarks": DRAFT_NOTE}}
    town.save_draft(f"visit:{ids['X']}", json.dumps({**draft, "record_id": ids["X"]},
                                                    ensure_ascii=False))
    town.save_draft("form:3f2a", json.dumps({**draft, "record_id": ids["Xdup"]},
                                            ensure_ascii=False))
    town.save_draft(f"visit:{ids['T']}", json.dumps(
        {"record_id": ids["T"], "answers": {"child_name": T_NAME}}, ensure_ascii=False))
    record_read(town, "child", ids["X"], via="app")  # the read audit: ids and counts only
    note_search(town, X_ID[:8], 1)
    usb = tmp_path / "usb"
    usb.mkdir()
    assert import_batch(county, export_batch(town, usb).path).inserted > 10
    yield county, town, ids, {"A": hh_a, "B": hh_b}, tmp_path
    county.close()
    town.close()


def test_anonymise__no_personal_value_left_in_any_table(world):
    county, town, ids, households, tmp_path = world
    stats_before, persons_before = _stats(town), town.count_children(PERSONS)
    before = _texts(town.path)
    assert _holding(before, X_NAME) and _holding(before, LINK_NOTE) == ["revisions"]
    assert _holding(before, DRAFT_NOTE) == ["drafts"]

    done = town.anonymise_due(TODAY)
    assert sorted(d.record_id for d in done) == sorted([ids["X"], ids["S"], ids["Y"]])
    after = _texts(town.path)
    assert {"audit", "children", "drafts", "households", "meta", "persons", "redactions",
            "revisions", "secrets"} <= set(after)  # every table is read
    left = {value: _holding(after, value) for value in (*GONE, Y_ID, Y_NOTE)}
    assert left == {value: [] for value in left}
    # Family B: the sister is on the list, so the household keeps the parents' phone, and
    # her own file still lists 孙小花 among her siblings; nothing else does.
    assert _holding(after, PHONE_B) == ["revisions"] and _holding(after, FATHER_B)
    hh_b = town.heads(households["B"])[0]
    assert hh_b.data["phone"] == PHONE_B and hh_b.id not in retention.redacted(town.conn)
    assert _holding(after, Y_NAME) == ["revisions"]
    assert _bodies_with(town, Y_NAME) == {("child", ids["T"]), ("visit", ids["T"])}
    assert _holding(after, T_NAME) == ["children", "drafts", "revisions"]
    # Family A's household: every revision redacted, its id and place kept.
    hh_a = retention.redacted(town.conn) & {r.id for r in town.revisions_of(
        [households["A"]])[households["A"]]}
    assert len(hh_a) == 2 and town.heads(households["A"])[0].data["village_code"] == V1
    # The decisions keep what the count needs, without the reviewer's notes.
    decisions = {d.decision: d for d in town.pair_decisions().values()}
    assert decisions["moved"].data["note"] == decisions["link"].data["note"] == ""
    assert (decisions["moved"].data["moved_from"], decisions["moved"].data["moved_to"],
            decisions["moved"].data["moved_on"]) == (V2, V1, "2021-02-15")
    assert {d.survivor for d in decisions.values()} == {ids["X"]}
    assert town.absorbed_into(ids["Xdup"]).person_id == ids["X"]
    # The absorbed files are redacted in place (no new head), and read as empty.
    for rid in (ids["Xdup"], ids["X0"]):
        assert town.heads(rid)[0].id in retention.redacted(town.conn)
        assert town.get_child(rid).child_name == "" and town.get_child(rid).id_number == ""
    # Drafts of the file and of the file absorbed into it are gone; the sister's stays.
    assert [d.key for d in town.load_drafts()] == [f"visit:{ids['T']}"]
    # Counts, persons, hashes, the audit chain.
    assert _stats(town) == stats_before and town.count_children(PERSONS) == persons_before
    assert retention.unverifiable(town.conn) == []
    mismatched = {rid for rid, body in town.conn.execute("SELECT id, body FROM revisions")
                  if hashlib.sha256(bytes(body)).hexdigest() != rid}
    assert mismatched == retention.redacted(town.conn)
    assert town.verify_audit() is None
    entries = [e for e in town.audit_entries() if e.action == "anonymise"]
    assert sum(e.details["redacted"] for e in entries) == len(mismatched)
    assert {e.details["record"]: e.details["drafts"] for e in entries} == {
        ids["X"]: 2, ids["S"]: 0, ids["Y"]: 0}
    assert town.anonymise_due(TODAY) == []  # nothing left to do

    # The next batch carries the three new heads and no redacted revision, even in full.
    (tmp_path / "2").mkdir()
    assert import_batch(county, export_batch(town, tmp_path / "2").path).inserted == 3
    (tmp_path / "3").mkdir()
    own = town.conn.one("SELECT count(*) FROM revisions WHERE device_id = ?",
                        (town.device_id,))[0]
    full = export_batch(town, tmp_path / "3", full=True)
    assert full.revisions == own - len(mismatched)

    # The county's own run redacts its copies by the same rule, with the same result.
    county_stats = _stats(county)
    assert _holding(_texts(county.path), LINK_NOTE) == ["revisions"]
    assert len(county.anonymise_due(TODAY)) == 3
    texts = _texts(county.path)
    assert "audit_remote" in texts  # the township's audit chain, as received
    assert {v: _holding(texts, v) for v in left} == {v: [] for v in left}
    assert _holding(texts, PHONE_B) == ["revisions"]
    assert _stats(county) == county_stats
    assert retention.unverifiable(county.conn) == []


def test_household_redacted_once_the_last_child_is_anonymised(world):
    """The household waits for the sibling: first one child is due, then the other."""
    _county, town, ids, households, _tmp = world
    town.set_meta(retention.META_KEY, "730")
    # Bring the sister back on the list (a new visit), so only 赵小雨 is due.
    town.save_visit(ids["S"], _row(2, child_name=S_NAME, id_number=S_ID,
                                   birth_date="2013-01-01", survey_date="2022-06-01",
                                   father_name=FATHER_A, mother_phone=PHONE_A),
                    form_id="child_screening", form_version="2026.1")
    assert ids["S"] not in {d.record_id for d in town.anonymise_due(TODAY)}
    hh = households["A"]
    assert town.heads(hh)[0].data["phone"] == PHONE_A  # the sister still needs it
    assert not retention.redacted(town.conn) & {r.id for r in town.revisions_of([hh])[hh]}
    assert _holding(_texts(town.path), S_NAME)  # her own file, whole
    town.record_exit(ids["S"], reason="moved_away", date="2023-01-01")
    assert [d.record_id for d in town.anonymise_due(TODAY)] == [ids["S"]]
    assert town.heads(hh)[0].data["phone"] == ""
    assert len(retention.redacted(town.conn) & {r.id for r in town.revisions_of([hh])[hh]}) == 2
    texts = _texts(town.path)
    assert {v: _holding(texts, v) for v in GONE} == {v: [] for v in GONE}


def test_scrub__repeats_previous_answers_and_ascii_free_text():
    data = {"child_name": "张三", "sex": "male", "risk_level": "low", "exit_reason": "moved_away",
            "remarks": "call after six", "exit_note": "moved", "school_status": "in_school",
            "siblings": [{"sibling_name": "张四", "sibling_age": 9}],
            "needs": ["psych", "school"],
            "previous_answers": {"guardian_phone": {"value": "13655556666",
                                                    "form_id": "child_screening",
                                                    "form_version": "2025.1"},
                                 "had_toilet": {"value": "yes", "form_id": "child_screening",
                                                "form_version": "2025.1"}}}
    assert retention.scrub(data) == {
        **data, "child_name": "", "remarks": "", "exit_note": "",
        "siblings": [{"sibling_name": "", "sibling_age": 9}],
        "previous_answers": {"guardian_phone": {"value": "", "form_id": "child_screening",
                                                "form_version": "2025.1"},
                             "had_toilet": data["previous_answers"]["had_toilet"]}}
