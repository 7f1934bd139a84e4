"""Return to village: the dialog needs a comment, the return travels down as a revision and
the village sees it in its "returned" list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from reviewworld import copy

from surveyapp.ui.review import review_tabs
from surveyapp.ui.review.returns import ReturnDialog, ReturnedWidget, return_child, return_notice


def test_dialog_without_comment__cannot_send(app: Any, qtbot: Any) -> None:
    d = ReturnDialog("张小明", "箐口村")
    qtbot.addWidget(d)
    assert not d.ok.isEnabled()
    d.comment.setPlainText("  ")
    assert not d.ok.isEnabled()
    d.comment.setPlainText("身份证号与户口簿不一致")
    assert d.ok.isEnabled()


def _answer_dialog(comment: str) -> None:
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, ReturnDialog) and w.isVisible()
    )
    dialog.comment.setPlainText(comment)
    dialog.ok.click()


def test_return_child__travels_to_village_list(
    app: Any, qtbot: Any, qtmodeltester: Any, world: Any
) -> None:
    [row] = [
        r
        for r in world.town.query_children(None, 0, 10)
        if r.child_name == "王丽" and r.village_code == world.v1.org_code
    ]
    QTimer.singleShot(0, lambda: _answer_dialog("出生日期请核实"))
    rev = return_child(None, world.town, row.record_id)
    assert rev is not None and world.town.heads(row.record_id)[0].id == rev
    copy(world.town, world.v1)
    w = ReturnedWidget(world.v1)
    qtbot.addWidget(w)
    w.refresh()
    qtmodeltester.check(w.model)
    assert w.model.rowCount() == 1
    texts = [w.model.data(w.model.index(0, c)) for c in range(w.model.columnCount())]
    assert texts[0] == "王丽" and texts[1] == "箐口村" and texts[-1] == "出生日期请核实"
    assert "1" in w.summary.text()
    notice = return_notice(world.v1.get_child(row.record_id))
    assert notice is not None and notice.text().endswith("出生日期请核实")
    assert return_notice(world.v1.get_child(world.child_id)) is None
    with qtbot.waitSignal(w.open_child) as blocker:
        w.view.activated.emit(w.model.index(0, 0))
    assert blocker.args == [row.record_id]


def test_return_conflicted_child__refused_with_message(app: Any, qtbot: Any, world: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def answer() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, ReturnDialog) and w.isVisible()
        )
        dialog.comment.setPlainText("请核实")
        QTimer.singleShot(0, close_box)
        dialog.ok.click()

    def close_box() -> None:
        box = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        )
        shown.append(box.text())
        box.accept()

    QTimer.singleShot(0, answer)
    assert return_child(None, world.town, world.child_id) is None
    assert shown and "冲突" in shown[0]


def test_review_tabs__by_role(app: Any, qtbot: Any, world: Any) -> None:
    town, village = review_tabs(world.town), review_tabs(world.v1)
    for _title, widget in town + village:
        qtbot.addWidget(widget)
    town_titles, village_titles = [t for t, _ in town], [t for t, _ in village]
    assert town_titles == ["数据到达", "冲突", "疑似重复", "已退回"]
    assert village_titles == ["已退回"]
    # The first show loads the list.
    conflicts = town[1][1]
    conflicts.show()
    qtbot.waitUntil(lambda: conflicts.list_model.rowCount() == 1)
    # Opening the tab again reloads it (here: resolved elsewhere meanwhile).
    from surveyapp.ops import review

    review.resolve(world.town, world.child_id, take=world.town.heads(world.child_id)[0].id)
    conflicts.hide()
    conflicts.show()
    qtbot.waitUntil(lambda: conflicts.list_model.rowCount() == 0)
