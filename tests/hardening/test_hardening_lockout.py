"""Issue 12, items 5 and 6: password delays that parallel guesses cannot beat, a wait that a
clock change cannot stretch to a day, and a reset file that works once, for one user.

Each attack is made as a user of the laptop would make it: the real CLI in separate
processes (or threads calling the store), files edited with a text editor.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_hardening_passwords import PASSWORD, WRONG, code_of, finish, start

from surveyapp.cli.main import main
from surveyapp.core.crypto import generate_age_identity
from surveyapp.core.store import Workspace, keys
from surveyapp.core.store.codes import StoreCode
from surveyapp.errors import SurveyError

PARALLEL = 12


def _workspace(path: Path, recipient: str | None = None) -> Path:
    Workspace.create(path, role="village", org_code="522422102201", org_name="测试村",
                     user="wang", password=PASSWORD, work_factor=10,
                     recovery_recipient=recipient).close()
    return path


def _failures(path: Path) -> int:
    return keys.read(path).users["wang"].failures


# --- item 5: parallel attempts ----------------------------------------------------------------
@pytest.mark.slow
def test_parallel_cli_guesses__every_checked_guess_counted(tmp_path: Path) -> None:
    """12 `workspace info` processes with wrong passwords at once: each one is either checked
    and counted (STORE_001) or refused unread during the wait (STORE_002). Before the lock,
    all 12 were checked and the counter moved by one."""
    path = _workspace(tmp_path / "village.sdb")
    procs = [start(path, WRONG) for _ in range(PARALLEL)]
    codes = [code_of(err) for exit_code, err in map(finish, procs) if exit_code == 1]
    assert len(codes) == PARALLEL
    checked = codes.count("STORE_001")
    assert checked + codes.count("STORE_002") == PARALLEL
    assert _failures(path) == checked  # no lost update: every checked guess counts
    assert checked >= keys.FREE_ATTEMPTS
    # The delays hold: most of the 12 never reached the key derivation.
    assert codes.count("STORE_002") >= 1


def test_parallel_thread_guesses__counter_moves_by_each_checked_guess(tmp_path: Path) -> None:
    path = _workspace(tmp_path / "village.sdb")
    now = 1_000_000.0  # one instant for every attempt: none may outwait another's delay
    results: list[str] = []
    barrier = threading.Barrier(PARALLEL)

    def guess() -> None:
        barrier.wait()
        try:
            keys.unlock(path, "wang", WRONG, now=now)
        except SurveyError as err:
            results.append(err.code.name)

    threads = [threading.Thread(target=guess) for _ in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == (["STORE_001"] * keys.FREE_ATTEMPTS
                               + ["STORE_002"] * (PARALLEL - keys.FREE_ATTEMPTS))
    assert _failures(path) == keys.FREE_ATTEMPTS


def test_lock_is_held_through_key_derivation(tmp_path: Path) -> None:
    """While another program holds the key file's lock, an attempt waits for it (and then
    sees that program's counter), instead of reading a stale counter."""
    path = _workspace(tmp_path / "village.sdb")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from pathlib import Path\n"
         "from surveyapp.core.files import exclusive\n"
         "with exclusive(Path(sys.argv[1])):\n"
         "    print('held', flush=True)\n"
         "    time.sleep(1.5)\n",
         str(keys.lock_path(path))],
        stdout=subprocess.PIPE, env=dict(os.environ),
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
    started = time.monotonic()
    assert len(keys.unlock(path, "wang", PASSWORD)) == 32
    waited = time.monotonic() - started
    holder.communicate(timeout=30)
    assert holder.returncode == 0
    assert waited > 0.3  # it did wait for the holder (no upper bound: a busy machine)


