"""The township relay: village batches passed up **verbatim** inside one township file.

A township imports village batches (``ops.batches.import_batch``) and reviews them. When it
reports up, the county must be able to check every record back to the village device that
made it, so the township does not re-sign village data as its own: it keeps each village
batch file exactly as received and, on export, bundles them with its own batch (only the
township's own revisions: review decisions, returns, edits) under a signed relay manifest. See
``docs/batch-format.md`` §9 ("Relay").

- :func:`keep_for_relay` — the township keeps a received village batch (encrypted, inside
  its encrypted workspace) until the county's receipt for a relay confirms it
  (:func:`import_and_keep` for every import path; :func:`kept` lists them).
- :func:`export_relay` — writes ``<org>_relay_<seq>.relay.zip`` atomically: the magic
  member, ``relay.json`` (canonical JSON), ``relay.minisig`` (township's minisign key), the
  township's own ``township.batch.zip`` and ``inner/<hash>.batch.zip`` per village batch.
- :func:`import_relay` — the county verifies the whole chain before storing anything: the
  relay signature (an enrolled, unrevoked township in scope), each member's hash against
  the signed manifest, then each batch in full (village device signatures, scope,
  decryption, payload); then imports the village batches and the township batch. Each batch
  import is atomic and idempotent, so an interrupted relay import is completed by running it
  again. :func:`is_relay_file` tells a relay by its content; :func:`as_import_result` makes
  one import line of it.
- :func:`write_relay_receipt` (county) and :func:`import_relay_receipt` (township): one
  receipt for a relay, confirming the township's own batch and each village batch in it; the
  township keeps the village receipts and passes them down in its down files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import struct
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from surveyapp.core.batch.authorize import Authorizer, StoreHoldings
from surveyapp.core.batch.codec import decode, read_member
from surveyapp.core.batch.codes import (
    BadPayload,
    BatchCode,
    DecryptionFailure,
    HeaderError,
    NotThisVillage,
    OutOfScope,
    RevokedSigner,
    SignatureFailure,
    UnknownSigner,
)
from surveyapp.core.batch.reader import AUDIT_PREFIX, Signer
from surveyapp.core.crypto import age, minisign
from surveyapp.core.files import (
    check_zip_directory,
    clean_stale,
    create_private,
    hold_temp,
    open_input,
)
from surveyapp.core.ids import is_within
from surveyapp.core.store import Workspace
from surveyapp.core.store import audit as audit_log
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.store.revisions import utc_now
from surveyapp.core.store.views import ChildFilter
from surveyapp.core.trust import keystore, receipts
from surveyapp.core.trust.codes import TrustCode
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops.batches import (
    ImportResult,
    ReceiptResult,
    apply_receipt,
    audited_refusal,
    export_batch,
    import_batch,
    verify_batch,
    write_replacing,
)

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

FORMAT = "surveyapp.relay/v1"
MAGIC_NAME = "surveyapp-relay"
MANIFEST, SIGNATURE, OWN = "relay.json", "relay.minisig", "township.batch.zip"
_INNER = re.compile(r"^inner/[0-9a-f]{64}\.batch\.zip$")
MAX_INNER = 5000
# The relay's central directory: 46 bytes and a name of at most 80 per entry.
MAX_RELAY_DIRECTORY = (4 + MAX_INNER) * 128
_PENDING = "relay.pending"
RELAY_STALE = (".relay-*",)  # the working folder of a relay export (with its .lock)


def _secret_name(batch_hash: str) -> str:
    return f"relay.batch.{batch_hash}"


def _pending(ws: Workspace) -> list[str]:
    return list(json.loads(ws.get_meta(_PENDING) or "[]"))


def keep_for_relay(ws: Workspace, data: bytes) -> str:
    """Keep a received village batch (its exact bytes) until the next relay export.

    Idempotent: a batch kept or relayed before is not kept again.
    :returns: the batch hash.
    """
    with decode(data) as container:
        batch_hash = hashlib.sha256(container.manifest).hexdigest()
    if ws.get_secret(_secret_name(batch_hash)) is not None:
        return batch_hash
    pending = _pending(ws)
    with ws.conn.atomic():
        ws.put_secret(_secret_name(batch_hash), data)
        ws.set_meta(_PENDING, json.dumps([*pending, batch_hash]))
    return batch_hash


def import_and_keep(ws: Workspace, path: str | Path, **kwargs: Any) -> ImportResult:
    """``import_batch``, and at a township keep a village batch for the next relay (also one
    imported before without being kept: importing it again keeps it)."""
    result = import_batch(ws, path, **kwargs)
    if ws.role == "township" and not result.dry_run and len(result.org_code) == 12:
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise SurveyError(CommonCode.IO_004, path=str(path), reason=str(err)) from err
        if keep_for_relay(ws, data) != result.batch_hash:  # the file changed meanwhile
            raise HeaderError(path=str(path), reason="the file changed while it was read")
    return result


def kept(ws: Workspace) -> list[str]:
    """The batch hashes of the village batches this township keeps for its relays: every
    one imported and not yet confirmed by a county receipt."""
    return _pending(ws)


def is_relay_file(path: str | Path) -> bool:
    """Whether ``path`` is a regular file that begins like a relay file (its first zip
    member is ``surveyapp-relay``), whatever its name."""
    p = Path(path)
    try:
        if not p.is_file():
            return False
        with open(p, "rb") as fh:
            head = fh.read(30 + len(MAGIC_NAME))
    except OSError:
        return False
    return (head[:4] == b"PK\x03\x04" and int.from_bytes(head[26:28], "little") == len(MAGIC_NAME)
            and head[30:] == MAGIC_NAME.encode())


@dataclass(frozen=True, slots=True)
class RelayResult:
    path: Path
    own_batch: str
    inner: int


def _trusted_comment(ws_device: str, org: str, own: str) -> str:
    return f"{FORMAT} device={ws_device} org={org} batch={own}"


def export_relay(ws: Workspace, out_dir: str | Path, *, progress: Progress | None = None,
                 cancel: Cancel | None = None) -> RelayResult:
    """Write the township's relay file into ``out_dir`` (atomically).

    :raises SurveyError: TRUST_008 when not enrolled; IO_00x for the folder; BATCH_012 when
        cancelled (nothing is written and nothing is marked relayed).
    """
    key = keystore.signing_key(ws)
    if key is None:
        raise SurveyError(TrustCode.TRUST_008)
    folder = Path(out_dir)
    if not folder.is_dir():
        raise SurveyError(CommonCode.IO_002, path=str(folder))
    pending = _pending(ws)
    clean_stale(folder, RELAY_STALE)  # what a killed relay export left on the stick
    with tempfile.TemporaryDirectory(dir=folder, prefix=".relay-") as tmp, \
            create_private(Path(tmp) / ".lock") as held:
        hold_temp(held)
        own = export_batch(ws, tmp, progress=progress, cancel=cancel)
        own_bytes = own.path.read_bytes()
        inner = {h: ws.get_secret(_secret_name(h)) or b"" for h in pending}
        manifest = canonical_json({
            "format": FORMAT,
            "township": {"device_id": ws.device_id, "org_code": ws.org_code,
                         "key_id": key.public_key().id_hex},
            "created_at": utc_now(),
            "own": {"batch_hash": own.batch_hash,
                    "sha256": hashlib.sha256(own_bytes).hexdigest()},
            "inner": [{"batch_hash": h, "sha256": hashlib.sha256(d).hexdigest()}
                      for h, d in sorted(inner.items())],
        })
        comment = _trusted_comment(ws.device_id, ws.org_code, own.batch_hash)
        sig = minisign.sign(manifest, key, trusted_comment=comment,
                            untrusted_comment="surveyapp relay signature")
        name = f"{ws.org_code}_relay_{own.sequence:06d}.relay.zip"
        part = Path(tmp) / (name + ".part")
        try:
            with create_private(part) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf:
                zf.writestr(MAGIC_NAME, FORMAT + "\n")
                zf.writestr(MANIFEST, manifest)
                zf.writestr(SIGNATURE, sig)
                zf.writestr(OWN, own_bytes)
                for h, d in sorted(inner.items()):
                    zf.writestr(f"inner/{h}.batch.zip", d)
            with open(part, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(part, folder / name)
        except OSError as err:
            code = CommonCode.IO_001 if err.errno == 28 else CommonCode.IO_003
            raise SurveyError(code, path=str(folder / name), reason=err.strerror) from err
    # The village batches stay kept (and go up again in the next relay) until the county's
    # receipt for a relay confirms them (import_relay_receipt): a lost relay loses nothing.
    ws.audit("export", what="relay", inner=len(inner), batch=own.batch_id)
    return RelayResult(folder / name, own.batch_hash, len(inner))


@dataclass(frozen=True, slots=True)
class RelayImportResult:
    path: Path
    township_device: str
    township_org: str
    inner: tuple[ImportResult, ...]
    own: ImportResult


def as_import_result(res: RelayImportResult) -> ImportResult:
    """One line for a relay among batch imports: the township's own batch, the revisions of
    all its batches counted, and the village batches in ``inner`` (for the receipt)."""
    parts = (*res.inner, res.own)
    return replace(res.own, path=res.path, inserted=sum(r.inserted for r in parts),
                   already_imported=all(r.already_imported for r in parts), inner=res.inner)


def _read(zf: zipfile.ZipFile, name: str, limit: int, path: str) -> bytes:
    # The batch container's own member checks (encrypted flag, sizes, short reads).
    return read_member(zf, zf.getinfo(name), path, limit)


class _OwnedZip(zipfile.ZipFile):
    """A ZipFile over a file object it closes with itself."""

    def __init__(self, src: BinaryIO) -> None:
        self._src = src  # before zipfile's own set-up, which may call close()
        super().__init__(src)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._src.close()


def _open_zip(path: Path, kind: str, max_entries: int, max_directory: int) -> zipfile.ZipFile:
    """Open a relay or down file: a regular file only, its zip end record checked against
    the format's limits before zipfile reads the directory (docs/batch-format.md §9–§10).

    :raises SurveyError: IO_002, INPUT_005 (a FIFO, a device), IO_004.
    :raises HeaderError: not a zip, or a directory larger than the format allows.
    """
    src = open_input(path)
    try:
        check_zip_directory(src, max_entries=max_entries, max_directory=max_directory,
                            allow_zip64=True,
                            refuse=lambda reason: HeaderError(path=str(path), reason=reason))
        src.seek(0)
        return _OwnedZip(src)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError,
            NotImplementedError, struct.error) as err:
        src.close()
        raise HeaderError(path=str(path), reason=f"not a {kind} file") from err
    except BaseException:
        src.close()
        raise


def _open_relay(ws: Workspace, path: Path) -> tuple[dict[str, Any], zipfile.ZipFile]:
    zf = _open_zip(path, "relay", 4 + MAX_INNER, MAX_RELAY_DIRECTORY)
    try:
        names = zf.namelist()
        fixed = [MAGIC_NAME, MANIFEST, SIGNATURE, OWN]
        if names[:4] != fixed or len(names) > 4 + MAX_INNER or len(set(names)) != len(names) \
                or not all(_INNER.match(n) for n in names[4:]):
            raise HeaderError(path=str(path), reason="unexpected members")
        if _read(zf, MAGIC_NAME, 64, str(path)) != (FORMAT + "\n").encode():
            raise HeaderError(path=str(path), reason="not a relay v1 file")
        manifest = _read(zf, MANIFEST, 1 << 20, str(path))
        sig = _read(zf, SIGNATURE, 4096, str(path))
        try:
            body = json.loads(manifest)
            if canonical_json(body) != manifest or body.get("format") != FORMAT:
                raise ValueError("not canonical")
            device, org = body["township"]["device_id"], body["township"]["org_code"]
            if not isinstance(device, str) or not isinstance(org, str):
                raise TypeError("device and org must be text")
        except (ValueError, KeyError, TypeError) as err:
            raise HeaderError(path=str(path), reason="bad relay manifest") from err
        signer = keystore.signers(ws).get(device)
        if signer is None or signer.role != "township" or signer.org_code != org:
            raise UnknownSigner(path=str(path), device=device, org=org, scope=ws.org_code)
        if signer.revoked:
            raise RevokedSigner(path=str(path), device=device)
        if not is_within(org, ws.org_code):
            raise OutOfScope(path=str(path), org=org, scope=ws.org_code)
        try:
            comment = minisign.verify(manifest, sig, signer.public_key)
        except SurveyError as err:
            raise SignatureFailure(path=str(path)) from err
        if comment != _trusted_comment(device, org, body["own"]["batch_hash"]):
            raise SignatureFailure(path=str(path))
        listed = {f"inner/{i['batch_hash']}.batch.zip": i["sha256"] for i in body["inner"]}
        listed[OWN] = body["own"]["sha256"]
        if set(listed) != set(names[3:]):
            raise SignatureFailure(path=str(path))
        return body, zf
    except BaseException:
        zf.close()
        raise


def import_relay(ws: Workspace, path: str | Path, *, progress: Progress | None = None,
                 cancel: Cancel | None = None) -> RelayImportResult:
    """Verify a township relay file in full, then import its batches (villages first).

    :raises BatchError: the first failed check (nothing is stored when any check fails
        but the ``refused`` audit entry).
    """
    with audited_refusal(ws, "relay", path):
        return _import_relay(ws, Path(path), progress, cancel)


def _import_relay(ws: Workspace, path: Path, progress: Progress | None,
                  cancel: Cancel | None) -> RelayImportResult:
    body, zf = _open_relay(ws, path)
    with zf, tempfile.TemporaryDirectory(prefix="surveyapp-relay-") as tmp:
        members = [*(f"inner/{i['batch_hash']}.batch.zip" for i in body["inner"]), OWN]
        files: list[Path] = []
        for n, name in enumerate(members):
            data = _read(zf, name, 1 << 31, str(path))
            expected = body["own"]["sha256"] if name == OWN else name[6:-10]
            digest = hashlib.sha256(data).hexdigest()
            if name == OWN and digest != expected:
                raise SignatureFailure(path=str(path))
            if name != OWN and digest != next(i["sha256"] for i in body["inner"]
                                              if i["batch_hash"] == expected):
                raise SignatureFailure(path=str(path))
            target = Path(tmp) / f"{n:05d}.batch.zip"  # encrypted bytes only, never plaintext
            target.write_bytes(data)
            files.append(target)
        # Verify every batch fully (signatures, scope, decryption, payload, who may write
        # what) before storing. The township's own batch first: its own revisions vouch for
        # the copies of them (returns that came down) inside the village batches; its own
        # copies of village revisions are checked when it is imported, after the villages'.
        township: set[str] = set()
        for n, f in enumerate([files[-1], *files[:-1]]):
            if cancel is not None and cancel():
                raise SurveyError(BatchCode.BATCH_012)
            if n == 0:
                verify_batch(ws, f, copies=False, own=township)
            else:
                verify_batch(ws, f, vouched=township)
            if progress is not None:
                progress(n + 1, 2 * len(files))
        results = []
        for n, f in enumerate(files):
            results.append(import_batch(ws, f, cancel=cancel, vouched=township))
            if progress is not None:
                progress(len(files) + n + 1, 2 * len(files))
    with contextlib.suppress(SurveyError):
        ws.audit("import", what="relay", township=body["township"]["device_id"],
                 inner=len(results) - 1)
    return RelayImportResult(path, body["township"]["device_id"], body["township"]["org_code"],
                             tuple(results[:-1]), results[-1])


# ---- receipts for a relay: county → township → villages -------------------------------------

RECEIPT_FORMAT = "surveyapp.relay-receipt/v1"
_DOWN_RECEIPTS = "relay.down_receipts"
MAX_RECEIPT_FILE = 64 << 20


def write_relay_receipt(ws: Workspace, result: ImportResult, out_dir: str | Path) -> Path:
    """County: the receipt for a relay just imported, one file
    ``receipt_<township org>_<seq>_relay.json`` holding a county-signed receipt for the
    township's own batch and one for every village batch inside (docs/batch-format.md §9).

    :raises SurveyError: TRUST_005 without county keys; IO_002/IO_003 for the folder.
    """
    def one(r: ImportResult) -> Any:
        return json.loads(receipts.make_receipt(
            ws, batch_hash=r.batch_hash, batch_id=r.batch_id, device_id=r.device_id,
            sequence=r.sequence, revisions=r.inserted + r.known))

    inner = result.inner or ()
    own = replace(result, inserted=result.inserted - sum(r.inserted for r in inner))
    data = canonical_json({"format": RECEIPT_FORMAT,
                           "township": {"device_id": result.device_id,
                                        "org_code": result.org_code},
                           "own": one(own), "inner": [one(r) for r in inner]})
    folder = Path(out_dir)
    if not folder.is_dir():
        raise SurveyError(CommonCode.IO_002, path=str(folder))
    target = folder / f"receipt_{result.org_code}_{result.sequence:06d}_relay.json"
    try:
        write_replacing(target, data, folder / f".{target.name}.part")
    except OSError as err:
        code = CommonCode.IO_001 if err.errno == 28 else CommonCode.IO_003
        raise SurveyError(code, path=str(target), reason=err.strerror) from err
    ws.audit("export", what="relay_receipt", township=result.device_id,
             sequence=result.sequence, inner=len(inner))
    return target


def is_relay_receipt(data: bytes) -> bool:
    """Whether ``data`` looks like a relay's receipt (checked in full on import)."""
    return data[:200].lstrip().startswith(b"{") and RECEIPT_FORMAT.encode() in data[:4096]


