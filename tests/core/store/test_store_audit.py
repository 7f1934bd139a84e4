"""The hash-chained audit log: verified, tamper detected, no personal details."""

from __future__ import annotations

import itertools

import pytest
from store_helpers import answers

from surveyapp.core.store import Workspace
from surveyapp.core.store.codes import StoreCode
from surveyapp.errors import SurveyError


def test_actions__chained_and_verified(raw_store: Workspace) -> None:
    saved = raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    raw_store.record_exit(saved.child_id, reason="moved_away", date="2026-09-01")
    raw_store.audit("export", batch="b1", records=1)
    entries = raw_store.audit_entries()
    assert [e.action for e in entries] == ["create", "save", "exit", "export"]
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert raw_store.verify_audit() is None


def test_edited_entry__first_broken_link(raw_store: Workspace) -> None:
    for _ in range(3):
        raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    raw_store.conn.execute("UPDATE audit SET user = 'mallory' WHERE seq = 3")
    broken = raw_store.verify_audit()
    assert broken is not None and broken.seq == 3


def test_deleted_entry__first_broken_link(raw_store: Workspace) -> None:
    for _ in range(3):
        raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    raw_store.conn.execute("DELETE FROM audit WHERE seq = 2")
    broken = raw_store.verify_audit()
    assert broken is not None and broken.seq == 2


def test_rehashed_entry__next_link_breaks(raw_store: Workspace) -> None:
    for _ in range(3):
        raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    raw_store.conn.execute("UPDATE audit SET hash = ? WHERE seq = 2", ("0" * 64,))
    broken = raw_store.verify_audit()
    assert broken is not None and broken.seq == 2


def test_no_answers_in_log(raw_store: Workspace) -> None:
    raw_store.save_visit(None, answers(), form_id="f", form_version="1")
    text = repr(raw_store.conn.execute("SELECT * FROM audit"))
    assert "张小明" not in text and "52242220100101123X" not in text


@pytest.mark.parametrize(("key", "value"), [("child_name", "张三"), ("count", [1, 2]),
                                            ("password", "x"), ("note", "长" * 300)])
def test_personal_detail__refused(raw_store: Workspace, key: str, value: object) -> None:
    with pytest.raises(SurveyError) as info:
        raw_store.audit("export", **{key: value})
    assert info.value.code is StoreCode.STORE_016