# --- item 5: the clock ------------------------------------------------------------------------
def test_failures_recorded_a_day_ahead__right_password_waits_no_more_than_the_delay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The laptop's clock was a day ahead when someone typed wrong passwords; the clock is
    then put right. The right password is told to wait seconds, not 86,405 seconds, and the
    wait ends."""
    path = _workspace(tmp_path / "village.sdb")
    day_ahead = time.time() + 86_400
    for _ in range(keys.FREE_ATTEMPTS):
        with pytest.raises(SurveyError):
            keys.unlock(path, "wang", WRONG, now=day_ahead)
    assert _failures(path) == keys.FREE_ATTEMPTS
    delay = keys.delay_for(keys.FREE_ATTEMPTS)
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PASSWORD)
    assert main(["--lang", "en", "workspace", "info", str(path), "--user", "wang",
                 "--json"]) == 1
    error = json.loads(capsys.readouterr().err)["error"]
    assert error["code"] == "STORE_002"
    wait = int(error["message_en"].split("Wait ")[1].split()[0])
    assert 0 < wait <= delay  # not 86,4xx
    # The wait now counts from the real clock: once it is over, the right password opens.
    later = time.time() + delay + 1
    assert len(keys.unlock(path, "wang", PASSWORD, now=later)) == 32
    assert _failures(path) == 0


def test_delay_left_is_capped_for_any_recorded_time() -> None:
    entry = keys.UserKey(b"", 10, failures=keys.FREE_ATTEMPTS + 20, last_failure=10.0**12)
    assert keys.delay_left(entry, 0.0) == keys.MAX_DELAY
    assert keys.delay_left(entry, 10.0**12 + keys.MAX_DELAY) == 0.0


# --- item 6: reset files ----------------------------------------------------------------------
@pytest.fixture
def reset_case(tmp_path: Path, capsys: pytest.CaptureFixture[str],
               monkeypatch: pytest.MonkeyPatch) -> dict[str, Path | str]:
    """A workspace with users wang and li, and a reset file the county issued for wang."""
    identity, recipient = generate_age_identity()
    county_key = tmp_path / "county.key"
    county_key.write_text(identity + "\n", encoding="utf-8")
    path = _workspace(tmp_path / "village.sdb", recipient)
    with Workspace.open(path, "wang", PASSWORD) as ws:
        ws.add_user("li", "li's password 1", work_factor=10)
    usb = tmp_path / "usb"
    usb.mkdir()
    assert main(["recovery", "request", str(path), "--user", "wang",
                 "--out", str(usb / "request.json")]) == 0
    assert main(["recovery", "issue", str(usb / "request.json"), "--identity", str(county_key),
                 "--out", str(usb / "reset.json"), "--json"]) == 0
    issued = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    monkeypatch.setenv("SURVEYAPP_RESET_PASSPHRASE", issued["passphrase"])
    monkeypatch.setenv("SURVEYAPP_NEW_PASSWORD", "wang's new password")
    return {"path": path, "reset": usb / "reset.json"}


def _apply(capsys: pytest.CaptureFixture[str], path: Path, reset: Path) -> dict[str, str]:
    code = main(["--lang", "en", "recovery", "apply", str(path), str(reset), "--json"])
    out, err = capsys.readouterr()
    return json.loads(out) if code == 0 else json.loads(err)["error"]


def _state(path: Path) -> tuple[bytes, int, list[str]]:
    with Workspace.open_with_key(path, _key(path), "check") as ws:
        audit = [e.hash for e in ws.audit_entries()]
        revs = ws.conn.one("SELECT count(*) FROM revisions")
    return keys.sidecar_path(path).read_bytes(), int(revs[0]) if revs else 0, audit


def _key(path: Path) -> bytes:
    return keys.unlock(path, "li", "li's password 1")


def test_reset_file_applied_twice__second_refused_store_020(
    reset_case: dict[str, Path | str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, reset = Path(reset_case["path"]), Path(reset_case["reset"])
    assert _apply(capsys, path, reset) == {"reset": "wang"}
    before = _state(path)
    # Someone finds the used file (and the passphrase on the sticky note) and tries again.
    monkeypatch.setenv("SURVEYAPP_NEW_PASSWORD", "an attacker's password")
    error = _apply(capsys, path, reset)
    assert error["code"] == "STORE_020"
    assert "once" in error["message_en"] and "只能使用一次" in error["message_zh"]
    assert _state(path) == before
    assert len(keys.unlock(path, "wang", "wang's new password")) == 32
    with pytest.raises(SurveyError) as info:
        keys.unlock(path, "wang", "an attacker's password")
    assert info.value.code is StoreCode.STORE_001


def test_reset_file_with_edited_user__refused_store_010_nothing_changed(
    reset_case: dict[str, Path | str], capsys: pytest.CaptureFixture[str],
) -> None:
    """wang edits the user field of his own reset file to li, to take over li's login."""
    path, reset = Path(reset_case["path"]), Path(reset_case["reset"])
    doc = json.loads(reset.read_text(encoding="utf-8"))
    doc["user"] = "li"
    edited = reset.with_name("reset-li.json")
    edited.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    before = _state(path)
    error = _apply(capsys, path, edited)
    assert error["code"] == "STORE_010"
    assert "changed" in error["message_en"]
    assert _state(path) == before
    # li's password is still li's; the unedited file still works for wang, once.
    assert len(keys.unlock(path, "li", "li's password 1")) == 32
    assert _apply(capsys, path, reset) == {"reset": "wang"}


def test_reset_file_of_version_1__refused(reset_case: dict[str, Path | str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A reset file in the old, unbound form (version 1) is not accepted any more."""
    path, reset = Path(reset_case["path"]), Path(reset_case["reset"])
    doc = json.loads(reset.read_text(encoding="utf-8"))
    doc["version"] = 1
    old = reset.with_name("reset-v1.json")
    old.write_text(json.dumps(doc), encoding="utf-8")
    before = _state(path)
    assert _apply(capsys, path, old)["code"] == "STORE_010"
    assert _state(path) == before
