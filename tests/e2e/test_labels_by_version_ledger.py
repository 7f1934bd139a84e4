"""The 台账 after the county issued v2 (docs/forms.md "Which form labels an answer"):
one wording per column, the current form's (a choice v2 relabelled shows v2's label for
a v1 child too); a value v2 no longer knows (its removed choice ``never``) shows the
label of the version that saved the row, not the raw code. Real county workspace, the
shipped form as v1 and the county's edit of it as v2 (``test_form_versions.make_v2``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from test_form_versions import FORM, V2, make_v2, v1_answers

from surveyapp.core.store import Workspace
from surveyapp.core.trust import forms as trust_forms
from surveyapp.core.trust.authority import FormPackage
from surveyapp.ops.forms import current_form
from surveyapp.ops.ledger import export_ledger_file, iter_workspace_rows


def test_ledger_one_wording__removed_choice_from_its_version(tmp_path: Path,
                                                             printed_table: Any) -> None:
    v2 = make_v2(tmp_path / "v2.xlsx")
    book = load_workbook(v2)
    for row in book["choices"].iter_rows():
        if row[0].value == "contact_freq" and row[1].value == "weekly":
            row[2].value = "每星期"  # v2 also relabels a choice
    book.save(v2)
    ws = Workspace.create_with_key(tmp_path / "c.sdb", bytes.fromhex("e1" * 32),
                                   role="county", org_code="522422", org_name="大方县",
                                   user="县民政")
    try:
        trust_forms.record_issued(ws, FormPackage("child_screening", "2026.2",
                                                  FORM.read_bytes()))
        names = {}
        for name, freq, version in (("李小红", "never", "2026.2"), ("王小明", "weekly", "2026.2"),
                                    ("赵小兰", "never", "2099.9")):
            answers = {**v1_answers(), "child_name": name, "contact_frequency": freq,
                       "id_number": "", "has_id_number": "no"}
            saved = ws.save_visit(None, answers, form_id="child_screening",
                                  form_version=version)
            names[name] = saved.child_id
        trust_forms.record_issued(ws, FormPackage("child_screening", V2, v2.read_bytes()))
        form = current_form(ws)
        assert str(form.version) == V2
        out = tmp_path / "台账.xlsx"
        export_ledger_file(iter_workspace_rows(ws, ordered=True), out, county_name="大方县",
                           form=form, audit=ws)
    finally:
        ws.close()
    rows = {r["姓名"]: r for r in printed_table(out)[1]}
    assert rows["李小红"]["联系频率"] == "从不"  # v2 removed it: v1's label
    assert rows["王小明"]["联系频率"] == "每星期"  # v2's wording for a v1 answer too
    assert rows["赵小兰"]["联系频率"] == "never"  # a version nobody here holds: as stored
