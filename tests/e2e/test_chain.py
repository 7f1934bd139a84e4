"""E2E-1 the full chain with real files: three villages export; the township imports, resolves
a conflict, links a duplicate, returns a record and exports one relay file; the county verifies
the chain down to each village device and sees everything with provenance; the village
imports the return and sees it. E2E-2 a tampered relay or a relay whose inner village batch
was altered is rejected with the store untouched."""

from __future__ import annotations

import zipfile

import pytest

from surveyapp.core import trust
from surveyapp.core.batch import BatchError
from surveyapp.core.store import Workspace
from surveyapp.ops import relay, review
from surveyapp.ops.batches import export_batch, received

KEY = bytes.fromhex("e5" * 32)
COUNTY, TOWN = "522422", "522422102"
V1, V2, V3 = "522422102201", "522422102202", "522422102203"


def _ws(tmp_path, role, org):
    return Workspace.create_with_key(tmp_path / f"{org}.sdb", KEY, role=role, org_code=org,
                                     org_name=f"单位{org[-3:]}", user=f"{role}-{org[-3:]}")


def _answers(name, village, idn="", **more):
    d = {"survey_date": "2026-07-01", "township_code": TOWN, "village_code": village,
         "child_name": name, "sex": "female", "birth_date": "2014-04-04", "id_number": idn,
         "mother_name": "陈梅", "risk_level": "low", "follow_up_days": 90,
         "is_left_behind": "yes"}
    d.update(more)
    return d


@pytest.fixture
def chain(tmp_path):
    county = _ws(tmp_path, "county", COUNTY)
    town = _ws(tmp_path, "township", TOWN)
    villages = [_ws(tmp_path, "village", v) for v in (V1, V2, V3)]
    trust.init_county(county)
    for device in (town, *villages):
        trust.accept_enrollment(device, trust.enroll(county, trust.enroll_request(device)))
    for device in (town, *villages):  # everyone learns the devices it must know
        trust.apply_update(device, trust.trust_update(county, device.org_code))
    usb = tmp_path / "usb"
    usb.mkdir()
    yield county, town, villages, usb
    for ws in (county, town, *villages):
        ws.close()


def test_full_chain__provenance_and_return(chain):  # E2E-1
    county, town, (v1, v2, v3), usb = chain
    shared = v1.save_visit(None, _answers("王丽", V1), form_id="child_screening",
                           form_version="2026.1")
    v2.save_visit(None, _answers("王丽", V2), form_id="child_screening", form_version="2026.1")
    v3_child = v3.save_visit(None, _answers("刘洋", V3), form_id="child_screening",
                             form_version="2026.1")
    for i in range(3):
        v1.save_visit(None, _answers(f"赵{i}号", V1), form_id="child_screening",
                      form_version="2026.1")
    first = [export_batch(v, usb / ".") for v in (v1, v2, v3)]
    for f in first:
        relay.import_and_keep(town, f.path)
    assert town.count_children() == 6

    # A concurrent edit: the township corrects the name while the village records a follow-up.
    town.save_visit(shared.child_id, _answers("王莉", V1), form_id="child_screening",
                    form_version="2026.1")
    v1.save_visit(shared.child_id, _answers("王丽", V1, risk_level="medium"),
                  form_id="child_screening", form_version="2026.1")
    second = export_batch(v1, usb)
    relay.import_and_keep(town, second.path)
    [conflict] = review.conflicts(town)
    by_name = {h.data["child_name"]: h.id for h in conflict.heads}
    by_risk = {h.data["risk_level"]: h.id for h in conflict.heads}
    merged = review.resolve(town, shared.child_id, fields={"child_name": by_name["王莉"],
                                                           "risk_level": by_risk["medium"]})
    [dup] = review.duplicate_candidates(town)
    link = review.decide_duplicate(town, dup.a, dup.b, "moved", "随母亲迁至二组")
    returned = review.return_to_village(town, v3_child.child_id, "缺少监护人联系电话，请补充")

    up = relay.export_relay(town, usb)
    assert up.inner == 4  # every village batch, verbatim
    result = relay.import_relay(county, up.path)

    # The county sees everything the township decided ...
    assert county.count_children() == 6
    assert [h.id for h in county.heads(shared.child_id)] == [merged]
    assert county.get_revision(link) is not None
    assert county.get_child(v3_child.child_id).data["review_status"] == "returned"
    # ... and every village revision arrived inside its own village-signed batch.
    devices = {r.device_id for r in result.inner}
    assert devices == {v1.device_id, v2.device_id, v3.device_id}
    assert received(county)[v1.device_id] == [1, 2]
    assert county.get_revision(shared.child_rev).device_id == v1.device_id
    assert result.own.device_id == town.device_id
    # Re-importing the same relay changes nothing.
    again = relay.import_relay(county, up.path)
    assert all(r.already_imported for r in (*again.inner, again.own))

    # The village gets its return back down and sees it with the comment.
    down = relay.export_down(town, V3, usb)
    got = relay.import_down(v3, down.path)
    assert got.inserted >= 1
    [row] = review.returned_children(v3)
    assert row.record_id == v3_child.child_id
    assert v3.get_revision(returned).data["review_comment"] == "缺少监护人联系电话，请补充"
    # Another village cannot read or accept it.
    with pytest.raises(BatchError):
        relay.import_down(v1, down.path)


def test_tampered_relay__rejected_store_untouched(chain, tmp_path):  # E2E-2
    county, town, (v1, _, _), usb = chain
    v1.save_visit(None, _answers("孙悦", V1), form_id="child_screening", form_version="1")
    relay.import_and_keep(town, export_batch(v1, usb).path)
    up = relay.export_relay(town, usb)
    before = county.count_children()

    # Swap the village batch inside for a re-zipped copy with one byte changed.
    bad = tmp_path / "bad.relay.zip"
    with zipfile.ZipFile(up.path) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("inner/"):
                data = data[:-40] + bytes([data[-40] ^ 1]) + data[-39:]
            dst.writestr(info, data)
    with pytest.raises(BatchError):
        relay.import_relay(county, bad)
    assert county.count_children() == before == 0
    assert received(county) == {}
