"""Import of many batches at once: the dry-run report and the all-or-nothing import. No Qt.

``dry_run(ws, paths, progress, cancel) -> ImportReport`` imports every file into a private
snapshot of the store (``Workspace.snapshot()``: a copy taken with a read, thrown away
afterwards), so the report can list exactly what the import would do: the children that are
new, updated, put in conflict, or become a possible duplicate, and the files that are
rejected (with the reason) or were already imported. The workspace itself is only read: no
transaction of it is open and no write lock is held, so the form's autosave on the GUI
thread goes on meanwhile (docs/store.md, "One connection per thread").
``import_all(ws, paths, progress, cancel) -> list[ImportResult]`` imports the chosen files
in one outer transaction: cancelling (or any failure) leaves the store as it was.

A township keeps each village batch it imports for the next relay to the county
(``ops.relay.import_and_keep``), inside the same transaction. A ``.relay.zip`` (a township's
relay file, at the county) is verified along its whole chain and imported with
``ops.relay.import_relay``; its line in the report is the township's own batch, with the
revisions of all its batches counted (``ops.relay.as_import_result``).
``import_file(ws, path, *, dry_run=False)`` imports one file the same way (``batch import``).

The UI runs both on a worker thread, which has its own connection to the workspace; the
CLI (``surveyapp batch import-all``) calls them directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from surveyapp.core.batch import BatchError
from surveyapp.core.batch.codes import BatchCode
from surveyapp.core.merge.duplicates import Candidate
from surveyapp.errors import SurveyError
from surveyapp.ops import batches, importlines, relay, review
from surveyapp.ops.codes import ImportCode

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
STEPS = 1000  # progress units per file
SUFFIX = ".batch.zip"
RELAY_SUFFIX = ".relay.zip"


@dataclass(frozen=True, slots=True)
class ChildLine:
    record_id: str
    child_name: str
    village_code: str


@dataclass(frozen=True, slots=True)
class FileCheck:
    """One file of the selection: its dry-run result, or why it is rejected."""

    path: Path
    result: Any = None  # ops.batches.ImportResult
    error: SurveyError | None = None

    @property
    def form_versions(self) -> tuple[str, ...]:
        """The ``form_id@version`` of the records the file holds."""
        return tuple(getattr(self.result, "form_versions", ()) or ())

    @property
    def status(self) -> str:
        """``rejected``, ``already`` (imported before) or ``ok``."""
        if self.error is not None:
            return "rejected"
        return "already" if self.result.already_imported else "ok"


@dataclass(frozen=True, slots=True)
class ImportReport:
    files: tuple[FileCheck, ...]
    new: tuple[ChildLine, ...] = ()
    updated: tuple[ChildLine, ...] = ()
    conflict: tuple[ChildLine, ...] = ()
    duplicates: tuple[Candidate, ...] = ()
    names: dict[str, ChildLine] = field(default_factory=dict)
    #: (file name, "form_id@version") for each version a file holds that this county
    #: never issued (a township: never received); see :func:`known_versions`.
    unknown_forms: tuple[tuple[str, str], ...] = ()

    def importable(self) -> list[Path]:
        return [f.path for f in self.files if f.status == "ok"]


class _RollBack(Exception):
    """Raised inside the trial transaction to undo it."""


def _scaled(progress: Progress, i: int, n: int) -> Progress:
    def tick(done: int, total: int) -> None:
        part = done * STEPS // total if total > 0 else STEPS
        progress(i * STEPS + min(part, STEPS), n * STEPS)

    return tick


def _import_one(ws: Any, path: Path, progress: Progress, cancel: Cancel, keep: bool) -> Any:
    """One file: a relay file through the whole chain check, else a batch (a township keeps
    a village batch for its relay when ``keep``)."""
    if path.name.endswith(RELAY_SUFFIX) or relay.is_relay_file(path):
        res = relay.as_import_result(
            relay.import_relay(ws, path, progress=progress, cancel=cancel))
        parts = (res, *(res.inner or ()))
        return replace(res, form_versions=tuple(sorted({v for r in parts
                                                        for v in r.form_versions})))
    if keep:
        return relay.import_and_keep(ws, path, progress=progress, cancel=cancel)
    return batches.import_batch(ws, path, progress=progress, cancel=cancel)


def import_file(ws: Any, path: str | Path, *, dry_run: bool = False,
                progress: Progress | None = None, cancel: Cancel | None = None) -> Any:
    """One batch or relay file, the way every front end imports one: a relay (whatever its
    name) through the whole chain check, a village batch at a township kept for the relay.
    ``dry_run`` reports what the import would do and stores nothing.

    :returns: ``ops.batches.ImportResult`` (for a relay: ``relay.as_import_result``).
    :raises BatchError: the batch's (or relay's) rejection; nothing is stored.
    """
    path = Path(path)
    tick = progress or (lambda _done, _total: None)
    stop = cancel or (lambda: False)
    if dry_run and (path.name.endswith(RELAY_SUFFIX) or relay.is_relay_file(path)):
        check = _trial(ws, path, tick, stop)
        if check.error is not None:
            raise check.error
        return replace(check.result, dry_run=True)
    if dry_run:
        return batches.import_batch(ws, path, progress=progress, cancel=cancel, dry_run=True)
    # One transaction for the import and the keeping; flat() as in import_all (no savepoint
    # inside, whose sub-journal would grow with the store). A refusal is audited after the
    # roll-back (ops.batches.audited_refusal).
    what = "relay" if path.name.endswith(RELAY_SUFFIX) or relay.is_relay_file(path) else "batch"
    with batches.audited_refusal(ws, what, path), ws.conn.atomic(), ws.conn.flat(), \
            importlines.session():  # one worker for a relay's batches (when it pays)
        return _import_one(ws, path, tick, stop, keep=ws.role == "township")


def _import_each(ws: Any, paths: Sequence[Path], progress: Progress, cancel: Cancel,
                 *, keep_rejected: bool, keep: bool = False) -> list[FileCheck]:
    with importlines.session():  # one worker process for all the files (when it pays)
        return _each(ws, paths, progress, cancel, keep_rejected=keep_rejected, keep=keep)


def _each(ws: Any, paths: Sequence[Path], progress: Progress, cancel: Cancel,
          *, keep_rejected: bool, keep: bool) -> list[FileCheck]:
    out = []
    for i, path in enumerate(paths):
        if cancel():
            raise SurveyError(BatchCode.BATCH_012)
        try:
            res = _import_one(ws, Path(path), _scaled(progress, i, len(paths)), cancel, keep)
        except BatchError as err:
            if not keep_rejected:
                raise
            out.append(FileCheck(Path(path), error=err))
            continue
        except SurveyError as err:
            # A cancel, or the import's worker stopping, is no rejection of the file.
            if err.code in (BatchCode.BATCH_012, ImportCode.IMPORT_002) or not keep_rejected:
                raise
            out.append(FileCheck(Path(path), error=err))
            continue
        out.append(FileCheck(Path(path), result=res))
    progress(len(paths) * STEPS, len(paths) * STEPS)
    return out


def _line(ws: Any, record_id: str) -> ChildLine:
    row = ws.get_child(record_id)
    if row is None:
        return ChildLine(record_id, record_id[:8], "")
    return ChildLine(record_id, row.child_name, row.village_code)


def _heads(revs: Sequence[Any]) -> list[Any]:
    """The heads among one record's revisions, newest first (computed here, no query)."""
    parents = {p for r in revs for p in r.parents}
    return sorted((r for r in revs if r.id not in parents),
                  key=lambda r: (r.created_at, r.id), reverse=True)


