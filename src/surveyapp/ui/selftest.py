"""``surveyapp --self-test``: a temporary county and village workspace, the village enrolled by
the county (real keys and trust files), one record filled through the real form view and
saved, read back, exported as a signed and encrypted batch, and that batch verified and
imported by the county; exit 0, or 1 on any failure. Runs offscreen."""

from __future__ import annotations

import datetime as dt
import secrets
import sys
import tempfile
from pathlib import Path

from surveyapp.core.ids import make_resident_id

SAMPLE = {
    "survey_date": dt.date.today().isoformat(),
    "township_code": "522422102",
    "village_code": "522422102201",
    "residence_type": "rural",
    "surveyor_name": "自检",
    "child_name": "自检儿童",
    "has_id_number": "yes",
    "id_number": make_resident_id("522422", dt.date(2016, 3, 15), 11),
    "hukou_rural": "yes",
    "health_status": "healthy",
    "father_status": "at_home",
    "mother_status": "at_home",
    "carer_type": "parent",
    "carer_health": "good",
    "risk_signs": "none",
    "consent": "yes",
}


def run_self_test() -> int:
    from surveyapp.ops import trust
    from surveyapp.ops.batches import export_batch, import_batch
    from surveyapp.ops.workspace import create_and_open
    from surveyapp.ui.backend import Backend
    from surveyapp.ui.formview.view import FormView

    with tempfile.TemporaryDirectory(prefix="surveyapp-selftest-") as tmp:
        folder = Path(tmp)
        county = create_and_open(folder / "county.sdb", role="county", org_code="522422",
                                 org_name="自检县", user="selftest",
                                 password=secrets.token_urlsafe(16))
        ws = create_and_open(
            folder / "self-test.sdb",
            role="village",
            org_code="522422102201",
            org_name="自检",
            user="selftest",
            password=secrets.token_urlsafe(16),
        )
        try:
            trust.init_county(county)
            request = trust.write_enroll_request(ws, folder / "request.json")
            enrolled = trust.enroll_device(county, request, folder / "enrollment.json")
            trust.accept_enrollment(ws, enrolled.path)
            backend = Backend(ws)
            view = FormView(backend)
            for name, value in SAMPLE.items():
                view.set_answer(name, value)
            record_id = view.finalize()
            if record_id is None:
                print("self-test: FAILED", view.session.errors("en"), file=sys.stderr)
                return 1
            back = backend.child_answers(record_id)
            if back.get("child_name") != SAMPLE["child_name"] or back.get("sex") != "male":
                print("self-test: FAILED (read back differs)", file=sys.stderr)
                return 1
            view.deleteLater()
            usb = folder / "usb"
            usb.mkdir()
            batch = export_batch(ws, usb)
            imported = import_batch(county, batch.path)
            if imported.inserted < 1 or county.count_children(None) != 1:
                print("self-test: FAILED (the county did not receive the batch)", file=sys.stderr)
                return 1
        finally:
            ws.close()
            county.close()
    print("self-test: ok")
    return 0
