"""Take the review screenshots: ``.venv/bin/python docs/screenshots/review_screenshots.py``.

Builds a small township (three village stores and a township store, real SQLCipher files in
a temporary folder), copies the villages' revisions up, and grabs the conflicts, duplicates,
"return to village" and "returned" screens as ``docs/screenshots/review-*.png``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))
TMP = Path(tempfile.mkdtemp(prefix="review-shots-"))
os.environ["SURVEYAPP_HOME"] = str(TMP / "home")
os.environ.setdefault("SURVEYAPP_LANG", "zh_CN")
# Offscreen grabs give the same pixels as Xvfb (the xcb plugin needs libxcb-cursor0 here).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
KEY = bytes.fromhex("5e" * 32)
COMMENT = "没有填写身份证号；户口簿上有，请补录后重新保存。"
V = {"522422102201": "箐口村", "522422102202": "新店村", "522422102203": "红岩村"}


def child(name: str, idn: str, village: str, birth: str, **more: Any) -> dict[str, Any]:
    d = {
        "survey_date": "2026-07-01",
        "township_code": village[:9],
        "village_code": village,
        "child_name": name,
        "sex": "male",
        "id_number": idn,
        "birth_date": birth,
        "mother_name": "李秀英",
        "mother_status": "away_out_province",
        "father_status": "away_in_province",
        "carer_type": "grandparent",
        "carer_name": "张德福",
        "risk_level": "medium",
        "follow_up_days": 90,
        "school_status": "primary",
    }
    d.update(more)
    return d


def build() -> Any:
    from surveyapp.core.store import Workspace

    def ws(role: str, org: str) -> Any:
        return Workspace.create_with_key(
            TMP / f"{org}.sdb",
            KEY,
            role=role,
            org_code=org,
            org_name=V.get(org, "羊场镇"),
            user=f"{role}-{org[-3:]}",
        )

    villages = {code: ws("village", code) for code in V}
    town = ws("township", "522422102")
    a, b, c = villages.values()

    def up(src: Any) -> None:
        town.insert_revisions([r for _, r in src.iter_revisions()])

    save = {"form_id": "child_screening", "form_version": "1"}
    first = a.save_visit(
        None, child("张小明", "522422201003151234", "522422102201", "2010-03-15"), **save
    )
    other = a.save_visit(
        None,
        child("李红", "522422201205062345", "522422102201", "2012-05-06", sex="female"),
        **save,
    )
    up(a)
    a.save_visit(
        first.child_id,
        child(
            "张小明",
            "522422201003151234",
            "522422102201",
            "2010-03-15",
            risk_level="high",
            carer_health="poor",
            school_status="dropped_out",
        ),
        **save,
    )
    town.save_visit(
        first.child_id,
        child(
            "张晓明", "522422201003151234", "522422102201", "2010-03-15", mother_status="at_home"
        ),
        **save,
    )
    a.save_visit(
        other.child_id,
        child(
            "李红",
            "522422201205062345",
            "522422102201",
            "2012-05-06",
            sex="female",
            risk_level="low",
        ),
        **save,
    )
    town.save_visit(
        other.child_id,
        child(
            "李红",
            "522422201205062345",
            "522422102201",
            "2012-05-06",
            sex="female",
            carer_name="李国强",
        ),
        **save,
    )
    b.save_visit(
        None,
        child("王丽", "522422201203041220", "522422102202", "2012-03-04", sex="female"),
        **save,
    )
    a.save_visit(None, child("王丽", "", "522422102201", "2012-03-04", sex="female"), **save)
    c.save_visit(None, child("刘洋", "52242220091111301X", "522422102203", "2009-11-11"), **save)
    c.save_visit(
        None,
        child("刘洋", "52242220091111301X", "522422102203", "2009-11-11", mother_name="陈静"),
        **save,
    )
    for v in villages.values():
        up(v)
    return villages, town


def build_tiers() -> tuple[Any, Any, Path]:
    """An enrolled county and township; three villages' batches on a USB folder."""
    from surveyapp.core import trust
    from surveyapp.core.store import Workspace
    from surveyapp.ops.batches import export_batch, import_batch

    def ws(role: str, org: str) -> Any:
        return Workspace.create_with_key(TMP / f"t-{org}.sdb", KEY, role=role, org_code=org,
                                         org_name=V.get(org, org), user=f"{role}-{org[-3:]}")

    county, town = ws("county", "522422"), ws("township", "522422102")
    trust.init_county(county)
    villages = {code: ws("village", code) for code in V}
    for w in (town, *villages.values()):
        trust.accept_enrollment(w, trust.enroll(county, trust.enroll_request(w)))
    trust.apply_update(town, trust.trust_update(county, "522422102"))
    usb = TMP / "usb"
    usb.mkdir()
    save = {"form_id": "child_screening", "form_version": "1"}
    a, b, _c = villages.values()
    first = a.save_visit(None, child("张小明", "522422201003151234", "522422102201",
                                     "2010-03-15"), **save)
    import_batch(town, export_batch(a, usb).path)
    import_batch(county, (usb / next(p.name for p in usb.iterdir())))
    a.save_visit(first.child_id, child("张小明", "522422201003151234", "522422102201",
                                       "2010-03-15", risk_level="high"), **save)
    town.save_visit(first.child_id, child("张晓明", "522422201003151234", "522422102201",
                                          "2010-03-15"), **save)
    a.save_visit(None, child("李红", "522422201205062345", "522422102201", "2012-05-06",
                             sex="female"), **save)
    lost = export_batch(a, usb).path
    a.save_visit(None, child("赵刚", "522422201101011234", "522422102201", "2011-01-01"),
                 **save)
    last = export_batch(a, usb).path
    import_batch(county, last)
    del lost  # it never reached the county (a gap); the township has it on the USB stick
    b.save_visit(None, child("张小明", "522422201003151234", "522422102202", "2010-03-15"),
                 **save)
    b.save_visit(None, child("王丽", "522422201203041220", "522422102202", "2012-03-04",
                             sex="female"), **save)
    export_batch(b, usb)
    (usb / "U盘损坏.batch.zip").write_bytes(b"PK\x03\x04 damaged")
    return county, town, usb


