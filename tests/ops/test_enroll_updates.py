"""ENR-UPD enrolling a device writes the trust updates of the units that must learn it: a
township enrolled after its villages gets them in its enrollment, and each village gets an
update so that its batches are encrypted to the township too (else BATCH_007 there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveyapp.core import trust
from surveyapp.core.batch.codes import DecryptionFailure
from surveyapp.core.store import Workspace
from surveyapp.ops import trust as trust_ops
from surveyapp.ops.batches import export_batch, import_batch

KEY = bytes.fromhex("e7" * 32)
COUNTY, TOWN, V1, V2 = "522422", "522422102", "522422102201", "522422102202"


def _ws(tmp_path: Path, role: str, org: str) -> Workspace:
    return Workspace.create_with_key(tmp_path / f"{role}{org}.sdb", KEY, role=role,
                                     org_code=org, org_name=org, user="u")


def _enroll(county: Workspace, ws: Workspace, folder: Path) -> trust_ops.EnrollResult:
    req = folder / f"{ws.org_code}_enroll_request.json"
    trust_ops.write_enroll_request(ws, req)
    res = trust_ops.enroll_device(county, req, folder / f"{ws.org_code}_enrollment.json")
    trust_ops.accept_enrollment(ws, res.path)
    return res


def test_township_enrolled_after_its_villages__their_updates_written(tmp_path: Path) -> None:
    county, town = _ws(tmp_path, "county", COUNTY), _ws(tmp_path, "township", TOWN)
    v1, v2 = _ws(tmp_path, "village", V1), _ws(tmp_path, "village", V2)
    other = _ws(tmp_path, "village", "522422103201")  # a village of another township
    try:
        trust.init_county(county)
        for v in (v1, v2, other):
            assert _enroll(county, v, tmp_path).updates == ()  # no township device yet
        res = _enroll(county, town, tmp_path)
        assert [p.name for p in res.updates] == [f"{V1}_trust_update.json",
                                                 f"{V2}_trust_update.json"]
        v1.save_visit(None, {"village_code": V1, "child_name": "李娜"}, form_id="f",
                      form_version="1")
        (tmp_path / "usb").mkdir()
        before = export_batch(v1, tmp_path / "usb").path  # encrypted to the county only
        with pytest.raises(DecryptionFailure):
            import_batch(town, before)
        trust_ops.apply_update(v1, res.updates[0])
        (tmp_path / "usb2").mkdir()
        batch = export_batch(v1, tmp_path / "usb2").path
        assert import_batch(town, batch).inserted > 0  # the township can read it now
        # Enrolling one more village now writes the township's update.
        v3 = _ws(tmp_path, "village", "522422102203")
        try:
            [update] = _enroll(county, v3, tmp_path).updates
            assert update.name == f"{TOWN}_trust_update.json"
        finally:
            v3.close()
    finally:
        for ws in (county, town, v1, v2, other):
            ws.close()
