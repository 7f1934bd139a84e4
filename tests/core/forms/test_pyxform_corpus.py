"""Real-world XLSForms: what pyxform converts, surveyapp accepts, or refuses by name.

The corpus is every workbook of pyxform's ``tests/example_xls`` and
``tests/bug_example_xls`` (``tests/fixtures/pyxform_examples``, see its README). Each is
either accepted by both, refused by both, or refused by surveyapp only with the codes of
named, documented features (docs/forms.md "What is refused"). Every accepted form is then
filled through ``surveyapp form fill`` with no answers and with a generated complete set:
rc 0 (or 1 with a coded error), never a bug.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
from pyxform.xls2xform import convert

from surveyapp.cli.main import main
from surveyapp.core.forms import FormSession, check_form, load_form
from surveyapp.core.forms.coerce import range_parameters
from surveyapp.core.forms.model import Form, Question, Repeat

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "pyxform_examples"
ACCEPTED, FEATURE, BOTH = "accepted", "refused by feature", "refused by both"

# workbook → (outcome, surveyapp's codes). FORM_021 attachments (planned), FORM_022 a
# loop over a choice list (not planned), FORM_014 a repeat in a repeat (not planned),
# FORM_025 curly quotes (ODK Validate refuses them too).
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "attribute_columns_test.xlsx": (FEATURE, {"FORM_021"}),
    "bad_calc.xlsx": (BOTH, {"FORM_009"}),  # pyxform converts, ODK Validate refuses
    "bug_ODKValidateWarnings.xlsx": (ACCEPTED, set()),
    "bug_UCL_Biomass_Plot_Form.xlsx": (FEATURE, {"FORM_014", "FORM_021", "FORM_025"}),
    "bug_bad_calc.xlsx": (BOTH, {"FORM_009"}),
    "bug_duplicate_columns.xlsx": (BOTH, {"FORM_016", "FORM_021"}),
    "bug_xl_date_ambiguous.xlsx": (ACCEPTED, set()),
    "bug_xl_date_ambiguous_v1.xlsx": (ACCEPTED, set()),
    "case_insensitivity.xlsx": (FEATURE, {"FORM_021"}),  # an osm question
    "choice_filter_test.xlsx": (ACCEPTED, set()),
    "extra_columns.xlsx": (ACCEPTED, set()),
    "extra_sheet_names.xlsx": (ACCEPTED, set()),
    "field-list.xlsx": (ACCEPTED, set()),
    "flat_xlsform_test.xlsx": (FEATURE, {"FORM_021"}),
    "group.xlsx": (ACCEPTED, set()),
    "include.xlsx": (BOTH, {"FORM_003"}),
    "include_json.xlsx": (BOTH, {"FORM_003"}),
    "loop.xlsx": (FEATURE, {"FORM_022"}),
    "or_other.xlsx": (ACCEPTED, set()),
    "pull_data.xlsx": (ACCEPTED, set()),
    "specify_other.xlsx": (ACCEPTED, set()),
    "survey_no_name.xlsx": (ACCEPTED, set()),
    "text_and_integer.xlsx": (ACCEPTED, set()),
    "xlsform_spec_test.xlsx": (FEATURE, {"FORM_021"}),
    "yes_or_no_question.xlsx": (ACCEPTED, set()),
}
# Refused by pyxform itself, or by ODK Validate (JavaRosa) that pyxform runs.
PYXFORM_REFUSES = {"bug_duplicate_columns.xlsx", "include.xlsx", "include_json.xlsx"}
VALIDATE_REFUSES = {"bad_calc.xlsx", "bug_bad_calc.xlsx"}
WORKBOOKS = sorted(p.name for p in CORPUS.glob("*.xlsx"))


def test_corpus__every_workbook_has_an_expectation(capsys: pytest.CaptureFixture[str]):
    assert WORKBOOKS == sorted(EXPECTED)
    counts = {k: sum(1 for o, _c in EXPECTED.values() if o == k) for k in (ACCEPTED, FEATURE, BOTH)}
    with capsys.disabled():
        print(f"\npyxform corpus ({len(WORKBOOKS)} workbooks): {counts}")


@pytest.mark.parametrize("name", WORKBOOKS)
def test_corpus__pyxform_and_surveyapp(name: str):
    outcome, codes = EXPECTED[name]
    path = CORPUS / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            convert(xlsform=str(path), validate=False)
            pyxform_ok = True
        except Exception:
            pyxform_ok = False
        result = check_form(path)
    assert pyxform_ok is (name not in PYXFORM_REFUSES)
    got = {e.code.name for e in result.errors}
    assert got == codes, [e.message("en") for e in result.errors]
    if outcome == BOTH:
        assert name in PYXFORM_REFUSES | VALIDATE_REFUSES
    for err in result.errors:  # every refusal is located and says what to do
        assert {"sheet", "row", "column"} <= set(err.context)
        assert "未知" not in err.message("zh") and "unknown" not in err.message("en")


@pytest.mark.interop
@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs java")
@pytest.mark.parametrize("name", sorted(VALIDATE_REFUSES))
def test_corpus__odk_validate_refuses_bad_calc(name: str, tmp_path: Path):
    copy = tmp_path / name
    shutil.copy(CORPUS / name, copy)
    with warnings.catch_warnings(), pytest.raises(Exception, match="Invalid calculate"):
        warnings.simplefilter("ignore")
        convert(xlsform=str(copy), validate=True)


def complete_answers(form: Form) -> dict[str, Any]:
    """A plausible answer for every question (a repeat gets one instance)."""

    def value(q: Question) -> Any:
        names = [c.name for c in form.choices.get(q.choices, ())]
        start, _end, _step = range_parameters(q.parameters)
        return {
            "integer": 1,
            "decimal": 1.5,
            "date": "2026-07-01",
            "time": "10:30",
            "datetime": "2026-07-01 10:30",
            "geopoint": "30.5 104.0 500 5",
            "geotrace": "30.5 104.0;30.6 104.1",
            "geoshape": "30.5 104.0;30.6 104.1;30.7 104.0;30.5 104.0",
            "range": start,
            "select_one": names[0] if names else "",
            "select_multiple": names[0] if names else "",
            "rank": " ".join(names),
            "acknowledge": "OK",
        }.get(q.type, "abc")

    out: dict[str, Any] = {}
    for node in form.children:
        if isinstance(node, Repeat):
            out[node.name] = [{q.name: value(q) for q in _questions(node.children) if q.has_answer}]
    for q in form.questions():
        if q.has_answer and not q.repeat:
            out[q.name] = value(q)
    return out


def _questions(nodes: tuple[Any, ...]) -> list[Question]:
    found: list[Question] = []
    for node in nodes:
        if isinstance(node, Question):
            found.append(node)
        else:
            found.extend(_questions(node.children))
    return found


@pytest.mark.parametrize("name", [n for n in WORKBOOKS if EXPECTED[n][0] == ACCEPTED])
def test_corpus__form_fill_empty_and_complete(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = CORPUS / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        form = load_form(path)
        complete = complete_answers(form)
        for answers in ({}, complete):
            file = tmp_path / "answers.json"
            file.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
            code = main(["form", "fill", str(path), "--answers", str(file), "--lang", "en"])
            out = capsys.readouterr()
            assert code in (0, 1), out.err
            if code == 0:
                result = json.loads(out.out)
                assert set(result) == {"values", "relevant", "errors", "complete"}
    session = FormSession(form, complete)
    assert session.submission() is not None
