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


def _child(name, idn, **fields):
    base = {"record_id": f"r-{idn}", "child_name": name, "id_number": idn, "sex": "male",
            "township_code": "522422102", "village_code": "522422102201",
            "carer_name": "照料人", "carer_phone": "13812345678", "survey_date": "2026-07-01",
            "status": "active", "age_years": 10}
    base.update(fields)
    return base


# Children written by hand, each with the lists it belongs on worked out by hand from the
# department rules (docs/ledger: who each department needs), not from the code under test.
HAND = [
    _child("赵一", "522422201401010011", age_years=12, school_status="dropped_out"),
    _child("钱二", "522422202101010022", age_years=5, school_status="never_enrolled"),
    _child("孙三", "522422201101010033", age_years=15, risk_signs="dropout_risk neglect"),
    _child("李四", "522422201601010044", health_status="serious_illness"),
    _child("周五", "522422201601010055", medical_insurance="no"),
    _child("吴六", "52242220100101123X", urgent_report="yes", risk_signs="abuse"),
    _child("郑七", "522422201601010077", status="exited", urgent_report="yes",
           is_left_behind="yes", health_status="disabled"),
    _child("王八", "522422201601010088", health_status="disabled"),
    _child("冯九", "522422201601010099", has_disability_cert="yes"),
    _child("陈十", "522422201601010101", is_left_behind="yes"),
    _child("褚十一", "522422201601010112", needs="medical", is_left_behind="yes",
           urgent_report="no"),
    _child("卫十二", "522422201601010123"),
    _child("蒋十三", "522422201601010134", family_difficulty="medical housing"),
    _child("沈十四", "522422200901010145", age_years=17, school_status="dropped_out",
           status=None),
    _child("韩十五", "522422200801010156", age_years=18, school_status="dropped_out"),
    _child("杨十六", "522422201601010167", is_orphan="yes", orphan_allowance="no"),
]
EXPECTED = {
    "education": ["赵一", "孙三", "沈十四"],  # out of school at 6-17, or at risk of dropping out
    # the child's own health only (蒋十三's family difficulty is another member's illness)
    "health": ["李四", "王八", "褚十一"],
    "unenrolled": ["周五", "杨十六"],  # 应保未保: uninsured (an explicit 否); orphan, no allowance
    "police": ["吴六"],  # 强制报告: urgent and still on the list
    "disabled": ["王八", "冯九"],
    "volunteers": ["陈十", "褚十一"],  # left-behind children
}


def test_expected_lists_cover_every_preset():
    assert sorted(EXPECTED) == sorted(PRESETS)


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_department_list__only_needed_fields_and_rows(labels, tmp_path, preset):
    path = tmp_path / f"{preset}.xlsx"
    result = _export(HAND, labels, path, preset)
    spec = PRESETS[preset]
    assert result.rows == len(EXPECTED[preset])
    assert result.masked
    head, table = _table(_sheet(path))
    assert head == [c.header for c in spec.columns]
    groups = [c.group for c in spec.columns]
    runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
    assert len(set(groups)) == len(runs)
    assert "风险情形" not in head or preset in ("education", "police")
    assert "父亲电话" not in head and "母亲电话" not in head
    assert [t["姓名"] for t in table] == EXPECTED[preset]


def test_department_list__sample_rows_nonempty(rows, labels, tmp_path):
    """The generated county sample gives every department something to read."""
    for preset in sorted(PRESETS):
        assert _export(rows, labels, tmp_path / f"{preset}.xlsx", preset).rows > 0


def test_department_volunteers__no_id_numbers_at_all(rows, labels, tmp_path):
    path = tmp_path / "v.xlsx"
    _export(rows, labels, path, "volunteers")
    head, table = _table(_sheet(path))
    assert "公民身份号码" not in head
    ids = {r["id_number"] for r in rows}
    assert not any(v in ids for t in table for v in t.values())


def test_department_masked__ids_and_phones_masked(labels, tmp_path):
    path = tmp_path / "police.xlsx"
    _export(HAND, labels, path, "police")
    _, table = _table(_sheet(path))
    assert [(t["姓名"], t["公民身份号码"], t["照料人电话"]) for t in table] == [
        ("吴六", "5224**********123X", "138****5678")]


def test_department_reveal__county_full_numbers_village_refused(rows, labels, tmp_path):
    path = tmp_path / "police.xlsx"
    result = _export(HAND, labels, path, "police", reveal=True)
    assert not result.masked
    _, table = _table(_sheet(path))
    assert [(t["公民身份号码"], t["照料人电话"]) for t in table] == [
        ("52242220100101123X", "13812345678")]
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
