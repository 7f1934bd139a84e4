"""The county ledger .xlsx: headers, cell types, print setup, scope, progress, cancel."""

from datetime import date, datetime

import openpyxl
import pytest

from surveyapp.core.ledger import LEDGER_COLUMNS, ChildQuery, export_ledger
from surveyapp.errors import CommonCode, SurveyError

NOW = datetime(2026, 11, 23, 9, 30)


def _export(rows, labels, path, **kw):
    return export_ledger(rows, path, labels=labels, county_name="大方县", now=NOW, **kw)


def _load(path):
    return openpyxl.load_workbook(path)


def test_ledger_headers__two_grouped_rows_in_filing_order(rows, labels, tmp_path):
    path = tmp_path / "ledger.xlsx"
    result = _export(rows, labels, path)
    ws = _load(path)["台账"]
    assert result.rows == len(rows)
    assert ws.cell(1, 1).value == "大方县农村留守儿童和困境儿童信息台账"
    headers = [ws.cell(3, i + 1).value for i in range(len(LEDGER_COLUMNS))]
    assert headers[:9] == ["序号", "乡镇（街道）", "村（居）", "姓名", "性别", "民族",
                           "出生日期", "年龄", "公民身份号码"]
    groups = [ws.cell(2, i + 1).value for i in range(len(LEDGER_COLUMNS))]
    assert [g for g in groups if g] == ["基本信息", "父母情况", "监护照料", "保障情况",
                                        "类别与风险", "排查信息"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A2:M2" in merged
    assert ws.max_row == len(rows) + 3


def test_ledger_cells__ids_text_dates_real_labels_chinese(rows, labels, tmp_path):
    path = tmp_path / "ledger.xlsx"
    _export(rows, labels, path)
    ws = _load(path)["台账"]
    head = [c.value for c in ws[3]]
    first = dict(zip(head, ws[4], strict=True))
    source = rows[0]
    assert first["公民身份号码"].data_type == "s"
    assert first["公民身份号码"].value == source["id_number"]
    assert first["公民身份号码"].number_format == "@"
    assert first["出生日期"].is_date
    assert first["出生日期"].number_format == "yyyy-mm-dd"
    assert first["出生日期"].value.date() == date.fromisoformat(source["birth_date"])
    assert first["年龄"].value == int(source["age_years"])
    assert first["性别"].value in ("男", "女")
    assert first["留守儿童"].value in ("是", "否")
    assert first["风险等级"].value in ("高", "中", "低")
    assert first["乡镇（街道）"].value == source["township_name"]
    assert first["序号"].value == 1


def test_ledger_print_setup__landscape_fit_width_titles_header(rows, labels, tmp_path):
    path = tmp_path / "ledger.xlsx"
    _export(rows, labels, path)
    ws = _load(path)["台账"]
    assert ws.freeze_panes == "E4"
    last = ws.cell(3, len(LEDGER_COLUMNS)).column_letter
    assert ws.auto_filter.ref == f"A3:{last}{len(rows) + 3}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 8  # A3
    assert (ws.page_setup.fitToWidth or 1) == 1  # 1 is the OOXML default
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$2:$3"
    assert "大方县" in ws.oddHeader.left.text
    assert "2026-11-23 09:30" in ws.oddHeader.right.text
    assert ws.column_dimensions["I"].width > 18


def test_ledger_scope_and_filters__only_matching_rows(rows, labels, tmp_path):
    village = rows[0]["village_code"]
    query = ChildQuery(village_code=village, categories=("left_behind", "in_difficulty"),
                       statuses=("active",))
    expected = [r for r in rows if r["village_code"] == village and r["status"] == "active"
                and "yes" in (r["is_left_behind"], r["is_in_difficulty"])]
    path = tmp_path / "v.xlsx"
    result = _export(rows, labels, path, query=query)
    assert result.rows == len(expected) > 0
    ws = _load(path)["台账"]
    scope = rows[0]["township_name"] + rows[0]["village_name"]
    assert ws.cell(1, 1).value.startswith("大方县" + scope)
    names = [ws.cell(r, 4).value for r in range(4, ws.max_row + 1)]
    assert names == [r["child_name"] for r in expected]


def test_ledger_unknown_filter__error(rows, labels, tmp_path):
    with pytest.raises(SurveyError) as info:
        ChildQuery(risk_levels=("urgent",))
    assert info.value.code.name == "LEDGER_008"


def test_ledger_progress_and_cancel__target_untouched(rows, labels, tmp_path):
    calls = []
    path = tmp_path / "ledger.xlsx"
    big = rows * 3
    _export(big, labels, path, progress=lambda d, t: calls.append((d, t)), total=len(big))
    assert calls[-1] == (len(big), len(big))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    with pytest.raises(SurveyError) as info:
        _export(big, labels, path, overwrite=True, cancel=lambda: len(calls) > 1)
    assert info.value.code is CommonCode.CANCELLED
    assert _load(path)["台账"].max_row == len(big) + 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.xlsx"]


def test_ledger_existing_file__refused_unless_overwrite(rows, labels, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"keep")
    with pytest.raises(SurveyError) as info:
        _export(rows, labels, path)
    assert info.value.code.name == "LEDGER_001"
    assert path.read_bytes() == b"keep"
    _export(rows, labels, path, overwrite=True)
    assert path.read_bytes()[:2] == b"PK"


def test_ledger_csv__utf8_bom_and_same_headers(rows, labels, tmp_path):
    path = tmp_path / "ledger.csv"
    result = _export(rows, labels, path, fmt="csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:4] == ["序号", "乡镇（街道）", "村（居）", "姓名"]
    assert len(lines) == result.rows + 1
    assert rows[0]["id_number"] in lines[1]
    assert rows[0]["birth_date"] in lines[1]


def test_ledger_labels_from_form__multi_select_joined(labels):
    assert labels.label("father_status", "away_out_province") == "省外外出务工"
    assert labels.label("risk_signs", "abuse no_carer") == "遭受虐待、无人照料"
    assert labels.label("is_left_behind", "yes") == "是"
    assert labels.label("sex", "unexpected") == "unexpected"


def test_ledger_csv_with_password__refused(rows, labels, tmp_path):
    with pytest.raises(SurveyError) as info:
        _export(rows, labels, tmp_path / "l.csv", fmt="csv", password="long-enough")  # noqa: S106
    assert info.value.code.name == "LEDGER_009"
    assert list(tmp_path.iterdir()) == []


def test_ledger_next_visit__from_follow_up_days_when_no_due_date(labels, tmp_path):
    row = {"child_name": "张三", "survey_date": "2026-07-01", "follow_up_days": "30",
           "village_code": "522422102201", "township_code": "522422102"}
    path = tmp_path / "l.xlsx"
    _export([row], labels, path)
    ws = _load(path)["台账"]
    head = [c.value for c in ws[3]]
    assert ws.cell(4, head.index("下次走访") + 1).value.date() == date(2026, 7, 31)
    assert ws.cell(4, 2).value == "羊场镇"
