"""``surveyapp workspace|user|recovery|audit`` end to end, through ``cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surveyapp.cli.main import main
from surveyapp.core.crypto import generate_age_identity
from surveyapp.core.store import Workspace, keys


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out.strip()
    return code, (json.loads(out) if out else {})


def test_workspace_cycle__create_info_users_recovery_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    identity, recipient = generate_age_identity()
    (tmp_path / "county.key").write_text(f"# county recovery\n{identity}\n", encoding="utf-8")
    path = str(tmp_path / "village.sdb")
    monkeypatch.setenv("SURVEYAPP_NEW_PASSWORD", "first password")
    code, info = run(capsys, "workspace", "create", path, "--user", "wang", "--role", "village",
                     "--org-code", "522422102201", "--org-name", "测试村",
                     "--recovery-recipient", recipient)
    assert code == 0 and info["recovery_enrolled"] is True and info["users"] == ["wang"]

    monkeypatch.setenv("SURVEYAPP_PASSWORD", "first password")
    code, info = run(capsys, "workspace", "info", path, "--user", "wang")
    assert code == 0 and info["org_name"] == "测试村" and info["children"] == 0

    monkeypatch.setenv("SURVEYAPP_NEW_PASSWORD", "li's password")
    code, out = run(capsys, "user", "add", path, "--user", "wang", "li")
    assert code == 0 and out["users"] == ["li", "wang"]

    monkeypatch.setenv("SURVEYAPP_NEW_PASSWORD", "second password")
    assert run(capsys, "user", "passwd", path, "--user", "wang")[0] == 0
    assert main(["workspace", "info", path, "--user", "wang"]) == 1  # old password now wrong
    assert "STORE_001" in capsys.readouterr().err

    request, reset = tmp_path / "wang.request", tmp_path / "wang.reset"
    assert run(capsys, "recovery", "request", path, "--user", "wang", "--out", str(request))[0] == 0
    code, issued = run(capsys, "recovery", "issue", str(request), "--identity",
                       str(tmp_path / "county.key"), "--out", str(reset))
    assert code == 0 and issued["user"] == "wang"
    monkeypatch.setenv("SURVEYAPP_RESET_PASSPHRASE", str(issued["passphrase"]))
    monkeypatch.setenv("SURVEYAPP_NEW_PASSWORD", "third password")
    code, out = run(capsys, "recovery", "apply", path, str(reset))
    assert code == 0 and out["reset"] == "wang"

    monkeypatch.setenv("SURVEYAPP_PASSWORD", "third password")
    code, report = run(capsys, "audit", "verify", path, "--user", "wang")
    assert code == 0 and report["broken"] is None and report["entries"] >= 6


def test_audit_verify_tampered__exit_1_with_first_broken_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.sdb"
    with Workspace.create(path, role="village", org_code="522422102201", org_name="村",
                          user="wang", password="a password", work_factor=10) as ws:  # noqa: S106
        ws.audit("export", batch="b1")
        ws.audit("export", batch="b2")
        ws.conn.execute("UPDATE audit SET details = '{\"batch\":\"b9\"}' WHERE seq = 2")
    monkeypatch.setenv("SURVEYAPP_PASSWORD", "a password")
    code, report = run(capsys, "audit", "verify", str(path), "--user", "wang")
    assert code == 1 and report["broken"] == {"seq": 2, "reason": "content does not match its hash"}
    assert keys.read(path).users["wang"].failures == 0
