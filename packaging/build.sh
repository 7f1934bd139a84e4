#!/usr/bin/env bash
# Builds the one-folder Linux bundle into dist/surveyapp and runs its --self-test.
# Usage: packaging/build.sh   (Windows: the same spec with `pyinstaller packaging\surveyapp.spec`)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[package]'
if [ -f packaging/build_qm.py ]; then .venv/bin/python packaging/build_qm.py; fi
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/surveyapp.spec
QT_QPA_PLATFORM=offscreen dist/surveyapp/surveyapp --self-test
echo "built and self-tested: dist/surveyapp/"
