"""A village worker's first day by keyboard alone (issue 21, "How to show it").

First-run wizard, login, a complete child (with a sibling), search, a follow-up visit,
enrollment and the batch export, with keys sent only to ``QApplication.focusWidget()``:
focus is asserted after each step, no window other than the main window, dialogs, menus
and popups ever appears, no step needs more than 3 Tabs from one control to the next, and
the keystroke count is printed (Chinese is counted as its pinyin plus the space that
picks it). The county's side of the enrollment is done with ``ops.trust``, as the county
would on its own computer; the file pickers are Qt's own dialogs, typed into.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTableView,
    QWidget,
)
from test_keyboard import WindowWatch
from uihelpers import type_text

from surveyapp.core.ids import make_resident_id

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
PASSWORD = "village pass 42"  # noqa: S105 - a test password
BIRTH = dt.date(2016, 3, 15)
CHILD_ID = make_resident_id("522422", BIRTH, 11)
PINYIN = {
    "箐口村": "qingkoucun",
    "王芳": "wangfang",
    "张小明": "zhangxiaoming",
    "张建国": "zhangjianguo",
    "李秀英": "lixiuying",
    "广东省东莞市": "guangdongshengdongguanshi",
    "张奶奶": "zhangnainai",
    "祖母": "zumu",
    "张小红": "zhangxiaohong",
}


class Keyboard:
    """Sends keys to the focused widget only, counts them, and answers modal dialogs."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.count = 0
        self.steps: dict[str, int] = {}
        self.tabs = 0
        self.most_tabs = 0
        self.handlers: list[Callable[[QWidget], None]] = []
        self._seen: list[QWidget] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "the keyboard focus is nowhere"
        return widget

    def key(self, key: Any, modifier: Any = NONE, times: int = 1) -> Any:
        assert not (key == K.Key_Tab and modifier & ALT), "no Alt+Tab"
        for _ in range(times):
            # An open menu (a popup) gets the keys, as on a real display.
            target = QApplication.activePopupWidget() or self.focus()
            QTest.keyClick(target, key, modifier)
            self.count += 1
            if key in (K.Key_Tab, K.Key_Backtab):
                self.tabs += 1
                self.most_tabs = max(self.most_tabs, self.tabs)
            else:
                self.tabs = 0
        return QApplication.focusWidget()  # None once the last window closed

    def type(self, text: str) -> None:
        """ASCII key by key; Chinese as the input method commits it (pinyin + space)."""
        if text.isascii():
            QTest.keyClicks(self.focus(), text)
            self.count += len(text)
        else:
            type_text(self.qtbot, self.focus(), text)
            self.count += len(PINYIN[text]) + 1
        self.tabs = 0

    def step(self, name: str) -> None:
        """Close a step: record the keys it took."""
        self.steps[name] = self.count - sum(self.steps.values())

    def on_modal(self, handler: Callable[[QWidget], None]) -> None:
        """Answer the next modal dialog that opens with ``handler`` (keys to its focus)."""
        self.handlers.append(handler)

    def _poll(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or not modal.isVisible() or modal in self._seen or not self.handlers:
            return
        if QApplication.activeWindow() is not modal:
            modal.activateWindow()  # what the window manager does with a new dialog
            return
        focus = QApplication.focusWidget()
        if focus is None or not modal.isAncestorOf(focus):
            return
        self._seen.append(modal)
        self.handlers.pop(0)(modal)

    def wait_handled(self, window: QWidget) -> None:
        """Wait until every expected dialog was answered and closed; the window manager
        then gives the activation back to ``window`` (the offscreen platform does not)."""
        self.qtbot.waitUntil(lambda: not self.handlers, timeout=10000)
        self.qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=10000)
        if QApplication.activeWindow() is None:
            window.activateWindow()
        self.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)


