"""The main window: the children list with the urgent panel, the dashboard, and a tab per
open child file or form.

``MainWindow(backend, settings)``; ``open_child(record_id)``, ``new_child()``,
``open_visit(record_id)`` open tabs; ``set_language`` stores the choice (applied at restart).
"""

from __future__ import annotations

import importlib.util
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from surveyapp.errors import SurveyError
from surveyapp.ui.errordialogs import show_error
from surveyapp.ui.mnemonics import menu_mnemonics
from surveyapp.ui.settings import Settings
from surveyapp.ui.widgets.childlist import ChildListPage

# Alt+letters of the menu items (object name → letter); the others take their shortcut's
# letter (Ctrl+N → N) or the first free one.
MNEMONICS = {
    "action.close_tab": "W",
    "action.quit": "Q",
    "lang.zh_CN": "Z",
    "lang.en": "E",
    "tool.export_batch": "E",
    "tool.export_relay": "R",
    "tool.export_down": "D",
    "tool.import_down": "I",
    "tool.import_receipts": "C",
    "tool.exports": "X",
    "tool.enroll_request": "Q",
    "tool.import_trust": "T",
    "tool.init_county": "K",
    "tool.enroll_device": "L",
    "tool.devices": "V",
    "tool.trust_update": "U",
    "tool.change_password": "P",
    "tool.recovery_issue": "S",
    "tool.recovery_request": "S",
    "tool.recovery_apply": "A",
}


