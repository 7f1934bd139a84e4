"""The shapes statistics come in: named count tables, so any front end can draw them.

A ``CountTable`` has row keys (a township, a village, a screening round, with a label),
column keys (a category, a risk level… with a label) and a count per cell.
``Stats`` holds the tables by name (see ``TABLES`` in ``counting.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CountTable:
    """Counts of children per row key and column key.

    :param key: the table's name, e.g. ``category_by_township``.
    :param title: the Chinese title.
    :param row_header: the header of the row-label column (``乡镇（街道）``).
    :param rows: ``(key, label)`` of each row, in display order.
    :param columns: ``(key, label)`` of each column, in display order.
    :param values: ``(row key, column key) -> count``; missing cells are 0.
    :param note: what the columns add up to, when they are not one child per column
        (a child can be in several categories); empty when every child is in exactly one
        column, so that the columns add up to the number of children.
    """

    key: str
    title: str
    row_header: str
    rows: tuple[tuple[str, str], ...]
    columns: tuple[tuple[str, str], ...]
    values: Mapping[tuple[str, str], int]
    note: str = ""

    def value(self, row: str, column: str) -> int:
        """The count in one cell."""
        return self.values.get((row, column), 0)

    def column_total(self, column: str) -> int:
        """The sum of one column over every row."""
        return sum(self.value(row, column) for row, _ in self.rows)

    def matrix(self) -> list[list[int]]:
        """The counts as a list of rows, in display order."""
        return [[self.value(r, c) for c, _ in self.columns] for r, _ in self.rows]


@dataclass(frozen=True, slots=True)
class Stats:
    """Every statistics table of one scope.

    :param county_name: the county (or scope) name for titles.
    :param generated: when the counts were made.
    :param children: active children counted.
    :param exited: exited children (not counted in the tables, except coverage).
    :param tables: the tables by key.
    :param possible_duplicates: possible duplicate pairs not yet reviewed (the counts are of
        persons; until these are decided, a child may still be counted twice).
    """

    county_name: str
    generated: datetime
    children: int
    exited: int
    tables: Mapping[str, CountTable]
    possible_duplicates: int = 0

    def table(self, key: str) -> CountTable:
        """One table by key (``KeyError`` for an unknown key)."""
        return self.tables[key]
