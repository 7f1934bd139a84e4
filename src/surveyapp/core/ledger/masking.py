"""Masking of ID and phone numbers in lists that leave the office (数据脱敏).

``mask_id("52242220150304123X") == "5224**********123X"`` (the first four and last four
characters stay), ``mask_phone("13812345678") == "138****5678"`` (a mobile keeps its
first three and last four digits; other numbers keep only the last four).
"""

from __future__ import annotations

ID_KEEP_HEAD = 4
ID_KEEP_TAIL = 4
PHONE_KEEP_TAIL = 4


def mask_id(value: str) -> str:
    """Mask a resident ID number, keeping the first and last four characters.

    :param value: the ID number as text; empty text stays empty.
    """
    text = value.strip()
    if not text:
        return ""
    if len(text) <= ID_KEEP_HEAD + ID_KEEP_TAIL:
        return "*" * len(text)
    middle = len(text) - ID_KEEP_HEAD - ID_KEEP_TAIL
    return text[:ID_KEEP_HEAD] + "*" * middle + text[-ID_KEEP_TAIL:]


def mask_phone(value: str) -> str:
    """Mask a phone number: ``138****5678`` for a mobile, only the last four for others.

    :param value: the number as text; empty text stays empty.
    """
    text = value.strip()
    if not text:
        return ""
    digits = text.replace("-", "").replace(" ", "")
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    if len(digits) <= PHONE_KEEP_TAIL:
        return "*" * len(digits)
    return "*" * (len(digits) - PHONE_KEEP_TAIL) + digits[-PHONE_KEEP_TAIL:]
