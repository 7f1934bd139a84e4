"""Run ops on a worker thread and turn ``progress(done, total)`` and cancel into signals.

Widgets never run a long operation on the GUI thread. A job is any callable taking two
arguments, ``progress(done, total)`` and ``is_cancelled() -> bool``; a lambda maps them to
the names an ``ops`` function expects::

    worker = Worker(lambda progress, cancelled: ops.import_batch(path, progress=progress,
                                                               cancel=cancelled))
    worker.signals.finished.connect(on_result)
    worker.signals.failed.connect(on_error)
    start(worker)

``run_with_progress(parent, label, job)`` shows a modal progress dialog with Cancel and
returns the job's result (or raises its exception) once it ends, while the event loop runs.
Results and errors come back by queued signal; no widget is touched from the worker thread.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

from surveyapp.crashlog import log_bug
from surveyapp.errors import SurveyError

Job = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class WorkerSignals(QObject):
    """Signals of one job. ``failed`` carries the exception object."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class Worker(QRunnable):
    """One job for the global thread pool."""

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._job = job
        self._cancel = threading.Event()
        self.signals = WorkerSignals()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._job(self._progress, self._cancel.is_set)
        except BaseException as err:
            _job_ended()
            if not isinstance(err, SurveyError | KeyboardInterrupt):
                log_bug(err, "worker")  # even when nobody shows the failure
            self._emit(self.signals.failed, err)
        else:
            _job_ended()
            self._emit(self.signals.finished, result)

    def _progress(self, done: int, total: int) -> None:
        self._emit(self.signals.progress, done, total)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        # At exit the receiver side may already be gone; the result is then of no use.
        with contextlib.suppress(RuntimeError):
            signal.emit(*args)


_RUNNING: set[Worker] = set()
_AT_JOB_END: list[weakref.WeakMethod[Callable[[], None]]] = []


def at_job_end(method: Callable[[], None]) -> None:
    """Call the bound ``method`` on the worker thread after each job (the backend closes
    the thread's own workspace connection: pool threads come and go). Held weakly."""
    _AT_JOB_END.append(weakref.WeakMethod(method))


def _job_ended() -> None:
    for ref in list(_AT_JOB_END):
        method = ref()
        if method is None:
            with contextlib.suppress(ValueError):
                _AT_JOB_END.remove(ref)
            continue
        try:
            method()
        except Exception as err:  # a failed clean-up must not hide the job's own outcome
            log_bug(err, "worker clean-up")


def start(worker: Worker) -> None:
    """Queue ``worker`` on the global pool, keeping it alive until it ends."""
    _RUNNING.add(worker)
    worker.signals.finished.connect(lambda _r: _RUNNING.discard(worker))
    worker.signals.failed.connect(lambda _e: _RUNNING.discard(worker))
    QThreadPool.globalInstance().start(worker)


def run_with_progress(parent: QWidget | None, label: str, job: Job) -> Any:
    """Run ``job`` in the background behind a modal progress dialog with Cancel.

    :returns: the job's result.
    :raises BaseException: whatever the job raised (a SurveyError for expected failures).
    """
    worker = Worker(job)
    dialog = QProgressDialog(label, QCoreApplication.translate("Worker", "取消"), 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total > 0 else 0)

    def on_finished(result: Any) -> None:
        outcome["result"] = result
        loop.quit()

    def on_failed(err: BaseException) -> None:
        outcome["error"] = err
        loop.quit()

    worker.signals.progress.connect(on_progress)
    worker.signals.finished.connect(on_finished)
    worker.signals.failed.connect(on_failed)
    dialog.canceled.connect(worker.cancel)
    start(worker)
    if "result" not in outcome and "error" not in outcome:
        loop.exec()
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
