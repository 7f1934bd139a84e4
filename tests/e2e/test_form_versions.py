"""动态管理 over form versions, with the CLI across three real workspaces (county, township,
village; real SQLCipher files, real keys, signed and encrypted files between them).

The county enrolls the devices with the shipped form (v1), then sends v2 with a trust
update: one question renamed (``carer_name`` → ``guardian_name``, ``previous_name``), one
removed (``father_phone``), one required question added (``home_visited``), one choice
removed (``contact_freq``/``never``) and one constraint tightened (``carer_age`` ≥ 18).
The village follows up a v1 child *without* ``--form``: the carried answers the new form
refuses are listed with their old values and nothing is saved; answered again, the visit
is saved as v2, the renamed answer moved, the removed one kept in ``previous_answers``.
Up the chain, the county's ``--all-fields`` export has both, and nothing typed under v1
is missing anywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from surveyapp.cli.main import main
from surveyapp.core.ids import make_resident_id
from surveyapp.core.store import Workspace

PW = "versions-pass-1"
COUNTY, TOWN, VILLAGE = "522422", "522422102", "522422102201"
FORM = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"
V2 = "2027.1"


def make_v2(dst: Path, *, version: str = V2, form_id: str | None = None) -> Path:
    """The county's edit of the shipped form, as it would make it in Excel."""
    wb = load_workbook(FORM)
    ws = wb["survey"]
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    prev = ws.max_column + 1
    ws.cell(1, prev).value = "previous_name"

    def row_of(name: str) -> int:
        return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["name"]).value == name)

    r = row_of("carer_name")
    ws.cell(r, col["name"]).value = "guardian_name"
    ws.cell(r, col["label::zh"]).value = "监护人（照料人）姓名"
    ws.cell(r, col["default"]).value = "${last-saved#guardian_name}"
    ws.cell(r, prev).value = "carer_name"
    ws.insert_rows(r + 1)
    for key, value in {"type": "select_one yes_no", "name": "home_visited",
                       "label::zh": "是否入户走访", "label::en": "Home visit made",
                       "required": "yes"}.items():
        ws.cell(r + 1, col[key]).value = value
    ws.cell(row_of("carer_age"), col["constraint"]).value = ". >= 18 and . <= 110"
    ws.delete_rows(row_of("father_phone"))
    choices = wb["choices"]
    gone = next(i for i, row in enumerate(choices.iter_rows(values_only=True), 1)
                if row[0] == "contact_freq" and row[1] == "never")
    choices.delete_rows(gone)
    settings = wb["settings"]
    settings.cell(2, 3).value = version
    if form_id:
        settings.cell(2, 2).value = form_id
    wb.save(dst)
    return dst


def v1_answers() -> dict[str, Any]:
    birth = dt.date(2015, 5, 20)
    return {
        "survey_date": "2026-07-01", "township_code": TOWN, "village_code": VILLAGE,
        "residence_type": "rural", "surveyor_name": "王芳", "child_name": "李小红",
        "sex": "female", "ethnicity": "01", "has_id_number": "yes",
        "id_number": make_resident_id("522422", birth, 2), "birth_date": birth.isoformat(),
        "hukou_registered": "yes", "hukou_rural": "yes", "hukou_type": "agricultural",
        "school_status": "primary", "school_name": "箐口村小学", "boarding": "no",
        "health_status": "healthy", "father_name": "李建国",
        "father_status": "away_out_province", "father_away_place": "广东省东莞市",
        "father_away_months": 24, "father_phone": "13812345678", "mother_name": "王秀英",
        "mother_status": "away_in_province", "mother_away_place": "贵州省贵阳市",
        "mother_away_months": 24, "contact_frequency": "never", "carer_type": "other_relative",
        "carer_name": "李大姐", "carer_relation": "姐姐", "carer_age": 17,
        "carer_health": "good", "family_dibao": "no", "family_tekun": "no",
        "family_poverty_monitored": "no", "family_difficulty": "none",
        "income_source": "wages", "risk_signs": "none", "needs": "none",
        "remarks": "奶奶偶尔照看", "consent": "yes",
    }


class Cli:
    def __init__(self, capsys: Any) -> None:
        self.capsys = capsys

    def __call__(self, *argv: str, code: int = 0) -> Any:
        got = main([str(a) for a in argv])
        out = self.capsys.readouterr()
        assert got == code, (argv, out.out, out.err)
        if code:
            return out.err
        text = out.out.strip()
        try:
            return json.loads(text) if text else None
        except ValueError:
            return text


