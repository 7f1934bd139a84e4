"""Every shipped form converts with pyxform, the XLSForm reference implementation.

pyxform 4.5 accepts our extension functions (``id-valid`` and friends) as it does not
check function names. ODK Validate (JavaRosa, bundled with pyxform, needs ``java``)
does evaluate expressions, so for that check only we shim the extensions: a temporary
copy of the form has each call replaced by a value of the same type (``true()`` or
``''``). The shipped file is never modified.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

FORMS_DIR = Path(__file__).resolve().parents[3] / "forms"
FORMS = sorted(FORMS_DIR.glob("*.xlsx"))

# Our extension functions (docs/forms.md) and a pyxform/JavaRosa-valid stand-in of the
# same result type.
SHIMS = {
    "id-valid": "true()",
    "phone-valid": "true()",
    "admin-code-valid": "true()",
    "id-birthdate": "''",
    "id-sex": "''",
}
_CALL = re.compile(r"\b(" + "|".join(map(re.escape, SHIMS)) + r")\([^()]*\)")


def shimmed_copy(path: Path) -> io.BytesIO:
    """The form with every extension call replaced by its stand-in (for pyxform only)."""
    wb = load_workbook(path)
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and _CALL.search(cell.value):
                        cell.value = _CALL.sub(lambda m: SHIMS[m.group(1)], cell.value)
        buf = io.BytesIO()
        wb.save(buf)
    finally:
        wb.close()
    buf.seek(0)
    return buf


def test_forms_dir__has_the_screening_form():
    assert FORMS_DIR / "child_screening.xlsx" in FORMS


@pytest.mark.interop
@pytest.mark.parametrize("form", FORMS, ids=lambda p: p.name)
def test_pyxform_convert__no_error(form: Path):
    warnings: list[str] = []
    result = convert(xlsform=str(form), warnings=warnings)
    assert "<h:title>" in result.xform
    assert warnings == []


@pytest.mark.interop
@pytest.mark.parametrize("form", FORMS, ids=lambda p: p.name)
def test_pyxform_convert_shimmed__passes_odk_validate(form: Path):
    if shutil.which("java") is None:
        pytest.skip("ODK Validate needs java")
    result = convert(xlsform=shimmed_copy(form), validate=True, file_type=".xlsx")
    assert "id-valid" not in result.xform


def test_shim__replaces_every_extension_call():
    text = "id-valid(.) and id-birthdate(${id_number}) = '' or phone-valid(.)"
    assert _CALL.sub(lambda m: SHIMS[m.group(1)], text) == "true() and '' = '' or true()"


def test_screening_form__classification_and_last_saved_survive_conversion():
    result = convert(xlsform=str(FORMS_DIR / "child_screening.xlsx"))
    xform = result.xform
    for name in ("is_left_behind", "is_orphan", "is_unsupported", "urgent_report", "risk_level"):
        bind = re.search(rf'<bind nodeset="/data/classification/{name}"[^>]*>', xform)
        assert bind is not None and "calculate=" in bind.group(0)
    assert 'src="jr://instance/last-saved"' in xform
    assert '<repeat nodeset="/data/siblings"' in xform
