"""``surveyapp receipt …``: signed receipts for imported batches, and acknowledging them."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from surveyapp.cli._common import emit, open_workspace, workspace_args
from surveyapp.ops import receipts


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("receipt", help="receipts for imported batches (数据包回执)")
    sub = p.add_subparsers(dest="receipt_command", metavar="ACTION")
    sub.required = True

    q = sub.add_parser("write", help="township/county: sign a receipt for an imported batch "
                       "(出具回执)")
    workspace_args(q)
    q.add_argument("batch", help="the batch file that was imported")
    q.add_argument("--out", required=True, help="folder to write the receipt into")
    q.set_defaults(func=_write)
    q = sub.add_parser("import", help="sender: import a receipt; later exports skip what it "
                       "acknowledges (导入回执)")
    workspace_args(q)
    q.add_argument("file", help="the receipt file")
    q.set_defaults(func=_import)
    q = sub.add_parser("status", help="how far the township and the county hold this "
                       "device's data (回执状态)")
    workspace_args(q)
    q.set_defaults(func=_status)


def _write(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        res = receipts.write_receipt(ws, args.batch, args.out)
    emit(args, {**asdict(res), "path": str(res.path)},
         f"receipt for {res.device_id} batch {res.sequence} ({res.revisions} revisions): "
         f"{res.path}")
    return 0


def _import(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        res = receipts.import_receipt(ws, args.file)
    if res.already_imported:
        text = f"receipt from the {res.receiver_role} already imported; nothing changed"
    else:
        text = (f"receipt from the {res.receiver_role} {res.receiver_org} for batch "
                f"{res.sequence}: acknowledged up to revision {res.acked_seq}")
    emit(args, asdict(res), text)
    return 0


def _status(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        res = receipts.receipt_status(ws)
    emit(args, asdict(res), f"acknowledged up to revision {res.acked_seq} "
         f"(township {res.township}, county {res.county})")
    return 0
