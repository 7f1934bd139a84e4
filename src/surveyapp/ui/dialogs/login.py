"""The login screen: unlock a workspace with a user name and password.

A wrong password shows the store's message (in the UI language) under the password field,
and the store's growing delay as a countdown with the button disabled. ``workspace`` holds
the open workspace (``ops.workspace.open_workspace``) once the dialog is accepted.

"忘记密码……" offers the two steps a user can take without the password: write the recovery
request for the county, and set a new password from the county's reset file
(``ui.tools.password``, which needs only the workspace's path).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from surveyapp.errors import SurveyError
from surveyapp.ui.errordialogs import error_text, fit_to_message


def _delay_of(err: SurveyError) -> float:
    for key in ("delay", "wait", "wait_seconds", "retry_after", "seconds"):
        value = err.context.get(key)
        if isinstance(value, int | float) and value > 0:
            return float(value)
    return 0.0


class LoginDialog(QDialog):
    """Unlock ``path``; ``hint`` (e.g. the demo login) is shown above the fields."""

    def __init__(
        self, path: Path, user: str = "", hint: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.path = path
        self.workspace: Any = None
        self.failures = 0
        self._wait_left = 0
        self.setWindowTitle(self.tr("登录 — 农村留守儿童和困境儿童摸底排查"))
        self.setMinimumWidth(440)
        title = QLabel(self.tr("打开工作区"))
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        where = QLabel(str(path))
        where.setObjectName("workspacePath")
        where.setStyleSheet("color: #555;")
        where.setWordWrap(True)
        self.hint = QLabel(hint, self)  # with its parent: never a window of its own
        self.hint.setObjectName("loginHint")
        self.hint.setVisible(bool(hint))
        self.hint.setStyleSheet(
            "background: #fff8dc; border: 1px solid #e0c060; padding: 6px; border-radius: 4px;"
        )
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.user = QLineEdit(user)
        self.user.setObjectName("user")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.button = QPushButton(self.tr("登录"))
        self.button.setObjectName("loginButton")
        # Enter in the password field logs in (not a default button: that would fire twice).
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.on_login)
        self.user.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.on_login)
        self.forgot = QPushButton(self.tr("忘记密码……"))
        self.forgot.setObjectName("forgotPassword")
        self.forgot.setAutoDefault(False)
        self.forgot.clicked.connect(self.on_forgot)
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.user)
        form.addRow(self.tr("密码"), self.password)
        layout = QVBoxLayout(self)
        for w in (title, where, self.hint):
            layout.addWidget(w)
        layout.addLayout(form)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.forgot)
        buttons.addWidget(self.button, 1)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        (self.password if user else self.user).setFocus()

    def on_login(self) -> None:
        """Try to open the workspace; on failure say why, and wait if the store asks to."""
        from surveyapp.ops.workspace import open_workspace

        if self._wait_left > 0:
            return
        self._say(self.tr("正在解锁……"))
        self.button.setEnabled(False)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QGuiApplication.processEvents()
        try:
            self.workspace = open_workspace(
                self.path, self.user.text().strip(), self.password.text()
            )
        except SurveyError as err:
            self.failures += 1
            self.password.selectAll()
            self.password.setFocus()
            self._say(error_text(err))
            self._start_wait(_delay_of(err))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
            if self._wait_left <= 0:
                self.button.setEnabled(True)
        self._say("")
        self.accept()

    def on_forgot(self) -> None:
        """Explain the county's reset; write the request, or apply the county's reset file."""
        from surveyapp.ui.tools import password

        box = QMessageBox(self)
        box.setObjectName("forgotBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("忘记密码"))
        box.setText(self.tr(
            "密码不能找回，但县民政局可以帮您重新设置，数据不会丢失：\n\n"
            "① 生成“找回密码申请”文件（存到U盘），交给县民政局；\n"
            "② 县里给您一个重置文件，并电话告诉您一次性口令；\n"
            "③ 回到这里选“我有重置文件”，设置新密码。"))
        request = box.addButton(self.tr("① 生成找回密码申请……"),
                                QMessageBox.ButtonRole.ActionRole)
        request.setObjectName("forgotRequest")
        apply = box.addButton(self.tr("③ 我有重置文件……"), QMessageBox.ButtonRole.ActionRole)
        apply.setObjectName("forgotApply")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is request:
            user = self.user.text().strip()
            if not user:
                self._say(self.tr("请先在上面填写您的用户名，再点“忘记密码”。"))
                self.user.setFocus()
                return
            password.recovery_request_dialog(self, self.path, user)
        elif box.clickedButton() is apply:
            dialog = password.ApplyResetDialog(self.path, self)
            if dialog.exec() and dialog.user:
                self.user.setText(dialog.user)
                self.password.clear()
                self._say(self.tr("新密码已设置，请用新密码登录。"))
                self.password.setFocus()

    def _say(self, text: str) -> None:
        """Show ``text`` under the fields; the dialog grows to show all of it (word-wrapped,
        never clipped, whatever the scaling)."""
        self.message.setText(text)
        fit_to_message(self)

    def _start_wait(self, seconds: float) -> None:
        self._wait_left = int(seconds + 0.999)
        if self._wait_left > 0:
            self.button.setEnabled(False)
            self._tick_text()
            self._timer.start()

    def _tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left <= 0:
            self._timer.stop()
            self.button.setEnabled(True)
            self.button.setText(self.tr("登录"))
        else:
            self._tick_text()

    def _tick_text(self) -> None:
        self.button.setText(self.tr("请等待 {0} 秒后重试").format(self._wait_left))
