"""Department lists: only the fields each needs, masking by role, password protection."""

import io
import zipfile
from datetime import datetime

import msoffcrypto
import openpyxl
import pytest

from surveyapp.core.ledger import PRESETS, decrypt_bytes, export_department, mask_id, mask_phone
from surveyapp.errors import SurveyError

NOW = datetime(2026, 11, 23, 9, 30)
PASSWORD = "秘密-2026"  # noqa: S105 - a test password


def _export(rows, labels, path, preset, **kw):
    kw.setdefault("role", "county")
    return export_department(
        rows, path, preset, labels=labels, county_name="大方县", now=NOW, **kw
    )


def _sheet(path):
    return openpyxl.load_workbook(path)["名单"]


def _table(ws):
    head = [c.value for c in ws[3]]
    return head, [dict(zip(head, (c.value for c in r), strict=True)) for r in ws.iter_rows(4)
                  if isinstance(r[0].value, int)]


def test_masking__id_and_phone_patterns():
    assert mask_id("52242220150304123X") == "5224**********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0857-5221234") == "*******1234"
    assert mask_id("") == mask_phone("") == ""


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_department_list__only_needed_fields_and_rows(rows, labels, tmp_path, preset):
    path = tmp_path / f"{preset}.xlsx"
    result = _export(rows, labels, path, preset)
    spec = PRESETS[preset]
    expected = [r for r in rows if spec.select(r)]
    assert result.rows == len(expected) > 0
    assert result.masked
    head, table = _table(_sheet(path))
    assert head == [c.header for c in spec.columns]
    groups = [c.group for c in spec.columns]
    runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
    assert len(set(groups)) == len(runs)
    assert "风险情形" not in head or preset in ("education", "police")
    assert "父亲电话" not in head and "母亲电话" not in head
    assert [t["姓名"] for t in table] == [r["child_name"] for r in expected]


def test_department_volunteers__no_id_numbers_at_all(rows, labels, tmp_path):
    path = tmp_path / "v.xlsx"
    _export(rows, labels, path, "volunteers")
    head, table = _table(_sheet(path))
    assert "公民身份号码" not in head
    ids = {r["id_number"] for r in rows}
    assert not any(v in ids for t in table for v in t.values())


def test_department_masked__ids_and_phones_masked(rows, labels, tmp_path):
    path = tmp_path / "police.xlsx"
    _export(rows, labels, path, "police")
    _, table = _table(_sheet(path))
    expected = [r for r in rows if PRESETS["police"].select(r)]
    for t, r in zip(table, expected, strict=True):
        assert t["公民身份号码"] == mask_id(r["id_number"]) != r["id_number"]
        assert t["照料人电话"] == mask_phone(r["carer_phone"])
        assert "****" in t["照料人电话"]


def test_department_reveal__county_full_numbers_village_refused(rows, labels, tmp_path):
    path = tmp_path / "police.xlsx"
    result = _export(rows, labels, path, "police", reveal=True)
    assert not result.masked
    _, table = _table(_sheet(path))
    expected = [r for r in rows if PRESETS["police"].select(r)]
    assert [t["公民身份号码"] for t in table] == [r["id_number"] for r in expected]
    with pytest.raises(SurveyError) as info:
        _export(rows, labels, tmp_path / "x.xlsx", "police", role="village", reveal=True)
    assert info.value.code.name == "LEDGER_003"
    assert not (tmp_path / "x.xlsx").exists()


def test_department_unknown_preset__error(rows, labels, tmp_path):
    with pytest.raises(SurveyError) as info:
        _export(rows, labels, tmp_path / "x.xlsx", "tax")
    assert info.value.code.name == "LEDGER_002"


def test_department_password__unreadable_without_opens_with(rows, labels, tmp_path):
    path = tmp_path / "health.xlsx"
    result = _export(rows, labels, path, "health", password=PASSWORD)
    assert result.encrypted
    assert not zipfile.is_zipfile(path)
    with pytest.raises(zipfile.BadZipFile):
        openpyxl.load_workbook(path)
    with path.open("rb") as fh:
        office = msoffcrypto.OfficeFile(fh)
        assert office.is_encrypted()
        office.load_key(password=PASSWORD)
        plain = io.BytesIO()
        office.decrypt(plain)
    ws = openpyxl.load_workbook(plain)["名单"]
    assert ws.cell(3, 4).value == "姓名"
    assert sum(isinstance(r[0].value, int) for r in ws.iter_rows(min_row=4)) == result.rows
    with pytest.raises(SurveyError) as info:
        decrypt_bytes(path, "wrong-password")
    assert info.value.code.name == "LEDGER_006"


def test_department_short_password__refused_nothing_written(rows, labels, tmp_path):
    with pytest.raises(SurveyError) as info:
        _export(rows, labels, tmp_path / "h.xlsx", "health", password="123")  # noqa: S106 - too short on purpose
    assert info.value.code.name == "LEDGER_004"
    assert list(tmp_path.iterdir()) == []


def test_department_csv__bom_and_masked(rows, labels, tmp_path):
    path = tmp_path / "edu.csv"
    _export(rows, labels, path, "education", fmt="csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "**********" in text
    assert not any(r["id_number"] in text for r in rows)
