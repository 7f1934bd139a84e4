"""Write the relay and down member-check vectors (docs/batch-format.md §9, §10).

Each ``tests/vectors/{relay,down}/v1/<case>.vector`` is ``key: value`` lines (``expect:``,
``code:``, ``comment:``), a blank line, then the raw file bytes, built here by hand with
``struct`` from the format description, as an outsider would: the readers must refuse them
at the member checks they share with the batch container (``core.batch.codec.read_member``:
the encrypted flag, compression, sizes that disagree, a declared size past the limit),
before any signer or key is looked at. Deterministic (no randomness, fixed times); refuses
to overwrite a committed file.

Run: ``.venv/bin/python tests/vectors/generate_relay_down.py``
"""

from __future__ import annotations

import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

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
    return cases


def render(case: Case) -> bytes:
    head = f"expect: {case.expect}\ncode: {case.code}\ncomment: {case.comment}\n\n"
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
