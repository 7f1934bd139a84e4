"""``surveyapp form check|fill``: the stable command-line contract of the forms engine.

- ``form check FORM.xlsx [--json]``: exit 0 when valid, 1 with the errors listed
  (``--json``: a JSON array of ``{code, sheet, row, column, message_zh, message_en}``).
- ``form fill FORM.xlsx --answers ANSWERS.json [--lang zh|en] [--today YYYY-MM-DD]``:
  prints ``{"values", "relevant", "errors", "complete"}``; exit 0 even with answer
  errors, 1 for a broken form or unreadable input.
- ``form current WS --user U [--out FORM.xlsx] [--json]``: the form the workspace uses
  (the one the county sent, else the shipped one): ``{"form_id", "version", "source"}``;
  ``--out`` writes the form .xlsx.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from surveyapp.errors import CommonCode, SurveyError

MAX_ANSWERS_BYTES = 10_000_000


def _error_json(err: SurveyError) -> dict[str, Any]:
    return {
        "code": err.code.name,
        "sheet": err.context.get("sheet"),
        "row": err.context.get("row"),
        "column": err.context.get("column"),
        "message_zh": err.message("zh"),
        "message_en": err.message("en"),
    }


def run_check(args: argparse.Namespace) -> int:
    from surveyapp.ops.forms import check

    result = check(args.form)
    for warning in result.warnings:
        print(f"[warning] {warning}", file=sys.stderr)
    if args.json:
        print(json.dumps([_error_json(e) for e in result.errors], ensure_ascii=False, indent=1))
    elif result.errors:
        for err in result.errors:
            print(f"[{err.code.name}] {err.message(args.lang)}", file=sys.stderr)
    else:
        form = result.form
        ok = "表单无误" if args.lang == "zh" else "The form is valid"
        detail = f"{form.form_id} {form.version}" if form else ""
        print(f"{ok}: {detail}")
    return 0 if result.ok else 1


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"number out of range: {text[:20]}")
    return value


def _read_answers(path: str) -> dict[str, Any]:
    if path != "-":
        from surveyapp.core.files import open_input

        with open_input(path) as fh:  # /dev/zero or a FIFO: refused before a byte is read
            raw = fh.read(MAX_ANSWERS_BYTES + 1)
    else:
        raw = sys.stdin.buffer.read(MAX_ANSWERS_BYTES + 1)
    if len(raw) > MAX_ANSWERS_BYTES:
        raise SurveyError(CommonCode.INPUT_002, path=path, size=len(raw), limit=MAX_ANSWERS_BYTES)
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_float=_finite_float)
    except RecursionError as err:  # nesting deeper than the interpreter's stack
        raise SurveyError(CommonCode.INPUT_001, path=path, reason="nested too deeply") from err
    except ValueError as err:  # bad UTF-8, bad JSON, an integer over 4300 digits, 1e999
        raise SurveyError(CommonCode.INPUT_001, path=path, reason=str(err)[:200]) from err
    if not isinstance(data, dict):
        raise SurveyError(CommonCode.INPUT_001, path=path, reason="not a JSON object")
    return data


def run_fill(args: argparse.Namespace) -> int:
    from surveyapp.ops.forms import fill_form

    answers = _read_answers(args.answers)
    today = None
    if args.today:
        try:
            today = dt.date.fromisoformat(args.today)
        except ValueError as err:
            raise SurveyError(CommonCode.INPUT_001, path="--today", reason=str(err)) from err
    result = fill_form(args.form, answers, lang=args.lang, today=today)
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    return 0


def register(subparsers: Any) -> None:
    """Add ``form check``, ``form fill`` and ``form current``."""
    form = subparsers.add_parser("form", help="check or fill an XLSForm / 检查或填写表单")
    sub = form.add_subparsers(dest="form_command", metavar="ACTION")
    sub.required = True
    check = sub.add_parser("check", help="check a form for errors / 检查表单")
    check.add_argument("form", help="FORM.xlsx")
    check.add_argument("--json", action="store_true", help="errors as a JSON array")
    check.set_defaults(func=run_check)
    fill = sub.add_parser("fill", help="fill a form from answers / 用答案填写表单")
    fill.add_argument("form", help="FORM.xlsx")
    fill.add_argument("--answers", required=True, help="ANSWERS.json (- for stdin)")
    fill.add_argument("--lang", choices=("zh", "en"), default=None, dest="fill_lang")
    fill.add_argument("--today", default=None, help="the date today() returns, YYYY-MM-DD")
    fill.set_defaults(func=_fill_with_lang)
    cur = sub.add_parser("current", help="the form this workspace uses / 本工作区使用的表单")
    cur.add_argument("workspace", help="workspace file (工作区文件)")
    cur.add_argument("--user", required=True, help="user name (用户名)")
    cur.add_argument("--out", metavar="FORM.xlsx", help="write the form there")
    cur.add_argument("--force", action="store_true", help="replace an existing --out file")
    cur.add_argument("--json", action="store_true", help='print {"form_id", "version"}')
    cur.set_defaults(func=run_current)


def run_current(args: argparse.Namespace) -> int:
    """``form current WS --user U [--out FORM.xlsx] [--json]``."""
    from surveyapp.cli._common import open_workspace
    from surveyapp.ops.forms import form_current

    with open_workspace(args) as ws:
        info = form_current(ws, args.out, overwrite=args.force)
    if args.json:
        print(json.dumps(info.to_dict(), ensure_ascii=False))
    else:
        zh = args.lang == "zh"
        source = ("县里下发" if info.source == "county" else "随软件提供") if zh else info.source
        print(f"{info.form_id}@{info.version} ({source})"
              + (f" → {info.written}" if info.written else ""))
    return 0


def _fill_with_lang(args: argparse.Namespace) -> int:
    if args.fill_lang:
        args.lang = args.fill_lang
    return run_fill(args)
