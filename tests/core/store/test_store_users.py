"""Users and keys: create, unlock, wrong password with growing delays, password change,
several users, and recovery through the county key."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from store_helpers import PASSWORD, TEST_WORK_FACTOR, VILLAGE, answers

from surveyapp.core.store import Workspace, keys, recovery
from surveyapp.core.store.codes import StoreCode
from surveyapp.errors import SurveyError


def test_create_then_open__same_workspace(fresh_store: Workspace) -> None:
    saved = fresh_store.save_visit(None, answers(), form_id="f", form_version="1")
    path, wid = fresh_store.path, fresh_store.workspace_id
    fresh_store.close()
    with Workspace.open(path, "wang", PASSWORD) as ws:
        assert (ws.workspace_id, ws.role, ws.org_code, ws.user) == (wid, "village", VILLAGE, "wang")
        assert ws.get_child(saved.child_id) is not None
        assert [e.action for e in ws.audit_entries()][-1] == "unlock"
    assert keys.read(path).workspace_id == wid


def test_create_existing__error(fresh_store: Workspace) -> None:
    with pytest.raises(SurveyError) as info:
        Workspace.create(fresh_store.path, role="village", org_code=VILLAGE, org_name="村",
                         user="x", password=PASSWORD, work_factor=TEST_WORK_FACTOR)
    assert info.value.code is StoreCode.STORE_006


def test_short_password__error(tmp_path: Path) -> None:
    with pytest.raises(SurveyError) as info:
        Workspace.create(tmp_path / "w.sdb", role="village", org_code=VILLAGE, org_name="村",
                         user="x", password="short", work_factor=TEST_WORK_FACTOR)  # noqa: S106
    assert info.value.code is StoreCode.STORE_008
    assert not any(tmp_path.iterdir())


def test_wrong_password__coded_error(fresh_store: Workspace) -> None:
    fresh_store.close()
    with pytest.raises(SurveyError) as info:
        Workspace.open(fresh_store.path, "wang", "not the password")
    assert info.value.code is StoreCode.STORE_001
    assert "密码不正确" in info.value.message("zh")
    with pytest.raises(SurveyError) as info:
        Workspace.open(fresh_store.path, "nobody", PASSWORD)
    assert info.value.code is StoreCode.STORE_001


def test_repeated_failures__growing_delay_survives_restart(fresh_store: Workspace) -> None:
    path = fresh_store.path
    fresh_store.close()
    # The failures are dated an hour ahead so that the real clock used by open() below is
    # certainly still inside the waiting time, however slow the machine.
    t0 = time.time() + 3600
    waits = []
    for _ in range(keys.FREE_ATTEMPTS + 2):
        with pytest.raises(SurveyError) as info:
            keys.unlock(path, "wang", "wrong password", now=t0)
        waits.append(info.value.context["wait_seconds"])
        if info.value.code is StoreCode.STORE_002:
            break
    assert waits[: keys.FREE_ATTEMPTS - 1] == [0] * (keys.FREE_ATTEMPTS - 1)
    assert waits[keys.FREE_ATTEMPTS - 1] > 0
    # A fresh read of the key file (as after a restart) still holds the counter: even the
    # right password must wait, and the wait has grown.
    assert keys.read(path).users["wang"].failures == keys.FREE_ATTEMPTS
    with pytest.raises(SurveyError) as info:
        Workspace.open(path, "wang", PASSWORD)
    assert info.value.code is StoreCode.STORE_002
    # The failures lay in the future for the real clock: the wait was re-based to now and
    # is never longer than the delay itself (docs/store.md, "Wrong passwords").
    entry = keys.read(path).users["wang"]
    assert entry.last_failure <= time.time()
    assert 0 < keys.delay_left(entry, time.time()) <= keys.BASE_DELAY


def test_delay_passed__right_password_resets_counter(fresh_store: Workspace) -> None:
    path = fresh_store.path
    fresh_store.close()
    for _ in range(keys.FREE_ATTEMPTS + 1):
        with pytest.raises(SurveyError):
            keys.unlock(path, "wang", "wrong password", now=1000.0)
    entry = keys.read(path).users["wang"]
    assert entry.failures == keys.FREE_ATTEMPTS
    later = 1000.0 + keys.BASE_DELAY + 1
    with pytest.raises(SurveyError) as info:
        keys.unlock(path, "wang", "wrong again", now=later)
    assert info.value.code is StoreCode.STORE_001
    grown = keys.read(path).users["wang"]
    assert keys.delay_left(grown, later) == 2 * keys.BASE_DELAY
    assert len(keys.unlock(path, "wang", PASSWORD, now=later + 3 * keys.BASE_DELAY)) == 32
    assert keys.read(path).users["wang"].failures == 0


def test_change_password__old_refused_new_works(fresh_store: Workspace) -> None:
    path = fresh_store.path
    salt_before = path.read_bytes()[:16]
    key_before = keys.unlock(path, "wang", PASSWORD)
    fresh_store.change_password(PASSWORD, "a new password", work_factor=TEST_WORK_FACTOR)
    fresh_store.close()
    with pytest.raises(SurveyError) as info:
        Workspace.open(path, "wang", PASSWORD)
    assert info.value.code is StoreCode.STORE_001
    with Workspace.open(path, "wang", "a new password") as ws:
        assert "password_change" in [e.action for e in ws.audit_entries()]
    # Not re-encrypted: the same database key and the same SQLCipher salt.
    assert keys.unlock(path, "wang", "a new password") == key_before
    assert path.read_bytes()[:16] == salt_before


def test_change_password_wrong_old__error(fresh_store: Workspace) -> None:
    with pytest.raises(SurveyError) as info:
        fresh_store.change_password("wrong old pw", "a new password")
    assert info.value.code is StoreCode.STORE_001


def test_second_user__both_unlock(fresh_store: Workspace) -> None:
    fresh_store.add_user("li", "li's password", work_factor=TEST_WORK_FACTOR)
    with pytest.raises(SurveyError) as info:
        fresh_store.add_user("li", "another one", work_factor=TEST_WORK_FACTOR)
    assert info.value.code is StoreCode.STORE_007
    fresh_store.close()
    with Workspace.open(fresh_store.path, "li", "li's password") as ws:
        assert ws.user == "li" and ws.users() == ["li", "wang"]
    Workspace.open(fresh_store.path, "wang", PASSWORD).close()


def test_recovery__county_key_resets_password(
    fresh_store: Workspace, recovery_pair: tuple[str, str]
) -> None:
    saved = fresh_store.save_visit(None, answers(), form_id="f", form_version="1")
    path = fresh_store.path
    fresh_store.close()
    request = recovery.make_request(path, "wang")
    assert b"wang" in request and PASSWORD.encode() not in request
    reset, otp = recovery.issue_reset(request, recovery_pair[0], work_factor=TEST_WORK_FACTOR)
    with pytest.raises(SurveyError) as info:
        recovery.apply_reset(path, reset, "WRONG-ONE-TIME", "my new password")
    assert info.value.code is StoreCode.STORE_010
    assert recovery.apply_reset(path, reset, otp.lower(), "my new password",
                                work_factor=TEST_WORK_FACTOR) == "wang"
    with Workspace.open(path, "wang", "my new password") as ws:
        assert ws.get_child(saved.child_id) is not None
        assert "recovery" in [e.action for e in ws.audit_entries()]
        assert ws.verify_audit() is None


def test_recovery_other_identity__refused(fresh_store: Workspace) -> None:
    from surveyapp.core.crypto import generate_age_identity

    fresh_store.close()
    request = recovery.make_request(fresh_store.path, "wang")
    with pytest.raises(SurveyError) as info:
        recovery.issue_reset(request, generate_age_identity()[0])
    assert info.value.code is StoreCode.STORE_011


def test_reset_for_other_workspace__refused(
    fresh_store: Workspace, recovery_pair: tuple[str, str], tmp_path: Path
) -> None:
    other = Workspace.create(tmp_path / "other.sdb", role="village", org_code=VILLAGE,
                             org_name="村", user="wang", password=PASSWORD,
                             recovery_recipient=recovery_pair[1], work_factor=TEST_WORK_FACTOR)
    other.close()
    fresh_store.close()
    reset, otp = recovery.issue_reset(recovery.make_request(other.path, "wang"),
                                      recovery_pair[0], work_factor=TEST_WORK_FACTOR)
    with pytest.raises(SurveyError) as info:
        recovery.apply_reset(fresh_store.path, reset, otp, "my new password")
    assert info.value.code is StoreCode.STORE_010


def test_no_recovery_key__request_refused(tmp_path: Path) -> None:
    Workspace.create(tmp_path / "w.sdb", role="village", org_code=VILLAGE, org_name="村",
                     user="wang", password=PASSWORD, work_factor=TEST_WORK_FACTOR).close()
    with pytest.raises(SurveyError) as info:
        recovery.make_request(tmp_path / "w.sdb", "wang")
    assert info.value.code is StoreCode.STORE_009


def test_missing_key_file__clear_error(fresh_store: Workspace) -> None:
    fresh_store.close()
    keys.sidecar_path(fresh_store.path).unlink()
    with pytest.raises(SurveyError) as info:
        Workspace.open(fresh_store.path, "wang", PASSWORD)
    assert info.value.code is StoreCode.STORE_005


def test_key_file_of_other_workspace__refused(
    fresh_store: Workspace, tmp_path: Path
) -> None:
    other = Workspace.create(tmp_path / "other.sdb", role="village", org_code=VILLAGE,
                             org_name="村", user="wang", password=PASSWORD,
                             work_factor=TEST_WORK_FACTOR)
    other.close()
    fresh_store.close()
    sidecar = keys.sidecar_path(fresh_store.path)
    doc = keys.read(fresh_store.path)
    # Same wrapped key, but the key file claims to belong to the other workspace.
    keys.write(fresh_store.path, keys.KeyFile(other.workspace_id, doc.users))
    with pytest.raises(SurveyError) as info:
        Workspace.open(fresh_store.path, "wang", PASSWORD)
    assert info.value.code is StoreCode.STORE_005
    assert sidecar.exists()
