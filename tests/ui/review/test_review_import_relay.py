"""The import dialog along the chain: a township keeps each village batch it imports for its
relay to the county, and the county imports the township's relay file through the same
dialog (real stores, real trust files, real batch and relay files)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from reviewworld import V2, child, enrolled_tiers

from surveyapp.ops import importplan
from surveyapp.ops.batches import export_batch
from surveyapp.ops.relay import export_relay

SAVE = {"form_id": "child_screening", "form_version": "1"}


def _import_through_dialog(qtbot: Any, ws: Any, folder: Path) -> list[Any]:
    from surveyapp.ui.review.imports import ImportDialog

    d = ImportDialog(ws, (folder,))
    qtbot.addWidget(d)
    d.start_dry_run()
    qtbot.waitUntil(lambda: d.report is not None and not d.busy(), timeout=60_000)
    assert all(f.status == "ok" for f in d.files_model.files), d.summary.text()
    with qtbot.waitSignal(d.imported, timeout=60_000) as blocker:
        d.start_import()
    return list(blocker.args[0])


def test_township_imports_in_dialog__relay_carries_the_village_batches(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    county, town, v1, v2 = enrolled_tiers(tmp_path)
    try:
        v1.save_visit(None, child(), **SAVE)
        v2.save_visit(None, child(name="王丽", idn="", village=V2), **SAVE)
        usb = tmp_path / "usb"
        usb.mkdir()
        sent = {export_batch(v, usb).batch_hash for v in (v1, v2)}
        results = _import_through_dialog(qtbot, town, usb)
        assert len(results) == 2 and town.count_children() == 2

        up = tmp_path / "up"
        up.mkdir()
        relay = export_relay(town, up)
        assert relay.inner == 2
        with zipfile.ZipFile(relay.path) as zf:
            inner = {n[6:-10] for n in zf.namelist() if n.startswith("inner/")}
        assert inner == sent

        # The county imports the relay file through the same dialog (a folder holding it).
        assert importplan.batch_files(up) == [relay.path]
        [res] = _import_through_dialog(qtbot, county, up)
        assert res.org_code == town.org_code and res.inserted > 0
        assert county.count_children() == 2
    finally:
        for ws in (county, town, v1, v2):
            ws.close()


def test_village_batch_dry_run_only__nothing_kept_for_relay(
        app: Any, tmp_path: Path) -> None:
    county, town, v1, v2 = enrolled_tiers(tmp_path)
    try:
        v1.save_visit(None, child(), **SAVE)
        usb = tmp_path / "usb"
        usb.mkdir()
        export_batch(v1, usb)
        importplan.dry_run(town, importplan.batch_files(usb), lambda d, t: None, lambda: False)
        up = tmp_path / "up"
        up.mkdir()
        assert export_relay(town, up).inner == 0
    finally:
        for ws in (county, town, v1, v2):
            ws.close()

