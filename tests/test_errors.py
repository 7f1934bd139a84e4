"""The error catalogue: every code has English and Chinese texts with the same placeholders."""

import string

import pytest

from surveyapp.errors import CommonCode, SurveyError, all_codes


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("code", list(all_codes()), ids=lambda c: c.name)
def test_code_has_both_texts__same_placeholders(code):
    d = code.detail
    assert d.en.strip() and d.zh.strip(), code
    assert _fields(d.en) == _fields(d.zh), code


def test_code_names_unique__ok():
    names = [c.name for c in all_codes()]
    assert len(names) == len(set(names))


def test_missing_placeholder__renders_unknown():
    err = SurveyError(CommonCode.IO_002)
    assert "未知" in err.message("zh")
    assert "unknown" in err.message("en")
    assert err.to_dict()["code"] == "IO_002"