@pytest.fixture
def tiers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    paths = {}
    for role, org, user in (("county", COUNTY, "县民政"), ("township", TOWN, "乡镇"),
                            ("village", VILLAGE, "村干部")):
        path = tmp_path / f"{role}.sdb"
        Workspace.create(path, role=role, org_code=org, org_name=f"{role}单位", user=user,
                         password=PW, work_factor=10).close()
        paths[role] = (path, user)
    cli = Cli(capsys)
    county, cu = paths["county"]
    cli("trust", "init-county", county, "--user", cu)
    for role in ("township", "village"):
        path, user = paths[role]
        req, enr = tmp_path / f"{role}.req", tmp_path / f"{role}.enr"
        cli("trust", "enroll-request", path, "--user", user, "--out", req)
        cli("trust", "enroll", county, req, "--user", cu, "--out", enr, "--form", FORM)
        cli("trust", "accept", path, enr, "--user", user)
    for role, org in (("township", TOWN), ("village", VILLAGE)):
        path, user = paths[role]
        upd = tmp_path / f"{role}.upd"
        cli("trust", "update", county, "--for", org, "--user", cu, "--out", upd)
        cli("trust", "apply", path, upd, "--user", user)
    return cli, paths


def _revisions(path: Path, user: str, record: str) -> list[Any]:
    with Workspace.open(path, user, PW) as ws:
        return sorted(ws.revisions_of([record])[record], key=lambda r: r.created_at)


def test_v2_follow_up_loses_nothing(tiers, tmp_path: Path, printed_table):
    cli, paths = tiers
    county, cu = paths["county"]
    town, tu = paths["township"]
    village, vu = paths["village"]
    assert cli("form", "current", village, "--user", vu, "--json")["version"] == "2026.2"

    # A v1 screening, saved with the form the village has (no --form).
    first = v1_answers()
    answers = tmp_path / "v1.json"
    answers.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    record = cli("children", "visit", village, "--user", vu, "--answers", answers,
                 "--json")["record_id"]

    # The county issues v2; the village applies it and now fills v2.
    v2 = make_v2(tmp_path / "v2.xlsx")
    upd = tmp_path / "v2.upd"
    cli("trust", "update", county, "--for", VILLAGE, "--user", cu, "--out", upd, "--form", v2)
    cli("trust", "apply", village, upd, "--user", vu)
    current = cli("form", "current", village, "--user", vu, "--out", tmp_path / "got.xlsx",
                  "--json")
    assert (current["form_id"], current["version"]) == ("child_screening", V2)
    assert (tmp_path / "got.xlsx").read_bytes() == v2.read_bytes()

    # Follow-up without --form: the answers v2 refuses are listed with their old values.
    follow = tmp_path / "v2.json"
    follow.write_text(json.dumps({"survey_date": "2026-12-01", "home_visited": "yes"}),
                      encoding="utf-8")
    err = cli("children", "visit", village, "--user", vu, "--answers", follow,
              "--child", record, code=1)
    assert "CHILD_004" in err and "'never'" in err and "carer_age = 17" in err
    assert len(_revisions(village, vu, record)) == 1  # nothing saved
    follow.write_text(json.dumps({"survey_date": "2026-12-01", "home_visited": "yes",
                                  "contact_frequency": "monthly", "carer_age": 19}),
                      encoding="utf-8")
    cli("children", "visit", village, "--user", vu, "--answers", follow, "--child", record)

    revs = _revisions(village, vu, record)
    assert [r.form_version for r in revs] == ["2026.2", V2]
    head = revs[-1].data
    assert head["guardian_name"] == "李大姐" and "carer_name" not in head
    assert head["previous_answers"]["father_phone"] == {
        "value": "13812345678", "form_id": "child_screening", "form_version": "2026.2"}
    shown = cli("children", "show", village, record, "--user", vu, "--json")
    assert shown["answers"]["guardian_name"] == "李大姐"
    assert shown["previous_answers"]["father_phone"]["value"] == "13812345678"
    assert "father_phone" not in shown["answers"]
    text = cli("children", "show", village, record, "--user", vu)
    assert "father_phone: 13812345678 (child_screening@2026.2)" in text

    # Up the chain: village batch → township relay → county.
    out = tmp_path / "usb"
    out.mkdir()
    batch = cli("batch", "export", village, "--user", vu, "--out", out, "--json")["path"]
    cli("relay", "keep", town, batch, "--user", tu)
    relay = cli("relay", "export", town, out, "--user", tu, "--json")["path"]
    report = cli("batch", "import-all", county, relay, "--user", cu, "--dry-run", "--json")
    assert report["files"][0]["form_versions"] == ["child_screening@2026.2",
                                                   f"child_screening@{V2}"]
    assert report["unknown_forms"] == []  # the county issued both
    cli("relay", "import", county, relay, "--user", cu)

    full = tmp_path / "full.xlsx"
    cli("ledger", "export", "--workspace", county, "--user", cu, full, "--all-fields")
    sheet = load_workbook(full).active
    headers = [c.value for c in sheet[3]]
    rows = [dict(zip(headers, (c.value for c in r), strict=False))
            for r in sheet.iter_rows(min_row=4)]
    [row] = [r for r in rows if r["档案编号"] == record]
    by_name = {h.rsplit("（", 1)[-1].rstrip("）"): h for h in headers if h and "（" in h}
    assert row[by_name["guardian_name"]] == "李大姐"
    assert row[by_name["father_phone"]] == "13812345678（child_screening@2026.2）"
    assert row[by_name["home_visited"]] == "是"
    assert row["表单版本"] == f"child_screening@{V2}"
    assert headers.index(by_name["guardian_name"]) < headers.index(by_name["father_phone"])

    # Nothing typed under v1 is missing: each answer is in the current answers (under its
    # new name), in previous_answers, or was re-answered and is in the v1 revision.
    county_show = cli("children", "show", county, record, "--user", cu, "--json")
    answers_now, earlier = county_show["answers"], county_show["previous_answers"]
    renamed = {"carer_name": "guardian_name"}
    re_answered = {"contact_frequency", "carer_age", "survey_date"}
    county_revs = _revisions(county, cu, record)
    v1_data = county_revs[0].data
    for name, value in first.items():
        if name in re_answered:
            assert v1_data[name] == value
            continue
        here = answers_now.get(renamed.get(name, name), earlier.get(name, {}).get("value"))
        assert here == value, name

    # The 台账 keeps its template columns; the renamed question follows previous_name.
    ledger = tmp_path / "ledger.xlsx"
    cli("ledger", "export", "--workspace", county, "--user", cu, ledger)
    [lrow] = printed_table(ledger)[1]  # the township sheet's one child
    assert lrow["照料人姓名"] == "李大姐"


