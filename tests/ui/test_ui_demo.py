"""The demo county: built through the engine and store, then shown by the main window
(issue 4: "surveyapp demo builds a demo county ... and opens it")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from surveyapp.core.store import ChildFilter, Workspace
from surveyapp.ops.demo import DEMO_PASSWORD, DEMO_USER, build_demo_workspace


def test_demo_workspace__classified_children_and_login(
    app: Any, qtbot: Any, tmp_path: Path
) -> None:
    from surveyapp.ui.dialogs.login import LoginDialog
    from surveyapp.ui.startup import demo_hint

    path = tmp_path / "demo.sdb"
    result = build_demo_workspace(path, children=60)
    assert result.children >= 50
    assert not list(tmp_path.glob("*.building*"))
    dialog = LoginDialog(path, DEMO_USER, demo_hint())
    qtbot.addWidget(dialog)
    assert DEMO_PASSWORD in dialog.hint.text()
    dialog.password.setText(DEMO_PASSWORD)
    dialog.on_login()
    ws: Workspace = dialog.workspace
    try:
        assert ws.count_children(None) == result.children
        assert ws.count_children(ChildFilter(category="left_behind")) > 0
        assert ws.count_children(ChildFilter(include_exited=True)) == result.children
    finally:
        ws.close()


def test_demo_cancelled__nothing_left(app: Any, tmp_path: Path) -> None:
    import pytest

    from surveyapp.errors import CommonCode, SurveyError

    with pytest.raises(SurveyError) as info:
        build_demo_workspace(tmp_path / "d" / "demo.sdb", children=40, cancelled=lambda: True)
    assert info.value.code is CommonCode.CANCELLED
    assert list((tmp_path / "d").iterdir()) == []
