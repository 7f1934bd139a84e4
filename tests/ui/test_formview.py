"""The form view by keyboard alone: Enter moves on, digits pick radio choices, arrows pick
combo items, Ctrl+S saves the draft and Ctrl+Enter finalizes (issue 4: "filling the screening
form by keyboard alone, then save, close, reopen, with the values intact", "the ID number
auto-fill and its mismatch warning", "finalize blocked on errors")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from uihelpers import type_text

from surveyapp.core.ids import make_resident_id
from surveyapp.ui.formview.view import FormView

BIRTH = dt.date(2016, 3, 15)
CHILD_ID = make_resident_id("522422", BIRTH, 11)
DOWN = Qt.Key.Key_Down
# What to type in each field (a string, a digit picking a radio choice, or arrow presses
# in a combo); every other field is skipped with Enter.
PLAN: dict[str, Any] = {
    "survey_date": "20260701",
    "township_code": [DOWN],  # 羊场镇
    "village_code": [DOWN, DOWN],  # 箐口村 (the township's second village)
    "residence_type": "1",
    "surveyor_name": "王芳",
    "child_name": "张小明",
    "sex": "1",
    "ethnicity": [DOWN],
    "has_id_number": "1",
    "id_number": CHILD_ID,
    "hukou_rural": "1",
    "health_status": "1",
    "father_status": [DOWN],  # at home
    "mother_status": [DOWN],
    "carer_type": "1",
    "carer_health": "1",
    "consent": "1",
}


def open_form(qtbot: Any, backend: Any, **kwargs: Any) -> FormView:
    view = FormView(backend, **kwargs)
    qtbot.addWidget(view)
    view.resize(1100, 800)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitActive(view)
    return view


def row_of(view: FormView, widget: Any) -> Any:
    for row in view.rows.values():
        if widget is not None and row.isAncestorOf(widget):
            return row
    return None


def fill_by_keyboard(qtbot: Any, view: FormView, plan: dict[str, Any]) -> list[str]:
    """Walk the form with Enter from the first field, typing ``plan``; return paths visited."""
    visited: list[str] = []
    view.focus_path(view.focusable()[0])
    for _ in range(300):
        widget = view.focusWidget()
        if widget in view.add_buttons.values():
            qtbot.keyClick(widget, Qt.Key.Key_Tab)  # no sibling: Tab goes past "添加一项"
            continue
        row = row_of(view, widget)
        assert row is not None, "focus left the form"
        visited.append(row.path)
        action = plan.get(row.path)
        if isinstance(action, str) and len(action) == 1 and action.isdigit():
            qtbot.keyClick(widget, action)
        elif isinstance(action, str):
            type_text(qtbot, widget, action)
        elif isinstance(action, list):
            for key in action:
                qtbot.keyClick(widget, key)
        qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
        if view.focusWidget() is widget or row_of(view, view.focusWidget()) is row:
            break  # the last relevant field: Enter stays put
    return visited


def test_keyboard_fill__saved_closed_reopened(qtbot: Any, backend: Any) -> None:
    view = open_form(qtbot, backend)
    qtbot.waitUntil(lambda: row_of(view, view.focusWidget()) is not None, timeout=2000)
    first = row_of(view, view.focusWidget()).path
    assert first == "township_code"  # the first empty field (the survey date defaults to today)
    visited = fill_by_keyboard(qtbot, view, PLAN)
    assert "id_number" in visited
    assert "no_id_reason" not in visited  # not relevant once an ID number exists
    assert str(view.session.value("birth_date")) == BIRTH.isoformat()  # from the ID
    assert view.session.value("village_code") == "522422102201"
    assert view.session.errors("zh") == {}, view.session.errors("zh")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert backend.load_draft(view.draft_key)["answers"]["child_name"] == "张小明"
    with qtbot.waitSignal(view.saved, timeout=5000) as saved:
        qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    record_id = saved.args[0]
    assert backend.load_draft(view.draft_key) is None
    view.close()
    answers = backend.child_answers(record_id)
    assert answers["child_name"] == "张小明"
    assert answers["id_number"] == CHILD_ID
    assert answers["village_code"] == "522422102201"
    assert answers["is_left_behind"] == "no"


def test_draft__survives_close_and_reopen(qtbot: Any, backend: Any) -> None:
    view = open_form(qtbot, backend)
    fill_by_keyboard(qtbot, view, {"survey_date": "2026-07-01", "surveyor_name": "王芳"})
    key = view.draft_key
    view.close()
    view.deleteLater()
    again = open_form(qtbot, backend, draft_key=key)
    assert again.session.value("surveyor_name") == "王芳"
    assert again.rows["surveyor_name"].value() == "王芳"
    assert again.rows["survey_date"].value() == "2026-07-01"


def test_id_number__fills_birth_date_and_sex(qtbot: Any, backend: Any) -> None:
    view = open_form(qtbot, backend)
    view.set_answer("has_id_number", "yes")
    row = view.rows["id_number"]
    row.focus_input()
    qtbot.keyClicks(row.line, CHILD_ID[:10])
    assert "10/18" in row.status.text()
    qtbot.keyClicks(row.line, CHILD_ID[10:])
    assert str(view.session.value("birth_date")) == BIRTH.isoformat()
    assert view.session.value("sex") == "male"
    assert view.rows["birth_date"].value() == BIRTH.isoformat()
    assert "✓" in row.status.text()


def test_id_number_disagrees__warning(qtbot: Any, backend: Any) -> None:
    view = open_form(qtbot, backend)
    view.set_answer("has_id_number", "yes")
    view.set_answer("birth_date", "2015-01-01")
    view.set_answer("sex", "female")
    row = view.rows["id_number"]
    row.focus_input()
    qtbot.keyClicks(row.line, CHILD_ID)
    assert "不一致" in row.status.text()
    assert str(view.session.value("birth_date")) == "2015-01-01"  # never overwritten


def test_id_number_bad_check_digit__message(qtbot: Any, backend: Any) -> None:
    view = open_form(qtbot, backend)
    view.set_answer("has_id_number", "yes")
    row = view.rows["id_number"]
    row.focus_input()
    bad = CHILD_ID[:17] + ("0" if CHILD_ID[17] != "0" else "1")
    qtbot.keyClicks(row.line, bad)
    assert row.message.isVisibleTo(view)
    assert row.message.text()


def test_finalize_with_errors__blocked_with_links(qtbot: Any, backend: Any) -> None:
    view = open_form(qtbot, backend)
    view.set_answer("child_name", "张")  # too short, and most required answers missing
    with qtbot.assertNotEmitted(view.saved):
        assert view.finalize() is None
    assert view.errors_box.isVisibleTo(view)
    assert 'href="child_name"' in view.errors_box.text()
    view.errors_box.linkActivated.emit("child_name")
    assert row_of(view, view.focusWidget()).path == "child_name"
    assert backend.count(view_filter()) == 0


def view_filter() -> Any:
    from surveyapp.ui.models.children import ChildFilter

    return ChildFilter(exited=True)


def test_repeat__add_fill_remove(qtbot: Any, backend: Any) -> None:
    view = open_form(qtbot, backend)
    first = view.add_repeat("siblings")
    second = view.add_repeat("siblings")
    view.set_answer(f"siblings[{second}]/sibling_name", "李四")
    assert str(view.session.value("sibling_count")) == "2"
    view.remove_repeat("siblings", first)
    assert view.rows["siblings[0]/sibling_name"].value() == "李四"
    assert "siblings[1]/sibling_name" not in view.rows


def test_complete_date_text__month_year_and_year_appearances():
    from surveyapp.ui.formview.fields import complete_date_text, parse_date_text

    assert parse_date_text(complete_date_text("2026-07", "month-year")) == "2026-07-01"
    assert parse_date_text(complete_date_text("2026年7月", "month-year")) == "2026-07-01"
    assert parse_date_text(complete_date_text("2026", "year")) == "2026-01-01"
    assert complete_date_text("2026-07", "") == "2026-07"
    assert parse_date_text(complete_date_text("2026-07", "")) is None
