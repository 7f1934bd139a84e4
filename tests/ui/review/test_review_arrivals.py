"""The arrival board: last sequence, gaps, last date per device; villages that sent nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reviewworld import V1, V2, child, enrolled_tiers

from surveyapp.ops.batches import export_batch, import_batch
from surveyapp.ui.review.arrivals import ArrivalsWidget, board

SAVE = {"form_id": "child_screening", "form_version": "1"}


def test_board__gaps_and_silent_villages(app: Any, qtbot: Any, qtmodeltester: Any,
                                         tmp_path: Path) -> None:
    county, town, v1, v2 = enrolled_tiers(tmp_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    files = []
    for i in range(3):
        v1.save_visit(None, child(name=f"张{i}", idn=""), **SAVE)
        files.append(export_batch(v1, usb).path)
    import_batch(county, files[0])
    import_batch(county, files[2])  # the second batch never arrived
    b = board(county, [V1, V2])
    [dev] = [d for d in b.devices if d.device_id == v1.device_id]
    assert dev.last_sequence == 3 and dev.gaps == (2,) and dev.last_arrival
    assert dev.org_code == V1 and dev.role == "village"
    assert b.silent == [V2]
    [village] = [v for v in b.villages if v.village_code == V1]
    assert village.batches == 2 and village.devices == 1

    w = ArrivalsWidget(county)
    qtbot.addWidget(w)
    w.refresh()
    qtmodeltester.check(w.village_model)
    qtmodeltester.check(w.device_model)
    names = [r[0] for r in w.village_model.rows]
    assert "箐口村" in names and "新店村" in names
    silent = names.index("新店村")
    assert w.village_model.rows[silent][3] == "从未收到" and w.village_model.warn[silent]
    row = next(r for r in w.device_model.rows if r[0] == v1.device_id[:8])
    assert row[2] == "3" and row[3] == "2" and row[5] == "有缺号"
    for ws in (county, town, v1, v2):
        ws.close()
