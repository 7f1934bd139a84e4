"""Tools → 导入台账: import a county's existing 台账 (.xlsx/.csv) as first visits.

    LedgerImportDialog(ws, parent=None)
    dialog.preview() -> LedgerImport | None   # the first PREVIEW_ROWS rows, mapped and checked
    dialog.run() -> LedgerImport | None       # the import, in the background (also .outcome)

Choose the file (and a mapping file for another layout, or write a template to edit);
"预览" shows the first rows as the form will take them with each row's problems; "导入"
checks every row with the form and imports in one transaction behind a progress bar with
Cancel (nothing is written when cancelled, or when a row is refused unless "只导入通过检查
的行" is ticked). The report (.xlsx: row, column, value, reason in Chinese and English) is
written beside the ledger whenever a row has a problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from surveyapp.ui.errordialogs import ui_lang
from surveyapp.ui.tools.common import (
    ask_overwrite,
    lay_out,
    pick_open,
    pick_save,
    run_job,
    run_now,
    show_result,
)

PREVIEW_ROWS = 20
#: the preview's first columns, then one per mapped question
SHOWN = ("child_name", "sex", "birth_date", "id_number", "village_code", "survey_date")
BAD = QColor("#F8D7DA")
DUPLICATE = QColor("#FFF3CD")


class LedgerImportDialog(QDialog):
    """Pick the ledger, preview it, import it (see the module docstring)."""

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.outcome: Any = None
        self._label_cache: Any = None
        self.setWindowTitle(self.tr("导入台账"))
        self.setObjectName("ledgerImportDialog")
        self.resize(900, 560)
        self.source = QLineEdit()
        self.source.setObjectName("source")
        self.source.setPlaceholderText(self.tr("台账文件（.xlsx 或 .csv）"))
        browse = QPushButton(self.tr("选择……"))
        browse.clicked.connect(self._browse)
        self.mapping = QLineEdit()
        self.mapping.setObjectName("mapping")
        self.mapping.setPlaceholderText(self.tr("本系统导出的台账不需要对照文件"))
        browse_map = QPushButton(self.tr("选择……"))
        browse_map.clicked.connect(self._browse_mapping)
        template = QPushButton(self.tr("生成对照模板……"))
        template.setObjectName("writeTemplate")
        template.clicked.connect(self.write_template)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("仅当台账文件设有密码时填写"))
        self.valid_only = QCheckBox(self.tr("只导入通过检查的行（未通过的行列入报告）"))
        self.valid_only.setObjectName("validOnly")
        self.preview_button = QPushButton(self.tr("预览"))
        self.preview_button.setObjectName("previewButton")
        self.preview_button.clicked.connect(self.preview)
        form = QFormLayout()
        form.addRow(self.tr("台账文件："), _row(self.source, browse))
        form.addRow(self.tr("对照文件："), _row(self.mapping, browse_map, template))
        form.addRow(self.tr("文件密码："), self.password)
        form.addRow("", _row(self.valid_only, self.preview_button))
        self.summary = QLabel(self.tr("选择台账文件后点“预览”，查看前 {0} 行的导入结果。")
                              .format(PREVIEW_ROWS))
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("previewTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.buttons = lay_out(self, self.tr("导入"), self.run, form, self.summary, self.table)

    # --- pickers -------------------------------------------------------------------------
    def _browse(self) -> None:
        chosen = pick_open(self, self.tr("选择台账文件"), self.tr("表格 (*.xlsx *.csv)"))
        if chosen is not None:
            self.source.setText(str(chosen))

    def _browse_mapping(self) -> None:
        chosen = pick_open(self, self.tr("选择对照文件"), self.tr("对照文件 (*.json)"))
        if chosen is not None:
            self.mapping.setText(str(chosen))

    def _paths(self) -> tuple[Path, Path | None] | None:
        text = self.source.text().strip()
        if not text:
            QMessageBox.information(self, self.tr("导入台账"), self.tr("请先选择台账文件。"))
            return None
        mapping = self.mapping.text().strip()
        return Path(text), (Path(mapping) if mapping else None)

    def write_template(self) -> Path | None:
        """Write a mapping file with the chosen spreadsheet's headers, to edit."""
        from surveyapp.ops import ledgerin

        text = self.source.text().strip()
        source = Path(text) if text else None
        suggested = str(source.with_name(source.stem + "-对照.json")) if source else "对照.json"
        target = pick_save(self, self.tr("保存对照模板"), suggested, self.tr("对照文件 (*.json)"))
        if target is None or not ask_overwrite(self, target):
            return None
        password = self.password.text() or None
        written = run_now(self, lambda: ledgerin.write_template(
            target, source=source, overwrite=True, password=password))
        if written is not None:
            self.mapping.setText(str(written))
            show_result(self, self.tr("对照模板"),
                        self.tr("已写入 {0}。请填写每一列对应的题目名，再选它导入。")
                        .format(str(written)), written.parent)
        return written

    # --- preview -------------------------------------------------------------------------
    def preview(self) -> Any:
        """Check the first ``PREVIEW_ROWS`` rows (nothing is written) and show them."""
        from surveyapp.ops import ledgerin

        paths = self._paths()
        if paths is None:
            return None
        source, mapping = paths
        password = self.password.text() or None
        # In the background: the duplicate check reads every child on file first.
        result = run_job(self, self.tr("正在读取台账……"),
                         lambda _progress, cancelled: ledgerin.import_ledger(
                             self.ws, source, mapping=mapping, limit=PREVIEW_ROWS,
                             keep_rows=PREVIEW_ROWS, password=password, cancel=cancelled))
        if result is None:
            return None
        self._fill(result)
        s = result.summary
        self.summary.setText(self.tr(
            "前 {0} 行：{1} 行可导入，{2} 行未通过检查，{3} 行疑似重复。已识别的列：{4}。"
            "未导入的列：{5}。").format(
            s.rows, s.valid, s.refused, s.duplicates, "、".join(result.headers) or "—",
            "、".join(result.unmapped) or "—"))
        return result

    def _fill(self, result: Any) -> None:
        fields = [f for f in SHOWN if f in result.headers.values()]
        fields += [f for f in result.headers.values() if f not in fields]
        headers = {f: h for h, f in result.headers.items()}
        columns = [self.tr("行号"), self.tr("结果"), self.tr("问题")] + [
            headers[f] for f in fields]
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setRowCount(len(result.preview))
        lang = ui_lang()
        labels = self._labels(lang)
        status = {"ok": self.tr("可导入"), "refused": self.tr("未通过"),
                  "duplicate": self.tr("疑似重复")}
        for i, outcome in enumerate(result.preview):
            row = f"{outcome.sheet} {outcome.row}" if outcome.sheet else str(outcome.row)
            cells = [row, status[outcome.status],
                     "；".join(f"{p.column or p.field}：{p.reason(lang)}"
                              for p in outcome.problems)]
            cells += [labels.label(f, outcome.answers.get(f)) for f in fields]
            colour = BAD if outcome.status == "refused" else (
                DUPLICATE if outcome.status == "duplicate" else None)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 2 and text:
                    item.setToolTip(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if colour is not None:
                    item.setBackground(QBrush(colour))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 360))  # full text: tooltip

    def _labels(self, lang: str) -> Any:
        """The form's choice labels, so that the preview shows 女 rather than ``female``."""
        from surveyapp.ops.ledger import load_labels

        if getattr(self, "_label_cache", None) is None or self._label_cache.lang != lang:
            self._label_cache = load_labels(lang=lang)
        return self._label_cache

    # --- import --------------------------------------------------------------------------
    def run(self) -> Any:
        """Import the whole file in the background; show what happened."""
        from surveyapp.ops import ledgerin

        paths = self._paths()
        if paths is None:
            return None
        source, mapping = paths
        report = source.with_name(source.stem + "-导入报告.xlsx")
        valid_only = self.valid_only.isChecked()
        password = self.password.text() or None
        result = run_job(self, self.tr("正在检查并导入台账……"),
                         lambda progress, cancelled: ledgerin.import_ledger(
                             self.ws, source, mapping=mapping, valid_only=valid_only,
                             progress=progress, cancel=cancelled, password=password))
        if result is None:
            return None
        s = result.summary
        if s.problems:
            run_now(self, lambda: ledgerin.write_report(s, report))
        self.outcome = result
        text = self.tr("共 {0} 行：已导入 {1} 名儿童，{2} 行未通过检查，{3} 行疑似重复。").format(
            s.rows, s.imported, s.refused, s.duplicates)
        if s.refused and not s.written:
            text = self.tr("{0} 行未通过检查，未导入任何数据。请按报告改正后重新导入，"
                           "或勾选“只导入通过检查的行”。").format(s.refused) + "\n" + text
        if s.problems:
            text += "\n" + self.tr("报告：{0}").format(str(report))
        show_result(self, self.tr("导入台账"), text, report.parent if s.problems else None)
        if s.written:
            refresh = getattr(self.parent(), "on_records_changed", None)
            if callable(refresh):
                refresh()
            self.accept()
        return result


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
    return box
