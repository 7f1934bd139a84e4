"""Take the tool dialog screenshots: ``.venv/bin/python docs/screenshots/tools_screenshots.py``
(under ``xvfb-run`` or offscreen).

Builds a county, a township and a village (real SQLCipher files in a temporary folder,
real trust files), then grabs the tools menu, the batch export result, the return file
dialog, the device list with the revocation question, the trust update dialog, the exports
dialog and the password dialogs (with the county's one-time passphrase) as
``docs/screenshots/tools-*.png``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))
TMP = Path(tempfile.mkdtemp(prefix="tools-shots-"))
os.environ["SURVEYAPP_HOME"] = str(TMP / "home")
os.environ.setdefault("SURVEYAPP_LANG", "zh_CN")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
KEY = bytes.fromhex("5d" * 32)
V1, V2 = "522422102201", "522422102202"


def build() -> tuple[Any, Any, Any, Any]:
    from surveyapp.core import trust
    from surveyapp.core.store import Workspace

    def ws(role: str, org: str, name: str) -> Any:
        return Workspace.create_with_key(TMP / f"{org}.sdb", KEY, role=role, org_code=org,
                                         org_name=name, user=f"{role}-user")

    county, town = ws("county", V1[:6], "黔西县"), ws("township", V1[:9], "羊场镇")
    v1, v2 = ws("village", V1, "箐口村"), ws("village", V2, "新店村")
    trust.init_county(county)
    for w in (town, v1, v2):
        trust.accept_enrollment(w, trust.enroll(county, trust.enroll_request(w)))
    trust.apply_update(town, trust.trust_update(county, V1[:9]))
    for i, name in enumerate(("张小明", "李小红", "王小刚")):
        v1.save_visit(None, {"survey_date": "2026-07-01", "township_code": V1[:9],
                             "village_code": V1, "child_name": name, "sex": "male",
                             "birth_date": f"201{i}-03-04", "risk_level": "low",
                             "is_left_behind": "yes", "follow_up_days": 90},
                      form_id="child_screening", form_version="1")
    return county, town, v1, v2


def save(widget: Any, name: str) -> None:
    widget.grab().save(str(HERE / f"tools-{name}.png"))
    print("wrote", HERE / f"tools-{name}.png")


def grab_modal(name: str, then: Callable[[Any], None]) -> None:
    """Grab the next modal box as ``tools-<name>.png``, then close it with ``then(box)``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if box is None or not box.isVisible() or box.objectName() == "":
            QTimer.singleShot(30, poll)
            return
        QTimer.singleShot(120, lambda: (save(box, name), then(box)))

    QTimer.singleShot(30, poll)


def shown(widget: Any, name: str) -> None:
    from PySide6.QtWidgets import QApplication

    widget.show()
    for _ in range(20):
        QApplication.processEvents()
    save(widget, name)


def main() -> None:
    from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

    from surveyapp.ui.app import make_app

    app, _settings = make_app()
    county, town, v1, _v2 = build()
    usb = TMP / "usb"
    usb.mkdir()
    QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: str(usb))  # type: ignore

    from surveyapp.ui.tools import install_tool_actions
    from surveyapp.ui.tools.enroll import DevicesDialog, TrustUpdateDialog
    from surveyapp.ui.tools.export_batch import DownDialog, export_batch_dialog
    from surveyapp.ui.tools.exports import ExportsDialog
    from surveyapp.ui.tools.password import ApplyResetDialog, ChangePasswordDialog

    window = QMainWindow()
    window.menuBar().addMenu("文件(&F)")
    install_tool_actions(window, town)
    window.resize(900, 500)
    window.show()
    menu = window.menuBar().actions()[-1].menu()
    menu.popup(window.mapToGlobal(window.rect().topLeft()))
    shown(menu, "menu-township")
    menu.hide()

    grab_modal("export-result", lambda box: box.accept())
    export_batch_dialog(window, v1)

    down = DownDialog(town, window)
    down.folder.setText(str(usb))
    shown(down, "down")
    down.close()

    devices = DevicesDialog(county, window)
    shown(devices, "devices")
    devices.table.selectRow(1)
    grab_modal("revoke-confirm",
               lambda box: box.done(QMessageBox.StandardButton.No.value))
    devices.revoke_selected()
    devices.close()

    update = TrustUpdateDialog(county, window)
    update.folder.setText(str(usb))
    shown(update, "trust-update")
    update.close()

    exports = ExportsDialog(town, [(V1, "箐口村"), (V2, "新店村")], window)
    exports.scope.setCurrentIndex(1)
    exports.categories["left_behind"].setChecked(True)
    exports.target.setText(str(usb / "羊场镇_摸底排查台账.xlsx"))
    shown(exports, "exports")
    exports.close()

    change = ChangePasswordDialog(town, window)
    change.old.setText("old password")
    change.new.setText("new password")
    change.again.setText("new passwort")
    change.run()
    shown(change, "change-password")
    change.close()

    from types import SimpleNamespace

    from surveyapp.ui.tools.password import PassphraseBox

    issued = SimpleNamespace(user="wangfang", path=usb / "522422102201_wangfang_reset.json",
                             passphrase="7351-2864-0493-1187")  # noqa: S106 - an example
    box = PassphraseBox(issued, window)
    shown(box, "passphrase")
    box.close()

    reset = ApplyResetDialog(TMP / "x.sdb", window)
    reset.reset_path.setText(str(usb / "羊场镇_reset.json"))
    reset.passphrase.setText("7351-2864-0493")
    shown(reset, "reset-apply")
    reset.close()
    app.quit()


if __name__ == "__main__":
    main()
