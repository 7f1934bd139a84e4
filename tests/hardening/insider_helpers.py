"""Shared set-up for the issue-12 attack tests: a county, a township and a village with real
passwords (low scrypt work factor), enrolled with each other, a USB-stick folder, the CLI run
as a user runs it, and a snapshot of a store that does not itself touch the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from surveyapp.cli.main import main
from surveyapp.core import trust
from surveyapp.core.store import Workspace, keys

PASSWORD = "correct horse 1"  # noqa: S105 - a test password
COUNTY, TOWN, VILLAGE = "522422", "522422102", "522422102201"


@dataclass
class Office:
    county: Path
    town: Path
    village: Path
    usb: Path


def answers(name: str, village: str = VILLAGE, **more: Any) -> dict[str, Any]:
    data = {"survey_date": "2026-07-01", "township_code": village[:9], "village_code": village,
            "child_name": name, "sex": "female", "birth_date": "2014-04-04",
            "risk_level": "low", "follow_up_days": 90, "is_left_behind": "yes"}
    data.update(more)
    return data


def open_ws(path: Path) -> Workspace:
    """Open without an ``unlock`` audit entry (the snapshot must not change the store)."""
    return Workspace.open_with_key(path, keys.unlock(path, "u", PASSWORD), "u")


def add_child(path: Path, name: str) -> None:
    with open_ws(path) as ws:
        ws.save_visit(None, answers(name), form_id="child_screening", form_version="1")


def make_office(tmp_path: Path) -> Office:
    paths = {}
    for role, org in (("county", COUNTY), ("township", TOWN), ("village", VILLAGE)):
        path = tmp_path / f"{role}.sdb"
        Workspace.create(path, role=role, org_code=org, org_name=role, user="u",
                         password=PASSWORD, work_factor=10).close()
        paths[role] = path
    with open_ws(paths["county"]) as county, open_ws(paths["township"]) as town, \
            open_ws(paths["village"]) as village:
        trust.init_county(county)
        for device in (town, village):
            trust.accept_enrollment(device, trust.enroll(county, trust.enroll_request(device)))
        for device in (town, village):
            trust.apply_update(device, trust.trust_update(county, device.org_code))
    usb = tmp_path / "usb"
    usb.mkdir()
    return Office(paths["county"], paths["township"], paths["village"], usb)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, dict[str, Any]]:
    """``surveyapp --lang en ARGV --json`` in this process: (exit code, output, error)."""
    code = main(["--lang", "en", *argv, "--json"])
    out, err = capsys.readouterr()
    data = json.loads(out) if out.strip() else None
    error = json.loads(err.strip().splitlines()[-1])["error"] if code and err.strip() else {}
    return code, data, error


def cli_process(*argv: str, timeout: float = 120, as_json: bool = True
                ) -> tuple[int, dict[str, Any], Any]:
    """The same in a new process (for inputs that could hang or exhaust memory), with no
    terminal: (exit code, error, output). Without ``as_json`` (a command with no --json) the
    error is read from the ``[CODE] message`` line, in English."""
    env = {**os.environ, "SURVEYAPP_PASSWORD": PASSWORD,
           "SURVEYAPP_NEW_PASSWORD": "a new password 1",
           "SURVEYAPP_RESET_PASSPHRASE": "AAAA-BBBB-CCCC-DDDD-EEEE"}
    flag = ["--json"] if as_json else []
    proc = subprocess.run([sys.executable, "-m", "surveyapp", "--lang", "en", *argv, *flag],
                          capture_output=True, env=env, timeout=timeout, check=False,
                          stdin=subprocess.DEVNULL)
    err = proc.stderr.decode("utf-8", "replace").strip()
    error: dict[str, Any] = {}
    if proc.returncode and err and as_json:
        error = json.loads(err.splitlines()[-1])["error"]
    elif proc.returncode and err.startswith("["):
        code, _, text = err.splitlines()[-1][1:].partition("] ")
        error = {"code": code, "message_en": text}
    out = proc.stdout.decode("utf-8", "replace").strip()
    return proc.returncode, error, json.loads(out) if out else None


@dataclass(frozen=True)
class Snapshot:
    children: tuple[tuple[str, str], ...]
    revisions: tuple[str, ...]
    meta: tuple[tuple[str, str], ...]
    audit: tuple[tuple[int, str, str, str], ...]  # seq, action, canonical details, hash


def snapshot(path: Path) -> Snapshot:
    with open_ws(path) as ws:
        conn = ws.conn
        assert ws.verify_audit() is None
        return Snapshot(
            tuple((str(r[0]), str(r[1])) for r in conn.execute(
                "SELECT record_id, head_rev FROM children ORDER BY record_id")),
            tuple(str(r[0]) for r in conn.execute("SELECT id FROM revisions ORDER BY seq")),
            tuple((str(r[0]), str(r[1])) for r in conn.execute(
                "SELECT key, value FROM meta ORDER BY key")),
            tuple((int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in conn.execute(
                "SELECT seq, action, details, hash FROM audit ORDER BY seq")),
        )


def assert_only_refusal(before: Snapshot, path: Path, code: str, *,
                        what: str = "batch", unlocks: int = 1) -> dict[str, Any]:
    """The store holds what it held before, and its audit chain only grew by the CLI's
    ``unlock`` entries and exactly one ``refused`` entry with ``code``; returns its
    details."""
    after = snapshot(path)
    assert after.children == before.children
    assert after.revisions == before.revisions
    assert after.meta == before.meta
    assert after.audit[:len(before.audit)] == before.audit
    added = after.audit[len(before.audit):]
    assert sorted(a[1] for a in added) == sorted(["unlock"] * unlocks + ["refused"]), added
    [refused] = [json.loads(a[2]) for a in added if a[1] == "refused"]
    assert refused["code"] == code and refused["what"] == what, refused
    return dict(refused)


def assert_bilingual(error: dict[str, Any], code: str) -> None:
    assert error["code"] == code, error
    assert error["message_en"] and error["message_zh"]
    assert error["message_en"] != error["message_zh"]
