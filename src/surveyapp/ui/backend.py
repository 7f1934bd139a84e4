"""The UI's one adapter over the open workspace and the screening form.

Widgets talk to this object only, so that the store's and the engine's shapes are known
in one place. It is a ``ChildSource`` for the list model.

Public API::

    backend = Backend(ws, lang="zh_CN", form_path=None)
    backend.form, backend.lang ("zh"/"en"), backend.ws
    backend.count(flt) / backend.fetch(flt, offset, limit)
    backend.villages() -> [(code, name)], backend.village_name(code)
    backend.save_visit(record_id | None, submission) -> record_id
    backend.record_exit(record_id, reason, date, note)
    backend.child_row(record_id), backend.child_answers(record_id), backend.history(record_id)
    backend.save_draft(key, payload) / load_draft(key) / delete_draft(key)
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cached_property
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from surveyapp.paths import FORM_PATH
from surveyapp.ui.formview.tree import text_in
from surveyapp.ui.models.children import ChildFilter, field_of, status_text
from surveyapp.ui.settings import form_lang

CARRY_OVER = ("survey_date", "township_code", "village_code", "residence_type", "surveyor_name")


class Backend:
    def __init__(self, ws: Any, lang: str = "zh_CN", form_path: Path | None = None) -> None:
        self.ws = ws
        self.lang = form_lang(lang)
        self.form_path = form_path or FORM_PATH
        self._last_defaults: dict[str, Any] = {}

    @cached_property
    def form(self) -> Any:
        from surveyapp.core.forms import load_form

        return load_form(self.form_path)

    def close(self) -> None:
        self.ws.close()

    # --- list ----------------------------------------------------------------------------
    def store_filter(self, flt: ChildFilter) -> Any:
        from surveyapp.core.store import ChildFilter as StoreFilter

        return StoreFilter(
            search=flt.search or None,
            village_code=flt.village or None,
            category=flt.category or None,
            risk_level=flt.risk or None,
            urgent=True if flt.urgent else None,
            follow_up_due=dt.date.today().isoformat() if flt.follow_up_due else None,
            include_exited=flt.exited,
        )

    def count(self, flt: ChildFilter) -> int:
        return int(self.ws.count_children(self.store_filter(flt)))

    def fetch(self, flt: ChildFilter, offset: int, limit: int) -> list[Any]:
        return list(self.ws.query_children(self.store_filter(flt), offset, limit))

    @cached_property
    def _villages(self) -> dict[str, str]:
        from surveyapp.ui.formcache import village_choices

        found = village_choices(self.form_path, lambda: self.form)
        return {code: text_in(names, self.lang) for code, names in found}

    def preload_form(self) -> None:
        """Parse the form on a worker thread, so the first form or child file opens at once."""
        from surveyapp.ui.workers import Worker, start

        if "form" not in self.__dict__:
            start(Worker(lambda _progress, _cancelled: self.form))

    def villages(self) -> list[tuple[str, str]]:
        return list(self._villages.items())

    def village_name(self, code: str) -> str:
        return self._villages.get(code, code)

    # --- records -------------------------------------------------------------------------
    def save_visit(self, record_id: str | None, submission: dict[str, Any]) -> str:
        """Save a screening or follow-up visit; returns the child's record id."""
        result = self.ws.save_visit(
            record_id, submission, form_id=self.form.form_id, form_version=self.form.version
        )
        self._last_defaults = {k: submission.get(k, "") for k in CARRY_OVER}
        return str(getattr(result, "child_id", result))

    def last_saved_defaults(self) -> dict[str, Any] | None:
        return dict(self._last_defaults) or None

    def record_exit(self, record_id: str, reason: str, date: str, note: str) -> None:
        self.ws.record_exit(record_id, reason=reason, date=date, note=note)

    def child_row(self, record_id: str) -> Any:
        return self.ws.get_child(record_id)

    def child_answers(self, record_id: str) -> dict[str, Any]:
        """The head revision's answers (with calculates and status); {} when unknown."""
        row = self.ws.get_child(record_id)
        data = field_of(row, "data", None)
        return dict(data) if data else {}

    def history(self, record_id: str) -> list[str]:
        """The child's revisions, newest first, as one line each."""
        out = []
        for entry in self.ws.child_history(record_id):
            when = str(entry.created_at)[:16].replace("T", " ")
            if entry.status == "active":
                what = QCoreApplication.translate("Backend", "走访（排查日期 {0}）").format(
                    entry.survey_date
                )
            else:
                what = QCoreApplication.translate("Backend", "状态：{0}").format(
                    status_text(entry.status)
                )
            if getattr(entry, "import_file", ""):
                what += QCoreApplication.translate("Backend", "（导入自 {0}，第 {1} 行）").format(
                    entry.import_file, entry.import_row
                )
            out.append(f"{when}  {entry.author}  {what}")
        return out

    # --- drafts --------------------------------------------------------------------------
    def save_draft(self, key: str, payload: dict[str, Any]) -> None:
        self.ws.save_draft(key, json.dumps(payload, ensure_ascii=False))

    def load_draft(self, key: str) -> dict[str, Any] | None:
        for draft in self.ws.load_drafts():
            if field_of(draft, "key", None) == key:
                data = field_of(draft, "data")
                return dict(json.loads(data) if isinstance(data, str | bytes) else data)
        return None

    def delete_draft(self, key: str) -> None:
        self.ws.delete_draft(key)
