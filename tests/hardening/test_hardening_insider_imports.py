"""Issue 12, item 8: the smaller holes, each attacked through the CLI with a USB-stick folder.

- a legacy, non-prehashed minisign ``Ed`` signature on a batch is refused (BATCH_003);
- a second, different batch with a sequence number already received from the device is
  imported and reported (``reused_sequence``, a CLI warning, the audit entry);
- a killed export leaves temporaries that the next export removes;
- workspace, key, lock, batch and relay files are owner-only (0600);
- when the receipt folder is missing, the error says the batch WAS imported (IMPORT_001);
- bit flips in a zip directory are "damaged" (BATCH_001), a cut file "truncated" (BATCH_008);
- a refused import leaves one ``refused`` audit entry and nothing else; a dry run nothing.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from insider_helpers import (
    PASSWORD,
    Office,
    add_child,
    assert_bilingual,
    assert_only_refusal,
    cli,
    open_ws,
    snapshot,
)

from surveyapp.core.batch import codec
from surveyapp.core.crypto import minisign
from surveyapp.core.store import keys
from surveyapp.core.trust import keystore
from surveyapp.ops import batches


def _export(capsys: pytest.CaptureFixture[str], office: Office, who: Path | None = None
            ) -> dict[str, object]:
    code, exported, error = cli(capsys, "batch", "export", str(who or office.village),
                                "--out", str(office.usb), "--user", "u")
    assert code == 0, error
    return dict(exported)


def _resign(batch: bytes, key: minisign.SigningKey, algorithm: bytes) -> bytes:
    """The batch with its manifest signed again, as ``minisign -S`` (``ED``) or the legacy
    ``minisign -S -l`` (``Ed``) would sign it with the device's own key."""
    import hashlib

    with codec.decode(batch) as container:
        manifest, old, payload = (container.manifest, container.signature,
                                  container.read_payload())
    parsed = minisign.parse_signature(old)
    sk = key._sk()
    message = hashlib.blake2b(manifest).digest() if algorithm == b"ED" else manifest
    sig = sk.sign(message)
    glob = sk.sign(sig + parsed.trusted_comment.encode("utf-8"))
    batch_id = json.loads(manifest)["batch_id"]
    text = (f"untrusted comment: surveyapp batch {batch_id}\n"
            f"{base64.b64encode(algorithm + key.key_id + sig).decode()}\n"
            f"trusted comment: {parsed.trusted_comment}\n"
            f"{base64.b64encode(glob).decode()}\n").encode("ascii")
    return codec.encode(manifest=manifest, signature=text, payload=payload)


# --- legacy Ed --------------------------------------------------------------------------------
def test_legacy_ed_signature__batch_003_store_unchanged(
    office: Office, capsys: pytest.CaptureFixture[str],
) -> None:
    add_child(office.village, "王丽")
    exported = _export(capsys, office)
    original = Path(str(exported["path"]))
    with open_ws(office.village) as ws:
        key = keystore.signing_key(ws)
        device = ws.device_id
    assert key is not None
    legacy = office.usb / "legacy.batch.zip"
    legacy.write_bytes(_resign(original.read_bytes(), key, b"Ed"))
    before = snapshot(office.county)
    code, _, error = cli(capsys, "batch", "import", str(office.county), str(legacy),
                         "--user", "u")
    assert code == 1
    assert_bilingual(error, "BATCH_003")
    refused = assert_only_refusal(before, office.county, "BATCH_003")
    assert refused["device"] == device and refused["file"] == "legacy.batch.zip"
    # The control: the very same construction with the prehashed algorithm is accepted, so
    # only the algorithm was refused.
    prehashed = office.usb / "prehashed.batch.zip"
    prehashed.write_bytes(_resign(original.read_bytes(), key, b"ED"))
    code, imported, _ = cli(capsys, "batch", "import", str(office.county), str(prehashed),
                            "--user", "u")
    assert code == 0 and imported["inserted"] == exported["revisions"]


