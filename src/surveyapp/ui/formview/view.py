"""The form view: sections with a progress outline, live relevance, inline messages, repeats.

Keyboard-first: Enter moves to the next *relevant* field (a repeat's "添加一项" button is
in that order: Enter adds an item, Tab goes past it), Tab / Shift+Tab follow the screen
section by section (calculated fields are not stops; a radio group is one stop, arrows move
inside it), Ctrl+S saves the draft, Ctrl+PgDown / Ctrl+PgUp visit every section (empty repeats
and calculated-only sections too), Ctrl+Enter finalizes. Every committed field change
saves the draft to the encrypted store at once, and a timer saves pending keystrokes every
few seconds. Finalize is blocked while errors exist; they are listed as links to the fields.

Public API::

    view = FormView(backend, record_id=None, last_saved=None, draft_key=None)
    view.set_answer(path, value)        # as if typed (used by the ID auto-fill and tests)
    view.save_draft() -> None
    view.finalize() -> str | None       # the record id once saved, None while blocked
    view.saved(record_id)               # Signal
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from surveyapp.errors import SurveyError
from surveyapp.ui import crash
from surveyapp.ui.errordialogs import show_error
from surveyapp.ui.formview.fields import _COMMANDS, _ENTER, FieldRow, RepeatHeader
from surveyapp.ui.formview.idcheck import check_id_number
from surveyapp.ui.formview.tree import FieldSpec, RepeatSpec, SectionSpec, build_sections

AUTOSAVE_MS = 4000


class FormView(QWidget):
    saved = Signal(str)
    open_existing = Signal(str)  # a new child's ID number is on file: open that file instead

    def __init__(
        self,
        backend: Any,
        record_id: str | None = None,
        last_saved: dict[str, Any] | None = None,
        draft_key: str | None = None,
        parent: QWidget | None = None,
        follow_up: Any = None,
    ) -> None:
        super().__init__(parent)
        from surveyapp.core.forms import FormSession

        self.setObjectName("formView")
        self.backend = backend
        self.lang = backend.lang
        self.record_id = record_id
        self.draft_key = draft_key or f"form:{record_id or uuid.uuid4().hex}"
        self.session = FormSession(backend.form, None, today=dt.date.today(), last_saved=last_saved)
        # A follow-up visit: the classification of the last visit, shown until this visit's
        # answers are complete (the status questions are asked again, not carried).
        carried = last_saved if record_id is not None else None
        self.carried_class = (
            (str(carried.get("category_label") or ""), str(carried.get("risk_level") or ""))
            if carried and carried.get("risk_level")
            else None
        )
        self.answers: dict[str, Any] = {}
        self.repeat_counts: dict[str, int] = {}
        self.touched: set[str] = set()
        self.show_all_errors = False
        self.dirty = False
        self._shown = False
        self.rows: dict[str, FieldRow] = {}
        self.order: list[str] = []  # paths in visual order
        self.sections = build_sections(backend.form, self.lang)
        self.section_of: dict[str, int] = {}
        self.section_frames: list[QFrame] = []
        self.repeat_boxes: dict[str, QVBoxLayout] = {}
        self.repeat_specs: dict[str, RepeatSpec] = {}
        self.add_buttons: dict[str, QPushButton] = {}
        self._build()
        self.follow_up = follow_up  # ops.children.FollowUp of a follow-up visit, or None
        draft = backend.load_draft(self.draft_key)
        if draft:
            self.restore(draft)
        self._show_form_notices(draft)
        self.refresh_all()
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._autosave_tick)  # runs while shown
        crash.register_draft_saver(self, self.save_draft)
        for seq, slot in (
            (QKeySequence.StandardKey.Save, self.save_draft_now),
            (QKeySequence("Ctrl+PgDown"), self.next_section),
            (QKeySequence("Ctrl+PgUp"), self.previous_section),
            (QKeySequence("Ctrl+Return"), self.finalize),
            (QKeySequence("Ctrl+Enter"), self.finalize),
        ):
            shortcut = QShortcut(seq, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # --- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = QLabel("")
        self.banner.setObjectName("urgentBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #c62828; color: white; font-weight: bold; padding: 8px;"
        )
        self.banner.setVisible(False)
        self.notice = QLabel("")
        self.notice.setObjectName("formChangedNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.setStyleSheet(
            "background: #fff8e1; border: 1px solid #f9a825; padding: 6px;"
        )
        self.notice.setVisible(False)
        self.summary = QLabel("")
        self.summary.setObjectName("classification")
        self.outline = QListWidget()
        self.outline.setObjectName("outline")
        self.outline.setMaximumWidth(230)
        self.outline.itemClicked.connect(lambda item: self.go_to_section(self.outline.row(item)))
        body = QWidget()
        body_layout = QVBoxLayout(body)
        for index, section in enumerate(self.sections):
            body_layout.addWidget(self._section_frame(index, section))
            self.outline.addItem(QListWidgetItem(section.label))
        body_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(body)
        self.errors_box = QLabel("")
        self.errors_box.setObjectName("errorList")
        self.errors_box.setWordWrap(True)
        self.errors_box.setTextFormat(Qt.TextFormat.RichText)
        self.errors_box.setStyleSheet(
            "background: #fdecea; padding: 6px; border: 1px solid #e57373;"
        )
        self.errors_box.linkActivated.connect(self.focus_path)
        self.errors_scroll = QScrollArea()
        self.errors_scroll.setWidgetResizable(True)
        self.errors_scroll.setWidget(self.errors_box)
        self.errors_scroll.setMaximumHeight(150)
        self.errors_scroll.setVisible(False)
        self.state = QLabel("")
        self.state.setObjectName("saveState")
        save = QPushButton(self.tr("保存草稿 (Ctrl+S)"))
        save.clicked.connect(self.save_draft_now)
        nxt = QPushButton(self.tr("下一节 (Ctrl+PgDown)"))
        nxt.clicked.connect(self.next_section)
        done = QPushButton(self.tr("完成并提交 (Ctrl+Enter)"))
        done.setObjectName("finalizeButton")
        done.clicked.connect(self.finalize)
        for b in (save, nxt, done):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar = QHBoxLayout()
        bar.addWidget(self.state, 1)
        for b in (save, nxt, done):
            bar.addWidget(b)
        split = QSplitter()
        split.addWidget(self.outline)
        split.addWidget(self.scroll_area)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.notice)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.errors_scroll)
        layout.addLayout(bar)

    def _section_frame(self, index: int, section: SectionSpec) -> QFrame:
        frame = QFrame()
        frame.setObjectName(f"section:{section.name}")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(frame)
        title = QLabel(section.label)
        title.setStyleSheet("font-size: 13pt; font-weight: bold; color: #0d47a1;")
        layout.addWidget(title)
        for item in section.items:
            if isinstance(item, str):
                sub = QLabel(item)
                sub.setStyleSheet("font-weight: bold; color: #37474f; margin-top: 6px;")
                layout.addWidget(sub)
            elif isinstance(item, RepeatSpec):
                block = self._repeat_block(index, item)
                if item.label == section.label:
                    block.findChild(RepeatHeader).title.hide()
                layout.addWidget(block)
            else:
                layout.addWidget(self._row(index, item.name, item))
        self.section_frames.append(frame)
        return frame

    def _row(self, section: int, path: str, spec: FieldSpec) -> FieldRow:
        row = FieldRow(path, spec, self.lang)
        row.changed.connect(self._on_changed)
        row.committed.connect(self._on_committed)
        row.advance.connect(self.next_field)
        row.command.connect(self.on_command)
        self.rows[path] = row
        self.section_of[path] = section
        self._insert_order(path, spec)
        return row

    def _insert_order(self, path: str, spec: FieldSpec) -> None:
        anchor = f"@{spec.repeat}"
        if not spec.repeat or anchor not in self.order:
            self.order.append(path)
            return
        # Repeat instances sit between the repeat's title and its "add" button (the anchor),
        # as on the screen: each new field goes just before the anchor.
        self.order.insert(self.order.index(anchor), path)

    def _repeat_block(self, section: int, rep: RepeatSpec) -> QWidget:
        box = QFrame()
        box.setObjectName(f"repeat:{rep.name}")
        outer = QVBoxLayout(box)
        header = RepeatHeader(rep.label)
        outer.addWidget(header)
        inner = QVBoxLayout()
        outer.addLayout(inner)
        # The add button comes after the items, where Enter from the last item's last field
        # lands: Enter adds one more, Tab goes on to what follows.
        add = QPushButton(self.tr("添加一项"))
        add.setObjectName(f"add:{rep.name}")
        add.clicked.connect(lambda: self.add_repeat(rep.name))
        add.installEventFilter(self)
        self.add_buttons[rep.name] = add
        keys = QLabel(self.tr("按 Enter 添加，按 Tab 跳过"))
        keys.setStyleSheet("color: #666; font-size: 9pt;")
        footer = QHBoxLayout()
        footer.addWidget(add)
        footer.addWidget(keys)
        footer.addStretch(1)
        outer.addLayout(footer)
        self.repeat_boxes[rep.name] = inner
        self.repeat_specs[rep.name] = rep
        self.section_of[f"@{rep.name}"] = section
        self.order.append(f"@{rep.name}")
        return box

    def showEvent(self, event: QShowEvent) -> None:
        """On first show, put the cursor in the first field that is still empty."""
        super().showEvent(event)
        self._autosave.start()
        if not self._shown:
            self._shown = True
            QTimer.singleShot(0, self.focus_first_empty)

    def hideEvent(self, event: QHideEvent) -> None:
        """Hidden (another tab, or closed): save what is pending and stop the timer."""
        self._autosave.stop()
        if self.dirty:
            self._autosave_tick()
        super().hideEvent(event)

    def focus_first_empty(self) -> None:
        paths = self.focusable()
        empty = [p for p in paths if str(self.session.value(p) or "") == ""]
        if empty or paths:
            self.focus_path((empty or paths)[0])

    def on_command(self, name: str) -> None:
        {
            "save": self.save_draft_now,
            "finalize": self.finalize,
            "next_section": self.next_section,
            "previous_section": self.previous_section,
        }[name]()

    # --- repeats -------------------------------------------------------------------------
    def add_repeat(self, name: str) -> int:
        index = self.session.add_repeat(name)
        self.repeat_counts[name] = self.session.repeat_count(name)
        self._rebuild_repeat(name)
        self.refresh_all()
        self.dirty = True
        first = self._repeat_path(name, index, self.repeat_specs[name].fields[0].name)
        if first in self.rows:
            self.focus_path(first)
        return index

    def remove_repeat(self, name: str, index: int) -> None:
        self.session.remove_repeat(name, index)
        self.repeat_counts[name] = self.session.repeat_count(name)
        self._rebuild_repeat(name)
        self.refresh_all()
        self.save_draft()

    def _repeat_path(self, name: str, index: int, field: str) -> str:
        return f"{name}[{index}]/{field}"

    def _rebuild_repeat(self, name: str) -> None:
        inner = self.repeat_boxes[name]
        while inner.count():
            w = inner.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.setParent(None)  # type: ignore[call-overload]
                w.deleteLater()
        prefix = f"{name}["
        for path in [p for p in self.rows if p.startswith(prefix)]:
            del self.rows[path]
            self.order.remove(path)
        rep = self.repeat_specs[name]
        section = self.section_of[f"@{name}"]
        for index in self._repeat_indexes(name):
            frame = QFrame()
            frame.setStyleSheet("QFrame#inst { border-left: 3px solid #90caf9; }")
            frame.setObjectName("inst")
            lay = QVBoxLayout(frame)
            head = QHBoxLayout()
            head.addWidget(QLabel(self.tr("第 {0} 项").format(inner.count() + 1)))
            remove = QPushButton(self.tr("删除此项"))
            remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            remove.clicked.connect(lambda _c=False, i=index: self.remove_repeat(name, i))
            head.addStretch(1)
            head.addWidget(remove)
            lay.addLayout(head)
            for spec in rep.fields:
                lay.addWidget(self._row(section, self._repeat_path(name, index, spec.name), spec))
            inner.addWidget(frame)

    def _repeat_indexes(self, name: str) -> list[int]:
        count = self.session.repeat_count(name)
        base = getattr(self.session, "repeat_base", 0)
        return [base + i for i in range(count)]

    # --- values and refresh --------------------------------------------------------------
    def set_answer(self, path: str, value: Any) -> None:
        """Set ``path`` as if the user typed it, and show it."""
        self._on_changed(path, value)
        if path in self.rows:
            self.rows[path].set_value(value)
        self._on_committed(path)

    def _on_changed(self, path: str, value: Any) -> None:
        self.answers[path] = value
        self.dirty = True
        changed = self.session.set(path, value)
        self.touched.add(path)
        self.refresh(set(changed) | {path})
        row = self.rows.get(path)
        if row is not None and row.spec.type == "text" and row.spec.name.endswith("id_number"):
            check_id_number(self, row, str(value))

    def _on_committed(self, path: str) -> None:
        self.touched.add(path)
        self.refresh_choices()
        self.refresh_outline()
        self.save_draft()

    def refresh_all(self) -> None:
        self.refresh(set(self.rows))
        self.refresh_choices()
        self.refresh_outline()

    def refresh(self, paths: set[str]) -> None:
        for path in paths:
            row = self.rows.get(path)
            if row is None:
                continue
            relevant = self.session.is_relevant(path)
            row.setVisible(relevant)
            if row.spec.type == "note":
                if relevant:
                    row.label.setText(self.session.label(path, self.lang))
                continue
            if row.spec.type == "calculate" or path not in self.answers:
                row.set_value(self.session.value(path))
            shown = self.show_all_errors or path in self.touched
            error = self.session.error(path, self.lang) if relevant and shown else None
            if error or not row.message.text() or row.message.styleSheet().endswith("#b00020;"):
                row.set_message(error or "")
        self.refresh_header()

    def refresh_choices(self) -> None:
        for path, row in self.rows.items():
            if row.spec.type in ("select_one", "select_multiple"):
                row.set_choices(self.session.choices_for(path))
                if path not in self.answers:  # a default (last visit's answer) shows too
                    row.set_value(self.session.value(path))

    def refresh_header(self) -> None:
        urgent = self._calc("urgent_report") == "yes"
        self.banner.setVisible(urgent)
        self.banner.setText(
            self.tr("强制报告：此儿童需立即向公安机关报告，并同时告知乡镇和县民政局。")
        )
        label, level = self._calc("category_label"), self._calc("risk_level")
        note = ""
        if self.carried_class is not None and not self.session.complete:
            label, level = self.carried_class
            note = self.tr("（上次走访的结果；本次填完后重新计算）")
        risk = {"high": self.tr("高"), "medium": self.tr("中"), "low": self.tr("低")}.get(
            level, ""
        )
        self.summary.setText(
            self.tr("类别：{0}    风险：{1}").format(label or "—", risk or "—") + note
            if risk
            else ""
        )

    def _calc(self, name: str) -> str:
        try:
            return str(self.session.value(name) or "")
        except (KeyError, SurveyError):
            return ""

    def refresh_outline(self) -> None:
        for index, section in enumerate(self.sections):
            paths = [p for p, s in self.section_of.items() if s == index and p in self.rows]
            live = [
                p for p in paths if self.rows[p].accepts_focus() and self.session.is_relevant(p)
            ]
            done = sum(1 for p in live if str(self.session.value(p) or "") != "")
            bad = any(self.session.error(p, self.lang) for p in live if p in self.touched)
            mark = "✗" if bad else ("✓" if live and done == len(live) else "·")
            has_repeat = any(isinstance(i, RepeatSpec) for i in section.items)
            count = f"{done}/{len(live)}" if live else ("—" if has_repeat else self.tr("自动"))
            item = self.outline.item(index)
            if item is not None:
                item.setText(f"{mark} {section.label}  {count}")

    # --- navigation ----------------------------------------------------------------------
    def focusable(self) -> list[str]:
        return [
            p
            for p in self.order
            if p in self.rows and self.rows[p].accepts_focus() and self.session.is_relevant(p)
        ]

    def enter_order(self) -> list[str]:
        """Where Enter goes, in screen order: the focusable fields and each repeat's add
        button (as ``@name``)."""
        return [
            p
            for p in self.order
            if (p.startswith("@") and p[1:] in self.add_buttons)
            or (p in self.rows and self.rows[p].accepts_focus() and self.session.is_relevant(p))
        ]

    def tab_stops(self) -> list[tuple[str, QWidget]]:
        """Every Tab stop of the form, in screen order, with the path (or ``@repeat``) it
        belongs to. Calculated and read-only fields are not Tab stops."""
        stops: list[tuple[str, QWidget]] = []
        for p in self.enter_order():
            if p.startswith("@"):
                stops.append((p, self.add_buttons[p[1:]]))
            else:
                stops.extend((p, w) for w in self.rows[p].tab_stops())
        return stops

    def _path_of(self, widget: QWidget | None) -> str | None:
        if widget is None:
            return None
        for name, button in self.add_buttons.items():
            if button is widget:
                return f"@{name}"
        for path, row in self.rows.items():
            if row.isAncestorOf(widget):
                return path
        return None

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab / Shift+Tab anywhere in the form: the next / previous stop on the screen
        (Qt's own chain would visit every line edit first and every radio group last)."""
        focus = QApplication.focusWidget()
        stops = self.tab_stops()
        path = self._path_of(focus)
        if not stops or path is None or path not in self.order:
            return super().focusNextPrevChild(next)
        widgets = [w for _p, w in stops]
        if focus in widgets:
            i = widgets.index(focus)
            target = stops[(i + (1 if next else -1)) % len(stops)]
        else:  # inside a row but not on its stop (an unchecked radio, a calculated field)
            here = self.order.index(path)
            if next:
                after = [s for s in stops if self.order.index(s[0]) > here]
                target = (after or stops)[0]
            else:
                before = [s for s in stops if self.order.index(s[0]) < here]
                target = (before or stops)[-1]
        self._focus_stop(target[1], next)
        return True

    def _focus_stop(self, widget: QWidget, forward: bool = True) -> None:
        self.scroll_area.ensureWidgetVisible(widget, 20, 60)
        reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
        widget.setFocus(reason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """The repeats' add buttons: Enter adds an item; Ctrl+S/Enter/PgUp/PgDown work."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        name = next((n for n, b in self.add_buttons.items() if b is obj), None)
        if name is None:
            return False
        key = event.key()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and key in _COMMANDS:
            self.on_command(_COMMANDS[key])
            return True
        if key in _ENTER:
            self.add_repeat(name)
            return True
        return False

    def next_field(self, path: str) -> None:
        self.touched.add(path)
        paths = self.enter_order()
        after = self.order.index(path) if path in self.order else -1
        for p in paths:
            if self.order.index(p) > after:
                self.focus_path(p)
                return
        self.state.setText(self.tr("已到最后一项。按 Ctrl+Enter 完成并提交。"))

    def focus_path(self, path: str) -> None:
        if path.startswith("@") and path[1:] in self.add_buttons:
            self._focus_stop(self.add_buttons[path[1:]])
            return
        row = self.rows.get(path)
        if row is None:
            return
        self.scroll_area.ensureWidgetVisible(row, 20, 60)
        row.focus_input()

    def current_section(self) -> int:
        focus = self.focusWidget()
        for index, frame in enumerate(self.section_frames):
            if focus is not None and frame.isAncestorOf(focus):
                return index
        return -1

    def go_to_section(self, index: int) -> None:
        """Put the cursor in section ``index``: its first field, its add button when it is
        an empty repeat, or its first calculated field when nothing there is typed in."""
        if not 0 <= index < len(self.sections):
            return
        self.scroll_area.ensureWidgetVisible(self.section_frames[index], 0, 0)
        target = next((p for p in self.enter_order() if self.section_of.get(p) == index), None)
        if target is not None:
            self.focus_path(target)
        else:
            shown = [
                row.line
                for p, row in self.rows.items()
                if self.section_of.get(p) == index and row.line is not None and not row.isHidden()
            ]
            if shown:
                self._focus_stop(shown[0])
        self.outline.setCurrentRow(index)

    def next_section(self) -> None:
        self.go_to_section(min(self.current_section() + 1, len(self.sections) - 1))

    def previous_section(self) -> None:
        self.go_to_section(max(self.current_section() - 1, 0))

    # --- form versions ---------------------------------------------------------------------
    def _form_label(self) -> str:
        label = getattr(self.backend, "form_label", "")
        return label if isinstance(label, str) else ""

    def _show_form_notices(self, draft: dict[str, Any] | None) -> None:
        """Say so when the form changed since the draft was begun, or since the child's
        last visit, and list the earlier answers the new form refuses, with their values."""
        import html

        parts: list[str] = []
        current = self._form_label()
        began = str((draft or {}).get("form") or "")
        if began and current and began != current:
            parts.append(self.tr("调查表已更新（{0} → {1}）：本草稿按新表单打开，请核对各题，"
                                 "标红的题目需要重新填写。").format(began, current))
        plan = self.follow_up
        if plan is not None and getattr(plan, "last_version", "") not in ("", current):
            parts.append(self.tr("自上次走访以来调查表已更新（{0} → {1}）。原有答案已带入；"
                                 "新表单不再询问的答案保存在档案的“早前版本的答案”中。").format(
                plan.last_version, current))
            errors = self.session.errors(self.lang)
            for name, value in plan.carried.start.items():
                if name in errors and self.session.answer(name) not in ("", None):
                    row = self.rows.get(name)
                    label = row.spec.label if row is not None else name
                    parts.append(self.tr("“{0}”的原答案“{1}”不符合新表单：{2} 请重新填写。")
                                 .format(label, value, errors[name]))
        self.notice.setText("<br>".join(html.escape(p) for p in parts))
        self.notice.setVisible(bool(parts))

    # --- drafts and finalize -------------------------------------------------------------
    def draft_payload(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "form": self._form_label(),
            "answers": dict(self.answers),
            "repeats": dict(self.repeat_counts),
        }

    def save_draft(self) -> None:
        """Write the draft to the encrypted store (never to a plaintext file)."""
        if not self.answers:
            return
        self.backend.save_draft(self.draft_key, self.draft_payload())
        self.dirty = False
        self.state.setText(
            self.tr("草稿已自动保存 {0}").format(dt.datetime.now().strftime("%H:%M:%S"))
        )

    def save_draft_now(self) -> None:
        try:
            self.save_draft()
        except SurveyError as err:
            show_error(self, err)

    def _autosave_tick(self) -> None:
        if not self.dirty:
            return
        try:
            self.save_draft()
        except SurveyError as err:  # e.g. the disk is full: say so, keep the answers
            self.state.setText(err.message(self.lang))

    def restore(self, draft: dict[str, Any]) -> None:
        for name, count in dict(draft.get("repeats") or {}).items():
            while self.session.repeat_count(name) < int(count):
                self.session.add_repeat(name)
            self.repeat_counts[name] = self.session.repeat_count(name)
            if name in self.repeat_boxes:
                self._rebuild_repeat(name)
        for path, value in dict(draft.get("answers") or {}).items():
            self.answers[path] = value
            self.session.set(path, value)
            if path in self.rows:
                self.rows[path].set_value(value)
        self.state.setText(self.tr("已恢复上次未完成的草稿"))

    def load_answers(self, answers: dict[str, Any]) -> None:
        """Fill the view from a saved submission (for editing a record)."""
        self.restore({"answers": answers})

    def _not_on_file_yet(self) -> bool:
        """For a new child whose ID number is already on file: warn before saving, with a
        button to the existing file (a follow-up visit there instead of a second file).
        True to go on saving."""
        from surveyapp.ui.formview.idcheck import _on_file

        idn = str(self.session.value("id_number") or "").strip().upper() \
            if "id_number" in self.backend.form.nodes else ""
        same = _on_file(self, idn) if idn else None
        if same is None:
            return True
        box = QMessageBox(self)
        box.setObjectName("sameIdBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("身份证号已在档案中"))
        box.setText(self.tr("本地已有公民身份号码为 {0} 的儿童档案：{1}（{2}）。\n"
                            "同一儿童请在已有档案上录入走访，不要新建第二份档案。").format(
            idn, same.child_name, self.backend.village_name(same.village_code)))
        open_btn = box.addButton(self.tr("打开已有档案"), QMessageBox.ButtonRole.AcceptRole)
        open_btn.setObjectName("openExisting")
        new_btn = box.addButton(self.tr("确为另一名儿童，仍新建"),
                                QMessageBox.ButtonRole.DestructiveRole)
        new_btn.setObjectName("saveAnyway")
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_btn)
        box.exec()
        if box.clickedButton() is open_btn:
            self.open_existing.emit(same.record_id)
            return False
        return box.clickedButton() is new_btn

    def finalize(self) -> str | None:
        """Save the record if there are no errors; otherwise list them with links."""
        self.show_all_errors = True
        self.refresh_all()
        errors = self.session.errors(self.lang)
        if errors:
            links = []
            for path, text in errors.items():
                row = self.rows.get(path)
                label = row.spec.label if row is not None else path
                links.append(f'<a href="{path}">{label}</a>：{text}')
            self.errors_box.setText(
                self.tr("还有 {0} 处需要修改，不能提交：").format(len(errors))
                + "<br>"
                + "<br>".join(links[:30])
            )
            self.errors_scroll.setVisible(True)
            first = next(iter(errors))
            self.focus_path(first)
            return None
        self.errors_scroll.setVisible(False)
        if not self._not_on_file_yet():
            return None
        try:
            record_id = self.backend.save_visit(self.record_id, self.session.submission())
            self.backend.delete_draft(self.draft_key)
        except SurveyError as err:
            show_error(self, err)
            return None
        self.answers.clear()
        self.dirty = False
        self.record_id = record_id
        self.state.setText(self.tr("已提交保存"))
        self.saved.emit(record_id)
        return str(record_id)
