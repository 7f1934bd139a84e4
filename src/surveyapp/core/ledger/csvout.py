"""CSV for any list: UTF-8 with a byte-order mark, so that Excel shows Chinese correctly.

Dates are written ``YYYY-MM-DD``. Spreadsheet programs read long digit strings in a CSV
as numbers and round them, so ID numbers should be opened from the .xlsx export; the CSV
is meant for other programs.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from surveyapp.core.ledger.columns import Cell
from surveyapp.core.ledger.files import Cancelled, Progress, check_cancel

STEP = 500


def write_csv(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    total: int = 0,
    progress: Progress | None = None,
    cancel: Cancelled | None = None,
) -> int:
    """Write ``headers`` and ``rows`` to ``path`` as CSV with a UTF-8 BOM.

    :param path: the file to write (normally a temporary file).
    :param headers: the header row.
    :param rows: the cell values of each row.
    :param total: the expected row count for ``progress``.
    :param progress: ``progress(done, total)``.
    :param cancel: polled every few hundred rows.
    :returns: the number of data rows.
    :raises SurveyError: CANCELLED.
    """
    done = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for values in rows:
            writer.writerow([_text(v) for v in values])
            done += 1
            if done % STEP == 0:
                check_cancel(cancel)
                if progress is not None:
                    progress(done, max(total, done))
    if progress is not None:
        progress(done, max(total, done))
    return done


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
