"""Device enrollment and trust files.

Device (village, township)::

    write_request_dialog(parent, ws, folder=None) -> Path | None   # the request, to USB
    import_trust_file_dialog(parent, ws, path=None) -> Applied | None
        # the county's enrollment file, or a later trust update (form package included)

County::

    init_county_dialog(parent, ws) -> CountyInfo | None
    enroll_device_dialog(parent, ws, request=None, folder=None) -> EnrollResult | None
    TrustUpdateDialog(ws, parent)      # trust update (and form package) for one township/village
    DevicesDialog(ws, parent)          # list enrolled devices; revoke one (Del), with a
                                       # confirmation that explains what revoking does;
                                       # readmit a revoked one (Alt+A), with a reason
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
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
from surveyapp.ui.tools.common import (
    ask_overwrite,
    lay_out,
    pick_folder,
    pick_open,
    run_now,
    show_result,
    tr,
)

TRUST_FILES = "登记/信任文件 (*.json);;所有文件 (*)"
# QT_TRANSLATE_NOOP marks the texts for pyside6-lupdate; they are translated where shown.
ROLE_NAMES = {"village": QT_TRANSLATE_NOOP("", "村级"),
              "township": QT_TRANSLATE_NOOP("", "乡镇级"),
              "county": QT_TRANSLATE_NOOP("", "县级")}


def role_text(role: str) -> str:
    return tr(ROLE_NAMES.get(role, role))


# --- device side --------------------------------------------------------------------------
def write_request_dialog(parent: QWidget | None, ws: Any, folder: Path | None = None
                         ) -> Path | None:
    """Write this device's enrollment request into a chosen folder (a USB stick)."""
    from surveyapp.ops.trust import write_enroll_request

    folder = folder or pick_folder(parent, tr("选择登记申请的保存位置（如U盘）"))
    if folder is None:
        return None
    target = folder / f"{ws.org_code}_enroll_request.json"
    if not ask_overwrite(parent, target):
        return None
    path = run_now(parent, lambda: write_enroll_request(ws, target))
    if path is None:
        return None
    show_result(parent, tr("登记申请已生成"), tr(
        "已写入文件：{0}\n位置：{1}\n\n请把这个文件交给县里。县里登记后会给您一个登记文件，"
        "再用“工具 → 导入登记文件/信任更新”导入。"
    ).format(path.name, str(path.parent)), path.parent)
    return Path(path)


def _apply(ws: Any, path: Path) -> Any:
    """An enrollment file on a device not yet enrolled, a trust update otherwise (falling
    back to a re-enrollment file when the file is not an update)."""
    from surveyapp.core.trust import keystore
    from surveyapp.ops.trust import accept_enrollment, apply_update

    if keystore.county_keys(ws) is None:
        return accept_enrollment(ws, path)
    try:
        return apply_update(ws, path)
    except SurveyError as err:
        if err.code.name != "TRUST_001":
            raise
        try:
            return accept_enrollment(ws, path)
        except SurveyError:
            raise err from None


