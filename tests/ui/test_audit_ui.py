"""Issue 24 in the app: opening a child file, its PDF and a search by ID number each write
one audit entry (browsing by name writes none), and the 审计日志 viewer lists them with its
filters, exports them and checks the chain, in Chinese and in English."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from uihelpers import submit

from surveyapp.ui.mainwindow import MainWindow
from surveyapp.ui.settings import Settings
from surveyapp.ui.tools.auditlog import AuditLogDialog
from surveyapp.ui.widgets.childfile import ChildFileView

CJK = re.compile(r"[\u4e00-\u9fff]")


def _reads(ws: Any) -> list[Any]:
    return [e for e in ws.audit_entries() if e.action in ("read", "export")]


def test_child_file_pdf_and_id_search__one_entry_each(qtbot: Any, backend: Any,
                                                      tmp_path: Path) -> None:
    record_id = submit(backend)
    other = submit(backend, child_name="李小花", sex="female")
    ws = backend.ws
    window = MainWindow(backend, Settings.load())
    qtbot.addWidget(window)
    window.show()
    page = window.list_page
    for text in ("张", "zxm"):  # by name and pinyin: not logged
        page.search.setText(text)
        page.apply_filter()
    assert _reads(ws) == []
    idn = str(ws.get_child(record_id).id_number)
    page.search.setText(idn[:8])
    page.apply_filter()
    page.apply_filter()  # the same search applied again: still one entry
    [search] = _reads(ws)
    assert search.details == {"what": "search", "by": "id_number", "chars": 8, "count": 2,
                              "via": "app"}
    view = window.open_child(record_id)
    assert isinstance(view, ChildFileView)
    view.save_pdf(str(tmp_path / "张小明.pdf"))
    opened, pdf = _reads(ws)[1:]
    assert (opened.details["what"], opened.details["record"]) == ("child", record_id)
    assert (pdf.details["what"], pdf.details["record"]) == ("dossier", record_id)
    assert other not in str([e.details for e in _reads(ws)])
    blob = str([e.details for e in ws.audit_entries()])
    assert idn[:8] not in blob and "张小明" not in blob


def test_viewer__filters_export_and_verify(qtbot: Any, backend: Any, tmp_path: Path,
                                           monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    ws = backend.ws
    first = submit(backend)
    second = submit(backend, child_name="李小花", sex="female")
    for rid in (first, second, first):
        backend.note_read(rid)
    dialog = AuditLogDialog(ws)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(ws.audit_entries())
    dialog.child.setText(first[:8])
    dialog.action.setCurrentIndex(dialog.action.findData("read"))
    dialog.refresh()
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 4).text() == "查看"
    assert "打开档案" in dialog.table.item(0, 5).text()
    assert first[:8] in dialog.table.item(0, 5).text()
    dialog.child.clear()
    dialog.user.setText("nobody")
    dialog.refresh()
    assert dialog.table.rowCount() == 0 and "0" in dialog.count.text()
    dialog.user.clear()
    dialog.use_since.setChecked(True)
    dialog.refresh()
    assert dialog.table.rowCount() == 3
    target = tmp_path / "审计日志.csv"
    dialog.export_csv(str(target))
    with open(target, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:5] == ["seq", "time", "device", "user", "action"] and len(rows) == 4
    last = ws.audit_entries()[-1]
    assert (last.action, last.details["what"], last.details["count"]) == ("export", "audit", 3)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _p, title, text: shown.append(text))
    report = dialog.verify()
    assert report.error is None and shown and "审计链完整" in shown[0]


@pytest.fixture
def english(qapp: Any, monkeypatch: Any) -> Any:
    from surveyapp.ui.app import make_app

    monkeypatch.setenv("SURVEYAPP_LANG", "en")
    make_app()
    yield
    monkeypatch.setenv("SURVEYAPP_LANG", "zh_CN")
    make_app()


def test_viewer_in_english__no_chinese(english: Any, qtbot: Any, backend: Any) -> None:
    backend.note_read(submit(backend))
    dialog = AuditLogDialog(backend.ws)
    qtbot.addWidget(dialog)
    texts = [dialog.windowTitle(), dialog.count.text(), dialog.user.placeholderText(),
             dialog.received.text(),
             *(dialog.table.horizontalHeaderItem(i).text() for i in range(6)),
             *(dialog.action.itemText(i) for i in range(dialog.action.count())),
             *(dialog.table.item(r, c).text() for r in range(dialog.table.rowCount())
               for c in (4, 5))]
    assert texts[0] == "Audit log"
    assert not [t for t in texts if CJK.search(t)], texts


def test_county_anonymise_tool__asks_then_anonymises(qtbot: Any, tmp_path: Path,
                                                     monkeypatch: Any) -> None:
    import datetime as dt

    from PySide6.QtWidgets import QMessageBox

    from surveyapp.core.store import Workspace
    from surveyapp.ui.tools.auditlog import anonymise_dialog

    ws = Workspace.create_with_key(tmp_path / "county.sdb", bytes(32), role="county",
                                   org_code="522422", org_name="县", user="wang")
    try:
        old = ws.save_visit(None, {"child_name": "王小丽", "village_code": "522422102201",
                                   "id_number": "52242220140404002X",
                                   "survey_date": "2019-06-01", "birth_date": "2001-05-01"},
                            form_id="child_screening", form_version="1").child_id
        ws.record_exit(old, reason="aged_out", date="2020-01-01")
        asked: list[str] = []
        told: list[str] = []
        monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
        monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *_a: (
            asked.append(text), QMessageBox.StandardButton.No)[1])
        assert anonymise_dialog(None, ws, dt.date(2026, 12, 7)) == []  # declined
        assert "1" in asked[0] and "730" in asked[0] and "不可撤销" in asked[0]
        assert ws.get_child(old).child_name == "王小丽"
        monkeypatch.setattr(QMessageBox, "question",
                            lambda *_a: QMessageBox.StandardButton.Yes)
        [done] = anonymise_dialog(None, ws, dt.date(2026, 12, 7))
        assert done["record_id"] == old and "1" in told[-1]
        assert ws.get_child(old).child_name == "" and ws.get_child(old).id_number == ""
        assert ws.audit_entries()[-1].action == "anonymise"
        assert anonymise_dialog(None, ws, dt.date(2026, 12, 7)) == []
        assert "730" in told[-1]
    finally:
        ws.close()