def _relay_receipt_parts(data: bytes, path: str) -> tuple[bytes, list[bytes]]:
    bad = {"path": path, "kind": RECEIPT_FORMAT}
    try:
        if len(data) > MAX_RECEIPT_FILE:
            raise ValueError("too large")
        obj = json.loads(data.decode("utf-8"))
        if not isinstance(obj, dict) or obj.get("format") != RECEIPT_FORMAT \
                or not isinstance(obj.get("inner"), list) or not isinstance(obj.get("own"), dict):
            raise ValueError("not a relay receipt")
        return canonical_json(obj["own"]), [canonical_json(r) for r in obj["inner"]]
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise SurveyError(TrustCode.TRUST_001, **bad, reason=str(err)) from err


def import_relay_receipt(ws: Workspace, data: bytes, path: str) -> ReceiptResult:
    """Township: import the county's receipt for one of its relays. The township's own
    batch is marked received (its next batch starts after it); each village batch confirmed
    is no longer kept for the next relay; the village receipts are kept to pass down to
    their villages in the next down file (:func:`export_down`). All or nothing.

    :returns: ``ops.batches.ReceiptResult`` of the own batch, ``relayed`` = village batches.
    :raises SurveyError: TRUST_001 malformed; TRUST_002 a receipt not signed by the county;
        TRUST_011 the receipt of another township device; TRUST_012 a batch never written.
    """
    own_bytes, inner_bytes = _relay_receipt_parts(data, path)
    own = receipts.read_receipt(ws, own_bytes, path)
    inner = [receipts.verify_receipt(ws, b, path) for b in inner_bytes]
    if any(r.role != "county" for r in (own, *inner)):
        raise SurveyError(TrustCode.TRUST_002, path=path, kind=RECEIPT_FORMAT)
    known = keystore.devices(ws)
    with ws.conn.atomic():
        result = apply_receipt(ws, own, path)
        confirmed = {r.batch_hash for r in inner}
        ws.set_meta(_PENDING, json.dumps([h for h in _pending(ws) if h not in confirmed]))
        for h in confirmed:
            if ws.get_secret(_secret_name(h)):
                ws.put_secret(_secret_name(h), b"")  # confirmed: no longer carried up
        down = dict(json.loads(ws.get_meta(_DOWN_RECEIPTS) or "{}"))
        for rec, raw in zip(inner, inner_bytes, strict=True):
            entry = known.get(rec.device_id)
            if entry is None or entry.role != "village" or not is_within(entry.org_code,
                                                                          ws.org_code):
                continue
            held = down.get(rec.device_id)
            if held is None or int(held["sequence"]) < rec.sequence:
                down[rec.device_id] = {"org": entry.org_code, "sequence": rec.sequence,
                                       "receipt": json.loads(raw)}
        ws.set_meta(_DOWN_RECEIPTS, json.dumps(down, sort_keys=True, ensure_ascii=False))
        ws.audit("import", what="relay_receipt", sequence=own.sequence, inner=len(inner))
    return replace(result, relayed=len(inner))


