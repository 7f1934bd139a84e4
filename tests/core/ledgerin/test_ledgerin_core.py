"""LEDGER-IN core: cell normalisation as a Chinese office spreadsheet holds values, the
layout derived from the ledger's column definitions, mapping-file checks, header finding."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from surveyapp.core.forms import load_form
from surveyapp.core.ids.resident_id import make_resident_id
from surveyapp.core.ledger.columns import LEDGER_COLUMNS, Column
from surveyapp.core.ledgerin import LedgerInCode, ledger_layout, mapping_layout, open_sheet
from surveyapp.core.ledgerin import values as cellv
from surveyapp.core.ledgerin.layout import norm_header
from surveyapp.errors import SurveyError
from surveyapp.paths import FORM_PATH


@pytest.fixture(scope="module")
def form():
    return load_form(FORM_PATH)


@pytest.mark.parametrize(("cell", "iso"), [
    (dt.date(2015, 3, 4), "2015-03-04"),
    (dt.datetime(2015, 3, 4, 10, 30), "2015-03-04"),
    ("2015.3.4", "2015-03-04"),
    ("2015年3月4日", "2015-03-04"),
    ("２０１５年３月４日", "2015-03-04"),
    ("2015/03/04 ", "2015-03-04"),
    ("2015-3-4 00:00:00", "2015-03-04"),
    ("20150304", "2015-03-04"),
    (42067, "2015-03-04"),        # an Excel serial
    (42067.0, "2015-03-04"),
    ("42067", "2015-03-04"),
    (None, ""),
    ("  ", ""),
])
def test_dates__every_way_an_office_sheet_holds_them(cell, iso):
    assert cellv.to_date(cell) == iso


@pytest.mark.parametrize("cell", ["2015年13月4日", "去年", "2015.2.30", 42067.5, "3/4/2015"])
def test_not_a_date__refused_with_its_value(cell):
    with pytest.raises(cellv.Refused) as err:
        cellv.to_date(cell)
    assert err.value.code is LedgerInCode.LEDIN_006


def test_id_numbers__full_width_spaces_lower_x_ok_numbers_refused():
    good = make_resident_id("522422", dt.date(2015, 3, 4), 7)
    wide = good.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert cellv.id_number(f" {wide} ") == good
    assert cellv.id_number(good.lower()) == good
    assert cellv.id_number(good[:6] + " " + good[6:]) == good
    for stored in (float(good[:17] + "0"), int(good[:17] + "0"), "5.22422E+17"):
        with pytest.raises(cellv.Refused) as err:
            cellv.id_number(stored)
        assert err.value.code is LedgerInCode.LEDIN_002
    with pytest.raises(cellv.Refused) as err:
        cellv.id_number(float(good[:17] + "0"))
    assert err.value.context["value"] == "5.22422E+17"  # as Excel shows it, never repaired
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    with pytest.raises(cellv.Refused) as err:
        cellv.id_number(bad)
    assert err.value.code is LedgerInCode.LEDIN_001
    assert err.value.context["expected"] == good[-1]
    with pytest.raises(cellv.Refused) as err:
        cellv.id_number("12345")
    assert err.value.code is LedgerInCode.LEDIN_003


def test_numbers_and_phones():
    assert cellv.to_int("１２") == "12" and cellv.to_int(12.0) == "12"
    with pytest.raises(cellv.Refused):
        cellv.to_int("十二")
    assert cellv.phone(13812345678) == "13812345678"
    assert cellv.phone("138-1234-5678 ") == "13812345678"


def test_layout__derived_from_the_ledger_columns(form):
    layout = ledger_layout(form)
    by_field = {t.field: t.kind for t in layout.targets.values()}
    assert by_field["id_number"] == "id" and by_field["village_code"] == "village"
    assert by_field["father_status"] == "parent" and by_field["health_status"] == "health"
    assert by_field["is_left_behind"] == "derived" and by_field["age_years"] == "derived"
    assert by_field["risk_signs"] == "multi" and by_field["status"] == "status"
    assert "seq" not in by_field and "follow_up_due" not in by_field
    # A column another branch adds to the ledger is imported or checked with no change here.
    assert by_field["exit_reason"] == "exit_reason" and by_field["exit_date"] == "date"
    extra = (*LEDGER_COLUMNS, Column("school_name", "学校名称", "基本信息", 10),
             Column("sibling_count", "兄弟姐妹数", "基本信息", 4, "int"))
    grown = {t.field: t.kind for t in ledger_layout(form, extra).targets.values()}
    assert grown["school_name"] == "text" and grown["sibling_count"] == "derived"
    assert set(grown) - set(by_field) == {"school_name", "sibling_count"}


@pytest.mark.parametrize(("data", "says"), [
    ({}, "format"),
    ({"format": "surveyapp-ledger-mapping", "columns": {}}, "columns"),
    ({"format": "surveyapp-ledger-mapping", "columns": {"姓名": "no_such"}}, "no_such"),
    ({"format": "surveyapp-ledger-mapping", "columns": {"姓名": "child_name"},
      "defaults": {"nope": "x"}}, "nope"),
    ({"format": "surveyapp-ledger-mapping", "columns": {"姓名": "child_name"},
      "values": {"sex": {"男": 1}}}, "values"),
])
def test_bad_mapping__coded_and_says_what(form, data, says):
    with pytest.raises(SurveyError) as err:
        mapping_layout(data, form, "m.json")
    assert err.value.code is LedgerInCode.LEDIN_022 and says in err.value.message("en")


def test_header__found_below_a_title_with_merged_cells_and_gb18030(form, tmp_path):
    path = tmp_path / "x.csv"
    lines = [["某县台账", "", ""], ["", "", ""], ["姓 名", "公民身份号码", "村（居）"],
             ["张三", "", "箐口村"]]
    path.write_bytes("\n".join(",".join(x) for x in lines).encode("gb18030"))
    with open_sheet(path, ledger_layout(form)) as sheet:
        assert sheet.header_row == 3
        assert [t.field for _, t in sheet.columns] == ["child_name", "id_number",
                                                       "village_code"]
        [(number, cells)] = list(sheet.rows())
    assert number == 4 and {t.field: v for t, v in cells.items()}["village_code"] == "箐口村"
    assert norm_header("村(居)") == norm_header("村（居）")


def test_no_header__coded(form, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8-sig")
    with pytest.raises(SurveyError) as err:
        open_sheet(path, ledger_layout(form))
    assert err.value.code is LedgerInCode.LEDIN_020
    json.dumps(err.value.to_dict(), ensure_ascii=False)


def test_layout__unknown_kinds_skipped_and_one_column_per_answer(form):
    extra = (*LEDGER_COLUMNS,
             Column("birth_date", "年龄（截至统计日）", "基本信息", 4, "age"),  # type: ignore[arg-type]
             Column("birth_date", "出生年月", "基本信息", 8, "date"))
    grown = {t.header: (t.field, t.kind) for t in ledger_layout(form, extra).targets.values()}
    assert "年龄（截至统计日）" not in grown
    assert grown["出生日期"] == ("birth_date", "date")
    assert grown["出生年月"] == ("birth_date", "derived")


def test_filled__residence_from_the_division_code_and_listed(form):
    from surveyapp.core.ledger import FormLabels
    from surveyapp.core.ledgerin import RowChecker

    layout = mapping_layout({"format": "surveyapp-ledger-mapping",
                             "columns": {"姓名": "child_name", "村": "village_code"}}, form)
    checker = RowChecker(form, layout, FormLabels.from_model(form))
    targets = {t.field: t for t in layout.targets.values()}
    answers: dict = {"village_code": "522422102001"}
    filled = checker._fill(answers, [])
    assert answers["residence_type"] == "urban" and "residence_type" in filled
    answers = {"village_code": "522422102201"}
    checker._fill(answers, [])
    assert answers["residence_type"] == "rural"
    out = checker.check(5, {targets["child_name"]: "张三", targets["village_code"]: "羊场社区"})
    assert out.status == "refused"  # sex, surveyor… are required and not in this file
    assert {p.field for p in out.errors} >= {"sex", "surveyor_name", "birth_date"}
    assert all(p.code is LedgerInCode.LEDIN_008 for p in out.errors)


def test_exit_columns__an_exited_row_keeps_its_reason_and_date(form):
    """The exit date and reason columns another branch adds to the ledger are read as such."""
    from surveyapp.core.ledger import FormLabels
    from surveyapp.core.ledgerin import RowChecker

    layout = ledger_layout(form)  # 退出日期 and 退出原因 are ledger columns now
    by_header = {t.header: t for t in layout.targets.values()}
    number = make_resident_id("522422", dt.date(2012, 5, 6), 3)
    cells = {"排查日期": "2019-03-01", "乡镇（街道）": "羊场镇", "村（居）": "箐口村",
             "姓名": "张小明", "性别": "男", "出生日期": "2012.5.6", "公民身份号码": number,
             "健康状况": "健康", "父亲状况（外出地点）": "在家", "母亲状况（外出地点）": "在家",
             "实际照料人": "父母", "照料人健康": "良好", "排查人": "王芳", "状态": "已退出",
             "退出日期": "2020年5月1日", "退出原因": "迁出"}
    out = RowChecker(form, layout, FormLabels.from_model(form)).check(
        9, {by_header[h]: v for h, v in cells.items()})
    assert out.status == "ok", [p.reason("en") for p in out.problems]
    assert (out.exit.reason, out.exit.date) == ("moved_away", "2020-05-01")
    cells["退出日期"], cells["退出原因"] = "2018年1月1日", "年满18周岁"  # before the visit
    bad = RowChecker(form, layout, FormLabels.from_model(form)).check(
        9, {by_header[h]: v for h, v in cells.items()})
    assert bad.status == "refused" and bad.errors[0].code is LedgerInCode.LEDIN_028
    assert out.answers["residence_type"] == "rural" and out.answers["has_id_number"] == "yes"


def _township_sheet(book, name, children):
    """A township sheet as the 台账 export lays it out: title, groups, header, the rows,
    a blank row, the legend and the signature lines."""
    sheet = book.create_sheet(name)
    sheet.append([f"大方县{name}农村留守儿童和困境儿童信息台账"])
    sheet.append(["基本信息"])
    sheet.append(["序号", "乡镇（街道）", "村（居）", "姓名", "性别", "出生日期", "姓名"])
    for number, child in enumerate(children, 1):
        sheet.append([number, name, "红岩村", child, "女", "2015-03-04", "另一个名字"])
    sheet.append([])
    sheet.append(["说明：红色底纹为强制报告儿童（排在本表最前），黄色底纹为高风险儿童。"])
    for line in ("填报单位（盖章）：＿＿＿", "填报人：＿＿＿", "审核人：＿＿＿",
                 "填报日期：　　年　　月　　日"):
        sheet.append([None, None, None, None, line])  # under a later page block's columns
    return sheet


def test_workbook__every_township_sheet_read_summary_cover_and_signatures_skipped(
        form, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "封面"
    cover.append(["大方县台账"])
    summary = book.create_sheet("汇总")
    summary.append(["汇总"])
    summary.append(["乡镇（街道）", "村（居）数", "在册儿童", "留守儿童", "困境儿童", "强制报告"])
    summary.append(["羊场镇", 3, 2, 1, 1, 0])
    _township_sheet(book, "羊场镇", ["张三", "李四"])
    _township_sheet(book, "猫场镇", ["王五"])
    # a row without a child's name is a row to refuse, not a legend: it is read
    book["猫场镇"].insert_rows(5)
    book["猫场镇"].cell(row=5, column=5).value = "男"
    path = tmp_path / "台账.xlsx"
    book.save(path)
    with open_sheet(path, ledger_layout(form)) as sheet:
        assert [p.name for p in sheet.parts] == ["羊场镇", "猫场镇"] and sheet.named
        got = [(name, number, {t.header: v for t, v in cells.items()}.get("姓名"))
               for name, number, cells in sheet.located()]
    # the second 姓名 column (a duplicate header) is not read
    assert got == [("羊场镇", 4, "张三"), ("羊场镇", 5, "李四"), ("猫场镇", 4, "王五"),
                   ("猫场镇", 5, None)]


def test_one_sheet__rows_unnamed_and_signature_lines_skipped(form, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    _township_sheet(book, "羊场镇", ["张三"])
    book.create_sheet("备注").append(["无表头的说明页"])
    path = tmp_path / "一张表.xlsx"
    book.save(path)
    with open_sheet(path, ledger_layout(form)) as sheet:
        assert not sheet.named
        assert [(name, number) for name, number, _ in sheet.located()] == [("", 4)]
        assert sheet.header_row == 3


def test_template_headers__from_the_table_sheet_not_the_summary(tmp_path):
    import openpyxl

    from surveyapp.core.ledgerin.reader import header_texts

    book = openpyxl.Workbook()
    book.active.title = "汇总"
    book.active.append(["乡镇（街道）", "在册儿童"])
    book.active.append(["羊场镇", 2])
    _township_sheet(book, "羊场镇", ["张三"])
    path = tmp_path / "台账.xlsx"
    book.save(path)
    # the group header over the columns is put in front, as for any sheet
    assert header_texts(path)[:4] == ["基本信息序号", "基本信息乡镇（街道）", "基本信息村（居）",
                                      "基本信息姓名"]


def test_known__first_entry_wins_keys_exact_and_survives_pickling():
    import pickle

    from surveyapp.core.ledgerin import Known

    known = Known()
    number = make_resident_id("522422", dt.date(2015, 3, 4), 7)
    known.add("record-a", number.lower(), "张三", "2015-03-04", "522422100200")
    known.add("record-b", number, "李四", "2015-03-04", "522422100200")
    known.add(12, "", "王五", "2016-01-01", "")
    known.add(13, "", "", "2016-01-01", "522422100200")  # no name: not a person key
    for index in (known, pickle.loads(pickle.dumps(known))):  # noqa: S301 - our own bytes
        assert index.by_id(number) == "record-a"
        assert index.by_person("李四", "2015-03-04", "522422100200") == "record-b"
        assert index.by_person("王五", "2016-01-01", "") == 12
        # the texts are kept apart: no other split of the same characters matches
        assert index.by_person("张", "三2015-03-04", "522422100200") is None
        assert index.by_person("张三", "2015-03-04", "5224221002") is None
        assert index.by_id(number[:-1]) is None
