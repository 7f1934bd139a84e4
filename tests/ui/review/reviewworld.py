"""Helpers of the review UI tests: real SQLCipher stores and revisions copied between them."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

KEY = bytes.fromhex("a7" * 32)
V1, V2 = "522422102201", "522422102202"
_n = itertools.count()


def make_ws(tmp_path: Path, role: str = "village", org: str = V1) -> Any:
    from surveyapp.core.store import Workspace

    return Workspace.create_with_key(
        tmp_path / f"{role}-{next(_n)}.sdb",
        KEY,
        role=role,
        org_code=org,
        org_name="测试",
        user=f"{role}-user",
    )


def child(
    name: str = "张小明", idn: str = "52242220100101123X", village: str = V1, **more: Any
) -> dict[str, Any]:
    d = {
        "survey_date": "2026-07-01",
        "township_code": village[:9],
        "village_code": village,
        "child_name": name,
        "sex": "male",
        "id_number": idn,
        "birth_date": "2010-01-01",
        "mother_name": "李芳",
        "risk_level": "low",
        "follow_up_days": 90,
    }
    d.update(more)
    return d


def copy(src: Any, dst: Any) -> Any:
    return dst.insert_revisions([rev for _, rev in src.iter_revisions()])


def enrolled_tiers(tmp_path: Path) -> tuple[Any, Any, Any, Any]:
    """A county, a township and two villages, enrolled by the county (real trust files)."""
    from surveyapp.core import trust

    county = make_ws(tmp_path, "county", V1[:6])
    town = make_ws(tmp_path, "township", V1[:9])
    v1, v2 = make_ws(tmp_path, "village", V1), make_ws(tmp_path, "village", V2)
    trust.init_county(county)
    for ws in (town, v1, v2):
        trust.accept_enrollment(ws, trust.enroll(county, trust.enroll_request(ws)))
    trust.apply_update(town, trust.trust_update(county, V1[:9]))
    return county, town, v1, v2
