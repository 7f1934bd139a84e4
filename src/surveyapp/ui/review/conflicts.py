"""Conflicts: the list of records with concurrent versions, and the side-by-side resolution.

- ``ConflictListModel``: one row per conflict (child, village, versions, differing fields).
- ``ConflictDiffModel``: one row per differing field, one column per version (author, device,
  time in the header); differing cells are highlighted and each version cell is checkable as a
  radio choice (Space toggles it), so a person picks field by field.
- ``ConflictsWidget``: list on the left; on the right the diff, a "take this version" button
  per version (Alt+1, Alt+2, …) and "merge the chosen fields" (Ctrl+Return). Every
  resolution goes through ``ops.review.resolve`` and becomes a merge revision with all heads
  as parents.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from surveyapp.ops import review
from surveyapp.ui.errordialogs import show_error, ui_lang
from surveyapp.ui.review import background
from surveyapp.ui.review.keys import add_shortcuts
from surveyapp.ui.review.labels import FieldLabels, local_time
from surveyapp.ui.review.tables import list_table

Index = QModelIndex | QPersistentModelIndex
# Internal pointers of a child revision (its visit, its household): opaque ids that differ in
# every conflict; they follow the deterministic pick, or the version taken as a whole.
HIDDEN = frozenset({"visit", "household_id"})
DIFF_BRUSH = QBrush(QColor("#fff3c4"))
CHOSEN_BRUSH = QBrush(QColor("#d7f0d2"))


def visible_diff(conflict: review.Conflict) -> list[review.FieldDiff]:
    """The differing fields a person decides about."""
    return [d for d in conflict.diff if d.name not in HIDDEN]


def device_units(ws: Any) -> dict[str, str]:
    """Which unit (admin code) each known device belongs to: provenance of a version."""
    from surveyapp.core.trust import keystore

    units = {dev: entry.org_code for dev, entry in keystore.devices(ws).items()}
    units[ws.device_id] = ws.org_code
    return units


def version_title(n: int, rev: Any, unit: str = "") -> str:
    """Two lines: ``1 · 箐口村`` and ``wangfang · 2026-07-01 10:30`` (unit, author, time)."""
    when = local_time(str(rev.created_at))
    return f"{n} · {unit or str(rev.device_id)[:8]}\n{rev.author} · {when}"


class ConflictListModel(QAbstractTableModel):
    """The review queue of conflicts."""

    def __init__(self, labels: FieldLabels, parent: Any = None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.items: list[review.Conflict] = []

    def set_items(self, items: list[review.Conflict]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("儿童"), self.tr("村"), self.tr("版本数"), self.tr("不同项"))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return item.child_name
            if col == 1:
                return self.labels.village(item.village_code)
            return str(len(item.heads) if col == 2 else len(visible_diff(item)))
        if role == Qt.ItemDataRole.UserRole:
            return item.record_id
        return None


class ConflictDiffModel(QAbstractTableModel):
    """The field-level diff of one conflict with a per-field choice of version."""

    def __init__(self, labels: FieldLabels, parent: Any = None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.conflict: review.Conflict | None = None
        self.units: dict[str, str] = {}  # device id -> admin code
        self.rows: list[review.FieldDiff] = []
        self.choice: dict[str, int] = {}  # field name -> index of the chosen head

    def set_conflict(self, conflict: review.Conflict | None) -> None:
        self.beginResetModel()
        self.conflict = conflict
        self.rows = visible_diff(conflict) if conflict else []
        self.choice = {d.name: 0 for d in self.rows}
        self.endResetModel()

    def choose_all(self, head: int) -> None:
        """Choose version ``head`` for every field."""
        if self.conflict is None:
            return
        for name in self.choice:
            self.choice[name] = head
        self.dataChanged.emit(
            self.index(0, 1), self.index(self.rowCount() - 1, self.columnCount() - 1)
        )

    def chosen_fields(self) -> dict[str, str]:
        """Per differing field, the id of the chosen head (for ``ops.review.resolve``)."""
        if self.conflict is None:
            return {}
        return {name: self.conflict.heads[i].id for name, i in self.choice.items()}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.conflict is None else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.conflict is None:
            return 0
        return 1 + len(self.conflict.heads)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.conflict is None:
            return None
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and 1 <= section <= len(self.conflict.heads)):
            return self.tr("设备 {0}").format(self.conflict.heads[section - 1].device_id)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if 0 <= section < len(self.rows) else None
        if section == 0:
            return self.tr("项目")
        if 1 <= section <= len(self.conflict.heads):
            return self.tr("版本 {0}").format(
                self.title_of(section)
            )
        return None

    def title_of(self, n: int) -> str:
        """The title of version ``n`` (1-based) with the unit its device belongs to."""
        if self.conflict is None:
            return ""
        head = self.conflict.heads[n - 1]
        return version_title(n, head, self.labels.org(self.units.get(head.device_id, "")))

    def field_label(self, name: str) -> str:
        """The question's label in the form version of the first head that asks it (each
        head's values are labelled by its own version)."""
        heads = self.conflict.heads if self.conflict is not None else ()
        for head in heads:
            label = self.labels.of(head).field(name)
            if label != name:
                return label
        return self.labels.field(name)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() > 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.conflict is None or not index.isValid():
            return None
        if not 0 <= index.row() < len(self.rows):
            return None
        diff = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self.field_label(diff.name)
            head = self.conflict.heads[col - 1]
            text = self.labels.of(head).value(diff.name, diff.values[col - 1])
            return text if text else self.tr("（空）")
        if role == Qt.ItemDataRole.ToolTipRole:
            return diff.name if col == 0 else str(diff.values[col - 1])
        if col == 0:
            return None
        chosen = self.choice.get(diff.name) == col - 1
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            return CHOSEN_BRUSH if chosen else DIFF_BRUSH
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            self.conflict is None
            or role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() == 0
        ):
            return False
        if Qt.CheckState(value) != Qt.CheckState.Checked:
            return False  # a radio choice: pick another version to change it
        name = self.rows[index.row()].name
        self.choice[name] = index.column() - 1
        self.dataChanged.emit(
            self.index(index.row(), 1), self.index(index.row(), self.columnCount() - 1)
        )
        return True


