"""How fast, and at what memory, a zip whose directory claims millions of entries is refused
(issue 12, item 7). Each refusal runs in a fresh process, so ``ru_maxrss`` is its own peak.

    .venv/bin/python bench/bench_hostile_zip.py [--entries N] [--src DIR]

``--src`` points at another checkout's ``src`` (for example the code before the fix) to
measure the same file against it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hardening"))

from hostile_zip import hostile_zip  # noqa: E402

PROBE = """
import json, resource, sys, time
from surveyapp.errors import SurveyError
from surveyapp.ops.batches import inspect_batch
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    inspect_batch(sys.argv[1])
    code = "accepted"
except SurveyError as err:
    code = err.code.name
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"code": code, "seconds": took, "base_mb": base / 1024,
                  "peak_mb": peak / 1024}))
"""


def probe(path: Path, src: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", PROBE, str(path)], env=env, check=True,
                         capture_output=True, text=True, timeout=600)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2_000_000)
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for zip64 in (True, False):
            path = hostile_zip(Path(tmp) / "hostile.batch.zip", args.entries, zip64=zip64)
            found = probe(path, args.src)
            print(f"{'zip64' if zip64 else 'classic'} end record, {args.entries:,} directory "
                  f"entries ({path.stat().st_size / 1e6:.0f} MB file): {found['code']} in "
                  f"{found['seconds']:.3f} s, peak RSS {found['peak_mb']:.0f} MB "
                  f"(after imports {found['base_mb']:.0f} MB)")


if __name__ == "__main__":
    main()
