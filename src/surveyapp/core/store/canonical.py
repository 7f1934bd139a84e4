"""Canonical JSON: the one byte encoding of a revision that its id hashes (docs/canonical-json.md).

``canonical_json(value) -> bytes`` encodes a JSON-like value deterministically: object keys
sorted by their UTF-16 code units (the same order as RFC 8785), no insignificant whitespace,
UTF-8 with no escaping beyond what JSON requires, every string NFC-normalised. Integers
must fit in ±(2**53 - 1) so that every JSON reader keeps them exact. Floats, dates and
datetimes are not JSON types: ``normalize`` turns them into strings first (a float into its
shortest round-trip decimal text, a date into ``YYYY-MM-DD``, an aware datetime into UTC
``YYYY-MM-DDTHH:MM:SS.ffffffZ``) and ``canonical_json`` refuses them, so that the hashed
bytes never depend on a platform's float printing.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import orjson

from surveyapp.core.store.codes import StoreCode
from surveyapp.errors import SurveyError

MAX_SAFE_INT = 2**53 - 1


def _key(k: str) -> list[int]:
    # RFC 8785 sorts by UTF-16 code units; for the BMP this equals code point order.
    return list(k.encode("utf-16-be"))


def normalize(value: Any, field: str = "value") -> Any:
    """``value`` with floats, dates, datetimes and tuples turned into canonical JSON types.

    :param field: the field name used in error messages.
    :raises SurveyError: STORE_013 for a value that has no JSON form (bytes, NaN, naive
        datetime, a non-string key, an integer beyond 2**53).
    """
    if value is None or isinstance(value, bool | str):
        return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INT:
            raise SurveyError(StoreCode.STORE_013, field=field, reason="integer too large")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SurveyError(StoreCode.STORE_013, field=field, reason="not a finite number")
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise SurveyError(StoreCode.STORE_013, field=field, reason="time without zone")
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise SurveyError(StoreCode.STORE_013, field=field, reason="non-text key")
            out[unicodedata.normalize("NFC", k)] = normalize(v, k)
        return out
    if isinstance(value, list | tuple):
        return [normalize(v, field) for v in value]
    raise SurveyError(StoreCode.STORE_013, field=field, reason=type(value).__name__)


def _check(value: Any) -> bool:
    """Raise on anything that is not canonical JSON; True when a key is beyond the BMP."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, str):
        if not value.isascii() and not unicodedata.is_normalized("NFC", value):
            raise ValueError("string is not NFC")
        return False
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INT:
            raise ValueError("integer beyond 2**53")
        return False
    if isinstance(value, dict):
        astral = False
        for k, v in value.items():
            if not isinstance(k, str):
                raise ValueError("non-string key")
            if not k.isascii():
                _check(k)
                astral = astral or max(k) > "\uffff"
            if isinstance(v, str):
                if not v.isascii() and not unicodedata.is_normalized("NFC", v):
                    raise ValueError("string is not NFC")
            elif _check(v):
                astral = True
        return astral
    if isinstance(value, list):
        astral = False
        for v in value:
            astral = _check(v) or astral
        return astral
    raise ValueError(f"{type(value).__name__} is not canonical JSON")


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value, key=_key)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 bytes of ``value`` (already normalised: see :func:`normalize`).

    :raises ValueError: for floats, non-NFC strings, huge integers or non-JSON types (a bug
        in the caller, which should have called :func:`normalize`).
    """
    if _check(value):
        # A key beyond the BMP: UTF-16 order differs from code point order, sort by hand.
        value = _sorted(value)
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                          sort_keys=True)
    return text.encode("utf-8")


def _no_float(text: str) -> Any:
    raise ValueError(f"non-integer number {text}")


def _safe_int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_SAFE_INT:
        raise ValueError("integer beyond 2**53")
    return value


# The UTF-8 lead bytes of characters beyond the BMP.
_ASTRAL = re.compile(rb"[\xf0-\xf4]")


# The UTF-8 lead bytes of characters beyond the BMP, for a quick ``in`` test each.
_ASTRAL_LEADS = (b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4")


def _has_float(value: dict[str, Any] | list[Any]) -> bool:
    """True when a float is anywhere inside ``value`` (canonical JSON has none)."""
    items = value.values() if isinstance(value, dict) else value
    types = set(map(type, items))
    if float in types:
        return True
    if dict in types or list in types:
        return any(_has_float(v) for v in items if isinstance(v, dict | list))
    return False


def _parse_fast(body: bytes) -> Any | None:
    """The value of ``body`` when a cheap test proves it canonical, else None (undecided).

    orjson parses, and re-encoding with sorted keys must give back exactly ``body``. The
    test leaves to the exact check whatever the two encoders might write differently: a
    backslash anywhere (escapes), a character beyond the BMP (key order is UTF-16 order
    there, orjson's is code point order), a float (canonical JSON has none) and an integer
    beyond 2**53 (``OPT_STRICT_INTEGER`` refuses those). Otherwise orjson's compact sorted
    output and :func:`canonical_json` are the same bytes: strings without escapes written
    as themselves in UTF-8, keys in code point order (= UTF-16 order inside the BMP),
    integers, ``true``, ``false`` and ``null`` alike; whitespace, duplicate keys, exponents
    or ``-0`` change the re-encoding. NFC is then checked over the whole text. A property
    test compares both paths.
    """
    if body[:1] != b"{" or b"\\" in body:
        return None
    ascii_only = body.isascii()
    if not ascii_only and any(lead in body for lead in _ASTRAL_LEADS):
        return None
    try:
        value = orjson.loads(body)
        if _has_float(value):
            return None
        again = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return None
    if again != body:
        return None
    if not ascii_only and not unicodedata.is_normalized("NFC", body.decode("utf-8")):
        return None
    return value


def loads_stored(body: bytes) -> Any:
    """Parse bytes this store checked on the way in (no canonical check again)."""
    return orjson.loads(body)


def parse_canonical(body: bytes) -> Any:
    """Parse ``body``, checking that it is canonical JSON (re-encoding must give it back).

    Most revisions take :func:`_parse_fast` (orjson: parse and re-encode, about 10 times
    faster than the standard library); anything it cannot decide takes the exact check.

    :raises ValueError: when ``body`` is not canonical JSON.
    """
    fast = _parse_fast(body)
    if fast is not None:
        return fast
    return _parse_exact(body)


def _parse_exact(body: bytes) -> Any:
    """The exact check, with the standard library's parser and :func:`canonical_json`.

    Floats, NaN and huge integers are refused while parsing, NFC is checked once over the
    whole text (JSON's own punctuation is ASCII, so the text is NFC exactly when every
    string in it is), and key order by re-encoding.

    :raises ValueError: when ``body`` is not canonical JSON.
    """
    text = body.decode("utf-8")
    value = json.loads(text, parse_float=_no_float, parse_int=_safe_int,
                       parse_constant=_no_float)
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            raise ValueError("string is not NFC")
        if _ASTRAL.search(body):
            # Astral characters: keys may need UTF-16 order; take the full check.
            if canonical_json(value) != body:
                raise ValueError("not canonical")
            return value
    again = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if again != text:
        raise ValueError("not canonical")
    return value
