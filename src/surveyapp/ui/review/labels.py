"""Field and value labels for the review screens, from the screening form.

``FieldLabels.load(lang)`` reads ``forms/child_screening.xlsx`` once; ``field(name)`` is the
question's label in the UI language (``儿童姓名``), ``value(name, value)`` turns a stored
answer into what a person reads (choice labels, ``select_multiple`` joined with "、"), and
``village(code)`` names a village code. Unknown names fall back to the raw text, so a record
made with another form version still shows.
"""

from __future__ import annotations

from collections.abc import Mapping
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

    @staticmethod
    def load(lang: str = "zh", path: Path = FORM_PATH) -> FieldLabels:
        """The labels of the shipped form; raw names when it cannot be read.

        Parsing the form takes about half a second: call this on a worker thread (the
        review widgets do it inside their background ``refresh``), or use :meth:`ready`.
        """
        key = (lang, str(path))
        if key not in _LOADED:
            _LOADED[key] = FieldLabels(_read_form(path), lang)
        return _LOADED[key]

    @staticmethod
    def ready(lang: str = "zh", path: Path = FORM_PATH) -> FieldLabels:
        """The labels if already loaded, else raw names (never blocks on the form)."""
        return _LOADED.get((lang, str(path))) or FieldLabels(None, lang)

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


def _read_form(path: Path) -> Any:
    from surveyapp.core.forms import load_form

    try:
        return load_form(path)
    except SurveyError:
        return None
