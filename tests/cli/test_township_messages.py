"""MSG-PATHS messages along the township paths say what happened (issue 14, item 6 and 4):
BATCH_004 at a township names the trust-update file to ask the county for, and applying the
one the county wrote at enrollment fixes it; a receipt for another device is a receipt, not an
"enrollment file"; a down file for another village names the village; a short export password
is "too short"; usage errors exit 1; `import-all --dry-run --json` prints the duplicate kind."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from surveyapp.cli.main import main
from surveyapp.core import trust
from surveyapp.core.store import Workspace
from surveyapp.ops import relay
from surveyapp.ops.batches import acknowledged, export_batch, import_batch, write_receipt

PW = "messages-pass-1"
COUNTY, TOWN, V1, V2 = "522422", "522422102", "522422102201", "522422102202"


def _ws(tmp_path: Path, name: str, role: str, org: str) -> Workspace:
    return Workspace.create(tmp_path / f"{name}.sdb", role=role, org_code=org,
                            org_name=name, user="u", password=PW, work_factor=10)


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return rc, out, err


def _child(name: str, village: str, idn: str = "") -> dict[str, object]:
    return {"survey_date": "2026-07-01", "township_code": TOWN, "village_code": village,
            "child_name": name, "sex": "female", "birth_date": "2014-04-04", "id_number": idn}


def test_unknown_village_at_township__message_names_the_update_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    county, town = _ws(tmp_path, "county", "county", COUNTY), _ws(tmp_path, "town",
                                                                 "township", TOWN)
    village = _ws(tmp_path, "v1", "village", V1)
    trust.init_county(county)
    trust.accept_enrollment(town, trust.enroll(county, trust.enroll_request(town)))
    village.save_visit(None, _child("李娜", V1), form_id="f", form_version="1")
    req = tmp_path / "v1.req.json"
    req.write_bytes(trust.enroll_request(village))
    for ws in (county, town, village):
        ws.close()
    enr = tmp_path / "usb" / "v1.enrollment.json"
    enr.parent.mkdir()
    rc, out, _ = _run(capsys, "trust", "enroll", tmp_path / "county.sdb", req, "--user", "u",
                      "--out", enr, "--json")
    assert rc == 0
    [update] = json.loads(out)["updates"]
    assert update == str(enr.parent / f"{TOWN}_trust_update.json")
    assert _run(capsys, "trust", "accept", tmp_path / "v1.sdb", enr, "--user", "u")[0] == 0
    with Workspace.open(tmp_path / "v1.sdb", "u", PW) as v:
        batch = export_batch(v, tmp_path / "usb").path

    # The township has not applied the update yet: the message says which file to get.
    rc, _, err = _run(capsys, "--lang", "en", "batch", "import", tmp_path / "town.sdb", batch,
                      "--user", "u")
    assert rc == 1 and "BATCH_004" in err and f"{TOWN}_trust_update.json" in err
    rc, _, err = _run(capsys, "batch", "import", tmp_path / "town.sdb", batch, "--user", "u")
    assert f"{TOWN}_trust_update.json" in err and "信任更新" in err
    with Workspace.open(tmp_path / "town.sdb", "u", PW) as t:
        assert t.count_children() == 0
    # With the update the county wrote at enrollment, the same batch imports.
    assert _run(capsys, "trust", "apply", tmp_path / "town.sdb", update, "--user", "u")[0] == 0
    rc, _, err = _run(capsys, "batch", "import", tmp_path / "town.sdb", batch, "--user", "u")
    assert rc == 0, err
    with Workspace.open(tmp_path / "town.sdb", "u", PW) as t:
        assert t.count_children() == 1 and len(relay.kept(t)) == 1


@pytest.fixture
def tiers(tmp_path: Path) -> Any:
    county, town = _ws(tmp_path, "county", "county", COUNTY), _ws(tmp_path, "town",
                                                                 "township", TOWN)
    v1, v2 = _ws(tmp_path, "v1", "village", V1), _ws(tmp_path, "v2", "village", V2)
    trust.init_county(county)
    for ws in (town, v1, v2):
        trust.accept_enrollment(ws, trust.enroll(county, trust.enroll_request(ws)))
    trust.apply_update(town, trust.trust_update(county, TOWN))
    yield county, town, v1, v2
    for ws in (county, town, v1, v2):
        ws.close()


def test_receipt_for_another_device__called_a_receipt(tmp_path: Path, tiers: Any) -> None:
    _, town, v1, v2 = tiers
    v1.save_visit(None, _child("李娜", V1), form_id="f", form_version="1")
    (tmp_path / "usb").mkdir()
    receipt = write_receipt(town, import_batch(town, export_batch(v1, tmp_path / "usb").path),
                            tmp_path)
    from surveyapp.errors import SurveyError
    from surveyapp.ops.batches import import_receipt

    with pytest.raises(SurveyError) as err:
        import_receipt(v2, receipt)
    assert err.value.code.name == "TRUST_011"
    assert "回执" in err.value.message("zh") and "登记文件" not in err.value.message("zh")
    assert "receipt" in err.value.message("en") and "enrollment" not in err.value.message("en")
    assert acknowledged(v2) == {"township": 0, "county": 0}


def test_down_file_for_another_village__names_it(tmp_path: Path, tiers: Any) -> None:
    _, town, v1, v2 = tiers
    trust.apply_update(v1, trust.trust_update(tiers[0], V1))
    trust.apply_update(v2, trust.trust_update(tiers[0], V2))
    down = relay.export_down(town, V1, tmp_path)
    from surveyapp.core.batch import BatchError

    before = v2.conn.one("SELECT count(*) FROM revisions")[0]
    with pytest.raises(BatchError) as err:
        relay.import_down(v2, down.path)
    assert err.value.code.name == "BATCH_013"
    assert V1 in err.value.message("en") and V2 in err.value.message("en")
    assert "下发文件" in err.value.message("zh")
    assert v2.conn.one("SELECT count(*) FROM revisions")[0] == before


def test_short_export_password__too_short(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from surveyapp.core.ledger.sample import sample_rows

    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                            for r in sample_rows(5, seed=1)), encoding="utf-8")
    monkeypatch.setenv("SURVEYAPP_EXPORT_PASSWORD", "abc")
    rc, _, err = _run(capsys, "--lang", "en", "ledger", "export", "--rows", rows, "--password",
                      tmp_path / "l.xlsx")
    assert rc == 1 and "LEDGER_004" in err and "too short" in err and "empty" not in err
    rc, _, err = _run(capsys, "ledger", "export", "--rows", rows, "--password",
                      tmp_path / "l.xlsx")
    assert "太短" in err and "为空" not in err


@pytest.mark.parametrize("argv", [["batch", "import"], ["batch", "frobnicate"],
                                  ["relay", "import", "x", "--user"], ["nosuchcommand"]])
def test_usage_error__exits_1(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 1
    assert "usage:" in capsys.readouterr().err


def test_import_all_dry_run_json__duplicate_kind_is_its_value(
        tmp_path: Path, tiers: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    county, _, v1, v2 = tiers
    idn = "52242220140404002X"
    v1.save_visit(None, _child("王芳", V1, idn), form_id="f", form_version="1")
    v2.save_visit(None, _child("王芳", V2, idn), form_id="f", form_version="1")
    usb = tmp_path / "usb"
    usb.mkdir()
    for v in (v1, v2):
        export_batch(v, usb)
    county.close()
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    rc, out, err = _run(capsys, "batch", "import-all", tmp_path / "county.sdb", usb, "--user",
                        "u", "--dry-run", "--json")
    assert rc == 0, err
    kinds = {d["kind"] for d in json.loads(out)["duplicates"]}
    assert kinds and kinds <= {"same_id", "moved", "same_person"}
    assert "DuplicateKind" not in out
