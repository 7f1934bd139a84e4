"""Receipts: the importing office confirms what arrived, so the sender stops resending it.

    write_receipts_dialog(parent, ws, results, folder=None) -> list[Path]
        # township/county, after an import: one signed receipt per imported batch
    import_receipts_dialog(parent, ws, paths=None) -> list[ReceiptResult]
        # village/township: mark the batches named by the receipts as received

Until a receipt comes back, every export carries all the records not yet confirmed
(``ops.batches.export_batch``), so nothing is lost when a USB stick is.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from surveyapp.ui.tools.common import pick_folder, run_now, show_result, tr


def write_receipts_dialog(parent: QWidget | None, ws: Any, results: Sequence[Any],
                          folder: Path | None = None) -> list[Path]:
    """Write a receipt for each imported batch (``ImportResult``) into a chosen folder.

    :returns: the receipt files written (empty when cancelled or nothing to confirm).
    """
    from surveyapp.ops.batches import write_receipt

    chosen = [r for r in results if not getattr(r, "dry_run", False)]
    if not chosen:
        return []
    folder = folder or pick_folder(parent, tr("选择回执的保存位置（如U盘）"))
    if folder is None:
        return []
    written: list[Path] = []
    for result in chosen:
        path = run_now(parent, lambda r=result: write_receipt(ws, r, folder))
        if path is None:
            break
        written.append(Path(path))
    if written:
        show_result(parent, tr("回执已生成"), tr(
            "已写入 {0} 个回执文件。\n位置：{1}\n\n请把回执交回发送数据包的村（乡镇），"
            "他们用“工具 → 导入回执……”导入后，下次导出就只带新的记录。"
        ).format(len(written), str(folder)), folder)
    return written


def import_receipts_dialog(parent: QWidget | None, ws: Any,
                           paths: Sequence[Path] | None = None) -> list[Any]:
    """Import receipts chosen in the OS picker (or ``paths``); say what is now confirmed."""
    from surveyapp.ops.batches import import_receipt

    if paths is None:
        files, _ = QFileDialog.getOpenFileNames(
            parent, tr("选择上级发来的回执"), "", tr("回执 (receipt_*.json);;所有文件 (*)"))
        paths = [Path(f) for f in files]
    done: list[Any] = []
    for path in paths:
        result = run_now(parent, lambda p=path: import_receipt(ws, p))
        if result is None:
            break
        done.append(result)
    if done:
        text = tr(
            "已确认送达的数据包：{0} 个（最新为第 {1} 个）。\n"
            "已送达的记录不会再重复导出，下次导出只带新的记录。"
        ).format(len(done), max(r.sequence for r in done))
        relayed = sum(getattr(r, "relayed", 0) for r in done)
        if relayed:
            text += "\n\n" + tr(
                "县里还确认了上报文件中的 {0} 个村级数据包，下次上报不再携带。"
                "请给各村导出下发文件，把县里的回执带给他们。"
            ).format(relayed)
        show_result(parent, tr("回执已导入"), text)
    return done
