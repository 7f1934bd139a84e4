"""Make the batch golden vectors in ``batch/v1/`` (docs/batch-format.md §7).

Run ``.venv/bin/python tests/vectors/generate.py``. Every input is fixed (keys, ids, times,
age randomness) through the writer's private deterministic seam, which nothing but this
script uses. An existing vector is never overwritten: a format change adds ``batch/v2/``.
``build_cases()`` is importable so that a test can check the committed files still match.
"""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from surveyapp.core.batch import BatchSource, codec, encode_batch
from surveyapp.core.crypto import age, minisign
from surveyapp.core.store import Revision

HERE = Path(__file__).resolve().parent / "batch" / "v1"
COUNTY = "522422"
VILLAGE = "522422102201"
DEVICE = "4f1c2b9e6d7a4e0c8b3a5f6e7d8c9b0a"
KEY = minisign.signing_key_from_seed(bytes(range(1, 33)), bytes.fromhex("a1b2c3d4e5f60718"))
COUNTY_ID = age.identity_string(bytes(range(40, 72)))
OTHER_ID = age.identity_string(bytes(range(80, 112)))
CREATED = "2026-07-01T09:30:00.000000Z"
BATCH_ID = "0123456789abcdef0123456789abcdef"


@dataclass(frozen=True)
class Case:
    name: str
    expect: str
    code: str
    comment: str
    data: bytes
    identity: str = COUNTY_ID
    org: str = VILLAGE
    revoked: str = "no"
    scope: str = COUNTY
    device: str = DEVICE


def _seed(n: int):
    ephemerals = [age.parse_identity(age.identity_string(bytes([200 + i]) * 32))
                  for i in range(n)]
    return (bytes(range(16)), ephemerals, bytes(range(16, 32)), bytes(16))


OTHER_VILLAGE = "522422102202"
OTHER_DEVICE = "9a8b7c6d5e4f40312a1b0c9d8e7f6a5b"


def _source(forged: Revision | None = None) -> BatchSource:
    revs = []
    for i in range(3):
        revs.append(Revision.make(
            kind="child", record_id=f"c{i}", form_id="child_screening",
            form_version="2026.1", author="李梅", device_id=DEVICE,
            created_at=f"2026-07-01T09:0{i}:00.000000Z",
            data={"child_name": f"测试{i}", "village_code": VILLAGE, "sex": "female"}))
    if forged is not None:  # the third revision replaced by one the signer may not write
        revs[2] = forged
    audit = [{"seq": 1, "at": CREATED, "user": "李梅", "device_id": DEVICE,
              "action": "save_visit", "details": {"record": "c0"}}]
    return BatchSource(DEVICE, VILLAGE, "village", revs, audit, 4)


def _forged(**changes: str) -> Revision:
    fields = {"author": "李梅", "device_id": DEVICE, "village_code": VILLAGE}
    fields.update(changes)
    return Revision.make(
        kind="child", record_id="c2", form_id="child_screening", form_version="2026.1",
        author=fields["author"], device_id=fields["device_id"],
        created_at="2026-07-01T09:02:00.000000Z",
        data={"child_name": "测试2", "village_code": fields["village_code"], "sex": "female"})


def _good(recipient_id: str = COUNTY_ID, forged: Revision | None = None) -> bytes:
    data, _ = encode_batch(_source(forged), KEY, sequence=7, previous="ab" * 32,
                           recipients=[age.recipient_of(recipient_id)], _seed=_seed(1),
                           _batch_id=BATCH_ID, _created_at=CREATED)
    return data


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in codec.MEMBERS}


def _rebuild(data: bytes, **kw: bytes) -> bytes:
    m = _members(data)
    return codec.encode(manifest=kw.get("manifest", m[codec.MANIFEST]),
                        signature=kw.get("signature", m[codec.SIGNATURE]),
                        payload=kw.get("payload", m[codec.PAYLOAD]),
                        version_line=kw.get("version", codec.VERSION_LINE))


