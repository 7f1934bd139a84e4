"""FORM-FILES the files a form reads (a county's village list as a CSV beside the form, a
pulldata table) travel with the form in the county's signed trust files (issue #19, Must
hold 2): the device stores them with the form, the stored form finds them once the county's
folder is gone, their hashes are part of the form version, and a file changed inside a
trust file is refused by the signature (docs/batch-format.md §8)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from surveyapp.core import trust
from surveyapp.core.store import Workspace
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.trust import authority, keystore
from surveyapp.core.trust.codes import TrustCode
from surveyapp.core.trust.device import form_package
from surveyapp.errors import SurveyError
from surveyapp.ops import trust as trust_ops
from surveyapp.ops.children import child_file, save_visit

KEY = bytes.fromhex("c3" * 32)
COUNTY, V1 = "522422", "522422102201"
VILLAGES = ("name,label,township\n522422102201,东村,522422102\n"
            "522422102202,西村,522422102\n522422103201,南村,522422103\n")
HEADS = "name,head\n522422102201,王支书\n522422102202,李支书\n"


def write_form(folder: Path, version: str = "1", *, files: bool = True) -> Path:
    """A small county form: a village picked from villages.csv, its head pulled from
    heads.csv (both beside the form)."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label", "calculation"])
    ws.append(["text", "child_name", "姓名", None])
    if files:
        ws.append(["select_one_from_file villages.csv", "village_code", "村", None])
        ws.append(["calculate", "village_head", None,
                   "pulldata('heads', 'head', 'name', ${village_code})"])
    st = wb.create_sheet("settings")
    st.append(["form_id", "version"])
    st.append(["county_form", version])
    path = folder / "county_form.xlsx"
    wb.save(path)
    if files:
        (folder / "villages.csv").write_text(VILLAGES, encoding="utf-8")
        (folder / "heads.csv").write_text(HEADS, encoding="utf-8")
    return path


def _ws(tmp_path: Path, role: str, org: str) -> Workspace:
    return Workspace.create_with_key(tmp_path / f"{role}{org}.sdb", KEY, role=role,
                                     org_code=org, org_name=org, user="u")


@pytest.fixture
def world(tmp_path: Path) -> Any:
    county, village = _ws(tmp_path, "county", COUNTY), _ws(tmp_path, "village", V1)
    trust.init_county(county)
    req = tmp_path / "req.json"
    trust_ops.write_enroll_request(village, req)
    res = trust_ops.enroll_device(county, req, tmp_path / "enrollment.json")
    trust_ops.accept_enrollment(village, res.path)
    yield county, village
    county.close()
    village.close()


def _state(ws: Workspace) -> tuple[Any, ...]:
    return (ws.get_meta("trust.serial"), ws.get_meta("trust.form"),
            ws.get_secret(keystore.FORM_PACKAGE), ws.get_secret(keystore.FORM_FILES),
            ws.conn.execute("SELECT count(*) FROM revisions")[0][0],
            ws.conn.execute("SELECT count(*) FROM audit")[0][0])


def _stored_form_path(ws: Workspace, folder: Path) -> Path:
    package = form_package(ws)
    assert package is not None
    return trust_ops.unpack_form(package, folder)


def test_update_carries_the_files__village_fills_from_the_csv(world: Any,
                                                               tmp_path: Path) -> None:
    county, village = world
    form = write_form(tmp_path / "county_folder")
    update = trust_ops.write_update(county, V1, tmp_path / "update.json", form=form)
    # The trust file names each file with its SHA-256 (docs/batch-format.md §8).
    body = json.loads(update.read_bytes())["body"]["form"]
    assert [(f["name"], f["sha256"]) for f in body["files"]] == [
        ("heads.csv", hashlib.sha256(HEADS.encode()).hexdigest()),
        ("villages.csv", hashlib.sha256(VILLAGES.encode()).hexdigest())]
    for name in ("county_form.xlsx", "villages.csv", "heads.csv"):
        (tmp_path / "county_folder" / name).unlink()  # nothing left at the county's side

    applied = trust_ops.apply_update(village, update)
    assert applied.form == "county_form@1"
    package = form_package(village)
    assert package is not None and sorted(package.files) == ["heads.csv", "villages.csv"]
    assert json.loads(village.get_meta("trust.form") or "")["files_sha256"] == \
        authority.files_digest({"heads.csv": HEADS.encode(), "villages.csv": VILLAGES.encode()})
    loaded = trust_ops.load_package(package)
    assert dict(loaded.attachments) == {n: hashlib.sha256(d).hexdigest()
                                        for n, d in package.files.items()}

    # The device fills the stored form (no form path): its CSVs are found beside it.
    child = save_visit(village, {"child_name": "李娜", "village_code": "522422102202"})
    data = child_file(village, child).row.data
    assert data["village_code"] == "522422102202" and data["village_head"] == "李支书"
    with pytest.raises(SurveyError):  # not a village of the CSV: the form refuses it
        save_visit(village, {"child_name": "王五", "village_code": "999"})
    # Unpacked by hand too, the package is the form and its files.
    unpacked = _stored_form_path(village, tmp_path / "unpacked")
    assert (unpacked.parent / "villages.csv").read_text(encoding="utf-8") == VILLAGES


