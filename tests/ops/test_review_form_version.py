"""A field-by-field conflict resolution computes the classification again with the form
version that saved the answers (kept in the workspace), not with the shipped form."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from surveyapp.core.store import Workspace
from surveyapp.core.trust import forms as trust_forms
from surveyapp.core.trust.authority import FormPackage
from surveyapp.ops import review

KEY = bytes.fromhex("c4" * 32)
FORM = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"
V1 = "522422102201"


def county_form(dst: Path) -> bytes:
    """The county's v2: left-behind children are those under 14 (lb_age_limit)."""
    wb = load_workbook(FORM)
    ws = wb["survey"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(r, col["name"]).value == "lb_age_limit")
    ws.cell(row, col["calculation"]).value = "14"
    wb["settings"].cell(2, 3).value = "2027.1"
    wb.save(dst)
    return dst.read_bytes()


def test_resolve_recomputes_with_the_saving_version(tmp_path: Path) -> None:
    ws = Workspace.create_with_key(tmp_path / "t.sdb", KEY, role="township", org_code=V1[:9],
                                   org_name="测试镇", user="u")
    trust_forms.keep(ws, FormPackage("child_screening", "2027.1",
                                     county_form(tmp_path / "v2.xlsx")))
    answers = {"survey_date": "2026-07-01", "township_code": V1[:9], "village_code": V1,
               "child_name": "张小明", "birth_date": "2011-03-01", "hukou_rural": "yes",
               "father_status": "away_out_province", "father_away_months": 24,
               "mother_status": "away_out_province", "mother_away_months": 24,
               "is_left_behind": "yes"}  # 15 on the survey day: left-behind under 16 only
    first = ws.save_visit(None, answers, form_id="child_screening", form_version="2027.1")
    ws.save_visit(first.child_id, {**answers, "child_name": "张晓明"},
                  form_id="child_screening", form_version="2027.1")
    ws.save_conflicting_visit(first.child_id, {**answers, "mother_name": "李芳"})
    heads = {h.data.get("mother_name", ""): h.id for h in ws.heads(first.child_id)}
    merged = review.resolve(ws, first.child_id,
                            fields={"mother_name": heads["李芳"], "child_name": heads[""]})
    data = ws.get_revision(merged).data
    assert data["child_name"] == "张晓明" and data["mother_name"] == "李芳"
    assert data["is_left_behind"] == "no"  # the county's rule: under 14
    ws.close()
