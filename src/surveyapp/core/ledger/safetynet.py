"""应保未保: children who meet a safety-net condition but are not enrolled in it.

One rule per safety net (the conditions of 民发〔2019〕34号 and the 2016 opinions): the
statistics count them (``core.stats`` table ``gaps_by_township``) and the ``unenrolled``
department list names the children, with the same rules, so the list is as long as the
count. A net counts as enrolled only when its answer is 是 (``yes``); a blank answer is not
evidence of enrolment. Medical insurance concerns every child, so there the gap is an
explicit 否 (``no``): a question left unanswered is not known to be a gap.

``SAFETY_NET_GAPS``: ``(key, label, in need, enrolled field)``; ``gaps(row)`` the labels of
the nets a child is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Row = Mapping[str, Any]


def _yes(row: Row, key: str) -> bool:
    return row.get(key) == "yes"


#: (column key, label, "in need" test, enrolled field), in the order of the list's column.
SAFETY_NET_GAPS: tuple[tuple[str, str, Callable[[Row], bool], str], ...] = (
    ("dibao", "贫困未纳入低保/特困",
     lambda r: _yes(r, "dk_poverty") or _yes(r, "family_poverty_monitored"), "family_dibao"),
    ("orphan", "孤儿未领生活费", lambda r: _yes(r, "is_orphan"), "orphan_allowance"),
    ("unsupported", "事实无人抚养未领补贴", lambda r: _yes(r, "is_unsupported"),
     "unsupported_allowance"),
    ("disability", "残疾未享两项补贴", lambda r: _yes(r, "dk_disability"),
     "disability_subsidies"),
    # Every child should be insured; an unanswered question is not known to be a gap.
    ("insurance", "未参加医保", lambda r: r.get("medical_insurance") == "no",
     "medical_insurance"),
)


def enrolled(row: Row, field: str) -> bool:
    """Whether the child is enrolled in a net (低保 or 特困 both close the poverty gap)."""
    if field == "family_dibao":
        return _yes(row, "family_dibao") or _yes(row, "family_tekun")
    return _yes(row, field)


def gaps(row: Row) -> list[str]:
    """The labels of the safety nets this child meets the condition of but is not in."""
    return [label for _, label, in_need, field in SAFETY_NET_GAPS
            if in_need(row) and not enrolled(row, field)]
