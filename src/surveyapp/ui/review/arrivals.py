"""The county's (and township's) arrival board: what came in from each device and village.

``ops.arrivals.board(ws, villages) -> Board`` joins the enrolled devices (``core.trust``), the
received sequence numbers per device (``ops.batches.received``) and the import audit
entries (the date each batch arrived). Per device: unit, last sequence seen, the gaps, the
last arrival date; per village: devices, batches, last arrival, and villages that sent
nothing. ``ArrivalsWidget(ws)`` shows both tables (villages that sent nothing and devices
with gaps in amber) with F5 to reload in the background, and 导入数据包… (Ctrl+I) opening
the import dialog.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from surveyapp.ops import arrivals
from surveyapp.ops.arrivals import Board, DeviceArrivals, board
from surveyapp.ui.errordialogs import show_error, ui_lang
from surveyapp.ui.review import background
from surveyapp.ui.review.imports import TextRowsModel, open_import_dialog
from surveyapp.ui.review.keys import add_shortcuts
from surveyapp.ui.review.labels import FieldLabels, local_time
from surveyapp.ui.review.tables import list_table

Index = QModelIndex | QPersistentModelIndex
WARN_BRUSH = QBrush(QColor("#fff3c4"))


def area_villages(labels: FieldLabels, org_code: str) -> list[str]:
    """The village codes of the form's list that lie inside ``org_code``."""
    if labels.form is None:
        return []
    return arrivals.area_villages(labels.form, org_code)


class ArrivalsModel(TextRowsModel):
    """Text rows with some rows highlighted (no data, or gaps)."""

    def __init__(self, headers: tuple[str, ...], parent: Any = None) -> None:
        super().__init__(headers, parent)
        self.warn: list[bool] = []

    def set_warned_rows(self, rows: list[tuple[str, ...]], warn: list[bool]) -> None:
        self.warn = list(warn)
        self.set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.BackgroundRole and index.isValid()
                and 0 <= index.row() < len(self.warn) and self.warn[index.row()]):
            return WARN_BRUSH
        return super().data(index, role)


class ArrivalsWidget(QWidget):
    """Per-device and per-village arrivals."""

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewArrivals")
        self.ws = ws
        self.board: Board | None = None
        self.village_model = ArrivalsModel((self.tr("村"), self.tr("设备数"), self.tr("收到数据包"),
                                            self.tr("最近收到")), self)
        self.device_model = ArrivalsModel((self.tr("设备"), self.tr("单位"), self.tr("最新序号"),
                                           self.tr("缺少的序号"), self.tr("最近收到"),
                                           self.tr("状态")), self)
        self.summary = QLabel(objectName="arrivalsSummary")
        self.summary.setWordWrap(True)
        refresh = QPushButton(self.tr("刷新 (F5)"), objectName="refreshArrivals")
        refresh.clicked.connect(self.refresh)
        add_shortcuts(self, ("F5",), self.refresh)
        import_button = QPushButton(self.tr("导入数据包… (Ctrl+I)"), objectName="openImport")
        import_button.clicked.connect(self.on_import)
        add_shortcuts(self, ("Ctrl+I",), self.on_import)
        splitter = QSplitter(Qt.Orientation.Vertical)
        for title, model in ((self.tr("各村"), self.village_model),
                             (self.tr("各设备"), self.device_model)):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(QLabel(f"<b>{title}</b>"))
            view = list_table(model, rows=False, single=False)
            lay.addWidget(view)
            splitter.addWidget(box)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(import_button)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def on_import(self) -> None:
        """Open the import dialog; reload the board after anything was imported."""
        if open_import_dialog(self, self.ws):
            self.refresh()

    def refresh(self) -> None:
        lang = ui_lang()
        org = self.ws.org_code

        def job() -> Board:
            return board(self.ws, area_villages(FieldLabels.load(lang, ws=self.ws), org))

        try:
            labels, result = background.load(self, self.tr("正在统计收到的数据…"), job,
                                             ws=self.ws)
        except Exception as err:
            show_error(self, err)
            return
        self.show_board(labels, result)

    def show_board(self, labels: FieldLabels, b: Board) -> None:
        self.board = b
        never = self.tr("从未收到")
        self.village_model.set_warned_rows(
            [(labels.village(v.village_code), str(v.devices), str(v.batches),
              local_time(v.last_arrival) if v.last_arrival else never) for v in b.villages],
            [v.batches == 0 for v in b.villages])
        role = {"village": self.tr("村"), "township": self.tr("乡镇"), "county": self.tr("县")}

        def state(d: DeviceArrivals) -> str:
            if d.revoked:
                return self.tr("已吊销")
            if not d.last_sequence:
                return self.tr("没有数据")
            return self.tr("有缺号") if d.gaps else self.tr("正常")

        self.device_model.set_warned_rows(
            [(d.device_id[:8], self.tr("{0}（{1}）").format(
                labels.org(d.org_code), role.get(d.role, d.role))
              if d.org_code else self.tr("未登记"), str(d.last_sequence or ""),
              "、".join(str(g) for g in d.gaps), local_time(d.last_arrival)
              if d.last_arrival else never, state(d)) for d in b.devices],
            [bool(d.gaps) or not d.last_sequence for d in b.devices])
        gaps = sum(1 for d in b.devices if d.gaps)
        self.summary.setText(self.tr(
            "{0} 个村中 {1} 个从未发来数据；{2} 台设备有缺号（可能有数据包未送到）。").format(
            len(b.villages), len(b.silent), gaps))
