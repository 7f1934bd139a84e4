"""The child file (一人一档): answers, category and why, history, follow-up, exit, dossier PDF.

The answers are shown with the labels of the form version the file's last revision was
saved under (``backend.record_form``: else the app's current form, else the shipped one,
and then the view says so); earlier answers with the labels of the version that asked
them.

``ChildFileView(backend, record_id)``; signals ``add_visit_requested(record_id)``,
``changed()`` (after an exit was recorded) and ``open_child_requested(record_id)`` (a link to
another file of the same child: linked or moved, each with its own history).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from surveyapp.errors import SurveyError
from surveyapp.ui.errordialogs import show_error
from surveyapp.ui.formview.tree import build_sections
from surveyapp.ui.models.children import category_text, field_of, risk_text, status_text
from surveyapp.ui.widgets.why import answer_text, label_of, reasons

EXIT_REASONS = (
    ("aged_out", "年满18周岁"),
    ("parents_returned", "父母返乡，不再留守"),
    ("moved_away", "迁出本地"),
    ("died", "死亡"),
    ("other", "其他"),
)


class ExitDialog(QDialog):
    """Reason, date and a note for taking a child off the active list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exitDialog")
        self.setWindowTitle(self.tr("记录退出"))
        self.reason = QComboBox()
        self.reason.setObjectName("exitReason")
        texts = {
            "aged_out": self.tr("年满18周岁"),
            "parents_returned": self.tr("父母返乡，不再留守"),
            "moved_away": self.tr("迁出本地"),
            "died": self.tr("死亡"),
            "other": self.tr("其他"),
        }
        for key, _zh in EXIT_REASONS:
            self.reason.addItem(texts[key], key)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setCalendarPopup(True)
        self.note = QLineEdit()
        self.note.setObjectName("exitNote")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("退出原因"), self.reason)
        form.addRow(self.tr("退出日期"), self.date)
        form.addRow(self.tr("说明"), self.note)
        form.addRow(buttons)

    def values(self) -> tuple[str, str, str]:
        return (
            str(self.reason.currentData()),
            self.date.date().toString("yyyy-MM-dd"),
            self.note.text().strip(),
        )


