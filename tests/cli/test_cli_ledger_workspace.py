"""The ledger, department list and statistics read a real encrypted workspace."""

import openpyxl
import pytest

from surveyapp.cli.main import main
from surveyapp.core.ledger.sample import sample_rows
from surveyapp.core.store import Workspace
from surveyapp.ops.ledger import iter_workspace_rows, workspace_stats

PW = "county-pass-2026"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    path = tmp_path / "county.sdb"
    rows = list(sample_rows(40, seed=21))
    with Workspace.create(path, role="county", org_code="522422", org_name="大方县",
                          user="wang", password=PW, work_factor=10) as ws:
        ids = []
        for row in rows:
            values = {k: v for k, v in row.items()
                      if k not in ("record_id", "status", "follow_up_due", "last_visit_date")}
            ids.append(ws.save_visit(None, values, form_id="child_screening",
                                     form_version="2026.1").child_id)
        ws.record_exit(ids[0], reason="moved_away", date="2026-10-01")
        ws.delete_child(ids[1], reason="duplicate")
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    return path, rows


def test_workspace_rows__answers_and_view_merged_deleted_left_out(workspace):
    path, rows = workspace
    with Workspace.open(path, "wang", PW) as ws:
        got = list(iter_workspace_rows(ws))
        stats = workspace_stats(ws)
    assert len(got) == len(rows) - 1
    by_name = {r["child_name"]: r for r in got}
    assert by_name[rows[0]["child_name"]]["status"] == "exited"
    sample = by_name[rows[5]["child_name"]]
    assert sample["father_status"] == rows[5]["father_status"]
    assert sample["record_id"] and sample["follow_up_due"]
    assert stats.children + stats.exited == len(rows) - 1
    assert stats.table("trend_by_round").column_total("screened") == len(rows)


def test_cli_ledger_from_workspace__role_and_county_from_workspace(workspace, tmp_path,
                                                                   printed_table):
    path, rows = workspace
    out = tmp_path / "ledger.xlsx"
    assert main(["ledger", "export", "--workspace", str(path), "--user", "wang",
                 "--status", "active", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["汇总"]
    assert ws.cell(1, 1).value.startswith("大方县")
    assert len(printed_table(out)[1]) == len(rows) - 2
    police = tmp_path / "police.xlsx"
    assert main(["export", "department", "--preset", "police", "--workspace", str(path),
                 "--user", "wang", "--reveal", str(police)]) == 0


def test_cli_workspace_without_user__exit_1(workspace, tmp_path, capsys):
    path, _ = workspace
    code = main(["stats", "--workspace", str(path)])
    assert code == 1
    assert "LEDGER_010" in capsys.readouterr().err
