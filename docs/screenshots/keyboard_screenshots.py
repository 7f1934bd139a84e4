"""The keyboard screens of issue 21 under a real X server, at 100% and 150%:

    for s in 1 1.5; do xvfb-run -a -s "-screen 0 2200x1300x24" \
        .venv/bin/python docs/screenshots/keyboard_screenshots.py $s; done

(the xcb plugin needs libxcb-cursor0, libxcb-icccm4 and libxcb-keysyms1 on Debian).

Drives the app with keys sent to the focused widget (as tests/ui/test_keyboard_day.py does)
and grabs the screen (``QScreen.grabWindow``: menus and dialogs as X shows them) into
``docs/screenshots/kb-<screen>-<100|150>.png``: the wizard refusing a short password, the
login refusing a wrong one, the export refused before enrollment, the form with the focus
mark on a radio, the siblings' 添加一项 reached by Enter, the follow-up header, the search
results, the child file opened from them and the tools menu with its Alt letters.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "ui"))
TMP = Path(tempfile.mkdtemp(prefix="kb-shots-"))
os.environ["SURVEYAPP_HOME"] = str(TMP / "home")
os.environ.setdefault("SURVEYAPP_LANG", "zh_CN")
SCALE = sys.argv[1] if len(sys.argv) > 1 else "1"
os.environ["QT_SCALE_FACTOR"] = SCALE
PASSWORD = "village pass 42"  # noqa: S105 - a screenshot workspace


def main() -> int:
    from PySide6.QtCore import QRect, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from surveyapp.ui.app import make_app

    app, settings = make_app()
    tag = "100" if float(SCALE) == 1 else str(round(float(SCALE) * 100))

    def wait(ms: int = 150) -> None:
        QTest.qWait(ms)

    def focus() -> QWidget:
        for _ in range(50):
            widget = QApplication.focusWidget()
            if widget is not None:
                return widget
            wait(20)
        raise SystemExit("no focus")

    def key(k: Any, mod: Any = Qt.KeyboardModifier.NoModifier) -> None:
        target = QApplication.activePopupWidget() or focus()
        QTest.keyClick(target, k, mod)

    def text(s: str) -> None:
        from uihelpers import type_text

        if s.isascii():
            QTest.keyClicks(focus(), s)
        else:
            type_text(None, focus(), s)

    def shot(window: QWidget, name: str, extra: QRect | None = None) -> None:
        wait(250)
        screen = window.screen()
        rect = window.frameGeometry()
        if extra is not None:
            rect = rect.united(extra)
        pixmap = screen.grabWindow(0, rect.x(), rect.y(), rect.width(), rect.height())
        out = HERE / f"kb-{name}-{tag}.png"
        pixmap.save(str(out))
        print("saved", out.name, pixmap.width(), "x", pixmap.height())

    def show(window: QWidget) -> None:
        window.move(0, 0)
        window.show()
        window.activateWindow()
        wait(300)

    # The wizard refusing a short password (selected for retyping).
    from surveyapp.ui.dialogs.wizard import FirstRunWizard

    wizard = FirstRunWizard()
    show(wizard)
    key(Qt.Key.Key_Return)
    wait()
    for value in ("", "522422102201", "箐口村", "wangfang", "short", "short"):
        if value:
            text(value)
        key(Qt.Key.Key_Tab)
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    text(str(TMP / "village.sdb"))
    key(Qt.Key.Key_Return)
    shot(wizard, "wizard-password")
    text(PASSWORD)
    key(Qt.Key.Key_Tab)
    text(PASSWORD)
    key(Qt.Key.Key_Return)
    wait(500)
    ws = wizard.workspace
    ws.close()
    wizard.deleteLater()

    # The login refusing a wrong password: the whole message, the password selected.
    from surveyapp.ui.dialogs.login import LoginDialog

    login = LoginDialog(TMP / "village.sdb", "wangfang")
    show(login)
    text("wrongpass")
    key(Qt.Key.Key_Return)
    shot(login, "login-wrong")
    text(PASSWORD)
    key(Qt.Key.Key_Return)
    wait()
    from surveyapp.ui.startup import Startup

    window = Startup(settings).main_window(login.workspace, TMP / "village.sdb")
    window.resize(1366, 768)
    show(window)
    wait(400)

    # Ctrl+E before enrollment: the reason and its code first.
    def grab_box(name: str) -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(50, lambda: grab_box(name))
            return
        box.activateWindow()

        def take() -> None:
            box.grab().save(str(HERE / f"kb-{name}-{tag}.png"))
            print("saved", name)
            QTest.keyClick(box, Qt.Key.Key_Return)

        QTimer.singleShot(300, take)

    QTimer.singleShot(100, lambda: grab_box("export-refused"))
    for _ in range(50):
        if QApplication.activeWindow() is window:
            break
        window.activateWindow()
        wait(100)
    key(Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    window.activateWindow()
    wait()

    # The form: the focus mark on a radio group, then the siblings' add button by Enter.
    key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wait(400)
    view = window.tabs.currentWidget()
    for keys in ([Qt.Key.Key_Down], [Qt.Key.Key_Down, Qt.Key.Key_Down], [Qt.Key.Key_1]):
        for k in keys:
            key(k)
        key(Qt.Key.Key_Return)
    text("王芳")
    key(Qt.Key.Key_Return)
    text("张小明")
    key(Qt.Key.Key_Return)
    shot(window, "form-radio-focus")
    view.focus_path("contact_frequency")
    key(Qt.Key.Key_2)
    key(Qt.Key.Key_Return)
    shot(window, "form-siblings-add")
    key(Qt.Key.Key_Return)
    text("张小红")
    key(Qt.Key.Key_Return)
    key(Qt.Key.Key_2)
    shot(window, "form-sibling")

    # A follow-up of a saved left-behind child: the last visit's category at once.
    from uihelpers import submit

    record = submit(window.backend, father_status="away_out_province",
                    father_away_place="广东省东莞市", father_away_months="12",
                    mother_status="away_out_province", mother_away_place="广东省东莞市",
                    mother_away_months="12", carer_type="grandparent", carer_name="张奶奶",
                    carer_relation="祖母", carer_age="66")
    window.on_records_changed()
    window.open_visit(record)
    wait(400)
    shot(window, "followup")

    # Search by pinyin initials, Enter: the cursor on the first result.
    key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    text("zxm")
    key(Qt.Key.Key_Return)
    shot(window, "search-results")
    key(Qt.Key.Key_Return)  # opens the file: the cursor on 添加回访记录
    wait(400)
    shot(window, "child-file")

    # The tools menu opened with Alt+T: every item with its letter.
    key(Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    wait(300)
    menu = QApplication.activePopupWidget()
    shot(window, "tools-menu", menu.frameGeometry() if menu is not None else None)
    key(Qt.Key.Key_Escape)
    window.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
