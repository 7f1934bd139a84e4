"""Issue #18 item 3: every unexpected error leaves a trace. A non-SurveyError in a review pane
(its job on a worker), a tool dialog or a call on the GUI thread is logged with the same
privacy filter as the CLI (one ``crash_report``), and the box says where the log is, in the
user's language. The tools' village list no longer hides a bug."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from surveyapp import crashlog
from surveyapp.errors import SurveyError
from surveyapp.ui import crash

SECRET = "".join(("张", "小明"))  # a child's name quoted in an exception message


@pytest.fixture
def log_file(tmp_path: Path) -> Any:
    path = tmp_path / "app.log"
    crash.setup_logging(path)
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path:
            root.removeHandler(handler)
            handler.close()


def _close_box_later(shown: list[str]) -> QTimer:
    def look() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                shown.append(w.text())
                w.accept()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(look)
    timer.start()
    return timer


def test_one_crash_report_for_cli_and_ui() -> None:
    from surveyapp.cli import main as cli_main

    assert cli_main.crash_report is crashlog.crash_report
    assert crash.crash_report is crashlog.crash_report


def test_review_pane_bug_on_worker__logged_box_says_where(app: Any, qtbot: Any, workspace: Any,
                                                          log_file: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    from surveyapp.ops import review
    from surveyapp.ui.review.conflicts import ConflictsWidget

    pane = ConflictsWidget(workspace)
    qtbot.addWidget(pane)

    def broken(_ws: Any) -> Any:
        raise KeyError(SECRET)

    monkeypatch.setattr(review, "conflicts", broken)
    shown: list[str] = []
    timer = _close_box_later(shown)
    pane.refresh()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    timer.stop()
    assert str(log_file) in shown[0] and "意外错误" in shown[0]
    assert SECRET not in shown[0]
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error in worker" in logged  # logged where it happened, once
    assert logged.count("unexpected error") == 1
    assert "builtins.KeyError (message withheld)" in logged
    assert "test_bug_trace.py" in logged  # the frames are there
    assert SECRET not in logged


def test_tool_dialog_bug__logged(app: Any, qtbot: Any, log_file: Path) -> None:
    from surveyapp.ui.tools.common import run_job, run_now

    def job(_p: Any, _c: Any) -> Any:
        raise ValueError(SECRET)

    shown: list[str] = []
    timer = _close_box_later(shown)
    assert run_job(None, "导出", job) is None
    assert run_now(None, lambda: int(SECRET)) is None
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10_000)
    timer.stop()
    assert all(str(log_file) in text for text in shown)
    logged = log_file.read_text(encoding="utf-8")
    assert logged.count("unexpected error in worker") == 1  # run_job
    assert logged.count("unexpected error in app") == 1  # run_now
    assert "builtins.ValueError (message withheld)" in logged
    assert SECRET not in logged


def test_expected_error__not_logged_as_a_bug(app: Any, qtbot: Any, log_file: Path) -> None:
    from surveyapp.core.store.codes import StoreCode
    from surveyapp.ui.errordialogs import show_error

    shown: list[str] = []
    timer = _close_box_later(shown)
    show_error(None, SurveyError(StoreCode.STORE_017))
    timer.stop()
    assert shown == [StoreCode.STORE_017.text("zh")]
    assert "unexpected error" not in log_file.read_text(encoding="utf-8")


def test_bug_box_in_english(qapp: Any, qtbot: Any, log_file: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    from surveyapp.ui.app import make_app
    from surveyapp.ui.errordialogs import show_error

    monkeypatch.setenv("SURVEYAPP_LANG", "en")
    make_app()
    try:
        shown: list[str] = []
        timer = _close_box_later(shown)
        show_error(None, RuntimeError(SECRET))
        timer.stop()
        assert shown[0].startswith("Unexpected error (app: RuntimeError)")
        assert str(log_file) in shown[0]
    finally:
        monkeypatch.setenv("SURVEYAPP_LANG", "zh_CN")
        make_app()


class _Window:
    def __init__(self, backend: Any) -> None:
        self.backend = backend


class _Ws:
    org_code = "522422"


def test_tools_village_list__bug_not_hidden(app: Any) -> None:
    from surveyapp.core.store.codes import StoreCode
    from surveyapp.ui.tools import _villages

    class Buggy:
        def villages(self) -> Any:
            raise AttributeError("a bug")

    class Unreadable:
        def villages(self) -> Any:
            raise SurveyError(StoreCode.STORE_017)

    class Fine:
        def villages(self) -> Any:
            return [("522422102201", "箐口村"), ("530000000000", "外县")]

    with pytest.raises(AttributeError):
        _villages(_Window(Buggy()), _Ws())
    assert _villages(_Window(Unreadable()), _Ws()) == []
    assert _villages(_Window(Fine()), _Ws()) == [("522422102201", "箐口村")]


def test_worker_nobody_listens__still_logged(app: Any, qtbot: Any, log_file: Path) -> None:
    from surveyapp.ui.workers import Worker, start

    def job(_p: Any, _c: Any) -> Any:
        raise ZeroDivisionError(SECRET)

    worker = Worker(job)
    failed: list[BaseException] = []
    worker.signals.failed.connect(failed.append)
    start(worker)
    qtbot.waitUntil(lambda: bool(failed), timeout=10_000)
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error in worker" in logged
    assert "builtins.ZeroDivisionError (message withheld)" in logged and SECRET not in logged
