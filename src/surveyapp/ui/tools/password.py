"""Passwords: change one's own; a forgotten password through the county.

    ChangePasswordDialog(ws, parent)            # old, new, repeat; runs in the background
    recovery_request_dialog(parent, db_path, user, folder=None) -> Path | None
    recovery_issue_dialog(parent, ws, request=None, folder=None) -> ResetIssued | None
        # county: writes the reset file, shows the one-time passphrase to read out by phone
    ApplyResetDialog(db_path, parent)            # reset file + passphrase + new password

The request and the reset dialog take the workspace's *path*, so the login screen can
offer them too (no open workspace needed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from surveyapp.ui.tools.common import (
    pick_folder,
    pick_open,
    run_job,
    run_now,
    show_result,
    tr,
)

MIN_LENGTH = 8


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _new_password_problem(new: str, again: str) -> str:
    if len(new) < MIN_LENGTH:
        return tr("新密码至少要 {0} 个字符。").format(MIN_LENGTH)
    if new != again:
        return tr("两次输入的新密码不一致，请重新输入。")
    return ""


class _Form(QDialog):
    """A small form dialog: labelled rows, a problem line and OK/Cancel."""

    def __init__(self, title: str, name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.form = QFormLayout()
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def row(self, label: str, widget: QWidget, extra: QWidget | None = None) -> None:
        caption = QLabel(label)
        caption.setBuddy(widget)
        if extra is None:
            self.form.addRow(caption, widget)
            return
        line = QHBoxLayout()
        line.addWidget(widget)
        line.addWidget(extra)
        self.form.addRow(caption, line)

    def say(self, text: str) -> None:
        """Show what is wrong with the input, under the fields."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        if text:
            from surveyapp.ui.errordialogs import fit_to_message

            fit_to_message(self)

    def run(self) -> None:
        raise NotImplementedError


class ChangePasswordDialog(_Form):
    """Change the signed-in user's password (the data is not re-encrypted)."""

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(tr("修改密码"), "changePasswordDialog", parent)
        self.ws = ws
        self.old = _password_field("oldPassword")
        self.new = _password_field("newPassword")
        self.again = _password_field("againPassword")
        self.row(tr("当前密码(&O)："), self.old)
        self.row(tr("新密码(&N)："), self.new)
        self.row(tr("再输一次(&A)："), self.again)
        self.changed = False

    def run(self) -> None:
        problem = _new_password_problem(self.new.text(), self.again.text())
        if problem:
            self.say(problem)
            self.again.clear()  # a refused new password is typed again, twice
            self.new.setFocus(Qt.FocusReason.OtherFocusReason)
            self.new.selectAll()
            return
        old, new = self.old.text(), self.new.text()
        done = run_job(self, tr("正在修改密码……"),
                       lambda _p, _c: self.ws.change_password(old, new) or True)
        if not done:
            self.old.selectAll()
            self.old.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.changed = True
        show_result(self, tr("密码已修改"), tr("用户 {0} 的密码已修改。下次登录请使用新密码。")
                    .format(self.ws.user))
        self.accept()


