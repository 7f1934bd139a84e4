"""The unexpected-error path (qutebrowser's crashsignal): save drafts, log, show a short dialog.

``register_draft_saver(fn)`` lets every open form register a callable that writes its draft
to the encrypted store; ``install_excepthook(log_file)`` replaces ``sys.excepthook``.
Answer values are never logged, only the traceback.
"""

from __future__ import annotations

import logging
import sys
import weakref
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication

from surveyapp.crashlog import crash_report, set_log_file

__all__ = ["crash_report", "handle_exception", "install_excepthook", "register_draft_saver",
           "save_all_drafts", "setup_logging"]

log = logging.getLogger("surveyapp.ui")

_SAVERS: weakref.WeakSet[object] = weakref.WeakSet()
_state = {"busy": False}
_LAST: dict[str, object] = {}


class _Saver:
    def __init__(self, fn: Callable[[], None]) -> None:
        self.fn = fn


def register_draft_saver(owner: object, fn: Callable[[], None]) -> None:
    """Call ``fn`` (which saves ``owner``'s draft) before a crash dialog; dropped with ``owner``."""
    saver = _Saver(fn)
    setattr(owner, "_surveyapp_draft_saver", saver)  # noqa: B010 - keeps the saver alive
    _SAVERS.add(saver)


def save_all_drafts() -> int:
    saved = 0
    for saver in list(_SAVERS):
        try:
            saver.fn()  # type: ignore[attr-defined]
            saved += 1
        except Exception as err:
            log.error("saving a draft during a crash failed\n%s", crash_report(err))
    return saved


def setup_logging(log_file: Path) -> None:
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    set_log_file(log_file)
    root.setLevel(logging.INFO)


def handle_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, log_file: Path
) -> None:
    """Save drafts, log the traceback, show the crash dialog (never a traceback in its text)."""
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    if _state["busy"]:
        return
    _state["busy"] = True
    try:
        save_all_drafts()
        if exc.__traceback__ is None:
            exc.__traceback__ = tb
        details = crash_report(exc)
        log.error("unexpected error\n%s", details)
        _LAST["details"] = details
        if QApplication.instance() is not None and not _LAST.get("quiet"):
            from surveyapp.ui.errordialogs import CrashDialog

            dialog = CrashDialog(details, str(log_file))
            _LAST["dialog"] = dialog
            dialog.exec()
    finally:
        _state["busy"] = False


def install_excepthook(log_file: Path) -> None:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        handle_exception(exc_type, exc, tb, log_file)

    sys.excepthook = hook
