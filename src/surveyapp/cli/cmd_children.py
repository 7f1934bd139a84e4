"""``surveyapp children …``: list and search the child files, show one with its history,
save a visit from an answers file (checked by the form like Finalize), record an exit."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
from dataclasses import asdict
from typing import Any

from surveyapp.cli._common import emit, open_workspace, progress_printer, workspace_args
from surveyapp.core.forms.carry import PREVIOUS
from surveyapp.core.store import EXIT_REASONS
from surveyapp.core.store.views import CATEGORIES, ChildFilter
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops import children, ledgerin
from surveyapp.ops.audit import note_search, record_read

LIST_FIELDS = ("record_id", "child_name", "sex", "birth_date", "age_years", "id_number",
               "village_code", "category_label", "is_left_behind", "is_in_difficulty",
               "risk_level", "urgent_report", "status", "follow_up_due")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("children", help="child files: list, show, visit, exit (儿童档案)")
    sub = p.add_subparsers(dest="children_command", metavar="ACTION")
    sub.required = True

    ls = sub.add_parser("list", help="list or search children (儿童名单)")
    workspace_args(ls)
    ls.add_argument("--search", help="name, pinyin initials or ID number prefix")
    ls.add_argument("--township", help="township code")
    ls.add_argument("--village", help="village code")
    ls.add_argument("--category", choices=sorted(CATEGORIES))
    ls.add_argument("--risk", choices=("low", "medium", "high"))
    ls.add_argument("--urgent", action="store_true", help="only urgent cases (强制报告)")
    ls.add_argument("--due", metavar="YYYY-MM-DD", help="follow-up due on or before this day")
    ls.add_argument("--exited", action="store_true", help="include exited children")
    ls.add_argument("--limit", type=int, default=None, help="at most this many rows")
    ls.add_argument("--as-of", metavar="YYYY-MM-DD", default=None, dest="as_of",
                    help="age and categories as of this date (default: today)")
    ls.add_argument("--ageing-out", action="store_true", dest="ageing_out",
                    help="children who turned 16 (no longer 留守) or 18, or will within "
                    "--within days (即将超龄)")
    ls.add_argument("--within", type=int, default=90, metavar="DAYS",
                    help="with --ageing-out: look this many days ahead (default 90)")
    ls.set_defaults(func=_list)

    sh = sub.add_parser("show", help="one child's answers and history (一人一档)")
    workspace_args(sh)
    sh.add_argument("record")
    sh.set_defaults(func=_show)

    v = sub.add_parser("visit", help="save a screening or follow-up visit from an answers "
                       "JSON file, checked by the form (录入走访)")
    workspace_args(v)
    v.add_argument("--answers", required=True, help="JSON object: question name → value")
    v.add_argument("--child", help="record id of an existing child (follow-up visit)")
    v.add_argument("--form", help="the .xlsx form (default: the form the county sent, "
                   "else the shipped screening form)")
    v.add_argument("--new-anyway", action="store_true",
                   help="save a new child although its ID number is already on file")
    v.set_defaults(func=_visit)

    e = sub.add_parser("exit", help="take a child off the active list (退出名单)")
    workspace_args(e)
    e.add_argument("record")
    e.add_argument("--reason", required=True, choices=EXIT_REASONS)
    e.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
    e.add_argument("--note", default="")
    e.set_defaults(func=_exit)

    imp = sub.add_parser("import-ledger", help="import an existing 台账 (.xlsx/.csv) as first "
                         "visits, checked row by row by the form (导入台账)")
    workspace_args(imp)
    imp.add_argument("file", help="the ledger: .xlsx or .csv (UTF-8 or GB18030)")
    imp.add_argument("--mapping", help="mapping file for another layout (column header → "
                     "question, value → choice); default: the 台账's own columns")
    imp.add_argument("--write-template", metavar="MAPPING.json",
                     help="write a mapping file with FILE's headers to edit, and stop")
    imp.add_argument("--valid-only", action="store_true",
                     help="import the valid rows and leave the refused ones out")
    imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imp.add_argument("--report", metavar="REPORT.xlsx|.csv|.json",
                     help="write the report: one line per problem (row, column, reason)")
    imp.add_argument("--password", action="store_true",
                     help="the .xlsx is password-protected (SURVEYAPP_LEDGER_PASSWORD or "
                     "prompt)")
    imp.add_argument("--form", help="the .xlsx form (default: the form the county sent, "
                     "else the shipped one)")
    imp.set_defaults(func=_import_ledger)

    an = sub.add_parser("anonymise", help="anonymise exited children kept longer than the "
                        "retention period (匿名化过期退出档案)")
    workspace_args(an)
    an.add_argument("--dry-run", action="store_true", help="only list them (仅列出)")
    an.add_argument("--today", default=None, help=argparse.SUPPRESS)
    an.set_defaults(func=_anonymise)

    rt = sub.add_parser("retention", help="show or set (county) how many days an exited "
                        "child's file is kept in full (退出档案保存期限)")
    workspace_args(rt)
    rt.add_argument("--days", type=int, default=None, help="county: set the period")
    rt.set_defaults(func=_retention)


def _date(text: str | None, option: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise SurveyError(CommonCode.INPUT_001, path=option,
                          reason=f"not a date YYYY-MM-DD: {text[:20]}") from err


def _list(args: argparse.Namespace) -> int:
    flt = ChildFilter(search=args.search, township_code=args.township,
                      village_code=args.village, category=args.category,
                      risk_level=args.risk, urgent=True if args.urgent else None,
                      follow_up_due=args.due, include_exited=args.exited)
    as_of = _date(args.as_of, "--as-of")
    if args.ageing_out:
        return _ageing_out(args, flt, as_of)
    with open_workspace(args) as ws:
        rows = [{k: r.get(k) for k in LIST_FIELDS}
                for r in children.list_children(ws, flt, args.limit, as_of=as_of)]
        note_search(ws, args.search, len(rows), via="cli")
    text = "\n".join(f"{r['record_id'][:8]}  {r['child_name']}  {r['birth_date']}  "
                     f"{r['age_years']}岁  {r['village_code']}  {r['category_label']}  "
                     f"{r['risk_level']}"
                     + ("  强制报告" if r["urgent_report"] == "yes" else "") for r in rows)
    emit(args, rows, (text + "\n" if text else "") + f"{len(rows)} children / 名")
    return 0


def _ageing_out(args: argparse.Namespace, flt: ChildFilter, as_of: dt.date | None) -> int:
    with open_workspace(args) as ws:
        found = children.ageing_out(ws, within=args.within, as_of=as_of, flt=flt)
    rows = [a.to_dict() for a in found][: args.limit]
    text = "\n".join(f"{r['record_id'][:8]}  {r['child_name']}  {r['birth_date']}  "
                     f"{r['age']}岁  {r['on']}  {r['rule_zh']}" for r in rows)
    emit(args, rows, (text + "\n" if text else "") + f"{len(rows)} children / 名")
    return 0


def _show(args: argparse.Namespace) -> int:
    from surveyapp.ops.review import person_files

    with open_workspace(args) as ws:
        found = children.child_file(ws, args.record)
        person = person_files(ws, args.record)
        record_read(ws, "child", found.row.record_id, via="cli")
    answers = {k: v for k, v in found.row.data.items() if k != PREVIOUS}
    previous = dict(found.row.data.get(PREVIOUS) or {})
    data = {"record_id": found.row.record_id, "conflict": found.row.conflict,
            "answers": answers, "previous_answers": previous,
            "history": [asdict(h) for h in found.history],
            "person_id": person.person_id, "absorbed_by": person.absorbed_by,
            "other_files": [{"record_id": rid, "decision": how} for rid, how, _ in person.others]}
    lines = [f"{k}: {v}" for k, v in answers.items()]
    if previous:
        lines += ["", "earlier answers / 早前版本的答案（新表单已不再询问）:"]
        lines += [f"  {k}: {e.get('value')} ({e.get('form_id')}@{e.get('form_version')})"
                  for k, e in previous.items()]
    got = person.absorbed_by
    if got is not None and got.get("decision") == "moved":
        lines.insert(0, f"已迁至 / moved to {got.get('moved_to', '')} ({got.get('moved_on', '')}), "
                        f"file / 现档案: {person.person_id}")
    elif got is not None:
        lines.insert(0, f"已关联 / linked into: {person.person_id}")
    if person.others:
        lines.append("other files / 同一儿童的其他档案: "
                     + ", ".join(rid for rid, _, _ in person.others))
    lines += ["", "history / 历史:"] + [f"  {h.created_at} {h.author} {h.status}"
                                        + (" (head)" if h.is_head else "")
                                        + (f" ({h.note})" if h.note else "")
                                        for h in found.history]
    emit(args, data, "\n".join(lines))
    return 0


def _visit(args: argparse.Namespace) -> int:
    answers = children.read_answers(args.answers)
    lang = getattr(args, "lang", None) or "zh"
    with open_workspace(args) as ws:
        kwargs: dict[str, Any] = {"form_path": args.form} if args.form else {}
        record = children.save_visit(ws, answers, child_id=args.child, source=args.answers,
                                     lang=lang, new_anyway=args.new_anyway, **kwargs)
    emit(args, {"record_id": record}, f"saved / 已保存: {record}")
    return 0


def _exit(args: argparse.Namespace) -> int:
    date = args.date or dt.date.today().isoformat()
    with open_workspace(args) as ws:
        rev = children.record_exit(ws, args.record, args.reason, date, args.note)
    emit(args, {"record_id": args.record, "revision": rev},
         f"{args.record}: {args.reason} ({date})")
    return 0


def _import_ledger(args: argparse.Namespace) -> int:
    form: dict[str, Any] = {"form_path": args.form} if args.form else {}
    password = _ledger_password(args)
    if args.write_template:
        path = ledgerin.write_template(args.write_template, source=args.file,
                                       password=password, **form)
        emit(args, {"template": str(path)}, f"mapping template / 对照文件模板: {path}")
        return 0
    with open_workspace(args) as ws:
        result = ledgerin.import_ledger(
            ws, args.file, mapping=args.mapping, valid_only=args.valid_only,
            dry_run=args.dry_run, report=args.report, progress=progress_printer(args),
            password=password, **form)
    s = result.summary
    lines = [f"{p.where}\t{p.column}\t{p.value}\t{p.code.name}\t{p.reason(_lang(args))}"
             for p in s.problems[:50]]
    if len(s.problems) > 50:
        lines.append(f"… {len(s.problems) - 50} more / 另有 {len(s.problems) - 50} 条，见报告")
    lines.append(f"rows {s.rows}, valid {s.valid}, refused {s.refused}, duplicates "
                 f"{s.duplicates}, warnings {s.warnings}, imported {s.imported} / 共 {s.rows} "
                 f"行，通过 {s.valid}，未通过 {s.refused}，疑似重复 {s.duplicates}，"
                 f"已导入 {s.imported}")
    if result.report is not None:
        lines.append(f"report / 报告: {result.report}")
    data = {**s.to_dict(), "report": str(result.report or "")}
    error = ledgerin.refused_error(result)
    if error is not None and not args.dry_run:
        emit(args, data, "\n".join(lines))
        raise error
    emit(args, data, "\n".join(lines))
    return 0


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or "zh"


def _ledger_password(args: argparse.Namespace) -> str | None:
    if not args.password:
        return None
    return os.environ.get("SURVEYAPP_LEDGER_PASSWORD") or getpass.getpass(
        "台账文件密码 / ledger file password: ")


def _anonymise(args: argparse.Namespace) -> int:
    today = dt.date.fromisoformat(args.today) if args.today else None
    with open_workspace(args) as ws:
        days = children.retention_days(ws)
        found = children.anonymise_due(ws, dry_run=args.dry_run, today=today)
    verb = "would anonymise / 将匿名化" if args.dry_run else "anonymised / 已匿名化"
    text = "\n".join(f"{d['record_id']}  exited / 退出 {d['exit_date']}" for d in found)
    emit(args, {"days": days, "dry_run": args.dry_run, "children": found},
         (text + "\n" if text else "") + f"{verb}: {len(found)} (retention / 保存期限 {days} d)")
    return 0


def _retention(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        days = children.retention_days(ws, args.days)
    emit(args, {"days": days}, f"retention / 保存期限: {days} days / 天")
    return 0