class ChildFileView(QWidget):
    add_visit_requested = Signal(str)
    changed = Signal()
    open_child_requested = Signal(str)

    def __init__(self, backend: Any, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("childFile")
        self.backend = backend
        self.record_id = record_id
        self.banner = QLabel()
        self.banner.setObjectName("urgentBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #c62828; color: white; font-weight: bold; padding: 8px;"
        )
        self.header = QLabel()
        self.header.setObjectName("childHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.persons = QLabel()
        self.persons.setObjectName("personLinks")
        self.persons.setWordWrap(True)
        self.persons.setTextFormat(Qt.TextFormat.RichText)
        self.persons.setStyleSheet("background: #fff8e1; padding: 6px; border: 1px solid #ffcc80;")
        self.persons.linkActivated.connect(self.open_child_requested.emit)
        self.why = QLabel()
        self.why.setObjectName("why")
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.RichText)
        self.why.setStyleSheet("background: #f5f7fb; padding: 8px; border: 1px solid #c5cae9;")
        self.answers_view = QTextBrowser()
        self.answers_view.setObjectName("answers")
        self.history = QListWidget()
        self.history.setObjectName("history")
        visit = QPushButton(self.tr("添加回访记录"))
        visit.setObjectName("addVisit")
        visit.clicked.connect(lambda: self.add_visit_requested.emit(self.record_id))
        self.setFocusProxy(visit)  # an opened (or just saved) file: the cursor is here
        self.exit_button = QPushButton(self.tr("记录退出"))
        self.exit_button.setObjectName("recordExit")
        self.exit_button.clicked.connect(self.on_exit)
        pdf = QPushButton(self.tr("保存档案 PDF"))
        pdf.setObjectName("savePdf")
        pdf.clicked.connect(self.on_pdf)
        buttons = QHBoxLayout()
        for b in (visit, self.exit_button, pdf):
            b.setAutoDefault(True)  # Enter on the focused button presses it (Space does too)
            buttons.addWidget(b)
        if getattr(backend.ws, "role", "") in ("township", "county"):
            send_back = QPushButton(self.tr("退回村里核实"))
            send_back.setObjectName("returnToVillage")
            send_back.clicked.connect(self.on_return)
            buttons.addWidget(send_back)
        buttons.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel(self.tr("走访与状态记录")))
        right_layout.addWidget(self.history)
        split = QSplitter()
        split.addWidget(self.answers_view)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.header)
        layout.addWidget(self.persons)
        layout.addWidget(self.why)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self.reload()
        note = getattr(backend, "note_read", None)
        if note is not None and self.row is not None:
            note(record_id)

    def title(self) -> str:
        return str(self.answers.get("child_name") or self.tr("儿童档案"))

    def reload(self) -> None:
        self.row = self.backend.child_row(self.record_id)
        self.answers: dict[str, Any] = self.backend.child_answers(self.record_id) or {}
        finder = getattr(self.backend, "record_form", None)
        self.saved = finder(self.record_id) if finder is not None else None
        self.shown_form = self.saved.form if self.saved is not None else self.backend.form
        lang = self.backend.lang
        as_of = getattr(self.backend, "as_of_today", None)
        now = as_of(self.answers) if callable(as_of) else self.answers
        urgent = (
            str(self.answers.get("urgent_report", field_of(self.row, "urgent_report"))) == "yes"
        )
        self.banner.setVisible(urgent)
        self.banner.setText(
            self.tr(
                "强制报告：请立即向公安机关报案（110），并同时报告乡镇（街道）和县民政局；"
                "在下方记录报告情况。"
            )
        )
        exited = status_text(str(field_of(self.row, "status"))) != status_text("active")
        self.exit_button.setEnabled(not exited)
        due = field_of(self.row, "follow_up_due")
        esc = html.escape
        sex = answer_text(self.shown_form, "sex", self.answers.get("sex"), lang)
        self.header.setText(
            f"<span style='font-size:16pt;font-weight:bold'>{esc(self.title())}</span>"
            f"&nbsp;&nbsp;{esc(sex)}"
            f"&nbsp;&nbsp;{esc(str(self.answers.get('birth_date', '')))}"
            f"&nbsp;&nbsp;{esc(str(self.answers.get('id_number', '')))}<br>"
            + esc(
                self.tr("村（居）：{0}　年龄：{5}　类别：{1}　风险：{2}　状态：{3}　下次走访：{4}")
                .format(
                    self.backend.village_name(str(self.answers.get("village_code", ""))),
                    str(
                        (now.get("category_label") if lang == "zh" else "")
                        or category_text(now)
                    ),
                    risk_text(str(now.get("risk_level", ""))),
                    status_text(str(field_of(self.row, "status"))),
                    due or "—",
                    now.get("age_years", "") or "—",
                )
            )
            + (
                "<br><span style='color:#b00020'>"
                + esc(self.tr("此档案有冲突的修改，待乡镇审核。"))
                + "</span>"
                if field_of(self.row, "conflict")
                else ""
            )
        )
        self._show_persons()
        found = reasons(self.shown_form, self.answers, lang)
        if found:
            items = []
            for r in found:
                colon, semi = ("：", "；") if lang == "zh" else (": ", "; ")
                because = semi.join(f"{esc(k)}{colon}{esc(v)}" for k, v in r.inputs)
                items.append(f"<b>{esc(r.label)}</b> — {because}")
            self.why.setText("<b>" + esc(self.tr("认定依据")) + "</b><br>" + "<br>".join(items))
        else:
            self.why.setText(esc(self.tr("未认定为留守儿童或困境儿童。")))
        self.answers_view.setHtml(self.answers_html())
        self.history.clear()
        for event in self.backend.history(self.record_id):
            self.history.addItem(event)

    def _show_persons(self) -> None:
        """Linked and moved files: where this child is counted, and its other files."""
        finder = getattr(self.backend, "person_files", None)
        info = finder(self.record_id) if finder is not None else None
        if info is None or (info.absorbed_by is None and not info.others):
            self.persons.setVisible(False)
            return
        esc = html.escape

        def link(rid: str) -> str:
            row = self.backend.child_row(rid)
            name = str(field_of(row, "child_name", "") or "") if row is not None else ""
            village = self.backend.village_name(str(field_of(row, "village_code", "") or "")) \
                if row is not None else ""
            text = f"{name}（{village}）" if name else rid[:8]
            return f'<a href="{esc(rid)}">{esc(text)}</a>'

        lines = []
        got = info.absorbed_by
        if got is not None and got.get("decision") == "moved":
            lines.append(esc(self.tr("已迁至 {0}（{1}），在新村计数；现档案：").format(
                self.backend.village_name(str(got.get("moved_to", ""))),
                str(got.get("moved_on", "")))) + link(info.person_id))
        elif got is not None:
            lines.append(esc(self.tr("与另一份档案为同一儿童，已关联，不再单独计数；现档案："))
                         + link(info.person_id))
        others = [link(rid) + esc(self.tr("（迁出）") if how == "moved" else "")
                  for rid, how, _ in info.others if rid != info.person_id]
        if others:
            lines.append(esc(self.tr("同一儿童的其他档案（各自的历史均保留）："))
                         + "、".join(others))
        self.persons.setText("<br>".join(lines))
        self.persons.setVisible(True)

    def answers_html(self) -> str:
        lang = self.backend.lang
        form = self.shown_form
        parts = []
        saved = self.saved
        if saved is not None and saved.fallback and saved.named:
            note = self.tr("此档案以表单 {0} 填写，本机没有该版本，按表单 {1} 的题目和选项显示。")
            parts.append("<p style='color:#8a6d00'>"
                         + html.escape(note.format(saved.named, saved.used)) + "</p>")
        for section in build_sections(form, lang):
            rows = []
            for spec in section.fields():
                if spec.type in ("note", "calculate") or spec.repeat:
                    continue
                value = self.answers.get(spec.name)
                if value in (None, ""):
                    continue
                rows.append(
                    f"<tr><td style='color:#555;padding-right:12px'>{html.escape(spec.label)}</td>"
                    f"<td>{html.escape(answer_text(form, spec.name, value, lang))}</td></tr>"
                )
            if rows:
                parts.append(f"<h3>{html.escape(section.label)}</h3><table>{''.join(rows)}</table>")
        parts.append(self.earlier_html())
        return "".join(parts)

    def earlier_answers(self) -> list[tuple[str, str, str]]:
        """``(name, value, version)`` of the answers the current form no longer asks: those
        kept apart at a follow-up, and any other the last visit saved under an older form."""
        from surveyapp.core.forms.carry import NOT_ANSWERS, PREVIOUS

        form = self.shown_form
        lang = self.backend.lang
        forms = getattr(self.backend, "revision_forms", None)
        out: list[tuple[str, str, str]] = []
        kept = self.answers.get(PREVIOUS)
        for name, entry in (kept.items() if isinstance(kept, dict) else ()):
            if isinstance(entry, dict):
                form_id, number = str(entry.get("form_id", "")), str(entry.get("form_version", ""))
                version = f"{form_id}@{number}"
                value = entry.get("value", "")
                asked = forms.resolve(form_id, number).form if forms is not None else None
                label = label_of(asked, str(name), lang) if asked is not None else str(name)
                shown = answer_text(asked, str(name), value, lang) if asked is not None \
                    else str(value)
                out.append((str(name) if label == name else f"{label}（{name}）", shown,
                            version))
        skip = set(NOT_ANSWERS) | {"review_status", "review_comment"}
        for name, value in self.answers.items():
            if name not in form.nodes and name not in skip and value not in ("", None):
                out.append((str(name), str(value), ""))
        return out

    def earlier_html(self) -> str:
        found = self.earlier_answers()
        if not found:
            return ""
        esc = html.escape
        rows = "".join(
            f"<tr><td style='color:#555;padding-right:12px'>{esc(name)}</td>"
            f"<td>{esc(value)}</td><td style='color:#777;padding-left:12px'>{esc(version)}</td>"
            "</tr>"
            for name, value, version in found
        )
        title = self.tr("早前版本的答案（现行表单已不再询问）")
        return f"<h3 id='earlier'>{esc(title)}</h3><table>{rows}</table>"

    def on_exit(self) -> None:
        dialog = ExitDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        reason, date, note = dialog.values()
        try:
            self.backend.record_exit(self.record_id, reason, date, note)
        except SurveyError as err:
            show_error(self, err)
            return
        self.reload()
        self.changed.emit()

    def on_return(self) -> None:
        """Send the record back to the village with a comment (the review screens' dialog)."""
        from surveyapp.ui.review import return_child

        if return_child(self, self.backend.ws, self.record_id):
            self.reload()
            self.changed.emit()

    def on_pdf(self) -> None:
        default = f"{self.title()}_{dt.date.today():%Y%m%d}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存档案 PDF"), default, "PDF (*.pdf)")
        if path:
            self.save_pdf(path)

    def save_pdf(self, path: str) -> None:
        from surveyapp.ui.dossier import write_dossier

        try:
            write_dossier(self, path)
            note = getattr(self.backend, "note_read", None)
            if note is not None:
                note(self.record_id, "dossier")
        except SurveyError as err:
            show_error(self, err)
