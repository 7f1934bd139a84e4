"""NAN-OLD an old workspace's answers stored as the text "NaN" (a calculate whose value was
NaN, as the code before issue #25 stored it) are read as the empty answer everywhere: the
revision as read, the child file, the list's columns, the ledger rows and its export, the
visits for the trend, a follow-up started from the last answers, and the same revisions
carried in a batch to the county. The stored bytes (and so the revision ids) are
unchanged."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from surveyapp.core import trust
from surveyapp.core.store import ChildFilter, Workspace
from surveyapp.core.store import revisions as revs
from surveyapp.errors import SurveyError
from surveyapp.ops import trust as trust_ops
from surveyapp.ops.batches import export_batch, import_batch
from surveyapp.ops.children import child_file, save_visit
from surveyapp.ops.ledger import export_ledger_file, iter_workspace_rows, iter_workspace_visits

KEY = bytes.fromhex("d4" * 32)
COUNTY, V1 = "522422", "522422102201"
# Written by the old code: the calculate `score` was NaN (``${a} + ${b}`` with a blank) and
# was stored as its XPath string; `risk_level` too (a view column).
OLD = {"child_name": "李娜", "village_code": V1, "id_number": "", "score": "NaN",
       "risk_level": "NaN", "note": "NaN", "items": [{"x": "NaN", "y": "1"}]}

def _ws(tmp_path: Path, role: str, org: str) -> Workspace:
    return Workspace.create_with_key(tmp_path / f"{role}{org}.sdb", KEY, role=role,
                                     org_code=org, org_name=org, user="u")


@pytest.fixture
def old(tmp_path: Path) -> Any:
    village = _ws(tmp_path, "village", V1)
    result = village.save_visit(None, dict(OLD), form_id="f", form_version="1")
    yield village, result
    village.close()


def test_revisions_read_nan_as_empty__bytes_unchanged(old: Any) -> None:
    village, result = old
    child = revs.get(village.conn, result.child_rev)
    visit = revs.get(village.conn, result.visit_rev)
    assert child is not None and visit is not None
    assert b'"score":"NaN"' in child.body and b'"score":"NaN"' in visit.body  # as stored
    assert hashlib.sha256(child.body).hexdigest() == child.id
    assert child.data["score"] == "" and child.data["risk_level"] == ""
    assert child.data["items"] == [{"x": "", "y": "1"}]
    assert visit.data["answers"]["score"] == "" and visit.data["answers"]["note"] == ""
    assert revs.Revision.from_body(child.body, child.id).data["score"] == ""
    assert child.data["child_name"] == "李娜"  # everything else as stored


def test_child_file_list_ledger_and_export(old: Any, tmp_path: Path) -> None:
    village, result = old
    row = child_file(village, result.child_id).row
    assert row.data["score"] == "" and row.data["note"] == ""
    assert row.risk_level == ""  # the view column an older version wrote
    [listed] = village.query_children(ChildFilter(), 0, 10)
    assert listed.risk_level == "" and listed.data["score"] == ""
    [ledger_row] = list(iter_workspace_rows(village))
    assert "NaN" not in {str(v) for v in ledger_row.values()}
    [visit] = list(iter_workspace_visits(village))
    assert visit["score"] == "" and visit["note"] == ""
    out = export_ledger_file(iter_workspace_rows(village), tmp_path / "ledger.csv",
                             county_name="县", fmt="csv")
    text = Path(out.path).read_text(encoding="utf-8-sig")
    assert "李娜" in text and "NaN" not in text
    assert list(csv.reader(text.splitlines()))  # a real CSV


def test_follow_up_starts_from_empty_not_nan(old: Any, tmp_path: Path) -> None:
    """`note` (a calculate in the old form version) is a required text question in the
    new one: a follow-up from the last answers finds it empty, so the form asks for it."""
    village, result = old
    form_path = tmp_path / "f2"
    form_path.mkdir()
    wb = Workbook()
    sh = wb.active
    sh.title = "survey"
    sh.append(["type", "name", "label", "required"])
    for name in ("child_name", "village_code", "note"):
        sh.append(["text", name, name, "yes"])
    st = wb.create_sheet("settings")
    st.append(["form_id", "version"])
    st.append(["f", "2"])
    wb.save(form_path / "f.xlsx")
    with pytest.raises(SurveyError) as err:
        save_visit(village, {}, child_id=result.child_id, form_path=form_path / "f.xlsx")
    assert err.value.code.name == "CHILD_001" and "note" in err.value.context["first"]
    save_visit(village, {"note": "好"}, child_id=result.child_id,
               form_path=form_path / "f.xlsx")
    assert child_file(village, result.child_id).row.data["note"] == "好"


def test_batch_to_county__read_as_empty_there(old: Any, tmp_path: Path) -> None:
    village, result = old
    county = _ws(tmp_path, "county", COUNTY)
    try:
        trust.init_county(county)
        req = tmp_path / "req.json"
        trust_ops.write_enroll_request(village, req)
        enrolled = trust_ops.enroll_device(county, req, tmp_path / "enr.json")
        trust_ops.accept_enrollment(village, enrolled.path)
        (tmp_path / "usb").mkdir()
        batch = export_batch(village, tmp_path / "usb").path
        assert import_batch(county, batch).inserted > 0
        child = revs.get(county.conn, result.child_rev)
        assert child is not None and b'"NaN"' in child.body  # the same signed bytes
        row = child_file(county, result.child_id).row
        assert row.data["score"] == "" and row.risk_level == ""
    finally:
        county.close()
