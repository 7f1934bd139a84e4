"""Write the relay and down member-check vectors (docs/batch-format.md §9, §10).

Each ``tests/vectors/{relay,down}/v1/<case>.vector`` is ``key: value`` lines (``expect:``,
``code:``, ``comment:``), a blank line, then the raw file bytes, built here by hand with
``struct`` from the format description, as an outsider would: the readers must refuse them
at the member checks they share with the batch container (``core.batch.codec.read_member``:
the encrypted flag, compression, sizes that disagree, a declared size past the limit),
before any signer or key is looked at. Deterministic (no randomness, fixed times); refuses
to overwrite a committed file.

The ``down_*`` cases are whole down files, signed by a fixed township key and encrypted to a
fixed village identity (both in the header: ``signer key``, ``signer device``, ``signer
org``, ``village``, ``identity``), whose revisions a township may or may not send to that
village (§10.1, rules 11 and 12), for a village that holds no records yet: ``expect:
success`` and ``inserted:``, or BATCH_014 with the ``record:`` it names. They use the
project's own age and minisign (tested against the reference tools) and its deterministic
age seam, and ``Revision.make`` for the revision lines (§4).

Run: ``.venv/bin/python tests/vectors/generate_relay_down.py``
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOS_DATE = 33  # 1980-01-01


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes
    flags: int = 0  # bit 0: encrypted
    method: int = 0  # 0 stored, 8 deflated
    declared: int | None = None  # the uncompressed size the headers claim


def zip_bytes(members: list[Member]) -> bytes:
    out, central, offset = b"", b"", 0
    for m in members:
        stored = zlib.compress(m.data)[2:-4] if m.method == 8 else m.data
        size = len(m.data) if m.declared is None else m.declared
        crc = zlib.crc32(m.data)
        name = m.name.encode("ascii")
        local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, m.flags, m.method, 0, DOS_DATE,
                            crc, len(stored), size, len(name), 0) + name
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20 | (3 << 8), 20, m.flags,
                               m.method, 0, DOS_DATE, crc, len(stored), size, len(name),
                               0, 0, 0, 0, 0o644 << 16, offset) + name
        out += local + stored
        offset += len(local) + len(stored)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                      len(central), offset, 0)
    return out + central + end


RELAY_JSON = (b'{"created_at":"2026-07-01T09:30:00Z","format":"surveyapp.relay/v1","inner":[],'
              b'"own":{"batch_hash":"' + b"0" * 64 + b'","sha256":"' + b"1" * 64 + b'"},'
              b'"township":{"device_id":"5e1f","key_id":"0102030405060708",'
              b'"org_code":"522422102"}}')
DOWN_JSON = (b'{"created_at":"2026-07-01T09:30:00Z","format":"surveyapp.down/v1",'
             b'"payload_sha256":"' + b"1" * 64 + b'","recipients":[],"revisions":1,'
             b'"township":{"device_id":"5e1f","org_code":"522422102"},'
             b'"village_org":"522422102201"}')
SIG = b"untrusted comment: x\nRUQ=\ntrusted comment: x\nAA==\n"


def relay(**change: Member) -> bytes:
    members = {
        "surveyapp-relay": Member("surveyapp-relay", b"surveyapp.relay/v1\n"),
        "relay.json": Member("relay.json", RELAY_JSON),
        "relay.minisig": Member("relay.minisig", SIG),
        "township.batch.zip": Member("township.batch.zip", b"PK\x05\x06" + bytes(18)),
    }
    members.update({m.name: m for m in change.values()})
    return zip_bytes(list(members.values()))


def down(**change: Member) -> bytes:
    members = {
        "surveyapp-down": Member("surveyapp-down", b"surveyapp.down/v1\n"),
        "down.json": Member("down.json", DOWN_JSON),
        "down.minisig": Member("down.minisig", SIG),
        "payload.age": Member("payload.age", b"age-encryption.org/v1\n"),
    }
    members.update({m.name: m for m in change.values()})
    return zip_bytes(list(members.values()))


@dataclass(frozen=True)
class Case:
    kind: str  # relay or down
    name: str
    comment: str
    data: bytes
    expect: str = "header failure"
    code: str = "BATCH_001"
    extra: tuple[tuple[str, str], ...] = ()  # more header lines (the signed down files)


# ---- whole down files for rules 11 and 12 (docs/batch-format.md §10.1) ----------------------

TOWN, VILLAGE = "522422102", "522422102201"
TOWN_DEVICE = "7d2e4c1a9b8f40e6a5d3c2b1f0e9d8c7"
OTHER_DEVICE = "9a8b7c6d5e4f40312a1b0c9d8e7f6a5b"
SIGNED_AT = "2026-07-02T08:00:00Z"
TOWN_USER = "张乡"


def _keys() -> tuple[Any, str]:
    from surveyapp.core.crypto import age, minisign

    key = minisign.signing_key_from_seed(bytes(range(33, 65)), bytes.fromhex("b1c2d3e4f5061728"))
    return key, age.identity_string(bytes(range(120, 152)))


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8")


def _revision(*, kind: str = "child", record: str = "c1", village: str = VILLAGE,
              author: str = TOWN_USER, device: str = TOWN_DEVICE) -> bytes:
    from surveyapp.core.store import Revision

    data: dict[str, Any] = {"child_name": "王小丽", "village_code": village, "sex": "female",
                            "review_status": "returned", "review_comment": "请补充电话"}
    if kind == "visit":
        data = {"child_id": "c1", "household_id": "", "answers": data}
    return Revision.make(kind=kind, record_id=record, form_id="child_screening",
                         form_version="2026.1", author=author, device_id=device,
                         created_at="2026-07-02T07:00:00.000000Z", data=data).body


def _audit(user: str = TOWN_USER) -> bytes:
    entry = {"seq": 1, "at": "2026-07-01T08:00:00.000000Z", "user": user,
             "device_id": TOWN_DEVICE, "action": "unlock", "details": {}, "prev_hash": ""}
    entry["hash"] = hashlib.sha256(_canonical(entry)).hexdigest()
    return _canonical({"audit": entry})


def signed_down(revisions: list[bytes], audit: list[bytes]) -> bytes:
    """A down file as §10 describes it, signed by the township and encrypted to the
    village (deterministic: the age seam of ``core.crypto.age`` for vectors)."""
    from surveyapp.core.crypto import age, minisign

    key, identity = _keys()
    recipients = [age.recipient_of(identity)]
    seed = (bytes(range(16)), [age.parse_identity(age.identity_string(bytes([210]) * 32))],
            bytes(range(16, 32)), bytes(16))
    payload = age.encrypt(b"".join(x + b"\n" for x in [*revisions, *audit]),
                          recipients=recipients, _seed=seed)
    sha = hashlib.sha256(payload).hexdigest()
    manifest = _canonical({
        "format": "surveyapp.down/v1", "township": {"device_id": TOWN_DEVICE, "org_code": TOWN},
        "village_org": VILLAGE, "created_at": SIGNED_AT, "revisions": len(revisions),
        "audit": len(audit), "receipts": 0, "payload_sha256": sha, "recipients": recipients})
    sig = minisign.sign(manifest, key, untrusted_comment="surveyapp down file signature",
                        trusted_comment=f"surveyapp.down/v1 device={TOWN_DEVICE} org={TOWN} "
                                        f"village={VILLAGE} sha256={sha}")
    return zip_bytes([Member("surveyapp-down", b"surveyapp.down/v1\n"),
                      Member("down.json", manifest), Member("down.minisig", sig.encode("ascii")),
                      Member("payload.age", payload)])


def signed_cases() -> list[Case]:
    key, identity = _keys()
    head = (("identity", identity), ("signer key", key.public_key().to_base64()),
            ("signer device", TOWN_DEVICE), ("signer org", TOWN), ("village", VILLAGE))

    def case(name: str, comment: str, revisions: list[bytes], audit: list[bytes] | None = None,
             record: str = "c1") -> Case:
        data = signed_down(revisions, [_audit()] if audit is None else audit)
        if record == "-":
            return Case("down", name, comment, data, "success", "-",
                        (*head, ("inserted", str(len(revisions)))))
        return Case("down", name, comment, data, "not authorized", "BATCH_014",
                    (*head, ("record", record)))

    return [
        case("down_success", "the township returns child c1 it entered in the village "
             f"(village_code {VILLAGE}), author {TOWN_USER} named by its audit entry",
             [_revision()], record="-"),
        case("down_other_township", "a child revision naming village 522422103201, of "
             "another township", [_revision(village="522422103201")]),
        case("down_other_village", "a child revision naming village 522422102202 of the "
             "same township: not a child of the receiving village (rule 12)",
             [_revision(village="522422102202")]),
        case("down_copy_not_held", f"a revision of another device ({OTHER_DEVICE}) that the "
             "village does not hold", [_revision(device=OTHER_DEVICE, author="王芳")]),
        case("down_unknown_author", "an author (王芳) that no audit entry of the township "
             "device names", [_revision(author="王芳")]),
        case("down_no_audit", "no audit entries at all (as an earlier writer): the author "
             f"{TOWN_USER} is named by none", [_revision()], audit=[]),
        case("down_visit", "a visit revision (record v1) of child c1 of the village: down "
             "files carry only child and link revisions (rule 12)",
             [_revision(kind="visit", record="v1")], record="v1"),
    ]


def build_cases() -> list[Case]:
    cases = []
    for kind, make, manifest in (("relay", relay, ("relay.json", RELAY_JSON)),
                                 ("down", down, ("down.json", DOWN_JSON))):
        name, body = manifest
        magic = f"surveyapp-{kind}"
        cases += [
            Case(kind, "manifest_encrypted", f"{name} has the encrypted flag (bit 0) set",
                 make(m=Member(name, body, flags=1))),
            Case(kind, "manifest_compressed", f"{name} is deflated, not stored",
                 make(m=Member(name, body, method=8))),
            Case(kind, "manifest_short", f"{name} claims 40 more bytes than it holds (a "
                 "reader that trusts the stored size reads a short manifest)",
                 make(m=Member(name, body, declared=len(body) + 40))),
            Case(kind, "magic_too_large", f"{magic} claims more than its 64-byte limit",
                 make(m=Member(magic, f"surveyapp.{kind}/v1\n".encode() + b" " * 80))),
        ]
    return cases + signed_cases()


def render(case: Case) -> bytes:
    head = f"expect: {case.expect}\ncode: {case.code}\ncomment: {case.comment}\n"
    head += "".join(f"{k}: {v}\n" for k, v in case.extra) + "\n"
    return head.encode("utf-8") + case.data


def main() -> int:
    for case in build_cases():
        target = HERE / case.kind / "v1" / f"{case.name}.vector"
        if target.exists():
            print(f"exists, not overwritten: {target}", file=sys.stderr)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(case))
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
