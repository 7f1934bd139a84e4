"""E2E-OUTSIDE the county checks a batch without surveyapp, following docs/cli.md as written:
`trust export-identity` writes the county's age identity (county only, after a password
prompt, mode 0600, with a warning), and Debian's `unzip`, `minisign` and `age` verify and
decrypt the batch with it. The exported recovery identity works with `recovery issue`."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from surveyapp.cli.main import main
from surveyapp.core import trust
from surveyapp.core.store import Workspace
from surveyapp.ops.batches import export_batch

PW = "county-pass-1"
COUNTY, VILLAGE = "522422", "522422102201"
DOC = Path(__file__).parents[2] / "docs" / "cli.md"
needs_tools = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("age", "minisign", "unzip")),
    reason="Debian's age, minisign and unzip are needed")


def _doc_block() -> str:
    """The shell block of docs/cli.md under 'Checking a batch without surveyapp'."""
    text = DOC.read_text(encoding="utf-8")
    after = text[text.index("Checking a batch without surveyapp"):]
    return re.search(r"```bash\n(.*?)```", after, re.S).group(1)  # type: ignore[union-attr]


@pytest.fixture
def county_world(tmp_path: Path) -> tuple[Path, str, Path]:
    """A county workspace `county.sdb` (user `U`, as in the doc), an enrolled village that
    exported one batch `x.batch.zip`; returns (folder, village device id, village ws path)."""
    county = Workspace.create(tmp_path / "county.sdb", role="county", org_code=COUNTY,
                              org_name="大方县", user="U", password=PW, work_factor=10)
    keys = trust.init_county(county)
    village = Workspace.create(tmp_path / "village.sdb", role="village", org_code=VILLAGE,
                               org_name="村", user="li", password=PW, work_factor=10,
                               recovery_recipient=keys.recovery_recipient)
    trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
    village.save_visit(None, {"child_name": "王芳", "village_code": VILLAGE},
                       form_id="child_screening", form_version="1")
    usb = tmp_path / "usb"
    usb.mkdir()
    shutil.copy(export_batch(village, usb).path, tmp_path / "x.batch.zip")
    device = village.device_id
    county.close()
    village.close()
    return tmp_path, device, tmp_path / "village.sdb"


def _export(folder: Path, key: str, out: str, stdin: str, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str], ws: str = "county.sdb", user: str = "U") -> int:
    monkeypatch.chdir(folder)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    capsys.readouterr()
    return main(["trust", "export-identity", ws, "--user", user, "--key", key, "--out", out])


def test_export_identity__prompt_0600_warning_never_over_a_file(
        county_world: tuple[Path, str, Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder, _, _ = county_world
    # The password is always asked for: a password in the environment is not enough.
    monkeypatch.setenv("SURVEYAPP_PASSWORD", "not-the-password")
    assert _export(folder, "batches", "county.key", PW + "\n", monkeypatch, capsys) == 0
    err = capsys.readouterr().err
    assert "WARNING" in err and "警告" in err
    key = folder / "county.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    lines = key.read_text(encoding="ascii").splitlines()
    assert lines[-1].startswith("AGE-SECRET-KEY-1") and lines[0].startswith("#")
    with Workspace.open(folder / "county.sdb", "U", PW) as ws:
        assert [e.details.get("which") for e in ws.audit_entries()
                if e.details.get("what") == "identity"] == ["batches"]

    before = key.read_bytes()
    assert _export(folder, "recovery", "county.key", PW + "\n", monkeypatch, capsys) == 1
    assert "TRUST_013" in capsys.readouterr().err and key.read_bytes() == before
    # A wrong password writes nothing.
    assert _export(folder, "batches", "other.key", "wrong-pass\n", monkeypatch, capsys) == 1
    assert not (folder / "other.key").exists()
    # Only the county has these keys.
    assert _export(folder, "batches", "v.key", PW + "\n", monkeypatch, capsys,
                   ws="village.sdb", user="li") == 1
    assert "TRUST_004" in capsys.readouterr().err and not (folder / "v.key").exists()


@needs_tools
@pytest.mark.interop
def test_outside_tools__the_documented_procedure_works(
        county_world: tuple[Path, str, Path]) -> None:
    folder, device, _ = county_world
    script = _doc_block().replace("DEVICE_ID", device)
    shim = folder / "bin"
    shim.mkdir()
    (shim / "surveyapp").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m surveyapp "$@"\n')
    (shim / "surveyapp").chmod(0o755)
    env = {**os.environ, "PATH": f"{shim}:{os.environ['PATH']}", "SURVEYAPP_PASSWORD": PW,
           "PYTHONPATH": os.pathsep.join(sys.path)}
    # The password prompt of export-identity reads its line from standard input.
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=folder, env=env,
                          input=PW + "\n", capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"device={device}" in done.stderr + done.stdout  # minisign shows who signed it
    lines = (folder / "payload.jsonl").read_text(encoding="utf-8").splitlines()
    manifest = json.loads((folder / "x" / "manifest.json").read_text(encoding="utf-8"))
    revisions = [json.loads(x) for x in lines if not x.startswith('{"audit"')]
    assert len(revisions) == manifest["counts"]["revisions"]
    assert any(r["data"].get("child_name") == "王芳" for r in revisions)
    assert {r["device_id"] for r in revisions} == {device}


def test_recovery_identity__works_with_recovery_issue(
        county_world: tuple[Path, str, Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder, _, village = county_world
    assert _export(folder, "recovery", "recovery.key", PW + "\n", monkeypatch, capsys) == 0
    assert main(["recovery", "request", str(village), "--user", "li",
                 "--out", str(folder / "req.json"), "--json"]) == 0
    capsys.readouterr()
    assert main(["recovery", "issue", str(folder / "req.json"), "--identity",
                 str(folder / "recovery.key"), "--out", str(folder / "reset.json"),
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["passphrase"]
