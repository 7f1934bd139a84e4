"""Township and county review screens (issue 6), self-contained widgets over ``ops.review``.

Public API (for the main window):

- ``review_tabs(ws) -> list[tuple[str, QWidget]]``: the tabs for the workspace's role, each
  ``(title, widget)``; a township or county gets 数据到达 / 冲突 / 疑似重复 / 已退回, a
  village gets 已退回. Each widget has ``refresh()`` (also F5), called whenever its tab is
  opened (the duplicates tab only the first time: its scan reads every child).
- ``open_import_dialog(parent, ws) -> list[ImportResult]`` (``ui.review.imports``): import many
  batches (files or a folder) with a dry-run report first; for a 文件 › 导入 menu (the
  arrivals tab also has the button, Ctrl+I).
- ``return_child(parent, ws, child_id) -> str | None`` (``ui.review.returns``): the "return to
  village" dialog, for a child list's or child file's context menu.
- ``return_notice(row) -> QLabel | None`` (``ui.review.returns``): the banner with the
  township's comment for the village's child file.
- Widgets: ``ConflictsWidget`` (signal ``resolved(record_id)``), ``DuplicatesWidget``
  (``decided(a, b, decision)``), ``ReturnedWidget`` (``open_child(record_id)`` on Enter).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from surveyapp.ui.review.arrivals import ArrivalsWidget
from surveyapp.ui.review.conflicts import ConflictsWidget
from surveyapp.ui.review.duplicates import DuplicatesWidget
from surveyapp.ui.review.imports import ImportDialog, open_import_dialog
from surveyapp.ui.review.returns import ReturnedWidget, return_child, return_notice

__all__ = ["ArrivalsWidget", "ConflictsWidget", "DuplicatesWidget", "ImportDialog",
           "ReturnedWidget", "open_import_dialog", "return_child", "return_notice",
           "review_tabs"]


class _RefreshOnShow(QObject):
    """Calls the widget's ``refresh()`` when it is shown (its tab opened), after the event;
    only the first time when ``once`` (the duplicate scan reads every child on file)."""

    def __init__(self, parent: QObject, *, once: bool) -> None:
        super().__init__(parent)
        self.once = once

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QWidget):
            if self.once:
                obj.removeEventFilter(self)
            QTimer.singleShot(0, getattr(obj, "refresh"))  # noqa: B009
        return False


def review_tabs(ws: Any) -> list[tuple[str, QWidget]]:
    """The review tabs for ``ws``'s role (title in the UI language, widget)."""

    # Literal translate() calls, so that lupdate files them under the ReviewTabs context.
    tabs: list[tuple[str, QWidget]] = []
    if ws.role in ("township", "county"):
        tabs += [
            (QCoreApplication.translate("ReviewTabs", "数据到达"), ArrivalsWidget(ws)),
            (QCoreApplication.translate("ReviewTabs", "冲突"), ConflictsWidget(ws)),
            (QCoreApplication.translate("ReviewTabs", "疑似重复"), DuplicatesWidget(ws)),
        ]
    tabs.append((QCoreApplication.translate("ReviewTabs", "已退回"), ReturnedWidget(ws)))
    for _title, widget in tabs:
        hook = _RefreshOnShow(widget, once=isinstance(widget, DuplicatesWidget))
        widget.installEventFilter(hook)
    return tabs
