"""Requirements: BATCH-F1 a valid batch mutated 10,000 times (bit flips, truncations,
inserted and deleted bytes, swapped, duplicated and foreign members, a member altered and the
zip rebuilt with fresh CRCs) is rejected with a coded SurveyError every time (the container
frame is canonical, so even a zip timestamp counts); no other exception escapes.
BATCH-F2 importing 1,000 such mutations into a real store (each checked by ``verify_batch``
first, then offered to ``import_batch``) leaves its content hash unchanged."""

from __future__ import annotations

import hashlib
import io
import random
import warnings
import zipfile

import pytest
from batch_helpers import (
    COUNTY,
    COUNTY_IDENTITY,
    COUNTY_RECIPIENT,
    DEVICE_KEY,
    signers,
    source,
)

from surveyapp.core.batch import encode_batch, read_all
from surveyapp.core.batch.codec import MEMBERS
from surveyapp.errors import SurveyError

MUTATIONS = 10_000
STORE_MUTATIONS = 1_000  # each one also goes through a real SQLCipher import


def _members(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _rezip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as zf:
        warnings.simplefilter("ignore")  # a duplicated member is the point of some mutations
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def _structural(original: bytes, foreign: bytes, rng: random.Random) -> bytes:
    """A mutation of the member list: swapped, dropped, duplicated or foreign members."""
    own, other = _members(original), _members(foreign)
    names = list(MEMBERS)
    choice = rng.randrange(6)
    if choice == 5:  # a member's content altered and the zip rebuilt (CRCs recomputed)
        n = rng.choice(names)
        data = bytearray(own[n])
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return _rezip([(m, bytes(data) if m == n else own[m]) for m in names])
    if choice == 0:  # two members swap places
        i, j = rng.sample(range(len(names)), 2)
        names[i], names[j] = names[j], names[i]
        return _rezip([(n, own[n]) for n in names])
    if choice == 1:  # a member is missing
        names.pop(rng.randrange(len(names)))
        return _rezip([(n, own[n]) for n in names])
    if choice == 2:  # a member appears twice
        n = rng.choice(names)
        return _rezip([(m, own[m]) for m in names] + [(n, own[n])])
    if choice == 3:  # one member comes from another valid batch
        n = rng.choice(names[1:])
        return _rezip([(m, other[m] if m == n else own[m]) for m in names])
    # two members' contents swap under the same names
    a, b = rng.sample(names, 2)
    swapped = {**own, a: own[b], b: own[a]}
    return _rezip([(m, swapped[m]) for m in names])


def mutate(original: bytes, foreign: bytes, rng: random.Random) -> bytes:
    data = bytearray(original)
    kind = rng.randrange(6)
    if kind == 0:  # flip 1–4 bits
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(data))
            data[pos] ^= 1 << rng.randrange(8)
    elif kind == 1:  # cut short
        del data[rng.randrange(len(data)):]
    elif kind == 2:  # bytes inserted
        pos = rng.randrange(len(data) + 1)
        data[pos:pos] = rng.randbytes(rng.randint(1, 16))
    elif kind == 3:  # bytes deleted
        pos = rng.randrange(len(data))
        del data[pos:pos + rng.randint(1, 16)]
    elif kind == 4:  # a byte overwritten
        data[rng.randrange(len(data))] = rng.randrange(256)
    else:
        return _structural(original, foreign, rng)
    return bytes(data)


def _read(blob: bytes) -> tuple[bytes, list[bytes]]:
    opened, lines = read_all(blob, signers=signers(), scope=COUNTY,
                             identities=[COUNTY_IDENTITY])
    return opened.manifest_bytes, lines


@pytest.fixture(scope="module")
def batches() -> tuple[bytes, bytes]:
    original, _ = encode_batch(source(4, 2), DEVICE_KEY, sequence=1, previous="",
                               recipients=[COUNTY_RECIPIENT])
    foreign, _ = encode_batch(source(3, 1), DEVICE_KEY, sequence=2, previous="",
                              recipients=[COUNTY_RECIPIENT])
    return original, foreign


@pytest.mark.slow
def test_10000_mutations__coded_rejection_or_same_content(batches):  # BATCH-F1
    original, foreign = batches
    expected = _read(original)
    rng = random.Random(20261123)
    assert expected[1]  # the original itself reads
    rejected = 0
    codes: set[str] = set()
    for i in range(MUTATIONS):
        blob = mutate(original, foreign, rng)
        if blob == original:
            continue
        try:
            _read(blob)
        except SurveyError as err:
            rejected += 1
            codes.add(err.code.name)
            continue
        except Exception as err:  # the property: nothing else escapes
            pytest.fail(f"mutation {i} raised {type(err).__name__}: {err}")
        pytest.fail(f"mutation {i} was accepted")
    assert rejected > 0.99 * MUTATIONS
    # Every rule a mutation can break shows up: container, signature, truncation, payload.
    assert {"BATCH_001", "BATCH_003", "BATCH_008", "BATCH_009"} <= codes, codes


@pytest.mark.slow
def test_rejected_mutations__store_unchanged(tmp_path):  # BATCH-F2
    from surveyapp.core import trust
    from surveyapp.core.store import Workspace
    from surveyapp.ops.batches import export_batch, import_batch, verify_batch

    key = bytes.fromhex("e5" * 32)
    village_code = "522422102201"
    county = Workspace.create_with_key(tmp_path / "county.sdb", key, role="county",
                                       org_code=COUNTY, org_name="county", user="u")
    village = Workspace.create_with_key(tmp_path / "village.sdb", key, role="village",
                                        org_code=village_code, org_name="village", user="u")
    try:
        trust.init_county(county)
        trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
        for i in range(3):
            village.save_visit(None, {"survey_date": "2026-07-01", "village_code": village_code,
                                      "township_code": village_code[:9], "child_name": f"李{i}",
                                      "sex": "female"},
                               form_id="child_screening", form_version="1")
        (tmp_path / "usb").mkdir()
        first = export_batch(village, tmp_path / "usb").path
        original = first.read_bytes()
        (tmp_path / "usb2").mkdir()
        foreign = export_batch(village, tmp_path / "usb2", full=True).path.read_bytes()

        def content_hash() -> str:
            rows = county.conn.execute("SELECT id FROM revisions ORDER BY id")
            meta = county.conn.execute("SELECT key, value FROM meta ORDER BY key")
            return hashlib.sha256(repr((rows, meta)).encode()).hexdigest()

        before = content_hash()
        target = tmp_path / "mutant.batch.zip"
        rng = random.Random(7)
        rejected = 0
        for i in range(STORE_MUTATIONS):
            blob = mutate(original, foreign, rng)
            if blob == original:
                continue
            target.write_bytes(blob)
            try:
                verify_batch(county, target)  # stores nothing
            except SurveyError:
                with pytest.raises(SurveyError):
                    import_batch(county, target)
                rejected += 1
                continue
            except Exception as err:  # the property: nothing else escapes
                pytest.fail(f"mutation {i} raised {type(err).__name__}: {err}")
            pytest.fail(f"mutation {i} passed verify_batch")
        assert rejected > 0.99 * STORE_MUTATIONS
        assert content_hash() == before
    finally:
        county.close()
        village.close()

