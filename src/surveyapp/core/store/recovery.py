"""Password recovery through the county's recovery key.

1. The user (who forgot the password) makes a **request file** on the device:
   ``make_request(db_path, user) -> bytes``. It holds the workspace id, the user name, a
   random request id, and the database key wrapped to the county's X25519 recovery
   recipient, copied from the key file. Nothing in it opens the workspace without the
   county's recovery identity.
2. The county's tool, holding the recovery identity, unwraps the key and **issues a reset
   file**: ``issue_reset(request, identity) -> (reset bytes, one-time passphrase)``. The
   key is re-wrapped under a fresh random one-time passphrase (scrypt), which the county
   tells the user over the phone or on paper: the file alone, found on a USB stick, opens
   nothing, and the passphrase alone is useless without the file.
3. The user **applies** it: ``apply_reset(db_path, reset, one_time_passphrase, new_password)``
   unwraps the key, proves that it opens this very workspace, sets the user's new password,
   clears the wrong-password counter and writes a ``recovery`` audit entry.

A reset file is **bound** and **single-use**. What the one-time passphrase wraps is not the
bare key but the canonical JSON of ``{db_key, request_id, user, workspace_id}``: the
passphrase's AEAD authenticates the user, workspace and request the county issued it for,
and the file's readable fields must equal them (an edited ``user`` is refused, STORE_010).
The request id of every reset applied is kept inside the encrypted workspace
(``recovery.used.<request_id>``); the same file applied again is refused (STORE_020).

Nobody without the county's recovery identity can make a reset file that works: the only
copy of the database key outside the users' password wraps is the one wrapped to the county.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import replace
from pathlib import Path
from typing import Any

from surveyapp.core.store import keys
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.store.codes import StoreCode
from surveyapp.core.store.revisions import utc_now
from surveyapp.errors import SurveyError

REQUEST_FORMAT = "surveyapp-recovery-request"
RESET_FORMAT = "surveyapp-recovery-reset"
VERSION = 1
# Version 2 of the reset file: the passphrase wraps the key *with* its binding (version 1
# wrapped the bare key, so its user field could be edited; it is refused).
RESET_VERSION = 2
_BOUND = ("request_id", "user", "workspace_id")
USED_PREFIX = "recovery.used."
# An alphabet without look-alikes (no 0/O, 1/I/L), read out over the phone in groups of 4.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_GROUPS = 5


def _load(raw: bytes, fmt: str, where: str, version: int = VERSION) -> dict[str, Any]:
    try:
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != fmt or doc.get("version") != version:
            raise ValueError("not a recovery file of this version")
        return doc
    except (ValueError, UnicodeDecodeError) as err:
        raise SurveyError(StoreCode.STORE_010, path=where, reason="format") from err


def make_request(db_path: Path, user: str) -> bytes:
    """The recovery request file content for ``user`` of the workspace at ``db_path``.

    :raises SurveyError: STORE_005 missing key file; STORE_009 when the workspace has no
        recovery key; STORE_001 for an unknown user.
    """
    keyfile = keys.read(db_path)
    if keyfile.recovery_wrapped is None:
        raise SurveyError(StoreCode.STORE_009)
    if user not in keyfile.users:
        raise SurveyError(StoreCode.STORE_001, path=str(db_path), wait_seconds=0)
    doc = {
        "format": REQUEST_FORMAT, "version": VERSION, "request_id": secrets.token_hex(16),
        "workspace_id": keyfile.workspace_id, "user": user, "created_at": utc_now(),
        "recipient": keyfile.recovery_recipient,
        "wrapped": base64.b64encode(keyfile.recovery_wrapped).decode("ascii"),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def one_time_passphrase() -> str:
    """A random passphrase of 5 groups of 4 characters (about 99 bits)."""
    return "-".join(
        "".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(_GROUPS)
    )


def issue_reset(
    request: bytes, identity: str, *, work_factor: int = keys.WORK_FACTOR,
    where: str = "request",
) -> tuple[bytes, str]:
    """County side: the reset file and the one-time passphrase to tell the user.

    :param identity: the county's recovery identity (``AGE-SECRET-KEY-1…``).
    :raises SurveyError: STORE_010 for a damaged request; STORE_011 when ``identity`` is
        not the one the workspace was enrolled with.
    """
    from surveyapp.core.crypto import unwrap_with_identity, wrap_with_passphrase

    doc = _load(request, REQUEST_FORMAT, where)
    try:
        wrapped = base64.b64decode(doc["wrapped"])
        db_key = bytes(unwrap_with_identity(wrapped, identity))
    except (KeyError, ValueError) as err:
        raise SurveyError(StoreCode.STORE_010, path=where, reason="content") from err
    except SurveyError as err:
        raise SurveyError(StoreCode.STORE_011) from err
    if len(db_key) != 32:
        raise SurveyError(StoreCode.STORE_010, path=where, reason="key length")
    bound = {name: doc.get(name) for name in _BOUND}
    if not all(isinstance(v, str) and v for v in bound.values()):
        raise SurveyError(StoreCode.STORE_010, path=where, reason="content")
    passphrase = one_time_passphrase()
    inner = canonical_json({**bound, "db_key": db_key.hex()})
    reset = {
        "format": RESET_FORMAT, "version": RESET_VERSION, **bound,
        "issued_at": utc_now(),
        "wrapped": base64.b64encode(
            wrap_with_passphrase(inner, passphrase, work_factor=work_factor)
        ).decode("ascii"),
    }
    return json.dumps(reset, ensure_ascii=False, indent=1).encode("utf-8"), passphrase


def _unbind(inner: bytes, doc: dict[str, Any], where: str) -> bytes:
    """The database key from the unwrapped binding, once it matches the file's fields."""
    try:
        bound = json.loads(inner.decode("utf-8"))
        db_key = bytes.fromhex(str(bound["db_key"]))
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise SurveyError(StoreCode.STORE_010, path=where, reason="content") from err
    if len(db_key) != 32 or any(bound.get(n) != doc.get(n) for n in _BOUND):
        raise SurveyError(StoreCode.STORE_010, path=where,
                          reason="the file was changed after the county issued it")
    return db_key