def show(qtbot: Any, window: QWidget) -> None:
    """Show ``window`` and activate it, as the window manager does with a new window."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)


def path_of(view: Any) -> str | None:
    return view._path_of(QApplication.focusWidget())


def fill_form(kb: Keyboard, view: Any, plan: dict[str, Any], siblings: list[dict[str, Any]]
              ) -> list[str]:
    """Enter from field to field typing ``plan``; at "添加一项" Enter adds each sibling of
    ``siblings`` (typed the same way), then Tab goes on. Returns the paths visited."""
    visited: list[str] = []
    todo = list(siblings)
    current: dict[str, Any] = {}
    for _ in range(200):
        widget = kb.focus()
        if widget in view.add_buttons.values():
            if todo:
                current = todo.pop(0)
                kb.key(K.Key_Return)
            else:
                kb.key(K.Key_Tab)
            continue
        path = path_of(view)
        assert path is not None, f"the focus left the form: {widget!r}"
        visited.append(path)
        action = plan.get(path, current.get(path.split("/")[-1]) if "[" in path else None)
        if isinstance(action, str) and len(action) == 1 and action.isdigit():
            kb.key(getattr(K, f"Key_{action}"))
        elif isinstance(action, str):
            kb.type(action)
        elif isinstance(action, list):
            for key in action:
                kb.key(key)
        if path == visited[0] and len(visited) > 1:
            break
        kb.key(K.Key_Return)
        if path_of(view) == path:
            break  # the last field: Enter stays
    return visited


DOWN = K.Key_Down
CHILD = {
    "township_code": [DOWN],  # 羊场镇
    "village_code": [DOWN, DOWN],  # 箐口村
    "residence_type": "1",
    "surveyor_name": "王芳",
    "child_name": "张小明",
    "sex": "1",
    "ethnicity": [DOWN],
    "has_id_number": "1",
    "id_number": CHILD_ID,
    "hukou_rural": "1",
    "health_status": "1",
    "father_name": "张建国",
    "father_status": [DOWN, DOWN, DOWN],  # 省外外出务工
    "father_away_place": "广东省东莞市",
    "father_away_months": "12",
    "mother_name": "李秀英",
    "mother_status": [DOWN, DOWN, DOWN],
    "mother_away_place": "广东省东莞市",
    "mother_away_months": "12",
    "contact_frequency": "2",
    "carer_type": "2",  # 祖父母
    "carer_name": "张奶奶",
    "carer_relation": "祖母",
    "carer_age": "66",
    "carer_health": "1",
    "consent": "1",
}
SISTER = {"sibling_name": "张小红", "sibling_sex": "2", "sibling_birth_year": "2012",
          "sibling_lives_with": "1"}


# The offscreen platform cannot raise a menu or grab the keyboard for it (a real X can).
@pytest.mark.qt_log_ignore(
    "does not support raise", "does not support grabbing the keyboard", "propagateSizeHints"
)
def test_first_day__keyboard_only(app: Any, qtbot: Any, tmp_path: Path, home: Path) -> None:
    from surveyapp.core.store import Workspace
    from surveyapp.ops import trust
    from surveyapp.ui.dialogs.login import LoginDialog
    from surveyapp.ui.dialogs.wizard import FirstRunWizard
    from surveyapp.ui.formview.view import FormView
    from surveyapp.ui.settings import Settings
    from surveyapp.ui.startup import Startup

    watch = WindowWatch()
    app.installEventFilter(watch)
    kb = Keyboard(qtbot)
    where = tmp_path / "village.sdb"

    # 1. The first-run wizard: create the village workspace.
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    show(qtbot, wizard)
    assert kb.focus().objectName() == "choiceCreate"
    kb.key(K.Key_Return)  # 下一步
    assert kb.focus().objectName() == "role"  # 村（居）儿童主任 is the first role
    kb.key(K.Key_Tab)
    kb.type("522422102201")
    kb.key(K.Key_Tab)
    kb.type("箐口村")
    kb.key(K.Key_Tab)
    kb.type("wangfang")
    kb.key(K.Key_Tab)
    kb.type("short")
    kb.key(K.Key_Tab)
    kb.type("short")
    kb.key(K.Key_Tab)
    assert kb.focus().objectName() == "recoveryRecipient"  # optional: the county's key
    kb.key(K.Key_Tab)
    kb.key(K.Key_A, CTRL)  # the suggested path is typed over
    kb.type(str(where))
    kb.key(K.Key_Return)  # 完成: refused, the password is selected for retyping
    page = wizard.create_page
    assert page.message.text() == "密码至少 8 位。"
    assert kb.focus() is page.password and page.password.selectedText() == "short"
    assert page.password2.text() == ""
    kb.type(PASSWORD)
    kb.key(K.Key_Tab)
    kb.type(PASSWORD)
    kb.key(K.Key_Return)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10000)
    assert wizard.workspace is not None
    wizard.workspace.close()
    kb.step("wizard")

    # 2. Login (one wrong password first): the cursor ends in the search box.
    login = LoginDialog(where, "wangfang")
    qtbot.addWidget(login)
    show(qtbot, login)
    assert kb.focus() is login.password
    kb.type("wrongpass")
    kb.key(K.Key_Return)
    assert "不正确" in login.message.text()
    assert login.password.selectedText() == "wrongpass"
    message = login.message
    assert message.height() >= message.heightForWidth(message.width())  # not clipped
    kb.type(PASSWORD)
    kb.key(K.Key_Return)
    assert login.result() == login.DialogCode.Accepted
    ws = login.workspace
    window = Startup(Settings.load()).main_window(ws, where)
    qtbot.addWidget(window)
    show(qtbot, window)
    qtbot.waitUntil(lambda: kb.focus() is window.list_page.search, timeout=3000)
    qtbot.waitUntil(lambda: window.menuBar().findChild(QMenu, "toolsMenu") is not None)
    kb.step("login")

    # 3. Export before enrollment: it says why first (with the code), asks nothing.
    said: list[str] = []
    kb.on_modal(lambda box: (said.append(box.text() + box.informativeText()),
                             kb.key(K.Key_Return)))
    kb.key(K.Key_E, CTRL)
    kb.wait_handled(window)
    assert "尚未登记" in said[0] and "TRUST_008" in said[0]
    assert kb.focus() is window.list_page.search
    kb.step("export refused")

    # 4. A complete child, with a sister, by Enter; Ctrl+Enter saves and opens the file.
    kb.key(K.Key_N, CTRL)
    view = window.tabs.currentWidget()
    assert isinstance(view, FormView)
    qtbot.waitUntil(lambda: path_of(view) == "township_code", timeout=3000)
    assert QApplication.activeWindow() is window
    visited = fill_form(kb, view, CHILD, [SISTER])
    assert "siblings[0]/sibling_name" in visited and "no_id_reason" not in visited
    assert view.session.errors("zh") == {}, view.session.errors("zh")
    assert view.session.value("is_left_behind") == "yes"
    kb.key(K.Key_Return, CTRL)
    qtbot.waitUntil(lambda: kb.focus().objectName() == "addVisit", timeout=5000)
    child_file = window.tabs.currentWidget()
    kb.step("child")

    # 5. Search by pinyin initials: Enter goes to the result, Esc back, Enter opens it.
    kb.key(K.Key_F, CTRL)
    assert kb.focus() is window.list_page.search
    kb.type("zxm")
    assert isinstance(kb.key(K.Key_Return), QTableView)
    assert kb.key(K.Key_Escape) is window.list_page.search
    assert isinstance(kb.key(K.Key_Return), QTableView)
    kb.key(K.Key_Return)
    qtbot.waitUntil(lambda: kb.focus().objectName() == "addVisit", timeout=3000)
    assert window.tabs.currentWidget() is child_file
    kb.step("search")

    # 6. A follow-up visit: the last visit's category shows at once; the status is asked.
    kb.key(K.Key_Return)  # 添加回访记录
    visit = window.tabs.currentWidget()
    assert isinstance(visit, FormView) and visit is not view
    qtbot.waitUntil(lambda: path_of(visit) is not None, timeout=3000)
    assert "留守儿童" in visit.summary.text() and "上次" in visit.summary.text()
    again = {k: CHILD[k] for k in ("health_status", "father_status", "father_away_place",
                                  "father_away_months", "mother_status", "mother_away_place",
                                  "mother_away_months", "contact_frequency", "carer_age",
                                  "carer_health", "consent")}
    fill_form(kb, visit, again, [])
    assert visit.session.errors("zh") == {}, visit.session.errors("zh")
    assert "上次" not in visit.summary.text() and "留守儿童" in visit.summary.text()
    kb.key(K.Key_Return, CTRL)
    qtbot.waitUntil(lambda: kb.focus().objectName() == "addVisit", timeout=5000)
    kb.step("follow-up")

    # 7. Enrollment: the request through 工具(&T) → 生成设备登记申请(&Q), the county
    # enrolls the device (on its own computer), the file comes back: 工具 → 导入(&T).
    usb = tmp_path / "usb"
    usb.mkdir()

    def pick(path: Path) -> Callable[[QWidget], None]:
        def answer(dialog: QWidget) -> None:
            assert isinstance(dialog, QFileDialog)
            assert isinstance(kb.focus(), QLineEdit)
            kb.key(K.Key_A, CTRL)
            kb.type(str(path))
            kb.key(K.Key_Return)
        return answer

    def enter(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        said.append(dialog.text())
        kb.key(K.Key_Return)

    kb.on_modal(pick(usb))
    kb.on_modal(enter)
    kb.key(K.Key_T, ALT)
    kb.key(K.Key_Q)
    kb.wait_handled(window)
    request = usb / "522422102201_enroll_request.json"
    assert request.exists() and request.name in said[-1]
    county = Workspace.create(tmp_path / "county.sdb", role="county", org_code="522422",
                              org_name="测试县", user="county", password=PASSWORD,
                              work_factor=10)
    code_on_paper = trust.init_county(county).fingerprint  # what the county phones over
    trust.enroll_device(county, request, usb / "enrollment.json")
    county.close()

    def compare(box: QWidget) -> None:  # 核对县级密钥: the code read, then 一致，导入(&Y)
        assert isinstance(box, QMessageBox) and code_on_paper in box.text()
        kb.key(K.Key_Y, ALT)

    kb.on_modal(pick(usb / "enrollment.json"))
    kb.on_modal(compare)
    kb.on_modal(enter)
    kb.key(K.Key_T, ALT)
    kb.key(K.Key_T)
    kb.wait_handled(window)
    assert "现在可以导出数据包了" in said[-1]
    kb.step("enrollment")

    # 8. The export: Ctrl+E, the USB folder, Enter on the result.
    kb.on_modal(pick(usb))
    kb.on_modal(enter)
    kb.key(K.Key_E, CTRL)
    kb.wait_handled(window)
    batches = [p for p in usb.iterdir() if p.name not in (request.name, "enrollment.json")]
    assert len(batches) == 1 and batches[0].name in said[-1]
    kb.step("export")

    # Ctrl+W closes the child file's tab; the cursor goes back to a page, not the tab bar.
    tabs = window.tabs.count()
    kb.key(K.Key_W, CTRL)
    assert window.tabs.count() == tabs - 1
    page = window.tabs.currentWidget()
    qtbot.waitUntil(lambda: page.isAncestorOf(kb.focus()), timeout=3000)

    kb.timer.stop()
    app.removeEventFilter(watch)
    window.close()
    assert watch.strays() == [], "a widget opened as a window of its own"
    assert kb.most_tabs <= 3, f"{kb.most_tabs} Tabs in a row to reach a control"
    steps = ", ".join(f"{k} {v}" for k, v in kb.steps.items())
    print(f"\nkeystrokes: {kb.count} in all, at most {kb.most_tabs} Tabs in a row; {steps}")
