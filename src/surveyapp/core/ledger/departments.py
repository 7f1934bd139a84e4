"""Department lists (部门名单): one preset per department, each with only the fields
that department needs (data minimisation), ID and phone numbers masked unless the
exporting role may see them.

``PRESETS`` maps ``education``, ``health``, ``police``, ``disabled``, ``volunteers`` and
``unenrolled`` (应保未保, for civil affairs) to a :class:`DepartmentPreset`;
``export_department(rows, path, "health", labels=..., county_name=..., role="county",
reveal=False, password=None, fmt="xlsx")`` writes one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from surveyapp.core.ledger.codes import LedgerCode
from surveyapp.core.ledger.columns import (
    G_BASIC,
    G_CARE,
    G_CATEGORY,
    G_PARENTS,
    G_SUPPORT,
    G_SURVEY,
    C,
    Column,
    to_int,
)
from surveyapp.core.ledger.files import Cancelled, Progress
from surveyapp.core.ledger.labels import FormLabels
from surveyapp.core.ledger.ledger import ExportResult, Format, Table, export_table
from surveyapp.core.ledger.query import ChildQuery
from surveyapp.core.ledger.safetynet import gaps
from surveyapp.errors import SurveyError

Row = Mapping[str, Any]

_IDENT = (
    C("seq", "序号", G_BASIC, 6, "seq"),
    C("township_code", "乡镇（街道）", G_BASIC, 12, "township"),
    C("village_code", "村（居）", G_BASIC, 11, "village"),
    C("child_name", "姓名", G_BASIC, 8),
    C("sex", "性别", G_BASIC, 5, "choice"),
    C("birth_date", "出生日期", G_BASIC, 11, "date"),
    C("age_years", "年龄", G_BASIC, 5, "int"),
)
_ID = C("id_number", "公民身份号码", G_BASIC, 20, "id")
_ADDRESS = C("current_address", "现居住地址", G_BASIC, 26)
_CARER = (
    C("carer_name", "照料人姓名", G_CARE, 9),
    C("carer_relation", "与儿童关系", G_CARE, 8),
    C("carer_phone", "照料人电话", G_CARE, 13, "phone"),
)
_URGENT = C("urgent_report", "强制报告", G_CATEGORY, 6, "choice")
_SURVEY = (
    C("survey_date", "排查日期", G_SURVEY, 11, "date"),
    C("surveyor_name", "排查人", G_SURVEY, 8),
)


def _has(row: Row, key: str, *values: str) -> bool:
    return bool(set(str(row.get(key) or "").split()) & set(values))


def _active(row: Row) -> bool:
    return (row.get("status") or "active") == "active"


def _education(row: Row) -> bool:
    age = to_int(row.get("age_years"))
    out_of_school = _has(row, "school_status", "dropped_out", "never_enrolled")
    school_age = age is not None and 6 <= age <= 17
    return _active(row) and (
        (out_of_school and school_age) or _has(row, "risk_signs", "dropout_risk")
    )


def _health(row: Row) -> bool:
    # Only the child's own health: a family difficulty 就医 is another member's illness,
    # and being uninsured is a safety-net gap (the unenrolled list), not a health need.
    return _active(row) and (
        _has(row, "health_status", "ill", "serious_illness", "disabled")
        or _has(row, "needs", "medical", "rehab")
    )


def _unenrolled(row: Row) -> bool:
    return _active(row) and bool(gaps(row))


def _police(row: Row) -> bool:
    return _active(row) and row.get("urgent_report") == "yes"


def _disabled(row: Row) -> bool:
    return _active(row) and (
        row.get("health_status") == "disabled" or row.get("has_disability_cert") == "yes"
    )


def _volunteers(row: Row) -> bool:
    return _active(row) and row.get("is_left_behind") == "yes"


@dataclass(frozen=True, slots=True)
class DepartmentPreset:
    """One department's list.

    :param key: the preset name used by the CLI.
    :param department: the receiving department (Chinese).
    :param title: the list title.
    :param columns: the only fields sent.
    :param select: which children the department needs.
    :param reveal_roles: workspace roles that may send full ID and phone numbers.
    """

    key: str
    department: str
    title: str
    columns: tuple[Column, ...]
    select: Callable[[Row], bool]
    reveal_roles: frozenset[str]


PRESETS: Mapping[str, DepartmentPreset] = {
    p.key: p
    for p in (
        DepartmentPreset(
            "education", "教育部门", "失学辍学及辍学风险儿童名单",
            (*_IDENT, _ID, _ADDRESS,
             C("school_status", "就学状况", G_BASIC, 8, "choice"),
             C("school_name", "就读学校", G_BASIC, 16),
             C("risk_signs", "风险情形", G_CATEGORY, 16, "choice"),
             C("category_label", "儿童类别", G_CATEGORY, 20), _URGENT,
             *_CARER, *_SURVEY),
            _education, frozenset({"county"}),
        ),
        DepartmentPreset(
            "health", "卫生健康部门", "医疗救治及健康帮扶需求儿童名单",
            (*_IDENT, _ID, _ADDRESS,
             C("health_status", "健康状况", G_BASIC, 8, "choice"),
             C("disability_type", "残疾类别", G_BASIC, 8, "choice"),
             C("medical_insurance", "城乡居民医保", G_SUPPORT, 7, "choice"),
             C("medical_assistance", "医疗救助", G_SUPPORT, 6, "choice"),
             C("needs", "帮扶需求", G_CATEGORY, 16, "choice"), _URGENT,
             *_CARER, *_SURVEY),
            _health, frozenset({"county"}),
        ),
        DepartmentPreset(
            "police", "公安机关、人民检察院", "强制报告及紧急保护儿童名单",
            (*_IDENT, _ID, _ADDRESS,
             C("risk_signs", "风险情形", G_CATEGORY, 18, "choice"),
             C("category_label", "儿童类别", G_CATEGORY, 20), _URGENT,
             C("father_name", "父亲姓名", G_PARENTS, 8),
             C("father_status", "父亲状况", G_PARENTS, 12, "choice"),
             C("mother_name", "母亲姓名", G_PARENTS, 8),
             C("mother_status", "母亲状况", G_PARENTS, 12, "choice"),
             C("carer_type", "实际照料人", G_CARE, 12, "choice"),
             *_CARER, *_SURVEY,
             C("remarks", "备注", G_SURVEY, 20)),
            _police, frozenset({"county", "township"}),
        ),
        DepartmentPreset(
            "disabled", "残疾人联合会", "残疾儿童名单",
            (*_IDENT, _ID, _ADDRESS,
             C("disability_type", "残疾类别", G_BASIC, 8, "choice"),
             C("disability_grade", "残疾等级", G_BASIC, 7, "choice"),
             C("has_disability_cert", "持残疾人证", G_BASIC, 7, "choice"),
             C("disability_subsidies", "残疾人两项补贴", G_SUPPORT, 8, "choice"),
             C("needs", "帮扶需求", G_CATEGORY, 16, "choice"), _URGENT,
             *_CARER, *_SURVEY),
            _disabled, frozenset({"county"}),
        ),
        DepartmentPreset(
            "volunteers", "妇联、共青团（志愿者关爱）", "农村留守儿童关爱走访名单",
            (*_IDENT, _ADDRESS,
             C("school_name", "就读学校", G_BASIC, 16),
             C("contact_frequency", "与父母联系频率", G_PARENTS, 8, "choice"),
             C("carer_type", "实际照料人", G_CARE, 12, "choice"),
             *_CARER,
             C("needs", "帮扶需求", G_CATEGORY, 16, "choice"), _URGENT,
             C("survey_date", "排查日期", G_SURVEY, 11, "date")),
            _volunteers, frozenset(),
        ),
        DepartmentPreset(
            "unenrolled", "民政部门（会同医保、残联等）", "应保未保儿童名单",
            (*_IDENT, _ID, _ADDRESS,
             C("gaps", "应保未保项目", G_SUPPORT, 24, "gaps"),
             C("family_dibao", "低保", G_SUPPORT, 5, "choice"),
             C("family_tekun", "特困", G_SUPPORT, 5, "choice"),
             C("orphan_allowance", "孤儿生活费", G_SUPPORT, 6, "choice"),
             C("unsupported_allowance", "事实无人抚养补贴", G_SUPPORT, 7, "choice"),
             C("disability_subsidies", "残疾人两项补贴", G_SUPPORT, 7, "choice"),
             C("medical_insurance", "城乡居民医保", G_SUPPORT, 6, "choice"),
             C("category_label", "儿童类别", G_CATEGORY, 20), _URGENT,
             *_CARER, *_SURVEY),
            _unenrolled, frozenset({"county"}),
        ),
    )
}


def get_preset(key: str) -> DepartmentPreset:
    """The preset called ``key``.

    :raises SurveyError: LEDGER_002 for an unknown name.
    """
    try:
        return PRESETS[key]
    except KeyError:
        raise SurveyError(
            LedgerCode.LEDGER_002, preset=key, known=", ".join(PRESETS)
        ) from None


def export_department(
    rows: Iterable[Row],
    path: str | Path,
    preset: str,
    *,
    labels: FormLabels,
    county_name: str,
    role: str,
    reveal: bool = False,
    query: ChildQuery | None = None,
    fmt: Format = "xlsx",
    password: str | None = None,
    now: datetime | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancel: Cancelled | None = None,
) -> ExportResult:
    """Write one department's list of the children in ``rows``.

    :param rows: child rows (see ``surveyapp.core.ledger.ledger``).
    :param path: the .xlsx or .csv file to write.
    :param preset: ``education``, ``health``, ``police``, ``disabled``, ``volunteers`` or
        ``unenrolled``.
    :param labels: choice labels.
    :param county_name: shown in the title and the page header.
    :param role: the exporting workspace's role (``village``, ``township``, ``county``).
    :param reveal: send full ID and phone numbers (only for the preset's reveal roles).
    :param query: a further scope (township, village) and filters.
    :param fmt: ``xlsx`` or ``csv``.
    :param password: password-protect the .xlsx.
    :raises SurveyError: LEDGER_002 (unknown preset), LEDGER_003 (role may not reveal),
        and the errors of ``export_ledger``.
    """
    spec = get_preset(preset)
    if reveal and role not in spec.reveal_roles:
        raise SurveyError(LedgerCode.LEDGER_003, role=role, preset=spec.department)
    base = query or ChildQuery()
    selected = (row for row in base.select(rows) if spec.select(row))
    title = f"{county_name}{spec.title}（报送：{spec.department}）"
    table = Table("名单", title, spec.columns, ChildQuery(), printed=True)
    return export_table(
        selected, path, table, labels=labels, county_name=county_name,
        fmt=fmt, mask=not reveal, password=password, now=now, overwrite=overwrite,
        progress=progress, cancel=cancel,
    )
