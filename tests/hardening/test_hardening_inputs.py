"""Hostile inputs to the readers: each ends in a coded SurveyError, in a fresh process, with
bounded memory growth (peak RSS, measured in that process) and within a time fence.

Readers: the XLSForm reader (``load_form``, and ``check_form`` in-process), the answers JSON
of ``surveyapp form fill`` (through the real CLI entry point), and the age reader.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import hardening_files as hf
import pytest

from surveyapp.core.crypto import age, generate_age_identity
from surveyapp.core.forms import check_form
from surveyapp.errors import SurveyError

PROBE = Path(__file__).resolve().parent / "hardening_probe.py"
FORM = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"
# Peak resident memory may grow by at most this much over the process's baseline.
MEMORY_BOUND_KB = 160 * 1024
TIME_FENCE_S = 120  # a runaway reader is killed and the test fails


def probe(kind: str, path: Path) -> dict[str, object]:
    args = [sys.executable, str(PROBE), kind, str(path)]
    if kind == "answers":
        args.append(str(FORM))
    done = subprocess.run(args, capture_output=True, timeout=TIME_FENCE_S, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    result: dict[str, object] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return result


def assert_coded(result: dict[str, object], code: str) -> None:
    assert result["error"] is None, result
    assert result["code"] == code, result
    assert isinstance(result["grown_kb"], int)
    assert result["grown_kb"] < MEMORY_BOUND_KB, result
    assert isinstance(result["traced_peak_kb"], int)
    assert result["traced_peak_kb"] < MEMORY_BOUND_KB, result


# --- the XLSForm reader ---------------------------------------------------------------------
def _text_file(d: Path) -> Path:
    (d / "form.xlsx").write_text("type,name,label\ntext,q1,Q1\n", encoding="utf-8")
    return d / "form.xlsx"


def _empty(d: Path) -> Path:
    (d / "form.xlsx").write_bytes(b"")
    return d / "form.xlsx"


def _truncated(d: Path) -> Path:
    raw = hf.small_form(d / "base.xlsx").read_bytes()
    (d / "form.xlsx").write_bytes(raw[: len(raw) // 2])
    return d / "form.xlsx"


def _corrupt_member(d: Path) -> Path:
    raw = bytearray(hf.small_form(d / "base.xlsx").read_bytes())
    # Damage the deflated bytes of the first member (after its 30-byte local header + name).
    for i in range(60, 200):
        raw[i] ^= 0x5A
    (d / "form.xlsx").write_bytes(bytes(raw))
    return d / "form.xlsx"


HOSTILE_FORMS: dict[str, Callable[[Path], Path]] = {
    "zip_bomb": lambda d: hf.zip_bomb(hf.small_form(d / "base.xlsx"), d / "form.xlsx"),
    "dotdot_member": lambda d: hf.dotdot_member(hf.small_form(d / "base.xlsx"), d / "form.xlsx"),
    "billion_laughs_sheet": lambda d: hf.billion_laughs(
        hf.small_form(d / "base.xlsx"), d / "form.xlsx"),
    "billion_laughs_workbook": lambda d: hf.billion_laughs(
        hf.small_form(d / "base.xlsx"), d / "form.xlsx", "xl/workbook.xml"),
    "ten_mb_cell": lambda d: hf.big_cell(hf.small_form(d / "base.xlsx"), d / "form.xlsx"),
    "invalid_utf8": lambda d: hf.invalid_utf8(hf.small_form(d / "base.xlsx"), d / "form.xlsx"),
    "text_file": _text_file,
    "empty_file": _empty,
    "truncated_zip": _truncated,
    "corrupt_member": _corrupt_member,
}


def probe_all(kind: str, paths: dict[str, Path]) -> dict[str, dict[str, object]]:
    """Probe every file, two processes at a time (the CI machine has two cores)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {case: pool.submit(probe, kind, path) for case, path in paths.items()}
        return {case: future.result() for case, future in futures.items()}


@pytest.fixture(scope="module")
def form_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    paths = {}
    for case, make in HOSTILE_FORMS.items():
        paths[case] = make(tmp_path_factory.mktemp(case))
    return probe_all("form", paths)


@pytest.fixture(scope="module")
def answer_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    paths = {}
    for case, (make, _) in HOSTILE_ANSWERS.items():
        paths[case] = make(tmp_path_factory.mktemp(case))
    return probe_all("answers", paths)


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(HOSTILE_FORMS))
def test_hostile_xlsx_form__coded_error_bounded_memory(
    form_results: dict[str, dict[str, object]], case: str
) -> None:
    result = form_results[case]
    assert_coded(result, "FORM_001")
    if case.startswith("billion_laughs"):
        # defusedxml refused the entity declarations; the refusal became FORM_001.
        assert "EntitiesForbidden" in result["causes"], result


