"""RRC receipts for relays (docs/batch-format.md §9, §10): hostile relay receipts and down files
with forged receipts are refused with a coded error and nothing marked, kept or stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from surveyapp.core import trust
from surveyapp.core.store import Workspace
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.trust import receipts
from surveyapp.errors import SurveyError
from surveyapp.ops import relay
from surveyapp.ops.batches import acknowledged, export_batch, import_receipt, write_receipt

KEY = bytes.fromhex("d4" * 32)
COUNTY, TOWN, V1 = "522422", "522422102", "522422102201"


def _ws(tmp_path: Path, role: str, org: str) -> Workspace:
    return Workspace.create_with_key(tmp_path / f"{role}{org}.sdb", KEY, role=role,
                                     org_code=org, org_name=org, user="u")


@pytest.fixture
def relayed(tmp_path: Path) -> Any:
    """A village batch kept at the township, relayed and imported at the county, and the
    county's receipt for the relay (as bytes)."""
    county, town, village = (_ws(tmp_path, "county", COUNTY), _ws(tmp_path, "township", TOWN),
                             _ws(tmp_path, "village", V1))
    trust.init_county(county)
    for ws in (town, village):
        trust.accept_enrollment(ws, trust.enroll(county, trust.enroll_request(ws)))
    trust.apply_update(town, trust.trust_update(county, TOWN))
    village.save_visit(None, {"village_code": V1, "child_name": "李娜"}, form_id="f",
                       form_version="1")
    usb = tmp_path / "usb"
    usb.mkdir()
    relay.import_and_keep(town, export_batch(village, usb).path)
    town.save_visit(None, {"village_code": V1, "child_name": "张三"}, form_id="f",
                    form_version="1")
    up = relay.export_relay(town, usb)
    ack = write_receipt(county, relay.as_import_result(relay.import_relay(county, up.path)),
                        tmp_path)
    yield county, town, village, ack, tmp_path
    for ws in (county, town, village):
        ws.close()


def _state(ws: Workspace) -> tuple[Any, ...]:
    """What a refusal must leave as it was: everything but the one ``refused`` audit entry
    a refusal writes (docs/store.md, "The audit log")."""
    return (relay.kept(ws), acknowledged(ws),
            [e.hash for e in ws.audit_entries() if e.action != "refused"],
            ws.get_meta("relay.down_receipts"),
            ws.conn.one("SELECT count(*) FROM revisions")[0])


def _one_refusal(ws: Workspace, before: int, code: str) -> None:
    added = ws.audit_entries()[before:]
    assert [(e.action, e.details["code"]) for e in added] == [("refused", code)]


def _refused(ws: Workspace, data: bytes, path: Path, code: str) -> None:
    path.write_bytes(data)
    before, entries = _state(ws), len(ws.audit_entries())
    with pytest.raises(SurveyError) as err:
        import_receipt(ws, path)
    assert err.value.code.name == code
    assert _state(ws) == before
    _one_refusal(ws, entries, code)


def test_relay_receipt__confirms_own_and_village_batches(relayed: Any) -> None:
    _, town, _, ack, _ = relayed
    assert len(relay.kept(town)) == 1
    got = import_receipt(town, ack)
    assert got.relayed == 1 and got.role == "county" and acknowledged(town)["county"] > 0
    assert relay.kept(town) == []
    # Importing it again changes nothing more and is not an error.
    assert import_receipt(town, ack).relayed == 1


def test_relay_receipt_with_an_edited_inner_receipt__refused(relayed: Any) -> None:
    _, town, _, ack, tmp = relayed
    obj = json.loads(ack.read_bytes())
    obj["inner"][0]["body"]["batch_hash"] = "0" * 64  # "confirm" another batch
    _refused(town, canonical_json(obj), tmp / "edited_relay.json", "TRUST_002")


def test_relay_receipt_with_an_inner_receipt_signed_by_the_township__refused(
        relayed: Any) -> None:
    _, town, village, ack, tmp = relayed
    obj = json.loads(ack.read_bytes())
    inner = obj["inner"][0]["body"]
    forged = receipts.make_receipt(town, batch_hash=inner["batch_hash"],
                                   batch_id=inner["batch_id"], device_id=village.device_id,
                                   sequence=inner["sequence"], revisions=1)
    obj["inner"] = [json.loads(forged)]
    _refused(town, canonical_json(obj), tmp / "forged_relay.json", "TRUST_002")


def test_relay_receipt_of_another_township_device__refused(relayed: Any, tmp_path: Path) -> None:
    county, _, _, ack, tmp = relayed
    other = Workspace.create_with_key(tmp_path / "second-town.sdb", KEY, role="township",
                                      org_code=TOWN, org_name=TOWN, user="u")
    try:
        trust.accept_enrollment(other, trust.enroll(county, trust.enroll_request(other)))
        _refused(other, ack.read_bytes(), tmp / "not_mine_relay.json", "TRUST_011")
    finally:
        other.close()


def test_relay_receipt_not_json__trust_001(relayed: Any) -> None:
    _, town, _, _, tmp = relayed
    _refused(town, b'{"format": "surveyapp.relay-receipt/v1", "own": 1', tmp / "bad.json",
             "TRUST_001")


def test_down_file_with_a_receipt_not_signed_by_the_county__refused(
        relayed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    county, town, village, ack, tmp = relayed
    trust.apply_update(village, trust.trust_update(county, V1))
    import_receipt(town, ack)
    down = json.loads(town.get_meta("relay.down_receipts"))
    body = next(iter(down.values()))["receipt"]["body"]
    forged = receipts.make_receipt(town, batch_hash=body["batch_hash"],
                                   batch_id=body["batch_id"], device_id=village.device_id,
                                   sequence=body["sequence"], revisions=1)
    # An insider township puts its own "county" receipt into the down file.
    forged_obj = json.loads(forged)
    forged_obj["body"]["role"] = "county"
    monkeypatch.setattr(relay, "_down_receipts",
                        lambda ws, org: [canonical_json({"receipt": forged_obj})])
    made = relay.export_down(town, V1, tmp)
    before, entries = _state(village), len(village.audit_entries())
    with pytest.raises(SurveyError) as err:
        relay.import_down(village, made.path)
    assert err.value.code.name == "TRUST_002"
    assert _state(village) == before
    _one_refusal(village, entries, "TRUST_002")


def test_down_file__passes_the_county_receipt_once_per_device(relayed: Any) -> None:
    county, town, village, ack, tmp = relayed
    trust.apply_update(village, trust.trust_update(county, V1))
    import_receipt(town, ack)
    made = relay.export_down(town, V1, tmp)
    assert made.receipts == 1
    got = relay.import_down(village, made.path)
    assert got.receipts == 1 and acknowledged(village)["county"] > 0
    # The next down file passes it again (applying it twice is harmless).
    again = relay.export_down(town, V1, tmp)
    assert again.receipts == 1 and relay.import_down(village, again.path).receipts == 1
