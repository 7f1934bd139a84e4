"""OPS-I1..I5 issue #12 item 1: an enrolled insider forges batches with its own key.

The village takes its own device key through the public API (``keystore.signing_key``),
writes a batch as docs/batch-format.md describes it (``core.batch.write_batch``, its real
audit log included) whose revisions name another village's child, device or author, signs
it with its own key and sends it up. Every such batch is refused whole with BATCH_014
(record and reason), at the township and at the county, directly or inside a relay, and
the store is unchanged: children, revisions, received batches and the audit chain.

- I1 each forgery (parametrised) at the county and at the township;
- I2 all or nothing: good revisions beside a forged one are not stored either;
- I3 another township editing this township's village;
- I4 a forged village batch inside a township relay: the whole relay is refused, the good
  village batches in it included;
- I5 what must still pass: a township's correction and return, a village's edit concurrent
  with a township's move of the child to another village (a conflict, not a refusal).
- I6 through the CLI: ``surveyapp batch import`` exits 1 with BATCH_014 in both languages.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from surveyapp.cli.main import main
from surveyapp.core import trust
from surveyapp.core.batch import BatchSource, Unauthorized, write_batch
from surveyapp.core.store import Revision, Workspace
from surveyapp.core.trust import keystore
from surveyapp.ops import relay, review
from surveyapp.ops.batches import export_batch, import_batch, verify_batch

PASSWORD = "correct horse 1"  # noqa: S105 - a test password
COUNTY, TOWN, TOWN_B = "522422", "522422102", "522422103"
V1, V2, VB = "522422102201", "522422102202", "522422103201"
FORM = {"form_id": "child_screening", "form_version": "2026.1"}


def _ws(tmp_path: Path, role: str, org: str) -> Workspace:
    return Workspace.create(tmp_path / f"{org}.sdb", role=role, org_code=org,
                            org_name=f"单位{org[-3:]}", user=f"{role}-{org[-3:]}",
                            password=PASSWORD, work_factor=10)


def _answers(name: str, village: str, **more: str) -> dict[str, str]:
    town = village[:9]
    d = {"survey_date": "2026-07-01", "township_code": town, "village_code": village,
         "child_name": name, "sex": "female", "birth_date": "2014-04-04",
         "risk_level": "low", "is_left_behind": "yes"}
    d.update(more)
    return d


class World:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.county = _ws(tmp_path, "county", COUNTY)
        self.town = _ws(tmp_path, "township", TOWN)
        self.town_b = _ws(tmp_path, "township", TOWN_B)
        self.v1 = _ws(tmp_path, "village", V1)
        self.v2 = _ws(tmp_path, "village", V2)
        self.vb = _ws(tmp_path, "village", VB)
        trust.init_county(self.county)
        devices = (self.town, self.town_b, self.v1, self.v2, self.vb)
        for d in devices:
            trust.accept_enrollment(d, trust.enroll(self.county, trust.enroll_request(d)))
        for d in devices:
            trust.apply_update(d, trust.trust_update(self.county, d.org_code))
        self.usb = tmp_path / "usb"
        self.usb.mkdir()
        self.n = 0
        # Both villages have children on file at the township and the county.
        self.v1_child = self.v1.save_visit(None, _answers("王丽", V1), **FORM).child_id
        self.v2_child = self.v2.save_visit(None, _answers("李娜", V2), **FORM).child_id
        self.vb_child = self.vb.save_visit(None, _answers("张敏", VB), **FORM).child_id
        for v in (self.v1, self.v2):
            out = export_batch(v, self.folder())
            relay.import_and_keep(self.town, out.path)
            import_batch(self.county, out.path)
        out = export_batch(self.vb, self.folder())
        import_batch(self.town_b, out.path)
        import_batch(self.county, out.path)

    def folder(self) -> Path:
        self.n += 1
        path = self.usb / f"{self.n:03d}"
        path.mkdir()
        return path

    def head(self, ws: Workspace, record: str) -> Revision:
        return ws.heads(record)[0]

    def forge(self, device: Workspace, revisions: list[Revision]) -> Path:
        """The insider's batch: its own key, its own next sequence and audit log."""
        key = keystore.signing_key(device)
        assert key is not None
        audit = [{"seq": e.seq, "at": e.at, "user": e.user, "device_id": e.device_id,
                  "action": e.action, "details": dict(e.details)}
                 for e in device.audit_entries()]
        seq = int(device.get_meta("batch.sequence") or "0") + 1
        source = BatchSource(device.device_id, device.org_code, device.role, revisions, audit,
                             len(revisions) + len(audit))
        written = write_batch(self.folder(), source, key, sequence=seq,
                              previous=device.get_meta("batch.last_hash") or "",
                              recipients=keystore.recipients(device))
        return written.path

    def close(self) -> None:
        for ws in (self.county, self.town, self.town_b, self.v1, self.v2, self.vb):
            ws.close()


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path)
    yield w
    w.close()


