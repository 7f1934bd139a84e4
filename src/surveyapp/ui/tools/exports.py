"""County and township exports in one dialog: the 台账 ledger (.xlsx or .csv, scope and
filters, optional masking and password), each department's list, the statistics workbook
and the dossier PDFs (一人一档) of a village. All run in the background with progress and
Cancel, never overwrite without asking, and end with "what was written where" and an
"open folder" button.

    ExportsDialog(ws, villages=(), parent=None)   # villages: [(code, name)] for the scope
    dialog.run() -> Any | None                    # the op's result (also ``dialog.outcome``)
    KINDS: ("ledger", "department:<preset>"..., "stats", "all_fields", "dossiers")

Ages and the age-bound categories of the ledger, the lists and the statistics are counted
as of the chosen date (today by default), with the workspace form's rules. "全部字段"
writes every question of every form version the workspace has seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ui.tools.common import (
    ask_overwrite,
    lay_out,
    pick_folder,
    pick_save,
    run_job,
    show_result,
)

# QT_TRANSLATE_NOOP marks the texts for pyside6-lupdate; the dialog translates them.
CATEGORIES = (
    ("left_behind", QT_TRANSLATE_NOOP("ExportsDialog", "留守儿童")),
    ("in_difficulty", QT_TRANSLATE_NOOP("ExportsDialog", "困境儿童")),
    ("orphan", QT_TRANSLATE_NOOP("ExportsDialog", "孤儿")),
    ("unsupported", QT_TRANSLATE_NOOP("ExportsDialog", "事实无人抚养")),
    ("poverty", QT_TRANSLATE_NOOP("ExportsDialog", "困难家庭")),
    ("disability", QT_TRANSLATE_NOOP("ExportsDialog", "残疾")),
    ("guardianship", QT_TRANSLATE_NOOP("ExportsDialog", "监护缺失")),
    ("urgent", QT_TRANSLATE_NOOP("ExportsDialog", "需紧急报告")),
)
RISKS = (
    ("high", QT_TRANSLATE_NOOP("ExportsDialog", "高风险")),
    ("medium", QT_TRANSLATE_NOOP("ExportsDialog", "中风险")),
    ("low", QT_TRANSLATE_NOOP("ExportsDialog", "低风险")),
)


def cancellable(rows: Iterable[Any], cancelled: Callable[[], bool],
                progress: Callable[[int, int], None] | None = None, total: int = 0
                ) -> Iterator[Any]:
    """``rows``, raising CANCELLED when ``cancelled()`` turns true (polled every 50 rows)."""
    for i, row in enumerate(rows, 1):
        if i % 50 == 0:
            if cancelled():
                raise SurveyError(CommonCode.CANCELLED)
            if progress is not None:
                progress(i, max(total, i))
        yield row


class ExportsDialog(QDialog):
    """Choose what to export, for whom, and where; then run it in the background."""

    def __init__(self, ws: Any, villages: Sequence[tuple[str, str]] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from surveyapp.core.ledger import PRESETS

        self.setObjectName("exportsDialog")
        self.setWindowTitle(self.tr("导出台账和名单"))
        self.setMinimumWidth(560)
        self.ws = ws
        self.outcome: Any = None
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        self.kind.addItem(self.tr("摸底排查台账"), "ledger")
        for key, preset in PRESETS.items():
            self.kind.addItem(self.tr("部门名单：{0}（{1}）").format(preset.department,
                                                                 preset.title),
                              f"department:{key}")
        self.kind.addItem(self.tr("统计表（含图表）"), "stats")
        self.kind.addItem(self.tr("全部字段（各版本表单）"), "all_fields")
        self.kind.addItem(self.tr("一人一档 PDF（按村）"), "dossiers")
        self.as_of = QDateEdit(QDate.currentDate())
        self.as_of.setObjectName("asOf")
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.scope = QComboBox()
        self.scope.setObjectName("scope")
        self.scope.addItem(self.tr("全部（{0}）").format(ws.org_name), "")
        for code, name in villages:
            self.scope.addItem(f"{name}（{code}）", code)
        self.status = QComboBox()
        self.status.setObjectName("status")
        for text, value in ((self.tr("全部"), ""), (self.tr("在册"), "active"),
                            (self.tr("已退出"), "exited")):
            self.status.addItem(text, value)
        self.fmt = QComboBox()
        self.fmt.setObjectName("format")
        self.fmt.addItem("Excel (.xlsx)", "xlsx")
        self.fmt.addItem("CSV (.csv)", "csv")
        self.mask = QCheckBox(self.tr("隐去身份证号和电话号码中间几位(&M)"))
        self.mask.setObjectName("mask")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("不加密时留空"))
        self.target = QLineEdit()
        self.target.setObjectName("target")
        browse = QPushButton(self.tr("浏览(&B)……"))
        browse.clicked.connect(self.browse)
        filters = QGroupBox(self.tr("筛选（不勾选表示全部）"))
        grid = QGridLayout(filters)
        self.categories: dict[str, QCheckBox] = {}
        for i, (key, text) in enumerate(CATEGORIES):
            self.categories[key] = QCheckBox(self.tr(text))
            grid.addWidget(self.categories[key], i // 4, i % 4)
        self.risks: dict[str, QCheckBox] = {}
        for i, (key, text) in enumerate(RISKS):
            self.risks[key] = QCheckBox(self.tr(text))
            grid.addWidget(self.risks[key], 2, i)
        form = QFormLayout()
        where = QHBoxLayout()
        where.addWidget(self.target)
        where.addWidget(browse)
        for label, widget in ((self.tr("导出内容(&K)："), self.kind),
                              (self.tr("范围(&S)："), self.scope),
                              (self.tr("状态(&T)："), self.status),
                              (self.tr("文件格式(&G)："), self.fmt),
                              (self.tr("年龄计算日期(&A)："), self.as_of),
                              (self.tr("文件密码(&P)："), self.password)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        form.addRow("", self.mask)
        target_label = QLabel(self.tr("保存到(&F)："))
        target_label.setBuddy(self.target)
        form.addRow(target_label, where)
        lay_out(self, self.tr("导出"), self.run, form, filters)
        self.kind.currentIndexChanged.connect(self.update_fields)
        self.fmt.currentIndexChanged.connect(self.update_fields)
        self.update_fields()

    # --- state ----------------------------------------------------------------------------
    def current_kind(self) -> str:
        return str(self.kind.currentData())

    _shown_kind = ""

    def update_fields(self) -> None:
        kind = self.current_kind()
        listing = kind in ("ledger", "all_fields") or kind.startswith("department:")
        self.fmt.setEnabled(listing)
        self.password.setEnabled(listing and self.fmt.currentData() == "xlsx")
        self.mask.setEnabled(kind in ("ledger", "dossiers") or self._may_reveal(kind))
        if kind.startswith("department:") and kind != self._shown_kind:
            # A department list starts masked; only the roles its preset names may send
            # full numbers (docs/cli.md, the presets table), after a confirmation.
            self.mask.setChecked(True)
        self._shown_kind = kind
        self.status.setEnabled(kind != "stats")
        self.as_of.setEnabled(kind in ("ledger", "stats") or kind.startswith("department:"))

    @staticmethod
    def _preset(kind: str) -> Any:
        """The department preset of a ``department:<key>`` kind (None for other kinds)."""
        from surveyapp.core.ledger import PRESETS

        return PRESETS.get(kind.split(":", 1)[1]) if kind.startswith("department:") else None

    def _may_reveal(self, kind: str) -> bool:
        preset = self._preset(kind)
        return preset is not None and self.ws.role in preset.reveal_roles

    def _reveal(self, kind: str) -> bool:
        """Whether a department list goes out with full ID and phone numbers."""
        return self._may_reveal(kind) and not self.mask.isChecked()

    def query(self) -> Any:
        from surveyapp.core.ledger import ChildQuery

        scope = str(self.scope.currentData() or "")
        status = str(self.status.currentData() or "")
        return ChildQuery(
            township_code=scope if len(scope) == 9 else None,
            village_code=scope if len(scope) == 12 else None,
            categories=tuple(k for k, box in self.categories.items() if box.isChecked()),
            risk_levels=tuple(k for k, box in self.risks.items() if box.isChecked()),
            statuses=(status,) if status else (),
        )

    def suggested_name(self) -> str:
        kind, org = self.current_kind(), self.ws.org_name
        ext = self.fmt.currentData() if self.fmt.isEnabled() else "xlsx"
        if kind == "ledger":
            return f"{org}_摸底排查台账.{ext}"
        if kind == "stats":
            return f"{org}_统计表.xlsx"
        if kind == "all_fields":
            return f"{org}_全部字段.{ext}"
        if kind.startswith("department:"):
            return f"{org}_{kind.split(':', 1)[1]}_名单.{ext}"
        return f"{org}_一人一档"

    def browse(self) -> None:
        if self.current_kind() == "dossiers":
            chosen = pick_folder(self, self.tr("选择保存一人一档 PDF 的文件夹"))
        else:
            ext = self.fmt.currentData() if self.fmt.isEnabled() else "xlsx"
            chosen = pick_save(self, self.tr("保存为"), self.suggested_name(),
                               f"*.{ext}")
        if chosen is not None:
            self.target.setText(str(chosen))

    # --- run ------------------------------------------------------------------------------
    def run(self) -> Any:
        """Export with the chosen settings; the result, or ``None`` (the user was told)."""
        text = self.target.text().strip()
        if not text:
            show_result(self, self.tr("请补充"), self.tr("请先选择保存位置。"))
            return None
        kind, target = self.current_kind(), Path(text)
        if kind != "dossiers":
            ext = "." + str(self.fmt.currentData() if self.fmt.isEnabled() else "xlsx")
            if target.suffix.lower() != ext:
                target = target.with_name(target.name + ext)
            if not ask_overwrite(self, target):
                return None
            overwrite = target.exists()
        else:
            overwrite = target.is_dir() and any(target.glob("*.pdf"))
            if overwrite and not self._ask_replace_pdfs(target):
                return None
        if self._reveal(kind) and not self._confirm_reveal(kind):
            return None
        job = self._job(kind, target, overwrite)
        result = run_job(self, self.tr("正在导出……"), job)
        if result is None:
            return None
        self.outcome = result
        self._report(kind, target, result)
        self.accept()
        return result

    def _confirm_reveal(self, kind: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        preset = self._preset(kind)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("导出完整号码"), self.tr(
            "这份名单将包含完整的身份证号和电话号码，发给{0}。\n"
            "请只在对方确需完整号码时这样做，并按涉密材料交接、保管。"
            "导出记入审计日志（导出人、份数、未隐去）。\n\n确定导出完整号码吗？"
        ).format(preset.department), QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmReveal")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("导出完整号码(&Y)"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _ask_replace_pdfs(self, folder: Path) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self, self.tr("文件夹里已有 PDF"),
            self.tr("文件夹 {0} 里已经有 PDF 文件。同名的档案要替换吗？").format(str(folder)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _job(self, kind: str, target: Path, overwrite: bool) -> Any:
        from surveyapp.ops import ledger
        from surveyapp.ops.forms import current_form

        ws, query, name = self.ws, self.query(), self.ws.org_name
        form = current_form(ws)
        as_of = dt.date.fromisoformat(self.as_of.date().toString("yyyy-MM-dd"))
        mask = self.mask.isChecked() and self.mask.isEnabled()
        fmt = str(self.fmt.currentData())
        password = self.password.text() if self.password.isEnabled() else ""
        total = ws.count_children(ledger.store_filter(query))

        def rows(cancelled: Callable[[], bool], progress: Any = None) -> Iterator[Any]:
            # One row per person, urgent children first, then by village and pinyin.
            return cancellable(ledger.iter_workspace_rows(ws, query, ordered=kind != "stats"),
                               cancelled, progress, total)

        if kind == "ledger":
            return lambda progress, cancelled: ledger.export_ledger_file(
                rows(cancelled), target, county_name=name, query=query, fmt=fmt, mask=mask,
                password=password or None, overwrite=overwrite, total=total,
                progress=progress, cancel=cancelled, as_of=as_of, form=form, audit=ws)
        if kind == "all_fields":
            return lambda progress, cancelled: ledger.export_all_fields_file(
                ws, target, query=query, fmt="csv" if fmt == "csv" else "xlsx",
                password=password or None,
                overwrite=overwrite, progress=progress, cancel=cancelled)
        if kind.startswith("department:"):
            preset = kind.split(":", 1)[1]
            reveal = self._reveal(kind)
            return lambda progress, cancelled: ledger.export_department_file(
                rows(cancelled, progress), target, preset, county_name=name, role=ws.role,
                reveal=reveal, query=query, fmt=fmt, password=password or None, overwrite=overwrite,
                progress=progress, cancel=cancelled, as_of=as_of, form=form, audit=ws)
        if kind == "stats":
            return lambda progress, cancelled: ledger.export_stats_file(
                rows(cancelled, progress), target, county_name=name, overwrite=overwrite,
                visits=ledger.iter_workspace_visits(ws), as_of=as_of, form=form,
                possible_duplicates=ledger.possible_duplicates(ws), audit=ws)

        def dossiers(progress: Any, cancelled: Callable[[], bool]) -> Any:
            from surveyapp.ops.forms import FormResolver
            from surveyapp.render import write_village_dossiers

            # Each child's labels from the form version its file was saved under, each
            # version loaded once (docs/forms.md "Which form labels an answer").
            forms = FormResolver(ws, current=form)
            forms.load_heads()
            selected = (row for row in ledger.iter_workspace_rows(ws, query)
                        if query.matches(row))
            written = write_village_dossiers(
                selected, target, total=total, county_name=name, mask=mask,
                overwrite=overwrite, progress=progress, cancel=cancelled,
                labels_for=lambda row: forms.record_labels(str(row.get("record_id", ""))))
            from surveyapp.ops.audit import record_export, scope_of

            record_export(ws, "dossiers", path=target, rows=len(written), masked=mask,
                          scope=scope_of(query))
            return written

        return dossiers

    def _report(self, kind: str, target: Path, result: Any) -> None:
        if kind == "dossiers":
            text = self.tr("已生成 {0} 份一人一档 PDF。\n位置：{1}").format(len(result),
                                                                      str(target))
            show_result(self, self.tr("导出完成"), text, target)
            return
        path = Path(getattr(result, "path", target))
        if kind == "stats":
            text = self.tr("已写入统计表：{0}\n位置：{1}").format(path.name, str(path.parent))
        else:
            notes = []
            if getattr(result, "masked", False):
                notes.append(self.tr("身份证号和电话号码已部分隐去。"))
            elif kind.startswith("department:") and self._reveal(kind):
                notes.append(self.tr("名单含完整的身份证号和电话号码：请按涉密材料交接、保管。"))
            if getattr(result, "encrypted", False):
                notes.append(self.tr("文件已加密，打开时需要输入您设置的密码。"))
            text = self.tr("已写入文件：{0}\n位置：{1}\n共 {2} 名儿童。").format(
                path.name, str(path.parent), result.rows)
            if notes:
                text += "\n" + "\n".join(notes)
        show_result(self, self.tr("导出完成"), text, path.parent)
