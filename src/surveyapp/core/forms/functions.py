"""The function table: XLSForm/XPath functions and our extensions over ``core.ids``.

Each entry is ``(min_args, max_args, impl)``; ``max_args`` of ``None`` means any number.
``impl(ctx, args)`` receives evaluated arguments (``if()`` is lazy and handled by the
compiler). ``ctx`` offers ``today``, ``now``, ``idx`` (the repeat instance, 0-based),
``cur`` (the value of ``.``) and ``choice_name(question, value)``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import itertools
import math
import random
import re
import uuid
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from surveyapp.core.forms.values import (
    EPOCH,
    NAN,
    NodeSet,
    parse_moment,
    to_bool,
    to_date,
    to_moment,
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
    moment = to_moment(value)
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
        part = _DATE_PARTS.get(code)
        out.append(part(full) if part is not None else "%" + code)
    return "".join(out)


# format-date()'s codes (each computed only when the format uses it).
_DATE_PARTS: dict[str, Callable[[dt.datetime], str]] = {
    "Y": lambda d: f"{d.year:04d}",
    "y": lambda d: f"{d.year % 100:02d}",
    "m": lambda d: f"{d.month:02d}",
    "n": lambda d: str(d.month),
    "b": lambda d: _MONTHS[d.month - 1],
    "d": lambda d: f"{d.day:02d}",
    "e": lambda d: str(d.day),
    "a": lambda d: _DAYS[d.weekday()],
    "H": lambda d: f"{d.hour:02d}",
    "h": lambda d: str(d.hour),
    "M": lambda d: f"{d.minute:02d}",
    "S": lambda d: f"{d.second:02d}",
    "3": lambda d: f"{d.microsecond // 1000:03d}",
    "%": lambda d: "%",
}


def _round(x: float, digits: float = 0.0) -> float:
    """JavaRosa's round: halves go up for positive numbers and towards zero for negative
    ones (so always towards +infinity, the XPath rule: ``round(-2.5)`` = -2), on the
    number's shortest decimal text (``round(2.675, 2)`` = 2.68)."""
    if math.isnan(x) or math.isinf(x):
        return x
    places = 0 if math.isnan(digits) else int(max(min(digits, 2**31), -(2**31)))
    if places > 30 or places < -30:
        return NAN
    if places < 0:
        scale = 10.0 ** (-places)
        return float(math.floor(x / scale + 0.5) * scale)
    try:
        quantum = Decimal(1).scaleb(-places)
        mode = ROUND_HALF_DOWN if x < 0 else ROUND_HALF_UP
        out = float(Decimal(repr(x)).quantize(quantum, rounding=mode))
    except (InvalidOperation, ValueError):
        return NAN
    return math.copysign(out, x) if out == 0 else out


def _int(x: float) -> float:
    if math.isnan(x) or math.isinf(x):
        return x
    return float(math.trunc(x))


def _index(x: float) -> int:
    """JavaRosa's ``toInt(x).intValue()``: NaN is 0, ±Infinity the int limits."""
    if math.isnan(x):
        return 0
    return int(max(min(math.trunc(x) if not math.isinf(x) else x, 2**31 - 1), -(2**31)))


def _substr(s: str, start: float, end: float | None = None) -> str:
    """Characters ``start`` (from 0) up to ``end``; a negative index counts from the end."""
    size = len(s)
    a = _index(start)
    b = size if end is None else _index(end)
    if a < 0:
        a += size
    if b < 0:
        b += size
    a, b = min(max(0, a), size), min(max(0, b), size)
    return s[a:b] if a <= b else ""


def _around(s: str, sep: str, *, before: bool) -> str:
    """XPath substring-before/-after: ``""`` when ``sep`` is absent; ``''`` splits at 0."""
    at = s.find(sep)
    if at < 0:
        return ""
    return s[:at] if before else s[at + len(sep) :]


def _regex(s: str, pattern: str) -> bool:
    """The whole of ``s`` matches ``pattern`` (JavaRosa uses Java's ``Pattern.matches``)."""
    try:
        return re.fullmatch(pattern, s) is not None
    except re.error:
        return False


