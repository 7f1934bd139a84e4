"""The desktop app and form versions (issue 23): the app fills the form the county sent;
a draft begun under v1 and opened after v2 arrived says the form changed; a follow-up
shows the carried answers v2 refuses, with their old values, and saves the answers v2
no longer asks apart; the child file lists them as earlier answers with their version;
the ageing-out box lists a child about to turn 18."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from uihelpers import FORM, submit

from surveyapp.core.trust import forms as trust_forms
from surveyapp.core.trust.authority import FormPackage
from surveyapp.ui.backend import Backend
from surveyapp.ui.formview.view import FormView
from surveyapp.ui.mainwindow import MainWindow
from surveyapp.ui.settings import Settings

V2 = "2027.1"


def make_v2(dst: Path) -> Path:
    """v2: carer_name renamed guardian_name (previous_name), father_phone removed,
    carer_relation needs 3 characters or more."""
    wb = load_workbook(FORM)
    ws = wb["survey"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    prev = ws.max_column + 1
    ws.cell(1, prev).value = "previous_name"

    def row_of(name: str) -> int:
        return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["name"]).value == name)

    r = row_of("carer_name")
    ws.cell(r, col["name"]).value = "guardian_name"
    ws.cell(r, col["default"]).value = "${last-saved#guardian_name}"
    ws.cell(r, prev).value = "carer_name"
    r = row_of("carer_relation")
    ws.cell(r, col["constraint"]).value = "string-length(.) >= 3"
    ws.delete_rows(row_of("father_phone"))
    wb["settings"].cell(2, 3).value = V2
    wb.save(dst)
    return dst


def send_v2(workspace: Any, tmp_path: Path) -> None:
    """What ``trust apply`` stores when the update carries v2."""
    data = make_v2(tmp_path / "v2.xlsx").read_bytes()
    trust_forms.keep(workspace, FormPackage("child_screening", V2, data))


def test_app_uses_the_form_the_county_sent(app: Any, workspace: Any, tmp_path: Path) -> None:
    assert str(Backend(workspace).form.version) == "2026.2"  # the shipped form
    send_v2(workspace, tmp_path)
    backend = Backend(workspace)
    assert backend.form_label == f"child_screening@{V2}"
    assert "guardian_name" in backend.form.nodes and "father_phone" not in backend.form.nodes


def test_draft_begun_under_v1__told_the_form_changed(qtbot: Any, backend: Any, workspace: Any,
                                                      tmp_path: Path) -> None:
    first = FormView(backend, None, draft_key="form:old")
    qtbot.addWidget(first)
    first.set_answer("child_name", "王小二")
    first.save_draft()
    assert backend.load_draft("form:old")["form"] == "child_screening@2026.2"
    send_v2(workspace, tmp_path)
    again = FormView(Backend(workspace), None, draft_key="form:old")
    qtbot.addWidget(again)
    assert again.notice.isVisibleTo(again)
    assert f"child_screening@2026.2 → child_screening@{V2}" in again.notice.text()
    assert again.session.value("child_name") == "王小二"
    same = FormView(Backend(workspace), None, draft_key="form:new")
    qtbot.addWidget(same)
    assert not same.notice.isVisibleTo(same)


def test_follow_up_in_the_app__loses_nothing(qtbot: Any, backend: Any, workspace: Any,
                                              tmp_path: Path) -> None:
    record = submit(backend, carer_name="张建国", carer_relation="父亲",
                    father_phone="13812345678")
    send_v2(workspace, tmp_path)
    v2 = Backend(workspace)
    window = MainWindow(v2, Settings.load())
    qtbot.addWidget(window)
    form = window.open_visit(record)
    assert form.session.value("guardian_name") == "张建国"  # renamed: carried
    notice = form.notice.text()
    assert form.notice.isVisibleTo(form)
    assert f"child_screening@2026.2 → child_screening@{V2}" in notice
    assert "父亲" in notice  # the refused answer with its old value
    form.set_answer("carer_relation", "亲生父亲")
    form.set_answer("survey_date", "2026-10-01")
    for name, value in (("consent", "yes"), ("risk_signs", "none"),
                        ("residence_type", "rural"), ("hukou_rural", "yes"),
                        ("health_status", "healthy"), ("surveyor_name", "王芳"),
                        ("father_status", "at_home"), ("mother_status", "at_home"),
                        ("carer_health", "good")):
        if not form.session.value(name):
            form.set_answer(name, value)
    assert form.finalize() == record, form.session.errors("zh")
    head = workspace.heads(record)[0]
    assert head.form_version == V2
    assert head.data["guardian_name"] == "张建国"
    assert head.data["previous_answers"]["father_phone"] == {
        "value": "13812345678", "form_id": "child_screening", "form_version": "2026.2"}
    view = window.open_child(record)
    earlier = view.answers_view.toPlainText()
    assert "早前版本的答案" in earlier
    assert "father_phone" in earlier and "13812345678" in earlier
    assert "child_screening@2026.2" in earlier


def test_ageing_out_box__beside_the_lists(qtbot: Any, backend: Any) -> None:
    today = dt.date.today()
    born = dt.date(today.year - 18, today.month, 1) + dt.timedelta(days=40)  # 18 within 40 days
    record = submit(backend, child_name="赵大姐", birth_date=born.isoformat(),
                    id_number="", has_id_number="no", no_id_reason="other")
    submit(backend, child_name="钱小弟")  # 10 years old: not listed
    window = MainWindow(backend, Settings.load())
    qtbot.addWidget(window)
    box = window.list_page.ageing
    assert box is not None
    assert "1" in box.title.text()
    item = box.list.item(0)
    assert "赵大姐" in item.text() and "18" in item.text()
    with qtbot.waitSignal(box.child_activated) as got:
        box.list.itemActivated.emit(item)
    assert got.args == [record]


def test_list_shows_categories_as_of_today(qtbot: Any, backend: Any) -> None:
    """Visited at 15 with both parents away (left-behind then); 16 today: not any more."""
    today = dt.date.today()
    born = dt.date(today.year - 16, today.month, 1) - dt.timedelta(days=10)
    away = {"father_status": "away_out_province", "father_away_months": 24,
            "mother_status": "away_out_province", "mother_away_months": 24,
            "carer_type": "grandparent", "carer_name": "张奶奶"}
    record = submit(backend, birth_date=born.isoformat(), id_number="", has_id_number="no",
                    no_id_reason="other", **away)
    assert backend.child_row(record).is_left_behind == "yes"  # as the visit said
    window = MainWindow(backend, Settings.load())
    qtbot.addWidget(window)
    model = window.list_page.model
    row = model.row_at(0)
    assert row["age_years"] == "16" and row["is_left_behind"] == "no"
    assert model.index(0, model.COLUMNS.index("category")).data() == "一般"
    view = window.open_child(record)
    assert "年龄：16" in view.header.text()
    page = window.list_page
    page.category.setCurrentIndex(page.category.findData("left_behind"))
    assert page.model.rowCount() == 0  # 16 today: no longer in the left-behind list
    page.category.setCurrentIndex(page.category.findData(""))
    assert page.model.rowCount() == 1