def test_form_without_files__package_as_before(world: Any, tmp_path: Path) -> None:
    """A form that reads no file makes the package of before this change (no ``files``),
    which older devices read unchanged; a device stores no files for it."""
    county, village = world
    form = write_form(tmp_path / "plain", files=False)
    update = trust_ops.write_update(county, V1, tmp_path / "u.json", form=form)
    body = json.loads(update.read_bytes())["body"]["form"]
    assert set(body) == {"form_id", "version", "sha256", "xlsx"}
    trust_ops.apply_update(village, update)
    package = form_package(village)
    assert package is not None and package.files == {}
    assert trust_ops.load_package(package).form_id == "county_form"


def _resign(county: Workspace, data: bytes, edit: Any) -> bytes:
    """A county-signed update whose body ``edit`` changed (a county bug, or a stolen key:
    the device still checks what it stores)."""
    obj = json.loads(data)
    body = obj["body"]
    body["serial"] += 10  # newer than anything applied
    edit(body["form"])
    return trust.authority.seal(trust.authority.UPDATE, body, keystore.signing_key(county))


def test_tampered_attachment__refused_by_signature(world: Any, tmp_path: Path) -> None:
    county, village = world
    form = write_form(tmp_path / "county_folder")
    good = trust_ops.write_update(county, V1, tmp_path / "u.json", form=form).read_bytes()
    before = _state(village)
    evil = VILLAGES.replace("西村", "假村").encode()
    obj = json.loads(good)
    entry = obj["body"]["form"]["files"][1]
    assert entry["name"] == "villages.csv"
    entry["data"] = base64.b64encode(evil).decode()
    entry["sha256"] = hashlib.sha256(evil).hexdigest()  # an outsider fixes the hash too
    (tmp_path / "evil.json").write_bytes(canonical_json(obj))
    with pytest.raises(SurveyError) as err:
        trust_ops.apply_update(village, tmp_path / "evil.json")
    assert err.value.code is TrustCode.TRUST_002
    assert _state(village) == before
    assert trust_ops.apply_update(village, tmp_path / "u.json").form == "county_form@1"


@pytest.mark.parametrize("edit", [
    lambda f: f["files"][0].update(name="../heads.csv"),
    lambda f: f["files"][0].update(name="heads.sh"),
    lambda f: f["files"][0].update(sha256="0" * 64),
    lambda f: f["files"].append(dict(f["files"][0])),  # the same name twice
    lambda f: f.update(files_sha256="0" * 64),
    lambda f: f["files"][0].update(data="not base64!"),
    lambda f: f.update(files=[dict(f["files"][0], name=f"f{i}.csv") for i in range(65)]),
])
def test_signed_but_bad_files__refused_nothing_stored(world: Any, tmp_path: Path,
                                                      edit: Any) -> None:
    county, village = world
    good = trust_ops.write_update(county, V1, tmp_path / "u.json",
                                  form=write_form(tmp_path / "f")).read_bytes()
    before = _state(village)
    (tmp_path / "bad.json").write_bytes(_resign(county, good, edit))
    with pytest.raises(SurveyError) as err:
        trust_ops.apply_update(village, tmp_path / "bad.json")
    assert err.value.code is TrustCode.TRUST_001
    assert _state(village) == before


