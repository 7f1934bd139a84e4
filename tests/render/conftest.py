"""Render tests share pytest-qt's QApplication, so that ``ensure_gui_app`` finds it and
never leaves a bare QGuiApplication behind for the widget tests that run later."""

import pytest


@pytest.fixture(autouse=True)
def _qt_app(qapp):
    return qapp
