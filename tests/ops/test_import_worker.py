"""Issue #16: the batch import's worker process (``ops.importlines``, docs/store.md).

The same imports are run with the worker (``SURVEYAPP_IMPORT_WORKER=1``, small slices so
that several are in flight) and without it (``=0``), each into a private copy of the same
county store, and must end the same: the results, or the refusal with its code and
context, and the store (children, revisions, received batches, audit chain). Hostile
batches are built as an enrolled village would build them with its own key
(docs/batch-format.md): a line that is not canonical JSON, a line that is not JSON, a
revision whose bytes were changed after its id was taken, a revision of another village.
A worker killed mid-import is IMPORT_002 with the store unchanged; a cancel stops it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from surveyapp.core import trust
from surveyapp.core.batch import BatchError, BatchSource, write_batch
from surveyapp.core.store import Revision, Workspace
from surveyapp.core.trust import keystore
from surveyapp.errors import SurveyError
from surveyapp.ops import batches, importlines, importplan
from surveyapp.ops.batches import export_batch

PASSWORD = "correct horse 1"  # noqa: S105 - a test password
COUNTY, V1, V2 = "522422", "522422102201", "522422102202"
FORM = {"form_id": "child_screening", "form_version": "2026.1"}


def _ws(tmp_path: Path, role: str, org: str) -> Workspace:
    return Workspace.create(tmp_path / f"{org}.sdb", role=role, org_code=org,
                            org_name=f"单位{org[-3:]}", user=f"{role}-{org[-3:]}",
                            password=PASSWORD, work_factor=10)


def _answers(name: str, village: str, n: int) -> dict[str, Any]:
    return {"survey_date": f"2026-07-{1 + n % 28:02d}", "township_code": village[:9],
            "village_code": village, "child_name": name, "sex": "female",
            "birth_date": "2014-04-04", "risk_level": "low", "is_left_behind": "yes",
            "follow_up_days": 30}


class World:
    """A county trusting two villages; village 1 has children on file at the county."""

    def __init__(self, tmp_path: Path) -> None:
        self.county = _ws(tmp_path, "county", COUNTY)
        self.v1 = _ws(tmp_path, "village", V1)
        self.v2 = _ws(tmp_path, "village", V2)
        trust.init_county(self.county)
        for v in (self.v1, self.v2):
            trust.accept_enrollment(v, trust.enroll(self.county, trust.enroll_request(v)))
        self.usb = tmp_path / "usb"
        self.usb.mkdir()
        self.n = 0
        self.v2_child = self.v2.save_visit(None, _answers("李娜", V2, 0), **FORM).child_id
        for i in range(12):
            self.v1.save_visit(None, _answers(f"王丽{i}", V1, i), **FORM)
        first = export_batch(self.v1, self.folder())
        batches.import_batch(self.county, first.path)
        batches.import_batch(self.county, export_batch(self.v2, self.folder()).path)
        self.first = first.path

    def folder(self) -> Path:
        self.n += 1
        path = self.usb / f"{self.n:03d}"
        path.mkdir()
        return path

    def visits(self, count: int, start: int = 100) -> None:
        """``count`` children more at village 1 (new ones and follow-ups: a child revision
        with its parent, a conflict-free head)."""
        for i in range(count):
            res = self.v1.save_visit(None, _answers(f"张敏{start + i}", V1, i), **FORM)
            if i % 3 == 0:
                self.v1.save_visit(res.child_id, _answers(f"张敏{start + i}", V1, i + 1),
                                   **FORM)

    def forge(self, revisions: list[Revision]) -> Path:
        """Village 1's own batch of ``revisions`` (its key, its next sequence, its audit
        log), as docs/batch-format.md describes it."""
        device = self.v1
        key = keystore.signing_key(device)
        assert key is not None
        audit = [{"seq": e.seq, "at": e.at, "user": e.user, "device_id": e.device_id,
                  "action": e.action, "details": dict(e.details)}
                 for e in device.audit_entries()]
        seq = int(device.get_meta("batch.sequence") or "0") + 1
        source = BatchSource(device.device_id, device.org_code, device.role, revisions,
                             audit, len(revisions) + len(audit))
        written = write_batch(self.folder(), source, key, sequence=seq,
                              previous=device.get_meta("batch.last_hash") or "",
                              recipients=keystore.recipients(device))
        return written.path

    def own_revisions(self) -> list[Revision]:
        return [rev for _, rev in self.v1.iter_revisions(0, device_id=self.v1.device_id)]

    def close(self) -> None:
        for ws in (self.county, self.v1, self.v2):
            ws.close()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setattr(batches, "SLICE", 7)  # several slices out at once
    w = World(tmp_path)
    yield w
    w.close()


def state(ws: Workspace) -> tuple[Any, ...]:
    """Children (every view column), revisions, received batches and the audit chain
    (which must verify), without times."""
    assert ws.verify_audit() is None
    children = ws.conn.execute("SELECT * FROM children ORDER BY record_id")
    revs = ws.conn.execute("SELECT id, seq FROM revisions ORDER BY id")
    heads = ws.conn.execute("SELECT record_id, revision FROM heads ORDER BY 1, 2")
    meta = ws.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'batch.%' "
                           "ORDER BY key")
    audit = [(e.seq, e.action, dict(e.details)) for e in ws.audit_entries()]
    return children, revs, heads, meta, audit


def outcome(err: SurveyError | None, results: list[Any]) -> Any:
    if err is not None:
        return type(err).__name__, err.code.name, dict(err.context)
    return [(r.inserted, r.known, r.records, r.audit, r.outcomes, r.warnings)
            for r in results]


def run(ws: Workspace, monkeypatch: pytest.MonkeyPatch, mode: str, paths: list[Path],
        cancel: Callable[[], bool] = lambda: False) -> tuple[Any, Any, list[int]]:
    """Import ``paths`` into a private copy of ``ws`` with the worker (``mode`` "1") or
    without ("0"): (outcome, store state, exit codes of the workers started)."""
    started: list[importlines.Worker] = []
    real_init = importlines.Worker.__init__

    def init(self: importlines.Worker, path: str) -> None:
        real_init(self, path)
        started.append(self)

    monkeypatch.setattr(importlines.Worker, "__init__", init)
    monkeypatch.setenv(importlines.ENV, mode)
    with ws.snapshot() as copy:
        err: SurveyError | None = None
        results: list[Any] = []
        try:
            results = importplan.import_all(copy, paths, lambda _d, _t: None, cancel)
        except SurveyError as caught:
            err = caught
        got = outcome(err, results), state(copy)
    codes = [w.process.returncode for w in started]
    assert (len(started) > 0) == (mode == "1")
    return *got, codes


def both(world: World, monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> Any:
    with_worker = run(world.county, monkeypatch, "1", paths)
    without = run(world.county, monkeypatch, "0", paths)
    assert with_worker[:2] == without[:2]
    assert all(code is not None for code in with_worker[2])  # no worker left running
    return without[0]


def both_state(world: World, monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> Any:
    with_worker = run(world.county, monkeypatch, "1", paths)
    without = run(world.county, monkeypatch, "0", paths)
    assert with_worker[:2] == without[:2]
    return without[1]


def test_import_all__same_store_with_and_without_the_worker(world, monkeypatch):
    world.visits(30)
    second = export_batch(world.v1, world.folder()).path
    world.visits(5, start=200)
    third = export_batch(world.v1, world.folder()).path
    got = both(world, monkeypatch, [second, third])
    assert got[0][0] > 30 and got[1][0] > 5  # revisions were inserted


def test_known_revisions_and_a_conflict__same_with_and_without(world, monkeypatch):
    # The whole history again (known ones), and two edits of one child on the same parent
    # (two heads: the view row's conflict flag, which only the store knows).
    child = next(iter(world.v1.iter_children(None)))
    parent = world.v1.heads(child.record_id)[0]
    edits = [Revision.make(kind="child", record_id=child.record_id, parents=(parent.id,),
                           author=world.v1.user, device_id=world.v1.device_id,
                           data={**parent.data, "risk_level": level}, **FORM)
             for level in ("high", "medium")]
    path = world.forge([*world.own_revisions(), *edits])
    children, *_ = both_state(world, monkeypatch, [path])
    conflicted = [row for row in children if row[0] == child.record_id]
    assert conflicted[0][2] == 1  # conflict
    assert sum(row[2] for row in children) == 1


@pytest.mark.parametrize("damage", ["not_canonical", "not_json", "key_order"])
def test_damaged_line__refused_the_same_way_store_unchanged(world, monkeypatch, damage):
    world.visits(20)
    revs = world.own_revisions()
    bad = revs[-9]
    body = {"not_canonical": b" " + bad.body, "not_json": b"{not json",
            "key_order": orjson.dumps(dict(reversed(orjson.loads(bad.body).items())))
            }[damage]
    assert body != bad.body
    revs[-9] = dataclasses.replace(bad, body=body)
    path = world.forge(revs)
    before = state(world.county)
    got = both(world, monkeypatch, [path])
    assert got[:2] == ("BadPayload", "BATCH_010")
    reason = "a revision is not JSON" if damage == "not_json" else "a revision is damaged"
    assert got[2]["reason"] == reason
    assert state(world.county) == before


def test_changed_bytes__stored_under_the_hash_of_the_line(world, monkeypatch):
    """A revision's id is the SHA-256 of its line: bytes changed after the id was taken
    (still canonical) are another revision, with or without the worker."""
    world.visits(10)
    revs = world.own_revisions()
    changed = revs[-1].body.replace("张敏".encode(), "赵敏".encode())
    assert changed != revs[-1].body
    revs[-1] = dataclasses.replace(revs[-1], body=changed)
    path = world.forge(revs)
    both(world, monkeypatch, [path])
    with world.county.snapshot() as copy:
        importplan.import_all(copy, [path], lambda _d, _t: None, lambda: False)
        stored = copy.get_revision(hashlib.sha256(changed).hexdigest())
        assert stored is not None and stored.body == changed
        assert copy.get_revision(world.own_revisions()[-1].id) is None  # not its old id


def test_worker_revision_with_a_wrong_id__refused_by_the_store(world):
    """The store re-hashes every revision the worker's fields describe (STORE_014)."""
    rev = world.own_revisions()[-1]
    fields = (rev.id, rev.kind, rev.record_id, rev.parents, rev.form_id, rev.form_version,
              rev.author, rev.device_id, rev.created_at)
    forged = importlines._revision(rev.body.replace(b"2014-04-04", b"2014-04-05"), fields)
    with world.county.snapshot() as copy, pytest.raises(SurveyError) as info:
        copy.insert_revisions([forged])
    assert info.value.code.name == "STORE_014"


