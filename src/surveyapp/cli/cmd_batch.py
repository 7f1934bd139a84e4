"""``surveyapp batch …``: export, import, verify signed and encrypted batch files."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from surveyapp.cli._common import emit, open_workspace, progress_printer, workspace_args
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops import arrivals, batches, importplan
from surveyapp.ops.codes import ImportCode


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("batch", help="export / import data batches (数据包)")
    sub = p.add_subparsers(dest="batch_command", metavar="ACTION")
    sub.required = True

    e = sub.add_parser("export", help="write the next batch to a folder (导出数据包)")
    workspace_args(e)
    e.add_argument("--out", required=True, help="target folder, e.g. a USB stick")
    e.add_argument("--full", action="store_true", help="re-send every revision")
    e.set_defaults(func=_export)

    i = sub.add_parser("import", help="verify and import a batch (导入数据包)")
    workspace_args(i)
    i.add_argument("file")
    i.add_argument("--dry-run", action="store_true", help="only report what would change")
    i.add_argument("--receipt", metavar="DIR", help="write the signed receipt into DIR")
    i.set_defaults(func=_import)

    v = sub.add_parser("verify", help="check a batch completely, store nothing (校验数据包)")
    workspace_args(v)
    v.add_argument("file")
    v.set_defaults(func=_verify)

    r = sub.add_parser("receipt", help="import a receipt: mark what has arrived (导入回执)")
    workspace_args(r)
    r.add_argument("file")
    r.set_defaults(func=_receipt)

    n = sub.add_parser("inspect", help="show a batch's manifest, unverified (查看数据包)")
    n.add_argument("file")
    n.add_argument("--json", action="store_true", help="print the result as JSON")
    n.set_defaults(func=_inspect)

    g = sub.add_parser("gaps", help="batches that never arrived, per device (缺失的数据包)")
    workspace_args(g)
    g.set_defaults(func=_gaps)

    a = sub.add_parser("import-all", help="import many batches and relay files, all or nothing, "
                       "with a dry-run report first (批量导入)")
    workspace_args(a)
    a.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER",
                   help="batch/relay files, or folders holding them (*.batch.zip, *.relay.zip)")
    a.add_argument("--dry-run", action="store_true",
                   help="only report what would be new, updated, in conflict, a possible "
                        "duplicate, or rejected")
    a.add_argument("--receipt", metavar="DIR",
                   help="after the import, write a signed receipt per file into DIR")
    a.set_defaults(func=_import_all)

    b = sub.add_parser("arrivals", help="arrival board: per device and village, last batch, "
                       "gaps, villages that sent nothing (到达情况)")
    workspace_args(b)
    b.set_defaults(func=_arrivals)


def _dict(obj: Any) -> dict[str, Any]:
    return {k: str(v) if k == "path" else v for k, v in asdict(obj).items()}


def _export(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        res = batches.export_batch(ws, args.out, full=args.full,
                                   progress=progress_printer(args))
    emit(args, _dict(res), f"batch {res.sequence} written: {res.path}\n"
         f"{res.revisions} revisions of {res.records} records, {res.audit} audit entries")
    return 0


def _import(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        res = importplan.import_file(ws, args.file, dry_run=args.dry_run,
                                     progress=progress_printer(args))
    if res.inner is not None:  # a relay file
        text = (f"relay of {res.org_code}: batch {res.sequence} and {len(res.inner)} village "
                f"batches, {res.inserted} new revisions"
                + (" (dry run)" if res.dry_run else "")
                + ("; already imported, nothing changed" if res.already_imported else ""))
    elif res.already_imported:
        text = f"batch {res.sequence} of {res.device_id} was already imported; nothing changed"
    elif res.dry_run:
        text = (f"dry run: {res.inserted} new revisions, {res.known} known; records "
                + ", ".join(f"{k} {v}" for k, v in res.outcomes.items()))
    else:
        text = (f"imported batch {res.sequence} of {res.device_id} ({res.org_code}): "
                f"{res.inserted} new revisions, {res.known} already known")
    if res.missing:
        text += f"\nmissing batches of this device: {', '.join(map(str, res.missing))}"
    if res.reused_sequence:
        text += (f"\nwarning: another batch numbered {res.sequence} of this device arrived "
                 "before: a copied or restored workspace? Check the device (batch reused)")
    for x in (res, *(res.inner or ())):  # AUDIT_004/005: imported, the county decides
        for w in x.warnings:
            text += f"\n[{w['code']}] {w['message_' + ('zh' if args.lang == 'zh' else 'en')]}"
    data = _dict(res)
    if res.inner is not None:
        data["inner"] = [_dict(r) for r in res.inner]
    if args.receipt and not res.dry_run:
        try:
            with open_workspace(args) as ws:
                receipt = batches.write_receipt(ws, res, args.receipt)
        except SurveyError as err:
            if res.already_imported:
                raise
            # The import is committed: never say "nothing was changed" now.
            raise SurveyError(ImportCode.IMPORT_001, path=args.receipt, sequence=res.sequence,
                              device=res.device_id, inserted=res.inserted,
                              reason=str(err.context.get("reason") or err.code.name)
                              ) from err
        data["receipt"] = str(receipt)
        text += f"\nreceipt written: {receipt}"
    emit(args, data, text)
    return 0


def _inspect(args: argparse.Namespace) -> int:
    m = batches.inspect_batch(args.file)
    signer = m["signer"]
    emit(args, m, f"batch {m['sequence']} of device {signer['device_id']} "
         f"({signer['role']} {signer['org_code']}, key {signer['key_id']}), "
         f"{m['counts']['revisions']} revisions, created {m['created_at']}\n"
         f"batch hash {m['batch_hash']} (NOT verified: use 'batch verify')")
    return 0


def _receipt(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        res = batches.import_receipt(ws, args.file)
    emit(args, asdict(res), f"{res.role} {res.received_by} holds batch {res.sequence}; "
         f"revisions up to {res.acked_seq} are safe there")
    return 0


def _verify(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        res = batches.verify_batch(ws, args.file)
    emit(args, _dict(res), f"OK: batch {res.sequence} of {res.device_id} ({res.org_code}), "
         f"{res.revisions} revisions, {res.audit} audit entries")
    return 0


def _gaps(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        found = batches.gaps(ws)
    emit(args, found, "\n".join(f"{d}: missing {', '.join(map(str, s))}"
                                for d, s in found.items()) or "no gaps")
    return 0


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(importplan.batch_files(p) if p.is_dir() else [p])
    return out


def _never() -> bool:
    return False


def _import_all(args: argparse.Namespace) -> int:
    """Dry run first (always); then, unless ``--dry-run`` or a file is rejected, the import
    of every file in one transaction."""
    files = _files(args.paths)
    if not files:
        raise SurveyError(CommonCode.INPUT_003, path=" ".join(args.paths))
    progress = progress_printer(args)
    with open_workspace(args) as ws:
        # Unless only a dry run was asked for, a rejected file stops an import: audited.
        report = importplan.dry_run(ws, files, progress, _never,
                                    audit_rejected=not args.dry_run)
        lang = getattr(args, "lang", "zh") or "zh"
        data: dict[str, Any] = {
            "files": [{"path": str(f.path), "status": f.status,
                       "form_versions": list(f.form_versions),
                       "error": f.error.to_dict() if f.error else None} for f in report.files],
            "unknown_forms": [{"file": name, "form": form}
                              for name, form in report.unknown_forms],
            **{k: [asdict(line) for line in getattr(report, k)]
               for k in ("new", "updated", "conflict")},
            "duplicates": [{"a": c.a, "b": c.b, "kind": c.kind.value}
                           for c in report.duplicates],
            "imported": False,
        }
        lines = [f"{f.path.name}: {f.status}" + (f" — {f.error.message(lang)}" if f.error else "")
                 + (f" [{', '.join(f.form_versions)}]" if f.form_versions else "")
                 + (" (warning: this sequence number arrived before on another batch)"
                    if f.result is not None and f.result.reused_sequence else "")
                 for f in report.files]
        lines += [(f"警告：{name} 含有本县未下发的表单版本 {form}" if lang == "zh" else
                   f"warning: {name} holds form version {form}, which this county never issued")
                  for name, form in report.unknown_forms]
        lines.append(f"new {len(report.new)}, updated {len(report.updated)}, "
                     f"conflict {len(report.conflict)}, possible duplicates "
                     f"{len(report.duplicates)}")
        rejected = [f for f in report.files if f.status == "rejected"]
        todo = report.importable()
        if args.dry_run or rejected or not todo:
            if rejected and not args.dry_run:
                lines.append("nothing imported: remove or replace the rejected files first")
            emit(args, data, "\n".join(lines))
            return 1 if rejected and not args.dry_run else 0
        results = importplan.import_all(ws, todo, progress, _never)
        data["imported"] = True
        lines.append(f"imported {len(todo)} files")
        if args.receipt:
            written = [str(batches.write_receipt(ws, r, args.receipt)) for r in results]
            data["receipts"] = written
            lines.extend(f"receipt written: {w}" for w in written)
    emit(args, data, "\n".join(lines))
    return 0


def _arrivals(args: argparse.Namespace) -> int:
    from surveyapp.ops.forms import current_form

    with open_workspace(args) as ws:
        villages = arrivals.area_villages(current_form(ws), ws.org_code)
        found = arrivals.board(ws, villages)
    data = {"devices": [asdict(d) for d in found.devices],
            "villages": [asdict(v) for v in found.villages], "silent": found.silent}
    lines = [f"{d.org_code or '?'} {d.device_id[:12]}: last #{d.last_sequence}"
             + (f", missing {', '.join(map(str, d.gaps))}" if d.gaps else "")
             + (" (revoked)" if d.revoked else "") + (f", {d.last_arrival}" if d.last_arrival
                                                      else "")
             for d in found.devices]
    lines.append(f"villages that sent nothing ({len(found.silent)}): "
                 + (", ".join(found.silent) or "none"))
    emit(args, data, "\n".join(lines))
    return 0
