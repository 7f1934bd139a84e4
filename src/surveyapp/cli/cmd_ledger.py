"""``surveyapp ledger export``, ``surveyapp stats``, ``surveyapp export department``.

Rows come from ``--workspace PATH --user NAME`` (the workspace password from
``SURVEYAPP_PASSWORD`` or a prompt; the role and county name are the workspace's own) or
from ``--rows FILE.jsonl`` (child rows, one JSON object a line). ``--password`` protects
an .xlsx with a password read from ``SURVEYAPP_EXPORT_PASSWORD`` or asked for twice; it
is never taken on the command line, where other users of the machine could see it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from surveyapp.core.ledger import CATEGORY_FLAGS, PRESETS, RISK_LEVELS, STATUSES, ChildQuery
from surveyapp.core.ledger.codes import LedgerCode
from surveyapp.errors import CommonCode, SurveyError


def _source_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("rows / 数据来源")
    src = group.add_mutually_exclusive_group(required=True)
    src.add_argument("--workspace", metavar="PATH", help="workspace file (工作区文件)")
    src.add_argument("--rows", metavar="FILE.jsonl", help="child rows, one JSON object a line")
    group.add_argument("--user", help="workspace user name (工作区用户名)")
    group.add_argument("--county", default="", help="county name for titles (县名，默认取工作区)")
    group.add_argument("--role", choices=("village", "township", "county"), default=None,
                       help="exporting role with --rows (默认 village)")


def _as_of_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", default=None, dest="as_of",
                        help="count ages and age-bound categories as of this date "
                        "(default: today) / 按此日期计算年龄和类别（默认今天）")


def _as_of(args: argparse.Namespace) -> dt.date | None:
    if not getattr(args, "as_of", None):
        return None
    try:
        return dt.date.fromisoformat(args.as_of)
    except ValueError as err:
        raise SurveyError(CommonCode.INPUT_001, path="--as-of",
                          reason=f"not a date YYYY-MM-DD: {args.as_of[:20]}") from err


def _scope_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("scope and filters / 范围与筛选")
    group.add_argument("--township", metavar="CODE", help="9-digit township code")
    group.add_argument("--village", metavar="CODE", help="12-digit village code")
    group.add_argument("--category", action="append", choices=sorted(CATEGORY_FLAGS),
                       default=[], help="repeatable: any of these categories")
    group.add_argument("--risk", action="append", choices=RISK_LEVELS, default=[])
    group.add_argument("--status", action="append", choices=STATUSES, default=[])


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("output", help="the .xlsx (or .csv with --csv) to write")
    parser.add_argument("--csv", action="store_true", help="CSV with a UTF-8 BOM")
    parser.add_argument("--password", action="store_true",
                        help="password-protect the .xlsx (SURVEYAPP_EXPORT_PASSWORD or prompt)")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def register(subparsers: Any) -> None:
    ledger = subparsers.add_parser("ledger", help="county ledger (台账)")
    ledger_sub = ledger.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)
    export = ledger_sub.add_parser("export", help="write the ledger .xlsx / .csv (导出台账)")
    _source_options(export)
    _scope_options(export)
    _output_options(export)
    export.add_argument("--mask", action="store_true", help="mask ID and phone numbers")
    _as_of_option(export)
    export.add_argument("--all-fields", action="store_true", dest="all_fields",
                        help="every question of every form version, by name (全部字段；"
                        "only with --workspace)")
    export.set_defaults(func=run_ledger_export)
    moved = ledger_sub.add_parser("moves", help="children who moved village (迁移儿童)")
    moved.add_argument("--workspace", metavar="PATH", required=True,
                       help="workspace file (工作区文件)")
    moved.add_argument("--user", help="workspace user name (工作区用户名)")
    moved.add_argument("--json", action="store_true", help="print the moves as JSON")
    moved.set_defaults(func=run_moves)

    stats = subparsers.add_parser("stats", help="statistics (统计)")
    _source_options(stats)
    stats.add_argument("--xlsx", metavar="OUT", help="write the statistics with charts")
    stats.add_argument("--force", action="store_true", help="replace an existing file")
    stats.add_argument("--json", action="store_true", help="print every table as JSON")
    _as_of_option(stats)
    stats.set_defaults(func=run_stats)

    top = subparsers.add_parser("export", help="department lists (部门名单)")
    top_sub = top.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    dept = top_sub.add_parser("department", help="one department's list (部门名单)")
    dept.add_argument("--preset", required=True, choices=sorted(PRESETS))
    dept.add_argument("--reveal", action="store_true",
                      help="full ID/phone numbers (only roles the preset allows)")
    _source_options(dept)
    _scope_options(dept)
    _output_options(dept)
    _as_of_option(dept)
    dept.set_defaults(func=run_department)


@dataclass(frozen=True, slots=True)
class _Source:
    rows: Iterable[Mapping[str, Any]]
    county: str
    role: str
    total: int
    visits: Iterable[Mapping[str, Any]] | None = None
    form: Any = None
    workspace: Any = None


@contextmanager
def _source(args: argparse.Namespace, query: ChildQuery | None = None, *,
            ordered: bool = False) -> Iterator[_Source]:
    """The rows to export: from ``--rows`` or from the workspace (closed afterwards), one
    row per person; ``ordered``: in print order (urgent children first, then by village and
    the pinyin of the name)."""
    if args.rows:
        from surveyapp.core.ledger.order import print_order
        from surveyapp.ops.ledger import read_rows_jsonl

        rows: Iterable[Mapping[str, Any]] = read_rows_jsonl(args.rows)
        yield _Source(print_order(rows) if ordered else rows, args.county,
                      args.role or "village", 0)
        return
    if not args.user:
        raise SurveyError(LedgerCode.LEDGER_010, path=args.workspace)
    from surveyapp.cli._common import open_workspace
    from surveyapp.ops.forms import current_form
    from surveyapp.ops.ledger import iter_workspace_rows, iter_workspace_visits, store_filter

    with open_workspace(args) as ws:
        yield _Source(
            iter_workspace_rows(ws, query, ordered=ordered), args.county or ws.org_name,
            ws.role, ws.count_children(store_filter(query)), iter_workspace_visits(ws),
            current_form(ws), ws,
        )


def _labels(src: _Source) -> Any:
    """The workspace form's labels (None: the shipped form's, for ``--rows``)."""
    if src.form is None:
        return None
    from surveyapp.core.ledger import FormLabels

    return FormLabels.from_model(src.form)


def _query(args: argparse.Namespace) -> ChildQuery:
    return ChildQuery(township_code=args.township, village_code=args.village,
                      categories=tuple(args.category), risk_levels=tuple(args.risk),
                      statuses=tuple(args.status))


def _export_password(args: argparse.Namespace) -> str | None:
    if not args.password:
        return None
    env = os.environ.get("SURVEYAPP_EXPORT_PASSWORD")
    if env:
        return env
    first = getpass.getpass("文件密码 / file password: ")
    if getpass.getpass("再次输入 / again: ") != first:
        raise SurveyError(CommonCode.INPUT_004)
    return first


def _progress(args: argparse.Namespace) -> Any:
    if args.json or not sys.stderr.isatty():
        return None
    return lambda done, total: print(f"\r{done}/{total or '?'}", end="", file=sys.stderr)


def _report(args: argparse.Namespace, result: Any) -> int:
    if args.json:
        print(json.dumps({"path": str(result.path), "rows": result.rows,
                          "masked": result.masked, "encrypted": result.encrypted},
                         ensure_ascii=False))
    else:
        zh = args.lang == "zh"
        print(f"{'已导出' if zh else 'Exported'} {result.rows} "
              f"{'名儿童' if zh else 'children'}: {result.path}")
    return 0


def run_ledger_export(args: argparse.Namespace) -> int:
    from surveyapp.ops.ledger import export_ledger_file

    password = _export_password(args)
    query = _query(args)
    if getattr(args, "all_fields", False):
        return _all_fields(args, query, password)
    with _source(args, query, ordered=True) as src:
        result = export_ledger_file(
            src.rows, args.output, county_name=src.county, query=query,
            fmt="csv" if args.csv else "xlsx", mask=args.mask, password=password,
            overwrite=args.force, total=src.total, progress=_progress(args),
            as_of=_as_of(args), form=src.form, labels=_labels(src),
            audit=src.workspace,
        )
    return _report(args, result)


def _all_fields(args: argparse.Namespace, query: ChildQuery, password: str | None) -> int:
    if args.rows:
        raise SurveyError(LedgerCode.LEDGER_011, path=args.rows)
    if not args.user:
        raise SurveyError(LedgerCode.LEDGER_010, path=args.workspace)
    from surveyapp.cli._common import open_workspace
    from surveyapp.ops.ledger import export_all_fields_file

    with open_workspace(args) as ws:
        result = export_all_fields_file(
            ws, args.output, query=query, fmt="csv" if args.csv else "xlsx",
            password=password, overwrite=args.force, progress=_progress(args))
    return _report(args, result)


def run_department(args: argparse.Namespace) -> int:
    from surveyapp.ops.ledger import export_department_file

    password = _export_password(args)
    query = _query(args)
    with _source(args, query, ordered=True) as src:
        result = export_department_file(
            src.rows, args.output, args.preset, county_name=src.county, role=src.role,
            reveal=args.reveal, query=query, fmt="csv" if args.csv else "xlsx",
            password=password, overwrite=args.force, progress=_progress(args),
            as_of=_as_of(args), form=src.form, labels=_labels(src),
            audit=src.workspace,
        )
    return _report(args, result)


def run_stats(args: argparse.Namespace) -> int:
    from surveyapp.ops.ledger import compute_county_stats, export_stats_file, possible_duplicates

    as_of = _as_of(args)
    with _source(args) as src:
        undecided = possible_duplicates(src.workspace) if src.workspace is not None else 0
        if args.xlsx:
            stats = export_stats_file(src.rows, args.xlsx, county_name=src.county,
                                      overwrite=args.force, visits=src.visits, as_of=as_of,
                                      form=src.form, labels=_labels(src),
                                      possible_duplicates=undecided,
                                      audit=src.workspace).stats
        else:
            stats = compute_county_stats(src.rows, county_name=src.county, visits=src.visits,
                                         as_of=as_of, form=src.form, labels=_labels(src))
            if src.workspace is not None:
                from surveyapp.ops.audit import record_read

                record_read(src.workspace, "stats", count=stats.children)
    if args.json:
        tables = {
            key: {"title": t.title, "columns": [c for c, _ in t.columns],
                  "rows": {r: t.matrix()[i] for i, (r, _) in enumerate(t.rows)},
                  "note": t.note}
            for key, t in stats.tables.items()
        }
        print(json.dumps({"children": stats.children, "exited": stats.exited,
                          "as_of": (as_of or dt.date.today()).isoformat(),
                          "possible_duplicates": undecided, "tables": tables},
                         ensure_ascii=False))
        return 0
    table = stats.table("category_by_township")
    heads = [label for _, label in table.columns]
    print("\t".join([table.row_header, *heads]))
    for (_, label), values in zip(table.rows, table.matrix(), strict=True):
        print("\t".join([label, *map(str, values)]))
    print("\t".join(["合计", *(str(table.column_total(c)) for c, _ in table.columns)]))
    if undecided:
        print(f"{undecided} 对疑似重复尚未审核，名单：surveyapp review duplicates "
              f"{args.workspace} --user {args.user} / {undecided} possible duplicates not yet "
              "reviewed (list: surveyapp review duplicates)")
    if args.xlsx:
        print(f"{'已写入' if args.lang == 'zh' else 'Written'}: {args.xlsx}")
    return 0


def run_moves(args: argparse.Namespace) -> int:
    from surveyapp.cli._common import emit, open_workspace
    from surveyapp.ops.review import moves

    if not args.user:
        raise SurveyError(LedgerCode.LEDGER_010, path=args.workspace)
    with open_workspace(args) as ws:
        found = moves(ws)
    data = [{"old_record": m.old_record, "new_record": m.new_record,
             "child_name": m.child_name, "moved_from": m.moved_from, "moved_to": m.moved_to,
             "moved_on": m.moved_on} for m in found]
    emit(args, data, "\n".join(f"{m.moved_on}  {m.child_name}  {m.moved_from} → {m.moved_to}"
                               f"  ({m.old_record[:8]} → {m.new_record[:8]})" for m in found)
         or "没有迁移记录 / no moves")
    return 0
