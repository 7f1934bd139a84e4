"""Issue 13 in the desktop app: a new child whose ID number is already on file is caught
before saving, with a button to the existing file; a village outside the chosen township
is an error in the form view; the child file of a moved child says where it went, with a
link; the dashboard says how many possible duplicates wait, with a link to the list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from uihelpers import answers, submit

from surveyapp.core.stats import Stats
from surveyapp.ops import review
from surveyapp.ui.formview.view import FormView


def _form(qtbot: Any, backend: Any) -> FormView:
    view = FormView(backend)
    qtbot.addWidget(view)
    view.session.today = dt.date(2026, 7, 1)
    view.show()
    return view


def _answer_box(name: str) -> None:
    """Click ``name`` in the message box that is open now."""
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible():
            w.findChild(QPushButton, name).click()
            return
    raise AssertionError("no message box")


def test_same_id__warned_before_saving_with_link_to_file(qtbot: Any, backend: Any) -> None:
    first = submit(backend)
    count = backend.ws.count_children(_all())
    view = _form(qtbot, backend)
    same = answers(child_name="张晓明")  # the same ID number, a typo in the name
    view.load_answers({**same, "id_number": ""})
    row = view.rows["id_number"]
    row.focus_input()
    qtbot.keyClicks(row.line, same["id_number"])
    assert "本地已有此身份证号的档案" in row.status.text()
    QTimer.singleShot(0, lambda: _answer_box("openExisting"))
    with qtbot.waitSignal(view.open_existing) as opened, qtbot.assertNotEmitted(view.saved):
        assert view.finalize() is None
    assert opened.args == [first]
    assert backend.ws.count_children(_all()) == count  # nothing saved
    QTimer.singleShot(0, lambda: _answer_box("saveAnyway"))
    with qtbot.waitSignal(view.saved):
        view.finalize()
    assert backend.ws.count_children(_all()) == count + 1


def test_village_outside_township__error_blocks_finalize(qtbot: Any, backend: Any) -> None:
    view = _form(qtbot, backend)
    view.load_answers(answers(id_number="", has_id_number="no", no_id_reason="not_issued"))
    view.set_answer("township_code", "522422105")  # the village stays 522422102201
    errors = view.session.errors("zh")
    assert "522422102201" in errors["village_code"] and "不在" in errors["village_code"]
    with qtbot.assertNotEmitted(view.saved):
        assert view.finalize() is None


def test_moved_child_file__says_where_with_a_link(qtbot: Any, backend: Any) -> None:
    from surveyapp.ui.widgets.childfile import ChildFileView

    old = submit(backend, survey_date="2026-03-01")
    new = backend.ws.save_visit(None, answers(village_code="522422102202"),
                                form_id="child_screening", form_version="1").child_id
    review.decide_duplicate(backend.ws, old, new, "moved", moved_on="2026-06-15")
    view = ChildFileView(backend, old)
    qtbot.addWidget(view)
    text = view.persons.text()
    assert view.persons.isVisibleTo(view) is not False
    assert "已迁至" in text and "2026-06-15" in text and f'href="{new}"' in text
    with qtbot.waitSignal(view.open_child_requested) as got:
        view.persons.linkActivated.emit(new)
    assert got.args == [new]
    other = ChildFileView(backend, new)
    qtbot.addWidget(other)
    assert f'href="{old}"' in other.persons.text()


def test_dashboard__possible_duplicates_notice_links_to_list(qtbot: Any) -> None:
    from surveyapp.ui.dashboard import DashboardWidget

    base = _stats()
    board = DashboardWidget(base)
    qtbot.addWidget(board)
    assert not board.duplicates_notice.isVisibleTo(board)
    from dataclasses import replace

    board.set_stats(replace(base, possible_duplicates=2))
    assert board.duplicates_notice.isVisibleTo(board)
    assert "2 对疑似重复尚未审核" in board.duplicates_notice.text()
    with qtbot.waitSignal(board.duplicates_requested):
        board.duplicates_notice.linkActivated.emit("duplicates")


def _stats() -> Stats:
    from surveyapp.ops.ledger import compute_county_stats

    return compute_county_stats([answers(township_code="522422102")], county_name="大方县")


def _all() -> Any:
    from surveyapp.core.store import ChildFilter

    return ChildFilter(include_exited=True)
