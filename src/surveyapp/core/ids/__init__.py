"""Identity numbers (GB 11643-1999), division codes and phone numbers. Pure, no I/O."""

from surveyapp.core.ids.admin_code import admin_level, is_valid_admin_code, is_within, parent_code
from surveyapp.core.ids.phone import is_valid_phone
from surveyapp.core.ids.resident_id import (
    ResidentId,
    check_char,
    is_valid_resident_id,
    make_resident_id,
    parse_resident_id,
)

__all__ = [
    "ResidentId",
    "admin_level",
    "check_char",
    "is_valid_admin_code",
    "is_valid_phone",
    "is_valid_resident_id",
    "is_within",
    "make_resident_id",
    "parent_code",
    "parse_resident_id",
]
