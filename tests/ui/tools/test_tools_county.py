"""County dialogs: the device list with revocation, trust updates (real trust files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from toolworld import TOWN, V1, boxes, save, tiers
from uihelpers import type_text

from surveyapp.errors import SurveyError


def _shown(qtbot: Any, dialog: Any) -> Any:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_revoke__declined__keeps_the_device_and_explains_the_consequences(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ops.trust import list_devices
    from surveyapp.ui.tools.enroll import DevicesDialog

    county, _town, _village = tiers(tmp_path)
    dialog = _shown(qtbot, DevicesDialog(county))
    assert dialog.table.rowCount() == 2
    dialog.table.setFocus()
    with boxes("no") as seen:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    for said in ("不能再次登记", "重新接纳", "拒收", "信任更新"):
        assert said in seen.text
    assert not any(d.revoked for d in list_devices(county))


def test_revoke__confirmed__the_device_is_revoked_and_its_batches_refused(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ops.batches import export_batch, import_batch
    from surveyapp.ops.trust import list_devices
    from surveyapp.ui.tools.enroll import DevicesDialog

    county, _town, village = tiers(tmp_path)
    dialog = _shown(qtbot, DevicesDialog(county))
    row = next(i for i, d in enumerate(dialog.devices) if d.org_code == V1)
    dialog.table.selectRow(row)
    dialog.table.setFocus()
    with boxes("yes", "enter") as seen:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert "已停用" in seen.text
    revoked = {d.org_code for d in list_devices(county) if d.revoked}
    assert revoked == {V1}
    assert dialog.table.item(row, 5).text() == "已停用"
    save(village)
    (tmp_path / "b").mkdir()
    batch = export_batch(village, tmp_path / "b")
    with pytest.raises(SurveyError):
        import_batch(county, batch.path)


_TIMERS: list[Any] = []


def _reason_typed(qtbot: Any, text: str) -> list[str]:
    """Answer the readmit dialog: type ``text`` into its reason box and press Enter."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

    seen: list[str] = []

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QInputDialog) and box.isVisible() and not seen:
            seen.append(box.labelText())
            edit = box.findChild(QLineEdit)
            type_text(qtbot, edit, text)  # Chinese as an input method commits it
            qtbot.keyClick(edit, Qt.Key.Key_Return)

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(15)
    _TIMERS.append(timer)  # kept alive until the test ends (the dialog runs meanwhile)
    return seen


def test_readmit__by_keyboard_with_a_reason__batches_accepted_again_and_audited(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ops.audit import list_entries
    from surveyapp.ops.batches import export_batch, import_batch
    from surveyapp.ops.trust import list_devices, revoke_device
    from surveyapp.ui.tools.enroll import DevicesDialog

    county, _town, village = tiers(tmp_path)
    device = next(d for d in list_devices(county) if d.org_code == V1)
    revoke_device(county, device.device_id)
    dialog = _shown(qtbot, DevicesDialog(county))
    row = next(i for i, d in enumerate(dialog.devices) if d.org_code == V1)
    dialog.table.selectRow(row)
    assert dialog.readmit_button.isEnabled() and not dialog.revoke_button.isEnabled()
    dialog.table.selectRow(1 - row)
    assert not dialog.readmit_button.isEnabled() and dialog.revoke_button.isEnabled()
    dialog.table.selectRow(row)
    dialog.table.setFocus()
    asked = _reason_typed(qtbot, "电脑已找回，封存完好")
    with boxes("enter") as seen:
        qtbot.keyClick(dialog.table, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: "已重新接纳" in seen.text)  # a mnemonic clicks after 100 ms
    assert "请写明理由" in asked[0] and "已重新接纳" in seen.text
    assert not any(d.revoked for d in list_devices(county))
    assert dialog.table.item(row, 5).text() == "正常"
    entry = [e for e in list_entries(county) if e.details.get("what") == "readmit"][-1]
    assert entry.details["reason"] == "电脑已找回，封存完好"
    assert entry.details["device"] == device.device_id
    save(village)
    (tmp_path / "b").mkdir()
    assert import_batch(county, export_batch(village, tmp_path / "b").path).inserted > 0


def test_readmit__empty_reason__refused_with_the_code_and_still_revoked(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ops.trust import list_devices, revoke_device
    from surveyapp.ui.tools.enroll import DevicesDialog

    county, _town, _village = tiers(tmp_path)
    device = next(d for d in list_devices(county) if d.org_code == V1)
    revoke_device(county, device.device_id)
    dialog = _shown(qtbot, DevicesDialog(county))
    dialog.table.selectRow(next(i for i, d in enumerate(dialog.devices) if d.org_code == V1))
    _reason_typed(qtbot, "   ")
    with boxes("enter") as seen:
        dialog.readmit_button.click()
    assert "须写明理由" in seen.text
    assert next(d for d in list_devices(county) if d.org_code == V1).revoked


def test_trust_update__written_by_keyboard__the_township_applies_it(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ops.trust import apply_update
    from surveyapp.ui.tools.enroll import TrustUpdateDialog

    county, town, _village = tiers(tmp_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog = _shown(qtbot, TrustUpdateDialog(county))
    assert dialog.org_code() in (TOWN, V1)
    dialog.org.setCurrentIndex(dialog.org.findData(TOWN))
    dialog.folder.setFocus()
    qtbot.keyClicks(dialog.folder, str(usb))
    with boxes() as seen:
        qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    assert dialog.written is not None and dialog.written.parent == usb
    assert dialog.written.name in seen.text
    assert apply_update(town, dialog.written).devices >= 2


def test_trust_update__missing_folder__asks_for_it_and_writes_nothing(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ui.tools.enroll import TrustUpdateDialog

    county, _town, _village = tiers(tmp_path)
    dialog = _shown(qtbot, TrustUpdateDialog(county))
    with boxes() as seen:
        dialog.run()
    assert "保存位置" in seen.text and dialog.written is None and dialog.isVisible()


def test_devices_dialog__shows_the_county_key_code(app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.core.trust import keystore
    from surveyapp.ui.tools.enroll import DevicesDialog

    county, _town, _village = tiers(tmp_path)
    code = keystore.county_keys(county).fingerprint()
    dialog = _shown(qtbot, DevicesDialog(county))
    assert code in dialog.fingerprint.text() and "核对码" in dialog.fingerprint.text()
