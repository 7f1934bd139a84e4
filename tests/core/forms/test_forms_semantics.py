"""ODK semantics of relevance, required, constraints, defaults, choice filters and types."""

from __future__ import annotations

import datetime as dt

import pytest
from formtest import assert_form, survey

from surveyapp.core.forms import FormSession, parse_markdown
from surveyapp.errors import SurveyError

YES_NO = """
| list_name | name | label::zh | label::en |
| yn | yes | 是 | Yes |
| yn | no | 否 | No |
"""


def test_non_relevant__not_required_and_excluded():
    md = survey(
        "| type | name | label | required | relevant |",
        "| select_one yn | has | Has | yes | |",
        "| text | detail | Detail | yes | ${has} = 'yes' |",
        choices=YES_NO,
    )
    s = assert_form(
        md,
        answers={"has": "no", "detail": "kept"},
        relevant={"detail": False},
        values={"detail": ""},
        answer_errors={},
    )
    assert s is not None
    assert "detail" not in s.submission()
    assert s.answer("detail") == "kept"  # what was typed comes back with relevance
    s.set("has", "yes")
    assert s.value("detail") == "kept" and s.submission()["detail"] == "kept"


def test_required_empty__required_error_with_default_bilingual_text():
    md = survey("| type | name | label | required |", "| text | a | A | yes |")
    s = assert_form(md, answer_errors={"a": "FORM_101"})
    assert s is not None and not s.complete
    assert s.error("a", "zh") == "此项为必填项，请填写。"
    assert s.error("a", "en") == "This question is required. Please answer it."
    s.set("a", "x")
    assert s.error("a") is None and s.complete


def test_required_message__per_language():
    md = survey(
        "| type | name | label | required | required_message::zh | required_message::en |",
        "| text | a | A | yes | 请填姓名 | Enter the name |",
    )
    s = assert_form(md)
    assert s is not None
    assert (s.error("a", "zh"), s.error("a", "en")) == ("请填姓名", "Enter the name")


def test_required_expression__conditional():
    md = survey(
        "| type | name | label | required |",
        "| integer | n | N | |",
        "| text | why | Why | ${n} > 3 |",
    )
    assert_form(md, answers={"n": 2}, answer_errors={})
    assert_form(md, answers={"n": 5}, answer_errors={"why": "FORM_101"})


def test_constraint__dot_is_current_value_and_message():
    md = survey(
        "| type | name | label | constraint | constraint_message::zh | constraint_message::en |",
        "| integer | age | Age | . >= 0 and . <= 17 | 年龄应为0到17 | Age must be 0-17 |",
    )
    s = assert_form(md, answers={"age": 18}, answer_errors={"age": "FORM_102"})
    assert s is not None
    assert s.error("age", "en") == "Age must be 0-17"
    assert s.error("age", "zh") == "年龄应为0到17"
    assert s.set("age", 10) >= {"age"}
    assert s.error("age") is None


def test_constraint_without_message__default_text():
    md = survey("| type | name | label | constraint |", "| text | a | A | . = 'ok' |")
    s = assert_form(md, answers={"a": "bad"})
    assert s is not None and s.error("a", "en") == "This answer is not valid. Please check it."


def test_constraint__not_checked_on_empty():
    md = survey("| type | name | label | constraint |", "| text | phone | P | phone-valid(.) |")
    assert_form(md, answers={}, answer_errors={})
    assert_form(md, answers={"phone": "123"}, answer_errors={"phone": "FORM_102"})


def test_constraint__not_checked_when_not_relevant():
    md = survey(
        "| type | name | label | relevant | constraint |",
        "| integer | n | N | | |",
        "| integer | m | M | ${n} > 0 | . < 5 |",
    )
    assert_form(md, answers={"n": 0, "m": 9}, answer_errors={})
    assert_form(md, answers={"n": 1, "m": 9}, answer_errors={"m": "FORM_102"})


def test_group_not_relevant__children_not_relevant():
    md = survey(
        "| type | name | label | relevant | required |",
        "| integer | n | N | | |",
        "| begin group | g | G | ${n} > 0 | |",
        "| begin group | inner | Inner | | |",
        "| text | a | A | | yes |",
        "| end group | | | | |",
        "| end group | | | | |",
    )
    s = assert_form(md, answers={"n": 0}, relevant={"g": False, "inner": False, "a": False})
    assert s is not None and s.complete
    changed = s.set("n", 1)
    assert {"g", "inner", "a"} <= changed
    assert s.is_relevant("a") and not s.complete


