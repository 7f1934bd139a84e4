"""Chinese resident identity numbers (GB 11643-1999).

An 18-character number: 6 digits of the registering division, 8 digits of birth date
(YYYYMMDD), 3 digits of sequence (odd = male, even = female) and one ISO 7064 MOD 11-2
check character, which is a digit or ``X`` (for 10).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, Literal

from surveyapp.core.ids.codes import IdCode
from surveyapp.errors import SurveyError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


@dataclass(frozen=True, slots=True)
class ResidentId:
    number: str
    region: str
    birth_date: dt.date
    sex: Literal["male", "female"]


def check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize(number: str) -> str:
    return number.strip().upper()


def parse_resident_id(number: str) -> ResidentId:
    """Validate and decode an ID number.

    :raises SurveyError: ID_001 (length), ID_002 (characters), ID_003 (date), ID_004 (check).
    """
    found = _decoded(normalize(number))
    if isinstance(found, ResidentId):
        return found
    code, context = found
    raise SurveyError(code, **context)


@functools.lru_cache(maxsize=1024)
def _decoded(n: str) -> ResidentId | tuple[IdCode, dict[str, Any]]:
    """The decoded number, or why it is not one (cached: a form checks the same number
    several times, with id-valid(), id-sex() and id-birthdate())."""
    if len(n) != 18:
        return IdCode.ID_001, {"length": len(n)}
    if not (n[:17].isascii() and n[:17].isdigit()) or not (n[17].isdigit() or n[17] == "X"):
        return IdCode.ID_002, {}
    try:
        birth = dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return IdCode.ID_003, {"date": n[6:14]}
    if birth.year < 1800:
        return IdCode.ID_003, {"date": n[6:14]}
    expected = check_char(n[:17])
    if n[17] != expected:
        return IdCode.ID_004, {"expected": expected}
    return ResidentId(n, n[:6], birth, "male" if int(n[16]) % 2 else "female")


def is_valid_resident_id(number: str) -> bool:
    try:
        parse_resident_id(number)
    except SurveyError:
        return False
    return True


def make_resident_id(region: str, birth: dt.date, seq: int) -> str:
    """Build a valid number (for demo data and tests); ``seq`` odd = male."""
    first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + check_char(first17)