def test_sizes_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file and the whole package are bounded (16 MB, 40 MB by default), checked
    before anything is stored."""
    files = {"a.csv": b"x" * 600, "b.csv": b"y" * 600}
    obj = authority.FormPackage("f", "1", b"xlsx", files).to_json()
    assert authority.FormPackage.from_json(obj).files == files
    monkeypatch.setattr(authority, "MAX_PACKAGE_FILE_BYTES", 500)
    with pytest.raises(ValueError, match="size"):
        authority.FormPackage.from_json(obj)
    monkeypatch.setattr(authority, "MAX_PACKAGE_FILE_BYTES", 1000)
    monkeypatch.setattr(authority, "MAX_PACKAGE_BYTES", 1100)
    with pytest.raises(ValueError, match="size"):
        authority.FormPackage.from_json(obj)


def test_county_refuses_a_package_too_large(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    form = write_form(tmp_path / "f")
    monkeypatch.setattr(trust_ops, "MAX_PACKAGE_BYTES", 1000)
    with pytest.raises(SurveyError) as err:
        trust_ops._package(form)
    assert err.value.code.name == "INPUT_002"


def test_same_version_other_csv__refused(world: Any, tmp_path: Path) -> None:
    """The files are part of the form version (docs/forms.md): the county changes the
    village CSV but not the version; the county refuses to issue it, and a device refuses
    such a trust file (TRUST_019) even when signed, nothing changed."""
    county, village = world
    folder = tmp_path / "county_folder"
    trust_ops.apply_update(village, trust_ops.write_update(
        county, V1, tmp_path / "u1.json", form=write_form(folder)))
    good = (tmp_path / "u1.json").read_bytes()
    (folder / "villages.csv").write_text(VILLAGES + "522422102203,北村,522422102\n",
                                         encoding="utf-8")
    with pytest.raises(SurveyError) as err:
        trust_ops.write_update(county, V1, tmp_path / "u2.json", form=folder /
                               "county_form.xlsx")
    assert err.value.code is TrustCode.TRUST_019
    before = _state(village)
    other = VILLAGES.encode() + "522422102203,北村,522422102\n".encode()

    def swap(form: dict[str, Any]) -> None:
        entry = form["files"][1]
        entry.update(data=base64.b64encode(other).decode(),
                     sha256=hashlib.sha256(other).hexdigest())
        form["files_sha256"] = authority.files_digest(
            {"heads.csv": HEADS.encode(), "villages.csv": other})

    (tmp_path / "u3.json").write_bytes(_resign(county, good, swap))
    with pytest.raises(SurveyError) as err:
        trust_ops.apply_update(village, tmp_path / "u3.json")
    assert err.value.code is TrustCode.TRUST_019
    assert _state(village) == before
    # With a new version the new list is accepted and used.
    write_form(folder, "2")
    (folder / "villages.csv").write_bytes(other)
    trust_ops.apply_update(village, trust_ops.write_update(
        county, V1, tmp_path / "u4.json", form=folder / "county_form.xlsx"))
    child = save_visit(village, {"child_name": "赵六", "village_code": "522422102203"})
    assert child_file(village, child).row.data["village_code"] == "522422102203"


def test_cli__county_sends_village_fills_and_writes_the_form_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    """Through the CLI on password workspaces: ``trust enroll --form``, ``trust update
    --form``, ``children visit`` without ``--form`` and ``form current --out``."""
    from surveyapp.cli.main import main

    pw = "files-pass-1"
    monkeypatch.setenv("SURVEYAPP_PASSWORD", pw)

    def cli(*argv: Any) -> str:
        code = main([str(a) for a in argv])
        out = capsys.readouterr()
        assert code == 0, (argv, out.out, out.err)
        return out.out

    county, village = tmp_path / "county.sdb", tmp_path / "village.sdb"
    for path, role, org in ((county, "county", COUNTY), (village, "village", V1)):
        Workspace.create(path, role=role, org_code=org, org_name=org, user="u",
                         password=pw, work_factor=10).close()
    cli("trust", "init-county", county, "--user", "u")
    form = write_form(tmp_path / "county_folder")
    cli("trust", "enroll-request", village, "--user", "u", "--out", tmp_path / "req")
    cli("trust", "enroll", county, tmp_path / "req", "--user", "u", "--out",
        tmp_path / "enr", "--form", form)
    for name in ("county_form.xlsx", "villages.csv", "heads.csv"):
        (tmp_path / "county_folder" / name).unlink()
    cli("trust", "accept", village, tmp_path / "enr", "--user", "u")
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"child_name": "李娜", "village_code": "522422102201"}),
                       encoding="utf-8")
    cli("children", "visit", village, "--user", "u", "--answers", answers)
    with Workspace.open(village, "u", pw) as ws:
        [row] = ws.query_children(None, 0, 10)
        assert row.data["village_head"] == "王支书"
    (tmp_path / "out").mkdir()
    cli("form", "current", village, "--user", "u", "--out", tmp_path / "out" / "form.xlsx")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "form.xlsx", "heads.csv", "villages.csv"]
    assert (tmp_path / "out" / "villages.csv").read_text(encoding="utf-8") == VILLAGES
