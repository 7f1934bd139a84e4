"""CLI-R1 receipt write / import / status end to end through main(); a receipt for another
device exits 1 with RECEIPT_002."""

from __future__ import annotations

import json

import pytest

from surveyapp.cli.main import main
from surveyapp.core.store import Workspace

PASSWORD = "correct horse 2"  # noqa: S105 - a test password


@pytest.fixture
def workspaces(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PASSWORD)
    paths = {}
    for role, org in (("county", "522422"), ("village", "522422102201")):
        path = tmp_path / f"{role}.sdb"
        Workspace.create(path, role=role, org_code=org, org_name=role, user="u",
                         password=PASSWORD, work_factor=10).close()
        paths[role] = str(path)
    return paths


def _run(capsys, *argv):
    code = main([*argv, "--user", "u", "--json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_receipt_write_import_status__end_to_end(workspaces, tmp_path, capsys):  # CLI-R1
    county, village = workspaces["county"], workspaces["village"]
    req, enr, usb = tmp_path / "req.json", tmp_path / "enr.json", tmp_path / "usb"
    usb.mkdir()
    assert _run(capsys, "trust", "init-county", county)[0] == 0
    assert _run(capsys, "trust", "enroll-request", village, "--out", str(req))[0] == 0
    assert _run(capsys, "trust", "enroll", county, str(req), "--out", str(enr))[0] == 0
    assert _run(capsys, "trust", "accept", village, str(enr))[0] == 0
    with Workspace.open(village, "u", PASSWORD) as ws:
        ws.save_visit(None, {"child_name": "王", "village_code": "522422102201",
                             "township_code": "522422102", "survey_date": "2026-07-01"},
                      form_id="child_screening", form_version="1")
    _, exported, _ = _run(capsys, "batch", "export", village, "--out", str(usb))
    assert _run(capsys, "batch", "import", county, exported["path"])[0] == 0
    code, written, _ = _run(capsys, "receipt", "write", county, exported["path"],
                            "--out", str(usb))
    assert code == 0 and written["revisions"] == exported["revisions"]
    code, imported, _ = _run(capsys, "receipt", "import", village, written["path"])
    assert code == 0 and imported["acked_seq"] > 0 and not imported["already_imported"]
    code, status, _ = _run(capsys, "receipt", "status", village)
    assert code == 0 and status["county"] == imported["acked_seq"]
    code, _, err = _run(capsys, "receipt", "import", county, written["path"])
    assert code == 1 and json.loads(err)["error"]["code"] == "RECEIPT_002"