def _date(value: Any) -> Any:
    """``date()``: the day (time dropped); ``""`` for an invalid or empty value."""
    d = to_date(value) if not isinstance(value, str) else _text_moment(value)
    if isinstance(d, dt.datetime):
        return d.date()
    return "" if d is None else d


def _date_time(value: Any) -> Any:
    """``date-time()``: a date-time text keeps its time; a number is fractional days."""
    moment = to_moment(value)
    return "" if moment is None else moment


def _text_moment(text: str) -> dt.date | dt.datetime | None:
    return parse_moment(text) if text.strip() else None


def _decimal_date(value: Any) -> float:
    """``decimal-date-time()``: days since 1970-01-01, with the time as a fraction."""
    value = _first(value)
    if isinstance(value, bool):
        return NAN
    if isinstance(value, str):
        moment = _text_moment(value)
        return NAN if moment is None else to_number(moment)
    if isinstance(value, (int, float)):
        return NAN if abs(value) > 2**31 else float(value)
    return to_number(value)


def _decimal_time(value: Any) -> float:
    """``decimal-time()``: the time of day as a fraction of a day (``12:00`` is 0.5)."""
    value = _first(value)
    if isinstance(value, str):
        text = value.strip()
        if _TIME.match(text):
            text = "1970-01-01T" + text
        moment = _text_moment(text)
        if moment is None:
            return NAN
        value = moment
    if isinstance(value, dt.datetime):
        midnight = dt.datetime.combine(value.date(), dt.time())
        return (value - midnight).total_seconds() / 86400.0
    if isinstance(value, dt.date):
        return 0.0
    x = to_number(value)
    if math.isnan(x) or math.isinf(x):
        return NAN
    return x - math.floor(x)


_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?\Z")


def _first(value: Any) -> Any:
    if isinstance(value, NodeSet):
        return value[0] if value else ""
    return value


def _nodes(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, NodeSet) else (value,)


def _sum(value: Any) -> float:
    """JavaRosa's sum: values that are not numbers (empty answers) are skipped."""
    nums = (to_number(v) for v in _nodes(value))
    return float(sum(n for n in nums if not math.isnan(n)))


def _count_non_empty(value: Any) -> float:
    return float(sum(1 for v in _nodes(value) if to_string(v) != ""))


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
    """JavaRosa's min/max: values that are not numbers are skipped; none left is NaN."""
    nums = [n for a in args for v in _nodes(a) if not math.isnan(n := to_number(v))]
    if not nums:
        return NAN
    return float(pick(nums))


def _is_null(value: Any) -> bool:
    """Empty for ``coalesce``: ``""`` or NaN (an empty node-set too)."""
    value = _first(value)
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value == ""


def _join(args: Sequence[Any]) -> str:
    sep = to_string(args[0])
    if len(args) == 2:
        return sep.join(to_string(v) for v in _nodes(args[1]))
    return sep.join(to_string(v) for v in args[1:])


def _boolean_from_string(value: Any) -> bool:
    text = to_string(value)
    return text.lower() == "true" or text == "1"


def _checklist(args: Sequence[Any]) -> bool:
    """``checklist(min, max, v...)``: the number of true values is within min..max
    (-1: no bound)."""
    low, high = _index(to_number(args[0])), _index(to_number(args[1]))
    count = sum(1 for a in args[2:] for v in _nodes(a) if to_bool(v))
    return (low < 0 or count >= low) and (high < 0 or count <= high)


def _weighted_checklist(args: Sequence[Any]) -> bool:
    """``weighted-checklist(min, max, v1, w1, v2, w2...)``: the weights of the true
    values add up to min..max (two node-sets of values and weights also work)."""
    low, high = to_number(args[0]), to_number(args[1])
    if len(args) == 4 and isinstance(args[2], NodeSet) and isinstance(args[3], NodeSet):
        pairs = list(zip(args[2], args[3], strict=False))
    else:
        pairs = list(zip(args[2::2], args[3::2], strict=False))
    total = sum(to_number(w) for v, w in pairs if to_bool(v))
    return low <= total <= high


