"""The dossier PDF (一人一档) of each child shows the labels of the form version its file
was saved under: v1's for a child saved under v1 after the county issued v2, v2's for a
v2 child, and the current form's (saying so) for a version the workspace does not hold.
The text is read back from the PDF with poppler's pdftotext."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from surveyapp.ops.forms import FormResolver
from surveyapp.ops.ledger import iter_workspace_rows
from surveyapp.render import dossier_html, write_village_dossiers
from versionforms import county_with_versions

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext"),
]


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    # pdftotext gives some characters as their Kangxi radicals (⼉ for 儿) and spaces CJK
    # text out: compare the NFKC form without spaces. It also drops the digits of a Latin
    # run ("kids@9" reads "kids@"), so version names are checked on the page's HTML.
    return "".join(unicodedata.normalize("NFKC", out).split())


def test_dossiers_by_version(tmp_path: Path) -> None:
    ws, ids = county_with_versions(tmp_path)
    try:
        forms = FormResolver(ws)
        forms.load_heads()
        rows = list(iter_workspace_rows(ws))
        paths = write_village_dossiers(
            rows, tmp_path / "pdf", county_name="测试县",
            labels_for=lambda row: forms.record_labels(str(row["record_id"])))
        pages = {}
        for row in rows:
            labels, saved_under = forms.record_labels(str(row["record_id"]))
            pages[str(row["record_id"])] = dossier_html(row, labels, saved_under=saved_under)
    finally:
        ws.close()
    texts = {str(row["record_id"]): pdf_text(path) for row, path in zip(rows, paths,
                                                                          strict=True)}
    one, two, gone = texts[ids["v1"]], texts[ids["v2"]], texts[ids["gone"]]

    assert "李小红" in one and "照料人类型" in one and "祖父母" in one
    assert "父亲电话" in one and "13812345678" in one
    assert "主要照料人" not in one and "祖辈照料" not in one and "grandparents" not in one
    assert "表单版本：kids@1<" in pages[ids["v1"]]

    assert "王小明" in two and "主要照料人" in two and "其他亲属" in two
    assert "照料人类型" not in two and "父亲电话" not in two and "other_relative" not in two
    assert "表单版本：kids@2<" in pages[ids["v2"]]

    # Version 9 is not held here: the current form's labels, and the page says so.
    assert "赵小兰" in gone and "主要照料人" in gone and "祖辈照料" in gone
    assert "本机没有此版本的表单" in gone
    note = "表单版本：kids@9（本机没有此版本的表单，题目和选项按 kids@2 显示）"
    assert note in pages[ids["gone"]]
