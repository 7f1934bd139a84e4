"""``surveyapp review …``: conflicts, possible duplicates and returns (township, county)."""

from __future__ import annotations

import argparse
from typing import Any

from surveyapp.cli._common import emit, open_workspace, workspace_args
from surveyapp.ops import review


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("review", help="conflicts, duplicates, returns (审核)")
    sub = p.add_subparsers(dest="review_command", metavar="ACTION")
    sub.required = True

    c = sub.add_parser("conflicts", help="list conflicts with a field-level diff (冲突列表)")
    workspace_args(c)
    c.set_defaults(func=_conflicts)

    r = sub.add_parser("resolve", help="resolve a conflict (处理冲突)")
    workspace_args(r)
    r.add_argument("record", help="child record id")
    how = r.add_mutually_exclusive_group(required=True)
    how.add_argument("--take", metavar="REVISION", help="keep this version as a whole")
    how.add_argument("--field", action="append", metavar="NAME=REVISION",
                     help="keep this field from this version (repeatable)")
    r.set_defaults(func=_resolve)

    d = sub.add_parser("duplicates", help="possible duplicates with evidence (疑似重复)")
    workspace_args(d)
    d.set_defaults(func=_duplicates)

    dd = sub.add_parser("decide", help="decide a possible duplicate (处理疑似重复)")
    workspace_args(dd)
    dd.add_argument("a")
    dd.add_argument("b")
    dd.add_argument("decision", choices=review.DECISIONS)
    dd.add_argument("--note", default="")
    dd.add_argument("--survivor", metavar="RECORD",
                    help="link/moved: the file that stays the child's file (default: the one "
                         "visited last; for moved, the village the child lives in now)")
    dd.add_argument("--field", action="append", metavar="NAME=RECORD",
                    help="link: keep this answer from this record (repeatable)")
    dd.add_argument("--moved-on", metavar="YYYY-MM-DD",
                    help="moved: the date of the move (default: the new file's last visit)")
    dd.set_defaults(func=_decide)

    rt = sub.add_parser("return", help="return a record to its village (退回村级)")
    workspace_args(rt)
    rt.add_argument("record")
    rt.add_argument("comment")
    rt.set_defaults(func=_return)

    rl = sub.add_parser("returned", help="records returned by the township (被退回的记录)")
    workspace_args(rl)
    rl.set_defaults(func=_returned)


def _conflicts(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        found = review.conflicts(ws)
    data = [
        {"record": c.record_id, "child_name": c.child_name, "village_code": c.village_code,
         "heads": [{"revision": h.id, "author": h.author, "device": h.device_id,
                    "created_at": h.created_at} for h in c.heads],
         "diff": {d.name: list(d.values) for d in c.diff}}
        for c in found
    ]
    lines = [f"{c.record_id}  {c.child_name}  ({len(c.heads)} 个版本 / versions): "
             + ", ".join(d.name for d in c.diff) for c in found]
    emit(args, data, "\n".join(lines) or "没有冲突 / no conflicts")
    return 0


def _resolve(args: argparse.Namespace) -> int:
    fields = dict(f.split("=", 1) for f in args.field or [])
    with open_workspace(args) as ws:
        rev = review.resolve(ws, args.record, take=args.take, fields=fields or None)
    emit(args, {"revision": rev}, f"已处理 / resolved: {rev}")
    return 0


def _duplicates(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        found = review.duplicate_candidates(ws)
    data = [{"kind": c.kind.value, "a": c.a, "b": c.b,
             "evidence": {k: list(v) for k, v in c.evidence.items()}} for c in found]
    lines = [f"{c.kind.value:12} {c.a}  {c.b}  {c.evidence['name'][0]}/{c.evidence['name'][1]}"
             for c in found]
    emit(args, data, "\n".join(lines) or "没有疑似重复 / no possible duplicates")
    return 0


def _decide(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        fields = dict(f.split("=", 1) for f in args.field or [])
        rev = review.decide_duplicate(ws, args.a, args.b, args.decision, args.note,
                                      survivor=args.survivor, fields=fields or None,
                                      moved_on=args.moved_on)
    emit(args, {"revision": rev}, f"已记录 / recorded: {rev}")
    return 0


def _return(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        rev = review.return_to_village(ws, args.record, args.comment)
    emit(args, {"revision": rev}, f"已退回 / returned: {rev}")
    return 0


def _returned(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        rows = review.returned_children(ws)
    data = [{"record": r.record_id, "child_name": r.child_name,
             "comment": r.data.get("review_comment", "")} for r in rows]
    emit(args, data, "\n".join(f"{d['record']}  {d['child_name']}  {d['comment']}" for d in data)
         or "没有被退回的记录 / none returned")
    return 0
