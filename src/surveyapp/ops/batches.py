"""Batch export and import for the UI and the CLI (docs/batch-format.md). Nothing prints.

    export_batch(ws, out_dir, *, full=False, progress=None, cancel=None) -> ExportResult
    import_batch(ws, path, *, progress=None, cancel=None, dry_run=False) -> ImportResult
    verify_batch(ws, path) -> VerifyResult      # every check, decrypts, stores nothing
    inspect_batch(path) -> dict                 # the manifest, NOT verified (no workspace)
    received(ws) -> {device_id: [sequence, ...]}; gaps(ws) -> {device_id: [missing, ...]}
    reused(ws) -> {device_id: [sequence, ...]}   # numbers that came on two different batches
    write_receipt(ws, result, out_dir) -> Path      # township/county, after an import
    import_receipt(ws, path) -> ReceiptResult       # village/township: marks what is safe
    acknowledged(ws) -> {"county": seq, "township": seq}  # revisions up to seq are received

Export: every revision of this device not yet acknowledged (``batch.acked_seq``; all of
them with ``full=True``) plus the audit entries, signed with the device key and encrypted to
the recipients of its enrollment; revisions that came from other devices (village batches at
a township, a township's down file at a village) are never re-sent. The per-device sequence
number and previous batch hash are kept in the workspace meta (``batch.sequence``,
``batch.last_hash``).

Import: the container, version, signer (enrolled, not revoked, in scope), signature and
payload hash are checked before anything is decrypted; the payload is then decrypted in
chunks, its lines parsed incrementally, each slice of ``SLICE`` revisions checked against
its signer (who may write what: ``core.batch.authorize``) and inserted inside one outer
transaction, which commits only after the last age chunk has authenticated and the
author rule has passed. A
batch already imported is a no-op and says so. Received sequence numbers are kept per
device (``batch.received.<device_id>``) for the gap report.

A second, different batch with a sequence number already received from the same device
(a workspace restored from a backup, a copied workspace, an export killed between writing
the file and recording its number) is imported but *reported*: ``reused_sequence`` in the
result, a warning from the CLI, ``sequence_reused`` in the audit entry, and its hash kept
in ``batch.reused.<device_id>`` (``reused(ws)``) without replacing the first one's.

A refused import (any coded error but a cancellation) leaves one ``refused`` audit entry
(what, the file name, the signer device when known, the code) and nothing else: it is
written after the import's transaction has rolled back (:func:`audited_refusal`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Collection, Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveyapp.core.batch import BadPayload, BatchSource, open_batch, write_batch
from surveyapp.core.batch.authorize import Authorizer, Digest, StoreHoldings
from surveyapp.core.batch.codec import open_container
from surveyapp.core.batch.codes import BatchCode, HeaderError
from surveyapp.core.batch.manifest import parse_manifest
from surveyapp.core.batch.reader import AUDIT_PREFIX, OpenedBatch
from surveyapp.core.files import open_input, read_input
from surveyapp.core.merge.graph import RevisionRef
from surveyapp.core.merge.plan import Outcome, plan
from surveyapp.core.store import Revision, Workspace
from surveyapp.core.store import audit as audit_log
from surveyapp.core.store.codes import StoreCode
from surveyapp.core.trust import keystore, receipts
from surveyapp.core.trust.codes import TrustCode
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops import importlines
from surveyapp.ops.audit import ReceivedChain, check_received

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
# Revision lines held before they are inserted: small, so that memory goes to the page
# cache instead (docs/store.md, "The bulk import path").
SLICE = 2_000
MAX_RECEIPT = 16 << 20  # a receipt is about 1 KB; a relay's, one per village batch


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    batch_id: str
    batch_hash: str
    sequence: int
    revisions: int
    records: int
    audit: int
    full: bool


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did (or, with ``dry_run``, would do)."""

    path: Path
    batch_id: str
    batch_hash: str
    device_id: str
    org_code: str
    sequence: int
    already_imported: bool
    dry_run: bool
    inserted: int
    known: int
    records: int
    audit: int
    outcomes: dict[str, int] = field(default_factory=dict)  # new/updated/unchanged/conflict
    received: tuple[int, ...] = ()  # this device's sequence numbers now on file
    missing: tuple[int, ...] = ()  # this device's sequence numbers never received
    form_versions: tuple[str, ...] = ()  # "form_id@version" of the batch's records
    reused_sequence: bool = False  # another batch of this device had this sequence number
    # Coded warnings (AUDIT_004/005, ``SurveyError.to_dict()``): the device's audit chain
    # does not continue the one received before, or is broken; the records still import.
    warnings: tuple[dict[str, Any], ...] = ()
    # A relay file: the village batches inside it (the fields above are the township's own
    # batch, with ``inserted`` summed over all); ``None`` for a plain batch.
    inner: tuple[ImportResult, ...] | None = None


