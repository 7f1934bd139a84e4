"""The 台账 as LibreOffice prints it (issue 13: urgent children first and filled, names by
pinyin within a village, one row per person). Run from the repository root:

    .venv/bin/python docs/screenshots/ledger_screenshot.py

Builds a small demo county workspace in a temporary folder, exports the ledger through
``ops.ledger`` exactly as the app and the CLI do, converts it with ``soffice --headless
--convert-to pdf`` and renders the first page with ``pdftoppm -png -r 60`` into
``docs/screenshots/ledger-xlsx-libreoffice-page.png`` (the whole A3 page), and its top left
corner at 110 dpi into ``docs/screenshots/ledger-xlsx-libreoffice.png`` (legible).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from surveyapp.core.ledger import export_ledger
from surveyapp.core.store import Workspace
from surveyapp.ops import ledger
from surveyapp.ops.demo import DEMO_PASSWORD, DEMO_USER, build_demo_workspace

HERE = Path(__file__).resolve().parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "demo.sdb"
        build_demo_workspace(path, children=800)  # enough for a few urgent cases
        with Workspace.open(path, DEMO_USER, DEMO_PASSWORD) as ws:
            rows = ledger.iter_workspace_rows(ws, ordered=True)
            xlsx = folder / "台账.xlsx"
            export_ledger(rows, xlsx, labels=ledger.load_labels(),
                          county_name=ws.org_name, now=datetime(2026, 12, 7, 9, 30))
        subprocess.run(  # noqa: S603 - fixed arguments
            ["soffice",  # noqa: S607 - the LibreOffice on PATH, as a user would print
             f"-env:UserInstallation=file://{folder}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", str(folder), str(xlsx)],
            check=True, capture_output=True, timeout=300)
        pdf = str(folder / "台账.pdf")
        for name, extra in (("ledger-xlsx-libreoffice-page", ["-r", "60"]),
                            ("ledger-xlsx-libreoffice",
                             ["-r", "110", "-x", "0", "-y", "0", "-W", "1400", "-H", "560"])):
            subprocess.run(["pdftoppm",  # noqa: S603, S607 - poppler on PATH
                            "-png", *extra, "-f", "1", "-l", "1", "-singlefile",
                            pdf, str(folder / name)], check=True)
            shutil.copyfile(folder / f"{name}.png", HERE / f"{name}.png")
            print("wrote", HERE / f"{name}.png")


if __name__ == "__main__":
    main()
