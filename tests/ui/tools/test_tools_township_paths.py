"""The township path through the UI, twice (real stores, trust files, batch, relay and receipt
files, the real dialogs): the township imports the village batches in the import dialog and
writes receipts, exports the relay; the county imports it in the same dialog and writes the
relay's receipt; the township imports that receipt (工具 → 导入回执) and its next relay
carries only the new village batch and no re-signed village revision; the county receipts
reach the village in the down file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from toolworld import COUNTY, V1, V2, boxes, child, make_ws, tiers

SAVE = {"form_id": "child_screening", "form_version": "1"}


def _dialog_import(qtbot: Any, ws: Any, folder: Path, receipts: Path) -> list[Path]:
    from surveyapp.ui.review.imports import ImportDialog

    d = ImportDialog(ws, (folder,))
    qtbot.addWidget(d)
    d.start_dry_run()
    qtbot.waitUntil(lambda: d.report is not None and not d.busy(), timeout=60_000)
    assert all(f.status == "ok" for f in d.files_model.files), d.summary.text()
    with qtbot.waitSignal(d.imported, timeout=60_000):
        d.start_import()
    receipts.mkdir()
    with boxes():
        return d.write_receipts(receipts)


def _own_revisions(relay_file: Path) -> int:
    with zipfile.ZipFile(relay_file) as zf:
        own = zf.read("township.batch.zip")
    from surveyapp.ops.batches import inspect_batch

    tmp = relay_file.with_name("own.batch.zip")
    tmp.write_bytes(own)
    count = int(inspect_batch(tmp)["counts"]["revisions"])
    tmp.unlink()
    return count


def test_township_path_through_the_dialogs__receipts_shrink_the_next_relay(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.core import trust
    from surveyapp.ops import relay, review
    from surveyapp.ops.batches import acknowledged, export_batch, gaps, received
    from surveyapp.ui.tools.export_batch import export_relay_dialog
    from surveyapp.ui.tools.receipts import import_receipts_dialog

    county, town, v1 = tiers(tmp_path)
    v2 = make_ws(tmp_path, "village", V2, "二村")
    trust.accept_enrollment(v2, trust.enroll(county, trust.enroll_request(v2)))
    trust.apply_update(town, trust.trust_update(county, town.org_code))
    trust.apply_update(v1, trust.trust_update(county, V1))
    try:
        v1.save_visit(None, child(), **SAVE)
        returned = v2.save_visit(None, child("王丽", V2, id_number=""), **SAVE).child_id
        usb = tmp_path / "usb1"
        usb.mkdir()
        for v in (v1, v2):
            export_batch(v, usb)
        receipts = _dialog_import(qtbot, town, usb, tmp_path / "back1")
        assert len(receipts) == 2 and len(relay.kept(town)) == 2
        review.return_to_village(town, returned, "请补充监护人电话")

        up = tmp_path / "up1"
        up.mkdir()
        with boxes():
            first = export_relay_dialog(None, town, up)
        assert first.inner == 2 and _own_revisions(first.path) == 1  # the return, nothing else

        [ack] = _dialog_import(qtbot, county, up, tmp_path / "ack1")
        assert ack.name == f"receipt_{town.org_code}_{1:06d}_relay.json"
        assert len(json.loads(ack.read_text(encoding="utf-8"))["inner"]) == 2
        assert received(county) == {v1.device_id: [1], v2.device_id: [1],
                                    town.device_id: [1]} and gaps(county) == {}
        with boxes() as seen:
            [done] = import_receipts_dialog(None, town, [ack])
        assert done.role == "county" and done.relayed == 2 and "2" in seen.text
        assert relay.kept(town) == []

        # The down file (the real dialog) carries the county's receipt to the village.
        from surveyapp.ui.tools.export_batch import DownDialog, import_down_dialog

        dialog = DownDialog(town)
        qtbot.addWidget(dialog)
        dialog.village.setCurrentIndex(dialog.village.findData(V2))
        dialog.folder.setText(str(tmp_path))
        with boxes() as seen:
            dialog.run()
        down = dialog.result_value
        assert down.receipts == 1 and "回执" in seen.text
        with boxes():
            assert import_down_dialog(None, v2, down.path).receipts == 1
        assert acknowledged(v2)["county"] > 0

        # Round 2: one new village batch; the relay carries it alone.
        v1.save_visit(None, child("孙悦", V1, id_number=""), **SAVE)
        usb2 = tmp_path / "usb2"
        usb2.mkdir()
        new = export_batch(v1, usb2)
        _dialog_import(qtbot, town, usb2, tmp_path / "back2")
        up2 = tmp_path / "up2"
        up2.mkdir()
        with boxes():
            second = export_relay_dialog(None, town, up2)
        assert second.inner == 1 and _own_revisions(second.path) == 0
        with zipfile.ZipFile(second.path) as zf:
            assert [n for n in zf.namelist() if n.startswith("inner/")] == [
                f"inner/{new.batch_hash}.batch.zip"]
        _dialog_import(qtbot, county, up2, tmp_path / "ack2")
        assert received(county)[v1.device_id] == [1, 2] and gaps(county) == {}
        assert county.org_code == COUNTY and county.count_children() == 3
    finally:
        for ws in (county, town, v1, v2):
            ws.close()
