"""Passwords through the dialogs: real key files (Workspace.create, cheap KDF) and a real
county recovery key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from toolworld import COUNTY, V1, boxes, make_ws, pick

OLD, NEW = "correct horse 42", "battery staple 77"


def _village(tmp_path: Path, recovery: str | None = None) -> Any:
    from surveyapp.core.store import Workspace

    return Workspace.create(tmp_path / "village.sdb", role="village", org_code=V1,
                            org_name="箐口村", user="wangfang", password=OLD,
                            recovery_recipient=recovery, work_factor=10)


def _shown(qtbot: Any, dialog: Any) -> Any:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _fill(qtbot: Any, fields: list[Any], texts: list[str]) -> None:
    fields[0].setFocus()
    for field, text in zip(fields, texts, strict=True):
        assert field.hasFocus()
        qtbot.keyClicks(field, text)
        qtbot.keyClick(field, Qt.Key.Key_Tab)


def test_change_password__typed_by_keyboard__the_new_one_opens_the_workspace(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.core.store import Workspace
    from surveyapp.ui.tools.password import ChangePasswordDialog

    ws = _village(tmp_path)
    dialog = _shown(qtbot, ChangePasswordDialog(ws))
    _fill(qtbot, [dialog.old, dialog.new, dialog.again], [OLD, NEW, NEW])
    with boxes() as seen:
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.changed and "wangfang" in seen.text
    ws.close()
    Workspace.open(tmp_path / "village.sdb", "wangfang", NEW).close()


def test_change_password__wrong_current_password__message_and_the_dialog_stays(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ui.tools.password import ChangePasswordDialog

    ws = _village(tmp_path)
    dialog = _shown(qtbot, ChangePasswordDialog(ws))
    _fill(qtbot, [dialog.old, dialog.new, dialog.again], ["wrong password", NEW, NEW])
    with boxes() as seen:
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert seen.texts and "Traceback" not in seen.text
    assert not dialog.changed and dialog.isVisible()
    ws.close()


def test_change_password__repeat_differs__says_so_without_running(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ui.tools.password import ChangePasswordDialog

    ws = _village(tmp_path)
    dialog = _shown(qtbot, ChangePasswordDialog(ws))
    _fill(qtbot, [dialog.old, dialog.new, dialog.again], [OLD, NEW, NEW + "x"])
    with boxes() as seen:
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert seen.texts == [] and "不一致" in dialog.problem.text() and dialog.isVisible()
    ws.close()


def test_recovery__request_issue_apply__the_user_opens_with_the_new_password(
        app: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from surveyapp.core import trust
    from surveyapp.core.store import Workspace
    from surveyapp.ui.tools.password import (
        ApplyResetDialog,
        recovery_issue_dialog,
        recovery_request_dialog,
    )

    county = make_ws(tmp_path, "county", COUNTY, "测试县")
    keys = trust.init_county(county)
    ws = _village(tmp_path, keys.recovery_recipient)
    path = ws.path
    ws.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    pick(monkeypatch, folder=usb)
    with boxes() as seen:
        request = recovery_request_dialog(None, path, "wangfang")
    assert request is not None and request.exists() and request.name in seen.text
    with boxes() as seen:
        issued = recovery_issue_dialog(None, county, request=request)
    assert issued is not None and seen.passphrases == [issued.passphrase]
    dialog = _shown(qtbot, ApplyResetDialog(path))
    dialog.reset_path.setText(str(issued.path))
    _fill(qtbot, [dialog.passphrase, dialog.new, dialog.again],
          [issued.passphrase, NEW, NEW])
    with boxes() as seen:
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.user == "wangfang", seen.texts
    Workspace.open(path, "wangfang", NEW).close()


def test_recovery_apply__wrong_passphrase__message_and_old_password_still_works(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.core import trust
    from surveyapp.core.store import Workspace
    from surveyapp.ops.workspace import recovery_issue, recovery_request
    from surveyapp.ui.tools.password import ApplyResetDialog

    county = make_ws(tmp_path, "county", COUNTY, "测试县")
    keys = trust.init_county(county)
    ws = _village(tmp_path, keys.recovery_recipient)
    path = ws.path
    ws.close()
    request = recovery_request(path, "wangfang", tmp_path / "req.json")
    issued = recovery_issue(request, trust.authority.recovery_identity(county),
                            tmp_path / "reset.json")
    dialog = _shown(qtbot, ApplyResetDialog(path))
    dialog.reset_path.setText(str(issued.path))
    _fill(qtbot, [dialog.passphrase, dialog.new, dialog.again], ["not-it", NEW, NEW])
    with boxes() as seen:
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert seen.texts and dialog.user == "" and dialog.isVisible()
    Workspace.open(path, "wangfang", OLD).close()
