"""TRUST-1 county keys, enrollment request, signed enrollment, acceptance; TRUST-2 private
keys live only in the workspace's secrets; TRUST-3 revocation and form packages travel
down in signed updates; TRUST-4 bad, foreign, tampered or stale files are refused."""

from __future__ import annotations

import json

import pytest

from surveyapp.core import trust
from surveyapp.core.store import Workspace
from surveyapp.core.trust import keystore
from surveyapp.core.trust.codes import TrustCode
from surveyapp.errors import SurveyError

KEY = bytes.fromhex("c3" * 32)


def _ws(tmp_path, role, org, name):
    return Workspace.create_with_key(tmp_path / f"{name}.sdb", KEY, role=role, org_code=org,
                                     org_name=name, user="u")


@pytest.fixture
def county(tmp_path):
    ws = _ws(tmp_path, "county", "522422", "county")
    trust.init_county(ws)
    yield ws
    ws.close()


@pytest.fixture
def township(tmp_path):
    ws = _ws(tmp_path, "township", "522422102", "town")
    yield ws
    ws.close()


@pytest.fixture
def village(tmp_path):
    ws = _ws(tmp_path, "village", "522422102201", "village")
    yield ws
    ws.close()


def _code(fn):
    with pytest.raises(SurveyError) as info:
        fn()
    return info.value.code


def test_enroll_township_then_village__village_encrypts_to_both(county, township, village):
    # TRUST-1
    t = trust.accept_enrollment(township, trust.enroll(county, trust.enroll_request(township)))
    pkg = trust.FormPackage("child_screening", "2026.1", b"PK fake xlsx")
    v = trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village),
                                                      form=pkg))
    county_keys = keystore.county_keys(county)
    assert t.recipients == (county_keys.age_recipient,)
    town_recipient = keystore.devices(county)[township.device_id].age_recipient
    assert set(v.recipients) == {county_keys.age_recipient, town_recipient}
    assert v.form == "child_screening@2026.1"
    assert trust.device.form_package(village) == pkg
    assert set(keystore.signers(county)) == {township.device_id, village.device_id}


def test_private_keys__only_in_secrets(county, village):  # TRUST-2
    trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
    for ws in (county, village):
        meta = " ".join(str(v) for _, v in ws.conn.execute("SELECT key, value FROM meta"))
        assert "AGE-SECRET-KEY" not in meta and "secret key" not in meta
        assert ws.get_secret(keystore.SIGN_KEY) is not None
    assert county.get_secret(keystore.RECOVERY_IDENTITY).startswith(b"AGE-SECRET-KEY-1")


def test_revoke_update__township_sees_revoked_village(county, township, village):  # TRUST-3
    trust.accept_enrollment(township, trust.enroll(county, trust.enroll_request(township)))
    trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
    trust.revoke(county, village.device_id)
    applied = trust.apply_update(township, trust.trust_update(county, township.org_code))
    assert applied.revoked == (village.device_id,)
    assert keystore.signers(township)[village.device_id].revoked


def test_stale_update__refused(county, township):  # TRUST-4
    trust.accept_enrollment(township, trust.enroll(county, trust.enroll_request(township)))
    old = trust.trust_update(county, township.org_code)
    trust.apply_update(township, trust.trust_update(county, township.org_code))
    assert _code(lambda: trust.apply_update(township, old)) is TrustCode.TRUST_010


def test_tampered_enrollment__bad_signature(county, village):  # TRUST-4
    data = trust.enroll(county, trust.enroll_request(village))
    obj = json.loads(data)
    obj["body"]["device"]["role"] = "township"
    bad = json.dumps(obj).encode()
    assert _code(lambda: trust.accept_enrollment(village, bad)) is TrustCode.TRUST_002


def test_other_device_enrollment__refused(county, village, tmp_path):  # TRUST-4
    other = _ws(tmp_path, "village", "522422102202", "other")
    data = trust.enroll(county, trust.enroll_request(other))
    assert _code(lambda: trust.accept_enrollment(village, data)) is TrustCode.TRUST_007
    other.close()


def test_foreign_county_device__not_enrolled(county, tmp_path):  # TRUST-4
    far = _ws(tmp_path, "village", "110101001001", "far")
    assert _code(lambda: trust.enroll(county, trust.enroll_request(far))) is \
        TrustCode.TRUST_006
    far.close()


def test_garbage_request__bad_file(county):  # TRUST-4
    assert _code(lambda: trust.enroll(county, b"{not json")) is TrustCode.TRUST_001


def test_init_twice__kept(county):  # TRUST-1
    assert _code(lambda: trust.init_county(county)) is TrustCode.TRUST_003


def test_village_cannot_enroll__county_only(county, village):  # TRUST-1
    assert _code(lambda: trust.init_county(village)) is TrustCode.TRUST_004
