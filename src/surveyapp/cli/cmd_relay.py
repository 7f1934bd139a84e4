"""``surveyapp relay …`` (township → county, village batches verbatim) and ``surveyapp down …``
(township → village: returns and review decisions)."""

from __future__ import annotations

import argparse
from typing import Any

from surveyapp.cli._common import emit, open_workspace, workspace_args
from surveyapp.ops import batches as batches_ops
from surveyapp.ops import importplan, relay


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("relay", help="township relay files to the county (乡镇上报包)")
    sub = p.add_subparsers(dest="relay_command", metavar="ACTION")
    sub.required = True
    ex = sub.add_parser("export", help="write the township relay file (乡镇导出上报包)")
    workspace_args(ex)
    ex.add_argument("out_dir", help="target folder, e.g. the USB stick")
    ex.set_defaults(func=_relay_export)
    im = sub.add_parser("import", help="verify the whole chain and import (县级导入上报包)")
    workspace_args(im)
    im.add_argument("file")
    im.add_argument("--receipt", metavar="DIR",
                    help="write the signed receipt (own batch and every village batch) into DIR")
    im.set_defaults(func=_relay_import)
    keep = sub.add_parser("keep", help="import a village batch and keep it for the relay")
    workspace_args(keep)
    keep.add_argument("file")
    keep.add_argument("--receipt", metavar="DIR", help="write the signed receipt into DIR")
    keep.set_defaults(func=_relay_keep)

    d = subparsers.add_parser("down", help="township → village files (下发村级)")
    dsub = d.add_subparsers(dest="down_command", metavar="ACTION")
    dsub.required = True
    dex = dsub.add_parser("export", help="write a village's returns and decisions (下发退回)")
    workspace_args(dex)
    dex.add_argument("village", help="12-digit village code")
    dex.add_argument("out_dir")
    dex.set_defaults(func=_down_export)
    dim = dsub.add_parser("import", help="village: import a township's down file (接收退回)")
    workspace_args(dim)
    dim.add_argument("file")
    dim.set_defaults(func=_down_import)


def _relay_export(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        r = relay.export_relay(ws, args.out_dir)
    emit(args, {"path": str(r.path), "inner": r.inner, "own_batch": r.own_batch},
         f"已写入 / written: {r.path}（含村级数据包 {r.inner} 个 / village batches）")
    return 0


def _relay_import(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        r = relay.import_relay(ws, args.file)
        receipt = (batches_ops.write_receipt(ws, relay.as_import_result(r), args.receipt)
                   if args.receipt else None)
    batches: list[dict[str, Any]] = [
        {"device": x.device_id, "org": x.org_code, "sequence": x.sequence,
         "inserted": x.inserted, "already_imported": x.already_imported,
         "warnings": list(x.warnings)}
        for x in (*r.inner, r.own)]
    data: dict[str, Any] = {"township": r.township_org, "batches": batches}
    lines = [f"{x['org']} #{x['sequence']}: +{x['inserted']}" + (" (已导入过 / already)"
             if x["already_imported"] else "") for x in batches]
    lines += [f"[{w['code']}] {w['message_zh']} / {w['message_en']}"
              for x in batches for w in x["warnings"]]
    if receipt is not None:
        data["receipt"] = str(receipt)
        lines.append(f"回执 / receipt written: {receipt}")
    emit(args, data, "\n".join(lines))
    return 0


def _relay_keep(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        r = importplan.import_file(ws, args.file)  # import and keep, one transaction
        receipt = batches_ops.write_receipt(ws, r, args.receipt) if args.receipt else None
    data: dict[str, Any] = {"inserted": r.inserted, "already_imported": r.already_imported,
                            "missing": list(r.missing), "warnings": list(r.warnings)}
    text = f"+{r.inserted}" + ("（已导入过 / already imported）" if r.already_imported else "")
    text += "".join(f"\n[{w['code']}] {w['message_zh']} / {w['message_en']}"
                    for w in r.warnings)
    if receipt is not None:
        data["receipt"] = str(receipt)
        text += f"\n回执 / receipt written: {receipt}"
    emit(args, data, text)
    return 0


def _down_export(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        r = relay.export_down(ws, args.village, args.out_dir)
    emit(args, {"path": str(r.path), "revisions": r.revisions, "audit": r.audit,
                "receipts": r.receipts},
         f"已写入 / written: {r.path}（{r.revisions} 条 / revisions，县级回执 {r.receipts} 个 / "
         "county receipts）")
    return 0


def _down_import(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        r = relay.import_down(ws, args.file)
    emit(args, {"inserted": r.inserted, "known": r.known, "receipts": r.receipts},
         f"+{r.inserted}（已有 / known {r.known}，县级回执 / county receipts {r.receipts}）")
    return 0
