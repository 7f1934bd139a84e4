"""``surveyapp trust …``: county keys, device enrollment, revocation and signed updates."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import asdict
from typing import Any

from surveyapp.cli._common import emit, open_workspace, workspace_args
from surveyapp.core.store import Workspace
from surveyapp.ops import trust


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("trust", help="keys, enrollment, revocation (密钥与设备登记)")
    sub = p.add_subparsers(dest="trust_command", metavar="ACTION")
    sub.required = True

    def add(name: str, help_text: str, func: Any) -> argparse.ArgumentParser:
        q: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
        workspace_args(q)
        q.set_defaults(func=func)
        return q

    add("init-county", "create the county's signing, encryption and recovery keys "
        "(创建县级密钥)", _init)
    q = add("enroll-request", "write this device's enrollment request (生成登记申请)", _request)
    q.add_argument("--out", required=True, help="request file to write")
    q = add("enroll", "county: sign a device's request into an enrollment file (登记设备)",
            _enroll)
    q.add_argument("request", help="the device's enrollment request file")
    q.add_argument("--out", required=True, help="enrollment file to write")
    q.add_argument("--form", help="form .xlsx to send as the current form package")
    q = add("accept", "device: accept the county's enrollment file (导入登记文件)", _accept)
    q.add_argument("file")
    q.add_argument("--fingerprint", help="the county key code the county gave on paper or "
                   "by phone; refuse the file when it differs (县级密钥核对码)")
    q = add("revoke", "county: revoke a device, for good (注销设备)", _revoke)
    q.add_argument("device_id")
    q = add("readmit", "county: re-admit a revoked device, audited (重新接纳已注销设备)",
            _readmit)
    q.add_argument("device_id")
    q.add_argument("--reason", required=True, help="why (kept in the audit log)")
    q = add("update", "county: write a signed trust update for a unit (生成信任更新)", _update)
    q.add_argument("--for", dest="for_org", required=True, help="township or village code")
    q.add_argument("--out", required=True)
    q.add_argument("--form", help="form .xlsx to send as the current form package")
    q = add("apply", "device: apply a county trust update (导入信任更新)", _apply)
    q.add_argument("file")
    add("devices", "list the enrolled devices this workspace knows (设备列表)", _devices)
    q = add("public-key", "print a minisign public key, for 'minisign -V' (公钥)", _pubkey)
    q.add_argument("--device", help="a device id (default: this workspace's own key)")
    q = add("export-identity", "county: write its age identity for batches or for password "
            "recovery to a file, for 'age -d -i' / 'recovery issue' (导出县级私钥)", _identity)
    q.add_argument("--key", choices=sorted(trust.IDENTITIES), required=True,
                   help="batches: decrypts every batch sent to the county; recovery: for "
                        "'surveyapp recovery issue'")
    q.add_argument("--out", required=True, help="the new file (never overwritten), mode 0600")


_IDENTITY_WARNING = (
    "警告：{path} 中是县级私钥（{key}），得到它的人可以{what_zh}。"
    "只在离线电脑上使用，用完立即删除，不要复制到U盘或发给任何人。\n"
    "WARNING: {path} holds the county's secret key ({key}): whoever has it can {what_en}. "
    "Use it on an offline computer only, delete it after use, never copy or send it."
)


def _identity(args: argparse.Namespace) -> int:
    # Always asked, even when SURVEYAPP_PASSWORD is set: a secret key leaves the workspace.
    password = _ask_password("导出私钥需要再次输入工作区密码 / workspace password: ")
    with Workspace.open(args.workspace, args.user, password) as ws:
        path = trust.export_identity(ws, args.key, args.out)
    batches = args.key == "batches"
    print(_IDENTITY_WARNING.format(
        path=path, key=args.key,
        what_zh="解开发给县里的所有数据包" if batches else "重置所有工作区的密码",
        what_en="read every batch sent to the county" if batches
        else "reset the password of every workspace"), file=sys.stderr)
    emit(args, {"path": str(path), "key": args.key}, f"written: {path} (mode 0600)")
    return 0


def _ask_password(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def _init(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        info = trust.init_county(ws)
    emit(args, asdict(info), f"county keys created; signing key {info.key_id}\n"
         f"encryption recipient: {info.age_recipient}\n"
         f"recovery recipient:   {info.recovery_recipient}\n"
         f"county key code (县级密钥核对码): {info.fingerprint}\n"
         "Give this code to every township and village on paper or by phone; they compare "
         "it when they accept their enrollment.")
    return 0


def _request(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        path = trust.write_enroll_request(ws, args.out)
    emit(args, {"path": str(path)}, f"enrollment request written: {path}")
    return 0


def _enroll(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        res = trust.enroll_device(ws, args.request, args.out, form=args.form)
    text = f"enrolled {res.device_id} ({res.role} {res.org_code}): {res.path}"
    for update in res.updates:
        text += (f"\ntrust update written: {update} (give it to {update.name.split('_')[0]}: "
                 "'surveyapp trust apply'; until then it refuses the new device's batches)")
    emit(args, {**asdict(res), "path": str(res.path), "updates": [str(u) for u in res.updates]},
         text)
    return 0


def _applied(args: argparse.Namespace, applied: Any, what: str) -> None:
    data = asdict(applied)
    emit(args, data, f"{what}: update {applied.serial}, {applied.devices} devices, "
         f"{len(applied.revoked)} revoked, form {applied.form or '-'}")


def _accept(args: argparse.Namespace) -> int:
    code = trust.enrollment_fingerprint(args.file)
    with open_workspace(args) as ws:
        applied = trust.accept_enrollment(ws, args.file, fingerprint=args.fingerprint)
    data = {**asdict(applied), "county_fingerprint": code,
            "fingerprint_checked": args.fingerprint is not None}
    check = ("matches the code you gave" if args.fingerprint is not None else
             "COMPARE it with the code the county gave you on paper or by phone; if they "
             "differ, do not export anything and call the county "
             "(请与县里书面或电话提供的核对码比对；不一致时请勿导出数据并联系县里)")
    emit(args, data, f"enrolled: update {applied.serial}, {applied.devices} devices, "
         f"{len(applied.revoked)} revoked, form {applied.form or '-'}\n"
         f"county key code (县级密钥核对码): {code} - {check}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        entry = trust.revoke_device(ws, args.device_id)
    emit(args, asdict(entry), f"revoked {entry.device_id} ({entry.org_code}); send a trust "
         "update to the township")
    return 0


def _readmit(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        entry = trust.readmit_device(ws, args.device_id, args.reason)
    emit(args, asdict(entry), f"re-admitted {entry.device_id} ({entry.org_code}); the "
         "decision is in the audit log; send a trust update to the township")
    return 0


def _update(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        path = trust.write_update(ws, args.for_org, args.out, form=args.form)
    emit(args, {"path": str(path)}, f"trust update written: {path}")
    return 0


def _apply(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        _applied(args, trust.apply_update(ws, args.file), "applied")
    return 0


def _devices(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        devices = trust.list_devices(ws)
        code = trust.county_fingerprint(ws)
    lines = [f"county key code (县级密钥核对码): {code}"] if code else []
    lines += [f"{d.device_id}  {d.role:<8} {d.org_code:<12} {d.org_name}"
             f"{'  REVOKED' if d.revoked else ''}" for d in devices]
    emit(args, [asdict(d) for d in devices], "\n".join(lines) or "(none)")
    return 0


def _pubkey(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        text = trust.public_key_text(ws, args.device)
    emit(args, {"public_key": text}, text.rstrip("\n"))
    return 0
