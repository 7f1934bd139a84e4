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


def _township_sheet(book, rows):
    return book[rows[0]["township_name"]]


def test_ledger_sheets__summary_then_one_per_township_in_code_order(rows, labels, tmp_path,
                                                                    printed_table):
    path = tmp_path / "ledger.xlsx"
    result = _export(rows, labels, path)
    book = _load(path)
    codes = sorted({r["township_code"] for r in rows})
    names = [next(r["township_name"] for r in rows if r["township_code"] == c) for c in codes]
    assert book.sheetnames == ["汇总", *names]
    _, table = printed_table(path)
    assert result.rows == len(table) == len(rows)
    for name in names:
        ws = book[name]
        assert ws.cell(1, 5).value == f"大方县{name}农村留守儿童和困境儿童信息台账"
        seqs = [r[0].value for r in ws.iter_rows(min_row=4) if isinstance(r[0].value, int)]
        assert seqs == list(range(1, len(seqs) + 1))  # 序号 from 1 in each township
        assert {ws.cell(r, 2).value for r in range(4, 4 + len(seqs))} == {name}


def test_ledger_summary__counts_per_township_with_totals(rows, labels, tmp_path):
    path = tmp_path / "ledger.xlsx"
    _export(rows, labels, path)
    ws = _load(path)["汇总"]
    head = [c.value for c in ws[2]]
    assert head == ["乡镇（街道）", "村（居）数", "在册儿童", "留守儿童", "困境儿童",
                    "其中：既留守又困境", "孤儿", "事实无人抚养", "高风险", "强制报告", "已退出"]
    body = [dict(zip(head, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=3)
            if r[0].value and not str(r[0].value).startswith(("说明", "填报", "审核"))]
    total = body.pop()
    assert total["乡镇（街道）"] == "合计"
    for line in body:
        mine = [r for r in rows if r["township_name"] == line["乡镇（街道）"]]
        on_file = [r for r in mine if r["status"] == "active"]
        assert line["在册儿童"] == len(on_file)
        assert line["已退出"] == len(mine) - len(on_file)
        assert line["村（居）数"] == len({r["village_code"] for r in mine})
        assert line["留守儿童"] == sum(r["is_left_behind"] == "yes" for r in on_file)
        assert line["强制报告"] == sum(r["urgent_report"] == "yes" for r in on_file)
        assert line["高风险"] == sum(r["risk_level"] == "high" for r in on_file)
    for key in head[1:]:
        assert total[key] == sum(line[key] for line in body)
    assert total["在册儿童"] + total["已退出"] == len(rows)


def test_ledger_headers__two_grouped_rows_in_filing_order(rows, labels, tmp_path):
    path = tmp_path / "ledger.xlsx"
    _export(rows, labels, path)
    ws = _township_sheet(_load(path), rows)
    headers = [ws.cell(3, i + 1).value for i in range(len(LEDGER_COLUMNS))]
    assert headers[:9] == ["序号", "乡镇（街道）", "村（居）", "姓名", "性别", "民族",
                           "出生日期", "年龄", "公民身份号码"]
    groups = [ws.cell(2, i + 1).value for i in range(len(LEDGER_COLUMNS))]
    # The repeated columns (序号 … 姓名) carry their own piece of 基本信息.
    assert [g for g in groups if g] == ["基本信息", "基本信息", "父母情况", "监护照料",
                                        "保障情况", "类别与风险", "排查信息"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:D2", "E2:M2"} <= merged


def test_ledger_cells__ids_text_dates_real_labels_chinese(rows, labels, tmp_path):
    path = tmp_path / "ledger.xlsx"
    _export(rows, labels, path)
    ws = _township_sheet(_load(path), rows)
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


def test_ledger_print_setup__a3_landscape_100_percent_blocks_titles_header(
        rows, labels, tmp_path):
    path = tmp_path / "ledger.xlsx"
    _export(rows, labels, path)
    ws = _township_sheet(_load(path), rows)
    count = sum(r["township_name"] == rows[0]["township_name"] for r in rows)
    assert ws.freeze_panes == "E4"
    last = ws.cell(3, len(LEDGER_COLUMNS)).column_letter
    assert ws.auto_filter.ref == f"A3:{last}{count + 3}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 8  # A3
    assert ws.page_setup.scale in (None, 100)  # never shrunk to fit
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert not ws.print_options.gridLines
    assert ws.print_title_rows == "$1:$3"
    assert ws.print_title_cols == "$A:$D"  # 序号 … 姓名 on every page block
    # Page blocks break between header groups, never inside one.
    groups = [c.group for c in LEDGER_COLUMNS]
    breaks = [b.id for b in ws.col_breaks.brk]
    assert breaks and all(groups[b] != groups[b - 1] for b in breaks)
    assert "大方县" in ws.oddHeader.left.text
    assert rows[0]["township_name"] in ws.oddHeader.left.text
    assert "2026-11-23 09:30" in ws.oddHeader.right.text
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws.column_dimensions["I"].width > 18


def test_ledger_end__legend_and_signature_lines_in_the_last_block(rows, labels, tmp_path):
    path = tmp_path / "ledger.xlsx"
    _export(rows, labels, path)
    ws = _township_sheet(_load(path), rows)
    first = max(b.id for b in ws.col_breaks.brk) + 1
    texts = [ws.cell(r, first).value for r in range(4, ws.max_row + 1)]
    tail = [t for t in texts if isinstance(t, str)][-5:]
    assert tail[0].startswith("说明：红色底纹为强制报告儿童")
    assert [t.split("：")[0] for t in tail[1:]] == ["填报单位（盖章）", "填报人", "审核人",
                                                   "填报日期"]


def test_ledger_fills__urgent_red_high_risk_amber_flag_bold(labels, tmp_path):
    base = {"township_code": "522422102", "village_code": "522422102201", "status": "active"}
    people = [{**base, "child_name": "甲", "urgent_report": "yes", "risk_level": "high"},
              {**base, "child_name": "乙", "urgent_report": "no", "risk_level": "high"},
              {**base, "child_name": "丙", "urgent_report": "no", "risk_level": "low"}]
    path = tmp_path / "l.xlsx"
    _export(people, labels, path)
    ws = _load(path)["羊场镇"]
    head = [c.value for c in ws[3]]
    fills = [ws.cell(r, 4).fill.fgColor.rgb for r in (4, 5, 6)]
    assert fills[0].endswith("F8CBAD") and fills[1].endswith("FFE699")
    assert fills[2] in (None, "00000000")
    flag = ws.cell(4, head.index("强制报告") + 1)
    assert flag.value == "是" and flag.font.b
    assert ws.cell(5, head.index("风险等级") + 1).font.b


def test_ledger_scope_and_filters__only_matching_rows(rows, labels, tmp_path, printed_table):
    village = rows[0]["village_code"]
    query = ChildQuery(village_code=village, categories=("left_behind", "in_difficulty"),
                       statuses=("active",))
    expected = [r for r in rows if r["village_code"] == village and r["status"] == "active"
                and "yes" in (r["is_left_behind"], r["is_in_difficulty"])]
    path = tmp_path / "v.xlsx"
    result = _export(rows, labels, path, query=query)
    assert result.rows == len(expected) > 0
    book = _load(path)
    assert book.sheetnames == ["汇总", rows[0]["township_name"]]
    scope = rows[0]["township_name"] + rows[0]["village_name"]
    assert book["汇总"].cell(1, 1).value.startswith("大方县" + scope)
    _, table = printed_table(path)
    assert [t["姓名"] for t in table] == [r["child_name"] for r in expected]


def test_ledger_unknown_filter__error(rows, labels, tmp_path):
    with pytest.raises(SurveyError) as info:
        ChildQuery(risk_levels=("urgent",))
    assert info.value.code.name == "LEDGER_008"


def test_ledger_progress_and_cancel__target_untouched(rows, labels, tmp_path, printed_table):
    calls = []
    path = tmp_path / "ledger.xlsx"
    big = rows * 3
    _export(big, labels, path, progress=lambda d, t: calls.append((d, t)), total=len(big))
    assert calls[-1] == (len(big), len(big))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    with pytest.raises(SurveyError) as info:
        _export(big, labels, path, overwrite=True, cancel=lambda: len(calls) > 1)
    assert info.value.code is CommonCode.CANCELLED
    assert len(printed_table(path)[1]) == len(big)
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
    ws = _load(path)["羊场镇"]
    head = [c.value for c in ws[3]]
    assert ws.cell(4, head.index("下次走访") + 1).value.date() == date(2026, 7, 31)
    assert ws.cell(4, 2).value == "羊场镇"


def test_ledger_empty__summary_of_zeros_and_an_empty_table_sheet(labels, tmp_path):
    path = tmp_path / "l.xlsx"
    assert _export([], labels, path).rows == 0
    book = _load(path)
    assert book.sheetnames == ["汇总", "台账"]
    assert [c.value for c in book["汇总"][3]] == ["合计", *([0] * 10)]
    assert book["台账"].cell(3, 4).value == "姓名"
