"""``surveyapp workspace|user|recovery|audit``: the encrypted workspace from the command line.

Passwords are never taken as arguments (other users of the machine could see them): the
current password comes from ``SURVEYAPP_PASSWORD`` or a prompt, a new password from
``SURVEYAPP_NEW_PASSWORD`` or a prompt asked twice. When standard input is not a terminal,
each prompt reads one line from it instead, in the order the command asks.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from surveyapp.errors import CommonCode, SurveyError


def _ask(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def _password(env: str = "SURVEYAPP_PASSWORD", prompt: str = "密码 / password: ") -> str:
    return os.environ.get(env) or _ask(prompt)


def _new_password() -> str:
    env = os.environ.get("SURVEYAPP_NEW_PASSWORD")
    if env:
        return env
    first = _ask("新密码 / new password: ")
    if sys.stdin.isatty() and _ask("再输入一次 / again: ") != first:
        raise SurveyError(CommonCode.INPUT_004)
    return first


def _print(result: Any, as_json: bool) -> None:
    data = (dataclasses.asdict(result)
            if dataclasses.is_dataclass(result) and not isinstance(result, type) else result)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, default=str))
    elif isinstance(data, dict):
        for key, value in data.items():
            print(f"{key}: {value}")
    else:
        print(data)


def _create(args: argparse.Namespace) -> int:
    from surveyapp.ops.workspace import create_workspace

    recipient = args.recovery_recipient
    info = create_workspace(args.path, role=args.role, org_code=args.org_code,
                            org_name=args.org_name, user=args.user,
                            password=_new_password(), recovery_recipient=recipient)
    _print(info, args.json)
    return 0


def _info(args: argparse.Namespace) -> int:
    from surveyapp.ops.workspace import workspace_info

    _print(workspace_info(args.path, args.user, _password()), args.json)
    return 0


def _user_add(args: argparse.Namespace) -> int:
    from surveyapp.ops.workspace import add_user

    users = add_user(args.path, args.user, _password(), args.new_user, _new_password())
    _print({"users": users}, args.json)
    return 0


def _passwd(args: argparse.Namespace) -> int:
    from surveyapp.ops.workspace import change_password

    change_password(args.path, args.user, _password(), _new_password())
    _print({"changed": args.user}, args.json)
    return 0


def _request(args: argparse.Namespace) -> int:
    from surveyapp.ops.workspace import recovery_request

    _print({"request": str(recovery_request(args.path, args.user, args.out))}, args.json)
    return 0


def _issue(args: argparse.Namespace) -> int:
    from surveyapp.ops.workspace import recovery_issue

    identity = ""
    try:
        for line in Path(args.identity).read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("AGE-SECRET-KEY-1"):
                identity = line.strip()
    except OSError as err:
        raise SurveyError(CommonCode.IO_004, path=args.identity,
                          reason=err.strerror or str(err)) from err
    issued = recovery_issue(args.request, identity, args.out)
    _print(issued, args.json)
    return 0


def _apply(args: argparse.Namespace) -> int:
    from surveyapp.ops.workspace import recovery_apply

    passphrase = os.environ.get("SURVEYAPP_RESET_PASSPHRASE") or _ask(
        "一次性口令 / one-time passphrase: ")
    user = recovery_apply(args.path, args.reset, passphrase, _new_password())
    _print({"reset": user}, args.json)
    return 0


def _verify(args: argparse.Namespace) -> int:
    """The chain, link by link, then against the key file's anchor; a failure prints the
    report and the coded error (AUDIT_001 broken, AUDIT_002 tail cut, AUDIT_003 rewritten)
    and exits 1."""
    from surveyapp.core.store import Workspace
    from surveyapp.ops.audit import verify_chain

    with Workspace.open(args.path, args.user, _password()) as ws:
        report = verify_chain(ws)
    data: dict[str, Any] = {
        "entries": report.entries, "head": report.head, "anchor": report.anchor,
        "broken": None if report.broken is None else {"seq": report.broken,
                                                      "reason": report.reason},
        "devices": report.devices}
    if report.error is not None:
        data.update(report.error.to_dict())
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(f"entries / 条数: {report.entries}  head / 链头: {report.head}  "
              f"anchor / 锚点: {report.anchor if report.anchor is not None else '-'}")
        for device, head in sorted(report.devices.items()):
            print(f"  received from / 收到 {device[:8]}: 1..{head}")
    if report.error is not None:
        print(f"[{report.error.code.name}] {report.error.message(args.lang)}", file=sys.stderr)
        return 1
    if not args.json:
        print("OK / 审计链完整")
    return 0


def _audit_rows(args: argparse.Namespace) -> list[Any]:
    from surveyapp.core.store import Workspace
    from surveyapp.ops.audit import list_entries

    with Workspace.open(args.path, args.user, _password()) as ws:
        return list_entries(ws, user=args.user_filter, record=args.child, action=args.action,
                            since=args.since, device=args.device,
                            received=not args.own_only, limit=args.limit)


def _line(row: Any) -> str:
    subject = " ".join(f"{k}={v}" for k, v in row.subject.items())
    where = f"{row.device[:8]}" + ("*" if row.received else "")
    return f"{row.seq:>6}  {row.time[:19].replace('T', ' ')}  {where}  {row.user}  " \
           f"{row.action}  {subject}"


def _list(args: argparse.Namespace) -> int:
    rows = _audit_rows(args)
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        print(_line(row))
    print(f"{len(rows)} entries / 条（* = received from another device / 下级设备上报）")
    return 0


def _show(args: argparse.Namespace) -> int:
    rows = [r for r in _audit_rows(args) if r.seq == args.seq
            and (args.device is not None or not r.received)]
    if not rows:
        raise SurveyError(CommonCode.INPUT_001, path=f"audit #{args.seq}",
                          reason="no such entry / 无此记录")
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        print(_line(row))
        for key, value in sorted(row.details.items()):
            print(f"    {key}: {value}")
    return 0


def _common(parser: argparse.ArgumentParser, *, user: bool = True) -> None:
    parser.add_argument("path", help="workspace file (工作区文件)")
    if user:
        parser.add_argument("--user", required=True, help="user name (用户名)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def register(subparsers: Any) -> None:
    ws = subparsers.add_parser("workspace", help="encrypted workspace (加密工作区)")
    ws_sub = ws.add_subparsers(dest="workspace_command", metavar="ACTION", required=True)
    create = ws_sub.add_parser("create", help="create a workspace (新建工作区)")
    _common(create)
    create.add_argument("--role", required=True, choices=("village", "township", "county"))
    create.add_argument("--org-code", required=True, help="12/9/6-digit org-unit code")
    create.add_argument("--org-name", required=True, help="org-unit name (单位名称)")
    create.add_argument("--recovery-recipient", metavar="AGE1…",
                        help="the county's recovery public key (县级恢复公钥)")
    create.set_defaults(func=_create)
    info = ws_sub.add_parser("info", help="describe a workspace (工作区信息)")
    _common(info)
    info.set_defaults(func=_info)

    user = subparsers.add_parser("user", help="workspace users (用户)")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="add a user (新增用户)")
    _common(add)
    add.add_argument("new_user", help="the new user's name")
    add.set_defaults(func=_user_add)
    passwd = user_sub.add_parser("passwd", help="change a password (修改密码)")
    _common(passwd)
    passwd.set_defaults(func=_passwd)

    rec = subparsers.add_parser("recovery", help="forgotten password (找回密码)")
    rec_sub = rec.add_subparsers(dest="recovery_command", metavar="ACTION", required=True)
    request = rec_sub.add_parser("request", help="write a recovery request (生成恢复申请)")
    _common(request)
    request.add_argument("--out", required=True, help="request file to write")
    request.set_defaults(func=_request)
    issue = rec_sub.add_parser("issue", help="county: issue a reset file (县级签发重置文件)")
    issue.add_argument("request", help="the recovery request file")
    issue.add_argument("--identity", required=True,
                       help="file holding the county recovery identity (AGE-SECRET-KEY-1…)")
    issue.add_argument("--out", required=True, help="reset file to write")
    issue.add_argument("--json", action="store_true", help="print the result as JSON")
    issue.set_defaults(func=_issue)
    apply = rec_sub.add_parser("apply", help="set a new password from a reset file (重置密码)")
    _common(apply, user=False)
    apply.add_argument("reset", help="the reset file from the county")
    apply.set_defaults(func=_apply)

    audit = subparsers.add_parser("audit", help="audit log (审计日志)")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser("verify", help="check the hash chain (校验审计链)")
    _common(verify)
    verify.set_defaults(func=_verify)
    listing = audit_sub.add_parser("list", help="read the log, with filters (查看审计日志)")
    _common(listing)
    _filters(listing)
    listing.add_argument("--limit", type=int, default=None, help="only the last N entries")
    listing.set_defaults(func=_list)
    show = audit_sub.add_parser("show", help="one entry with every detail (审计记录详情)")
    _common(show)
    show.add_argument("seq", type=int, help="the entry's number (序号)")
    _filters(show)
    show.set_defaults(func=_show, limit=None)


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--child", metavar="RECORD", help="entries about this record id "
                        "(or its first 8+ characters) (某儿童档案)")
    parser.add_argument("--action", help="read, export, save, import, … (操作)")
    parser.add_argument("--user-filter", metavar="NAME", help="entries by this user (操作人)")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="entries on or after this day")
    parser.add_argument("--device", metavar="ID", help="entries of this device (id prefix)")
    parser.add_argument("--own-only", action="store_true",
                        help="only this workspace's own entries, not those received")
