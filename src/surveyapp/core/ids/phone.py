"""Mainland China telephone numbers: mobile (1[3-9]x, 11 digits) or fixed (area code + number)."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_FIXED = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def is_valid_phone(number: str) -> bool:
    n = number.strip().replace(" ", "")
    return bool(_MOBILE.match(n) or _FIXED.match(n))
