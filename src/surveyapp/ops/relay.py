"""The township relay: village batches passed up **verbatim** inside one township file.

A township imports village batches (``ops.batches.import_batch``) and reviews them. When it
reports up, the county must be able to check every record back to the village device that
made it, so the township does not re-sign village data as its own: it keeps each village
batch file exactly as received and, on export, bundles them with its own batch (its review
decisions and everything else it holds) under a signed relay manifest. See
``docs/batch-format.md`` §8 ("Relay").

- :func:`keep_for_relay` — the township keeps a received village batch (encrypted, inside
  its encrypted workspace) until it has been relayed.
- :func:`export_relay` — writes ``<org>_relay_<seq>.relay.zip`` atomically: the magic
  member, ``relay.json`` (canonical JSON), ``relay.minisig`` (township's minisign key), the
  township's own ``township.batch.zip`` and ``inner/<hash>.batch.zip`` per village batch.
- :func:`import_relay` — the county verifies the whole chain before storing anything: the
  relay signature (an enrolled, unrevoked township in scope), each member's hash against
  the signed manifest, then each batch in full (village device signatures, scope,
  decryption, payload); then imports the village batches and the township batch. Each batch
  import is atomic and idempotent, so an interrupted relay import is completed by running it
  again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from surveyapp.core.batch.codec import decode, read_member
from surveyapp.core.batch.codes import (
    BatchCode,
    DecryptionFailure,
    HeaderError,
    OutOfScope,
    RevokedSigner,
    SignatureFailure,
    UnknownSigner,
)
from surveyapp.core.crypto import age, minisign
from surveyapp.core.ids import is_within
from surveyapp.core.store import Workspace
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.store.revisions import utc_now
from surveyapp.core.store.views import ChildFilter
from surveyapp.core.trust import keystore
from surveyapp.core.trust.codes import TrustCode
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops.batches import ImportResult, export_batch, import_batch, verify_batch

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

FORMAT = "surveyapp.relay/v1"
MAGIC_NAME = "surveyapp-relay"
MANIFEST, SIGNATURE, OWN = "relay.json", "relay.minisig", "township.batch.zip"
_INNER = re.compile(r"^inner/[0-9a-f]{64}\.batch\.zip$")
MAX_INNER = 5000
_PENDING = "relay.pending"


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
    """``import_batch``, and at a township keep a village batch for the next relay."""
    result = import_batch(ws, path, **kwargs)
    if ws.role == "township" and not result.dry_run and len(result.org_code) == 12:
        keep_for_relay(ws, Path(path).read_bytes())
    return result


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
    with tempfile.TemporaryDirectory(dir=folder, prefix=".relay-") as tmp:
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
            with zipfile.ZipFile(part, "w", zipfile.ZIP_STORED) as zf:
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
    with ws.conn.atomic():
        ws.set_meta(_PENDING, json.dumps([h for h in _pending(ws) if h not in inner]))
        for h in inner:
            ws.put_secret(_secret_name(h), b"")
        ws.audit("export", what="relay", inner=len(inner), batch=own.batch_id)
    return RelayResult(folder / name, own.batch_hash, len(inner))


@dataclass(frozen=True, slots=True)
class RelayImportResult:
    path: Path
    township_device: str
    township_org: str
    inner: tuple[ImportResult, ...]
    own: ImportResult


def _read(zf: zipfile.ZipFile, name: str, limit: int, path: str) -> bytes:
    # The batch container's own member checks (encrypted flag, sizes, short reads).
    return read_member(zf, zf.getinfo(name), path, limit)


def _open_relay(ws: Workspace, path: Path) -> tuple[dict[str, Any], zipfile.ZipFile]:
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError as err:
        raise SurveyError(CommonCode.IO_002, path=str(path)) from err
    except (zipfile.BadZipFile, OSError) as err:
        raise HeaderError(path=str(path), reason="not a relay file") from err
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
            raise UnknownSigner(path=str(path), device=device)
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

    :raises BatchError: the first failed check (nothing is stored when any check fails).
    """
    path = Path(path)
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
        # Verify every batch fully (signatures, scope, decryption, payload) before storing.
        for n, f in enumerate(files):
            if cancel is not None and cancel():
                raise SurveyError(BatchCode.BATCH_012)
            verify_batch(ws, f)
            if progress is not None:
                progress(n + 1, 2 * len(files))
        results = []
        for n, f in enumerate(files):
            results.append(import_batch(ws, f, cancel=cancel))
            if progress is not None:
                progress(len(files) + n + 1, 2 * len(files))
    with contextlib.suppress(SurveyError):
        ws.audit("import", what="relay", township=body["township"]["device_id"],
                 inner=len(results) - 1)
    return RelayImportResult(path, body["township"]["device_id"], body["township"]["org_code"],
                             tuple(results[:-1]), results[-1])


