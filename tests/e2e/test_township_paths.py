"""E2E-PATHS every way a township takes in village batches and a county takes in the township's
relay, driven through the CLI exactly as a script on the township's and the county's computer
would, with real SQLCipher workspaces, real trust files and one USB-stick folder.

The county enrolls the township first and the villages afterwards; each village enrollment also
writes the township's trust update, which the township applies (the step a user would not
guess). Per path, village → township → county → back, twice: after each round the county holds
every village batch (checked against the village signature), the gaps are right, the
township's own batch holds only its own work (a return and an edit), the county's receipt for
the relay shrinks the next relay to what is new, and the county's receipts reach the villages
inside the township's down files.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from surveyapp.cli.main import main
from surveyapp.core.batch import open_batch
from surveyapp.core.batch.reader import AUDIT_PREFIX
from surveyapp.core.store import Workspace
from surveyapp.core.trust import keystore
from surveyapp.ops.batches import acknowledged, gaps, received
from surveyapp.ops.relay import kept

PW = "paths-pass-1"
COUNTY, TOWN, V1, V2 = "522422", "522422102", "522422102201", "522422102202"
NAMES = {"county": COUNTY, "town": TOWN, "v1": V1, "v2": V2}
ROLES = {"county": "county", "town": "township", "v1": "village", "v2": "village"}
SAVE = {"form_id": "child_screening", "form_version": "2026.1"}


def _child(name: str, village: str, **more: object) -> dict[str, object]:
    return {"survey_date": "2026-07-01", "township_code": TOWN, "village_code": village,
            "child_name": name, "sex": "female", "birth_date": "2014-04-04",
            "mother_name": "陈梅", "risk_level": "low", "follow_up_days": 90, **more}


class World:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.usb = root / "usb"
        self.usb.mkdir(exist_ok=True)

    def ws(self, name: str) -> Path:
        return self.root / f"{name}.sdb"

    def open(self, name: str) -> Workspace:
        return Workspace.open(self.ws(name), "u", PW)

    def dir(self, name: str) -> Path:
        d = self.usb / name
        d.mkdir(parents=True, exist_ok=True)
        return d

    def cli(self, *args: str | Path) -> Any:
        """Run one command with --json; it must succeed; its JSON output."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main([str(a) for a in (*args, "--json")])
        assert rc == 0, err.getvalue()
        return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def enrolled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four workspaces enrolled through the CLI, made once and copied for each test."""
    root = tmp_path_factory.mktemp("enrolled")
    w = World(root)
    os.environ["SURVEYAPP_PASSWORD"] = PW
    try:
        for name, org in NAMES.items():
            Workspace.create(w.ws(name), role=ROLES[name], org_code=org,
                             org_name=f"单位{name}", user="u", password=PW,
                             work_factor=10).close()
        w.cli("trust", "init-county", w.ws("county"), "--user", "u")
        for name in ("town", "v1", "v2"):  # the township first, as a county usually does
            req = w.dir("enroll") / f"{name}.req.json"
            enr = w.dir("enroll") / f"{name}.enr.json"
            w.cli("trust", "enroll-request", w.ws(name), "--user", "u", "--out", req)
            got = w.cli("trust", "enroll", w.ws("county"), req, "--user", "u", "--out", enr)
            w.cli("trust", "accept", w.ws(name), enr, "--user", "u")
            if name != "town":  # the township's update comes with each village enrollment
                [update] = got["updates"]
                assert Path(update).name == f"{TOWN}_trust_update.json"
                w.cli("trust", "apply", w.ws("town"), update, "--user", "u")
    finally:
        del os.environ["SURVEYAPP_PASSWORD"]
    shutil.rmtree(w.usb)
    return root


@pytest.fixture
def world(enrolled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PW)
    for f in enrolled.iterdir():
        shutil.copy2(f, tmp_path / f.name)
    return World(tmp_path)


# --- the ways in ------------------------------------------------------------------------------

def township_takes_in(w: World, way: str, files: list[Path], tag: str) -> list[Path]:
    """The township imports the village batches ``files``; returns the receipts written."""
    town = w.ws("town")
    receipts = w.dir(f"back-{tag}") if way.endswith("+receipt") else None
    extra = ["--receipt", receipts] if receipts else []
    if way.startswith("batch import"):
        for f in files:
            w.cli("batch", "import", town, f, "--user", "u", *extra)
    elif way.startswith("import-all"):
        inbox = w.dir(f"inbox-{tag}")
        for f in files:
            shutil.copy2(f, inbox / f.name)
        assert w.cli("batch", "import-all", town, inbox, "--user", "u", *extra)["imported"]
    elif way.startswith("relay keep"):
        for f in files:
            w.cli("relay", "keep", town, f, "--user", "u", *extra)
    else:  # pragma: no cover - a typo in the table
        raise AssertionError(way)
    return sorted(receipts.iterdir()) if receipts else []


def county_takes_in(w: World, way: str, relay_file: Path, tag: str) -> Path:
    """The county imports the relay file and writes its receipt; returns the receipt."""
    county, back = w.ws("county"), w.dir(f"ack-{tag}")
    if way == "relay import":
        w.cli("relay", "import", county, relay_file, "--user", "u", "--receipt", back)
    elif way == "batch import":  # any name: a relay is known by its content
        renamed = w.dir(f"renamed-{tag}") / "from-the-township.zip"
        shutil.copy2(relay_file, renamed)
        with w.open("county") as ws:
            before = ws.conn.one("SELECT count(*) FROM revisions")[0]
        trial = w.cli("batch", "import", county, renamed, "--user", "u", "--dry-run")
        assert trial["dry_run"] and trial["inserted"] > 0
        with w.open("county") as ws:
            assert ws.conn.one("SELECT count(*) FROM revisions")[0] == before
        got = w.cli("batch", "import", county, renamed, "--user", "u", "--receipt", back)
        assert len(got["inner"]) >= 1
    elif way == "import-all":
        inbox = w.dir(f"county-inbox-{tag}")
        shutil.copy2(relay_file, inbox / relay_file.name)
        w.cli("batch", "import-all", county, inbox, "--user", "u", "--receipt", back)
    else:  # pragma: no cover
        raise AssertionError(way)
    [receipt] = sorted(back.iterdir())
    assert receipt.name.endswith("_relay.json")
    return receipt


# --- what must hold after every path ----------------------------------------------------------

def own_batch_devices(w: World, relay_file: Path) -> list[str]:
    """The device of every revision in the township's own batch of a relay, read with the
    county's keys (the county is the reader)."""
    with zipfile.ZipFile(relay_file) as zf:
        data = zf.read("township.batch.zip")
    own = w.root / "own.batch.zip"
    own.write_bytes(data)
    with w.open("county") as county:
        signers, ids = keystore.signers(county), keystore.age_identities(county)
        with open_batch(open(own, "rb"), signers=signers, scope=COUNTY, owns_src=True) as ob:
            return [json.loads(line)["device_id"] for line in ob.lines(ids)
                    if not line.startswith(AUDIT_PREFIX)]


