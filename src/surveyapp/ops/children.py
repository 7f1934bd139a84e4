"""The child files (一人一档) for scripts: list and search, one child's file with its
history, a visit saved from an answers file through the form, and an exit from the list.

The desktop app does the same through its list, child file and form view; both go through
the workspace, so every save is a revision with an audit entry.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from surveyapp.core.forms import load_form
from surveyapp.core.forms.session import FormSession
from surveyapp.core.store import Workspace
from surveyapp.core.store.models import HistoryEntry
from surveyapp.core.store.views import ChildFilter, ChildRow
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops.codes import ChildCode, ReviewCode
from surveyapp.paths import FORM_PATH

PAGE = 500


def iter_children(ws: Workspace, flt: ChildFilter | None, limit: int | None = None
                  ) -> Iterator[ChildRow]:
    """The children matching ``flt`` in list order, page by page (memory stays flat)."""
    return itertools.islice(ws.iter_children(flt, PAGE), limit)


@dataclass(frozen=True, slots=True)
class ChildFile:
    row: ChildRow
    history: tuple[HistoryEntry, ...]


def child_file(ws: Workspace, record_id: str) -> ChildFile:
    """One child's current answers and every revision of the file, newest first.

    :raises SurveyError: REVIEW_003 when no such child is on file.
    """
    row = ws.get_child(record_id)
    if row is None:
        raise SurveyError(ReviewCode.REVIEW_003, record=record_id)
    return ChildFile(row, tuple(ws.child_history(record_id)))


def read_answers(path: str | Path) -> dict[str, Any]:
    """An answers file: one JSON object, UTF-8.

    :raises SurveyError: IO_002/IO_004 unreadable, INPUT_001 not JSON, CHILD_002 not an object.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise SurveyError(CommonCode.IO_002, path=str(path)) from err
    except OSError as err:
        raise SurveyError(CommonCode.IO_004, path=str(path), reason=err.strerror) from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SurveyError(CommonCode.INPUT_001, path=str(path),
                          reason="not UTF-8 JSON") from err
    if not isinstance(data, dict):
        raise SurveyError(ChildCode.CHILD_002, path=str(path))
    return data


def same_id_on_file(ws: Workspace, id_number: Any, *, other_than: str | None = None
                    ) -> list[ChildRow]:
    """The child files here that already carry this ID number (exited and absorbed files
    too), so that a new entry can be a follow-up visit instead of a second file."""
    idn = str(id_number or "").strip().upper()
    if not idn:
        return []
    flt = ChildFilter(search=idn, include_exited=True)
    return [r for r in ws.iter_children(flt, PAGE)
            if r.id_number == idn and r.record_id != other_than and r.status != "deleted"]


def save_visit(ws: Workspace, answers: dict[str, Any], *, child_id: str | None = None,
               form_path: str | Path = FORM_PATH, source: str = "answers",
               lang: str = "zh", today: dt.date | None = None,
               new_anyway: bool = False) -> str:
    """Fill the form with ``answers`` (a follow-up starts from the child's last answers),
    and save the visit only when the form has no error, exactly as Finalize does.

    :param new_anyway: save a new child even when a file with the same ID number is on
        file (the reviewer will see them as possible duplicates).
    :returns: the child's record id.
    :raises SurveyError: CHILD_001 listing the questions that need attention (nothing is
        saved); CHILD_003 a new child whose ID number is already on file (nothing is saved);
        REVIEW_003 for an unknown child; the form's errors for a broken form.
    """
    form = load_form(form_path)
    start: dict[str, Any] = {}
    if child_id is not None:
        start = {k: v for k, v in child_file(ws, child_id).row.data.items()
                 if k in form.nodes}
    start.update({k: v for k, v in answers.items() if k in form.nodes})
    session = FormSession(form, start, today=today, lang=lang)
    errors = session.errors(lang)
    if errors:
        first = "; ".join(f"{k}: {v}" for k, v in list(errors.items())[:3])
        raise SurveyError(ChildCode.CHILD_001, path=source, count=len(errors), first=first)
    if child_id is None and not new_anyway:
        found = same_id_on_file(ws, session.value("id_number") if "id_number" in form.nodes
                                else answers.get("id_number"))
        if found:
            row = found[0]
            raise SurveyError(ChildCode.CHILD_003, id_number=row.id_number,
                              name=row.child_name, village=row.village_code,
                              record=row.record_id)
    result = ws.save_visit(child_id, session.submission(), form_id=form.form_id,
                           form_version=form.version)
    return result.child_id


def record_exit(ws: Workspace, child_id: str, reason: str, date: str, note: str = "") -> str:
    """Take a child off the active list with its reason (the file stays).

    :raises SurveyError: STORE_015 unknown reason; STORE_012 unknown child.
    """
    return ws.record_exit(child_id, reason=reason, date=date, note=note)


def retention_days(ws: Workspace, days: int | None = None) -> int:
    """The retention period of exited children's files, in days; the county sets it
    (audited), the other tiers read it.

    :raises SurveyError: AUDIT_007 set outside the county; AUDIT_008 out of 30–3650.
    """
    from surveyapp.core.store import retention
    from surveyapp.ops.codes import AuditCode

    if days is None:
        return retention.days(ws.conn)
    if ws.role != "county":
        raise SurveyError(AuditCode.AUDIT_007, role=ws.role)
    if not 30 <= days <= 3650:
        raise SurveyError(AuditCode.AUDIT_008, days=days)
    with ws.conn.atomic():
        ws.set_meta(retention.META_KEY, str(days))
        ws.audit("review", what="retention", days=days)
    return days


def anonymise_due(ws: Workspace, *, dry_run: bool = False,
                  today: dt.date | None = None) -> list[dict[str, str]]:
    """Anonymise the exited children kept longer than the retention period (each audited);
    ``dry_run`` lists them. Returns ``[{record_id, exit_date}]``."""
    found = ws.anonymise_due(today or dt.date.today(), dry_run=dry_run)
    return [{"record_id": d.record_id, "exit_date": d.exit_date} for d in found]
