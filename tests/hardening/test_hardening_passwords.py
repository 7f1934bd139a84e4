"""Password attempts are rate-limited across restarts: every attempt is a new process (the
real CLI), so the only memory of earlier failures is the workspace's key file.

After the free attempts, a wrong password earns a wait (STORE_002); during the wait the right
password is refused with the very same answer, so an attacker learns nothing from trying it,
and the key file records nothing that tells the two apart.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from surveyapp.core.store import Workspace
from surveyapp.core.store.keys import FREE_ATTEMPTS, sidecar_path

PASSWORD = "correct horse 1"  # noqa: S105 - a test password
WRONG = "wrong horse 12"


def start(path: Path, password: str) -> subprocess.Popen[bytes]:
    """``surveyapp workspace info`` in a new process."""
    env = {**os.environ, "SURVEYAPP_PASSWORD": password}
    return subprocess.Popen(
        [sys.executable, "-m", "surveyapp", "--lang", "en", "workspace", "info", str(path),
         "--user", "wang", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )


def finish(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    """The exit code and error output of a process from :func:`start`."""
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err.decode("utf-8", "replace")


def attempt(path: Path, password: str) -> tuple[int, str]:
    return finish(start(path, password))


def code_of(stderr: str) -> str:
    return str(json.loads(stderr.strip().splitlines()[-1])["error"]["code"])


def without_numbers(text: str) -> str:
    return re.sub(r"\d+", "N", text)


@pytest.mark.slow
def test_wrong_passwords_across_restarts__delay_and_right_password_refused_alike(
    tmp_path: Path,
) -> None:
    path = tmp_path / "village.sdb"
    Workspace.create(path, role="village", org_code="522422102201", org_name="测试村",
                     user="wang", password=PASSWORD, work_factor=10).close()
    for n in range(FREE_ATTEMPTS):
        exit_code, err = attempt(path, WRONG)
        assert (exit_code, code_of(err)) == (1, "STORE_001"), f"attempt {n}: {err}"
    # The next attempts, each in a fresh process, must wait: wrong or right alike.
    key_file = sidecar_path(path)
    before = key_file.read_bytes()
    # Both start at once, well inside the first wait (5 s) even on a busy machine.
    wrong, right = start(path, WRONG), start(path, PASSWORD)
    (wrong_exit, wrong_err), (right_exit, right_err) = finish(wrong), finish(right)
    assert (wrong_exit, code_of(wrong_err)) == (1, "STORE_002"), wrong_err
    assert (right_exit, code_of(right_err)) == (1, "STORE_002"), right_err
    assert without_numbers(right_err) == without_numbers(wrong_err)
    assert key_file.read_bytes() == before  # attempts refused unread leave no trace
    wait = json.loads(right_err.strip().splitlines()[-1])["error"]["message_en"]
    assert re.search(r"Wait [1-9]\d* seconds", wait), wait
