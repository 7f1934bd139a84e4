"""The test side of the kill -9 tests: drives ``hardening_zygote.py`` and reads outcomes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ZYGOTE = Path(__file__).resolve().parent / "hardening_zygote.py"


class Zygote:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(ZYGOTE)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def run_and_kill(self, command: list[object], delay: float | None) -> tuple[int, float]:
        """Start ``command`` in a forked worker and SIGKILL it after ``delay`` s (None: let it
        finish); the wait status and the seconds it ran."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(command).encode() + b"\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line.strip().isdigit(), self.stderr(line)
        pid = int(line)
        started = time.monotonic()
        if delay is not None:
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)  # not reaped yet (at worst a zombie): still ours
        self.proc.stdin.write(b"reap\n")
        self.proc.stdin.flush()
        end = self.proc.stdout.readline().split()
        assert end[:2] == [b"end", str(pid).encode()], end
        return int(end[2]), time.monotonic() - started

    def stderr(self, line: bytes) -> str:
        self.proc.kill()
        _, err = self.proc.communicate(timeout=30)
        return f"{line!r} {err.decode('utf-8', 'replace')[-3000:]}"

    def close(self) -> None:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()
        self.proc.stderr.close()


def outcome(status: int) -> str:
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return "killed"
    assert os.WEXITSTATUS(status) == 0, "the worker failed on its own"
    return "finished"