def relay_members(relay_file: Path) -> list[str]:
    with zipfile.ZipFile(relay_file) as zf:
        return [n for n in zf.namelist() if n.startswith("inner/")]


WAYS = [("batch import", "relay import"), ("batch import+receipt", "batch import"),
        ("import-all", "import-all"), ("import-all+receipt", "relay import"),
        ("relay keep", "batch import"), ("relay keep+receipt", "import-all")]


@pytest.mark.parametrize(("town_way", "county_way"), WAYS, ids=[f"{a} → {b}" for a, b in WAYS])
def test_path__village_township_county_and_back(world: World, town_way: str,
                                               county_way: str) -> None:
    w = world
    with w.open("v1") as v1, w.open("v2") as v2, w.open("town") as town:
        devices = {"v1": v1.device_id, "v2": v2.device_id, "town": town.device_id}
        a = v1.save_visit(None, _child("王丽", V1), **SAVE)
        v1.save_visit(None, _child("赵敏", V1), **SAVE)
        b = v2.save_visit(None, _child("刘洋", V2), **SAVE)

    # Round 1: village → township.
    sent = {v: w.cli("batch", "export", w.ws(v), "--user", "u", "--out", w.dir(f"{v}-1"))
            for v in ("v1", "v2")}
    receipts = township_takes_in(w, town_way, [Path(s["path"]) for s in sent.values()], "1")
    for r in receipts:  # each village marks what reached the township
        vill = "v1" if V1 in r.name else "v2"
        assert w.cli("batch", "receipt", w.ws(vill), r, "--user", "u")["role"] == "township"
    assert len(receipts) == (2 if town_way.endswith("+receipt") else 0)

    # The township's own work: an edit of one child, a return of another.
    with w.open("town") as town:
        town.save_visit(a.child_id, _child("王莉", V1), **SAVE)
    w.cli("review", "return", w.ws("town"), b.child_id, "缺少监护人电话", "--user", "u")
    with w.open("town") as town:
        [(n_own, n_all)] = town.conn.execute(
            "SELECT sum(device_id = ?), count(*) FROM revisions", (town.device_id,))

    up1 = w.cli("relay", "export", w.ws("town"), w.dir("up-1"), "--user", "u")
    assert up1["inner"] == 2 and 2 <= n_own < n_all
    assert own_batch_devices(w, Path(up1["path"])) == [devices["town"]] * n_own

    # Township → county.
    ack = county_takes_in(w, county_way, Path(up1["path"]), "1")
    with w.open("county") as county:
        assert received(county) == {devices["v1"]: [1], devices["v2"]: [1],
                                    devices["town"]: [1]}
        assert gaps(county) == {}
        assert county.count_children() == 3
        # Every village revision arrived inside its village-signed batch.
        assert county.get_revision(a.child_rev).device_id == devices["v1"]
        assert county.get_child(a.child_id).data["child_name"] == "王莉"
        assert county.get_child(b.child_id).data["review_status"] == "returned"

    # County → township: the relay's receipt confirms the own batch and both village batches.
    got = w.cli("batch", "receipt", w.ws("town"), ack, "--user", "u")
    assert got["role"] == "county" and got["relayed"] == 2
    # Township → villages: the down files carry the county's receipts.
    for vill, org in (("v1", V1), ("v2", V2)):
        down = w.cli("down", "export", w.ws("town"), org, w.dir(f"down-{vill}"), "--user", "u")
        assert down["receipts"] == 1
        done = w.cli("down", "import", w.ws(vill), down["path"], "--user", "u")
        assert done["receipts"] == 1
        with w.open(vill) as ws:
            assert acknowledged(ws)["county"] > 0  # the village learnt what the county has
    assert w.cli("review", "returned", w.ws("v2"), "--user", "u")[0]["record"] == b.child_id

    # Round 2: only what is new travels, at every tier.
    with w.open("v1") as v1, w.open("v2") as v2:
        v1.save_visit(None, _child("孙悦", V1), **SAVE)
        v2.save_visit(b.child_id, _child("刘洋", V2, guardian_phone="13800001111"), **SAVE)
    second = {v: w.cli("batch", "export", w.ws(v), "--user", "u", "--out", w.dir(f"{v}-2"))
              for v in ("v1", "v2")}
    per_visit = sent["v2"]["revisions"]  # v2 saved one visit in round 1
    assert sent["v1"]["revisions"] == 2 * per_visit
    assert [s["revisions"] for s in second.values()] == [per_visit, per_visit]
    township_takes_in(w, town_way, [Path(s["path"]) for s in second.values()], "2")
    up2 = w.cli("relay", "export", w.ws("town"), w.dir("up-2"), "--user", "u")
    assert up2["inner"] == 2  # the two new village batches, not the four ever received
    inner2 = {m[6:-10] for m in relay_members(Path(up2["path"]))}
    assert inner2 == {s["batch_hash"] for s in second.values()}
    assert own_batch_devices(w, Path(up2["path"])) == []  # no new own work, nothing re-sent
    ack2 = county_takes_in(w, county_way, Path(up2["path"]), "2")
    with w.open("county") as county:
        assert received(county) == {devices["v1"]: [1, 2], devices["v2"]: [1, 2],
                                    devices["town"]: [1, 2]}
        assert gaps(county) == {}
        assert county.count_children() == 4
        assert county.get_child(b.child_id).data.get("guardian_phone") == "13800001111"
    assert w.cli("batch", "receipt", w.ws("town"), ack2, "--user", "u")["relayed"] == 2
    with w.open("town") as town:
        assert kept(town) == []


