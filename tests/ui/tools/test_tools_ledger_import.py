"""Tools → 导入台账: the dialog on a real workspace with a real .xlsx: preview of the first
rows (mapped answers, each refused row coloured with its reason), the import behind the
progress dialog, the report beside the ledger, nothing written when a row is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from toolworld import boxes, pick

from ledgerin_world import (
    FOREIGN_MAPPING,
    foreign_rows,
    store_state,
    write_foreign,
    write_mapping,
    wrong_check_digit,
)
from ledgerin_world import make_ws as make_county


def _dialog(qtbot: Any, ws: Any) -> Any:
    from surveyapp.ui.tools.ledger_import import LedgerImportDialog

    dialog = LedgerImportDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.fixture
def messy(tmp_path: Path) -> tuple[Path, Path]:
    rows = foreign_rows(25)
    rows[13][4] = wrong_check_digit(rows[13][4])  # sheet row 17
    return write_foreign(tmp_path / "花名册.xlsx", rows), write_mapping(tmp_path / "map.json")


def test_preview__first_rows_mapped_and_the_bad_row_named(
        app: Any, qtbot: Any, tmp_path: Path, messy: tuple[Path, Path]) -> None:
    ws = make_county(tmp_path, "county")
    dialog = _dialog(qtbot, ws)
    sheet, mapping = messy
    before = store_state(ws)
    dialog.source.setText(str(sheet))  # QTest cannot type Chinese characters
    dialog.mapping.setText(str(mapping))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    table = dialog.table
    assert table.rowCount() == 20
    headers = [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]
    assert headers[:5] == ["行号", "结果", "问题", "姓名", "性别"]
    rows = {table.item(i, 0).text(): i for i in range(table.rowCount())}
    bad = rows["17"]
    assert table.item(bad, 1).text() == "未通过"
    assert "校验码" in table.item(bad, 2).text()
    assert table.item(bad, headers.index("姓名")).text().startswith("王小")  # still shown
    assert table.item(rows["4"], 1).text() == "可导入"
    assert table.item(rows["4"], headers.index("性别")).text() == "女"  # the form's label
    assert table.item(rows["4"], headers.index("村")).text() == "箐口村"
    assert "1 行未通过检查" in dialog.summary.text()
    assert store_state(ws) == before  # a preview writes nothing


def test_import__refused_row_stops_it_then_valid_only_imports_the_rest(
        app: Any, qtbot: Any, tmp_path: Path, messy: tuple[Path, Path]) -> None:
    ws = make_county(tmp_path, "county")
    dialog = _dialog(qtbot, ws)
    sheet, mapping = messy
    before = store_state(ws)
    dialog.source.setText(str(sheet))
    dialog.mapping.setText(str(mapping))
    with boxes() as seen:
        dialog.run()
    assert "未导入任何数据" in seen.text and "花名册-导入报告.xlsx" in seen.text
    assert store_state(ws) == before
    assert (tmp_path / "花名册-导入报告.xlsx").exists()
    dialog.valid_only.setChecked(True)
    with boxes() as seen:
        result = dialog.run()
    assert result.summary.imported == 24 and ws.count_children() == 24
    assert "已导入 24 名儿童" in seen.text


def test_template__written_from_the_sheets_headers(
        app: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any,
        messy: tuple[Path, Path]) -> None:
    import json

    ws = make_county(tmp_path, "county")
    dialog = _dialog(qtbot, ws)
    sheet, _ = messy
    dialog.source.setText(str(sheet))
    target = tmp_path / "对照.json"
    pick(monkeypatch, save_file=target)
    with boxes():
        dialog.write_template()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert set(FOREIGN_MAPPING["columns"]) - {"姓名", "性别", "出生日期", "身份证号", "乡镇",
                                              "村"} <= set(data["columns"])
    assert dialog.mapping.text() == str(target)


def test_english__dialog_texts_translated(app: Any, qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QTranslator

    from surveyapp.ui.i18n import compiled_qm

    qm = compiled_qm("surveyapp_en", tmp_path)
    assert qm is not None
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        dialog = _dialog(qtbot, make_county(tmp_path, "county"))
        assert dialog.windowTitle() == "Import ledger"
        assert dialog.preview_button.text().replace("&", "") == "Preview"  # a mnemonic added
        assert dialog.valid_only.text().replace("&", "").startswith("Import the valid rows only")
    finally:
        QCoreApplication.removeTranslator(translator)


def test_password_protected_ledger__preview_with_its_password(
        app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.core.ledger.protect import encrypt_file

    ws = make_county(tmp_path, "county")
    plain = write_foreign(tmp_path / "plain.xlsx", foreign_rows(3))
    sheet = tmp_path / "花名册.xlsx"
    encrypt_file(plain, sheet, "文件密码123")
    dialog = _dialog(qtbot, ws)
    dialog.source.setText(str(sheet))
    dialog.mapping.setText(str(write_mapping(tmp_path / "map.json")))
    with boxes() as seen:
        dialog.preview()
    assert "密码" in seen.text and dialog.table.rowCount() == 0
    dialog.password.setText("文件密码123")
    dialog.preview()
    assert dialog.table.rowCount() == 3
