"""LEDGER-IN: importing an existing 台账 as first visits (issue 20).

Round trip (demo children → 台账 export → import into an empty workspace → the same
ledger), a foreign layout through a mapping file, a bad ID check digit in row 17 (named,
nothing written), --valid-only, duplicates in the file and on file, cancel, and the
imported revisions travelling up in a village batch to the county."""

from __future__ import annotations

import csv
import datetime as dt
import json

import openpyxl
import pytest

from ledgerin_world import (
    TOWNSHIP,
    VILLAGE,
    foreign_rows,
    id_for,
    make_ws,
    store_state,
    write_foreign,
    write_mapping,
    wrong_check_digit,
)
from surveyapp.core import trust
from surveyapp.core.demo import generate_demo
from surveyapp.core.forms import load_form
from surveyapp.core.ledgerin import LedgerInCode
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops import ledger as ops_ledger
from surveyapp.ops.batches import export_batch, import_batch
from surveyapp.ops.demo import classify
from surveyapp.ops.ledgerin import import_ledger, refused_error, write_template
from surveyapp.paths import FORM_PATH


@pytest.fixture(scope="module")
def form():
    return load_form(FORM_PATH)


def _demo_workspace(tmp_path, form, children):
    """Demo children (their last visit; exits kept; duplicates of the demo left out, they
    would rightly be refused as duplicates) saved as typed visits."""
    ws = make_ws(tmp_path, "source")
    with ws.conn.bulk():
        for child in generate_demo(children=children).children:
            if child.duplicate_of:
                continue
            visit = child.visits[-1]
            record = ws.save_visit(None, classify(form, visit.answers, visit.survey_date),
                                   form_id=form.form_id, form_version=form.version).child_id
            if child.exit is not None:
                ws.record_exit(record, reason="other", date=child.exit.date.isoformat())
    return ws


