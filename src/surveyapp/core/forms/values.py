"""XPath 1.0 value semantics as ODK applies them: conversions and comparisons.

Values are ``str`` (an empty answer is ``""``), ``float``/``int`` numbers, ``bool``,
``datetime.date``/``datetime.datetime``, and :class:`NodeSet` (a repeated question seen
from outside its repeat). Dates convert to numbers as days since 1970-01-01, so
``${d1} - ${d2}`` is a number of days.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

EPOCH = dt.date(1970, 1, 1)
NAN = float("nan")
TOLERANCE = 1e-12  # JavaRosa: numbers closer than this are equal (6.1 - 7.8 = -1.7)
_NUMBER_CHARS = frozenset("-.0123456789")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class NodeSet(tuple[Any, ...]):
    """The values of one question across repeat instances (for count/sum/concat)."""

    __slots__ = ()


def first(value: Any) -> Any:
    """A node-set used as a single value is its first node (or ``""``)."""
    if isinstance(value, NodeSet):
        return value[0] if value else ""
    return value


def to_number(value: Any) -> float:
    """XPath ``number()``: ``""`` and text that is not a number give NaN."""
    value = first(value)
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - dt.datetime(1970, 1, 1)
        return delta.total_seconds() / 86400.0
    if isinstance(value, dt.date):
        return float((value - EPOCH).days)
    return text_number(str(value))


def text_number(text: str) -> float:
    """A text as a number, as JavaRosa reads it: a decimal comma is a point, spaces are
    trimmed, only digits, ``-`` and ``.`` are allowed (no ``+``, exponent or Infinity)."""
    s = text.replace(",", ".").strip()
    if not s or not _NUMBER_CHARS.issuperset(s):
        return NAN
    try:
        return float(s)
    except ValueError:
        return NAN


def number_text(x: float) -> str:
    """XPath ``string()`` of a number: ``16`` not ``16.0``; ``NaN``; ``Infinity``."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if abs(x) < TOLERANCE:
        return "0"
    if abs(x) < 1e21 and abs(x - math.trunc(x)) < TOLERANCE:
        return str(math.trunc(x))
    text = repr(x)
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def to_string(value: Any) -> str:
    """XPath ``string()``; dates are ISO ``YYYY-MM-DD``."""
    value = first(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def calculated(value: Any) -> Any:
    """A calculate's value as Collect stores it: NaN (and an empty node-set) is empty;
    a boolean stays a boolean (expressions see it as one; it is stored as ``1``/``0``);
    everything else is its text."""
    value = first(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isnan(value):
        return ""
    return to_string(value)


def to_bool(value: Any) -> bool:
    """XPath ``boolean()``: a non-empty string or a non-zero number is true."""
    if isinstance(value, NodeSet):
        return len(value) > 0
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return abs(value) > TOLERANCE  # NaN compares false
    if isinstance(value, (dt.date, dt.datetime)):
        return True
    return len(str(value)) > 0


def to_date(value: Any) -> dt.date | None:
    """A date from a date, an ISO text (time ignored) or a number of days; else None.

    A number is truncated towards zero, as JavaRosa does (``date(6.5)`` is 1970-01-07).
    """
    value = first(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if math.isnan(value) or math.isinf(value) or abs(value) > 2**31:
            return None
        try:
            return EPOCH + dt.timedelta(days=math.trunc(value))
        except OverflowError:
            return None
    m = _DATE.match(str(value).strip())
    if m is None:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


_DATETIME = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*\Z"
)


def parse_moment(text: str) -> dt.date | dt.datetime | None:
    """An ISO date (``2000-01-01``) or date-time (``2000-01-01T10:20:30.000+03:00``).

    A date-time with an offset is converted to the computer's local time and returned
    without a time zone (JavaRosa converts it to the device's time zone). None when the
    text is not a real date.
    """
    m = _DATETIME.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, frac, zone = m.groups()
    try:
        if hour is None:
            if zone is not None:
                return None
            return dt.date(int(year), int(month), int(day))
        micro = int((frac or "0")[:6].ljust(6, "0"))
        moment = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro
        )
    except ValueError:
        return None
    if zone is not None:
        if zone == "Z":
            offset = dt.timedelta(0)
        else:
            digits = zone[1:].replace(":", "")
            offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
            if zone[0] == "-":
                offset = -offset
        moment = moment.replace(tzinfo=dt.timezone(offset)).astimezone().replace(tzinfo=None)
    return moment


def to_moment(value: Any) -> dt.date | dt.datetime | None:
    """A date or date-time: a date-time text keeps its time; a number is fractional days."""
    value = first(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if math.isnan(value) or math.isinf(value) or abs(value) > 2**31:
            return None
        return dt.datetime(1970, 1, 1) + dt.timedelta(days=float(value))
    return parse_moment(str(value))


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def equals(a: Any, b: Any) -> bool:
    """XPath ``=``: booleans, then numbers, then dates, then text decide the comparison."""
    if isinstance(a, NodeSet):
        return any(equals(x, b) for x in a)
    if isinstance(b, NodeSet):
        return any(equals(a, y) for y in b)
    if isinstance(a, bool) or isinstance(b, bool):
        return to_bool(a) == to_bool(b)
    if _is_number(a) or _is_number(b):
        return numbers_equal(to_number(a), to_number(b))
    if _is_date(a) or _is_date(b):
        da, db = to_date(a), to_date(b)
        if da is not None and db is not None:
            return da == db
    return to_string(a) == to_string(b)


def numbers_equal(x: float, y: float) -> bool:
    """JavaRosa's ``=`` on numbers: within 1e-12 (NaN is never equal; ±Infinity equals
    itself, where JavaRosa's ``Infinity - Infinity`` makes it unequal)."""
    return x == y or abs(x - y) < TOLERANCE


def not_equals(a: Any, b: Any) -> bool:
    """XPath ``!=`` (for single values, the negation of ``=``; NaN != x is true)."""
    if isinstance(a, NodeSet):
        return any(not_equals(x, b) for x in a)
    if isinstance(b, NodeSet):
        return any(not_equals(a, y) for y in b)
    return not equals(a, b)


def _as_days(value: Any) -> float:
    """A date-like value as days since 1970 (a date-time keeps its fraction); else NaN."""
    if isinstance(value, dt.date):
        return to_number(value)
    d = to_date(value)
    return NAN if d is None else to_number(d)


def relational(op: str, a: Any, b: Any) -> bool:
    """``< <= > >=``: dates compare as dates, everything else as numbers (NaN → false)."""
    if isinstance(a, NodeSet):
        return any(relational(op, x, b) for x in a)
    if isinstance(b, NodeSet):
        return any(relational(op, a, y) for y in b)
    if _is_date(a) or _is_date(b):
        x, y = _as_days(a), _as_days(b)  # text like "2026-01-01" reads as a date here
    else:
        x, y = to_number(a), to_number(b)
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    return x >= y


def arithmetic(op: str, a: Any, b: Any) -> float:
    """``+ - * div mod`` on numbers (dates as days); division by zero gives ±Infinity/NaN."""
    x, y = to_number(a), to_number(b)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "div":
        if y == 0:
            if x == 0 or math.isnan(x):
                return NAN
            return math.copysign(math.inf, x) * (math.copysign(1.0, y))
        return x / y
    if y == 0 or math.isinf(x) or math.isnan(x) or math.isnan(y):
        return NAN
    return math.fmod(x, y)
