"""The demo county's org units: one county, 3 townships, 12 villages (村委会 and 社区).

This list is the single source for both the screening form's ``township``/``village``
choices (``forms/build/screening_content.py`` imports it) and the demo data, so that
the codes always agree. The county code is Dafang County, Guizhou (522422); the
township and village codes follow the statistical division code layout (township
``1xx`` = 镇, ``2xx`` = 乡; village ``0xx`` = 居委会/社区, ``2xx`` = 村委会) but are
made up for the demo, as are the village names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class OrgUnit:
    """An administrative division: its code, Chinese and English names and parent."""

    code: str
    name: str
    name_en: str
    level: Literal["county", "township", "village"]
    parent: str | None = None
    urban: bool = False


COUNTY = OrgUnit("522422", "大方县", "Dafang County", "county")

TOWNSHIPS: tuple[OrgUnit, ...] = (
    OrgUnit("522422102", "羊场镇", "Yangchang Town", "township", "522422"),
    OrgUnit("522422105", "猫场镇", "Maochang Town", "township", "522422"),
    OrgUnit(
        "522422209", "竹园彝族苗族乡", "Zhuyuan Yi and Miao Ethnic Township", "township", "522422"
    ),
)

VILLAGES: tuple[OrgUnit, ...] = (
    OrgUnit("522422102001", "羊场社区", "Yangchang Community", "village", "522422102", urban=True),
    OrgUnit("522422102201", "箐口村", "Qingkou Village", "village", "522422102"),
    OrgUnit("522422102202", "新店村", "Xindian Village", "village", "522422102"),
    OrgUnit("522422102203", "红岩村", "Hongyan Village", "village", "522422102"),
    OrgUnit("522422105001", "猫场社区", "Maochang Community", "village", "522422105", urban=True),
    OrgUnit("522422105201", "营脚村", "Yingjiao Village", "village", "522422105"),
    OrgUnit("522422105202", "双龙村", "Shuanglong Village", "village", "522422105"),
    OrgUnit("522422105203", "鸡场村", "Jichang Village", "village", "522422105"),
    OrgUnit("522422209201", "竹园村", "Zhuyuan Village", "village", "522422209"),
    OrgUnit("522422209202", "滥坝村", "Lanba Village", "village", "522422209"),
    OrgUnit("522422209203", "坪子村", "Pingzi Village", "village", "522422209"),
    OrgUnit("522422209204", "小寨村", "Xiaozhai Village", "village", "522422209"),
)

PROVINCE_NAME = "贵州省"
PREFECTURE_NAME = "毕节市"


def township_of(village_code: str) -> OrgUnit:
    """The township holding a village, by code prefix.

    :raises KeyError: when the code is not one of the demo villages' townships.
    """
    for town in TOWNSHIPS:
        if village_code.startswith(town.code):
            return town
    raise KeyError(village_code)