def test_minisign_verify__legacy_only_on_request() -> None:
    key = minisign.generate_key()
    data = b"manifest"
    sk = key._sk()
    sig = sk.sign(data)
    glob = sk.sign(sig + b"tc")
    text = (f"untrusted comment: x\n{base64.b64encode(b'Ed' + key.key_id + sig).decode()}\n"
            f"trusted comment: tc\n{base64.b64encode(glob).decode()}\n")
    with pytest.raises(Exception) as info:
        minisign.verify(data, text, key.public_key())
    assert getattr(info.value, "code", None) is not None
    assert info.value.code.name == "CRYPTO_007"  # type: ignore[attr-defined]
    assert minisign.verify(data, text, key.public_key(), legacy=True) == "tc"


# --- a sequence number seen before --------------------------------------------------------------
def test_second_batch_with_a_known_sequence__imported_and_reported(
    office: Office, capsys: pytest.CaptureFixture[str],
) -> None:
    """The village restores its workspace from a backup made before batch 1, records more
    children and exports again: another batch 1. The county imports it (signed by an
    enrolled device: its children must not be lost) and says so, and keeps both on file."""
    add_child(office.village, "王丽")
    backup = office.usb.parent / "backup"
    backup.mkdir()
    for f in (office.village, keys.sidecar_path(office.village)):
        shutil.copy2(f, backup / f.name)
    first = _export(capsys, office)
    code, imported, _ = cli(capsys, "batch", "import", str(office.county), str(first["path"]),
                            "--user", "u")
    assert code == 0 and imported["reused_sequence"] is False
    for f in (office.village, keys.sidecar_path(office.village)):
        shutil.copy2(backup / f.name, f)
    for leftover in ("-wal", "-shm"):
        Path(str(office.village) + leftover).unlink(missing_ok=True)
    add_child(office.village, "刘洋")
    again = _export(capsys, office)
    assert again["sequence"] == first["sequence"] == 1
    code, imported, _ = cli(capsys, "batch", "import", str(office.county), str(again["path"]),
                            "--user", "u")
    assert code == 0
    assert imported["reused_sequence"] is True and imported["inserted"] > 0
    with open_ws(office.county) as ws:
        device = imported["device_id"]
        assert batches.reused(ws) == {device: [1]}
        assert batches.received(ws)[device] == [1]
        [entry] = [e for e in ws.audit_entries() if e.details.get("sequence_reused")]
        assert entry.action == "import" and entry.details["sequence"] == 1
        assert ws.count_children() == 2
    # Both batches are known: importing either again changes nothing.
    for path in (first["path"], again["path"]):
        code, res, _ = cli(capsys, "batch", "import", str(office.county), str(path),
                           "--user", "u")
        assert code == 0 and res["already_imported"] is True


def test_reused_sequence__cli_warns(office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    add_child(office.village, "王丽")
    first = _export(capsys, office)
    assert cli(capsys, "batch", "import", str(office.county), str(first["path"]),
               "--user", "u")[0] == 0
    with open_ws(office.village) as ws:  # as a restored backup would have it
        ws.set_meta("batch.sequence", "0")
        ws.set_meta("batch.last_hash", "")
    add_child(office.village, "刘洋")
    again = _export(capsys, office)
    text = main_text(capsys, "batch", "import", str(office.county), str(again["path"]),
                     "--user", "u")
    assert "warning: another batch numbered 1 of this device arrived before" in text


def main_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    from surveyapp.cli.main import main

    assert main(["--lang", "en", *argv]) == 0
    return capsys.readouterr().out


# --- a killed export -----------------------------------------------------------------------------
KILLED_EXPORT = """
import sys, time
from pathlib import Path
from surveyapp.core.store import Workspace
from surveyapp.ops.batches import export_batch

def stall(done, total):
    print("writing", flush=True)
    time.sleep(60)

with Workspace.open(sys.argv[1], "u", sys.argv[3]) as ws:
    export_batch(ws, Path(sys.argv[2]), progress=stall)
"""


def test_killed_export__temporaries_removed_by_the_next_export(
    office: Office, capsys: pytest.CaptureFixture[str],
) -> None:
    add_child(office.village, "王丽")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_EXPORT, str(office.village),
                             str(office.usb), PASSWORD], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"writing"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    left = sorted(p.name for p in office.usb.iterdir())
    assert left and all(n.startswith(".surveyapp-") and n.endswith(".tmp") for n in left), left
    exported = _export(capsys, office)
    assert sorted(p.name for p in office.usb.iterdir()) == [Path(str(exported["path"])).name]
    assert cli(capsys, "batch", "import", str(office.county), str(exported["path"]),
               "--user", "u")[0] == 0


