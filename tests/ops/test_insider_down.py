"""OPS-D1..D6: an insider at the township forges down files with its own key.

The township device is enrolled and holds its own key (``keystore.signing_key``); an insider
there writes a down file for village 201 by hand, as docs/batch-format.md §10 describes it
(the magic member, a canonical ``down.json``, its minisign signature with the trusted
comment, the payload encrypted to the village's enrolled devices: revision lines, the
township's audit entries, county receipts), signs it and hands it over. Every file whose
revisions the township may not send to that village (§10.1, rules 11 and 12) is refused
whole with BATCH_014 naming the record and the reason, and the village's store is unchanged:
children, revisions, received batches and receipts, the audit chain, which gains only the one
``refused`` entry.

- D0 the hand-built file is right: an honest one (a return) built the same way is accepted;
- D1 each forgery (parametrised): another township's child, another village's child, a copy
  the village does not hold (another device's, or in the village's own name), an author the
  township's entries do not name, no audit entries at all, a visit, a link of other children;
- D2 all or nothing: an honest return and the county's receipt beside a forgery are not
  stored or applied either;
- D3 what must still pass, through ``export_down``: a return, a child the township entered
  in the village, a duplicate decision, and a held child moved out to another village of the
  township;
- D4 through the CLI: ``surveyapp down import`` exits 1 with BATCH_014 in both languages.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from test_insider_batches import (
    FORM,
    PASSWORD,
    V1,
    V2,
    VB,
    World,
    _answers,
    _renamed,
    _stored,
    refusals,
    snapshot,
)

from surveyapp.cli.main import main
from surveyapp.core.batch import Unauthorized
from surveyapp.core.crypto import age, minisign
from surveyapp.core.store import Revision, Workspace
from surveyapp.core.trust import keystore
from surveyapp.ops import relay, review
from surveyapp.ops.batches import acknowledged, import_receipt, write_receipt

FORMAT = "surveyapp.down/v1"


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path)
    yield w
    w.close()


def _canonical(value: Any) -> bytes:
    """Canonical JSON (docs/batch-format.md §4): sorted keys, no spaces, UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8")


def township_audit(town: Workspace, users: set[str] | None = None) -> list[bytes]:
    """The township's own audit entries as a down file carries them (§4, §10): all of them,
    or the first one naming each of ``users``."""
    out, seen = [], set()
    for e in town.audit_entries():
        named = {e.user, e.details.get("user_added")}
        if users is not None and not (named & (users - seen)):
            continue
        seen |= named
        out.append(_canonical({"audit": {
            "seq": e.seq, "at": e.at, "user": e.user, "device_id": e.device_id,
            "action": e.action, "details": dict(e.details), "prev_hash": e.prev_hash,
            "hash": e.hash}}))
    return out


def forge_down(w: World, revisions: list[Revision | bytes], *, audit: list[bytes] | None = None,
               receipts: list[bytes] = (), village: str = V1) -> Path:
    """The insider's down file for ``village``, signed with the township's own key."""
    town = w.town
    key = keystore.signing_key(town)
    assert key is not None
    lines = [r if isinstance(r, bytes) else r.body for r in revisions]
    if audit is None:
        audit = township_audit(town, {json.loads(line)["author"] for line in lines})
    recipients = sorted({e.age_recipient for e in keystore.devices(town).values()
                         if e.org_code == village and e.role == "village" and not e.revoked})
    payload = age.encrypt(b"".join(x + b"\n" for x in [*lines, *audit, *receipts]),
                          recipients=recipients)
    sha = hashlib.sha256(payload).hexdigest()
    manifest = _canonical({
        "format": FORMAT, "township": {"device_id": town.device_id, "org_code": town.org_code},
        "village_org": village, "created_at": "2026-07-02T08:00:00Z", "revisions": len(lines),
        "audit": len(audit), "receipts": len(receipts), "payload_sha256": sha,
        "recipients": recipients})
    sig = minisign.sign(manifest, key, untrusted_comment="forged down file",
                        trusted_comment=f"{FORMAT} device={town.device_id} "
                                        f"org={town.org_code} village={village} sha256={sha}")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in (("surveyapp-down", (FORMAT + "\n").encode()),
                           ("down.json", manifest), ("down.minisig", sig),
                           ("payload.age", payload)):
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 7, 2, 8, 0, 0)), data)
    path = w.folder() / f"{village}_from_{town.org_code}_forged.down.zip"
    path.write_bytes(buf.getvalue())
    return path


