"""CLI-BATCH-MANY: `surveyapp batch import-all` (dry run, all-or-nothing) and `batch arrivals`."""

import json

from surveyapp.cli.main import main
from surveyapp.core import trust
from surveyapp.core.store import Workspace
from surveyapp.ops.batches import export_batch

PW = "county-pass-1"
COUNTY, V1, V2 = "522422", "522422102201", "522422102202"


def _setup(tmp_path):
    county = Workspace.create(tmp_path / "county.sdb", role="county", org_code=COUNTY,
                              org_name="大方县", user="zhou", password=PW, work_factor=10)
    villages = [Workspace.create(tmp_path / f"{v}.sdb", role="village", org_code=v,
                                 org_name=f"村{v[-3:]}", user="wang", password=PW,
                                 work_factor=10) for v in (V1, V2)]
    trust.init_county(county)
    for v in villages:
        trust.accept_enrollment(v, trust.enroll(county, trust.enroll_request(v)))
    usb = tmp_path / "usb"
    usb.mkdir()
    for i, v in enumerate(villages):
        v.save_visit(None, {"child_name": f"王芳{i}", "birth_date": "2012-05-01",
                            "village_code": v.org_code}, form_id="f", form_version="1")
        export_batch(v, usb)
        v.close()
    county.close()
    return tmp_path / "county.sdb", usb


def _count(path):
    with Workspace.open(path, "zhou", PW) as ws:
        return ws.count_children(None)


def test_import_all__dry_run_then_import(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    county, usb = _setup(tmp_path)
    assert main(["batch", "import-all", str(county), str(usb), "--user", "zhou",
                 "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [f["status"] for f in report["files"]] == ["ok", "ok"]
    assert len(report["new"]) == 2 and report["imported"] is False
    assert _count(county) == 0  # the dry run stored nothing
    assert main(["batch", "import-all", str(county), str(usb), "--user", "zhou", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] is True
    assert _count(county) == 2
    assert main(["batch", "arrivals", str(county), "--user", "zhou", "--json"]) == 0
    board = json.loads(capsys.readouterr().out)
    sent = {d["org_code"]: d["last_sequence"] for d in board["devices"]}
    assert sent == {V1: 1, V2: 1}
    assert V1 not in board["silent"] and V2 not in board["silent"]
    assert board["silent"]  # the form's other villages of the county sent nothing


def test_import_all__a_tampered_file_stops_everything(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    county, usb = _setup(tmp_path)
    first = sorted(usb.iterdir())[0]
    data = bytearray(first.read_bytes())
    data[len(data) // 2] ^= 0x01
    first.write_bytes(bytes(data))
    assert main(["batch", "import-all", str(county), str(usb), "--user", "zhou"]) == 1
    out = capsys.readouterr().out
    assert "rejected" in out and "nothing imported" in out
    assert _count(county) == 0


def test_import_all__empty_folder_is_a_user_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    county, _ = _setup(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["batch", "import-all", str(county), str(empty), "--user", "zhou"]) == 1
    assert capsys.readouterr().err


def test_arrivals__a_township_lists_its_villages_not_itself(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    county = Workspace.create(tmp_path / "c.sdb", role="county", org_code=COUNTY,
                              org_name="大方县", user="zhou", password=PW, work_factor=10)
    town = Workspace.create(tmp_path / "t.sdb", role="township", org_code=V1[:9],
                            org_name="镇", user="zhou", password=PW, work_factor=10)
    village = Workspace.create(tmp_path / "v.sdb", role="village", org_code=V1,
                               org_name="村", user="zhou", password=PW, work_factor=10)
    trust.init_county(county)
    for device in (town, village):
        trust.accept_enrollment(device, trust.enroll(county, trust.enroll_request(device)))
    trust.apply_update(town, trust.trust_update(county, town.org_code))
    own = town.device_id
    for ws in (county, town, village):
        ws.close()
    assert main(["batch", "arrivals", str(tmp_path / "t.sdb"), "--user", "zhou", "--json"]) == 0
    board = json.loads(capsys.readouterr().out)
    assert own not in {d["device_id"] for d in board["devices"]}
    assert {d["org_code"] for d in board["devices"]} == {V1}
    assert all(v.startswith(V1[:9]) for v in board["silent"]) and V1 in board["silent"]
