"""Issue #18 item 2: one way to write. The desktop app saves visits and exits and creates
workspaces through ``ops`` as the CLI does: a bad answer is refused with the same code from
both faces, and the setup wizard takes the county's recovery key as ``workspace create``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from uihelpers import FORM, PASSWORD, answers, type_text

from surveyapp.errors import SurveyError
from surveyapp.ui.dialogs.wizard import PAGE_CREATE, FirstRunWizard


def _bad() -> dict[str, Any]:
    # A screening the form refuses (the name is too short; the consent is missing), sent
    # past the form view straight to the backend, as a buggy widget could.
    bad = answers(child_name="张")
    del bad["consent"]
    return bad


def test_bad_answer__refused_alike_by_ui_and_cli(backend: Any, workspace: Any, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from surveyapp.cli.main import main

    with pytest.raises(SurveyError) as info:
        backend.save_visit(None, _bad())
    assert info.value.code.name == "CHILD_001"
    assert workspace.count_children() == 0
    path = workspace.path
    workspace.close()
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(_bad(), ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PASSWORD)
    assert main(["children", "visit", str(path), "--user", "wangfang", "--answers", str(file),
                 "--form", str(FORM), "--json"]) == 1
    err = json.loads(capsys.readouterr().err)
    assert err["error"]["code"] == "CHILD_001"


def test_good_answer_and_exit__through_ops(backend: Any, workspace: Any) -> None:
    record = backend.save_visit(None, answers())
    row = workspace.get_child(record)
    assert row is not None and row.child_name == "张小明"
    with pytest.raises(SurveyError) as info:
        backend.record_exit(record, "no_such_reason", "2026-07-02", "")
    assert info.value.code.name == "STORE_015"  # the CLI's refusal, from the same call
    backend.record_exit(record, "parents_returned", "2026-07-02", "")
    assert workspace.get_child(record).status == "exited"


def _fill(qtbot: Any, path: Path, recovery: str) -> Any:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentId() == PAGE_CREATE
    page = wizard.create_page
    for widget, text in ((page.org_code, "522422102201"), (page.org_name, "箐口村"),
                         (page.user, "wangfang"), (page.password, PASSWORD),
                         (page.password2, PASSWORD)):
        widget.clear()
        type_text(qtbot, widget, text)
    page.recovery.setText(recovery)
    page.path.setText(str(path))
    page.keep_wizard = wizard  # the page lives as long as its wizard
    return page


def test_wizard__recovery_recipient_as_workspace_create(app: Any, qtbot: Any,
                                                        tmp_path: Path) -> None:
    from surveyapp.core.crypto import generate_age_identity
    from surveyapp.ops.workspace import recovery_issue, recovery_request, workspace_info

    identity, recipient = generate_age_identity()
    path = tmp_path / "ws.sdb"
    page = _fill(qtbot, path, f"  {recipient}  ")
    assert page.validatePage(), page.message.text()
    page.workspace.close()
    assert workspace_info(path, "wangfang", PASSWORD).recovery_enrolled
    # and the county can answer a reset request with its identity
    request = recovery_request(path, "wangfang", tmp_path / "req")
    assert recovery_issue(request, identity, tmp_path / "reset").user == "wangfang"


def test_wizard__bad_recovery_key_refused_nothing_created(app: Any, qtbot: Any,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "ws.sdb"
    page = _fill(qtbot, path, "age1notakey")
    assert not page.validatePage()
    assert page.message.text()
    assert not path.exists()


def test_wizard__no_recovery_key__still_created(app: Any, qtbot: Any, tmp_path: Path) -> None:
    from surveyapp.ops.workspace import workspace_info

    path = tmp_path / "ws.sdb"
    page = _fill(qtbot, path, "")
    assert page.validatePage(), page.message.text()
    page.workspace.close()
    assert not workspace_info(path, "wangfang", PASSWORD).recovery_enrolled
