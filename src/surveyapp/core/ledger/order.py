"""The order of the ledger and of every list: urgent (强制报告) children first, then by
township and village (their codes), and within a village by the pinyin of the name, as
Chinese readers look names up (王 wang after 李 li), then the characters, then the record id.

``print_key(row)`` is the sort key; ``print_order(rows)`` sorts rows held in memory (a rows
file); ``village_runs_sorted(rows)`` sorts rows that arrive grouped by village (the store's
list order) one village at a time, so that memory holds one village, not the county.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

from surveyapp.core.store.views import pinyin_of

Row = Mapping[str, Any]
R = TypeVar("R", bound=Mapping[str, Any])


def is_urgent(row: Row) -> bool:
    """Whether the child is a mandatory-report (强制报告) case."""
    return row.get("urgent_report") == "yes"


def _pinyin(row: Row) -> str:
    known = row.get("name_pinyin")
    if isinstance(known, str) and known:
        return known
    name = str(row.get("child_name") or "").strip()
    return pinyin_of(name)[0] if name else ""


def name_key(row: Row) -> tuple[str, str, str]:
    """Within a village: pinyin, then the characters, then the record id."""
    return (_pinyin(row), str(row.get("child_name") or ""), str(row.get("record_id") or ""))


def print_key(row: Row) -> tuple[bool, str, str, tuple[str, str, str]]:
    """Urgent first, then township and village code, then :func:`name_key`."""
    return (not is_urgent(row), str(row.get("township_code") or ""),
            str(row.get("village_code") or ""), name_key(row))


def print_order(rows: Iterable[R]) -> list[R]:
    """``rows`` in print order (held in memory)."""
    return sorted(rows, key=print_key)


def village_runs_sorted(rows: Iterable[R]) -> Iterator[R]:
    """Rows that arrive grouped by village, each village's run sorted by :func:`name_key`."""
    run: list[R] = []
    current: str | None = None
    for row in rows:
        village = str(row.get("village_code") or "")
        if village != current and run:
            yield from sorted(run, key=name_key)
            run = []
        current = village
        run.append(row)
    yield from sorted(run, key=name_key)