_DIGESTS = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}


def _digest(args: Sequence[Any]) -> str:
    """``digest(data, algorithm[, 'base64'|'hex'])``; ``""`` for an unknown algorithm."""
    algorithm = _DIGESTS.get(to_string(args[1]).strip().upper())
    encoding = to_string(args[2]).strip().lower() if len(args) > 2 else "base64"
    if algorithm is None or encoding not in ("base64", "hex"):
        return ""
    raw = hashlib.new(algorithm, to_string(args[0]).encode("utf-8")).digest()
    return raw.hex() if encoding == "hex" else base64.b64encode(raw).decode("ascii")


def _base64_decode(value: Any) -> str:
    try:
        return base64.b64decode(to_string(value), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


def _math1(fn: Callable[[float], float]) -> Impl:
    def impl(c: Any, a: Sequence[Any]) -> float:
        x = _as_double(a[0])
        if math.isnan(x):
            return NAN
        try:
            return float(fn(x))
        except OverflowError:
            return math.inf
        except ValueError:
            if fn in (math.log, math.log10) and x == 0:
                return -math.inf
            return NAN

    return impl


def _as_double(value: Any) -> float:
    """JavaRosa's ``toDouble``: a date-time counts its time as a fraction of a day."""
    return to_number(_first(value))


def _atan2(y: float, x: float) -> float:
    return math.atan2(y, x) if not (math.isnan(x) or math.isnan(y)) else NAN


def _once(c: Any, a: Sequence[Any]) -> Any:
    """``once(x)``: the question's own value if it has one, else ``x``."""
    return a[0] if _is_null(c.cur) else c.cur


def _uuid(c: Any, a: Sequence[Any]) -> str:
    if not a:
        return str(uuid.uuid4())
    size = min(_index(to_number(a[0])), 1000)  # a bound of ours
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    rng = random.SystemRandom()
    return "".join(rng.choice(alphabet) for _ in range(max(size, 0)))


_EARTH_RADIUS = 6_378_100.0  # JavaRosa's GeoUtils: equatorial radius in metres
_EARTH_CIRCUMFERENCE = 2 * _EARTH_RADIUS * math.pi


def _points(values: Sequence[Any]) -> list[tuple[float, float]] | None:
    """Latitude/longitude pairs from geopoint texts or ``;``-separated traces/shapes."""
    out: list[tuple[float, float]] = []
    for value in values:
        for node in _nodes(value):
            for part in to_string(node).split(";"):
                nums = part.split()
                if not nums:
                    continue
                try:
                    lat, lon = float(nums[0]), float(nums[1])
                except (ValueError, IndexError):
                    return None
                out.append((lat, lon))
    return out


def _distance(args: Sequence[Any]) -> float:
    """``distance(trace)`` or ``distance(p1, p2, …)``: metres along the points (JavaRosa's
    great-circle formula)."""
    points = _points(args)
    if points is None:
        return NAN
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(points):
        p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon1 - lon2)
        cosine = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
        total += math.acos(max(-1.0, min(1.0, cosine))) * _EARTH_RADIUS
    return total


def _area(value: Any) -> float:
    """``area(shape)``: square metres inside the points (JavaRosa's formula)."""
    points = _points([value])
    if points is None:
        return NAN
    if len(points) < 3:
        return 0.0
    lat0, lon0 = points[0]
    ys = [(lat - lat0) * _EARTH_CIRCUMFERENCE / 360.0 for lat, _lon in points[1:]]
    xs = [
        (lon - lon0) * _EARTH_CIRCUMFERENCE * math.cos(math.radians(lat)) / 360.0
        for lat, lon in points[1:]
    ]
    total = sum((ys[i - 1] * xs[i] - xs[i - 1] * ys[i]) / 2 for i in range(1, len(xs)))
    return abs(total)


