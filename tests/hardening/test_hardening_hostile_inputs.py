"""Issue 12, item 7: hostile files are refused before they cost memory or time.

- A zip whose directory claims millions of entries: the end record is read and refused
  before Python's zipfile builds an object per entry (before: 10 s and 1 GB for 2,000,000
  entries, bench/bench_hostile_zip.py; after: at once, no growth).
- ``/dev/zero``, a FIFO with no writer, a folder: given as a batch, relay, down file,
  receipt, form or answers file, refused at once with INPUT_005 (before: 8.9 GB in 20 s, or
  a hang). Run in a new process each, with a timeout, so a regression fails instead of
  hanging or exhausting the machine.

Each refusal through the CLI is coded and bilingual, and the store keeps what it had: only the
documented ``refused`` audit entry is added (docs/store.md, "The audit log").
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_zip import hostile_zip
from insider_helpers import (
    Office,
    add_child,
    assert_bilingual,
    assert_only_refusal,
    cli,
    cli_process,
    snapshot,
)

from surveyapp.core.forms import check_form

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero: POSIX")

ENTRIES = 1_000_000
FORM = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One file per end-record kind with a real directory of a million entries (61 MB)."""
    folder = tmp_path_factory.mktemp("hostile")
    return {kind: hostile_zip(folder / f"{kind}.batch.zip", ENTRIES, zip64=kind == "zip64")
            for kind in ("zip64", "classic")}


@pytest.mark.parametrize("kind", ["zip64", "classic"])
def test_zip_claiming_a_million_entries__batch_001_before_parsing(
    office: Office, hostile: dict[str, Path], kind: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    batch = office.usb / hostile[kind].name
    os.link(hostile[kind], batch) if hasattr(os, "link") else batch.write_bytes(
        hostile[kind].read_bytes())
    before = snapshot(office.county)
    code, _, error = cli(capsys, "batch", "import", str(office.county), str(batch),
                         "--user", "u")
    assert code == 1
    assert_bilingual(error, "BATCH_001")
    assert "entries" in error["message_en"] or "ZIP64" in error["message_en"]
    assert assert_only_refusal(before, office.county, "BATCH_001")["file"] == batch.name


def test_zip_claiming_a_million_entries__inspect_refuses_in_a_small_process(
    hostile: dict[str, Path],
) -> None:
    """The same file in a fresh process whose address space is capped at 400 MB: before the
    fix zipfile needed about 500 MB for these million entries and died of MemoryError."""
    import resource

    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20))\n"
        "from surveyapp.cli.main import main\n"
        "sys.exit(main(['--lang', 'en', 'batch', 'inspect', sys.argv[1], '--json']))\n"
    )
    del resource
    import subprocess

    proc = subprocess.run([sys.executable, "-c", code, str(hostile["classic"])],
                          capture_output=True, timeout=120, check=False)
    assert proc.returncode == 1, proc.stderr[-500:]
    assert b'"BATCH_001"' in proc.stderr


def test_relay_claiming_too_many_entries__batch_001(
    office: Office, hostile: dict[str, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    relay = office.usb / "522422102_relay_000001.relay.zip"
    relay.write_bytes(hostile["zip64"].read_bytes())
    before = snapshot(office.county)
    code, _, error = cli(capsys, "relay", "import", str(office.county), str(relay),
                         "--user", "u")
    assert code == 1
    assert_bilingual(error, "BATCH_001")
    assert_only_refusal(before, office.county, "BATCH_001", what="relay")


def test_form_claiming_too_many_parts__form_001(hostile: dict[str, Path], tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    # A 16 MB form is allowed: 250,000 directory entries fit in it.
    form.write_bytes(hostile_zip(tmp_path / "f.zip", 250_000, zip64=False).read_bytes())
    result = check_form(form)
    assert [e.code.name for e in result.errors] == ["FORM_001"]


# --- not a regular file ---------------------------------------------------------------------
@pytest.fixture
def specials(tmp_path: Path) -> Iterator[dict[str, Path]]:
    fifo = tmp_path / "stick.batch.zip"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.batch.zip"
    folder.mkdir()
    yield {"fifo": fifo, "zero": Path("/dev/zero"), "folder": folder}
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def _args(what: str, office: Office, path: Path) -> tuple[list[str], Path | None, str]:
    """The command a user types for ``what``, the store it must leave as it was, and the
    ``what`` of its refusal entry (``""``: no workspace)."""
    u = ["--user", "u"]
    return {
        "batch": (["batch", "import", str(office.county), str(path), *u], office.county,
                  "batch"),
        "import-all": (["batch", "import-all", str(office.county), str(path), *u],
                       office.county, "batch"),
        "relay": (["relay", "import", str(office.county), str(path), *u], office.county,
                  "relay"),
        "down": (["down", "import", str(office.village), str(path), *u], office.village,
                 "down"),
        "receipt": (["batch", "receipt", str(office.village), str(path), *u], office.village,
                    "receipt"),
        "trust": (["trust", "accept", str(office.village), str(path), *u], None, ""),
        "form": (["form", "check", str(path)], None, ""),
        "answers": (["form", "fill", str(FORM), "--answers", str(path)], None, ""),
        "recovery": (["recovery", "apply", str(office.village), str(path)], None, ""),
    }[what]


@pytest.mark.parametrize("special", ["fifo", "zero", "folder"])
@pytest.mark.parametrize("what", ["batch", "import-all", "relay", "down", "receipt", "trust",
                                  "form", "answers", "recovery"])
def test_special_file__refused_at_once_input_005(
    office: Office, specials: dict[str, Path], special: str, what: str,
) -> None:
    if what == "import-all" and special == "folder":
        pytest.skip("a folder given to import-all is searched for batch files (INPUT_003)")
    path = specials[special]
    argv, store, audit_what = _args(what, office, path)
    before = snapshot(store) if store is not None else None
    # A hang or a memory blow-up fails here (timeout), instead of stopping the suite.
    code, error, out = cli_process(*argv, timeout=90, as_json=what != "answers")
    assert code == 1
    if what == "answers":
        assert error["code"] == "INPUT_005" and "not an ordinary file" in error["message_en"]
    elif what == "form":  # `form check --json` lists the form's errors on its output
        assert [e["code"] for e in out] == ["FORM_001"]  # a form's unreadable-file code
        assert "not a regular file" in out[0]["message_en"]
    elif what == "import-all":  # the dry run rejects the file, the import does not start
        [rejected] = out["files"]
        assert_bilingual(rejected["error"], "INPUT_005")
        assert out["imported"] is False
    else:
        assert_bilingual(error, "INPUT_005")
    if store is not None and before is not None:
        assert_only_refusal(before, store, "INPUT_005", what=audit_what)


def test_form_check_of_a_fifo__coded_in_the_report(specials: dict[str, Path]) -> None:
    result = check_form(specials["fifo"])
    assert [e.code.name for e in result.errors] == ["FORM_001"]
    assert "not a regular file" in result.errors[0].message("en")


def test_regular_files_still_import(office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    """The control: the same commands with real files work."""
    add_child(office.village, "王丽")
    code, exported, _ = cli(capsys, "batch", "export", str(office.village), "--out",
                            str(office.usb), "--user", "u")
    assert code == 0
    code, imported, _ = cli(capsys, "batch", "import", str(office.county), exported["path"],
                            "--user", "u")
    assert code == 0 and imported["inserted"] == exported["revisions"]