def test_older_or_other_form_refused__store_unchanged(tiers, tmp_path: Path):
    cli, paths = tiers
    county, cu = paths["county"]
    village, vu = paths["village"]
    v2 = make_v2(tmp_path / "v2.xlsx")
    upd = tmp_path / "v2.upd"
    cli("trust", "update", county, "--for", VILLAGE, "--user", cu, "--out", upd, "--form", v2)
    cli("trust", "apply", village, upd, "--user", vu)

    def state() -> tuple[Any, ...]:
        with Workspace.open(village, vu, PW) as ws:
            return (ws.get_meta("trust.serial"), ws.get_meta("trust.form"),
                    ws.get_meta("trust.devices"), ws.get_secret("trust.form_package"),
                    [e.action for e in ws.audit_entries() if e.action != "unlock"])

    before = state()
    # A county that was restored from an old backup and sends the old form again. The
    # county itself refuses to issue an older version ...
    err = cli("trust", "update", county, "--for", VILLAGE, "--user", cu, "--out",
              tmp_path / "old.upd", "--form", FORM, code=1)
    assert "TRUST_019" in err
    # ... and a device refuses one that was signed anyway (another form id, or older).
    from surveyapp.core import trust
    from surveyapp.core.trust.authority import FormPackage

    for form_id, version in (("other_form", "2028.1"), ("child_screening", "2026.2")):
        with Workspace.open(county, cu, PW) as ws:
            data = trust.trust_update(ws, VILLAGE, form=FormPackage(
                form_id, version, FORM.read_bytes()))
        hostile = tmp_path / f"{form_id}-{version}.upd"
        hostile.write_bytes(data)
        err = cli("trust", "apply", village, hostile, "--user", vu, code=1)
        assert "TRUST_019" in err
        assert state() == before
    assert cli("form", "current", village, "--user", vu, "--json")["version"] == V2


def test_import_report_warns_for_a_version_never_issued(tiers, tmp_path: Path):
    cli, paths = tiers
    county, cu = paths["county"]
    village, vu = paths["village"]
    stray = make_v2(tmp_path / "stray.xlsx", version="2099.9")  # a form from elsewhere
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({**v1_answers(), "carer_age": 40, "home_visited": "no",
                                   "contact_frequency": "weekly",
                                   "guardian_name": "李大姐"}, ensure_ascii=False), "utf-8")
    cli("children", "visit", village, "--user", vu, "--answers", answers, "--form", stray)
    out = tmp_path / "usb"
    out.mkdir()
    batch = cli("batch", "export", village, "--user", vu, "--out", out, "--json")["path"]
    report = cli("batch", "import-all", county, batch, "--user", cu, "--dry-run", "--json")
    assert report["files"][0]["form_versions"] == ["child_screening@2099.9"]
    assert report["unknown_forms"] == [{"file": Path(batch).name,
                                        "form": "child_screening@2099.9"}]
    text = cli("batch", "import-all", county, batch, "--user", cu, "--dry-run")
    assert "child_screening@2099.9" in text and "未下发" in text
