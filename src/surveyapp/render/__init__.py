"""Rendering to paper: the per-child dossier PDF (一人一档). Uses Qt (QtGui only, no
widgets) but is not UI: the UI and scripts call it; ``surveyapp.core`` must not import it.

Public API:

- ``ensure_gui_app()``: the running Qt app or a new offscreen ``QGuiApplication``.
- ``dossier_html(row, labels, *, history=(), county_name="", now=None, mask=False)``.
- ``write_dossier_pdf(row, path, *, labels=None, history=(), county_name="", mask=False,
  overwrite=True, now=None) -> Path``.
- ``write_village_dossiers(rows, folder, *, labels=None, total=0, county_name="",
  mask=False, overwrite=False, progress=None, cancel=None) -> list[Path]``.
"""

from surveyapp.render.app import ensure_gui_app
from surveyapp.render.dossier import (
    dossier_filename,
    dossier_html,
    write_dossier_pdf,
    write_village_dossiers,
)

__all__ = [
    "dossier_filename",
    "dossier_html",
    "ensure_gui_app",
    "write_dossier_pdf",
    "write_village_dossiers",
]
