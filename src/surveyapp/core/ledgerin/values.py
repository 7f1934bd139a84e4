"""Cell values as a Chinese office spreadsheet holds them, normalised to form answers.

Every function takes the raw cell (``str``, ``int``, ``float``, ``datetime``, ``date`` or
``None``) and returns the answer text, or raises :class:`Refused` with the row reason.
Full-width digits and letters (``２０１５``), trailing and inner spaces of codes, Excel
date serials, ``2015.3.4`` / ``2015年3月4日`` / ``20150304`` are accepted. An ID number that
Excel stored as a number has lost its last digits and is refused, never repaired.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from surveyapp.core.ids.codes import IdCode
from surveyapp.core.ids.resident_id import parse_resident_id
from surveyapp.core.ledgerin.codes import LedgerInCode
from surveyapp.errors import SurveyError

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBERISH = re.compile(r"^[0-9.]+[eE][+-]?\d+$")
_SPACES = re.compile(r"\s+")


class Refused(Exception):
    """A cell the import cannot take: the code and its message context."""

    def __init__(self, code: LedgerInCode, **context: Any) -> None:
        super().__init__(code.name)
        self.code = code
        self.context = context


def shown(value: Any) -> str:
    """The cell as the report shows it."""
    if value is None:
        return ""
    if isinstance(value, float) and abs(value) >= 1e15:
        return _as_excel(value)  # as Excel shows it: 5.22422E+17
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def wide(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII (NFKC), spaces trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def text(value: Any) -> str:
    """Free text: trimmed; a number cell as Excel shows it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime | dt.date):
        return to_date(value)
    return shown(value)


def code_text(value: Any) -> str:
    """A code or number typed as text: NFKC, no spaces at all."""
    return _SPACES.sub("", wide(shown(value))) if value is not None else ""


def to_date(value: Any) -> str:
    """``YYYY-MM-DD`` from a date cell, an Excel serial or date text; "" for an empty cell.

    :raises Refused: LEDIN_006 when it is not a date.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():
            return (EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
        if 19000101 <= value <= 29991231:
            return _ymd(str(int(value)), value)
        raise Refused(LedgerInCode.LEDIN_006, value=shown(value))
    raw = wide(str(value))
    if not raw:
        return ""
    match = _DATE.match(raw) or _COMPACT.match(raw)
    if match is None:
        if raw.isdigit() and len(raw) <= 5:  # a serial number exported as text
            return to_date(int(raw))
        raise Refused(LedgerInCode.LEDIN_006, value=str(value))
    return _ymd("".join(f"{int(p):02d}" if i else p for i, p in enumerate(match.groups())),
                value)


def _ymd(digits: str, original: Any) -> str:
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])).isoformat()
    except ValueError:
        raise Refused(LedgerInCode.LEDIN_006, value=shown(original)) from None


def to_int(value: Any) -> str:
    """A whole number as text; "" for an empty cell.

    :raises Refused: LEDIN_010 when it is not a whole number.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        raise Refused(LedgerInCode.LEDIN_010, value=str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        raise Refused(LedgerInCode.LEDIN_010, value=shown(value))
    raw = code_text(value)
    if not raw:
        return ""
    try:
        number = float(raw)
    except ValueError:
        raise Refused(LedgerInCode.LEDIN_010, value=str(value)) from None
    if not number.is_integer():
        raise Refused(LedgerInCode.LEDIN_010, value=str(value))
    return str(int(number))


def id_number(value: Any) -> str:
    """A resident ID number, upper case, checked; "" for an empty cell.

    :raises Refused: LEDIN_002 when Excel stored it as a number; LEDIN_001 for a wrong
        check digit; LEDIN_003 for anything else that is not an ID number.
    """
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) or value >= 10**15:
            raise Refused(LedgerInCode.LEDIN_002, value=_as_excel(value))
    raw = code_text(value).upper()
    if not raw:
        return ""
    if _NUMBERISH.match(raw):
        raise Refused(LedgerInCode.LEDIN_002, value=raw)
    try:
        parse_resident_id(raw)
    except SurveyError as err:
        if err.code is IdCode.ID_004:
            raise Refused(LedgerInCode.LEDIN_001, value=raw,
                          expected=err.context.get("expected", "")) from None
        raise Refused(LedgerInCode.LEDIN_003, value=raw, reason=err.code.name) from None
    return raw


def _as_excel(value: float | int) -> str:
    return f"{float(value):.5E}"


def phone(value: Any) -> str:
    """A phone number: digits (and a leading +) without spaces or dashes."""
    if value is None:
        return ""
    raw = code_text(value)
    return raw.replace("-", "")
