"""Ledger, statistics and department-list operations for the UI and the CLI.

Rows come from a workspace (the store's current view of children, read in pages so that
memory stays flat) or, for scripting and tests, from a JSON-lines file of child rows.

- ``open_workspace_rows(path, user, password, query=None)``: a context manager yielding
  ``(rows, WorkspaceInfo(org_name, org_code, role, total))``; rows stream from the store
  in pages of ``PAGE`` children (``iter_workspace_rows(ws, query=None)`` for an open
  workspace); ``iter_workspace_visits(ws)``; ``workspace_stats(ws) -> Stats``.
- ``read_rows_jsonl(path) -> Iterator[dict]``: child rows, one JSON object a line.
- ``load_labels(form_path=FORM_PATH, lang="zh") -> FormLabels``;
  ``workspace_labels(ws, lang="zh")``: those of the form the workspace uses.
- ``export_ledger_file(rows, path, *, county_name, query=None, fmt="xlsx", mask=False,
  password=None, overwrite=False, total=0, progress=None, cancel=None, labels=None)
  -> ExportResult``.
- ``export_department_file(rows, path, preset, *, county_name, role, reveal=False, ...)
  -> ExportResult``.
- ``compute_county_stats(rows, *, county_name, labels=None) -> Stats`` and
  ``export_stats_file(rows, path, *, county_name, overwrite=False, labels=None)
  -> StatsResult``.
- ``as_of_rows(rows, as_of=None, form=None)``: age and the age-bound categories of each
  row re-evaluated as of a date with the form's rules (``core.forms.asof``). Every export
  and count above does this first: ``as_of`` is the report's date (today by default),
  ``form`` the workspace's form (default: the shipped one).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from surveyapp.core.forms import Form
from surveyapp.core.forms.asof import AsOf
from surveyapp.core.ledger import (
    ChildQuery,
    ExportResult,
    FormLabels,
    export_department,
    export_ledger,
)
from surveyapp.core.ledger.codes import LedgerCode
from surveyapp.core.ledger.ledger import Format
from surveyapp.core.ledger.order import village_runs_sorted
from surveyapp.core.stats import Stats, compute_stats
from surveyapp.core.stats.xlsx import export_stats_xlsx
from surveyapp.core.store import ChildFilter, Workspace
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops import audit as audit_ops
from surveyapp.paths import FORM_PATH

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Row = Mapping[str, Any]
PAGE = 1000


@dataclass(frozen=True, slots=True)
class StatsResult:
    """What a statistics export wrote: the file and the counts behind it."""

    path: Path
    stats: Stats


@dataclass(frozen=True, slots=True)
class WorkspaceInfo:
    """Who is exporting: the workspace's organisation, role and number of children."""

    org_name: str
    org_code: str
    role: str
    total: int


def child_row(view: Any) -> dict[str, Any]:
    """A flat child row (answers + metadata) from one row of the store's current view.

    The answers of the head revision (``data``) come first; the view's own columns
    (codes, status, dates) override them.
    """
    if dataclasses.is_dataclass(view) and not isinstance(view, type):
        # Shallow on purpose: ``asdict`` would deep-copy every answer of every child.
        fields = {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}
    elif isinstance(view, Mapping):
        fields = dict(view)
    else:
        fields = dict(vars(view))
    data = fields.pop("data", None) or fields.pop("answers", None) or {}
    row = dict(data) if isinstance(data, Mapping) else {}
    row.update({k: v for k, v in fields.items() if v is not None and v != ""})
    return row


def iter_workspace_rows(
    workspace: Workspace, query: ChildQuery | None = None, page: int = PAGE, *,
    ordered: bool = False,
) -> Iterator[dict[str, Any]]:
    """The children of ``workspace`` (exited ones too, never deleted ones) as flat rows,
    page by page, one row per person: a file that a link or moved decision absorbed into
    another child's file is left out (``core/store/persons.py``). The query's township or
    village is applied in the store.

    :param workspace: an open workspace.
    :param query: only its scope is pushed down; the ledger applies the other filters.
    :param page: rows fetched per query.
    :param ordered: in print order (``core.ledger.order``): the urgent children first,
        then the others, each by village and the pinyin of the name (two passes over the
        store; memory holds one village at a time).
    """
    if not ordered:
        yield from _rows(workspace, store_filter(query), page)
        return
    for urgent in (True, False):
        flt = dataclasses.replace(store_filter(query), urgent=urgent)
        yield from village_runs_sorted(_rows(workspace, flt, page))


