"""Issue #18 item 6: the relay and down readers use the batch container's member checks
(``core.batch.codec.read_member``: encrypted flag, compression, sizes, short members). Each
vector in tests/vectors/{relay,down}/v1 (built by hand from docs/batch-format.md §9–§10 by
``tests/vectors/generate_relay_down.py``) is refused with its code and the store is
unchanged; the generator still makes exactly the committed files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from surveyapp.core.store import Workspace
from surveyapp.errors import SurveyError
from surveyapp.ops import relay

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
KEY = bytes.fromhex("d4" * 32)
CASES = sorted([*(VECTORS / "relay" / "v1").glob("*.vector"),
                *(VECTORS / "down" / "v1").glob("*.vector")])


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
