"""Fixtures for the ledger tests: real form labels and synthetic classified rows."""

from pathlib import Path

import pytest

from surveyapp.core.ledger import FormLabels
from surveyapp.core.ledger.sample import sample_rows

FORM = Path(__file__).resolve().parents[3] / "forms" / "child_screening.xlsx"


@pytest.fixture(scope="session")
def labels() -> FormLabels:
    return FormLabels.from_form(FORM)


@pytest.fixture(scope="session")
def rows() -> list[dict]:
    return list(sample_rows(400, seed=11))
