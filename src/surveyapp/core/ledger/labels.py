"""Chinese (or English) labels for the form's choice values, read from the form itself.

``FormLabels.from_form(path, lang="zh")`` loads the form with the forms engine
(``FormLabels.from_model(form)`` takes an already loaded one), so that a ledger shows
省外外出务工 rather than ``away_out_province``, and a county that renames a label in its
form sees the new label in its exports. ``FormLabels(choices, lists)`` builds one from
plain mappings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveyapp.core.forms.model import Form, Group, Question, Repeat, text_in

#: Values of the form's own calculates, which have no choice list.
BUILTIN: Mapping[str, Mapping[str, str]] = {
    "zh": {"yes": "是", "no": "否", "high": "高", "medium": "中", "low": "低"},
    "en": {"yes": "Yes", "no": "No", "high": "High", "medium": "Medium", "low": "Low"},
}

#: Record statuses kept by the store, shown in the ledger's 状态 column.
STATUS_LABELS: Mapping[str, Mapping[str, str]] = {
    "zh": {"active": "在册", "exited": "已退出", "conflict": "待核对", "": "在册"},
    "en": {"active": "On file", "exited": "Exited", "conflict": "To review", "": "On file"},
}


#: Calculates worth showing in a dossier (the rest are intermediate steps).
SHOWN_CALCULATES = frozenset({
    "age_years", "is_left_behind", "is_orphan", "is_unsupported", "dk_poverty",
    "dk_disability", "dk_guardianship", "is_in_difficulty", "urgent_report", "risk_level",
    "category_label", "follow_up_days", "sibling_count",
})


@dataclass(frozen=True, slots=True)
class Section:
    """A top-level group (or repeat) of the form: its label and its questions in order.

    :param name: the group name (``child``, ``siblings``...).
    :param label: the group label (``二、儿童基本情况``).
    :param questions: ``(question name, label)`` pairs.
    :param repeat: true for a repeat (its answer is a list of dicts).
    """

    name: str
    label: str
    questions: tuple[tuple[str, str], ...]
    repeat: bool = False


@dataclass(frozen=True, slots=True)
class FormLabels:
    """Labels of choice values per question.

    :param choices: list name -> choice name -> label.
    :param lists: question name -> list name (select_one / select_multiple questions).
    :param lang: ``zh`` or ``en``; used for the built-in yes/no and risk labels.
    :param multi_sep: the separator between the labels of a select_multiple answer.
    :param multiple: the select_multiple questions.
    :param parents: village code -> township code (the ``township`` column of the
        ``village`` choices), so that statistics know every village, reported or not.
    :param sections: the form's top-level groups and repeats in order, each with its
        questions (notes and intermediate calculates left out), for the dossier.
    :param form: ``form_id@version`` of the form the labels come from (``""`` when built
        from plain mappings).
    :param older: for a value these labels do not know (a choice or a question a later
        form version removed), the labels of the form version that saved the row, or
        None (the ledger and department lists: ``surveyapp.ops.ledger``).
    """

    choices: Mapping[str, Mapping[str, str]]
    lists: Mapping[str, str]
    lang: str = "zh"
    multi_sep: str = "、"
    multiple: frozenset[str] = field(default_factory=frozenset)
    parents: Mapping[str, str] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()
    form: str = ""
    older: Callable[[Mapping[str, Any]], FormLabels | None] | None = field(
        default=None, compare=False, repr=False)

    @classmethod
    def from_form(cls, path: str | Path, lang: str = "zh") -> FormLabels:
        """Load the form at ``path`` with the forms engine and take its labels.

        :param path: an XLSForm .xlsx file.
        :param lang: the label language.
        :raises SurveyError: the forms engine's error when the form cannot be read.
        """
        from surveyapp.core.forms import load_form

        return cls.from_model(load_form(path), lang)

    @classmethod
    def from_model(cls, form: Form, lang: str = "zh") -> FormLabels:
        """The labels of a loaded form (``surveyapp.core.forms.Form``) in ``lang``.

        :param form: the form.
        :param lang: the label language (falls back to the form's default language).
        """
        fallback = form.default_language
        lists: dict[str, str] = {}
        multiple: set[str] = set()
        for question in form.questions():
            if question.type in ("select_one", "select_multiple") and question.choices:
                lists[question.name] = question.choices
                if question.type == "select_multiple":
                    multiple.add(question.name)
        choices = {
            list_name: {c.name: c.text(lang, fallback) for c in items}
            for list_name, items in form.choices.items()
        }
        parents = {c.name: c.get("township") for c in form.choices.get("village", ())
                   if c.get("township")}
        return cls(choices=choices, lists=lists, lang=lang, multiple=frozenset(multiple),
                   parents=parents, sections=_sections(form, lang),
                   form=f"{form.form_id}@{form.version}")

    def label(self, question: str, value: Any) -> str:
        """The label of ``value`` for ``question`` (labels joined for select_multiple).

        Unknown values are shown as they are, so that nothing is hidden.
        """
        if value is None:
            return ""
        text = str(value).strip()
        if not text:
            return ""
        table = self.choices.get(self.lists.get(question, ""), {})
        builtin = BUILTIN.get(self.lang, BUILTIN["zh"])
        if question in self.multiple or (" " in text and text not in table):
            return self.multi_sep.join(
                table.get(part, builtin.get(part, part)) for part in text.split()
            )
        return table.get(text, builtin.get(text, text))

    def knows(self, question: str, value: Any) -> bool:
        """True when every part of ``value`` has a label here (a choice of ``question``'s
        list, or a built-in yes/no/risk value)."""
        text = "" if value is None else str(value).strip()
        table = self.choices.get(self.lists.get(question, ""), {})
        builtin = BUILTIN.get(self.lang, BUILTIN["zh"])
        parts = text.split() if question in self.multiple or (
            " " in text and text not in table) else [text]
        return all(part in table or part in builtin for part in parts)

    def row_label(self, question: str, value: Any, row: Mapping[str, Any]) -> str:
        """:meth:`label`, or, for a value these labels do not know, the label from the
        form version that saved ``row`` (:attr:`older`) when that one knows it."""
        if self.older is None or value is None or value == "" or self.knows(question, value):
            return self.label(question, value)
        saved = self.older(row)
        return (saved if saved is not None else self).label(question, value)

    def villages(self) -> dict[str, tuple[str, str]]:
        """Every village of the form: code -> (name, township code)."""
        names = self.choices.get(self.lists.get("village_code", "village"), {})
        return {code: (name, self.parents.get(code, code[:9])) for code, name in names.items()}

    def status(self, value: Any) -> str:
        """The label of a record status (``active``, ``exited``…)."""
        table = STATUS_LABELS.get(self.lang, STATUS_LABELS["zh"])
        text = "" if value is None else str(value)
        return table.get(text, text)


def _shown(node: Any) -> bool:
    return isinstance(node, Question) and node.type != "note" and (
        node.type != "calculate" or node.name in SHOWN_CALCULATES)


def _sections(form: Form, lang: str) -> tuple[Section, ...]:
    fallback = form.default_language
    out: list[Section] = []
    for top in form.children:
        label = text_in(top.label, lang, fallback) or top.name
        if isinstance(top, Question):
            if _shown(top):
                out.append(Section(top.name, label, ((top.name, label),)))
            continue
        inner = [n for n in _descendants(top) if _shown(n)]
        out.append(Section(
            top.name, label,
            tuple((n.name, text_in(n.label, lang, fallback) or n.name) for n in inner),
            repeat=isinstance(top, Repeat),
        ))
    return tuple(out)


def _descendants(node: Group | Repeat) -> Iterator[Any]:
    for child in node.children:
        yield child
        if isinstance(child, Group | Repeat):
            yield from _descendants(child)
