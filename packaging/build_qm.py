"""Update and compile the UI translations.

    .venv/bin/python packaging/build_qm.py            # lrelease: .ts -> .qm
    .venv/bin/python packaging/build_qm.py --update   # lupdate first (new strings from src/ui)

Widget texts are written in Simplified Chinese (the default language) in ``self.tr()``;
``resources/i18n/surveyapp_en.ts`` holds the English translations, edited with
``pyside6-linguist``. The app also compiles a missing .qm on first use (``ui/i18n.py``),
so running this is needed for packaging only.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "src" / "surveyapp" / "ui"
I18N = ROOT / "resources" / "i18n"
LANGS = ("en",)


def tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="run pyside6-lupdate first")
    args = parser.parse_args(argv)
    sources = sorted(str(p) for p in UI.rglob("*.py"))
    for lang in LANGS:
        ts = I18N / f"surveyapp_{lang}.ts"
        if args.update:
            subprocess.run(  # noqa: S603 - our own tool on our own files
                # No <location> lines: with them every edit of any UI file renumbers
                # hundreds of lines of the .ts, and branches conflict on them.
                [tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none",
                 "-source-language", "zh_CN",
                 "-target-language", lang, *sources, "-ts", str(ts)],
                check=True,
            )
        subprocess.run(  # noqa: S603 - our own tool on our own files
            [tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
