"""Issue 24 item 4: an exited child's file is anonymised after the retention period.

At the county: three children exited long ago and one recently; ``children anonymise
--dry-run`` lists the three, ``children anonymise`` anonymises them (audited), none of their
identifying values is left in the workspace (every revision body, the children view) or in
a ledger or revealed department export, every statistics table is the same, revision ids
and parents are unchanged. At a village: the anonymised file travels up in a full batch that
the township imports (redacted revisions stay home). The retention period is the county's
setting."""

from __future__ import annotations

import json

import openpyxl
import pytest

from surveyapp.cli.main import main
from surveyapp.core import trust
from surveyapp.core.ledger.sample import sample_rows
from surveyapp.core.store import Workspace, keys, retention
from surveyapp.core.store.connection import connect
from surveyapp.core.store.retention import DEFAULT_DAYS, is_personal
from surveyapp.ops.batches import export_batch, import_batch

PW = "county-pass-2026"
TODAY = "2026-12-07"


def _values(row):
    return {k: v for k, v in row.items()
            if k not in ("record_id", "status", "follow_up_due", "last_visit_date")}


@pytest.fixture
def county(tmp_path, monkeypatch):
    path = tmp_path / "county.sdb"
    rows = list(sample_rows(10, seed=8))
    for row in rows[:3]:  # exited 2023-06-30 at 18: visited before, born 18 years before
        row.update(survey_date="2021-03-01", birth_date="2005-01-01")
    with Workspace.create(path, role="county", org_code="522422", org_name="大方县",
                          user="wang", password=PW, work_factor=10) as ws:
        ids = [ws.save_visit(None, _values(r), form_id="child_screening",
                             form_version="2026.1").child_id for r in rows]
        for rid in ids[:3]:
            ws.record_exit(rid, reason="aged_out", date="2023-06-30", note="已满16周岁，转学")
        ws.record_exit(ids[3], reason="parents_returned", date="2026-09-01")
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    return path, rows, ids


def _json(capsys, *argv):
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0, argv
    return json.loads(capsys.readouterr().out)


def _identifying(row):
    return {str(v) for k, v in row.items() if is_personal(k, v) and len(str(v)) >= 2}


def _all_text(path):
    """Everything the workspace holds, read with the key as an insider would."""
    conn = connect(path, keys.unlock(path, "wang", PW))
    try:
        parts = [bytes(b).decode("utf-8") for (b,) in conn.execute("SELECT body FROM revisions")]
        parts += [" ".join(map(str, r)) for r in conn.execute("SELECT * FROM children")]
        ids = {r[0] for r in conn.execute("SELECT id FROM revisions")}
        parents = set(conn.execute("SELECT * FROM parents"))
    finally:
        conn.close()
    return "\n".join(parts), ids, parents


def _xlsx_text(path):
    book = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                     for c in row if c is not None)


def test_anonymise_at_county__nothing_identifying_left_stats_unchanged(county, tmp_path,
                                                                        capsys):
    path, rows, ids = county
    ws_args = ["--workspace", str(path), "--user", "wang"]
    stats_before = _json(capsys, "stats", *ws_args)
    # every earlier report date too: before the three exits (2022, they were 17 and on file),
    # after them, and the day of the anonymisation
    as_of = ("2022-01-01", "2024-01-01", TODAY)
    dated_before = {d: _json(capsys, "stats", *ws_args, "--as-of", d) for d in as_of}
    assert dated_before["2022-01-01"] != dated_before["2024-01-01"]  # the exits count
    _text, ids_before, parents_before = _all_text(path)
    listed = _json(capsys, "children", "anonymise", str(path), "--user", "wang", "--dry-run",
                   "--today", TODAY)
    assert listed["days"] == DEFAULT_DAYS and listed["dry_run"]
    assert sorted(c["record_id"] for c in listed["children"]) == sorted(ids[:3])
    assert _all_text(path)[1] == ids_before  # a dry run writes nothing

    done = _json(capsys, "children", "anonymise", str(path), "--user", "wang",
                 "--today", TODAY)
    assert sorted(c["record_id"] for c in done["children"]) == sorted(ids[:3])
    text, ids_after, parents_after = _all_text(path)
    # Ids and parents stay: one new revision per child, nothing removed.
    assert ids_before <= ids_after and len(ids_after) == len(ids_before) + 3
    assert parents_before <= parents_after
    out = tmp_path / "out"
    out.mkdir()
    assert main(["ledger", "export", *ws_args, str(out / "ledger.xlsx")]) == 0
    assert main(["export", "department", "--preset", "unenrolled", *ws_args, "--reveal",
                 str(out / "dept.xlsx")]) == 0
    exports = _xlsx_text(out / "ledger.xlsx") + _xlsx_text(out / "dept.xlsx")
    shared = set().union(*(_identifying(r) for r in rows[3:]))  # e.g. 祖母, a town
    for row in rows[:3]:
        found = _identifying(row) - shared
        assert row["child_name"] in found and row["id_number"] in found
        assert not [v for v in found if v in text], row["child_name"]
        assert not [v for v in found if v in exports]
    assert "已满16周岁" not in text  # the exit note is free text
    for row in rows[3:]:  # the others are untouched
        assert row["child_name"] in text and row["id_number"] in text
    assert _json(capsys, "stats", *ws_args) == stats_before
    assert {d: _json(capsys, "stats", *ws_args, "--as-of", d) for d in as_of} == dated_before
    shown = _json(capsys, "children", "show", str(path), "--user", "wang", ids[0])
    assert shown["answers"]["anonymised_on"] == TODAY and shown["answers"]["child_name"] == ""
    assert shown["answers"]["birth_date"] == rows[0]["birth_date"]
    entries = _json(capsys, "audit", "list", str(path), "--user", "wang",
                    "--action", "anonymise")
    assert sorted(e["subject"]["record"] for e in entries) == sorted(ids[:3])
    assert all(e["details"]["redacted"] >= 2 for e in entries)
    assert main(["audit", "verify", str(path), "--user", "wang"]) == 0
    # Run again: nothing left to do.
    assert _json(capsys, "children", "anonymise", str(path), "--user", "wang",
                 "--today", TODAY)["children"] == []


