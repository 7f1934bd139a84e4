""""忘记密码" on the login screen: the user who cannot log in writes the recovery request,
and sets a new password from the county's reset file, then logs in with it (real key files,
a real county recovery key; only the OS folder picker is patched)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QPushButton

OLD, NEW = "correct horse 42", "battery staple 77"


class Responder:
    """Answers the modal windows in turn: the forgot box by the named button, the reset
    dialog by typing, every other message box by Enter."""

    def __init__(self, choice: str, reset: tuple[str, str] | None = None) -> None:
        self.choice, self.reset = choice, reset
        self.texts: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(15)
        self.timer.timeout.connect(self.poll)

    def poll(self) -> None:
        w = QApplication.activeModalWidget()
        if w is None or not w.isVisible():
            return
        if w.objectName() == "forgotBox":
            self.texts.append(w.text())  # type: ignore[attr-defined]
            w.findChild(QPushButton, self.choice).click()
        elif isinstance(w, QMessageBox):
            self.texts.append(w.text())
            QTest.keyClick(w, Qt.Key.Key_Return)
        elif isinstance(w, QDialog) and w.objectName() == "applyResetDialog" and self.reset:
            path, phrase = self.reset
            self.reset = None
            w.reset_path.setText(path)  # type: ignore[attr-defined]
            for field, text in ((w.passphrase, phrase), (w.new, NEW),  # type: ignore[attr-defined]
                                (w.again, NEW)):  # type: ignore[attr-defined]
                field.setText(text)
            # Later, not inside this timer's slot: the dialog's work runs its own event loop,
            # and this timer would not fire again until the slot returned.
            again = w.again  # type: ignore[attr-defined]
            QTimer.singleShot(0, lambda: QTest.keyClick(again, Qt.Key.Key_Return))


def _run(login: Any, responder: Responder) -> None:
    responder.timer.start()
    try:
        login.on_forgot()
    finally:
        responder.timer.stop()


def test_forgot_password__request_then_reset_file__logs_in_with_the_new_password(
        app: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from surveyapp.core import trust
    from surveyapp.core.store import Workspace
    from surveyapp.ops.workspace import recovery_issue
    from surveyapp.ui.dialogs.login import LoginDialog

    county = Workspace.create_with_key(tmp_path / "county.sdb", bytes(32), role="county",
                                       org_code="522422", org_name="测试县", user="c")
    keys = trust.init_county(county)
    path = tmp_path / "village.sdb"
    Workspace.create(path, role="village", org_code="522422102201", org_name="箐口村",
                     user="wangfang", password=OLD, recovery_recipient=keys.recovery_recipient,
                     work_factor=10).close()
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(usb)))
    login = LoginDialog(path, "wangfang")
    qtbot.addWidget(login)
    login.show()

    first = Responder("forgotRequest")
    _run(login, first)
    [request] = list(usb.iterdir())
    assert "县民政局" in first.texts[0] and request.name in first.texts[1]

    issued = recovery_issue(request, trust.authority.recovery_identity(county),
                            tmp_path / "reset.json")
    county.close()
    second = Responder("forgotApply", (str(issued.path), issued.passphrase))
    _run(login, second)
    assert "wangfang" in second.texts[-1] and "新密码" in login.message.text()
    assert login.user.text() == "wangfang"
    qtbot.keyClicks(login.password, NEW)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    assert login.result() == LoginDialog.DialogCode.Accepted
    login.workspace.close()


def test_forgot_password__no_user_name__asks_for_it_and_writes_nothing(
        app: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from surveyapp.ui.dialogs.login import LoginDialog

    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(usb)))
    login = LoginDialog(tmp_path / "x.sdb", "")
    qtbot.addWidget(login)
    _run(login, Responder("forgotRequest"))
    assert "用户名" in login.message.text() and list(usb.iterdir()) == []
