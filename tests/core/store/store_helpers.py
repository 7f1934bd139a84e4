"""Shared helpers of the store tests (a module, not conftest, so that tests can import it)."""

from __future__ import annotations

from typing import Any

FIXTURE_KEY = bytes.fromhex("5f" * 32)
RAW_KEY = bytes.fromhex("a1" * 32)
PASSWORD = "correct horse 1"  # noqa: S105 - a test password
TEST_WORK_FACTOR = 10
VILLAGE = "522422102201"


def answers(
    name: str = "张小明", id_number: str = "52242220100101123X", **more: Any
) -> dict[str, Any]:
    """A small screening submission (only the fields the store reads, plus a few answers)."""
    out: dict[str, Any] = {
        "survey_date": "2026-07-01", "township_code": "522422102", "village_code": VILLAGE,
        "child_name": name, "sex": "male", "has_id_number": "yes", "id_number": id_number,
        "birth_date": "2010-01-01", "is_left_behind": "yes", "is_orphan": "no",
        "is_unsupported": "no", "is_in_difficulty": "no", "dk_poverty": "no",
        "dk_disability": "no", "dk_guardianship": "no", "urgent_report": "no",
        "risk_level": "low", "follow_up_days": 90, "father_status": "away_out_province",
    }
    out.update(more)
    return out
