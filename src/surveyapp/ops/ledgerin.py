"""Importing a county's existing 台账 (.xlsx or .csv) as first visits, for the CLI and
the UI: ``surveyapp children import-ledger`` and Tools → 导入台账.

- ``import_ledger(ws, path, *, mapping=None, valid_only=False, dry_run=False,
  report=None, form_path=None, progress=None, cancel=None, limit=None,
  keep_rows=0, password=None) -> LedgerImport``: check every row with the form (as
  Finalize does; by default the form this workspace uses, the county's issued version, as
  ``children visit`` does) and save each valid one as a child's first visit, a normal revision of
  this device (signed and sent up in the next batch like any other) marked
  ``imported_from`` {file, row[, sheet]} in its history (the sheet when the workbook's
  table is on several sheets, as the 台账's township sheets). All or nothing in one transaction:
  nothing is written when a row is refused (unless ``valid_only``), when cancelled, or on
  a dry run.
- ``write_template(path, *, source=None, form_path=FORM_PATH)``: a mapping file to edit,
  with the headers of ``source`` (a spreadsheet) or of the 台账.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import sys
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from surveyapp.core.forms import load_form
from surveyapp.core.forms.model import Form
from surveyapp.core.ledger import FormLabels
from surveyapp.core.ledgerin import (
    Known,
    Layout,
    LedgerInCode,
    Outcome,
    RowChecker,
    Summary,
    ledger_layout,
    open_sheet,
    read_mapping,
    template,
    write_report,
)
from surveyapp.core.ledgerin.reader import header_texts
from surveyapp.core.store import Workspace
from surveyapp.core.store.revisions import Revision
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops.cores import core_free
from surveyapp.paths import FORM_PATH

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
EVERY = 100
SLICE = 20_000  # revisions a call of insert_revisions (see _insert_in_slices)
#: rows (the sheets' dimensions) from which a second process reads and checks the rows
#: while this one writes them (``import_ledger(parallel=None)``)
PARALLEL_AT = 5_000
BATCH = 200  # outcomes a message from the second process


@dataclass
class LedgerImport:
    """The result of an import (or a dry run / preview).

    :param summary: counts and every problem, in row order.
    :param headers: the mapped columns (spreadsheet header → question).
    :param unmapped: headers of the spreadsheet that nothing reads.
    :param preview: the first ``keep_rows`` outcomes (row, status, answers, problems).
    :param report: the report file written, if any.
    """

    summary: Summary
    headers: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    preview: list[Outcome] = field(default_factory=list)
    report: Path | None = None


class _Rollback(Exception):
    pass


def load_layout(form: Form, mapping: str | Path | None) -> Layout:
    """The 台账's own layout, or the one a mapping file describes."""
    return read_mapping(mapping, form) if mapping else ledger_layout(form)


def known_children(ws: Workspace) -> Known:
    """ID numbers and (name, birth date, village) of every child on file."""
    known = Known()
    for row in ws.iter_children(None, 2000):
        if row.status == "deleted":
            continue
        known.add(row.record_id, row.id_number or "", row.child_name or "",
                  row.birth_date or "", row.village_code or "")
    return known


