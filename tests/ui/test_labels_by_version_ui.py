"""The app shows each child's answers with the labels of the form version the file was
saved under (docs/forms.md "Which form labels an answer"): the child file and its
dossier PDF of a child saved under v1 keep v1's question and choice labels after the
county issued v2; a v2 child shows v2's; a version the device does not hold shows the
current form's and says so. The conflict screen labels each version's values with that
version's form."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from surveyapp.ui.backend import Backend
from surveyapp.ui.review.conflicts import ConflictsWidget
from surveyapp.ui.review.labels import FieldLabels
from surveyapp.ui.widgets.childfile import ChildFileView
from versionforms import FORM_ID, county_with_versions


@pytest.fixture
def village(app: Any, tmp_path: Path) -> Any:
    ws, ids = county_with_versions(tmp_path, role="village")
    yield ws, ids
    ws.close()


def _file(qtbot: Any, backend: Any, record: str) -> ChildFileView:
    view = ChildFileView(backend, record)
    qtbot.addWidget(view)
    return view


def test_child_file__labels_of_the_saving_version(qtbot: Any, village: Any) -> None:
    ws, ids = village
    backend = Backend(ws)
    assert backend.form_label == "kids@2"  # the app fills v2

    one = _file(qtbot, backend, ids["v1"]).answers_view.toPlainText()
    assert "照料人类型" in one and "祖父母" in one
    assert "父亲电话" in one and "13812345678" in one
    assert "主要照料人" not in one and "grandparents" not in one
    # v1 asked it: a v1 file's father_phone is an answer, not an earlier one.
    assert "13812345678" not in one.partition("早前版本的答案")[2]

    two = _file(qtbot, backend, ids["v2"]).answers_view.toPlainText()
    assert "主要照料人" in two and "其他亲属" in two
    assert "照料人类型" not in two and "other_relative" not in two

    gone = _file(qtbot, backend, ids["gone"]).answers_view.toPlainText()
    assert "主要照料人" in gone and "祖辈照料" in gone
    assert "kids@9" in gone and "kids@2" in gone and "本机没有该版本" in gone


def test_child_file__earlier_answers_labelled_by_the_version_that_asked(
        qtbot: Any, village: Any) -> None:
    ws, ids = village
    # A v2 follow-up that kept v1's father_phone apart (as ops.children.save_visit does).
    ws.save_visit(ids["v1"], {"child_name": "李小红", "carer_type": "parents",
                              "previous_answers": {"father_phone": {
                                  "value": "13812345678", "form_id": FORM_ID,
                                  "form_version": "1"}}},
                  form_id=FORM_ID, form_version="2")
    text = _file(qtbot, Backend(ws), ids["v1"]).answers_view.toPlainText()
    assert "主要照料人" in text and "父母" in text
    assert "早前版本的答案" in text
    assert "父亲电话（father_phone）" in text and "13812345678" in text and "kids@1" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_dossier_pdf_from_the_child_file__v1_labels(qtbot: Any, village: Any,
                                                     tmp_path: Path) -> None:
    ws, ids = village
    view = _file(qtbot, Backend(ws), ids["v1"])
    path = tmp_path / "李小红.pdf"
    view.save_pdf(str(path))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    text = "".join(unicodedata.normalize("NFKC", out).split())
    assert "李小红" in text and "照料人类型" in text and "祖父母" in text and "父亲电话" in text
    assert "主要照料人" not in text and "祖辈照料" not in text


def test_review_labels__each_head_by_its_own_version(qtbot: Any, village: Any) -> None:
    ws, ids = village
    labels = FieldLabels.load("zh", ws=ws)
    assert labels.value("carer_type", "grandparents") == "祖辈照料"  # the current form, v2
    both = labels.with_versions(ws, [(FORM_ID, "1"), (FORM_ID, "2"), (FORM_ID, "9")])

    class Rev:
        def __init__(self, version: str) -> None:
            self.form_id, self.form_version = FORM_ID, version

    assert both.of(Rev("1")).field("carer_type") == "照料人类型"
    assert both.of(Rev("1")).value("carer_type", "grandparents") == "祖父母"
    assert both.of(Rev("2")).field("carer_type") == "主要照料人"
    assert both.of(Rev("9")).value("carer_type", "grandparents") == "祖辈照料"  # fallback

    # A conflict between the v1 file and a v2 save of the same child.
    ws.save_conflicting_visit(ids["v1"], {"child_name": "李小红", "carer_type": "other_relative"},
                              form_id=FORM_ID, form_version="2")
    w = ConflictsWidget(ws)
    qtbot.addWidget(w)
    w.refresh()
    m = w.diff_model
    heads = m.conflict.heads
    assert {h.form_version for h in heads} == {"1", "2"}
    rows = {d.name: r for r, d in enumerate(m.rows)}
    shown = {heads[c - 1].form_version: m.data(m.index(rows["carer_type"], c))
             for c in (1, 2)}
    assert shown == {"1": "祖父母", "2": "其他亲属"}
    first = {"1": "照料人类型", "2": "主要照料人"}[heads[0].form_version]
    assert m.data(m.index(rows["carer_type"], 0)) == first
    assert m.data(m.index(rows["father_phone"], 0)) == "父亲电话"  # only v1 asks it
