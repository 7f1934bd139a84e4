"""BATCH-4 a batch larger than one read block (so read in blocks, its payload hashed on a
worker thread while it is decrypted) gives back exactly its lines, including lines that span
blocks and a line longer than a block; a flipped payload byte is a payload mismatch whether
the hash is checked at open or during decryption, and a payload CRC-32 rewritten in both zip
headers is a header failure (the container is not canonical); abandoning the lines stops the
worker."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import threading
import zlib

import pytest
from batch_helpers import COUNTY, COUNTY_IDENTITY, COUNTY_RECIPIENT, DEVICE, DEVICE_KEY, VILLAGE
from batch_helpers import signers as make_signers

from surveyapp.core.batch import (
    BatchSource,
    HeaderError,
    PayloadMismatch,
    encode_batch,
    open_batch,
)
from surveyapp.core.batch.codec import BLOCK, THREADED_MIN, decode
from surveyapp.core.batch.digests import BlockDigests
from surveyapp.core.store import Revision


def _revisions() -> list[Revision]:
    rng = random.Random(4)
    # Sizes around and above the block size, so lines start and end anywhere in a block.
    sizes = [10, BLOCK - 200, 3, int(2.5 * BLOCK), *(rng.randrange(1, 300_000) for _ in range(20))]
    return [Revision.make(kind="child", record_id=f"child-{i:04d}", form_id="child_screening",
                          form_version="2026.1", author="wang", device_id=DEVICE,
                          created_at="2026-07-01T08:00:00.000000Z",
                          data={"notes": rng.randbytes(n // 2 + 1).hex()})
            for i, n in enumerate(sizes)]


@pytest.fixture(scope="module")
def large() -> tuple[bytes, list[Revision]]:
    revs = _revisions()
    audit = [{"seq": 1, "at": "2026-07-01T08:00:00.000000Z", "user": "wang",
              "device_id": DEVICE, "action": "save_visit", "details": {}}]
    src = BatchSource(DEVICE, VILLAGE, "village", revs, audit, len(revs))
    data, manifest = encode_batch(src, DEVICE_KEY, sequence=1, previous="",
                                  recipients=[COUNTY_RECIPIENT])
    assert manifest.payload_size > THREADED_MIN
    return data, revs


def _lines(data: bytes, *, check_payload: bool) -> list[bytes]:
    with open_batch(io.BytesIO(data), signers=make_signers(), scope=COUNTY,
                    check_payload=check_payload) as opened:
        return list(opened.lines([COUNTY_IDENTITY]))


@pytest.mark.parametrize("check_payload", [True, False])
def test_large_batch__same_lines(large, check_payload):  # BATCH-4
    data, revs = large
    lines = _lines(data, check_payload=check_payload)
    assert lines[:-1] == [r.body for r in revs]
    assert lines[-1].startswith(b'{"audit":')


@pytest.mark.parametrize("where", [0.1, 0.5, 0.999])
@pytest.mark.parametrize("check_payload", [True, False])
def test_large_batch_byte_flipped__payload_mismatch(large, where, check_payload):  # BATCH-4
    data, _ = large
    with decode(data) as c:
        at = c.payload_offset + int(c.payload_size * where)
    bad = bytearray(data)
    bad[at] ^= 0x20
    with pytest.raises(PayloadMismatch):
        _lines(bytes(bad), check_payload=check_payload)


def test_lines_abandoned__worker_stops(large):  # BATCH-4
    data, revs = large
    before = threading.active_count()
    with open_batch(io.BytesIO(data), signers=make_signers(), scope=COUNTY,
                    check_payload=False) as opened:
        lines = opened.lines([COUNTY_IDENTITY])
        assert next(lines) == revs[0].body
        assert threading.active_count() == before + 1
        lines.close()
    assert threading.active_count() == before


@pytest.mark.parametrize("check_payload", [True, False])
def test_payload_crc_rewritten_in_both_headers__header_error(large, check_payload):  # BATCH-4
    data, _ = large
    bad = bytearray(data)
    with decode(data) as c:
        wrong = struct.pack("<L", c.payload_crc ^ 1)
        local = c.payload_offset - 30 - len("payload.age")
    central = data.rfind(b"PK\x01\x02")  # payload.age is the last member
    bad[local + 14 : local + 18] = wrong
    bad[central + 16 : central + 20] = wrong
    with pytest.raises(HeaderError):
        _lines(bytes(bad), check_payload=check_payload)


@pytest.mark.parametrize("threaded", [True, False])
def test_block_digests__same_as_hashlib_and_zlib(threaded):  # BATCH-4
    blocks = [random.Random(i).randbytes(i * 5000) for i in range(12)]
    with BlockDigests(threaded=threaded, depth=2) as digests:
        for block in blocks:
            digests.update(block)
        assert digests.hexdigest() == hashlib.sha256(b"".join(blocks)).hexdigest()
        assert digests.crc32() == zlib.crc32(b"".join(blocks))