def build_cases() -> list[Case]:
    good = _good()
    m = _members(good)
    payload = bytearray(m[codec.PAYLOAD])
    payload[-20] ^= 0x01
    extra = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(extra, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(zipfile.ZipInfo("../notes.txt", date_time=(1980, 1, 1, 0, 0, 0)),
                     b"unexpected")
    ok = Case("success", "success", "", "a village batch of 3 revisions and 1 audit entry",
              good)
    return [
        ok,
        replace(ok, name="not_a_zip", expect="header failure", code="BATCH_001",
                comment="plain text, not a zip", data=b"surveyapp.batch/v1\nhello\n"),
        replace(ok, name="extra_member", expect="header failure", code="BATCH_001",
                comment="a fifth member named ../notes.txt", data=extra.getvalue()),
        replace(ok, name="version_v2", expect="unsupported version", code="BATCH_002",
                comment="the version line says v2",
                data=_rebuild(good, version=b"surveyapp.batch/v2\n")),
        replace(ok, name="manifest_tampered", expect="signature failure", code="BATCH_003",
                comment="sequence 7 changed to 8 in the signed manifest",
                data=_rebuild(good, manifest=m[codec.MANIFEST].replace(b'"sequence":7',
                                                                       b'"sequence":8'))),
        replace(ok, name="payload_tampered", expect="payload mismatch", code="BATCH_009",
                comment="one bit of payload.age flipped", data=_rebuild(good,
                                                                      payload=bytes(payload))),
        replace(ok, name="wrong_recipient", expect="decryption failure", code="BATCH_007",
                comment="encrypted to another county's key", data=_good(OTHER_ID)),
        replace(ok, name="truncated", expect="truncated", code="BATCH_008",
                comment="the last 300 bytes are missing", data=good[:-300]),
        replace(ok, name="unknown_signer", expect="unknown signer", code="BATCH_004",
                comment="the importer knows another device id", device="someone-else"),
        replace(ok, name="revoked_signer", expect="revoked signer", code="BATCH_005",
                comment="the signer was revoked by the county", revoked="yes"),
        replace(ok, name="out_of_scope", expect="out of scope", code="BATCH_006",
                comment="the importer is another township of the county", scope="522422103"),
        # Rule 11 (who may write what); the importer holds no revisions.
        replace(ok, name="cross_unit_village", expect="not authorized", code="BATCH_014",
                comment="the village signs a child revision of another village "
                        f"(village_code {OTHER_VILLAGE}) in its own name",
                data=_good(forged=_forged(village_code=OTHER_VILLAGE))),
        replace(ok, name="cross_unit_device", expect="not authorized", code="BATCH_014",
                comment="a revision in another village device's name and author "
                        f"({OTHER_DEVICE}, 王芳, {OTHER_VILLAGE}) signed with this device's key",
                data=_good(forged=_forged(device_id=OTHER_DEVICE, author="王芳",
                                          village_code=OTHER_VILLAGE))),
        replace(ok, name="cross_unit_author", expect="not authorized", code="BATCH_014",
                comment="an author (王芳) that no audit entry of the signing device names",
                data=_good(forged=_forged(author="王芳"))),
    ]


def render(case: Case) -> bytes:
    try:
        sha = hashlib.sha256(_members(case.data)[codec.PAYLOAD]).hexdigest()
    except (zipfile.BadZipFile, KeyError):
        sha = "-"
    header = [
        f"expect: {case.expect}", f"code: {case.code or '-'}", f"comment: {case.comment}",
        f"identity: {case.identity}",
        f"signer key: {KEY.public_key().to_base64()}", f"signer device: {case.device}",
        f"signer org: {case.org}", "signer role: village", f"revoked: {case.revoked}",
        f"scope: {case.scope}", f"payload sha256: {sha}",
    ]
    return ("\n".join(header) + "\n\n").encode("utf-8") + case.data


def main() -> int:
    HERE.mkdir(parents=True, exist_ok=True)
    for case in build_cases():
        target = HERE / f"{case.name}.vector"
        if target.exists():
            print(f"kept (never overwritten): {target.name}")
            continue
        target.write_bytes(render(case))
        print(f"wrote {target.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
