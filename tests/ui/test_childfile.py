"""The child file and the urgent list (issue 4: "an urgent case appearing in the urgent list",
"a follow-up visit and an exit")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import submit

from surveyapp.ui.mainwindow import MainWindow
from surveyapp.ui.settings import Settings
from surveyapp.ui.widgets.childfile import ChildFileView, ExitDialog


def main_window(qtbot: Any, backend: Any) -> MainWindow:
    window = MainWindow(backend, Settings.load())
    qtbot.addWidget(window)
    window.show()
    return window


def test_urgent_case__in_urgent_list_with_reasons(qtbot: Any, backend: Any) -> None:
    submit(backend)
    record_id = submit(backend, child_name="李小花", sex="female", risk_signs="abuse")
    window = main_window(qtbot, backend)
    urgent = window.list_page.urgent
    assert urgent.model.rowCount() == 1
    assert urgent.model.record_id(0) == record_id
    assert "1" in urgent.title.text()
    assert window.list_page.model.rowCount() == 2
    view = window.open_child(record_id)
    assert isinstance(view, ChildFileView)
    assert view.banner.isVisibleTo(view)
    assert "公安" in view.banner.text()
    assert "遭受虐待" in view.why.text()  # the answer that made urgent_report 'yes'


def test_follow_up_visit__prefilled_then_saved(qtbot: Any, backend: Any) -> None:
    record_id = submit(backend)
    window = main_window(qtbot, backend)
    form = window.open_visit(record_id)
    assert form.session.value("child_name") == "张小明"  # ${last-saved#…} defaults
    assert form.rows["child_name"].value() == "张小明"
    form.set_answer("survey_date", "2026-07-01")
    form.set_answer("risk_signs", "none")
    form.set_answer("consent", "yes")
    for name in ("residence_type", "hukou_rural", "health_status", "carer_type"):
        if not form.session.value(name):
            form.set_answer(
                name,
                {
                    "residence_type": "rural",
                    "hukou_rural": "yes",
                    "health_status": "healthy",
                    "carer_type": "parent",
                }[name],
            )
    for name in ("father_status", "mother_status", "carer_health"):
        if not form.session.value(name):
            form.set_answer(name, "at_home" if name != "carer_health" else "good")
    with qtbot.waitSignal(form.saved, timeout=5000):
        assert form.finalize() == record_id, form.session.errors("zh")
    assert window.list_page.model.rowCount() == 1
    view = window.open_child(record_id)
    assert view.history.count() >= 2  # the screening and the follow-up


def test_exit__recorded_and_hidden_from_active_list(qtbot: Any, backend: Any) -> None:
    record_id = submit(backend)
    window = main_window(qtbot, backend)
    view = window.open_child(record_id)

    def answer_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExitDialog)
        dialog.reason.setCurrentIndex(dialog.reason.findData("moved_away"))
        dialog.accept()

    QTimer.singleShot(0, answer_dialog)
    view.on_exit()
    assert not view.exit_button.isEnabled()
    assert window.list_page.model.rowCount() == 0
    window.list_page.exited.setChecked(True)
    assert window.list_page.model.rowCount() == 1


def test_dossier_pdf__written(qtbot: Any, backend: Any, tmp_path: Any) -> None:
    record_id = submit(backend, risk_signs="abuse")
    view = ChildFileView(backend, record_id)
    qtbot.addWidget(view)
    target = tmp_path / "张小明.pdf"
    view.save_pdf(str(target))
    assert target.read_bytes()[:5] == b"%PDF-"
    assert not list(tmp_path.glob("*.tmp"))
