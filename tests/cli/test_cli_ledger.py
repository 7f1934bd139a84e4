"""``surveyapp ledger export``, ``stats`` and ``export department`` from a rows file."""

import json

import openpyxl
import pytest

from surveyapp.cli.main import main
from surveyapp.core.ledger.sample import sample_rows


@pytest.fixture
def rows_file(tmp_path):
    path = tmp_path / "rows.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for row in sample_rows(120, seed=2):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def test_cli_ledger_export__xlsx_written(rows_file, tmp_path, capsys, printed_table):
    out = tmp_path / "ledger.xlsx"
    code = main(["ledger", "export", "--rows", str(rows_file), "--county", "大方县",
                 "--risk", "high", "--json", str(out)])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    _, table = printed_table(out)
    assert len(table) == result["rows"] > 0
    assert {t["风险等级"] for t in table} == {"高"}


def test_cli_department_password__encrypted(rows_file, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SURVEYAPP_EXPORT_PASSWORD", "county-2026")
    out = tmp_path / "edu.xlsx"
    code = main(["export", "department", "--preset", "education", "--rows", str(rows_file),
                 "--password", "--json", str(out)])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["encrypted"] is True
    assert not out.read_bytes().startswith(b"PK")


def test_cli_department_reveal_as_village__exit_1(rows_file, tmp_path, capsys):
    out = tmp_path / "police.xlsx"
    code = main(["--lang", "en", "export", "department", "--preset", "police", "--rows",
                 str(rows_file), "--reveal", str(out)])
    assert code == 1
    assert "LEDGER_003" in capsys.readouterr().err
    assert not out.exists()


def test_cli_stats__json_tables_and_xlsx(rows_file, tmp_path, capsys):
    out = tmp_path / "stats.xlsx"
    code = main(["stats", "--rows", str(rows_file), "--xlsx", str(out), "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["children"] + data["exited"] == 120
    assert "gaps_by_township" in data["tables"]
    assert "排查趋势" in openpyxl.load_workbook(out).sheetnames


def test_cli_ledger_export__township_and_village_scope_one_sheet(rows_file, tmp_path, capsys,
                                                                 printed_table):
    rows = [json.loads(line) for line in rows_file.read_text(encoding="utf-8").splitlines()]
    first = rows[0]
    for flag, key in (("--township", "township_code"), ("--village", "village_code")):
        out = tmp_path / f"{key}.xlsx"
        assert main(["ledger", "export", "--rows", str(rows_file), "--county", "大方县",
                     flag, first[key], "--json", str(out)]) == 0
        result = json.loads(capsys.readouterr().out)
        assert openpyxl.load_workbook(out).sheetnames == ["汇总", first["township_name"]]
        _, table = printed_table(out)
        assert len(table) == result["rows"] == sum(r[key] == first[key] for r in rows)
