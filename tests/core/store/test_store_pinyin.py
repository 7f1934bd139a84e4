"""Pinyin without pypinyin's phrase table: the same syllable for every character it knows."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import surveyapp

# Every character of pypinyin's table, through the view's own lookup (which switches the
# phrase table off) or through plain pypinyin with the phrase table loaded.
VIEW = """
import json, sys
from surveyapp.core.store import views
views.pinyin_of("张小明")
import pypinyin.constants as c
import pypinyin.pinyin_dict as d
json.dump({"phrases": len(c.PHRASES_DICT),
           "syllables": {str(k): views._syllable(chr(k)) for k in d.pinyin_dict}}, sys.stdout)
"""
FULL = """
import json, sys
from pypinyin import Style, lazy_pinyin
import pypinyin.constants as c
import pypinyin.pinyin_dict as d
json.dump({"phrases": len(c.PHRASES_DICT),
           "syllables": {str(k): "".join(lazy_pinyin(chr(k), style=Style.NORMAL,
                                                     errors="default")).lower().strip()
                         for k in d.pinyin_dict}}, sys.stdout)
"""


def _run(code: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYPINYIN_")}
    # The same source tree as this process, however the package was installed.
    src = os.path.dirname(os.path.dirname(surveyapp.__file__))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env,
                         check=True, timeout=120)
    return dict(json.loads(out.stdout))


@pytest.mark.slow
def test_syllable_without_phrase_table__same_as_with_it_for_every_character() -> None:
    view, full = _run(VIEW), _run(FULL)
    assert view["phrases"] == 0 and int(str(full["phrases"])) > 10_000
    assert view["syllables"] == full["syllables"]
    assert len(view["syllables"]) > 40_000  # type: ignore[arg-type]
