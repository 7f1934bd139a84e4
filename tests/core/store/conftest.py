"""Store fixtures, one per database shape (sqlite-utils' tests/conftest.py).

- ``raw_store``: a new workspace keyed with a known raw key, no key file (no KDF: fast).
- ``fresh_store``: a new workspace created with a user and password (real scrypt wrap, at a
  low work factor so that the suite stays fast) and the county's recovery recipient.
- ``store_v1``: a copy of the committed schema-1 snapshot (``fixtures/schema_v1.sdb``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import PASSWORD, RAW_KEY, TEST_WORK_FACTOR, VILLAGE

from surveyapp.core.store import Workspace

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def raw_store(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create_with_key(tmp_path / "raw.sdb", RAW_KEY, role="village",
                                   org_code=VILLAGE, org_name="测试村", user="wang")
    yield ws
    ws.close()


@pytest.fixture
def recovery_pair() -> tuple[str, str]:
    from surveyapp.core.crypto import generate_age_identity

    return generate_age_identity()


@pytest.fixture
def fresh_store(tmp_path: Path, recovery_pair: tuple[str, str]) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "fresh.sdb", role="village", org_code=VILLAGE,
                          org_name="测试村", user="wang", password=PASSWORD,
                          recovery_recipient=recovery_pair[1], work_factor=TEST_WORK_FACTOR)
    yield ws
    ws.close()


@pytest.fixture
def store_v1(tmp_path: Path) -> Path:
    target = tmp_path / "v1.sdb"
    shutil.copyfile(FIXTURES / "schema_v1.sdb", target)
    return target
