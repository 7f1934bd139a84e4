"""The children list page: the urgent panel and the ageing-out box on top, filters, search,
and the lazy table (age, categories and risk as of today once the form is loaded).

Signals: ``child_activated(record_id)`` when a row is opened (double click or Enter).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from surveyapp.ui.models.children import ChildFilter, ChildrenTableModel, ChildSource

SEARCH_DEBOUNCE_MS = 250


def _table(model: ChildrenTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(False)
    view.verticalHeader().setDefaultSectionSize(26)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    widths = (80, 60, 90, 160, 150, 150, 70, 70, 60, 90, 90)
    for col, width in enumerate(widths):
        view.setColumnWidth(col, width)
    return view


class UrgentPanel(QFrame):
    """Children flagged for mandatory reporting, with the steps to follow."""

    child_activated = Signal(str)

    def __init__(self, source: ChildSource, village_names: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("urgentPanel")
        self.setStyleSheet(
            "#urgentPanel { background: #fff0f0; border: 2px solid #c62828; border-radius: 6px; }"
        )
        self.model = ChildrenTableModel(source, village_names, self)
        self.model.set_filter(ChildFilter(urgent=True))
        self.title = QLabel()
        self.title.setObjectName("urgentTitle")
        self.title.setStyleSheet("color: #b71c1c; font-weight: bold; font-size: 12pt;")
        steps = QLabel(
            self.tr(
                "强制报告处置步骤：① 立即向公安机关报案（拨打 110）；"
                "② 同时报告乡镇（街道）和县民政局；"
                "③ 确保儿童有人临时照料，并在档案中记录报告时间和回执。"
            )
        )
        steps.setObjectName("urgentSteps")
        steps.setWordWrap(True)
        self.view = _table(self.model, "urgentTable")
        self.view.setMaximumHeight(120)
        self.view.doubleClicked.connect(
            lambda idx: self.child_activated.emit(self.model.record_id(idx.row()))
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(steps)
        layout.addWidget(self.view)
        self.refresh()

    def refresh(self) -> None:
        self.model.refresh()
        n = self.model.rowCount()
        self.title.setText(self.tr("需强制报告的儿童：{0} 名").format(n))
        self.view.setVisible(n > 0)


class AgeingPanel(QFrame):
    """Children who turned 16 (no longer 留守) or 18, or will within 90 days: beside the
    due list, so that the village re-checks them (``ops.children.ageing_out``)."""

    child_activated = Signal(str)
    WITHIN = 90

    def __init__(self, source: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ageingPanel")
        self.setStyleSheet(
            "#ageingPanel { background: #f3f8ff; border: 1px solid #90caf9; border-radius: 6px; }"
        )
        self.source = source
        self.title = QLabel()
        self.title.setObjectName("ageingTitle")
        self.title.setStyleSheet("color: #0d47a1; font-weight: bold;")
        self.list = QListWidget()
        self.list.setObjectName("ageingList")
        self.list.setMaximumHeight(120)
        self.list.itemActivated.connect(self._open)
        self.list.itemDoubleClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        try:
            found = list(self.source.ageing_out(self.WITHIN))
        except Exception:  # a list that cannot be made must not stop data entry
            found = []
        for item in found:
            if item.rule == "minor":
                rule = self.tr("满{0}岁：不再计入困境儿童，可退出").format(item.limit)
            else:
                rule = self.tr("满{0}岁：不再计为留守儿童").format(item.limit)
            when = self.tr("已于 {0}") if item.reached else self.tr("将于 {0}")
            entry = QListWidgetItem(
                self.tr("{0}（{1}岁）{2} {3}").format(
                    item.child_name, item.age, when.format(item.on), rule))
            entry.setData(Qt.ItemDataRole.UserRole, item.record_id)
            self.list.addItem(entry)
        self.title.setText(
            self.tr("即将超龄或已超龄（{0}天内）：{1} 名").format(self.WITHIN, len(found)))
        self.list.setVisible(bool(found))

    def _open(self, item: QListWidgetItem) -> None:
        self.child_activated.emit(str(item.data(Qt.ItemDataRole.UserRole)))


class ChildListPage(QWidget):
    """Search box, filters, the table and the urgent panel."""

    child_activated = Signal(str)

    def __init__(
        self,
        source: ChildSource,
        villages: list[tuple[str, str]],
        village_names: Any,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("childListPage")
        self._source = source
        self._searched = ""  # the last search written to the audit log
        self.urgent = UrgentPanel(source, village_names)
        self.urgent.child_activated.connect(self.child_activated)
        self.ageing: AgeingPanel | None = None
        if hasattr(source, "ageing_out"):
            self.ageing = AgeingPanel(source)
            self.ageing.child_activated.connect(self.child_activated)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索：姓名、拼音首字母或身份证号"))
        self.village = QComboBox()
        self.village.setObjectName("villageFilter")
        self.village.addItem(self.tr("全部村（居）"), "")
        for code, name in villages:
            self.village.addItem(name, code)
        self.category = QComboBox()
        self.category.setObjectName("categoryFilter")
        for text, key in (
            (self.tr("全部类别"), ""),
            (self.tr("留守儿童"), "left_behind"),
            (self.tr("困境儿童"), "in_difficulty"),
            (self.tr("孤儿"), "orphan"),
            (self.tr("事实无人抚养儿童"), "unsupported"),
        ):
            self.category.addItem(text, key)
        self.risk = QComboBox()
        self.risk.setObjectName("riskFilter")
        for text, key in (
            (self.tr("全部风险"), ""),
            (self.tr("高风险"), "high"),
            (self.tr("中风险"), "medium"),
            (self.tr("低风险"), "low"),
        ):
            self.risk.addItem(text, key)
        self.urgent_only = QCheckBox(self.tr("仅强制报告"))
        self.urgent_only.setObjectName("urgentFilter")
        self.due = QCheckBox(self.tr("到期需走访"))
        self.due.setObjectName("dueFilter")
        self.exited = QCheckBox(self.tr("含已退出"))
        self.exited.setObjectName("exitedFilter")
        self.model = ChildrenTableModel(source, village_names, self)
        self.view = _table(self.model, "childTable")
        self.view.doubleClicked.connect(self._open_index)
        self.view.activated.connect(self._open_index)
        self.view.installEventFilter(self)
        self.search.installEventFilter(self)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.go_to_results)
        for combo in (self.village, self.category, self.risk):
            combo.currentIndexChanged.connect(self.apply_filter)
        for box in (self.urgent_only, self.due, self.exited):
            box.toggled.connect(self.apply_filter)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for w in (self.village, self.category, self.risk):
            bar.addWidget(w, 1)
        for box in (self.urgent_only, self.due, self.exited):
            bar.addWidget(box)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.urgent, 3)
        if self.ageing is not None:
            top.addWidget(self.ageing, 2)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self._update_count()

    def current_filter(self) -> ChildFilter:
        return ChildFilter(
            search=self.search.text().strip(),
            village=str(self.village.currentData() or ""),
            category=str(self.category.currentData() or ""),
            risk=str(self.risk.currentData() or ""),
            urgent=self.urgent_only.isChecked(),
            follow_up_due=self.due.isChecked(),
            exited=self.exited.isChecked(),
        )

    def apply_filter(self) -> None:
        self._debounce.stop()
        flt = self.current_filter()
        self.model.set_filter(flt)
        self._update_count()
        note = getattr(self._source, "note_search", None)
        if note is not None and flt.search != self._searched:
            self._searched = flt.search
            note(flt.search, self.model.rowCount())

    def go_to_results(self) -> None:
        """Enter (or Down) in the search box: search now and put the cursor on the first
        result (Enter opens it, Esc comes back to the search box)."""
        self.apply_filter()
        if self.model.rowCount() > 0:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
            self.view.setCurrentIndex(self.model.index(0, 0))
            self.view.selectRow(0)

    def refresh(self) -> None:
        self.model.refresh()
        self.urgent.refresh()
        if self.ageing is not None:
            self.ageing.refresh()
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("共 {0} 名儿童").format(self.model.rowCount()))

    def _open_index(self, index: Any) -> None:
        if index.isValid():
            self.child_activated.emit(self.model.record_id(index.row()))

    def eventFilter(self, obj: Any, event: Any) -> bool:
        if event.type() == QEvent.Type.KeyPress and not event.modifiers():
            if obj is self.search and event.key() == Qt.Key.Key_Down:
                self.go_to_results()
                return True
            if obj is self.view and event.key() == Qt.Key.Key_Escape:
                self.search.setFocus(Qt.FocusReason.OtherFocusReason)
                self.search.selectAll()
                return True
        return False

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_F3:
            self.search.setFocus()
            self.search.selectAll()
            return
        super().keyPressEvent(event)
