"""Receipts through the UI: after an import the township writes receipts from the import
dialog; the village imports them (工具 → 导入回执) and its next export no longer resends
what arrived (real stores, real trust files, real batch and receipt files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolworld import boxes, save, tiers


def test_receipts_from_the_import_dialog__the_village_stops_resending(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ops.batches import acknowledged, export_batch
    from surveyapp.ui.review.imports import ImportDialog
    from surveyapp.ui.tools.receipts import import_receipts_dialog

    _county, town, village = tiers(tmp_path)
    save(village)
    usb = tmp_path / "usb"
    usb.mkdir()
    first = export_batch(village, usb)
    d = ImportDialog(town, (usb,))
    qtbot.addWidget(d)
    d.start_dry_run()
    qtbot.waitUntil(lambda: d.report is not None and not d.busy(), timeout=60_000)
    assert not d.receipt_button.isVisibleTo(d)
    with qtbot.waitSignal(d.imported, timeout=60_000):
        d.start_import()
    assert d.receipt_button.isVisibleTo(d)
    back = tmp_path / "back"
    back.mkdir()
    with boxes() as seen:
        [receipt] = d.write_receipts(back)
    assert receipt.parent == back and "1 个回执" in seen.text

    with boxes() as seen:
        [done] = import_receipts_dialog(None, village, [receipt])
    assert done.sequence == first.sequence and "已确认送达" in seen.text
    assert acknowledged(village)["township"] > 0
    again = tmp_path / "again"
    again.mkdir()
    assert export_batch(village, again).revisions < first.revisions


def test_receipt_for_another_device__message_and_nothing_marked(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ops.batches import acknowledged, export_batch, import_batch, write_receipt
    from surveyapp.ui.tools.receipts import import_receipts_dialog

    _county, town, village = tiers(tmp_path)
    save(town)
    usb = tmp_path / "usb"
    usb.mkdir()
    save(village)
    result = import_batch(town, export_batch(village, usb).path)
    receipt = write_receipt(town, result, tmp_path)
    with boxes() as seen:
        assert import_receipts_dialog(None, town, [receipt]) == []
    assert seen.texts and "Traceback" not in seen.text
    assert acknowledged(town) == {"township": 0, "county": 0}
