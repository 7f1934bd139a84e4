"""Migrations: from an empty file, from each released schema snapshot; newer schemas refused."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from store_helpers import FIXTURE_KEY, RAW_KEY, VILLAGE

from surveyapp.core.store import ChildFilter, Workspace, migrations
from surveyapp.core.store.codes import StoreCode
from surveyapp.core.store.connection import connect
from surveyapp.errors import SurveyError


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def test_migrate_from_empty__latest_schema(tmp_path: Path) -> None:
    conn = connect(tmp_path / "empty.sdb", RAW_KEY, create=True)
    assert migrations.version(conn) == 0
    assert [m.name for m in migrations.pending(conn)] == [m.name for m in migrations.MIGRATIONS]
    assert migrations.apply(conn) == [m.name for m in migrations.MIGRATIONS]
    assert migrations.version(conn) == migrations.latest()
    assert migrations.pending(conn) == []
    recorded = conn.execute("SELECT number, name FROM _migrations ORDER BY number")
    assert recorded == [(m.number, m.name) for m in migrations.MIGRATIONS]
    conn.close()


def test_pending__read_only(store_v1: Path) -> None:
    before = digests(store_v1.parent)
    conn = connect(store_v1, FIXTURE_KEY)
    assert [m.number for m in migrations.pending(conn)] == list(range(2, migrations.latest() + 1))
    conn.close()
    assert digests(store_v1.parent) == before


SNAPSHOTS = sorted((Path(__file__).resolve().parent / "fixtures").glob("schema_v*.sdb"))


def test_snapshots__one_per_earlier_schema() -> None:
    assert [p.name for p in SNAPSHOTS] == [
        f"schema_v{n}.sdb" for n in range(1, migrations.latest())
    ]


@pytest.mark.parametrize("snapshot", SNAPSHOTS, ids=lambda p: p.stem)
def test_migrate_from_snapshot__data_kept_and_new_columns_filled(
    snapshot: Path, tmp_path: Path
) -> None:
    store = tmp_path / snapshot.name
    shutil.copyfile(snapshot, store)
    with Workspace.open_with_key(store, FIXTURE_KEY, "wang") as ws:
        assert ws.schema_version == migrations.latest()
        assert ws.org_name == "测试村" and ws.org_code == VILLAGE
        rows = ws.query_children(ChildFilter(), 0, 10)
        assert sorted(r.child_name for r in rows) == ["李春花", "王小明"]
        assert {r.name_pinyin for r in rows} == {"lichunhua", "wangxiaoming"}
        assert ws.count_children(ChildFilter(search="lch")) == 1
        assert [e.action for e in ws.audit_entries()] == ["migrate"]
        assert ws.integrity_errors() == []


def test_newer_schema__refused_and_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.sdb"
    Workspace.create_with_key(path, RAW_KEY, role="village", org_code=VILLAGE,
                              org_name="村", user="wang").close()
    conn = connect(path, RAW_KEY)
    conn.execute(f"PRAGMA user_version = {migrations.latest() + 1}")
    conn.close()
    before = digests(tmp_path)
    with pytest.raises(SurveyError) as info:
        Workspace.open_with_key(path, RAW_KEY, "wang")
    assert info.value.code is StoreCode.STORE_004
    assert info.value.context["found"] == migrations.latest() + 1
    assert digests(tmp_path) == before


def test_wrong_key__clear_error_not_traceback(tmp_path: Path) -> None:
    path = tmp_path / "w.sdb"
    Workspace.create_with_key(path, RAW_KEY, role="village", org_code=VILLAGE,
                              org_name="村", user="wang").close()
    with pytest.raises(SurveyError) as info:
        Workspace.open_with_key(path, bytes(32), "wang")
    assert info.value.code is StoreCode.STORE_003


def test_not_a_database__clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.sdb"
    path.write_bytes(b"this is not a database" * 300)
    with pytest.raises(SurveyError) as info:
        Workspace.open_with_key(path, RAW_KEY, "wang")
    assert info.value.code is StoreCode.STORE_003


def test_wrong_key__sqlcipher_log_silent(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.sdb"
    Workspace.create_with_key(path, RAW_KEY, role="village", org_code=VILLAGE,
                              org_name="村", user="wang").close()
    capfd.readouterr()
    with pytest.raises(SurveyError):
        Workspace.open_with_key(path, bytes(32), "wang")
    assert capfd.readouterr().err == ""
