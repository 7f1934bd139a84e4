"""Possible duplicates: the review list, the evidence side by side, and the decision.

- ``DuplicateListModel``: one row per candidate pair (why, child A, child B, villages).
- ``EvidenceModel``: name, pinyin, birth date, ID number, guardian and village of both
  records side by side; agreeing facts in green, differing ones in amber.
- ``DuplicatesWidget``: the buttons 同一儿童（关联）(Alt+L), 不同儿童（保持独立）(Alt+S),
  已迁移 (Alt+M), with an optional note; each decision is a revision written by
  ``ops.review.decide_duplicate``. Nothing is merged or dropped automatically. 保留档案
  (Alt+K) chooses the file that stays the person's file (for a move: the village the child
  lives in now); for a link, clicking a value of the other record in the name, sex, birth
  date or ID number row keeps that value (field by field, as for a conflict).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from surveyapp.core.merge.duplicates import Candidate
from surveyapp.ops import review
from surveyapp.ui.errordialogs import show_error, ui_lang
from surveyapp.ui.review import background
from surveyapp.ui.review.keys import add_shortcuts
from surveyapp.ui.review.labels import FieldLabels
from surveyapp.ui.review.tables import list_table

Index = QModelIndex | QPersistentModelIndex
EVIDENCE = ("name", "pinyin", "birth_date", "id_number", "guardian", "village_code")
# More facts from each record's current view, to help the reviewer decide.
MORE = ("sex", "risk_level", "last_visit_date", "status")
# Evidence rows whose value the reviewer may take from either record on a link: the
# answer each one is.
PICKABLE = {"name": "child_name", "birth_date": "birth_date", "id_number": "id_number",
            "sex": "sex"}
SAME_BRUSH = QBrush(QColor("#d7f0d2"))
DIFF_BRUSH = QBrush(QColor("#fff3c4"))


def kind_text(kind: str) -> str:
    from PySide6.QtCore import QCoreApplication

    texts = {
        "same_id": QCoreApplication.translate("Duplicates", "身份证号相同"),
        "moved": QCoreApplication.translate("Duplicates", "可能迁移（两个村都有）"),
        "same_person": QCoreApplication.translate("Duplicates", "姓名、出生日期、监护人相同"),
    }
    return texts.get(kind, kind)


class DuplicateListModel(QAbstractTableModel):
    """The review list of possible duplicate pairs."""

    def __init__(self, labels: FieldLabels, parent: Any = None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.items: list[Candidate] = []

    def set_items(self, items: list[Candidate]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.items[row]
        self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("原因"), self.tr("儿童 A"), self.tr("儿童 B"))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return kind_text(item.kind.value)
            side = 0 if index.column() == 1 else 1
            name = item.evidence.get("name", ("", ""))[side]
            village = self.labels.village(item.evidence.get("village_code", ("", ""))[side])
            return self.tr("{0}（{1}）").format(name, village) if village else name
        if role == Qt.ItemDataRole.UserRole:
            return (item.a, item.b)
        return None


class EvidenceModel(QAbstractTableModel):
    """The facts of a pair side by side."""

    def __init__(self, labels: FieldLabels, parent: Any = None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.candidate: Candidate | None = None
        self.facts: list[tuple[str, str, str]] = []  # (field, value in A, value in B)
        self.survivor_side = 0
        self.picks: dict[str, int] = {}  # evidence row name -> side whose value is kept

    def set_candidate(self, candidate: Candidate | None, rows: tuple[Any, Any] = (None, None)
                      ) -> None:
        """Show ``candidate``; ``rows`` are the two records' current view rows (if known)."""
        self.beginResetModel()
        self.candidate = candidate
        self.facts = []
        self.picks = {}
        if candidate is not None:
            for name in EVIDENCE:
                a, b = candidate.evidence.get(name, ("", ""))
                self.facts.append((name, str(a or ""), str(b or "")))
            if all(r is not None for r in rows):
                self.facts += [(name, str(getattr(rows[0], name, "") or ""),
                                str(getattr(rows[1], name, "") or "")) for name in MORE]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.facts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.candidate is None else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("项目"), self.tr("记录 A"), self.tr("记录 B"))
        return titles[section] if 0 <= section < len(titles) else None


    def kept_side(self, name: str) -> int:
        """The side (0 = A, 1 = B) whose value of ``name`` the person keeps."""
        return self.picks.get(name, self.survivor_side)

    def set_survivor(self, side: int) -> None:
        """The file that stays; every pick goes back to it."""
        self.beginResetModel()
        self.survivor_side = side
        self.picks = {}
        self.endResetModel()

    def pick(self, row: int, side: int) -> None:
        """Keep the value of ``side`` for the evidence row ``row`` (pickable rows only)."""
        if not 0 <= row < len(self.facts) or side not in (0, 1):
            return
        name = self.facts[row][0]
        if name in PICKABLE:
            self.picks[name] = side
            self.dataChanged.emit(self.index(row, 1), self.index(row, 2))

    def kept_fields(self, records: tuple[str, str]) -> dict[str, str]:
        """Answer name -> record id, for the values taken from the other record."""
        return {PICKABLE[name]: records[side] for name, side in self.picks.items()
                if side != self.survivor_side}

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.candidate is None or not index.isValid():
            return None
        if not 0 <= index.row() < len(self.facts):
            return None
        name, *pair = self.facts[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self.labels.field(name)
            value = pair[col - 1]
            text = self.labels.value(name, value) if value else self.tr("（空）")
            if name in PICKABLE and pair[0] != pair[1] and self.kept_side(name) == col - 1:
                return "✓ " + text
            return text
        if role == Qt.ItemDataRole.BackgroundRole and col > 0:
            same = bool(pair[0]) and pair[0].casefold() == pair[1].casefold()
            return SAME_BRUSH if same else DIFF_BRUSH
        return None


class DuplicatesWidget(QWidget):
    """The possible-duplicates review screen."""

    decided = Signal(str, str, str)  # record a, record b, decision

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDuplicates")
        self.ws = ws
        self.labels = FieldLabels.ready(ui_lang())
        self.list_model = DuplicateListModel(self.labels, self)
        self.evidence_model = EvidenceModel(self.labels, self)

        self.list_view = list_table(self.list_model, "duplicateList")
        self.list_view.selectionModel().currentRowChanged.connect(self.on_current_changed)
        self.empty = QLabel(self.tr("没有待确认的疑似重复。"), objectName="duplicateEmpty")

        self.title = QLabel(objectName="duplicateTitle")
        self.evidence_view = QTableView(objectName="duplicateEvidence")
        self.evidence_view.setModel(self.evidence_model)
        self.evidence_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.evidence_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.evidence_view.verticalHeader().hide()
        self.evidence_view.clicked.connect(
            lambda i: self.evidence_model.pick(i.row(), i.column() - 1))
        self.survivor = QComboBox()
        self.survivor.setObjectName("duplicateSurvivor")
        self.survivor.currentIndexChanged.connect(
            lambda i: self.evidence_model.set_survivor(max(i, 0)))
        survivor_label = QLabel(self.tr("保留档案(&K)："))
        survivor_label.setBuddy(self.survivor)
        self.note = QLineEdit(objectName="duplicateNote")
        self.note.setPlaceholderText(self.tr("备注（可选），例如：随父母迁居"))
        note_label = QLabel(self.tr("备注(&N)："))
        note_label.setBuddy(self.note)

        self.link_button = QPushButton(self.tr("同一儿童（关联）(&L)"), objectName="decideLink")
        self.separate_button = QPushButton(
            self.tr("不同儿童（保持独立）(&S)"), objectName="decideSeparate"
        )
        self.moved_button = QPushButton(self.tr("已迁移(&M)"), objectName="decideMoved")
        self.link_button.clicked.connect(lambda: self.decide("link"))
        self.separate_button.clicked.connect(lambda: self.decide("separate"))
        self.moved_button.clicked.connect(lambda: self.decide("moved"))
        self.refresh_button = QPushButton(self.tr("刷新 (F5)"), objectName="refreshDuplicates")
        self.refresh_button.clicked.connect(self.refresh)
        add_shortcuts(self, ("F5",), self.refresh)

        left = QWidget()
        llay = QVBoxLayout(left)
        llay.setContentsMargins(0, 0, 0, 0)
        llay.addWidget(QLabel(self.tr("疑似重复")))
        llay.addWidget(self.list_view, 1)
        llay.addWidget(self.empty)
        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(
            self.tr(
                "请核对两条记录。任何记录都不会被自动合并或删除；您的决定会作为一条修订保存并上报。"
            )
        )
        hint.setWordWrap(True)
        rlay.addWidget(self.title)
        rlay.addWidget(hint)
        rlay.addWidget(self.evidence_view, 1)
        keep_row = QHBoxLayout()
        keep_row.addWidget(survivor_label)
        keep_row.addWidget(self.survivor, 1)
        rlay.addLayout(keep_row)
        note_row = QHBoxLayout()
        note_row.addWidget(note_label)
        note_row.addWidget(self.note, 1)
        rlay.addLayout(note_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        for b in (self.link_button, self.separate_button, self.moved_button):
            buttons.addWidget(b)
        rlay.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([500, 860])
        QVBoxLayout(self).addWidget(splitter)
        self._set_enabled(False)

    def refresh(self) -> None:
        """Reload the candidates (in the background: it scans every child on file)."""
        try:
            labels, items = background.load(
                self, self.tr("正在查找疑似重复…"), lambda: review.duplicate_candidates(self.ws),
                ws=self.ws,
            )
        except Exception as err:
            show_error(self, err)
            return
        self.list_model.labels = self.evidence_model.labels = self.labels = labels
        self.list_model.set_items(items)
        self._after_change(0)

    def _after_change(self, row: int) -> None:
        items = self.list_model.items
        self.empty.setVisible(not items)
        if items:
            self.list_view.selectRow(min(row, len(items) - 1))
            self.list_view.setFocus()
        else:
            self.show_candidate(None)

    def current_row(self) -> int:
        return self.list_view.currentIndex().row()

    def on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        items = self.list_model.items
        row = current.row()
        self.show_candidate(items[row] if 0 <= row < len(items) else None)

    def show_candidate(self, candidate: Candidate | None) -> None:
        rows = (self.ws.get_child(candidate.a), self.ws.get_child(candidate.b)) if candidate \
            else (None, None)
        self.evidence_model.set_candidate(candidate, rows)
        self.survivor.blockSignals(True)
        self.survivor.clear()
        if candidate is not None:
            for side, rid in enumerate((candidate.a, candidate.b)):
                name = candidate.evidence.get("name", ("", ""))[side]
                village = self.labels.village(candidate.evidence.get("village_code",
                                                                     ("", ""))[side])
                self.survivor.addItem(self.tr("记录 {0}：{1}（{2}）").format(
                    "AB"[side], name, village), rid)
            keep = review.default_survivor(self.ws, candidate.a, candidate.b)
            self.survivor.setCurrentIndex(0 if keep == candidate.a else 1)
            self.evidence_model.set_survivor(self.survivor.currentIndex())
        self.survivor.blockSignals(False)
        self.note.clear()
        self._set_enabled(candidate is not None)
        self.title.setText(
            "" if candidate is None else "<b>" + kind_text(candidate.kind.value) + "</b>"
        )

    def _set_enabled(self, on: bool) -> None:
        for b in (self.link_button, self.separate_button, self.moved_button, self.note,
                  self.survivor):
            b.setEnabled(on)

    def decide(self, decision: str) -> None:
        """Record ``decision`` (link / separate / moved) for the current pair."""
        row = self.current_row()
        candidate = self.evidence_model.candidate
        if candidate is None or not 0 <= row < len(self.list_model.items):
            return
        survivor = self.survivor.currentData()
        fields = self.evidence_model.kept_fields((candidate.a, candidate.b))
        try:
            review.decide_duplicate(
                self.ws, candidate.a, candidate.b, decision, self.note.text().strip(),
                survivor=str(survivor) if decision != "separate" and survivor else None,
                fields=fields if decision == "link" else None,
            )
        except Exception as err:
            show_error(self, err)
            return
        self.list_model.remove(row)
        self.decided.emit(candidate.a, candidate.b, decision)
        self._after_change(row)
