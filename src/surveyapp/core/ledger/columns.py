"""The columns of the ledger and the department lists, and how a child row becomes cells.

A ``Column`` names its source field (a form question or a metadata key), its Chinese
header, the header group it sits under, its width in characters and its ``kind``, which
decides how the value is shown: ``text``, ``choice`` (label from the form; a value the
form no longer knows, from the version that saved the row: ``FormLabels.older``), ``date`` (a
real date), ``int``, ``id`` and ``phone`` (text, masked when asked), ``seq`` (the row
number), ``township``/``village`` (names), ``status``, ``difficulty`` (the 困境 kinds,
with 孤儿 and 事实无人抚养), ``parent`` (a parent's status with the place worked away) and
``health`` (health status with the disability type and grade), ``due`` (the next visit:
``follow_up_due``, else the survey date plus the form's ``follow_up_days``), ``gaps`` (the
safety nets the child meets the condition of but is not in: ``safetynet.py``), ``exit``
(the exit reason, in words).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from surveyapp.core.ledger.labels import BUILTIN, FormLabels
from surveyapp.core.ledger.masking import mask_id, mask_phone
from surveyapp.core.ledger.safetynet import gaps

Kind = Literal[
    "text", "choice", "date", "int", "id", "phone", "seq",
    "township", "village", "status", "difficulty", "parent", "health", "due", "gaps",
    "exit",
]
Row = Mapping[str, Any]
Cell = str | int | date | None


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an export.

    :param source: the row key read (a question name or a metadata key).
    :param header: the Chinese header text.
    :param group: the header group above it (the first header row).
    :param width: the column width in characters.
    :param kind: how the value is shown (see the module docstring).
    """

    source: str
    header: str
    group: str
    width: float
    kind: Kind = "text"


def C(source: str, header: str, group: str, width: float, kind: Kind = "text") -> Column:
    """Shorthand for a :class:`Column`."""
    return Column(source, header, group, width, kind)


G_BASIC = "基本信息"
G_PARENTS = "父母情况"
G_CARE = "监护照料"
G_SUPPORT = "保障情况"
G_CATEGORY = "类别与风险"
G_SURVEY = "排查信息"

#: The county ledger, in the order a civil-affairs ledger is filed (printed on A3).
LEDGER_COLUMNS: tuple[Column, ...] = (
    C("seq", "序号", G_BASIC, 5, "seq"),
    C("township_code", "乡镇（街道）", G_BASIC, 10, "township"),
    C("village_code", "村（居）", G_BASIC, 9, "village"),
    C("child_name", "姓名", G_BASIC, 7),
    C("sex", "性别", G_BASIC, 4, "choice"),
    C("ethnicity", "民族", G_BASIC, 5, "choice"),
    C("birth_date", "出生日期", G_BASIC, 10.5, "date"),
    C("age_years", "年龄", G_BASIC, 4, "int"),
    C("id_number", "公民身份号码", G_BASIC, 19.5, "id"),
    C("hukou_type", "户籍类型", G_BASIC, 6, "choice"),
    C("current_address", "现居住地址", G_BASIC, 22),
    C("school_status", "就学状况", G_BASIC, 7, "choice"),
    C("health_status", "健康状况", G_BASIC, 9, "health"),
    C("father_name", "父亲姓名", G_PARENTS, 7),
    C("father_status", "父亲状况（外出地点）", G_PARENTS, 15, "parent"),
    C("father_phone", "父亲电话", G_PARENTS, 12, "phone"),
    C("mother_name", "母亲姓名", G_PARENTS, 7),
    C("mother_status", "母亲状况（外出地点）", G_PARENTS, 15, "parent"),
    C("mother_phone", "母亲电话", G_PARENTS, 12, "phone"),
    C("contact_frequency", "联系频率", G_PARENTS, 5, "choice"),
    C("carer_type", "实际照料人", G_CARE, 10, "choice"),
    C("carer_name", "照料人姓名", G_CARE, 7),
    C("carer_health", "照料人健康", G_CARE, 6, "choice"),
    C("carer_phone", "照料人电话", G_CARE, 12, "phone"),
    C("guardianship_assessment", "监护评估", G_CARE, 5, "choice"),
    C("family_dibao", "低保", G_SUPPORT, 4, "choice"),
    C("family_tekun", "特困", G_SUPPORT, 4, "choice"),
    C("orphan_allowance", "孤儿生活费", G_SUPPORT, 5, "choice"),
    C("unsupported_allowance", "事实无人抚养补贴", G_SUPPORT, 6, "choice"),
    C("disability_subsidies", "残疾人两项补贴", G_SUPPORT, 6, "choice"),
    C("medical_insurance", "城乡居民医保", G_SUPPORT, 5, "choice"),
    C("medical_assistance", "医疗救助", G_SUPPORT, 5, "choice"),
    C("education_aid", "教育资助", G_SUPPORT, 5, "choice"),
    C("is_left_behind", "留守儿童", G_CATEGORY, 5, "choice"),
    C("is_in_difficulty", "困境儿童", G_CATEGORY, 5, "choice"),
    C("difficulty", "困境类别", G_CATEGORY, 11, "difficulty"),
    C("risk_level", "风险等级", G_CATEGORY, 5, "choice"),
    C("urgent_report", "强制报告", G_CATEGORY, 5, "choice"),
    C("risk_signs", "风险情形", G_CATEGORY, 11, "choice"),
    C("survey_date", "排查日期", G_SURVEY, 10.5, "date"),
    C("surveyor_name", "排查人", G_SURVEY, 6),
    C("follow_up_due", "下次走访", G_SURVEY, 10.5, "due"),
    C("status", "状态", G_SURVEY, 5, "status"),
    C("exit_date", "退出日期", G_SURVEY, 10.5, "date"),
    C("exit_reason", "退出原因", G_SURVEY, 8, "exit"),
    C("remarks", "备注", G_SURVEY, 12),
)

