"""Build the demo county workspace: generated families, classified by the real form, saved
through the store.

``build_demo_workspace(path, *, children=2000, seed=2016, ...) -> DemoResult``: generates
the county with ``surveyapp.core.demo``, runs every visit through the screening form's
engine (so the classification comes from the form's own rules), and saves visits, exits
and concurrent edits (conflicts) to a new workspace. It builds into ``<path>.building``
and renames at the end, so an interrupted build never leaves a half-filled demo.
The login is ``DEMO_USER`` / ``DEMO_PASSWORD`` (shown on the login screen).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from surveyapp.errors import CommonCode, SurveyError

DEMO_USER = "demo"
DEMO_PASSWORD = "demo-2016"  # noqa: S105 - a published demo login, not a secret
FORM_PATH = Path(__file__).resolve().parents[3] / "forms" / "child_screening.xlsx"

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
    for leftover in path.parent.glob(building.name + "*"):
        leftover.unlink()
    county = generate_demo(seed=seed, children=children)
    form = load_form(FORM_PATH)
    total = len(county.children)
    visits = exits = conflicts = urgent = 0
    ws = Workspace.create(
        building,
        role="county",
        org_code=county.county.code,
        org_name=county.county.name,
        user=DEMO_USER,
        password=DEMO_PASSWORD,
    )
    try:
        for done, child in enumerate(county.children):
            if cancelled is not None and cancelled():
                raise SurveyError(CommonCode.CANCELLED)
            record_id: str | None = None
            submission: dict[str, Any] = {}
            for visit in child.visits:
                submission = classify(form, visit.answers, visit.survey_date)
                record_id = ws.save_visit(
                    record_id, submission, form_id=form.form_id, form_version=form.version
                )
                visits += 1
            urgent += submission.get("urgent_report") == "yes"
            if child.conflict is not None and record_id is not None:
                ws.save_conflicting_visit(
                    record_id, classify(form, child.conflict, child.latest.survey_date)
                )
                conflicts += 1
            if child.exit is not None and record_id is not None:
                ws.record_exit(
                    record_id,
                    reason=child.exit.reason,
                    date=child.exit.date.isoformat(),
                    note=child.exit.note,
                )
                exits += 1
            if progress is not None and done % 20 == 0:
                progress(done, total)
    except BaseException:
        ws.close()
        for leftover in path.parent.glob(building.name + "*"):
            leftover.unlink()
        raise
    ws.close()
    os.replace(building, path)
    if progress is not None:
        progress(total, total)
    return DemoResult(path, total, visits, exits, conflicts, urgent, time.perf_counter() - started)
