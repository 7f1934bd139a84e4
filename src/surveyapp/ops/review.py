"""Township and county review: merge planning, conflicts, possible duplicates, returns.

Every decision a person takes here is a revision (so it travels up and down in batches like
any other) plus an audit entry. Nothing is merged or dropped without a decision.

- :func:`plan_import` — the dry-run: what importing these revisions would add, skip,
  update or put in conflict (pure planning over the store's current graph).
- :func:`conflicts`, :func:`field_diff`, :func:`resolve` — the side-by-side view of a
  conflict's heads and its resolution as a merge revision with every head as parent
  (take one version, or pick field by field).
- :func:`duplicate_candidates`, :func:`decide_duplicate` — possible duplicates with their
  evidence, and the reviewer's decision (link / separate / moved) as a ``link`` revision;
  link and moved make the two files one person (a survivor, answers kept field by field),
  :func:`person_files` and :func:`moves` show it.
- :func:`return_to_village`, :func:`returned_children` — send a record back with a comment;
  the comment rides on a new child revision and shows on the child and in the village's
  "returned" list until the village saves a new visit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from surveyapp.core.forms import load_form
from surveyapp.core.forms.model import Form
from surveyapp.core.forms.session import FormSession
from surveyapp.core.merge.duplicates import Candidate, ChildKey, find_candidates
from surveyapp.core.merge.graph import RevisionRef
from surveyapp.core.merge.plan import MergePlan, plan
from surveyapp.core.store import Workspace
from surveyapp.core.store.revisions import Revision, utc_now
from surveyapp.core.store.views import ChildFilter, ChildRow
from surveyapp.errors import SurveyError
from surveyapp.ops.codes import ReviewCode
from surveyapp.paths import FORM_PATH

DECISIONS = ("link", "separate", "moved")
REVIEW_FIELDS = ("review_status", "review_comment", "review_by", "review_org", "review_at")
# Keys of a child revision that describe the record rather than an answer; left out of diffs.
_META_KEYS = frozenset({"status", "updated_at", *REVIEW_FIELDS})


def ref(rev: Revision) -> RevisionRef:
    return RevisionRef(rev.id, rev.record_id, tuple(rev.parents), rev.created_at)


def plan_import(ws: Workspace, incoming: Iterable[Revision]) -> MergePlan:
    """Plan the union of ``incoming`` with the workspace (nothing is written)."""

    def lookup(record_ids: set[str]) -> Mapping[str, Sequence[RevisionRef]]:
        stored = ws.revisions_of(sorted(record_ids))
        return {rid: [ref(r) for r in revs] for rid, revs in stored.items()}

    return plan((ref(r) for r in incoming), lookup)


# ---- conflicts ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldDiff:
    name: str
    values: tuple[Any, ...]  # one per head, in the order of Conflict.heads


@dataclass(frozen=True, slots=True)
class Conflict:
    record_id: str
    child_name: str
    village_code: str
    heads: tuple[Revision, ...]  # the deterministic pick first
    diff: tuple[FieldDiff, ...]


def field_diff(datas: Sequence[Mapping[str, Any]]) -> tuple[FieldDiff, ...]:
    """The fields whose values differ between the versions, in a stable order."""
    names = sorted({k for d in datas for k in d} - _META_KEYS)
    out = []
    for name in names:
        values = tuple(d.get(name, "") for d in datas)
        if len({repr(v) for v in values}) > 1:
            out.append(FieldDiff(name, values))
    return tuple(out)


def conflicts(ws: Workspace) -> list[Conflict]:
    """Every child record with several heads, with a field-level diff of its heads."""
    flt = ChildFilter(conflict=True, include_exited=True)
    rows = ws.query_children(flt, 0, max(ws.count_children(flt), 1))
    out = []
    for row in rows:
        heads = tuple(ws.heads(row.record_id))
        if len(heads) > 1:
            diff = field_diff([h.data for h in heads])
            out.append(Conflict(row.record_id, row.child_name, row.village_code, heads, diff))
    return out


def _form_of(ws: Workspace, rev: Revision) -> Form | None:
    """The form version that saved ``rev`` when this workspace keeps it, else the form the
    workspace uses, else the shipped one (``ops.forms.revision_form``; None when none can
    be read)."""
    from surveyapp.ops.forms import revision_form

    try:
        return revision_form(ws, rev.form_id, str(rev.form_version)).form
    except SurveyError:
        return None


def _recomputed(data: dict[str, Any], form_id: str, form: Form | None) -> dict[str, Any]:
    """Field-by-field merged answers with the form's calculates (category, risk, derived
    flags) computed again, so that a merge never mixes one version's answers with another's
    conclusions. Keys that are not form questions (record status, review fields) are kept.
    Answers of another form (or when the form cannot be read) are returned unchanged.
    """
    if form is None:
        try:
            form = load_form(FORM_PATH)
        except SurveyError:
            return data
    if form.form_id != form_id:
        return data
    try:
        today = dt.date.fromisoformat(str(data.get("survey_date", "")))
    except ValueError:
        today = None
    answers = {k: v for k, v in data.items() if k in form.nodes}
    out = {k: v for k, v in data.items() if k not in form.nodes}
    out.update(FormSession(form, answers, today=today).submission())
    return out


def resolve(
    ws: Workspace, record_id: str, *, take: str | None = None,
    fields: Mapping[str, str] | None = None, form: Form | None = None,
) -> str:
    """Resolve a conflict into one merge revision whose parents are every current head.

    :param take: the head revision id whose data wins as a whole; or
    :param fields: per differing field, the head revision id whose value to keep (fields not
        named come from the deterministic pick); the form's calculates are then computed
        again from the merged answers.
    :param form: the form the answers belong to (default: the version that saved them,
        when kept here, else the workspace's form).
    :returns: the merge revision id.
    :raises SurveyError: REVIEW_001 when the record has no conflict or a named revision is
        not one of its heads.
    """
    heads = {h.id: h for h in ws.heads(record_id)}
    if len(heads) < 2:
        raise SurveyError(ReviewCode.REVIEW_001, record=record_id)
    chosen = [take] if take else list((fields or {}).values())
    if any(c not in heads for c in chosen):
        raise SurveyError(ReviewCode.REVIEW_001, record=record_id)
    pick = next(iter(heads.values()))  # ws.heads lists the deterministic pick first
    data = dict(heads[take].data if take else pick.data)
    for name, rev_id in (fields or {}).items():
        value = heads[rev_id].data.get(name)
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    if fields:
        data = _recomputed(data, pick.form_id, form or _form_of(ws, pick))
    return ws.resolve_conflict(record_id, data)


# ---- duplicates ---------------------------------------------------------------------------


def _key(row: ChildRow) -> ChildKey:
    d = row.data
    guardian = str(d.get("mother_name") or d.get("father_name") or d.get("carer_name") or "")
    return ChildKey(row.record_id, row.child_name, row.name_pinyin, row.birth_date,
                    row.id_number, guardian, row.village_code)


def pair_id(a: str, b: str) -> str:
    """The record id of the decision about a pair: the same on every tier."""
    lo, hi = sorted((a, b))
    return "pair-" + hashlib.sha256(f"{lo}\n{hi}".encode()).hexdigest()[:32]


def decided_pairs(ws: Workspace) -> dict[frozenset[str], str]:
    """Pairs a person has decided, with the current decision (the pair's picked head)."""
    return {pair: d.decision for pair, d in ws.pair_decisions().items()}


def duplicate_candidates(ws: Workspace) -> list[Candidate]:
    """Possible duplicates among the children on file that nobody has decided yet.

    Files a decision already absorbed into another child's file are left out: a new
    entry is compared with the surviving file, which carries the person's facts.
    """
    rows = (_key(r) for r in ws.iter_children(ChildFilter(include_exited=True, persons=True),
                                              5000))
    return find_candidates(rows, decided_pairs(ws))


def default_survivor(ws: Workspace, a: str, b: str) -> str:
    """The file that survives a link or a move unless the reviewer says otherwise: the one
    visited last (for a move, the village the child lives in now); ties: the larger id."""
    def when(rid: str) -> tuple[str, str, str]:
        row = ws.get_child(rid)
        return (row.last_visit_date, row.updated_at, rid) if row else ("", "", rid)

    return max((a, b), key=when)


def decide_duplicate(
    ws: Workspace, a: str, b: str, decision: str, note: str = "", *,
    survivor: str | None = None, fields: Mapping[str, str] | None = None,
    moved_on: str | None = None, form: Form | None = None,
) -> str:
    """Record a person's decision about a pair as a ``link`` revision (and audit it).

    ``link`` and ``moved`` make the two files one person (``core/store/persons.py``): the
    other file is absorbed into ``survivor`` and counted no more; both files and every
    revision stay, and each reaches the other. ``separate`` keeps two children.

    :param survivor: the file that stays the person's file (for ``moved``: the file of the
        village the child lives in now); default :func:`default_survivor`.
    :param fields: for ``link``, per field, the record whose value the person keeps (as for
        a conflict); the survivor's answers are the default. When the kept answers differ
        from the survivor's, a child revision of the survivor carries them (its calculates
        computed again), in the same transaction as the decision.
    :param moved_on: for ``moved``, the date of the move (default: the surviving file's last
        visit, else today).
    :param form: the form the answers belong to (default: the version that saved them,
        when kept here, else the workspace's form).
    :returns: the decision's revision id.
    :raises SurveyError: REVIEW_002 for an unknown decision or the same record twice;
        REVIEW_003 for a record not on file; REVIEW_005 for a survivor or a field's record
        that is not one of the two.
    """
    if decision not in DECISIONS or a == b:
        raise SurveyError(ReviewCode.REVIEW_002, decision=decision, allowed="/".join(DECISIONS))
    rows: dict[str, ChildRow] = {}
    for rid in (a, b):
        row = ws.get_child(rid)
        if row is None:
            raise SurveyError(ReviewCode.REVIEW_003, record=rid)
        rows[rid] = row
    keep = survivor or default_survivor(ws, a, b)
    for name, rid in {"survivor": keep, **(fields or {})}.items():
        if rid not in (a, b):
            raise SurveyError(ReviewCode.REVIEW_005, a=a, b=b, field=name, record=rid)
    other = b if keep == a else a
    data: dict[str, Any] = {"records": sorted((a, b)), "decision": decision, "note": note,
                            "org_code": ws.org_code}
    revs: list[Revision] = []
    if decision in ("link", "moved"):
        data["survivor"] = keep
        kept_row, other_row = rows[keep], rows[other]
        if decision == "moved":
            day = moved_on or kept_row.last_visit_date or dt.date.today().isoformat()
            data.update(moved_from=other_row.village_code, moved_to=kept_row.village_code,
                        moved_on=day)
        merged = _kept_answers(ws, keep, other, fields or {}, form)
        if merged is not None:
            revs.append(merged)
            data["merged"] = merged.id
    rid = pair_id(a, b)
    parents = [h.id for h in ws.heads(rid)]
    rev = Revision.make(
        kind="link", record_id=rid, parents=parents, author=ws.user, device_id=ws.device_id,
        data=data,
    )
    ws.insert_revisions([*revs, rev])
    ws.audit("review", decision=f"duplicate_{decision}", revision=rev.id)
    return rev.id


def _kept_answers(ws: Workspace, keep: str, other: str, fields: Mapping[str, str],
                  form: Form | None) -> Revision | None:
    """The survivor's new revision with the fields the reviewer took from the other file,
    or None when nothing changes."""
    taken = [name for name, rid in fields.items() if rid == other]
    if not taken:
        return None
    head = ws.heads(keep)[0]  # the deterministic pick: a conflict stays visible
    source = ws.heads(other)[0].data
    data = dict(head.data)
    for name in taken:
        value = source.get(name)
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    data = _recomputed(data, head.form_id, form or _form_of(ws, head))
    if data == dict(head.data):
        return None
    return Revision.make(
        kind="child", record_id=keep, parents=[head.id], form_id=head.form_id,
        form_version=head.form_version, author=ws.user, device_id=ws.device_id, data=data,
    )


@dataclass(frozen=True, slots=True)
class PersonFiles:
    """What the child file shows about linked files.

    :param person_id: the surviving file (the person's file).
    :param absorbed_by: for an absorbed file, the decision that absorbed it (else None).
    :param others: the other files of the same person, with the decision for each.
    """

    person_id: str
    absorbed_by: Mapping[str, Any] | None
    others: tuple[tuple[str, str, Mapping[str, Any]], ...]


def person_files(ws: Workspace, record_id: str) -> PersonFiles:
    """The person a file belongs to and that person's other files (every history stays
    reachable from the one file)."""
    own = ws.absorbed_into(record_id)
    person = own.person_id if own else record_id
    absorbed_by = None
    if own is not None:
        rev = ws.get_revision(own.link_rev)
        absorbed_by = dict(rev.data) if rev else {"decision": own.decision}
    others: list[tuple[str, str, Mapping[str, Any]]] = []
    if person != record_id:
        others.append((person, "person", {}))
    for f in ws.person_files(person):
        if f.record_id != record_id:
            rev = ws.get_revision(f.link_rev)
            others.append((f.record_id, f.decision, dict(rev.data) if rev else {}))
    return PersonFiles(person, absorbed_by, tuple(others))


@dataclass(frozen=True, slots=True)
class Move:
    """A child who moved: its old file, the file where it lives now, and when."""

    old_record: str
    new_record: str
    child_name: str
    moved_from: str
    moved_to: str
    moved_on: str
    decided_by: str


def moves(ws: Workspace) -> list[Move]:
    """Every move the reviewers recorded (the old file is kept and shows the move)."""
    out = []
    for f in ws.absorbed_files("moved"):
        rev = ws.get_revision(f.link_rev)
        data = rev.data if rev else {}
        row = ws.get_child(f.person_id) or ws.get_child(f.record_id)
        out.append(Move(f.record_id, f.person_id, row.child_name if row else "",
                        str(data.get("moved_from", "")), str(data.get("moved_to", "")),
                        str(data.get("moved_on", "")),
                        str(data.get("org_code", "")) if rev else ""))
    return sorted(out, key=lambda m: (m.moved_on, m.old_record))


# ---- return to village --------------------------------------------------------------------


def return_to_village(ws: Workspace, child_id: str, comment: str) -> str:
    """Send a child's record back to its village with a comment.

    :raises SurveyError: REVIEW_003 unknown child; REVIEW_004 the record is in conflict
        (resolve it first, so the village gets one clear version back).
    """
    heads = ws.heads(child_id)
    if not heads or heads[0].kind != "child":
        raise SurveyError(ReviewCode.REVIEW_003, record=child_id)
    if len(heads) > 1:
        raise SurveyError(ReviewCode.REVIEW_004, record=child_id)
    head = heads[0]
    data = dict(head.data)
    data.update(review_status="returned", review_comment=comment, review_by=ws.user,
                review_org=ws.org_code, review_at=utc_now())
    rev = Revision.make(
        kind="child", record_id=child_id, parents=[head.id], form_id=head.form_id,
        form_version=head.form_version, author=ws.user, device_id=ws.device_id, data=data,
    )
    ws.insert_revisions([rev])
    ws.audit("review", decision="return_to_village", revision=rev.id)
    return rev.id


def returned_children(ws: Workspace) -> list[ChildRow]:
    """Children whose current version carries a township's return comment."""
    return [r for r in ws.iter_children(ChildFilter(include_exited=True), 5000)
            if r.data.get("review_status") == "returned"]
