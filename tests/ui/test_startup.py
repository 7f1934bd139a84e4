"""Start-up flows: the first-run wizard creates a workspace, the login screen opens it,
and a wrong password gives a plain message (issue 4: "first run, then login", "a wrong
password")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from uihelpers import PASSWORD, type_text

from surveyapp.ui.dialogs.login import LoginDialog
from surveyapp.ui.dialogs.wizard import PAGE_CREATE, FirstRunWizard


def create_by_wizard(qtbot: Any, path: Path) -> Any:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentId() == PAGE_CREATE
    page = wizard.create_page
    for widget, text in (
        (page.org_code, "522422102201"),
        (page.org_name, "箐口村"),
        (page.user, "wangfang"),
        (page.password, PASSWORD),
        (page.password2, PASSWORD),
    ):
        widget.clear()
        type_text(qtbot, widget, text)
    page.path.setText(str(path))
    assert page.validatePage(), page.message.text()
    return page.workspace


def test_bad_org_code__wizard_refuses(app: Any, qtbot: Any, tmp_path: Path) -> None:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.next()
    page = wizard.create_page
    qtbot.keyClicks(page.org_code, "522422102")  # a township code for a village role
    page.path.setText(str(tmp_path / "x.sdb"))
    assert not page.validatePage()
    assert "12" in page.message.text()
    assert not (tmp_path / "x.sdb").exists()


def test_first_run_then_login__main_window(app: Any, qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "ws.sdb"
    ws = create_by_wizard(qtbot, path)
    assert ws.org_code == "522422102201"
    ws.close()
    dialog = LoginDialog(path, "wangfang")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    from surveyapp.ui.settings import Settings
    from surveyapp.ui.startup import Startup

    window = Startup(Settings.load()).main_window(dialog.workspace, path)
    qtbot.addWidget(window)
    window.show()
    assert window.list_page.model.rowCount() == 0
    assert Settings.load().get("last_workspace") == str(path)
    window.close()


def test_wrong_password__plain_message(app: Any, qtbot: Any, workspace: Any) -> None:
    path = Path(workspace.path) if hasattr(workspace, "path") else None
    workspace.close()
    assert path is not None
    dialog = LoginDialog(path, "wangfang")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.password, "not the password")
    dialog.on_login()
    assert dialog.workspace is None
    assert dialog.failures == 1
    text = dialog.message.text()
    assert "密码" in text
    assert "Traceback" not in text
    assert dialog.result() != LoginDialog.DialogCode.Accepted
