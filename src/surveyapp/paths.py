"""Where the app's shipped files are: the forms and the Qt translations.

From a source checkout they sit at the top of the repository; in a PyInstaller bundle they
are unpacked beside the code (``sys._MEIPASS``, see packaging/surveyapp.spec). This is the
one place that knows the difference, so every other module asks here.
"""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder that holds ``forms/`` and ``resources/``."""
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled:
        return Path(bundled)
    return Path(__file__).resolve().parents[2]


FORMS_DIR = app_root() / "forms"
FORM_PATH = FORMS_DIR / "child_screening.xlsx"
I18N_DIR = app_root() / "resources" / "i18n"
