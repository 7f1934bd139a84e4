"""Keyboard-first for real (issue 21): keys are sent to ``QApplication.focusWidget()`` only.

A form opens with the cursor in its first empty field and no stray top-level window; Tab,
Shift+Tab and Enter follow the screen section by section; calculated fields are no Tab stops;
the repeat's "添加一项" is in the Enter order; Ctrl+PgDown/PgUp visit every section.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMenu, QWidget

from surveyapp.ui.formview.view import FormView

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


class WindowWatch(QObject):
    """Records every window shown that is not a main window, a dialog, a menu or a popup."""

    def __init__(self) -> None:
        super().__init__()
        self.stray: list[str] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow():
            kind = obj.windowType()
            popup = kind in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
            if not (isinstance(obj, QMainWindow | QDialog | QMenu) or popup):
                self.stray.append(f"{type(obj).__name__}({getattr(obj, 'text', lambda: '')()!r})")
        return False

    def strays(self) -> list[str]:
        return list(self.stray)


@pytest.fixture
def watch(app: Any) -> Any:
    w = WindowWatch()
    app.installEventFilter(w)
    yield w
    app.removeEventFilter(w)


@pytest.fixture
def main(qtbot: Any, backend: Any) -> Any:
    from surveyapp.ui.mainwindow import MainWindow
    from surveyapp.ui.settings import Settings

    window = MainWindow(backend, Settings.load())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    yield window
    window.close()  # saves the open drafts while the workspace is still open


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "the keyboard focus is nowhere"
    return widget


def press(qtbot: Any, key: Any, modifier: Any = Qt.KeyboardModifier.NoModifier) -> QWidget:
    """One key to the focused widget; returns the widget that has the focus after it."""
    qtbot.keyClick(focus(), key, modifier)
    return focus()


def open_new_child(qtbot: Any, main: Any) -> FormView:
    press(qtbot, Qt.Key.Key_N, CTRL)
    view = main.tabs.currentWidget()
    assert isinstance(view, FormView)
    qtbot.waitUntil(lambda: view._path_of(QApplication.focusWidget()) is not None, timeout=3000)
    return view


def test_ctrl_n__cursor_in_first_empty_field_no_stray_window(
    qtbot: Any, main: Any, watch: WindowWatch
) -> None:
    view = open_new_child(qtbot, main)
    assert QApplication.activeWindow() is main
    assert view._path_of(focus()) == "township_code"  # the survey date defaults to today
    assert watch.strays() == []
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [main]


def test_tab__screen_order_radio_group_once_no_calculated_stop(qtbot: Any, main: Any) -> None:
    view = open_new_child(qtbot, main)
    body = view.scroll_area.widget()
    first = focus()
    seen: list[tuple[str, QWidget]] = [(str(view._path_of(first)), first)]
    for _ in range(200):
        widget = press(qtbot, Qt.Key.Key_Tab)
        if widget is first:
            break
        seen.append((str(view._path_of(widget)), widget))
    else:
        pytest.fail("Tab never came back to where it started")
    paths = [p for p, _w in seen]
    # Screen order: every stop is below (or on the same line, to the right of) the one
    # before; after the last stop Tab wraps to the first field of the form.
    assert paths[-1] == "survey_date"
    spots = [(w.mapTo(body, QPoint(0, 0)).y(), w.mapTo(body, QPoint(0, 0)).x()) for _, w in seen]
    for i in range(1, len(seen) - 1):
        assert spots[i - 1] < spots[i], f"{paths[i]} is before {paths[i - 1]} on the screen"
    calculated = {p for p, row in view.rows.items() if row.spec.type == "calculate"}
    assert not calculated & set(paths)
    radios = [p for p, row in view.rows.items() if row.group is not None and p in paths]
    assert radios and all(paths.count(p) == 1 for p in radios)  # one stop per radio group
    assert "@siblings" in paths
    # Shift+Tab from 父母与儿童联系频率 goes to the field just above it, not to another section.
    view.focus_path("contact_frequency")
    assert view._path_of(press(qtbot, Qt.Key.Key_Tab, SHIFT)) == "mother_phone"


def test_calculated_field__no_tab_stop_but_mouse_selectable(qtbot: Any, main: Any) -> None:
    view = open_new_child(qtbot, main)
    line = view.rows["age_years"].line
    assert line is not None and line.focusPolicy() == Qt.FocusPolicy.ClickFocus
    view.set_answer("birth_date", "2016-03-15")
    view.go_to_section(view.section_of["age_years"])
    view.scroll_area.ensureWidgetVisible(line)
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    assert focus() is line
    # Tab from a calculated field goes on to the next field below it.
    assert view._path_of(press(qtbot, Qt.Key.Key_Tab)) == "hukou_registered"


def test_enter__add_button_in_order_then_tab_goes_past(qtbot: Any, main: Any) -> None:
    view = open_new_child(qtbot, main)
    view.focus_path("contact_frequency")
    add = view.add_buttons["siblings"]
    assert press(qtbot, Qt.Key.Key_1) is not add  # picks 每周
    assert press(qtbot, Qt.Key.Key_Return) is add
    assert view._path_of(press(qtbot, Qt.Key.Key_Return)) == "siblings[0]/sibling_name"
    qtbot.keyClicks(focus(), "Li Si")
    assert view._path_of(press(qtbot, Qt.Key.Key_Return)) == "siblings[0]/sibling_sex"
    press(qtbot, Qt.Key.Key_2)
    assert view._path_of(press(qtbot, Qt.Key.Key_Return)) == "siblings[0]/sibling_birth_year"
    qtbot.keyClicks(focus(), "2012")
    assert view._path_of(press(qtbot, Qt.Key.Key_Return)) == "siblings[0]/sibling_lives_with"
    press(qtbot, Qt.Key.Key_1)
    assert press(qtbot, Qt.Key.Key_Return) is add  # another one? Enter adds, Tab goes on
    assert view._path_of(press(qtbot, Qt.Key.Key_Tab)) == "carer_type"
    assert str(view.session.value("sibling_count")) == "1"
    assert view.session.value("siblings[0]/sibling_name") == "Li Si"
    assert press(qtbot, Qt.Key.Key_Tab, SHIFT) is add
    assert view._path_of(press(qtbot, Qt.Key.Key_Tab, SHIFT)) == "siblings[0]/sibling_lives_with"


def test_ctrl_pgdown__every_section_then_back(qtbot: Any, main: Any) -> None:
    view = open_new_child(qtbot, main)
    count = len(view.sections)
    assert count >= 8
    visited = [view.current_section()]
    for _ in range(count - 1):
        press(qtbot, Qt.Key.Key_PageDown, CTRL)
        visited.append(view.current_section())
        assert view.outline.currentRow() == visited[-1]
    assert visited == list(range(count))
    siblings = view.section_of["@siblings"]
    view.go_to_section(siblings)
    assert focus() is view.add_buttons["siblings"]  # the empty repeat: its add button
    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert view._path_of(focus()) == "carer_type"
    back = []
    for _ in range(count):
        press(qtbot, Qt.Key.Key_PageUp, CTRL)
        back.append(view.current_section())
    assert back[:siblings + 1] == list(range(siblings, -1, -1))
