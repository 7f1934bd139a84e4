"""Batch, relay and down files and enrollment, through the tool dialogs (real stores, real
trust files, real files in tmp_path; only the OS file picker is patched)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from toolworld import COUNTY, V1, boxes, make_ws, pick, save, tiers


def test_export_batch__writes_the_file_and_reports_name_and_counts(
        app: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from surveyapp.ui.tools.export_batch import export_batch_dialog

    _county, _town, village = tiers(tmp_path)
    save(village)
    save(village, name="李四")
    usb = tmp_path / "usb"
    usb.mkdir()
    pick(monkeypatch, folder=usb)
    with boxes() as seen:
        result = export_batch_dialog(None, village)
    assert result is not None
    assert [p.name for p in usb.iterdir()] == [result.path.name]
    assert result.path.name in seen.text and str(usb) in seen.text
    assert "第 1 个数据包" in seen.text and "4 条尚未上报的记录" in seen.text


def test_export_batch__not_enrolled__says_what_to_do_and_writes_nothing(
        app: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from surveyapp.ui.tools.export_batch import export_batch_dialog

    village = make_ws(tmp_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    pick(monkeypatch, folder=usb)
    with boxes() as seen:
        assert export_batch_dialog(None, village) is None
    assert list(usb.iterdir()) == []
    assert "登记" in seen.text and "Traceback" not in seen.text


def test_export_batch__picker_cancelled__does_nothing(
        app: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QFileDialog

    from surveyapp.ui.tools.export_batch import export_batch_dialog

    _c, _t, village = tiers(tmp_path)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
    with boxes() as seen:
        assert export_batch_dialog(None, village) is None
    assert seen.texts == []


def test_township_relay_and_down__the_county_and_the_village_import_them(
        app: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from surveyapp.ops.batches import export_batch
    from surveyapp.ops.relay import import_and_keep, import_relay
    from surveyapp.ui.tools.export_batch import (
        DownDialog,
        export_relay_dialog,
        import_down_dialog,
    )

    county, town, village = tiers(tmp_path)
    record = save(village)
    (tmp_path / "v").mkdir()
    import_and_keep(town, export_batch(village, tmp_path / "v").path)
    town.record_exit(record, reason="moved_away", date="2026-07-02", note="退回核实")
    usb = tmp_path / "usb"
    usb.mkdir()
    pick(monkeypatch, folder=usb)
    with boxes() as seen:
        relay = export_relay_dialog(None, town)
    assert relay is not None and relay.inner == 1 and relay.path.exists()
    assert "1 个村级数据包" in seen.text
    assert import_relay(county, relay.path).inner

    dialog = DownDialog(town)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.village.setFocus()
    assert dialog.village.currentData() == V1
    qtbot.keyClick(dialog.village, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.folder
    qtbot.keyClicks(dialog.folder, str(usb))
    with boxes() as seen:
        qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    down = dialog.result_value
    assert not dialog.isVisible(), seen.texts
    assert down is not None and down.path.parent == usb and down.path.name in seen.text

    pick(monkeypatch, open_file=down.path)
    with boxes() as seen:
        imported = import_down_dialog(None, village)
    assert imported is not None and imported.inserted >= 1
    assert "退回" in seen.text


def test_enrollment__request_county_enrolls_device_imports__then_it_can_export(
        app: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from surveyapp.core import trust
    from surveyapp.ui.tools.enroll import (
        enroll_device_dialog,
        import_trust_file_dialog,
        write_request_dialog,
    )
    from surveyapp.ui.tools.export_batch import export_batch_dialog

    county = make_ws(tmp_path, "county", COUNTY, "测试县")
    trust.init_county(county)
    village = make_ws(tmp_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    pick(monkeypatch, folder=usb)
    with boxes():
        request = write_request_dialog(None, village)
    assert request is not None and request.exists()
    with boxes() as seen:
        enrolled = enroll_device_dialog(None, county, request=request)
    assert enrolled is not None and enrolled.org_code == V1
    assert enrolled.path.name in seen.text
    pick(monkeypatch, open_file=enrolled.path)
    code = trust.keystore.county_keys(county).fingerprint()
    with boxes("no") as seen:  # the codes differ: nothing is imported
        assert import_trust_file_dialog(None, village) is None
    assert code in seen.text and trust.keystore.county_keys(village) is None
    with boxes("yes") as seen:
        applied = import_trust_file_dialog(None, village)
    assert applied is not None and "现在可以导出" in seen.text and code in seen.texts[0]
    save(village)
    with boxes():
        assert export_batch_dialog(None, village) is not None


def test_enrollment__another_devices_file__is_refused_with_a_message(
        app: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from surveyapp.core import trust
    from surveyapp.ui.tools.enroll import import_trust_file_dialog

    county = make_ws(tmp_path, "county", COUNTY, "测试县")
    trust.init_county(county)
    other, village = make_ws(tmp_path), make_ws(tmp_path)
    wrong = tmp_path / "other_enrollment.json"
    wrong.write_bytes(trust.enroll(county, trust.enroll_request(other)))
    pick(monkeypatch, open_file=wrong)
    with boxes("yes") as seen:  # the county key code matches; the device does not
        assert import_trust_file_dialog(None, village) is None
    assert "另一台" in seen.text or "其他设备" in seen.text or "其它设备" in seen.text \
        or "other_enrollment.json" in seen.text


def test_enrolling_a_village__the_township_update_is_written_and_named(
        app: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from surveyapp.core import trust
    from surveyapp.ops.batches import export_batch, import_batch
    from surveyapp.ui.tools.enroll import enroll_device_dialog, import_trust_file_dialog

    county = make_ws(tmp_path, "county", COUNTY, "测试县")
    trust.init_county(county)
    town = make_ws(tmp_path, "township", V1[:9], "测试镇")
    trust.accept_enrollment(town, trust.enroll(county, trust.enroll_request(town)))
    village = make_ws(tmp_path)
    request = tmp_path / f"{V1}_enroll_request.json"
    request.write_bytes(trust.enroll_request(village))
    usb = tmp_path / "usb"
    usb.mkdir()
    with boxes() as seen:
        enrolled = enroll_device_dialog(None, county, request=request, folder=usb)
    [update] = enrolled.updates
    assert update == usb / f"{V1[:9]}_trust_update.json" and update.name in seen.text
    trust.accept_enrollment(village, enrolled.path.read_bytes())
    save(village)
    batch = export_batch(village, usb).path
    pick(monkeypatch, open_file=update)
    with boxes():
        assert import_trust_file_dialog(None, town) is not None
    assert import_batch(town, batch).inserted > 0
