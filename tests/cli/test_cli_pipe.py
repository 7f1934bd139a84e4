"""Issue #18 item 4: ``surveyapp children list … --json | head`` ends quietly: exit 0, nothing
on stderr, no crash log (it used to print "Internal error" for a BrokenPipeError)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from surveyapp.core.store import Revision, Workspace

PW = "village-pass-1"
V1 = "522422102201"


def _workspace_with_children(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "v.sdb"
    ws = Workspace.create(path, role="village", org_code=V1, org_name="测试村", user="wang",
                          password=PW, work_factor=10)
    ws.insert_revisions(
        Revision.make(kind="child", record_id=str(uuid.UUID(int=i + 1)), author="bulk",
                      device_id="bulk",
                      data={"child_name": f"张小明{i}", "village_code": V1,
                            "township_code": V1[:9], "survey_date": "2026-06-01",
                            "risk_level": "low", "status": "active", "sex": "male",
                            "birth_date": "2015-01-01", "note": "x" * 200})
        for i in range(n))
    ws.close()
    return path


def test_children_list_json_into_a_closed_pipe__quiet(tmp_path: Path) -> None:
    ws = _workspace_with_children(tmp_path, 600)  # well over a pipe buffer of output
    env = {**os.environ, "SURVEYAPP_PASSWORD": PW, "TMPDIR": str(tmp_path),
           "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "surveyapp", "children", "list", str(ws), "--user", "wang",
         "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    head = proc.stdout.read(100)  # as `head -c 100` does, then goes away
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(60) == 0, err.decode("utf-8", "replace")
    assert head.startswith(b"[")
    assert err == b""
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("surveyapp-crash-")] == []


def test_shell_pipeline_into_head(tmp_path: Path) -> None:
    ws = _workspace_with_children(tmp_path, 600)
    env = {**os.environ, "SURVEYAPP_PASSWORD": PW, "TMPDIR": str(tmp_path),
           "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run(
        ["bash", "-o", "pipefail", "-c",
         f'"{sys.executable}" -m surveyapp children list "{ws}" --user wang --json | head -c 50'],
        capture_output=True, env=env, timeout=120, check=False)
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")
    assert out.stderr == b"" and len(out.stdout) == 50
