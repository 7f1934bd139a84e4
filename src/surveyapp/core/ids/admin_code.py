"""Administrative division codes (GB/T 2260 and the statistical division codes).

- 6 digits: province (2) + prefecture (2) + county (2), e.g. ``522422``;
- 9 digits: county + township (3), e.g. ``522422101``;
- 12 digits: township + village or residents' committee (3), e.g. ``522422101201``.
"""

from __future__ import annotations

from surveyapp.core.ids.codes import IdCode
from surveyapp.errors import SurveyError

LEVELS = {6: "county", 9: "township", 12: "village"}
# Province-level codes in use (GB/T 2260): 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82.
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)


def admin_level(code: str) -> str:
    """Return ``county``, ``township`` or ``village``.

    :raises SurveyError: ID_005 with the reason.
    """
    if not (code.isascii() and code.isdigit()):
        raise SurveyError(IdCode.ID_005, code=code, reason="只能包含数字 / digits only")
    level = LEVELS.get(len(code))
    if level is None:
        raise SurveyError(IdCode.ID_005, code=code, reason="应为 6、9 或 12 位 / 6, 9 or 12 digits")
    if int(code[:2]) not in _PROVINCES:
        raise SurveyError(IdCode.ID_005, code=code, reason="省级代码不存在 / no such province")
    if code[2:6] == "0000" or code[4:6] == "00":
        raise SurveyError(IdCode.ID_005, code=code, reason="县级部分为空 / empty county part")
    if len(code) >= 9 and code[6:9] == "000":
        raise SurveyError(IdCode.ID_005, code=code, reason="乡镇部分为空 / empty township part")
    if len(code) == 12 and code[9:12] == "000":
        raise SurveyError(IdCode.ID_005, code=code, reason="村级部分为空 / empty village part")
    return level


def is_valid_admin_code(code: str, level: str | None = None) -> bool:
    try:
        found = admin_level(code)
    except SurveyError:
        return False
    return level is None or found == level


def parent_code(code: str) -> str | None:
    """The code of the enclosing division (village → township → county → None)."""
    return {12: code[:9], 9: code[:6]}.get(len(code))


def is_within(child: str, parent: str) -> bool:
    """True when ``child`` is a valid code lying inside the valid division ``parent``."""
    return (
        is_valid_admin_code(child)
        and is_valid_admin_code(parent)
        and len(child) > len(parent)
        and child.startswith(parent)
    )