@dataclass(frozen=True, slots=True)
class ReceiptResult:
    """A verified receipt: ``received_by`` holds this device's batch ``sequence``; every
    revision stored here up to ``acked_seq`` has reached that tier."""

    sequence: int
    received_by: str
    role: str
    acked_seq: int
    relayed: int = 0  # a relay's receipt: the village batches in it the county confirmed


@dataclass(frozen=True, slots=True)
class VerifyResult:
    path: Path
    batch_id: str
    device_id: str
    org_code: str
    sequence: int
    revisions: int
    audit: int
    manifest: dict[str, Any]


# --- export -------------------------------------------------------------------------------
def export_batch(ws: Workspace, out_dir: str | Path, *, full: bool = False,
                 progress: Progress | None = None, cancel: Cancel | None = None
                 ) -> ExportResult:
    """Write the next batch of this device into ``out_dir`` (atomically).

    :raises SurveyError: TRUST_008 when the device is not enrolled; BATCH_012 cancelled;
        IO_001/IO_003 when the folder cannot be written; IO_002 a missing folder.
    """
    key = keystore.signing_key(ws)
    recipients = keystore.recipients(ws) if key is not None else []
    if key is None or not recipients:
        raise SurveyError(TrustCode.TRUST_008)
    folder = Path(out_dir)
    if not folder.is_dir():
        raise SurveyError(CommonCode.IO_002, path=str(folder))
    after = 0 if full else int(ws.get_meta("batch.acked_seq") or "0")
    sequence = int(ws.get_meta("batch.sequence") or "0") + 1
    previous = ws.get_meta("batch.last_hash") or ""
    # Only this device's own revisions: a township's batch never re-signs the village
    # revisions it imported (they travel up inside the village batches of its relay), and a
    # village's never re-sends what came down from its township (docs/batch-format.md §4).
    row = ws.conn.one("SELECT count(*), (SELECT COALESCE(MAX(seq), 0) FROM revisions) "
                      "FROM revisions WHERE seq > ? AND device_id = ?", (after, ws.device_id))
    # The whole log with its hashes; the manifest signs its head (§4, §4.1).
    audit = [audit_log.wire(e) for e in ws.audit_entries()]
    total = (int(row[0]) if row else 0) + len(audit)
    # The acknowledgement mark covers every revision stored when the batch was made: the
    # others' revisions below it are never ours to send.
    top = [max(after, int(row[1]) if row else 0)]

    def revs() -> Iterator[Revision]:
        for _seq, rev in ws.iter_revisions(after, device_id=ws.device_id, travel=True):
            yield rev

    source = BatchSource(ws.device_id, ws.org_code, ws.role, revs(), audit, total)
    written = write_batch(folder, source, key, sequence=sequence, previous=previous,
                          recipients=recipients, full=full, progress=progress, cancel=cancel)
    m = written.manifest
    with ws.conn.atomic():
        ws.set_meta("batch.sequence", str(sequence))
        ws.set_meta("batch.last_hash", written.batch_hash)
        ws.set_meta(f"batch.export.{sequence}",
                    json.dumps({"hash": written.batch_hash, "max_seq": top[0]}))
        ws.audit("export", what="batch", sequence=sequence, revisions=m.revisions,
                 batch=m.batch_id)
    return ExportResult(written.path, m.batch_id, written.batch_hash, sequence, m.revisions,
                        m.records, m.audit, full)