# ---- down: township → village (returns and review decisions) -------------------------------

DOWN_FORMAT = "surveyapp.down/v1"
DOWN_MAGIC, DOWN_MANIFEST, DOWN_SIGNATURE, DOWN_PAYLOAD = (
    "surveyapp-down", "down.json", "down.minisig", "payload.age")
_DOWN_KINDS = ("child", "link")


@dataclass(frozen=True, slots=True)
class DownResult:
    path: Path
    village_org: str
    revisions: int


@dataclass(frozen=True, slots=True)
class DownImportResult:
    path: Path
    township_org: str
    inserted: int
    known: int


def _down_comment(device: str, org: str, village: str, sha: str) -> str:
    return f"{DOWN_FORMAT} device={device} org={org} village={village} sha256={sha}"


def _down_revisions(ws: Workspace, village_org: str) -> list[bytes]:
    """The township's own decisions about this village's children, oldest first."""
    children = {r.record_id for r in ws.query_children(
        ChildFilter(village_code=village_org, include_exited=True), 0, 10**9)}
    out = []
    for _, rev in ws.iter_revisions():
        if rev.device_id != ws.device_id or rev.kind not in _DOWN_KINDS:
            continue
        mentioned = {rev.record_id} if rev.kind == "child" else set(rev.data.get("records", ()))
        if mentioned & children:
            out.append(rev.body)
    return out


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
    payload = age.encrypt(b"".join(line + b"\n" for line in lines), recipients=recipients)
    sha = hashlib.sha256(payload).hexdigest()
    manifest = canonical_json({
        "format": DOWN_FORMAT, "township": {"device_id": ws.device_id, "org_code": ws.org_code},
        "village_org": village_org, "created_at": utc_now(), "revisions": len(lines),
        "payload_sha256": sha, "recipients": recipients,
    })
    sig = minisign.sign(manifest, key,
                        trusted_comment=_down_comment(ws.device_id, ws.org_code, village_org, sha),
                        untrusted_comment="surveyapp down file signature")
    name = f"{village_org}_from_{ws.org_code}_{utc_now()[:10]}.down.zip"
    target = folder / name
    part = folder / f".{name}.part"
    try:
        with zipfile.ZipFile(part, "w", zipfile.ZIP_STORED) as zf:
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
    ws.audit("export", what="down", village=village_org, revisions=len(lines))
    return DownResult(target, village_org, len(lines))


def import_down(ws: Workspace, path: str | Path) -> DownImportResult:
    """Verify a township's down file and store its revisions (all or nothing).

    :raises BatchError: bad container, unknown/revoked township, not this village's file,
        signature or payload failure; nothing is stored.
    """
    path = Path(path)
    p = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError as err:
        raise SurveyError(CommonCode.IO_002, path=p) from err
    except (zipfile.BadZipFile, OSError) as err:
        raise HeaderError(path=p, reason="not a down file") from err
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
            raise OutOfScope(path=p, org=village, scope=ws.org_code)
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
    if len(lines) != body["revisions"]:
        raise HeaderError(path=p, reason="count mismatch")
    counts = ws.insert_revisions(lines)
    ws.audit("import", what="down", township=org, inserted=counts.inserted)
    return DownImportResult(path, org, counts.inserted, counts.known)
