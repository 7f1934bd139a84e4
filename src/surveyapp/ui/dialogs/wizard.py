"""The first-run wizard: create a local workspace, join by enrollment file, or open the demo.

``FirstRunWizard.choice`` is ``"create"``, ``"enroll"`` or ``"demo"`` once accepted; for
``create`` the new, open workspace is in ``workspace`` (``ops.workspace.create_and_open``,
as ``surveyapp workspace create``, with the role, org code (validated with
``is_valid_admin_code`` at the role's level), org name, user, password and the county's
recovery key when given). Joining by enrollment file uses ``surveyapp.ops.trust`` when that
module exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from surveyapp.core.ids import is_valid_admin_code
from surveyapp.errors import SurveyError
from surveyapp.ui.errordialogs import error_text
from surveyapp.ui.settings import data_dir

PAGE_CHOICE, PAGE_CREATE, PAGE_ENROLL = 0, 1, 2
ROLE_LEVEL = {"village": "village", "township": "township", "county": "county"}
MIN_PASSWORD = 8


class ChoicePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("欢迎使用摸底排查系统"))
        self.setSubTitle(self.tr("第一次使用，请选择如何开始。"))
        self.create_option = QRadioButton(self.tr("新建本机工作区（选择角色和行政区划代码）"))
        self.create_option.setObjectName("choiceCreate")
        self.enroll = QRadioButton(self.tr("加入县里的登记（查看步骤）"))
        self.enroll.setObjectName("choiceEnroll")
        self.demo = QRadioButton(self.tr("打开演示数据（示例县，约 2000 名儿童）"))
        self.demo.setObjectName("choiceDemo")
        self.create_option.setChecked(True)
        group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        for b in (self.create_option, self.enroll, self.demo):
            group.addButton(b)
            layout.addWidget(b)
        layout.addStretch(1)

    def nextId(self) -> int:
        if self.create_option.isChecked():
            return PAGE_CREATE
        if self.enroll.isChecked():
            return PAGE_ENROLL
        return -1


class CreatePage(QWizardPage):
    """Role, org code and name, user, password, file location."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("新建工作区"))
        self.setSubTitle(self.tr("数据保存在本机的加密文件中。请牢记密码。"))
        self.role = QComboBox()
        self.role.setObjectName("role")
        for key, text in (
            ("village", self.tr("村（居）儿童主任")),
            ("township", self.tr("乡镇（街道）汇总")),
            ("county", self.tr("县（区）民政局")),
        ):
            self.role.addItem(text, key)
        self.org_code = QLineEdit()
        self.org_code.setObjectName("orgCode")
        self.org_code.setPlaceholderText(self.tr("村 12 位 / 乡镇 9 位 / 县 6 位"))
        self.org_name = QLineEdit()
        self.org_name.setObjectName("orgName")
        self.user = QLineEdit()
        self.user.setObjectName("user")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setObjectName("password2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery = QLineEdit()
        self.recovery.setObjectName("recoveryRecipient")
        self.recovery.setPlaceholderText(self.tr("age1…（县民政局提供，可不填）"))
        self.recovery.setToolTip(self.tr(
            "县里的恢复公钥：填写后，忘记密码时可由县里重置（与命令行 workspace create "
            "--recovery-recipient 相同）。"))
        self.path = QLineEdit(str(data_dir() / "workspace.sdb"))
        self.path.setObjectName("path")
        browse = QPushButton(self.tr("浏览……"))
        browse.setObjectName("browse")
        browse.clicked.connect(self.on_browse)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        self.message = QLabel("")
        self.message.setObjectName("wizardMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout(self)
        form.addRow(self.tr("角色"), self.role)
        form.addRow(self.tr("行政区划代码"), self.org_code)
        form.addRow(self.tr("单位名称"), self.org_name)
        form.addRow(self.tr("用户名"), self.user)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("再次输入密码"), self.password2)
        form.addRow(self.tr("县恢复公钥"), self.recovery)
        where = QLabel(self.tr("保存位置"))
        where.setBuddy(self.path)
        form.addRow(where, row)
        form.addRow(self.message)
        self.workspace: Any = None

    def on_browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存工作区"), self.path.text(), self.tr("工作区 (*.sdb)")
        )
        if path:
            self.path.setText(path)

    def problem(self) -> str:
        """The first thing wrong with the entries, or ``""``."""
        return self._check()[0]

    def _check(self) -> tuple[str, QLineEdit | None]:
        """The first thing wrong and the field to correct, or ``("", None)``."""
        level = ROLE_LEVEL[str(self.role.currentData())]
        code = self.org_code.text().strip()
        if not is_valid_admin_code(code, level):
            digits = {"village": 12, "township": 9, "county": 6}[level]
            return self.tr("行政区划代码无效：应为 {0} 位有效代码。").format(digits), self.org_code
        if not self.org_name.text().strip():
            return self.tr("请填写单位名称。"), self.org_name
        if not self.user.text().strip():
            return self.tr("请填写用户名。"), self.user
        if len(self.password.text()) < MIN_PASSWORD:
            return self.tr("密码至少 {0} 位。").format(MIN_PASSWORD), self.password
        if self.password.text() != self.password2.text():
            return self.tr("两次输入的密码不一致。"), self.password
        if Path(self.path.text()).exists():
            return self.tr("该位置已有文件，请换一个文件名。"), self.path
        if self.recovery.text().strip():
            from surveyapp.ops.workspace import check_recovery_recipient

            try:
                check_recovery_recipient(self.recovery.text())
            except SurveyError as err:
                return error_text(err), self.recovery
        return "", None

    def validatePage(self) -> bool:
        problem, field = self._check()
        if problem:
            self.message.setText(problem)
            if field is self.password:
                self.password2.clear()  # a refused password is typed again, twice
            if field is not None:
                field.setFocus()
                field.selectAll()
            return False
        from surveyapp.ops.workspace import create_and_open

        path = Path(self.path.text())
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.workspace = create_and_open(
                path,
                role=str(self.role.currentData()),
                org_code=self.org_code.text().strip(),
                org_name=self.org_name.text().strip(),
                user=self.user.text().strip(),
                password=self.password.text(),
                recovery_recipient=self.recovery.text().strip() or None,
            )
        except SurveyError as err:
            self.message.setText(error_text(err))
            return False
        return True

    def nextId(self) -> int:
        return -1


