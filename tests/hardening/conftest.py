"""Fixtures of the issue-12 attack tests (helpers in ``insider_helpers``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from insider_helpers import PASSWORD, Office, make_office


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Office:
    """County, township and village enrolled, a USB-stick folder; CLI password set."""
    monkeypatch.setenv("SURVEYAPP_PASSWORD", PASSWORD)
    return make_office(tmp_path)