def import_ledger(
    ws: Workspace,
    path: str | Path,
    *,
    mapping: str | Path | None = None,
    valid_only: bool = False,
    dry_run: bool = False,
    report: str | Path | None = None,
    form_path: str | Path | None = None,
    progress: Progress | None = None,
    cancel: Cancelled | None = None,
    limit: int | None = None,
    keep_rows: int = 0,
    today: dt.date | None = None,
    password: str | None = None,
    parallel: bool | None = None,
) -> LedgerImport:
    """Check and import the ledger at ``path`` into ``ws`` (see the module docstring).

    :param limit: stop after this many data rows (the UI's preview); implies no write.
    :param keep_rows: keep the first outcomes in ``preview``.
    :param password: the password of a password-protected .xlsx (LEDIN_026 without it).
    :param parallel: read and check the rows in a second process while this one writes
        them (the same outcomes, in the same order); None: when the file has
        ``PARALLEL_AT`` rows or more and a core is free (``_second_process``; never with
        ``limit``, nor in the packaged app).
    :returns: the counts and problems; ``summary.written`` says whether anything was
        saved (``refused_error(result)`` is LEDIN_024 when refused rows stopped it).
    :raises SurveyError: CANCELLED (nothing written); LEDIN_020/021/022/023 for the file
        or the mapping; LEDIN_029 when the second process stopped; LEDIN_025/IO errors
        for the report; the store's errors.
    """
    source = Path(path)
    if form_path is None:
        # The form the county sent (its issued version), else the shipped one: the rows
        # become visits of this device like any other, under the form it uses.
        from surveyapp.ops.forms import current_form_path

        form_path = current_form_path(ws)
    form = load_form(form_path)
    labels = FormLabels.from_model(form)
    layout = load_layout(form, mapping)
    # A row outside the workspace's area could never travel up in its batches.
    scope = ws.org_code if ws.role in ("village", "township") else ""
    checker = RowChecker(form, layout, labels, known=known_children(ws), today=today,
                         scope=scope)
    summary = Summary(source.name)
    result = LedgerImport(summary)
    no_write = dry_run or limit is not None
    with open_sheet(source, layout, password) as sheet:
        # counted once the file has passed the reader's checks
        total = (_count_rows(source) if progress is not None
                 or (parallel is None and limit is None) else 0)
        result.headers = {t.header: t.field for _, t in sheet.columns}
        result.unmapped = sheet.unmapped

        def tick(count: int) -> None:
            if count % EVERY == 0:
                if progress is not None:
                    progress(count, max(total, count))
                if cancel is not None and cancel():
                    raise SurveyError(CommonCode.CANCELLED)

        def checked_here() -> Generator[Outcome]:
            for count, (name, number, cells) in enumerate(sheet.located(), 1):
                if limit is not None and count > limit:
                    return
                tick(count)
                yield checker.check(number, cells, name)

        def checked_elsewhere() -> Generator[Outcome]:
            job = _Job(str(source), str(mapping) if mapping else None, str(form_path),
                       password, checker.known, checker.today, scope)
            for count, outcome in enumerate(_checked_in_second_process(job), 1):
                tick(count)
                yield outcome

        second = limit is None and _second_process(parallel, total)
        outcomes = checked_elsewhere() if second else checked_here()

        def revisions() -> Iterator[Revision]:
            for outcome in outcomes:
                summary.add(outcome)
                if len(result.preview) < keep_rows:
                    result.preview.append(outcome)
                if outcome.status != "ok" or no_write:
                    continue
                if summary.refused and not valid_only:
                    continue  # it will be rolled back: stop building revisions
                yield from _visit_revisions(ws, form, outcome, source.name)
                summary.imported += 1
                summary.exits += outcome.exit is not None

        try:
            with ws.conn.bulk() as conn, conn.flat():
                _insert_in_slices(ws, revisions())
                if no_write or (summary.refused and not valid_only) or not summary.imported:
                    raise _Rollback
                ws.audit("import", kind="ledger", file=source.name[:120],
                         rows=summary.rows, imported=summary.imported,
                         refused=summary.refused, duplicates=summary.duplicates)
            summary.written = True
        except _Rollback:
            summary.imported = summary.exits = 0
        finally:
            outcomes.close()  # the second process stops now, whatever stopped the import
    if progress is not None:
        progress(summary.rows, max(total, summary.rows))
    if report is not None:
        result.report = write_report(summary, report)
    return result


def refused_error(result: LedgerImport) -> SurveyError | None:
    """LEDIN_024 when rows were refused and so nothing was written; None otherwise."""
    summary = result.summary
    if summary.refused and not summary.written:
        return SurveyError(LedgerInCode.LEDIN_024, path=summary.file, rows=summary.rows,
                           refused=summary.refused)
    return None


def _visit_revisions(ws: Workspace, form: Form, outcome: Outcome, file: str
                     ) -> Iterator[Revision]:
    """The visit and child revisions of one row (and the exit when the row says 已退出),
    exactly as ``Workspace.save_visit`` / ``record_exit`` would write them, marked with
    where they came from."""
    who, device = ws.user, ws.device_id
    mark: dict[str, object] = {"file": file, "row": outcome.row}
    if outcome.sheet:
        mark["sheet"] = outcome.sheet
    if outcome.filled:
        mark["filled"] = list(outcome.filled)
    child_id = _uuid()
    visit = Revision.make(
        kind="visit", record_id=_uuid(), form_id=form.form_id,
        form_version=str(form.version), author=who, device_id=device,
        data={"child_id": child_id, "household_id": "", "answers": dict(outcome.answers),
              "imported_from": mark},
    )
    data = dict(outcome.answers)
    data.update(status="active", visit=visit.id, household_id="", imported_from=mark)
    child = Revision.make(
        kind="child", record_id=child_id, form_id=form.form_id,
        form_version=str(form.version), author=who, device_id=device,
        created_at=visit.created_at, data=data,
    )
    yield visit
    yield child
    if outcome.exit is not None:
        yield Revision.make(
            kind="child", record_id=child_id, parents=(child.id,), form_id=form.form_id,
            form_version=str(form.version), author=who, device_id=device,
            data={**data, "status": "exited", "exit_reason": outcome.exit.reason,
                  "exit_date": outcome.exit.date, "exit_note": ""},
        )


@dataclass(frozen=True)
class _Job:
    """What the second process needs to check the rows as this one would."""

    path: str
    mapping: str | None
    form_path: str
    password: str | None
    known: Known
    today: dt.date
    scope: str


def _second_process(parallel: bool | None, total: int) -> bool:
    """Whether the rows are checked in a second process: asked, or a large file and a
    core to spare (the load average of the last minute leaves one free: with none, the
    two processes would take turns on one core and lose the time they exchange rows in).
    Never in a frozen (packaged) app, which would start itself again as the child."""
    if parallel is not None:
        return parallel
    return total >= PARALLEL_AT and core_free(1.5)