def _rows(workspace: Workspace, flt: ChildFilter, page: int) -> Iterator[dict[str, Any]]:
    for view in workspace.iter_children(flt, page):
        if view.status != "deleted":
            yield child_row(view)


def iter_workspace_visits(workspace: Workspace) -> Iterator[dict[str, Any]]:
    """Every visit's submission with its child's ``record_id``, for the trend by round; the
    visits of a file absorbed into another child's file carry that person's id."""
    person = {f.record_id: f.person_id for f in workspace.absorbed_files()}
    for _, rev in workspace.iter_revisions():
        if rev.kind == "visit":
            answers = rev.data.get("answers") or {}
            child = str(rev.data.get("child_id", ""))
            yield {**answers, "record_id": person.get(child, child)}


def store_filter(query: ChildQuery | None) -> ChildFilter:
    """The store filter for a query's scope (exited children included, one row per
    person)."""
    query = query or ChildQuery()
    return ChildFilter(include_exited=True, township_code=query.township_code,
                       village_code=query.village_code, persons=True)


@contextmanager
def open_workspace_rows(
    path: str | Path, user: str, password: str, query: ChildQuery | None = None
) -> Iterator[tuple[Iterator[dict[str, Any]], WorkspaceInfo]]:
    """Open a workspace and stream its child rows; the workspace closes afterwards.

    :param query: its scope (township, village) is applied in the store.
    :raises SurveyError: the store's errors (wrong password, missing file...).
    """
    with Workspace.open(path, user, password) as workspace:
        info = WorkspaceInfo(
            org_name=workspace.org_name, org_code=workspace.org_code, role=workspace.role,
            total=workspace.count_children(store_filter(query)),
        )
        yield iter_workspace_rows(workspace, query), info


def workspace_stats(workspace: Workspace, *, labels: FormLabels | None = None,
                    as_of: dt.date | None = None) -> Stats:
    """The statistics of an open workspace as of a date (today by default), with its own
    form's rules (the trend counted from every visit, as at each visit), with the number
    of possible duplicates nobody has reviewed yet."""
    from surveyapp.ops.forms import current_form

    form = current_form(workspace)
    stats = compute_stats(
        as_of_rows(iter_workspace_rows(workspace), as_of, form),
        labels=labels or FormLabels.from_model(form),
        county_name=workspace.org_name, visits=iter_workspace_visits(workspace),
    )
    return dataclasses.replace(stats, possible_duplicates=possible_duplicates(workspace))


def possible_duplicates(workspace: Workspace) -> int:
    """How many possible duplicate pairs are not yet reviewed (``surveyapp review
    duplicates`` lists them): where entries and persons may still differ."""
    from surveyapp.ops.review import duplicate_candidates

    return len(duplicate_candidates(workspace))


def as_of_rows(rows: Iterable[Row], as_of: dt.date | None = None,
               form: Form | None = None) -> Iterator[dict[str, Any]]:
    """``rows`` with age and the age-bound categories as of ``as_of`` (default: today),
    by the rules of ``form`` (default: the shipped form), lazily. A question ``form``
    renamed (``previous_name``) is also given under its earlier names, so that the
    fixed columns of the 台账 and the department lists follow it."""
    from surveyapp.core.forms.carry import renames
    from surveyapp.ops.forms import load_cached

    form = form or load_cached(FORM_PATH)
    rules = AsOf(form, as_of or dt.date.today())
    moved = renames(form)
    if not moved:
        return rules.rows(rows)

    def aliased() -> Iterator[dict[str, Any]]:
        for row in rules.rows(rows):
            for old, new in moved.items():
                if row.get(old) in (None, "") and new in row:
                    row[old] = row[new]
            yield row

    return aliased()


def _labels_of(form: Form | None) -> FormLabels:
    return FormLabels.from_model(form) if form is not None else load_labels()


def with_row_versions(labels: FormLabels, workspace: Workspace | None) -> FormLabels:
    """``labels`` (the current form's: one wording per column), and for a value they do
    not know (a choice or question a later version removed) the labels of the form version
    that saved the row, when ``workspace`` holds it (``ops.forms.FormResolver``; the head
    versions read once, at the first such value)."""
    if workspace is None or labels.older is not None:
        return labels
    from surveyapp.ops.forms import FormResolver

    forms = FormResolver(workspace)
    loaded: list[bool] = []

    def older(row: Mapping[str, Any]) -> FormLabels | None:
        if not loaded:
            forms.load_heads()
            loaded.append(True)
        found = forms.for_record(str(row.get("record_id", "")))
        return None if found.fallback else forms.labels_of(found, labels.lang)

    return dataclasses.replace(labels, older=older)