# --- import -------------------------------------------------------------------------------
def _received_map(ws: Workspace, device_id: str) -> dict[str, str]:
    raw = ws.get_meta(f"batch.received.{device_id}")
    return {} if raw is None else dict(json.loads(raw))


def _reused_map(ws: Workspace, device_id: str) -> dict[str, list[str]]:
    raw = ws.get_meta(f"batch.reused.{device_id}")
    return {} if raw is None else {str(k): list(v) for k, v in json.loads(raw).items()}


def reused(ws: Workspace) -> dict[str, list[int]]:
    """Per device, the sequence numbers that arrived on more than one different batch."""
    out: dict[str, list[int]] = {}
    for key, value in ws.conn.execute(
        "SELECT key, value FROM meta WHERE key LIKE 'batch.reused.%'"
    ):
        out[str(key)[len("batch.reused."):]] = sorted(int(s) for s in json.loads(value))
    return out


# --- refused imports: one audit entry, nothing else ----------------------------------------
_AUDITING: ContextVar[bool] = ContextVar("surveyapp_refusal_audit", default=False)
# A cancel, or the import's worker process dying (IMPORT_002), is no refusal of the file.
_NOT_REFUSALS = frozenset({"BATCH_012", "CANCELLED", "IMPORT_002"})


def record_refusal(ws: Workspace, what: str, path: str | Path, err: SurveyError) -> None:
    """Append the ``refused`` audit entry for a refused import (who: the workspace user and
    device; what: ``what`` and the file name, the claimed signer; which code). Skipped
    inside a transaction (the caller that owns it records the refusal after its roll-back)
    and for a cancellation; a failure to write it (a full disk) is ignored, so that the
    refusal itself reaches the user."""
    if err.code.name in _NOT_REFUSALS or ws.conn.in_transaction:
        return
    where = err.context.get("path") or path
    details: dict[str, Any] = {"what": what, "file": Path(str(where)).name[-120:],
                               "code": err.code.name}
    device = err.context.get("device")
    if isinstance(device, str) and device not in ("", "?"):
        details["device"] = device[:64]
    with contextlib.suppress(SurveyError):
        ws.audit("refused", **details)


@contextlib.contextmanager
def audited_refusal(ws: Workspace, what: str, path: str | Path) -> Iterator[None]:
    """Around an import: a coded refusal leaves its audit entry (:func:`record_refusal`).
    Only the outermost import records (a relay's inner batch is the relay's refusal)."""
    if _AUDITING.get():
        yield
        return
    token: Token[bool] = _AUDITING.set(True)
    try:
        yield
    except SurveyError as err:
        _AUDITING.reset(token)
        record_refusal(ws, what, path, err)
        raise
    except BaseException:
        _AUDITING.reset(token)
        raise
    _AUDITING.reset(token)


def _missing(seqs: list[int]) -> tuple[int, ...]:
    have = set(seqs)
    return tuple(s for s in range(1, max(have, default=0)) if s not in have)


def received(ws: Workspace) -> dict[str, list[int]]:
    """Every device's received batch sequence numbers."""
    out: dict[str, list[int]] = {}
    for key, value in ws.conn.execute(
        "SELECT key, value FROM meta WHERE key LIKE 'batch.received.%'"
    ):
        out[str(key)[len("batch.received."):]] = sorted(int(s) for s in json.loads(value))
    return out


def gaps(ws: Workspace) -> dict[str, list[int]]:
    """Per device, the sequence numbers below its highest that never arrived."""
    return {dev: list(_missing(seqs)) for dev, seqs in received(ws).items() if _missing(seqs)}


def _open(ws: Workspace, path: Path, *, check_payload: bool = True) -> OpenedBatch:
    src = open_input(path)  # a FIFO or /dev/zero is refused before a byte is read
    return open_batch(src, signers=keystore.signers(ws), scope=ws.org_code, path=str(path),
                      owns_src=True, check_payload=check_payload)