def _held(ws: Workspace) -> tuple[Any, ...]:
    """As :func:`snapshot`, and the county receipts this device has taken."""
    return snapshot(ws), acknowledged(ws)


def refused_down(ws: Workspace, path: Path, record: str) -> Unauthorized:
    before, refused_before = _held(ws), refusals(ws)
    with pytest.raises(Unauthorized) as info:
        relay.import_down(ws, path)
    assert _held(ws) == before
    added = refusals(ws)[len(refused_before):]
    assert [(a["code"], a["what"]) for a in added] == [("BATCH_014", "down")], added
    err = info.value
    assert err.code.name == "BATCH_014" and err.context["record"] == record, err.context
    assert record in err.message("en") and record in err.message("zh")
    assert "refused" in err.message("en") and "拒收" in err.message("zh")
    return err


def _return(w: World, comment: str = "请补充电话") -> Revision:
    """The township's return of the village's child, as ``review.return_to_village`` does."""
    rid = review.return_to_village(w.town, w.v1_child, comment)
    rev = w.town.get_revision(rid)
    assert rev is not None
    return rev


def test_hand_built_honest_down_file__accepted(world):  # OPS-D0
    # The builder below is right: the same file with an honest return is accepted.
    ret = _return(world)
    got = relay.import_down(world.v1, forge_down(world, [ret]))
    assert got.inserted == 1 and world.v1.get_revision(ret.id) is not None


def _copy_in_villages_name(w: World) -> Revision:
    head = w.head(w.v1, w.v1_child)
    return Revision.make(kind="child", record_id=w.v1_child, parents=[head.id],
                         form_id=head.form_id, form_version=head.form_version,
                         author=w.v1.user, device_id=w.v1.device_id,
                         data={**head.data, "child_name": "改名"})


FORGERIES = {
    # (a) Another township's child, in the township's own name (rule 11: outside 102).
    "other_township_child": lambda w: (
        _renamed(w, w.head(w.county, w.vb_child), device=w.town), w.vb_child, VB),
    # ... or the village's own child moved into another township.
    "held_child_to_other_township": lambda w: (
        _renamed(w, w.head(w.v1, w.v1_child), device=w.town, village=VB), w.v1_child, VB),
    # Another village of its own township: allowed to the township, but not this village's
    # child (rule 12).
    "other_village_child": lambda w: (
        _renamed(w, w.head(w.county, w.v2_child), device=w.town), w.v2_child,
        f"village {V1}"),
    # (b) A copy the village does not hold: another village's revision...
    "copy_of_other_device": lambda w: (
        w.head(w.county, w.v2_child), w.v2_child, "not held here"),
    # ... or one made up in the village device's own name.
    "copy_in_villages_own_name": lambda w: (
        _copy_in_villages_name(w), w.v1_child, "not held here"),
    # (c) Authors: a name the township's entries never had, or the village's own user.
    "unknown_author": lambda w: (
        _renamed(w, w.head(w.v1, w.v1_child), device=w.town, author="王芳"), w.v1_child,
        "王芳"),
    "village_user_as_author": lambda w: (
        _renamed(w, w.head(w.v1, w.v1_child), device=w.town, author=w.v1.user), w.v1_child,
        w.v1.user),
    # Kinds that never travel down.
    "visit": lambda w: (Revision.make(
        kind="visit", record_id="visit-forged", author=w.town.user, device_id=w.town.device_id,
        data={"child_id": w.v1_child, "household_id": "", "answers": _answers("王丽", V1)},
        **FORM), "visit-forged", "visit"),
    # A duplicate decision about two children of another village.
    "link_of_other_children": lambda w: (Revision.make(
        kind="link", record_id=review.pair_id(w.v2_child, "c-" + "9" * 30),
        author=w.town.user, device_id=w.town.device_id,
        data={"records": sorted((w.v2_child, "c-" + "9" * 30)), "decision": "link",
              "note": "", "org_code": w.town.org_code, "survivor": w.v2_child}),
        min(w.v2_child, "c-" + "9" * 30), f"village {V1}"),
}


