"""Chinese (or English) labels for the form's choice values, read from the form itself.

``FormLabels.from_form(path, lang="zh")`` reads the ``survey`` and ``choices`` sheets of
an XLSForm with openpyxl (read-only) so that a ledger shows 省外外出务工 rather than
``away_out_province``, and a county that renames a label in its form sees the new label
in its exports. ``FormLabels(choices, lists)`` builds one from plain mappings (tests, or
another source such as the forms engine).
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveyapp.core.ledger.codes import LedgerCode
from surveyapp.errors import SurveyError

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
    """

    choices: Mapping[str, Mapping[str, str]]
    lists: Mapping[str, str]
    lang: str = "zh"
    multi_sep: str = "、"
    multiple: frozenset[str] = field(default_factory=frozenset)
    parents: Mapping[str, str] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()

    @classmethod
    def from_form(cls, path: str | Path, lang: str = "zh") -> FormLabels:
        """Read the labels of ``path``'s choices in ``lang`` (falls back to any label).

        :param path: an XLSForm .xlsx file.
        :param lang: the label language.
        :raises SurveyError: LEDGER_007 when the file cannot be read as a form.
        """
        import openpyxl  # Imported here: only exports that show labels need it.

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError) as err:
            raise SurveyError(LedgerCode.LEDGER_007, path=str(path), reason=str(err)) from err
        try:
            if "survey" not in book.sheetnames or "choices" not in book.sheetnames:
                raise SurveyError(
                    LedgerCode.LEDGER_007, path=str(path), reason="survey/choices sheet missing"
                )
            survey = _rows(book["survey"])
            choice_rows = _rows(book["choices"])
        finally:
            book.close()
        lists: dict[str, str] = {}
        multiple: set[str] = set()
        for row in survey:
            parts = str(row.get("type") or "").split()
            if len(parts) == 2 and parts[0] in ("select_one", "select_multiple"):
                lists[str(row.get("name") or "")] = parts[1]
                if parts[0] == "select_multiple":
                    multiple.add(str(row.get("name") or ""))
        choices: dict[str, dict[str, str]] = {}
        parents: dict[str, str] = {}
        for row in choice_rows:
            list_name = str(row.get("list_name") or "")
            name = row.get("name")
            if not list_name or name is None:
                continue
            label = row.get(f"label::{lang}") or row.get("label::zh") or row.get("label") or name
            choices.setdefault(list_name, {})[str(name)] = str(label)
            if list_name == "village" and row.get("township"):
                parents[str(name)] = str(row["township"])
        return cls(choices=choices, lists=lists, lang=lang, multiple=frozenset(multiple),
                   parents=parents, sections=_sections(survey, lang))

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

    def villages(self) -> dict[str, tuple[str, str]]:
        """Every village of the form: code -> (name, township code)."""
        names = self.choices.get(self.lists.get("village_code", "village"), {})
        return {code: (name, self.parents.get(code, code[:9])) for code, name in names.items()}

    def status(self, value: Any) -> str:
        """The label of a record status (``active``, ``exited``…)."""
        table = STATUS_LABELS.get(self.lang, STATUS_LABELS["zh"])
        text = "" if value is None else str(value)
        return table.get(text, text)


def _rows(sheet: Any) -> list[dict[str, Any]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return []
    keys = [str(h).strip() if h is not None else "" for h in header]
    return [dict(zip(keys, row, strict=False)) for row in rows if any(v is not None for v in row)]


def _sections(survey: list[dict[str, Any]], lang: str) -> tuple[Section, ...]:
    out: list[Section] = []
    depth = 0
    current: tuple[str, str, bool] | None = None
    questions: list[tuple[str, str]] = []
    for row in survey:
        kind = str(row.get("type") or "").strip()
        name = str(row.get("name") or "")
        label = str(row.get(f"label::{lang}") or row.get("label::zh") or row.get("label") or name)
        if kind in ("begin group", "begin repeat", "begin_group", "begin_repeat"):
            if depth == 0:
                current, questions = (name, label, "repeat" in kind), []
            depth += 1
        elif kind in ("end group", "end repeat", "end_group", "end_repeat"):
            depth -= 1
            if depth == 0 and current is not None:
                out.append(Section(current[0], current[1], tuple(questions), current[2]))
                current = None
        elif kind and kind != "note" and (kind != "calculate" or name in SHOWN_CALCULATES):
            target = questions if depth else []
            target.append((name, label))
            if depth == 0:
                out.append(Section(name, label, ((name, label),)))
    return tuple(out)