def test_retention_setting__county_only_audited(county, tmp_path, capsys):
    path, _rows, _ids = county
    assert _json(capsys, "children", "retention", str(path), "--user", "wang",
                 "--days", "1300")["days"] == 1300
    listed = _json(capsys, "children", "anonymise", str(path), "--user", "wang", "--dry-run",
                   "--today", TODAY)
    assert listed["children"] == []  # 2023-06-30 + 1300 days is after today
    assert main(["children", "retention", str(path), "--user", "wang", "--days", "5"]) == 1
    assert "AUDIT_008" in capsys.readouterr().err
    village = tmp_path / "v.sdb"
    Workspace.create(village, role="village", org_code="522422102201", org_name="村",
                     user="wang", password=PW, work_factor=10).close()
    assert main(["children", "retention", str(village), "--user", "wang", "--days", "90"]) == 1
    assert "AUDIT_007" in capsys.readouterr().err
    [entry] = _json(capsys, "audit", "list", str(path), "--user", "wang", "--action", "review")
    assert entry["details"] == {"what": "retention", "days": 1300}


def test_anonymised_village_file__full_batch_imports_upstream(tmp_path):
    key = bytes.fromhex("ab" * 32)
    county = Workspace.create_with_key(tmp_path / "c.sdb", key, role="county",
                                       org_code="522422", org_name="县", user="c")
    town = Workspace.create_with_key(tmp_path / "t.sdb", key, role="township",
                                     org_code="522422102", org_name="镇", user="t")
    village = Workspace.create_with_key(tmp_path / "v.sdb", key, role="village",
                                        org_code="522422102201", org_name="村", user="v")
    try:
        trust.init_county(county)
        for d in (town, village):
            trust.accept_enrollment(d, trust.enroll(county, trust.enroll_request(d)))
        for d in (town, village):
            trust.apply_update(d, trust.trust_update(county, d.org_code))
        row = {**_values(next(iter(sample_rows(1, seed=3)))), "village_code": "522422102201",
               "township_code": "522422102", "survey_date": "2021-06-01",
               "birth_date": "2012-01-01"}  # visited before it left in 2022
        rid = village.save_visit(None, row, form_id="child_screening",
                                 form_version="2026.1").child_id
        village.record_exit(rid, reason="moved_away", date="2022-01-01")
        usb = tmp_path / "usb"
        usb.mkdir()
        import datetime as dt

        first = export_batch(village, usb)  # the full file reaches the township first
        assert import_batch(town, first.path).inserted == 3
        assert [d.record_id for d in village.anonymise_due(dt.date(2026, 12, 7))] == [rid]
        (usb / "2").mkdir()
        batch = export_batch(village, usb / "2", full=True)
        assert batch.revisions == 1  # only the new head: redacted revisions stay home
        got = import_batch(town, batch.path)
        assert (got.inserted, got.warnings) == (1, ())
        assert town.get_child(rid).data["anonymised_on"] == "2026-12-07"
        bodies = lambda ws: "".join(  # noqa: E731
            bytes(b).decode() for (b,) in ws.conn.execute("SELECT body FROM revisions"))
        assert row["child_name"] in bodies(town)  # the township's own older copies
        # The township's run of the same rule redacts its copies, without a second head.
        heads = [h.id for h in town.heads(rid)]
        assert [d.record_id for d in town.anonymise_due(dt.date(2026, 12, 7))] == [rid]
        assert [h.id for h in town.heads(rid)] == heads
        for value in (row["child_name"], row["id_number"], row["mother_phone"]):
            assert value not in bodies(town) and value not in bodies(village)
        assert town.anonymise_due(dt.date(2026, 12, 7)) == []
        for ws in (town, village):
            assert len(retention.redacted(ws.conn)) == 3  # first revision, visit, exit
            assert retention.unverifiable(ws.conn) == []
        village.conn.execute("DELETE FROM redactions")  # a redaction nobody can account for
        assert len(retention.unverifiable(village.conn)) == 3
    finally:
        for ws in (county, town, village):
            ws.close()


