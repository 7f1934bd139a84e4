"""The start-up flow: wizard or login, the demo workspace, then the main window.

``Startup(settings)`` offers ``default()``, ``login(path, user)`` and ``open_demo()``;
each returns the main window (not yet shown) or None when the user cancelled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QWidget

from surveyapp.errors import SurveyError
from surveyapp.ui.dialogs.login import LoginDialog
from surveyapp.ui.errordialogs import show_error
from surveyapp.ui.settings import Settings, data_dir
from surveyapp.ui.workers import run_with_progress


def demo_path() -> Path:
    return data_dir() / "demo" / "demo-county.sdb"


def demo_hint() -> str:
    from surveyapp.ops.demo import DEMO_PASSWORD, DEMO_USER

    return QCoreApplication.translate("Startup", "演示工作区：用户名 {0}，密码 {1}").format(
        DEMO_USER, DEMO_PASSWORD
    )


class Startup:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def main_window(self, ws: Any, path: Path) -> QWidget:
        from surveyapp.ui.backend import Backend
        from surveyapp.ui.mainwindow import MainWindow

        self.settings.set("last_workspace", str(path))
        self.settings.set("last_user", str(getattr(ws, "user", "")))
        return MainWindow(Backend(ws, lang=self.settings.language), self.settings)

    def login(self, path: Path, user: str = "", hint: str = "") -> QWidget | None:
        dialog = LoginDialog(path, user, hint)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.main_window(dialog.workspace, path)

    def open_demo(self, *, rebuild: bool = False, children: int = 2000) -> QWidget | None:
        from surveyapp.ops.demo import DEMO_USER, build_demo_workspace

        path = demo_path()
        if rebuild or not path.exists():
            try:
                run_with_progress(
                    None,
                    QCoreApplication.translate("Startup", "正在生成演示数据……"),
                    lambda progress, cancelled: build_demo_workspace(
                        path,
                        children=children,
                        progress=progress,
                        cancelled=cancelled,
                        overwrite=rebuild,
                    ),
                )
            except SurveyError as err:
                show_error(None, err)
                return None
        return self.login(path, DEMO_USER, demo_hint())

    def default(self) -> QWidget | None:
        last = str(self.settings.get("last_workspace"))
        if last and Path(last).exists():
            hint = demo_hint() if Path(last) == demo_path() else ""
            return self.login(Path(last), str(self.settings.get("last_user")), hint)
        from surveyapp.ui.dialogs.wizard import FirstRunWizard

        wizard = FirstRunWizard()
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return None
        if wizard.choice == "demo":
            return self.open_demo()
        if wizard.workspace is None:
            return None
        return self.main_window(wizard.workspace, Path(wizard.create_page.path.text()))
