"""install_tool_actions: the actions that fit each role, in the main window's menus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu
from toolworld import COUNTY, TOWN, V1, make_ws

COMMON = {"tool.change_password", "tool.recovery_apply", "tool.import_ledger"}
EXPECTED = {
    "village": COMMON | {"tool.export_batch", "tool.import_down", "tool.enroll_request",
                         "tool.import_trust", "tool.recovery_request", "tool.import_receipts"},
    "township": COMMON | {"tool.export_batch", "tool.export_relay", "tool.export_down",
                          "tool.exports", "tool.audit_log", "tool.enroll_request",
                          "tool.import_trust", "tool.recovery_request", "tool.import_receipts"},
    "county": COMMON | {"tool.exports", "tool.audit_log", "tool.anonymise", "tool.init_county",
                        "tool.enroll_device",
                        "tool.devices", "tool.trust_update", "tool.recovery_issue"},
}
ORGS = {"village": V1, "township": TOWN, "county": COUNTY}


def _window(qtbot: Any) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    file_menu = window.menuBar().addMenu("文件(&F)")
    file_menu.addAction("导入数据包……")
    file_menu.addSeparator()
    file_menu.addAction("退出")
    return window


def _names(menu: QMenu) -> set[str]:
    return {a.objectName() for a in menu.actions() if a.objectName()}


@pytest.mark.parametrize("role", ["village", "township", "county"])
def test_install__each_role__gets_exactly_its_actions(
        app: Any, qtbot: Any, tmp_path: Path, role: str) -> None:
    from surveyapp.ui.tools import install_tool_actions

    window = _window(qtbot)
    install_tool_actions(window, make_ws(tmp_path, role, ORGS[role]))
    tools = window.menuBar().findChild(QMenu, "toolsMenu")
    assert tools is not None and tools.title() == "工具(&T)"
    assert _names(tools) == EXPECTED[role]


def test_install__batch_export_also_under_file_before_quit__and_twice_is_once(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ui.tools import install_tool_actions

    window = _window(qtbot)
    ws = make_ws(tmp_path, "township", TOWN)
    install_tool_actions(window, ws)
    install_tool_actions(window, ws)
    assert len(window.menuBar().findChildren(QMenu, "toolsMenu")) == 1
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.objectName() or a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert texts == ["导入数据包……", "tool.export_batch", "tool.export_relay", "退出"]


def test_install__in_the_real_main_window__ctrl_e_exports(
        app: Any, qtbot: Any, backend: Any) -> None:
    from surveyapp.ui.mainwindow import MainWindow
    from surveyapp.ui.settings import Settings
    from surveyapp.ui.tools import install_tool_actions

    window = MainWindow(backend, Settings.load())
    qtbot.addWidget(window)
    install_tool_actions(window, backend.ws)
    action = window.findChild(QAction, "tool.export_batch")
    assert action is not None and action.shortcut().toString() == "Ctrl+E"
    assert window.menuBar().findChild(QMenu, "toolsMenu") is not None