def test_anonymise_from_another_unit__refused_store_unchanged(tmp_path):
    """A village signs an 'anonymised' head for another village's child (as it could with
    its own key): rule 11 refuses the whole batch, and the township's file stays whole."""
    import datetime as dt

    from surveyapp.core.batch import BatchSource, Unauthorized, write_batch
    from surveyapp.core.store import Revision
    from surveyapp.core.trust import keystore

    key = bytes.fromhex("cd" * 32)
    made = {}
    for role, org in (("county", "522422"), ("township", "522422102"),
                      ("village", "522422102201"), ("village", "522422102202")):
        made[org] = Workspace.create_with_key(tmp_path / f"{org}.sdb", key, role=role,
                                              org_code=org, org_name=org, user=f"u{org}")
    county, town, v1, v2 = made.values()
    try:
        trust.init_county(county)
        for d in (town, v1, v2):
            trust.accept_enrollment(d, trust.enroll(county, trust.enroll_request(d)))
        for d in (town, v1, v2):
            trust.apply_update(d, trust.trust_update(county, d.org_code))
        row = {**_values(next(iter(sample_rows(1, seed=4)))), "village_code": "522422102202",
               "township_code": "522422102", "survey_date": "2019-06-01",
               "birth_date": "2012-01-01"}  # visited before it left in 2020
        rid = v2.save_visit(None, row, form_id="child_screening", form_version="1").child_id
        v2.record_exit(rid, reason="moved_away", date="2020-01-01")
        usb = tmp_path / "usb"
        usb.mkdir()
        assert import_batch(town, export_batch(v2, usb).path).inserted == 3
        head = town.heads(rid)[0]
        forged = Revision.make(
            kind="child", record_id=rid, parents=[head.id], form_id=head.form_id,
            form_version=head.form_version, author=v1.user, device_id=v1.device_id,
            data={**retention.scrub(head.data), "anonymised_on": "2026-12-07"})
        audit = [{"seq": e.seq, "at": e.at, "user": e.user, "device_id": e.device_id,
                  "action": e.action, "details": dict(e.details)} for e in v1.audit_entries()]
        (usb / "f").mkdir()
        path = write_batch(usb / "f", BatchSource(v1.device_id, v1.org_code, v1.role,
                                                  [forged], audit, 1 + len(audit)),
                           keystore.signing_key(v1), sequence=1, previous="",
                           recipients=keystore.recipients(v1)).path
        before = (town.get_child(rid), [h.id for h in town.heads(rid)],
                  town.conn.one("SELECT count(*) FROM revisions")[0])
        with pytest.raises(Unauthorized) as err:
            import_batch(town, path)
        assert err.value.code.name == "BATCH_014"
        assert (town.get_child(rid), [h.id for h in town.heads(rid)],
                town.conn.one("SELECT count(*) FROM revisions")[0]) == before
        assert town.get_child(rid).child_name == row["child_name"]
        # Nor does the township redact on its own before its rule says so.
        assert town.anonymise_due(dt.date(2021, 1, 1)) == []
    finally:
        for ws in made.values():
            ws.close()


def test_retention_rule_travels_with_the_trust_update(tmp_path):
    key = bytes.fromhex("ef" * 32)
    county = Workspace.create_with_key(tmp_path / "c.sdb", key, role="county",
                                       org_code="522422", org_name="县", user="c")
    village = Workspace.create_with_key(tmp_path / "v.sdb", key, role="village",
                                        org_code="522422102201", org_name="村", user="v")
    try:
        from surveyapp.ops.children import retention_days

        trust.init_county(county)
        trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
        assert retention.days(village.conn) == DEFAULT_DAYS
        retention_days(county, 400)
        trust.apply_update(village, trust.trust_update(county, village.org_code))
        assert retention.days(village.conn) == 400
    finally:
        county.close()
        village.close()
