"""A township with real review work: two village stores and a township store (real
SQLCipher files), revisions copied between them with ``insert_revisions``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reviewworld import V1, V2, child, copy, make_ws


@pytest.fixture
def world(tmp_path: Path) -> Any:
    """A township with one conflict (name and risk differ) and one moved-child candidate."""
    v1, v2 = make_ws(tmp_path, org=V1), make_ws(tmp_path, org=V2)
    town = make_ws(tmp_path, "township", V1[:9])
    first = v1.save_visit(None, child(), form_id="child_screening", form_version="1")
    copy(v1, town)
    v1.save_visit(
        first.child_id,
        child(risk_level="medium", sex="female"),
        form_id="child_screening",
        form_version="1",
    )
    town.save_visit(
        first.child_id, child(name="张晓明"), form_id="child_screening", form_version="1"
    )
    copy(v1, town)
    v2.save_visit(
        None,
        child(name="王丽", idn="522422201203041220", village=V2, birth_date="2012-03-04"),
        form_id="child_screening",
        form_version="1",
    )
    v1.save_visit(
        None,
        child(name="王丽", idn="", birth_date="2012-03-04"),
        form_id="child_screening",
        form_version="1",
    )
    copy(v1, town)
    copy(v2, town)

    class World:
        pass

    w = World()
    w.v1, w.v2, w.town, w.child_id = v1, v2, town, first.child_id  # type: ignore[attr-defined]
    yield w
    for ws in (v1, v2, town):
        ws.close()
