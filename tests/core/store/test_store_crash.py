"""Crash safety with real processes: a writer saving visits is killed with SIGKILL at random
moments, 50 times; each time the workspace reopens, both integrity checks pass, and every save
the writer saw return is there."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import PASSWORD

from surveyapp.core.store import Workspace

WRITER = Path(__file__).resolve().parent / "crash_writer.py"
ROUNDS = 50


def run_and_kill(path: Path, seed: int, rng: random.Random) -> list[list[str]]:
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(path), "wang", PASSWORD, str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    try:
        ready = proc.stdout.readline()
        assert ready == b"ready\n", proc.stderr.read() if proc.stderr else ready
        time.sleep(rng.uniform(0.0, 0.12))
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    lines = out.decode("utf-8", "replace").split("\n")
    # The last piece is cut mid-line (or empty): only complete lines were reported saves.
    return [line.split() for line in lines[:-1] if line]


@pytest.mark.slow
def test_kill_writer_50_times__reopens_intact_with_every_returned_save(
    fresh_store: Workspace,
) -> None:
    path = fresh_store.path
    fresh_store.close()
    rng = random.Random(20161)
    reported: list[list[str]] = []
    for round_no in range(ROUNDS):
        saves = run_and_kill(path, round_no, rng)
        reported += saves
        with Workspace.open(path, "wang", PASSWORD) as ws:
            assert ws.integrity_errors() == [], f"round {round_no}"
            for child_id, child_rev, visit_rev in saves:
                assert ws.get_revision(child_rev) is not None, f"round {round_no}"
                assert ws.get_revision(visit_rev) is not None, f"round {round_no}"
                assert ws.get_child(child_id) is not None, f"round {round_no}"
            assert ws.verify_audit() is None
    assert len(reported) > ROUNDS  # the writer did get saves through
