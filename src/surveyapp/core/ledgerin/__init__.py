"""Importing an existing county ledger (台账) as first visits: pure Python, streaming.

Public API (``from surveyapp.core.ledgerin import ...``):

- ``ledger_layout(form) -> Layout``: the app's own 台账 export, derived from
  ``core.ledger.columns.LEDGER_COLUMNS``; ``read_mapping(path, form) -> Layout`` for any
  other layout; ``template(form, headers=None) -> dict`` a mapping file to edit.
- ``open_sheet(path, layout) -> Sheet`` (.xlsx streamed, .csv in UTF-8/BOM or GB18030):
  ``sheet.rows()`` yields ``(row number, {Target: cell})``, ``sheet.located()``
  ``(sheet name, row number, {Target: cell})`` (every sheet with a header: the 台账's
  township sheets; the name is "" when only one sheet is read).
- ``RowChecker(form, layout, labels, known=Known(), today=None).check(row, cells)
  -> Outcome(row, status, answers, problems, filled, exit)``: the cells normalised, the
  form's rules applied, duplicates found.
- ``Summary`` (counts and problems) and ``write_report(summary, path)`` (.xlsx/.csv/.json).
- ``LedgerInCode``: the coded, bilingual reasons.
"""

from surveyapp.core.ledgerin.codes import LedgerInCode
from surveyapp.core.ledgerin.layout import (
    Layout,
    Target,
    ledger_layout,
    mapping_layout,
    read_mapping,
    template,
)
from surveyapp.core.ledgerin.reader import Sheet, open_sheet
from surveyapp.core.ledgerin.report import Summary, write_report
from surveyapp.core.ledgerin.rows import Exit, Known, Outcome, Problem, RowChecker

__all__ = [
    "Exit",
    "Known",
    "Layout",
    "LedgerInCode",
    "Outcome",
    "Problem",
    "RowChecker",
    "Sheet",
    "Summary",
    "Target",
    "ledger_layout",
    "mapping_layout",
    "open_sheet",
    "read_mapping",
    "template",
    "write_report",
]
