"""The key file beside a workspace: the database key, wrapped; nothing personal.

The database key cannot live inside the database it unlocks, so ``<workspace>.keys.json``
sits next to it. It holds, and only holds:

- the workspace id (a random UUID, also stored inside the database);
- per user: the name, the 256-bit database key wrapped under the user's password (an age v1
  file with one scrypt stanza, from ``surveyapp.core.crypto.wrap_with_passphrase``), the
  scrypt work factor, and the wrong-password counter with the time of the last failure;
- the database key wrapped to the county's X25519 recovery recipient (an age v1 file), when
  the workspace was enrolled with one;
- the local audit anchor: the ``seq`` and ``hash`` of the audit chain's head when the app
  last closed the workspace or exported a batch (docs/store.md, "The audit log"): a cut or
  rewrite of the chain made straight in SQL no longer contains it.

A JSON sidecar was chosen over a plaintext header inside the database file because
SQLCipher encrypts every page of the file, page 1 included: there is no room for a header that
SQLite itself would not overwrite, and a sidecar is readable and repairable with any editor.
Losing the sidecar loses the workspace, so it is written atomically (temporary file, fsync,
``os.replace``) and copied together with the workspace.

Work factor: scrypt N = 2**16 (r = 8, p = 1, 64 MiB): 0.22 s on the 2-core build machine
(2**17 took 0.47 s, 2**15 0.12 s), i.e. about the 0.3 s the design asks for, within the
1.5 s app-start budget on an older laptop, and 64 MiB fits a 2 GB Windows laptop.

Growing delays: after ``FREE_ATTEMPTS`` wrong passwords in a row, the next attempt must wait
``5 s * 2**(failures - FREE_ATTEMPTS)`` (at most 10 minutes) after the last failure. The
counter lives in the key file, so it survives a restart of the app.

Parallel attempts: :func:`unlock` holds an exclusive lock on ``<workspace>.keys.lock``
(:func:`surveyapp.core.files.exclusive`) from reading the counter through the key
derivation to writing the new counter, so attempts from many processes or threads are
checked one after another and every failure is counted. The other writers of the key file
(new user, password change, recovery) take the same lock. A last failure recorded in the
future (the clock was set back, or had been wrong) is re-based to now: the wait is never
longer than the delay itself.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from surveyapp.core.store.codes import StoreCode
from surveyapp.errors import SurveyError

FORMAT = "surveyapp-keys"
VERSION = 1
WORK_FACTOR = 16
FREE_ATTEMPTS = 3
BASE_DELAY = 5.0
MAX_DELAY = 600.0
MIN_PASSWORD = 8
MAX_KEY_FILE = 1024 * 1024


LOCK_TIMEOUT = 60.0


def sidecar_path(db_path: Path) -> Path:
    """Where the key file of the workspace ``db_path`` lives."""
    return db_path.with_name(db_path.name + ".keys.json")


def lock_path(db_path: Path) -> Path:
    """The (empty) lock file beside the key file; it may be deleted while nothing runs."""
    return db_path.with_name(db_path.name + ".keys.lock")


@contextlib.contextmanager
def locked(db_path: Path) -> Iterator[None]:
    """Hold the key file's exclusive lock (re-entrant in one thread).

    :raises SurveyError: STORE_019 when another program holds it for over a minute;
        IO_003 when the lock file cannot be made (a read-only folder).
    """
    from surveyapp.core.files import exclusive
    from surveyapp.errors import CommonCode

    path = lock_path(Path(db_path))
    try:
        with exclusive(path, timeout=LOCK_TIMEOUT,
                       on_timeout=lambda: SurveyError(StoreCode.STORE_019, path=str(db_path))):
            yield
    except OSError as err:
        raise SurveyError(CommonCode.IO_003, path=str(path),
                          reason=err.strerror or str(err)) from err


@dataclass(frozen=True, slots=True)
class UserKey:
    wrapped: bytes
    work_factor: int
    failures: int = 0
    last_failure: float = 0.0


@dataclass(frozen=True, slots=True)
class KeyFile:
    """The parsed key file."""

    workspace_id: str
    users: dict[str, UserKey] = field(default_factory=dict)
    recovery_recipient: str | None = None
    recovery_wrapped: bytes | None = None
    audit_anchor: tuple[int, str] | None = None

    # --- file format -----------------------------------------------------------------------
    def to_json(self) -> bytes:
        users = {
            name: {
                "wrapped": base64.b64encode(u.wrapped).decode("ascii"),
                "work_factor": u.work_factor,
                "failures": u.failures,
                "last_failure": u.last_failure,
            }
            for name, u in sorted(self.users.items())
        }
        recovery = None
        if self.recovery_recipient and self.recovery_wrapped is not None:
            recovery = {
                "recipient": self.recovery_recipient,
                "wrapped": base64.b64encode(self.recovery_wrapped).decode("ascii"),
            }
        doc = {"format": FORMAT, "version": VERSION, "workspace_id": self.workspace_id,
               "users": users, "recovery": recovery}
        if self.audit_anchor is not None:
            doc["audit_anchor"] = {"seq": self.audit_anchor[0], "hash": self.audit_anchor[1]}
        return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes, path: Path) -> KeyFile:
        """Parse the key file bytes.

        :raises SurveyError: STORE_005 when it is not a key file of a known version.
        """
        try:
            doc: dict[str, Any] = json.loads(raw.decode("utf-8"))
            if doc.get("format") != FORMAT or doc.get("version") != VERSION:
                raise ValueError("unknown format")
            users = {
                str(name): UserKey(
                    base64.b64decode(u["wrapped"]), int(u["work_factor"]),
                    int(u.get("failures", 0)), float(u.get("last_failure", 0.0)),
                )
                for name, u in doc["users"].items()
            }
            rec = doc.get("recovery")
            anchor = doc.get("audit_anchor")
            return cls(
                str(doc["workspace_id"]), users,
                str(rec["recipient"]) if rec else None,
                base64.b64decode(rec["wrapped"]) if rec else None,
                (int(anchor["seq"]), str(anchor["hash"])) if anchor else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
            raise SurveyError(StoreCode.STORE_005, path=str(path)) from err


def read(db_path: Path) -> KeyFile:
    """Read the key file of ``db_path``.

    :raises SurveyError: STORE_005 when it is missing or damaged.
    """
    path = sidecar_path(db_path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_KEY_FILE + 1)  # a few KB per user; never read a huge file
    except OSError as err:
        raise SurveyError(StoreCode.STORE_005, path=str(path)) from err
    if len(raw) > MAX_KEY_FILE:
        raise SurveyError(StoreCode.STORE_005, path=str(path))
    return KeyFile.from_json(raw, path)


def write(db_path: Path, keys: KeyFile) -> None:
    """Write the key file atomically: temporary file, fsync, rename, fsync the folder.

    :raises SurveyError: IO_003 when the disk refuses.
    """
    from surveyapp.errors import CommonCode

    path = sidecar_path(db_path)
    tmp = path.with_name(path.name + f".{uuid.uuid4().hex[:8]}.tmp")
    from surveyapp.core.files import write_private

    try:
        write_private(tmp, keys.to_json())  # 0600: like the workspace and its batches
        os.replace(tmp, path)
        if hasattr(os, "O_DIRECTORY"):
            fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise SurveyError(CommonCode.IO_003, path=str(path),
                          reason=err.strerror or str(err)) from err


def check_password(password: str) -> None:
    """:raises SurveyError: STORE_008 when the password is too short."""
    if len(password) < MIN_PASSWORD:
        raise SurveyError(StoreCode.STORE_008, minimum=MIN_PASSWORD)


def wrap_for_user(db_key: bytes, password: str, work_factor: int = WORK_FACTOR) -> UserKey:
    """The database key wrapped under ``password`` (scrypt, ``2**work_factor``)."""
    from surveyapp.core.crypto import wrap_with_passphrase

    return UserKey(wrap_with_passphrase(db_key, password, work_factor=work_factor), work_factor)


def wrap_for_recovery(db_key: bytes, recipient: str) -> bytes:
    """The database key wrapped to the county's recovery recipient (``age1…``)."""
    from surveyapp.core.crypto import wrap_to_recipients

    return bytes(wrap_to_recipients(db_key, [recipient]))


