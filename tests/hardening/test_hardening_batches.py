"""Batches (``ops.batches``) under faults: disk full during a batch export and a batch import,
and kill -9 at random moments during both.

Each time: a clear coded error (IO_001 for the export; the store's disk error for the import),
the stores sound and unchanged, no half batch in the folder, an import all or nothing, and an
interrupted export either absent or a complete batch that verifies.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import hardening_disk as hd
import hardening_zygote as hz
import pytest
from hardening_kill import Zygote, outcome

from surveyapp.core import trust
from surveyapp.core.store import Workspace
from surveyapp.errors import SurveyError
from surveyapp.ops.batches import export_batch, import_batch, verify_batch

KEY = bytes.fromhex("d4" * 32)
VILLAGE, COUNTY = "522422102201", "522422"
PER_BATCH = 250
IMPORT_RUNS = 50
EXPORT_RUNS = 50


def _ws(path: Path, role: str, org: str) -> Workspace:
    return Workspace.create_with_key(path, KEY, role=role, org_code=org, org_name=path.stem,
                                     user="u")


def add_children(village: Workspace, seed: int, count: int = PER_BATCH) -> None:
    """New children only since the last batch (as if the county had acknowledged it)."""
    row = village.conn.one("SELECT coalesce(max(seq), 0) FROM revisions")
    village.set_meta("batch.acked_seq", str(row[0] if row else 0))
    # The village's own revisions (a batch may carry only those: batch-format.md rule 11).
    village.insert_revisions(hz.child_revisions(seed, count, village.device_id, village.user))


@pytest.fixture
def tiers(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace, Path]]:
    county = _ws(tmp_path / "county.sdb", "county", COUNTY)
    village = _ws(tmp_path / "village.sdb", "village", VILLAGE)
    trust.init_county(county)
    trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
    yield county, village, tmp_path
    county.close()
    village.close()


@pytest.fixture
def usb(tmp_path: Path) -> Iterator[Path]:
    try:
        # Room for the county file, its WAL and a second import once the filler is gone.
        with hd.tiny_disk(tmp_path / "usb", "8m") as folder:
            yield folder
    except PermissionError as err:
        pytest.skip(f"cannot mount a tmpfs here: {err}")


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != ".filler")


# --- disk full --------------------------------------------------------------------------------
@pytest.mark.slow
def test_batch_export_to_full_usb_stick__io_001_nothing_left_sequence_kept(
    tiers: tuple[Workspace, Workspace, Path], usb: Path,
) -> None:
    county, village, _ = tiers
    add_children(village, 1, 1200)
    hd.fill(usb, leave=32 * 1024)
    with pytest.raises(SurveyError) as caught:
        export_batch(village, usb)
    assert caught.value.code.name == "IO_001"
    assert visible(usb) == []
    assert village.get_meta("batch.sequence") in (None, "0")
    (usb / ".filler").unlink()
    out = export_batch(village, usb)  # room again: the same sequence number, complete
    assert out.sequence == 1
    assert import_batch(county, out.path).inserted == 1200


@pytest.mark.parametrize("limit", [0, 3_000, 60_000])
def test_batch_export_disk_full_after_n_bytes__io_001_nothing_left(
    tiers: tuple[Workspace, Workspace, Path], limit: int,
) -> None:
    _, village, tmp_path = tiers
    add_children(village, 2, 600)
    out = tmp_path / "out"
    out.mkdir()
    with hd.enospc_after(limit, out) as budget, pytest.raises(SurveyError) as caught:
        export_batch(village, out)
    assert budget.tripped
    assert caught.value.code.name == "IO_001"
    assert visible(out) == []


@pytest.mark.slow
def test_batch_import_on_full_disk__store_error_all_or_nothing(
    tiers: tuple[Workspace, Workspace, Path], usb: Path,
) -> None:
    county, village, tmp_path = tiers
    add_children(village, 3, 1500)
    (tmp_path / "out").mkdir()
    batch = export_batch(village, tmp_path / "out").path
    target = Workspace.open_with_key(county.path, KEY, "u")
    target.close()
    county.close()
    # The county's workspace moves onto the small disk, which then fills up.
    moved = usb / "county.sdb"
    moved.write_bytes(Path(tiers[0].path).read_bytes())
    with Workspace.open_with_key(moved, KEY, "u") as ws:
        before = ws.count_children(None)
        hd.fill(usb, leave=48 * 1024)
        with pytest.raises(SurveyError) as caught:
            import_batch(ws, batch)
        assert caught.value.code.name == "STORE_018"
        assert ws.count_children(None) == before
    (usb / ".filler").unlink()
    with Workspace.open_with_key(moved, KEY, "u") as ws:
        assert ws.integrity_errors() == []
        assert ws.count_children(None) == before
        assert import_batch(ws, batch).inserted == 1500


# --- kill -9 ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    z = Zygote()
    yield z
    z.close()


@pytest.mark.slow
def test_kill_during_batch_import__intact_and_all_or_nothing(
    tiers: tuple[Workspace, Workspace, Path], zygote: Zygote,
) -> None:
    county, village, tmp_path = tiers
    batches = []
    for run in range(IMPORT_RUNS):
        add_children(village, 200 + run)
        folder = tmp_path / f"usb{run}"
        folder.mkdir()
        batches.append(export_batch(village, folder).path)
    county.close()
    rng = random.Random(99)
    expected = 0
    seen = {"killed": 0, "finished": 0}
    longest = 0.3
    for run, batch in enumerate(batches):
        delay = None if run == 0 else rng.uniform(0.005, longest)
        status, took = zygote.run_and_kill(["batch_import", str(county.path), KEY.hex(),
                                            str(batch)], delay)
        seen[outcome(status)] += 1
        if run == 0:
            longest = min(0.3, took * 1.3)
        with Workspace.open_with_key(county.path, KEY, "u") as ws:
            assert ws.integrity_errors() == [], f"run {run}"
            after = ws.count_children(None)
            assert after in (expected, expected + PER_BATCH), f"run {run}: {after}"
            landed = ws.get_child(f"c-{200 + run}-0") is not None
            assert landed == (after == expected + PER_BATCH), f"run {run}"
            expected = after
    assert seen["killed"] >= 3, seen
    assert expected >= PER_BATCH, seen


@pytest.mark.slow
def test_kill_during_batch_export__absent_or_complete_batch(
    tiers: tuple[Workspace, Workspace, Path], zygote: Zygote,
) -> None:
    county, village, tmp_path = tiers
    add_children(village, 300, 4000)
    village.close()
    rng = random.Random(5)
    longest = 0.3
    seen = {"absent": 0, "complete": 0}
    for run in range(EXPORT_RUNS):
        folder = tmp_path / f"out{run}"
        folder.mkdir()
        delay = None if run == 0 else rng.uniform(0.005, longest)
        status, took = zygote.run_and_kill(["batch_export", str(village.path), KEY.hex(),
                                            str(folder)], delay)
        if run == 0:
            longest = min(0.3, took * 1.3)
        finished = outcome(status) == "finished"
        batches = [p for p in folder.iterdir() if p.name.endswith(".batch.zip")]
        # A killed export may leave a hidden temporary, never a second or partial batch.
        assert len(batches) <= 1
        assert all(p.name.startswith(".") for p in folder.iterdir() if p not in batches)
        if batches:
            assert verify_batch(county, batches[0]).revisions >= 4000
            seen["complete"] += 1
        else:
            assert not finished
            seen["absent"] += 1
        with Workspace.open_with_key(village.path, KEY, "u") as ws:
            assert ws.integrity_errors() == [], f"run {run}"
    assert seen["absent"] >= 2 and seen["complete"] >= 1, seen
