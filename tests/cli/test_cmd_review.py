"""CLI-REV: `surveyapp review` lists and decides conflicts, duplicates and returns."""

import json

from surveyapp.cli.main import main
from surveyapp.core.store import Workspace

PW = "township-pass-1"


def _town(tmp_path):
    path = tmp_path / "town.sdb"
    ws = Workspace.create(path, role="township", org_code="522422102", org_name="测试镇",
                          user="li", password=PW, work_factor=10)
    a = ws.save_visit(None, {"child_name": "王芳", "birth_date": "2012-05-01",
                             "village_code": "522422102201", "mother_name": "赵丽"},
                      form_id="f", form_version="1")
    b = ws.save_visit(None, {"child_name": "王芳", "birth_date": "2012-05-01",
                             "village_code": "522422102202"}, form_id="f", form_version="1")
    ws.close()
    return path, a.child_id, b.child_id


def test_duplicates_then_decide__json(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    path, a, b = _town(tmp_path)
    assert main(["review", "duplicates", str(path), "--user", "li", "--json"]) == 0
    [cand] = json.loads(capsys.readouterr().out)
    assert cand["kind"] == "moved" and {cand["a"], cand["b"]} == {a, b}
    assert main(["review", "decide", str(path), a, b, "moved", "--user", "li"]) == 0
    capsys.readouterr()
    assert main(["review", "duplicates", str(path), "--user", "li", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_return_and_wrong_password__exit_codes(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    path, a, _ = _town(tmp_path)
    assert main(["review", "return", str(path), a, "请补充监护人电话", "--user", "li"]) == 0
    assert main(["review", "returned", str(path), "--user", "li", "--json"]) == 0
    out = capsys.readouterr().out
    assert "请补充监护人电话" in out
    monkeypatch.setenv("SURVEYAPP_PASSWORD", "wrong-password")
    assert main(["review", "conflicts", str(path), "--user", "li"]) == 1
    assert "密码" in capsys.readouterr().err
