"""RCPT-1 the county signs a receipt for an imported batch and the village, importing it,
exports only what nobody acknowledged; RCPT-2 re-importing a receipt is a no-op and says so;
RCPT-3 a receipt for another device, an altered one, one from an unknown township, or one for
a batch not imported are refused with their own codes; RCPT-4 the per-tier status."""

from __future__ import annotations

import pytest

from surveyapp.core import trust
from surveyapp.core.receipts import ReceiptCode
from surveyapp.core.store import Workspace
from surveyapp.errors import SurveyError
from surveyapp.ops.batches import export_batch, import_batch
from surveyapp.ops.receipts import import_receipt, receipt_status, received_by, write_receipt

KEY = bytes.fromhex("a7" * 32)
VILLAGE, TOWNSHIP, COUNTY = "522422102201", "522422102", "522422"


def _ws(tmp_path, role, org, name):
    return Workspace.create_with_key(tmp_path / f"{name}.sdb", KEY, role=role, org_code=org,
                                     org_name=name, user="u")


def _visit(ws, i):
    ws.save_visit(None, {"survey_date": "2026-07-01", "township_code": TOWNSHIP,
                         "village_code": VILLAGE, "child_name": f"王{i}", "sex": "male"},
                  form_id="child_screening", form_version="1")


@pytest.fixture
def tiers(tmp_path):
    county = _ws(tmp_path, "county", COUNTY, "county")
    town = _ws(tmp_path, "township", TOWNSHIP, "town")
    village = _ws(tmp_path, "village", VILLAGE, "village")
    trust.init_county(county)
    trust.accept_enrollment(town, trust.enroll(county, trust.enroll_request(town)))
    trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
    trust.apply_update(town, trust.trust_update(county, TOWNSHIP))
    for i in range(3):
        _visit(village, i)
    usb = tmp_path / "usb"
    usb.mkdir()
    yield county, town, village, usb
    for ws in (county, town, village):
        ws.close()


def _code(call):
    with pytest.raises(SurveyError) as info:
        call()
    return info.value.code


def test_county_receipt__village_exports_only_the_rest(tiers):  # RCPT-1, RCPT-4
    county, _, village, usb = tiers
    first = export_batch(village, usb)
    import_batch(county, first.path)
    receipt = write_receipt(county, first.path, usb)
    assert receipt.revisions == first.revisions and receipt.path.exists()
    _visit(village, 99)  # saved after the export: not acknowledged yet
    res = import_receipt(village, receipt.path)
    assert res.receiver_role == "county" and not res.already_imported
    assert res.acked_seq > res.previous_acked_seq == 0
    status = receipt_status(village)
    assert status.county == status.acked_seq == res.acked_seq and status.township == 0
    (usb / "2").mkdir()
    second = export_batch(village, usb / "2")
    assert second.revisions == 2  # the new visit and its child revision only
    ids = [row[0] for row in village.conn.execute("SELECT DISTINCT record_id FROM revisions")]
    marks = received_by(village, ids)
    assert sorted(marks.values()).count(("county",)) == first.records
    assert sorted(marks.values()).count(()) == 2  # the new child and its visit


def test_receipt_twice__noop_and_says_so(tiers):  # RCPT-2
    county, _, village, usb = tiers
    first = export_batch(village, usb)
    import_batch(county, first.path)
    receipt = write_receipt(county, first.path, usb)
    import_receipt(village, receipt.path)
    before = receipt_status(village)
    again = import_receipt(village, receipt.path)
    assert again.already_imported and receipt_status(village) == before


def test_bad_receipts__each_refused_with_its_code(tiers, tmp_path):  # RCPT-3
    county, town, village, usb = tiers
    first = export_batch(village, usb)
    assert _code(lambda: write_receipt(county, first.path, usb)) is ReceiptCode.RECEIPT_004
    import_batch(county, first.path)
    receipt = write_receipt(county, first.path, usb).path
    # The township is not the device that sent the batch.
    assert _code(lambda: import_receipt(town, receipt)) is ReceiptCode.RECEIPT_002
    altered = tmp_path / "altered.receipt"
    altered.write_bytes(receipt.read_bytes().replace(b'"sequence":1', b'"sequence":2'))
    assert _code(lambda: import_receipt(village, altered)) is ReceiptCode.RECEIPT_003
    garbage = tmp_path / "garbage.receipt"
    garbage.write_bytes(b"PK\x03\x04 not a receipt")
    assert _code(lambda: import_receipt(village, garbage)) is ReceiptCode.RECEIPT_001
    # A township receipt, from a township this village's trust store does not list.
    import_batch(town, first.path)
    town_receipt = write_receipt(town, first.path, tmp_path).path
    assert _code(lambda: import_receipt(village, town_receipt)) is ReceiptCode.RECEIPT_003
    assert receipt_status(village).acked_seq == 0
