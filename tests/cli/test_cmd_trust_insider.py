"""CLI-T1..T3 issue #12 items 2-4, each attack performed with the CLI and files as a user with
a USB stick would, refused with its own coded bilingual error and nothing stored:

- T1 ``trust apply`` of an update the county made for another unit (TRUST_014);
- T2 revocation is permanent: the same request, or a new request signed with the revoked key,
  is refused (TRUST_015 "revoked on … by …"); only ``trust readmit --reason`` (audited) lifts
  it;
- T3 the county key code: printed by ``init-county`` and ``devices``, shown by ``accept``;
  ``--fingerprint`` with another code is refused (TRUST_017); a second county key for the
  same county is refused (TRUST_016) and never replaces the first.
"""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from surveyapp.cli.main import main
from surveyapp.core.store import Workspace
from surveyapp.core.trust import keystore
from surveyapp.core.trust.authority import REQUEST
from surveyapp.core.trust.sealed import peek, seal

PASSWORD = "correct horse 1"  # noqa: S105 - a test password
CODE = re.compile(r"\d{4}(-\d{4}){4}")
COUNTY, TOWN_A, TOWN_B, VILLAGE = "522422", "522422102", "522422103", "522422102201"


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PASSWORD)
    paths = {}
    for name, role, org in (("county", "county", COUNTY), ("county2", "county", COUNTY),
                            ("town_b", "township", TOWN_B), ("village", "village", VILLAGE)):
        path = tmp_path / f"{name}.sdb"
        Workspace.create(path, role=role, org_code=org, org_name=name, user="u",
                         password=PASSWORD, work_factor=10).close()
        paths[name] = str(path)
    return paths