def test_non_relevant_value__reads_as_empty_in_expressions():
    md = survey(
        "| type | name | label | relevant | calculation |",
        "| integer | n | N | | |",
        "| integer | m | M | ${n} > 0 | |",
        "| calculate | c | | | concat('[', ${m}, ']') |",
    )
    assert_form(md, answers={"n": 0, "m": 5}, values={"c": "[]"})
    assert_form(md, answers={"n": 1, "m": 5}, values={"c": "[5]"})


def test_relevance_truthiness__strings_and_numbers():
    md = survey(
        "| type | name | label | relevant |",
        "| text | t | T | |",
        "| integer | i | I | |",
        "| note | by_text | x | ${t} |",
        "| note | by_number | x | ${i} |",
    )
    assert_form(md, answers={"t": "0", "i": 0}, relevant={"by_text": True, "by_number": False})
    assert_form(md, answers={}, relevant={"by_text": False, "by_number": False})


@pytest.mark.parametrize(
    ("qtype", "given", "typed", "code"),
    [
        ("integer", "12", 12, None),
        ("integer", " 7 ", 7, None),
        ("integer", 3.0, 3, None),
        ("integer", "3.5", "3.5", "FORM_103"),
        ("integer", "abc", "abc", "FORM_103"),
        ("decimal", "2.5", 2.5, None),
        ("decimal", 4, 4.0, None),
        ("decimal", "x", "x", "FORM_104"),
        ("date", "2026-02-03", dt.date(2026, 2, 3), None),
        ("date", "2026-02-30", "2026-02-30", "FORM_105"),
        ("date", dt.date(2026, 1, 1), dt.date(2026, 1, 1), None),
        ("text", 38, "38", None),
        ("select_multiple yn", ["yes", "no"], "yes no", None),
        ("select_multiple yn", " yes   no ", "yes no", None),
        ("select_one yn", "maybe", "maybe", "FORM_106"),
        ("select_multiple yn", "yes maybe", "yes maybe", "FORM_106"),
        ("integer", None, "", None),
    ],
)
def test_answer_types__coerced_or_flagged(qtype, given, typed, code):
    md = survey("| type | name | label |", f"| {qtype} | q | Q |", choices=YES_NO)
    s = FormSession(parse_markdown(md), {"q": given})
    assert s.value("q") == typed and type(s.value("q")) is type(typed)
    state = s.err.get(("q", None))
    assert (state[0].name if state else None) == code


def test_bad_type__message_names_value():
    md = survey("| type | name | label |", "| select_one yn | q | Q |", choices=YES_NO)
    s = FormSession(parse_markdown(md), {"q": "maybe"})
    assert "maybe" in (s.error("q", "en") or "")


def test_defaults__literal_expression_and_answer_wins():
    md = survey(
        "| type | name | label | default |",
        "| integer | n | N | 5 |",
        "| date | d | D | today() |",
        "| text | t | T | hello |",
        "| text | u | U | concat(${t}, '!') |",
    )
    s = assert_form(
        md,
        answers={"t": "given"},
        values={"n": 5, "d": dt.date(2026, 7, 1), "t": "given", "u": "given!"},
    )
    assert s is not None


def test_last_saved_default__prefilled():
    md = survey(
        "| type | name | label | default |",
        "| text | name | Name | ${last-saved#name} |",
        "| integer | age | Age | ${last-saved#age} |",
        "| text | risk | Risk | |",
    )
    s = assert_form(
        md,
        last_saved={"name": "张三", "age": "9", "risk": "abuse"},
        values={"name": "张三", "age": 9, "risk": ""},
    )
    assert s is not None
    assert_form(md, values={"name": "", "age": ""})  # a first visit: nothing to pre-fill