def test_lost_batch__the_county_sees_the_gap_until_it_arrives(world: World) -> None:
    """A village batch the township missed shows as a gap at the county, and closes when the
    township takes it in later (its relay carries the unconfirmed batches again)."""
    w = world
    files = []
    for i in range(3):
        with w.open("v1") as v1:
            v1.save_visit(None, _child(f"赵{i}号", V1), **SAVE)
        files.append(Path(w.cli("batch", "export", w.ws("v1"), "--user", "u",
                                "--out", w.dir(f"v1-{i}"))["path"]))
    with w.open("v1") as v1:
        device = v1.device_id
    w.cli("batch", "import", w.ws("town"), files[0], "--user", "u")
    w.cli("batch", "import", w.ws("town"), files[2], "--user", "u")
    up = w.cli("relay", "export", w.ws("town"), w.dir("up-1"), "--user", "u")
    w.cli("relay", "import", w.ws("county"), up["path"], "--user", "u")
    assert w.cli("batch", "gaps", w.ws("county"), "--user", "u") == {device: [2]}

    # No receipt came back: the next relay carries all three, the county's gap closes.
    w.cli("batch", "import", w.ws("town"), files[1], "--user", "u")
    up2 = w.cli("relay", "export", w.ws("town"), w.dir("up-2"), "--user", "u")
    assert up2["inner"] == 3
    w.cli("relay", "import", w.ws("county"), up2["path"], "--user", "u")
    assert w.cli("batch", "gaps", w.ws("county"), "--user", "u") == {}
