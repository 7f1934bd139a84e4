"""CLI-B1 the trust and batch commands end to end through main(): init, enroll, accept,
export, verify, import, re-import, gaps, revoke; exit 1 with a code on rejection."""

from __future__ import annotations

import json

import pytest

from surveyapp.cli.main import main
from surveyapp.core.store import Workspace

PASSWORD = "correct horse 1"  # noqa: S105 - a test password


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


def test_enroll_export_import__end_to_end(workspaces, tmp_path, capsys):  # CLI-B1
    county, village = workspaces["county"], workspaces["village"]
    req, enr, usb = tmp_path / "req.json", tmp_path / "enr.json", tmp_path / "usb"
    usb.mkdir()
    assert _run(capsys, "trust", "init-county", county)[0] == 0
    assert _run(capsys, "trust", "enroll-request", village, "--out", str(req))[0] == 0
    assert _run(capsys, "trust", "enroll", county, str(req), "--out", str(enr))[0] == 0
    code, applied, _ = _run(capsys, "trust", "accept", village, str(enr))
    assert code == 0 and len(applied["recipients"]) == 1
    with Workspace.open(village, "u", PASSWORD) as ws:
        ws.save_visit(None, {"child_name": "王", "village_code": "522422102201",
                             "township_code": "522422102", "survey_date": "2026-07-01"},
                      form_id="child_screening", form_version="1")
    code, exported, _ = _run(capsys, "batch", "export", village, "--out", str(usb))
    assert code == 0 and exported["sequence"] == 1
    assert main(["batch", "inspect", exported["path"], "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["sequence"] == 1 and shown["verified"] is False
    code, verified, _ = _run(capsys, "batch", "verify", county, exported["path"])
    assert code == 0 and verified["revisions"] == exported["revisions"]
    code, imported, _ = _run(capsys, "batch", "import", county, exported["path"],
                             "--receipt", str(usb))
    assert code == 0 and imported["inserted"] == exported["revisions"]
    code, receipt, _ = _run(capsys, "batch", "receipt", village, imported["receipt"])
    assert code == 0 and receipt["role"] == "county" and receipt["sequence"] == 1
    code, again, _ = _run(capsys, "batch", "import", county, exported["path"])
    assert code == 0 and again["already_imported"]
    assert _run(capsys, "batch", "gaps", county)[1] == {}
    code, devices, _ = _run(capsys, "trust", "devices", county)
    assert code == 0 and devices[0]["org_code"] == "522422102201"
    assert _run(capsys, "trust", "revoke", county, devices[0]["device_id"])[0] == 0
    code, _, err = _run(capsys, "batch", "import", county, exported["path"])
    assert code == 1 and json.loads(err)["error"]["code"] == "BATCH_005"


def test_not_a_batch__exit_1_with_code(workspaces, tmp_path, capsys):  # CLI-B1
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"hello")
    code, _, err = _run(capsys, "batch", "verify", workspaces["county"], str(junk))
    assert code == 1 and json.loads(err)["error"]["code"] == "BATCH_001"
