"""A pre-warmed process that forks one worker per command, for the kill -9 tests.

    python hardening_zygote.py

Reads commands from stdin, one a line, as JSON lists:

- ``["import", workspace, password, seed, count]``: insert ``count`` new child revisions
  (made from ``seed``) with ``Workspace.insert_revisions``, in one call.
- ``["export", workspace, password, out_path, fmt]``: export the ledger of the workspace.
- ``["batch_import", workspace, key_hex, batch]`` / ``["batch_export", workspace, key_hex,
  out_dir]``: ``ops.batches`` on a workspace opened with its raw key.

For each command it forks a worker, prints ``<pid>`` at once (flushed), waits for one more
line (``reap``), then waits for the worker to end (usually killed by the test) and prints
``end <pid> <wait status>``. The imports happen in
the zygote before the first command, so that each forked worker starts working at once and a
kill after 5-300 ms lands in the work rather than in Python's start-up.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from surveyapp.core.ledger import FormLabels, export_ledger
from surveyapp.core.store import Workspace
from surveyapp.core.store.revisions import Revision
from surveyapp.core.store.views import pinyin_of
from surveyapp.ops.batches import export_batch, import_batch
from surveyapp.ops.ledger import iter_workspace_rows

FORM = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"
LABELS = FormLabels.from_form(FORM)
pinyin_of("预热")  # load pypinyin's tables before forking


def child_revisions(seed: int, count: int, device_id: str = "dev-import",
                    author: str = "li") -> list[Revision]:
    """Synthetic child revisions; ``device_id`` the village device that "made" them and
    ``author`` its user (a batch carries only its own device's revisions, by its users)."""
    out = []
    for n in range(count):
        data: dict[str, Any] = {
            "survey_date": "2026-07-01", "township_code": "522422102",
            "village_code": "522422102201", "child_name": f"导入{seed}号{n}",
            "id_number": f"52242220{seed:04d}{n:06d}", "sex": "female", "status": "active",
            "birth_date": "2012-03-04", "is_left_behind": "yes", "risk_level": "medium",
        }
        out.append(Revision.make(kind="child", record_id=f"c-{seed}-{n}", author=author,
                                 device_id=device_id, created_at="2026-07-01T00:00:00.000000Z",
                                 data=data))
    return out


def work(command: list[Any]) -> None:
    if command[0] == "import":
        _, path, password, seed, count = command
        revisions = child_revisions(int(seed), int(count))
        with Workspace.open(path, "wang", password) as ws:
            ws.insert_revisions(revisions)
    elif command[0] == "batch_import":
        _, path, key_hex, batch = command
        with Workspace.open_with_key(path, bytes.fromhex(key_hex), "u") as ws:
            import_batch(ws, batch)
    elif command[0] == "batch_export":
        _, path, key_hex, out = command
        with Workspace.open_with_key(path, bytes.fromhex(key_hex), "u") as ws:
            export_batch(ws, out)
    elif command[0] == "export":
        _, path, password, out, fmt = command
        with Workspace.open(path, "wang", password) as ws:
            export_ledger(iter_workspace_rows(ws), out, labels=LABELS, county_name="测试县",
                          fmt=fmt)


def main() -> None:
    for line in iter(sys.stdin.readline, ""):
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                work(command)
            except BaseException:  # the test sees a non-zero exit
                code = 3
            os._exit(code)
        print(pid, flush=True)
        # Reap only when the test says so: until then a finished worker stays a zombie, so
        # its pid cannot be reused and the test's SIGKILL never reaches another process.
        sys.stdin.readline()
        _, status = os.waitpid(pid, 0)
        print("end", pid, status, flush=True)


if __name__ == "__main__":
    main()
