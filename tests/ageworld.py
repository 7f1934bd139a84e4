"""Four disabled left-behind girls visited on 2026-07-01 whose ages cross 16 and 18 around
2027-07-01 (tests/e2e/test_ageing.py works the expected numbers out by hand; the dashboard
test counts the same children)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from surveyapp.core.ids import make_resident_id

VILLAGE = "522422102201"
BORN = {"甲": dt.date(2011, 8, 1), "乙": dt.date(2011, 6, 1), "丙": dt.date(2009, 8, 1),
        "丁": dt.date(2009, 6, 1)}


def answers(name: str, birth: dt.date) -> dict[str, Any]:
    return {
        "survey_date": "2026-07-01", "township_code": VILLAGE[:9], "village_code": VILLAGE,
        "residence_type": "rural", "surveyor_name": "王芳", "child_name": f"张{name}",
        "sex": "female", "has_id_number": "yes",
        "id_number": make_resident_id("522422", birth, 2), "birth_date": birth.isoformat(),
        "hukou_rural": "yes", "health_status": "disabled", "disability_type": "physical",
        "disability_grade": "2", "has_disability_cert": "yes",
        "father_status": "away_out_province", "father_away_months": 24,
        "mother_status": "away_in_province", "mother_away_months": 24,
        "carer_type": "grandparent", "carer_age": 66, "carer_health": "good",
        "family_dibao": "no", "family_tekun": "no", "family_poverty_monitored": "no",
        "risk_signs": "none", "consent": "yes",
    }