def _checked_in_second_process(job: _Job) -> Iterator[Outcome]:
    """The outcomes of every row, in order, as ``check_rows`` sends them from a second
    Python process; that process is stopped when the caller stops early (cancel, an
    error).

    A plain child interpreter (not ``multiprocessing``, whose spawn would run the
    caller's main script again), given the same ``surveyapp`` as this one, the job on
    its stdin and sending pickled messages on its stdout.
    """
    import pickle
    import subprocess

    import surveyapp

    env = dict(os.environ)
    root = str(Path(surveyapp.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", "from surveyapp.ops.ledgerin import check_rows; "
             "check_rows()"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
            creationflags=flags)
    except OSError as err:
        raise SurveyError(LedgerInCode.LEDIN_029, path=job.path,
                          reason=err.strerror or str(err)) from err
    stdin, stdout = process.stdin, process.stdout
    assert stdin is not None and stdout is not None  # noqa: S101 - PIPE above
    try:
        with stdin:
            pickle.dump(job, stdin)
        while True:
            try:
                kind, payload = pickle.load(stdout)  # noqa: S301 - our own child's
            except (EOFError, OSError, pickle.UnpicklingError):
                process.wait(5)
                raise SurveyError(LedgerInCode.LEDIN_029, path=job.path,
                                  reason=f"exit code {process.returncode}") from None
            if kind == "rows":
                yield from payload
            elif kind == "done":
                return
            elif kind == "error":
                code, context = payload
                raise SurveyError(code, **context)
            else:
                raise SurveyError(LedgerInCode.LEDIN_029, path=job.path, reason=str(payload))
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        stdout.close()


def check_rows() -> None:
    """The second process of an import: read the job (pickled) from stdin, check every
    row of ``job.path`` and write the outcomes to stdout, ``BATCH`` at a time, then
    ``("done", None)``; a coded error as ``("error", (code, context))``, anything else
    as ``("failed", text)``. Whatever else would print goes to stderr."""
    import pickle

    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not break the stream
    try:
        job = pickle.load(sys.stdin.buffer)  # noqa: S301 - from the importing process
        form = load_form(job.form_path)
        layout = load_layout(form, job.mapping)
        checker = RowChecker(form, layout, FormLabels.from_model(form), known=job.known,
                             today=job.today, scope=job.scope)
        batch: list[Outcome] = []
        with open_sheet(Path(job.path), layout, job.password) as sheet:
            for name, number, cells in sheet.located():
                batch.append(checker.check(number, cells, name))
                if len(batch) >= BATCH:
                    pickle.dump(("rows", batch), out, pickle.HIGHEST_PROTOCOL)
                    out.flush()
                    batch = []
        pickle.dump(("rows", batch), out, pickle.HIGHEST_PROTOCOL)
        pickle.dump(("done", None), out)
    except SurveyError as err:
        pickle.dump(("error", (err.code, err.context)), out)
    except Exception as err:  # reported to the importing process as LEDIN_029
        pickle.dump(("failed", f"{type(err).__name__}: {err}"[:300]), out)
    finally:
        with contextlib.suppress(OSError):
            out.close()


def _insert_in_slices(ws: Workspace, revs: Iterator[Revision]) -> None:
    """``ws.insert_revisions`` a ``SLICE`` at a time, inside the caller's transaction
    (``flat``: no savepoint per slice): the store keeps a set of the records each call
    touched, which over 100,000 rows would be tens of MB."""
    while (first := next(revs, None)) is not None:
        ws.insert_revisions(itertools.chain((first,), itertools.islice(revs, SLICE - 1)))


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def _count_rows(path: Path) -> int:
    """The number of rows (for the progress bar): the .xlsx sheets' dimensions, or a
    count of the CSV's lines."""
    if path.suffix.lower() != ".xlsx" and path.suffix.lower() != ".xlsm":
        try:
            with path.open("rb") as handle:
                return sum(1 for _ in handle)
        except OSError:
            return 0
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        try:  # every sheet: the 台账 has one per township
            return sum(int(sheet.max_row or 0) for sheet in book.worksheets)
        finally:
            book.close()
    except Exception:  # the import itself reports an unreadable file
        return 0


def write_template(path: str | Path, *, source: str | Path | None = None,
                   form_path: str | Path = FORM_PATH, overwrite: bool = False,
                   password: str | None = None) -> Path:
    """Write a mapping file to edit: the headers of ``source`` (see
    ``core.ledgerin.reader.header_texts``) or of the 台账.

    :raises SurveyError: LEDGER_001-like IO_003 when the file exists; the reader's errors.
    """
    form = load_form(form_path)
    headers = header_texts(source, password) if source is not None else None
    target = Path(path)
    if target.exists() and not overwrite:
        raise SurveyError(CommonCode.IO_003, path=str(target), reason="file exists")
    try:
        target.write_text(json.dumps(template(form, headers), ensure_ascii=False, indent=1),
                          encoding="utf-8")
    except OSError as err:
        raise SurveyError(CommonCode.IO_003, path=str(target),
                          reason=err.strerror or str(err)) from err
    return target