def test_revision_of_another_village__refused_the_same_way(world, monkeypatch):
    world.visits(20)
    revs = world.own_revisions()
    theirs = world.county.heads(world.v2_child)[0]
    forged = Revision.make(kind="child", record_id=world.v2_child, parents=(theirs.id,),
                           author=world.v1.user, device_id=world.v1.device_id,
                           data={**theirs.data, "risk_level": "high"}, **FORM)
    path = world.forge([*revs[:15], forged, *revs[15:]])
    before = state(world.county)
    got = both(world, monkeypatch, [path])
    assert got[:2] == ("Unauthorized", "BATCH_014")
    assert got[2]["record"] == world.v2_child
    assert state(world.county) == before


def test_refused_import__same_refused_audit_entry(world, monkeypatch):
    world.visits(10)
    revs = world.own_revisions()
    revs[3] = dataclasses.replace(revs[3], body=b" " + revs[3].body)
    path = world.forge(revs)
    entries = []
    for mode in ("1", "0"):
        monkeypatch.setenv(importlines.ENV, mode)
        with world.county.snapshot() as copy:
            with pytest.raises(BatchError):
                importplan.import_file(copy, path)
            entries.append([dict(e.details) for e in copy.audit_entries()
                            if e.action == "refused"])
    assert entries[0] == entries[1] and len(entries[0]) == 1


