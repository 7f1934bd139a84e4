"""The import report: one line per problem (row — ``sheet S, row N`` when several
sheets are read —, column, field, value, code, reason in
Chinese and English), and the counts; written as .xlsx, .csv (UTF-8 with BOM, which
Excel opens) or .json."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveyapp.core.ledgerin.codes import LedgerInCode
from surveyapp.core.ledgerin.rows import Outcome, Problem
from surveyapp.errors import CommonCode, SurveyError

HEADERS = ("行号 row", "列 column", "字段 field", "值 value", "代码 code", "类型 severity",
           "原因 reason", "reason")


@dataclass
class Summary:
    """Counts of an import and every problem found, in row order."""

    file: str
    rows: int = 0
    valid: int = 0
    refused: int = 0
    duplicates: int = 0
    warnings: int = 0
    imported: int = 0
    exits: int = 0
    written: bool = False
    problems: list[Problem] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.rows += 1
        if outcome.status == "refused":
            self.refused += 1
        elif outcome.status == "duplicate":
            self.duplicates += 1
        else:
            self.valid += 1
        self.warnings += sum(p.severity == "warning" for p in outcome.problems)
        self.problems.extend(outcome.problems)

    def counts(self) -> dict[str, Any]:
        return {"file": self.file, "rows": self.rows, "valid": self.valid,
                "refused": self.refused, "duplicates": self.duplicates,
                "warnings": self.warnings, "imported": self.imported, "exits": self.exits,
                "written": self.written}

    def to_dict(self) -> dict[str, Any]:
        return {**self.counts(), "problems": [p.to_dict() for p in self.problems]}


def _lines(problems: Iterable[Problem]) -> Iterable[list[Any]]:
    for p in problems:
        yield [p.where, p.column, p.field, p.value, p.code.name, p.severity, p.reason("zh"),
               p.reason("en")]


def write_report(summary: Summary, path: str | Path) -> Path:
    """Write the report; the format follows the extension.

    :raises SurveyError: LEDIN_025 for another extension; IO_003 when it cannot be written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".json"):
        raise SurveyError(LedgerInCode.LEDIN_025, path=str(target))
    try:
        if suffix == ".json":
            target.write_text(json.dumps(summary.to_dict(), ensure_ascii=False, indent=1),
                              encoding="utf-8")
        elif suffix == ".csv":
            with target.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(HEADERS)
                writer.writerows(_lines(summary.problems))
        else:
            _xlsx(summary, target)
    except OSError as err:
        raise SurveyError(CommonCode.IO_003, path=str(target),
                          reason=err.strerror or str(err)) from err
    return target


def _xlsx(summary: Summary, target: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    try:
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        sheet = book.add_worksheet("导入报告")
        for col, width in enumerate((8, 16, 18, 22, 10, 10, 60, 60)):
            sheet.set_column(col, col, width)
        sheet.write_row(0, 0, HEADERS, head)
        for number, line in enumerate(_lines(summary.problems), 1):
            sheet.write_row(number, 0, [str(x) if i == 3 else x for i, x in enumerate(line)])
        counts = book.add_worksheet("汇总")
        for number, (key, value) in enumerate(summary.counts().items()):
            counts.write_row(number, 0, [key, str(value) if isinstance(value, bool) else value])
    finally:
        book.close()
