"""Shared helpers of the batch tests: fixed keys, a small source, a signer map."""

from __future__ import annotations

from surveyapp.core.batch import BatchSource, Signer
from surveyapp.core.crypto import age, minisign
from surveyapp.core.store import Revision

COUNTY = "522422"
TOWNSHIP = "522422102"
VILLAGE = "522422102201"
DEVICE = "dev-village-1"
DEVICE_KEY = minisign.signing_key_from_seed(bytes(range(32)), bytes.fromhex("0102030405060708"))
COUNTY_IDENTITY = age.identity_string(bytes(range(100, 132)))
COUNTY_RECIPIENT = age.recipient_of(COUNTY_IDENTITY)


def revisions(n: int = 3) -> list[Revision]:
    out = []
    for i in range(n):
        out.append(Revision.make(
            kind="child", record_id=f"child-{i:04d}", form_id="child_screening",
            form_version="2026.1", author="wang", device_id=DEVICE,
            created_at=f"2026-07-01T08:00:{i % 60:02d}.000000Z",
            data={"child_name": f"张{i}", "village_code": VILLAGE, "survey_date": "2026-07-01"},
        ))
    return out


def source(n: int = 3, audit: int = 2) -> BatchSource:
    entries = [{"seq": i + 1, "at": "2026-07-01T08:00:00.000000Z", "user": "wang",
                "device_id": DEVICE, "action": "save_visit", "details": {"n": i}}
               for i in range(audit)]
    return BatchSource(DEVICE, VILLAGE, "village", revisions(n), entries, n + audit)


def signers(revoked: bool = False, org: str = VILLAGE) -> dict[str, Signer]:
    return {DEVICE: Signer(DEVICE, org, "village", DEVICE_KEY.public_key(), revoked)}
