"""Load a review list off the GUI thread, together with the form's labels (first time only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from surveyapp.ui.errordialogs import ui_lang
from surveyapp.ui.review.labels import FieldLabels
from surveyapp.ui.workers import run_with_progress


def load(parent: QWidget, label: str, job: Callable[[], Any]) -> tuple[FieldLabels, Any]:
    """Run ``job`` on the worker pool behind a progress dialog (shown after 300 ms).

    :returns: the labels in the UI language and the job's result.
    :raises BaseException: whatever the job raised (the caller shows it with ``show_error``).
    """
    lang = ui_lang()
    return run_with_progress(  # type: ignore[no-any-return]
        parent, label, lambda _progress, _cancelled: (FieldLabels.load(lang), job()))
