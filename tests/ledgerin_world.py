"""Shared makers for the ledger import tests: workspaces, demo-like children, a hand-made
foreign-layout ledger (merged headers, numeric IDs, three date formats)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl

from surveyapp.core.ids.resident_id import make_resident_id
from surveyapp.core.store import Workspace

KEY = bytes.fromhex("d5" * 32)
COUNTY, TOWNSHIP, VILLAGE = "522422", "522422102", "522422102201"
VILLAGE_NAME, TOWNSHIP_NAME = "箐口村", "羊场镇"


def make_ws(tmp_path: Path, name: str, role: str = "county", org: str = COUNTY) -> Workspace:
    return Workspace.create_with_key(tmp_path / f"{name}.sdb", KEY, role=role, org_code=org,
                                     org_name=name, user="u")


def id_for(i: int, birth: dt.date, sex: str = "male") -> str:
    seq = (i % 499) * 2 + (1 if sex == "male" else 0)
    return make_resident_id(VILLAGE[:6], birth, seq)


def wrong_check_digit(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("0" if last != "0" else "1")


def store_state(ws: Workspace) -> tuple:
    """Children, revisions and the audit chain: what an import must leave untouched."""
    revs = ws.conn.execute("SELECT id FROM revisions ORDER BY id")
    audit = ws.conn.execute("SELECT seq, hash FROM audit ORDER BY seq")
    return ws.count_children(), tuple(r[0] for r in revs), tuple(tuple(a) for a in audit)


#: The foreign layout: a title row, then a two-row header with merged group cells.
FOREIGN_GROUPS = [("序号", 1), ("儿童基本情况", 4), ("所在地", 2), ("父母情况", 2),
                  ("监护情况", 1), ("是否留守", 1), ("排查日期", 1)]
FOREIGN_SUB = ["", "姓名", "性别", "出生日期", "身份证号", "乡镇", "村", "父亲", "母亲",
               "监护人", "", ""]


def foreign_rows(n: int) -> list[list[object]]:
    """``n`` valid rows of the foreign layout (dates in three formats, full-width digits)."""
    out: list[list[object]] = []
    for i in range(n):
        birth = dt.date(2012, 1, 1) + dt.timedelta(days=37 * i)
        sex = "male" if i % 2 else "female"
        number = id_for(i, birth, sex)
        fmt = i % 4
        date_cell: object = (birth if fmt == 0 else f"{birth.year}.{birth.month}.{birth.day}"
                             if fmt == 1 else f"{birth.year}年{birth.month}月{birth.day}日"
                             if fmt == 2 else (birth - dt.date(1899, 12, 30)).days)
        if i % 5 == 3:  # full-width digits, as a Chinese input method types them
            number = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
        out.append([i + 1, f"王小{chr(0x4e00 + i)}", "男" if sex == "male" else "女", date_cell,
                    number, TOWNSHIP_NAME, f"{VILLAGE_NAME} ", "外出务工", "外出务工",
                    "祖父母", "是", dt.date(2016, 6, 30)])
    return out


def write_foreign(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["大方县农村留守儿童花名册（2016年）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=12)
    groups: list[object] = []
    for name, span in FOREIGN_GROUPS:
        groups += [name] + [None] * (span - 1)
    sheet.append(groups)
    sheet.append([s or None for s in FOREIGN_SUB])
    col = 1
    for _name, span in FOREIGN_GROUPS:
        if span > 1:
            sheet.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + span - 1)
        col += span
    for i, text in enumerate(FOREIGN_SUB, 1):  # vertical merges of the one-row headers
        if not text:
            sheet.merge_cells(start_row=2, start_column=i, end_row=3, end_column=i)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


FOREIGN_MAPPING = {
    "format": "surveyapp-ledger-mapping", "version": 1,
    "columns": {"序号": "", "姓名": "child_name", "性别": "sex", "出生日期": "birth_date",
                "身份证号": "id_number", "乡镇": "township_code", "村": "village_code",
                "父母情况父亲": "father_status", "父母情况母亲": "mother_status",
                "监护人": "carer_type", "是否留守": "is_left_behind",
                "排查日期": "survey_date"},
    "values": {"father_status": {"外出务工": "away_out_province"},
               "mother_status": {"外出务工": "away_out_province"},
               "carer_type": {"祖父母": "grandparent"}},
    "defaults": {"surveyor_name": "县民政局", "carer_health": "good",
                 "health_status": "healthy"},
    "header_row": None,
}


def write_mapping(path: Path, data: dict | None = None) -> Path:
    path.write_text(json.dumps(data or FOREIGN_MAPPING, ensure_ascii=False), encoding="utf-8")
    return path
