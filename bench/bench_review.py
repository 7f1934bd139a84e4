"""Benchmark of the review import (``ops.importplan``) at a township.

    .venv/bin/python bench/bench_review.py [villages] [children_per_village]

Builds N enrolled village stores with M children each (bulk revisions), exports one batch
each, then times at a fresh township: the baseline (``ops.batches.import_batch`` one by one),
the dry run (trial import in a rolled-back transaction, classification, duplicate scan) and
the all-or-nothing import of every batch. Prints seconds, records/s and ratios to the
baseline measured in the same run.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
KEY = bytes.fromhex("b1" * 32)
TOWNSHIP = "522422102"


def _children(village: str, n: int, device: str, rng: random.Random):  # type: ignore[no-untyped-def]
    from surveyapp.core.store import Revision

    for i in range(n):
        yield Revision.make(
            kind="child", record_id=str(uuid.UUID(int=rng.getrandbits(128))), author="bench",
            device_id=device, data={"child_name": f"儿童{village[-3:]}{i}", "sex": "male",
                                    "birth_date": f"20{10 + i % 8:02d}-0{1 + i % 9}-1{i % 9}",
                                    "township_code": TOWNSHIP, "village_code": village,
                                    "survey_date": "2026-07-01", "risk_level": "low",
                                    "status": "active"})


def main(argv: list[str]) -> int:
    from surveyapp.core import trust
    from surveyapp.core.store import Workspace
    from surveyapp.ops import importplan
    from surveyapp.ops.batches import export_batch, import_batch

    villages_n = int(argv[0]) if argv else 10
    per = int(argv[1]) if len(argv) > 1 else 1000
    tmp = Path(tempfile.mkdtemp(prefix="bench-review-"))
    try:
        def ws(name: str, role: str, org: str) -> Workspace:
            return Workspace.create_with_key(tmp / f"{name}.sdb", KEY, role=role, org_code=org,
                                             org_name=name, user="bench")

        county = ws("county", "county", "522422")
        trust.init_county(county)
        usb = tmp / "usb"
        usb.mkdir()
        towns = [ws(f"town{i}", "township", TOWNSHIP) for i in range(3)]
        for t in towns:
            trust.accept_enrollment(t, trust.enroll(county, trust.enroll_request(t)))
        rng = random.Random(7)
        for v in range(villages_n):
            code = f"{TOWNSHIP}{201 + v:03d}"
            village = ws(f"v{v}", "village", code)
            trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
            village.insert_revisions(_children(code, per, village.device_id, rng))
            export_batch(village, usb)
            village.close()
        for t in towns:
            trust.apply_update(t, trust.trust_update(county, TOWNSHIP))
        files = importplan.batch_files(usb)
        total = villages_n * per

        def noop(_d: int, _t: int) -> None:
            return None

        t0 = time.perf_counter()
        for f in files:
            import_batch(towns[0], f)
        base = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = importplan.dry_run(towns[1], files, noop, lambda: False)
        dry = time.perf_counter() - t0
        t0 = time.perf_counter()
        importplan.import_all(towns[2], files, noop, lambda: False)
        full = time.perf_counter() - t0
        assert len(report.new) == total and towns[2].count_children() == total
        print(f"township import of {villages_n} batches x {per} records = {total} records")
        print(f"  baseline import_batch one by one: {base:7.2f} s  {total / base:9.0f} rec/s")
        print(f"  dry run (trial + lists + dups):   {dry:7.2f} s  {total / dry:9.0f} rec/s"
              f"  ratio {dry / base:.2f}")
        print(f"  import_all (one transaction):     {full:7.2f} s  {total / full:9.0f} rec/s"
              f"  ratio {full / base:.2f}")
        for w in (county, *towns):
            w.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
