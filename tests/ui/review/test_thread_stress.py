"""Thread stress (issue #18): workers on the real pool run import previews and reads while
the GUI thread saves a draft every 10 ms. Every draft is there afterwards, no worker or save
failed (no "cannot start a transaction", no busy store), and the audit chain verifies.

The issue asks for 10 s; this runs for ``SECONDS`` (4 s) to keep CI time down — set
``SURVEYAPP_STRESS_SECONDS=10`` for the full run."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThreadPool, QTimer
from reviewworld import V2, child, enrolled_tiers

from surveyapp.errors import SurveyError
from surveyapp.ops import batches, importplan, review
from surveyapp.ui.backend import Backend
from surveyapp.ui.workers import Worker, start

SECONDS = float(os.environ.get("SURVEYAPP_STRESS_SECONDS", "4"))
SAVE = {"form_id": "child_screening", "form_version": "1"}
FORM = Path(__file__).resolve().parents[3] / "forms" / "child_screening.xlsx"


def test_previews_and_reads_while_autosaving(app: Any, qtbot: Any, tmp_path: Path) -> None:
    county, town, v1, v2 = enrolled_tiers(tmp_path)
    try:
        folder = tmp_path / "usb"
        folder.mkdir()
        for i in range(3):
            v1.save_visit(None, child(name=f"张{i}", idn=""), **SAVE)
        batches.export_batch(v1, folder)
        v2.save_visit(None, child(name="王丽", idn="", village=V2), **SAVE)
        batches.export_batch(v2, folder)
        files = importplan.batch_files(folder)
        backend = Backend(town, lang="zh_CN", form_path=FORM)

        def preview(_p: Any, _c: Any) -> Any:
            report = importplan.dry_run(town, files, lambda d, t: None, lambda: False)
            assert len(report.new) == 4
            return "preview"

        def reads(_p: Any, _c: Any) -> Any:
            # A few hundred ms of reads per job: fewer, longer jobs (thousands of short
            # QRunnables trip a refcount bug in PySide6 6.12 at interpreter exit).
            until = time.monotonic() + 0.3
            while time.monotonic() < until:
                town.count_children()
                town.query_children(None, 0, 50)
                review.conflicts(town)
                town.audit_entries(limit=20)
            return "reads"

        failures: list[BaseException] = []
        done: dict[str, int] = {"preview": 0, "reads": 0}
        running: set[Worker] = set()
        deadline = time.monotonic() + SECONDS

        def launch(job: Any) -> None:
            worker = Worker(job)
            running.add(worker)

            def finished(kind: Any) -> None:
                running.discard(worker)
                done[kind] += 1
                if time.monotonic() < deadline:
                    launch(job)

            def failed(err: BaseException) -> None:
                running.discard(worker)
                failures.append(err)

            worker.signals.finished.connect(finished)
            worker.signals.failed.connect(failed)
            start(worker)

        saved: list[str] = []
        save_errors: list[SurveyError] = []

        def autosave() -> None:
            key = f"form:stress-{len(saved)}"
            try:
                backend.save_draft(key, {"record_id": None, "answers": {"child_name": key}})
            except SurveyError as err:
                save_errors.append(err)
                return
            saved.append(key)

        for job in (preview, preview, reads, reads, reads):
            launch(job)
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(autosave)
        timer.start()
        qtbot.waitUntil(lambda: time.monotonic() >= deadline, timeout=int(SECONDS * 1000) + 5000)
        timer.stop()
        qtbot.waitUntil(lambda: not running, timeout=120_000)
        assert QThreadPool.globalInstance().waitForDone(30_000)

        print(f"stress {SECONDS:g} s: {len(saved)} drafts saved, {done['preview']} previews, "
              f"{done['reads']} read jobs")
        assert failures == []
        assert [e.code.name for e in save_errors] == []
        assert done["preview"] >= 2 and done["reads"] >= 3
        assert len(saved) > SECONDS * 10  # the GUI thread was never blocked for long
        stored = {d.key for d in town.load_drafts()}
        assert stored == set(saved)
        assert town.count_children() == 0  # previews imported nothing
        assert town.verify_audit() is None
        assert town.integrity_errors() == []
        leftovers = [p.name for p in town.path.parent.iterdir() if ".preview-" in p.name]
        assert leftovers == []
    finally:
        for ws in (county, town, v1, v2):
            ws.close()
