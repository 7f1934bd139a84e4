"""Shared test setup: Qt runs offscreen; the UI language is Chinese unless a test says otherwise.

With ``SURVEYAPP_REQUIRE_TOOLS=1`` (``scripts/test``, hence CI) the run fails at once when
Debian's ``age`` or ``minisign`` is missing, instead of skipping the interop tests.
"""

import os
import shutil

import pytest

INTEROP_TOOLS = ("age", "minisign")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SURVEYAPP_LANG", "zh_CN")


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("SURVEYAPP_REQUIRE_TOOLS") != "1":
        return
    missing = [tool for tool in INTEROP_TOOLS if shutil.which(tool) is None]
    if missing:
        raise pytest.UsageError(
            f"SURVEYAPP_REQUIRE_TOOLS=1 but {', '.join(missing)} not installed: the interop "
            "tests would be skipped (apt-get install age minisign)")