def _down_receipts(ws: Workspace, village_org: str) -> list[bytes]:
    """The county's latest receipt for each device of this village, to pass down."""
    down = json.loads(ws.get_meta(_DOWN_RECEIPTS) or "{}")
    return [canonical_json({"receipt": v["receipt"]}) for _, v in sorted(down.items())
            if v["org"] == village_org]


# ---- down: township → village (returns and review decisions) -------------------------------

DOWN_FORMAT = "surveyapp.down/v1"
DOWN_MAGIC, DOWN_MANIFEST, DOWN_SIGNATURE, DOWN_PAYLOAD = (
    "surveyapp-down", "down.json", "down.minisig", "payload.age")
_DOWN_KINDS = ("child", "link")
DOWN_STALE = (".*.down.zip.part",)


@dataclass(frozen=True, slots=True)
class DownResult:
    path: Path
    village_org: str
    revisions: int
    receipts: int = 0  # the county's receipts for this village's batches, passed down
    audit: int = 0  # this township's audit entries that name the revisions' authors


@dataclass(frozen=True, slots=True)
class DownImportResult:
    path: Path
    township_org: str
    inserted: int
    known: int
    receipts: int = 0  # county receipts for this device's batches that were applied


def _down_comment(device: str, org: str, village: str, sha: str) -> str:
    return f"{DOWN_FORMAT} device={device} org={org} village={village} sha256={sha}"


