"""CI fails, not skips, when Debian's age, minisign, LibreOffice or poppler is missing
(SURVEYAPP_REQUIRE_TOOLS=1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pytest(env_extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": str(tmp_path), **env_extra,  # no age, no minisign here
           "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
         str(ROOT / "tests" / "core" / "crypto" / "test_minisign_vectors.py")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, check=False)


def test_tools_required_and_missing__run_fails(tmp_path: Path) -> None:
    out = _pytest({"SURVEYAPP_REQUIRE_TOOLS": "1"}, tmp_path)
    assert out.returncode != 0
    said = out.stdout + out.stderr
    assert "SURVEYAPP_REQUIRE_TOOLS=1" in said and "not installed" in said
    for tool in ("age", "minisign", "soffice", "pdftotext", "pdfinfo"):  # each one named
        assert tool in said.split("but", 1)[1], said


def test_tools_not_required__run_goes_on(tmp_path: Path) -> None:
    out = _pytest({"SURVEYAPP_REQUIRE_TOOLS": "0"}, tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr


def test_scripts_test_requires_the_tools() -> None:
    text = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert "export SURVEYAPP_REQUIRE_TOOLS=1" in text
