"""Menu actions and dialogs over ``surveyapp.ops``: batch and relay export, enrollment and
trust files, ledger/department/statistics/dossier exports, passwords.

The main window calls one function::

    install_tool_actions(window, ws) -> None

It adds a "工具(&T)" menu with the actions that fit ``ws.role`` and puts the batch export
under "文件" next to the import. Each action's ``objectName`` is ``tool.<name>`` (tests and
the screenshots find them by it). Modules: ``export_batch`` (batch, relay, down files),
``enroll`` (device enrollment, county enrollment, devices and revocation, trust updates),
``exports`` (``ExportsDialog``), ``password`` (change, recovery request/issue/apply),
``receipts`` (write receipts after an import, import the receipts that come back),
``ledger_import`` (``LedgerImportDialog``: an existing 台账 imported as first visits),
``auditlog`` (``AuditLogDialog``, the 审计日志 viewer of the county and the township),
``common`` (pickers, background run, result box).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from surveyapp.errors import SurveyError


def tr(text: str) -> str:
    """Translate ``text``: written ``tr("…")`` so that pyside6-lupdate collects it."""
    from surveyapp.ui.tools.common import tr as common_tr

    return common_tr(text)


def _villages(window: Any, ws: Any) -> list[tuple[str, str]]:
    """The villages the window's backend knows, within this workspace's area."""
    backend = getattr(window, "backend", None)
    try:
        found = list(backend.villages()) if backend is not None else []
    except SurveyError as err:  # the form cannot be read: the export works without the list
        logging.getLogger(__name__).warning("village list unavailable: %s", err.code.name)
        found = []
    return [(code, name) for code, name in found if str(code).startswith(ws.org_code)]


def _file_menu(window: QMainWindow) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().startswith(("文件", "File", "&File")):
            return menu
    return None


def _action(window: QMainWindow, name: str, text: str, slot: Callable[[], Any],
            shortcut: str = "") -> QAction:
    action = QAction(text, window)
    action.setObjectName(f"tool.{name}")
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _refresh(window: Any) -> None:
    refresh = getattr(window, "on_records_changed", None)
    if callable(refresh):
        refresh()


def _audit_log(window: QMainWindow, ws: Any) -> None:
    from surveyapp.ui.tools.auditlog import AuditLogDialog

    AuditLogDialog(ws, window).exec()


def _anonymise(window: QMainWindow, ws: Any) -> None:
    from surveyapp.ui.tools.auditlog import anonymise_dialog

    if anonymise_dialog(window, ws):
        _refresh(window)


def tool_actions(window: QMainWindow, ws: Any) -> list[QAction | None]:
    """The actions for ``ws.role`` in menu order (``None`` is a separator)."""
    from surveyapp.ui.tools import enroll, export_batch, password, receipts
    from surveyapp.ui.tools.exports import ExportsDialog
    from surveyapp.ui.tools.ledger_import import LedgerImportDialog

    role = ws.role
    a = _action
    out: list[QAction | None] = []
    if role in ("village", "township"):
        out.append(a(window, "export_batch", tr("导出数据包（上报）……"),
                     lambda: export_batch.export_batch_dialog(window, ws), "Ctrl+E"))
    if role == "township":
        out.append(a(window, "export_relay", tr("导出上报文件（上报县级）……"),
                     lambda: export_batch.export_relay_dialog(window, ws), "Ctrl+Shift+E"))
        out.append(a(window, "export_down", tr("导出下发文件（下发村级）……"),
                     lambda: export_batch.export_down_dialog(window, ws)))
    if role == "village":
        def import_down() -> None:
            if export_batch.import_down_dialog(window, ws) is not None:
                _refresh(window)

        out.append(a(window, "import_down", tr("导入乡镇下发文件……"), import_down))
    if role in ("village", "township"):
        out.append(a(window, "import_receipts", tr("导入回执……"),
                     lambda: receipts.import_receipts_dialog(window, ws)))
    if role in ("township", "county"):
        out.append(None)
        out.append(a(window, "exports", tr("导出台账和名单……"),
                     lambda: ExportsDialog(ws, _villages(window, ws), window).exec(),
                     "Ctrl+Shift+X"))
        out.append(a(window, "audit_log", tr("审计日志……"), lambda: _audit_log(window, ws)))
    out.append(a(window, "import_ledger", tr("导入台账……"),
                 lambda: LedgerImportDialog(ws, window).exec()))
    out.append(None)
    if role in ("village", "township"):
        out.append(a(window, "enroll_request", tr("生成设备登记申请……"),
                     lambda: enroll.write_request_dialog(window, ws)))
        out.append(a(window, "import_trust", tr("导入登记文件/信任更新……"),
                     lambda: enroll.import_trust_file_dialog(window, ws)))
    if role == "county":
        out.append(a(window, "anonymise", tr("匿名化过期退出档案……"),
                     lambda: _anonymise(window, ws)))
        out.append(None)
        out.append(a(window, "init_county", tr("创建县级密钥"),
                     lambda: enroll.init_county_dialog(window, ws)))
        out.append(a(window, "enroll_device", tr("登记设备……"),
                     lambda: enroll.enroll_device_dialog(window, ws)))
        out.append(a(window, "devices", tr("设备列表和停用……"),
                     lambda: enroll.DevicesDialog(ws, window).exec()))
        out.append(a(window, "trust_update", tr("发放信任更新/调查表……"),
                     lambda: enroll.TrustUpdateDialog(ws, window).exec()))
    out.append(None)
    out.append(a(window, "change_password", tr("修改密码……"),
                 lambda: password.ChangePasswordDialog(ws, window).exec()))
    if role == "county":
        out.append(a(window, "recovery_issue", tr("签发密码重置文件……"),
                     lambda: password.recovery_issue_dialog(window, ws)))
    else:
        out.append(a(window, "recovery_request", tr("生成找回密码申请……"),
                     lambda: password.recovery_request_dialog(window, ws.path, ws.user)))
    out.append(a(window, "recovery_apply", tr("用重置文件设置新密码……"),
                 lambda: password.ApplyResetDialog(ws.path, window).exec()))
    return out


def install_tool_actions(window: QMainWindow, ws: Any) -> None:
    """Add the "工具(&T)" menu for ``ws.role``; put the batch export under "文件" too.
    Calling it again does nothing.

    :param window: the main window (its ``backend.villages()`` scopes the exports).
    :param ws: the open workspace.
    """
    if window.menuBar().findChild(QMenu, "toolsMenu") is not None:
        return  # installed already
    menu = window.menuBar().addMenu(tr("工具(&T)"))
    menu.setObjectName("toolsMenu")
    actions = tool_actions(window, ws)
    for action in actions:
        if action is None:
            if menu.actions() and not menu.actions()[-1].isSeparator():
                menu.addSeparator()
        else:
            menu.addAction(action)
    file_menu = _file_menu(window)
    exports = [x for x in actions if x is not None and x.objectName() in
               ("tool.export_batch", "tool.export_relay")]
    if file_menu is not None and exports:
        # Next to "导入数据包" (before the separator above 退出).
        items = file_menu.actions()
        separator = next((x for x in reversed(items) if x.isSeparator()), None)
        for action in exports:
            if separator is not None:
                file_menu.insertAction(separator, action)
            else:
                file_menu.addAction(action)