#: The store's exit reasons (``EXIT_REASONS``) in words.
EXIT_LABELS: Mapping[str, Mapping[str, str]] = {
    "zh": {"aged_out": "年满18周岁", "parents_returned": "父母返乡", "moved_away": "迁出",
           "died": "死亡", "other": "其他"},
    "en": {"aged_out": "Turned 18", "parents_returned": "Parents returned",
           "moved_away": "Moved away", "died": "Died", "other": "Other"},
}

_DIFFICULTY = (("dk_poverty", "贫困"), ("dk_disability", "残疾"), ("dk_guardianship", "监护缺失"),
               ("is_orphan", "孤儿"), ("is_unsupported", "事实无人抚养"))
_DIFFICULTY_EN = (("dk_poverty", "poverty"), ("dk_disability", "disability"),
                  ("dk_guardianship", "guardianship"), ("is_orphan", "orphan"),
                  ("is_unsupported", "unsupported"))


def to_date(value: Any) -> date | None:
    """A ``date`` from a date, a datetime or ``YYYY-MM-DD`` text; ``None`` otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def to_int(value: Any) -> int | None:
    """An ``int`` from an int or numeric text (``"9"``, ``"9.0"``); ``None`` otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str) and value.strip():
        try:
            return int(float(value))
        except ValueError:
            return None
    return None


@dataclass(frozen=True, slots=True)
class CellMaker:
    """Turns child rows into the cell values of a list of columns.

    :param columns: the columns, in order.
    :param labels: choice labels.
    :param mask: mask ID and phone numbers.
    """

    columns: Sequence[Column]
    labels: FormLabels
    mask: bool = False
    _plan: tuple[tuple[Column, Mapping[str, str] | None], ...] = field(
        init=False, repr=False, compare=False, default=()
    )

    def __post_init__(self) -> None:
        # A label table per single-choice column, so that the common case is one lookup.
        plan = []
        for col in self.columns:
            table: Mapping[str, str] | None = None
            if col.kind == "choice" and col.source not in self.labels.multiple:
                builtin = BUILTIN.get(self.labels.lang, BUILTIN["zh"])
                listed = self.labels.choices.get(self.labels.lists.get(col.source, ""), {})
                table = {**builtin, **listed}
            plan.append((col, table))
        object.__setattr__(self, "_plan", tuple(plan))

    def cells(self, row: Row, seq: int) -> list[Cell]:
        """The cell values of ``row``, which is the ``seq``-th row of the list."""
        out: list[Cell] = []
        get = row.get
        for col, table in self._plan:
            if col.kind == "text":
                value = get(col.source)
                out.append(value if isinstance(value, str) else "" if value is None else str(value))
            elif table is not None:
                value = get(col.source)
                label = table.get(value) if isinstance(value, str) else None
                out.append(label if label is not None
                           else self.labels.row_label(col.source, value, row))
            else:
                out.append(self.cell(col, row, seq))
        return out

    def cell(self, col: Column, row: Row, seq: int) -> Cell:
        kind = col.kind
        value = row.get(col.source)
        if kind == "text":
            return "" if value is None else str(value)
        if kind == "choice":
            return self.labels.row_label(col.source, value, row)
        if kind == "date":
            return to_date(value)
        if kind == "due":
            return to_date(value) or self.due(row)
        if kind == "int":
            return to_int(value)
        if kind == "id":
            text = "" if value is None else str(value)
            return mask_id(text) if self.mask else text
        if kind == "phone":
            text = "" if value is None else str(value)
            return mask_phone(text) if self.mask else text
        if kind == "seq":
            return seq
        if kind in ("township", "village"):
            name = row.get(f"{kind}_name")
            return str(name) if name else self.labels.label(col.source, value)
        if kind == "status":
            return self.labels.status(value)
        if kind == "exit":
            text = "" if value is None else str(value)
            return EXIT_LABELS.get(self.labels.lang, EXIT_LABELS["zh"]).get(text, text)
        if kind == "parent":
            text = self.labels.row_label(col.source, value, row)
            place = row.get(col.source.replace("_status", "_away_place"))
            return f"{text}（{place}）" if place else text
        if kind == "gaps":
            return "、".join(gaps(row))
        if kind == "health":
            text = self.labels.row_label(col.source, value, row)
            extra = [self.labels.row_label(key, row.get(key), row)
                     for key in ("disability_type", "disability_grade") if row.get(key)]
            return f"{text}（{'，'.join(extra)}）" if extra else text
        return self.difficulty(row)

    def due(self, row: Row) -> date | None:
        """The survey date plus ``follow_up_days``, when the row has no due date."""
        surveyed, days = to_date(row.get("survey_date")), to_int(row.get("follow_up_days"))
        if surveyed is None or days is None:
            return None
        return surveyed + timedelta(days=days)

    def difficulty(self, row: Row) -> str:
        """The 困境 kinds of a row, e.g. ``贫困、残疾``."""
        pairs = _DIFFICULTY if self.labels.lang == "zh" else _DIFFICULTY_EN
        return self.labels.multi_sep.join(text for key, text in pairs if row.get(key) == "yes")
