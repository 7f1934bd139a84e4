"""Helpers of the tool dialog tests: real SQLCipher workspaces, real trust files, and a
responder for the modal message boxes the dialogs show."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

KEY = bytes.fromhex("5c" * 32)
V1, V2 = "522422102201", "522422102202"
TOWN, COUNTY = V1[:9], V1[:6]
_n = itertools.count()


def make_ws(tmp_path: Path, role: str = "village", org: str = V1, name: str = "箐口村") -> Any:
    from surveyapp.core.store import Workspace

    return Workspace.create_with_key(tmp_path / f"{role}-{next(_n)}.sdb", KEY, role=role,
                                     org_code=org, org_name=name, user=f"{role}-user")


def child(name: str = "张小明", village: str = V1, **more: Any) -> dict[str, Any]:
    d = {"survey_date": "2026-07-01", "township_code": village[:9], "village_code": village,
         "child_name": name, "sex": "male", "id_number": "52242220100101123X",
         "birth_date": "2010-01-01", "risk_level": "low", "is_left_behind": "yes",
         "follow_up_days": 90}
    d.update(more)
    return d


def save(ws: Any, **more: Any) -> str:
    return str(ws.save_visit(None, child(**more), form_id="child_screening",
                             form_version="1").child_id)


def tiers(tmp_path: Path) -> tuple[Any, Any, Any]:
    """A county, a township and a village, enrolled with real trust files."""
    from surveyapp.core import trust

    county = make_ws(tmp_path, "county", COUNTY, "测试县")
    town = make_ws(tmp_path, "township", TOWN, "测试镇")
    village = make_ws(tmp_path, "village", V1, "箐口村")
    trust.init_county(county)
    for ws in (town, village):
        trust.accept_enrollment(ws, trust.enroll(county, trust.enroll_request(ws)))
    trust.apply_update(town, trust.trust_update(county, TOWN))
    return county, town, village


def pick(monkeypatch: Any, *, folder: Path | None = None, open_file: Path | None = None,
         save_file: Path | None = None) -> None:
    """The OS file pickers return these paths."""
    if folder is not None:
        monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                            staticmethod(lambda *a, **k: str(folder)))
    if open_file is not None:
        monkeypatch.setattr(QFileDialog, "getOpenFileName",
                            staticmethod(lambda *a, **k: (str(open_file), "")))
    if save_file is not None:
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, **k: (str(save_file), "")))


class Boxes:
    """What the modal boxes said; answers them by keyboard (Enter) unless told otherwise."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)
        self.texts: list[str] = []
        self.titles: list[str] = []
        self.passphrases: list[str] = []

    def poll(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            self.texts.append(box.text())
            self.titles.append(box.windowTitle())
            answer = self.answers.pop(0) if self.answers else "enter"
            if answer == "yes":
                box.button(QMessageBox.StandardButton.Yes).click()
            elif answer == "no":
                QTest.keyClick(box, Qt.Key.Key_Escape)
            else:
                QTest.keyClick(box, Qt.Key.Key_Return)
        elif isinstance(box, QDialog) and box.objectName() == "passphraseBox":
            self.passphrases.append(box.passphrase.text())  # type: ignore[attr-defined]
            QTest.keyClick(box, Qt.Key.Key_Return)

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


@contextmanager
def boxes(*answers: str) -> Iterator[Boxes]:
    """Answer each modal box in turn: ``"yes"``, ``"no"`` (Esc) or Enter (the default)."""
    seen = Boxes(list(answers))
    timer = QTimer()
    timer.setInterval(15)
    timer.timeout.connect(seen.poll)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()
