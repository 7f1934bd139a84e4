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