def _classify(ws: Any, after_seq: int) -> dict[str, Any]:
    added_ids: set[str] = set()
    touched_set: set[str] = set()
    # Ids only, without parsing every body (the store has no such call yet; read-only).
    for rev_id, record_id in ws.conn.iterate(
        "SELECT id, record_id FROM revisions WHERE seq > ? AND kind = 'child'", (after_seq,)
    ):
        added_ids.add(str(rev_id))
        touched_set.add(str(record_id))
    new, updated, conflict = [], [], []
    touched = sorted(touched_set)
    for offset in range(0, len(touched), 2000):
        stored = ws.revisions_of(touched[offset:offset + 2000])
        for rid, revs in sorted(stored.items()):
            heads = _heads(revs)
            data = heads[0].data if heads else {}
            line = ChildLine(rid, str(data.get("child_name", "")) or rid[:8],
                             str(data.get("village_code", "")))
            if len(heads) > 1:
                conflict.append(line)
            elif all(r.id in added_ids for r in revs):
                new.append(line)
            else:
                updated.append(line)
    dups = [c for c in review.duplicate_candidates(ws) if c.a in touched_set or c.b in touched_set]
    names = {ln.record_id: ln for ln in (*new, *updated, *conflict)}
    for c in dups:
        for rid in (c.a, c.b):
            names.setdefault(rid, _line(ws, rid))
    return {"new": tuple(new), "updated": tuple(updated), "conflict": tuple(conflict),
            "duplicates": tuple(dups), "names": names}


