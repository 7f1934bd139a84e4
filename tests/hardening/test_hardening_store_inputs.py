"""Hostile inputs to the store (workspace file, key file) and to the ledger's JSON-lines rows
reader: each is a coded SurveyError, never a traceback, with bounded memory (tracemalloc)."""

from __future__ import annotations

import json
import random
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import hardening_zygote as hz
import pytest

from surveyapp.core.store import Workspace
from surveyapp.core.store.keys import sidecar_path
from surveyapp.errors import SurveyError
from surveyapp.ops.ledger import read_rows_jsonl

PASSWORD = "correct horse 1"  # noqa: S105 - a test password
MEMORY_BOUND = 64 * 1024 * 1024


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkpointed workspace with 400 children (WAL folded into the file)."""
    path = tmp_path_factory.mktemp("pristine") / "village.sdb"
    with Workspace.create(path, role="village", org_code="522422102201", org_name="测试村",
                          user="wang", password=PASSWORD, work_factor=10) as ws:
        ws.insert_revisions(hz.child_revisions(1, 400))
    return path


def copy_of(pristine: Path, folder: Path) -> Path:
    target = folder / pristine.name
    target.write_bytes(pristine.read_bytes())
    sidecar_path(target).write_bytes(sidecar_path(pristine).read_bytes())
    return target


def coded(action: Callable[[], object]) -> str:
    tracemalloc.start()
    try:
        action()
    except SurveyError as err:
        return err.code.name
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < MEMORY_BOUND, peak
    return "no error"


def open_and_read(path: Path) -> None:
    with Workspace.open(path, "wang", PASSWORD) as ws:
        ws.query_children(None, 0, 1000)
        problems = ws.integrity_errors()
        assert problems == [], "a damaged file that opens must at least fail its checks"


def _garbage(p: Path) -> None:
    p.write_bytes(random.Random(1).randbytes(p.stat().st_size))


def _truncated(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 3])


def _flipped(p: Path) -> None:
    raw = bytearray(p.read_bytes())
    rng = random.Random(2)
    for _ in range(40):
        raw[rng.randrange(4096, len(raw))] ^= 0xFF
    p.write_bytes(bytes(raw))


def _text(p: Path) -> None:
    p.write_text("name,id\n张三,522422201001011234\n", encoding="utf-8")


def _empty(p: Path) -> None:
    p.write_bytes(b"")


WORKSPACE_DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage": _garbage, "truncated": _truncated, "flipped_pages": _flipped,
    "text_file": _text, "empty": _empty,
}


@pytest.mark.parametrize("case", sorted(WORKSPACE_DAMAGE))
def test_damaged_workspace_file__store_003(tmp_path: Path, pristine: Path, case: str) -> None:
    path = copy_of(pristine, tmp_path)
    WORKSPACE_DAMAGE[case](path)
    assert coded(lambda: open_and_read(path)) == "STORE_003"


KEY_FILES: dict[str, bytes] = {
    "garbage": random.Random(3).randbytes(3000),
    "invalid_utf8": b'{"format": "surveyapp-keys", "\xff\xfe": 1}',
    "deep_nesting": b'{"format": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
    "ten_mb": b'{"format": "' + b"a" * (10 * 1024 * 1024) + b'"}',
    "huge_integer": b'{"format": "surveyapp-keys", "version": ' + b"9" * 10_000 + b"}",
    "top_level_list": b"[]",
    "empty": b"",
}


@pytest.mark.parametrize("case", sorted(KEY_FILES))
def test_hostile_key_file__store_005(tmp_path: Path, pristine: Path, case: str) -> None:
    path = copy_of(pristine, tmp_path)
    sidecar_path(path).write_bytes(KEY_FILES[case])
    assert coded(lambda: Workspace.open(path, "wang", PASSWORD).close()) == "STORE_005"


def _lines(blob: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / "rows.jsonl").write_bytes(b'{"child_name": "ok"}\n' + blob + b"\n")
        return folder / "rows.jsonl"
    return make


ROWS: dict[str, Callable[[Path], Path]] = {
    "invalid_utf8": _lines(b'{"child_name": "\xff\xfe"}'),
    "deep_nesting": _lines(b'{"a": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"),
    "huge_integer": _lines(b'{"follow_up_days": ' + b"9" * 10_000 + b"}"),
    "not_an_object": _lines(b'["child_name"]'),
    "broken_json": _lines(b'{"child_name": '),
}


@pytest.mark.parametrize("case", sorted(ROWS))
def test_hostile_rows_jsonl__input_001_with_line(tmp_path: Path, case: str) -> None:
    path = ROWS[case](tmp_path)
    caught: list[SurveyError] = []

    def read() -> Iterator[dict[str, object]]:
        try:
            return iter(list(read_rows_jsonl(path)))
        except SurveyError as err:
            caught.append(err)
            raise

    assert coded(read) == "INPUT_001"
    assert str(caught[0].context["path"]).endswith(":2")


def test_rows_reader__a_valid_file_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text("\ufeff" + json.dumps({"child_name": "张三"}, ensure_ascii=False) + "\n\n",
                    encoding="utf-8")
    assert list(read_rows_jsonl(path)) == [{"child_name": "张三"}]
