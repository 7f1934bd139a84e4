"""Personal data never leaks: after a realistic run (create a workspace through the CLI, save
children with names, ID numbers and answers, keep a draft, export the ledger through the CLI,
and crash through the CLI's bug path), no name, ID number or answer appears in the crash log,
the captured logging (DEBUG), the CLI's own output, any file left in the private TMPDIR, or
the raw bytes of the workspace folder; and no plaintext SQLite file is ever found there.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import surveyapp.ops.ledger as ops_ledger
from surveyapp.cli.main import main
from surveyapp.core.store import Workspace

PASSWORD = "correct horse 1"  # noqa: S105 - a test password
SQLITE_HEADER = b"SQLite format 3\x00"
CHILDREN = [
    ("欧阳翠花", "522422201003154428", "13985012345", "和奶奶住在山坡上的老房子"),
    ("司马建国", "52242220091122301X", "15186023456", "父亲在浙江宁波打工"),
    ("诸葛小燕", "522422201207080021", "18708534567", "腿脚不便需轮椅"),
    ("Zhang Weiwei", "522422201105051234", "13312345678", "secret-remark-xyzzy"),
]


def secrets_of(children: list[tuple[str, str, str, str]]) -> list[bytes]:
    out: list[bytes] = []
    for name, id_number, phone, remark in children:
        for text in (name, id_number, phone, remark):
            out += [text.encode("utf-8"), text.encode("utf-16-le")]
    return out


def files_under(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        yield from (p for p in folder.rglob("*") if p.is_file())


def leaks(blob: bytes, needles: list[bytes]) -> list[bytes]:
    return [n for n in needles if n in blob]


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "private-tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def visit(name: str, id_number: str, phone: str, remark: str) -> dict[str, Any]:
    return {
        "survey_date": "2026-07-01", "township_code": "522422102",
        "village_code": "522422102201", "child_name": name, "sex": "female",
        "has_id_number": "yes", "id_number": id_number, "birth_date": id_number[6:10] + "-03-15",
        "guardian_phone": phone, "remarks": remark, "is_left_behind": "yes",
        "risk_level": "high", "urgent_report": "no", "follow_up_days": 30,
    }


@pytest.mark.slow
def test_full_run__no_personal_data_in_logs_temp_files_or_workspace_bytes(
    tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PASSWORD)
    monkeypatch.setenv("SURVEYAPP_NEW_PASSWORD", PASSWORD)
    folder = tmp_path / "workspace"
    folder.mkdir()
    path = folder / "village.sdb"
    needles = secrets_of(CHILDREN)
    cli_output: list[str] = []

    def cli(*argv: str) -> int:
        code = main(["--lang", "en", *argv])
        captured = capsys.readouterr()
        cli_output.extend([captured.out, captured.err])
        return code

    assert cli("workspace", "create", str(path), "--user", "wang", "--role", "village",
               "--org-code", "522422102201", "--org-name", "测试村") == 0
    with Workspace.open(path, "wang", PASSWORD) as ws:
        saved = [ws.save_visit(None, visit(*child), form_id="child_screening", form_version="1")
                 for child in CHILDREN]
        ws.save_visit(saved[0].child_id, visit(*CHILDREN[0]), form_id="child_screening",
                      form_version="1")
        ws.save_draft("new-child", json.dumps({"child_name": CHILDREN[1][0]}, ensure_ascii=False))
        ws.record_exit(saved[2].child_id, reason="moved_away", date="2026-08-01")
    usb = tmp_path / "usb"
    assert cli("ledger", "export", "--workspace", str(path), "--user", "wang",
               str(usb / "台账.xlsx")) == 0
    assert cli("ledger", "export", "--workspace", str(path), "--user", "wang", "--csv",
               str(usb / "台账.csv")) == 0
    # The export itself holds the names (that is its purpose): prove the scan would see them.
    assert leaks((usb / "台账.csv").read_bytes(), needles)

    # A bug deep in an export: Python's own message quotes the value it choked on.
    real_child_row = ops_ledger.child_row

    def buggy_child_row(view: Any) -> dict[str, Any]:
        row = real_child_row(view)
        int(row["child_name"])  # ValueError: invalid literal for int() ...: '<the name>'
        return row

    monkeypatch.setattr(ops_ledger, "child_row", buggy_child_row)
    assert cli("ledger", "export", "--workspace", str(path), "--user", "wang",
               str(usb / "again.xlsx")) == 2

    crash_logs = list(private_tmp.glob("surveyapp-crash-*.log"))
    assert len(crash_logs) == 1
    assert "ValueError" in crash_logs[0].read_text(encoding="utf-8")  # the log is useful
    for log_file in files_under(private_tmp, folder):
        blob = log_file.read_bytes()
        assert leaks(blob, needles) == [], log_file.name
        assert SQLITE_HEADER not in blob, log_file.name
    assert leaks("\n".join(cli_output).encode("utf-8"), needles) == []
    assert leaks(caplog.text.encode("utf-8"), needles) == []
    assert not (usb / "again.xlsx").exists()
    assert sorted(p.name for p in usb.iterdir()) == ["台账.csv", "台账.xlsx"]
