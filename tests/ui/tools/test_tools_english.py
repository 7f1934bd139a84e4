"""The tools menu and dialogs in English: every action of every role, the device list's
headers and the export filters come from the .ts (no Chinese left), and the .ts has no
unfinished translation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from toolworld import COUNTY, TOWN, V1, make_ws

CJK = re.compile(r"[\u4e00-\u9fff]")
TS = Path(__file__).resolve().parents[3] / "resources" / "i18n" / "surveyapp_en.ts"


@pytest.fixture
def english(qapp: Any, monkeypatch: Any) -> Any:
    from surveyapp.ui.app import make_app

    monkeypatch.setenv("SURVEYAPP_LANG", "en")
    make_app()
    yield
    monkeypatch.setenv("SURVEYAPP_LANG", "zh_CN")
    make_app()


def test_ts__every_message_translated() -> None:
    text = TS.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text


@pytest.mark.parametrize(("role", "org"), [("village", V1), ("township", TOWN),
                                           ("county", COUNTY)])
def test_tools_menu_in_english__no_chinese(english: Any, qtbot: Any, tmp_path: Path,
                                           role: str, org: str) -> None:
    from PySide6.QtWidgets import QMainWindow, QMenu

    from surveyapp.ui.tools import install_tool_actions

    window = QMainWindow()
    qtbot.addWidget(window)
    install_tool_actions(window, make_ws(tmp_path, role, org))
    menu = window.menuBar().findChild(QMenu, "toolsMenu")
    assert menu.title() == "&Tools"
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts and not [t for t in texts if CJK.search(t)]


def test_devices_and_exports_dialogs_in_english__headers_and_filters(
        english: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ui.tools.enroll import DevicesDialog
    from surveyapp.ui.tools.exports import ExportsDialog

    county = make_ws(tmp_path, "county", COUNTY)
    devices = DevicesDialog(county)
    qtbot.addWidget(devices)
    headers = [devices.table.horizontalHeaderItem(i).text()
               for i in range(devices.table.columnCount())]
    assert headers[0] == "Code" and not [h for h in headers if CJK.search(h)]
    exports = ExportsDialog(county, [])
    qtbot.addWidget(exports)
    boxes = [box.text() for box in exports.categories.values()]
    assert "Left-behind" in boxes and not [b for b in boxes if CJK.search(b)]
