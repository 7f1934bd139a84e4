"""Take the UI screenshots: ``.venv/bin/python docs/screenshots/take_screenshots.py [en]``.

Builds (once) the demo workspace in a temporary SURVEYAPP_HOME, then grabs every main
screen at 1366×768 with ``QWidget.grab()`` (offscreen; the same pixels as under Xvfb):
wizard (and its enrollment steps), login (and its "忘记密码" box),
list with the urgent panel, form, child file, dashboard and the English UI.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))
HOME = Path(tempfile.gettempdir()) / "surveyapp-screenshots"
os.environ["SURVEYAPP_HOME"] = str(HOME)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
SIZE = (1366, 768)


def shot(widget, name: str, size: tuple[int, int] | None = SIZE) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    if size:
        widget.resize(*size)
    widget.show()
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(HERE / f"ui-{name}.png"))
    print("saved", name)


def shot_next_box(name: str) -> None:
    """Grab the next modal message box as ``ui-<name>.png``, then close it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, poll)
            return
        QTimer.singleShot(200, lambda: (box.grab().save(str(HERE / f"ui-{name}.png")),
                                        print("saved", name), box.reject()))

    QTimer.singleShot(50, poll)


def main(lang: str = "zh_CN") -> int:
    os.environ["SURVEYAPP_LANG"] = lang
    from surveyapp.ui.app import make_app

    app, settings = make_app()
    from surveyapp.core.store import Workspace
    from surveyapp.ops.demo import DEMO_PASSWORD, DEMO_USER, build_demo_workspace
    from surveyapp.ui.backend import Backend
    from surveyapp.ui.dialogs.login import LoginDialog
    from surveyapp.ui.dialogs.wizard import FirstRunWizard
    from surveyapp.ui.mainwindow import MainWindow
    from surveyapp.ui.models.children import ChildFilter
    from surveyapp.ui.startup import demo_hint, demo_path

    path = demo_path()
    if not path.exists():
        build_demo_workspace(path)
    suffix = "" if lang == "zh_CN" else "_en"
    if lang == "zh_CN":
        wizard = FirstRunWizard()
        shot(wizard, "wizard", (640, 480))
        wizard.next()
        shot(wizard, "wizard_create", (640, 480))
        enroll = FirstRunWizard()
        enroll.choice_page.enroll.setChecked(True)
        enroll.next()
        shot(enroll, "wizard_enroll", (640, 480))
        login = LoginDialog(path, DEMO_USER, demo_hint())
        shot(login, "login", (480, 300))
        shot_next_box("login-forgot")
        login.on_forgot()
    ws = Workspace.open(path, DEMO_USER, DEMO_PASSWORD)
    backend = Backend(ws, lang=lang)
    window = MainWindow(backend, settings)
    shot(window, f"list{suffix}")
    urgent = backend.fetch(ChildFilter(urgent=True), 0, 1)
    if urgent:
        from surveyapp.ui.models.children import field_of

        window.open_child(str(field_of(urgent[0], "record_id")))
        shot(window, f"child_file_urgent{suffix}")
    if lang == "zh_CN":
        window.tabs.setCurrentWidget(window.list_page)
        window.list_page.search.setText("zh")
        window.list_page.apply_filter()
        shot(window, "list_search")
        window.list_page.search.setText("")
        form = window.new_child()
        for name, value in (
            ("survey_date", "2026-07-01"),
            ("township_code", "522422102"),
            ("village_code", "522422102201"),
            ("residence_type", "rural"),
            ("surveyor_name", "王芳"),
            ("child_name", "张"),
            ("has_id_number", "yes"),
        ):
            form.set_answer(name, value)
        form.set_answer("birth_date", "2015-01-01")
        form.focus_path("id_number")
        form.rows["id_number"].line.setText("522422201603150118")
        form.set_answer("id_number", "522422201603150118")
        shot(window, "form")
        form.finalize()
        shot(window, "form_errors")
        if window.show_dashboard() is not None:
            shot(window, "dashboard")
    window.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "zh_CN"))
