"""CLI-CHILD: `surveyapp children list|show|visit|exit` on a real workspace and the real form."""

import json

from surveyapp.cli.main import main
from surveyapp.core.ids import make_resident_id
from surveyapp.core.store import Workspace

PW = "village-pass-1"
V1 = "522422102201"


def _answers(**more):
    import datetime as dt

    d = {"survey_date": "2026-07-01", "township_code": V1[:9], "village_code": V1,
         "residence_type": "rural", "surveyor_name": "王芳", "child_name": "张小明",
         "has_id_number": "yes", "id_number": make_resident_id("522422", dt.date(2016, 3, 15), 1),
         "sex": "male", "birth_date": "2016-03-15", "hukou_rural": "yes",
         "health_status": "healthy", "father_status": "away_out_province",
         "father_away_months": 12, "mother_status": "away_out_province",
         "mother_away_months": 12, "carer_type": "grandparent", "carer_health": "good",
         "risk_signs": "none", "consent": "yes"}
    d.update(more)
    return d


def _ws(tmp_path):
    path = tmp_path / "v.sdb"
    Workspace.create(path, role="village", org_code=V1, org_name="测试村", user="wang",
                     password=PW, work_factor=10).close()
    return path


def test_visit_list_show_exit(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    ws = _ws(tmp_path)
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(_answers(), ensure_ascii=False), encoding="utf-8")
    assert main(["children", "visit", str(ws), "--user", "wang", "--answers", str(answers),
                 "--json"]) == 0
    record = json.loads(capsys.readouterr().out)["record_id"]
    assert main(["children", "list", str(ws), "--user", "wang", "--search", "zxm",
                 "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["record_id"] == record and row["category_label"] == "留守儿童"
    # A follow-up starts from the last answers: only the change is in the file.
    answers.write_text(json.dumps({"survey_date": "2026-10-01", "mother_status": "at_home"}),
                       encoding="utf-8")
    assert main(["children", "visit", str(ws), "--user", "wang", "--answers", str(answers),
                 "--child", record]) == 0
    capsys.readouterr()
    assert main(["children", "show", str(ws), record, "--user", "wang", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["answers"]["mother_status"] == "at_home"
    assert shown["answers"]["child_name"] == "张小明"
    assert len(shown["history"]) == 2
    assert main(["children", "exit", str(ws), record, "--reason", "parents_returned",
                 "--user", "wang"]) == 0
    capsys.readouterr()
    assert main(["children", "list", str(ws), "--user", "wang", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["children", "list", str(ws), "--user", "wang", "--exited", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_visit_with_errors__nothing_saved(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    ws = _ws(tmp_path)
    answers = tmp_path / "a.json"
    bad = _answers(id_number="522422201603150012")  # wrong check digit
    answers.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert main(["children", "visit", str(ws), "--user", "wang", "--answers", str(answers)]) == 1
    err = capsys.readouterr().err
    assert "CHILD_001" in err and "id_number" in err
    answers.write_text("[1, 2]", encoding="utf-8")
    assert main(["children", "visit", str(ws), "--user", "wang", "--answers", str(answers)]) == 1
    assert "CHILD_002" in capsys.readouterr().err
    assert main(["children", "list", str(ws), "--user", "wang", "--exited", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_visit_same_id__refused_until_new_anyway_then_linked(tmp_path, monkeypatch, capsys):
    """Issue 13: a second file for an ID number on file is caught at the door (CHILD_003,
    exit 1, nothing saved); once a reviewer links the two, `children show` says so."""
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    ws = _ws(tmp_path)
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(_answers(), ensure_ascii=False), encoding="utf-8")
    args = ["children", "visit", str(ws), "--user", "wang", "--answers", str(answers)]
    assert main([*args, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)["record_id"]
    answers.write_text(json.dumps(_answers(child_name="张晓明"), ensure_ascii=False),
                       encoding="utf-8")
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "CHILD_003" in err and first in err and "--child" in err
    with Workspace.open(ws, "wang", PW) as opened:
        assert opened.count_children(None) == 1  # nothing saved
    assert main([*args, "--new-anyway", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)["record_id"]
    with Workspace.open(ws, "wang", PW) as opened:
        from surveyapp.ops import review

        review.decide_duplicate(opened, first, second, "link", survivor=first)
    assert main(["children", "show", str(ws), second, "--user", "wang", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["person_id"] == first and shown["absorbed_by"]["decision"] == "link"
    assert main(["children", "list", str(ws), "--user", "wang", "--json"]) == 0
    assert [r["record_id"] for r in json.loads(capsys.readouterr().out)] == [first]
