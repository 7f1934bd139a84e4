"""pyxform's types, aliases and features (issue 19), in small inline tables.

Each table row is (survey rows, answers, expected values or answer errors); refusals are
checked with their code and cell.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from formtest import assert_form, survey

from surveyapp.core.forms import FormCode, FormSession, check_markdown, parse_markdown

F = FormCode
ABC = """
| list_name | name | label |
| abc | a | A |
| abc | b | B |
| abc | c | C |
"""

# (type cell, extra column header, its value, answer, stored value or an answer error code)
TYPED: list[tuple[str, str, str, Any, Any]] = [
    ("time", "", "", "9:05", "09:05:00"),
    ("time", "", "", "14：30", "14:30:00"),
    ("time", "", "", "23:59:59", "23:59:59"),
    ("time", "", "", "24:00", "FORM_108"),
    ("time", "", "", "noon", "FORM_108"),
    ("datetime", "", "", "2026-07-01 14:30", dt.datetime(2026, 7, 1, 14, 30)),
    ("date time", "", "", "2026-07-01T14:30:15", dt.datetime(2026, 7, 1, 14, 30, 15)),
    ("datetime", "", "", "2026-02-30 10:00", "FORM_109"),
    ("geopoint", "", "", "30.5728 104.0668", "30.5728 104.0668"),
    ("gps", "", "", "30.5728, 104.0668, 500, 10", "30.5728 104.0668 500 10"),
    ("location", "", "", "91 104", "FORM_110"),
    ("geopoint", "", "", "30 104 500 -1", "FORM_110"),
    ("geopoint", "", "", "30 104;31 105", "FORM_110"),
    ("geotrace", "", "", "30 104; 31 105", "30 104;31 105"),
    ("geotrace", "", "", "30 104", "FORM_110"),
    ("geoshape", "", "", "30 104;31 105;31 104;30 104", "30 104;31 105;31 104;30 104"),
    ("barcode", "", "", "6901234567892", "6901234567892"),
    ("q string", "", "", "x", "x"),
    ("add integer prompt", "", "", "12", 12),
    ("q decimal", "", "", "1.5", 1.5),
    ("range", "", "", 5, 5),
    ("range", "", "", 11, "FORM_111"),
    ("range", "parameters", "start=0 end=1 step=0.25", "0.75", 0.75),
    ("range", "parameters", "start=0 end=1 step=0.25", "0.3", "FORM_111"),
    ("phone number", "", "", "13812345678", "13812345678"),
    ("phone number", "", "", "138-1234", "FORM_102"),  # pyxform's implied constraint
    ("percentage", "", "", 101, "FORM_102"),
    ("rank abc", "", "", "c a b", "c a b"),
    ("rank abc", "", "", "c c", "FORM_106"),
    ("select one from abc", "", "", "b", "b"),
    ("select all that apply from abc", "", "", "a c", "a c"),
    ("add select one prompt using abc", "", "", "d", "FORM_106"),
]


@pytest.mark.parametrize(("qtype", "column", "cell", "answer", "want"), TYPED)
def test_type__answer(qtype: str, column: str, cell: str, answer: Any, want: Any):
    header = "| type | name | label |" + (f" {column} |" if column else "")
    row = f"| {qtype} | q | Q |" + (f" {cell} |" if column else "")
    session = assert_form(survey(header, row, choices=ABC), answers={"q": answer})
    assert session is not None
    if isinstance(want, str) and want.startswith("FORM_"):
        state = session.err.get(("q", None))
        assert state is not None and state[0].name == want
        assert session.error("q", "zh") and session.error("q", "en")
    else:
        assert session.err.get(("q", None)) is None
        assert session.value("q") == want and type(session.value("q")) is type(want)


@pytest.mark.parametrize(
    ("appearance", "answer", "want"),
    [
        ("month-year", "2026-07", dt.date(2026, 7, 1)),
        ("month-year", "2026-07-15", dt.date(2026, 7, 15)),
        ("year", "2026", dt.date(2026, 1, 1)),
        ("no-calendar", "2026-07-02", dt.date(2026, 7, 2)),
        ("", "2026-07", "FORM_105"),
        ("month-year", "2026-13", "FORM_105"),
    ],
)
def test_date_appearance__month_year_and_year(appearance: str, answer: str, want: Any):
    md = survey("| type | name | label | appearance |", f"| date | q | Q | {appearance} |")
    session = FormSession(parse_markdown(md), {"q": answer})
    if isinstance(want, str):
        assert session.err[("q", None)] is not None and session.err[("q", None)][0].name == want
    else:
        assert session.value("q") == want and session.complete


def test_range_error__says_the_range():
    md = survey("| type | name | label | parameters |", "| range | q | Q | start=2 end=8 step=2 |")
    session = FormSession(parse_markdown(md), {"q": 3})
    assert session.error("q", "en") == "Enter a number from 2 to 8 in steps of 2."


def test_metadata_types__accepted_never_required():
    rows = [
        "| type | name | label |",
        "| imei | a | |",
        "| phonenumber | b | |",
        "| start time | c | |",
        "| get today | d | |",
        "| simserial | e | |",
        "| email | f | |",
        "| audit | g | |",
        "| hidden | h | |",
        "| text | t | T |",
    ]
    result = check_markdown(survey(*rows))
    assert result.ok and not any("has no label" in w for w in result.warnings)
    assert result.form is not None
    types = {q.name: q.type for q in result.form.questions()}
    assert types["a"] == "deviceid" and types["c"] == "start" and types["d"] == "today"


@pytest.mark.parametrize(
    "qtype", ["image", "photo", "audio", "video", "file", "osm abc", "q picture"]
)
def test_attachment__refused_by_name(qtype: str):
    md = survey("| type | name | label |", "| text | a | A |", f"| {qtype} | p | P |", choices=ABC)
    assert_form(md, errors=[(F.FORM_021, {"row": 3, "column": "A"})])
    err = check_markdown(md).errors[0]
    assert "not supported yet (planned)" in err.message("en") and "附件" in err.message("zh")


def test_loop__refused_by_name_not_planned():
    md = survey(
        "| type | name | label |",
        "| begin loop over abc | l | L |",
        "| integer | n | N |",
        "| end loop | | |",
        "| text | t | T |",
        choices=ABC,
    )
    assert_form(md, errors=[(F.FORM_022, {"row": 2, "column": "A"})])
    assert "not planned" in check_markdown(md).errors[0].message("en")


def test_unsupported_function__named_with_plan():
    md = survey("| type | name | label | calculation |", "| calculate | c | | randomize(${c}) |")
    result = check_markdown(md)
    assert [e.code for e in result.errors] == [F.FORM_028]
    assert "(planned)" in result.errors[0].message("en")
    assert "randomize()" in result.errors[0].message("zh")
    md = survey("| type | name | label | calculation |", "| calculate | c | | instance('x') |")
    result = check_markdown(md)
    assert [e.code for e in result.errors] == [F.FORM_026]
    assert "(not planned)" in result.errors[0].message("en")


def test_curly_quotes__message_shows_straight_version():
    md = survey(
        "| type | name | label | relevant |",
        "| text | a | A | |",
        "| text | b | B | ${a} = ‘yes’ |",
    )
    assert_form(md, errors=[(F.FORM_025, {"row": 3, "column": "D", "fixed": "${a} = 'yes'"})])
    msg = check_markdown(md).errors[0].message("en")
    assert "curly quotes" in msg and "${a} = 'yes'" in msg


def test_or_other__adds_choice_and_specify_question():
    md = survey(
        "| type | name | label |",
        "| select_one abc or_other | s | S |",
        "| select all that apply from abc or specify other | m | M |",
        choices=ABC,
    )
    form = parse_markdown(md)
    assert [c.name for c in form.choices["abc"]] == ["a", "b", "c", "other"]
    session = FormSession(form, {"s": "other", "s_other": "舅舅家", "m": "a", "m_other": "x"})
    assert session.is_relevant("s_other") and not session.is_relevant("m_other")
    assert session.submission() == {"s": "other", "s_other": "舅舅家", "m": "a"}


def test_or_other__name_taken_is_duplicate():
    md = survey(
        "| type | name | label |",
        "| select_one abc or_other | s | S |",
        "| text | s_other | X |",
        choices=ABC,
    )
    assert_form(md, errors=[(F.FORM_005, {"row": 3, "name": "s_other"})])


def test_bad_suffix_after_list_name():
    md = survey("| type | name | label |", "| select_one abc xyz | s | S |", choices=ABC)
    assert_form(md, errors=[(F.FORM_027, {"row": 2, "column": "A", "extra": "xyz"})])


def test_duplicate_choices__allowed_by_setting_with_choice_filter():
    choices = """