def _down_revisions(ws: Workspace, village_org: str) -> list[bytes]:
    """The township's own decisions about this village's children, oldest first."""
    children = {r.record_id for r in ws.query_children(
        ChildFilter(village_code=village_org, include_exited=True), 0, 10**9)}
    out = []
    for _, rev in ws.iter_revisions(travel=True):
        if rev.device_id != ws.device_id or rev.kind not in _DOWN_KINDS:
            continue
        mentioned = {rev.record_id} if rev.kind == "child" else set(rev.data.get("records", ()))
        if mentioned & children:
            out.append(rev.body)
    return out


def _down_audit(ws: Workspace, lines: list[bytes]) -> list[bytes]:
    """For each author of the down file's revisions, the first entry of this device's audit
    log that names that user (its ``user``, or the user it added): the author rule (§6.1
    rule 11) as the village checks it."""
    authors = {json.loads(line).get("author") for line in lines}
    found: dict[str, bytes] = {}
    for entry in ws.audit_entries():
        if entry.device_id != ws.device_id:
            continue
        for name in (entry.user, entry.details.get("user_added")):
            if isinstance(name, str) and name in authors and name not in found:
                found[name] = canonical_json({"audit": audit_log.wire(entry)})
        if len(found) == len(authors):
            break
    return list(dict.fromkeys(found.values()))  # in log order, an entry once