class MainWindow(QMainWindow):
    def __init__(self, backend: Any, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.backend = backend
        self.settings = settings
        ws = backend.ws
        self.setWindowTitle(
            self.tr("农村留守儿童和困境儿童摸底排查 — {0}（{1}）").format(
                getattr(ws, "org_name", ""), getattr(ws, "user", "")
            )
        )
        self.resize(1280, 760)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        # Closing a tab goes back to the one used before it (the list, usually).
        self.tabs.tabBar().setSelectionBehaviorOnRemove(
            self.tabs.tabBar().SelectionBehavior.SelectPreviousTab
        )
        self.tabs.currentChanged.connect(lambda _i: QTimer.singleShot(0, self, self._focus_page))
        self.list_page = ChildListPage(backend, backend.villages(), backend.village_name)
        self.list_page.child_activated.connect(self.open_child)
        self.tabs.addTab(self.list_page, self.tr("儿童名单"))
        # The dashboard (QtCharts) is built when its tab is first opened, to keep start-up fast.
        self.dashboard: QWidget | None = None
        self.dashboard_page: QWidget | None = None
        if importlib.util.find_spec("surveyapp.ui.dashboard") is not None:
            self.dashboard_page = QWidget()
            self.dashboard_page.setObjectName("dashboardPage")
            QVBoxLayout(self.dashboard_page).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(self.dashboard_page, self.tr("统计"))
            self.tabs.currentChanged.connect(self._maybe_build_dashboard)
        for i in range(self.tabs.count()):
            self.tabs.tabBar().setTabButton(i, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.setCentralWidget(self.tabs)
        self._menus()
        self.status_label = QLabel(
            self.tr("{0}  {1}  用户：{2}").format(
                getattr(ws, "org_code", ""), getattr(ws, "org_name", ""), getattr(ws, "user", "")
            )
        )
        self.statusBar().addPermanentWidget(self.status_label)
        self.fixed_tabs: list[QWidget] = [self.list_page]
        if self.dashboard_page is not None:
            self.fixed_tabs.append(self.dashboard_page)
        QTimer.singleShot(300, lambda: backend.preload_form(self.list_page.refresh))
        QTimer.singleShot(200, self.add_review_tabs)
        QTimer.singleShot(150, self.add_tool_actions)
        self._first_show = True
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # see eventFilter

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """The menu shortcuts win over a line edit's own keys: on X11 a line edit takes
        Ctrl+E (end of line) and more, so Ctrl+E in the search box would not export."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and isinstance(obj, QLineEdit)
            and self.isAncestorOf(obj)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            pressed = QKeySequence(event.keyCombination())
            for action in self.findChildren(QAction):
                if action.isEnabled() and pressed in action.shortcuts():
                    event.ignore()  # not overridden: the shortcut fires
                    return True
        return False

    def showEvent(self, event: QShowEvent) -> None:
        """After login the cursor is in the search box."""
        super().showEvent(event)
        if self._first_show:
            self._first_show = False
            QTimer.singleShot(0, self, self.focus_search)

    def _focus_page(self) -> None:
        """Put the cursor back in the page of the current tab (not on the tab bar): where it
        was, else the page's own first control (the search box of the list)."""
        page = self.tabs.currentWidget()
        if page is None or not self.isVisible():
            return
        if page is self.list_page:
            if not page.isAncestorOf(QApplication.focusWidget()):
                self.focus_search()
            return
        target = page.focusWidget() or page.focusProxy()
        if target is None:
            policy = Qt.FocusPolicy.TabFocus
            target = next(
                (
                    w
                    for w in page.findChildren(QWidget)
                    if w.focusPolicy() & policy == policy and w.isVisible() and w.isEnabled()
                ),
                None,
            )
        if target is not None and target.isVisible() and not target.hasFocus():
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_mnemonics(self) -> None:
        """Alt+letter on every menu item (tools included), Chinese style: 新建儿童档案(&N)."""
        for action in self.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu):
                menu_mnemonics(menu, MNEMONICS)

    def add_tool_actions(self) -> None:
        """The tools menu (batch export, enrollment, exports, passwords) for this role."""
        if importlib.util.find_spec("surveyapp.ui.tools") is None:
            return
        try:
            from surveyapp.ui.tools import install_tool_actions

            install_tool_actions(self, self.backend.ws)
        except Exception as err:  # the tools must not stop data entry
            from surveyapp.crashlog import log_bug

            log_bug(err, "main window: tools")
        self.add_mnemonics()

    def add_review_tabs(self) -> None:
        """The township/county review tabs (conflicts, duplicates, returns), after start-up."""
        if importlib.util.find_spec("surveyapp.ui.review") is None:
            return
        try:
            from surveyapp.ui.review import review_tabs

            tabs = review_tabs(self.backend.ws)
        except Exception as err:  # the review screens must not stop data entry
            from surveyapp.crashlog import log_bug

            log_bug(err, "main window: review tabs")
            return
        for title, widget in tabs:
            for signal in ("resolved", "decided"):
                if hasattr(widget, signal):
                    getattr(widget, signal).connect(self.on_records_changed)
            if hasattr(widget, "open_child"):
                widget.open_child.connect(self.open_child)
            index = self.tabs.insertTab(len(self.fixed_tabs), widget, title)
            self.tabs.tabBar().setTabButton(
                index, self.tabs.tabBar().ButtonPosition.RightSide, None
            )
            self.fixed_tabs.append(widget)

    def show_duplicates(self) -> None:
        """Open the 疑似重复 review tab (from the dashboard's notice)."""
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget is not None and widget.objectName() == "reviewDuplicates":
                self.tabs.setCurrentIndex(index)
                getattr(widget, "refresh", lambda: None)()
                return

    def _maybe_build_dashboard(self, index: int) -> None:
        page = self.dashboard_page
        if page is None or self.dashboard is not None or self.tabs.widget(index) is not page:
            return
        self.dashboard = self._dashboard()
        layout = page.layout()
        if self.dashboard is not None and layout is not None:
            layout.addWidget(self.dashboard)

    def show_dashboard(self) -> QWidget | None:
        if self.dashboard_page is not None:
            self.tabs.setCurrentWidget(self.dashboard_page)
        return self.dashboard

    def _dashboard(self) -> QWidget | None:
        try:
            from surveyapp.ui import dashboard

            board = dashboard.DashboardWidget(self.backend.ws)
            board.duplicates_requested.connect(self.show_duplicates)
            widget: QWidget = board
            return widget
        except Exception as err:  # a broken dashboard must not stop data entry
            from surveyapp.crashlog import log_bug

            log_bug(err, "main window: dashboard")
            return None

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        new = QAction(self.tr("新建儿童档案"), self)
        new.setObjectName("action.new")
        new.setShortcut(QKeySequence("Ctrl+N"))
        new.triggered.connect(self.new_child)
        file_menu.addAction(new)
        find = QAction(self.tr("查找儿童"), self)
        find.setObjectName("action.find")
        find.setShortcut(QKeySequence("Ctrl+F"))
        find.triggered.connect(self.focus_search)
        file_menu.addAction(find)
        # find_spec of a package, not of its submodule: that would import the package.
        # A village only sends batches: importing them is the township's and the county's.
        if (importlib.util.find_spec("surveyapp.ui.review") is not None
                and getattr(self.backend.ws, "role", "") != "village"):
            imp = QAction(self.tr("导入数据包……"), self)
            imp.setObjectName("action.import")
            imp.setShortcut(QKeySequence("Ctrl+I"))
            imp.triggered.connect(self.import_batches)
            file_menu.addAction(imp)
        file_menu.addSeparator()
        close_tab = QAction(self.tr("关闭标签页"), self)
        close_tab.setObjectName("action.close_tab")
        close_tab.setShortcut(QKeySequence("Ctrl+W"))
        close_tab.triggered.connect(lambda: self.close_tab(self.tabs.currentIndex()))
        file_menu.addAction(close_tab)
        quit_action = QAction(self.tr("退出"), self)
        quit_action.setObjectName("action.quit")
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        settings_menu = self.menuBar().addMenu(self.tr("设置(&S)"))
        lang_menu = settings_menu.addMenu(self.tr("界面语言 / Language"))
        for code, text in (("zh_CN", "简体中文"), ("en", "English")):
            action = QAction(text, self)
            action.setObjectName(f"lang.{code}")
            action.setCheckable(True)
            action.setChecked(self.settings.language == code)
            action.triggered.connect(lambda _c=False, c=code: self.set_language(c))
            lang_menu.addAction(action)
        self.toolbar = self.addToolBar(self.tr("工具栏"))
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addAction(new)
        self.toolbar.addAction(find)
        self.add_mnemonics()

    # --- tabs ----------------------------------------------------------------------------
    def _tab_for(self, key: str) -> int:
        for i in range(self.tabs.count()):
            if self.tabs.widget(i).property("tab_key") == key:
                return i
        return -1

    def _add_tab(self, key: str, widget: QWidget, title: str) -> QWidget:
        widget.setProperty("tab_key", key)
        index = self.tabs.addTab(widget, title)
        self.tabs.setCurrentIndex(index)
        return widget

    def close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget in self.fixed_tabs:
            return
        saver = getattr(widget, "save_draft", None)
        if callable(saver):
            try:
                saver()
            except SurveyError as err:
                show_error(self, err)
                return
        self.tabs.removeTab(index)
        widget.deleteLater()

    def open_child(self, record_id: str) -> QWidget:
        from surveyapp.ui.widgets.childfile import ChildFileView

        key = f"child:{record_id}"
        existing = self._tab_for(key)
        if existing >= 0:
            self.tabs.setCurrentIndex(existing)
            widget = self.tabs.widget(existing)
            getattr(widget, "reload", lambda: None)()
            return widget
        view = ChildFileView(self.backend, record_id)
        view.add_visit_requested.connect(self.open_visit)
        view.changed.connect(self.on_records_changed)
        view.open_child_requested.connect(self.open_child)
        return self._add_tab(key, view, view.title())

    def new_child(self) -> QWidget:
        from surveyapp.ui.formview.view import FormView

        view = FormView(self.backend, None, last_saved=self.backend.last_saved_defaults())
        view.saved.connect(self.on_form_saved)
        view.open_existing.connect(self.open_child)
        return self._add_tab(f"form:{view.draft_key}", view, self.tr("新建档案"))

    def open_visit(self, record_id: str) -> QWidget:
        from surveyapp.ui.formview.view import FormView

        key = f"visit:{record_id}"
        existing = self._tab_for(key)
        if existing >= 0:
            self.tabs.setCurrentIndex(existing)
            return self.tabs.widget(existing)
        plan = self.backend.follow_up(record_id)
        answers = self.backend.child_answers(record_id)
        # The last visit's answers carried into the current form (renamed ones moved), and
        # its classification for the header until this visit is complete.
        last = {**{k: answers[k] for k in ("category_label", "risk_level") if k in answers},
                **plan.carried.start}
        view = FormView(self.backend, record_id, last_saved=last, draft_key=f"visit:{record_id}",
                        follow_up=plan)
        view.saved.connect(self.on_form_saved)
        name = str(last.get("child_name", "")) if last else ""
        return self._add_tab(key, view, self.tr("回访：{0}").format(name))

    def on_form_saved(self, record_id: str) -> None:
        sender = self.sender()
        self.on_records_changed()
        if isinstance(sender, QWidget):
            index = self.tabs.indexOf(sender)
            if index >= 0:
                self.tabs.removeTab(index)
                sender.deleteLater()
        self.open_child(record_id)
        self.statusBar().showMessage(self.tr("已保存"), 4000)

    def on_records_changed(self) -> None:
        self.list_page.refresh()
        refresh = getattr(self.dashboard, "refresh", None)
        if callable(refresh):
            refresh()

    def import_batches(self) -> None:
        """The batch import dialog (dry run, then all or nothing); refresh after."""
        from surveyapp.ui.review.imports import open_import_dialog

        if open_import_dialog(self, self.backend.ws):
            self.on_records_changed()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.list_page)
        self.list_page.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.list_page.search.selectAll()

    def set_language(self, code: str) -> None:
        self.settings.set("language", code)
        QMessageBox.information(
            self,
            "surveyapp",
            "界面语言将在重新启动后生效。\nThe language changes when the app restarts.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        # Let the field being edited finish (and save) while the workspace is still open.
        focused = self.focusWidget()
        if focused is not None:
            focused.clearFocus()
        for i in range(self.tabs.count()):
            saver = getattr(self.tabs.widget(i), "save_draft", None)
            if callable(saver):
                try:
                    saver()
                except SurveyError as err:
                    show_error(self, err)
        close = getattr(self.backend, "close", None)
        if callable(close):
            close()
        event.accept()