def recovery_request_dialog(parent: QWidget | None, db_path: Path, user: str,
                            folder: Path | None = None) -> Path | None:
    """Write the recovery request of ``user`` into a chosen folder (a USB stick)."""
    from surveyapp.ops.workspace import recovery_request

    folder = folder or pick_folder(parent, tr("选择找回密码申请的保存位置（如U盘）"))
    if folder is None:
        return None
    target = folder / f"{Path(db_path).stem}_{user}_recovery_request.json"
    if target.exists():
        answer = QMessageBox.question(
            parent, tr("文件已存在"), tr("文件 {0} 已经存在。要替换它吗？").format(str(target)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return None
        target.unlink()
    path = run_now(parent, lambda: recovery_request(db_path, user, target))
    if path is None:
        return None
    show_result(parent, tr("找回密码申请已生成"), tr(
        "已写入文件：{0}\n位置：{1}\n\n请把这个文件交给县里。县里会给您一个重置文件，"
        "并通过电话告诉您一次性口令。"
    ).format(path.name, str(path.parent)), path.parent)
    return Path(path)


class PassphraseBox(QDialog):
    """The one-time passphrase, selectable, with what to do with it."""

    def __init__(self, issued: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseBox")
        self.setWindowTitle(tr("重置文件已生成"))
        text = QLabel(tr(
            "已为用户 {0} 写入重置文件：{1}\n位置：{2}\n\n"
            "请把文件交给该用户，并通过电话（不要写在U盘上）告诉他下面的一次性口令："
        ).format(issued.user, issued.path.name, str(issued.path.parent)))
        text.setWordWrap(True)
        self.passphrase = QLineEdit(issued.passphrase)
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setReadOnly(True)
        font = self.passphrase.font()
        font.setPointSize(font.pointSize() + 4)
        self.passphrase.setFont(font)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.passphrase)
        layout.addWidget(buttons)
        self.passphrase.selectAll()
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)


def recovery_issue_dialog(parent: QWidget | None, ws: Any, request: Path | None = None,
                          folder: Path | None = None) -> Any:
    """County: read a recovery request and write the reset file; show the passphrase."""
    from surveyapp.core.trust.authority import recovery_identity
    from surveyapp.ops.workspace import recovery_issue

    identity = run_now(parent, lambda: recovery_identity(ws))
    if not identity:
        return None
    request = request or pick_open(parent, tr("选择找回密码申请文件"),
                                   tr("申请文件 (*.json);;所有文件 (*)"))
    if request is None:
        return None
    folder = folder or pick_folder(parent, tr("选择重置文件的保存位置（如U盘）"))
    if folder is None:
        return None
    target = folder / (request.name.replace("_recovery_request", "").removesuffix(".json")
                       + "_reset.json")
    if target.exists():
        show_result(parent, tr("文件已存在"), tr(
            "文件 {0} 已经存在。请换一个位置，或先移走旧文件。").format(str(target)))
        return None
    issued = run_job(parent, tr("正在生成重置文件……"),
                     lambda _p, _c: recovery_issue(request, identity, target))
    if issued is None:
        return None
    PassphraseBox(issued, parent).exec()
    return issued


class ApplyResetDialog(_Form):
    """Set a new password from the county's reset file and the one-time passphrase."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(tr("用重置文件设置新密码"), "applyResetDialog", parent)
        self.db_path = Path(db_path)
        self.reset_path = QLineEdit()
        self.reset_path.setObjectName("resetPath")
        browse = QPushButton(tr("浏览(&B)……"))
        browse.clicked.connect(self.browse)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.new = _password_field("newPassword")
        self.again = _password_field("againPassword")
        self.row(tr("重置文件(&R)："), self.reset_path, browse)
        self.row(tr("一次性口令(&P)："), self.passphrase)
        self.row(tr("新密码(&N)："), self.new)
        self.row(tr("再输一次(&A)："), self.again)
        self.user = ""

    def browse(self) -> None:
        chosen = pick_open(self, tr("选择县里发来的重置文件"),
                           tr("重置文件 (*.json);;所有文件 (*)"))
        if chosen is not None:
            self.reset_path.setText(str(chosen))

    def run(self) -> None:
        from surveyapp.ops.workspace import recovery_apply

        if not self.reset_path.text().strip() or not self.passphrase.text().strip():
            self.say(tr("请选择重置文件并输入县里告诉您的一次性口令。"))
            return
        problem = _new_password_problem(self.new.text(), self.again.text())
        if problem:
            self.say(problem)
            return
        reset, phrase = Path(self.reset_path.text().strip()), self.passphrase.text().strip()
        new = self.new.text()
        user = run_job(self, tr("正在设置新密码……"),
                       lambda _p, _c: recovery_apply(self.db_path, reset, phrase, new))
        if not user:
            return
        self.user = str(user)
        show_result(self, tr("新密码已设置"), tr("用户 {0} 的新密码已设置，请用新密码登录。")
                    .format(self.user))
        self.accept()
