"""Reading real .xlsx workbooks and markdown tables into the same model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from surveyapp.core.forms import load_form, parse_markdown
from surveyapp.core.forms.sheets import cell_text, column_letter, read_markdown

MD = """
| survey |
|        | type           | name | label::zh | label::en | relevant   |
|        | integer        | n    | 数量      | Count     |            |
|        | select_one yn  | ok   | 好吗      | OK?       | ${n} > 1   |
| choices |
|         | list_name | name | label::zh | label::en |
|         | yn        | yes  | 是        | Yes       |
|         | yn        | no   | 否        | No        |
| settings |
|          | form_id | version | default_language |
|          | demo    | 2       | zh               |
"""


def write_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label::zh", "label::en", "relevant"])
    ws.append(["integer", "n", "数量", "Count", None])
    ws.append([None, None, None, None, None])  # a blank row is skipped
    ws.append(["select_one yn", "ok", "好吗", "OK?", "${n} > 1"])
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", "label::zh", "label::en"])
    ch.append(["yn", "yes", "是", "Yes"])
    ch.append(["yn", "no", "否", "No"])
    st = wb.create_sheet("settings")
    st.append(["form_id", "version", "default_language"])
    st.append(["demo", 2, "zh"])
    wb.save(path)


def test_xlsx_and_markdown__same_model(tmp_path: Path):
    path = tmp_path / "demo.xlsx"
    write_xlsx(path)
    from_xlsx, from_md = load_form(path), parse_markdown(MD)

    def shape(form):
        qs = [(q.name, q.type, q.choices, dict(q.label), q.relevant) for q in form.questions()]
        cs = {k: [(c.name, dict(c.label)) for c in v] for k, v in form.choices.items()}
        return form.form_id, form.default_language, form.languages, qs, cs

    assert shape(from_xlsx) == shape(from_md)
    assert from_xlsx.version == "2"  # a numeric cell reads as text without ".0"
    assert from_xlsx.question("ok").row == 4 and from_md.question("ok").row == 3


def test_column_letter__spreadsheet_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_cell_text__numbers_dates_blanks():
    assert cell_text(16.0) == "16" and cell_text(2.5) == "2.5" and cell_text(None) == ""
    assert cell_text(dt.datetime(2026, 1, 2)) == "2026-01-02"
    assert cell_text("  x ") == "x"


def test_markdown__separator_rows_ignored_rows_numbered():
    md = "| survey |\n| | type | name |\n|---|---|---|\n| | text | a |\n"
    sheet = read_markdown(md).sheets["survey"]
    assert sheet.headers == ("type", "name")
    assert [r.number for r in sheet.rows] == [2]