def _geofence(point: Any, shape: Any) -> bool:
    """``geofence(point, shape)``: the point is inside the shape (false when either is
    not a location)."""
    at, polygon = _points([point]), _points([shape])
    if not at or not polygon:
        return False
    lat, lon = at[0]
    inside = False
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(polygon):
        if (lat2 > lat) != (lat1 > lat) and lon < (lon1 - lon2) * (lat - lat2) / (
            lat1 - lat2
        ) + lon2:
            inside = not inside
    return inside


def _pulldata(c: Any, a: Sequence[Any]) -> str:
    """``pulldata('file', 'column', 'key_column', key)`` over ``file.csv`` beside the form."""
    table = c.s.form.tables.get(to_string(a[0]).strip())
    if table is None:
        return ""
    column, key_column, key = to_string(a[1]), to_string(a[2]), to_string(a[3])
    for row in table:
        if row.get(key_column, "") == key:
            return str(row.get(column, ""))
    return ""


FUNCTIONS: dict[str, tuple[int, int | None, Impl]] = {
    # Logic.
    "not": (1, 1, lambda c, a: not to_bool(a[0])),
    "true": (0, 0, lambda c, a: True),
    "false": (0, 0, lambda c, a: False),
    "boolean": (1, 1, lambda c, a: to_bool(a[0])),
    "if": (3, 3, lambda c, a: a[1] if to_bool(a[0]) else a[2]),
    "coalesce": (2, 2, lambda c, a: a[1] if _is_null(a[0]) else a[0]),
    "boolean-from-string": (1, 1, lambda c, a: _boolean_from_string(a[0])),
    "checklist": (2, None, lambda c, a: _checklist(a)),
    "weighted-checklist": (2, None, lambda c, a: _weighted_checklist(a)),
    "once": (1, 1, _once),
    "depend": (1, None, lambda c, a: a[0]),
    # Selects.
    "selected": (2, 2, lambda c, a: _s(a, 1).strip() in _selected_values(a[0])),
    "is-selected": (2, 2, lambda c, a: _s(a, 1).strip() in _selected_values(a[0])),
    "count-selected": (1, 1, lambda c, a: float(len(_selected_values(a[0])))),
    "selected-at": (2, 2, lambda c, a: _selected_at(a[0], to_number(a[1]))),
    "jr:choice-name": (2, 2, _choice_name),
    # Text.
    "string": (0, 1, lambda c, a: to_string(a[0] if a else c.cur)),
    "string-length": (0, 1, lambda c, a: float(len(to_string(a[0] if a else c.cur)))),
    "concat": (0, None, lambda c, a: _concat(a)),
    "join": (1, None, lambda c, a: _join(a)),
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
    "digest": (2, 3, lambda c, a: _digest(a)),
    "base64-decode": (1, 1, lambda c, a: _base64_decode(a[0])),
    "uuid": (0, 1, _uuid),
    "pulldata": (4, 4, _pulldata),
    # Locations.
    "area": (1, 1, lambda c, a: _area(a[0])),
    "enclosed-area": (1, 1, lambda c, a: _area(a[0])),
    "distance": (1, None, lambda c, a: _distance(a)),
    "geofence": (2, 2, lambda c, a: _geofence(a[0], a[1])),
    "version": (0, 0, lambda c, a: str(c.s.form.version)),
    # Numbers.
    "number": (0, 1, lambda c, a: to_number(a[0] if a else c.cur)),
    "int": (1, 1, lambda c, a: _int(to_number(a[0]))),
    "round": (1, 2, lambda c, a: _round(to_number(a[0]), to_number(a[1]) if len(a) > 1 else 0.0)),
    "floor": (1, 1, lambda c, a: _int_like(math.floor, to_number(a[0]))),
    "ceiling": (1, 1, lambda c, a: _int_like(math.ceil, to_number(a[0]))),
    "abs": (1, 1, lambda c, a: abs(to_number(a[0]))),
    "pow": (2, 2, lambda c, a: _pow(_as_double(a[0]), _as_double(a[1]))),
    "sqrt": (1, 1, _math1(math.sqrt)),
    "exp": (1, 1, _math1(math.exp)),
    "exp10": (1, 1, lambda c, a: _pow(10.0, _as_double(a[0]))),
    "log": (1, 1, _math1(math.log)),
    "log10": (1, 1, _math1(math.log10)),
    "sin": (1, 1, _math1(math.sin)),
    "cos": (1, 1, _math1(math.cos)),
    "tan": (1, 1, _math1(math.tan)),
    "asin": (1, 1, _math1(math.asin)),
    "acos": (1, 1, _math1(math.acos)),
    "atan": (1, 1, _math1(math.atan)),
    "atan2": (2, 2, lambda c, a: _atan2(_as_double(a[0]), _as_double(a[1]))),
    "pi": (0, 0, lambda c, a: math.pi),
    "random": (0, 0, lambda c, a: random.random()),  # noqa: S311 - not for security
    "max": (1, None, lambda c, a: _minmax(max, a)),
    "min": (1, None, lambda c, a: _minmax(min, a)),
    # Dates.
    "today": (0, 0, lambda c, a: c.today),
    "now": (0, 0, lambda c, a: c.now),
    "date": (1, 1, lambda c, a: _date(a[0])),
    "date-time": (1, 1, lambda c, a: _date_time(a[0])),
    "format-date": (2, 2, lambda c, a: _format_date(a[0], _s(a, 1))),
    "format-date-time": (2, 2, lambda c, a: _format_date(a[0], _s(a, 1))),
    "decimal-date-time": (1, 1, lambda c, a: _decimal_date(a[0])),
    "decimal-date": (1, 1, lambda c, a: _decimal_date(a[0])),
    "decimal-time": (1, 1, lambda c, a: _decimal_time(a[0])),
    # Repeats.
    "count": (1, 1, lambda c, a: _count(a[0])),
    "sum": (1, 1, lambda c, a: _sum(a[0])),
    "count-non-empty": (1, 1, lambda c, a: _count_non_empty(a[0])),
    "indexed-repeat": (3, 3, lambda c, a: ""),  # compiled by evaluate.compile_expr
    "position": (0, 1, lambda c, a: float(c.idx + 1) if c.idx is not None else 1.0),
    # Extensions over surveyapp.core.ids (docs/forms.md).
    "id-valid": (1, 1, lambda c, a: is_valid_resident_id(_s(a, 0).strip())),
    "id-birthdate": (1, 1, lambda c, a: _id_birthdate(a[0])),
    "id-sex": (1, 1, lambda c, a: _id_sex(a[0])),
    "admin-code-valid": (1, 1, lambda c, a: is_valid_admin_code(_s(a, 0).strip())),
    "phone-valid": (1, 1, lambda c, a: is_valid_phone(_s(a, 0).strip())),
}

# ODK functions refused by name → whether they are planned (FORM_028) or not (FORM_026).
UNSUPPORTED_FUNCTIONS: dict[str, bool] = {
    "instance": False,
    "current": False,
    "jr:itext": False,
    "extract-signed": False,
    "property": False,
    "randomize": True,
}

EXTENSIONS = ("id-valid", "id-birthdate", "id-sex", "admin-code-valid", "phone-valid")


def _int_like(fn: Callable[[float], int], x: float) -> float:
    if math.isnan(x) or math.isinf(x):
        return x
    return float(fn(x))


def _pow(x: float, y: float) -> float:
    """Java's ``Math.pow``: 0 to a negative power is Infinity; overflow is Infinity."""
    try:
        return float(math.pow(x, y))
    except OverflowError:
        return math.inf if x > 0 or (float(y).is_integer() and y % 2 == 0) else -math.inf
    except ValueError:
        if x == 0 and y < 0:
            return math.inf
        return NAN


def days(d: dt.date) -> float:
    """Days since 1970-01-01 (what a date is as a number)."""
    return float((d - EPOCH).days)
