"""The ``surveyapp form check|fill`` contract (docs/cli.md), through ``cli.main.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from surveyapp.cli.main import main


def write_form(path: Path, rows: list[list[object]], choices: list[list[object]] | None = None):
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in rows:
        ws.append(row)
    ch = wb.create_sheet("choices")
    for row in choices or [["list_name", "name", "label::zh", "label::en"]]:
        ch.append(row)
    wb.save(path)
    return path


GOOD = [
    ["type", "name", "label::zh", "label::en", "required", "relevant", "constraint", "calculation"],
    ["integer", "age", "年龄", "Age", "yes", None, ". < 18", None],
    ["text", "school", "学校", "School", "yes", "${age} >= 6", None, None],
    ["begin repeat", "kids", "子女", "Kids", None, None, None, None],
    ["text", "kname", "姓名", "Name", None, None, None, None],
    ["end repeat", None, None, None, None, None, None, None],
    ["calculate", "n", None, None, None, None, None, "count(${kids})"],
]
BROKEN = [
    ["type", "name", "label", "relevant"],
    ["txet", "a", "A", None],
    ["text", "b", "B", "${nope} = 1"],
]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_form(tmp_path / "good.xlsx", GOOD)


def answers(tmp_path: Path, data: object) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_check_valid__exit_0(good: Path, capsys):
    assert main(["--lang", "en", "form", "check", str(good)]) == 0
    assert "The form is valid" in capsys.readouterr().out


def test_check_valid_json__empty_array(good: Path, capsys):
    assert main(["form", "check", str(good), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_check_broken_json__exit_1_every_error_located(tmp_path: Path, capsys):
    form = write_form(tmp_path / "broken.xlsx", BROKEN)
    assert main(["form", "check", str(form), "--json"]) == 1
    errors = json.loads(capsys.readouterr().out)
    assert [(e["code"], e["sheet"], e["row"], e["column"]) for e in errors] == [
        ("FORM_003", "survey", 2, "A"),
        ("FORM_011", "survey", 3, "D"),
    ]
    for e in errors:
        assert set(e) == {"code", "sheet", "row", "column", "message_zh", "message_en"}
        assert e["message_zh"] != e["message_en"]


def test_check_broken_text__exit_1_messages_on_stderr(tmp_path: Path, capsys):
    form = write_form(tmp_path / "broken.xlsx", BROKEN)
    assert main(["--lang", "en", "form", "check", str(form)]) == 1
    err = capsys.readouterr().err
    assert "[FORM_003]" in err and "txet" in err and "row 2" in err


def test_check_unreadable__exit_1(tmp_path: Path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert main(["form", "check", str(bad), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["code"] == "FORM_001"


def test_fill__values_relevant_errors_complete(good: Path, tmp_path: Path, capsys):
    data = {"age": 20, "kids": [{"kname": "小红"}, {"kname": "小明"}], "unknown": 1}
    code = main(["form", "fill", str(good), "--answers", answers(tmp_path, data), "--lang", "en"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"values", "relevant", "errors", "complete"}
    assert out["values"]["kids"] == [{"kname": "小红"}, {"kname": "小明"}]
    assert out["values"]["n"] == "2" and out["values"]["age"] == 20
    assert out["relevant"]["school"] is True and out["relevant"]["kids[1]/kname"] is True
    assert out["errors"] == {
        "age": "This answer is not valid. Please check it.",
        "school": "This question is required. Please answer it.",
    }
    assert out["complete"] is False


def test_fill__chinese_output_not_escaped(good: Path, tmp_path: Path, capsys):
    path = answers(tmp_path, {"age": 3})
    assert main(["form", "fill", str(good), "--answers", path, "--lang", "zh"]) == 0
    raw = capsys.readouterr().out
    out = json.loads(raw)
    assert out["complete"] is True and out["relevant"]["school"] is False
    assert "school" not in out["values"]
    path = answers(tmp_path, {})
    assert main(["form", "fill", str(good), "--answers", path, "--lang", "zh"]) == 0
    raw = capsys.readouterr().out
    assert "此项为必填项" in raw  # ensure_ascii=False


def test_fill_today__drives_today(tmp_path: Path, capsys):
    form = write_form(
        tmp_path / "t.xlsx",
        [["type", "name", "label", "calculation"], ["calculate", "d", None, "today()"]],
    )
    path = answers(tmp_path, {})
    assert main(["form", "fill", str(form), "--answers", path, "--today", "2026-07-01"]) == 0
    assert json.loads(capsys.readouterr().out)["values"] == {"d": "2026-07-01"}


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", None])
def test_fill_unreadable_answers__exit_1(good: Path, tmp_path: Path, capsys, content):
    path = tmp_path / "a.json"
    if content is not None:
        path.write_text(content)
    assert main(["form", "fill", str(good), "--answers", str(path)]) == 1
    assert capsys.readouterr().err.startswith("[")


def test_fill_broken_form__exit_1(tmp_path: Path, capsys):
    form = write_form(tmp_path / "broken.xlsx", BROKEN)
    assert main(["form", "fill", str(form), "--answers", answers(tmp_path, {})]) == 1
    assert "FORM_003" in capsys.readouterr().err


def test_fill_bad_repeat_shape__exit_1(good: Path, tmp_path: Path, capsys):
    path = answers(tmp_path, {"kids": "two"})
    assert main(["form", "fill", str(good), "--answers", path]) == 1
    assert "FORM_202" in capsys.readouterr().err


def test_fill_bad_today__exit_1(good: Path, tmp_path: Path):
    path = answers(tmp_path, {})
    assert main(["form", "fill", str(good), "--answers", path, "--today", "July"]) == 1


def test_fill_choice_outside_filter__error_as_for_unknown_value(tmp_path: Path, capsys):
    """A village that exists, but not in the chosen township, is an error (issue 13)."""
    form = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"
    base = {"township_code": "522422102", "village_code": "522422105201"}  # 105's village
    code = main(["form", "fill", str(form), "--answers", answers(tmp_path, base),
                 "--lang", "en"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert "522422105201" in out["errors"]["village_code"]
    assert "earlier answers allow" in out["errors"]["village_code"]
    assert out["complete"] is False
    fine = {**base, "village_code": "522422102201"}
    main(["form", "fill", str(form), "--answers", answers(tmp_path, fine), "--lang", "en"])
    assert "village_code" not in json.loads(capsys.readouterr().out)["errors"]
    unknown = {**base, "village_code": "999999999999"}
    main(["form", "fill", str(form), "--answers", answers(tmp_path, unknown), "--lang", "en"])
    assert "not one of the choices" in json.loads(capsys.readouterr().out)["errors"][
        "village_code"]
