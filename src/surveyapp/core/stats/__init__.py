"""County statistics: pure counting over child rows (no Qt), and .xlsx sheets with charts.

Public API:

- ``compute_stats(rows, *, labels, county_name, now=None, round_of=half_year,
  visits=None) -> Stats`` (``counting.py``; table keys listed there). ``visits`` (visit
  submissions with ``record_id``) makes the trend count each round's visits.
- ``Stats(county_name, generated, children, exited, tables)``; ``Stats.table(key) ->
  CountTable(key, title, row_header, rows, columns, values)`` with ``value(row, col)``,
  ``column_total(col)``, ``matrix()``.
- ``export_stats_xlsx(stats, path, *, overwrite=False) -> Path`` (``xlsx.py``): one sheet
  per table with a native Excel chart (openpyxl BarChart / PieChart / LineChart).
"""

from surveyapp.core.stats.counting import AGE_BANDS, GAP_RULES, age_band, compute_stats, half_year
from surveyapp.core.stats.model import CountTable, Stats

__all__ = [
    "AGE_BANDS",
    "GAP_RULES",
    "CountTable",
    "Stats",
    "age_band",
    "compute_stats",
    "half_year",
]