def test_choice_filter__by_choice_column():
    md = survey(
        "| type | name | label | choice_filter |",
        "| select_one town | town | Town | |",
        "| select_one village | village | Village | town=${town} |",
        choices="""
| list_name | name | label | town |
| town | t1 | T1 | |
| town | t2 | T2 | |
| village | v1 | V1 | t1 |
| village | v2 | V2 | t1 |
| village | v3 | V3 | t2 |
""",
    )
    s = FormSession(parse_markdown(md))
    assert [c.name for c in s.choices_for("village")] == []
    changed = s.set("town", "t1")
    assert "village" in changed
    assert [c.name for c in s.choices_for("village")] == ["v1", "v2"]
    s.set("town", "t2")
    assert [c.name for c in s.choices_for("village")] == ["v3"]
    assert [c.name for c in s.choices_for("town")] == ["t1", "t2"]


def test_labels__languages_and_interpolation():
    md = survey(
        "| type | name | label::zh | label::en | hint::zh | calculation |",
        "| integer | n | 数量 | Count | 填数字 | |",
        "| note | show | 共${n}个 | ${n} in all | | |",
        settings="| form_id | version | default_language | form_title |\n| f1 | 3 | zh | 测试 |",
    )
    form = parse_markdown(md)
    assert (form.form_id, form.version, form.title, form.default_language) == (
        "f1",
        "3",
        "测试",
        "zh",
    )
    assert form.languages == ("zh", "en")
    q = form.question("n")
    assert q.label == {"zh": "数量", "en": "Count"} and q.hint == {"zh": "填数字"}
    s = FormSession(form, {"n": 4})
    assert (s.label("show", "zh"), s.label("show", "en")) == ("共4个", "4 in all")


def test_plain_label__default_language_key():
    form = parse_markdown(survey("| type | name | label |", "| text | a | Name |"))
    assert form.question("a").label == {"default": "Name"}
    assert form.languages == ("default",)


def test_read_only_and_appearance__kept():
    md = survey(
        "| type | name | label | read_only | appearance |",
        "| text | a | A | yes | multiline |",
    )
    q = parse_markdown(md).question("a")
    assert q.read_only and q.appearance == "multiline"


def test_column_aliases__pyxform_spellings():
    md = survey(
        "| type | name | label | relevance | bind::constraint | constraint message |",
        "| integer | n | N | | . < 3 | too big |",
        "| text | t | T | ${n} = 1 | | |",
    )
    form = parse_markdown(md)
    assert form.question("t").relevant == "${n} = 1"
    assert form.question("n").constraint_message == {"default": "too big"}


def test_acknowledge__required_until_ok():
    md = survey("| type | name | label | required |", "| acknowledge | ok | OK? | yes |")
    s = assert_form(md, answer_errors={"ok": "FORM_101"})
    assert s is not None
    s.set("ok", "OK")
    assert s.complete and s.submission() == {"ok": "OK"}


def test_set_unknown_or_calculate__refused():
    md = survey("| type | name | label | calculation |", "| calculate | c | | 1 |")
    s = FormSession(parse_markdown(md))
    for path in ("nope", "c", "r[0]/x"):
        with pytest.raises(SurveyError):
            s.set(path, 1)


def test_submission__types_exported_and_notes_left_out():
    md = survey(
        "| type | name | label | calculation |",
        "| date | d | D | |",
        "| integer | n | N | |",
        "| note | hello | Hi | |",
        "| calculate | c | | ${n} * 2 |",
    )
    s = FormSession(parse_markdown(md), {"d": "2026-01-02", "n": 3})
    assert s.submission() == {"d": "2026-01-02", "n": 3, "c": "6"}


def test_calculate_with_dynamic_default__initial_value():
    md = survey("| type | name | label | default |", "| calculate | started | | today() |")
    assert_form(md, values={"started": "2026-07-01"})


def test_errors__in_form_order():
    md = survey(
        "| type | name | label | required | calculation | relevant |",
        "| integer | n | N | | | |",
        "| text | first | F | yes | | ${later} = '' |",
        "| text | later | L | yes | | |",
    )
    s = FormSession(parse_markdown(md))
    assert list(s.errors()) == ["first", "later"]


def test_hint_and_label_in_repeat__interpolated_per_instance():
    md = survey(
        "| type | name | label | hint |",
        "| begin repeat | r | R | |",
        "| text | x | X | |",
        "| note | echo | 你好 ${x} | 提示 ${x} |",
        "| end repeat | | | |",
    )
    s = FormSession(parse_markdown(md), {"r": [{"x": "甲"}, {"x": "乙"}]})
    assert s.label("r[1]/echo") == "你好 乙" and s.hint("r[0]/echo") == "提示 甲"
