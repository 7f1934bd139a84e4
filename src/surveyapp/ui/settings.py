"""Typed application settings (QSettings, INI format), declared once with type and default.

Never put keys or passphrases here. ``SURVEYAPP_HOME`` (an environment variable) moves
both the settings file and the data folder, so that tests and portable installs stay apart
from the user's real profile.

Public API::

    settings = Settings.load()          # the INI file for this user
    settings.language                   # "zh_CN" (default) or "en"
    settings.set("language", "en")
    data_dir() -> Path                   # where the demo workspace and logs live
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths

from surveyapp import __version__

LANGUAGES = ("zh_CN", "en")


@dataclass(frozen=True, slots=True)
class Option:
    """One setting: its key, Python type and default."""

    key: str
    type: type
    default: Any


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("language", str, "zh_CN"),
        Option("last_workspace", str, ""),
        Option("last_user", str, ""),
        Option("autosave_seconds", int, 5),
        Option("page_size", int, 200),
        Option("window_geometry", bytes, b""),
    )
}


def _upgrade_0_1(settings: QSettings) -> None:
    """Version 0.1 is the first release; nothing to move yet."""


# Upgrade hooks keyed by the app version that introduced them, run in order once.
UPGRADES = {"0.1.0": _upgrade_0_1}


def home_dir() -> Path | None:
    env = os.environ.get("SURVEYAPP_HOME")
    return Path(env) if env else None


def data_dir() -> Path:
    """The user data folder (demo workspace, logs), created on demand."""
    home = home_dir()
    if home is not None:
        path = home / "data"
    else:
        loc = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        path = Path(loc) if loc else Path.home() / ".local" / "share" / "surveyapp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Settings:
    """Typed access to the INI file; unknown keys raise ``KeyError``."""

    def __init__(self, qsettings: QSettings) -> None:
        self._q = qsettings

    @classmethod
    def load(cls) -> Settings:
        home = home_dir()
        if home is not None:
            home.mkdir(parents=True, exist_ok=True)
            q = QSettings(str(home / "surveyapp.ini"), QSettings.Format.IniFormat)
        else:
            q = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, "surveyapp", "surveyapp"
            )
        settings = cls(q)
        settings._upgrade()
        return settings

    @property
    def path(self) -> str:
        return self._q.fileName()

    def get(self, key: str) -> Any:
        opt = OPTIONS[key]
        raw = self._q.value(key, opt.default)
        try:
            if opt.type is bytes:
                return bytes(raw) if raw is not None else opt.default
            return opt.type(raw)
        except (TypeError, ValueError):
            return opt.default

    def set(self, key: str, value: Any) -> None:
        opt = OPTIONS[key]
        self._q.setValue(key, opt.type(value))
        self._q.sync()

    @property
    def language(self) -> str:
        """The UI language: ``SURVEYAPP_LANG`` wins over the setting; Chinese by default."""
        env = os.environ.get("SURVEYAPP_LANG", "")
        if env:
            return "en" if env.startswith("en") else "zh_CN"
        lang = str(self.get("language"))
        return lang if lang in LANGUAGES else "zh_CN"

    def _upgrade(self) -> None:
        done = str(self._q.value("meta/version", ""))
        for version, hook in UPGRADES.items():
            if not done or _vtuple(done) < _vtuple(version):
                hook(self._q)
        self._q.setValue("meta/version", __version__)


def _vtuple(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split(".") if p.isdigit())


def form_lang(ui_language: str) -> str:
    """The form/error language code (``zh``/``en``) for a UI language."""
    return "en" if ui_language.startswith("en") else "zh"
