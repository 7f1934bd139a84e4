"""RELAY-F1 a township relay file mutated 400 times (bit flips, truncations, inserted and
deleted bytes) is refused with a coded SurveyError and the county store is unchanged, or is
accepted only when the mutation left every member's content intact (the relay's zip frame
is not canonical, so e.g. a member timestamp may change); no other exception escapes."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile

import pytest

from surveyapp.core import trust
from surveyapp.core.store import Workspace
from surveyapp.errors import SurveyError
from surveyapp.ops import relay
from surveyapp.ops.batches import export_batch

KEY = bytes.fromhex("c1" * 32)
MUTATIONS = 400


def _ws(tmp_path, role, org, name):
    return Workspace.create_with_key(tmp_path / f"{name}.sdb", KEY, role=role, org_code=org,
                                     org_name=name, user="u")


def _members(blob: bytes) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            return {n: zf.read(n) for n in zf.namelist()}
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError,
            NotImplementedError):
        return None


def _mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    pos = rng.randrange(len(out))
    kind = rng.randrange(4)
    if kind == 0:
        out[pos] ^= 1 << rng.randrange(8)
    elif kind == 1:
        del out[pos:]
    elif kind == 2:
        out[pos:pos] = rng.randbytes(rng.randint(1, 8))
    else:
        del out[pos:pos + rng.randint(1, 8)]
    return bytes(out)


@pytest.mark.slow
def test_mutated_relay__coded_rejection_store_unchanged(tmp_path):  # RELAY-F1
    county = _ws(tmp_path, "county", "522422", "county")
    town = _ws(tmp_path, "township", "522422102", "town")
    village = _ws(tmp_path, "village", "522422102201", "village")
    try:
        trust.init_county(county)
        trust.accept_enrollment(town, trust.enroll(county, trust.enroll_request(town)))
        trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
        trust.apply_update(town, trust.trust_update(county, "522422102"))
        village.save_visit(None, {"survey_date": "2026-07-01", "village_code": "522422102201",
                                  "township_code": "522422102", "child_name": "李",
                                  "sex": "female"}, form_id="child_screening", form_version="1")
        (tmp_path / "usb").mkdir()
        relay.import_and_keep(town, export_batch(village, tmp_path / "usb").path)
        (tmp_path / "up").mkdir()
        original = relay.export_relay(town, tmp_path / "up").path.read_bytes()
        genuine = _members(original)

        def content_hash() -> str:
            rows = county.conn.execute("SELECT id FROM revisions ORDER BY id")
            meta = county.conn.execute("SELECT key, value FROM meta ORDER BY key")
            return hashlib.sha256(repr((rows, meta)).encode()).hexdigest()

        target = tmp_path / "mutant.relay.zip"
        rng = random.Random(5)
        rejected = 0
        for i in range(MUTATIONS):
            blob = _mutate(original, rng)
            if blob == original:
                continue
            target.write_bytes(blob)
            before = content_hash()
            try:
                relay.import_relay(county, target)
            except SurveyError:
                assert content_hash() == before, f"mutation {i} changed the store"
                rejected += 1
                continue
            except Exception as err:  # the property: nothing else escapes
                pytest.fail(f"mutation {i} raised {type(err).__name__}: {err}")
            assert _members(blob) == genuine, f"mutation {i} accepted with other content"
        assert rejected > 0.9 * MUTATIONS
    finally:
        for ws in (county, town, village):
            ws.close()
