"""TRUST-F1 an enrollment file or a trust update altered anywhere (bytes flipped, cut,
inserted or deleted, or any JSON value replaced by a value of another type) is refused with
a coded SurveyError, and the workspace keeps no trust state from it; no other exception
escapes. The unsigned minisign "untrusted comment" is left alone: by definition it is not
covered by the signature."""

from __future__ import annotations

import json
import random

import pytest

from surveyapp.core import trust
from surveyapp.core.store import Workspace
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.trust import keystore
from surveyapp.errors import SurveyError

KEY = bytes.fromhex("b8" * 32)
TYPE_SWAPS = (None, 0, 1.5, True, "x", "", [], {}, [1], {"a": 1})


def _ws(tmp_path, role, org, name):
    return Workspace.create_with_key(tmp_path / f"{name}.sdb", KEY, role=role, org_code=org,
                                     org_name=name, user="u")


@pytest.fixture
def setup(tmp_path):
    county = _ws(tmp_path, "county", "522422", "county")
    village = _ws(tmp_path, "village", "522422102201", "village")
    trust.init_county(county)
    enrollment = trust.enroll(county, trust.enroll_request(village))
    yield county, village, enrollment
    county.close()
    village.close()


def _paths(value, prefix=()):
    """Every path to a value inside a JSON document."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


def _replace(doc, path, new):
    if not path:
        return new
    doc = json.loads(json.dumps(doc))
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return doc


def _refused(village, data):
    try:
        trust.accept_enrollment(village, data)
    except SurveyError:
        return True
    except Exception as err:  # the property: nothing else escapes
        pytest.fail(f"{type(err).__name__}: {err}")
    return False


def test_enrollment_values_of_other_types__refused(setup):  # TRUST-F1
    _, village, enrollment = setup
    doc = json.loads(enrollment)
    tried = 0
    for path in _paths(doc):
        if path and path[0] == "signature":
            continue
        for new in TYPE_SWAPS:
            try:
                data = canonical_json(_replace(doc, path, new))
            except ValueError:  # floats are not canonical JSON: send the plain text
                data = json.dumps(_replace(doc, path, new)).encode()
            if data == enrollment:
                continue
            assert _refused(village, data), (path, new)
            tried += 1
    assert tried > 100
    assert keystore.county_keys(village) is None


def test_enrollment_bytes_mutated__refused(setup):  # TRUST-F1
    _, village, enrollment = setup
    comment_start = enrollment.index(b"untrusted comment: ")
    comment_end = enrollment.index(b"\\n", comment_start)
    rng = random.Random(11)
    tried = 0
    while tried < 1500:
        data = bytearray(enrollment)
        pos = rng.randrange(len(data))
        if comment_start <= pos <= comment_end:
            continue
        kind = rng.randrange(4)
        if kind == 0:
            data[pos] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del data[pos:]
        elif kind == 2:
            data[pos:pos] = rng.randbytes(rng.randint(1, 4))
        else:
            del data[pos:pos + rng.randint(1, 4)]
        if bytes(data) == enrollment:
            continue
        assert _refused(village, bytes(data)), pos
        tried += 1
    assert keystore.county_keys(village) is None
    # The untouched file is still accepted afterwards.
    trust.accept_enrollment(village, enrollment)
    assert keystore.county_keys(village) is not None
