"""A small cache of the form's village choices, so that the main window opens without
parsing the XLSForm (which takes about a second on an old laptop).

The cache holds only the public division names and codes, keyed by the form file's path,
size and modification time, in the data folder (``cache/villages.json``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from surveyapp.ui.settings import data_dir


def _key(form_path: Path) -> str:
    st = form_path.stat()
    return f"{form_path.resolve()}|{st.st_size}|{st.st_mtime_ns}"


def village_choices(form_path: Path, load: Callable[[], Any]) -> list[tuple[str, dict[str, str]]]:
    """``[(code, {lang: name})]`` of the ``village`` choice list; ``load()`` parses the form
    when the cache is missing or stale."""
    cache = data_dir() / "cache" / "villages.json"
    key = _key(form_path)
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return [(str(code), dict(names)) for code, names in stored["villages"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    form = load()
    try:
        choices = form.choices["village"]
    except (KeyError, AttributeError):
        choices = ()
    villages = [(str(c.name), dict(c.label)) for c in choices]
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_name(cache.name + ".tmp")
    tmp.write_text(json.dumps({"key": key, "villages": villages}, ensure_ascii=False), "utf-8")
    os.replace(tmp, cache)
    return villages