class EnrollPage(QWizardPage):
    """How a device joins the county: the enrollment runs from the tools menu once a
    workspace exists (the request needs the device's keys), so this page says how."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("加入县里的登记（设备登记步骤）"))
        self.note = QLabel(self.tr(
            "登记要在本机工作区里进行：\n\n"
            "① 请返回，选“新建本机工作区”，填写本单位代码、用户名和密码；\n"
            "② 登录后，用“工具 → 生成设备登记申请……”把申请文件存到U盘，交给县民政局；\n"
            "③ 县里发回登记文件后，用“工具 → 导入登记文件/信任更新……”导入。\n\n"
            "登记之前也可以录入，导出数据包要在登记之后。"))
        self.note.setObjectName("enrollSteps")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        self.setFinalPage(True)

    def isComplete(self) -> bool:
        return False

    def nextId(self) -> int:
        return -1


class FirstRunWizard(QWizard):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(self.tr("首次使用"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumSize(620, 460)
        self.choice_page = ChoicePage()
        self.create_page = CreatePage()
        self.enroll_page = EnrollPage()
        self.setPage(PAGE_CHOICE, self.choice_page)
        self.setPage(PAGE_CREATE, self.create_page)
        self.setPage(PAGE_ENROLL, self.enroll_page)

    @property
    def choice(self) -> str:
        if self.choice_page.demo.isChecked():
            return "demo"
        return "enroll" if self.choice_page.enroll.isChecked() else "create"

    @property
    def workspace(self) -> Any:
        return self.create_page.workspace
