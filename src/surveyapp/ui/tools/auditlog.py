"""The 审计日志 viewer (county and township): who opened, searched, exported or changed
which child file, this workspace's entries and those received from the devices below it,
with the filters of ``surveyapp audit list``, an export to CSV (itself audited) and a check
of the chain (``ops.audit``)."""

from __future__ import annotations

import csv
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from surveyapp.errors import SurveyError
from surveyapp.ui.errordialogs import show_error

ACTIONS = ("read", "export", "save", "exit", "delete", "import", "review", "unlock", "create",
           "user_add", "password_change", "recovery", "migrate", "anonymise", "refused")


class AuditLogDialog(QDialog):
    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("auditLogDialog")
        self.setWindowTitle(self.tr("审计日志"))
        self.resize(980, 560)
        self.labels = {
            "read": self.tr("查看"), "export": self.tr("导出"), "save": self.tr("保存"),
            "exit": self.tr("退出名单"), "delete": self.tr("删除"), "import": self.tr("导入"),
            "review": self.tr("审核"), "unlock": self.tr("登录"), "create": self.tr("创建"),
            "user_add": self.tr("新增用户"), "password_change": self.tr("修改密码"),
            "recovery": self.tr("找回密码"), "migrate": self.tr("升级"),
            "anonymise": self.tr("匿名化"), "refused": self.tr("拒绝"),
        }
        self.user = QLineEdit()
        self.user.setObjectName("auditUser")
        self.user.setPlaceholderText(self.tr("操作人"))
        self.child = QLineEdit()
        self.child.setObjectName("auditChild")
        self.child.setPlaceholderText(self.tr("档案编号（前 8 位即可）"))
        self.action = QComboBox()
        self.action.setObjectName("auditAction")
        self.action.addItem(self.tr("全部操作"), "")
        for name in ACTIONS:
            self.action.addItem(self.labels[name], name)
        self.use_since = QCheckBox(self.tr("起始日期"))
        self.use_since.setObjectName("auditUseSince")
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since.setObjectName("auditSince")
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.received = QCheckBox(self.tr("含下级设备上报的记录"))
        self.received.setObjectName("auditReceived")
        self.received.setChecked(True)
        apply = QPushButton(self.tr("筛选"))
        apply.setObjectName("auditApply")
        apply.clicked.connect(self.refresh)
        for edit in (self.user, self.child):
            edit.returnPressed.connect(self.refresh)
        bar = QHBoxLayout()
        for w in (self.user, self.child, self.action, self.use_since, self.since,
                  self.received, apply):
            bar.addWidget(w)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("序号"), self.tr("时间"), self.tr("设备"), self.tr("操作人"),
            self.tr("操作"), self.tr("对象")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.count = QLabel()
        self.count.setObjectName("auditCount")
        verify = QPushButton(self.tr("校验审计链"))
        verify.setObjectName("auditVerify")
        verify.clicked.connect(self.verify)
        export = QPushButton(self.tr("导出 CSV……"))
        export.setObjectName("auditExport")
        export.clicked.connect(self.export_dialog)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        for b in (verify, export, close):
            bottom.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.rows: list[Any] = []
        self.refresh()

    def devices(self) -> dict[str, str]:
        """Device id → its unit's name (the enrolled devices this workspace knows)."""
        try:
            from surveyapp.core.trust import keystore

            known = keystore.devices(self.ws)
        except Exception:  # an unenrolled workspace: ids are shown instead
            return {}
        return {dev: (d.org_name or d.org_code) for dev, d in known.items()}

    def refresh(self) -> None:
        from surveyapp.ops.audit import list_entries

        since = self.since.date().toString("yyyy-MM-dd") if self.use_since.isChecked() else None
        try:
            self.rows = list_entries(
                self.ws, user=self.user.text().strip() or None,
                record=self.child.text().strip() or None,
                action=str(self.action.currentData() or "") or None, since=since,
                received=self.received.isChecked())
        except SurveyError as err:
            show_error(self, err)
            return
        names = self.devices()
        names.setdefault(self.ws.device_id, self.tr("本机"))
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(reversed(self.rows)):  # newest first
            cells = (str(row.seq), row.time[:19].replace("T", " "),
                     names.get(row.device, row.device[:8]), row.user,
                     self.labels.get(row.action, row.action), self.subject_text(row))
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 0:
                    item.setData(Qt.ItemDataRole.UserRole, row.device)
                self.table.setItem(i, j, item)
        self.count.setText(self.tr("共 {0} 条").format(len(self.rows)))

    def subject_text(self, row: Any) -> str:
        d = row.details
        parts = []
        if d.get("refused"):
            parts.append(self.tr("已拒绝"))
        what = {"child": self.tr("打开档案"), "dossier": self.tr("档案 PDF"),
                "search": self.tr("按身份证号搜索"), "ledger": self.tr("台账"),
                "department": self.tr("部门名单"), "stats": self.tr("统计表"),
                "reveal": self.tr("显示完整号码"), "batch": self.tr("数据包"),
                "audit": self.tr("审计日志"), "dossiers": self.tr("档案 PDF（批量）")}
        if d.get("what"):
            parts.append(what.get(str(d["what"]), str(d["what"])))
        if d.get("list"):
            parts.append(str(d["list"]))
        if d.get("record"):
            parts.append(str(d["record"])[:8])
        if "count" in d:
            parts.append(self.tr("{0} 名").format(d["count"]))
        if d.get("revealed"):
            parts.append(self.tr("完整号码"))
        elif d.get("masked"):
            parts.append(self.tr("已隐去号码"))
        if d.get("file"):
            parts.append(str(d["file"]))
        return "  ".join(parts) or " ".join(f"{k}={v}" for k, v in sorted(d.items()))

    def verify(self) -> Any:
        from surveyapp.ops.audit import verify_chain

        report = verify_chain(self.ws)
        if report.error is not None:
            show_error(self, report.error)
        else:
            QMessageBox.information(self, self.tr("审计链完整"), self.tr(
                "审计链完整：共 {0} 条记录，已与上次关闭时记录的锚点核对。").format(report.entries))
        return report

    def export_dialog(self) -> None:
        from surveyapp.ui.tools.common import pick_save

        path = pick_save(self, self.tr("导出审计日志"), "审计日志.csv", "CSV (*.csv)")
        if path is not None:
            self.export_csv(str(path))

    def export_csv(self, path: str) -> None:
        """The rows shown, as CSV with a UTF-8 BOM (Excel opens it); the export is audited."""
        from surveyapp.ops.audit import record_export

        try:
            with open(path, "w", encoding="utf-8-sig", newline="") as fh:
                out = csv.writer(fh)
                out.writerow(["seq", "time", "device", "user", "action", "subject", "received"])
                for row in self.rows:
                    out.writerow([row.seq, row.time, row.device, row.user, row.action,
                                  self.subject_text(row), "yes" if row.received else ""])
        except OSError as err:
            from surveyapp.errors import CommonCode

            show_error(self, SurveyError(CommonCode.IO_003, path=path,
                                         reason=err.strerror or str(err)))
            return
        record_export(self.ws, "audit", path=path, rows=len(self.rows), masked=True)
        self.refresh()