@pytest.mark.parametrize("attack", sorted(FORGERIES))
def test_forged_down_file__refused_village_unchanged(world, attack):  # OPS-D1
    forged, record, reason = FORGERIES[attack](world)
    err = refused_down(world.v1, forge_down(world, [forged]), record)
    assert reason in err.context["reason"], err.context
    assert err.context["device"] == world.town.device_id
    assert world.v1.get_child(world.v1_child).data["child_name"] == "王丽"
    assert world.v1.get_child(world.v2_child) is None
    assert world.v1.get_child(world.vb_child) is None


def test_down_file_without_audit_entries__refused(world):  # OPS-D1
    # An honest return, but the file names none of its authors (as an earlier writer's).
    ret = _return(world)
    err = refused_down(world.v1, forge_down(world, [ret], audit=[]), world.v1_child)
    assert world.town.user in err.context["reason"]
    # Audit entries of another device do not name the township's users either.
    other = township_audit(world.v2)
    refused_down(world.v1, forge_down(world, [ret], audit=other), world.v1_child)


def test_one_forged_revision__whole_down_file_refused(world):  # OPS-D2
    # The county has confirmed the village's batch: its receipt goes down with the file.
    up = relay.export_relay(world.town, world.folder())
    ack = write_receipt(world.county, relay.as_import_result(
        relay.import_relay(world.county, up.path)), world.folder())
    import_receipt(world.town, ack)
    passed = relay._down_receipts(world.town, V1)
    assert passed
    ret = _return(world)
    forged, _, _ = FORGERIES["other_village_child"](world)
    path = forge_down(world, [ret, forged], receipts=passed)
    refused_down(world.v1, path, world.v2_child)
    assert world.v1.get_revision(ret.id) is None  # the honest return was not stored
    assert acknowledged(world.v1).get("county", 0) == 0  # nor the receipt applied
    # Without the forgery, the same file is accepted, receipt and all.
    got = relay.import_down(world.v1, forge_down(world, [ret], receipts=passed))
    assert got.inserted == 1 and got.receipts == 1


def test_legitimate_down_files__still_accepted(world):  # OPS-D3
    # A return, a child the township entered in the village itself, a duplicate decision of
    # that child with the village's, all through the real writer.
    ret = _return(world)
    entered = world.town.save_visit(None, _answers("王小丽", V1), **FORM)
    decision = review.decide_duplicate(world.town, world.v1_child, entered.child_id,
                                       "separate", "两个人")
    down = relay.export_down(world.town, V1, world.folder())
    assert down.revisions == 3 and down.audit == 1
    got = relay.import_down(world.v1, down.path)
    assert got.inserted == 3
    for rid in (ret.id, entered.child_rev, decision):
        assert world.v1.get_revision(rid) is not None
    # The same file again changes nothing and is not refused.
    assert relay.import_down(world.v1, down.path).inserted == 0
    # The township moves the village's child to village 202 of the township: the move is a
    # revision of a child the village holds, so it may come down (hand-built: the writer
    # sends a village only what is about its children now).
    moved = world.town.save_visit(world.v1_child, _answers("王丽", V2), **FORM)
    rev = world.town.get_revision(moved.child_rev)
    assert rev is not None
    assert relay.import_down(world.v1, forge_down(world, [rev])).inserted == 1
    assert world.v1.get_child(world.v1_child).village_code == V2


def test_forged_down_file__cli_import_exit_1_bilingual(world, monkeypatch, capsys):  # OPS-D4
    forged, record, _ = FORGERIES["other_township_child"](world)
    path = forge_down(world, [forged])
    before, acked = _stored(world.v1), acknowledged(world.v1)
    refused_before, user = refusals(world.v1), world.v1.user
    v1_path = str(world.v1.path)
    world.v1.close()
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PASSWORD)
    code = main(["down", "import", v1_path, str(path), "--user", user, "--json"])
    err = json.loads(capsys.readouterr().err)["error"]
    assert code == 1 and err["code"] == "BATCH_014"
    assert record in err["message_en"] and record in err["message_zh"]
    assert VB in err["message_en"] and "拒收" in err["message_zh"]
    world.v1 = Workspace.open(v1_path, user, PASSWORD)
    # The CLI's own unlock entries aside, nothing changed but the one refusal.
    assert _stored(world.v1) == before and acknowledged(world.v1) == acked
    assert [a["code"] for a in refusals(world.v1)[len(refused_before):]] == ["BATCH_014"]
    assert world.v1.get_child(world.vb_child) is None
