# Builds the one-folder Windows bundle into dist\surveyapp and runs its --self-test.
# Usage (PowerShell, Python 3.11+ on PATH):  powershell -ExecutionPolicy Bypass -File packaging\build.ps1
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
if (-not (Test-Path .venv\Scripts\python.exe)) { py -3 -m venv .venv }
.venv\Scripts\python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[package]"
.venv\Scripts\python packaging\build_qm.py
.venv\Scripts\pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller packaging\surveyapp.spec
$env:QT_QPA_PLATFORM = "offscreen"
& dist\surveyapp\surveyapp.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "self-test failed ($LASTEXITCODE)" }
Write-Output "built and self-tested: dist\surveyapp\"
