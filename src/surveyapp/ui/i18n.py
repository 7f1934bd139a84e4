"""Translators: Simplified Chinese is the source language of every widget text; English is a .qm.

Widget texts are written in Chinese in ``self.tr()`` calls; ``resources/i18n/surveyapp_en.ts``
holds their English twins (``packaging/build_qm.py`` runs ``pyside6-lupdate`` and
``pyside6-lrelease``). For Chinese the app loads Qt's own ``qtbase_zh_CN`` so that the
standard buttons and dialogs speak Chinese too. A missing or stale ``.qm`` is compiled once
into the data folder with ``pyside6-lrelease``, so a fresh clone shows English without a
build step.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from surveyapp.paths import I18N_DIR

log = logging.getLogger(__name__)

_INSTALLED: list[QTranslator] = []


def lrelease_exe() -> str | None:
    local = Path(sys.executable).parent / "pyside6-lrelease"
    return str(local) if local.exists() else shutil.which("pyside6-lrelease")


def compiled_qm(name: str, cache: Path) -> Path | None:
    """The ``.qm`` for ``resources/i18n/<name>.ts``, compiling it into ``cache`` when needed."""
    ts = I18N_DIR / f"{name}.ts"
    for qm in (I18N_DIR / f"{name}.qm", cache / f"{name}.qm"):
        if qm.exists() and (not ts.exists() or qm.stat().st_mtime >= ts.stat().st_mtime):
            return qm
    exe = lrelease_exe()
    if not ts.exists() or exe is None:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / f"{name}.qm"
    try:
        subprocess.run(  # noqa: S603 - our own lrelease on our own .ts file
            [exe, "-silent", str(ts), "-qm", str(out)], check=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        log.warning("could not compile %s", ts.name)
        return None
    return out if out.exists() else None


def install_translators(app: QCoreApplication, language: str, cache: Path) -> str:
    """Install the translators for ``language`` (``zh_CN`` or ``en``); return the one in effect.

    The app property ``surveyapp_lang`` records it for code that picks catalogue texts.
    """
    for old in _INSTALLED:
        app.removeTranslator(old)
    _INSTALLED.clear()
    if language.startswith("en"):
        qm = compiled_qm("surveyapp_en", cache)
        tr = QTranslator(app)
        if qm is not None and tr.load(str(qm)):
            app.installTranslator(tr)
            _INSTALLED.append(tr)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        effective = "en"
    else:
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        tr = QTranslator(app)
        if tr.load("qtbase_zh_CN", qt_dir):
            app.installTranslator(tr)
            _INSTALLED.append(tr)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        effective = "zh_CN"
    app.setProperty("surveyapp_lang", effective)
    return effective
