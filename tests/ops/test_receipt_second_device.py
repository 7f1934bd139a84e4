"""RCPT-2D a township with two enrolled devices (e.g. a replaced laptop): a receipt signed
by either one is accepted by the village (the receipt's key id picks the device key)."""

from __future__ import annotations

from surveyapp.core import trust
from surveyapp.core.store import Workspace
from surveyapp.ops.batches import export_batch, import_batch, import_receipt, write_receipt

KEY = bytes.fromhex("c3" * 32)
TOWNSHIP, VILLAGE = "522422102", "522422102201"


def _ws(tmp_path, role, org, name):
    return Workspace.create_with_key(tmp_path / f"{name}.sdb", KEY, role=role, org_code=org,
                                     org_name=name, user="u")


def test_receipts_from_both_township_devices__accepted(tmp_path):  # RCPT-2D
    county = _ws(tmp_path, "county", "522422", "county")
    towns = [_ws(tmp_path, "township", TOWNSHIP, f"town{i}") for i in range(2)]
    village = _ws(tmp_path, "village", VILLAGE, "village")
    try:
        trust.init_county(county)
        for ws in (*towns, village):
            trust.accept_enrollment(ws, trust.enroll(county, trust.enroll_request(ws)))
        for ws in towns:
            trust.apply_update(ws, trust.trust_update(county, TOWNSHIP))
        trust.apply_update(village, trust.trust_update(county, VILLAGE))
        village.save_visit(None, {"survey_date": "2026-07-01", "village_code": VILLAGE,
                                  "township_code": TOWNSHIP, "child_name": "李",
                                  "sex": "female"}, form_id="child_screening", form_version="1")
        (tmp_path / "usb").mkdir()
        batch = export_batch(village, tmp_path / "usb").path
        for i, town in enumerate(towns):
            out = tmp_path / f"r{i}"
            out.mkdir()
            receipt = write_receipt(town, import_batch(town, batch), out)
            assert import_receipt(village, receipt).sequence == 1
    finally:
        for ws in (county, *towns, village):
            ws.close()