def apply_reset(
    db_path: Path, reset: bytes, passphrase: str, new_password: str, *,
    work_factor: int = keys.WORK_FACTOR, where: str = "reset",
) -> str:
    """Device side: set the user's new password from a reset file; returns the user name.

    :raises SurveyError: STORE_010 for a reset file of another workspace or user, an edited
        one, or a wrong one-time passphrase; STORE_020 for a reset file already applied;
        STORE_008 for a short new password; STORE_003 when the key does not open the
        workspace.
    """
    from surveyapp.core.crypto import unwrap_with_passphrase
    from surveyapp.core.store.workspace import Workspace

    keys.check_password(new_password)
    doc = _load(reset, RESET_FORMAT, where, RESET_VERSION)
    keyfile = keys.read(db_path)
    user = str(doc.get("user", ""))
    if doc.get("workspace_id") != keyfile.workspace_id:
        raise SurveyError(StoreCode.STORE_010, path=where, reason="another workspace")
    if user not in keyfile.users:
        raise SurveyError(StoreCode.STORE_010, path=where, reason="unknown user")
    try:
        inner = bytes(unwrap_with_passphrase(
            base64.b64decode(doc["wrapped"]), passphrase.strip().upper(), max_work_factor=22))
    except (KeyError, ValueError) as err:
        raise SurveyError(StoreCode.STORE_010, path=where, reason="content") from err
    except SurveyError as err:
        raise SurveyError(StoreCode.STORE_010, path=where,
                          reason="wrong one-time passphrase") from err
    db_key = _unbind(inner, doc, where)
    request_id = str(doc["request_id"])
    with keys.locked(db_path), Workspace.open_with_key(db_path, db_key, user) as ws:
        if ws.workspace_id != keyfile.workspace_id:
            raise SurveyError(StoreCode.STORE_010, path=where, reason="another workspace")
        used = ws.get_meta(USED_PREFIX + request_id)
        if used is not None:
            raise SurveyError(StoreCode.STORE_020, path=where, used_at=used)
        wrapped = keys.wrap_for_user(db_key, new_password, work_factor)
        with ws.conn.atomic():
            # Marked used in the same transaction as the audit entry; the key file is
            # written last, inside it, so a failure leaves the old password and no mark.
            ws.set_meta(USED_PREFIX + request_id, utc_now())
            ws.audit("recovery", request_id=request_id)
            keys.write(db_path, keys.with_user(keys.read(db_path), user,
                                               replace(wrapped, failures=0)))
    return user
