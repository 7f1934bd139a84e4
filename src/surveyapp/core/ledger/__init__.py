"""The county ledger (台账), department lists and CSV exports: pure Python, streaming.

Public API (``from surveyapp.core.ledger import ...``):

- ``FormLabels.from_form(path, lang="zh")`` / ``FormLabels(choices, lists, ...)``: the
  choice labels shown instead of choice names.
- ``ChildQuery(township_code=None, village_code=None, categories=(), risk_levels=(),
  statuses=())``: scope and filters; ``CATEGORY_FLAGS``, ``RISK_LEVELS``, ``STATUSES``.
- ``export_ledger(rows, path, *, labels, county_name, query=None, fmt="xlsx",
  mask=False, password=None, now=None, total=0, overwrite=False, progress=None,
  cancel=None) -> ExportResult(path, rows, columns, masked, encrypted)``.
- ``export_department(rows, path, preset, *, labels, county_name, role, reveal=False,
  query=None, fmt="xlsx", password=None, ...) -> ExportResult``; ``PRESETS``.
- ``mask_id``, ``mask_phone``; ``decrypt_bytes(path, password)`` (protect.py).

Rows are mappings keyed by the form's question names plus ``record_id``,
``township_code``, ``village_code``, ``township_name``, ``village_name``, ``status``
(``active``/``exited``), ``last_visit_date`` and ``follow_up_due``; they are read once,
lazily, so a store cursor can feed 100,000 children with flat memory.
"""

from surveyapp.core.ledger.columns import LEDGER_COLUMNS, Column
from surveyapp.core.ledger.departments import PRESETS, DepartmentPreset, export_department
from surveyapp.core.ledger.labels import FormLabels
from surveyapp.core.ledger.ledger import ExportResult, export_ledger
from surveyapp.core.ledger.masking import mask_id, mask_phone
from surveyapp.core.ledger.protect import decrypt_bytes
from surveyapp.core.ledger.query import CATEGORY_FLAGS, RISK_LEVELS, STATUSES, ChildQuery

__all__ = [
    "CATEGORY_FLAGS",
    "LEDGER_COLUMNS",
    "PRESETS",
    "RISK_LEVELS",
    "STATUSES",
    "ChildQuery",
    "Column",
    "DepartmentPreset",
    "ExportResult",
    "FormLabels",
    "decrypt_bytes",
    "export_department",
    "export_ledger",
    "mask_id",
    "mask_phone",
]
