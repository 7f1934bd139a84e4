"""The exports dialog's village batch of dossier PDFs after the county issued v2: each
child's PDF with the labels of the form version its file was saved under (real workspace,
real PDFs read back with poppler's pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from toolworld import boxes

from versionforms import VILLAGE, county_with_versions

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="needs poppler's pdftotext")


def test_dossiers__each_child_with_its_own_form_version(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    """After the county issued v2, a village's batch of dossiers labels the child saved
    under v1 with v1's form and the v2 child with v2's (docs/forms.md "Which form labels
    an answer")."""
    ws, _ = county_with_versions(tmp_path)
    try:
        from surveyapp.ui.tools.exports import ExportsDialog

        dialog = ExportsDialog(ws, [(VILLAGE, "箐口村")])
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        dialog.kind.setCurrentIndex(dialog.kind.findData("dossiers"))
        dialog.scope.setCurrentIndex(dialog.scope.findData(VILLAGE))
        folder = tmp_path / "dossiers"
        dialog.target.setFocus()
        dialog.target.clear()
        qtbot.keyClicks(dialog.target, str(folder))
        with boxes() as seen:
            qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
        assert "3 份一人一档" in seen.text
    finally:
        ws.close()

    def text(name: str) -> str:
        [pdf] = folder.glob(f"*{name}.pdf")
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout
        return "".join(unicodedata.normalize("NFKC", out).split())

    one, two = text("李小红"), text("王小明")
    assert "照料人类型" in one and "祖父母" in one and "父亲电话" in one
    assert "主要照料人" not in one
    assert "主要照料人" in two and "其他亲属" in two and "父亲电话" not in two
