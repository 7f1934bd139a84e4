"""A Qt GUI application for rendering, created offscreen when none exists yet.

Text layout and PDF output (``QTextDocument``, ``QPdfWriter``) need a
``QGuiApplication``. Inside the desktop app one already exists; in a script, a test or a
worker process ``ensure_gui_app()`` creates one on the ``offscreen`` platform (unless
``QT_QPA_PLATFORM`` says otherwise), so rendering never needs a display.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication

_APP: QGuiApplication | None = None


def ensure_gui_app() -> QCoreApplication:
    """The running Qt application, or a new offscreen ``QGuiApplication``."""
    global _APP
    existing = QCoreApplication.instance()
    if existing is not None:
        return existing
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _APP = QGuiApplication(["surveyapp-render"])
    return _APP