def workspace_labels(workspace: Workspace, lang: str = "zh") -> FormLabels:
    """The choice labels of the form ``workspace`` uses (the county's, else the shipped
    one).

    :raises SurveyError: the form's first error when it cannot be read.
    """
    from surveyapp.ops.forms import current_form

    return FormLabels.from_model(current_form(workspace), lang)


def load_labels(form_path: str | Path = FORM_PATH, lang: str = "zh") -> FormLabels:
    """The choice labels of the screening form.

    :raises SurveyError: LEDGER_007 when the form cannot be read.
    """
    return FormLabels.from_form(form_path, lang)


def read_rows_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Child rows from a JSON-lines file, lazily.

    :raises SurveyError: IO_002 when the file is missing, INPUT_001 for a bad line.
    """
    source = Path(path)
    try:
        handle = source.open("rb")  # json.loads decodes each line, so bad UTF-8 is caught
    except FileNotFoundError as err:
        raise SurveyError(CommonCode.IO_002, path=str(source)) from err
    except OSError as err:
        raise SurveyError(CommonCode.IO_004, path=str(source),
                          reason=err.strerror or str(err)) from err
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except RecursionError as err:
                raise SurveyError(CommonCode.INPUT_001, path=f"{source}:{number}",
                                  reason="nested too deeply") from err
            except ValueError as err:  # bad JSON or UTF-8, an integer over 4300 digits
                reason = err.msg if isinstance(err, json.JSONDecodeError) else str(err)[:200]
                raise SurveyError(CommonCode.INPUT_001, path=f"{source}:{number}",
                                  reason=reason) from err
            if not isinstance(row, dict):
                raise SurveyError(CommonCode.INPUT_001, path=f"{source}:{number}",
                                  reason="not an object")
            yield row


def export_ledger_file(
    rows: Iterable[Row],
    path: str | Path,
    *,
    county_name: str,
    query: ChildQuery | None = None,
    fmt: Format = "xlsx",
    mask: bool = False,
    password: str | None = None,
    overwrite: bool = False,
    total: int = 0,
    progress: Progress | None = None,
    cancel: Cancelled | None = None,
    labels: FormLabels | None = None,
    as_of: dt.date | None = None,
    form: Form | None = None,
    audit: Workspace | None = None,
) -> ExportResult:
    """Write the county ledger of ``rows`` as of ``as_of`` (see :func:`as_of_rows`); see
    ``surveyapp.core.ledger.export_ledger``.

    :param audit: the workspace the rows come from: the export is written to its audit
        log (which list, scope, how many children, masked, the file name), and a value
        the current form no longer knows is labelled by the version that saved the row
        (:func:`with_row_versions`).
    :raises SurveyError: as ``export_ledger``.
    """
    result = export_ledger(
        as_of_rows(rows, as_of, form), path,
        labels=with_row_versions(labels or _labels_of(form), audit),
        county_name=county_name, query=query,
        fmt=fmt, mask=mask, password=password, overwrite=overwrite, total=total,
        progress=progress, cancel=cancel,
    )
    if audit is not None:
        audit_ops.record_export(audit, "ledger", path=result.path, rows=result.rows,
                                masked=result.masked, scope=audit_ops.scope_of(query))
    return result


def export_department_file(
    rows: Iterable[Row],
    path: str | Path,
    preset: str,
    *,
    county_name: str,
    role: str,
    reveal: bool = False,
    query: ChildQuery | None = None,
    fmt: Format = "xlsx",
    password: str | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancel: Cancelled | None = None,
    labels: FormLabels | None = None,
    as_of: dt.date | None = None,
    form: Form | None = None,
    audit: Workspace | None = None,
) -> ExportResult:
    """Write one department's list as of ``as_of`` (see :func:`as_of_rows`); see
    ``surveyapp.core.ledger.export_department``.

    :param audit: as :func:`export_ledger_file` (audit log, row versions); a refused
        reveal is audited too.
    :raises SurveyError: as ``export_department``.
    """
    try:
        result = export_department(
            as_of_rows(rows, as_of, form), path, preset,
            labels=with_row_versions(labels or _labels_of(form), audit),
            county_name=county_name,
            role=role, reveal=reveal, query=query, fmt=fmt, password=password,
            overwrite=overwrite, progress=progress, cancel=cancel,
        )
    except SurveyError as err:
        if audit is not None and err.code is LedgerCode.LEDGER_003:
            audit_ops.record_refused(audit, "reveal", err.code.name, list=preset, role=role,
                                     scope=audit_ops.scope_of(query))
        raise
    if audit is not None:
        audit_ops.record_export(audit, "department", path=result.path, rows=result.rows,
                                masked=result.masked, revealed=reveal, preset=preset,
                                scope=audit_ops.scope_of(query))
    return result


def compute_county_stats(
    rows: Iterable[Row], *, county_name: str, labels: FormLabels | None = None,
    visits: Iterable[Row] | None = None, as_of: dt.date | None = None,
    form: Form | None = None,
) -> Stats:
    """Count ``rows`` as of ``as_of`` (see :func:`as_of_rows`) into the statistics tables
    (for the dashboard and the export)."""
    return compute_stats(as_of_rows(rows, as_of, form), labels=labels or _labels_of(form),
                         county_name=county_name, visits=visits)


def export_stats_file(
    rows: Iterable[Row],
    path: str | Path,
    *,
    county_name: str,
    overwrite: bool = False,
    labels: FormLabels | None = None,
    visits: Iterable[Row] | None = None,
    as_of: dt.date | None = None,
    form: Form | None = None,
    possible_duplicates: int = 0,
    audit: Workspace | None = None,
) -> StatsResult:
    """Count ``rows`` as of ``as_of`` and write the statistics workbook with charts.

    :param possible_duplicates: undecided possible duplicate pairs (the summary sheet says
        so when there are any; :func:`possible_duplicates`).
    :raises SurveyError: LEDGER_001 when the file exists; IO errors.
    """
    stats = compute_county_stats(rows, county_name=county_name, labels=labels,
                                 visits=visits, as_of=as_of, form=form)
    stats = dataclasses.replace(stats, possible_duplicates=possible_duplicates)
    result = StatsResult(path=export_stats_xlsx(stats, path, overwrite=overwrite), stats=stats)
    if audit is not None:
        audit_ops.record_export(audit, "stats", path=result.path, rows=stats.children,
                                masked=True)
    return result


def export_all_fields_file(
    workspace: Workspace,
    path: str | Path,
    *,
    query: ChildQuery | None = None,
    fmt: Format = "xlsx",
    password: str | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancel: Cancelled | None = None,
) -> ExportResult:
    """The full export of an open workspace: every question of every form version it has
    seen, by name, values as saved (see ``surveyapp.core.ledger.allfields``).

    :raises SurveyError: as ``export_ledger``.
    """
    from surveyapp.core.ledger.allfields import (
        VERSION_KEY,
        all_field_columns,
        all_field_rows,
        label_of,
    )
    from surveyapp.core.ledger.ledger import Table, export_table
    from surveyapp.core.trust import forms as trust_forms
    from surveyapp.ops.forms import current_form, version_form

    current = current_form(workspace)
    versions: set[str] = set(trust_forms.kept_versions(workspace))
    names: dict[str, None] = {}
    heads: dict[str, str] = {}
    for view in workspace.iter_children(store_filter(query), PAGE):
        if view.status == "deleted":
            continue
        head = workspace.get_revision(view.head_rev)
        label = f"{head.form_id}@{head.form_version}" if head is not None else ""
        heads[view.record_id] = label
        versions.add(label)
        for name, value in view.data.items():
            names.setdefault(name)
            if name == "previous_answers" and isinstance(value, Mapping):
                for old, entry in value.items():
                    names.setdefault(old)
                    if isinstance(entry, Mapping):
                        versions.add(f"{entry.get('form_id')}@{entry.get('form_version')}")
    forms = {label_of(current): current}
    for label in versions:
        form_id, _, version = label.partition("@")
        found = version_form(workspace, form_id, version) if version else None
        if found is not None:
            forms.setdefault(label, found)
    older = sorted((f for lab, f in forms.items() if lab != label_of(current)),
                   key=lambda f: trust_forms.version_key(str(f.version)), reverse=True)
    columns = all_field_columns([current, *older], names)

    wanted = query or ChildQuery()

    def rows() -> Iterator[dict[str, Any]]:
        for row in iter_workspace_rows(workspace, query):
            if wanted.matches(row):
                row[VERSION_KEY] = heads.get(str(row.get("record_id")), "")
                yield row

    table = Table("全部字段", f"{workspace.org_name}儿童档案（全部字段，各版本表单）",
                  columns, ChildQuery(), paper=8)
    return export_table(
        all_field_rows(rows(), forms, current, columns), path, table,
        labels=FormLabels.from_model(current), county_name=workspace.org_name, fmt=fmt,
        password=password, overwrite=overwrite, total=len(heads), progress=progress,
        cancel=cancel,
    )