def _ticking(lines: Iterator[bytes], total: int, progress: Progress | None,
             cancel: Cancel | None) -> Iterator[bytes]:
    for n, line in enumerate(lines, 1):
        if n % 5000 == 0:
            if cancel is not None and cancel():
                raise SurveyError(BatchCode.BATCH_012)
            if progress is not None:
                progress(n, total)
        yield line
    if progress is not None:
        progress(total, total)


def _authorizer(ws: Workspace, opened: OpenedBatch, vouched: Collection[str] = (),
                copies: bool = True, collect: bool = False) -> Authorizer:
    """Who may write what (docs/batch-format.md §6 rule 11), checked against this store."""
    return Authorizer(opened.signer, StoreHoldings(ws.conn), path=opened.path,
                      vouched=vouched, copies=copies, collect=collect)


def _authorized(auth: Authorizer, lines: Iterator[bytes]) -> Iterator[bytes]:
    """The lines, each slice of revisions checked by ``auth`` before it is passed on and
    the author rule after the last line (for the dry run and verify, which store nothing)."""
    chunk: list[bytes] = []
    for line in lines:
        if not line.startswith(AUDIT_PREFIX):
            chunk.append(line)
            if len(chunk) < SLICE:
                continue
        if chunk:
            auth.revisions(chunk)
            yield from chunk
            chunk.clear()
        if line.startswith(AUDIT_PREFIX):
            auth.audit(line)
            yield line
    auth.revisions(chunk)
    yield from chunk
    auth.finish()


def _plan(ws: Workspace, opened: OpenedBatch, lines: Iterator[bytes],
          auth: Authorizer) -> dict[str, int]:
    refs: list[RevisionRef] = []
    for line in _authorized(auth, lines):
        if line.startswith(AUDIT_PREFIX):
            continue
        try:
            obj = json.loads(line)
            refs.append(RevisionRef(_sha(line), str(obj["record_id"]),
                                    tuple(obj["parents"]), str(obj["created_at"])))
        except (ValueError, KeyError, TypeError) as err:
            raise BadPayload(path=opened.path, reason="a revision is not JSON") from err

    def lookup(ids: set[str]) -> dict[str, list[RevisionRef]]:
        stored = ws.revisions_of(ids)
        return {rid: [RevisionRef(r.id, r.record_id, r.parents, r.created_at) for r in revs]
                for rid, revs in stored.items()}

    result = plan(refs, lookup)
    counts = {o.value: result.count(o) for o in Outcome}
    counts["inserted"], counts["known"] = len(result.new), len(result.known)
    return counts


