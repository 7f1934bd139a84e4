"""Batch benchmark: export time, batch encode/decode next to plain JSON, and verify+decrypt
throughput next to Debian's ``age`` on the same payload, all measured in the same run.

    .venv/bin/python bench/bench_batch.py [--records 10000] [--export 2000] [--codec 20000]
                                          [--mb 100] [--skip-large]

Prints:
- export and county import of ``--records`` revisions (N) with throughput, and the import
  throughput as a share of plain ``sqlite3`` ``executemany`` of the same rows into a plain
  table, measured in the same run (DESIGN target for the county import: >= 40%);
- peak memory (``ru_maxrss``, each import in its own process) of importing N/4 and N
  revisions, and their ratio (flat means close to 1);
- the time of ``ops.batches.export_batch`` for ``--export`` children (a village workspace
  enrolled with a county; target <= 1 s), and of importing that batch at the county;
- encrypt+sign (``encode_batch``) and verify+decrypt+parse (``read_all`` + ``json.loads`` of
  every line) of ``--codec`` revisions, next to ``json.dumps``/``json.loads`` of the same
  rows, as ratios;
- verify (signature, payload SHA-256 and CRC-32) + decrypt + split into lines of a batch whose
  payload is ``--mb`` MB, as ``import_batch`` reads it (one pass), next to
  ``age -d -i <identity> -o /dev/null`` on the same ``payload.age`` (target: within 1.5x), in
  at least 5 interleaved rounds.
Each figure is the best of ``--repeat`` runs (the machine is shared). Files go to a temporary
folder on the same disk as this repository.

Large batch, 2-core build machine (AMD EPYC, SHA-NI; 2026-11-23), 102 MB payload, best of
rounds, ours / age -d:
- before (64 KiB chunks, ``(rest + chunk).split``, SHA-256 inline): 0.212 / 0.089 s = 2.39x;
- after (1 MiB blocks, chunks decrypted in runs, digests on a worker): 0.098 / 0.081 s = 1.21x.

The worker thread overlaps SHA-256 + CRC-32 (about 0.1 s of CPU per 100 MB) with ChaCha20
(about 0.065 s), so the ratio needs the second core: with another process holding one core
the pass costs the sum (about 0.19 s, 2x age, which uses one core and hashes nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from surveyapp.core import trust
from surveyapp.core.batch import BatchSource, Signer, encode_batch, open_batch, read_all
from surveyapp.core.crypto import age, minisign
from surveyapp.core.store import Revision, Workspace
from surveyapp.ops.batches import export_batch, import_batch

COUNTY, TOWNSHIP, VILLAGE = "522422", "522422102", "522422102201"
KEY = bytes.fromhex("5a" * 32)
DEVICE = "bench-village"
DEVICE_KEY = minisign.signing_key_from_seed(bytes(range(32)), bytes.fromhex("0102030405060708"))
IDENTITY = age.identity_string(bytes(range(100, 132)))
RECIPIENT = age.recipient_of(IDENTITY)
NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def answers(rng: random.Random, i: int) -> dict[str, Any]:
    """A screening submission of realistic size (about 25 answers)."""
    return {
        "survey_date": "2026-07-01", "township_code": TOWNSHIP, "village_code": VILLAGE,
        "child_name": rng.choice(NAMES) + rng.choice(NAMES), "sex": rng.choice(["male", "female"]),
        "has_id_number": "yes", "id_number": f"5224222015{i % 10000:08d}"[:18],
        "birth_date": "2015-03-08", "is_left_behind": rng.choice(["yes", "no"]),
        "is_orphan": "no", "is_unsupported": "no", "is_in_difficulty": rng.choice(["yes", "no"]),
        "dk_poverty": "no", "dk_disability": "no", "dk_guardianship": "no",
        "urgent_report": "no", "risk_level": rng.choice(["low", "medium", "high"]),
        "follow_up_days": 90, "guardian_name": rng.choice(NAMES) * 2,
        "guardian_phone": f"138{rng.randint(0, 99999999):08d}", "school_status": "in_school",
        "father_status": "migrant", "mother_status": "migrant", "notes": "情况稳定" * 5,
    }


def revisions(n: int, *, pad: int = 0, seed: int = 1, device: str = DEVICE
              ) -> Iterator[Revision]:
    """``n`` child revisions made on ``device`` (a workspace exports only its own)."""
    rng = random.Random(seed)
    for i in range(n):
        data = answers(rng, i)
        if pad:
            data["attachment"] = rng.randbytes(pad // 2).hex()
        yield Revision.make(kind="child", record_id=f"child-{i:07d}", form_id="child_screening",
                            form_version="1", author="bench", device_id=device,
                            created_at="2026-07-01T08:00:00.000000Z", data=data)


def bench_export(tmp: Path, n: int, repeat: int) -> None:
    county = Workspace.create_with_key(tmp / "county.sdb", KEY, role="county", org_code=COUNTY,
                                       org_name="county", user="u")
    village = Workspace.create_with_key(tmp / "village.sdb", KEY, role="village",
                                        org_code=VILLAGE, org_name="village", user="u")
    try:
        trust.init_county(county)
        trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
        village.insert_revisions(revisions(n, device=village.device_id))
        outs: list[Path] = []

        def run() -> None:
            d = tmp / f"usb{len(outs)}"
            d.mkdir()
            outs.append(export_batch(village, d, full=True).path)

        t_export = best(run, repeat)
        size = outs[-1].stat().st_size
        t0 = time.perf_counter()
        res = import_batch(county, outs[0])
        t_import = time.perf_counter() - t0
        print(f"export {n} children (ops.export_batch, full):".ljust(44) + f"{t_export:7.3f} s"
              f"  (target <= 1 s; {size / 1e6:.2f} MB file)")
        print(f"import that batch at the county:            {t_import:7.3f} s"
              f"  ({res.inserted} revisions inserted)")
    finally:
        county.close()
        village.close()


def bench_codec(n: int, repeat: int) -> None:
    revs = list(revisions(n))
    rows = [json.loads(r.body) for r in revs]
    source = BatchSource(DEVICE, VILLAGE, "village", revs, (), n)
    signers = {DEVICE: Signer(DEVICE, VILLAGE, "village", DEVICE_KEY.public_key())}
    holder: dict[str, Any] = {}

    def encode() -> None:
        holder["blob"] = encode_batch(source, DEVICE_KEY, sequence=1, previous="",
                                      recipients=[RECIPIENT])[0]

    def decode() -> None:
        _, lines = read_all(holder["blob"], signers=signers, scope=COUNTY,
                            identities=[IDENTITY])
        holder["rows"] = [json.loads(line) for line in lines]

    def dumps() -> None:
        holder["plain"] = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()

    def loads() -> None:
        [json.loads(line) for line in holder["plain"].split(b"\n")]

    t_enc, t_dumps = best(encode, repeat), best(dumps, repeat)
    t_dec, t_loads = best(decode, repeat), best(loads, repeat)
    assert holder["rows"] == rows
    mb = len(holder["blob"]) / 1e6
    # The store keeps each revision's canonical bytes, so encoding a batch does not
    # serialise again; json.dumps of the same rows is the baseline a plain export would pay.
    print(f"encrypt+sign {n} revisions ({mb:.1f} MB):".ljust(44) + f"{t_enc:7.3f} s"
          f"  vs json.dumps {t_dumps:.3f} s  -> {t_enc / t_dumps:5.2f}x")
    print(f"verify+decrypt+parse {n} revisions:".ljust(44) + f"{t_dec:7.3f} s"
          f"  vs json.loads {t_loads:.3f} s  -> {t_dec / t_loads:5.2f}x")


def bench_large(tmp: Path, mb: int, repeat: int) -> None:
    pad = 50_000
    count = max(1, mb * 1_000_000 // pad)
    source = BatchSource(DEVICE, VILLAGE, "village", revisions(count, pad=pad), (), count)
    from surveyapp.core.batch import write_batch

    written = write_batch(tmp, source, DEVICE_KEY, sequence=1, previous="",
                          recipients=[RECIPIENT])
    payload = tmp / "payload.age"
    with zipfile.ZipFile(written.path) as zf, zf.open("payload.age") as src, \
            payload.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    key_file = tmp / "county.key"
    key_file.write_text(IDENTITY + "\n")
    signers = {DEVICE: Signer(DEVICE, VILLAGE, "village", DEVICE_KEY.public_key())}

    def ours() -> None:
        # As import_batch reads: one pass, the payload hash checked while decrypting.
        with written.path.open("rb") as fh, open_batch(fh, signers=signers, scope=COUNTY,
                                                       check_payload=False) as ob:
            n = sum(1 for _ in ob.lines([IDENTITY]))
        assert n == count

    def ours_decrypt_only() -> None:
        # The same 1 MiB blocks the batch reader uses, without the hash or the lines.
        with payload.open("rb", buffering=0) as fh:
            blocks = iter(lambda: fh.read(1 << 20), b"")
            for _ in age.decrypt_blocks(blocks, identities=[IDENTITY]):
                pass

    def theirs() -> None:
        subprocess.run(["age", "-d", "-i", str(key_file), "-o", os.devnull, str(payload)],
                       check=True)

    size = payload.stat().st_size / 1e6
    have_age = shutil.which("age") is not None
    # Interleaved rounds, so that ours and age see the same load on a shared machine; each
    # figure is the best of its rounds.
    runs: dict[str, list[float]] = {"ours": [], "dec": [], "age": []}
    load = os.getloadavg()[0]
    for _ in range(max(5, repeat)):
        for name, fn in (("ours", ours), ("dec", ours_decrypt_only), ("age", theirs)):
            if name == "age" and not have_age:
                continue
            t0 = time.perf_counter()
            fn()
            runs[name].append(time.perf_counter() - t0)
    t_ours, t_dec = min(runs["ours"]), min(runs["dec"])
    if not have_age:
        print(f"verify+decrypt {size:.0f} MB batch: {t_ours:.3f} s (age CLI not installed)")
        return
    t_age = min(runs["age"])
    print(f"verify+decrypt+split a {size:.0f} MB batch:".ljust(44) + f"{t_ours:7.3f} s"
          f"  ({size / t_ours:6.1f} MB/s; {len(runs['ours'])} rounds, load {load:.1f}"
          f" on {os.cpu_count()} cores)")
    print(f"decrypt only, same payload.age (ours):      {t_dec:7.3f} s"
          f"  ({size / t_dec:6.1f} MB/s)")
    print(f"age -d, same payload.age (Debian age):      {t_age:7.3f} s"
          f"  ({size / t_age:6.1f} MB/s)")
    print(f"ratio ours (whole batch) / age:             {t_ours / t_age:7.2f}x  (target <= 1.5x)")


def _tiers(tmp: Path) -> tuple[Workspace, Workspace]:
    county = Workspace.create_with_key(tmp / "county.sdb", KEY, role="county", org_code=COUNTY,
                                       org_name="county", user="u")
    village = Workspace.create_with_key(tmp / "village.sdb", KEY, role="village",
                                        org_code=VILLAGE, org_name="village", user="u")
    trust.init_county(county)
    trust.accept_enrollment(village, trust.enroll(county, trust.enroll_request(village)))
    return county, village


def _make_batch(tmp: Path, n: int) -> tuple[Path, float]:
    """A county workspace that trusts a village, and a full batch of ``n`` revisions."""
    tmp.mkdir(parents=True, exist_ok=True)
    county, village = _tiers(tmp)
    try:
        village.insert_revisions(revisions(n, device=village.device_id))
        (tmp / "usb").mkdir()
        t0 = time.perf_counter()
        path = export_batch(village, tmp / "usb", full=True).path
        return path, time.perf_counter() - t0
    finally:
        county.close()
        village.close()


def _plain_executemany(tmp: Path, n: int) -> float:
    rows = [(r.id, r.kind, r.record_id, r.created_at, r.author, r.device_id, r.form_id,
             r.form_version, r.body, i) for i, r in enumerate(revisions(n))]
    db = sqlite3.connect(tmp / "plain.db")
    try:
        db.execute("CREATE TABLE revisions (id TEXT PRIMARY KEY, kind TEXT, record_id TEXT, "
                   "created_at TEXT, author TEXT, device_id TEXT, form_id TEXT, "
                   "form_version TEXT, body BLOB, seq INTEGER)")
        t0 = time.perf_counter()
        with db:
            db.executemany("INSERT INTO revisions VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        return time.perf_counter() - t0
    finally:
        db.close()


def bench_import_ratio(tmp: Path, n: int) -> None:
    path, t_export = _make_batch(tmp, n)
    county = Workspace.open_with_key(tmp / "county.sdb", KEY, "u")
    try:
        t0 = time.perf_counter()
        res = import_batch(county, path)
        t_import = time.perf_counter() - t0
    finally:
        county.close()
    assert res.inserted == n
    t_plain = _plain_executemany(tmp, n)
    print(f"export {n} revisions (full batch):".ljust(44) + f"{t_export:7.3f} s"
          f"  ({n / t_export:8.0f} rev/s)")
    print(f"import {n} revisions at the county:".ljust(44) + f"{t_import:7.3f} s"
          f"  ({n / t_import:8.0f} rev/s)")
    print("plain sqlite3 executemany of the same rows:".ljust(44) + f"{t_plain:7.3f} s"
          f"  ({n / t_plain:8.0f} rev/s)")
    print("import throughput / executemany:".ljust(44) + f"{t_plain / t_import:7.1%}"
          "  (DESIGN target >= 40%)")


def _child_import(county_path: str, batch_path: str) -> None:
    county = Workspace.open_with_key(county_path, KEY, "u")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        res = import_batch(county, batch_path)
    finally:
        county.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"before_kb": before, "peak_kb": peak, "inserted": res.inserted}))


def bench_memory(tmp: Path, n: int) -> None:
    peaks = []
    for size in (max(1, n // 4), n):
        d = tmp / f"mem{size}"
        path, _ = _make_batch(d, size)
        out = subprocess.run([sys.executable, __file__, "--child-import", str(d / "county.sdb"),
                              str(path)], capture_output=True, text=True, check=True)
        got = json.loads(out.stdout.strip().splitlines()[-1])
        peaks.append((size, got["peak_kb"], got["peak_kb"] - got["before_kb"]))
    for size, peak, grew in peaks:
        print(f"import {size} revisions, peak RSS:".ljust(44) + f"{peak / 1024:7.1f} MB"
              f"  (+{grew / 1024:.1f} MB during the import)")
    print(f"peak RSS ratio {peaks[1][0]} / {peaks[0][0]} revisions:".ljust(44)
          + f"{peaks[1][1] / peaks[0][1]:7.2f}x  (flat is close to 1)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--export", type=int, default=2000, help="children to export")
    ap.add_argument("--records", type=int, default=10000,
                    help="revisions (N) for the import ratio and memory figures")
    ap.add_argument("--codec", type=int, default=20000, help="revisions for the codec bench")
    ap.add_argument("--skip-large", action="store_true", help="skip the --mb batch vs age")
    ap.add_argument("--child-import", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--mb", type=int, default=100, help="payload size of the large batch")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = ap.parse_args()
    if args.child_import:
        _child_import(*args.child_import)
        return
    root = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory(dir=root, prefix=".bench-batch-") as tmp:
        bench_export(Path(tmp), args.export, args.repeat)
        bench_import_ratio(Path(tmp) / "ratio", args.records)
        bench_memory(Path(tmp), args.records)
        bench_codec(args.codec, args.repeat)
        if not args.skip_large:
            big = Path(tmp) / "big"
            big.mkdir()
            bench_large(big, args.mb, max(1, args.repeat - 1))


if __name__ == "__main__":
    main()
