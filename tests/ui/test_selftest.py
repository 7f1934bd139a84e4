"""The packaged app's ``--self-test`` (enroll, fill, save, export, import) passes."""

from __future__ import annotations

import pytest

from surveyapp.ui.selftest import run_self_test


@pytest.mark.gui
def test_self_test__passes(qapp, capsys):
    assert run_self_test() == 0
    assert "self-test: ok" in capsys.readouterr().out
