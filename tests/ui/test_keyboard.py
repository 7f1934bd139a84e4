"""Keyboard-first for real (issue 21): keys are sent to ``QApplication.focusWidget()`` only.

A form opens with the cursor in its first empty field and no stray top-level window; Tab,
Shift+Tab and Enter follow the screen section by section; calculated fields are no Tab stops;
the repeat's "添加一项" is in the Enter order; Ctrl+PgDown/PgUp visit every section.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QWidget,
)

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


def test_menus__every_item_has_its_own_alt_letter(qtbot: Any, main: Any) -> None:
    from surveyapp.ui.mnemonics import has_mnemonic, mnemonic_of

    qtbot.waitUntil(lambda: main.menuBar().findChild(QMenu, "toolsMenu") is not None)
    titles = [a.text() for a in main.menuBar().actions()]
    assert titles[:3] == ["文件(&F)", "设置(&S)", "工具(&T)"]

    def check(menu: QMenu) -> int:
        items = [a for a in menu.actions() if not a.isSeparator()]
        letters = [mnemonic_of(a.text()) for a in items]
        assert all(has_mnemonic(a.text()) for a in items), [a.text() for a in items]
        assert len(set(letters)) == len(letters), [a.text() for a in items]
        return len(items) + sum(check(a.menu()) for a in items if isinstance(a.menu(), QMenu))

    assert sum(check(a.menu()) for a in main.menuBar().actions()) >= 12
    new = main.findChild(QAction, "action.new")
    assert new.text() == "新建儿童档案(&N)" and new.iconText() == "新建儿童档案"  # toolbar
    assert main.findChild(QAction, "tool.export_batch").text() == "导出数据包（上报）(&E)……"


def test_dialogs__every_field_label_has_a_letter_and_a_buddy(qtbot: Any, tmp_path: Any) -> None:
    from surveyapp.ui.dialogs.login import LoginDialog
    from surveyapp.ui.dialogs.wizard import FirstRunWizard
    from surveyapp.ui.mnemonics import has_mnemonic, mnemonic_of
    from surveyapp.ui.widgets.childfile import ExitDialog

    for dialog in (FirstRunWizard(), LoginDialog(tmp_path / "x.sdb", "wang"), ExitDialog()):
        qtbot.addWidget(dialog)
        dialog.show()
        fields = [
            w
            for kind in (QLineEdit, QComboBox)
            for w in dialog.findChildren(kind)
            if w.isVisibleTo(dialog)
        ]
        labels = {lab.buddy(): lab.text() for lab in dialog.findChildren(QLabel) if lab.buddy()}
        for field in fields:
            if isinstance(field.parent(), QComboBox | QAbstractSpinBox):
                continue  # the line edit inside an editable combo or a date edit
            assert field in labels, f"{type(dialog).__name__}: {field.objectName()} has no label"
            assert has_mnemonic(labels[field]), labels[field]
        letters = [mnemonic_of(t) for t in labels.values()]
        assert len(set(letters)) == len(letters), letters


def test_login__wrong_password_message_whole_at_150_percent(
    app: Any, qtbot: Any, tmp_path: Any, workspace: Any
) -> None:
    import shutil

    from PySide6.QtGui import QFont

    from surveyapp.ui.dialogs.login import LoginDialog

    font = QFont(app.font())
    old = QFont(font)
    font.setPointSizeF(font.pointSizeF() * 1.5)
    app.setFont(font)
    try:
        deep = tmp_path / ("很长的文件夹名称" * 4) / "村里的工作区"
        deep.mkdir(parents=True)
        for f in workspace.path.parent.glob(workspace.path.name + "*"):
            shutil.copy(f, deep / f.name)
        dialog = LoginDialog(deep / workspace.path.name, "wangfang")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.password.setFocus()
        qtbot.keyClicks(dialog.password, "wrongpass")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        message = dialog.message
        assert "不正确" in message.text() and message.wordWrap()
        assert message.height() >= message.heightForWidth(message.width())
        assert message.geometry().bottom() < dialog.button.geometry().top()
        assert dialog.password.selectedText() == "wrongpass"  # selected for retyping
    finally:
        app.setFont(old)


def test_menu_shortcut__wins_over_a_line_edits_own_key(qtbot: Any, main: Any) -> None:
    """On X11 a line edit claims Ctrl+E (end of line): the export shortcut must win."""
    from PySide6.QtGui import QKeyEvent

    qtbot.waitUntil(lambda: main.menuBar().findChild(QMenu, "toolsMenu") is not None)
    search = main.list_page.search
    for key, claimed in ((Qt.Key.Key_E, False), (Qt.Key.Key_N, False), (Qt.Key.Key_C, True)):
        event = QKeyEvent(QEvent.Type.ShortcutOverride, key, CTRL)
        event.ignore()
        QApplication.sendEvent(search, event)
        assert event.isAccepted() is claimed, key  # Ctrl+C (copy) stays the line edit's


def test_follow_up__last_category_and_carried_radios_from_the_start(
    qtbot: Any, main: Any, backend: Any
) -> None:
    from uihelpers import submit

    record = submit(backend, father_status="away_out_province", father_away_place="广东省东莞市",
                    father_away_months="12", mother_status="away_out_province",
                    mother_away_place="广东省东莞市", mother_away_months="12",
                    carer_type="grandparent", carer_name="张奶奶", carer_relation="祖母")
    view = main.open_visit(record)
    assert "类别：留守儿童" in view.summary.text() and "上次走访" in view.summary.text()
    assert view.rows["has_id_number"].value() == "yes"  # the carried answer is checked
    assert view.rows["sex"].value() == "male"


def test_focus_mark__radio_and_check_box_look_different_when_focused(
    qtbot: Any, main: Any
) -> None:
    from PySide6.QtGui import QColor

    mark = QColor("#fff3c4").rgb()

    def marked(widget: QWidget) -> int:
        image = widget.grab().toImage()
        return sum(
            1
            for x in range(image.width())
            for y in range(image.height())
            if image.pixel(x, y) == mark
        )

    view = open_new_child(qtbot, main)
    for path in ("residence_type", "family_difficulty", "@siblings"):
        view.focus_path(path)
        control = focus()
        assert marked(control) > 20, path  # the tinted background of the shipped style
        view.focus_path("surveyor_name")
        assert marked(control) == 0, path


def test_change_password__refused_new_password_selected_message_whole(
    qtbot: Any, workspace: Any
) -> None:
    from surveyapp.ui.tools.password import ChangePasswordDialog

    dialog = ChangePasswordDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for field, text in ((dialog.old, "correct horse 42"), (dialog.new, "short"),
                        (dialog.again, "short")):
        field.setFocus()
        qtbot.keyClicks(field, text)
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.problem.isVisible() and dialog.problem.text()
    assert dialog.focusWidget() is dialog.new and dialog.new.selectedText() == "short"
    assert dialog.again.text() == ""
    problem = dialog.problem
    assert problem.height() >= problem.heightForWidth(problem.width())
    assert [lab.text() for lab in dialog.findChildren(QLabel) if lab.buddy()] == [
        "当前密码(&O)：", "新密码(&N)：", "再输一次(&A)："]


def test_with_mnemonic__chinese_after_the_text_english_inside_a_word() -> None:
    from surveyapp.ui.mnemonics import with_mnemonic

    assert with_mnemonic("新建儿童档案", "n") == "新建儿童档案(&N)"
    assert with_mnemonic("导出数据包（上报）……", "E") == "导出数据包（上报）(&E)……"
    assert with_mnemonic("用户名：", "U") == "用户名(&U)："
    assert with_mnemonic("Export batch (report up)…", "E") == "&Export batch (report up)…"
    assert with_mnemonic("Import re-ceipts…", "C") == "Import re-&ceipts…"
    assert with_mnemonic("文件(&F)", "X") == "文件(&F)"  # has one already
    assert with_mnemonic("Salt && pepper", "P") == "Salt && &pepper"
