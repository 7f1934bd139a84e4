"""UI test setup: every test here is ``gui``, Qt warnings fail it, and the app's settings
and data live in the test's own folder (``SURVEYAPP_HOME``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

FORM = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"
PASSWORD = "correct horse 42"  # noqa: S105 - a test password


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.gui)
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # The offscreen platform warns about window size hints it cannot honour.
            item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("SURVEYAPP_HOME", str(path))
    monkeypatch.setenv("SURVEYAPP_LANG", "zh_CN")
    return path


@pytest.fixture
def app(qapp: Any) -> Any:
    from surveyapp.ui.app import make_app

    application, _settings = make_app()
    return application


@pytest.fixture
def workspace(tmp_path: Path) -> Any:
    from surveyapp.core.store import Workspace

    ws = Workspace.create(
        tmp_path / "village.sdb",
        role="village",
        org_code="522422102201",
        org_name="箐口村",
        user="wangfang",
        password=PASSWORD,
    )
    yield ws
    ws.close()


@pytest.fixture
def backend(app: Any, workspace: Any) -> Any:
    from surveyapp.ui.backend import Backend

    return Backend(workspace, lang="zh_CN", form_path=FORM)


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
