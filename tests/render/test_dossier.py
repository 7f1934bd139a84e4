"""The per-child dossier PDF and the village batch: real PDFs through QPdfWriter."""

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from surveyapp.core.ledger import FormLabels
from surveyapp.core.ledger.sample import sample_rows
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.render import dossier_html, write_dossier_pdf, write_village_dossiers

FORM = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"
pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def labels():
    return FormLabels.from_form(FORM)


@pytest.fixture(scope="module")
def child():
    row = next(r for r in sample_rows(80, seed=4) if r["urgent_report"] == "yes")
    row["siblings"] = [{"sibling_name": "张小红", "sibling_sex": "female",
                        "sibling_birth_year": 2015, "sibling_lives_with": "yes"}]
    return row


def test_dossier_html__sections_labels_history(child, labels):
    page = dossier_html(child, labels, county_name="大方县", history=[("2026-09-10", "回访")],
                        now=datetime(2026, 11, 23, 9, 0))
    for text in ("大方县农村留守儿童和困境儿童档案", "二、儿童基本情况", "三、父母情况",
                 "七、分类结果（自动计算）", "强制报告", "张小红", "回访", child["id_number"],
                 labels.label("father_status", child["father_status"])):
        assert text in page
    assert child["father_status"] not in page.replace(labels.label(
        "father_status", child["father_status"]), "")


def test_dossier_html_masked__no_full_numbers(child, labels):
    page = dossier_html(child, labels, mask=True)
    assert child["id_number"] not in page
    assert child["id_number"][:4] + "**********" in page
    assert child["carer_phone"] not in page


def test_dossier_pdf__written_atomically_with_text(child, labels, tmp_path):
    path = write_dossier_pdf(child, tmp_path / "d.pdf", labels=labels, county_name="大方县")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["d.pdf"]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert child["child_name"] in text
        assert "五、保障情况" in text


def test_village_batch__one_pdf_each_progress_cancel(labels, tmp_path):
    rows = [r for r in sample_rows(60, seed=9) if r["village_code"] == "522422102201"]
    calls = []
    paths = write_village_dossiers(rows, tmp_path / "v", labels=labels, total=len(rows),
                                   progress=lambda d, t: calls.append((d, t)))
    assert len(paths) == len(rows) == len({p.name for p in paths})
    assert calls[-1] == (len(rows), len(rows))
    assert all(p.read_bytes().startswith(b"%PDF-") for p in paths)
    with pytest.raises(SurveyError) as info:
        write_village_dossiers(rows, tmp_path / "c", labels=labels,
                               cancel=lambda: len(list((tmp_path / "c").glob("*.pdf"))) >= 2)
    assert info.value.code is CommonCode.CANCELLED
    assert len(list((tmp_path / "c").glob("*.pdf"))) == 2
