"""VEC-1 every committed vector in tests/vectors/batch/v1 gives its expected outcome through
decode, verify and decrypt, and success cases re-encode to the same bytes; VEC-2 the
generator still produces exactly the committed files (the seam is deterministic)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from surveyapp.core.batch import (
    BadPayload,
    DecryptionFailure,
    HeaderError,
    OutOfScope,
    PayloadMismatch,
    RevokedSigner,
    SignatureFailure,
    Signer,
    Truncated,
    Unauthorized,
    UnknownSigner,
    UnsupportedVersion,
    codec,
    read_all,
)
from surveyapp.core.batch.authorize import Authorizer
from surveyapp.core.batch.reader import AUDIT_PREFIX
from surveyapp.core.crypto import minisign

VECTORS = Path(__file__).resolve().parents[2] / "vectors"
V1 = sorted((VECTORS / "batch" / "v1").glob("*.vector"))
EXPECT = {
    "header failure": HeaderError, "unsupported version": UnsupportedVersion,
    "signature failure": SignatureFailure, "decryption failure": DecryptionFailure,
    "truncated": Truncated, "unknown signer": UnknownSigner,
    "revoked signer": RevokedSigner, "out of scope": OutOfScope,
    "payload mismatch": PayloadMismatch, "bad payload": BadPayload,
    "not authorized": Unauthorized,
}


class _NothingHeld:
    """The importer of the vectors holds no revisions and no records."""

    def known(self, ids):
        return set()

    def revision_units(self, ids):
        return {}

    def record_units(self, children, households=()):
        return {}


def _authorize(signer, lines):
    """Rule 11 over the decrypted lines, as an import runs it before storing anything."""
    auth = Authorizer(signer, _NothingHeld())
    auth.revisions([x for x in lines if not x.startswith(AUDIT_PREFIX)])
    for x in lines:
        if x.startswith(AUDIT_PREFIX):
            auth.audit(x)
    auth.finish()


def parse_vector(raw: bytes) -> tuple[dict[str, str], bytes]:
    head, _, body = raw.partition(b"\n\n")
    fields = {}
    for line in head.decode("utf-8").splitlines():
        key, _, value = line.partition(": ")
        fields[key] = value
    return fields, body


def test_vectors_present__all_outcomes_covered():  # VEC-1
    expects = {parse_vector(p.read_bytes())[0]["expect"] for p in V1}
    assert expects >= {"success", *EXPECT} - {"bad payload"}


@pytest.mark.parametrize("path", V1, ids=lambda p: p.stem)
def test_vector__expected_outcome(path):  # VEC-1
    fields, data = parse_vector(path.read_bytes())
    pk = minisign.parse_public_key(fields["signer key"])
    signer = Signer(fields["signer device"], fields["signer org"], fields["signer role"], pk,
                    fields["revoked"] == "yes")
    args = {"signers": {signer.device_id: signer}, "scope": fields["scope"],
            "identities": [fields["identity"]]}
    if fields["expect"] == "success":
        opened, lines = read_all(data, **args)
        assert opened.manifest.payload_sha256 == fields["payload sha256"]
        assert len(lines) == opened.manifest.revisions + opened.manifest.audit
        _authorize(signer, lines)
        with codec.decode(data) as c:
            again = codec.encode(manifest=c.manifest, signature=c.signature,
                                 payload=c.read_payload())
        assert again == data
    elif fields["expect"] == "not authorized":  # every check of §6 rules 1-10 passes
        _, lines = read_all(data, **args)
        with pytest.raises(Unauthorized) as info:
            _authorize(signer, lines)
        assert info.value.code.name == fields["code"]
        assert info.value.context["record"] == "c2"
    else:
        with pytest.raises(EXPECT[fields["expect"]]) as info:
            read_all(data, **args)
        assert info.value.code.name == fields["code"]


def test_generator__matches_committed_files():  # VEC-2
    spec = importlib.util.spec_from_file_location("vector_generate", VECTORS / "generate.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen  # dataclasses look their module up there
    try:
        spec.loader.exec_module(gen)
    finally:
        del sys.modules[spec.name]
    for case in gen.build_cases():
        assert (VECTORS / "batch" / "v1" / f"{case.name}.vector").read_bytes() == \
            gen.render(case), case.name
