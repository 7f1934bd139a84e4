"""Workspace operations for the UI and the CLI: create, describe, users, recovery, audit.

Each function takes plain arguments and returns a dataclass; nothing prints.

    create_workspace(path, *, role, org_code, org_name, user, password,
                     recovery_recipient=None) -> WorkspaceInfo
    create_and_open(path, *, role, org_code, org_name, user, password,
                    recovery_recipient=None) -> Workspace     # the desktop app's wizard
    open_workspace(path, user, password) -> Workspace         # the desktop app's login
    check_recovery_recipient(text) -> str                     # an ``age1…`` public key
    workspace_info(path, user, password) -> WorkspaceInfo
    add_user(path, user, password, new_user, new_password) -> list[str]
    change_password(path, user, old_password, new_password) -> None
    recovery_request(path, user, out) -> Path
    recovery_issue(request_path, identity, out) -> ResetIssued(path, passphrase, user)
    recovery_apply(path, reset_path, passphrase, new_password) -> str (user)
    verify_audit(path, user, password) -> AuditReport(entries, broken)
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from surveyapp.core.store import Workspace, recovery
from surveyapp.core.store.audit import BrokenLink
from surveyapp.errors import CommonCode, SurveyError


@dataclass(frozen=True, slots=True)
class WorkspaceInfo:
    path: Path
    workspace_id: str
    role: str
    org_code: str
    org_name: str
    schema_version: int
    users: tuple[str, ...]
    children: int
    revisions: int
    recovery_enrolled: bool


@dataclass(frozen=True, slots=True)
class ResetIssued:
    """A reset file written for ``user``; ``passphrase`` must reach them by another way."""

    path: Path
    passphrase: str
    user: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    entries: int
    broken: BrokenLink | None


def _info(ws: Workspace) -> WorkspaceInfo:
    from surveyapp.core.store import keys

    keyfile = keys.read(ws.path)
    row = ws.conn.one("SELECT count(*) FROM revisions")
    return WorkspaceInfo(
        ws.path, ws.workspace_id, ws.role, ws.org_code, ws.org_name, ws.schema_version,
        tuple(sorted(keyfile.users)), ws.count_children(None), int(row[0]) if row else 0,
        keyfile.recovery_wrapped is not None,
    )


def create_and_open(
    path: str | Path, *, role: str, org_code: str, org_name: str, user: str, password: str,
    recovery_recipient: str | None = None,
) -> Workspace:
    """Create a workspace and its key file, and keep it open (the caller closes it).

    :raises SurveyError: STORE_006 exists, STORE_008 short password, crypto errors for a bad
        recovery recipient.
    """
    return Workspace.create(path, role=role, org_code=org_code, org_name=org_name, user=user,
                            password=password, recovery_recipient=recovery_recipient)


def create_workspace(
    path: str | Path, *, role: str, org_code: str, org_name: str, user: str, password: str,
    recovery_recipient: str | None = None,
) -> WorkspaceInfo:
    """Create a workspace and its key file.

    :raises SurveyError: STORE_006 exists, STORE_008 short password, crypto errors for a bad
        recovery recipient.
    """
    with create_and_open(path, role=role, org_code=org_code, org_name=org_name, user=user,
                         password=password, recovery_recipient=recovery_recipient) as ws:
        return _info(ws)


def open_workspace(path: str | Path, user: str, password: str) -> Workspace:
    """Unlock ``path`` for ``user`` and keep it open (the caller closes it).

    :raises SurveyError: the store's open errors (wrong password, wait, damaged file, …).
    """
    return Workspace.open(path, user, password)


def check_recovery_recipient(text: str) -> str:
    """``text`` as an age X25519 public key (``age1…``), the county's recovery key.

    :raises SurveyError: the crypto area's code for a key that is not one.
    """
    from surveyapp.core.crypto import wrap_to_recipients

    recipient = text.strip()
    wrap_to_recipients(b"\0" * 32, [recipient])  # parses the key exactly as create will
    return recipient


def workspace_info(path: str | Path, user: str, password: str) -> WorkspaceInfo:
    """Unlock and describe a workspace (no personal data).

    :raises SurveyError: the store's open errors.
    """
    with Workspace.open(path, user, password) as ws:
        return _info(ws)


def add_user(
    path: str | Path, user: str, password: str, new_user: str, new_password: str
) -> list[str]:
    """Add ``new_user`` (an existing user unlocks); returns every user name.

    :raises SurveyError: STORE_007 name taken, STORE_008 short password, open errors.
    """
    with Workspace.open(path, user, password) as ws:
        ws.add_user(new_user, new_password)
        return ws.users()


def change_password(path: str | Path, user: str, old_password: str, new_password: str) -> None:
    """Change ``user``'s password (the database is not re-encrypted).

    :raises SurveyError: STORE_001 wrong password, STORE_008 short new password.
    """
    with Workspace.open(path, user, old_password) as ws:
        ws.change_password(old_password, new_password)


def _write_new(out: Path, data: bytes) -> None:
    if out.exists():
        raise SurveyError(CommonCode.IO_003, path=str(out), reason="file exists")
    from surveyapp.core.files import write_private

    tmp = out.with_name(out.name + ".tmp")
    try:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()  # left by a killed earlier attempt
        write_private(tmp, data)
        os.replace(tmp, out)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise SurveyError(CommonCode.IO_003, path=str(out),
                          reason=err.strerror or str(err)) from err


def _read(path: Path) -> bytes:
    """A recovery request or reset file (a few KB).

    :raises SurveyError: IO_002, INPUT_005 (not a regular file), IO_004, INPUT_002.
    """
    from surveyapp.core.files import read_input

    return read_input(path, 1 << 20)


def recovery_request(path: str | Path, user: str, out: str | Path) -> Path:
    """Write the recovery request file for ``user`` (no password needed).

    :raises SurveyError: STORE_009 no recovery key enrolled; IO errors.
    """
    target = Path(out)
    _write_new(target, recovery.make_request(Path(path), user))
    return target


def recovery_issue(request_path: str | Path, identity: str, out: str | Path) -> ResetIssued:
    """County side: write the reset file; the returned passphrase goes to the user by phone.

    :param identity: the county recovery identity (``AGE-SECRET-KEY-1…``).
    :raises SurveyError: STORE_010 damaged request, STORE_011 wrong identity, IO errors.
    """
    import json

    raw = _read(Path(request_path))
    reset, passphrase = recovery.issue_reset(raw, identity, where=str(request_path))
    user = str(json.loads(reset.decode("utf-8")).get("user", ""))
    target = Path(out)
    _write_new(target, reset)
    return ResetIssued(target, passphrase, user)


def recovery_apply(
    path: str | Path, reset_path: str | Path, passphrase: str, new_password: str
) -> str:
    """Set a new password from a county reset file; returns the user name.

    :raises SurveyError: STORE_010 wrong file or passphrase, STORE_008 short password.
    """
    raw = _read(Path(reset_path))
    return recovery.apply_reset(Path(path), raw, passphrase, new_password,
                                where=str(reset_path))


def verify_audit(path: str | Path, user: str, password: str) -> AuditReport:
    """Check the audit chain; ``broken`` names the first broken link (None: intact).

    :raises SurveyError: the store's open errors.
    """
    with Workspace.open(path, user, password) as ws:
        broken = ws.verify_audit()
        row = ws.conn.one("SELECT count(*) FROM audit")
        return AuditReport(int(row[0]) if row else 0, broken)
