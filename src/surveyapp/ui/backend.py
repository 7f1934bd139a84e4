"""The UI's one adapter over the open workspace and the screening form.

Widgets talk to this object only, so that the store's and the engine's shapes are known
in one place. It is a ``KeysetSource`` (a ``ChildSource`` that can page by key) for the
list model.

Public API::

    backend = Backend(ws, lang="zh_CN", form_path=None)
    backend.form, backend.lang ("zh"/"en"), backend.ws
    backend.count(flt) / backend.fetch(flt, offset, limit)
    backend.list_key(row) / backend.fetch_from(flt, key, limit, *, offset=0, backward=False)
    backend.villages() -> [(code, name)], backend.village_name(code)
    backend.save_visit(record_id | None, submission) -> record_id
    backend.same_id_on_file(id_number, other_than=None) -> [ChildRow]
    backend.record_exit(record_id, reason, date, note)
    backend.child_row(record_id), backend.child_answers(record_id), backend.history(record_id)
    backend.save_draft(key, payload) / load_draft(key) / delete_draft(key)
    backend.note_read(record_id, what="child"|"dossier"), backend.note_search(text, count)
    backend.form_label ("form_id@version"), backend.follow_up(record_id) -> FollowUp,
    backend.previous_answers(record_id), backend.ageing_out(within=90)
    backend.revision_forms (ops.forms.FormResolver), backend.record_form(record_id)

The form is the workspace's own: the one the county sent with the last trust update,
else the shipped one (``surveyapp.ops.forms.current_form_path``). Once it is loaded, the
list shows age, categories and risk as of today, by the form's rules.
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


class AsOfRow(dict[str, Any]):
    """A list row with age, categories and risk as of today; fields read as attributes
    too, like the store's ``ChildRow``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _workspace_form(ws: Any) -> Path:
    """The form the workspace uses (the county's, else the shipped one)."""
    from surveyapp.errors import SurveyError
    from surveyapp.ops.forms import current_form_path

    try:
        return current_form_path(ws)
    except (SurveyError, AttributeError, TypeError, ValueError):
        return FORM_PATH


CARRY_OVER = ("survey_date", "township_code", "village_code", "residence_type", "surveyor_name")