HOLDER = """
import fcntl, sys, time
fh = open(sys.argv[1], "wb")
fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="flock: POSIX")
def test_export_leaves_another_running_exports_temporary_alone(
    office: Office, capsys: pytest.CaptureFixture[str],
) -> None:
    add_child(office.village, "王丽")
    busy = office.usb / ".surveyapp-batch-running.tmp"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(busy)], stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
        stale = office.usb / ".surveyapp-payload-dead.tmp"
        stale.write_bytes(b"left by a killed export")
        _export(capsys, office)
        assert busy.exists() and not stale.exists()
    finally:
        proc.kill()
        proc.communicate(timeout=30)


# --- 0600 ---------------------------------------------------------------------------------------
def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_workspace_keys_batches_relays_are_owner_only(
    office: Office, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    old = os.umask(0o022)  # the usual umask: files would be world-readable by default
    try:
        created = tmp_path / "new.sdb"
        os.environ["SURVEYAPP_NEW_PASSWORD"] = PASSWORD
        try:
            assert cli(capsys, "workspace", "create", str(created), "--user", "u", "--role",
                       "village", "--org-code", "522422102201", "--org-name", "村")[0] == 0
        finally:
            del os.environ["SURVEYAPP_NEW_PASSWORD"]
        assert cli(capsys, "workspace", "info", str(created), "--user", "u")[0] == 0
        add_child(office.village, "王丽")
        batch = Path(str(_export(capsys, office)["path"]))
        assert cli(capsys, "batch", "import", str(office.town), str(batch), "--user", "u")[0] == 0
        relay_out = office.usb / "relay"
        relay_out.mkdir()
        code, _, _ = cli(capsys, "relay", "export", str(office.town), str(relay_out),
                         "--user", "u")
        assert code == 0
        files = [created, keys.sidecar_path(created), keys.lock_path(created), batch,
                 *relay_out.iterdir()]
        files += [p for p in (Path(str(created) + "-wal"),) if p.exists()]
        assert len(files) >= 5
        assert {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files
                if not _private(f)} == {}
    finally:
        os.umask(old)


# --- the receipt folder is missing ---------------------------------------------------------------
def test_missing_receipt_folder__says_the_batch_was_imported(
    office: Office, capsys: pytest.CaptureFixture[str],
) -> None:
    add_child(office.village, "王丽")
    exported = _export(capsys, office)
    missing = office.usb / "no such folder"
    code, _, error = cli(capsys, "batch", "import", str(office.county), str(exported["path"]),
                         "--user", "u", "--receipt", str(missing))
    assert code == 1
    assert_bilingual(error, "IMPORT_001")
    assert "WAS imported" in error["message_en"] and "已经导入" in error["message_zh"]
    assert "Nothing was changed" not in error["message_en"]
    with open_ws(office.county) as ws:  # it really was imported
        assert ws.count_children() == 1
    missing.mkdir()
    code, again, _ = cli(capsys, "batch", "import", str(office.county), str(exported["path"]),
                         "--user", "u", "--receipt", str(missing))
    assert code == 0 and again["already_imported"] is True
    assert Path(again["receipt"]).is_file()
    assert cli(capsys, "batch", "receipt", str(office.village), again["receipt"],
               "--user", "u")[0] == 0


# --- damaged vs truncated -----------------------------------------------------------------------
def _directory_offset(data: bytes) -> int:
    return data.index(b"PK\x01\x02")


@pytest.mark.parametrize("where", ["directory_signature", "directory_name", "end_signature",
                                   "end_entries"])
def test_bit_flip_in_zip_directory__damaged_not_truncated(
    office: Office, capsys: pytest.CaptureFixture[str], where: str,
) -> None:
    add_child(office.village, "王丽")
    data = bytearray(Path(str(_export(capsys, office)["path"])).read_bytes())
    cd = _directory_offset(bytes(data))
    end = bytes(data).rindex(b"PK\x05\x06")
    pos = {"directory_signature": cd + 1, "directory_name": cd + 46 + 3,
           "end_signature": end + 2, "end_entries": end + 10}[where]
    data[pos] ^= 0x10
    flipped = office.usb / "flipped.batch.zip"
    flipped.write_bytes(bytes(data))
    before = snapshot(office.county)
    code, _, error = cli(capsys, "batch", "import", str(office.county), str(flipped),
                         "--user", "u")
    assert code == 1
    assert_bilingual(error, "BATCH_001")
    assert_only_refusal(before, office.county, "BATCH_001")


@pytest.mark.parametrize("cut", [1, 22, 100, -2])  # -2: half the file
def test_cut_short__still_truncated(office: Office, capsys: pytest.CaptureFixture[str],
                                    cut: int) -> None:
    add_child(office.village, "王丽")
    data = Path(str(_export(capsys, office)["path"])).read_bytes()
    short = office.usb / "short.batch.zip"
    short.write_bytes(data[:-cut] if cut > 0 else data[:len(data) // 2])
    before = snapshot(office.county)
    code, _, error = cli(capsys, "batch", "import", str(office.county), str(short),
                         "--user", "u")
    assert code == 1
    assert_bilingual(error, "BATCH_008")
    assert_only_refusal(before, office.county, "BATCH_008")


# --- refusal audit -------------------------------------------------------------------------------
def test_import_all_with_a_rejected_file__one_refusal_each_dry_run_nothing(
    office: Office, capsys: pytest.CaptureFixture[str],
) -> None:
    add_child(office.village, "王丽")
    good = Path(str(_export(capsys, office)["path"]))
    bad = office.usb / "bad.batch.zip"
    bad.write_bytes(good.read_bytes()[:-50])
    before = snapshot(office.county)
    code, report, _ = cli(capsys, "batch", "import-all", str(office.county), str(office.usb),
                          "--user", "u", "--dry-run")
    assert code == 0 and report["imported"] is False
    after = snapshot(office.county)  # a dry run only unlocked
    assert (after.children, after.revisions, after.meta) == (before.children,
                                                             before.revisions, before.meta)
    assert [a[1] for a in after.audit[len(before.audit):]] == ["unlock"]
    code, report, _ = cli(capsys, "batch", "import-all", str(office.county), str(office.usb),
                          "--user", "u")
    assert code == 1 and report["imported"] is False
    assert {f["status"] for f in report["files"]} == {"ok", "rejected"}
    refused = assert_only_refusal(after, office.county, "BATCH_008")
    assert refused["file"] == "bad.batch.zip"


def test_refusal_entry_holds_no_path_only_the_file_name(
    office: Office, capsys: pytest.CaptureFixture[str],
) -> None:
    folder = office.usb / "王丽的U盘"
    folder.mkdir()
    junk = folder / "junk.batch.zip"
    junk.write_bytes(b"not a zip at all")
    before = snapshot(office.county)
    assert cli(capsys, "batch", "import", str(office.county), str(junk), "--user", "u")[0] == 1
    refused = assert_only_refusal(before, office.county, "BATCH_001")
    assert refused["file"] == "junk.batch.zip"
    assert "王丽" not in json.dumps(refused, ensure_ascii=False)