def export_down(ws: Workspace, village_org: str, out_dir: str | Path) -> DownResult:
    """Write the file a township sends down to one village: its returns (with comments) and
    other review decisions about that village's children, signed by the township and
    encrypted to the village's enrolled devices.

    :raises SurveyError: TRUST_008 when this township or the village is not enrolled.
    """
    key = keystore.signing_key(ws)
    recipients = sorted({e.age_recipient for e in keystore.devices(ws).values()
                         if e.org_code == village_org and e.role == "village"
                         and not e.revoked and e.age_recipient})
    if key is None or not recipients:
        raise SurveyError(TrustCode.TRUST_008)
    folder = Path(out_dir)
    if not folder.is_dir():
        raise SurveyError(CommonCode.IO_002, path=str(folder))
    lines = _down_revisions(ws, village_org)
    audit = _down_audit(ws, lines)
    passed = _down_receipts(ws, village_org)
    payload = age.encrypt(b"".join(line + b"\n" for line in [*lines, *audit, *passed]),
                          recipients=recipients)
    sha = hashlib.sha256(payload).hexdigest()
    manifest = canonical_json({
        "format": DOWN_FORMAT, "township": {"device_id": ws.device_id, "org_code": ws.org_code},
        "village_org": village_org, "created_at": utc_now(), "revisions": len(lines),
        "audit": len(audit), "receipts": len(passed), "payload_sha256": sha,
        "recipients": recipients,
    })
    sig = minisign.sign(manifest, key,
                        trusted_comment=_down_comment(ws.device_id, ws.org_code, village_org, sha),
                        untrusted_comment="surveyapp down file signature")
    name = f"{village_org}_from_{ws.org_code}_{utc_now()[:10]}.down.zip"
    target = folder / name
    part = folder / f".{name}.part"
    clean_stale(folder, DOWN_STALE)
    try:
        with create_private(part) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf:
            hold_temp(fh)
            zf.writestr(DOWN_MAGIC, DOWN_FORMAT + "\n")
            zf.writestr(DOWN_MANIFEST, manifest)
            zf.writestr(DOWN_SIGNATURE, sig)
            zf.writestr(DOWN_PAYLOAD, payload)
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, target)
    except OSError as err:
        with contextlib.suppress(OSError):
            part.unlink()
        code = CommonCode.IO_001 if err.errno == 28 else CommonCode.IO_003
        raise SurveyError(code, path=str(target), reason=err.strerror) from err
    ws.audit("export", what="down", village=village_org, revisions=len(lines),
             audit_entries=len(audit), receipts=len(passed))
    return DownResult(target, village_org, len(lines), len(passed), len(audit))


