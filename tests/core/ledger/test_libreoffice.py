"""The ledger and a department list open in LibreOffice and convert to PDF (as a user
would print them). Skipped where LibreOffice is not installed."""

import shutil
import subprocess
from datetime import datetime

import pytest

from surveyapp.core.ledger import export_department, export_ledger

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SOFFICE is None, reason="no LibreOffice")]


def test_libreoffice_converts_ledger_and_department_list__pdfs(rows, labels, tmp_path):
    now = datetime(2026, 11, 23, 9, 30)
    ledger = tmp_path / "ledger.xlsx"
    police = tmp_path / "police.xlsx"
    export_ledger(rows[:120], ledger, labels=labels, county_name="大方县", now=now)
    export_department(rows, police, "police", labels=labels, county_name="大方县",
                      role="county", now=now)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(ledger), str(police)],
        check=True, capture_output=True, timeout=240,
    )
    for name in ("ledger.pdf", "police.pdf"):
        pdf = (tmp_path / name).read_bytes()
        assert pdf.startswith(b"%PDF-")
        assert pdf.count(b"/Type /Page") + pdf.count(b"/Type/Page") >= 1
