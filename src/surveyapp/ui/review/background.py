"""Load a review list off the GUI thread, together with the form's labels (first time only)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import QWidget

from surveyapp.ui.errordialogs import ui_lang
from surveyapp.ui.review.labels import FieldLabels
from surveyapp.ui.workers import run_with_progress


def load(parent: QWidget, label: str, job: Callable[[], Any], *, ws: Any = None,
         versions: Callable[[Any], Iterable[tuple[str, str]]] | None = None,
         ) -> tuple[FieldLabels, Any]:
    """Run ``job`` on the worker pool behind a progress dialog (shown after 300 ms).

    :param ws: the workspace: the labels are those of its current form.
    :param versions: the ``(form_id, version)`` pairs of the revisions in ``job``'s result,
        whose own form versions label them (``FieldLabels.with_versions``).
    :returns: the labels in the UI language and the job's result.
    :raises BaseException: whatever the job raised (the caller shows it with ``show_error``).
    """
    lang = ui_lang()

    def work(_progress: Any, _cancelled: Any) -> tuple[FieldLabels, Any]:
        result = job()
        labels = FieldLabels.load(lang, ws=ws)
        if versions is not None and ws is not None:
            labels = labels.with_versions(ws, versions(result))
        return labels, result

    return run_with_progress(parent, label, work)  # type: ignore[no-any-return]