def wait(widget: Any) -> None:
    from PySide6.QtWidgets import QApplication

    while widget.busy():
        QApplication.processEvents()


def shot(widget: Any, name: str, size: tuple[int, int] = (1366, 768)) -> None:
    from PySide6.QtWidgets import QApplication

    widget.resize(*size)
    widget.show()
    for _ in range(5):
        QApplication.processEvents()
    path = HERE / f"review-{name}.png"
    widget.grab().save(str(path))
    print(path)


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from surveyapp.ops import review
    from surveyapp.ui.app import make_app
    from surveyapp.ui.review import ConflictsWidget, DuplicatesWidget, ReturnedWidget
    from surveyapp.ui.review.returns import ReturnDialog

    make_app()
    villages, town = build()
    conflicts = ConflictsWidget(town)
    conflicts.refresh()
    shot(conflicts, "conflicts")
    duplicates = DuplicatesWidget(town)
    duplicates.refresh()
    duplicates.note.setText("随父母迁居")
    shot(duplicates, "duplicates")
    dialog = ReturnDialog("王丽", "箐口村")
    dialog.comment.setPlainText(COMMENT)
    shot(dialog, "return-dialog", (520, 280))
    [row] = [
        r
        for r in town.query_children(None, 0, 50)
        if r.child_name == "王丽" and r.village_code == "522422102201"
    ]
    review.return_to_village(
        town, row.record_id, "没有填写身份证号；户口簿上有，请补录后重新保存。"
    )
    village = villages["522422102201"]
    village.insert_revisions([r for _, r in town.iter_revisions()])
    returned = ReturnedWidget(village)
    returned.refresh()
    shot(returned, "returned-village", (1100, 360))
    from surveyapp.ui.review import ArrivalsWidget, ImportDialog

    county, town2, usb = build_tiers()
    dialog = ImportDialog(town2, (usb,))
    dialog.start_dry_run()
    wait(dialog)
    dialog.tabs.setCurrentIndex(0)
    shot(dialog, "import-report", (1000, 620))
    dialog.tabs.setCurrentIndex(4)
    shot(dialog, "import-duplicates", (1000, 620))
    board = ArrivalsWidget(county)
    board.refresh()
    shot(board, "arrivals", (1200, 620))
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone()
    for widget in (dialog, board, conflicts, duplicates, returned):
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()
    QTimer.singleShot(0, QApplication.quit)
    for ws in (*villages.values(), town, county, town2):
        ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