def import_down(ws: Workspace, path: str | Path) -> DownImportResult:
    """Verify a township's down file and store its revisions (all or nothing).

    Before anything is stored, every revision is checked against the signing township
    (docs/batch-format.md §10, rules 11 and 12: ``core.batch.authorize``).

    :raises BatchError: bad container, unknown/revoked township, not this village's file,
        signature or payload failure; BATCH_014 a revision the township may not send to
        this village; nothing is stored but the ``refused`` audit entry.
    """
    with audited_refusal(ws, "down", path):
        return _import_down(ws, Path(path))


def _import_down(ws: Workspace, path: Path) -> DownImportResult:
    p = str(path)
    zf = _open_zip(path, "down", 4, 4096)
    with zf:
        if zf.namelist() != [DOWN_MAGIC, DOWN_MANIFEST, DOWN_SIGNATURE, DOWN_PAYLOAD]:
            raise HeaderError(path=p, reason="unexpected members")
        if _read(zf, DOWN_MAGIC, 64, p) != (DOWN_FORMAT + "\n").encode():
            raise HeaderError(path=p, reason="not a down v1 file")
        manifest = _read(zf, DOWN_MANIFEST, 1 << 20, p)
        sig = _read(zf, DOWN_SIGNATURE, 4096, p)
        try:
            body = json.loads(manifest)
            if canonical_json(body) != manifest or body.get("format") != DOWN_FORMAT:
                raise ValueError("not canonical")
            device, org = body["township"]["device_id"], body["township"]["org_code"]
            village, sha = body["village_org"], body["payload_sha256"]
        except (ValueError, KeyError, TypeError) as err:
            raise HeaderError(path=p, reason="bad down manifest") from err
        if village != ws.org_code:
            raise NotThisVillage(path=p, village=village, own=ws.org_code)
        signer = keystore.signers(ws).get(device)
        if signer is None or signer.role != "township" or signer.org_code != org:
            raise UnknownSigner(path=p, device=device, org=org)
        if signer.revoked:
            raise RevokedSigner(path=p, device=device, org=org)
        if not is_within(ws.org_code, org):
            raise OutOfScope(path=p, org=org, scope=ws.org_code)
        try:
            comment = minisign.verify(manifest, sig, signer.public_key)
        except SurveyError as err:
            raise SignatureFailure(path=p) from err
        if comment != _down_comment(device, org, village, sha):
            raise SignatureFailure(path=p)
        payload = _read(zf, DOWN_PAYLOAD, 1 << 30, p)
    if hashlib.sha256(payload).hexdigest() != sha:
        raise SignatureFailure(path=p)
    try:
        plain = age.decrypt(payload, identities=keystore.age_identities(ws))
    except SurveyError as err:
        raise DecryptionFailure(path=p, reason=err.code.name) from err
    lines = [line for line in plain.split(b"\n") if line]
    n_revs, n_audit, n_receipts = body["revisions"], body.get("audit", 0), body.get("receipts", 0)
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0
               for n in (n_revs, n_audit, n_receipts)) \
            or len(lines) != n_revs + n_audit + n_receipts:
        raise HeaderError(path=p, reason="count mismatch")
    revs, audit = lines[:n_revs], lines[n_revs:n_revs + n_audit]
    passed = _passed_receipts(ws, lines[n_revs + n_audit:], p)
    with ws.conn.atomic():
        _authorize_down(ws, signer, revs, audit, p)
        counts = ws.insert_revisions(revs)
        applied = 0
        for rec in passed:
            with contextlib.suppress(SurveyError):  # a batch of an earlier workspace: skip
                apply_receipt(ws, rec, p)
                applied += 1
        ws.audit("import", what="down", township=org, inserted=counts.inserted,
                 receipts=applied)
    return DownImportResult(path, org, counts.inserted, counts.known, applied)


