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
    """

    choices: Mapping[str, Mapping[str, str]]
    lists: Mapping[str, str]
    lang: str = "zh"
    multi_sep: str = "、"
    multiple: frozenset[str] = field(default_factory=frozenset)
    parents: Mapping[str, str] = field(default_factory=dict)

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
                   parents=parents)

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
