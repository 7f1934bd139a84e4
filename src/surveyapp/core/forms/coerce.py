"""Answers as typed values: what a village worker typed, as the expression language sees it."""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from typing import Any

from surveyapp.core.forms.codes import FormCode
from surveyapp.core.forms.model import Question

_INT = re.compile(r"\s*[+-]?\d+\s*\Z")
_DEC = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*\Z")
_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?\Z")
_TIME = re.compile(
    r"\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?"
    r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?\s*\Z"
)
_DATETIME = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?\s*\Z"
)
GEO_TYPES = frozenset({"geopoint", "geotrace", "geoshape"})
_GEO_MIN_POINTS = {"geopoint": 1, "geotrace": 2, "geoshape": 4}


def range_parameters(parameters: str) -> tuple[float, float, float]:
    """``start``, ``end`` and ``step`` of a ``range`` question (pyxform: 1, 10, 1)."""
    return _range_parameters(parameters)


@lru_cache(maxsize=256)
def _range_parameters(parameters: str) -> tuple[float, float, float]:
    found = {"start": 1.0, "end": 10.0, "step": 1.0}
    for part in parameters.replace(";", " ").replace(",", " ").split():
        key, _, value = part.partition("=")
        if key.strip().lower() in found:
            try:
                found[key.strip().lower()] = float(value)
            except ValueError:
                pass
    return found["start"], found["end"], found["step"] or 1.0


def _number_text(x: float) -> str:
    return str(int(x)) if x.is_integer() else repr(x)


def _geo(qtype: str, text: str) -> str | None:
    """A location as ODK writes it (``lat lon alt acc``; points joined by ``;``), or None."""
    points: list[str] = []
    for part in text.replace("；", ";").split(";"):
        if not part.strip():
            continue
        nums = part.replace(",", " ").replace("，", " ").split()
        try:
            values = [float(n) for n in nums]
        except ValueError:
            return None
        if not 2 <= len(values) <= 4 or any(math.isnan(v) or math.isinf(v) for v in values):
            return None
        lat, lon = values[0], values[1]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (len(values) == 4 and values[3] < 0):
            return None
        points.append(" ".join(nums))
    if len(points) < _GEO_MIN_POINTS[qtype] or (qtype == "geopoint" and len(points) != 1):
        return None
    return ";".join(points)


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
        m = _DATE.match(text) or _partial_date(text, question.appearance)
        if m:
            try:
                year, month, day = (int(g or 1) for g in m.group(1, 2, 3))
                return dt.date(year, month, day), None
            except ValueError:
                pass
        return text, FormCode.FORM_105
    if qtype in ("select_multiple", "rank"):
        return " ".join(str(value).split()), None
    if qtype == "time":
        return _time(value)
    if qtype == "datetime":
        return _datetime(value)
    if qtype in GEO_TYPES:
        text = str(value).strip()
        if not text:
            return "", None
        geo = _geo(qtype, text)
        return (text, FormCode.FORM_110) if geo is None else (geo, None)
    if qtype == "range":
        return _range(question, value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    return str(value).strip() if qtype == "select_one" else str(value), None


_MONTH = re.compile(r"\s*(\d{4})-(\d{1,2})()\s*\Z")
_YEAR = re.compile(r"\s*(\d{4})()()\s*\Z")


def _partial_date(text: str, appearance: str) -> re.Match[str] | None:
    """``2026-07`` for a ``month-year`` date, ``2026`` for a ``year`` date (day 1)."""
    words = appearance.split()
    if "month-year" in words:
        return _MONTH.match(text)
    if "year" in words:
        return _YEAR.match(text)
    return None


def _time(value: Any) -> tuple[Any, FormCode | None]:
    """A time of day as ``HH:MM:SS`` text (``9:05`` and ``09:05:00`` are accepted)."""
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S"), None
    text = str(value).strip()
    if not text:
        return "", None
    m = _TIME.match(text)
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60 and int(m.group(3) or 0) < 60:
        return f"{int(m.group(1)):02d}:{m.group(2)}:{m.group(3) or '00'}", None
    return text, FormCode.FORM_108


def _datetime(value: Any) -> tuple[Any, FormCode | None]:
    """A date and time of day (``2026-07-01 14:30`` or ISO ``2026-07-01T14:30:00``)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0), None
    text = str(value).strip()
    if not text:
        return "", None
    m = _DATETIME.match(text)
    if m:
        try:
            parts = [int(g or 0) for g in m.groups()]
            return dt.datetime(*parts), None  # type: ignore[arg-type]
        except ValueError:
            pass
    return text, FormCode.FORM_109


def _range(question: Question, value: Any) -> tuple[Any, FormCode | None]:
    """A number from ``start`` to ``end`` on a ``step`` (the ``parameters`` column)."""
    start, end, step = range_parameters(question.parameters)
    whole = all(float(x).is_integer() for x in (start, end, step))
    if isinstance(value, bool):
        return str(value), FormCode.FORM_111
    if isinstance(value, (int, float)):
        x = float(value)
    else:
        text = str(value).strip()
        if not text:
            return "", None
        if not _DEC.match(text):
            return text, FormCode.FORM_111
        x = float(text)
    low, high = min(start, end), max(start, end)
    steps = (x - start) / step
    if not low <= x <= high or abs(steps - round(steps)) > 1e-9:
        return (_number_text(x) if not whole or not x.is_integer() else str(int(x))), (
            FormCode.FORM_111
        )
    return (int(x) if whole else x), None


def range_context(question: Question) -> dict[str, str]:
    """The ``start``, ``end`` and ``step`` of a range question, for FORM_111's message."""
    start, end, step = range_parameters(question.parameters)
    return {"start": _number_text(start), "end": _number_text(end), "step": _number_text(step)}


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
