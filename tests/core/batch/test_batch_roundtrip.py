"""BATCH-1 write/read round trip and atomic write; BATCH-2 each rejection rule has its own
exception and code; BATCH-3 interop: Debian's age decrypts the payload, minisign verifies
the manifest, and a payload age encrypted reads back."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import zipfile

import pytest
from batch_helpers import (
    COUNTY,
    COUNTY_IDENTITY,
    COUNTY_RECIPIENT,
    DEVICE_KEY,
    TOWNSHIP,
    signers,
    source,
)

from surveyapp.core.batch import (
    BatchCode,
    DecryptionFailure,
    HeaderError,
    OutOfScope,
    PayloadMismatch,
    RevokedSigner,
    SignatureFailure,
    Truncated,
    UnknownSigner,
    UnsupportedVersion,
    codec,
    encode_batch,
    read_all,
    write_batch,
)
from surveyapp.core.batch.manifest import parse_manifest
from surveyapp.core.crypto import age, minisign
from surveyapp.core.store.canonical import canonical_json
from surveyapp.errors import SurveyError

needs_tools = pytest.mark.skipif(
    shutil.which("age") is None or shutil.which("minisign") is None,
    reason="Debian's age and minisign are not installed")


def _batch(**kw):
    data, manifest = encode_batch(source(), DEVICE_KEY, sequence=1, previous="",
                                  recipients=[COUNTY_RECIPIENT], **kw)
    return data, manifest


def _read(data, **kw):
    args = {"signers": signers(), "scope": COUNTY, "identities": [COUNTY_IDENTITY]}
    args.update(kw)
    return read_all(data, **args)


def test_roundtrip__same_lines_and_counts():  # BATCH-1
    data, manifest = _batch()
    opened, lines = _read(data)
    assert opened.manifest == manifest
    assert manifest.revisions == 3 and manifest.records == 3 and manifest.audit == 2
    assert manifest.form_versions == ("child_screening@2026.1",)
    assert lines[:3] == [r.body for r in source().revisions]
    assert all(line.startswith(b'{"audit":') for line in lines[3:])


def test_write_batch__one_whole_file_no_temps(tmp_path):  # BATCH-1
    written = write_batch(tmp_path, source(), DEVICE_KEY, sequence=4, previous="ab" * 32,
                          recipients=[COUNTY_RECIPIENT])
    assert os.listdir(tmp_path) == [written.path.name]
    assert written.path.name.startswith("522422102201_000004_")
    opened, _ = _read(written.path.read_bytes())
    assert opened.batch_hash == written.batch_hash


def test_write_cancelled__nothing_left(tmp_path):  # BATCH-1
    with pytest.raises(SurveyError) as info:
        write_batch(tmp_path, source(3000), DEVICE_KEY, sequence=1, previous="",
                    recipients=[COUNTY_RECIPIENT], cancel=lambda: True)
    assert info.value.code is BatchCode.BATCH_012
    assert os.listdir(tmp_path) == []


def _members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in codec.MEMBERS}


def _rebuild(data, **changes):
    m = _members(data)
    return codec.encode(manifest=changes.get("manifest", m["manifest.json"]),
                        signature=changes.get("signature", m["manifest.minisig"]),
                        payload=changes.get("payload", m["payload.age"]),
                        version_line=changes.get("version", codec.VERSION_LINE))


def test_reencode__identical_bytes():  # BATCH-1
    data, _ = _batch()
    assert _rebuild(data) == data


@pytest.mark.parametrize(("case", "exc", "code"), [
    ("garbage", HeaderError, BatchCode.BATCH_001),
    ("version", UnsupportedVersion, BatchCode.BATCH_002),
    ("manifest", SignatureFailure, BatchCode.BATCH_003),
    ("unknown", UnknownSigner, BatchCode.BATCH_004),
    ("revoked", RevokedSigner, BatchCode.BATCH_005),
    ("scope", OutOfScope, BatchCode.BATCH_006),
    ("recipient", DecryptionFailure, BatchCode.BATCH_007),
    ("truncated", Truncated, BatchCode.BATCH_008),
    ("payload", PayloadMismatch, BatchCode.BATCH_009),
    ("extra", HeaderError, BatchCode.BATCH_001),
])
def test_rejections__distinct_codes(case, exc, code):  # BATCH-2
    data, _ = _batch()
    kw = {}
    if case == "garbage":
        data = b"PK not really" + data[20:]
    elif case == "version":
        data = _rebuild(data, version=b"surveyapp.batch/v2\n")
    elif case == "manifest":
        m = _members(data)["manifest.json"]
        data = _rebuild(data, manifest=m.replace(b'"full":false', b'"full":true'))
    elif case == "unknown":
        kw["signers"] = {}
    elif case == "revoked":
        kw["signers"] = signers(revoked=True)
    elif case == "scope":
        kw["scope"] = TOWNSHIP[:-3] + "103"  # a neighbouring township
    elif case == "recipient":
        kw["identities"] = [age.generate_identity()[0]]
    elif case == "truncated":
        data = data[: len(data) // 2]
    elif case == "payload":
        p = bytearray(_members(data)["payload.age"])
        p[-5] ^= 1
        data = _rebuild(data, payload=bytes(p))
    elif case == "extra":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as dst:
                for info in zf.infolist():
                    dst.writestr(info, zf.read(info))
                dst.writestr("../evil", b"x")
            data = out.getvalue()
    with pytest.raises(exc) as info:
        _read(data, **kw)
    assert info.value.code is code


def test_other_key_same_id__signature_failure():  # BATCH-2
    data, _ = _batch()
    other = minisign.signing_key_from_seed(b"\x07" * 32, DEVICE_KEY.key_id)
    m = _members(data)
    sig = minisign.sign(m["manifest.json"], other, trusted_comment="x",
                        untrusted_comment="surveyapp batch x").encode()
    with pytest.raises(SignatureFailure):
        _read(_rebuild(data, signature=sig))


@needs_tools
def test_standard_tools__read_our_batch(tmp_path):  # BATCH-3
    data, manifest = _batch()
    m = _members(data)
    for name, content in m.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "county.key").write_text(COUNTY_IDENTITY + "\n")
    (tmp_path / "device.pub").write_text(minisign.public_key_text(DEVICE_KEY.public_key()))
    plain = subprocess.run(["age", "-d", "-i", tmp_path / "county.key",
                            tmp_path / "payload.age"], capture_output=True, check=True).stdout
    assert plain.count(b"\n") == 5
    out = subprocess.run(["minisign", "-Vm", tmp_path / "manifest.json", "-x",
                          tmp_path / "manifest.minisig", "-p", tmp_path / "device.pub"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert manifest.trusted_comment in out.stdout


@needs_tools
def test_age_encrypted_payload__we_read(tmp_path):  # BATCH-3
    data, _ = _batch()
    m = _members(data)
    plain = b"".join(line + b"\n" for line in _read(data)[1])
    (tmp_path / "plain").write_bytes(plain)
    payload = subprocess.run(["age", "-r", COUNTY_RECIPIENT, tmp_path / "plain"],
                             capture_output=True, check=True).stdout
    obj = json.loads(m["manifest.json"])
    obj["payload"] = {"sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)}
    body = canonical_json(obj)
    man = parse_manifest(body)
    sig = minisign.sign(body, DEVICE_KEY, trusted_comment=man.trusted_comment,
                        untrusted_comment=f"surveyapp batch {man.batch_id}").encode()
    _, lines = _read(_rebuild(data, manifest=body, signature=sig, payload=payload))
    assert b"".join(line + b"\n" for line in lines) == plain
