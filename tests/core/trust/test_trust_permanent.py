"""TRUST-5 (issue #12) revocation recorded before this rule existed still blocks
re-enrollment; the county key code is stable, 20 digits, and changes with any of the keys."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from surveyapp.core import trust
from surveyapp.core.store import Workspace
from surveyapp.core.trust import keystore
from surveyapp.core.trust.codes import TrustCode
from surveyapp.errors import SurveyError

KEY = bytes.fromhex("c4" * 32)


def _ws(tmp_path, role, org, name):
    return Workspace.create_with_key(tmp_path / f"{name}.sdb", KEY, role=role, org_code=org,
                                     org_name=name, user="u")


def test_revoked_before_revocations_were_recorded__still_refused(tmp_path):  # TRUST-5
    county = _ws(tmp_path, "county", "522422", "county")
    village = _ws(tmp_path, "village", "522422102201", "village")
    trust.init_county(county)
    request = trust.enroll_request(village)
    trust.enroll(county, request)
    trust.revoke(county, village.device_id)
    county.set_meta("trust.revocations", "{}")  # as an older version left it
    with pytest.raises(SurveyError) as info:
        trust.enroll(county, request)
    assert info.value.code is TrustCode.TRUST_015
    assert "未知" in info.value.message("zh")  # when and by whom: not recorded
    assert keystore.devices(county)[village.device_id].revoked
    for ws in (county, village):
        ws.close()


def test_county_key_code__stable_and_bound_to_every_key(tmp_path):  # TRUST-5
    county = _ws(tmp_path, "county", "522422", "county")
    keys = trust.init_county(county)
    code = keys.fingerprint()
    assert re.fullmatch(r"\d{4}(-\d{4}){4}", code)
    again = keystore.CountyKeys(**json.loads(json.dumps(dataclasses.asdict(keys))))
    assert again.fingerprint() == code
    second = _ws(tmp_path, "county", "522422", "county2")
    other = trust.init_county(second)
    for field in ("org_code", "sign_key", "age_recipient", "recovery_recipient"):
        changed = dataclasses.replace(keys, **{field: getattr(other, field)
                                               if field != "org_code" else "522423"})
        assert changed.fingerprint() != code, field
    county.close()
    second.close()