def snapshot(ws: Workspace) -> str:
    """Children, revisions, received batches and the audit chain (which must verify),
    leaving out the ``refused`` entries a refusal writes (docs/store.md; counted by
    :func:`refusals`)."""
    assert ws.verify_audit() is None
    children = ws.conn.execute(
        "SELECT record_id, head_rev, village_code, child_name FROM children ORDER BY 1")
    revs = ws.conn.execute("SELECT id FROM revisions ORDER BY id")
    received = ws.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'batch.%' "
                               "OR key LIKE 'relay.%' ORDER BY key")
    audit = [(e.seq, e.action, dict(e.details)) for e in ws.audit_entries()
             if e.action != "refused"]
    return hashlib.sha256(repr((children, revs, received, audit)).encode()).hexdigest()


def refusals(ws: Workspace) -> list[dict[str, object]]:
    return [dict(e.details) for e in ws.audit_entries() if e.action == "refused"]


def _refused(ws: Workspace, path: Path, record: str) -> Unauthorized:
    before, refused_before = snapshot(ws), refusals(ws)
    with pytest.raises(Unauthorized) as info:
        import_batch(ws, path)
    assert snapshot(ws) == before
    # the only change: one refusal entry naming the code (a dry run and verify add none)
    added = refusals(ws)[len(refused_before):]
    assert [a["code"] for a in added] == ["BATCH_014"], added
    for check in (lambda: verify_batch(ws, path), lambda: import_batch(ws, path, dry_run=True)):
        with pytest.raises(Unauthorized):
            check()
    assert snapshot(ws) == before and len(refusals(ws)) == len(refused_before) + 1
    err = info.value
    assert err.code.name == "BATCH_014" and err.context["record"] == record
    assert record in err.message("en") and record in err.message("zh")
    assert "refused" in err.message("en") and "拒收" in err.message("zh")
    return err


def _renamed(w: World, base: Revision, *, device: Workspace, author: str | None = None,
             village: str | None = None, parents: list[str] | None = None,
             record: str | None = None) -> Revision:
    data = {**base.data, "child_name": "改名"}
    if village is not None:
        data["village_code"] = village
    return Revision.make(kind="child", record_id=record or base.record_id,
                         parents=[base.id] if parents is None else parents,
                         form_id=base.form_id, form_version=base.form_version,
                         author=author or device.user, device_id=device.device_id, data=data)


FORGERIES = {
    # The reported attack: another village's child, device and author.
    "other_device_and_author": lambda w, b: _renamed(w, b, device=w.v2, author=w.v2.user),
    # Its own device and author, but another village's child (as it is on file)...
    "other_village_child": lambda w, b: _renamed(w, b, device=w.v1),
    # ... or moved into its own village.
    "moved_into_own_village": lambda w, b: _renamed(w, b, device=w.v1, village=V1),
    # ... or with no parent, so that it becomes a second head of that child.
    "detached_on_other_child": lambda w, b: _renamed(w, b, device=w.v1, village=V1,
                                                     parents=[]),
    # ... or hung below one of its own revisions.
    "own_parent_other_record": lambda w, b: _renamed(
        w, w.head(w.v1, w.v1_child), device=w.v1, village=V1, record=w.v2_child),
    # Its own child, but in the name of the other village's user.
    "other_author": lambda w, b: _renamed(w, w.head(w.v1, w.v1_child), device=w.v1,
                                          author=w.v2.user),
    # A visit filed under the other village's child.
    "visit_of_other_child": lambda w, b: Revision.make(
        kind="visit", record_id="visit-forged", author=w.v1.user, device_id=w.v1.device_id,
        data={"child_id": w.v2_child, "household_id": "",
              "answers": _answers("李娜", V1)}, **FORM),
    # A duplicate decision about the other village's child.
    "link_of_other_child": lambda w, b: Revision.make(
        kind="link", record_id=review.pair_id(w.v1_child, w.v2_child), author=w.v1.user,
        device_id=w.v1.device_id,
        data={"records": sorted((w.v1_child, w.v2_child)), "decision": "moved",
              "note": "", "org_code": V1}),
}


