"""Build the demo county workspace: generated families, classified by the real form, saved
through the store.

``build_demo_workspace(path, *, children=2000, seed=2016, ...) -> DemoResult``: generates
the county with ``surveyapp.core.demo``, runs every visit through the screening form's
engine (so the classification comes from the form's own rules), and saves visits, exits
and concurrent edits (conflicts) to a new workspace with ``Workspace.save_visit``,
``save_conflicting_visit`` and ``record_exit``, all in one transaction. It builds into
``<path>.building`` and renames at the end, so an interrupted build never leaves a
half-filled demo. The login is ``DEMO_USER`` / ``DEMO_PASSWORD`` (shown on the login screen).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from surveyapp.errors import CommonCode, SurveyError
from surveyapp.paths import FORM_PATH

DEMO_USER = "demo"
DEMO_PASSWORD = "demo-2016"  # noqa: S105 - a published demo login, not a secret
# The generator's exit reasons as the store names them.
EXIT_REASON = {"deceased": "died"}

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class DemoResult:
    path: Path
    children: int
    visits: int
    exits: int
    conflicts: int
    urgent: int
    seconds: float


def classify(form: Any, answers: Mapping[str, Any], survey_date: Any) -> dict[str, Any]:
    """The submission the form makes of ``answers`` (answers + calculates, relevant only)."""
    from surveyapp.core.forms import FormSession

    session = FormSession(form, dict(answers), today=survey_date)
    return dict(session.submission())


def _remove(building: Path) -> None:
    for leftover in building.parent.glob(building.name + "*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _save_children(
    ws: Any,
    form: Any,
    children: Iterable[Any],
    total: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> dict[str, int]:
    counts = {"visits": 0, "exits": 0, "conflicts": 0, "urgent": 0}
    for done, child in enumerate(children):
        if cancelled is not None and cancelled():
            raise SurveyError(CommonCode.CANCELLED)
        record_id: str | None = None
        submission: dict[str, Any] = {}
        for visit in child.visits:
            submission = classify(form, visit.answers, visit.survey_date)
            record_id = ws.save_visit(
                record_id, submission, form_id=form.form_id, form_version=form.version
            ).child_id
            counts["visits"] += 1
        counts["urgent"] += submission.get("urgent_report") == "yes"
        if record_id is None:
            continue
        if child.conflict is not None:
            conflict = classify(form, child.conflict, child.latest.survey_date)
            ws.save_conflicting_visit(record_id, conflict)
            counts["conflicts"] += 1
        if child.exit is not None:
            ws.record_exit(
                record_id,
                reason=EXIT_REASON.get(child.exit.reason, child.exit.reason),
                date=child.exit.date.isoformat(),
                note=child.exit.note,
            )
            counts["exits"] += 1
        if progress is not None and done % 20 == 0:
            progress(done, total)
    return counts


def build_demo_workspace(
    path: Path,
    *,
    children: int = 2000,
    seed: int = 2016,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    overwrite: bool = False,
) -> DemoResult:
    """Generate, classify and save the demo county into a new workspace at ``path``.

    :param children: about how many children the county has.
    :param progress: called with (children done, children total).
    :param cancelled: polled between children; True stops and removes the partial file.
    :param overwrite: replace an existing demo workspace.
    :raises SurveyError: CANCELLED when cancelled; IO_003 when ``path`` exists and
        ``overwrite`` is False; store errors (disk full, ...) as raised by the store.
    """
    from surveyapp.core.demo import generate_demo
    from surveyapp.core.forms import load_form
    from surveyapp.core.store import Workspace

    started = time.perf_counter()
    if path.exists() and not overwrite:
        raise SurveyError(CommonCode.IO_003, path=str(path), reason="file exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    _remove(building)
    county = generate_demo(seed=seed, children=children)
    form = load_form(FORM_PATH)
    ws = Workspace.create(
        building,
        role="county",
        org_code=county.county.code,
        org_name=county.county.name,
        user=DEMO_USER,
        password=DEMO_PASSWORD,
    )
    total = len(county.children)
    try:
        # One transaction for the whole county (one fsync at the end).
        with ws.conn.bulk():
            counts = _save_children(ws, form, county.children, total, progress, cancelled)
    except BaseException:
        ws.close()
        _remove(building)
        raise
    ws.close()
    _move_into_place(building, path)
    if progress is not None:
        progress(total, total)
    return DemoResult(
        path,
        total,
        counts["visits"],
        counts["exits"],
        counts["conflicts"],
        counts["urgent"],
        time.perf_counter() - started,
    )


def _move_into_place(building: Path, path: Path) -> None:
    """Rename the database and its sidecars (key file, WAL) from ``building`` to ``path``."""
    for leftover in building.parent.glob(building.name + "*"):
        target = path.with_name(path.name + leftover.name[len(building.name) :])
        os.replace(leftover, target)
