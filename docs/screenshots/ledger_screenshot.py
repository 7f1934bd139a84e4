"""The 台账, the statistics workbook and a department list as LibreOffice prints them
(issue 13: urgent children first and filled, names by pinyin within a village; issue 15:
laid out for paper). Run from the repository root:

    .venv/bin/python docs/screenshots/ledger_screenshot.py

Builds a small demo county workspace in a temporary folder, exports the ledger, the
statistics and the police list (公安机关、人民检察院) through ``ops.ledger`` exactly as the
app and the CLI do, converts them with ``soffice --headless --convert-to pdf`` and renders
pages with ``pdftoppm -png -r 60`` into ``docs/screenshots/``:

- ``ledger-print-summary.png``: the ledger's first page, the 汇总 sheet (底数 per township);
- ``ledger-xlsx-libreoffice-page.png``: the first page of the first township's sheet (A3),
  and its top left corner at 110 dpi in ``ledger-xlsx-libreoffice.png`` (legible);
- ``stats-print-first.png``: the statistics workbook's first page (概况);
- ``department-print-police.png``: the police list's first page (A4).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from surveyapp.core.ledger import export_ledger
from surveyapp.core.stats.xlsx import export_stats_xlsx
from surveyapp.core.store import Workspace
from surveyapp.ops import ledger
from surveyapp.ops.demo import DEMO_PASSWORD, DEMO_USER, build_demo_workspace

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 12, 7, 9, 30)


def _render(pdf: Path, page: int, name: str, extra: list[str]) -> None:
    subprocess.run(["pdftoppm",  # noqa: S603, S607 - poppler on PATH
                    "-png", *extra, "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(pdf.parent / name)], check=True)
    shutil.copyfile(pdf.parent / f"{name}.png", HERE / f"{name}.png")
    print("wrote", HERE / f"{name}.png")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "demo.sdb"
        build_demo_workspace(path, children=800)  # enough for a few urgent cases
        with Workspace.open(path, DEMO_USER, DEMO_PASSWORD) as ws:
            labels = ledger.load_labels()
            book = folder / "台账.xlsx"
            export_ledger(ledger.iter_workspace_rows(ws, ordered=True), book, labels=labels,
                          county_name=ws.org_name, now=NOW)
            police = folder / "名单.xlsx"
            ledger.export_department_file(ledger.iter_workspace_rows(ws, ordered=True),
                                          police, "police", county_name=ws.org_name,
                                          role="county")
            stats = folder / "统计.xlsx"
            export_stats_xlsx(ledger.workspace_stats(ws, labels=labels), stats)
        subprocess.run(  # noqa: S603 - fixed arguments
            ["soffice",  # noqa: S607 - the LibreOffice on PATH, as a user would print
             f"-env:UserInstallation=file://{folder}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", str(folder), str(book), str(police),
             str(stats)],
            check=True, capture_output=True, timeout=600)
        low = ["-r", "60"]
        _render(folder / "台账.pdf", 1, "ledger-print-summary", low)
        _render(folder / "台账.pdf", 2, "ledger-xlsx-libreoffice-page", low)
        _render(folder / "台账.pdf", 2, "ledger-xlsx-libreoffice",
                ["-r", "110", "-x", "0", "-y", "0", "-W", "1400", "-H", "560"])
        _render(folder / "统计.pdf", 1, "stats-print-first", low)
        _render(folder / "名单.pdf", 1, "department-print-police", low)


if __name__ == "__main__":
    main()