def known_versions(ws: Any) -> set[str]:
    """The form versions this workspace knows as its county's: those the county issued
    (at the county) or received (a township or village), and the shipped form's."""
    from surveyapp.core.trust import forms as trust_forms
    from surveyapp.ops.forms import load_cached
    from surveyapp.paths import FORM_PATH

    shipped = load_cached(FORM_PATH)
    known = {f"{shipped.form_id}@{shipped.version}"}
    known.update(trust_forms.issued(ws))
    known.update(trust_forms.kept_versions(ws))
    return known


def _unknown_forms(ws: Any, files: Sequence[FileCheck]) -> tuple[tuple[str, str], ...]:
    known = known_versions(ws)
    return tuple((f.path.name, v) for f in files for v in f.form_versions if v not in known)


def _last_seq(ws: Any) -> int:
    # The store has no public "last arrival number" yet; this one read stands in for it.
    row = ws.conn.one("SELECT COALESCE(MAX(seq), 0) FROM revisions")
    return int(row[0]) if row else 0


def dry_run(ws: Any, paths: Sequence[str | Path], progress: Progress,
            cancel: Cancel, *, audit_rejected: bool = False) -> ImportReport:
    """What importing ``paths`` would do; the store is left exactly as it was, except,
    with ``audit_rejected`` (an import that stops because of its rejected files), one
    ``refused`` audit entry per rejected file, written after the roll-back.

    :raises SurveyError: BATCH_012 when cancelled.
    """
    files_in = [Path(p) for p in paths]
    report: ImportReport | None = None
    with ws.snapshot() as copy:
        before = _last_seq(copy)
        try:
            with copy.conn.atomic():
                files = _import_each(copy, files_in, progress, cancel, keep_rejected=True)
                report = ImportReport(tuple(files), **_classify(copy, before),
                                      unknown_forms=_unknown_forms(copy, files))
                raise _RollBack
        except _RollBack:
            pass
    assert report is not None  # noqa: S101 - set right before the roll-back
    if audit_rejected:
        for f in report.files:
            if f.error is not None:
                batches.record_refusal(ws, "batch", f.path, f.error)
    return report


def _trial(ws: Any, path: Path, progress: Progress, cancel: Cancel) -> FileCheck:
    return dry_run(ws, [path], progress, cancel).files[0]


def import_all(ws: Any, paths: Sequence[str | Path], progress: Progress,
               cancel: Cancel) -> list[Any]:
    """Import ``paths`` all or nothing (one transaction).

    :raises SurveyError: BATCH_012 when cancelled; a batch rejection; nothing is stored then.
    """
    # flat(): no savepoint per file (any failure rolls everything back anyway), which keeps
    # SQLite's in-memory sub-journal from growing with the store (docs/store.md). A refusal
    # is audited after the roll-back (ops.batches.audited_refusal).
    with batches.audited_refusal(ws, "batch", paths[0] if paths else ""), \
            ws.conn.atomic(), ws.conn.flat():
        files = _import_each(ws, [Path(p) for p in paths], progress, cancel,
                             keep_rejected=False, keep=ws.role == "township")
    return [f.result for f in files]


def batch_files(folder: str | Path) -> list[Path]:
    """The batch and relay files in ``folder`` (``*.batch.zip``, ``*.relay.zip``), sorted."""
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and p.name.endswith((SUFFIX, RELAY_SUFFIX)))
