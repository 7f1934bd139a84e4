"""UI test setup: every test here is ``gui``, Qt warnings fail it, and the app's settings
and data live in the test's own folder (``SURVEYAPP_HOME``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from uihelpers import FORM, PASSWORD


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
        work_factor=10,  # a cheap KDF: the tests are about the UI, not the key wrap
    )
    yield ws
    ws.close()


@pytest.fixture
def backend(app: Any, workspace: Any) -> Any:
    from surveyapp.ui.backend import Backend

    return Backend(workspace, lang="zh_CN", form_path=FORM)
