"""Field and value labels for the review screens, from the screening form.

``FieldLabels.load(lang, ws=ws)`` reads the workspace's current form (the one the county
sent, else the shipped ``forms/child_screening.xlsx``) once; ``field(name)`` is the
question's label in the UI language (``儿童姓名``), ``value(name, value)`` turns a stored
answer into what a person reads (choice labels, ``select_multiple`` joined with "、"), and
``village(code)`` names a village code. ``with_versions(ws, pairs)`` adds the labels of the
form versions revisions were saved under (``ops.forms.FormResolver``: that version when
the workspace holds it, else its current form, else the shipped one), and
``of(revision)`` picks a revision's. Unknown names fall back to the raw text, so a record
made with a form version nobody has still shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from surveyapp.errors import SurveyError
from surveyapp.paths import FORM_PATH

# Evidence keys of a duplicate candidate that are not question names.
_EXTRA = {
    "zh": {
        "name": "姓名",
        "pinyin": "姓名拼音",
        "guardian": "监护人/父母姓名",
        "village_code": "村",
        "status": "状态",
        "last_visit_date": "最近走访",
    },
    "en": {
        "name": "Name",
        "pinyin": "Pinyin",
        "guardian": "Guardian/parent",
        "village_code": "Village",
        "status": "Status",
        "last_visit_date": "Last visit",
    },
}

# Values of calculated fields that have no choice list in the form.
_CALCULATED = {
    "zh": {
        "risk_level": {"high": "高", "medium": "中", "low": "低"},
        "status": {"active": "在册", "exited": "已退出", "deleted": "已删除"},
        "_yes_no": {"yes": "是", "no": "否"},
    },
    "en": {
        "risk_level": {"high": "High", "medium": "Medium", "low": "Low"},
        "status": {"active": "Active", "exited": "Exited", "deleted": "Deleted"},
        "_yes_no": {"yes": "Yes", "no": "No"},
    },
}


def local_time(stamp: str) -> str:
    """A stored UTC timestamp (``2026-07-01T02:30:00.000000Z``) as local ``YYYY-MM-DD HH:MM``."""
    import datetime as dt

    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


def _text(texts: Any, lang: str) -> str:
    if isinstance(texts, Mapping):
        return str(texts.get(lang) or texts.get("zh") or next(iter(texts.values()), ""))
    return "" if texts is None else str(texts)


class FieldLabels:
    """Labels of fields and choices in one language (``zh`` or ``en``)."""

    def __init__(self, form: Any, lang: str) -> None:
        self.form = form
        self.lang = lang
        self.versions: dict[tuple[str, str], FieldLabels] = {}

    @staticmethod
    def load(lang: str = "zh", path: Path | None = None, *, ws: Any = None) -> FieldLabels:
        """The labels of the form at ``path``, else of the current form of ``ws``, else of
        the shipped form; raw names when it cannot be read.

        Parsing the form takes about half a second: call this on a worker thread (the
        review widgets do it inside their background ``refresh``), or use :meth:`ready`.
        """
        if path is None:
            path = _current_path(ws)
        key = (lang, str(path))
        if key not in _LOADED:
            _LOADED[key] = FieldLabels(_read_form(path), lang)
        _LAST[lang] = _LOADED[key]
        return _LOADED[key]

    @staticmethod
    def ready(lang: str = "zh", path: Path | None = None) -> FieldLabels:
        """The labels if already loaded (those of ``path``, else the last loaded in
        ``lang``), else raw names (never blocks on the form)."""
        found = _LAST.get(lang) if path is None else _LOADED.get((lang, str(path)))
        return found or FieldLabels(None, lang)

    def with_versions(self, ws: Any, pairs: Iterable[tuple[str, str]]) -> FieldLabels:
        """A copy that also holds the labels of each ``(form_id, version)`` in ``pairs``,
        each resolved once (``ops.forms.FormResolver``, with this form as the fallback).
        Reads the store and parses forms: call it on a worker thread."""
        from surveyapp.ops.forms import FormResolver

        out = FieldLabels(self.form, self.lang)
        resolver = FormResolver(ws, current=self.form if self.form is not None else None)
        by_form: dict[int, FieldLabels] = {}
        for form_id, version in set(pairs):
            try:
                found = resolver.resolve(str(form_id), str(version)).form
            except SurveyError:
                continue
            if found is self.form:
                out.versions[(str(form_id), str(version))] = out
                continue
            labels = by_form.setdefault(id(found), FieldLabels(found, self.lang))
            out.versions[(str(form_id), str(version))] = labels
        return out

    def of(self, revision: Any) -> FieldLabels:
        """The labels of the form version ``revision`` (anything with ``form_id`` and
        ``form_version``) was saved under, when :meth:`with_versions` loaded it; else these."""
        key = (str(getattr(revision, "form_id", "")), str(getattr(revision, "form_version", "")))
        return self.versions.get(key, self)

    def field(self, name: str) -> str:
        extra = _EXTRA.get(self.lang, _EXTRA["zh"])
        if name in extra:
            return extra[name]
        node = self._node(name)
        label = _text(getattr(node, "label", None), self.lang) if node is not None else ""
        return label or name

    def value(self, name: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if name == "village_code":
            return self.village(str(value))
        node = self._node(name)
        list_name = getattr(node, "choices", "") if node is not None else ""
        if not list_name or self.form is None:
            calculated = _CALCULATED.get(self.lang, _CALCULATED["zh"])
            table = calculated.get(name) or (
                calculated["_yes_no"]
                if name.startswith(("is_", "dk_")) or name == "urgent_report"
                else {}
            )
            return table.get(str(value), str(value))
        labels = {c.name: _text(c.label, self.lang) for c in self.form.choices.get(list_name, ())}
        parts = (
            str(value).split() if getattr(node, "type", "") == "select_multiple" else [str(value)]
        )
        return "、".join(labels.get(p, p) for p in parts)

    def village(self, code: str) -> str:
        return self._choice_label("village", code)

    def org(self, code: str) -> str:
        """A township's or village's name from its admin code."""
        return self._choice_label("township", code) if len(code) == 9 else self.village(code)

    def _choice_label(self, list_name: str, code: str) -> str:
        if self.form is None or not code:
            return code
        for choice in self.form.choices.get(list_name, ()):
            if choice.name == code:
                return _text(choice.label, self.lang) or code
        return code

    def _node(self, name: str) -> Any:
        if self.form is None:
            return None
        try:
            return self.form.question(name)
        except SurveyError:
            return None


_LOADED: dict[tuple[str, str], FieldLabels] = {}
_LAST: dict[str, FieldLabels] = {}


def _current_path(ws: Any) -> Path:
    """The .xlsx of the form ``ws`` uses (``ops.forms.current_form_path``), else the
    shipped one."""
    if ws is None:
        return FORM_PATH
    from surveyapp.ops.forms import current_form_path

    try:
        return current_form_path(ws)
    except (SurveyError, AttributeError, TypeError, ValueError):
        return FORM_PATH


def _read_form(path: Path) -> Any:
    from surveyapp.core.forms import load_form

    try:
        return load_form(path)
    except SurveyError:
        return None
