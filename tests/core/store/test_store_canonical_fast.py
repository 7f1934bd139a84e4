"""The fast canonical check (orjson) against the exact one (standard library).

The fast path may only say "canonical" when the exact check agrees, with the same value;
anything it cannot decide must fall through to the exact check.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveyapp.core.store.canonical import (
    _parse_exact,
    _parse_fast,
    canonical_json,
    parse_canonical,
)

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["张小明", "e\u0301", "\U0001f600", "\uffff", "a\"b", "x\\y", "\x00\x1f\x7f", "\u2028",
     "09:43:02.5", ",1.5", "[12345678901234567"])
NUMBERS = st.integers(min_value=-(2**64), max_value=2**64) | st.floats(allow_nan=False)
LEAVES = st.none() | st.booleans() | TEXT | NUMBERS | st.sampled_from(
    [0, -1, 2**53 - 1, 2**53, -(2**53 - 1), -(2**53), 1.0, -0.0, 1e22])
VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)
OBJECTS = st.dictionaries(TEXT, VALUES, max_size=6)


def _exact(body: bytes) -> Any:
    try:
        return _parse_exact(body)
    except (ValueError, RecursionError):
        return "refused"


def _encodings(value: dict[str, Any]) -> list[bytes]:
    """The canonical bytes (when ``value`` has some) and other plausible encodings."""
    out: list[bytes] = []
    try:
        out.append(canonical_json(value))
    except ValueError:
        pass
    for sort in (True, False):
        for ascii_only in (True, False):
            for seps in ((",", ":"), (", ", ": ")):
                out.append(json.dumps(value, sort_keys=sort, ensure_ascii=ascii_only,
                                      separators=seps).encode("utf-8", "surrogatepass"))
    return out


@settings(max_examples=400, deadline=None)
@given(OBJECTS)
def test_fast_path_accepts__only_what_exact_check_accepts(value: dict[str, Any]) -> None:
    for body in _encodings(value):
        fast = _parse_fast(body)
        if fast is not None:
            assert _exact(body) == fast
            assert canonical_json(fast) == body


@settings(max_examples=300, deadline=None)
@given(OBJECTS)
def test_canonical_bytes__parse_back_to_value(value: dict[str, Any]) -> None:
    try:
        body = canonical_json(value)
    except ValueError:
        return
    assert parse_canonical(body) == value


@pytest.mark.parametrize("body", [
    b'{"a":1.5}', b'{"a":[3,1.5]}', b'{"a":{"b":[1.0]}}', b'{"a":1e2}', b'{"a":-0}',
    b'{"a":9007199254740992}', b'{"a":-9007199254740992}', b'{"b":1,"a":2}',
    b'{"a":1,"a":1}', b'{"a":1, "b":2}', b'{"a":"e\xcc\x81"}', b' {"a":1}', b'{"a":1}\n',
    b'{"a":"\\u00e9"}', b'{"a":"\\/"}', b'{"a":"\\u001F"}',
])
def test_non_canonical__neither_path_accepts(body: bytes) -> None:
    assert _parse_fast(body) is None
    with pytest.raises(ValueError):
        parse_canonical(body)


@pytest.mark.parametrize("body", [
    b'{"a":9007199254740991,"b":-9007199254740991}', b'{"t":"2026-07-01T08:00:00.000000Z"}',
    '{"n":"张小明","s":"\u2028\x7f/"}'.encode(), b'{"a":[],"b":{},"c":[{"d":null}]}',
])
def test_canonical__fast_path_decides(body: bytes) -> None:
    assert _parse_fast(body) == _parse_exact(body)
