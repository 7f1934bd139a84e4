"""Many batches at once: the dry run lists what would happen and leaves the store as it was;
the import is all or nothing, and cancelling leaves the store as before."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from reviewworld import V2, child, enrolled_tiers

from surveyapp.errors import SurveyError
from surveyapp.ops import importplan
from surveyapp.ops.batches import export_batch, import_batch

SAVE = {"form_id": "child_screening", "form_version": "1"}


def _state(ws: Any) -> str:
    rows = ws.conn.execute("SELECT id FROM revisions ORDER BY id")
    meta = ws.conn.execute("SELECT key, value FROM meta ORDER BY key")
    return hashlib.sha256(repr((rows, meta)).encode()).hexdigest()


@pytest.fixture
def usb(tmp_path: Path) -> Any:
    """Village 1 (seq 1 already at the township, seq 2 conflicting), village 2 (a moved
    child), and a damaged file, all in one folder."""
    county, town, v1, v2 = enrolled_tiers(tmp_path)
    folder = tmp_path / "usb"
    folder.mkdir()
    first = v1.save_visit(None, child(), **SAVE)
    v1.save_visit(None, child(name="李红", idn="522422201205062345"), **SAVE)
    import_batch(town, export_batch(v1, folder).path)
    v1.save_visit(first.child_id, child(risk_level="medium"), **SAVE)
    town.save_visit(first.child_id, child(name="张晓明"), **SAVE)
    export_batch(v1, folder)
    v2.save_visit(None, child(village=V2), **SAVE)
    export_batch(v2, folder)
    (folder / "damaged.batch.zip").write_bytes(b"PK\x03\x04 not really a batch")
    yield town, folder, first.child_id
    for ws in (county, town, v1, v2):
        ws.close()


def _never() -> bool:
    return False


def test_dry_run__lists_and_store_unchanged(usb: Any) -> None:
    town, folder, conflicted = usb
    before = _state(town)
    files = importplan.batch_files(folder)
    assert len(files) == 4
    ticks: list[tuple[int, int]] = []
    report = importplan.dry_run(town, files, lambda d, t: ticks.append((d, t)), _never)
    assert _state(town) == before
    status = sorted(f.status for f in report.files)
    assert status == ["already", "ok", "ok", "rejected"]
    assert [c.record_id for c in report.conflict] == [conflicted]
    assert [c.child_name for c in report.new] == ["张小明"]  # village 2's child
    assert len(report.duplicates) == 1 and report.duplicates[0].kind.value == "moved"
    assert ticks[-1][0] == ticks[-1][1] == 4 * importplan.STEPS
    assert len(report.importable()) == 2


def test_import_part__only_chosen_files(usb: Any) -> None:
    town, folder, _ = usb
    report = importplan.dry_run(town, importplan.batch_files(folder), lambda d, t: None, _never)
    chosen = [p for p in report.importable() if "522422102202" in p.name]
    [res] = importplan.import_all(town, chosen, lambda d, t: None, _never)
    assert res.inserted > 0 and town.count_children() == 3
    assert not any(len(town.heads(r.record_id)) > 1 for r in town.query_children(None, 0, 9))


def test_cancel__store_as_before(usb: Any) -> None:
    town, folder, _ = usb
    report = importplan.dry_run(town, importplan.batch_files(folder), lambda d, t: None, _never)
    before = _state(town)
    calls = iter(range(100))
    with pytest.raises(SurveyError) as info:
        # Cancel once the first file is in: the whole import is rolled back.
        importplan.import_all(town, report.importable(), lambda d, t: None,
                              lambda: next(calls) >= 1)
    assert info.value.code.name == "BATCH_012"
    assert _state(town) == before


def test_dialog__dry_run_report_then_import_part(app: Any, qtbot: Any, qtmodeltester: Any,
                                                 usb: Any) -> None:
    from PySide6.QtCore import Qt

    from surveyapp.ui.review.imports import ImportDialog

    town, folder, _ = usb
    before = _state(town)
    d = ImportDialog(town, (folder,))
    qtbot.addWidget(d)
    assert len(d.paths()) == 4
    d.start_dry_run()
    qtbot.waitUntil(lambda: d.report is not None and not d.busy(), timeout=60_000)
    assert _state(town) == before
    for _title, model in d._tab_titles:
        qtmodeltester.check(model)
    assert "冲突 1" in d.summary.text() and "拒收 1" in d.summary.text()
    assert d.tabs.tabText(3) == "冲突 (1)"
    [(name, village)] = d.conflict_model.rows  # the view shows the deterministic pick
    assert name in {"张小明", "张晓明"} and village == "箐口村"
    m = d.files_model
    ok_rows = [r for r in range(m.rowCount()) if m.files[r].status == "ok"]
    rejected = next(r for r in range(m.rowCount()) if m.files[r].status == "rejected")
    assert not m.flags(m.index(rejected, 0)) & Qt.ItemFlag.ItemIsUserCheckable
    # Accept part: only village 2's batch.
    for r in ok_rows:
        if "522422102202" not in m.files[r].path.name:
            assert m.setData(m.index(r, 0), Qt.CheckState.Unchecked.value,
                             Qt.ItemDataRole.CheckStateRole)
    with qtbot.waitSignal(d.imported, timeout=60_000) as blocker:
        d.start_import()
    [res] = blocker.args[0]
    assert res.org_code == V2 and town.count_children() == 3
    assert not any(len(town.heads(r.record_id)) > 1 for r in town.query_children(None, 0, 9))


def test_dialog_escape_while_importing__all_or_nothing(app: Any, qtbot: Any, usb: Any) -> None:
    from surveyapp.ui.review.imports import ImportDialog

    town, folder, _ = usb
    d = ImportDialog(town, (folder,))
    qtbot.addWidget(d)
    d.show()
    d.start_dry_run()
    qtbot.waitUntil(lambda: d.report is not None and not d.busy(), timeout=60_000)
    before = _state(town)
    d.start_import()
    d.reject()  # Esc while busy cancels the step and keeps the dialog open
    assert d.isVisible()
    qtbot.waitUntil(lambda: not d.busy(), timeout=60_000)
    if d.results:  # the import finished before the cancel was seen: everything is in
        assert town.count_children() == 3
    else:  # cancelled: nothing of it is stored
        assert _state(town) == before and "已取消" in d.summary.text()
