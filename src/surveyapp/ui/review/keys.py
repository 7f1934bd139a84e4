"""Keyboard shortcuts of the review screens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def add_shortcuts(widget: QWidget, keys: tuple[str, ...], slot: Callable[[], object]) -> None:
    """Bind ``keys`` to ``slot`` while ``widget``'s window is active and the widget is shown
    (a hidden tab's shortcuts do not fire, so tabs can reuse F5 and Ctrl+Enter)."""
    for key in keys:
        shortcut = QShortcut(QKeySequence(key), widget)
        shortcut.setObjectName(f"shortcut:{key}")
        shortcut.activated.connect(slot)
