"""The function table: XLSForm/XPath functions and our extensions over ``core.ids``.

Each entry is ``(min_args, max_args, impl)``; ``max_args`` of ``None`` means any number.
``impl(ctx, args)`` receives evaluated arguments (``if()`` is lazy and handled by the
compiler). ``ctx`` offers ``today``, ``now``, ``idx`` (the repeat instance, 0-based),
``cur`` (the value of ``.``) and ``choice_name(question, value)``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from surveyapp.core.forms.values import (
    EPOCH,
    NAN,
    NodeSet,
    to_bool,
    to_date,
    to_number,
    to_string,
)
from surveyapp.core.ids import (
    is_valid_admin_code,
    is_valid_phone,
    is_valid_resident_id,
    parse_resident_id,
)

Impl = Callable[[Any, Sequence[Any]], Any]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _s(args: Sequence[Any], i: int) -> str:
    return to_string(args[i])


def _selected_values(value: Any) -> list[str]:
    return to_string(value).split()


def _selected_at(value: Any, index: float) -> str:
    values = _selected_values(value)
    if math.isnan(index) or not 0 <= index < len(values):
        return ""
    return values[int(index)]


def _format_date(value: Any, fmt: str) -> str:
    moment: dt.datetime | dt.date | None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        moment = to_date(value)
    if moment is None:
        return ""
    full = moment if isinstance(moment, dt.datetime) else dt.datetime.combine(moment, dt.time())
    out: list[str] = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch != "%" or i + 1 == len(fmt):
            out.append(ch)
            i += 1
            continue
        code = fmt[i + 1]
        i += 2
        out.append(
            {
                "Y": f"{full.year:04d}",
                "y": f"{full.year % 100:02d}",
                "m": f"{full.month:02d}",
                "n": str(full.month),
                "b": _MONTHS[full.month - 1],
                "d": f"{full.day:02d}",
                "e": str(full.day),
                "a": _DAYS[full.weekday()],
                "H": f"{full.hour:02d}",
                "h": str(full.hour),
                "M": f"{full.minute:02d}",
                "S": f"{full.second:02d}",
                "3": f"{full.microsecond // 1000:03d}",
                "%": "%",
            }.get(code, "%" + code)
        )
    return "".join(out)


def _round(x: float, digits: float = 0.0) -> float:
    if math.isnan(x) or math.isinf(x):
        return x
    if digits == 0:
        return float(math.floor(x + 0.5))
    try:
        quantum = Decimal(1).scaleb(-int(digits))
        return float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError, OverflowError):  # OverflowError: digits infinite
        return NAN


def _int(x: float) -> float:
    if math.isnan(x) or math.isinf(x):
        return x
    return float(math.trunc(x))


def _clamp_index(x: float, size: int) -> int:
    """A position in a text of ``size`` characters (±Infinity clamps to the ends)."""
    if x <= 0:
        return 0
    if x >= size:
        return size
    return int(x)


def _substr(s: str, start: float, end: float | None = None) -> str:
    if math.isnan(start):
        return ""
    a = _clamp_index(start, len(s))
    if end is None:
        return s[a:]
    if math.isnan(end):
        return ""
    return s[a : max(a, _clamp_index(end, len(s)))]


def _around(s: str, sep: str, *, before: bool) -> str:
    """XPath substring-before/-after: ``""`` when ``sep`` is absent; ``''`` splits at 0."""
    at = s.find(sep)
    if at < 0:
        return ""
    return s[:at] if before else s[at + len(sep) :]


def _regex(s: str, pattern: str) -> bool:
    try:
        return re.search(pattern, s) is not None
    except re.error:
        return False


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    d = to_date(value)
    return "" if d is None else d


def _decimal_date(value: Any) -> float:
    if isinstance(value, str):
        value = _date(value)
        if value == "":
            return NAN
    return to_number(value)


def _nodes(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, NodeSet) else (value,)


def _sum(value: Any) -> float:
    return float(sum(to_number(v) for v in _nodes(value)))


def _count(value: Any) -> float:
    if isinstance(value, NodeSet):
        return float(len(value))
    return 1.0 if to_string(value) != "" else 0.0


def _concat(args: Sequence[Any]) -> str:
    return "".join(to_string(v) for a in args for v in _nodes(a))


def _id_birthdate(value: Any) -> str:
    text = to_string(value).strip()
    if not is_valid_resident_id(text):
        return ""
    return parse_resident_id(text).birth_date.isoformat()


def _id_sex(value: Any) -> str:
    text = to_string(value).strip()
    if not is_valid_resident_id(text):
        return ""
    return str(parse_resident_id(text).sex)


def _choice_name(ctx: Any, args: Sequence[Any]) -> str:
    target = to_string(args[1]).strip()
    if target.startswith("${") and target.endswith("}"):
        target = target[2:-1]
    target = target.rstrip("/").rsplit("/", 1)[-1]
    return str(ctx.choice_name(target, to_string(args[0])))


def _minmax(pick: Callable[..., float], args: Sequence[Any]) -> float:
    nums = [to_number(v) for a in args for v in _nodes(a)]
    if not nums or any(math.isnan(n) for n in nums):
        return NAN
    return float(pick(nums))


FUNCTIONS: dict[str, tuple[int, int | None, Impl]] = {
    # Logic.
    "not": (1, 1, lambda c, a: not to_bool(a[0])),
    "true": (0, 0, lambda c, a: True),
    "false": (0, 0, lambda c, a: False),
    "boolean": (1, 1, lambda c, a: to_bool(a[0])),
    "if": (3, 3, lambda c, a: a[1] if to_bool(a[0]) else a[2]),
    "coalesce": (2, 2, lambda c, a: a[0] if _s(a, 0) != "" else a[1]),
    # Selects.
    "selected": (2, 2, lambda c, a: _s(a, 1).strip() in _selected_values(a[0])),
    "count-selected": (1, 1, lambda c, a: float(len(_selected_values(a[0])))),
    "selected-at": (2, 2, lambda c, a: _selected_at(a[0], to_number(a[1]))),
    "jr:choice-name": (2, 2, _choice_name),
    # Text.
    "string": (0, 1, lambda c, a: to_string(a[0] if a else c.cur)),
    "string-length": (0, 1, lambda c, a: float(len(to_string(a[0] if a else c.cur)))),
    "concat": (0, None, lambda c, a: _concat(a)),
    "join": (2, 2, lambda c, a: _s(a, 0).join(to_string(v) for v in _nodes(a[1]))),
    "substr": (
        2,
        3,
        lambda c, a: _substr(_s(a, 0), to_number(a[1]), to_number(a[2]) if len(a) > 2 else None),
    ),
    "substring-before": (2, 2, lambda c, a: _around(_s(a, 0), _s(a, 1), before=True)),
    "substring-after": (2, 2, lambda c, a: _around(_s(a, 0), _s(a, 1), before=False)),
    "contains": (2, 2, lambda c, a: _s(a, 1) in _s(a, 0)),
    "starts-with": (2, 2, lambda c, a: _s(a, 0).startswith(_s(a, 1))),
    "ends-with": (2, 2, lambda c, a: _s(a, 0).endswith(_s(a, 1))),
    "normalize-space": (0, 1, lambda c, a: " ".join(to_string(a[0] if a else c.cur).split())),
    "translate": (
        3,
        3,
        lambda c, a: _s(a, 0).translate(
            {
                ord(k): (_s(a, 2)[i] if i < len(_s(a, 2)) else None)
                for i, k in reversed(list(enumerate(_s(a, 1))))
            }
        ),
    ),
    "regex": (2, 2, lambda c, a: _regex(_s(a, 0), _s(a, 1))),
    # Numbers.
    "number": (0, 1, lambda c, a: to_number(a[0] if a else c.cur)),
    "int": (1, 1, lambda c, a: _int(to_number(a[0]))),
    "round": (1, 2, lambda c, a: _round(to_number(a[0]), to_number(a[1]) if len(a) > 1 else 0.0)),
    "floor": (1, 1, lambda c, a: _int_like(math.floor, to_number(a[0]))),
    "ceiling": (1, 1, lambda c, a: _int_like(math.ceil, to_number(a[0]))),
    "abs": (1, 1, lambda c, a: abs(to_number(a[0]))),
    "pow": (2, 2, lambda c, a: _pow(to_number(a[0]), to_number(a[1]))),
    "max": (1, None, lambda c, a: _minmax(max, a)),
    "min": (1, None, lambda c, a: _minmax(min, a)),
    # Dates.
    "today": (0, 0, lambda c, a: c.today),
    "now": (0, 0, lambda c, a: c.now),
    "date": (1, 1, lambda c, a: _date(a[0])),
    "date-time": (1, 1, lambda c, a: _date(a[0])),
    "format-date": (2, 2, lambda c, a: _format_date(a[0], _s(a, 1))),
    "format-date-time": (2, 2, lambda c, a: _format_date(a[0], _s(a, 1))),
    "decimal-date-time": (1, 1, lambda c, a: _decimal_date(a[0])),
    "decimal-date": (1, 1, lambda c, a: _decimal_date(a[0])),
    # Repeats.
    "count": (1, 1, lambda c, a: _count(a[0])),
    "sum": (1, 1, lambda c, a: _sum(a[0])),
    "position": (0, 1, lambda c, a: float(c.idx + 1) if c.idx is not None else 1.0),
    # Extensions over surveyapp.core.ids (docs/forms.md).
    "id-valid": (1, 1, lambda c, a: is_valid_resident_id(_s(a, 0).strip())),
    "id-birthdate": (1, 1, lambda c, a: _id_birthdate(a[0])),
    "id-sex": (1, 1, lambda c, a: _id_sex(a[0])),
    "admin-code-valid": (1, 1, lambda c, a: is_valid_admin_code(_s(a, 0).strip())),
    "phone-valid": (1, 1, lambda c, a: is_valid_phone(_s(a, 0).strip())),
}

EXTENSIONS = ("id-valid", "id-birthdate", "id-sex", "admin-code-valid", "phone-valid")


def _int_like(fn: Callable[[float], int], x: float) -> float:
    if math.isnan(x) or math.isinf(x):
        return x
    return float(fn(x))


def _pow(x: float, y: float) -> float:
    try:
        return float(math.pow(x, y))
    except (OverflowError, ValueError):
        return NAN


def days(d: dt.date) -> float:
    """Days since 1970-01-01 (what a date is as a number)."""
    return float((d - EPOCH).days)