def _run(capsys, *argv):
    code = main([*argv, "--user", "u", "--json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), (
        json.loads(err)["error"] if err.strip() else None)


def _refused(result, code):
    rc, out, err = result
    assert rc == 1 and out is None and err["code"] == code, (rc, out, err)
    assert err["message_en"] and err["message_zh"] != err["message_en"]
    return err


def _state(path):
    """Everything a refusal must leave alone: meta (trust store, serial, recipients),
    revisions, children and the audit chain (without the CLI's own unlock entries)."""
    with Workspace.open(path, "u", PASSWORD) as w:
        assert w.verify_audit() is None
        meta = w.conn.execute("SELECT key, value FROM meta ORDER BY key")
        revs = w.conn.execute("SELECT id FROM revisions ORDER BY id")
        audit = [(e.seq, e.action, dict(e.details)) for e in w.audit_entries()
                 if e.action != "unlock"]
        return hashlib.sha256(repr((meta, revs, audit, w.count_children())).encode()
                              ).hexdigest()


def _enroll(capsys, tmp_path, county, device, name="dev"):
    req, enr = tmp_path / f"{name}_req.json", tmp_path / f"{name}_enr.json"
    assert _run(capsys, "trust", "enroll-request", device, "--out", str(req))[0] == 0
    assert _run(capsys, "trust", "enroll", county, str(req), "--out", str(enr))[0] == 0
    return req, enr


def test_update_for_another_unit__refused_nothing_changed(ws, tmp_path, capsys):  # CLI-T1
    assert _run(capsys, "trust", "init-county", ws["county"])[0] == 0
    for name in ("village", "town_b"):
        _, enr = _enroll(capsys, tmp_path, ws["county"], ws[name], name)
        assert _run(capsys, "trust", "accept", ws[name], str(enr))[0] == 0
    other = tmp_path / "for_103.json"
    assert _run(capsys, "trust", "update", ws["county"], "--for", TOWN_B, "--out",
                str(other))[0] == 0
    before = _state(ws["village"])
    err = _refused(_run(capsys, "trust", "apply", ws["village"], str(other)), "TRUST_014")
    assert TOWN_B in err["message_en"] and VILLAGE in err["message_zh"]
    assert _state(ws["village"]) == before
    # The update made for the village itself still applies, with the serial after it.
    mine = tmp_path / "for_village.json"
    assert _run(capsys, "trust", "update", ws["county"], "--for", VILLAGE, "--out",
                str(mine))[0] == 0
    rc, applied, _ = _run(capsys, "trust", "apply", ws["village"], str(mine))
    assert rc == 0 and applied["serial"] > 1


def test_revoked_device__never_enrolled_again_until_readmitted(ws, tmp_path, capsys):
    # CLI-T2
    assert _run(capsys, "trust", "init-county", ws["county"])[0] == 0
    req, enr = _enroll(capsys, tmp_path, ws["county"], ws["village"])
    assert _run(capsys, "trust", "accept", ws["village"], str(enr))[0] == 0
    with Workspace.open(ws["village"], "u", PASSWORD) as v:
        device_id = v.device_id
        key = keystore.signing_key(v)
    assert _run(capsys, "trust", "revoke", ws["county"], device_id)[0] == 0
    before = _state(ws["county"])

    # 1. The very same request file again.
    again = tmp_path / "again.json"
    err = _refused(_run(capsys, "trust", "enroll", ws["county"], str(req), "--out",
                        str(again)), "TRUST_015")
    assert device_id in err["message_en"] and " by u" in err["message_en"]
    assert re.search(r"revoked on \d{4}-\d\d-\d\d \d\d:\d\d", err["message_en"])
    assert not again.exists()
    # 2. A new request under a fresh device id, signed with the revoked key (the insider
    #    holds the key of the laptop it keeps).
    body = dict(peek(req.read_bytes(), REQUEST))
    body["device_id"] = "f" * 32
    forged = tmp_path / "forged_req.json"
    forged.write_bytes(seal(REQUEST, body, key))
    _refused(_run(capsys, "trust", "enroll", ws["county"], str(forged), "--out",
                  str(again)), "TRUST_015")
    assert _state(ws["county"]) == before
    _, devices, _ = _run(capsys, "trust", "devices", ws["county"])
    assert [d["revoked"] for d in devices if d["device_id"] == device_id] == [True]

    # Re-admission: only with a reason, and audited.
    with pytest.raises(SystemExit):  # argparse: --reason is required
        main(["trust", "readmit", ws["county"], device_id, "--user", "u"])
    capsys.readouterr()
    _refused(_run(capsys, "trust", "readmit", ws["county"], device_id, "--reason", "  "),
             "TRUST_020")
    assert _state(ws["county"]) == before
    rc, entry, _ = _run(capsys, "trust", "readmit", ws["county"], device_id, "--reason",
                        "laptop found sealed at the township office")
    assert rc == 0 and entry["revoked"] is False
    with Workspace.open(ws["county"], "u", PASSWORD) as c:
        [audited] = [e for e in c.audit_entries() if e.details.get("what") == "readmit"]
        assert audited.details["reason"] == "laptop found sealed at the township office"
        assert audited.details["device"] == device_id and audited.user == "u"
        assert audited.details["revoked_by"] == "u"
    assert _run(capsys, "trust", "enroll", ws["county"], str(req), "--out", str(again))[0] == 0
    _refused(_run(capsys, "trust", "readmit", ws["county"], device_id, "--reason", "x"),
             "TRUST_018")  # not revoked any more


def test_county_key_code__shown_compared_and_never_replaced(ws, tmp_path, capsys):
    # CLI-T3
    rc, info, _ = _run(capsys, "trust", "init-county", ws["county"])
    assert rc == 0 and CODE.fullmatch(info["fingerprint"])
    code = info["fingerprint"]
    assert main(["trust", "init-county", ws["county2"], "--user", "u"]) == 0
    human = capsys.readouterr().out
    other = CODE.search(human.split("核对码")[1]).group(0)
    assert other != code
    assert main(["trust", "devices", ws["county"], "--user", "u"]) == 0
    assert code in capsys.readouterr().out

    _, enr = _enroll(capsys, tmp_path, ws["county"], ws["village"])
    before = _state(ws["village"])
    # A wrong code read out on the phone (one digit off): refused before anything is stored.
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    err = _refused(_run(capsys, "trust", "accept", ws["village"], str(enr), "--fingerprint",
                        wrong), "TRUST_017")
    assert code in err["message_en"] and wrong in err["message_zh"]
    assert _state(ws["village"]) == before
    # The right code, typed with spaces: accepted, and the output shows the code.
    rc, applied, _ = _run(capsys, "trust", "accept", ws["village"], str(enr), "--fingerprint",
                          code.replace("-", " "))
    assert rc == 0 and applied["county_fingerprint"] == code and applied["fingerprint_checked"]

    # A second county key for the same county code (another county workspace, or a forger's
    # own): its enrollment is refused and the first key stays.
    _, enr2 = _enroll(capsys, tmp_path, ws["county2"], ws["village"], "second")
    before = _state(ws["village"])
    err = _refused(_run(capsys, "trust", "accept", ws["village"], str(enr2)), "TRUST_016")
    assert code in err["message_en"] and other in err["message_en"] and code in err["message_zh"]
    assert _state(ws["village"]) == before
    with Workspace.open(ws["village"], "u", PASSWORD) as v:
        assert keystore.county_keys(v).fingerprint() == code


def test_accept_without_code__prints_it_and_asks_to_compare(ws, tmp_path, capsys):  # CLI-T3
    assert _run(capsys, "trust", "init-county", ws["county"])[0] == 0
    _, enr = _enroll(capsys, tmp_path, ws["county"], ws["village"])
    assert main(["trust", "accept", ws["village"], str(enr), "--user", "u"]) == 0
    out = capsys.readouterr().out
    with Workspace.open(ws["county"], "u", PASSWORD) as c:
        code = keystore.county_keys(c).fingerprint()
    assert code in out and "COMPARE" in out and "比对" in out
