"""Users of a workspace: each has their own wrap of the database key in the key file.

Adding a user or changing a password rewraps the key; the database is never re-encrypted.
"""

from __future__ import annotations

from pathlib import Path

from surveyapp.core.store import keys
from surveyapp.core.store.codes import StoreCode
from surveyapp.errors import SurveyError


def add(path: Path, db_key: bytes, user: str, password: str, work_factor: int) -> None:
    """Add ``user`` with ``password`` to the key file of ``path``.

    :raises SurveyError: STORE_007 when the name is taken; STORE_008 short password.
    """
    with keys.locked(path):  # no lost update against a counter written meanwhile
        keyfile = keys.read(path)
        if user in keyfile.users:
            raise SurveyError(StoreCode.STORE_007, user=user)
        keys.check_password(password)
        wrapped = keys.wrap_for_user(db_key, password, work_factor)
        keys.write(path, keys.with_user(keyfile, user, wrapped))


def change(
    path: Path, db_key: bytes, user: str, old: str, new: str, work_factor: int
) -> None:
    """Change ``user``'s password after checking the old one.

    :raises SurveyError: STORE_001 when ``old`` is wrong; STORE_008 short password.
    """
    keys.check_password(new)
    with keys.locked(path):
        keys.unlock(path, user, old)
        wrapped = keys.wrap_for_user(db_key, new, work_factor)
        keys.write(path, keys.with_user(keys.read(path), user, wrapped))
