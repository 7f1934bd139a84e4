"""A township with real review work: two village stores and a township store (real
SQLCipher files), revisions copied between them with ``insert_revisions``."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

KEY = bytes.fromhex("a7" * 32)
V1, V2 = "522422102201", "522422102202"
_n = itertools.count()


def make_ws(tmp_path: Path, role: str = "village", org: str = V1) -> Any:
    from surveyapp.core.store import Workspace

    return Workspace.create_with_key(tmp_path / f"{role}-{next(_n)}.sdb", KEY, role=role,
                                     org_code=org, org_name="测试", user=f"{role}-user")


def child(name: str = "张小明", idn: str = "52242220100101123X", village: str = V1,
          **more: Any) -> dict[str, Any]:
    d = {"survey_date": "2026-07-01", "township_code": village[:9], "village_code": village,
         "child_name": name, "sex": "male", "id_number": idn, "birth_date": "2010-01-01",
         "mother_name": "李芳", "risk_level": "low", "follow_up_days": 90}
    d.update(more)
    return d


def copy(src: Any, dst: Any) -> Any:
    return dst.insert_revisions([rev for _, rev in src.iter_revisions()])


@pytest.fixture
def world(tmp_path: Path) -> Any:
    """A township with one conflict (name and risk differ) and one moved-child candidate."""
    v1, v2 = make_ws(tmp_path, org=V1), make_ws(tmp_path, org=V2)
    town = make_ws(tmp_path, "township", V1[:9])
    first = v1.save_visit(None, child(), form_id="child_screening", form_version="1")
    copy(v1, town)
    v1.save_visit(first.child_id, child(risk_level="medium", sex="female"),
                  form_id="child_screening", form_version="1")
    town.save_visit(first.child_id, child(name="张晓明"), form_id="child_screening",
                    form_version="1")
    copy(v1, town)
    v2.save_visit(None, child(name="王丽", idn="522422201203041220", village=V2,
                              birth_date="2012-03-04"),
                  form_id="child_screening", form_version="1")
    v1.save_visit(None, child(name="王丽", idn="", birth_date="2012-03-04"),
                  form_id="child_screening", form_version="1")
    copy(v1, town)
    copy(v2, town)

    class World:
        pass

    w = World()
    w.v1, w.v2, w.town, w.child_id = v1, v2, town, first.child_id  # type: ignore[attr-defined]
    yield w
    for ws in (v1, v2, town):
        ws.close()