def delay_for(failures: int) -> float:
    """The wait after ``failures`` wrong passwords in a row (0 for the free attempts)."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(BASE_DELAY * float(2 ** min(failures - FREE_ATTEMPTS, 32)), MAX_DELAY)


def delay_left(user: UserKey, now: float) -> float:
    """Seconds the user must still wait before the next attempt (0 when free to try).

    Never more than the delay itself, even when the last failure lies in the future.
    """
    delay = delay_for(user.failures)
    return min(delay, max(0.0, user.last_failure + delay - now))


def unlock(db_path: Path, user: str, password: str, *, now: float | None = None) -> bytes:
    """The database key, unwrapped with ``user``'s password.

    Check, key derivation and counter update run under the key file's lock, so parallel
    attempts are serialised and each failure is counted (module docstring).

    :raises SurveyError: STORE_005 for a missing key file; STORE_002 while the user must
        still wait after repeated failures (``wait_seconds`` in the context); STORE_001 for
        an unknown user or a wrong password (``wait_seconds`` says how long the next attempt
        must wait, 0 when it need not); STORE_019 when the lock stays taken.
    """
    read(db_path)  # a missing or damaged key file is STORE_005 before any lock file is made
    with locked(db_path):
        return _unlock_held(db_path, user, password, now)


def _unlock_held(db_path: Path, user: str, password: str, now: float | None) -> bytes:
    from surveyapp.core.crypto import unwrap_with_passphrase

    keys = read(db_path)
    clock = time.time() if now is None else now
    entry = keys.users.get(user)
    if entry is None:
        raise SurveyError(StoreCode.STORE_001, path=str(db_path), wait_seconds=0)
    if entry.failures >= FREE_ATTEMPTS and entry.last_failure > clock:
        # The clock went back (or the failure was recorded by a wrong clock): count the
        # wait from now, so that it ends, instead of from a time that may be days away.
        entry = replace(entry, last_failure=clock)
        keys = replace(keys, users={**keys.users, user: entry})
        write(db_path, keys)
    wait = delay_left(entry, clock)
    if wait > 0:
        raise SurveyError(StoreCode.STORE_002, user=user, wait_seconds=int(wait + 0.999))
    try:
        db_key = bytes(unwrap_with_passphrase(entry.wrapped, password, max_work_factor=22))
    except SurveyError as err:
        failed = replace(entry, failures=entry.failures + 1, last_failure=clock)
        write(db_path, replace(keys, users={**keys.users, user: failed}))
        wait = delay_left(failed, clock)
        raise SurveyError(
            StoreCode.STORE_001, path=str(db_path), wait_seconds=int(wait + 0.999)
        ) from err
    if entry.failures:
        write(db_path, replace(keys, users={**keys.users, user: replace(entry, failures=0)}))
    return db_key


def with_user(keys: KeyFile, user: str, key: UserKey) -> KeyFile:
    """``keys`` with ``user``'s wrapped key set (added or replaced, counter cleared)."""
    return replace(keys, users={**keys.users, user: key})


def set_audit_anchor(db_path: Path, seq: int, digest: str) -> None:
    """Record the audit chain head ``(seq, digest)`` in the key file (atomically).

    :raises SurveyError: STORE_005 missing or damaged key file; IO_003 disk errors.
    """
    current = read(db_path)
    if current.audit_anchor != (seq, digest):
        write(db_path, replace(current, audit_anchor=(seq, digest)))