class Backend:
    def __init__(self, ws: Any, lang: str = "zh_CN", form_path: Path | None = None) -> None:
        self.ws = ws
        release = getattr(ws, "release_thread", None)
        if release is not None:
            from surveyapp.ui.workers import at_job_end

            at_job_end(release)  # a worker's own connection is closed when its job ends
        self.lang = form_lang(lang)
        self.form_path = form_path or _workspace_form(ws)
        self._last_defaults: dict[str, Any] = {}

    @cached_property
    def form(self) -> Any:
        from surveyapp.ops.forms import load_cached

        return load_cached(self.form_path)

    @cached_property
    def revision_forms(self) -> Any:
        """Which form labels a revision's answers (``ops.forms.FormResolver``): the version
        it was saved under, else the form this app fills, else the shipped one."""
        from surveyapp.ops.forms import FormResolver

        return FormResolver(self.ws, current=self.form)

    def record_form(self, record_id: str) -> Any:
        """The form that saved the head revision of ``record_id`` (``RevisionForm``)."""
        return self.revision_forms.for_record(record_id)

    @property
    def form_label(self) -> str:
        return f"{self.form.form_id}@{self.form.version}"

    def _rules(self) -> Any:
        """Age rules as of today, once the form is loaded (None before)."""
        if "form" not in self.__dict__:
            return None
        today = dt.date.today()
        cached = self.__dict__.get("_as_of")
        if cached is None or cached.day != today:
            from surveyapp.core.forms.asof import AsOf

            cached = AsOf(self.form, today)
            self.__dict__["_as_of"] = cached
        return cached

    def close(self) -> None:
        self.ws.close()

    # --- list ----------------------------------------------------------------------------
    def store_filter(self, flt: ChildFilter) -> Any:
        from surveyapp.ops.types import ChildFilter as StoreFilter

        return StoreFilter(
            search=flt.search or None,
            village_code=flt.village or None,
            category=flt.category or None,
            risk_level=flt.risk or None,
            urgent=True if flt.urgent else None,
            follow_up_due=dt.date.today().isoformat() if flt.follow_up_due else None,
            include_exited=flt.exited,
            born_after=self._age_bound(flt.category),
        )

    def _age_bound(self, category: str) -> str | None:
        """For a category filter, once the form is loaded: the birth date a child must be
        born after to be under the category's age limit today (the view's flags are as at
        the last visit)."""
        if not category or "form" not in self.__dict__:
            return None
        from surveyapp.ops.children import form_limit

        if category == "left_behind":
            limit = form_limit(self.form, "lb_age_limit", 16)
        elif category in ("in_difficulty", "unsupported", "poverty", "disability",
                          "guardianship"):
            limit = form_limit(self.form, "minor_age_limit", 18)
        else:
            return None
        today = dt.date.today()
        try:
            return today.replace(year=today.year - limit).isoformat()
        except ValueError:  # 29 February
            return dt.date(today.year - limit, 2, 28).isoformat()

    def count(self, flt: ChildFilter) -> int:
        return int(self.ws.count_children(self.store_filter(flt)))

    def fetch(self, flt: ChildFilter, offset: int, limit: int) -> list[Any]:
        return self._as_of_rows(self.ws.query_children(self.store_filter(flt), offset, limit))

    def _as_of_rows(self, rows: Any) -> list[Any]:
        """The store's rows, with age, categories and risk as of today once the form is
        loaded (before: as the last visit saved them)."""
        rules = self._rules()
        if rules is None:
            return list(rows)
        from surveyapp.ops.ledger import child_row

        return [AsOfRow(rules.row(child_row(r))) for r in rows]

    def as_of_today(self, answers: dict[str, Any]) -> dict[str, Any]:
        """``answers`` with age, categories and risk as of today (the form's rules)."""
        _ = self.form
        rules = self._rules()
        return rules.row(answers) if rules is not None and answers else dict(answers)

    def ageing_out(self, within: int = 90) -> list[Any]:
        """Children who turned 16 or 18, or will within ``within`` days."""
        from surveyapp.ops.children import ageing_out

        return ageing_out(self.ws, within=within)

    def list_key(self, row: Any) -> Any:
        return self.ws.list_key(row)

    def fetch_from(
        self, flt: ChildFilter, key: Any, limit: int, *, offset: int = 0, backward: bool = False
    ) -> list[Any]:
        return self._as_of_rows(self.ws.query_children_from(
            self.store_filter(flt), key, limit, offset=offset, backward=backward
        ))

    @cached_property
    def _villages(self) -> dict[str, str]:
        from surveyapp.ui.formcache import village_choices

        found = village_choices(self.form_path, lambda: self.form)
        return {code: text_in(names, self.lang) for code, names in found}

    def preload_form(self, on_ready: Any = None) -> None:
        """Parse the form on a worker thread, so the first form or child file opens at once;
        ``on_ready()`` runs on the GUI thread afterwards (the list then shows ages as of
        today)."""
        from surveyapp.ui.workers import Worker, start

        if "form" not in self.__dict__:
            worker = Worker(lambda _progress, _cancelled: self.form)
            if on_ready is not None:
                worker.signals.finished.connect(lambda _form: on_ready())
            self._preload = worker
            start(worker)

    def villages(self) -> list[tuple[str, str]]:
        return list(self._villages.items())

    def village_name(self, code: str) -> str:
        return self._villages.get(code, code)

    # --- records -------------------------------------------------------------------------
    def follow_up(self, record_id: str) -> Any:
        """Where a follow-up of ``record_id`` starts in the current form (the save, through
        ``ops.children.save_visit``, keeps the answers the form no longer asks apart)."""
        from surveyapp.ops.children import follow_up

        return follow_up(self.ws, record_id, self.form)

    def previous_answers(self, record_id: str) -> dict[str, Any]:
        """Answers earlier form versions asked and the current one does not."""
        data = self.child_answers(record_id).get("previous_answers")
        return dict(data) if isinstance(data, dict) else {}

    def save_visit(self, record_id: str | None, submission: dict[str, Any]) -> str:
        """Save a screening or follow-up visit through ``ops.children.save_visit``, as the
        CLI does: the answers are checked against the form again there, and a bad answer
        is refused (CHILD_001) the same way from both faces. Returns the record id."""
        from surveyapp.ops import children

        # new_anyway: the form view already showed the same-ID warning with a link to the
        # file on record while the ID was typed (formview/idcheck.py), the desktop's
        # counterpart of the CLI's CHILD_003 refusal and --new-anyway.
        child_id = children.save_visit(self.ws, submission, child_id=record_id,
                                       form_path=self.form_path, source="form", lang=self.lang,
                                       new_anyway=True)
        self._last_defaults = {k: submission.get(k, "") for k in CARRY_OVER}
        return str(child_id)

    def same_id_on_file(self, id_number: str, other_than: str | None = None) -> list[Any]:
        """The child files here that already carry this ID number (catch a second file)."""
        from surveyapp.ops.children import same_id_on_file

        return same_id_on_file(self.ws, id_number, other_than=other_than)

    def last_saved_defaults(self) -> dict[str, Any] | None:
        return dict(self._last_defaults) or None

    def record_exit(self, record_id: str, reason: str, date: str, note: str) -> None:
        from surveyapp.ops import children

        children.record_exit(self.ws, record_id, reason, date, note)

    def person_files(self, record_id: str) -> Any:
        """Which person this file belongs to and that person's other files (ops.review)."""
        from surveyapp.ops.review import person_files

        return person_files(self.ws, record_id)

    def child_row(self, record_id: str) -> Any:
        return self.ws.get_child(record_id)

    def child_answers(self, record_id: str) -> dict[str, Any]:
        """The head revision's answers (with calculates and status); {} when unknown."""
        row = self.ws.get_child(record_id)
        data = field_of(row, "data", None)
        return dict(data) if data else {}

    def history(self, record_id: str) -> list[str]:
        """The child's revisions, newest first, as one line each. An author from another
        device is shown with that device's unit: a name is only a user of its own device."""
        from surveyapp.core.trust import keystore

        devices = keystore.devices(self.ws)
        out = []
        for entry in self.ws.child_history(record_id):
            author = str(entry.author)
            device = str(getattr(entry, "device_id", "") or "")
            if device and device != getattr(self.ws, "device_id", device):
                known = devices.get(device)
                author += f"（{known.org_name or known.org_code if known else device[:8]}）"
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
                    # the sheet too, when the ledger's table was on several sheets
                    " · ".join(x for x in (entry.import_file,
                                           getattr(entry, "import_sheet", "")) if x),
                    entry.import_row,
                )
            out.append(f"{when}  {author}  {what}")
        return out

    # --- the audit log (ops.audit): who saw which child -----------------------------------
    def note_read(self, record_id: str, what: str = "child") -> None:
        """A child file opened (``child``) or its PDF written (``dossier``)."""
        from surveyapp.ops.audit import record_read

        record_read(self.ws, what, record_id, via="app")

    def note_search(self, text: str, count: int) -> bool:
        """A search by ID number applied to the list (one entry per search)."""
        from surveyapp.ops.audit import note_search

        return note_search(self.ws, text, count, via="app")

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
