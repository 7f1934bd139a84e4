"""Shared pieces of the tool dialogs: file pickers, a background run that never shows a
traceback, overwrite questions and the result box with "open folder".

- ``pick_folder(parent, title) -> Path | None``, ``pick_open(parent, title, pattern)``,
  ``pick_save(parent, title, suggested, pattern) -> Path | None`` (the OS file pickers).
- ``run_job(parent, label, job) -> Any | None``: ``job(progress, cancelled)`` on a worker
  thread behind a progress dialog with Cancel; ``None`` after a failure (shown with
  ``show_error``) or a cancel (a short note).
- ``ask_overwrite(parent, path) -> bool``: ``True`` when ``path`` is free or may be replaced.
- ``show_result(parent, title, text, folder=None)``: the outcome, with "打开文件夹".
- ``lay_out(dialog, ok_text, run, *parts)``: the parts top to bottom above OK (renamed,
  calling ``run``) and Cancel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from surveyapp.errors import SurveyError
from surveyapp.ui.errordialogs import show_error
from surveyapp.ui.workers import Job, run_with_progress

CANCEL_NAMES = frozenset({"BATCH_012", "CANCELLED"})


# pyside6-lupdate files a module-level ``tr("…")`` under the unnamed context, so that is the
# context these texts are looked up in (a "Tools" context would never match the .ts).
CONTEXT = ""


def tr(text: str) -> str:
    """Translate ``text`` (the tool dialogs' context, see ``CONTEXT``)."""
    return QCoreApplication.translate(CONTEXT, text)


def pick_folder(parent: QWidget | None, title: str) -> Path | None:
    """The folder chosen in the OS picker (e.g. the USB stick), or ``None``."""
    chosen = QFileDialog.getExistingDirectory(parent, title)
    return Path(chosen) if chosen else None


def pick_open(parent: QWidget | None, title: str, pattern: str) -> Path | None:
    """An existing file chosen in the OS picker, or ``None``."""
    chosen, _ = QFileDialog.getOpenFileName(parent, title, "", pattern)
    return Path(chosen) if chosen else None


def pick_save(parent: QWidget | None, title: str, suggested: str, pattern: str) -> Path | None:
    """Where to write a new file (the OS picker asks before replacing one), or ``None``."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, pattern)
    return Path(chosen) if chosen else None


def is_cancelled(err: BaseException) -> bool:
    """Whether ``err`` is an operation's "cancelled" error."""
    return isinstance(err, SurveyError) and err.code.name in CANCEL_NAMES


def run_job(parent: QWidget | None, label: str, job: Job) -> Any | None:
    """Run ``job`` in the background with progress and Cancel; errors become message boxes.

    :returns: the job's result, or ``None`` when it failed or was cancelled.
    """
    try:
        return run_with_progress(parent, label, job)
    except Exception as err:  # every failure is shown as a message, never a traceback
        if is_cancelled(err):
            QMessageBox.information(parent, tr("已取消"), tr("操作已取消，没有写入任何文件。"))
        else:
            show_error(parent, err)
        return None


def run_now(parent: QWidget | None, call: Any) -> Any | None:
    """Run a short ``call()`` on the GUI thread; a failure becomes a message box."""
    try:
        return call()
    except Exception as err:  # shown as a message, never a traceback
        show_error(parent, err)
        return None


def ask_overwrite(parent: QWidget | None, path: Path) -> bool:
    """``True`` when ``path`` does not exist or the user agrees to replace it."""
    if not path.exists():
        return True
    answer = QMessageBox.question(
        parent, tr("文件已存在"),
        tr("文件 {0} 已经存在。要替换它吗？").format(str(path)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_result(parent: QWidget | None, title: str, text: str,
                folder: Path | None = None) -> QMessageBox:
    """Show what was written where; with ``folder``, an "打开文件夹" button opens it."""
    box = QMessageBox(parent)
    box.setObjectName("toolResult")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    open_button = None
    if folder is not None:
        open_button = box.addButton(tr("打开文件夹"), QMessageBox.ButtonRole.ActionRole)
        open_button.setObjectName("openFolder")
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
    box.exec()
    if open_button is not None and box.clickedButton() is open_button and folder is not None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
    return box


def lay_out(dialog: QDialog, ok_text: str, run: Callable[[], None],
            *parts: QWidget | QLayout) -> QDialogButtonBox:
    """Stack ``parts`` top to bottom in ``dialog`` above OK (named ``ok_text``, calling
    ``run``) and Cancel (rejecting the dialog); returns the button box."""
    ok = QDialogButtonBox.StandardButton.Ok
    buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(ok).setText(ok_text)
    buttons.accepted.connect(run)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addWidget(buttons)
    return buttons
