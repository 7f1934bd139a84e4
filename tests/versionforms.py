"""Two versions of a small form, written in pyxform's markdown style and saved as real
.xlsx files, and a workspace whose children were saved under each (the labels-by-version
tests: child file, dossier PDF, review screens).

v1 → v2, as a county edits its form: the question ``carer_type`` is relabelled
(照料人类型 → 主要照料人), its choice ``grandparents`` too (祖父母 → 祖辈照料), a choice
``other_relative`` (其他亲属) is added and the question ``father_phone`` (父亲电话) is dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from surveyapp.core.forms.sheets import read_markdown

KEY = bytes.fromhex("d7" * 32)
VILLAGE = "522422102201"
FORM_ID = "kids"

V1 = """
| survey   |
|          | type              | name         | label::zh  | label::en    |
|          | text              | child_name   | 儿童姓名   | Child's name |
|          | select_one care   | carer_type   | 照料人类型 | Carer        |
|          | text              | father_phone | 父亲电话   | Father phone |
| choices  |
|          | list_name | name         | label::zh | label::en    |
|          | care      | parents      | 父母      | Parents      |
|          | care      | grandparents | 祖父母    | Grandparents |
| settings |
|          | form_id | version | default_language |
|          | kids    | 1       | zh               |
"""

V2 = """
| survey   |
|          | type              | name         | label::zh  | label::en    |
|          | text              | child_name   | 儿童姓名   | Child's name |
|          | select_one care   | carer_type   | 主要照料人 | Main carer   |
| choices  |
|          | list_name | name           | label::zh | label::en      |
|          | care      | parents        | 父母      | Parents        |
|          | care      | grandparents   | 祖辈照料  | Grandparents   |
|          | care      | other_relative | 其他亲属  | Other relative |
| settings |
|          | form_id | version | default_language |
|          | kids    | 2       | zh               |
"""


def markdown_xlsx(md: str, path: Path) -> Path:
    """Write the markdown form ``md`` as the .xlsx a county would make in Excel."""
    book = Workbook()
    book.remove(book.active)
    for sheet in read_markdown(md).sheets.values():
        ws = book.create_sheet(sheet.name)
        ws.append(list(sheet.headers))
        for row in sheet.rows:
            ws.append([row.values.get(h) or None for h in sheet.headers])
    book.save(path)
    return path


def package(md: str, version: str, folder: Path) -> Any:
    """The form ``md`` as the package a trust file carries."""
    from surveyapp.core.trust.authority import FormPackage

    folder.mkdir(parents=True, exist_ok=True)
    data = markdown_xlsx(md, folder / f"kids-{version}.xlsx").read_bytes()
    return FormPackage(FORM_ID, version, data)


def county_with_versions(tmp_path: Path, role: str = "county") -> tuple[Any, dict[str, str]]:
    """A real workspace that issued (county) or received (village) v1 then v2, with three
    children: ``v1`` saved under v1, ``v2`` under v2, ``gone`` under a version 9 it does
    not hold. Returns the open workspace and the record ids by those names."""
    from surveyapp.core.store import Workspace
    from surveyapp.core.trust import forms as trust_forms

    org = VILLAGE if role == "village" else VILLAGE[:6]
    ws = Workspace.create_with_key(tmp_path / f"{role}.sdb", KEY, role=role, org_code=org,
                                   org_name="测试县" if role == "county" else "箐口村",
                                   user="wangfang")
    keep = trust_forms.record_issued if role == "county" else trust_forms.keep
    keep(ws, package(V1, "1", tmp_path / "forms"))
    first = ws.save_visit(None, {"child_name": "李小红", "carer_type": "grandparents",
                                 "father_phone": "13812345678", "village_code": VILLAGE},
                          form_id=FORM_ID, form_version="1")
    keep(ws, package(V2, "2", tmp_path / "forms"))
    second = ws.save_visit(None, {"child_name": "王小明", "carer_type": "other_relative",
                                  "village_code": VILLAGE},
                           form_id=FORM_ID, form_version="2")
    gone = ws.save_visit(None, {"child_name": "赵小兰", "carer_type": "grandparents",
                                "village_code": VILLAGE},
                         form_id=FORM_ID, form_version="9")
    return ws, {"v1": first.child_id, "v2": second.child_id, "gone": gone.child_id}