def test_hostile_xlsx_form__check_form_reports_not_raises(tmp_path: Path) -> None:
    for case in ("dotdot_member", "invalid_utf8", "billion_laughs_sheet", "truncated_zip"):
        folder = tmp_path / case
        folder.mkdir()
        result = check_form(HOSTILE_FORMS[case](folder))
        assert result.form is None, case
        assert [e.code.name for e in result.errors] == ["FORM_001"], case


def test_zip_bomb_guard__a_real_form_still_loads() -> None:
    result = check_form(FORM)
    assert result.errors == []


# --- the answers JSON of `surveyapp form fill` ----------------------------------------------
def _write(d: Path, data: bytes) -> Path:
    (d / "answers.json").write_bytes(data)
    return d / "answers.json"


HOSTILE_ANSWERS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "invalid_utf8": (lambda d: _write(d, b'{"child_name": "\xff\xfe\xc3("}'), "INPUT_001"),
    "ten_mb_string": (lambda d: _write(
        d, b'{"child_name": "' + b"a" * (10 * 1024 * 1024) + b'"}'), "INPUT_002"),
    "deep_nesting": (lambda d: _write(
        d, b'{"child_name": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"), "INPUT_001"),
    "deep_objects": (lambda d: _write(
        d, b'{"a": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001), "INPUT_001"),
    "top_level_list": (lambda d: _write(d, b'[{"child_name": "x"}]'), "INPUT_001"),
    "top_level_string": (lambda d: _write(d, b'"child_name"'), "INPUT_001"),
    "huge_integer": (lambda d: _write(d, b'{"follow_up_days": ' + b"9" * 100_000 + b"}"),
                     "INPUT_001"),
    "huge_float": (lambda d: _write(d, b'{"follow_up_days": 1e999999}'), "INPUT_001"),
    "repeat_not_list": (lambda d: _write(d, b'{"siblings": "x"}'), "FORM_202"),
    "empty_file": (lambda d: _write(d, b""), "INPUT_001"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(HOSTILE_ANSWERS))
def test_hostile_answers_json__coded_error_bounded_memory(
    answer_results: dict[str, dict[str, object]], case: str
) -> None:
    result = answer_results[case]
    assert_coded(result, HOSTILE_ANSWERS[case][1])
    assert result["exit"] == 1, result


def test_nine_mb_answer_string__filled_with_bounded_memory(tmp_path: Path) -> None:
    # Just under the 10 MB input limit: accepted, and the engine does not blow up on it.
    rng = random.Random(3)
    text = "".join(rng.choices("abcdefghij", k=9_000_000)).encode()
    path = _write(tmp_path, b'{"child_name": "' + text + b'", "remarks": "' + text[:1000] + b'"}')
    result = probe("answers", path)
    assert result["error"] is None and result["exit"] == 0, result
    assert isinstance(result["grown_kb"], int) and result["grown_kb"] < MEMORY_BOUND_KB, result


# --- the age reader --------------------------------------------------------------------------
def _age_codes(blob: bytes, identity: str) -> str:
    try:
        age.decrypt(blob, identities=[identity])
    except SurveyError as err:
        return err.code.name
    return "decrypted"


def test_age_garbage_truncations_and_flips__always_coded() -> None:
    identity, recipient = generate_age_identity()
    good = age.encrypt(b"secret payload " * 5000, recipients=[recipient])
    rng = random.Random(8)
    blobs = [rng.randbytes(rng.randint(0, 4000)) for _ in range(150)]
    blobs += [b"age-encryption.org/v1\n" + rng.randbytes(rng.randint(0, 500)) for _ in range(100)]
    blobs += [good[:n] for n in sorted({rng.randrange(len(good)) for _ in range(150)})]
    for _ in range(150):
        flipped = bytearray(good)
        flipped[rng.randrange(len(good))] ^= 1 << rng.randrange(8)
        blobs.append(bytes(flipped))
    blobs.append(b"age-encryption.org/v1\n-> X25519 " + b"A" * (10 * 1024 * 1024) + b"\n")
    blobs.append(b"age-encryption.org/v1\n-> " + b"\xff\xfe" * 1000 + b"\n")
    tracemalloc.start()
    try:
        outcomes = {_age_codes(blob, identity) for blob in blobs}
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "decrypted" not in outcomes
    assert all(code.startswith("CRYPTO_") for code in outcomes), outcomes
    # The 10 MB header line itself is 10 MB; the reader must not hold many copies of it.
    assert peak < 64 * 1024 * 1024, peak