def _sha(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def _check_head(opened: OpenedBatch, chain: ReceivedChain) -> None:
    """Rule 10: the signed ``audit_head`` is the last hashed audit line of the signer."""
    head = opened.manifest.audit_head
    if head is not None and chain.head != head:
        raise BadPayload(path=opened.path, reason="the audit head of the manifest is not the "
                                                  "last audit entry of the payload")


def _checked(opened: OpenedBatch, auth: Authorizer, part: importlines.Slice
             ) -> list[Revision]:
    """Rule 11 over one parsed slice (before it is stored); its revisions. A line that is
    not a canonical revision is read again for the rule (BATCH_010 when it is not JSON)
    and, when the slice passes, refuses the batch as damaged (BATCH_010), as the store
    would have."""
    digests: list[Digest] = []
    damaged = False
    for line, digest in zip(part.lines, part.digests, strict=True):
        if digest is None:
            digest, damaged = auth.digest(line), True
        digests.append(digest)
    auth.checked(digests)  # rule 11, before the slice is stored
    if damaged:
        raise BadPayload(path=opened.path, reason="a revision is damaged")
    return [r for r in part.revs if r is not None]


def _insert(ws: Workspace, opened: OpenedBatch, lines: Iterator[bytes],
            auth: Authorizer, chain: ReceivedChain) -> tuple[int, int, int]:
    """Store every slice of revisions after rule 11, in the order of the batch; the lines
    are parsed here or, ``prep.ahead`` slices in advance, on the import's worker process
    (``ops.importlines``), with the same checks and the same outcome."""
    inserted = known = audit = 0
    touched = 0
    chunk: list[bytes] = []
    prep = importlines.preparer(opened.path, opened.manifest.revisions)
    # Slices sent to be parsed, and the audit lines that came after them, in batch order.
    pending: deque[list[bytes] | bytes] = deque()
    out = 0  # slices in ``pending``

    def store(part: importlines.Slice) -> None:
        nonlocal inserted, known, touched
        revs = _checked(opened, auth, part)
        try:
            counts = ws.insert_revisions(revs, part.rows or None)
        except SurveyError as err:
            if err.code is not StoreCode.STORE_014:  # a full disk is not a bad batch
                raise
            raise BadPayload(path=opened.path, reason="a revision is damaged") from err
        inserted, known, touched = (inserted + counts.inserted, known + counts.known,
                                    touched + counts.records)

    def note(line: bytes) -> None:
        nonlocal audit
        audit += 1
        auth.audit(line)
        chain.add(line)

    def settle(keep: int) -> None:
        """Handle what is pending, in order, until ``keep`` slices are left out."""
        nonlocal out
        while pending and (out > keep or not isinstance(pending[0], list)):
            item = pending.popleft()
            if isinstance(item, list):
                out -= 1
                store(prep.result(item))
            else:
                note(item)

    def send() -> None:
        nonlocal chunk, out
        prep.submit(chunk)
        pending.append(chunk)
        chunk, out = [], out + 1
        settle(prep.ahead)

    try:
        for line in lines:
            if line.startswith(AUDIT_PREFIX):
                if pending:
                    pending.append(line)
                else:
                    note(line)
                continue
            chunk.append(line)
            if len(chunk) >= SLICE:
                send()
        if chunk:
            send()
        settle(0)
    except BaseException:
        prep.abandon()  # a worker with slices still out is killed
        raise
    auth.finish()  # the author rule; a failure rolls the whole batch back
    _check_head(opened, chain)
    return inserted, known, audit


def import_batch(ws: Workspace, path: str | Path, *, progress: Progress | None = None,
                 cancel: Cancel | None = None, dry_run: bool = False,
                 vouched: Collection[str] = ()) -> ImportResult:
    """Verify and import one batch file, all or nothing.

    :param vouched: revision ids another batch of the same relay carries as its own (a
        copy of one of them is accepted although this store does not hold it yet).

    :raises BatchError: the spec's rejection for a bad, foreign or damaged batch; the
        store is unchanged but for the ``refused`` audit entry (not for a dry run).
    :raises SurveyError: IO_002 missing file; INPUT_005 not a regular file; BATCH_012
        cancelled (nothing stored).
    """
    if dry_run:
        return _import_batch(ws, Path(path), progress, cancel, dry_run=True, vouched=vouched)
    with audited_refusal(ws, "batch", path):
        return _import_batch(ws, Path(path), progress, cancel, dry_run=False, vouched=vouched)


def _import_batch(ws: Workspace, path: Path, progress: Progress | None, cancel: Cancel | None,
                  *, dry_run: bool, vouched: Collection[str] = ()) -> ImportResult:
    # One pass over the payload: its hash is checked while it is decrypted, before the
    # transaction commits (docs/batch-format.md §6).
    with _open(ws, path, check_payload=False) as opened:
        m = opened.manifest
        seen = _received_map(ws, m.device_id)
        base: dict[str, Any] = {
            "path": path, "batch_id": m.batch_id, "batch_hash": opened.batch_hash,
            "device_id": m.device_id, "org_code": m.org_code, "sequence": m.sequence,
            "form_versions": tuple(m.form_versions),
        }
        again = _reused_map(ws, m.device_id)
        if opened.batch_hash in seen.values() or opened.batch_hash in again.get(
                str(m.sequence), ()):
            seqs = sorted(int(s) for s in seen)
            return ImportResult(**base, already_imported=True, dry_run=dry_run, inserted=0,
                                known=m.revisions, records=m.records, audit=m.audit,
                                received=tuple(seqs), missing=_missing(seqs))
        total = m.revisions + m.audit
        lines = _ticking(opened.lines(keystore.age_identities(ws)), total, progress, cancel)
        seqs = sorted({*(int(s) for s in seen), m.sequence})
        reuse = str(m.sequence) in seen  # and not this batch: a second batch, same number
        if dry_run:
            counts = _plan(ws, opened, lines, _authorizer(ws, opened, vouched))
            return ImportResult(**base, already_imported=False, dry_run=True,
                                inserted=counts["inserted"], known=counts["known"],
                                records=m.records, audit=m.audit,
                                outcomes={o.value: counts[o.value] for o in Outcome},
                                received=tuple(seqs), missing=_missing(seqs),
                                reused_sequence=reuse)
        # flat(): the slices take no savepoint of their own (a failure in any of them
        # undoes the whole batch anyway), so small slices cost nothing extra.
        chain = ReceivedChain(m.device_id)
        with importlines.session(), ws.conn.atomic(), ws.conn.flat():
            inserted, known, audit = _insert(ws, opened, lines,
                                             _authorizer(ws, opened, vouched), chain)
            warnings = check_received(ws, chain, org=m.org_code, sequence=m.sequence,
                                      previous_batches=(int(s) for s in seen))
            if reuse:  # keep the first batch of this number on file; report this one
                again.setdefault(str(m.sequence), []).append(opened.batch_hash)
                ws.set_meta(f"batch.reused.{m.device_id}", json.dumps(again, sort_keys=True))
            else:
                seen[str(m.sequence)] = opened.batch_hash
                ws.set_meta(f"batch.received.{m.device_id}", json.dumps(seen, sort_keys=True))
            ws.audit("import", what="batch", device=m.device_id, sequence=m.sequence,
                     batch=m.batch_id, inserted=inserted, known=known, audit_entries=audit,
                     audit_head=chain.head[0] if chain.head else 0,
                     audit_warning=warnings[0].code.name if warnings else "",
                     **({"sequence_reused": True} if reuse else {}))
    return ImportResult(**base, already_imported=False, dry_run=False, inserted=inserted,
                        known=known, records=m.records, audit=audit, received=tuple(seqs),
                        missing=_missing(seqs), reused_sequence=reuse,
                        warnings=tuple(_warning(w, m.device_id) for w in warnings))


def _warning(err: SurveyError, device_id: str) -> dict[str, Any]:
    return {**err.to_dict(), "device": device_id, "seq": err.context.get("seq"),
            "reason": err.context.get("reason")}


def verify_batch(ws: Workspace, path: str | Path, *, vouched: Collection[str] = (),
                 copies: bool = True, own: set[str] | None = None) -> VerifyResult:
    """Every check of an import, including decryption and who may write what, without
    storing anything.

    :param vouched: as :func:`import_batch`. :param copies: False leaves the copies
        (revisions of other devices) to be checked when the batch is imported.
    :param own: when given, the ids of the signer's own revisions are added to it.
    :raises BatchError: as :func:`import_batch`.
    """
    path = Path(path)
    with _open(ws, path) as opened:
        revisions = audit = 0
        auth = _authorizer(ws, opened, vouched, copies, collect=own is not None)
        chain = ReceivedChain(opened.manifest.device_id)
        for line in _authorized(auth, opened.lines(keystore.age_identities(ws))):
            if line.startswith(AUDIT_PREFIX):
                chain.add(line)
                audit += 1
            else:
                revisions += 1
        _check_head(opened, chain)
        if own is not None:
            own.update(auth.own)
        m = opened.manifest
        return VerifyResult(path, m.batch_id, m.device_id, m.org_code, m.sequence, revisions,
                            audit, json.loads(opened.manifest_bytes))


def inspect_batch(path: str | Path) -> dict[str, Any]:
    """The manifest of a batch and its batch hash, read without any trust: nothing is
    verified beyond the container and the manifest's form.

    :raises BatchError: not a batch, unsupported version, truncated, bad manifest.
    """
    path = Path(path)
    src = open_input(path)
    with open_container(src, path=str(path), owns_src=True) as container:
        parse_manifest(container.manifest, path=str(path))
        out: dict[str, Any] = json.loads(container.manifest)
        out["batch_hash"] = hashlib.sha256(container.manifest).hexdigest()
        out["verified"] = False
        return out


def write_receipt(ws: Workspace, result: ImportResult, out_dir: str | Path) -> Path:
    """Write the signed receipt of an imported batch into ``out_dir`` for its sender (for a
    relay: ``ops.relay.write_relay_receipt``, one file for all its batches)."""
    if result.inner is not None:
        from surveyapp.ops import relay  # relay builds on this module

        return relay.write_relay_receipt(ws, result, out_dir)
    data = receipts.make_receipt(ws, batch_hash=result.batch_hash, batch_id=result.batch_id,
                                 device_id=result.device_id, sequence=result.sequence,
                                 revisions=result.inserted + result.known)
    target = Path(out_dir) / f"receipt_{result.org_code}_{result.sequence:06d}.json"
    try:
        write_replacing(target, data, target.with_name(f".{target.name}.tmp"))
    except OSError as err:
        raise SurveyError(CommonCode.IO_003, path=str(target), reason=str(err)) from err
    return target


def write_replacing(target: Path, data: bytes, part: Path) -> None:
    """Write ``data`` to ``part``, make it durable and rename it over ``target``; on a
    failure ``part`` is removed and the ``OSError`` raised for the caller to name."""
    try:
        with open(part, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, target)
    except OSError:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


def acknowledged(ws: Workspace) -> dict[str, int]:
    """Per receiving tier, the revision seq up to which this device's data has arrived
    there (a revision with ``seq <= acknowledged[role]`` is safe at that tier)."""
    return {role: int(ws.get_meta(f"batch.acked.{role}") or "0")
            for role in ("township", "county")}


def import_receipt(ws: Workspace, path: str | Path) -> ReceiptResult:
    """Verify a receipt and mark the revisions of that batch as received. A relay's receipt
    (``ops.relay.import_relay_receipt``) also confirms the village batches inside it.

    :raises SurveyError: TRUST_001/002 for a bad or unsigned receipt; TRUST_011 a receipt
        for another device; TRUST_012 when it names a batch this device never wrote.
    """
    with audited_refusal(ws, "receipt", path):
        return _import_receipt(ws, Path(path))


def _import_receipt(ws: Workspace, path: Path) -> ReceiptResult:
    data = read_input(path, MAX_RECEIPT)
    from surveyapp.ops import relay  # relay builds on this module

    if relay.is_relay_receipt(data):
        return relay.import_relay_receipt(ws, data, str(path))
    return apply_receipt(ws, receipts.read_receipt(ws, data, str(path)), str(path))


def apply_receipt(ws: Workspace, rec: receipts.Receipt, path: str) -> ReceiptResult:
    """Mark the revisions of the batch ``rec`` (verified, for this device) as received.

    :raises SurveyError: TRUST_012 when it names a batch this device never wrote.
    """
    raw = ws.get_meta(f"batch.export.{rec.sequence}")
    exported = json.loads(raw) if raw else None
    if exported is None or exported["hash"] != rec.batch_hash:
        raise SurveyError(TrustCode.TRUST_012, path=path, sequence=rec.sequence)
    mark = int(exported["max_seq"])
    with ws.conn.atomic():
        role_seq = max(mark, acknowledged(ws).get(rec.role, 0))
        ws.set_meta(f"batch.acked.{rec.role}", str(role_seq))
        if mark > int(ws.get_meta("batch.acked_seq") or "0"):
            ws.set_meta("batch.acked_seq", str(mark))
        ws.audit("import", what="receipt", sequence=rec.sequence, by=rec.received_by)
    return ReceiptResult(rec.sequence, rec.received_by, rec.role, role_seq)


__all__ = ["ExportResult", "HeaderError", "ImportResult", "ReceiptResult", "VerifyResult",
           "acknowledged", "apply_receipt", "audited_refusal", "export_batch", "gaps",
           "import_batch", "import_receipt", "inspect_batch", "received", "record_refusal",
           "reused", "verify_batch", "write_receipt"]
