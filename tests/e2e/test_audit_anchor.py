"""Issue 24 item 3: the audit chain anchored upstream, across real workspaces.

The village exports (its batch carries its audit entries with their hashes and the signed
head); a user with the password then cuts the village's audit tail straight in SQL and the
village exports again. The township's import report names the device and the first entry
missing (AUDIT_004), the records still import, the county sees the same through the relay
and lists the village's entries; an older batch arriving late is no false alarm; a batch
whose chain was edited inside is reported (AUDIT_005); a manifest head that is not the
payload's last entry refuses the batch (rule 10) with the store unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surveyapp.cli.main import main
from surveyapp.core import trust
from surveyapp.core.batch import BadPayload, BatchSource, write_batch
from surveyapp.core.batch.reader import AUDIT_PREFIX
from surveyapp.core.store import Workspace, keys
from surveyapp.core.store import audit as audit_log
from surveyapp.core.store.connection import connect
from surveyapp.core.trust import keystore
from surveyapp.ops import relay
from surveyapp.ops.audit import list_entries
from surveyapp.ops.batches import export_batch, import_batch

PW = "correct horse 24"
COUNTY, TOWN, V1 = "522422", "522422102", "522422102201"
FORM = {"form_id": "child_screening", "form_version": "2026.1"}


def _ws(tmp_path: Path, role: str, org: str) -> Workspace:
    return Workspace.create(tmp_path / f"{org}.sdb", role=role, org_code=org,
                            org_name=f"单位{org[-3:]}", user=f"{role}-{org[-3:]}",
                            password=PW, work_factor=10)


def _child(name: str) -> dict[str, str]:
    return {"survey_date": "2026-07-01", "township_code": TOWN, "village_code": V1,
            "child_name": name, "sex": "female", "birth_date": "2014-04-04",
            "risk_level": "low", "is_left_behind": "yes"}


@pytest.fixture
def tiers(tmp_path):
    county, town, village = (_ws(tmp_path, "county", COUNTY), _ws(tmp_path, "township", TOWN),
                             _ws(tmp_path, "village", V1))
    trust.init_county(county)
    for d in (town, village):
        trust.accept_enrollment(d, trust.enroll(county, trust.enroll_request(d)))
    for d in (town, village):
        trust.apply_update(d, trust.trust_update(county, d.org_code))
    usb = tmp_path / "usb"
    usb.mkdir()
    yield county, town, village, usb
    for ws in (county, town, village):
        ws.close()


def _folder(usb: Path, name: str) -> Path:
    (usb / name).mkdir()
    return usb / name


def _payload_audit(ws: Workspace, path: Path) -> list[dict]:
    from surveyapp.ops.batches import _open

    with _open(ws, path) as opened:
        head = opened.manifest.audit_head
        lines = [json.loads(x)["audit"] for x in opened.lines(keystore.age_identities(ws))
                 if x.startswith(AUDIT_PREFIX)]
    assert head == (lines[-1]["seq"], lines[-1]["hash"])
    return lines


def test_village_cuts_its_tail__township_and_county_report_device_and_gap(tiers, capsys,
                                                                          monkeypatch):
    county, town, village, usb = tiers
    for name in ("王丽", "李娜"):
        village.save_visit(None, _child(name), **FORM)
    first = export_batch(village, _folder(usb, "1"))
    lines = _payload_audit(town, first.path)
    assert [x["seq"] for x in lines] == list(range(1, len(lines) + 1))
    assert all(set(x) >= {"prev_hash", "hash"} for x in lines)
    r1 = relay.import_and_keep(town, first.path)
    assert r1.warnings == ()
    up1 = relay.export_relay(town, _folder(usb, "r1"))
    inner1 = relay.import_relay(county, up1.path).inner
    assert len(inner1) == 1 and inner1[0].warnings == ()

    # A user with the password cuts the tail (the two saves and the export) in SQL.
    cut_from = next(e.seq for e in village.audit_entries() if e.action == "save")
    village_path = village.path
    village.close()
    raw = connect(village_path, keys.unlock(village_path, "village-201", PW))
    raw.execute("DELETE FROM audit WHERE seq >= ?", (cut_from,))
    raw.close()
    village = Workspace.open(village_path, "village-201", PW)
    village.save_visit(None, _child("赵敏"), **FORM)
    second = export_batch(village, _folder(usb, "2"))
    village.close()

    r2 = relay.import_and_keep(town, second.path)
    assert r2.inserted >= 1  # the records still import: the county decides
    [warning] = r2.warnings
    assert warning["code"] == "AUDIT_004" and warning["device"] == village.device_id
    assert warning["seq"] == cut_from
    assert village.device_id[:8] in warning["message_en"] and str(cut_from) in \
        warning["message_zh"]
    # The county gets the same through the relay, and lists the village's entries.
    up2 = relay.export_relay(town, _folder(usb, "r2"))
    inner = relay.import_relay(county, up2.path).inner
    [(code, seq)] = [(w["code"], w["seq"]) for r in inner for w in r.warnings]
    assert (code, seq) == ("AUDIT_004", cut_from)
    got = list_entries(county, device=village.device_id)
    assert got and all(r.received for r in got)
    # Both versions of the rewritten entries are kept: the old save entries are still there.
    saves = [r for r in got if r.action == "save"]
    assert len(saves) == 3
    import_log = [e for e in county.audit_entries() if e.action == "import"
                  and e.details.get("audit_warning") == "AUDIT_004"]
    assert import_log
    # Importing the first batch again (already imported) and audit verify at the county.
    assert import_batch(county, first.path).already_imported
    county_path = county.path
    county.close()
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    assert main(["audit", "verify", str(county_path), "--user", "county-422", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["devices"][village.device_id] >= cut_from


def test_older_batch_late__no_false_alarm(tiers):
    _county, town, village, usb = tiers
    village.save_visit(None, _child("王丽"), **FORM)
    first = export_batch(village, _folder(usb, "1"))
    village.save_visit(None, _child("李娜"), **FORM)
    second = export_batch(village, _folder(usb, "2"))
    assert import_batch(town, second.path).warnings == ()
    assert import_batch(town, first.path).warnings == ()  # a prefix of what is held


def _forge(village: Workspace, usb: Path, audit: list[dict], name: str) -> Path:
    key = keystore.signing_key(village)
    seq = int(village.get_meta("batch.sequence") or "0") + 1
    source = BatchSource(village.device_id, village.org_code, village.role, iter(()), audit,
                         len(audit))
    return write_batch(_folder(usb, name), source, key, sequence=seq,
                       previous=village.get_meta("batch.last_hash") or "",
                       recipients=keystore.recipients(village)).path


def _store(ws: Workspace) -> tuple:
    assert ws.verify_audit() is None
    return (ws.count_children(), ws.conn.one("SELECT count(*) FROM revisions")[0],
            len([e for e in ws.audit_entries() if e.action != "refused"]),
            audit_log.remote_entries(ws.conn),
            ws.get_meta(f"batch.received.{ws.device_id}"))


def test_chain_edited_inside_a_batch__reported(tiers):
    _county, town, village, usb = tiers
    village.save_visit(None, _child("王丽"), **FORM)
    entries = [audit_log.wire(e) for e in village.audit_entries()]
    entries[1]["details"] = {"what": "edited"}  # the hash no longer matches
    result = import_batch(town, _forge(village, usb, entries, "f"))
    [warning] = result.warnings
    assert (warning["code"], warning["seq"]) == ("AUDIT_005", 2)


def test_manifest_head_not_the_payload_s__refused_store_unchanged(tiers, monkeypatch):
    _county, town, village, usb = tiers
    village.save_visit(None, _child("王丽"), **FORM)
    entries = [audit_log.wire(e) for e in village.audit_entries()]
    # The signer states a head its payload does not end with (a fork it hides).
    forked = {**entries[-1], "hash": "f" * 64}
    import surveyapp.core.batch.writer as writer

    real = writer._lines

    def lines(source, stats, progress, cancel):
        yield from real(source, stats, progress, cancel)
        stats.head = (forked["seq"], forked["hash"])

    monkeypatch.setattr(writer, "_lines", lines)
    path = _forge(village, usb, entries, "h")
    monkeypatch.undo()
    before = _store(town)
    with pytest.raises(BadPayload) as err:
        import_batch(town, path)
    assert err.value.code.name == "BATCH_010"
    assert "audit head" in err.value.message("en")
    assert _store(town) == before  # only the one 'refused' entry (trust-harden) is new
    last = town.audit_entries()[-1]
    assert (last.action, last.details["code"]) == ("refused", "BATCH_010")