def anonymise_dialog(parent: QWidget | None, ws: Any, today: Any = None) -> list[dict[str, str]]:
    """County: anonymise the exited children kept longer than the retention period
    (``surveyapp children anonymise``), after listing how many and asking. Returns the
    children anonymised ([] when none or declined)."""
    import datetime as dt

    from surveyapp.ops import children
    from surveyapp.ui.tools.common import tr

    day = today or dt.date.today()
    keep = children.retention_days(ws)
    found = children.anonymise_due(ws, dry_run=True, today=day)
    if not found:
        QMessageBox.information(parent, tr("档案匿名化"), tr(
            "没有超过保存期限（退出后 {0} 天）的退出儿童档案。").format(keep))
        return []
    answer = QMessageBox.question(
        parent, tr("档案匿名化"),
        tr("有 {0} 名退出儿童的档案已超过保存期限（退出后 {1} 天）。将删除其姓名、身份证号、"
           "电话、住址和备注，保留统计所需的信息。此操作不可撤销。继续吗？").format(
            len(found), keep),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    if answer != QMessageBox.StandardButton.Yes:
        return []
    try:
        done = children.anonymise_due(ws, today=day)
    except SurveyError as err:
        show_error(parent, err)
        return []
    QMessageBox.information(parent, tr("档案匿名化"),
                            tr("已匿名化 {0} 名儿童的档案。").format(len(done)))
    return done
