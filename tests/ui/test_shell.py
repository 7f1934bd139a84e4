"""The app shell: the crash hook saves drafts first and shows no traceback; the English UI
loads from the .ts; settings are typed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel

from surveyapp.ui import crash
from surveyapp.ui.errordialogs import CrashDialog


class Draft:
    def __init__(self) -> None:
        self.saved = 0

    def save(self) -> None:
        self.saved += 1


def test_unexpected_error__draft_saved_logged_short_dialog(app: Any, tmp_path: Path) -> None:
    draft = Draft()
    crash.register_draft_saver(draft, draft.save)
    log_file = tmp_path / "app.log"
    crash.setup_logging(log_file)
    shown: dict[str, str] = {}

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CrashDialog)
        shown["text"] = dialog.findChild(QLabel, "crashText").text()
        dialog.copy_details()
        dialog.reject()

    QTimer.singleShot(0, close_dialog)
    try:
        secret = "".join(("bo", "om"))  # stands for a child's name quoted in a message
        raise ValueError(secret)
    except ValueError:
        crash.handle_exception(*sys.exc_info(), log_file=log_file)  # type: ignore[misc]
    assert draft.saved == 1
    assert "Traceback" not in shown["text"]
    assert "草稿" in shown["text"] and "draft" in shown["text"]
    assert "builtins.ValueError (message withheld)" in QGuiApplication.clipboard().text()
    logged = log_file.read_text(encoding="utf-8")
    assert "test_shell.py" in logged  # the frames are kept
    assert "boom" not in logged  # exception messages may quote personal data
    assert "boom" not in QGuiApplication.clipboard().text()


def test_english_setting__english_widgets(
    qapp: Any, qtbot: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    from surveyapp.ui.app import make_app
    from surveyapp.ui.dialogs.login import LoginDialog

    monkeypatch.setenv("SURVEYAPP_LANG", "en")
    make_app()
    try:
        dialog = LoginDialog(tmp_path / "x.sdb", "u")
        qtbot.addWidget(dialog)
        assert dialog.button.text() == "Log in"
    finally:
        monkeypatch.setenv("SURVEYAPP_LANG", "zh_CN")
        make_app()
    dialog = LoginDialog(tmp_path / "x.sdb", "u")
    qtbot.addWidget(dialog)
    assert dialog.button.text() == "登录"


def test_settings__typed_defaults_and_round_trip(app: Any, monkeypatch: Any) -> None:
    from surveyapp.ui.settings import Settings

    monkeypatch.delenv("SURVEYAPP_LANG")
    settings = Settings.load()
    assert settings.language == "zh_CN"
    assert settings.get("autosave_seconds") == 5
    settings.set("language", "en")
    settings.set("autosave_seconds", "7")
    again = Settings.load()
    assert again.language == "en"
    assert again.get("autosave_seconds") == 7


def test_worker_job__result_and_progress_back_on_gui_thread(app: Any) -> None:
    from surveyapp.ui.workers import run_with_progress

    seen: list[tuple[int, int]] = []

    def job(progress: Any, cancelled: Any) -> int:
        for i in range(3):
            progress(i, 3)
            seen.append((i, 3))
        return 42

    assert run_with_progress(None, "…", job) == 42
    assert seen == [(0, 3), (1, 3), (2, 3)]


def test_worker_job_error__raised_to_caller(app: Any) -> None:
    import pytest

    from surveyapp.errors import CommonCode, SurveyError
    from surveyapp.ui.workers import run_with_progress

    def job(progress: Any, cancelled: Any) -> None:
        raise SurveyError(CommonCode.IO_001, path="D:/")

    with pytest.raises(SurveyError) as info:
        run_with_progress(None, "…", job)
    assert info.value.code is CommonCode.IO_001
