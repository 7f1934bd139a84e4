"""CLI-LEDGER-IN: `surveyapp children import-ledger` on a real workspace, the real form and
real spreadsheets: a clean foreign ledger with its mapping template, a bad check digit in
row 17 (named, exit 1, nothing written), --valid-only, the report file."""

from __future__ import annotations

import json

from ledgerin_world import (
    FOREIGN_MAPPING,
    foreign_rows,
    write_foreign,
    write_mapping,
    wrong_check_digit,
)
from surveyapp.cli.main import main
from surveyapp.core.store import Workspace

PW = "county-pass-1"


def _ws(tmp_path):
    path = tmp_path / "c.sdb"
    Workspace.create(path, role="county", org_code="522422", org_name="大方县", user="li",
                     password=PW, work_factor=10).close()
    return path


def _state(path):
    with Workspace.open(path, "li", PW) as ws:
        revs = ws.conn.execute("SELECT count(*) FROM revisions")[0][0]
        return ws.count_children(), revs, [e.action for e in ws.audit_entries()
                                           if e.action != "unlock"]


def test_template_then_import__json_summary(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    ws = _ws(tmp_path)
    sheet = write_foreign(tmp_path / "花名册.xlsx", foreign_rows(20))
    template = tmp_path / "map.json"
    assert main(["children", "import-ledger", str(ws), str(sheet), "--user", "li",
                 "--write-template", str(template)]) == 0
    assert "map.json" in capsys.readouterr().out
    data = json.loads(template.read_text(encoding="utf-8"))
    # The user fills in what the template could not guess, as in FOREIGN_MAPPING.
    assert data["columns"]["所在地村"] == "" and data["columns"]["排查日期"] == "survey_date"
    for header in data["columns"]:
        short = header.removeprefix("儿童基本情况").removeprefix("所在地")
        data["columns"][header] = FOREIGN_MAPPING["columns"].get(
            header, FOREIGN_MAPPING["columns"].get(short, ""))
    data["values"], data["defaults"] = FOREIGN_MAPPING["values"], FOREIGN_MAPPING["defaults"]
    template.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["children", "import-ledger", str(ws), str(sheet), "--user", "li",
                 "--mapping", str(template), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 20 and out["written"] is True and out["problems"] == []
    assert _state(ws)[0] == 20
    assert main(["children", "list", str(ws), "--user", "li", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)[0]["record_id"]
    assert main(["children", "show", str(ws), record, "--user", "li"]) == 0
    assert "(imported from 花名册.xlsx, row " in capsys.readouterr().out


def test_bad_check_digit_in_row_17__exit_1_report_names_it_nothing_written(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    ws = _ws(tmp_path)
    rows = foreign_rows(20)
    rows[13][4] = wrong_check_digit(rows[13][4])  # data row 14 is sheet row 17
    sheet = write_foreign(tmp_path / "花名册.xlsx", rows)
    mapping = write_mapping(tmp_path / "map.json")
    before = _state(ws)
    report = tmp_path / "报告.xlsx"
    code = main(["children", "import-ledger", str(ws), str(sheet), "--user", "li",
                 "--mapping", str(mapping), "--report", str(report)])
    captured = capsys.readouterr()
    assert code == 1 and "LEDIN_024" in captured.err and "Traceback" not in captured.err
    assert "17\t身份证号" in captured.out and "LEDIN_001" in captured.out
    assert _state(ws) == before
    import openpyxl

    lines = list(openpyxl.load_workbook(report).worksheets[0].iter_rows(values_only=True))
    assert lines[1][0] == 17 and lines[1][1] == "身份证号" and lines[1][4] == "LEDIN_001"
    assert "校验码" in lines[1][6] and "check digit" in lines[1][7]
    assert len(lines) == 2
    # --valid-only imports the other 19 and still names row 17.
    assert main(["--lang", "en", "children", "import-ledger", str(ws), str(sheet), "--user",
                 "li", "--mapping", str(mapping), "--valid-only", "--report",
                 str(tmp_path / "r.json")]) == 0
    assert "check digit" in capsys.readouterr().out
    assert _state(ws)[0] == 19
    report_json = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [(p["row"], p["code"]) for p in report_json["problems"]] == [(17, "LEDIN_001")]
    assert report_json["imported"] == 19 and report_json["refused"] == 1


def test_not_a_spreadsheet__coded_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    ws = _ws(tmp_path)
    bogus = tmp_path / "ledger.xlsx"
    bogus.write_bytes(b"not a zip")
    assert main(["children", "import-ledger", str(ws), str(bogus), "--user", "li"]) == 1
    assert "LEDIN_023" in capsys.readouterr().err
    other = tmp_path / "ledger.pdf"
    other.write_bytes(b"%PDF")
    assert main(["children", "import-ledger", str(ws), str(other), "--user", "li"]) == 1
    assert "LEDIN_021" in capsys.readouterr().err


def test_password_protected_sheet__password_from_the_environment(tmp_path, monkeypatch,
                                                                 capsys):
    from surveyapp.core.ledger.protect import encrypt_file

    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    ws = _ws(tmp_path)
    plain = write_foreign(tmp_path / "plain.xlsx", foreign_rows(4))
    sheet = tmp_path / "花名册.xlsx"
    encrypt_file(plain, sheet, "文件密码123")
    mapping = write_mapping(tmp_path / "map.json")
    args = ["children", "import-ledger", str(ws), str(sheet), "--user", "li", "--mapping",
            str(mapping)]
    assert main(args) == 1
    assert "LEDIN_026" in capsys.readouterr().err
    monkeypatch.setenv("SURVEYAPP_LEDGER_PASSWORD", "文件密码123")
    assert main([*args, "--password", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 4


def test_checked_and_saved_under_the_form_the_county_issued(tmp_path, monkeypatch, capsys):
    """The county issues 2027.1 of the screening form, whose child_name refuses the
    character 一: the import checks with it (row 1, 王小一, refused with the form's own
    message) and saves the others under 2027.1; --form chooses the shipped form instead."""
    from openpyxl import load_workbook

    from surveyapp.paths import FORM_PATH

    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    ws = _ws(tmp_path)
    book = load_workbook(FORM_PATH)
    survey = book["survey"]
    col = {c.value: c.column for c in survey[1]}
    row = next(r for r in range(2, survey.max_row + 1)
               if survey.cell(r, col["name"]).value == "child_name")
    survey.cell(row, col["constraint"]).value = "not(contains(., '一'))"
    survey.cell(row, col["constraint_message::zh"]).value = "本县不收“一”字（测试）。"
    book["settings"].cell(2, 3).value = "2027.1"
    v2 = tmp_path / "v2.xlsx"
    book.save(v2)
    assert main(["trust", "init-county", str(ws), "--user", "li"]) == 0
    assert main(["trust", "update", str(ws), "--for", "522422102", "--user", "li",
                 "--out", str(tmp_path / "t.upd"), "--form", str(v2)]) == 0
    assert main(["form", "current", str(ws), "--user", "li", "--json"]) == 0
    capsys.readouterr()
    sheet = write_foreign(tmp_path / "花名册.xlsx", foreign_rows(6))
    mapping = write_mapping(tmp_path / "map.json")
    assert main(["children", "import-ledger", str(ws), str(sheet), "--user", "li",
                 "--mapping", str(mapping), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(p["row"], p["field"]) for p in out["problems"]] == [(4, "child_name")]
    assert "本县不收" in out["problems"][0]["reason_zh"]
    assert main(["children", "import-ledger", str(ws), str(sheet), "--user", "li",
                 "--mapping", str(mapping), "--valid-only", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 5
    with Workspace.open(ws, "li", PW) as w:
        versions = {r[0] for r in w.conn.execute("SELECT form_version FROM revisions")}
    assert versions == {"2027.1"}
    (tmp_path / "o").mkdir()
    other = _ws(tmp_path / "o")
    assert main(["children", "import-ledger", str(other), str(sheet), "--user", "li",
                 "--mapping", str(mapping), "--form", str(FORM_PATH), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 6
