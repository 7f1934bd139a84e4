"""Errors shown to people: a SurveyError as a short message in the UI language; the crash dialog.

- ``show_error(parent, err)``: an expected failure (wrong password, bad file, full disk) as a
  message box in the user's language; never a traceback. Anything else is a bug: it is
  logged first (``surveyapp.crashlog``: frames and types, no messages) and the box says so
  and where the log file is.
- ``CrashDialog``: an unexpected error, after drafts were saved and the traceback logged; a
  short bilingual text, the log file's location and a "copy details" button.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from surveyapp.crashlog import log_bug, log_file
from surveyapp.errors import SurveyError


def ui_lang() -> str:
    """``zh`` or ``en``, the language of the installed UI (set by ``app.install_translators``)."""
    app = QCoreApplication.instance()
    lang = app.property("surveyapp_lang") if app is not None else None
    return "en" if isinstance(lang, str) and lang.startswith("en") else "zh"


def error_text(err: BaseException) -> str:
    """The user-facing text for ``err``: the catalogue text for a SurveyError."""
    if isinstance(err, SurveyError):
        return err.message(ui_lang())
    if isinstance(err, OSError) and err.errno == 28:
        return QCoreApplication.translate(
            "Errors", "磁盘已满。已有数据未受影响。请清理空间或换一个磁盘后重试。"
        )
    return QCoreApplication.translate("Errors", "操作未能完成：{0}").format(type(err).__name__)


def expected(err: BaseException) -> bool:
    """A failure the user can act on (a SurveyError, a full disk), not a bug."""
    return isinstance(err, SurveyError) or (isinstance(err, OSError) and err.errno == 28)


def bug_text(where: str) -> str:
    """What the user is told about a bug: nothing was done, and where the log is."""
    log = log_file()
    return QCoreApplication.translate(
        "Errors", "程序遇到意外错误（{0}），此操作未完成；已保存的数据不受影响。"
        "详细信息已写入日志文件：{1}\n请把该文件交给县里的技术人员。"
    ).format(where, str(log) if log is not None else QCoreApplication.translate(
        "Errors", "（未设置日志文件）"))


def fit_to_message(dialog: QWidget) -> None:
    """Grow ``dialog`` so that a message just put in its word-wrapped labels shows whole
    (a dialog with a minimum width set does not grow by itself; scaling makes it worse)."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = max(dialog.width(), dialog.minimumWidth())
    need = (
        layout.totalHeightForWidth(width)
        if layout.hasHeightForWidth()
        else layout.totalMinimumSize().height()
    )
    if dialog.height() < need:
        dialog.resize(width, need)


def show_error(parent: QWidget | None, err: BaseException, title: str = "") -> None:
    """Show an expected failure as a warning box in the UI language; log a bug first, and
    say where its log is."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or QCoreApplication.translate("Errors", "出错了"))
    if expected(err):
        box.setText(error_text(err))
    else:
        where = type(parent).__name__ if parent is not None else "app"
        log_bug(err, where)
        box.setText(bug_text(f"{where}: {type(err).__name__}"))
    if isinstance(err, SurveyError):
        box.setInformativeText(f"[{err.code.name}]")  # what to quote on the phone
    box.setObjectName("errorBox")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


class CrashDialog(QDialog):
    """The unexpected-error dialog: short bilingual text, log location, "copy details"."""

    def __init__(self, details: str, log_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("程序出错 / Unexpected error")
        self.details = details
        text = QLabel(
            "程序遇到意外错误。正在填写的内容已保存为草稿。\n"
            "请把“复制详细信息”的内容发给县里的技术人员。\n\n"
            "Something went wrong. Your unsaved answers were kept as a draft.\n"
            "Please send the copied details to your county's IT contact.\n\n"
            f"日志 / Log: {log_path}"
        )
        text.setWordWrap(True)
        text.setObjectName("crashText")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("复制详细信息 / Copy details")
        copy.setObjectName("copyDetails")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
