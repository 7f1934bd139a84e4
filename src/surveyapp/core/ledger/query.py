"""Which children a list covers: a scope (county, township or village) and filters.

``ChildQuery(township_code=None, village_code=None, categories=(), risk_levels=(),
statuses=())`` matches rows; categories are the form's flags (``left_behind``,
``in_difficulty``, ``orphan``, ``unsupported``, ``poverty``, ``disability``,
``guardianship``, ``urgent``), a row matching any of the given ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from surveyapp.core.ledger.codes import LedgerCode
from surveyapp.errors import SurveyError

#: Category name -> the form flag that is 'yes' for it.
CATEGORY_FLAGS: Mapping[str, str] = {
    "left_behind": "is_left_behind",
    "in_difficulty": "is_in_difficulty",
    "orphan": "is_orphan",
    "unsupported": "is_unsupported",
    "poverty": "dk_poverty",
    "disability": "dk_disability",
    "guardianship": "dk_guardianship",
    "urgent": "urgent_report",
}
RISK_LEVELS = ("high", "medium", "low")
STATUSES = ("active", "exited")


@dataclass(frozen=True, slots=True)
class ChildQuery:
    """A scope and filters over child rows.

    :param township_code: only this township (9-digit code), or the whole county.
    :param village_code: only this village (12-digit code).
    :param categories: any of :data:`CATEGORY_FLAGS`; empty means all.
    :param risk_levels: any of ``high``, ``medium``, ``low``; empty means all.
    :param statuses: any of ``active``, ``exited``; empty means all.
    :raises SurveyError: LEDGER_008 for an unknown category, risk level or status.
    """

    township_code: str | None = None
    village_code: str | None = None
    categories: tuple[str, ...] = ()
    risk_levels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check(self.categories, tuple(CATEGORY_FLAGS), "category / 类别")
        _check(self.risk_levels, RISK_LEVELS, "risk level / 风险等级")
        _check(self.statuses, STATUSES, "status / 状态")

    def matches(self, row: Mapping[str, Any]) -> bool:
        """Whether ``row`` is in scope and passes every filter."""
        if row.get("status") == "deleted":
            return False
        if self.village_code and str(row.get("village_code", "")) != self.village_code:
            return False
        if self.township_code and str(row.get("township_code", "")) != self.township_code:
            return False
        if self.categories and not any(
            row.get(CATEGORY_FLAGS[c]) == "yes" for c in self.categories
        ):
            return False
        if self.risk_levels and row.get("risk_level") not in self.risk_levels:
            return False
        return not self.statuses or (row.get("status") or "active") in self.statuses

    def select(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        """The rows that match, lazily."""
        return (row for row in rows if self.matches(row))

    @property
    def is_everything(self) -> bool:
        """True when the query selects every row."""
        return not (self.township_code or self.village_code or self.categories
                    or self.risk_levels or self.statuses)


def _check(values: tuple[str, ...], known: tuple[str, ...], what: str) -> None:
    for value in values:
        if value not in known:
            raise SurveyError(
                LedgerCode.LEDGER_008, value=value, what=what, known=", ".join(known)
            )