class ConflictsWidget(QWidget):
    """The township's / county's conflict review screen."""

    resolved = Signal(str)  # record id

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewConflicts")
        self.ws = ws
        self.labels = FieldLabels.ready(ui_lang())
        self.list_model = ConflictListModel(self.labels, self)
        self.diff_model = ConflictDiffModel(self.labels, self)

        self.list_view = list_table(self.list_model, "conflictList")
        self.list_view.selectionModel().currentRowChanged.connect(self.on_current_changed)

        self.title = QLabel(objectName="conflictTitle")
        self.title.setWordWrap(True)
        self.diff_view = QTableView(objectName="conflictDiff")
        self.diff_view.setModel(self.diff_model)
        self.diff_view.setWordWrap(False)
        self.diff_view.verticalHeader().hide()
        self.diff_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.diff_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.take_row = QHBoxLayout()
        self.take_buttons: list[QPushButton] = []
        self.merge_button = QPushButton(
            self.tr("按所选逐项合并 (Ctrl+Enter)"), objectName="mergeFields"
        )
        self.merge_button.clicked.connect(self.on_merge_fields)
        self.refresh_button = QPushButton(self.tr("刷新 (F5)"), objectName="refreshConflicts")
        self.refresh_button.clicked.connect(self.refresh)
        self.empty = QLabel(self.tr("没有需要处理的冲突。"), objectName="conflictEmpty")

        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(
            self.tr(
                "同一儿童有几个同时修改的版本。逐项勾选要保留的值（空格键），"
                "或整份采用某个版本。两个版本都会保留在历史中。"
            )
        )
        hint.setWordWrap(True)
        rlay.addWidget(self.title)
        rlay.addWidget(hint)
        rlay.addWidget(self.diff_view, 1)
        rlay.addLayout(self.take_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.merge_button)
        rlay.addLayout(buttons)

        left = QWidget()
        llay = QVBoxLayout(left)
        llay.setContentsMargins(0, 0, 0, 0)
        llay.addWidget(QLabel(self.tr("冲突列表")))
        llay.addWidget(self.list_view, 1)
        llay.addWidget(self.empty)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([320, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        add_shortcuts(self, ("Ctrl+Return", "Ctrl+Enter"), self.on_merge_fields)
        add_shortcuts(self, ("F5",), self.refresh)
        self._set_enabled(False)

    # --- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the conflicts (in the background) and keep the current one selected."""
        current = self.current_record()
        try:
            labels, (items, units) = background.load(
                self, self.tr("正在查找冲突…"),
                lambda: (review.conflicts(self.ws), device_units(self.ws)), ws=self.ws,
                versions=lambda got: ((h.form_id, str(h.form_version))
                                      for c in got[0] for h in c.heads))
        except Exception as err:
            show_error(self, err)
            return
        self.list_model.labels = self.diff_model.labels = self.labels = labels
        self.diff_model.units = units
        self.list_model.set_items(items)
        self.empty.setVisible(not items)
        rows = [i for i, c in enumerate(items) if c.record_id == current] or [0]
        if items:
            self.list_view.selectRow(rows[0])
        else:
            self.show_conflict(None)

    def current_record(self) -> str | None:
        c = self.diff_model.conflict
        return c.record_id if c else None

    def on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.row()
        items = self.list_model.items
        self.show_conflict(items[row] if 0 <= row < len(items) else None)

    def show_conflict(self, conflict: review.Conflict | None) -> None:
        self.diff_model.set_conflict(conflict)
        while self.take_buttons:
            button = self.take_buttons.pop()
            self.take_row.removeWidget(button)
            button.deleteLater()
        if conflict is None:
            self.title.setText("")
            self._set_enabled(False)
            return
        self.title.setText(
            self.tr("<b>{0}</b>（{1}）：{2} 个版本，{3} 项不同").format(
                conflict.child_name,
                self.labels.village(conflict.village_code),
                len(conflict.heads),
                len(self.diff_model.rows),
            )
        )
        for n, head in enumerate(conflict.heads, start=1):
            button = QPushButton(self.tr("整份采用版本 &{0}").format(n), objectName=f"take{n}")
            button.setToolTip(self.diff_model.title_of(n))
            button.clicked.connect(lambda _=False, rev=head.id: self.on_take(rev))
            self.take_row.addWidget(button)
            self.take_buttons.append(button)
        self._set_enabled(True)

    def _set_enabled(self, on: bool) -> None:
        self.merge_button.setEnabled(on)

    # --- resolving -------------------------------------------------------------------------
    def on_take(self, rev_id: str) -> None:
        self._resolve(take=rev_id)

    def on_merge_fields(self) -> None:
        if self.diff_model.conflict is not None:
            self._resolve(fields=self.diff_model.chosen_fields())

    def _resolve(self, **how: Any) -> None:
        record = self.current_record()
        if record is None:
            return
        try:
            review.resolve(self.ws, record, **how)
        except Exception as err:
            show_error(self, err)
            return
        self.resolved.emit(record)
        self.refresh()
