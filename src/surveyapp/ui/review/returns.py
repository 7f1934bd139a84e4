"""Return to village: the township's dialog with a comment, and the "returned" list.

- ``ReturnDialog`` / ``return_child(parent, ws, child_id) -> str | None``: ask for a comment
  (required) and send the record back through ``ops.review.return_to_village``; returns the
  new revision id, or None when cancelled or refused (the error is shown). Ctrl+Enter sends.
- ``return_notice(row, parent=None) -> QLabel | None``: the banner for the village's child
  file (the comment, who returned it and when), None when the record was not returned.
- ``ReturnedModel`` / ``ReturnedWidget``: the children whose current version carries a
  return comment (who returned it, when, and the comment); the village sees it until it saves
  a new visit. ``open_child`` is emitted on Enter / double-click with the record id, for the
  main window to open the child's file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
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


class ReturnDialog(QDialog):
    """Ask for the comment that travels down with a returned record."""

    def __init__(self, child_name: str, village: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnDialog")
        self.setWindowTitle(self.tr("退回村里核实"))
        intro = QLabel(
            self.tr(
                "把 <b>{0}</b>（{1}）的记录退回村里。村里下次导入时会看到"
                "您的意见，重新走访保存后即解除。"
            ).format(child_name, village)
        )
        intro.setWordWrap(True)
        self.comment = QPlainTextEdit(objectName="returnComment")
        self.comment.setPlaceholderText(
            self.tr("请写明需要核实或更正的内容，例如：身份证号与户口簿不一致")
        )
        self.comment.setTabChangesFocus(True)
        label = QLabel(self.tr("意见(&C)："))
        label.setBuddy(self.comment)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("退回 (Ctrl+Enter)"))
        self.ok.setObjectName("returnOk")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.comment.textChanged.connect(self._update)
        add_shortcuts(self, ("Ctrl+Return", "Ctrl+Enter"), self._accept_if_ready)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.comment)
        layout.addWidget(self.buttons)
        self.resize(480, 260)
        self._update()

    def text(self) -> str:
        return str(self.comment.toPlainText()).strip()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.text()))

    def _accept_if_ready(self) -> None:
        if self.text():
            self.accept()


def return_child(parent: QWidget | None, ws: Any, child_id: str) -> str | None:
    """The integration hook: ask for a comment and return ``child_id`` to its village.

    :returns: the new revision id, or None when cancelled or refused (the error was shown).
    """
    labels = FieldLabels.ready(ui_lang())
    row = ws.get_child(child_id)
    name = row.child_name if row else child_id
    village = labels.village(row.village_code) if row else ""
    dialog = ReturnDialog(name, village, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return review.return_to_village(ws, child_id, dialog.text())
    except Exception as err:
        show_error(parent, err)
        return None
    finally:
        dialog.deleteLater()


def return_notice(row: Any, parent: QWidget | None = None) -> QLabel | None:
    """The banner for a child file: the township's return comment, or None when the child's
    current version was not returned (a hook for the child file; it clears itself on the
    next saved visit, as the comment does)."""
    data = getattr(row, "data", None) or {}
    if data.get("review_status") != "returned":
        return None
    labels = FieldLabels.ready(ui_lang())
    text = QCoreApplication.translate("ReturnNotice", "{0} 退回（{1}，{2}）：{3}").format(
        labels.org(str(data.get("review_org", ""))), data.get("review_by", ""),
        local_time(str(data.get("review_at", ""))), data.get("review_comment", ""))
    notice = QLabel(text, parent)
    notice.setObjectName("returnNotice")
    notice.setWordWrap(True)
    notice.setTextFormat(Qt.TextFormat.PlainText)
    notice.setStyleSheet("QLabel#returnNotice { background: #fff3c4; border: 1px solid #e0b000;"
                         " padding: 6px; }")
    return notice


class ReturnedModel(QAbstractTableModel):
    """Children returned by the township, with the comment."""

    COLUMNS = (
        "child_name",
        "village_code",
        "review_org",
        "review_by",
        "review_at",
        "review_comment",
    )

    def __init__(self, labels: FieldLabels, parent: Any = None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (
            self.tr("儿童"),
            self.tr("村"),
            self.tr("退回单位"),
            self.tr("退回人"),
            self.tr("退回时间"),
            self.tr("意见"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        key = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if key == "child_name":
                return row.child_name
            if key == "village_code":
                return self.labels.village(row.village_code)
            value = str(row.data.get(key, "") or "")
            if key == "review_org":
                return self.labels.org(value)
            return local_time(value) if key == "review_at" else value
        if role == Qt.ItemDataRole.UserRole:
            return row.record_id
        return None


class ReturnedWidget(QWidget):
    """The "returned" list (village: what to fix; township: what it sent back)."""

    open_child = Signal(str)

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewReturned")
        self.ws = ws
        self.model = ReturnedModel(FieldLabels.ready(ui_lang()), self)
        self.view = list_table(self.model, "returnedList")
        self.view.setWordWrap(True)
        self.view.activated.connect(self._on_activated)
        self.summary = QLabel(objectName="returnedSummary")
        refresh = QPushButton(self.tr("刷新 (F5)"), objectName="refreshReturned")
        refresh.clicked.connect(self.refresh)
        add_shortcuts(self, ("F5",), self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        try:
            labels, rows = background.load(
                self, self.tr("正在加载退回记录…"), lambda: review.returned_children(self.ws),
                ws=self.ws,
            )
        except Exception as err:
            show_error(self, err)
            return
        self.model.labels = labels
        self.model.set_rows(rows)
        if self.ws.role == "village":
            text = self.tr("乡镇退回 {0} 条记录，请按意见核实后重新走访保存。")
        else:
            text = self.tr("已退回村里、尚待村里重新走访的记录：{0} 条。")
        self.summary.setText(text.format(len(rows)))
        self.view.resizeRowsToContents()

    def _on_activated(self, index: QModelIndex) -> None:
        record = self.model.data(index, Qt.ItemDataRole.UserRole)
        if record:
            self.open_child.emit(str(record))