| list_name | name | label | township |
| village | v1 | 东村 | t1 |
| village | v1 | 东村 | t2 |
| village | v2 | 西村 | t2 |
"""
    rows = (
        "| type | name | label | choice_filter |",
        "| text | township | T | |",
        "| select_one village | v | V | township=${township} |",
    )
    assert_form(survey(*rows, choices=choices), errors=[(F.FORM_007, {"row": 3})])
    md = survey(*rows, choices=choices, settings="| allow_choice_duplicates |\n| yes |")
    session = assert_form(md, answers={"township": "t2", "v": "v1"})
    assert session is not None
    assert [(c.name, c.get("township")) for c in session.choices_for("v")] == [
        ("v1", "t2"),
        ("v2", "t2"),
    ]
    assert session.complete


def test_select_one_external__from_external_choices_sheet():
    md = survey("| type | name | label |", "| select_one_external city | c | C |")
    md += "| external_choices |\n|  | list_name | name | label |\n|  | city | bj | 北京 |\n"
    session = assert_form(md, answers={"c": "bj"})
    assert session is not None and session.complete
    assert_form(
        survey("| type | name | label |", "| select_one_external city | c | C |"),
        errors=[(F.FORM_006, {"row": 2})],
    )


def test_single_sheet_of_any_name__is_the_survey():
    md = "| sheet1 |\n|  | type | name | label |\n|  | text | a | A |\n"
    assert parse_markdown(md).nodes["a"].type == "text"


# --- files beside the form ------------------------------------------------------------
VILLAGES_CSV = (
    "name,label,label::zh,township\n"
    "110101001001,East,东村,110101001\n"
    "110101002001,West,西村,110101002\n"
)


def test_select_one_from_file__csv_with_filter_and_hash(tmp_path: Path):
    (tmp_path / "villages.csv").write_text("\ufeff" + VILLAGES_CSV, encoding="utf-8")
    md = survey(
        "| type | name | label | choice_filter |",
        "| text | township | T | |",
        "| select_one_from_file villages.csv | village | V | township=${township} |",
    )
    form = parse_markdown(md, tmp_path)
    assert (
        list(form.attachments) == ["villages.csv"] and len(form.attachments["villages.csv"]) == 64
    )
    session = FormSession(form, {"township": "110101002", "village": "110101002001"})
    assert [c.name for c in session.choices_for("village")] == ["110101002001"]
    assert session.choices_for("village")[0].text("zh") == "西村" and session.complete
    session.set("village", "nope")
    assert session.err[("village", None)] is not None


def test_select_multiple_from_file__xml_and_parameters(tmp_path: Path):
    (tmp_path / "fruit.xml").write_text(
        "<root><item><code>m</code><title>Mango</title></item>"
        "<item><code>p</code><title>Papaya</title></item></root>",
        encoding="utf-8",
    )
    md = survey(
        "| type | name | label | parameters |",
        "| select_multiple_from_file fruit.xml | f | F | value=code label=title |",
    )
    session = FormSession(parse_markdown(md, tmp_path), {"f": "p m"})
    assert session.complete and session.choices_for("f")[1].text("en") == "Papaya"


def test_file_missing_or_unreadable__coded(tmp_path: Path):
    md = survey("| type | name | label |", "| select_one_from_file villages.csv | v | V |")
    assert_form(md, errors=[(F.FORM_023, {"row": 2, "column": "A", "file": "villages.csv"})])
    (tmp_path / "villages.csv").write_bytes("name,label\n1,\xff\n".encode("latin-1"))
    result = check_markdown(md, tmp_path)
    assert [(e.code, e.context["file"]) for e in result.errors] == [(F.FORM_024, "villages.csv")]
    (tmp_path / "villages.csv").write_text("code,label\n1,a\n", encoding="utf-8")
    assert [e.code for e in check_markdown(md, tmp_path).errors] == [F.FORM_024]
    md = survey("| type | name | label |", "| select_one_from_file ../secret.csv | v | V |")
    assert [e.code for e in check_markdown(md, tmp_path).errors] == [F.FORM_023]
    md = survey("| type | name | label |", "| select_one_from_file shapes.geojson | v | V |")
    assert [e.code for e in check_markdown(md, tmp_path).errors] == [F.FORM_028]
    md = survey("| type | name | label |", "| select_one_from_file list.txt | v | V |")
    assert [e.code for e in check_markdown(md, tmp_path).errors] == [F.FORM_022]


def test_pulldata__csv_beside_the_form(tmp_path: Path):
    (tmp_path / "fruits.csv").write_text("name,color\nmango,yellow\nkiwi,green\n", encoding="utf-8")
    md = survey(
        "| type | name | label | calculation |",
        "| text | f | F | |",
        "| calculate | c | | pulldata('fruits', 'color', 'name', ${f}) |",
    )
    form = parse_markdown(md, tmp_path)
    assert FormSession(form, {"f": "kiwi"}).value("c") == "green"
    assert FormSession(form, {"f": "plum"}).value("c") == ""
    assert "fruits.csv" in form.attachments
    assert_form(md, errors=[(F.FORM_023, {"row": 3, "column": "D", "file": "fruits.csv"})])
