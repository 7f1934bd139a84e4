"""Helpers shared by the UI tests: a valid screening and a way to save it through the engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

FORM = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"
PASSWORD = "correct horse 42"  # noqa: S105 - a test password


def answers(**changes: Any) -> dict[str, Any]:
    """A complete, valid screening (a rural boy of 10 living with both parents)."""
    import datetime as dt

    from surveyapp.core.ids import make_resident_id

    birth = dt.date(2016, 3, 15)
    base: dict[str, Any] = {
        "survey_date": "2026-07-01",
        "township_code": "522422102",
        "village_code": "522422102201",
        "residence_type": "rural",
        "surveyor_name": "王芳",
        "child_name": "张小明",
        "sex": "male",
        "ethnicity": "01",
        "has_id_number": "yes",
        "id_number": make_resident_id("522422", birth, 11),
        "birth_date": birth.isoformat(),
        "hukou_registered": "yes",
        "hukou_rural": "yes",
        "school_status": "primary",
        "school_name": "箐口村小学",
        "health_status": "healthy",
        "father_name": "张建国",
        "father_status": "at_home",
        "mother_name": "李秀英",
        "mother_status": "at_home",
        "carer_type": "parent",
        "carer_name": "张建国",
        "carer_health": "good",
        "risk_signs": "none",
        "consent": "yes",
    }
    base.update(changes)
    return base


def submit(backend: Any, record_id: str | None = None, **changes: Any) -> str:
    """Fill ``answers(**changes)`` through the real engine and save it; return the record id."""
    import datetime as dt

    from surveyapp.core.forms import FormSession

    session = FormSession(backend.form, answers(**changes), today=dt.date(2026, 7, 1))
    assert session.errors("zh") == {}, session.errors("zh")
    return backend.save_visit(record_id, session.submission())


def type_text(qtbot: Any, widget: Any, text: str) -> None:
    """Type ``text``: ASCII as key clicks, Chinese as an input method commits it (as an IME)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "小明红华丽伟芳军强静敏磊洋勇艳杰娟涛超霞平刚桂英"


def bulk_children(ws: Any, n: int, seed: int = 1, names: str = "") -> None:
    """Insert ``n`` children (view-ready child revisions) through the store's bulk path
    (``names``: pick each name from these characters only, for runs of equal names)."""
    import datetime as dt
    import random
    import uuid

    from surveyapp.core.ids import make_resident_id
    from surveyapp.core.store import Revision

    rng = random.Random(seed)
    villages = ("522422102201", "522422102202", "522422105201", "522422209201")

    def revisions() -> Any:
        for _ in range(n):
            birth = dt.date(2009, 1, 1) + dt.timedelta(days=rng.randrange(6000))
            village = rng.choice(villages)
            risk = rng.choices(("low", "medium", "high"), (80, 18, 2))[0]
            data = {
                "child_name": rng.choice(names) if names
                else rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                "id_number": make_resident_id("522422", birth, rng.randrange(1000)),
                "sex": rng.choice(("male", "female")),
                "birth_date": birth.isoformat(),
                "township_code": village[:9],
                "village_code": village,
                "is_left_behind": rng.choice(("yes", "no")),
                "is_in_difficulty": "yes" if risk != "low" else "no",
                "risk_level": risk,
                "urgent_report": "yes" if risk == "high" else "no",
                "survey_date": "2026-06-01",
                "follow_up_days": {"low": 90, "medium": 30, "high": 7}[risk],
                "status": "active",
            }
            yield Revision.make(
                kind="child",
                record_id=str(uuid.UUID(int=rng.getrandbits(128))),
                author="bulk",
                device_id="bulk",
                data=data,
            )

    ws.insert_revisions(revisions())
