"""The File menu per role: a village only sends batches, so it has no batch import; a
township has it, with Ctrl+I (real workspaces, the real main window)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from uihelpers import FORM

KEY = bytes.fromhex("3c" * 32)


@pytest.mark.parametrize(("role", "org", "has_import"), [("village", "522422102201", False),
                                                         ("township", "522422102", True)])
def test_file_menu_import__only_where_batches_arrive(
        app: Any, qtbot: Any, tmp_path: Path, role: str, org: str, has_import: bool) -> None:
    from surveyapp.core.store import Workspace
    from surveyapp.ui.backend import Backend
    from surveyapp.ui.mainwindow import MainWindow
    from surveyapp.ui.settings import Settings

    ws = Workspace.create_with_key(tmp_path / "ws.sdb", KEY, role=role, org_code=org,
                                   org_name="测试", user="u")
    try:
        window = MainWindow(Backend(ws, lang="zh_CN", form_path=FORM), Settings.load())
        qtbot.addWidget(window)
        file_menu = window.menuBar().actions()[0].menu()
        shortcuts = [a.shortcut().toString() for a in file_menu.actions()]
        assert ("Ctrl+I" in shortcuts) is has_import
        assert "Ctrl+N" in shortcuts
        window.close()
    finally:
        ws.close()