def test_worker_killed_mid_import__coded_error_store_unchanged(world, monkeypatch):
    world.visits(40)
    path = export_batch(world.v1, world.folder()).path
    workers: list[importlines.Worker] = []
    real_result = importlines.Worker.result

    def result(self: importlines.Worker, lines: list[bytes]) -> importlines.Slice:
        workers.append(self)
        if len(workers) == 2:  # the second slice: the worker is killed (out of memory...)
            self.process.kill()
            self.process.wait()
        return real_result(self, lines)

    monkeypatch.setattr(importlines.Worker, "result", result)
    monkeypatch.setenv(importlines.ENV, "1")
    before = state(world.county)
    with pytest.raises(SurveyError) as info:
        importplan.import_all(world.county, [path], lambda _d, _t: None, lambda: False)
    err = info.value
    assert err.code.name == "IMPORT_002"
    assert err.context["path"] == str(path)
    assert "exit code" in err.context["reason"]
    assert "second process" in err.message("en") and "第二个进程" in err.message("zh")
    assert state(world.county) == before  # no refused entry either: not the file's fault
    assert workers[0].process.returncode is not None
    # And the next import starts a worker of its own and succeeds.
    monkeypatch.setattr(importlines.Worker, "result", real_result)
    done = importplan.import_all(world.county, [path], lambda _d, _t: None, lambda: False)
    assert done[0].inserted > 40


def test_cancel__worker_stopped_store_unchanged(world, monkeypatch):
    """A cancel while slices are out (the first check, after 5,000 lines) kills the
    worker; nothing is stored."""
    many = [Revision.make(kind="child", record_id=f"c{i:05d}", author=world.v1.user,
                          device_id=world.v1.device_id,
                          data={**_answers(f"刘{i}", V1, i), "status": "active"}, **FORM)
            for i in range(5100)]
    path = world.forge(many)
    before = state(world.county)
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 1  # the import-all's own check first, then the batch's

    got, after, codes = run(world.county, monkeypatch, "1", [path], cancel)
    assert got[:2] == ("SurveyError", "BATCH_012")
    assert codes and all(c is not None for c in codes)
    assert after[:4] == before[:4]
    assert state(world.county) == before


def test_wanted__env_and_size(monkeypatch):
    monkeypatch.setenv(importlines.ENV, "0")
    assert not importlines.wanted(10**6)
    monkeypatch.setenv(importlines.ENV, "1")
    assert importlines.wanted(1)
    monkeypatch.delenv(importlines.ENV)
    assert not importlines.wanted(importlines.WORKER_AT - 1)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert importlines.wanted(importlines.WORKER_AT)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.0, 0.0, 0.0))
    assert importlines.wanted(importlines.WORKER_AT)  # one core busy, one free
    monkeypatch.setattr(os, "getloadavg", lambda: (1.2, 0.0, 0.0))
    assert not importlines.wanted(importlines.WORKER_AT)  # no core to spare
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    monkeypatch.setattr("sys.frozen", True, raising=False)
    assert not importlines.wanted(importlines.WORKER_AT)