def _ledger_lines(ws, path):
    rows = ops_ledger.iter_workspace_rows(ws)
    ops_ledger.export_ledger_file(rows, path, county_name="大方县", fmt="csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    # 序号 is the list position; the list order breaks ties by record id, which differs.
    return lines[0], sorted(line[1:] for line in lines[1:])


def test_round_trip__demo_ledger_export_import_same_ledger(tmp_path, form):
    source = _demo_workspace(tmp_path, form, 1000)
    ledger = tmp_path / "台账.xlsx"
    ops_ledger.export_ledger_file(ops_ledger.iter_workspace_rows(source), ledger,
                                  county_name="大方县")
    empty = make_ws(tmp_path, "empty")
    result = import_ledger(empty, ledger)
    s = result.summary
    assert s.written and s.refused == 0 and s.duplicates == 0 and s.warnings == 0
    assert s.imported == s.rows == source.count_children() > 900
    head_a, rows_a = _ledger_lines(source, tmp_path / "a.csv")
    head_b, rows_b = _ledger_lines(empty, tmp_path / "b.csv")
    assert head_a == head_b
    age = head_a[1:].index("年龄")
    differing = [(a[age], [(h, x, y) for h, x, y in zip(head_a[1:], a, b, strict=True)
                           if x != y])
                 for a, b in zip(rows_a, rows_b, strict=True) if a != b]
    # The ledger shows categories as of today: for a child who has since passed an age
    # limit it no longer says how the survey classified it, and so the next visit due
    # (from the survey's risk level) may differ. Nothing else may.
    assert len(differing) <= 5
    assert all(int(years) >= 16 and [h for h, _, _ in cells] == ["下次走访"]
               for years, cells in differing), differing
    assert s.exits > 0 and any("已退出" in r for r in rows_b)


def test_round_trip__csv_export_too(tmp_path, form):
    source = _demo_workspace(tmp_path, form, 120)
    head_a, rows_a = _ledger_lines(source, tmp_path / "a.csv")
    empty = make_ws(tmp_path, "empty")
    assert import_ledger(empty, tmp_path / "a.csv").summary.written
    assert _ledger_lines(empty, tmp_path / "b.csv") == (head_a, rows_a)


def test_foreign_layout__mapping_file_maps_columns_values_and_defaults(tmp_path):
    path = write_foreign(tmp_path / "花名册.xlsx", foreign_rows(12))
    mapping = write_mapping(tmp_path / "map.json")
    ws = make_ws(tmp_path, "county")
    result = import_ledger(ws, path, mapping=mapping)
    assert result.summary.counts() | {"file": ""} == {
        "file": "", "rows": 12, "valid": 12, "refused": 0, "duplicates": 0, "warnings": 0,
        "imported": 12, "exits": 0, "written": True}
    children = list(ws.iter_children(None))
    assert {c.village_code for c in children} == {VILLAGE}
    first = next(c for c in children if c.child_name == "王小一")
    data = first.data
    assert data["birth_date"] == "2012-01-01" and data["sex"] == "female"
    assert data["father_status"] == "away_out_province" and data["carer_type"] == "grandparent"
    assert data["surveyor_name"] == "县民政局" and data["survey_date"] == "2016-06-30"
    assert data["is_left_behind"] == "yes"  # filled away months agree with the 是否留守 column
    assert data["imported_from"]["file"] == "花名册.xlsx"
    assert data["imported_from"]["row"] == 4
    assert "father_away_months" in data["imported_from"]["filled"]
    # full-width digits were typed in row 4 + 3 = 7
    seventh = next(c for c in children if c.child_name == "王小" + chr(0x4e03))
    assert seventh.id_number == id_for(3, dt.date(2012, 1, 1) + dt.timedelta(days=111), "male")


def test_foreign_layout__template_lists_its_headers_to_map(tmp_path):
    path = write_foreign(tmp_path / "花名册.xlsx", foreign_rows(2))
    out = write_template(tmp_path / "map.json", source=path)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "surveyapp-ledger-mapping"
    assert list(data["columns"]) == ["序号", "儿童基本情况姓名", "儿童基本情况性别",
                                     "儿童基本情况出生日期", "儿童基本情况身份证号",
                                     "所在地乡镇", "所在地村", "父母情况父亲", "父母情况母亲",
                                     "监护人", "是否留守", "排查日期"]
    assert "surveyor_name" in data["defaults"] and "child_name" in data["defaults"]
    # The shipped 台账's own template maps every header it imports.
    own = json.loads(write_template(tmp_path / "own.json").read_text(encoding="utf-8"))
    assert own["columns"]["公民身份号码"] == "id_number" and own["columns"]["村（居）"] == (
        "village_code")
    with pytest.raises(SurveyError) as err:
        write_template(tmp_path / "own.json")
    assert err.value.code is CommonCode.IO_003


def test_messy_ledger__report_names_each_bad_row_exactly(tmp_path):
    rows = foreign_rows(30)
    rows[3][4] = float(rows[3][4].translate(str.maketrans("０１２３４５６７８９Ｘ",
                                                           "0123456789X")).rstrip("X") or 0)
    rows[5][4] = wrong_check_digit(rows[5][4])          # row 9: wrong check digit
    rows[7][6] = "不存在村"                               # row 11: unknown village
    rows[9][3] = "2015年13月40日"                         # row 13: not a date
    rows[11][1:5] = rows[10][1:5]                        # row 15: the child of row 14
    rows[12][2] = "未知"                                  # row 16: not in the list
    path = write_foreign(tmp_path / "messy.xlsx", rows)
    ws = make_ws(tmp_path, "county")
    before = store_state(ws)
    result = import_ledger(ws, path, mapping=write_mapping(tmp_path / "map.json"),
                           report=tmp_path / "report.json")
    assert not result.summary.written and store_state(ws) == before
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    found = {(p["row"], p["code"], p["column"]) for p in report["problems"]}
    assert found == {
        (7, "LEDIN_002", "身份证号"),
        (9, "LEDIN_001", "身份证号"),
        (11, "LEDIN_004", "村"),
        (13, "LEDIN_006", "出生日期"),
        (15, "LEDIN_011", "身份证号"),
        (16, "LEDIN_007", "性别"),
    }
    by_code = {p["code"]: p for p in report["problems"]}
    assert "E+" in by_code["LEDIN_002"]["value"]
    assert "校验码" in by_code["LEDIN_001"]["reason_zh"]
    assert "check digit" in by_code["LEDIN_001"]["reason_en"]
    assert "第 14 行" in by_code["LEDIN_011"]["reason_zh"]
    assert report["refused"] == 5 and report["duplicates"] == 1
    error = refused_error(result)
    assert error is not None and error.code is LedgerInCode.LEDIN_024


def _own_ledger(tmp_path, form, n=30):
    source = _demo_workspace(tmp_path, form, n)
    ledger = tmp_path / "台账.xlsx"
    ops_ledger.export_ledger_file(ops_ledger.iter_workspace_rows(source), ledger,
                                  county_name="大方县")
    return ledger


def _township(book):
    """The 台账's biggest township sheet (the first sheet is the 汇总 summary)."""
    assert book.worksheets[0].title == "汇总" and len(book.worksheets) > 2
    return max(book.worksheets[1:], key=lambda s: (s.max_row, -book.worksheets.index(s)))


def _spoil_row(path, row, header, value):
    book = openpyxl.load_workbook(path)
    sheet = _township(book)
    col = next(c.column for c in sheet[3] if c.value == header)
    sheet.cell(row=row, column=col).value = value
    book.save(path)


def _first_with_id(path, start):
    sheet = _township(openpyxl.load_workbook(path))
    head = [c.value for c in sheet[3]]
    col = head.index("公民身份号码")
    for number in range(start, sheet.max_row + 1):
        value = sheet.cell(row=number, column=col + 1).value
        if value:
            return number, value
    raise AssertionError("no ID number")


def test_bad_check_digit_row_7__named_by_sheet_and_row_and_nothing_written(tmp_path, form):
    ledger = _own_ledger(tmp_path, form)
    number = 7
    sheet = _township(openpyxl.load_workbook(ledger))
    name = sheet.title
    head = [c.value for c in sheet[3]]
    good = sheet.cell(row=number, column=head.index("公民身份号码") + 1).value
    if not good:  # a child without an ID number: give it one that the birth date matches
        birth = dt.date.fromisoformat(str(sheet.cell(row=number,
                                                     column=head.index("出生日期") + 1)
                                          .value)[:10])
        good = id_for(5, birth, "male")
        _spoil_row(ledger, number, "性别", "男")
    _spoil_row(ledger, number, "公民身份号码", wrong_check_digit(good))
    ws = make_ws(tmp_path, "county")
    before = store_state(ws)
    result = import_ledger(ws, ledger, report=tmp_path / "report.csv")
    assert store_state(ws) == before and not result.summary.written
    assert result.summary.imported == 0
    errors = [p for p in result.summary.problems if p.severity == "error"]
    assert [(p.sheet, p.row, p.column, p.code) for p in errors] == [
        (name, 7, "公民身份号码", LedgerInCode.LEDIN_001)]
    with (tmp_path / "report.csv").open(encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    assert lines[1][:2] == [f"sheet {name}, row 7", "公民身份号码"]
    assert lines[1][4] == "LEDIN_001"


def test_valid_only__imports_the_rest_and_lists_the_refused_row(tmp_path, form):
    ledger = _own_ledger(tmp_path, form)
    _spoil_row(ledger, 7, "出生日期", "不是日期")
    ws = make_ws(tmp_path, "county")
    result = import_ledger(ws, ledger, valid_only=True)
    s = result.summary
    assert s.written and s.refused == 1 and s.imported == s.rows - 1 == ws.count_children()
    name = _township(openpyxl.load_workbook(ledger)).title
    assert [(p.sheet, p.row, p.code) for p in s.problems] == [
        (name, 7, LedgerInCode.LEDIN_006)]
    assert refused_error(result) is None
    audit = ws.audit_entries()[-1]
    assert audit.action == "import" and audit.details["imported"] == s.imported


def test_duplicates__in_the_file_and_on_file_listed_not_doubled(tmp_path, form):
    ledger = _own_ledger(tmp_path, form, 20)
    ws = make_ws(tmp_path, "county")
    first = import_ledger(ws, ledger).summary
    assert first.written
    count = ws.count_children()
    again = import_ledger(ws, ledger).summary
    assert again.duplicates == again.rows and again.imported == 0 and not again.written
    assert ws.count_children() == count
    assert {p.code for p in again.problems} == {LedgerInCode.LEDIN_012}
    # within one file: a row repeats an earlier child (a copy of the whole row)
    row, _number = _first_with_id(ledger, 4)
    book = openpyxl.load_workbook(ledger)
    sheet = _township(book)
    for col in range(1, sheet.max_column + 1):
        sheet.cell(row=row + 1, column=col).value = sheet.cell(row=row, column=col).value
    book.save(ledger)
    other = make_ws(tmp_path, "other")
    s = import_ledger(other, ledger).summary
    assert s.duplicates == 1 and s.written and other.count_children() == s.rows - 1
    dup = next(p for p in s.problems if p.severity == "duplicate")
    assert (dup.sheet, dup.row, dup.code) == (sheet.title, row + 1, LedgerInCode.LEDIN_011)
    assert dup.context["other"] == {"en": f"{row} of sheet {sheet.title}",
                                    "zh": f"{row}（“{sheet.title}”表）"}
    assert f"row {row} of sheet {sheet.title}" in dup.reason("en")


def test_dry_run_and_cancel__write_nothing(tmp_path, form):
    ledger = _own_ledger(tmp_path, form, 300)
    ws = make_ws(tmp_path, "county")
    before = store_state(ws)
    dry = import_ledger(ws, ledger, dry_run=True).summary
    assert dry.valid == dry.rows > 250 and not dry.written and store_state(ws) == before
    seen = []
    with pytest.raises(SurveyError) as err:
        import_ledger(ws, ledger, progress=lambda d, t: seen.append((d, t)),
                      cancel=lambda: len(seen) > 0)
    assert err.value.code is CommonCode.CANCELLED
    assert store_state(ws) == before and seen[0][1] >= dry.rows


def test_history__says_imported_from_file_and_row(tmp_path, form):
    ledger = _own_ledger(tmp_path, form, 10)
    ws = make_ws(tmp_path, "county")
    import_ledger(ws, ledger)
    child = next(iter(ws.iter_children(None)))
    history = ws.child_history(child.record_id)
    first = history[-1]
    assert first.import_file == "台账.xlsx" and first.import_row >= 4
    # the 台账 has a sheet per township: the note names it
    sheets = openpyxl.load_workbook(ledger, read_only=True).sheetnames
    assert first.import_sheet in sheets[1:]
    assert (f"imported from 台账.xlsx, sheet {first.import_sheet}, row {first.import_row}"
            in str(first))


def test_gb18030_csv__as_chinese_excel_saves_it(tmp_path):
    rows = foreign_rows(5)
    sub = ["序号", "姓名", "性别", "出生日期", "身份证号", "乡镇", "村", "父亲", "母亲",
           "监护人", "是否留守", "排查日期"]
    path = tmp_path / "名册.csv"
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(sub)
        for r in rows:
            writer.writerow([x.isoformat() if isinstance(x, dt.date) else x for x in r])
    mapping = json.loads(json.dumps(__import__("ledgerin_world").FOREIGN_MAPPING))
    mapping["columns"] |= {"父亲": "father_status", "母亲": "mother_status"}
    del mapping["columns"]["父母情况父亲"], mapping["columns"]["父母情况母亲"]
    ws = make_ws(tmp_path, "county")
    s = import_ledger(ws, path, mapping=write_mapping(tmp_path / "m.json", mapping)).summary
    assert s.imported == 5 and s.refused == 0
    assert {c.child_name for c in ws.iter_children(None)} == {r[1] for r in rows}


def test_imported_rows_travel_up_in_the_village_batch_to_the_county(tmp_path, form):
    county = make_ws(tmp_path, "county")
    village = make_ws(tmp_path, "village", "village", VILLAGE)
    trust.init_county(county)
    trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
    path = write_foreign(tmp_path / "花名册.xlsx", foreign_rows(8))
    result = import_ledger(village, path, mapping=write_mapping(tmp_path / "map.json"))
    assert result.summary.imported == 8
    usb = tmp_path / "usb"
    usb.mkdir()
    out = export_batch(village, usb)
    assert out.revisions == 16 and out.records == 16
    res = import_batch(county, out.path)
    assert res.inserted == 16 and county.count_children() == 8
    child = next(iter(county.iter_children(None)))
    assert child.data["imported_from"]["file"] == "花名册.xlsx"
    history = county.child_history(child.record_id)
    assert history[0].author == "u" and history[0].import_row >= 4
    assert {r.device_id for _, r in county.iter_revisions()
            if r.kind == "child"} == {village.device_id}
    assert TOWNSHIP == child.township_code


def test_duplicate_without_id__same_name_birth_and_village(tmp_path):
    rows = foreign_rows(6)
    for r in (rows[1], rows[4]):
        r[4] = None  # no ID number (无身份证) in both
    rows[4][1], rows[4][2], rows[4][3] = rows[1][1], rows[1][2], rows[1][3]
    path = write_foreign(tmp_path / "花名册.xlsx", rows)
    ws = make_ws(tmp_path, "county")
    s = import_ledger(ws, path, mapping=write_mapping(tmp_path / "map.json")).summary
    assert s.written and s.imported == 5 and s.duplicates == 1
    [dup] = [p for p in s.problems if p.severity == "duplicate"]
    assert (dup.row, dup.code, dup.context["other"]) == (8, LedgerInCode.LEDIN_011, "5")
    assert "姓名、出生日期和村" in dup.reason("zh")
    assert [c.data.get("has_id_number") for c in ws.iter_children(None)].count("no") == 1


def test_password_protected_export__imports_with_its_password(tmp_path, form):
    source = _demo_workspace(tmp_path, form, 30)
    ledger = tmp_path / "台账.xlsx"
    secret = "县民政局2026"  # noqa: S105 - a test file's password
    ops_ledger.export_ledger_file(ops_ledger.iter_workspace_rows(source), ledger,
                                  county_name="大方县", password=secret)
    ws = make_ws(tmp_path, "county")
    before = store_state(ws)
    with pytest.raises(SurveyError) as err:
        import_ledger(ws, ledger)
    assert err.value.code is LedgerInCode.LEDIN_026
    with pytest.raises(SurveyError) as err:
        import_ledger(ws, ledger, password=secret + "x")
    assert err.value.code.name == "LEDGER_006" and store_state(ws) == before
    s = import_ledger(ws, ledger, password=secret, progress=lambda d, t: None).summary
    assert s.written and s.imported == source.count_children()


def test_village_workspace__row_of_another_village_refused_as_outside_its_area(tmp_path):
    village = make_ws(tmp_path, "village", "village", VILLAGE)
    rows = foreign_rows(5)
    rows[2][6] = "新店村"  # 522422102202, a neighbour: sheet row 6
    path = write_foreign(tmp_path / "花名册.xlsx", rows)
    before = store_state(village)
    result = import_ledger(village, path, mapping=write_mapping(tmp_path / "map.json"))
    assert not result.summary.written and store_state(village) == before
    [problem] = result.summary.problems
    assert (problem.row, problem.code, problem.column) == (6, LedgerInCode.LEDIN_027, "村")
    assert VILLAGE in problem.reason("en")


def test_calculated_column_that_disagrees__a_warning_the_forms_value_kept(tmp_path, form):
    ledger = _own_ledger(tmp_path, form, 12)
    sheet = _township(openpyxl.load_workbook(ledger))
    head = [c.value for c in sheet[3]]
    said = sheet.cell(row=5, column=head.index("风险等级") + 1).value
    other = "高" if said != "高" else "低"
    _spoil_row(ledger, 5, "风险等级", other)
    ws = make_ws(tmp_path, "county")
    s = import_ledger(ws, ledger).summary
    assert s.written and s.imported == s.rows and s.warnings == 1
    [warning] = s.problems
    assert (warning.sheet, warning.row, warning.column, warning.code, warning.severity) == (
        sheet.title, 5, "风险等级", LedgerInCode.LEDIN_013, "warning")
    assert warning.context == {"value": other, "computed": said}
