"""Import many batches at once: choose files or a folder, dry run, then accept all or part.

``ImportDialog(ws, paths=(), parent=None)``: 添加文件… (Ctrl+O), 添加文件夹… (Ctrl+D),
预检 (F6) runs ``importplan.dry_run`` on a worker with a progress bar and 取消 (Esc cancels
the running step, not the dialog); the report shows counts and lists (batches with a check
box each, new, updated, conflicts, possible duplicates, rejected); 导入所选 (Ctrl+Enter)
imports the checked batches all or nothing, in the background. Signal ``imported(list)``
carries the ``ImportResult`` list; 写回执给发送方… then writes their receipts
(``ui.tools.receipts``). ``open_import_dialog(parent, ws)`` is the main window's hook.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from surveyapp.ops import importplan
from surveyapp.ui.errordialogs import error_text, show_error, ui_lang
from surveyapp.ui.review.duplicates import kind_text
from surveyapp.ui.review.keys import add_shortcuts
from surveyapp.ui.review.labels import FieldLabels
from surveyapp.ui.review.tables import list_table
from surveyapp.ui.workers import Worker, start

Index = QModelIndex | QPersistentModelIndex


class TextRowsModel(QAbstractTableModel):
    """A read-only table of text rows (the report's lists)."""

    def __init__(self, headers: tuple[str, ...], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: Sequence[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (not index.isValid() or not 0 <= index.row() < len(self.rows)
                or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)):
            return None
        return self.rows[index.row()][index.column()]


class BatchFilesModel(TextRowsModel):
    """One row per file, checkable when it can be imported."""

    def __init__(self, headers: tuple[str, ...], parent: Any = None) -> None:
        super().__init__(headers, parent)
        self.files: list[importplan.FileCheck] = []
        self.checked: list[bool] = []

    def set_files(self, files: list[importplan.FileCheck],
                  rows: Sequence[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.files, self.rows = list(files), list(rows)
        self.checked = [f.status == "ok" for f in files]
        self.endResetModel()

    def chosen(self) -> list[Path]:
        return [f.path for f, on in zip(self.files, self.checked, strict=True) if on]

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if (index.isValid() and index.column() == 0 and index.row() < len(self.files)
                and self.files[index.row()].status == "ok"):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.column() == 0
                and 0 <= index.row() < len(self.files)):
            on = self.checked[index.row()]
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.CheckStateRole or not index.isValid()
                or index.column() != 0 or self.files[index.row()].status != "ok"):
            return False
        self.checked[index.row()] = Qt.CheckState(value) == Qt.CheckState.Checked
        self.dataChanged.emit(index, index)
        return True


class ImportDialog(QDialog):
    """Import a folder or a selection of batch files, with a dry-run report first."""

    imported = Signal(list)

    def __init__(self, ws: Any, paths: tuple[str | Path, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("导入数据包"))
        self.ws = ws
        self.labels = FieldLabels.ready(ui_lang())
        self.worker: Worker | None = None
        self.report: importplan.ImportReport | None = None
        self.results: list[Any] = []

        self.file_list = QListWidget(objectName="importFiles")
        self.file_list.setMaximumHeight(110)
        add_files = QPushButton(self.tr("添加文件… (Ctrl+O)"), objectName="addFiles")
        add_folder = QPushButton(self.tr("添加文件夹… (Ctrl+D)"), objectName="addFolder")
        add_files.clicked.connect(self.on_add_files)
        add_folder.clicked.connect(self.on_add_folder)
        self.check_button = QPushButton(self.tr("预检 (F6)"), objectName="dryRun")
        self.check_button.clicked.connect(self.start_dry_run)
        self.progress = QProgressBar(objectName="importProgress")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("取消 (Esc)"), objectName="cancelStep")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_step)
        self.summary = QLabel(
            self.tr("选择数据包文件或文件夹，然后按“预检”。预检不会改动任何数据。"),
            objectName="importSummary")
        self.summary.setWordWrap(True)
        # Under the file list, not adrift in the middle while the report is hidden.
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.files_model = BatchFilesModel((self.tr("文件"), self.tr("单位"), self.tr("序号"),
                                            self.tr("结果")), self)
        person = (self.tr("儿童"), self.tr("村"))
        self.new_model = TextRowsModel(person, self)
        self.updated_model = TextRowsModel(person, self)
        self.conflict_model = TextRowsModel(person, self)
        self.dup_model = TextRowsModel((self.tr("原因"), self.tr("儿童 A"), self.tr("儿童 B")),
                                       self)
        self.rejected_model = TextRowsModel((self.tr("文件"), self.tr("原因")), self)
        self.tabs = QTabWidget(objectName="importReport")
        self._tab_titles: list[tuple[str, TextRowsModel]] = [
            (self.tr("数据包"), self.files_model), (self.tr("新增"), self.new_model),
            (self.tr("更新"), self.updated_model), (self.tr("冲突"), self.conflict_model),
            (self.tr("疑似重复"), self.dup_model), (self.tr("拒收"), self.rejected_model)]
        for title, model in self._tab_titles:
            view = list_table(model, single=False)
            self.tabs.addTab(view, title)
        self.tabs.setVisible(False)

        self.import_button = QPushButton(self.tr("导入所选 (Ctrl+Enter)"),
                                         objectName="importChosen")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.receipt_button = QPushButton(self.tr("写回执给发送方……"),
                                          objectName="writeReceipts")
        self.receipt_button.setVisible(False)
        self.receipt_button.clicked.connect(self.write_receipts)
        close = QPushButton(self.tr("关闭"), objectName="closeImport")
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(add_files)
        top.addWidget(add_folder)
        top.addStretch(1)
        top.addWidget(self.check_button)
        run = QHBoxLayout()
        run.addWidget(self.progress, 1)
        run.addWidget(self.cancel_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.receipt_button)
        bottom.addStretch(1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.file_list)
        layout.addLayout(run)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        add_shortcuts(self, ("Ctrl+O",), self.on_add_files)
        add_shortcuts(self, ("Ctrl+D",), self.on_add_folder)
        add_shortcuts(self, ("F6",), self.start_dry_run)
        add_shortcuts(self, ("Ctrl+Return", "Ctrl+Enter"), self.start_import)
        self.resize(900, 600)
        self.add_paths(paths)

    # --- choosing files --------------------------------------------------------------------
    def paths(self) -> list[Path]:
        return [Path(self.file_list.item(i).text()) for i in range(self.file_list.count())]

    def add_paths(self, paths: Any) -> None:
        """Add files, or the batch files of folders; a report made before becomes stale."""
        if self.busy():
            return
        known = {str(p) for p in self.paths()}
        added = 0
        for p in paths:
            path = Path(p)
            found = importplan.batch_files(path) if path.is_dir() else [path]
            for f in found:
                if str(f) not in known:
                    self.file_list.addItem(str(f))
                    known.add(str(f))
                    added += 1
        if added and self.report is not None:
            self.report = None
            self.tabs.setVisible(False)
            self.import_button.setEnabled(False)
            self.summary.setText(self.tr("文件有变动，请重新预检 (F6)。"))
        self.check_button.setEnabled(self.file_list.count() > 0)

    def on_add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择数据包"), "", self.tr("数据包 (*.batch.zip *.zip)"))
        self.add_paths(files)

    def on_add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择包含数据包的文件夹"))
        if folder:
            self.add_paths([folder])

    # --- running ---------------------------------------------------------------------------
    def busy(self) -> bool:
        return self.worker is not None

    def _run(self, job: Any, on_done: Any) -> None:
        self.worker = Worker(job)
        self.worker.signals.progress.connect(self._on_progress)
        self.worker.signals.finished.connect(lambda result: self._finish(on_done, result))
        self.worker.signals.failed.connect(self._on_failed)
        for w in (self.check_button, self.import_button):
            w.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        start(self.worker)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))

    def _stop(self) -> None:
        self.worker = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.check_button.setEnabled(self.file_list.count() > 0)

    def _finish(self, on_done: Any, result: Any) -> None:
        self._stop()
        on_done(result)

    def _on_failed(self, err: BaseException) -> None:
        self._stop()
        self.import_button.setEnabled(bool(self.report and self.files_model.chosen()))
        if getattr(getattr(err, "code", None), "name", "") == "BATCH_012":
            self.summary.setText(self.tr("已取消，数据没有任何改动。"))
            return
        show_error(self, err)

    def cancel_step(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def reject(self) -> None:
        """Esc cancels a running step first; the dialog closes only when idle."""
        if self.busy():
            self.cancel_step()
            return
        super().reject()

    def start_dry_run(self) -> None:
        paths = self.paths()
        if self.busy() or not paths:
            return
        lang = ui_lang()
        self.summary.setText(self.tr("正在预检 {0} 个数据包…").format(len(paths)))

        def job(progress: Any, cancelled: Any) -> Any:
            return FieldLabels.load(lang, ws=self.ws), importplan.dry_run(self.ws, paths, progress,
                                                              cancelled)

        self._run(job, self.show_report)

    def start_import(self) -> None:
        chosen = self.files_model.chosen()
        if self.busy() or self.report is None or not chosen:
            return
        self.summary.setText(self.tr("正在导入 {0} 个数据包…").format(len(chosen)))
        self._run(lambda progress, cancelled: importplan.import_all(
            self.ws, chosen, progress, cancelled), self.on_imported)

    # --- report ----------------------------------------------------------------------------
    def show_report(self, outcome: tuple[FieldLabels, importplan.ImportReport]) -> None:
        self.labels, report = outcome
        self.report = report
        status = {"ok": self.tr("可导入"), "already": self.tr("已导入过"),
                  "rejected": self.tr("拒收")}
        rows = []
        for f in report.files:
            res = f.result
            org = self.labels.org(res.org_code) if res is not None else ""
            seq = str(res.sequence) if res is not None else ""
            text = status[f.status]
            if f.error is not None:
                text += "：" + error_text(f.error)
            rows.append((f.path.name, org, seq, text))
        self.files_model.set_files(list(report.files), rows)

        def people(lines: tuple[importplan.ChildLine, ...]) -> list[tuple[str, ...]]:
            return [(ln.child_name, self.labels.village(ln.village_code)) for ln in lines]

        def who(rid: str) -> str:
            ln = report.names.get(rid)
            return self.tr("{0}（{1}）").format(
                ln.child_name, self.labels.village(ln.village_code)) if ln else rid[:8]

        self.new_model.set_rows(people(report.new))
        self.updated_model.set_rows(people(report.updated))
        self.conflict_model.set_rows(people(report.conflict))
        self.dup_model.set_rows([(kind_text(c.kind.value), who(c.a), who(c.b))
                                 for c in report.duplicates])
        self.rejected_model.set_rows([(f.path.name, error_text(f.error)) for f in report.files
                                      if f.error is not None])
        for i, (title, model) in enumerate(self._tab_titles):
            self.tabs.setTabText(i, f"{title} ({model.rowCount()})")
        self.tabs.setVisible(True)
        counts = [f.status for f in report.files]
        self.summary.setText(self.tr(
            "预检结果：新增 {0} 名儿童，更新 {1}，冲突 {2}，疑似重复 {3}；"
            "可导入 {4} 个数据包，已导入过 {5} 个，拒收 {6} 个。数据尚未改动。").format(
            len(report.new), len(report.updated), len(report.conflict), len(report.duplicates),
            counts.count("ok"), counts.count("already"), counts.count("rejected"))
            + "".join("\n" + self.tr("警告：{0} 含有本县未下发的表单版本 {1}，请核实来源。")
                      .format(name, form) for name, form in report.unknown_forms))
        self.import_button.setEnabled(bool(self.files_model.chosen()))

    def on_imported(self, results: list[Any]) -> None:
        self.results = results
        self.imported.emit(results)
        text = self.tr("已导入 {0} 个数据包，新增修订 {1} 条。").format(
            len(results), sum(r.inserted for r in results))
        # An audit chain that does not continue (AUDIT_004/005): the records are in, the
        # county decides; the warning is in the catalogue's two languages.
        key = "message_zh" if ui_lang() == "zh" else "message_en"
        warnings = [w for r in results for x in (r, *(r.inner or ())) for w in x.warnings]
        self.summary.setText("\n".join([text, *(f"[{w['code']}] {w[key]}" for w in warnings)]))
        self.report = None
        self.import_button.setEnabled(False)
        self.receipt_button.setVisible(bool(results))

    def write_receipts(self, folder: Path | None = None) -> list[Path]:
        """Receipts for the batches just imported, so their senders stop resending them."""
        from surveyapp.ui.tools.receipts import write_receipts_dialog

        return write_receipts_dialog(self, self.ws, self.results, folder)


def open_import_dialog(parent: QWidget | None, ws: Any) -> list[Any]:
    """The main window's hook: run the dialog; returns the imported batches' results."""
    dialog = ImportDialog(ws, parent=parent)
    try:
        dialog.exec()
        return dialog.results
    finally:
        dialog.deleteLater()
