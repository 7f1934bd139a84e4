"""Canonical JSON and revision ids: golden values that must never change.

See docs/canonical-json.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from surveyapp.core.store.canonical import canonical_json, normalize, parse_canonical
from surveyapp.core.store.codes import StoreCode
from surveyapp.core.store.revisions import Revision
from surveyapp.errors import SurveyError

GOLDEN = [
    (
        {"b": 1, "a": [True, None, "x"], "é": "e\u0301"},
        b'{"a":[true,null,"x"],"b":1,"\xc3\xa9":"\xc3\xa9"}',
        "61eaba0a007e344a191a7f3345822a2a89fb30e76afac37b1ad5098b115476b3",
    ),
    (
        {"z": 1.5, "d": dt.date(2026, 7, 1), "n": -3,
         "t": dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))},
        b'{"d":"2026-07-01","n":-3,"t":"2026-07-01T00:00:00.000000Z","z":"1.5"}',
        "c62c268171fed83bf759e28be5ebb37bbd8727fe98dee4a07291082c15c8462e",
    ),
    (
        {"\U0001f600": 1, "\uffff": 2, 'a"b': "line\nbreak\t\u0001", "": "张三"},
        b'{"":"\xe5\xbc\xa0\xe4\xb8\x89","a\\"b":"line\\nbreak\\t\\u0001",'
        b'"\xf0\x9f\x98\x80":1,"\xef\xbf\xbf":2}',
        "7d3cbe523a2c88a61d12270b6abb5d133fcb8d7d597bcb3bcbfc9f12e371d2ba",
    ),
]

GOLDEN_REVISION_ID = "6a4ece3d5b82ec307babff9057999fa1e7e649cfecec79c7d995ec742b33b814"


def golden_revision() -> Revision:
    return Revision.make(
        kind="child", record_id="c0000000-0000-4000-8000-000000000001",
        parents=["b" * 64, "a" * 64], form_id="child_screening", form_version="2026070101",
        author="wang", device_id="d0000000-0000-4000-8000-000000000001",
        created_at="2026-07-01T08:00:00.000000Z",
        data={"child_name": "张小明", "id_number": "52242220100101123X",
              "father_away_months": 24, "risk_signs": "none", "status": "active"},
    )


@pytest.mark.parametrize(("value", "expected", "digest"), GOLDEN)
def test_canonical_golden__stable_bytes_and_hash(
    value: object, expected: bytes, digest: str
) -> None:
    body = canonical_json(normalize(value))
    assert body == expected
    assert hashlib.sha256(body).hexdigest() == digest


def test_revision_id_golden__stable() -> None:
    rev = golden_revision()
    assert rev.id == GOLDEN_REVISION_ID
    assert rev.parents == ("a" * 64, "b" * 64)
    assert rev.body.startswith(b'{"author":"wang","created_at":"2026-07-01T08:00:00.000000Z"')


def test_revision_from_body__round_trips() -> None:
    rev = golden_revision()
    assert Revision.from_body(rev.body, GOLDEN_REVISION_ID) == rev


def test_revision_from_body_wrong_id__error() -> None:
    with pytest.raises(SurveyError) as info:
        Revision.from_body(golden_revision().body, "0" * 64)
    assert info.value.code is StoreCode.STORE_014


def test_revision_from_body_not_canonical__error() -> None:
    body = golden_revision().body.replace(b'{"author"', b'{ "author"')
    with pytest.raises(SurveyError) as info:
        Revision.from_body(body)
    assert info.value.code is StoreCode.STORE_014


def test_canonical_float__refused_unless_normalized() -> None:
    with pytest.raises(ValueError, match="float"):
        canonical_json({"x": 1.5})
    assert canonical_json(normalize({"x": 1.5})) == b'{"x":"1.5"}'


@pytest.mark.parametrize("bad", [float("nan"), 2**53, b"bytes", dt.datetime(2026, 1, 1)])
def test_normalize_unstorable__error(bad: object) -> None:
    with pytest.raises(SurveyError) as info:
        normalize({"field": bad})
    assert info.value.code is StoreCode.STORE_013


@pytest.mark.parametrize("body", [
    b'{"a":1.5}', b'{"a":NaN}', b'{"b":1,"a":2}', b'{"a": 1}', '{"a":"e\u0301"}'.encode(),
    b'{"a":9007199254740993}', b'{"a":"\\u00e9"}',
    '{"\uffff":1,"\U0001f600":2}'.encode(),  # code point order, not UTF-16 order
])
def test_parse_canonical_not_canonical__error(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_canonical(body)


@pytest.mark.parametrize(("value", "expected", "digest"), GOLDEN)
def test_parse_canonical_golden__round_trips(value: object, expected: bytes, digest: str) -> None:
    assert canonical_json(parse_canonical(expected)) == expected