@pytest.mark.parametrize("attack", sorted(FORGERIES))
def test_forged_batch__refused_at_county_and_township(world, attack):  # OPS-I1
    base = world.head(world.county, world.v2_child)
    forged = FORGERIES[attack](world, base)
    path = world.forge(world.v1, [forged])
    # The refusal names the record the forgery touches: the other village's child, or for
    # a visit or a link the record it names (the visit of the attacker's own id).
    record = {"other_author": world.v1_child,
              "visit_of_other_child": world.v2_child}.get(attack, world.v2_child)
    for ws in (world.county, world.town):
        err = _refused(ws, path, record)
        assert err.context["device"] == world.v1.device_id
    assert world.county.get_child(world.v2_child).data["child_name"] == "李娜"


def test_one_forged_revision__whole_batch_refused(world):  # OPS-I2
    good = [world.v1.save_visit(None, _answers(f"赵{i}", V1), **FORM) for i in range(3)]
    revs = [r for _, r in world.v1.iter_revisions()
            if r.record_id in {g.child_id for g in good} or r.id in {g.visit_rev for g in good}]
    assert len(revs) == 6
    forged = FORGERIES["other_device_and_author"](world,
                                                  world.head(world.county, world.v2_child))
    # The forged revision last, after two slices' worth would be the same: it is the batch
    # that is refused, not the line.
    path = world.forge(world.v1, [*revs, forged])
    _refused(world.county, path, world.v2_child)
    assert all(world.county.get_child(g.child_id) is None for g in good)
    # The same good revisions in an honest batch are accepted.
    honest = export_batch(world.v1, world.folder())
    assert import_batch(world.county, honest.path).inserted >= 6


def test_other_township__cannot_edit_this_townships_village(world):  # OPS-I3
    base = world.head(world.county, world.v1_child)
    forged = _renamed(world, base, device=world.town_b)
    path = world.forge(world.town_b, [forged])
    err = _refused(world.county, path, world.v1_child)
    assert V1 in err.context["reason"]
    # Its own village's child it may edit (a township's correction).
    own = _renamed(world, world.head(world.county, world.vb_child), device=world.town_b)
    ok = world.forge(world.town_b, [own])
    assert import_batch(world.county, ok).inserted == 1


def test_forged_batch_inside_relay__whole_relay_refused(world):  # OPS-I4
    world.v2.save_visit(None, _answers("钱多", V2), **FORM)
    good = export_batch(world.v2, world.folder())
    relay.import_and_keep(world.town, good.path)
    forged = world.forge(world.v1, [FORGERIES["other_device_and_author"](
        world, world.head(world.county, world.v2_child))])
    # A township that kept it without importing it (or an insider township) relays it.
    relay.keep_for_relay(world.town, forged.read_bytes())
    up = relay.export_relay(world.town, world.folder())
    before = snapshot(world.county)
    with pytest.raises(Unauthorized) as info:
        relay.import_relay(world.county, up.path)
    assert info.value.context["record"] == world.v2_child
    assert snapshot(world.county) == before  # the good village batch was not imported either


