"""Issue #18 item 6: the relay and down readers use the batch container's member checks
(``core.batch.codec.read_member``: encrypted flag, compression, sizes, short members). Each
vector in tests/vectors/{relay,down}/v1 (built by hand from docs/batch-format.md §9–§10 by
``tests/vectors/generate_relay_down.py``) is refused with its code and the store is
unchanged; the generator still makes exactly the committed files.

The signed ``down_*`` vectors (§10.1, rules 11 and 12) are imported by a real village
workspace that trusts the vector's township key and holds its identity: the honest one is
stored, each forged one is refused with BATCH_014 naming its record, the store unchanged but
for the one ``refused`` audit entry."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from surveyapp.core.store import Workspace
from surveyapp.core.trust import keystore
from surveyapp.errors import SurveyError
from surveyapp.ops import relay

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
KEY = bytes.fromhex("d4" * 32)
ALL = sorted([*(VECTORS / "relay" / "v1").glob("*.vector"),
              *(VECTORS / "down" / "v1").glob("*.vector")])
SIGNED = [p for p in ALL if p.read_bytes().partition(b"\n\n")[0].find(b"\nsigner key: ") >= 0]
CASES = [p for p in ALL if p not in SIGNED]  # refused at the member checks


def parse_vector(raw: bytes) -> tuple[dict[str, str], bytes]:
    head, _, body = raw.partition(b"\n\n")
    fields = {}
    for line in head.decode("utf-8").splitlines():
        key, _, value = line.partition(": ")
        fields[key] = value
    return fields, body


def _state(ws: Workspace) -> tuple[Any, ...]:
    return (ws.conn.execute("SELECT id FROM revisions ORDER BY id"),
            ws.conn.execute("SELECT key, value FROM meta ORDER BY key"))


def test_vectors_present() -> None:
    kinds = {p.parent.parent.name for p in CASES}
    assert kinds == {"relay", "down"} and len(CASES) >= 8


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.parent.name}-{p.stem}")
def test_vector__refused_at_the_member_checks_store_unchanged(tmp_path: Path,
                                                              path: Path) -> None:
    fields, data = parse_vector(path.read_bytes())
    kind = path.parent.parent.name
    role, org = ("county", "522422") if kind == "relay" else ("village", "522422102201")
    ws = Workspace.create_with_key(tmp_path / "ws.sdb", KEY, role=role, org_code=org,
                                   org_name="测试", user="u")
    try:
        before = _state(ws)
        target = tmp_path / f"x.{kind}.zip"
        target.write_bytes(data)
        with pytest.raises(SurveyError) as info:
            if kind == "relay":
                relay.import_relay(ws, target)
            else:
                relay.import_down(ws, target)
        assert info.value.code.name == fields["code"], fields["comment"]
        assert _state(ws) == before
        assert ws.verify_audit() is None
    finally:
        ws.close()


def test_signed_vectors_present() -> None:
    expects = {parse_vector(p.read_bytes())[0]["expect"] for p in SIGNED}
    assert expects == {"success", "not authorized"} and len(SIGNED) >= 6


@pytest.mark.parametrize("path", SIGNED, ids=lambda p: p.stem)
def test_signed_down_vector__rules_11_and_12(tmp_path: Path, path: Path) -> None:
    fields, data = parse_vector(path.read_bytes())
    ws = Workspace.create_with_key(tmp_path / "ws.sdb", KEY, role="village",
                                   org_code=fields["village"], org_name="测试", user="u")
    try:
        # The village trusts the vector's township key and holds the vector's identity.
        town = keystore.DeviceEntry(fields["signer device"], fields["signer org"], "乡镇",
                                    "township", fields["signer key"], "")
        keystore.set_devices(ws, {town.device_id: town})
        ws.put_secret(keystore.AGE_IDENTITY, fields["identity"].encode("ascii"))
        target = tmp_path / "x.down.zip"
        target.write_bytes(data)
        before, entries = _state(ws), len(ws.audit_entries())
        if fields["expect"] == "success":
            assert relay.import_down(ws, target).inserted == int(fields["inserted"])
            return
        with pytest.raises(SurveyError) as info:
            relay.import_down(ws, target)
        assert info.value.code.name == fields["code"], fields["comment"]
        assert info.value.context["record"] == fields["record"]
        assert _state(ws) == before
        added = ws.audit_entries()[entries:]
        assert [(e.action, e.details["code"]) for e in added] == [("refused", fields["code"])]
        assert ws.verify_audit() is None
    finally:
        ws.close()


def test_generator__matches_committed_files() -> None:
    spec = importlib.util.spec_from_file_location("relay_down_generate",
                                                  VECTORS / "generate_relay_down.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen
    try:
        spec.loader.exec_module(gen)
    finally:
        del sys.modules[spec.name]
    for case in gen.build_cases():
        committed = VECTORS / case.kind / "v1" / f"{case.name}.vector"
        assert committed.read_bytes() == gen.render(case), case.name
