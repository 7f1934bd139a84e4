"""OPS-B1 village → township → county export/import round trip; OPS-B2 re-import is a no-op
and says so; OPS-B3 gaps per device; OPS-B4 rejections leave the store untouched; OPS-B5
dry run counts through merge.plan; OPS-B6 progress and cancel."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from surveyapp.core import trust
from surveyapp.core.batch import BatchError, OutOfScope, RevokedSigner, UnknownSigner
from surveyapp.core.batch.codes import BatchCode
from surveyapp.core.store import Workspace
from surveyapp.core.trust import keystore
from surveyapp.errors import SurveyError
from surveyapp.ops.batches import (
    acknowledged,
    export_batch,
    gaps,
    import_batch,
    import_receipt,
    verify_batch,
    write_receipt,
)

KEY = bytes.fromhex("d4" * 32)
VILLAGE, TOWNSHIP, COUNTY = "522422102201", "522422102", "522422"


def _ws(tmp_path, role, org, name):
    return Workspace.create_with_key(tmp_path / f"{name}.sdb", KEY, role=role, org_code=org,
                                     org_name=name, user="u")


def _answers(i):
    return {"survey_date": "2026-07-01", "township_code": TOWNSHIP, "village_code": VILLAGE,
            "child_name": f"张{i}", "sex": "male", "has_id_number": "no",
            "birth_date": "2015-01-01", "is_left_behind": "yes", "risk_level": "low",
            "follow_up_days": 90}


@pytest.fixture
def tiers(tmp_path):
    county = _ws(tmp_path, "county", COUNTY, "county")
    town = _ws(tmp_path, "township", TOWNSHIP, "town")
    village = _ws(tmp_path, "village", VILLAGE, "village")
    trust.init_county(county)
    trust.accept_enrollment(town, trust.enroll(county, trust.enroll_request(town)))
    trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
    trust.apply_update(town, trust.trust_update(county, TOWNSHIP))
    for i in range(5):
        village.save_visit(None, _answers(i), form_id="child_screening", form_version="1")
    (tmp_path / "usb").mkdir()
    yield county, town, village, tmp_path / "usb"
    for ws in (county, town, village):
        ws.close()


def _content_hash(ws):
    rows = ws.conn.execute("SELECT id FROM revisions ORDER BY id")
    meta = ws.conn.execute("SELECT key, value FROM meta ORDER BY key")
    return hashlib.sha256(repr((rows, meta)).encode()).hexdigest()


def test_village_to_township_and_county__same_children(tiers):  # OPS-B1
    county, town, village, usb = tiers
    out = export_batch(village, usb)
    assert out.sequence == 1 and out.revisions == 10 and out.records == 10
    for ws in (town, county):
        res = import_batch(ws, out.path)
        assert res.inserted == 10 and not res.already_imported
        assert ws.count_children() == 5
    # The township's own batch never re-signs the village's revisions (they go up inside
    # the village batch of its relay): it holds only the township's own work, none here.
    fwd = export_batch(town, usb)
    assert fwd.revisions == 0
    res = import_batch(county, fwd.path)
    assert res.inserted == 0 and res.known == 0


def test_reimport__noop_and_says_so(tiers):  # OPS-B2
    county, _, village, usb = tiers
    out = export_batch(village, usb)
    import_batch(county, out.path)
    before = _content_hash(county)
    again = import_batch(county, out.path)
    assert again.already_imported and again.inserted == 0
    assert _content_hash(county) == before


def test_batches_7_and_9__8_reported_missing(tiers):  # OPS-B3
    county, _, village, usb = tiers
    paths = []
    for n in range(3):
        (usb / str(n)).mkdir()
        paths.append(export_batch(village, usb / str(n)).path)
    import_batch(county, paths[0])
    res = import_batch(county, paths[2])
    assert res.received == (1, 3) and res.missing == (2,)
    assert gaps(county) == {village.device_id: [2]}
    assert import_batch(county, paths[1]).missing == ()


def test_previous_hash__chains_batches(tiers):  # OPS-B3
    county, _, village, usb = tiers
    first = export_batch(village, usb)
    (usb / "b").mkdir()
    second = export_batch(village, usb / "b")
    assert verify_batch(county, second.path).manifest["previous"] == first.batch_hash


def test_revoked_village__rejected_store_untouched(tiers):  # OPS-B4
    county, town, village, usb = tiers
    out = export_batch(village, usb)
    trust.revoke(county, village.device_id)
    trust.apply_update(town, trust.trust_update(county, TOWNSHIP))
    for ws in (county, town):
        before = _content_hash(ws)
        with pytest.raises(RevokedSigner):
            import_batch(ws, out.path)
        assert _content_hash(ws) == before


def test_other_township__out_of_scope(tiers, tmp_path):  # OPS-B4
    county, _, village, usb = tiers
    other = _ws(tmp_path, "township", "522422103", "other")
    trust.accept_enrollment(other, trust.enroll(county, trust.enroll_request(other)))
    out = export_batch(village, usb)
    with pytest.raises((OutOfScope, UnknownSigner)):
        import_batch(other, out.path)
    # The county's full list given to the other township still puts the village out of scope.
    keystore.set_devices(other, keystore.devices(county))
    with pytest.raises(OutOfScope):
        import_batch(other, out.path)
    other.close()


def test_tampered_file__rejected_store_untouched(tiers):  # OPS-B4
    county, _, village, usb = tiers
    out = export_batch(village, usb)
    data = bytearray(out.path.read_bytes())
    at = data.index(b'"sequence":1')
    data[at + 11] = ord("2")
    bad = usb / "bad.batch.zip"
    bad.write_bytes(bytes(data))
    before = _content_hash(county)
    with pytest.raises(BatchError) as info:
        import_batch(county, bad)
    assert info.value.code is BatchCode.BATCH_003
    assert _content_hash(county) == before


def test_dry_run__counts_without_storing(tiers):  # OPS-B5
    county, _, village, usb = tiers
    out = export_batch(village, usb)
    before = _content_hash(county)
    res = import_batch(county, out.path, dry_run=True)
    assert res.dry_run and res.inserted == 10 and res.outcomes["new"] == 10
    assert _content_hash(county) == before


def test_export_progress_and_cancel(tiers):  # OPS-B6
    _, _, village, usb = tiers
    seen = []
    export_batch(village, usb, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]
    shutil.rmtree(usb)
    usb.mkdir()
    with pytest.raises(SurveyError) as info:
        export_batch(village, usb, cancel=lambda: True)
    assert info.value.code is BatchCode.BATCH_012
    assert list(usb.iterdir()) == []


def test_receipt__village_knows_what_is_safe(tiers):  # OPS-B7
    county, town, village, usb = tiers
    first = export_batch(village, usb)
    res = import_batch(county, first.path)
    receipt = write_receipt(county, res, usb)
    got = import_receipt(village, receipt)
    assert got.role == "county" and got.sequence == 1
    assert acknowledged(village)["county"] == got.acked_seq > 0
    # The next default export holds only what came after the receipt.
    village.save_visit(None, _answers(9), form_id="child_screening", form_version="1")
    (usb / "2").mkdir()
    assert export_batch(village, usb / "2").revisions == 2
    # A township receipt is verified with the township's enrolled key.
    tres = import_batch(town, first.path)
    assert import_receipt(village, write_receipt(town, tres, usb)).role == "township"


def test_forged_receipt__refused(tiers, tmp_path):  # OPS-B7
    county, _, village, usb = tiers
    res = import_batch(county, export_batch(village, usb).path)
    path = write_receipt(county, res, usb)
    path.write_bytes(path.read_bytes().replace(b'"sequence":1', b'"sequence":2'))
    with pytest.raises(SurveyError) as info:
        import_receipt(village, path)
    assert info.value.code.name == "TRUST_002"
