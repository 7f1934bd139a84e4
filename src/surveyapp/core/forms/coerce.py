"""Answers as typed values: what a village worker typed, as the expression language sees it."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from surveyapp.core.forms.codes import FormCode
from surveyapp.core.forms.model import Question

_INT = re.compile(r"\s*[+-]?\d+\s*\Z")
_DEC = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*\Z")
_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?\Z")


def coerce(question: Question, value: Any) -> tuple[Any, FormCode | None]:
    """``(typed value, type error or None)``; ``None`` and blank text become ``""``.

    integer → ``int``, decimal → ``float``, date → ``datetime.date``, select_multiple →
    space-separated text, everything else → text. A value that does not fit its type is
    kept as text together with the error code, so the user sees what they typed.
    """
    if value is None:
        return "", None
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    qtype = question.type
    if qtype == "integer":
        if isinstance(value, bool):
            return str(value), FormCode.FORM_103
        if isinstance(value, int):
            return value, None
        if isinstance(value, float):
            if value.is_integer():
                return int(value), None
            return str(value), FormCode.FORM_103
        text = str(value).strip()
        if not text:
            return "", None
        if _INT.match(text):
            return int(text), None
        if _DEC.match(text) and float(text).is_integer():
            return int(float(text)), None
        return text, FormCode.FORM_103
    if qtype == "decimal":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
                return str(value), FormCode.FORM_104
            return float(value), None
        text = str(value).strip()
        if not text:
            return "", None
        if _DEC.match(text):
            return float(text), None
        return text, FormCode.FORM_104
    if qtype in ("date", "today"):
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        text = str(value).strip()
        if not text:
            return "", None
        m = _DATE.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None
            except ValueError:
                pass
        return text, FormCode.FORM_105
    if qtype == "select_multiple":
        return " ".join(str(value).split()), None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    return str(value).strip() if qtype == "select_one" else str(value), None


def export(value: Any) -> Any:
    """A value for a JSON submission: dates as ISO text, a boolean (a calculate's) as
    ``1``/``0`` as Collect stores it, NaN as empty, numbers and text unchanged."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
