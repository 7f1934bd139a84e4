"""Every form error code, with the sheet, the 1-based row and the column it points at.

Row numbers count the header as row 1 (as in the spreadsheet); columns are letters in
the order of the markdown header (the first header cell is column A).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from formtest import assert_form, survey

from surveyapp.core.forms import FormCode, check_form, check_markdown, load_form, parse_markdown
from surveyapp.errors import SurveyError

F = FormCode
YES_NO = """
| list_name | name | label |
| yn | yes | Yes |
| yn | no | No |
"""


def test_unknown_type__type_column():
    md = survey("| type | name | label |", "| text | a | A |", "| txet | b | B |")
    assert_form(
        md, errors=[(F.FORM_003, {"sheet": "survey", "row": 3, "column": "A", "type": "txet"})]
    )


def test_missing_name__name_column():
    md = survey("| type | label | name |", "| text | A | |")
    assert_form(md, errors=[(F.FORM_004, {"sheet": "survey", "row": 2, "column": "C"})])


def test_bad_name__name_column():
    md = survey("| type | name | label |", "| text | 1abc | A |")
    assert_form(md, errors=[(F.FORM_018, {"sheet": "survey", "row": 2, "column": "B"})])


def test_duplicate_name__second_row_named():
    md = survey("| type | name | label |", "| text | a | A |", "| integer | a | A2 |")
    assert_form(
        md,
        errors=[(F.FORM_005, {"sheet": "survey", "row": 3, "column": "B", "first_row": 2})],
    )


def test_missing_choice_list__type_column():
    md = survey("| type | name | label |", "| select_one nolist | a | A |", choices=YES_NO)
    assert_form(
        md,
        errors=[(F.FORM_006, {"sheet": "survey", "row": 2, "column": "A", "list_name": "nolist"})],
    )


def test_select_without_list_name__type_column():
    md = survey("| type | name | label |", "| select_one | a | A |", choices=YES_NO)
    assert_form(md, errors=[(F.FORM_017, {"sheet": "survey", "row": 2, "column": "A"})])


def test_duplicate_choice__choices_sheet_name_column():
    choices = YES_NO + "| yn | yes | Yes again |\n"
    md = survey("| type | name | label |", "| select_one yn | a | A |", choices=choices)
    assert_form(
        md,
        errors=[
            (
                F.FORM_007,
                {"sheet": "choices", "row": 4, "column": "B", "name": "yes", "list_name": "yn"},
            )
        ],
    )


def test_choice_without_name__choices_sheet():
    choices = YES_NO + "| yn | | Maybe |\n"
    md = survey("| type | name | label |", "| select_one yn | a | A |", choices=choices)
    assert_form(md, errors=[(F.FORM_004, {"sheet": "choices", "row": 4, "column": "B"})])


def test_end_group_without_begin__that_row():
    md = survey("| type | name | label |", "| text | a | A |", "| end group | | |")
    assert_form(md, errors=[(F.FORM_008, {"sheet": "survey", "row": 3, "column": "A"})])


def test_begin_group_never_ended__begin_row():
    md = survey("| type | name | label |", "| begin group | g | G |", "| text | a | A |")
    assert_form(md, errors=[(F.FORM_008, {"sheet": "survey", "row": 2, "kind": "begin group"})])


def test_end_repeat_closing_a_group__mismatch():
    md = survey(
        "| type | name | label |",
        "| begin group | g | G |",
        "| text | a | A |",
        "| end repeat | | |",
        "| end group | | |",
    )
    assert_form(md, errors=[(F.FORM_008, {"row": 4, "kind": "end repeat"})])


def test_nested_repeat__refused_with_row():
    md = survey(
        "| type | name | label |",
        "| begin repeat | r1 | R1 |",
        "| begin repeat | r2 | R2 |",
        "| text | a | A |",
        "| end repeat | | |",
        "| end repeat | | |",
    )
    assert_form(md, errors=[(F.FORM_014, {"sheet": "survey", "row": 3, "column": "A"})])


def test_bad_expression__column_and_position():
    md = survey(
        "| type | name | label | relevant |", "| text | a | A | |", "| text | b | B | ${a} = |"
    )
    assert_form(
        md,
        errors=[(F.FORM_009, {"sheet": "survey", "row": 3, "column": "D", "position": 7})],
    )


def test_unknown_function__column():
    md = survey("| type | name | label | constraint |", "| text | a | A | lenght(.) > 2 |")
    assert_form(
        md,
        errors=[(F.FORM_010, {"sheet": "survey", "row": 2, "column": "D", "function": "lenght"})],
    )


def test_wrong_arity__column():
    md = survey("| type | name | calculation |", "| calculate | c | if(1, 2) |")
    assert_form(md, errors=[(F.FORM_013, {"row": 2, "column": "C", "function": "if", "got": 2})])


def test_missing_reference__column():
    md = survey("| type | name | label | relevant |", "| text | a | A | ${nope} = 'x' |")
    assert_form(
        md, errors=[(F.FORM_011, {"sheet": "survey", "row": 2, "column": "D", "name": "nope"})]
    )


def test_missing_last_saved_reference__default_column():
    md = survey("| type | name | label | default |", "| text | a | A | ${last-saved#nope} |")
    assert_form(md, errors=[(F.FORM_011, {"row": 2, "column": "D", "name": "nope"})])


def test_path_expression__unsupported():
    md = survey("| type | name | label | relevant |", "| text | a | A | b = 1 |")
    assert_form(md, errors=[(F.FORM_016, {"row": 2, "column": "D", "path": "b"})])


def test_cycle__named_and_located():
    md = survey(
        "| type | name | calculation |",
        "| calculate | x | ${z} + 1 |",
        "| calculate | y | ${x} + 1 |",
        "| calculate | z | ${y} + 1 |",
    )
    result = check_markdown(md)
    [err] = result.errors
    assert err.code is F.FORM_012
    assert err.context["sheet"] == "survey" and err.context["column"] == "C"
    assert err.context["row"] in (2, 3, 4)
    assert set(err.context["names"].split(" → ")) == {"x", "y", "z"}


def test_self_reference_in_relevant__cycle():
    md = survey("| type | name | label | relevant |", "| text | a | A | ${a} = '' |")
    assert_form(md, errors=[(F.FORM_012, {"row": 2, "column": "D"})])


def test_missing_survey_sheet__error():
    md = "| choices |\n| | list_name | name | label |\n| | yn | yes | Yes |\n"
    assert_form(md, errors=[(F.FORM_002, {"sheet": "survey"})])


def test_many_errors__all_collected_in_row_order():
    md = survey(
        "| type | name | label | relevant |",
        "| txet | a | A | |",
        "| text | | B | |",
        "| text | c | C | ${zz} |",
        "| text | c | C | |",
        "| select_one nolist | d | D | |",
    )
    result = check_markdown(md)
    codes = [(e.code, e.context["row"]) for e in result.errors]
    assert (F.FORM_003, 2) in codes and (F.FORM_004, 3) in codes
    assert (F.FORM_005, 5) in codes and (F.FORM_006, 6) in codes
    assert (F.FORM_011, 4) in codes
    assert result.form is None


def test_parse_markdown__raises_first_error_with_location():
    md = survey("| type | name | label |", "| txet | a | A |")
    with pytest.raises(SurveyError) as info:
        parse_markdown(md)
    assert info.value.code is F.FORM_003
    assert (info.value.context["sheet"], info.value.context["row"]) == ("survey", 2)


def test_unreadable_file__form_001(tmp_path: Path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"this is not a zip file")
    result = check_form(bad)
    assert [e.code for e in result.errors] == [F.FORM_001]
    with pytest.raises(SurveyError) as info:
        load_form(bad)
    assert info.value.code is F.FORM_001
    assert str(bad) in info.value.message("en")


@pytest.mark.parametrize("name", ["old.xls", "table.csv", "folder.xlsx"])
def test_not_a_workbook__form_001(tmp_path: Path, name: str):
    target = tmp_path / name
    if name.startswith("folder"):
        target.mkdir()
    else:
        target.write_bytes(b"a,b\n1,2\n")
    assert [e.code for e in check_form(target).errors] == [F.FORM_001]


def test_missing_file__form_001(tmp_path: Path):
    with pytest.raises(SurveyError) as info:
        load_form(tmp_path / "nope.xlsx")
    assert info.value.code is F.FORM_001


@pytest.mark.parametrize("code", list(FormCode), ids=lambda c: c.name)
def test_every_code__both_languages(code: FormCode):
    keys = "sheet row column type name first_row list_name kind expression position reason"
    ctx = dict.fromkeys((keys + " function names expected got value path").split(), "X")
    zh, en = code.text("zh", **ctx), code.text("en", **ctx)
    assert zh and en and zh != en


def test_missing_reference_in_label__label_column_of_that_language():
    md = survey(
        "| type | name | label::zh | label::en |",
        "| integer | n | 数 | N |",
        "| note | show | 共${n}个 | ${nn} in all |",
    )
    assert_form(
        md, errors=[(F.FORM_011, {"sheet": "survey", "row": 3, "column": "D", "name": "nn"})]
    )


def test_unknown_column_and_missing_label__warnings_not_errors():
    md = survey("| type | name | label | lable |", "| text | a | A | x |", "| text | b | | |")
    result = check_markdown(md)
    assert result.errors == [] and result.form is not None
    assert len(result.warnings) == 2
    assert "lable" in result.warnings[0] and "'b'" in result.warnings[1]


def test_choice_name_with_space_in_select_multiple__choices_row():
    choices = "| list_name | name | label |\n| ab | a b | AB |\n| ab | c | C |\n"
    md = survey(
        "| type | name | label |",
        "| select_multiple ab | m | M |",
        "| select_multiple ab | m2 | M2 |",
        choices=choices,
    )
    assert_form(
        md,
        errors=[(F.FORM_019, {"sheet": "choices", "row": 2, "column": "B", "name": "a b"})],
    )
    one = survey("| type | name | label |", "| select_one ab | s | S |", choices=choices)
    assert check_markdown(one).errors == []  # fine for select_one


def test_calculate_without_calculation__calculation_column():
    md = survey("| type | name | label | calculation |", "| calculate | c | | |")
    assert_form(md, errors=[(F.FORM_020, {"sheet": "survey", "row": 2, "column": "D"})])
