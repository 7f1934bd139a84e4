"""The exports dialog: real workspaces, real .xlsx/.csv/.pdf files in tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from toolworld import TOWN, V1, V2, boxes, make_ws, save

from surveyapp.errors import CommonCode, SurveyError


@pytest.fixture
def town(tmp_path: Path) -> Any:
    ws = make_ws(tmp_path, "township", TOWN, "测试镇")
    # Risk and categories are counted as of the export's date by the form's rules, so the
    # rows carry the answers behind them (an abuse sign makes the risk high).
    save(ws, name="张小明", risk_level="high", risk_signs="abuse")
    save(ws, name="李小红", risk_level="low", is_left_behind="no")
    save(ws, name="王小刚", village=V2, risk_level="high", risk_signs="abuse")
    return ws


def _dialog(qtbot: Any, ws: Any) -> Any:
    from surveyapp.ui.tools.exports import ExportsDialog

    dialog = ExportsDialog(ws, [(V1, "箐口村"), (V2, "大坪村")])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _type_target(qtbot: Any, dialog: Any, path: Path) -> None:
    dialog.target.setFocus()
    dialog.target.clear()
    qtbot.keyClicks(dialog.target, str(path))


def test_ledger__village_scope_and_risk_filter__only_those_children(
        app: Any, qtbot: Any, town: Any, tmp_path: Path) -> None:
    import openpyxl

    dialog = _dialog(qtbot, town)
    dialog.scope.setCurrentIndex(dialog.scope.findData(V1))
    dialog.risks["high"].setChecked(True)
    target = tmp_path / "ledger.xlsx"
    _type_target(qtbot, dialog, target)
    with boxes() as seen:
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
    assert dialog.outcome is not None and dialog.outcome.rows == 1
    assert "ledger.xlsx" in seen.text and "共 1 名儿童" in seen.text
    cells = [str(c.value) for ws in openpyxl.load_workbook(target).worksheets
             for row in ws.iter_rows() for c in row if c.value]
    assert any("张小明" in c for c in cells)
    assert not any("王小刚" in c or "李小红" in c for c in cells)


def test_ledger__existing_file_declined__is_left_untouched(
        app: Any, qtbot: Any, town: Any, tmp_path: Path) -> None:
    target = tmp_path / "ledger.xlsx"
    target.write_bytes(b"keep me")
    dialog = _dialog(qtbot, town)
    _type_target(qtbot, dialog, target)
    with boxes("no") as seen:
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
    assert "已经存在" in seen.text
    assert target.read_bytes() == b"keep me" and dialog.outcome is None


def test_ledger__existing_file_accepted__is_replaced(
        app: Any, qtbot: Any, town: Any, tmp_path: Path) -> None:
    target = tmp_path / "ledger.xlsx"
    target.write_bytes(b"old")
    dialog = _dialog(qtbot, town)
    _type_target(qtbot, dialog, target)
    with boxes("yes", "enter"):
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
    assert dialog.outcome is not None and dialog.outcome.rows == 3
    assert target.read_bytes()[:2] == b"PK"


def test_ledger_csv__extension_added_and_password_disabled(
        app: Any, qtbot: Any, town: Any, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, town)
    dialog.fmt.setCurrentIndex(dialog.fmt.findData("csv"))
    assert not dialog.password.isEnabled()
    _type_target(qtbot, dialog, tmp_path / "list")
    with boxes():
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
    written = tmp_path / "list.csv"
    assert dialog.outcome.path == written
    assert "王小刚" in written.read_text(encoding="utf-8-sig")


def test_ledger_with_password__file_is_encrypted_and_the_message_says_so(
        app: Any, qtbot: Any, town: Any, tmp_path: Path) -> None:
    import msoffcrypto

    dialog = _dialog(qtbot, town)
    dialog.password.setFocus()
    qtbot.keyClicks(dialog.password, "secret-2026")
    target = tmp_path / "locked.xlsx"
    _type_target(qtbot, dialog, target)
    with boxes() as seen:
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
    assert dialog.outcome.encrypted and "密码" in seen.text
    with target.open("rb") as fh:
        assert msoffcrypto.OfficeFile(fh).is_encrypted()


def test_department_list__police_preset__written(
        app: Any, qtbot: Any, town: Any, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, town)
    dialog.kind.setCurrentIndex(dialog.kind.findData("department:police"))
    target = tmp_path / "police.xlsx"
    _type_target(qtbot, dialog, target)
    with boxes() as seen:
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
    assert dialog.outcome is not None and target.exists()
    assert "police.xlsx" in seen.text


def test_stats_workbook__written_with_the_counts(
        app: Any, qtbot: Any, town: Any, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, town)
    dialog.kind.setCurrentIndex(dialog.kind.findData("stats"))
    assert not dialog.fmt.isEnabled() and not dialog.password.isEnabled()
    target = tmp_path / "stats.xlsx"
    _type_target(qtbot, dialog, target)
    with boxes() as seen:
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
    assert dialog.outcome is not None and target.read_bytes()[:2] == b"PK"
    assert "统计表" in seen.text


def test_dossiers__one_pdf_per_child_of_the_village(
        app: Any, qtbot: Any, town: Any, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, town)
    dialog.kind.setCurrentIndex(dialog.kind.findData("dossiers"))
    dialog.scope.setCurrentIndex(dialog.scope.findData(V2))
    folder = tmp_path / "dossiers"
    _type_target(qtbot, dialog, folder)
    with boxes() as seen:
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 1 and "王小刚" in pdfs[0].name
    assert pdfs[0].read_bytes()[:4] == b"%PDF"
    assert "1 份一人一档" in seen.text


def test_cancellable__cancel_requested__raises_cancelled() -> None:
    from surveyapp.ui.tools.exports import cancellable

    flag = {"cancel": False}
    rows = cancellable(range(200), lambda: flag["cancel"])
    assert [next(rows) for _ in range(10)] == list(range(10))
    flag["cancel"] = True
    with pytest.raises(SurveyError) as err:
        list(rows)
    assert err.value.code is CommonCode.CANCELLED


def test_run_job__cancelled_job__says_nothing_was_written(app: Any) -> None:
    from surveyapp.ui.tools.common import run_job

    def job(_progress: Any, _cancelled: Any) -> None:
        raise SurveyError(CommonCode.CANCELLED)

    with boxes() as seen:
        assert run_job(None, "…", job) is None
    assert seen.titles == ["已取消"]


def test_run_job__unexpected_error__a_message_not_a_traceback(app: Any) -> None:
    from surveyapp.ui.tools.common import run_job

    def job(_progress: Any, _cancelled: Any) -> None:
        raise KeyError("boom")

    with boxes() as seen:
        assert run_job(None, "…", job) is None
    assert "KeyError" in seen.text and "Traceback" not in seen.text


def test_ledger__ages_as_of_the_chosen_date(
        app: Any, qtbot: Any, town: Any, tmp_path: Path, printed_table: Any) -> None:
    from PySide6.QtCore import QDate

    dialog = _dialog(qtbot, town)
    dialog.as_of.setDate(QDate(2027, 12, 31))  # the children were born on 2010-01-01
    target = tmp_path / "ledger.xlsx"
    _type_target(qtbot, dialog, target)
    with boxes():
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
    ages = {r["年龄"] for r in printed_table(target)[1]}
    assert ages == {17}


def test_all_fields__every_question_by_name(
        app: Any, qtbot: Any, town: Any, tmp_path: Path) -> None:
    import openpyxl

    dialog = _dialog(qtbot, town)
    dialog.kind.setCurrentIndex(dialog.kind.findData("all_fields"))
    assert not dialog.as_of.isEnabled()
    target = tmp_path / "all.xlsx"
    _type_target(qtbot, dialog, target)
    with boxes():
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
    assert dialog.outcome is not None and dialog.outcome.rows == 3
    head = [c.value for c in openpyxl.load_workbook(target).active[3]]
    assert "儿童姓名（child_name）" in head and "表单版本" in head
    assert any(h and h.endswith("（father_phone）") for h in head)