def _authorize_down(ws: Workspace, signer: Signer, revs: list[bytes], audit: list[bytes],
                    path: str) -> None:
    """Rules 11 and 12 (docs/batch-format.md §6.1, §10) with the township as the signer:
    copies already held here, its own revisions inside its township and about a child of
    this village, their authors named by its audit entries in the file.

    :raises BatchError: BATCH_014 (the record and the reason); BATCH_010 a damaged line.
    """
    auth = Authorizer(signer, StoreHoldings(ws.conn), path=path)
    auth.revisions(revs)
    auth.down(revs, ws.org_code)
    for line in audit:
        if not line.startswith(AUDIT_PREFIX):
            raise BadPayload(path=path, reason="an audit line is damaged")
        auth.audit(line)
    auth.finish()


def _passed_receipts(ws: Workspace, lines: list[bytes], path: str) -> list[receipts.Receipt]:
    """The county receipts a down file passes on, verified; those for this device.

    :raises SurveyError: TRUST_001/TRUST_002 for a line that is not a county receipt.
    """
    out = []
    for line in lines:
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict) or set(obj) != {"receipt"}:
                raise ValueError("not a receipt line")
            data = canonical_json(obj["receipt"])
        except (ValueError, RecursionError) as err:
            raise HeaderError(path=path, reason="a receipt line is damaged") from err
        rec = receipts.verify_receipt(ws, data, path)
        if rec.role != "county":
            raise SurveyError(TrustCode.TRUST_002, path=path, kind=receipts.RECEIPT)
        if rec.device_id == ws.device_id:
            out.append(rec)
    return out
