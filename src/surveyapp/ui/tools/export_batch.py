"""Moving data between tiers on a USB stick: export this device's batch, the township's
relay file (上报县级) and return file for one village (下发村级), and importing a return file
at the village.

Public API (each returns the op's result, or ``None`` when cancelled or failed; the user
has seen the outcome)::

    export_batch_dialog(parent, ws, folder=None) -> ExportResult | None
    export_relay_dialog(parent, ws, folder=None) -> RelayResult | None
    export_down_dialog(parent, ws) -> DownResult | None        # DownDialog: village + folder
    import_down_dialog(parent, ws, path=None) -> DownImportResult | None
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from surveyapp.ui.tools.common import (
    lay_out,
    pick_folder,
    pick_open,
    run_job,
    run_now,
    show_result,
    tr,
)


def can_send(parent: QWidget | None, ws: Any) -> bool:
    """Whether this device can write a batch now; if not (not enrolled yet), say why, with
    the error code, before anything is asked."""
    from surveyapp.core.trust import keystore
    from surveyapp.core.trust.codes import TrustCode
    from surveyapp.errors import SurveyError
    from surveyapp.ui.errordialogs import show_error

    try:
        if keystore.signing_key(ws) is None or not keystore.recipients(ws):
            raise SurveyError(TrustCode.TRUST_008)
    except SurveyError as err:
        show_error(parent, err)
        return False
    return True


def export_batch_dialog(parent: QWidget | None, ws: Any, folder: Path | None = None) -> Any:
    """Ask for a folder (a USB stick) and write this device's next batch there."""
    from surveyapp.ops.batches import export_batch

    if not can_send(parent, ws):
        return None
    folder = folder or pick_folder(parent, tr("选择导出位置（如U盘）"))
    if folder is None:
        return None
    result = run_job(parent, tr("正在导出数据包……"),
                     lambda progress, cancelled: export_batch(ws, folder, progress=progress,
                                                              cancel=cancelled))
    if result is None:
        return None
    if getattr(ws, "role", "village") == "township":
        # A township's own batch goes to the county; the relay file is what carries the
        # villages' batches with it.
        where = tr("请把这个文件交给县里导入。向县里上报时，一般请用“导出上报文件（上报县级）”，"
                   "它会把各村的数据包一并带上。")
    else:
        where = tr("请把这个文件交给上级（乡镇）导入。")
    show_result(parent, tr("数据包已导出"), tr(
        "已写入文件：{0}\n位置：{1}\n\n这是本设备的第 {2} 个数据包，包含 {3} 条尚未上报的记录"
        "（建档、走访和状态变更）。"
    ).format(result.path.name, str(result.path.parent), result.sequence, result.revisions)
        + "\n" + where, result.path.parent)
    return result


def export_relay_dialog(parent: QWidget | None, ws: Any, folder: Path | None = None) -> Any:
    """Township: write the relay file for the county (village batches passed on verbatim)."""
    from surveyapp.ops.relay import export_relay

    if not can_send(parent, ws):
        return None
    folder = folder or pick_folder(parent, tr("选择上报文件的保存位置（如U盘）"))
    if folder is None:
        return None
    result = run_job(parent, tr("正在生成上报文件……"),
                     lambda progress, cancelled: export_relay(ws, folder, progress=progress,
                                                              cancel=cancelled))
    if result is None:
        return None
    show_result(parent, tr("上报文件已生成"), tr(
        "已写入文件：{0}\n位置：{1}\n\n内含本乡镇的审核数据和 {2} 个村级数据包。\n"
        "请把这个文件交给县里导入。"
    ).format(result.path.name, str(result.path.parent), result.inner), result.path.parent)
    return result


def enrolled_villages(ws: Any) -> list[tuple[str, str]]:
    """``(org_code, org_name)`` of the villages enrolled under this township, not revoked."""
    from surveyapp.core.trust import keystore

    found = {e.org_code: e.org_name for e in keystore.devices(ws).values()
             if e.role == "village" and not e.revoked}
    return sorted(found.items())


class DownDialog(QDialog):
    """Township: choose a village and a folder, then write that village's return file."""

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("downDialog")
        self.setWindowTitle(self.tr("下发村级（退回和审核意见）"))
        self.setMinimumWidth(560)
        self.ws = ws
        self.result_value: Any = None
        self.village = QComboBox()
        self.village.setObjectName("village")
        for code, name in enrolled_villages(ws):
            self.village.addItem(f"{name}（{code}）", code)
        self.folder = QLineEdit()
        self.folder.setObjectName("folder")
        browse = QPushButton(self.tr("浏览(&B)……"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.folder)
        row.addWidget(browse)
        form = QFormLayout()
        village_label = QLabel(self.tr("村(&V)："))
        village_label.setBuddy(self.village)
        form.addRow(village_label, self.village)
        folder_label = QLabel(self.tr("保存到(&F)："))
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, row)
        note = QLabel(self.tr("文件只能由该村已登记的设备打开。没有列出的村需先由县里登记。"))
        note.setWordWrap(True)
        lay_out(self, self.tr("导出"), self.run, form, note)

    def browse(self) -> None:
        chosen = pick_folder(self, self.tr("选择保存位置（如U盘）"))
        if chosen is not None:
            self.folder.setText(str(chosen))

    def run(self) -> None:
        from surveyapp.ops.relay import export_down

        code = self.village.currentData()
        if not code or not self.folder.text().strip():
            show_result(self, self.tr("请补充"), self.tr("请选择村和保存位置。"))
            return
        folder = Path(self.folder.text().strip())
        result = run_job(self, self.tr("正在生成下发文件……"),
                         lambda _p, _c: export_down(self.ws, str(code), folder))
        if result is None:
            return
        self.result_value = result
        text = self.tr(
            "已写入文件：{0}\n位置：{1}\n\n包含 {2} 条审核记录（退回、意见等）。\n"
            "请把这个文件交给该村导入（工具 → 导入乡镇下发文件）。"
        ).format(result.path.name, str(result.path.parent), result.revisions)
        if result.receipts:
            text += "\n" + self.tr("文件里还带着县里对该村数据包的回执（{0} 台设备）。").format(
                result.receipts)
        show_result(self, self.tr("下发文件已生成"), text, folder)
        self.accept()


def export_down_dialog(parent: QWidget | None, ws: Any) -> Any:
    """Township: the "send returns to a village" dialog."""
    dialog = DownDialog(ws, parent)
    dialog.exec()
    return dialog.result_value


def import_down_dialog(parent: QWidget | None, ws: Any, path: Path | None = None) -> Any:
    """Village: import the township's return file (all or nothing)."""
    from surveyapp.ops.relay import import_down

    path = path or pick_open(parent, tr("选择乡镇下发的文件"), tr("下发文件 (*.down.zip)"))
    if path is None:
        return None
    result = run_now(parent, lambda: import_down(ws, path))
    if result is None:
        return None
    show_result(parent, tr("下发文件已导入"), tr(
        "已导入乡镇 {0} 下发的文件：{1}\n新增 {2} 条记录（{3} 条此前已有）。\n"
        "被退回的儿童请在“已退回”页查看并修改。"
    ).format(result.township_org, result.path.name, result.inserted, result.known))
    return result
