"""Requirements: ID-1 GB 11643 validation incl. X check; ID-2 birth date and sex derived;
ID-3 division codes with parent consistency; ID-4 phone numbers."""

import datetime as dt

import pytest

from surveyapp.core.ids import (
    admin_level,
    check_char,
    is_valid_admin_code,
    is_valid_phone,
    is_valid_resident_id,
    is_within,
    make_resident_id,
    parent_code,
    parse_resident_id,
)
from surveyapp.core.ids.codes import IdCode
from surveyapp.errors import SurveyError

# The GB 11643-1999 standard's own example (a check character of X) and a digit-check example.
STD_X = "11010519491231002X"
STD_DIGIT = "440524188001010014"


def test_standard_examples__ok():  # ID-1, ID-2
    a = parse_resident_id(STD_X)
    assert a.birth_date == dt.date(1949, 12, 31) and a.sex == "female" and a.region == "110105"
    b = parse_resident_id(STD_DIGIT)
    assert b.birth_date == dt.date(1880, 1, 1) and b.sex == "male"


def test_lowercase_x__accepted():  # ID-1
    assert is_valid_resident_id(STD_X.lower())


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("11010519491231002", IdCode.ID_001),
        ("1101051949123100200", IdCode.ID_001),
        ("1101051949123100X2", IdCode.ID_002),
        ("11010519491231００2X", IdCode.ID_002),
        ("110105194902300021", IdCode.ID_003),
        ("110105194912310021", IdCode.ID_004),
    ],
)
def test_bad_numbers__coded_error(number, code):  # ID-1
    with pytest.raises(SurveyError) as info:
        parse_resident_id(number)
    assert info.value.code is code


def test_every_single_digit_change__detected():  # ID-1: MOD 11-2 catches any one-digit error
    for i in range(17):
        for d in "0123456789":
            if d != STD_DIGIT[i]:
                bad = STD_DIGIT[:i] + d + STD_DIGIT[i + 1 :]
                if bad[6:14] == STD_DIGIT[6:14]:
                    assert not is_valid_resident_id(bad)


def test_make_resident_id__roundtrip():  # ID-2
    n = make_resident_id("522422", dt.date(2015, 3, 8), 37)
    info = parse_resident_id(n)
    assert info.birth_date == dt.date(2015, 3, 8) and info.sex == "male"
    assert check_char(n[:17]) == n[17]


def test_admin_codes__levels_and_parents():  # ID-3
    assert admin_level("522422") == "county"
    assert admin_level("522422101") == "township"
    assert admin_level("522422101201") == "village"
    assert parent_code("522422101201") == "522422101"
    assert parent_code("522422101") == "522422"
    assert parent_code("522422") is None
    assert is_within("522422101201", "522422101")
    assert is_within("522422101201", "522422")
    assert not is_within("522422102201", "522422101")
    assert not is_valid_admin_code("5224221")
    assert not is_valid_admin_code("992422")
    assert not is_valid_admin_code("522422000")
    assert not is_valid_admin_code("522422101000")
    assert is_valid_admin_code("522422101", "township")
    assert not is_valid_admin_code("522422101", "village")


def test_phone_numbers():  # ID-4
    assert is_valid_phone("13812345678")
    assert is_valid_phone("0851-86812345")
    assert not is_valid_phone("12812345678")
    assert not is_valid_phone("1381234567")