def confirm_fingerprint(parent: QWidget | None, code: str) -> bool:
    """Ask the user to compare the county key code with the one the county gave on paper or
    by phone; the default answer is No (nothing is accepted)."""
    box = QMessageBox(QMessageBox.Icon.Question, tr("核对县级密钥"), tr(
        "这个登记文件中的县级密钥核对码是：\n\n    {0}\n\n"
        "请与县里书面或电话提供的核对码逐位比对。两者完全一致吗？\n\n"
        "不一致时请选“否”：文件不会被导入。请勿使用该文件，并与县里联系。").format(code),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("confirmFingerprint")
    box.button(QMessageBox.StandardButton.Yes).setText(tr("一致，导入(&Y)"))
    box.button(QMessageBox.StandardButton.No).setText(tr("不一致(&N)"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def import_trust_file_dialog(parent: QWidget | None, ws: Any, path: Path | None = None) -> Any:
    """Import the county's enrollment file or a trust update and say what changed. The
    first enrollment shows the county key code and imports only when the user confirms it
    matches the county's."""
    from surveyapp.core.trust import keystore
    from surveyapp.ops.trust import enrollment_fingerprint

    path = path or pick_open(parent, tr("选择县里发来的登记文件或信任更新"), tr(TRUST_FILES))
    if path is None:
        return None
    if keystore.county_keys(ws) is None:
        code = run_now(parent, lambda: enrollment_fingerprint(path))
        if code is None or not confirm_fingerprint(parent, code):
            return None
    applied = run_now(parent, lambda: _apply(ws, path))
    if applied is None:
        return None
    lines = [tr("已导入：{0}").format(path.name),
             tr("已知设备 {0} 台（更新编号 {1}）。").format(applied.devices, applied.serial)]
    if applied.revoked:
        lines.append(tr("已停用的设备：{0} 台。").format(len(applied.revoked)))
    if applied.form:
        lines.append(tr("收到新的调查表：{0}（重新启动后生效）。").format(applied.form))
    lines.append(tr("现在可以导出数据包了。"))
    show_result(parent, tr("登记/信任更新已导入"), "\n".join(lines))
    return applied


# --- county side --------------------------------------------------------------------------
def init_county_dialog(parent: QWidget | None, ws: Any) -> Any:
    """Create the county's keys (once)."""
    from surveyapp.ops.trust import init_county

    info = run_now(parent, lambda: init_county(ws))
    if info is not None:
        show_result(parent, tr("县级密钥已创建"), tr(
            "县级密钥已创建并保存在本工作区（加密）中。\n密钥编号：{0}\n\n"
            "县级密钥核对码：{1}\n请把核对码书面或电话告知各乡镇和村，"
            "他们导入登记文件时要逐位核对。（“工具 → 设备列表”中也可查看。）\n\n"
            "现在可以登记乡镇和村的设备了。").format(info.key_id, info.fingerprint))
    return info


def enroll_device_dialog(parent: QWidget | None, ws: Any, request: Path | None = None,
                         folder: Path | None = None) -> Any:
    """County: read a device's request and write its enrollment file next to it (or into
    ``folder``), asking before replacing a file."""
    from surveyapp.ops.trust import enroll_device

    request = request or pick_open(parent, tr("选择设备的登记申请文件"), tr(TRUST_FILES))
    if request is None:
        return None
    folder = folder or pick_folder(parent, tr("选择登记文件的保存位置（如U盘）"))
    if folder is None:
        return None
    stem = request.name.replace("_enroll_request", "").removesuffix(".json")
    target = folder / f"{stem}_enrollment.json"
    if not ask_overwrite(parent, target):
        return None
    result = run_now(parent, lambda: enroll_device(ws, request, target))
    if result is None:
        return None
    text = tr(
        "已登记 {0} {1} 的设备 {2}。\n已写入登记文件：{3}\n位置：{4}\n\n"
        "请把登记文件交回该设备导入。"
    ).format(role_text(result.role), result.org_code, result.device_id[:8], result.path.name,
             str(result.path.parent))
    if result.updates:
        text += tr(
            "\n\n同时写入了信任更新：{0}\n请交给相应单位用“工具 → 导入登记文件/信任更新……”导入，"
            "否则它会拒收新设备的数据包（或新设备收不到回执和下发文件）。"
        ).format("、".join(u.name for u in result.updates))
    show_result(parent, tr("设备已登记"), text, result.path.parent)
    return result


class TrustUpdateDialog(QDialog):
    """County: a trust update for one township or village, optionally with a new form."""

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trustUpdateDialog")
        self.setWindowTitle(self.tr("发放信任更新/调查表"))
        self.setMinimumWidth(560)
        self.ws = ws
        self.written: Path | None = None
        from surveyapp.ops.trust import list_devices

        self.org = QComboBox()
        self.org.setObjectName("org")
        self.org.setEditable(True)
        orgs = {d.org_code: d.org_name for d in list_devices(ws) if d.role != "county"}
        for code, name in sorted(orgs.items()):
            self.org.addItem(f"{code} {name}", code)
        self.form_path = QLineEdit()
        self.form_path.setObjectName("formPath")
        self.form_path.setPlaceholderText(self.tr("不附带调查表时留空"))
        self.folder = QLineEdit()
        self.folder.setObjectName("folder")
        form = QFormLayout()
        for label, widget, browse in (
            (self.tr("发给(&O)："), self.org, None),
            (self.tr("调查表(&X)："), self.form_path, self.browse_form),
            (self.tr("保存到(&F)："), self.folder, self.browse_folder),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            if browse is None:
                form.addRow(caption, widget)
                continue
            row = QHBoxLayout()
            row.addWidget(widget)
            button = QPushButton(self.tr("浏览……"))
            button.clicked.connect(browse)
            row.addWidget(button)
            form.addRow(caption, row)
        note = QLabel(self.tr("信任更新告诉该乡镇/村哪些设备可信、哪些已停用；"
                              "附带调查表时，设备导入后将使用新版调查表。"))
        note.setWordWrap(True)
        lay_out(self, self.tr("生成"), self.run, form, note)

    def browse_form(self) -> None:
        chosen = pick_open(self, self.tr("选择调查表"), self.tr("调查表 (*.xlsx)"))
        if chosen is not None:
            self.form_path.setText(str(chosen))

    def browse_folder(self) -> None:
        chosen = pick_folder(self, self.tr("选择保存位置（如U盘）"))
        if chosen is not None:
            self.folder.setText(str(chosen))

    def org_code(self) -> str:
        data = self.org.currentData()
        text = self.org.currentText().strip()
        return str(data) if data and text.startswith(str(data)) else text.split(" ")[0]

    def run(self) -> None:
        from surveyapp.ops.trust import write_update

        org, folder_text = self.org_code(), self.folder.text().strip()
        if not org or not folder_text:
            show_result(self, self.tr("请补充"), self.tr("请填写接收单位和保存位置。"))
            return
        target = Path(folder_text) / f"{org}_trust_update.json"
        if not ask_overwrite(self, target):
            return
        form = self.form_path.text().strip() or None
        path = run_now(self, lambda: write_update(self.ws, org, target, form=form))
        if path is None:
            return
        self.written = Path(path)
        extra = self.tr("（附带调查表）") if form else ""
        show_result(self, self.tr("信任更新已生成"), self.tr(
            "已写入文件：{0}{1}\n位置：{2}\n\n请交给 {3} 导入（工具 → 导入登记文件/信任更新）。"
        ).format(self.written.name, extra, str(self.written.parent), org), self.written.parent)
        self.accept()


class DevicesDialog(QDialog):
    """County: the enrolled devices; revoke the selected one (Del) after a confirmation;
    readmit a revoked one with a reason (``trust readmit``, audited)."""

    COLUMNS = (QT_TRANSLATE_NOOP("DevicesDialog", "单位代码"),
               QT_TRANSLATE_NOOP("DevicesDialog", "单位名称"),
               QT_TRANSLATE_NOOP("DevicesDialog", "级别"),
               QT_TRANSLATE_NOOP("DevicesDialog", "设备编号"),
               QT_TRANSLATE_NOOP("DevicesDialog", "登记时间"),
               QT_TRANSLATE_NOOP("DevicesDialog", "状态"))

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("devicesDialog")
        self.setWindowTitle(self.tr("已登记设备"))
        self.resize(820, 420)
        self.ws = ws
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("devices")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.revoke_button = QPushButton(self.tr("停用所选设备(&R)……"))
        self.revoke_button.setObjectName("revoke")
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.readmit_button = QPushButton(self.tr("重新接纳所选设备(&A)……"))
        self.readmit_button.setObjectName("readmit")
        self.readmit_button.clicked.connect(self.readmit_selected)
        self.table.installEventFilter(self)
        self.table.itemSelectionChanged.connect(self._enable)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.revoke_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.readmit_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        hint = QLabel(self.tr("设备丢失或被盗时，请停用它，然后给各乡镇/村发放信任更新。"))
        hint.setWordWrap(True)
        from surveyapp.ops.trust import county_fingerprint

        code = county_fingerprint(ws)
        self.fingerprint = QLabel(self.tr(
            "县级密钥核对码：{0}（各乡镇和村导入登记文件时核对）").format(code)
            if code else self.tr("尚未创建县级密钥。"))
        self.fingerprint.setObjectName("countyFingerprint")
        self.fingerprint.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.table)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.reload()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Del on the table revokes the selected device (after the confirmation)."""
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Delete):
            self.revoke_selected()
            return True
        return super().eventFilter(watched, event)

    def reload(self) -> None:
        from surveyapp.ops.trust import list_devices

        self.devices = list_devices(self.ws)
        self.table.setRowCount(len(self.devices))
        for row, d in enumerate(self.devices):
            values = (d.org_code, d.org_name, role_text(d.role), d.device_id,
                      d.enrolled_at[:16].replace("T", " "),
                      self.tr("已停用") if d.revoked else self.tr("正常"))
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        if self.devices:
            self.table.selectRow(0)
        self._enable()

    def _enable(self) -> None:
        """Revoke for a device in use, readmit for a revoked one."""
        device = self.selected()
        self.revoke_button.setEnabled(device is not None and not device.revoked)
        self.readmit_button.setEnabled(device is not None and device.revoked)

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.devices[rows[0].row()] if rows else None

    def confirm_text(self, device: Any) -> str:
        return self.tr(
            "确定要停用 {0}（{1}）的设备 {2} 吗？\n\n"
            "停用后：\n"
            "• 这台设备以后导出的数据包，乡镇和县里都将拒收；\n"
            "• 停用之前已经导入的数据保留不变；\n"
            "• 还需要给有关乡镇/村发放信任更新，它们才会知道这台设备已停用；\n"
            "• 停用后这台设备和它的密钥不能再次登记；只有县里在本窗口"
            "“重新接纳所选设备”并写明理由（记入审计日志）才能再次接收它的数据包。\n\n"
            "适用于电脑丢失、被盗或交回的情况。"
        ).format(device.org_name, device.org_code, device.device_id[:8])

    def revoke_selected(self) -> Any:
        from surveyapp.ops.trust import revoke_device

        device = self.selected()
        if device is None or device.revoked:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("停用设备"),
                          self.confirm_text(device),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmRevoke")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("停用(&Y)"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return None
        entry = run_now(self, lambda: revoke_device(self.ws, device.device_id))
        if entry is None:
            return None
        self.reload()
        show_result(self, self.tr("设备已停用"), self.tr(
            "设备 {0}（{1}）已停用。\n请通过“发放信任更新”通知有关乡镇和村。"
        ).format(device.device_id[:8], device.org_name))
        return entry

    def readmit_selected(self) -> Any:
        """Ask why, then lift the revocation of the selected device (county, audited)."""
        from surveyapp.ops.trust import readmit_device

        device = self.selected()
        if device is None or not device.revoked:
            return None
        box = QInputDialog(self)
        box.setObjectName("readmitReason")
        box.setWindowTitle(self.tr("重新接纳设备"))
        box.setLabelText(self.tr(
            "重新接纳 {0}（{1}）的设备 {2}：它以后导出的数据包将再次被接收。\n"
            "只在确认这台设备和它的密钥没有落入他人之手时才这样做"
            "（例如报失的电脑已找回且封存完好）。\n\n"
            "请写明理由（记入审计日志）："
        ).format(device.org_name, device.org_code, device.device_id[:8]))
        box.setOkButtonText(self.tr("重新接纳(&Y)"))
        box.setCancelButtonText(self.tr("取消"))
        if box.exec() != QDialog.DialogCode.Accepted:
            return None
        reason = box.textValue()
        entry = run_now(self, lambda: readmit_device(self.ws, device.device_id, reason))
        if entry is None:
            return None
        self.reload()
        show_result(self, self.tr("设备已重新接纳"), self.tr(
            "设备 {0}（{1}）已重新接纳。\n请通过“发放信任更新”通知有关乡镇和村。"
        ).format(device.device_id[:8], device.org_name))
        return entry