def test_legitimate_cross_device_revisions__accepted(world):  # OPS-I5
    # The township corrects a village's child and returns another one; the village gets
    # the return down, edits again, and everything travels up through one relay.
    world.town.save_visit(world.v1_child, _answers("王莉", V1), **FORM)
    returned = review.return_to_village(world.town, world.v2_child, "请补充电话")
    down = relay.export_down(world.town, V2, world.folder())
    relay.import_down(world.v2, down.path)
    world.v2.save_visit(world.v2_child, _answers("李娜", V2, risk_level="medium"), **FORM)
    again = export_batch(world.v2, world.folder())  # carries the township's return (a copy)
    relay.import_and_keep(world.town, again.path)
    up = relay.export_relay(world.town, world.folder())
    result = relay.import_relay(world.county, up.path)
    assert world.county.get_revision(returned) is not None
    assert result.own.inserted >= 2
    # A village edit concurrent with the township moving the child to another village of
    # the township: both arrive, the county sees a conflict to resolve, nothing is refused.
    moved = world.town.save_visit(world.v1_child, _answers("王莉", V2), **FORM)
    world.v1.save_visit(world.v1_child, _answers("王丽", V1, risk_level="high"), **FORM)
    up = relay.export_relay(world.town, world.folder())
    relay.import_relay(world.county, up.path)
    mine = export_batch(world.v1, world.folder())
    assert import_batch(world.county, mine.path).inserted >= 2
    assert world.county.get_revision(moved.child_rev) is not None
    assert len(world.county.heads(world.v1_child)) == 2


def _stored(ws: Workspace) -> tuple[object, ...]:
    """As :func:`snapshot`, leaving out the CLI's own unlock entries (and the refusals)."""
    assert ws.verify_audit() is None
    children = ws.conn.execute("SELECT record_id, head_rev, child_name FROM children ORDER BY 1")
    revs = ws.conn.execute("SELECT id FROM revisions ORDER BY id")
    received = ws.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'batch.%' "
                               "ORDER BY key")
    audit = [(e.seq, e.action, dict(e.details)) for e in ws.audit_entries()
             if e.action not in ("unlock", "refused")]
    return (children, revs, received, audit)


def test_forged_batch__cli_import_exit_1_bilingual(world, monkeypatch, capsys):  # OPS-I6
    path = world.forge(world.v1, [FORGERIES["other_device_and_author"](
        world, world.head(world.county, world.v2_child))])
    before, refused_before = _stored(world.county), refusals(world.county)
    county_path = str(world.county.path)
    world.county.close()
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PASSWORD)
    code = main(["batch", "import", county_path, str(path), "--user", "county-422",
                 "--json"])
    err = json.loads(capsys.readouterr().err)["error"]
    assert code == 1 and err["code"] == "BATCH_014"
    assert world.v2_child in err["message_en"] and world.v2_child in err["message_zh"]
    assert "another device" in err["message_en"] and "拒收" in err["message_zh"]
    world.county = Workspace.open(county_path, "county-422", PASSWORD)
    assert _stored(world.county) == before
    assert [a["code"] for a in refusals(world.county)[len(refused_before):]] == ["BATCH_014"]


def test_history__author_shown_with_the_writing_devices_unit(world):  # OPS-I7
    from surveyapp.ui.backend import Backend

    world.county.record_exit(world.v2_child, reason="moved_away", date="2026-08-01", note="")
    lines = Backend(world.county).history(world.v2_child)
    # The village's revision: its user qualified by its unit; the county's own: the name.
    assert any(f"{world.v2.user}（单位202）" in line for line in lines)
    assert any(f"  {world.county.user}  " in line for line in lines)


def test_township_own_batch_in_relay__other_townships_child__whole_relay_refused(world):
    # OPS-I4: the township itself is the insider; its own batch is checked before any of
    # the relay's village batches is imported.
    world.v2.save_visit(None, _answers("孙悦", V2), **FORM)
    relay.import_and_keep(world.town, export_batch(world.v2, world.folder()).path)
    base = world.head(world.county, world.vb_child)
    world.town.insert_revisions([_renamed(world, base, device=world.town, parents=[])])
    up = relay.export_relay(world.town, world.folder())
    before = snapshot(world.county)
    with pytest.raises(Unauthorized) as info:
        relay.import_relay(world.county, up.path)
    assert info.value.context["record"] == world.vb_child
    assert info.value.context["device"] == world.town.device_id
    assert snapshot(world.county) == before
