"""One row of the form: label, hint, the input widget for the question type, inline message.

Every row emits ``changed(path, value)`` as the user edits, ``committed(path)`` when an edit
is complete (focus leaves, a choice is picked) and ``advance(path)`` on Enter. ``set_value``
never emits. Dates accept ``20150308``, ``2015-03-08`` or ``2015/3/8`` and store ISO text;
select_one is radio buttons (digits 1–9 pick a choice) or a combo for ``minimal`` and
``autocomplete``; select_multiple is check boxes (value: space-separated names).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from surveyapp.ui.formview.tree import FieldSpec, text_in

_DATE_RE = re.compile(r"^\s*(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?\s*$")
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_COMMANDS = {
    Qt.Key.Key_S: "save",
    Qt.Key.Key_Return: "finalize",
    Qt.Key.Key_Enter: "finalize",
    Qt.Key.Key_PageDown: "next_section",
    Qt.Key.Key_PageUp: "previous_section",
}


# Types typed as text on a laptop (no GPS, no scanner): what to type.
_PLACEHOLDERS = {
    "time": "时:分，如 14:30",
    "datetime": "年-月-日 时:分，如 2026-07-01 14:30",
    "geopoint": "纬度 经度 [海拔 精度]，如 30.5728 104.0668",
    "geotrace": "多个点用 ; 分隔，如 30.57 104.06; 30.58 104.07",
    "geoshape": "多个点用 ; 分隔，首尾相同",
    "barcode": "条码上的号码",
    "rank": "按顺序输入选项名称，用空格分隔",
}


def parse_date_text(text: str) -> str | None:
    """``20150308`` / ``2015-03-08`` / ``2015/3/8`` → ``2015-03-08``; ``""`` → ``""``; else None."""
    if not text.strip():
        return ""
    m = _DATE_RE.match(text)
    if m is None or (len(text.strip()) == 8 and not text.strip().isdigit()):
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


_PARTIAL_DATE = re.compile(r"^\s*(\d{4})(?:[-/.年]?(\d{1,2})月?)?\s*$")


def complete_date_text(text: str, appearance: str) -> str:
    """A date with ``month-year`` (``2026-07``) or ``year`` (``2026``) appearance gets
    day 1 (and month 1), as Collect stores it; other texts are returned unchanged."""
    words = appearance.split()
    if "month-year" not in words and "year" not in words:
        return text
    m = _PARTIAL_DATE.match(text)
    if m is None or (m.group(2) is None and "year" not in words):
        return text
    return f"{m.group(1)}-{int(m.group(2) or 1):02d}-01"


def choice_label(choice: Any, lang: str) -> str:
    return text_in(getattr(choice, "label", None), lang) or str(getattr(choice, "name", choice))


class FieldRow(QWidget):
    """Label + input + inline message for one question path."""

    changed = Signal(str, object)
    committed = Signal(str)
    advance = Signal(str)
    command = Signal(str)  # save / finalize / next_section / previous_section

    def __init__(self, path: str, spec: FieldSpec, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        self.spec = spec
        self.lang = lang
        self._choices: list[Any] = []
        self._loading = False
        self.setObjectName(f"field:{path}")
        star = " *" if spec.required else ""
        # Every label is made with its parent: a parentless widget made visible opens as a
        # top-level window of its own (and takes the activation from the main window).
        self.label = QLabel(f"{spec.label}{star}", self)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("font-weight: bold;")
        self.hint = QLabel(spec.hint, self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #666; font-size: 9pt;")
        self.hint.setVisible(bool(spec.hint))
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.status = QLabel("", self)  # neutral feedback such as "ID number OK"
        self.status.setObjectName("status")
        self.status.setVisible(False)
        self.status.setStyleSheet("color: #2e7d32;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.hint)
        self.editor = self._make_editor()
        layout.addWidget(self.editor)
        layout.addWidget(self.status)
        layout.addWidget(self.message)

    # --- building -------------------------------------------------------------------------
    def _make_editor(self) -> QWidget:
        t = self.spec.type
        self.line: QLineEdit | None = None
        self.combo: QComboBox | None = None
        self.group: QButtonGroup | None = None
        self.boxes: list[QCheckBox] = []
        if t == "note":
            self.label.setStyleSheet("color: #8a4b00; font-weight: bold;")
            holder = QLabel("")
            holder.setVisible(False)
            return holder
        if t in ("select_one", "select_multiple") and not self._is_combo():
            holder = QWidget()
            holder.setObjectName("choices")
            QGridLayout(holder).setContentsMargins(0, 0, 0, 0)
            if t == "select_one":
                self.group = QButtonGroup(self)
                self.group.setExclusive(False)  # lets a click clear; exclusivity kept by hand
                self.group.buttonClicked.connect(self._on_radio)
            return holder
        if t == "select_one":
            self.combo = QComboBox()
            self.combo.setEditable(self.spec.appearance.startswith("autocomplete"))
            if self.combo.isEditable():
                self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                completer = self.combo.completer()
                if completer is not None:
                    completer.setFilterMode(Qt.MatchFlag.MatchContains)
                    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            self.combo.setMaximumWidth(420)
            self.combo.activated.connect(self._on_combo)
            self.combo.installEventFilter(self)
            return self.combo
        self.line = QLineEdit()
        self.line.setMaximumWidth(520)
        self.line.installEventFilter(self)
        if t == "integer":
            self.line.setValidator(QIntValidator(-(10**9), 10**9, self.line))
        elif t == "decimal":
            self.line.setValidator(QDoubleValidator(self.line))
        elif t == "date":
            self.line.setPlaceholderText(self.tr("年月日，如 20150308"))
            self.line.setMaximumWidth(180)
        elif t in _PLACEHOLDERS:
            self.line.setPlaceholderText(self.tr(_PLACEHOLDERS[t]))
        if self.spec.read_only or t == "calculate":
            self.line.setReadOnly(True)
            self.line.setStyleSheet("background: #f0f0f0;")
            # Not a Tab stop (the view's order skips it too); still selectable with the mouse.
            self.line.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.line.textEdited.connect(self._on_text)
        self.line.editingFinished.connect(self._on_text_done)
        return self.line

    def _is_combo(self) -> bool:
        return self.spec.appearance.startswith(("minimal", "autocomplete"))

    def set_choices(self, choices: list[Any]) -> None:
        """Show ``choices`` (already filtered by the session), keeping the current value."""
        names = [str(getattr(c, "name", c)) for c in choices]
        if names == [str(getattr(c, "name", c)) for c in self._choices]:
            return
        current = self.value()
        self._choices = list(choices)
        self._loading = True
        try:
            if self.combo is not None:
                self.combo.clear()
                self.combo.addItem("", "")
                for c in choices:
                    self.combo.addItem(choice_label(c, self.lang), str(c.name))
            elif self.spec.type in ("select_one", "select_multiple"):
                self._rebuild_buttons(choices)
        finally:
            self._loading = False
        self.set_value(current)

    def _rebuild_buttons(self, choices: list[Any]) -> None:
        grid = self.editor.layout()
        assert isinstance(grid, QGridLayout)  # noqa: S101
        for old in [*self.boxes, *(self.group.buttons() if self.group else [])]:
            if self.group is not None:
                self.group.removeButton(old)
            old.hide()
            old.deleteLater()
        self.boxes = []
        per_row = 4 if max((len(choice_label(c, self.lang)) for c in choices), default=0) < 9 else 2
        for i, c in enumerate(choices):
            text = choice_label(c, self.lang)
            if self.spec.type == "select_one":
                button: QAbstractButton = QRadioButton(f"{i + 1}. {text}" if i < 9 else text)
                button.setAutoExclusive(False)
                assert self.group is not None  # noqa: S101
                self.group.addButton(button, i)
            else:
                button = QCheckBox(text)
                button.toggled.connect(self._on_check)
                self.boxes.append(button)
            button.setProperty("choice", str(c.name))
            button.installEventFilter(self)
            grid.addWidget(button, i // per_row, i % per_row)
        grid.setColumnStretch(per_row, 1)

    # --- values --------------------------------------------------------------------------
    def value(self) -> Any:
        if self.line is not None:
            return self.line.text()
        if self.combo is not None:
            return str(self.combo.currentData() or "")
        if self.group is not None:
            checked = [b for b in self.group.buttons() if b.isChecked()]
            return str(checked[0].property("choice")) if checked else ""
        if self.boxes:
            return " ".join(str(b.property("choice")) for b in self.boxes if b.isChecked())
        return ""

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        self._loading = True
        try:
            if self.line is not None:
                if self.line.text() != text and not (self.line.hasFocus() and self._same(text)):
                    self.line.setText(text)
            elif self.combo is not None:
                idx = self.combo.findData(text)
                self.combo.setCurrentIndex(max(idx, 0))
            elif self.group is not None:
                for b in self.group.buttons():
                    b.setChecked(str(b.property("choice")) == text)
            elif self.boxes:
                picked = set(text.split())
                for b in self.boxes:
                    b.setChecked(str(b.property("choice")) in picked)
            elif isinstance(self.editor, QLabel):
                self.editor.setText(text)
        finally:
            self._loading = False

    def _same(self, text: str) -> bool:
        """Whether the typed text already means ``text`` (a date typed as 20150308)."""
        return (
            self.spec.type == "date"
            and parse_date_text(self.line.text() if self.line else "") == text
        )

    def set_message(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "color: #9a6700;")
        self.message.setVisible(bool(text))

    def set_status(self, text: str, ok: bool = True) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #2e7d32;" if ok else "color: #9a6700;")
        self.status.setVisible(bool(text))

    def focus_input(self) -> None:
        if self.line is not None:
            self.line.setFocus(Qt.FocusReason.TabFocusReason)
            self.line.selectAll()
        elif self.combo is not None:
            self.combo.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            buttons = self.group.buttons() if self.group is not None else self.boxes
            checked = [b for b in buttons if b.isChecked()]
            target = checked[0] if checked else (buttons[0] if buttons else self.editor)
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def tab_stops(self) -> list[QWidget]:
        """Where Tab stops in this row, in screen order: the input, the radio group once (its
        checked choice, else the first; arrows move inside), or each check box."""
        if not self.accepts_focus():
            return []
        if self.line is not None:
            return [self.line]
        if self.combo is not None:
            return [self.combo]
        if self.group is not None:
            buttons = self.group.buttons()
            checked = [b for b in buttons if b.isChecked()]
            stops: list[QWidget] = list((checked or buttons)[:1])
            return stops
        boxes: list[QWidget] = list(self.boxes)
        return boxes

    def accepts_focus(self) -> bool:
        return self.spec.type not in ("note", "calculate") and not self.spec.read_only

    # --- user edits ----------------------------------------------------------------------
    def _on_text(self, text: str) -> None:
        if not self._loading and self.spec.type != "date":
            self.changed.emit(self.path, text)

    def _on_text_done(self) -> None:
        if self._loading or self.line is None:
            return
        if self.spec.type == "date":
            iso = parse_date_text(complete_date_text(self.line.text(), self.spec.appearance))
            if iso is None:
                self.set_message(self.tr("日期格式不对：请输入如 20150308 或 2015-03-08"))
                return
            if iso != self.line.text():
                self._loading = True
                self.line.setText(iso)
                self._loading = False
            self.changed.emit(self.path, iso)
        self.committed.emit(self.path)

    def _on_radio(self, button: QAbstractButton) -> None:
        if self._loading or self.group is None:
            return
        for b in self.group.buttons():
            if b is not button:
                b.setChecked(False)
        self.changed.emit(self.path, self.value())
        self.committed.emit(self.path)

    def _on_check(self, _on: bool) -> None:
        if not self._loading:
            self.changed.emit(self.path, self.value())
            self.committed.emit(self.path)

    def _on_combo(self, _index: int) -> None:
        if not self._loading:
            self.changed.emit(self.path, self.value())
            self.committed.emit(self.path)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        plain = not (event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if not plain and key in _COMMANDS:
            # The window's QShortcuts normally take these first; this covers a window
            # that is not active (offscreen, or a key sent straight to the widget).
            if self.line is not None and key in _ENTER:
                self._on_text_done()
            self.command.emit(_COMMANDS[key])
            return True
        if key in _ENTER and plain:
            if self.line is not None:
                self._on_text_done()
                text = complete_date_text(self.line.text(), self.spec.appearance)
                if self.spec.type == "date" and parse_date_text(text) is None:
                    return True
            if self.combo is not None and self.combo.view().isVisible():
                return False
            self.advance.emit(self.path)
            return True
        if plain and self.group is not None and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            idx = key - Qt.Key.Key_1
            buttons = self.group.buttons()
            if idx < len(buttons):
                buttons[idx].setChecked(True)
                buttons[idx].setFocus()
                self._on_radio(buttons[idx])
                return True
        if (
            plain
            and self.group is not None
            and key == Qt.Key.Key_Space
            and isinstance(obj, QRadioButton)
        ):
            obj.setChecked(True)
            self._on_radio(obj)
            return True
        return False


class RepeatHeader(QWidget):
    """The "add" bar of a repeat: its label, count and an add button."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.title = QLabel(label)
        self.title.setStyleSheet("font-weight: bold; color: #1a237e;")
        layout.addWidget(self.title)
        layout.addStretch(1)
